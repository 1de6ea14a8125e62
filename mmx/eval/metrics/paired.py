"""Paired comparisons: the same items scored on two sides (English vs Hindi scorecards).

Items are paired by key (the item number shared by ``english-single-25`` and
``hindi-single-25``): :func:`paired_gap` is the mean difference with a bootstrap
interval, :func:`paired_agreement` whether the answers agree, and
:func:`paired_consistency` whether correctness agrees.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from typing import Any

import numpy as np

from mmx.eval.metrics.answers import normalize_answer

__all__ = ["paired_agreement", "paired_consistency", "paired_gap"]

# Resamples x pairs drawn per numpy call: bounds the index array to ~32 MiB.
_BOOT_CHUNK_ELEMS = 1 << 22


def bootstrap_chunks(n: int, n_boot: int, seed: int) -> Iterator[tuple[int, int, np.ndarray]]:
    """``(start, stop, idx)``: resamples ``start..stop`` of ``n_boot``, each ``n`` indices drawn
    with replacement from ``range(n)``, in chunks whose index array stays near 32 MiB. One
    seeded stream, so the same ``(n, n_boot, seed)`` always gives the same resamples."""
    rng = np.random.default_rng(seed)
    rows = max(1, _BOOT_CHUNK_ELEMS // n)
    for start in range(0, n_boot, rows):
        stop = min(n_boot, start + rows)
        yield start, stop, rng.integers(0, n, size=(stop - start, n))


def _paired_keys(a: Mapping[str, Any], b: Mapping[str, Any]) -> list[str]:
    # Sorted so that results never depend on the mappings' insertion order.
    return sorted(a.keys() & b.keys())


def paired_gap(
    a: Mapping[str, float],
    b: Mapping[str, float],
    n_boot: int = 2000,
    seed: int = 0,
    alpha: float = 0.05,
) -> dict[str, float | int]:
    """Mean paired difference ``a - b`` with a percentile bootstrap interval.

    Pairs are the keys present in both mappings (e.g. the item number shared by
    ``english-single-25`` and ``hindi-single-25``, mapped to each side's score).
    Returns ``gap`` (mean of ``a[k] - b[k]``), ``lo`` and ``hi`` (the ``alpha/2`` and
    ``1 - alpha/2`` percentiles of the gap over ``n_boot`` resamples of the pairs
    with replacement, drawn from ``numpy.random.default_rng(seed)``) and ``n`` (the
    number of pairs). The same inputs and seed give the same numbers. No pairs:
    ``gap``, ``lo`` and ``hi`` are NaN and ``n`` is 0.
    """
    if n_boot < 1:
        raise ValueError(f"n_boot must be at least 1, got {n_boot}")
    if not 0.0 < alpha < 1.0:
        raise ValueError(f"alpha must lie in (0, 1), got {alpha}")
    keys = _paired_keys(a, b)
    n = len(keys)
    if n == 0:
        return {"gap": math.nan, "lo": math.nan, "hi": math.nan, "n": 0}
    diffs = np.array([a[k] for k in keys], dtype=np.float64) - np.array(
        [b[k] for k in keys], dtype=np.float64
    )
    if not np.all(np.isfinite(diffs)):
        raise ValueError("paired_gap needs finite scores on both sides")
    means = np.empty(n_boot, dtype=np.float64)
    for start, stop, idx in bootstrap_chunks(n, n_boot, seed):
        means[start:stop] = diffs[idx].mean(axis=1)
    lo, hi = np.percentile(means, [100.0 * alpha / 2.0, 100.0 * (1.0 - alpha / 2.0)])
    return {"gap": float(diffs.mean()), "lo": float(lo), "hi": float(hi), "n": n}


def paired_agreement(a: Mapping[str, str], b: Mapping[str, str]) -> float:
    """Fraction of paired keys whose predictions are equal after :func:`normalize_answer`.

    Measures whether a model answers the same on both scripts, right or wrong; NaN
    when no key is shared.
    """
    keys = _paired_keys(a, b)
    if not keys:
        return math.nan
    return sum(normalize_answer(a[k]) == normalize_answer(b[k]) for k in keys) / len(keys)


def paired_consistency(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """Fraction of paired keys where correctness (score >= 0.5) agrees on both sides.

    Both right or both wrong counts as consistent; NaN when no key is shared.
    """
    keys = _paired_keys(a, b)
    if not keys:
        return math.nan
    return sum((a[k] >= 0.5) == (b[k] >= 0.5) for k in keys) / len(keys)
