"""Load a script of benchmarks/, experiments/ or figures/ as a module, so tests call its functions."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]


def load_script(relpath: str) -> ModuleType:
    """The script at ``relpath`` (from the repository root, e.g. ``benchmarks/visual_text_eval.py``),
    executed as a fresh module named after its file."""
    path = ROOT / relpath
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None, f"cannot load {relpath}"
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
