"""Emoji: colour where a colour emoji font is installed (RGB profiles), grey in grey profiles, monochrome fallback."""

from __future__ import annotations

import numpy as np
import pytest

from mmx.render import Renderer
from mmx.render.fonts import colour_emoji_path

needs_colour = pytest.mark.skipif(
    colour_emoji_path() is None,
    reason="no colour emoji font installed (Debian: apt-get install fonts-noto-color-emoji; `make setup` does as root)",
)


def saturation(rgb: np.ndarray) -> np.ndarray:
    rgb = rgb.astype(np.int16)
    return rgb.max(axis=-1) - rgb.min(axis=-1)


def ink_columns(arr: np.ndarray) -> int:
    cols = np.flatnonzero((arr < 250).any(axis=0))
    return int(cols[-1] - cols[0] + 1) if cols.size else 0


@needs_colour
@pytest.mark.parametrize("profile", ["seetok", "page"])
def test_rgb_profiles_draw_emoji_in_colour(profile: str) -> None:
    r = Renderer(profile)
    res = r.render("ok 😀 🇮🇳")
    assert r.profile.rgb and res.colour_arrays
    rgb = np.asarray(res.images[0])
    assert rgb.shape[-1] == 3 and (saturation(rgb) > 100).sum() > 10
    assert res.patches().shape[-1] == 3 and (saturation(res.patches()) > 100).any()
    # Latin text stays grey
    assert (saturation(np.asarray(r.render("ok").images[0])) == 0).all()
    assert not res.clipped


@needs_colour
def test_grey_profiles_draw_emoji_in_grey() -> None:
    r = Renderer("pixel")
    res = r.render("😀 🇯🇵")
    assert not r.profile.rgb and not res.colour_arrays
    assert res.images[0].mode == "L"
    arr = res.arrays[0][:, : -r.profile.patch_size]
    assert (arr < 200).sum() > 10  # drawn, as grey ink
    assert not res.clipped


@needs_colour
@pytest.mark.parametrize("profile", ["seetok", "pixel"])
def test_flags_and_zwj_sequences_are_one_glyph(profile: str) -> None:
    r = Renderer(profile)
    one = ink_columns(r.render("😀").arrays[0][:, :-14])
    flag = ink_columns(r.render("🇮🇳").arrays[0][:, :-14])
    family = ink_columns(r.render("👩\u200d👩\u200d👧").arrays[0][:, :-14])
    parts = ink_columns(r.render("👩👩👧").arrays[0][:, :-14])
    assert flag <= 1.3 * one  # one flag, not two letters in boxes
    assert family <= 1.3 * one < parts


@needs_colour
def test_flag_colours() -> None:
    rgb = np.asarray(Renderer("page").render("🇮🇳").images[0]).astype(int)
    sat = saturation(rgb) > 80
    ys, xs = np.nonzero(sat)
    top = rgb[ys.min() : ys.min() + 2, xs.min() : xs.max() + 1].reshape(-1, 3)
    bottom = rgb[ys.max() - 1 : ys.max() + 1, xs.min() : xs.max() + 1].reshape(-1, 3)
    assert (top[:, 0] > top[:, 2] + 60).any()  # saffron above
    assert (bottom[:, 1] > bottom[:, 0] + 30).any()  # green below


def test_monochrome_noto_emoji_is_the_fallback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MMX_COLOR_EMOJI", "none")
    r = Renderer("seetok")
    assert r.stack.colour_emoji is None
    assert "NotoEmoji" in r.stack.by_name
    res = r.render("ok 😀 👩\u200d👩\u200d👧")
    assert not res.missing_glyphs and not res.colour_arrays
    assert (saturation(np.asarray(res.images[0])) == 0).all()
    assert (res.arrays[0] < 128).sum() > 10


def test_a_bad_colour_font_setting_is_an_input_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from mmx.errors import InputError

    monkeypatch.setenv("MMX_COLOR_EMOJI", "no/such/font.ttf")
    with pytest.raises(InputError, match="MMX_COLOR_EMOJI"):
        colour_emoji_path()


@needs_colour
def test_noisy_renderings_are_grey_throughout() -> None:
    from mmx.render import render_text

    res = render_text("ok 😀", "seetok", noise="blur:0.3-0.5", seed=1)
    assert not res.colour_arrays
    assert (saturation(np.asarray(res.images[0])) == 0).all()
