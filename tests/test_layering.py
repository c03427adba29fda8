"""ARCHITECTURE.md's layering, read from every import of every module with ``ast`` (nothing is imported).

The rules live in ARCHITECTURE.md ("Layers and who may import whom"): the layer table (paths, the
layers each may import, the frameworks it never imports) and the short list of imports allowed inside
functions. This file parses them; it holds no second copy. ``PENDING`` lists the violations that a
restructuring in progress still has to clear: each entry names its rule, and an entry that no longer
happens fails the test, so the list only shrinks.
"""

from __future__ import annotations

import ast
import functools
import re
import shutil
import sys
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LIBRARY = ("qedjax", "encoder_bridge")
SOURCES = (*LIBRARY, "cli", "scripts")
ENTRY_POINTS = ("cli", "scripts")
MAX_LINES = 600
PACKAGE_NAMES = {"cli": "qedjax_cli"}  # installed under another name (pyproject's package-dir)

# Violations that a restructuring in progress clears; each entry: (rule, module, detail) -> owner.
PENDING: dict[tuple[str, str, str], str] = {
}


@dataclass(frozen=True)
class Import:
    module: str  # the importing module, dotted (cli/ as qedjax_cli, scripts/x.py as scripts.x)
    target: str  # the imported module, resolved to the deepest module or package that exists
    names: tuple[str, ...]  # the names taken by ``from target import ...``; () for ``import target``
    line: int
    lazy: bool  # inside a function

    @property
    def top(self) -> str:
        return self.target.split(".")[0]


@dataclass(frozen=True)
class Rules:
    layers: dict[str, tuple[str, ...]]  # layer -> its paths (files, or folders ending in /)
    may_import: dict[str, frozenset[str]]  # layer -> the layers it may import at a module's top
    lazily: dict[str, frozenset[str]]  # layer -> the layers it may import only inside a function
    never: dict[str, frozenset[str]]  # layer -> the top-level names of the frameworks it never imports
    first_use_only: frozenset[str]  # third-party names never imported at a library module's top
    may_wait: frozenset[str]  # third-party names the library may import inside a function

    def layer_of(self, path: str) -> str | None:
        best, best_len = None, -1
        for layer, paths in self.layers.items():
            for p in paths:
                if (path == p or (p.endswith("/") and path.startswith(p))) and len(p) > best_len:
                    best, best_len = layer, len(p)
        return best


def _ticked(text: str) -> list[str]:
    return re.findall(r"`([^`]+)`", text)


def parse_rules(markdown: str) -> Rules:
    """The layer table and the lazy-import lists of ARCHITECTURE.md's layering section."""
    section = markdown.split("## Layers and who may import whom", 1)[1].split("\n## ", 1)[0]
    families = {m.group(1): frozenset(_ticked(m.group(2)))
                for m in re.finditer(r"^- `(\w+)` stands for ([^\n]*)", section, re.M)}
    rows = [[c.strip() for c in line.strip().strip("|").split("|")]
            for line in section.splitlines() if line.startswith("| `")]
    layers, may, lazily, never = {}, {}, {}, {}
    for name_cell, path_cell, _what, imports_cell, never_cell in rows:
        (name,) = _ticked(name_cell)
        layers[name] = tuple(p for p in _ticked(path_cell) if "/" in p)
        never[name] = frozenset().union(*(families[f] for f in _ticked(never_cell)))
        lazy_names = set(re.findall(r"`(\w+)` lazily", imports_cell))
        named = set(_ticked(imports_cell))
        lazily[name] = frozenset(lazy_names)
        may[name] = frozenset(named - lazy_names)
        if imports_cell.startswith("all but"):
            may[name] = None  # resolved below, once every layer is known
    for name in may:
        if may[name] is None:
            excluded = set(_ticked(rows[list(layers).index(name)][3]))
            may[name] = frozenset(set(layers) - excluded - {name})
    lists = {m.group(1): frozenset(_ticked(m.group(2).split(" — ")[0]))
             for m in re.finditer(r"^- \*\*(first use only|may wait for first use)\*\*:([^\n]*)", section, re.M)}
    return Rules(layers, may, lazily, never, lists["first use only"], lists["may wait for first use"])


@functools.cache
def _parse(text: str) -> ast.Module:  # the scratch copy below shares its unchanged files' trees
    return ast.parse(text)


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    parts[0] = PACKAGE_NAMES.get(parts[0], parts[0])
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


