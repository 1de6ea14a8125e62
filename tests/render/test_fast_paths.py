"""The renderer's fast paths give exactly what the slower reference paths give.

- bidi levels from ICU equal python-bidi's (another UAX #9 implementation);
- HarfBuzz output read through its C API equals uharfbuzz's serialization;
- glyph bitmaps rasterized through FreeType's raw calls equal freetype-py's,
  and the compiled batch rasterizer's equal those of the raw calls;
- rendered pixels are the same with caches cold, warm, and with the reference
  shaping path, in every layout.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

import mmx
from mmx.render import _hb, shaping
from mmx.render.engine import Renderer
from mmx.render.itemize import bidi_levels, needs_bidi
from mmx.render.raster import ATLAS, SUBPIXEL

SAMPLES = Path(mmx.__file__).parent / "assets" / "samples"

MIXED = [
    "Hello नमस्ते مرحبا 你好 שלום!",
    "العدد 123 والنسبة 45.6% (تقريبًا) في 2017م.",
    "He said «مرحبا بالعالم» and left: done.",
    "עברית עם ניקוד: שָׁלוֹם, ו-42 ספרות.",
    "فارسی: «می‌خواهم» ۱۲۳ کتاب 😀 بخرم.",
    "mixed \u202bembedded عربي\u202c text \u2067isolate\u2069 end",
    "ปู่ ฟี่ ญั้ ทำ กำ ค่ำ",
    "க்ஷ ஸ்ரீ கொ தமிழ் மொழி",
    "  leading, trailing and  double  spaces  ",
    "Tiếng Việt có dấu: Người ấy đã đến.",
    "日本語のテキストと、カタカナ。한국어 텍스트.",
    "\u0301 a mark without a base, and a\u0308\u0301 stacked",
    "emoji 👩‍👩‍👧 flags 🇯🇵 keycap 1️⃣ skin 👍🏽",
]


def _sample_lines() -> list[str]:
    lines = []
    for path in sorted(SAMPLES.glob("*_*.txt")):
        lines.extend(line for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    assert len(lines) >= 60  # 16 languages x 5 sentences
    return lines


_LEVEL_RE = re.compile(r"Level\(\s*(\d+),?\s*\)")


def _python_bidi_levels(paragraph: str) -> tuple[np.ndarray, int]:
    """Levels per code point from python-bidi's debug report (the renderer's previous source)."""
    from bidi.bidi import get_display_inner

    report = get_display_inner(paragraph, None, True)
    head, _, tail = report.partition("paragraphs:")
    byte_levels = np.array(_LEVEL_RE.findall(head, head.find("levels:")), np.int8)
    para = _LEVEL_RE.search(tail)
    cps = np.frombuffer(paragraph.encode("utf-32-le"), np.uint32)
    widths = 1 + (cps >= 0x80) + (cps >= 0x800) + (cps >= 0x10000)
    starts = np.concatenate([[0], np.cumsum(widths)[:-1]]).astype(np.int64)
    return byte_levels[starts], int(para.group(1)) if para else 0


# Characters rule X9 removes (explicit embeddings and overrides, boundary
# neutrals): UAX #9 leaves their level open and the two implementations differ
# (ICU: the embedding's level, python-bidi: the previous character's). They
# draw nothing, so only the other characters are compared.
_X9_REMOVED = re.compile("[\u202a-\u202e\u200b-\u200d\u2060-\u2064\ufeff\u00ad]")


def test_icu_bidi_levels_equal_python_bidi() -> None:
    pytest.importorskip("bidi")
    paragraphs = [t for t in _sample_lines() + MIXED if needs_bidi(t)]
    assert len(paragraphs) >= 15
    for text in paragraphs:
        levels, base = bidi_levels(text)
        ref, ref_base = _python_bidi_levels(text)
        assert base == ref_base, text
        keep = [i for i, ch in enumerate(text) if not _X9_REMOVED.match(ch)]
        assert levels[keep].tolist() == ref[keep].tolist(), text


def test_bidi_levels_are_per_code_point_with_astral_characters() -> None:
    text = "مرحبا 😀 abc 𝒳 سلام"
    levels, base = bidi_levels(text)
    assert levels.size == len(text) and base == 1
    assert levels[text.index("a")] == 2 and levels[0] == 1


def test_bidi_levels_of_a_lone_surrogate() -> None:
    levels, _ = bidi_levels("abc \ud800 مرحبا")
    assert levels.size == 11


@pytest.mark.skipif(not _hb.available(), reason="uharfbuzz does not export HarfBuzz's C API here")
def test_c_api_shaping_equals_uharfbuzz_serialization() -> None:
    r = Renderer("pixel")
    faces = r.stack.faces
    n = 0
    for text in _sample_lines() + MIXED + ["\ud800x", "a\u0000b"]:
        body = text.strip()
        levels = bidi_levels(body)[0] if needs_bidi(body) else None
        runs = r.itemizer.line_runs(body, levels, "sc")
        if runs is None:
            found = r._strip._token_runs(body, body, levels.tolist() if levels is not None else None, "sc")
            runs = found[0] if found else [[0, len(body), r.stack.primary, "Zyyy", 0]]
        for a, b, face, script, level in runs:
            new = shaping.shape_raw(faces[face], body[a:b], script, bool(level & 1), None)
            ref = shaping._shape_serialized(faces[face], body[a:b], script, bool(level & 1), None)
            for x, y in zip(new, ref):
                assert x.dtype == y.dtype and np.array_equal(x, y), (body[a:b], x, y)
            n += 1
    assert n >= 80


def test_raw_freetype_rasterization_equals_freetype_py() -> None:
    import freetype

    r = Renderer("pixel")
    r.render("x")

    def reference(face_obj, gid: int, size26: int, phase: int) -> tuple[np.ndarray, ...]:
        face = ATLAS._face(face_obj.draw_path, face_obj.draw_index, size26, face_obj.draw_coords)
        face.set_transform(freetype.Matrix(0x10000, 0, 0, 0x10000), freetype.Vector(int(phase * 64 / SUBPIXEL), 0))
        face.load_glyph(gid, freetype.FT_LOAD_RENDER | freetype.FT_LOAD_TARGET_LIGHT | freetype.FT_LOAD_NO_BITMAP)
        slot = face.glyph
        bm = slot.bitmap
        if bm.width == 0 or bm.rows == 0:
            return np.zeros(0, np.int32), np.zeros(0, np.int32), np.zeros(0, np.uint8)
        arr = np.array(bm.buffer, np.uint8).reshape(bm.rows, abs(bm.pitch))[:, : bm.width]
        ys, xs = np.nonzero(arr)
        return (ys - slot.bitmap_top).astype(np.int32), (xs + slot.bitmap_left).astype(np.int32), arr[ys, xs]

    inked = 0
    for name in ("NotoSans", "NotoSansArabic", "NotoSansDevanagari", "NotoSansThai"):
        f = r.stack.faces[r.stack.by_name[name]]
        for size in (7.0, 12.0, 23.5):
            s26 = round(size * 64)
            for gid in range(0, min(f.glyph_count, 400), 13):
                phase = gid % SUBPIXEL
                got = ATLAS._rasterize(f.draw_path, f.draw_index, gid, s26, phase, f.draw_coords)
                ref = reference(f, gid, s26, phase)
                for x, y in zip(got, ref):
                    assert x.dtype == y.dtype and np.array_equal(x, y), (name, size, gid, phase)
                inked += got[2].size > 0
    assert inked > 50



def test_compiled_rasterizer_equals_raw_calls() -> None:
    """``GlyphAtlas._add_many`` (FreeType called from compiled code, many glyphs per call) stores what ``_rasterize`` gives."""
    from mmx.render.raster import GlyphAtlas

    r = Renderer("pixel")
    r.render("x")
    atlas = GlyphAtlas()
    # Tiny arrays: the batch must stop, grow them and go on.
    atlas.ys, atlas.xs, atlas.vals = np.zeros(64, np.int32), np.zeros(64, np.int32), np.zeros(64, np.uint8)
    atlas.start, atlas.length, atlas.is_colour = np.zeros(2, np.int64), np.zeros(2, np.int64), np.zeros(2, np.bool_)
    inked = 0
    for name in ("NotoSans", "NotoSansArabic", "NotoSansBengali", "NotoSansCJK-JP"):
        f = r.stack.faces[r.stack.by_name[name]]
        for size in (7.0, 12.0, 23.5):
            s26 = round(size * 64)
            keys = np.arange(0, min(f.glyph_count, 300) * SUBPIXEL, 7, dtype=np.int64)
            table = atlas.table(f.draw_path, f.draw_index, s26, f.draw_coords, f.glyph_count)
            atlas._add_many(f.draw_path, f.draw_index, s26, keys, f.draw_coords, table)
            for k in keys.tolist():
                slot = table[k]
                a, n = atlas.start[slot], atlas.length[slot]
                got = (atlas.ys[a : a + n], atlas.xs[a : a + n], atlas.vals[a : a + n])
                ref = ATLAS._rasterize(f.draw_path, f.draw_index, k // SUBPIXEL, s26, k % SUBPIXEL, f.draw_coords)
                for x, y in zip(got, ref):
                    assert x.dtype == y.dtype and np.array_equal(x, y), (name, size, k)
                inked += n > 0
    assert inked > 500

LINES = [
    *MIXED,
    "The quick brown fox jumps over the lazy dog, again and again.",
    "Съешь же ещё этих мягких французских булок, да выпей чаю.",
    "यह एक परीक्षण वाक्य है जिसमें संयुक्ताक्षर क्ष त्र ज्ञ हैं।",
    "এটি একটি পরীক্ষামূলক বাক্য।",
    "ይህ የሙከራ ዓረፍተ ነገር ነው።",
]


@pytest.mark.parametrize("profile", ["pixel", "pixel_renderer", "seetok", "page"])
def test_pixels_identical_cold_warm_and_reference_shaping(profile: str, monkeypatch: pytest.MonkeyPatch) -> None:
    r = Renderer(profile)
    r.clear_caches()
    cold = [[a.copy() for a in r.render(t).arrays] for t in LINES]
    warm = [[a.copy() for a in r.render(t).arrays] for t in LINES]
    # The reference: HarfBuzz read through uharfbuzz's serialization, new caches.
    monkeypatch.setattr(shaping, "shape_raw", shaping._shape_serialized)
    ref_r = Renderer(profile)
    ref_r.clear_caches()
    ref = [[a.copy() for a in ref_r.render(t).arrays] for t in LINES]
    for t, c, w, f in zip(LINES, cold, warm, ref):
        assert len(c) == len(w) == len(f), t
        for a, b, d in zip(c, w, f):
            assert np.array_equal(a, b) and np.array_equal(a, d), (profile, t)
    assert sum(int((a < 128).sum()) for imgs in cold for a in imgs) > 1000


@pytest.mark.parametrize("profile", ["pixel", "pixel_renderer", "reader"])
def test_strip_path_counts_the_patches_holding_ink(profile: str) -> None:
    """The compiled draw call's ink-patch count equals a count on the finished image."""
    r = Renderer(profile)
    ps = r.profile.patch_size
    for text in [*MIXED, "", "   ", "a", "-" * 300]:
        res = r.render(text)
        img = res.arrays[0]
        w = img.shape[1] - (ps if r.profile.eos_patch else 0)  # the end-of-sequence patch is not ink
        h = img.shape[0] - img.shape[0] % ps
        ink = img[:h, :w] < 255
        n = int(ink.reshape(h // ps, ps, w // ps, ps).any(axis=(1, 3)).sum())
        assert res.ink_patches == n, (profile, text)


def test_rgb_strip_paints_colour_glyphs_whatever_the_placement_path() -> None:
    """Lines of one, two and more runs (the per-run and the one-call placement) keep colour emoji in an RGB strip."""
    from mmx.render.fonts import colour_emoji_path

    if colour_emoji_path() is None:
        pytest.skip("no colour emoji font installed (Debian: fonts-noto-color-emoji)")
    rgb, grey = Renderer("pixel", rgb=True), Renderer("pixel")
    # one run; two runs; five runs of two faces (the one-call placement unless colour is painted); many faces
    for text in ["😀", "ok 😀", "a 😀 b 😀 c", "a 😀 b שלום c 123 مرحبا d", "日本語 😀 カタカナ 한국어 😀 text"]:
        res, ref = rgb.render(text), grey.render(text)
        assert np.array_equal(res.arrays[0], ref.arrays[0]), text  # grey ink as the grey profile draws it
        assert res.colour_arrays, text
        c = res.colour_arrays[0].astype(np.int16)
        assert ((c.max(axis=-1) - c.min(axis=-1)) > 100).sum() > 10, text


TOKEN_LINES = [
    "فارسی: «می‌خواهم» ۱۲۳ کتاب بخرم.",
    "در ۳۰ مه سال ۲۰۰۵ و در ژینینگ استان چینگهای چین یک کشاورز",
    "تقریبا اختلاف دمای ۲۰ درجه‌ای بین کانزاس سیتی (از ایالت) میسوری",
    "ساینزبوری ۲۸۱ فروشگاه Sainsbury's می‌گوید، 2017 «خانه‌ها»",
    "می‌ 12 ‌ab «ok» ‌ن",
    "ปู่ ฟี่ ญั้ ทำ กำ ค่ำ (น้ำ) 12 ทำไม, ok ำ",
    "ພາສາລາວ ຄຳ ນຳ້",
    "নিউ ইয়র্ক‌ শহর, ১২৩ কিমি (প্রায়)।",
    "  leading, trailing and  double  spaces  ",
]


def _token_fuzz(n: int) -> list[str]:
    """Seeded random lines of Persian, Thai and Latin words with ZWNJ, SARA AM, digits, punctuation and spaces."""
    import random

    rnd = random.Random(25)
    alphabets = ["سلامکتابمیخواهمدرژ\u200c\u200c۱۲۳\u064b", "ทกปค่น้ปู่\u0e33\u0e33", "abcXYZéß0123"]
    punct = ".,:;«»()!?-'\"—…€"
    lines = []
    for _ in range(n):
        words = []
        for _w in range(rnd.randint(1, 8)):
            alphabet = alphabets[0 if rnd.random() < 0.6 else rnd.randint(1, 2)]
            w = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 7)))
            w = (rnd.choice(punct) if rnd.random() < 0.3 else "") + w + (rnd.choice(punct) if rnd.random() < 0.3 else "")
            words.append(w + rnd.choice(["", " ", " ", "  ", "\u00a0", "\u3000"]))
        lines.append("".join(words))
    return lines


