"""Tests of mmx.eval.metrics.spelling: transliteration-aware match and the kind of each answer."""

from __future__ import annotations

import pytest

from mmx.eval.metrics import ERROR_KINDS, classify_answer, translit_match
from mmx.text.translit import transliterator_available


@pytest.mark.skipif(not transliterator_available(), reason="needs indic-transliteration")
def test_a_romanization_of_the_cards_devanagari_is_right_but_spelled_differently() -> None:
    got = classify_answer("Manish Farnando", "Manish Fernando", spellings=["मनीष फ़र्नांडो"])
    assert got == {"translit": 1.0, "error": "spelling", "off": None}
    assert translit_match("Kris Braun", "Chris Brown", ["क्रिस ब्राउन"]) == 1.0
    # without the card's spelling the English keys still agree for these two
    assert translit_match("Kris Braun", "Chris Brown") == 1.0


@pytest.mark.parametrize(("pred", "gold", "kind", "off"), [
    ("Rahul Sharma.", "Rahul Sharma", "right", None),
    ("Manish Perera", "Manish Fernando", "wrong_entity", None),
    ("Joe Wright", "Joe Root", "wrong_entity", None),
    ("", "Joe Root", "no_answer", None),
    ("Unknown.", "Joe Root", "no_answer", None),  # the ocr-table baseline's fallback
    ("45", "42", "wrong_number", 3.0),
    ("38 runs", "42", "wrong_number", 4.0),
    ("12 or 15", "42", "no_answer", None),
    ("unknown", "42", "no_answer", None),
    ("14:10", "14:05", "wrong_number", None),
    ("caught", "caught", "right", None),
    ("bowled", "caught", "wrong_entity", None),
])
def test_every_answer_gets_one_kind(pred: str, gold: str, kind: str, off: float | None) -> None:
    got = classify_answer(pred, gold)
    assert got["error"] == kind and got["off"] == off
    assert kind in ERROR_KINDS
    assert got["translit"] == (1.0 if kind in ("right", "spelling") else 0.0)


def test_numbers_stay_exact_and_a_given_strict_score_is_kept() -> None:
    assert translit_match("42.0", "42") == 0.0  # exact match rejects it, and numbers have no spellings
    assert classify_answer("Rahul", "राहुल", strict=1.0)["error"] == "right"  # the bench's own strict score
    assert classify_answer("Raahul", "राहुल", strict=0.0, spellings=["Rahul"])["error"] == "spelling"
