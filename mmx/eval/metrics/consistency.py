"""Consistency across the forms of an item: PuMVR's Script Consistency Rate, McNemar's exact
test on correctness for a pair of forms, and Holm's step-down correction across pairs.

An item written in several forms (scripts, romanizations, digit systems) is *right* in a form
when its score there reaches ``threshold`` (1.0 by default: a 0/1 score is right at 1, a share
of images judged correct only when every image is). Forms are paired by item key, as in
:mod:`~mmx.eval.metrics.paired`.

The exact test needs only the binomial distribution, so it is computed here with
:func:`math.comb` on integers (no scipy: the ``eval`` extra does not install it); the tests
check it against ``scipy.stats.binomtest`` and statsmodels' ``mcnemar(exact=True)`` where
those are installed.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

__all__ = ["holm", "holm_adjusted", "mcnemar_exact", "mcnemar_test", "script_consistency_rate"]


def _right(score: Any, threshold: float) -> bool:
    return float(score) >= threshold


def script_consistency_rate(answers_by_item: Mapping[str, Mapping[str, Any]],
                            forms: Iterable[str] | None = None, threshold: float = 1.0) -> float:
    """PuMVR's Script Consistency Rate: the share of items answered correctly in every form.

    Defined by Singh et al., "Not Truly Multilingual: Script Consistency as a Missing Dimension
    in VLM Evaluation" (PuMVR, arXiv 2606.17188) as the percentage of instances answered
    correctly across all scripts simultaneously; their evaluation code counts an instance only
    when it has a result in every script (the ids common to all scripts) and compares each
    script's answer to that script's gold answer, so it is correctness, not the answers
    themselves, that must agree. Here as a fraction in [0, 1].

    ``answers_by_item`` maps an item key to ``{form: correctness}``, where correctness is a
    bool or a score (right when ``>= threshold``); ``None`` marks a form that was not scored.
    ``forms``: the forms every counted item must have (default: every form seen in any item).
    An item missing one of them (or holding ``None`` for it) is left out of both numerator and
    denominator. NaN when no item has every form.
    """
    seen = {f for by_form in answers_by_item.values() for f in by_form}
    need = list(dict.fromkeys(forms)) if forms is not None else sorted(seen)
    if not need:
        return math.nan
    complete = [by_form for by_form in answers_by_item.values()
                if all(by_form.get(f) is not None for f in need)]
    if not complete:
        return math.nan
    return sum(all(_right(by_form[f], threshold) for f in need) for by_form in complete) / len(complete)


def mcnemar_exact(b: int, c: int) -> float:
    """Two-sided exact McNemar p-value for ``b`` and ``c`` discordant pairs.

    ``b``: pairs right in the first form only; ``c``: right in the second only. Under the null
    hypothesis (both forms equally often right) ``b`` is Binomial(b + c, 1/2); the p-value is
    ``min(1, 2 * P(X <= min(b, c)))``, the exact binomial test of McNemar (1947) as in
    statsmodels' ``mcnemar(exact=True)``. Computed on integers and divided once, so it is exact
    to float rounding for any counts. ``b + c == 0``: 1.0 (no evidence either way).
    """
    b, c = int(b), int(c)
    if b < 0 or c < 0:
        raise ValueError(f"discordant counts must be non-negative, got b={b}, c={c}")
    n = b + c
    if n == 0:
        return 1.0
    tail = sum(math.comb(n, k) for k in range(min(b, c) + 1))
    return min(1.0, 2 * tail / 2**n)


def mcnemar_test(a: Mapping[str, Any], b: Mapping[str, Any], threshold: float = 1.0) -> dict[str, Any]:
    """McNemar's exact test on correctness of the same items in two forms, paired by key.

    ``a`` and ``b`` map item keys to a bool or score (right when ``>= threshold``). Returns
    ``b`` (pairs right in ``a`` only), ``c`` (right in ``b`` only), ``n`` (pairs: keys in both)
    and ``p`` (:func:`mcnemar_exact`). No shared key: ``b = c = n = 0`` and ``p = 1.0``.
    """
    keys = sorted(a.keys() & b.keys())
    only_a = sum(_right(a[k], threshold) and not _right(b[k], threshold) for k in keys)
    only_b = sum(_right(b[k], threshold) and not _right(a[k], threshold) for k in keys)
    return {"b": only_a, "c": only_b, "n": len(keys), "p": mcnemar_exact(only_a, only_b)}


def holm_adjusted(pvalues: Mapping[str, float]) -> dict[str, float]:
    """Holm-adjusted p-values: with the ``m`` p-values sorted, ``p_(1) <= ... <= p_(m)``, the
    ``i``-th becomes ``max_{j <= i} min(1, (m - j + 1) * p_(j))`` (Holm 1979; statsmodels'
    ``multipletests(method="holm")``). A hypothesis survives the correction at level ``alpha``
    exactly when its adjusted p-value is ``<= alpha``."""
    for k, p in pvalues.items():
        if not 0.0 <= p <= 1.0:  # also NaN
            raise ValueError(f"p-values must lie in [0, 1], got {k!r}: {p}")
    order = sorted(pvalues, key=lambda k: (pvalues[k], k))
    m = len(order)
    out: dict[str, float] = {}
    running = 0.0
    for i, k in enumerate(order):
        running = max(running, min(1.0, (m - i) * pvalues[k]))
        out[k] = running
    return {k: out[k] for k in pvalues}


def holm(pvalues: Mapping[str, float], alpha: float = 0.05) -> dict[str, bool]:
    """Holm's step-down correction: which hypotheses are rejected with the family-wise error
    rate held at ``alpha``.

    With the ``m`` p-values sorted ascending, reject the ``i``-th (from 1) while
    ``p_(i) <= alpha / (m - i + 1)`` and stop at the first that fails; the rest stand. Returns
    ``{name: rejected}`` (True: the difference survives the correction). Equivalent to
    :func:`holm_adjusted` ``<= alpha``.
    """
    if not 0.0 < alpha < 1.0:
        raise ValueError(f"alpha must lie in (0, 1), got {alpha}")
    return {k: p <= alpha for k, p in holm_adjusted(pvalues).items()}
