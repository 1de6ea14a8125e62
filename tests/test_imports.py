"""The import graph of mmx, read from the source with :mod:`ast`: no circles, no private imports.

Every import statement counts: module level, inside functions (the lazy imports that
keep ``mmx --help`` instant), under ``TYPE_CHECKING``, relative ones, and
``importlib.import_module("mmx....")`` with a literal name. ``from mmx.pkg import name``
points at the module that defines ``name`` when ``mmx/pkg/__init__.py`` exports it
lazily through an ``_EXPORTS`` table, else at ``mmx.pkg`` (or at ``mmx.pkg.name`` when
that is a module). Registry entries (``"module:attr"`` strings) are not imports: the
registry exists so that code can name what it does not depend on.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import mmx

SOURCE = Path(mmx.__file__).resolve().parent


@dataclass(frozen=True)
class Edge:
    importer: str
    target: str
    line: int

    def where(self) -> str:
        return f"{self.importer} -> {self.target} ({module_path(self.importer)}:{self.line})"


@cache
def modules() -> dict[str, Path]:
    """Dotted name -> file, for every module of the mmx package."""
    out = {}
    for path in sorted(SOURCE.rglob("*.py")):
        parts = path.relative_to(SOURCE.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def module_path(name: str) -> str:
    return modules()[name].relative_to(SOURCE.parent).as_posix()


def is_package(name: str) -> bool:
    return modules()[name].name == "__init__.py"


def _known(name: str) -> str | None:
    """``name`` or its longest prefix that is an mmx module; None outside mmx."""
    parts = name.split(".")
    while parts:
        if ".".join(parts) in modules():
            return ".".join(parts)
        parts.pop()
    return None


@cache
def lazy_exports(package: str) -> dict[str, str]:
    """A package's ``_EXPORTS = {name: "mmx.module"}`` table (its lazy ``__getattr__``)."""
    tree = ast.parse(modules()[package].read_text(encoding="utf-8"))
    for node in tree.body:
        target = node.targets[0] if isinstance(node, ast.Assign) and len(node.targets) == 1 else (
            node.target if isinstance(node, ast.AnnAssign) else None)
        if isinstance(target, ast.Name) and target.id == "_EXPORTS" and node.value is not None:
            return ast.literal_eval(node.value)
    return {}


def _resolve_from(importer: str, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = importer.split(".")
    if not is_package(importer):
        base = base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


@cache
def edges() -> tuple[Edge, ...]:
    """Every import of an mmx module by an mmx module."""
    out: list[Edge] = []
    for name, path in modules().items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                source = _resolve_from(name, node)
                for alias in node.names:
                    full = f"{source}.{alias.name}"
                    if full in modules():
                        targets.append(full)
                    elif source in modules() and alias.name in lazy_exports(source):
                        targets.append(lazy_exports(source)[alias.name])
                    else:
                        targets.append(source)
            elif (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)
                  and isinstance(node.args[0].value, str)
                  and (getattr(node.func, "attr", None) == "import_module"
                       or getattr(node.func, "id", None) in ("import_module", "__import__"))):
                targets = [node.args[0].value]
            for target in targets:
                known = _known(target)
                if known is not None and known != name:
                    out.append(Edge(name, known, node.lineno))
    return tuple(out)


def top_package(name: str) -> str:
    """``mmx.adapters._hf`` -> ``mmx.adapters``; modules at the top (``mmx.errors``) are their own package."""
    return ".".join(name.split(".")[:2])


def private_part(name: str) -> str | None:
    """The first ``_name`` (not a dunder) in a dotted module name, or None."""
    for part in name.split(".")[1:]:
        if part.startswith("_") and not part.startswith("__"):
            return part
    return None


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative; components of two or more modules (or a self-loop).

    Hand-written because the standard library's graphlib reports one cycle, not the
    components, and a test-only graph library is more than these 30 lines.
    """
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                comp = []
                while True:
                    top = stack.pop()
                    on_stack.discard(top)
                    comp.append(top)
                    if top == node:
                        break
                if len(comp) > 1 or node in graph[node]:
                    found.append(sorted(comp))
    return sorted(found)


def import_cycles() -> list[str]:
    """One paragraph per strongly connected component: its modules and the imports inside it."""
    graph: dict[str, set[str]] = defaultdict(set)
    for name in modules():
        graph[name]
    for e in edges():
        graph[e.importer].add(e.target)
    out = []
    for comp in strongly_connected(graph):
        members = set(comp)
        inside = sorted({e.where() for e in edges() if e.importer in members and e.target in members})
        out.append(f"{len(comp)} modules import each other: {', '.join(comp)}\n    " + "\n    ".join(inside))
    return out


def private_imports() -> list[str]:
    """Imports of another top-level package's private module (``mmx.<pkg>._name`` from outside ``<pkg>``)."""
    return sorted({e.where() for e in edges()
                   if private_part(e.target) and top_package(e.target) != top_package(e.importer)})


# --------------------------------------------------------------------------- the rules


def test_no_import_cycles():
    cycles = import_cycles()
    assert not cycles, "import circles (strongly connected components of the import graph):\n" + "\n".join(cycles)


def test_no_module_imports_another_packages_private_module():
    bad = private_imports()
    assert not bad, ("private modules imported from another package (make the module public, or move the "
                     "code into the package that owns it):\n" + "\n".join(bad))


# --------------------------------------------------------------------------- the checker itself


def test_the_graph_sees_every_kind_of_import():
    """Lazy (in a function), relative, TYPE_CHECKING and lazy-export imports are all edges."""
    by_importer = defaultdict(set)
    for e in edges():
        by_importer[e.importer].add(e.target)
    assert len(modules()) > 50 and "mmx.cli.demo" in modules()
    assert "mmx.errors" in by_importer["mmx.cli.demo"]  # imported inside run()
    assert "mmx.demo.app" in by_importer["mmx.cli.demo"]  # lazy, so `mmx --help` stays instant
    assert "mmx.demo.state" in by_importer["mmx.demo.tabs.render"]  # only under TYPE_CHECKING
    assert all(t in modules() for targets in by_importer.values() for t in targets)
    # `from mmx.pkg import name` reaches the module behind a lazy __getattr__: the tables must name modules
    tables = {pkg: lazy_exports(pkg) for pkg in modules() if is_package(pkg)}
    assert any(tables.values())
    for pkg, table in tables.items():
        assert set(table.values()) <= set(modules()), f"{pkg}._EXPORTS names a module that does not exist"


def test_tarjan_finds_components_and_self_loops():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set(), "e": {"e"}, "f": {"d"}}
    assert strongly_connected(graph) == [["a", "b", "c"], ["e"]]
    assert strongly_connected({"a": {"b"}, "b": set()}) == []


def test_relative_and_private_names_resolve():
    node = ast.parse("from ..models import _hf").body[0]
    assert _resolve_from("mmx.encoders.text", node) == "mmx.models"
    node = ast.parse("from . import base").body[0]
    assert _resolve_from("mmx.encoders", node) == "mmx.encoders"
    assert private_part("mmx.adapters._hf") == "_hf" and private_part("mmx.render.__init__") is None
    assert private_part("mmx.eval.benches.mmcric._cards") == "_cards"
    assert top_package("mmx.adapters._hf") == "mmx.adapters" and top_package("mmx.errors") == "mmx.errors"
