"""The canvas: cached and fresh ink draw the same pixels; the palette PNG is lossless."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image

from mmx.eval.benches.mmcric import canvas
from mmx.eval.benches.mmcric.canvas import Canvas, encode_png, text_width
from mmx.eval.benches.mmcric.draw import draw_scorecard


def test_deterministic_and_lossless(matches):
    m = matches["T20"]
    a = encode_png(draw_scorecard(m, [0, 1], "dark", "hi"))
    canvas._INK_CACHE.clear()  # freshly rendered ink draws the same pixels as cached ink
    canvas._INK_CACHE_BYTES[0] = 0
    img = draw_scorecard(m, [0, 1], "dark", "hi")
    b = encode_png(img)
    assert a == b
    back = Image.open(io.BytesIO(b))
    assert np.array_equal(np.asarray(back.convert("RGB")), np.asarray(img))


def test_shapes_and_text_land_where_asked():
    cv = Canvas(60, (255, 255, 255))
    cv.rect(10, 5, 20, 15, fill=(200, 0, 0))
    right = cv.text("42", 30, 0, 30, 14, (0, 0, 0))
    assert right == 30 + text_width("42", 14) + cv.texts[0][0].left
    arr = np.asarray(cv.finish(30))
    assert arr.shape == (30, 60, 3)
    assert (arr[5:15, 10:20] == (200, 0, 0)).all() and (arr[20:, :10] == 255).all()
    assert arr[:, 30:right].min() < 128  # the digits' ink
    assert text_width("", 14) == 0


def test_many_colours_are_stored_as_rgb():
    rgb = np.random.default_rng(0).integers(0, 256, (32, 32, 3), dtype=np.uint8)  # ~1000 colours
    img = Image.fromarray(rgb)
    back = Image.open(io.BytesIO(encode_png(img)))
    assert back.mode == "RGB" and np.array_equal(np.asarray(back), rgb)
