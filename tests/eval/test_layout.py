"""The layout rule of the benches: a baseline never imports its bench's generator.

A baseline (``mmx/eval/benches/<bench>/baseline/``) must see only what a model
sees; importing the generator (the match model, the question templates and
golds, the drawing code) would let it read answers instead of images. Checked
statically with :mod:`ast` over every module of every bench's baseline package.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import mmx

BENCHES = Path(mmx.__file__).parent / "eval" / "benches"

#: per bench, the modules that make its data (what a baseline must not import)
GENERATOR_MODULES: dict[str, frozenset[str]] = {
    "mmcric": frozenset({"generate", "match", "questions", "draw", "card", "canvas", "templates"}),
}


def _package(path: Path) -> str:
    """Dotted package name of a module file under mmx/."""
    parts = path.relative_to(BENCHES.parents[2]).with_suffix("").parts
    return ".".join(parts[:-1])  # the module's own package (its folder)


def _imported(tree: ast.AST, package: str) -> set[str]:
    """Every module name an import in ``tree`` can load, relative imports resolved against
    ``package``; ``from X import a`` counts both ``X`` and ``X.a`` (``a`` may be a module)."""
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            out.add(module)
            out.update(f"{module}.{alias.name}" for alias in node.names)
    return out


def violations(source: str, package: str, bench: str, generator: frozenset[str]) -> list[str]:
    """The generator modules of ``bench`` that ``source`` (a module in ``package``) imports."""
    prefix = f"mmx.eval.benches.{bench}."
    bad = []
    for name in sorted(_imported(ast.parse(source), package)):
        if name.startswith(prefix) and name[len(prefix) :].split(".")[0] in generator:
            bad.append(name)
    return bad


def _baselines() -> list[Path]:
    return sorted(p for p in BENCHES.glob("*/baseline") if (p / "__init__.py").is_file())


def test_the_checker_catches_every_import_form() -> None:
    gen = GENERATOR_MODULES["mmcric"]
    pkg = "mmx.eval.benches.mmcric.baseline"
    for source in (
        "import mmx.eval.benches.mmcric.match",
        "from mmx.eval.benches.mmcric.questions import QTYPES",
        "from mmx.eval.benches.mmcric import draw",
        "from ..generate import generate",
        "from .. import match as m",
        "def f():\n    from mmx.eval.benches.mmcric.draw import draw_match\n",
        "from mmx.eval.benches.mmcric.card import build_card",
        "from ..templates import TEMPLATES",
    ):
        assert violations(source, pkg, "mmcric", gen), source
    for source in (
        "from mmx.eval.benches.mmcric.baseline.readcard import ReadCard",
        "from .tables import read_card",
        "from mmx.eval.metrics import normalize_answer",
        "from mmx.eval.benches.mmcric.phrasings import TEMPLATES",
        "from ..phrasings import TEMPLATES",
        "from mmx.eval.benches.mmcric.wording import WORDS",  # shared wording, not the generator
        "import mmx.eval.benches.mmcric_like.match",  # another bench's name prefix
    ):
        assert not violations(source, pkg, "mmcric", gen), source


def test_every_bench_with_a_baseline_declares_its_generator() -> None:
    found = [p.parent.name for p in _baselines()]
    assert "mmcric" in found  # the scan sees the layout at all
    missing = sorted(set(found) - set(GENERATOR_MODULES))
    assert not missing, f"add the generator modules of {missing} to GENERATOR_MODULES"


@pytest.mark.parametrize("folder", _baselines(), ids=lambda p: p.parent.name)
def test_baselines_never_import_their_generator(folder: Path) -> None:
    bench = folder.parent.name
    generator = GENERATOR_MODULES.get(bench, frozenset())
    for name in generator:  # the declared modules exist, so a rename cannot silence the rule
        assert (folder.parent / f"{name}.py").is_file() or (folder.parent / name).is_dir(), name
    modules = sorted(folder.rglob("*.py"))
    assert modules
    bad = {
        str(path.relative_to(BENCHES.parents[2])): found
        for path in modules
        if (found := violations(path.read_text(encoding="utf-8"), _package(path), bench, generator))
    }
    assert not bad, f"baseline modules import their bench's generator: {bad}"
