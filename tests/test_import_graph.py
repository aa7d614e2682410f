"""The package's modules import each other without cycles, and every import inside a function says why.

Read from the source with :mod:`ast` (nothing is imported): each module of ``kamwidgets`` and the
``kamwidgets`` modules it imports.  ``from .a import b`` counts as importing ``a`` (and ``a.b`` when that is
a module); imports under ``if TYPE_CHECKING:`` are never run and do not count.

* At the top level (what runs when the module is imported) there is no cycle: a cycle there works only as
  long as nobody reorders an import.
* Counting the imports inside functions too, there is still none: an import moved into a function to break
  a cycle only hides it.
* An import inside a function is there for a reason written beside it (on its line, or on the line above it or
  above the block of imports it belongs to): ``# deferred: start-up time`` (a heavy library a lesson may never
  need), ``# deferred: optional dependency`` and so on.
* No module imports another's private name (``from .x import _y``): a helper that other modules use gets a
  public name in the module that owns it, or a module of its own.  The exceptions are listed, with why, in
  :data:`PRIVATE_SHARED`.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "kamwidgets"
#: Folders of the package that hold no code of its own (copies of the lessons and data).
NOT_CODE = {"lessons", "data"}


@dataclass(frozen=True)
class Import:
    source: str  # the importing module
    target: str  # a kamwidgets module it imports
    line: int
    in_function: bool


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def package_files() -> dict[str, Path]:
    """Every module of the package, by its dotted name."""
    return {
        module_name(path): path
        for path in sorted(PACKAGE.rglob("*.py"))
        if not NOT_CODE & set(path.relative_to(PACKAGE).parts[:-1])
    }


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _import_nodes(tree: ast.AST) -> list[tuple[ast.Import | ast.ImportFrom, bool]]:
    """Every import statement that can run, with whether it is inside a function."""
    found: list[tuple[ast.Import | ast.ImportFrom, bool]] = []

    def walk(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                for other in child.orelse:
                    walk(other, in_function)
                continue
            if isinstance(child, (ast.Import, ast.ImportFrom)):
                found.append((child, in_function))
            walk(child, in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)))

    walk(tree, False)
    return found


def _from_module(node: ast.ImportFrom, source: str, is_package: bool) -> str:
    """The module a ``from ... import`` statement imports from, as a dotted name (``from ..b import y`` -> ``b``)."""
    if not node.level:
        return node.module or ""
    package = source if is_package else source.rpartition(".")[0]
    for _ in range(node.level - 1):
        package = package.rpartition(".")[0]
    return ".".join(part for part in (package, node.module) if part)


def _targets(node: ast.Import | ast.ImportFrom, source: str, is_package: bool, modules: set[str]) -> list[str]:
    """The kamwidgets modules one import statement runs."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names if alias.name in modules]
    base = _from_module(node, source, is_package)
    submodules = [f"{base}.{alias.name}" for alias in node.names if f"{base}.{alias.name}" in modules]
    # a module's own packages are imported before it runs: ``from . import sibling`` needs only the sibling
    only_submodules = len(submodules) == len(node.names) and source.startswith(base + ".")
    direct = ([base] if base in modules and not only_submodules else []) + submodules
    # importing a.b.c first runs the package a.b, unless the importer is inside a.b (then a.b is running already)
    parents = {
        parent
        for target in direct
        for parent in _packages_of(target)
        if parent in modules and not (source == parent or source.startswith(parent + "."))
    }
    return direct + sorted(parents - set(direct))


def _packages_of(module: str) -> list[str]:
    """``a.b.c`` -> ``["a", "a.b"]``."""
    parts = module.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


def imports() -> list[Import]:
    """Every import of one kamwidgets module by another."""
    files = package_files()
    names = set(files)
    found = []
    for source, path in files.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node, in_function in _import_nodes(tree):
            for target in _targets(node, source, path.name == "__init__.py", names):
                if target != source:
                    found.append(Import(source, target, node.lineno, in_function))
    return found


