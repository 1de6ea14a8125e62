"""Draw cricket scorecards as images, in the manner of MMCricBench.

A :class:`~mmx.eval.benches.mmcric.match.Match` is turned into a *card*: every
string the image shows (header, innings titles, batting and bowling tables,
extras, totals, did-not-bat and fall-of-wickets lists, the result), in English
or Hindi, with Western or Devanagari digits (:mod:`mmx.eval.benches.mmcric.card`;
:func:`scorecard_strings` returns them; the words are in
:mod:`mmx.eval.benches.mmcric.wording`). A template then lays the card out in
one of several website-like looks (:data:`TEMPLATES`,
:mod:`mmx.eval.benches.mmcric.templates`) and every string is drawn with mmx's
own renderer on a numpy canvas (:mod:`mmx.eval.benches.mmcric.canvas`). The
same inputs give the same pixels in any process, and :func:`encode_png` stores
them losslessly as a palette PNG.

Limited-overs matches (T20, ODI) put both innings on one image; a Test match is
drawn one innings per image (``innings=[k]``), each image repeating the match
header, and only the image of the match's last innings carries the result.
"""

from __future__ import annotations

from collections.abc import Sequence

from PIL import Image

from mmx.eval.benches.mmcric.canvas import encode_png
from mmx.eval.benches.mmcric.card import DIGITS, build_card, scorecard_strings
from mmx.eval.benches.mmcric.match import Match
from mmx.eval.benches.mmcric.templates import TEMPLATES, check_template, draw_card
from mmx.eval.benches.mmcric.wording import LANGS

__all__ = ["DIGITS", "LANGS", "TEMPLATES", "card_pages", "draw_match", "draw_scorecard", "encode_png",
           "scorecard_strings"]


def card_pages(m: Match) -> list[list[int]]:
    """Which innings each image of ``m`` holds: a Test gets one image per innings
    (MMCricBench's multi-image split), limited-overs matches one image with both."""
    return [[k] for k in range(len(m.innings))] if m.format == "Test" else [list(range(len(m.innings)))]


def draw_match(m: Match, template: str, lang: str = "en", digits: str = "western") -> list[Image.Image]:
    """Every image of ``m`` (see :func:`card_pages`), drawn with :func:`draw_scorecard`."""
    return [draw_scorecard(m, page, template, lang=lang, digits=digits) for page in card_pages(m)]


def draw_scorecard(m: Match, innings: Sequence[int], template: str, lang: str = "en",
                   digits: str = "western") -> Image.Image:
    """The scorecard of ``m``'s ``innings`` (0-based indices) as an RGB image.

    Limited-overs matches: pass both innings. Tests: one innings per image. The
    result is drawn only on the image holding the match's last innings.
    ``lang`` is ``"en"`` or ``"hi"``; ``digits="devanagari"`` writes every
    number with Devanagari digits (meant for Hindi; applied with English too).
    Raises ValueError for an unknown template, language or digits, or an
    innings index out of range.
    """
    check_template(template)
    return draw_card(build_card(m, innings, lang, digits), template, lang)
