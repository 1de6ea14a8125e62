"""Cell values read off a card: numbers in either digit set, overs notation."""

from __future__ import annotations

import pytest

from mmx.eval.benches.mmcric.baseline.readcard import (
    Bowler,
    ReadCard,
    ReadInnings,
    clean_overs,
    number,
    overs_to_balls,
    to_int,
)


def test_devanagari_digits_are_numbers() -> None:
    assert number("१३३.३३") == pytest.approx(133.33)
    assert number("SR 7,5") == pytest.approx(7.5)
    assert number(None) is None and number("-") is None
    assert to_int("४२/३") == 42
    assert to_int("(८.२ ओवर)") == 8
    assert to_int(None) is None


def test_overs() -> None:
    assert overs_to_balls("१२.३".translate(str.maketrans("०१२३४५६७८९", "0123456789"))) == 75
    assert overs_to_balls("20") == 120
    assert overs_to_balls("4.6") is None and overs_to_balls("") is None and overs_to_balls("x") is None
    assert clean_overs("(१९.० ov") == "19"
    assert clean_overs("8,2") == "8.2"
    assert clean_overs("ov") is None
    assert Bowler("A", overs="3.4").balls == 22


def test_readings_are_kept() -> None:
    inn = ReadInnings()
    inn.note("total", "165")
    inn.note("total", "")
    inn.note("total", "185")
    assert inn.readings == {"total": ["165", "185"]}
    assert ReadCard(innings=[inn]).innings[0] is inn
