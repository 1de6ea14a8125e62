"""What made a run's generated images: ``<out>/images/manifest.json``.

A run that draws images (any ``mmx eval`` run that leaves an ``images/`` folder) writes this
file into that folder, so that whoever scores the folder later, wherever it was copied, can
name the model that drew it instead of guessing (``mmx eval --bench geneval --data
RUN/images`` reads it). It holds the run's identity: bench and its options (``bench_info``,
e.g. GenEval's ``n_images``), model, ``model_args`` and ``model_info``, the data as the bench
described it, split, seed, limit, library versions, git commit and time.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from mmx.textio import write_atomic

__all__ = ["MANIFEST", "read_manifest", "write_manifest"]

MANIFEST = "manifest.json"
#: the results.json fields a manifest keeps (plus limit and bench_args from the run's config)
_FIELDS = ("bench", "bench_version", "bench_info", "model", "model_args", "model_info", "data", "split", "versions",
           "git_sha", "created")


def write_manifest(folder: Path, results: Mapping[str, Any]) -> Path:
    """Write ``folder/manifest.json`` from a run's ``results.json`` content; returns its path."""
    config = results.get("config", {})
    doc = {"made_by": "mmx eval", **{k: results.get(k) for k in _FIELDS},
           "seed": config.get("seed"), "limit": config.get("limit"), "bench_args": config.get("bench_args", {})}
    path = Path(folder) / MANIFEST
    write_atomic(path, json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
    return path


def read_manifest(folder: Path) -> dict[str, Any] | None:
    """The manifest in ``folder``, or None when there is none or it is not one ``mmx eval``
    wrote (another tool's ``manifest.json``, a damaged file): the images are then named by their
    folder, never by a guess."""
    path = Path(folder) / MANIFEST
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None
    if not isinstance(doc, dict) or doc.get("made_by") != "mmx eval" or not isinstance(doc.get("model"), str):
        return None
    return doc
