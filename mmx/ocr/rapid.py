"""RapidOCR (PP-OCR detector and PP-OCRv6 small recogniser, shipped inside the
``rapidocr`` wheel, run with onnxruntime): engines made once and reused.

Building an engine loads its onnxruntime sessions (seconds), so each kind of
engine is made once per process and lent to one caller at a time (the
sessions may run concurrently, the wrapper's per-call state may not): callers
running in parallel each get their own, made on first need and kept for later
callers. Nothing here imports rapidocr at module level.
"""

from __future__ import annotations

import contextlib
import functools
import threading
from collections.abc import Iterator
from typing import Any

from mmx.errors import InputError, MissingDependencyError

__all__ = ["INSTALL", "KINDS", "engine", "installed", "require"]

INSTALL = "pip install rapidocr onnxruntime"

#: engine settings by use
KINDS: dict[str, dict[str, Any]] = {
    # one rendered text line, cropped and scaled by the caller (mmx.ocr.lines)
    "line": {
        "Global.log_level": "error",
        # the default pre-processing would shrink anything wider than 2000 px and
        # pad short crops
        "Global.use_preprocess_img": False,
        "Global.use_det": False,
        "Global.use_cls": False,
        "Global.text_score": 0.0,
    },
    # whole pages: detection, then many small crops (table cells)
    "page": {
        "Global.log_level": "error",
        "Global.use_cls": False,
        # no 320 px minimum width per crop: a one-digit cell costs a sixth of
        # the default (same readings on the scorecards measured)
        "Rec.rec_img_shape": [3, 48, 48],
        "Rec.rec_batch_num": 8,
        # callers parallelise over pages; one thread per engine keeps cores free
        "EngineConfig.onnxruntime.intra_op_num_threads": 1,
        "EngineConfig.onnxruntime.inter_op_num_threads": 1,
        # the memory arena: a sixth of the page faults of fresh buffers per call
        "EngineConfig.onnxruntime.enable_cpu_mem_arena": True,
    },
}

_idle: dict[str, list[Any]] = {kind: [] for kind in KINDS}
_lock = threading.Lock()


@functools.lru_cache(maxsize=1)
def installed() -> bool:
    """Whether rapidocr and onnxruntime are importable (without importing them)."""
    import importlib.util

    return all(importlib.util.find_spec(m) is not None for m in ("rapidocr", "onnxruntime"))


def require() -> None:
    """Raise :class:`MissingDependencyError` saying how to install RapidOCR, unless it is."""
    if not installed():
        raise MissingDependencyError(f"OCR engine 'rapidocr' is not installed: {INSTALL}")


def _build(kind: str) -> Any:
    from rapidocr import RapidOCR

    return RapidOCR(params=dict(KINDS[kind]))


@contextlib.contextmanager
def engine(kind: str = "line") -> Iterator[Any]:
    """Borrow a ``RapidOCR`` engine of ``kind`` (see :data:`KINDS`) for one call or a few."""
    if kind not in KINDS:
        raise InputError(f"unknown RapidOCR engine kind {kind!r}; choose from {', '.join(KINDS)}")
    require()
    with _lock:
        eng = _idle[kind].pop() if _idle[kind] else None
    if eng is None:
        eng = _build(kind)
    try:
        yield eng
    finally:
        with _lock:
            _idle[kind].append(eng)
