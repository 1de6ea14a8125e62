"""Every script at the same apparent size, stacks into the space between lines, honest patch counts."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from mmx.render import Renderer, render_text
from mmx.render.fonts import PROBES
from mmx.render.profiles import get_profile

WORDS = {
    "Latn": ["people", "Government", "morning"],
    "Arab": ["الحكومة", "مرحبا", "السياسية"],
    "Fars": ["دولت", "کتابخانه", "امروز"],
    "Deva": ["सरकार", "नमस्ते", "राजनीति"],
    "Thai": ["รัฐบาล", "สวัสดี", "การเมือง"],
    "Cyrl": ["правительство", "привет", "утром"],
}
ARABIC_LINES = [
    "لِّلَّهِ إِنَّ الاستهزاء أُعلن بالإِضافة إلى ذلك، يعتقد 38% أن كافانو كاذب",
    "وهي مستشارة أقدم والمتحدثة الوطنية باسم المجموعة التقدمية يوم الجمعة",
    "كشف حفيداه عن حجر تذكاري باسمه عُرض أثناء استعراض عسكري",
]


def ink_height(arr: np.ndarray) -> float:
    """Rows of ink, each counted by its darkest pixel's coverage."""
    return float((255 - arr.min(axis=1).astype(np.float64)).sum() / 255.0)


def size_factor(profile: str, word: str) -> float:
    """Ink height of a word drawn with a profile over its ink height at 96 px in a roomy page, scaled."""
    prof = get_profile(profile)
    ref = Renderer(prof.replace(layout="page", font_size=96.0, line_spacing=2.5, patch_size=14, width=14 * 300,
                                height=14 * 40, margin=56, max_patches=None, rows=1, eos_patch=False))
    return ink_height(Renderer(prof).render(word).arrays[0]) / (ink_height(ref.render(word).arrays[0]) * prof.font_size / 96.0)


@pytest.mark.parametrize("script", [s for s in WORDS if s != "Latn"])
def test_page_draws_every_script_within_15_percent_of_latin(script: str) -> None:
    latin = np.median([size_factor("page", w) for w in WORDS["Latn"]])
    other = np.median([size_factor("page", w) for w in WORDS[script]])
    assert other >= 0.85 * latin, (script, other, latin)


def test_page_enlarges_arabic_bodies_and_keeps_the_em_elsewhere() -> None:
    r = Renderer("page")
    stack = r.stack
    fs = r.profile.font_size
    assert r.size_of(stack.primary) == fs
    assert r.size_of(stack.by_name["NotoSansDevanagari"]) == fs
    assert r.size_of(stack.by_name["NotoSansThai"]) == fs
    assert fs < r.size_of(stack.by_name["NotoSansArabic"]) <= 1.25 * fs
    # one baseline for every face on a page
    assert len({r.metrics_of(i)[1] for i in range(len(stack.faces))}) == 1


