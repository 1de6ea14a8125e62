"""RapidOCR (PP-OCR detector and PP-OCRv6 small recogniser, shipped inside the
``rapidocr`` wheel, run with onnxruntime): engines made once and reused.

Building an engine loads its onnxruntime sessions (seconds), so each kind of
engine is made once per process and lent to one caller at a time (the
sessions may run concurrently, the wrapper's per-call state may not): callers
running in parallel each get their own, made on first need and kept for later
callers. Nothing here imports rapidocr at module level.

The sessions are made here, with :data:`SESSION`'s options, and handed to RapidOCR
(its ``session`` setting per model): RapidOCR's own configuration sets only thread
counts and the memory arena, and always turns on every graph optimization.
"""

from __future__ import annotations

import contextlib
import functools
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from mmx.errors import InputError, MissingDependencyError

__all__ = ["INSTALL", "KINDS", "SESSION", "engine", "installed", "model_files", "require", "session_settings"]

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

#: onnxruntime session options of every engine, chosen so that a reading does not depend
#: on the machine (docs/mmcric.md, "Reproducibility"). Graph optimizations stop at
#: ``ORT_ENABLE_EXTENDED``: the layout optimizations of ``ORT_ENABLE_ALL`` convert
#: convolutions to a blocked layout whose block is the CPU's vector width (16 floats with
#: AVX-512, 8 with AVX2), which changes the order of their sums. The kernels themselves
#: (MLAS) are still picked by CPU when onnxruntime loads; no option or variable pins
#: them. Thread counts stay per kind (:data:`KINDS`): outputs are bit-identical with 1 to
#: 4 threads (measured), so they only set the speed.
SESSION: dict[str, Any] = {
    "execution_mode": "ORT_SEQUENTIAL",
    "use_deterministic_compute": True,
    "graph_optimization_level": "ORT_ENABLE_EXTENDED",
    "providers": ["CPUExecutionProvider"],
}

_idle: dict[str, list[Any]] = {kind: [] for kind in KINDS}
_lock = threading.Lock()
#: the ONNX model files of the sessions this process made
_models: set[str] = set()


@functools.lru_cache(maxsize=1)
def installed() -> bool:
    """Whether rapidocr and onnxruntime are importable (without importing them)."""
    import importlib.util

    return all(importlib.util.find_spec(m) is not None for m in ("rapidocr", "onnxruntime"))


def require() -> None:
    """Raise :class:`MissingDependencyError` saying how to install RapidOCR, unless it is."""
    if not installed():
        raise MissingDependencyError(f"OCR engine 'rapidocr' is not installed: {INSTALL}")


def session_settings() -> dict[str, Any]:
    """The options every engine's sessions are made with (:data:`SESSION`) and each kind's
    thread counts (-1: onnxruntime's default, one per core), for the record of a run."""
    out: dict[str, Any] = {k: list(v) if isinstance(v, list) else v for k, v in SESSION.items()}
    out["threads"] = {kind: [params.get(f"EngineConfig.onnxruntime.{which}_op_num_threads", -1)
                             for which in ("intra", "inter")] for kind, params in KINDS.items()}
    return out


def model_files() -> list[str]:
    """The ONNX model files the engines of this process loaded, sorted."""
    return sorted(_models)


def _session(path: str, engine_cfg: Any) -> Any:
    """An onnxruntime session for ``path`` with :data:`SESSION`'s options and the engine
    kind's threads and memory arena (RapidOCR's ``EngineConfig.onnxruntime`` settings)."""
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.log_severity_level = 3  # errors only (RapidOCR's own sessions are silent too)
    opts.enable_cpu_mem_arena = bool(engine_cfg.enable_cpu_mem_arena)
    for which in ("intra", "inter"):
        threads = int(engine_cfg.get(f"{which}_op_num_threads", -1))
        if threads > 0:
            setattr(opts, f"{which}_op_num_threads", threads)
    opts.execution_mode = getattr(ort.ExecutionMode, SESSION["execution_mode"])
    opts.use_deterministic_compute = SESSION["use_deterministic_compute"]
    opts.graph_optimization_level = getattr(ort.GraphOptimizationLevel, SESSION["graph_optimization_level"])
    return ort.InferenceSession(path, sess_options=opts, providers=SESSION["providers"])


def _model_path(cfg: Any, task: str) -> str:
    """The model file RapidOCR would load for ``task`` (``Det``, ``Cls``, ``Rec``): its
    ``model_path`` setting, else the default for the configured version, language and
    size (shipped in the rapidocr wheel)."""
    from rapidocr.inference_engine.base import FileInfo, InferSession

    section = cfg[task]
    if section.get("model_path"):
        path = Path(section.model_path)
    else:
        info = InferSession.get_model_url(FileInfo(
            engine_type=section.engine_type, ocr_version=section.ocr_version, task_type=section.task_type,
            lang_type=section.lang_type, model_type=section.model_type))
        path = Path(cfg.Global.model_root_dir) / Path(info["model_dir"]).name
    if not path.is_file():
        raise MissingDependencyError(f"RapidOCR's {task} model {path.name} is missing from {path.parent}; "
                                     f"reinstall it: {INSTALL}")
    return str(path)


def _build(kind: str) -> Any:
    from omegaconf import flag_override
    from rapidocr import RapidOCR

    eng = RapidOCR(params=dict(KINDS[kind]))
    # RapidOCR takes a ready session from a model's ``session`` setting; its settings
    # hold plain values only, hence the flag for this one assignment
    with flag_override(eng.cfg, "allow_objects", True):
        for task in ("Det", "Cls", "Rec"):
            if eng.cfg.Global[f"use_{task.lower()}"]:
                path = _model_path(eng.cfg, task)
                eng.cfg[task].session = _session(path, eng.cfg.EngineConfig.onnxruntime)
                with _lock:
                    _models.add(path)
    return eng


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
