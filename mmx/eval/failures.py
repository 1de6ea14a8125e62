"""Samples whose requests failed for good: never scored, never lost.

An adapter that talks to a server (``--model openai``) raises
:class:`~mmx.errors.RequestsFailed` when some requests of a batch still fail after their
retries. The runner then asks the batch again sample by sample under the exception's
``replay()`` (the adapter answers from memory: nothing is sent twice) and writes only the
answered samples to ``samples.jsonl``; the failed ones are kept out, so the same command run
again asks for exactly them. ``results.json`` lists them with their reasons (``failed``),
marks the metrics ``partial`` and ``mmx eval`` exits non-zero while any remain.

Under ``torchrun`` each rank writes its failures to ``parts/failed-rNNNNN.json`` and, for an
adapter that keeps accounts (``usage()``: requests, tokens, cost), its accounts to
``parts/usage-rNNNNN.json``; rank 0 reads and removes them when it aggregates, so
``results.json`` lists every rank's failures and sums every rank's usage.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from mmx.errors import RequestsFailed
from mmx.textio import write_atomic

__all__ = ["collect", "collect_usage", "predict_each", "save", "save_usage", "sum_usage", "summarize"]

PARTS = "parts"
_PATTERN = "failed-r*.json"
_USAGE = "usage-r*.json"


def predict_each(b: Any, adapter: Any, batch: Sequence[Any], ctx: Any, exc: RequestsFailed
                 ) -> tuple[list[Any], list[Any], dict[str, str]]:
    """``batch`` asked again one sample at a time under ``exc.replay()``: the answered samples,
    their outputs, and the failed samples' reasons by sample key."""
    kept: list[Any] = []
    outputs: list[Any] = []
    failed: dict[str, str] = {}
    with exc.replay():
        for s in batch:
            try:
                out = b.predict(adapter, [s], ctx)
            except RequestsFailed as again:
                failed[s.key] = next(iter(again.failures.values()), str(again))
                continue
            kept.append(s)
            outputs.extend(out)
    return kept, outputs, failed


def save(out: Path, rank: int, failed: dict[str, str]) -> None:
    """Write this rank's failures (sample key -> reason) for rank 0, whole or not at all."""
    _write_part(out / PARTS / f"failed-r{rank:05d}.json", failed)


def save_usage(out: Path, rank: int, usage: dict[str, Any]) -> None:
    """Write this rank's adapter accounts for rank 0, whole or not at all."""
    _write_part(out / PARTS / f"usage-r{rank:05d}.json", usage)


def _write_part(path: Path, obj: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, json.dumps(obj, ensure_ascii=False))  # rank 0 never reads half a file


def collect_usage(out: Path) -> list[dict[str, Any]]:
    """Every rank's accounts of this run (rank order), read and removed."""
    found: list[dict[str, Any]] = []
    for path in sorted((out / PARTS).glob(_USAGE)):
        with contextlib.suppress(OSError, ValueError):  # a torn file: that rank's accounts are lost, not guessed
            found.append(json.loads(path.read_text(encoding="utf-8")))
        path.unlink(missing_ok=True)
    return found


def sum_usage(parts: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The ranks' accounts as one: numbers summed (requests, tokens, cost), lists joined,
    anything else (prices) taken from the first rank that has it; ``ranks`` says how many."""
    total: dict[str, Any] = {}
    for part in parts:
        for key, value in part.items():
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                total[key] = total.get(key, 0) + value
            elif isinstance(value, list):
                total[key] = total.get(key, []) + value
            else:
                total.setdefault(key, value)
    for key in ("cost", "cost_saved_by_cache"):
        if key in total:  # float sums of per-rank roundings: round as one rank would
            total[key] = round(total[key], 6)
    total["ranks"] = len(parts)
    return total


def collect(out: Path) -> dict[str, str]:
    """Every rank's failures of this run, read and removed (``parts/`` too when left empty)."""
    folder = out / PARTS
    found: dict[str, str] = {}
    for path in sorted(folder.glob(_PATTERN)):
        with contextlib.suppress(OSError, ValueError):  # a torn file: its samples keep a generic reason
            found.update(json.loads(path.read_text(encoding="utf-8")))
        path.unlink(missing_ok=True)
    if folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
    return found


def summarize(samples: Sequence[Any], done: dict[str, Any], reasons: dict[str, str]) -> tuple[dict[str, Any], list[str]]:
    """The ``results.json`` fields ``partial``, ``n_failed`` and ``failed`` (one entry per
    selected sample without a record, with its reason), and the note to print first."""
    missing = [s for s in samples if s.key not in done]
    fields: dict[str, Any] = {
        "partial": bool(missing), "n_failed": len(missing),
        "failed": [{"id": s.id, "split": s.split,
                    "reason": reasons.get(s.key, "not scored (its run stopped before it); rerun to score it")}
                   for s in missing],
    }
    if not missing:
        return fields, []
    first = fields["failed"][0]
    note = (f"PARTIAL: {len(missing)} of {len(samples)} samples have no answer (first: {first['id']}: "
            f"{first['reason']}); the metrics cover the other {len(samples) - len(missing)}. "
            "Run the same command again to ask for exactly those")
    return fields, [note]
