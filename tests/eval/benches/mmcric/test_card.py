"""The printed card: Hindi is Hindi, English is English, digits as asked, the result on the last image only."""

from __future__ import annotations

import re

from mmx.eval.benches.mmcric.card import Card, build_card, scorecard_strings

from .conftest import pages

ASCII_DIGIT = re.compile(r"[0-9]")


def test_devanagari_digits_leave_no_ascii_digit(matches):
    for m in matches.values():
        for page in pages(m):
            strings = scorecard_strings(m, page, "hi", "devanagari")
            assert not [s for s in strings if ASCII_DIGIT.search(s)]
            assert any(re.search("[०-९]", s) for s in strings)
            western = scorecard_strings(m, page, "hi", "western")
            assert len(western) == len(strings)
            assert not [s for s in western if re.search("[०-९]", s)]


def test_hindi_is_hindi_and_english_is_english(matches):
    m = matches["T20"]
    hi = " ".join(scorecard_strings(m, [0, 1], "hi"))
    for term in ("बल्लेबाज़", "गेंदबाज़", "स्ट्राइक रेट", "इकॉनमी", "अतिरिक्त", "कुल", "विकेट पतन", "बनाम",
                 "पहली पारी", "दूसरी पारी", "टी20", "परिणाम"):
        assert term in hi, term
    assert not re.search("[A-Za-z]", hi)
    en = scorecard_strings(m, [0, 1], "en")
    assert not [s for s in en if re.search("[\u0900-\u097f]", s)]
    patterns = re.compile(r"not out|c †?\w+ b \w+|c & b \w+|b \w+|lbw b \w+|run out \(\w+\)|st †\w+ b \w+")
    card = build_card(m, [0, 1], "en", "western")
    assert isinstance(card, Card) and card.strings() == en
    for inn in card.innings:
        for row in inn.bat_rows:
            assert patterns.fullmatch(row[1]), row[1]
            assert re.fullmatch(r"\d+\.\d\d|-", row[6])
        for row in inn.bowl_rows:
            assert re.fullmatch(r"\d+\.\d\d|-", row[5])


def test_test_images_carry_the_header_and_only_the_last_the_result(matches):
    m = matches["Test"]
    last = len(m.innings) - 1
    for k in range(len(m.innings)):
        en = scorecard_strings(m, [k], "en")
        assert any(re.fullmatch(r"\d(st|nd|rd|th) Test", s) for s in en)
        assert any(s.endswith(f"{['1st', '2nd', '3rd', '4th'][k]} innings") or "innings (following on)" in s for s in en)
        assert ("Result:" in en) == (k == last)
        assert ("परिणाम:" in scorecard_strings(m, [k], "hi")) == (k == last)
    fo = next(k for k, i in enumerate(m.innings) if i.follow_on)
    assert any("(फ़ॉलो-ऑन)" in s for s in scorecard_strings(m, [fo], "hi"))
    assert "Result:" in scorecard_strings(matches["ODI"], [0, 1], "en")