class Tree:
    """The modules under ``root`` (the library, the CLI, scripts) with their parsed imports."""

    def __init__(self, root: Path):
        self.root = root
        self.rules = parse_rules((root / "ARCHITECTURE.md").read_text(encoding="utf-8"))
        self.files = {module_name(p, root): p for top in SOURCES for p in sorted((root / top).rglob("*.py"))}
        self.trees = {m: _parse(p.read_text(encoding="utf-8")) for m, p in self.files.items()}

    def path(self, module: str) -> str:
        return self.files[module].relative_to(self.root).as_posix()

    def layer(self, module: str) -> str | None:
        return self.rules.layer_of(self.path(module))

    def _resolve(self, base: str, name: str | None) -> str:
        if name and f"{base}.{name}" in self.files:
            return f"{base}.{name}"
        return base

    def _imports_of(self, module: str) -> list[Import]:
        is_package = self.files[module].name == "__init__.py"
        package = module if is_package else module.rpartition(".")[0]
        out: list[Import] = []

        for node, lazy in _statements(self.trees[module].body, False):
            if isinstance(node, ast.Import):
                out.extend(Import(module, a.name, (), node.lineno, lazy) for a in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    up = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                    base = ".".join(up + ([node.module] if node.module else []))
                if base != "__future__":
                    out.extend(Import(module, self._resolve(base, a.name), (a.name,), node.lineno, lazy)
                               for a in node.names)
        return out

    @cached_property
    def imports(self) -> list[Import]:
        return [i for m in self.files for i in self._imports_of(m)]

    def project(self, target: str) -> str | None:
        """The project module an import names (its deepest existing prefix), or None: not ours."""
        parts = target.split(".")
        for n in range(len(parts), 0, -1):
            if ".".join(parts[:n]) in self.files:
                return ".".join(parts[:n])
        return None

    @cached_property
    def heavy(self) -> set[str]:
        """Project modules whose module-level imports load, directly or through other project modules,
        a framework or extra that ARCHITECTURE.md lets the library defer to first use."""
        deferred = self.rules.first_use_only | self.rules.may_wait
        top_edges: dict[str, set[str]] = {m: set() for m in self.files}
        heavy = set()
        for i in self.imports:
            if i.lazy:
                continue
            if (t := self.project(i.target)) is not None:
                top_edges[i.module].add(t)
            elif i.top in deferred:
                heavy.add(i.module)
        changed = True
        while changed:
            new = {m for m, ts in top_edges.items() if m not in heavy and ts & heavy}
            heavy |= new
            changed = bool(new)
        return heavy

    def lazy_allowed(self, i: Import) -> bool:
        """ARCHITECTURE.md's imports inside functions: frameworks and extras on first use, the project
        modules that load them at their top, and the edges the table marks ``lazily``."""
        if i.top in self.rules.first_use_only | self.rules.may_wait:
            return True
        t = self.project(i.target)
        return t is not None and (t in self.heavy or self.layer(t) in self.rules.lazily[self.layer(i.module)])


def _statements(body: list[ast.stmt], lazy: bool):
    """Every statement, nested ones included, with whether it runs inside a function (imports are
    statements: expressions need no visit)."""
    for node in body:
        yield node, lazy
        inner = lazy or isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        for field in ("body", "orelse", "finalbody", "handlers", "cases"):
            for child in getattr(node, field, ()):
                if isinstance(child, ast.stmt):
                    yield from _statements([child], inner)
                else:  # an except handler or a match case
                    yield from _statements(child.body, inner)


def _in(module: str, tops: tuple[str, ...]) -> bool:
    return module.split(".")[0] in {PACKAGE_NAMES.get(t, t) for t in tops}


def _package(tree: Tree, module: str) -> str:
    return module if tree.files[module].name == "__init__.py" else module.rpartition(".")[0]


# --- the checks: each returns {(rule, module, detail): message} -------------------------------------

def check_every_module_has_a_layer(tree: Tree) -> dict:
    return {("layer-table", m, tree.path(m)): f"{tree.path(m)} matches no path of ARCHITECTURE.md's table"
            for m in tree.files if tree.layer(m) is None}


def check_layers(tree: Tree) -> dict:
    """A module imports its own layer and the layers its row names (``lazily`` ones inside a function);
    nothing imports the command line (its own modules aside)."""
    out = {}
    for i in tree.imports:
        t = tree.project(i.target)
        src, dst = tree.layer(i.module), None if t is None else tree.layer(t)
        if t is None or src is None or dst is None or src == dst:
            continue
        if dst in tree.rules.may_import[src] or (i.lazy and dst in tree.rules.lazily[src]):
            continue
        how = " at a module's top (allowed only inside a function)" if dst in tree.rules.lazily[src] else ""
        out[("layer", i.module, t)] = f"{tree.path(i.module)}:{i.line}: {src} imports {dst} ({t}){how}"
    return out


def check_frameworks(tree: Tree) -> dict:
    """A layer never imports the frameworks its row names (torch in qedjax, jax in encoder_bridge, ...)."""
    out = {}
    for i in tree.imports:
        layer = tree.layer(i.module)
        if layer is not None and i.top in tree.rules.never[layer]:
            out[("framework", i.module, i.top)] = f"{tree.path(i.module)}:{i.line}: {layer} imports {i.target}"
    return out


def check_first_use_only(tree: Tree) -> dict:
    """Heavy frameworks and optional extras wait for first use: never at the top of a library module;
    the CLI's modules load none at their top (``qed --help`` loads every one of them)."""
    out = {}
    for i in tree.imports:
        if i.lazy:
            continue
        heavy = tree.rules.first_use_only | (tree.rules.may_wait if _in(i.module, ("cli",)) else frozenset())
        if i.top in heavy and not _in(i.module, ("scripts",)):
            out[("first-use", i.module, i.top)] = f"{tree.path(i.module)}:{i.line}: {i.target} at the top"
    return out


def check_lazy_imports(tree: Tree) -> dict:
    """Inside a library function, only the imports ARCHITECTURE.md lists (the rest go to the top, where
    the dependency graph shows them)."""
    out = {}
    for i in tree.imports:
        if i.lazy and _in(i.module, LIBRARY) and not tree.lazy_allowed(i):
            key = tree.project(i.target) or i.top
            out[("lazy", i.module, key)] = f"{tree.path(i.module)}:{i.line}: import of {i.target} inside a function"
    return out


def module_graph(tree: Tree) -> dict[str, set[str]]:
    """Module -> the project modules it imports at its top or inside a function (the imports that
    ARCHITECTURE.md allows inside functions aside)."""
    graph: dict[str, set[str]] = {m: set() for m in tree.files}
    for i in tree.imports:
        t = tree.project(i.target)
        if t is not None and t != i.module and not (i.lazy and tree.lazy_allowed(i)):
            graph[i.module].add(t)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan, iterative)."""
    index, low, on_stack, stack, out, counter = {}, {}, set(), [], [], [0]
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter[0]
        counter[0] += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter[0]
                    counter[0] += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        m = stack.pop()
                        on_stack.discard(m)
                        component.append(m)
                        if m == node:
                            break
                    if len(component) > 1:
                        out.append(sorted(component))
    return out


def check_cycles(tree: Tree) -> dict:
    return {("cycle", c[0], " ".join(c)): "import cycle: " + " <-> ".join(c) for c in cycles(module_graph(tree))}


def check_sizes(tree: Tree) -> dict:
    out = {}
    for m, p in tree.files.items():
        n = len(p.read_text(encoding="utf-8").splitlines())
        if _in(m, LIBRARY) and n > MAX_LINES:
            out[("size", m, "")] = f"{tree.path(m)}: {n} lines (at most {MAX_LINES})"
    return out


def check_private_names(tree: Tree) -> dict:
    """Entry points never take a private name of the library (by import or by attribute); library
    modules take none from another package."""
    out = {}
    for i in tree.imports:
        t = tree.project(i.target)
        if t is None or _in(t, ENTRY_POINTS):
            continue
        private = [n for n in (*i.target.split("."), *i.names) if n.startswith("_") and not n.startswith("__")]
        if private and (_in(i.module, ENTRY_POINTS) or _package(tree, i.module) != _package(tree, t)):
            out[("private", i.module, f"{t}:{private[0]}")] = f"{tree.path(i.module)}:{i.line}: imports {private[0]}"
    for m in tree.files:
        if not _in(m, ENTRY_POINTS):
            continue
        bound = _library_names(tree, m)
        for node in ast.walk(tree.trees[m]):
            if (isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__")
                    and _root_name(node.value) in bound):
                out[("private", m, f"{_root_name(node.value)}.{node.attr}")] = \
                    f"{tree.path(m)}:{node.lineno}: uses the private {node.attr}"
    return out


def _root_name(node: ast.AST) -> str | None:
    """``a`` for ``a.b[c].d``, ``a.b(x).c`` and ``vars(a)[k]``."""
    while isinstance(node, (ast.Attribute, ast.Subscript, ast.Call)):
        if isinstance(node, ast.Call):
            reflective = isinstance(node.func, ast.Name) and node.func.id in ("vars", "getattr") and node.args
            node = node.args[0] if reflective else node.func
        else:
            node = node.value
    return node.id if isinstance(node, ast.Name) else None


def _library_names(tree: Tree, module: str) -> set[str]:
    """The names a module binds by importing the library (modules, classes, functions)."""
    bound = set()
    for node, _ in _statements(tree.trees[module].body, False):
        if isinstance(node, ast.Import):
            bound |= {a.asname or a.name.split(".")[0] for a in node.names if _in(a.name, LIBRARY)}
        elif isinstance(node, ast.ImportFrom) and not node.level and _in(node.module or "", LIBRARY):
            bound |= {a.asname or a.name for a in node.names}
    return bound


def check_patching(tree: Tree) -> dict:
    """Entry points never change the library at run time: no assignment to an attribute of something
    imported from it, no setattr/delattr on it, no mock.patch of it."""
    out = {}
    for m in tree.files:
        if not _in(m, ENTRY_POINTS):
            continue
        bound = _library_names(tree, m)
        for node in ast.walk(tree.trees[m]):
            targets = []
            if isinstance(node, ast.Assign):
                targets = node.targets
            elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
                targets = [node.target]
            elif isinstance(node, ast.Delete):
                targets = node.targets
            for target in targets:
                for t in ast.walk(target):
                    if isinstance(t, (ast.Attribute, ast.Subscript)) and isinstance(t.ctx, (ast.Store, ast.Del)) \
                            and _root_name(t) in bound:
                        out[("patch", m, ast.unparse(t))] = f"{tree.path(m)}:{node.lineno}: assigns {ast.unparse(t)}"
            if isinstance(node, ast.Call):
                name = ast.unparse(node.func)
                first = node.args[0] if node.args else None
                patches_library = (
                    (name in ("setattr", "delattr") and first is not None and _root_name(first) in bound)
                    or (name.split(".")[-1] in ("patch", "object", "setattr", "setitem")
                        and any(isinstance(a, ast.Constant) and isinstance(a.value, str) and _in(a.value, LIBRARY)
                                or _root_name(a) in bound for a in node.args)))
                if patches_library:
                    out[("patch", m, ast.unparse(node))] = f"{tree.path(m)}:{node.lineno}: {ast.unparse(node)}"
    return out


def check_tests_leave_the_cli_alone(root: Path) -> dict:
    """Outside tests/cli/ and tests/reliability/ (which drive the command line on purpose), tests call the
    library, never the CLI."""
    out = {}
    for p in sorted((root / "tests").rglob("*.py")):
        rel, text = p.relative_to(root), p.read_text(encoding="utf-8")
        if rel.parts[1] in ("cli", "reliability") or "qedjax_cli" not in text:
            continue
        for node, _ in _statements(ast.parse(text).body, False):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            if any(n.split(".")[0] == "qedjax_cli" for n in names):
                out[("cli-import", rel.as_posix(), "")] = f"{rel}:{node.lineno}: imports the CLI"
    return out


CHECKS = (check_every_module_has_a_layer, check_layers, check_frameworks, check_first_use_only, check_lazy_imports,
          check_cycles, check_sizes, check_private_names, check_patching)


def violations(root: Path) -> dict:
    tree = Tree(root)
    out = check_tests_leave_the_cli_alone(root)
    for check in CHECKS:
        out.update(check(tree))
    return out


@pytest.fixture(scope="module")
def found() -> dict:
    return violations(ROOT)


RULES = ("layer-table", "layer", "framework", "first-use", "lazy", "cycle", "size", "private", "patch",
         "cli-import")


@pytest.mark.parametrize("rule", RULES)
def test_rule_holds(found, rule):
    new = {k: v for k, v in found.items() if k[0] == rule and k not in PENDING}
    assert not new, f"{rule} ({len(new)}):\n" + "\n".join(sorted(new.values()))


@pytest.mark.parametrize("rule", RULES)
def test_pending_entries_still_happen(found, rule):
    """An entry that no longer happens is removed from PENDING (the list only shrinks)."""
    stale = [k for k in PENDING if k[0] == rule and k not in found]
    assert not stale, "remove from PENDING (fixed): " + ", ".join(map(str, stale))


def test_rules_are_read_from_architecture_md():
    rules = parse_rules((ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8"))
    assert {"shared", "protocols", "data", "search", "envs", "ebm", "app", "encoder_bridge", "cli",
            "scripts"} <= set(rules.layers)
    assert "torch" in rules.never["search"] and "jax" in rules.never["search"] and "torch" in rules.never["app"]
    assert "jax" in rules.never["encoder_bridge"] and "transformers" in rules.never["ebm"]
    assert rules.may_import["search"] == {"shared", "protocols", "data"}
    assert rules.lazily["app"] == {"encoder_bridge"} and "encoder_bridge" not in rules.may_import["app"]
    assert "cli" not in set().union(*(rules.may_import[x] for x in rules.layers if x != "cli"))
    assert {"torch", "ray", "lean_dojo"} <= rules.first_use_only and "jax" in rules.may_wait


# --- the checks catch what they should: a scratch copy of the tree with one violation of each kind ----

MUTATIONS = [  # (rule, file added to the scratch copy, its text)
    ("layer", "qedjax/search/_mutant.py", "from qedjax.app import parts\n"),
    ("layer", "qedjax/app/_mutant.py", "import encoder_bridge.encoder\n"),  # allowed only inside a function
    ("framework", "qedjax/envs/_mutant.py", "def f():\n    import torch\n    return torch\n"),
    ("framework", "encoder_bridge/_mutant2.py", "def f():\n    from flax import nnx\n    return nnx\n"),
    ("first-use", "encoder_bridge/_mutant.py", "import transformers\n"),
    ("lazy", "qedjax/ebm/_mutant.py", "def f():\n    from qedjax.io import atomic_write_json\n"),
    ("lazy", "qedjax/data/_mutant2.py", "class A:\n    def f(self):\n        import json\n"),
    ("cycle", "qedjax/_mutant.py", "import qedjax.paths\n"),  # with paths importing it back, below
    ("size", "qedjax/data/_mutant.py", "x = 1\n" * (MAX_LINES + 1)),
    ("private", "scripts/_mutant.py", "from qedjax.app.iterate import _secret\n"),
    ("private", "scripts/_mutant3.py", "from qedjax.app import iterate\nx = iterate._secret\n"),
    ("patch", "scripts/_mutant2.py", "from qedjax.app import iterate\niterate.search_bounds = None\n"),
    ("patch", "scripts/_mutant4.py", "import qedjax.app.iterate\n\ndef f():\n    setattr(qedjax.app.iterate, 'x', 1)\n"),
    ("patch", "scripts/_mutant5.py", "from qedjax.app import runs\nvars(runs)['SEARCH_OVERRIDES'] = {}\n"),
    ("cli-import", "tests/_mutant_test.py", "def test():\n    from qedjax_cli import main\n"),
]


@pytest.fixture(scope="module")
def mutated(tmp_path_factory) -> dict:
    """The violations of a scratch copy of the tree (its Python files and ARCHITECTURE.md) with every
    mutation above added, and qedjax/paths.py importing the cycle's mutant back."""
    root = tmp_path_factory.mktemp("tree")
    for top in (*SOURCES, "tests"):
        for p in (ROOT / top).rglob("*.py"):
            (root / p.relative_to(ROOT)).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(p, root / p.relative_to(ROOT))
    shutil.copy(ROOT / "ARCHITECTURE.md", root)
    for _, path, text in MUTATIONS:
        (root / path).write_text(text, encoding="utf-8")
    with open(root / "qedjax/paths.py", "a", encoding="utf-8") as f:
        f.write("\nimport qedjax._mutant  # noqa\n")
    return violations(root)


@pytest.mark.parametrize(("rule", "path", "text"), MUTATIONS, ids=[f"{r}:{p}" for r, p, _ in MUTATIONS])
def test_a_violation_in_a_scratch_copy_is_caught(found, mutated, rule, path, text):
    module = path.removesuffix(".py").replace("/", ".")
    caught = {k for k in mutated if k[0] == rule and module in (k[1], *k[2].split())} | \
        {k for k in mutated if k[0] == rule and k[1] == path}
    assert caught - set(found), f"{rule}: {path} was not caught"


if __name__ == "__main__":  # the list, for a reader: python tests/test_layering.py
    for key, message in sorted(violations(ROOT).items()):
        print(("PENDING " if key in PENDING else "") + message)
    sys.exit(0)
