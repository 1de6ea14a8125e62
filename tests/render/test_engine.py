"""Behaviour of the text renderer through its public API.

Shaping, script coverage, the result contract of each profile, layout (wrapping,
spilling, grapheme integrity), bidi, missing glyphs and control characters,
determinism across renders and processes, and fork safety.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import json
import math
import multiprocessing
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest
import regex

from mmx.render import MissingGlyph, Renderer, font_stack, get_profile, render_text
from mmx.render.result import RenderResult

PROFILES = ("pixel", "seetok", "page")
#: a large-font strip: glyph shapes are big enough to measure and to OCR
BIG = {"height": 48, "font_size": 32, "max_patches": None, "width": 4096, "eos_patch": False}
CONTRACT_KEYS = {
    "width", "height", "text_patches", "visual_tokens", "missing_glyphs", "clipped", "truncated", "fonts_hash",
}


# --------------------------------------------------------------------------- helpers


def ink_mask(a: np.ndarray, threshold: int = 128) -> np.ndarray:
    """Pixels darker than ``threshold`` (text is black on white)."""
    return a < threshold


def ink_columns(a: np.ndarray) -> np.ndarray:
    return np.flatnonzero(ink_mask(a).any(axis=0))


def ink_width(a: np.ndarray) -> int:
    """Width of the ink's bounding box in px (0 for a blank image)."""
    cols = ink_columns(a)
    return int(cols[-1] - cols[0] + 1) if cols.size else 0


def ink_segments(a: np.ndarray) -> int:
    """Runs of inked columns separated by at least one blank column."""
    inked = ink_mask(a).any(axis=0).astype(np.int8)
    return int(np.count_nonzero(np.diff(np.concatenate([[0], inked])) == 1))


def text_area(r: RenderResult, image: int = 0) -> np.ndarray:
    """An image without its end-of-sequence patch (PIXEL strips end in a black patch)."""
    a = r.arrays[image]
    p = r.profile
    if p.layout == "strip" and p.eos_patch:
        return a[:, : a.shape[1] - p.patch_size]
    return a


def grapheme_starts(text: str) -> set[int]:
    return {m.start() for m in regex.finditer(r"\X", text, flags=regex.DOTALL)} | {len(text)}


def patch_grid(r: RenderResult) -> list[tuple[int, int, int]]:
    """(first patch index, rows, columns) of every image, in patch order."""
    ps = r.profile.patch_size
    out, base = [], 0
    for a in r.arrays:
        rows, cols = a.shape[0] // ps, a.shape[1] // ps
        out.append((base, rows, cols))
        base += rows * cols
    return out


def patch_location(r: RenderResult, patch: int) -> tuple[int, int, int]:
    """(image, row, column) of a global patch index."""
    for i, (base, rows, cols) in enumerate(patch_grid(r)):
        if base <= patch < base + rows * cols:
            row, col = divmod(patch - base, cols)
            return i, row, col
    raise AssertionError(f"patch {patch} is outside the {r.num_patches} patches")


def patch_has_ink_nearby(r: RenderResult, patch: int) -> bool:
    """Does the patch, or its left or right neighbour in the same row, hold ink?"""
    ps = r.profile.patch_size
    img, row, col = patch_location(r, patch)
    a = r.arrays[img]
    if r.profile.layout == "strip" and r.profile.eos_patch:
        a = a[:, : a.shape[1] - ps]  # the black EOS patch is not ink
    x0 = max(col - 1, 0) * ps
    x1 = (col + 2) * ps
    return bool(ink_mask(a[row * ps : (row + 1) * ps, x0:x1]).any())


def assert_every_grapheme_drawn(r: RenderResult) -> None:
    """Every grapheme with a visible character sits in a patch, and ink is there."""
    text = r.text
    c2p = r.char_to_patch
    for m in regex.finditer(r"\X", text, flags=regex.DOTALL):
        if m.group().isspace():
            continue
        patches = set(c2p[m.start() : m.end()].tolist())
        assert len(patches) == 1, f"grapheme {m.group()!r} at {m.start()} is spread over patches {patches}"
        patch = patches.pop()
        assert 0 <= patch < r.num_patches, f"grapheme {m.group()!r} at {m.start()} was not placed ({patch})"
        assert patch_has_ink_nearby(r, patch), f"no ink near patch {patch} of grapheme {m.group()!r} at {m.start()}"


