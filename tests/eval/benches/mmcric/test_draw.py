"""Scorecard drawing: every look and language draws, with the card's strings; bad arguments are refused."""

from __future__ import annotations

import itertools

import pytest

from mmx.eval.benches.mmcric import canvas
from mmx.eval.benches.mmcric.draw import (
    DIGITS,
    LANGS,
    TEMPLATES,
    card_pages,
    draw_match,
    draw_scorecard,
    scorecard_strings,
)

from .conftest import pages


def test_every_template_language_and_digits_draws(matches):
    assert len(TEMPLATES) >= 3
    for fmt, m in matches.items():
        for template, lang, digits in itertools.product(TEMPLATES, LANGS, DIGITS):
            for page in pages(m):
                img = draw_scorecard(m, page, template, lang, digits)
                assert img.mode == "RGB"
                assert 880 <= img.width <= 1100, (fmt, template, img.size)
                assert 300 <= img.height <= 2400, (fmt, template, img.size)


def test_drawn_strings_are_the_card_strings(matches, monkeypatch):
    """Everything drawn goes through scorecard_strings, so its checks hold for the pixels."""
    drawn: list[str] = []
    original = canvas.Canvas.text

    def record(self, s, *args, **kwargs):
        if s:
            drawn.append(s)
        return original(self, s, *args, **kwargs)

    monkeypatch.setattr(canvas.Canvas, "text", record)
    m = matches["T20"]
    for template in TEMPLATES:
        drawn.clear()
        draw_scorecard(m, [0, 1], template, "hi", "devanagari")
        expected = scorecard_strings(m, [0, 1], "hi", "devanagari")
        assert set(drawn) == set(expected), template


def test_a_test_is_one_image_per_innings(matches):
    m = matches["Test"]
    assert card_pages(m) == [[k] for k in range(len(m.innings))]
    assert card_pages(matches["T20"]) == [[0, 1]]
    assert len(draw_match(m, "compact")) == len(m.innings)


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
    with pytest.raises(ValueError, match="unknown scorecard template"):  # the template is checked first
        draw_scorecard(m, [0, 1], "fancy", lang="fr")
