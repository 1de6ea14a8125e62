"""The scorecard wording: both languages have every label; ordinals, innings names and results read right."""

from __future__ import annotations

import pytest

from mmx.eval.benches.mmcric.wording import (
    FORMATS_HI,
    INNINGS_HI,
    LANGS,
    WORDS,
    innings_name,
    match_label,
    ordinal,
    result_text,
)


def test_every_language_has_every_label():
    assert set(WORDS) == set(LANGS)
    assert set(WORDS["en"]) == set(WORDS["hi"])
    assert all(v for lang in LANGS for v in WORDS[lang].values())


@pytest.mark.parametrize(("n", "want"), [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (11, "11th"),
                                         (12, "12th"), (13, "13th"), (21, "21st"), (22, "22nd"), (111, "111th")])
def test_ordinal(n, want):
    assert ordinal(n) == want


def test_labels_and_innings_names():
    assert match_label(2, "ODI", "en") == "2nd ODI"
    assert match_label(2, "ODI", "hi") == "दूसरा " + FORMATS_HI["ODI"]
    assert match_label(9, "Test", "hi") == "9वां टेस्ट"
    assert [innings_name(k, "en") for k in (1, 4)] == ["1st innings", "4th innings"]
    assert [innings_name(k, "hi") for k in range(1, 5)] == list(INNINGS_HI)


def test_results():
    assert result_text("wickets", "India", 1, "en") == "India won by 1 wicket"
    assert result_text("wickets", "India", 7, "en") == "India won by 7 wickets"
    assert result_text("runs", "India", 1, "en") == "India won by 1 run"
    assert result_text("innings", "India", 24, "en") == "India won by an innings and 24 runs"
    assert result_text("wickets", "भारत", 7, "hi") == "भारत 7 विकेट से जीता"
    assert result_text("runs", "भारत", 12, "hi") == "भारत 12 रन से जीता"
    assert result_text("innings", "भारत", 24, "hi") == "भारत एक पारी और 24 रन से जीता"
    with pytest.raises(KeyError):
        result_text("draw", "India", 0, "en")