def png_digest(r: RenderResult) -> str:
    h = hashlib.sha256()
    for im in r.images:
        buf = io.BytesIO()
        im.save(buf, format="PNG")
        h.update(buf.getvalue())
    return h.hexdigest()


def same_arrays(a: RenderResult, b: RenderResult) -> bool:
    return len(a.arrays) == len(b.arrays) and all(
        x.shape == y.shape and x.dtype == y.dtype and x.tobytes() == y.tobytes() for x, y in zip(a.arrays, b.arrays)
    )


# --------------------------------------------------------------------------- 1. shaping

# (word, what shaping does to it)
SHAPED_WORDS = [
    ("क्ष", "Devanagari conjunct ksha"),
    ("स्ते", "Devanagari conjunct ste with a vowel sign"),
    ("مرحبا", "Arabic joined letters"),
    ("بيت", "Arabic fully joined word"),
]


@pytest.mark.parametrize(("word", "what"), SHAPED_WORDS, ids=[w[1] for w in SHAPED_WORDS])
def test_word_is_shaped_whole_not_per_character(word: str, what: str) -> None:
    """A conjunct or joined word is narrower than its letters drawn one by one.

    Shaping per character (PIXEL's bigram renderer) would draw each letter in
    its isolated form, as wide as the letters rendered alone or with ZWNJ
    (which forbids joining) between them.
    """
    whole = render_text(word, "pixel", **BIG).array
    alone = [render_text(ch, "pixel", **BIG).array for ch in word]
    broken = render_text("\u200c".join(word), "pixel", **BIG).array
    w_whole = ink_width(whole)
    w_alone = sum(ink_width(a) for a in alone)
    w_broken = ink_width(broken)
    assert w_whole > 0
    assert w_whole < 0.9 * w_alone, (what, w_whole, w_alone)
    assert w_whole < 0.9 * w_broken, (what, w_whole, w_broken)
    assert whole.shape != broken.shape or not np.array_equal(whole, broken)


@pytest.mark.parametrize("word", ["بيت", "مرحبا"])
def test_arabic_letters_connect(word: str) -> None:
    """Joined Arabic letters touch: fewer separate ink pieces than the isolated letters."""
    whole = render_text(word, "pixel", **BIG).array
    isolated = render_text("\u200c".join(word), "pixel", **BIG).array
    assert ink_segments(whole) < ink_segments(isolated)
    # Per-character rendering gives at least one piece per letter.
    assert ink_segments(isolated) >= len(word) - 1


@pytest.mark.parametrize("word", ["mmx", "मरहबा"])
def test_zwnj_changes_nothing_where_nothing_joins(word: str) -> None:
    """A control for the method above: with no conjuncts or joining, ZWNJ changes nothing visible."""
    a = render_text(word, "pixel", **BIG)
    b = render_text("\u200c".join(word), "pixel", **BIG)
    assert not b.missing_glyphs and not b.control_chars
    assert abs(ink_width(a.array) - ink_width(b.array)) <= 0.05 * ink_width(a.array) + 1


@pytest.mark.parametrize(
    ("code", "text"),
    [("hin_Deva", "नमस्ते क्षमा"), ("arb_Arab", "مرحبا بالعالم")],
)
def test_ocr_reads_shaped_text_back(code: str, text: str) -> None:
    from mmx.ocr import cer, engine_for, read_back

    if engine_for(code) is None:
        pytest.skip(f"no OCR engine installed that reads {code}")
    r = render_text(text, "pixel", **BIG)
    hyp = read_back(r.array, code)
    assert hyp is not None
    assert cer(text, hyp) <= 0.15, (text, hyp)


# --------------------------------------------------------------------------- 2. scripts

