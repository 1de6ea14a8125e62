"""The order of mmx's packages, declared once, and every import held to it.

A module may import its own package and the packages of lower layers, never a package of
its own layer or above. File-level cycle checks (``tests/test_imports.py``) do not see a
loop between packages whose modules never import each other in a circle (``systems`` ->
``eval`` -> ``models`` -> ``systems`` was one); this test does, and it also catches the first
step of such a loop. The edges are those of ``tests/test_imports.py``: every import
statement, lazy, relative and ``TYPE_CHECKING`` ones included; registry entries
(``"module:attr"`` strings) are not imports.
"""

from __future__ import annotations

from tests.test_imports import Edge, edges, modules

#: Lowest first. A package imports only packages of earlier layers (and itself). A new top-level
#: package or module of mmx must be placed here (the last test says so when one is missing).
LAYERS: tuple[tuple[str, ...], ...] = (
    ("mmx",),  # the root package: __version__ only
    ("mmx.errors",),
    ("mmx.compat", "mmx.deps", "mmx.textio", "mmx.console", "mmx.registry", "mmx.options"),  # utilities on errors alone
    ("mmx.hub", "mmx.assets"),
    ("mmx.text",),  # numerals, scripts, transliteration
    ("mmx.ocr",),
    ("mmx.render", "mmx.music", "mmx.worlds"),  # text -> pixels; ABC/MIDI -> patches; GenEval's worlds
    ("mmx.encoders",),
    ("mmx.heads",),
    ("mmx.systems",),  # training: LightningModules and DataModules
    ("mmx.perf",),  # FLOPs accounting
    ("mmx.adapters",),  # inference by capability (they load what systems export)
    ("mmx.models",),  # the deprecated alias of mmx.adapters
    ("mmx.eval",),  # the contract, runner, report and metrics
    ("mmx.eval.benches",),  # benches use the contract; the contract names no bench
    ("mmx.demo",),
    ("mmx.cli",),
    ("mmx.testing",),  # tiny model builders for tests and benchmarks
)


def package_of(module: str) -> str:
    """The declared package a module belongs to: the longest entry of :data:`LAYERS` that is
    the module or a prefix of it (``mmx.eval.benches.mmcric.draw`` -> ``mmx.eval.benches``)."""
    declared = [p for layer in LAYERS for p in layer]
    found = [p for p in declared if module == p or module.startswith(p + ".")]
    return max(found, key=len) if found else module


def layer_of(package: str) -> int | None:
    for i, layer in enumerate(LAYERS):
        if package in layer:
            return i
    return None


def violations(graph: tuple[Edge, ...]) -> list[str]:
    """Imports of a package at the importer's layer or above."""
    bad = set()
    for e in graph:
        a, b = package_of(e.importer), package_of(e.target)
        if a == b:
            continue
        la, lb = layer_of(a), layer_of(b)
        if la is None or lb is None or lb >= la:
            bad.add(f"{a} (layer {la}) imports {b} (layer {lb}): {e.where()}")
    return sorted(bad)


def test_every_import_follows_the_package_order():
    bad = violations(edges())
    assert not bad, ("imports against the package order declared in tests/test_package_order.py (move the shared "
                     "code down into a lower package, or pass the object in from above):\n" + "\n".join(bad))


def test_every_package_is_placed():
    tops = {".".join(m.split(".")[:2]) for m in modules()}
    missing = sorted(p for p in tops if layer_of(p) is None)
    assert not missing, f"packages not placed in LAYERS (tests/test_package_order.py): {missing}"


def test_the_order_catches_upward_and_sideways_imports():
    """The checker itself: training importing evaluation fails, and so does a same-layer import."""
    up = Edge("mmx.systems.t2i", "mmx.eval.benches.geneval.bench", 1)
    side = Edge("mmx.render.engine", "mmx.music.abc", 2)
    core_to_bench = Edge("mmx.eval.runner", "mmx.eval.benches.mmcric.bench", 3)
    down = Edge("mmx.systems.t2i", "mmx.worlds.shapes", 4)
    own = Edge("mmx.eval.benches.xscript.bench", "mmx.eval.benches.geneval.bench", 5)
    assert len(violations((up, side, core_to_bench))) == 3
    assert violations((down, own)) == []
    assert package_of("mmx.eval.benches.mmcric.draw") == "mmx.eval.benches" and package_of("mmx.eval.runner") == "mmx.eval"