def cycles(edges: list[Import]) -> list[list[str]]:
    """One cycle (as a path back to its start) through each group of modules that import each other."""
    graph: dict[str, set[str]] = {}
    for edge in edges:
        graph.setdefault(edge.source, set()).add(edge.target)
    found = []
    for group in _strongly_connected(graph):
        if len(group) > 1:
            found.append(_cycle_in(group, graph))
    return sorted(found)


def _strongly_connected(graph: dict[str, set[str]]) -> list[set[str]]:
    """Tarjan's algorithm, without recursion."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[set[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph.get(start, ()))))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.add(member)
                    if member == node:
                        break
                groups.append(group)
    return groups


def _cycle_in(group: set[str], graph: dict[str, set[str]]) -> list[str]:
    """The shortest way from the group's first module back to itself, inside the group."""
    start = min(group)
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for child in sorted(graph.get(node, set()) & group):
            if child == start:
                return [*paths[node], start]
            if child not in paths:
                paths[child] = [*paths[node], child]
                queue.append(child)
    raise AssertionError(f"no cycle through {start}")  # pragma: no cover - a strongly connected group has one


def _say(found: list[list[str]], edges: list[Import]) -> str:
    where = {(e.source, e.target): e for e in edges}
    lines = []
    for cycle in found:
        steps = []
        for a, b in zip(cycle, cycle[1:]):
            edge = where[(a, b)]
            steps.append(f"{a} (line {edge.line}{', in a function' if edge.in_function else ''})")
        lines.append(" -> ".join([*steps, cycle[-1]]))
    return "\n".join(lines)


def test_the_graph_is_read_from_every_module():
    edges = imports()
    assert len(package_files()) > 40
    assert Import("kamwidgets.widgets", "kamwidgets.widgets._base", 9, False) in edges  # from ._base import ...


def test_no_import_cycle_among_top_level_imports():
    edges = [edge for edge in imports() if not edge.in_function]
    found = cycles(edges)
    assert not found, (
        "modules that import each other when imported (move the shared part to a module of its own):\n"
        + _say(found, edges)
    )


def test_no_import_cycle_counting_the_imports_inside_functions():
    edges = imports()
    found = cycles(edges)
    assert not found, "modules that import each other, counting imports inside functions:\n" + _say(found, edges)


def _deferred_without_reason() -> list[str]:
    found = []
    for path in package_files().values():
        lines = path.read_text(encoding="utf-8").splitlines()
        for node, in_function in _import_nodes(ast.parse("\n".join(lines))):
            if not in_function:
                continue
            first = node.lineno - 1
            while first > 0 and lines[first - 1].lstrip().startswith(("from ", "import ")):
                first -= 1  # a comment above a block of imports speaks for the block
            said = lines[max(first - 1, 0) : (node.end_lineno or node.lineno)]
            if not any("# deferred:" in line for line in said):
                found.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}: {lines[node.lineno - 1].strip()}")
    return found


def test_every_import_inside_a_function_says_why_it_is_deferred():
    found = _deferred_without_reason()
    assert not found, (
        "imports inside functions without a '# deferred: <why>' comment (move them to the top of the module, "
        "or say why they wait, e.g. '# deferred: start-up time'):\n" + "\n".join(found)
    )


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from . import a", ["pkg.a"]),
        ("from .a import x", ["pkg.a"]),
        ("from ..b import y", ["b"]),
        ("import pkg.a", ["pkg.a"]),
        ("from pkg import a, x", ["pkg", "pkg.a"]),
    ],
)
def test_an_import_is_resolved_to_the_modules_it_runs(source, expected):
    node = ast.parse(source).body[0]
    assert isinstance(node, (ast.Import, ast.ImportFrom))
    assert _targets(node, "pkg.m", False, {"pkg", "pkg.a", "pkg.m", "b"}) == expected


def test_a_cycle_is_named_by_its_modules():
    edges = [
        Import("a", "b", 1, False),
        Import("b", "c", 2, True),
        Import("c", "a", 3, False),
        Import("c", "d", 4, False),
    ]
    assert cycles(edges) == [["a", "b", "c", "a"]]
    assert _say(cycles(edges), edges) == "a (line 1) -> b (line 2, in a function) -> c (line 3) -> a"