SAMPLES = {
    "latin_vietnamese": "Tiếng Việt: người, được, những. Grüße, ça va?",
    "greek": "Καλημέρα κόσμε, ευχαριστώ πολύ.",
    "cyrillic": "Привет, мир! Ёжик в тумане.",
    "arabic": "مرحبا بالعالم، كيف حالك؟",
    "persian_urdu": "پدر چای ژاله گل ڈاکٹر ٹوپی میں ہے",
    "hebrew": "שלום עולם, מה שלומך?",
    "devanagari": "नमस्ते दुनिया, क्षमा करें।",
    "bengali": "আমি বাংলায় গান গাই।",
    "tamil": "வணக்கம் உலகம், நன்றி.",
    "telugu": "నమస్కారం ప్రపంచం",
    "thai": "สวัสดีชาวโลก ภาษาไทยน่ารัก",
    "ethiopic": "ሰላም ለዓለም፣ እንደምን ነህ።",
    "khmer": "សួស្តីពិភពលោក",
    "myanmar": "မင်္ဂလာပါ ကမ္ဘာ",
    "sinhala": "ආයුබෝවන් ලෝකය",
    "chinese_simplified": "你好，世界。我们学习中文。",
    "chinese_traditional": "你好，世界。我們學習中文。",
    "japanese": "こんにちは、世界。カタカナと漢字。",
    "korean": "안녕하세요 세계, 감사합니다.",
    "emoji": "I ❤️ it 👩\u200d👩\u200d👧 🇮🇳 😀👍🏽",
}


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("script", sorted(SAMPLES))
def test_script_renders_completely(script: str, profile: str) -> None:
    text = SAMPLES[script]
    r = render_text(text, profile)
    assert r.missing_glyphs == []
    assert r.control_chars == []
    assert r.clipped is False
    assert r.truncated is False and r.truncated_at is None
    assert len(r.arrays) == 1
    assert_every_grapheme_drawn(r)
    for box in r.lines:
        assert ink_mask(r.arrays[box.image][box.top : box.bottom]).any()


def test_persian_and_urdu_letters_have_glyphs() -> None:
    """Each extra letter on its own, so one covered letter cannot hide another."""
    for ch in "پچژگڈٹںے":
        r = render_text(ch, "pixel")
        assert r.missing_glyphs == [], ch
        assert ink_mask(text_area(r)).any(), ch


def test_zwj_sequence_is_one_glyph() -> None:
    family = render_text("👩\u200d👩\u200d👧", "pixel", **BIG)
    apart = render_text("👩👩👧", "pixel", **BIG)
    assert family.missing_glyphs == [] and apart.missing_glyphs == []
    assert ink_width(family.array) < 0.6 * ink_width(apart.array)
    assert len(set(family.char_to_patch.tolist())) == 1


def test_flag_is_one_grapheme_and_drawn() -> None:
    r = render_text("🇮🇳🇯🇵", "pixel", **BIG)
    assert r.missing_glyphs == []
    c2p = r.char_to_patch
    assert c2p[0] == c2p[1] and c2p[2] == c2p[3] and c2p[1] < c2p[2]


# --------------------------------------------------------------------------- 3. results


def test_profiles_are_what_the_papers_use() -> None:
    pixel = get_profile("pixel")
    assert (pixel.height, pixel.patch_size, pixel.max_patches, pixel.eos_patch) == (16, 16, 529, True)
    seetok = get_profile("seetok")
    assert (seetok.patch_size, seetok.merge, seetok.layout) == (14, 2, "folded")
    assert seetok.width * seetok.height * seetok.rows == 224 * 224
    assert get_profile("page").layout == "page"
    # Overrides give a new profile and leave the registered one alone.
    custom = get_profile("pixel", font_size=9)
    assert custom.font_size == 9 and get_profile("pixel").font_size != 9
    assert Renderer("seetok", font_size=9).profile.font_size == 9


