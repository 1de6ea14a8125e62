"""Per-answer scores for VQA benches (MMCricBench and others scored by strings).

Three scores, as the public VQA harnesses define them:

- :func:`exact_match` on :func:`normalize_answer` strings (the MMCricBench harness rule);
- :func:`relaxed_match`, ChartQA's relaxed accuracy (numbers within 5% of the gold);
- :func:`anls`, DocVQA's average normalized Levenshtein similarity.

:func:`score_answer` gives all three for one answer.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any

from mmx.text.digits import to_ascii_digits
from mmx.text.distance import edit_distance

__all__ = [
    "anls",
    "exact_match",
    "normalize_answer",
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


# The Arabic decimal and thousands separators (٫ ٬) and the minus sign, read as ASCII;
# digits of every script go through mmx.text.digits first.
_SEPARATORS = str.maketrans({"\u066b": ".", "\u066c": ",", "\u2212": "-"})

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
    text = to_ascii_digits(s).translate(_SEPARATORS)
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
        nl = edit_distance(p, g) / longest if longest else 0.0
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