#: Private names one module of the package imports from another on purpose, by (importer, owner), and why.
#: The store was one module (``kamwidgets/store.py``) that a move-only change split into a package, one concern
#: per module: its checks, table layout and codec helpers are the store's own internals, shared among its modules
#: and used by nothing outside ``kamwidgets.store`` (whose public face is ``Store`` and the functions it exports).
PRIVATE_SHARED: dict[tuple[str, str], set[str]] = {
    ("kamwidgets.store.core", "kamwidgets.store.checks"): {
        "_check_key",
        "_check_text",
        "_check_unicode",
        "_checksum",
        "_given_path",
        "_keep_last",
        "_key",
        "_lookup",
        "_new_uid",
        "_now",
        "_shown",
        "_version_id",
    },
    ("kamwidgets.store.core", "kamwidgets.store.codec"): {"_PAYLOAD_HEAD"},
    ("kamwidgets.store.core", "kamwidgets.store.layout"): {"_IN_TIME_ORDER", "_INSERT"},
    ("kamwidgets.store.layout", "kamwidgets.store.checks"): {"_new_uid"},
    ("kamwidgets.store.roles", "kamwidgets.store.checks"): {"_check_text"},
    ("kamwidgets.store.transfer", "kamwidgets.store.checks"): {
        "_OLDEST",
        "_canonical",
        "_check_unicode",
        "_checksum",
        "_now",
        "_saving_time",
    },
    ("kamwidgets.store.transfer", "kamwidgets.store.codec"): {"_ENVELOPE"},
}


def _private_names(tree: ast.AST, source: str, is_package: bool, modules: set[str]) -> dict[str, dict[str, int]]:
    """The private names (``_x``: not a module, not ``__x__``) ``source`` imports from other package modules, as
    {owner: {name: line}}."""
    found: dict[str, dict[str, int]] = {}
    for node, _ in _import_nodes(tree):
        if not isinstance(node, ast.ImportFrom):
            continue
        owner = _from_module(node, source, is_package)
        for alias in node.names:
            private = alias.name.startswith("_") and not alias.name.endswith("__")
            if owner in modules and owner != source and private and f"{owner}.{alias.name}" not in modules:
                found.setdefault(owner, {})[alias.name] = node.lineno
    return found


def private_imports() -> dict[tuple[str, str], dict[str, int]]:
    """Every private name a package module imports from another, as {(importer, owner): {name: line}}."""
    files = package_files()
    found: dict[tuple[str, str], dict[str, int]] = {}
    for source, path in files.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for owner, names in _private_names(tree, source, path.name == "__init__.py", set(files)).items():
            found[(source, owner)] = names
    return found


def test_no_module_imports_a_private_name_of_another():
    found = private_imports()
    files = package_files()
    unlisted = [
        f"{files[source].relative_to(PACKAGE.parent)}:{line}: from {owner} import {name}"
        for (source, owner), names in sorted(found.items())
        for name, line in sorted(names.items(), key=lambda item: item[1])
        if name not in PRIVATE_SHARED.get((source, owner), set())
    ]
    assert not unlisted, (
        "private names imported by another module (give the helper a public name in the module that owns it, "
        "and import that):\n" + "\n".join(unlisted)
    )
    stale = {pair: names - set(found.get(pair, {})) for pair, names in PRIVATE_SHARED.items()}
    assert not any(stale.values()), f"PRIVATE_SHARED lists imports that are gone (take them out): {stale}"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from .a import _x, y", {"pkg.a": {"_x": 1}}),
        ("from ._b import z", {}),  # a public name of a private module
        ("from . import _b", {}),  # a private module
        ("from .a import __version__", {}),
        ("from pandas import _libs", {}),  # not the package's
        ("def f():\n    from pkg.a import _x", {"pkg.a": {"_x": 2}}),  # inside a function too
        ("if TYPE_CHECKING:\n    from .a import _T", {}),  # never run
    ],
)
def test_a_private_name_imported_from_another_module_is_found(source, expected):
    modules = {"pkg", "pkg.a", "pkg._b", "pkg.m"}
    assert _private_names(ast.parse(source), "pkg.m", False, modules) == expected