def test_pixel_result_contract() -> None:
    text = "Hello world, नमस्ते"
    r = render_text(text, "pixel")
    assert isinstance(r, RenderResult)
    assert r.height == 16 and r.width % 16 == 0
    assert r.text_patches + 1 == r.width // 16 == r.num_patches
    assert r.text_patches >= 1
    assert (r.array[:, -16:] == 0).all(), "the end-of-sequence patch is black"
    assert ink_mask(text_area(r)).any()
    assert r.array.dtype == np.uint8 and r.array.ndim == 2

    pat = r.patches()
    assert pat.shape == (r.num_patches, 16, 16) and pat.dtype == np.uint8
    for k in range(r.num_patches):
        assert np.array_equal(pat[k], r.array[:, 16 * k : 16 * (k + 1)])

    t = r.to_tensor()
    assert tuple(t.shape) == (r.num_patches, 1, 16, 16)
    assert t.dtype.is_floating_point
    assert float(t.min()) >= 0.0 and float(t.max()) <= 1.0
    assert np.allclose(t[:, 0].numpy(), pat / 255.0)

    d = r.to_dict()
    assert set(d) >= CONTRACT_KEYS
    assert d["width"] == r.width and d["height"] == r.height
    assert d["text_patches"] == r.text_patches and d["visual_tokens"] == r.visual_tokens
    assert d["missing_glyphs"] == [] and d["clipped"] is False and d["truncated"] is False
    assert isinstance(d["fonts_hash"], str) and d["fonts_hash"] == r.fonts_hash
    json.dumps(d)  # the report is JSON as it is


def test_offset_maps_agree() -> None:
    text = "The quick brown fox, नमस्ते दुनिया 123"
    r = render_text(text, "pixel")
    c2p = r.char_to_patch
    assert c2p.shape == (len(text),)
    om = r.offset_mapping
    assert len(om) == r.num_patches
    for i, ch in enumerate(text):
        if ch.isspace():
            assert c2p[i] == -1
            continue
        p = int(c2p[i])
        assert 0 <= p < r.text_patches
        s, e = om[p]
        assert s <= i < e, (i, p, om[p])
    assert om[-1] == (0, 0), "the EOS patch holds no text"
    # LTR text: patches never go backwards in logical order.
    drawn = c2p[c2p >= 0]
    assert (np.diff(drawn) >= 0).all()
    starts = {int(c2p[m.start()]) for m in regex.finditer(r"\S+", text)}
    assert r.word_starts == sorted(starts)
    (line,) = r.lines
    assert (line.start, line.end) == (0, len(text))
    assert line.image == 0 and line.top == 0 and line.bottom == 16
    assert 0 <= line.left < line.right <= r.width - 16 + 1


def test_pixel_long_text_is_truncated_and_reported() -> None:
    text = "Visual tokenization renders text as pixels; " * 100
    r = render_text(text, "pixel")
    assert r.num_patches == 529 and r.width == 529 * 16
    assert r.text_patches == 528
    assert (r.array[:, -16:] == 0).all()
    assert r.truncated is True
    assert r.truncated_at is not None and 0 < r.truncated_at < len(text)
    assert r.to_dict()["truncated_at"] == r.truncated_at
    c2p = r.char_to_patch
    cut = r.truncated_at
    shown = [i for i in range(cut) if not text[i].isspace()]
    assert all(c2p[i] >= 0 for i in shown), "every character before truncated_at is drawn"
    assert (c2p[cut:] == -1).all(), "nothing from truncated_at on is drawn"
    assert c2p.max() < 528, "the EOS patch holds no text"
    assert c2p[shown[-1]] >= 526, "the strip is filled up to its end"
    assert r.lines[-1].end == cut


def test_truncate_overflow_in_folded_layout() -> None:
    text = "word " * 3000
    r = render_text(text, "seetok", overflow="truncate")
    assert len(r.arrays) == 1 and r.arrays[0].shape == (224, 224)
    assert r.truncated and r.truncated_at is not None
    assert (r.char_to_patch[r.truncated_at :] == -1).all()


