"""Scorecard drawing: every look and language draws, deterministically, with the right strings."""

from __future__ import annotations

import io
import itertools
import random
import re

import numpy as np
import pytest
from PIL import Image

from mmx.eval.benches.mmcric import draw
from mmx.eval.benches.mmcric.draw import (
    DIGITS,
    LANGS,
    TEMPLATES,
    draw_scorecard,
    encode_png,
    scorecard_strings,
)
from mmx.eval.benches.mmcric.match import simulate_match

ASCII_DIGIT = re.compile(r"[0-9]")


def _test_match():
    """A Test with a follow-on and a declaration (seed found by search; the model is deterministic)."""
    for seed in range(16, 400):
        m = simulate_match(random.Random(seed), "Test")
        if any(i.follow_on for i in m.innings) and len(m.innings) >= 3:
            return m
    raise AssertionError("no follow-on Test found")


@pytest.fixture(scope="module")
def matches():
    return {
        "T20": simulate_match(random.Random(1), "T20"),
        "ODI": simulate_match(random.Random(2), "ODI"),
        "Test": _test_match(),
    }


def _pages(m):
    return [[0, 1]] if m.format != "Test" else [[len(m.innings) - 1]]


def test_every_template_language_and_digits_draws(matches):
    assert len(TEMPLATES) >= 3
    for fmt, m in matches.items():
        for template, lang, digits in itertools.product(TEMPLATES, LANGS, DIGITS):
            for page in _pages(m):
                img = draw_scorecard(m, page, template, lang, digits)
                assert img.mode == "RGB"
                assert 880 <= img.width <= 1100, (fmt, template, img.size)
                assert 300 <= img.height <= 2400, (fmt, template, img.size)


def test_drawn_strings_are_the_card_strings(matches, monkeypatch):
    """Everything drawn goes through scorecard_strings, so its checks hold for the pixels."""
    drawn: list[str] = []
    original = draw._Canvas.text

    def record(self, s, *args, **kwargs):
        if s:
            drawn.append(s)
        return original(self, s, *args, **kwargs)

    monkeypatch.setattr(draw._Canvas, "text", record)
    m = matches["T20"]
    for template in TEMPLATES:
        drawn.clear()
        draw_scorecard(m, [0, 1], template, "hi", "devanagari")
        expected = scorecard_strings(m, [0, 1], "hi", "devanagari")
        assert set(drawn) == set(expected), template


def test_devanagari_digits_leave_no_ascii_digit(matches):
    for m in matches.values():
        for page in _pages(m):
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
    card = draw._card(m, [0, 1], "en", "western")
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


def test_deterministic_and_lossless(matches):
    m = matches["T20"]
    a = encode_png(draw_scorecard(m, [0, 1], "dark", "hi"))
    draw._INK_CACHE.clear()  # freshly rendered ink draws the same pixels as cached ink
    draw._INK_CACHE_BYTES[0] = 0
    img = draw_scorecard(m, [0, 1], "dark", "hi")
    b = encode_png(img)
    assert a == b
    back = Image.open(io.BytesIO(b))
    assert np.array_equal(np.asarray(back.convert("RGB")), np.asarray(img))


def test_templates_differ(matches):
    m = matches["ODI"]
    imgs = [np.asarray(draw_scorecard(m, [0, 1], t, "en")) for t in TEMPLATES]
    for x, y in itertools.combinations(imgs, 2):
        assert x.shape != y.shape or not np.array_equal(x, y)


def test_bad_arguments(matches):
    m = matches["T20"]
    with pytest.raises(ValueError, match=r"classic.*dark.*compact"):
        draw_scorecard(m, [0, 1], "fancy")
    with pytest.raises(ValueError, match="en, hi"):
        draw_scorecard(m, [0, 1], "classic", lang="fr")
    with pytest.raises(ValueError, match="western, devanagari"):
        draw_scorecard(m, [0, 1], "classic", digits="arabic")
    with pytest.raises(ValueError, match="out of range"):
        draw_scorecard(m, [2], "classic")
    with pytest.raises(ValueError):
        scorecard_strings(m, [], "en")
