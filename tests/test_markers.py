"""The quick test loop still covers every package, and tests that need a Ray cluster or spawned
processes say so with their marker (pyproject's ``--strict-markers`` refuses unregistered markers).

The README gives the quick loop as ``python -m pytest -q -m "<expression>"``. Read with ``ast`` (nothing
is imported): for each test, its markers (module ``pytestmark``, class ``pytestmark`` and decorators)
and its fixtures; for each test file, the project modules it imports (top level and inside functions).
A package is covered when a file with at least one test that the expression selects imports one of its
modules.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
# fixtures that start what a marker announces: a test that takes one carries the marker
FIXTURE_MARKS = {"ray_address": "ray", "four_devices": "multiprocess"}


def quick_expression(readme: str) -> str:
    """The marker expression of the README's quick-loop command."""
    found = re.findall(r'python -m pytest -q -m "([^"]+)"', readme)
    assert len(found) == 1, f"the README should give one quick-loop command, found {found}"
    return found[0]


def selects(expression: str, marks: set[str]) -> bool:
    """pytest's ``-m`` semantics: names are markers present on the test; and/or/not/parentheses."""
    if not re.fullmatch(r"[\w\s()]+", expression):
        raise ValueError(f"unsupported marker expression: {expression!r}")

    class Marks(dict):
        def __missing__(self, key: str) -> bool:
            return key in marks

    return bool(eval(expression, {"__builtins__": {}}, Marks()))  # only names, and/or/not, parentheses


def _marks_of(node: ast.AST) -> set[str]:
    """Marker names in an expression such as ``pytest.mark.slow`` or ``[pytest.mark.a, pytest.mark.b]``."""
    names = set()
    for sub in ast.walk(node):
        if (isinstance(sub, ast.Attribute) and isinstance(sub.value, ast.Attribute)
                and sub.value.attr == "mark"):
            names.add(sub.attr)
    return names


def _decorator_marks(node: ast.AST) -> set[str]:
    marks = set()
    for dec in getattr(node, "decorator_list", []):
        # pytest.param(..., marks=...) inside parametrize marks single cases only: not the whole test
        target = dec.func if isinstance(dec, ast.Call) else dec
        marks |= _marks_of(target)
    return marks


def _pytestmark(body: list[ast.stmt]) -> set[str]:
    marks = set()
    for stmt in body:
        if isinstance(stmt, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "pytestmark"
                                                for t in stmt.targets):
            marks |= _marks_of(stmt.value)
    return marks


def file_tests(tree: ast.Module) -> list[tuple[str, set[str], set[str]]]:
    """(test name, its markers, its arguments) for every test function and method of a test module."""
    module_marks = _pytestmark(tree.body)
    tests = []

    def args(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
        return {a.arg for a in fn.args.args + fn.args.kwonlyargs}

    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("test"):
            tests.append((node.name, module_marks | _decorator_marks(node), args(node)))
        elif isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
            class_marks = module_marks | _decorator_marks(node) | _pytestmark(node.body)
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and item.name.startswith("test"):
                    tests.append((f"{node.name}.{item.name}", class_marks | _decorator_marks(item), args(item)))
    return tests


def file_imports(tree: ast.Module) -> set[str]:
    modules = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            modules.add(node.module)
            modules |= {f"{node.module}.{a.name}" for a in node.names}
    return modules


def package_of(module: str, packages: list[str]) -> str | None:
    """The innermost package a module belongs to (``qedjax.io`` → ``qedjax``)."""
    owners = [p for p in packages if module == p or module.startswith(p + ".")]
    return max(owners, key=len) if owners else None


def coverage(tests_dir: Path, packages: list[str], expression: str) -> dict[str, list[str]]:
    """Package → the test files that import it and have at least one test the expression selects."""
    covered: dict[str, list[str]] = {p: [] for p in packages}
    for path in sorted(tests_dir.rglob("test_*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        if not any(selects(expression, marks) for _, marks, _ in file_tests(tree)):
            continue
        for module in file_imports(tree):
            pkg = package_of(module, packages)
            name = str(path.relative_to(tests_dir))
            if pkg is not None and name not in covered[pkg]:
                covered[pkg].append(name)
    return covered


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_quick_loop_covers_every_package():
    packages = _project()["tool"]["setuptools"]["packages"]
    expression = quick_expression((ROOT / "README.md").read_text(encoding="utf-8"))
    covered = coverage(ROOT / "tests", packages, expression)
    missing = [p for p, files in covered.items() if not files]
    assert not missing, f"no test in the quick loop (-m {expression!r}) imports {missing}"


def unmarked_fixture_users(tests_dir: Path) -> list[str]:
    """Tests that take a fixture of FIXTURE_MARKS without its marker."""
    bad = []
    for path in sorted(tests_dir.rglob("test_*.py")):
        for name, marks, args in file_tests(ast.parse(path.read_text(encoding="utf-8"))):
            bad += [f"{path.relative_to(tests_dir)}::{name} ({f})" for f, m in FIXTURE_MARKS.items()
                    if f in args and m not in marks]
    return bad


def test_tests_that_start_ray_or_processes_carry_the_marker():
    assert not unmarked_fixture_users(ROOT / "tests")


def test_coverage_sees_a_package_whose_tests_are_all_skipped(tmp_path):
    """The check itself: a package whose only tests are marked slow (module-wide, by class or by
    decorator) is reported, and one quick test brings it back."""
    (tmp_path / "test_a.py").write_text(
        "import pytest\nimport pkg_a.core\npytestmark = pytest.mark.slow\ndef test_one():\n    pass\n")
    (tmp_path / "test_b.py").write_text(
        "import pytest\nfrom pkg_b import thing\n@pytest.mark.ray\nclass TestB:\n    def test_x(self):\n"
        "        pass\n@pytest.mark.multiprocess\ndef test_y():\n    pass\n")
    (tmp_path / "test_c.py").write_text(
        "import pytest\n\ndef test_c():\n    from pkg_c.sub import f\n")
    packages = ["pkg_a", "pkg_b", "pkg_c", "pkg_c.sub"]
    quick = "not slow and not ray and not multiprocess"
    covered = coverage(tmp_path, packages, quick)
    assert [p for p, f in covered.items() if not f] == ["pkg_a", "pkg_b", "pkg_c"]
    assert covered["pkg_c.sub"] == ["test_c.py"]
    (tmp_path / "test_a2.py").write_text("from pkg_a import core\n\ndef test_quick(ray_address):\n    pass\n")
    assert coverage(tmp_path, packages, quick)["pkg_a"] == ["test_a2.py"]
    assert unmarked_fixture_users(tmp_path) == ["test_a2.py::test_quick (ray_address)"]


def test_selects_follows_pytest_semantics():
    assert selects("not slow and not ray", {"lean"})
    assert not selects("not slow and not ray", {"slow"})
    assert selects("slow or (ray and not lean)", {"ray"})
    assert not selects("slow or (ray and not lean)", {"ray", "lean"})