def _two_words(arr: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The ink of the left and right word of a two-word line, split at the widest blank gap."""
    cols = np.flatnonzero((arr < 128).any(axis=0))
    gap = int(np.argmax(np.diff(cols)))
    return arr[:, : cols[gap] + 1], arr[:, cols[gap + 1] :]


def test_mixed_line_arabic_is_not_half_the_height() -> None:
    prof = get_profile("page")
    ref = Renderer(prof.replace(font_size=96.0, line_spacing=2.5, width=14 * 300, height=14 * 40, margin=56))
    latin, arabic = _two_words(render_text("Hello مرحبا", prof).arrays[0])
    latin_ref, arabic_ref = _two_words(ref.render("Hello مرحبا").arrays[0])
    ratio = (ink_height(arabic) / ink_height(arabic_ref)) / (ink_height(latin) / ink_height(latin_ref))
    assert ratio >= 0.85, ratio


def test_page_lines_never_overprint_and_stacks_use_the_space_between() -> None:
    text = "\n".join(ARABIC_LINES * 3)
    res = render_text(text, "page")
    assert not res.clipped
    boxes = res.lines
    assert len(boxes) >= 9
    arr = res.arrays[0]
    inked = np.flatnonzero((arr < 255).any(axis=1))
    covered = np.zeros(arr.shape[0], bool)
    for a, b in itertools.pairwise(boxes):
        if a.image == b.image:
            assert a.ink_bottom < b.ink_top  # at least one blank row between two lines' ink
    for box in boxes:
        covered[box.ink_top : box.ink_bottom] = True
    assert covered[inked].all()  # every inked row belongs to one line's ink
    # the vowel marks reach past the line box: the space between lines is used
    assert any(box.ink_top < box.top or box.ink_bottom > box.bottom for box in boxes)


def test_latin_page_keeps_the_profile_pitch() -> None:
    res = render_text("\n".join(["The quick brown fox jumps over the lazy dog."] * 6), "page")
    tops = [b.top for b in res.lines]
    assert set(np.diff(tops).tolist()) == {Renderer("page").line_h}


@pytest.mark.parametrize("profile", ["pixel", "seetok"])
@pytest.mark.parametrize("face", ["NotoSansArabic", "NotoSansThai", "NotoSansDevanagari", "NotoSansBengali", "NotoSans"])
def test_strip_fits_tallest_stacks_with_the_smallest_reduction(profile: str, face: str) -> None:
    r = Renderer(profile)
    probe = PROBES[face]
    res = r.render(probe)
    assert not res.clipped
    size = r.size_of(r.stack.by_name[face])
    if size < r.profile.font_size:  # shrunk: only as far as needed, so the ink spans (almost) the whole strip
        rows = np.flatnonzero((res.arrays[0][:, : -r.profile.patch_size] < 255).any(axis=1))
        assert rows[-1] - rows[0] + 1 >= r.line_h - 1


@pytest.mark.parametrize("profile", ["pixel", "seetok", "page"])
def test_ink_and_fed_patches_are_counted_on_the_pixels(profile: str) -> None:
    text = "नमस्ते दुनिया\nHello world\nمرحبا" if profile == "page" else "नमस्ते दुनिया Hello world مرحبا"
    res = render_text(text, profile)
    ps = res.profile.patch_size
    ink = 0
    for a in res.arrays:
        h, w = a.shape
        grid = (a < 255).reshape(h // ps, ps, w // ps, ps).any(axis=(1, 3))
        if res.profile.layout == "strip" and res.profile.eos_patch:
            grid[:, -1] = False  # the black end-of-sequence patch is not text
        ink += int(grid.sum())
    assert res.ink_patches == ink == res.text_patches
    assert res.fed_patches == res.num_patches == sum((a.shape[0] // ps) * (a.shape[1] // ps) for a in res.arrays)
    assert 0 < res.ink_patches < res.fed_patches
    d = res.to_dict()
    assert (d["ink_patches"], d["fed_patches"]) == (res.ink_patches, res.fed_patches)


def test_a_mostly_blank_page_is_not_counted_as_text() -> None:
    res = render_text("abc def", "pixel", layout="page")
    assert res.fed_patches == 529 and res.ink_patches <= 4
    hindi = render_text("\n".join(["नमस्ते दुनिया"] * 5), "page")
    assert hindi.ink_patches * 3 < hindi.fed_patches


def test_page_letter_bodies_are_five_pixels_tall() -> None:
    # The page legibility fix (docs/render.md, "Read-back on pages"): at 9 px text Latin's
    # x-height inked 4 px and tesseract misread Thai, Hangul and Ethiopic detail drawn at the
    # same em size (10-11% error); pages now draw 10 px text, bodies of 5 px or more.
    r = Renderer("page")
    arr = r.render("xxxx").arrays[0]
    assert ink_height(arr.min(axis=2) if arr.ndim == 3 else arr) >= 5.0
