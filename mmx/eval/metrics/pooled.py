"""Pooled rates over items with a bootstrap interval: a character error rate over lines.

A pooled rate is ``sum(numerators) / sum(denominators)`` (edits over reference
characters), so long lines weigh more than short ones, as in
:func:`mmx.text.distance.pooled_cer`. :func:`pooled_rate` resamples the items
(lines), not the characters: characters of one line are not independent, so an
interval over characters would be too narrow.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from mmx.eval.metrics.paired import bootstrap_chunks

__all__ = ["pooled_rate"]


def pooled_rate(
    numerators: Sequence[float],
    denominators: Sequence[float],
    n_boot: int = 2000,
    seed: int = 0,
    alpha: float = 0.05,
) -> dict[str, float | int]:
    """``sum(numerators) / sum(denominators)`` with a percentile bootstrap interval over items.

    Item ``i`` contributes ``numerators[i]`` over ``denominators[i]`` (a line's edits
    over its reference length). Returns ``rate``, ``lo`` and ``hi`` (the ``alpha/2``
    and ``1 - alpha/2`` percentiles of the pooled rate over ``n_boot`` resamples of
    the items with replacement, drawn from ``numpy.random.default_rng(seed)``) and
    ``n`` (the number of items). The same inputs and seed give the same numbers.
    No items: NaN and ``n`` 0.
    """
    if n_boot < 1:
        raise ValueError(f"n_boot must be at least 1, got {n_boot}")
    if not 0.0 < alpha < 1.0:
        raise ValueError(f"alpha must lie in (0, 1), got {alpha}")
    num = np.asarray(numerators, dtype=np.float64)
    den = np.asarray(denominators, dtype=np.float64)
    if num.shape != den.shape or num.ndim != 1:
        raise ValueError(f"numerators and denominators must be two lists of one length, got {num.shape} and {den.shape}")
    n = int(num.size)
    if n == 0:
        return {"rate": math.nan, "lo": math.nan, "hi": math.nan, "n": 0}
    if not (np.all(np.isfinite(num)) and np.all(np.isfinite(den)) and np.all(den > 0)):
        raise ValueError("pooled_rate needs finite numerators and positive denominators")
    rates = np.empty(n_boot, dtype=np.float64)
    for start, stop, idx in bootstrap_chunks(n, n_boot, seed):
        rates[start:stop] = num[idx].sum(axis=1) / den[idx].sum(axis=1)
    lo, hi = np.percentile(rates, [100.0 * alpha / 2.0, 100.0 * (1.0 - alpha / 2.0)])
    return {"rate": float(num.sum() / den.sum()), "lo": float(lo), "hi": float(hi), "n": n}
