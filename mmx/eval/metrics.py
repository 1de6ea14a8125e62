"""Answer scoring for scorecard VQA (MMCricBench) and the cross-script comparisons.

Three per-answer scores, as the public VQA harnesses define them:

- :func:`exact_match` on :func:`normalize_answer` strings (the MMCricBench harness rule);
- :func:`relaxed_match`, ChartQA's relaxed accuracy (numbers within 5% of the gold);
- :func:`anls`, DocVQA's average normalized Levenshtein similarity.

:func:`score_answer` gives all three for one answer; :class:`ExactMatch`,
:class:`RelaxedAccuracy` and :class:`ANLS` accumulate them as torchmetrics metrics
(distributed-safe, usable in a ``MetricCollection``). :func:`paired_gap`,
:func:`paired_agreement` and :func:`paired_consistency` compare the same items
across two subsets (English vs Hindi scorecards), paired by item key.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import torch
from torchmetrics import Metric

try:
    # rapidfuzz's Levenshtein is a well-kept C++ implementation (bit-parallel, far
    # faster than a Python loop); it ships in the `tokens` extra, so a core install
    # falls back to the plain dynamic programme below, which gives the same numbers.
    from rapidfuzz.distance import Levenshtein as _RfLevenshtein
except ImportError:  # pragma: no cover - exercised only without the extra
    _RfLevenshtein = None

__all__ = [
    "ANLS",
    "ExactMatch",
    "RelaxedAccuracy",
    "anls",
    "exact_match",
    "normalize_answer",
    "paired_agreement",
    "paired_consistency",
    "paired_gap",
    "parse_number",
    "relaxed_match",
    "score_answer",
]


# --------------------------------------------------------------------------- strings


def normalize_answer(s: str) -> str:
    """The MMCricBench harness normalization, and nothing more.

    Lowercase, strip surrounding whitespace, remove ONE trailing ``'.'`` or ``','``,
    strip again. Inner punctuation, articles and inner whitespace are kept, so
    ``"Kohli."`` -> ``"kohli"`` and ``"12,"`` -> ``"12"``, but ``"V. Kohli"`` stays
    ``"v. kohli"``.
    """
    s = s.lower().strip()
    if s.endswith((".", ",")):
        s = s[:-1].strip()
    return s


def exact_match(pred: str, gold: str) -> float:
    """1.0 when the normalized prediction equals the normalized gold, else 0.0."""
    return 1.0 if normalize_answer(pred) == normalize_answer(gold) else 0.0


# --------------------------------------------------------------------------- numbers


class _DigitMap(dict):
    """``str.translate`` table: any Unicode decimal digit (category Nd: Devanagari
    ०-९, Arabic-Indic, Bengali, full-width, ...) to its ASCII digit, filled lazily.

    unicodedata.decimal rather than .digit: .digit also maps superscripts and circled
    digits ('²', '①'), which are not positional digits ("5 m²" is one number).
    """

    def __missing__(self, cp: int) -> str:
        ch = chr(cp)
        value = unicodedata.decimal(ch, None)
        self[cp] = out = ch if value is None else str(value)
        return out


_DIGITS = _DigitMap({0x066B: ".", 0x066C: ",", 0x2212: "-"})  # ٫ ٬ and the minus sign

_NUMBER = re.compile(
    r"""
    (?:(?<!\w)(?P<sign>[-+]))?                     # a sign where no word precedes it
    (?P<int>
        [0-9]{1,3}(?:,[0-9]{3})+(?![0-9])           # 1,234,567
      | [0-9]{1,2}(?:,[0-9]{2})+,[0-9]{3}(?![0-9])  # Indian grouping 12,34,567
      | [0-9]+
      | (?=\.[0-9])                                 # .5
    )
    (?P<frac>\.[0-9]+)?
    (?:\s*(?P<pct>[%\uFF05\u066A]))?                # % ％ ٪
    """,
    re.VERBOSE,
)


def _match_value(m: re.Match[str]) -> float | None:
    text = m["int"].replace(",", "") + (m["frac"] or "")
    value = float(text)
    if m["sign"] == "-":
        value = -value
    if m["pct"]:
        value /= 100.0
    return value if math.isfinite(value) else None


def parse_number(s: str, *, strict: bool = False) -> float | None:
    """The one number in a model answer, or None.

    What counts as a number:

    - digits of any script (every Unicode decimal digit, e.g. Devanagari ``"१२३"``
      -> 123.0, mixed with ASCII ones or not); the Arabic decimal and thousands
      separators (``٫ ٬``) read as ``.`` and ``,``;
    - thousands separators as commas in complete groups: ``"1,234"``,
      ``"1,234,567"`` or Indian ``"12,34,567"``. A comma followed by anything else
      separates two numbers (``"12,15"``, ``"1,2345"``); a decimal comma (``"7,5"``)
      is therefore two numbers, and spaces as thousands separators are not read;
    - an optional sign ``-``, ``+`` or ``−`` (U+2212), only where no letter or
      digit comes right before it (``"T-20"`` is 20, ``"2-3"`` is two numbers);
    - an optional fraction ``".5"``, also with no integer part (``".5"`` -> 0.5);
    - an optional trailing ``%`` (or ``％``, ``٪``), spaces allowed before it: the
      value is divided by 100 as in ChartQA (``"45%"`` -> 0.45).

    With ``strict=False`` (model answers) the number may sit among words, also glued
    to them: ``"42 runs"`` -> 42.0, ``"about 7.5"`` -> 7.5, ``"2nd"`` -> 2.0. When
    the text holds several numbers they must all have the same value (``"42 (42)"``
    -> 42.0); two different values are ambiguous and give None (``"12 or 15"``,
    ``"12-15"``, dates, times, ``"1.2.3"``). With ``strict=True`` (gold answers) the
    whole text, apart from surrounding whitespace, must be one number.

    Not read: number words (``"twelve"``), exponents (``"1e3"`` is 1 and 3), and
    values that overflow a float (None).
    """
    text = s.translate(_DIGITS)
    if strict:
        m = _NUMBER.fullmatch(text.strip())
        return _match_value(m) if m else None
    values = set()
    for m in _NUMBER.finditer(text):
        value = _match_value(m)
        if value is None:
            return None
        values.add(value)
    return values.pop() if len(values) == 1 else None


def _gold_number(gold: str) -> float | None:
    # A gold answer is numeric only when it is a bare number (ChartQA calls
    # float(target)): "5 wickets" or "India won by 5 runs" are matched as strings.
    return parse_number(normalize_answer(gold), strict=True)


def relaxed_match(pred: str, gold: str, tol: float = 0.05) -> float:
    """ChartQA relaxed accuracy for one answer, 1.0 or 0.0.

    When the gold is a bare number (:func:`parse_number` with ``strict=True`` after
    :func:`normalize_answer`), the prediction must contain exactly one number
    (:func:`parse_number`) within ``tol`` of it relatively:
    ``|pred - gold| / |gold| <= tol``; a gold of 0 needs a prediction of exactly 0.
    Otherwise the normalized strings must be equal (case-insensitive exact match).
    Unlike ChartQA, numbers with thousands separators, Unicode digits or words around
    them are read, and a gold of 0 is compared as a number.
    """
    g = _gold_number(gold)
    if g is None:
        return exact_match(pred, gold)
    p = parse_number(pred)
    if p is None:
        return 0.0
    if g == 0.0:
        return 1.0 if p == 0.0 else 0.0
    # The 1e-9 slack absorbs binary rounding only: 1.05 vs gold 1 gives a difference
    # of 0.050000000000000044, which is meant to pass at tol=0.05.
    return 1.0 if abs(p - g) <= tol * abs(g) * (1.0 + 1e-9) else 0.0


# --------------------------------------------------------------------------- ANLS


def _levenshtein_py(a: str, b: str) -> int:
    """Unit-cost edit distance over code points (the fallback for rapidfuzz)."""
    if len(a) < len(b):
        a, b = b, a
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def edit_distance(a: str, b: str) -> int:
    """Unit-cost Levenshtein distance over code points (rapidfuzz when installed)."""
    return _levenshtein(a, b)


def _levenshtein(a: str, b: str) -> int:
    if _RfLevenshtein is not None:
        return int(_RfLevenshtein.distance(a, b))
    return _levenshtein_py(a, b)  # pragma: no cover


def _anls_norm(s: str) -> str:
    return " ".join(s.lower().split())


def anls(pred: str, golds: str | Sequence[str], threshold: float = 0.5) -> float:
    """DocVQA ANLS of one answer against one or several gold answers, in [0, 1].

    Both sides are lowercased and their whitespace folded (``" ".join(s.split())``);
    ``NL = Levenshtein(pred, gold) / max(len(pred), len(gold))`` over code points;
    each gold scores ``1 - NL`` when ``NL < threshold`` and 0 otherwise; the answer
    scores the best gold. Two empty strings score 1, one empty string 0. No other
    normalization (a trailing ``"."`` counts as an edit, as in DocVQA).
    """
    if isinstance(golds, str):
        golds = [golds]
    if len(golds) == 0:
        raise ValueError("anls needs at least one gold answer")
    p = _anls_norm(pred)
    best = 0.0
    for gold in golds:
        g = _anls_norm(gold)
        longest = max(len(p), len(g))
        nl = _levenshtein(p, g) / longest if longest else 0.0
        best = max(best, 1.0 - nl if nl < threshold else 0.0)
    return best


def score_answer(pred: str, gold: str) -> dict[str, Any]:
    """All scores of one prediction against one gold answer.

    Returns ``exact``, ``relaxed`` and ``anls`` (floats in [0, 1]), ``numeric``
    (whether the gold is a bare number, so that ``relaxed`` compared numbers) and
    ``parsed`` (for a numeric gold, whether the prediction held exactly one number;
    True for other golds).
    """
    numeric = _gold_number(gold) is not None
    return {
        "exact": exact_match(pred, gold),
        "relaxed": relaxed_match(pred, gold),
        "anls": anls(pred, gold),
        "numeric": numeric,
        "parsed": parse_number(pred) is not None if numeric else True,
    }


# --------------------------------------------------------------------------- torchmetrics


class _MeanAnswerScore(Metric):
    """Mean of a per-answer score, kept as a sum and a count (summed across ranks).

    Each subclass names its states after itself (``exact_sum``, ``relaxed_sum``, ...):
    a ``MetricCollection`` merges metrics whose states have the same names and values
    after the first batch into one compute group, and metrics with shared names would
    then silently share one state although they score differently.
    """

    is_differentiable = False
    higher_is_better = True
    full_state_update = False
    plot_lower_bound = 0.0
    plot_upper_bound = 1.0

    _state: str  # set by subclasses

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        # float64: sums of many fractional scores stay exact to well below 1e-9.
        self.add_state(
            f"{self._state}_sum", torch.tensor(0.0, dtype=torch.float64), dist_reduce_fx="sum"
        )
        self.add_state(
            f"{self._state}_count", torch.tensor(0, dtype=torch.long), dist_reduce_fx="sum"
        )

    def _score(self, pred: str, target: Any) -> float:
        raise NotImplementedError

    def update(self, preds: Sequence[str], targets: Sequence[Any]) -> None:
        """Add one batch of predictions and their gold answers."""
        if isinstance(preds, str) or isinstance(targets, str):
            raise TypeError("preds and targets are lists of strings, not single strings")
        if len(preds) != len(targets):
            raise ValueError(f"{len(preds)} predictions but {len(targets)} targets")
        total = sum(self._score(p, t) for p, t in zip(preds, targets))
        s = getattr(self, f"{self._state}_sum")
        c = getattr(self, f"{self._state}_count")
        setattr(self, f"{self._state}_sum", s + total)
        setattr(self, f"{self._state}_count", c + len(preds))

    def compute(self) -> torch.Tensor:
        """The mean score; NaN when nothing was added."""
        s = getattr(self, f"{self._state}_sum")
        c = getattr(self, f"{self._state}_count")
        if int(c) == 0:
            return torch.tensor(float("nan"), dtype=torch.float64, device=s.device)
        return s / c


class ExactMatch(_MeanAnswerScore):
    """Mean :func:`exact_match` (the MMCricBench harness accuracy)."""

    _state = "exact"

    def _score(self, pred: str, target: str) -> float:
        return exact_match(pred, target)


class RelaxedAccuracy(_MeanAnswerScore):
    """Mean :func:`relaxed_match` (ChartQA relaxed accuracy, ``tol`` 5% by default)."""

    _state = "relaxed"

    def __init__(self, tol: float = 0.05, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.tol = tol

    def _score(self, pred: str, target: str) -> float:
        return relaxed_match(pred, target, tol=self.tol)


class ANLS(_MeanAnswerScore):
    """Mean :func:`anls`; a target may be one gold string or a list of golds."""

    _state = "anls"

    def __init__(self, threshold: float = 0.5, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.threshold = threshold

    def _score(self, pred: str, target: str | Sequence[str]) -> float:
        return anls(pred, target, threshold=self.threshold)


# --------------------------------------------------------------------------- pairs

# Resamples x pairs drawn per numpy call: bounds the index array to ~32 MiB.
_BOOT_CHUNK_ELEMS = 1 << 22


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
    rng = np.random.default_rng(seed)
    rows = max(1, _BOOT_CHUNK_ELEMS // n)
    means = np.empty(n_boot, dtype=np.float64)
    for start in range(0, n_boot, rows):
        stop = min(n_boot, start + rows)
        idx = rng.integers(0, n, size=(stop - start, n))
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
