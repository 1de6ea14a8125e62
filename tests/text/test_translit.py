"""Tests of mmx.text.translit: romanization of Devanagari names, cross-script matching."""

from __future__ import annotations

import pytest

from mmx.text.translit import name_similarity, romanize, transliterator_available

needs_translit = pytest.mark.skipif(not transliterator_available(), reason="needs indic-transliteration")


@needs_translit
@pytest.mark.parametrize(
    ("deva", "latin"),
    [("राशिद रहमान", "Rashid Rahman"), ("विराट कोहली", "Virat Kohli"), ("रोहित शर्मा", "Rohit Sharma")],
)
def test_romanize_deletes_the_unspoken_schwa(deva: str, latin: str) -> None:
    assert romanize(deva) == latin


def test_romanize_keeps_other_text() -> None:
    assert romanize("India") == "India"
    assert romanize("") == ""


@needs_translit
def test_romanize_keeps_latin_words_of_a_mixed_name() -> None:
    assert romanize("Virat कोहली") == "Virat Kohli"


@needs_translit
def test_name_similarity_matches_across_scripts() -> None:
    cards = ["डेविड मार्करम", "पॉल स्टोक्स", "विराट कोहली"]
    assert max(cards, key=lambda n: name_similarity("Paul Stokes", n)) == "पॉल स्टोक्स"
    assert max(cards, key=lambda n: name_similarity("David Markram", n)) == "डेविड मार्करम"
    assert name_similarity("Virat Kohli", "विराट कोहली") > 90
    assert name_similarity("Virat Kohli", "Virat Kohli") == 100.0
    assert name_similarity("कोहली", "Kohli") == 100.0  # a Devanagari name against a Latin one
    assert name_similarity("कोहली", "कोहली") == 100.0
    assert name_similarity("Virat Kohli", "Rohit Sharma") < 50
