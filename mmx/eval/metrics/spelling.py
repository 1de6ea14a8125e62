"""Transliteration-aware scoring and the kind of each wrong answer.

Strict exact match charges a cross-script subset twice: for misreading the card and for
romanizing a name differently from the gold (``Manish Farnando`` for Manish Fernando,
read right off ``मनीष फ़र्नांडो``). :func:`classify_answer` separates the two: an answer
that strict match rejects is *translit-right* when the gold is a name (it has letters) and
the answer's :func:`~mmx.text.translit.name_key` equals the key of the gold or of one of
its spellings on the card (the card's Devanagari, an item's other scripts). Numbers stay
exact. Every answer gets one :data:`ERROR_KINDS` label.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from mmx.eval.metrics.answers import exact_match, normalize_answer, parse_number
from mmx.text.digits import to_ascii_digits
from mmx.text.translit import name_key

__all__ = ["ERROR_KINDS", "NO_ANSWER", "classify_answer", "translit_match"]

#: an answer's kind, label: right; right but spelled differently (same name key, strict
#: match rejects it); a wrong name, team or word; a wrong number (or time); no answer, or for
#: a number no single number in it
ERROR_KINDS: dict[str, str] = {
    "right": "right", "spelling": "right, spelled differently", "wrong_entity": "wrong entity",
    "wrong_number": "wrong number", "no_answer": "unparsable / no answer"}

_LETTER = re.compile(r"[^\W\d_]")
#: answers that say no answer was found (the ocr-table baseline's fallback is "unknown")
NO_ANSWER: frozenset[str] = frozenset({"", "unknown", "n/a", "not found", "i don't know"})


def _has_letters(s: str) -> bool:
    return bool(_LETTER.search(s))


def translit_match(pred: str, gold: str, spellings: Iterable[str] = ()) -> float:
    """1.0 when ``pred`` is right under exact match, or when ``gold`` is a name (it has
    letters) and ``pred`` shares its :func:`~mmx.text.translit.name_key` with ``gold`` or
    one of ``spellings`` (the name as the card prints it); else 0.0. Numbers stay exact."""
    return 1.0 if classify_answer(pred, gold, spellings=spellings)["error"] in ("right", "spelling") else 0.0


def classify_answer(pred: str, gold: str, *, spellings: Iterable[str] = (),
                    strict: float | None = None) -> dict[str, Any]:
    """The kind of ``pred`` against ``gold``: ``{"translit": 0/1, "error": KIND, "off": x}``.

    ``strict`` is the strict score already given (default: :func:`exact_match`); ``error`` is
    one of :data:`ERROR_KINDS`; ``off`` is ``|pred - gold|`` for a wrong answer to a bare
    number (None otherwise). A gold without letters (a number, a time) is a number: wrong is
    ``wrong_number``, an answer without one number (or without digits) ``no_answer``. A gold
    with letters is a name or word: an empty answer or one of :data:`NO_ANSWER` is ``no_answer``, one with the gold's
    name key (or a spelling's) ``spelling``, any other ``wrong_entity``.
    """
    right = (exact_match(pred, gold) if strict is None else strict) >= 0.5
    if right:
        return {"translit": 1.0, "error": "right", "off": None}
    answer = normalize_answer(str(pred))
    if not _has_letters(to_ascii_digits(gold)):
        g, p = parse_number(normalize_answer(gold), strict=True), parse_number(answer)
        if (g is not None and p is None) or not any(c.isdigit() for c in to_ascii_digits(answer)):
            return {"translit": 0.0, "error": "no_answer", "off": None}
        return {"translit": 0.0, "error": "wrong_number", "off": abs(p - g) if g is not None and p is not None else None}
    if answer in NO_ANSWER:
        return {"translit": 0.0, "error": "no_answer", "off": None}
    key = name_key(answer)
    if key and any(key == name_key(s) for s in (gold, *spellings)):
        return {"translit": 1.0, "error": "spelling", "off": None}
    return {"translit": 0.0, "error": "wrong_entity", "off": None}
