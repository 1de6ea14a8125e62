"""What can change an OCR reading, for the record of a run (``results.json``'s ``environment``).

The same code and data read the same only where the engines, their model files,
their settings and the CPU kernels they pick agree. :func:`describe` lists them:

* ``cpu``: the processor's model name and the instruction sets that choose kernels
  (onnxruntime's MLAS picks AVX-512, AVX2 or SSE code when it loads, and cannot be
  told otherwise);
* ``versions``: rapidocr, onnxruntime, tesserocr, numpy, Pillow and OpenCV (the
  engines' pre- and post-processing), and the libtesseract and leptonica tesserocr
  runs (read from the library, which may differ from the ``tesseract`` command's);
* ``settings``: what :mod:`mmx.ocr.rapid` and :mod:`mmx.ocr.tesseract` pin so that a
  reading does not depend on the machine (ONNX Runtime session options; tesseract's
  dot-product code and OpenMP thread limit, as in effect in this process);
* ``files``: SHA-256 of the model and language files the engines of this process
  loaded (RapidOCR's ONNX models, tesseract's ``*.traineddata``).

Cheap to call after a run (it hashes a few tens of MB at most). A missing engine
leaves its entries None or absent, and a file that cannot be read is recorded as
None: the record never fails a run.
"""

from __future__ import annotations

import functools
import hashlib
import platform
from pathlib import Path
from typing import Any

from mmx.ocr import rapid, tesseract

__all__ = ["CPU_FLAGS", "cpu", "describe", "file_hashes", "parse_cpuinfo", "sha256", "versions"]

#: /proc/cpuinfo flags that select SIMD kernels in onnxruntime (MLAS), tesseract and numpy
CPU_FLAGS = (
    "sse2", "ssse3", "sse4_1", "sse4_2", "avx", "f16c", "fma", "avx2", "avx_vnni",
    "avx512f", "avx512dq", "avx512cd", "avx512bw", "avx512vl", "avx512_vnni", "avx512_bf16",
    "avx512_fp16", "amx_tile", "amx_bf16", "amx_int8",
)


@functools.lru_cache(maxsize=1)
def cpu() -> dict[str, Any]:
    """The machine, the CPU's model name and which of :data:`CPU_FLAGS` it has.

    ``model`` and ``flags`` are read from ``/proc/cpuinfo`` (Linux); elsewhere they are
    None (``machine`` still says what :mod:`platform` knows).
    """
    try:
        text = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        text = ""
    return {"machine": platform.machine(), **parse_cpuinfo(text)}


def parse_cpuinfo(text: str) -> dict[str, Any]:
    """``{"model": ..., "flags": [...]}`` from the text of ``/proc/cpuinfo`` (its first
    processor): x86 flags limited to :data:`CPU_FLAGS`, in that order; Arm's ``Features``
    all, sorted. None for what the text does not hold."""
    model: str | None = None
    flags: list[str] | None = None
    for line in text.splitlines():
        key, _, value = line.partition(":")
        key = key.strip()
        if key in ("model name", "Model") and model is None:
            model = value.strip()
        elif key in ("flags", "Features") and flags is None:
            have = set(value.split())
            flags = [f for f in CPU_FLAGS if f in have] if key == "flags" else sorted(have)
    return {"model": model, "flags": flags}


def versions() -> dict[str, str | None]:
    """Versions of the OCR engines and the libraries they run (None where missing)."""
    import importlib.metadata as md

    out: dict[str, str | None] = {}
    # RapidOCR's pre- and post-processing runs on numpy and OpenCV; the cards pass through Pillow
    for dist in ("rapidocr", "onnxruntime", "tesserocr", "numpy", "pillow"):
        try:
            out[dist] = md.version(dist)
        except md.PackageNotFoundError:
            out[dist] = None
    out["opencv"] = None  # cv2 comes from any of OpenCV's distributions
    for dist in ("opencv-python-headless", "opencv-python", "opencv-contrib-python-headless", "opencv-contrib-python"):
        try:
            out["opencv"] = f"{md.version(dist)} ({dist})"
            break
        except md.PackageNotFoundError:
            continue
    out.update(tesseract.library_versions())
    return out


@functools.lru_cache(maxsize=64)
def _digest(path: str, size: int, mtime_ns: int) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def sha256(path: str | Path) -> str:
    """The SHA-256 of a file (hex), cached per path, size and modification time."""
    st = Path(path).stat()
    return _digest(str(Path(path).resolve()), st.st_size, st.st_mtime_ns)


def file_hashes() -> dict[str, str | None]:
    """``{"rapidocr/<model>.onnx": sha256, "tessdata/<pack>.traineddata": sha256}`` for the
    files the engines of this process loaded."""
    out: dict[str, str | None] = {}
    for prefix, paths in (("rapidocr", rapid.model_files()), ("tessdata", tesseract.loaded_files())):
        for path in paths:
            try:
                out[f"{prefix}/{Path(path).name}"] = sha256(path)
            except OSError:  # moved or removed since it was loaded
                out[f"{prefix}/{Path(path).name}"] = None
    return dict(sorted(out.items()))


def describe() -> dict[str, Any]:
    """Everything here that can change an OCR reading (see the module docstring)."""
    return {
        "cpu": cpu(),
        "versions": versions(),
        "settings": {"onnxruntime": rapid.session_settings(), "tesseract": tesseract.settings()},
        "files": file_hashes(),
    }
