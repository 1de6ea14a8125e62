"""Display pictures: renderings scaled up and stacked, long strips cut at patch boundaries."""

from __future__ import annotations

from mmx.demo.images import MAX_HEIGHT, MAX_WIDTH, display_scale, rendering_picture
from mmx.render import render_text


def test_long_strips_are_cut_into_display_rows():
    res = render_text("Text rendered as pixels " * 200, "pixel_renderer")
    picture, note = rendering_picture(res)
    assert picture.width <= MAX_WIDTH + 16 and picture.height <= MAX_HEIGHT + 16
    assert "display rows" in note


def test_display_scale():
    assert display_scale(140, "strip") == 6  # a tiny strip grows to about 900 px
    assert display_scale(5000, "strip") == 2  # never below 2x, strips are cut instead
    assert display_scale(800, "page") == 1  # pages stay within the widest composite
