"""The prop package stays readable: small modules, no import cycles, no imports hidden in functions."""

import ast
from pathlib import Path

PKG = Path(__file__).resolve().parents[3] / "qedjax" / "envs" / "prop"
PREFIX = "qedjax.envs.prop"
MAX_LINES = 600


def _modules() -> dict[str, ast.Module]:
    return {p.stem: ast.parse(p.read_text(encoding="utf-8")) for p in sorted(PKG.glob("*.py"))}


def _prop_imports(tree: ast.Module) -> set[str]:
    """Names of the prop modules a module imports at its top level."""
    out = set()
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module == PREFIX:
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith(PREFIX + "."):
            out.add(node.module.split(".")[3])
        elif isinstance(node, ast.Import):
            out.update(a.name.split(".")[3] for a in node.names if a.name.startswith(PREFIX + "."))
    return out


def test_no_module_over_600_lines():
    lengths = {p.name: len(p.read_text(encoding="utf-8").splitlines()) for p in PKG.glob("*.py")}
    assert {name: n for name, n in lengths.items() if n > MAX_LINES} == {}


def test_no_import_inside_a_function():
    hidden = []
    for name, tree in _modules().items():
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                hidden += [f"{name}.{node.name}:{n.lineno}" for n in ast.walk(node)
                           if isinstance(n, (ast.Import, ast.ImportFrom))]
    assert hidden == []


def test_no_import_cycle_between_modules():
    graph = {name: _prop_imports(tree) for name, tree in _modules().items() if name != "__init__"}
    assert set().union(*graph.values()) <= set(graph), "an import names a module that does not exist"
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done

    def visit(m: str, path: list[str]) -> None:
        state[m] = 1
        for dep in sorted(graph[m]):
            if state.get(dep) == 1:
                raise AssertionError("import cycle: " + " -> ".join(path[path.index(dep):] + [m, dep]))
            if dep not in state:
                visit(dep, path + [m])
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m, [])
