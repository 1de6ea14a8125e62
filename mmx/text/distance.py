"""Edit distance and character error rate: the one definition mmx scores reading with.

Distances are unit-cost Levenshtein (insertions, deletions and substitutions each
count 1) over Unicode code points, computed by rapidfuzz, a well-kept C++
implementation (bit-parallel: thousands of long lines score in milliseconds, where a
Python dynamic programme takes seconds).

Character error rate (CER), as :func:`cer` defines it::

    CER = edit_distance(ref, hyp) / max(1, len(ref))

after both strings are normalised: NFC, and whitespace runs folded to one space and
stripped (``ignore_spaces=True``: all whitespace removed). So an empty reference
gives the number of hypothesis characters (0.0 when both are empty), never a
division by zero, and the rate exceeds 1 when the hypothesis is much longer than the
reference. :func:`pooled_cer` is the rate over many lines together (total edits over
total reference length), the figure a corpus or a test set reports.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from rapidfuzz.distance import Levenshtein

from mmx.errors import InputError

__all__ = ["cer", "cer_counts", "edit_distance", "pooled_cer"]


def edit_distance(a: str, b: str) -> int:
    """Unit-cost Levenshtein distance between ``a`` and ``b`` over code points.

    No normalisation: ``"é"`` (one code point) and ``"e\\u0301"`` (two) are 2 edits
    apart; ``edit_distance("kitten", "sitting") == 3``.
    """
    return int(Levenshtein.distance(a, b))


def _normalise(text: str, ignore_spaces: bool) -> str:
    text = unicodedata.normalize("NFC", text)
    if ignore_spaces:
        return "".join(text.split())
    return " ".join(text.split())


def cer_counts(reference: str, hypothesis: str | None, ignore_spaces: bool = False) -> tuple[int, int]:
    """``(edits, length)`` of one line: :func:`cer` is ``edits / max(1, length)``.

    Both counts are taken on the normalised strings (see the module docstring); a
    None hypothesis (no reader ran) counts as empty. Raises
    :class:`~mmx.errors.InputError` when either side is not a string.
    """
    if not isinstance(reference, str) or not isinstance(hypothesis, (str, type(None))):
        raise InputError(
            f"cer() compares strings, got {type(reference).__name__} and {type(hypothesis).__name__}"
        )
    ref = _normalise(reference, ignore_spaces)
    hyp = _normalise(hypothesis or "", ignore_spaces)
    return edit_distance(ref, hyp), len(ref)


def cer(reference: str, hypothesis: str | None, ignore_spaces: bool = False) -> float:
    """Character error rate of ``hypothesis`` against ``reference``.

    ``edit_distance(ref, hyp) / max(1, len(ref))`` on the normalised strings: NFC,
    whitespace runs folded to one space and stripped, or with ``ignore_spaces`` (for
    scripts written without spaces: Chinese, Japanese, Thai) all whitespace removed,
    so spaces a reader inserts or drops between characters do not count. A None
    hypothesis counts as empty. An empty reference gives ``len(hyp)`` (0.0 when the
    hypothesis is empty too); the rate exceeds 1 when the hypothesis is much longer
    than the reference. ``cer("kitten", "sitting") == 0.5``.
    """
    edits, length = cer_counts(reference, hypothesis, ignore_spaces)
    return edits / max(1, length)


def pooled_cer(pairs: Iterable[tuple[str, str | None]], ignore_spaces: bool = False) -> float:
    """Character error rate of many ``(reference, hypothesis)`` lines together.

    ``sum(edits) / sum(max(1, len(ref)))`` over the lines (normalised as in
    :func:`cer`), so long lines weigh more than short ones, unlike the mean of
    per-line rates. NaN when there are no lines.
    """
    edits = length = 0
    for reference, hypothesis in pairs:
        e, n = cer_counts(reference, hypothesis, ignore_spaces)
        edits += e
        length += max(1, n)
    return edits / length if length else float("nan")