@pytest.mark.parametrize("n_chars", [1, 10, 60, 150, 500, 1500])
def test_seetok_tokens(n_chars: int) -> None:
    text = ("Visual tokens compress ordinary English text about four to one. " * 40)[:n_chars]
    r = render_text(text, "seetok")
    assert r.profile.patch_size == 14
    for a in r.arrays:
        assert a.ndim == 2 and a.shape[0] % 28 == 0 and a.shape[1] % 28 == 0
        assert a.shape[0] <= 224 and a.shape[1] <= 224
    assert r.visual_tokens == sum((a.shape[0] // 28) * (a.shape[1] // 28) for a in r.arrays)
    quarter = math.ceil(r.text_patches / 4)
    assert quarter <= r.visual_tokens <= quarter + max(2, r.text_patches / 16)
    pat = r.patches()
    assert pat.shape == (r.num_patches, 14, 14, 3)
    t = r.to_tensor()
    assert tuple(t.shape) == (r.num_patches, 3, 14, 14)
    assert not r.truncated
    assert_every_grapheme_drawn(r)


def test_seetok_long_text_spills_into_more_images() -> None:
    text = " ".join(f"word{i}" for i in range(1200))
    r = render_text(text, "seetok")
    assert len(r.arrays) > 1
    assert all(a.shape == (224, 224) for a in r.arrays[:-1])
    assert not r.truncated
    assert_every_grapheme_drawn(r)
    c2p = r.char_to_patch
    drawn = c2p[c2p >= 0]
    assert (np.diff(drawn) >= 0).all(), "reading order runs through rows and images"
    images = {patch_location(r, int(p))[0] for p in np.unique(drawn)}
    assert images == set(range(len(r.arrays)))
    assert r.visual_tokens == sum((a.shape[0] // 28) * (a.shape[1] // 28) for a in r.arrays)


def test_spill_stops_at_max_images_and_reports() -> None:
    text = "word " * 20000
    r = render_text(text, "seetok", max_images=2)
    assert len(r.arrays) == 2
    assert r.truncated and r.truncated_at is not None
    assert (r.char_to_patch[r.truncated_at :] == -1).all()
    assert all(r.char_to_patch[i] >= 0 for i in range(r.truncated_at) if not text[i].isspace())


WORDS = [
    "the", "quick", "brown", "fox", "jumps", "over", "a", "lazy", "dog",
    "while", "seven", "wizards", "quietly", "hex", "extraordinarily",
]


def _prose(n_words: int, seed: int = 0) -> str:
    import random

    rnd = random.Random(seed)
    return " ".join(rnd.choice(WORDS) for _ in range(n_words))


def test_page_wraps_whole_words() -> None:
    text = _prose(400)
    r = render_text(text, "page")
    p = r.profile
    assert len(r.lines) > 5
    for box in r.lines:
        assert box.start == 0 or text[box.start - 1] == " ", f"line starts mid-word: {text[box.start - 5 : box.start + 5]!r}"
        assert box.end == len(text) or text[box.end] == " ", f"line ends mid-word: {text[box.end - 5 : box.end + 5]!r}"
        assert box.left >= p.margin - 1 and box.right <= p.width - p.margin + 1
    # Lines follow each other in the text and down the page, without overlapping.
    for a, b in itertools.pairwise(r.lines):
        assert a.end <= b.start
        assert (a.image, a.bottom) <= (b.image, b.top)
    assert_every_grapheme_drawn(r)
    # Greedy filling: the next line's first word would not have fitted.
    space = r.lines[0].right - r.lines[0].left
    assert space > 0.8 * (p.width - 2 * p.margin)


def test_page_spills_into_pages() -> None:
    text = _prose(3000)
    r = render_text(text, "page")
    assert len(r.arrays) > 1
    assert r.arrays[0].shape == (840, 588)
    assert not r.truncated
    assert {box.image for box in r.lines} == set(range(len(r.arrays)))
    assert_every_grapheme_drawn(r)


def test_page_breaks_a_word_longer_than_a_line() -> None:
    text = "short " + "x" * 400 + " end"
    r = render_text(text, "page")
    assert len(r.lines) >= 3
    assert not r.truncated
    assert_every_grapheme_drawn(r)


def test_page_keeps_paragraphs_on_their_own_lines() -> None:
    text = "first paragraph\nsecond paragraph\n\nthird"
    r = render_text(text, "page")
    starts = [box.start for box in r.lines]
    assert text.index("second") in starts and text.index("third") in starts


GRAPHEME_HEAVY = (
    "क्षत्रियस्त्रीद्ध्य" * 30
    + "👩\u200d👩\u200d👧🇮🇳e\u0301\u0302👍🏽" * 30
    + "ปู่ฟี่ญั้" * 30
    + "한국어" * 20
    + "각" * 20
)


@pytest.mark.parametrize("profile", ["seetok", "page", "pixel"])
def test_lines_never_split_a_grapheme(profile: str) -> None:
    text = GRAPHEME_HEAVY
    r = render_text(text, profile)
    bounds = grapheme_starts(text)
    assert len(r.lines) >= (1 if profile == "pixel" else 3)
    for box in r.lines:
        assert box.start in bounds and box.end in bounds, (box, text[box.start - 2 : box.start + 2])
    if r.truncated_at is not None:
        assert r.truncated_at in bounds
    c2p = r.char_to_patch
    for m in regex.finditer(r"\X", text):
        assert len(set(c2p[m.start() : m.end()].tolist())) == 1


def test_folded_rows_break_inside_words() -> None:
    """Folded strips are dense: rows break anywhere between graphemes (the check above bites)."""
    text = GRAPHEME_HEAVY
    r = render_text(text, "seetok")
    assert any(0 < box.start < len(text) and not text[box.start - 1].isspace() for box in r.lines)


# --------------------------------------------------------------------------- 4. bidi


def _hebrew_positions(text: str, r: RenderResult) -> list[int]:
    return [int(r.char_to_patch[i]) for i, ch in enumerate(text) if "\u05d0" <= ch <= "\u05ea"]


@pytest.mark.parametrize("profile", [*PROFILES, "big"])
def test_mixed_direction_line(profile: str) -> None:
    text = "abc שלום 123 def"
    r = render_text(text, "pixel", **BIG) if profile == "big" else render_text(text, profile)
    assert r.missing_glyphs == []
    c2p = r.char_to_patch
    heb = _hebrew_positions(text, r)
    assert all(h >= 0 for h in heb)
    assert all(a >= b for a, b in itertools.pairwise(heb)), f"Hebrew is drawn right to left: {heb}"
    digits = [int(c2p[text.index(d)]) for d in "123"]
    assert digits == sorted(digits), f"digits keep left-to-right order: {digits}"
    assert int(c2p[text.index("c")]) <= min(heb) and int(c2p[text.index("d")]) >= max(heb)
    if profile == "big":
        assert heb[0] > heb[-1]
        assert digits[0] < digits[-1]


def _best_overlap(line: np.ndarray, word_image: np.ndarray) -> float:
    """Best intersection-over-union of a word's ink with a window of the line's ink."""
    cols = ink_columns(word_image)
    word = ink_mask(word_image[:, cols[0] : cols[-1] + 1])
    ink = ink_mask(line)
    best = 0.0
    for dy in (-1, 0, 1):
        w = np.roll(word, dy, axis=0)
        for x in range(ink.shape[1] - w.shape[1] + 1):
            win = ink[:, x : x + w.shape[1]]
            best = max(best, float((win & w).sum()) / float((win | w).sum()))
    return best


def test_mixed_direction_contains_the_hebrew_word() -> None:
    """The Hebrew word inside the mixed line looks as it does alone, not as forced LTR."""
    mixed = render_text("abc שלום def", "pixel", **BIG).array
    alone = render_text("שלום", "pixel", **BIG).array
    forced_ltr = render_text("\u202dשלום\u202c", "pixel", **BIG).array  # LEFT-TO-RIGHT OVERRIDE
    right = _best_overlap(mixed, alone)
    wrong = _best_overlap(mixed, forced_ltr)
    assert right > 0.75, right
    assert right > wrong + 0.25, (right, wrong)


@pytest.mark.parametrize("profile", [*PROFILES, "big"])
def test_rtl_paragraph_starts_at_the_right(profile: str) -> None:
    text = "مرحبا بالعالم"
    r = render_text(text, "pixel", **BIG) if profile == "big" else render_text(text, profile)
    c2p = r.char_to_patch
    first = patch_location(r, int(c2p[0]))
    last = patch_location(r, int(c2p[-1]))
    if first[:2] == last[:2]:  # same image and row
        assert first[2] > last[2]
    # Every other character of the first line lies left of (or with) the first one.
    for i in range(1, len(text)):
        if c2p[i] < 0:
            continue
        loc = patch_location(r, int(c2p[i]))
        if loc[:2] == first[:2]:
            assert loc[2] <= first[2]
    if profile == "page":
        a = r.array
        cols = ink_columns(a)
        assert cols[-1] >= r.profile.width - r.profile.margin - 4, "right-aligned"
        assert cols[0] > r.profile.width // 2


def test_rtl_paragraph_with_numbers() -> None:
    text = "السعر ١٢٣ و 456 دولار"
    r = render_text(text, "pixel", **BIG)
    assert r.missing_glyphs == []
    c2p = r.char_to_patch
    assert c2p[0] > c2p[len(text) - 1]
    latin_digits = [int(c2p[text.index(d)]) for d in "456"]
    assert latin_digits == sorted(latin_digits) and latin_digits[0] < latin_digits[-1]


# --------------------------------------------------------------------------- 5. missing glyphs

UNCOVERED = [0xF0000, 0x0378, 0x1FAE9, 0xD800]


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("cp", UNCOVERED, ids=[f"U+{c:04X}" for c in UNCOVERED])
def test_missing_glyph_is_reported(cp: int, profile: str) -> None:
    stack = font_stack()
    if any(cp in face.coverage for face in stack.faces):
        pytest.skip(f"a bundled font covers U+{cp:04X}")
    text = "ab" + chr(cp) + "cd"
    r = render_text(text, profile)
    assert r.missing_glyphs == [MissingGlyph(cp, 2)]
    assert r.to_dict()["missing_glyphs"] == [{"codepoint": cp, "char": f"U+{cp:04X}", "index": 2}]
    assert r.control_chars == []
    # Tofu is drawn in its place, the rest of the text too.
    assert r.char_to_patch[2] >= 0
    assert_every_grapheme_drawn(r)


def test_missing_glyph_indexes_count_code_points() -> None:
    text = "नमस्ते \U000f0000 👩\u200d👩\u200d👧 \u0378"
    r = render_text(text, "pixel")
    assert [(m.codepoint, m.index) for m in r.missing_glyphs] == [(0xF0000, 7), (0x378, len(text) - 1)]


@pytest.mark.parametrize("profile", PROFILES)
def test_control_characters_are_reported_and_not_drawn(profile: str) -> None:
    text = "a\x00b\x07c\x1bd"
    r = render_text(text, profile)
    assert [(c.codepoint, c.index) for c in r.control_chars] == [(0, 1), (7, 3), (0x1B, 5)]
    assert r.missing_glyphs == []
    assert all(r.char_to_patch[i] == -1 for i in (1, 3, 5))
    clean = render_text("abcd", profile)
    assert [a.shape for a in r.arrays] == [a.shape for a in clean.arrays]
    only = render_text("\x00\x07\x1b", profile)
    assert [c.index for c in only.control_chars] == [0, 1, 2]
    assert not ink_mask(text_area(only)).any()


def test_control_characters_take_no_room() -> None:
    with_controls = render_text("a\x00b\x07c\x1bd", "pixel", **BIG).array
    clean = render_text("abcd", "pixel", **BIG).array
    assert abs(ink_width(with_controls) - ink_width(clean)) <= 3
    assert abs(int(ink_mask(with_controls).sum()) - int(ink_mask(clean).sum())) <= 0.05 * ink_mask(clean).sum()


def test_control_characters_in_json_report() -> None:
    d = render_text("x\x07", "pixel").to_dict()
    assert d["control_chars"] == [{"codepoint": 7, "char": "U+0007", "index": 1}]


# --------------------------------------------------------------------------- 6. determinism

DET_TEXTS = [
    "Hello, world!",
    "नमस्ते दुनिया, क्षमा करें।",
    "abc שלום 123 def",
    "مرحبا بالعالم",
    "你好，世界。こんにちは 안녕",
    "👩\u200d👩\u200d👧 🇮🇳 e\u0301",
    _prose(300, seed=3),
]


def test_same_text_same_pixels_within_a_process() -> None:
    first = {(t, p): render_text(t, p) for t in DET_TEXTS for p in PROFILES}
    # Disturb every cache: other texts, other sizes, new renderers.
    for t in SAMPLES.values():
        for p in PROFILES:
            render_text(t + " extra words", p)
            render_text(t, p, font_size=9)
    for (t, p), r in first.items():
        again = render_text(t, p)
        fresh = Renderer(p).render(t)
        assert same_arrays(r, again), (t, p)
        assert same_arrays(r, fresh), (t, p)
        assert again.text_patches == r.text_patches and again.visual_tokens == r.visual_tokens


def test_words_render_the_same_in_any_context() -> None:
    """A word's pixels do not depend on the words shaped with it (batched shaping)."""
    r1 = Renderer("pixel", **BIG)
    r2 = Renderer("pixel", **BIG)
    r1.render("नमस्ते")
    r2.render("क्षमा नमस्ते مرحبا")
    assert same_arrays(r1.render("नमस्ते"), r2.render("नमस्ते"))


_CHILD = textwrap.dedent(
    """
    import hashlib, io, json, sys
    from mmx.render import render_text
    texts, profiles = json.loads(sys.stdin.read())
    out = {}
    for t in texts:
        for p in profiles:
            h = hashlib.sha256()
            for im in render_text(t, p).images:
                buf = io.BytesIO()
                im.save(buf, format="PNG")
                h.update(buf.getvalue())
            out[p + "|" + t] = h.hexdigest()
    print(json.dumps(out))
    """
)


def test_same_pixels_across_processes() -> None:
    payload = json.dumps([DET_TEXTS, list(PROFILES)])
    procs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        procs.append(subprocess.Popen(
            [sys.executable, "-c", _CHILD], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, env=env, text=True,
        ))
    results = []
    for proc in procs:
        out, err = proc.communicate(payload, timeout=120)
        assert proc.returncode == 0, err
        results.append(json.loads(out))
    assert results[0] == results[1]
    here = {p + "|" + t: png_digest(render_text(t, p)) for t in DET_TEXTS for p in PROFILES}
    assert results[0] == here


def _render_bytes(args: tuple[str, str]) -> list[bytes]:
    text, profile = args
    return [a.tobytes() for a in render_text(text, profile).arrays]


FORK_SEEN = ["Hello world", "नमस्ते दुनिया", "مرحبا بالعالم"]
FORK_NEW = ["Ёжик в тумане", "ሰላም ለዓለም", "สวัสดีชาวโลก", "你好世界 👩\u200d👩\u200d👧"]


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="needs the fork start method")
def test_fork_safe_pool() -> None:
    """Workers forked after the parent rendered (fonts open) render the same pixels."""
    jobs = [(t, p) for t in FORK_SEEN + FORK_NEW for p in ("pixel", "seetok")]
    before = {job: _render_bytes(job) for job in jobs if job[0] in FORK_SEEN}
    with multiprocessing.get_context("fork").Pool(2) as pool:
        kids = pool.map(_render_bytes, jobs)
    for job, got in zip(jobs, kids):
        want = before.get(job) or _render_bytes(job)
        assert got == want, job


class _TextDataset:
    """A map-style dataset of strings, rendered to PIXEL patch tensors."""

    def __init__(self, texts: list[str]) -> None:
        self.texts = texts

    def __len__(self) -> int:
        return len(self.texts)

    def __getitem__(self, i: int):  # a torch tensor
        return render_text(self.texts[i], "pixel").to_tensor()


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="needs the fork start method")
def test_fork_safe_dataloader() -> None:
    import torch
    from torch.utils.data import DataLoader

    texts = FORK_SEEN + FORK_NEW + ["Tiếng Việt", "abc שלום 123"]
    for t in FORK_SEEN:
        render_text(t, "pixel")
    loader = DataLoader(_TextDataset(texts), batch_size=None, num_workers=2, multiprocessing_context="fork")
    got = list(loader)
    assert len(got) == len(texts)
    for t, tensor in zip(texts, got):
        assert torch.equal(tensor, render_text(t, "pixel").to_tensor()), t