@pytest.mark.parametrize("profile", ["pixel_renderer", "page"])
def test_compiled_token_itemizer_equals_the_word_by_word_loop(profile: str) -> None:
    """The compiled word-by-word itemization (ZWNJ, SARA AM lines) gives the runs of ``StripPath._token_runs``."""
    from mmx.render.itemize import may_be_cjk
    from mmx.render.shaping import codepoints

    r = Renderer(profile)
    r.render("warm")
    strip = r._strip
    it = strip.itemizer
    compiled = declined = 0
    for line in [*TOKEN_LINES, *MIXED, *LINES, *_sample_lines(), *_token_fuzz(1500)]:
        body = line.rstrip()
        cjk = it.cjk_for(body, strip._default_cjk) if may_be_cjk(body) else strip._default_cjk
        levels = bidi_levels(body)[0] if needs_bidi(body) else None
        cps = codepoints(body)
        if it.line_runs(body, levels, cjk, cps) is not None:
            continue
        runs = it.token_line_runs(levels, cjk, cps)
        if runs is None:
            continue
        ref = strip._token_runs(line, body, None if levels is None else levels.tolist(), cjk)
        if runs == []:  # declined: the loop must decline it too (a word of mixed bidi levels)
            declined += 1
            assert ref is None, line
            continue
        compiled += 1
        assert ref is not None and ref[1] == [] and runs == ref[0], line
    assert compiled >= 60 and declined >= 60
