"""Tests for mmx.render.noise: determinism, grapheme-cluster integrity, image ops, parsing."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

import mmx
from mmx.errors import InputError
from mmx.render.noise import (
    ZERO_WIDTH,
    Blur,
    CharDrop,
    CharInsert,
    CharSwap,
    Compose,
    FontJitter,
    Homoglyphs,
    Jpeg,
    Noise,
    Rotate,
    SizeJitter,
    StripMarks,
    ZeroWidth,
    confusables,
    parse_noise,
    rng_for,
)
from mmx.render.profiles import RenderProfile

FULL_SPEC = "homoglyphs:0.1,swap:0.05,drop:0.05,insert:0.05,size:0.15,blur:0.3-1.0,jpeg:30-70,rotate:2"


def clusters(text: str) -> list[str]:
    return regex.findall(r"\X", text)


# Pieces that trip up code point or naive segmentation: conjuncts, ZWJ sequences,
# flags and lone regional indicators, combining stacks and lone marks, Hangul
# jamo, CR LF, a lone ZWJ and skin-tone modifier, and plain Latin with confusables.
TRICKY = [
    "क्ष",
    "क्षत्रिय",
    "\u0915",
    "\u094d",
    "👩\u200d👩\u200d👧",
    "👍🏽",
    "\U0001f3fd",
    "🇮🇳",
    "🇮",
    "🇺",
    "e\u0301\u0323",
    "\u0301",
    "\u200d",
    "\ufe0f",
    "\u1100",
    "\u1161",
    "\u11a8",
    "\r\n",
    "\r",
    "\n",
    " ",
    "\t",
    "a",
    "l",
    "O",
    "0",
    "x",
]
texts = st.one_of(st.text(), st.lists(st.sampled_from(TRICKY), max_size=30).map("".join))
seeds = st.integers(min_value=0, max_value=2**64)
probs = st.floats(min_value=0.0, max_value=1.0)
fast = settings(max_examples=150, deadline=None)


class Scripted(random.Random):
    """A Random whose random() replays given values, to force one particular edit."""

    def __init__(self, values: list[float]) -> None:
        super().__init__(0)
        self.values = list(values)

    def random(self) -> float:
        return self.values.pop(0)


# -- determinism --------------------------------------------------------------

_PROBE = r"""
import hashlib, json, sys
import numpy as np
from mmx.render.noise import parse_noise, rng_for
from mmx.render.profiles import RenderProfile

def run(spec, text, seed):
    noise = parse_noise(spec)
    rng = rng_for(seed, text)
    image = np.full((16, 96, 3), 250, np.uint8)
    image[3:13, 8:88:5] = (10, 20, 30)
    profile = noise.apply_profile(RenderProfile(fonts=("base.ttf",)), rng)
    out = noise.apply_image(image, rng)
    return {
        "text": noise.apply_text(text, rng),
        "font_size": profile.font_size,
        "fonts": list(profile.fonts),
        "image": hashlib.sha256(out.tobytes()).hexdigest(),
    }

if __name__ == "__main__":
    print(json.dumps(run(*json.loads(sys.argv[1]))))
"""
_PROBE_ARGS = (FULL_SPEC + ",font:a.ttf;b.ttf@0.5", "Hello wörld, क्षत्रिय 👩\u200d👩\u200d👧 🇮🇳!", 1234)


def _probe_here(spec: str, text: str, seed: int) -> dict:
    namespace: dict = {"__name__": "noise_probe"}
    exec(_PROBE, namespace)
    return namespace["run"](spec, text, seed)


def test_same_seed_same_output_in_process() -> None:
    assert _probe_here(*_PROBE_ARGS) == _probe_here(*_PROBE_ARGS)
    noise = parse_noise(FULL_SPEC)
    text = "The quick brown fox jumps over the lazy dog " * 4
    once = noise.apply_text(text, rng_for(7, text))
    assert once == noise.apply_text(text, rng_for(7, text))
    # with ~100 letters at these rates, some other seed must differ
    assert any(noise.apply_text(text, rng_for(s, text)) != once for s in range(8, 20))


def test_same_seed_same_output_across_processes() -> None:
    # different hash seeds: the result must not depend on Python's salted str hash
    root = str(Path(mmx.__file__).resolve().parents[1])
    expected = _probe_here(*_PROBE_ARGS)
    for hash_seed in ("1", "2"):
        env = {
            **os.environ,
            "PYTHONHASHSEED": hash_seed,
            "PYTHONPATH": os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH")) if p),
        }
        done = subprocess.run(
            [sys.executable, "-c", _PROBE, json.dumps(_PROBE_ARGS)],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        assert json.loads(done.stdout) == expected


def test_rng_for_depends_on_seed_and_text() -> None:
    def draws(rng: random.Random) -> list[float]:
        return [rng.random() for _ in range(4)]

    assert draws(rng_for(1, "abc")) == draws(rng_for(1, "abc"))
    assert draws(rng_for(1, "abc")) != draws(rng_for(2, "abc"))
    assert draws(rng_for(1, "abc")) != draws(rng_for(1, "abd"))
    assert draws(rng_for(1, "\ud800")) == draws(rng_for(1, "\ud800"))  # lone surrogate: no crash
    for bad in (1.5, "1", None, True):
        with pytest.raises(InputError, match="seed"):
            rng_for(bad, "abc")  # type: ignore[arg-type]


# -- text ops -----------------------------------------------------------------

TEXT_OPS = [Homoglyphs(1.0), CharSwap(1.0), CharDrop(1.0), CharInsert(1.0), CharInsert(1.0, alphabet="xyz"),
            StripMarks(1.0), ZeroWidth(1.0)]


@pytest.mark.parametrize("op", TEXT_OPS, ids=repr)
def test_empty_text_stays_empty(op: Noise) -> None:
    assert op.apply_text("", random.Random(0)) == ""


@pytest.mark.parametrize("op", [Homoglyphs(0), CharSwap(0), CharDrop(0), CharInsert(0), StripMarks(0), ZeroWidth(0)],
                         ids=repr)
def test_zero_probability_is_identity_and_draws_nothing(op: Noise) -> None:
    rng = random.Random(0)
    state = rng.getstate()
    assert op.apply_text("Hello world", rng) == "Hello world"
    assert rng.getstate() == state


def test_homoglyphs_at_p1_move_latin_letters_to_other_scripts() -> None:
    text = "Hello Copy Paste"
    out = Homoglyphs(1.0).apply_text(text, rng_for(0, text))
    assert regex.search(r"[\p{Cyrillic}\p{Greek}\p{Armenian}]", out)
    table = confusables()
    for before, after in zip(clusters(text), clusters(out), strict=True):
        if before in table:  # every candidate is replaced at p=1
            assert after in table[before]
        else:
            assert after == before


def test_homoglyphs_leave_accented_and_unknown_clusters() -> None:
    text = "e\u0301 \u00e9 क्ष 🇮🇳"
    assert Homoglyphs(1.0).apply_text(text, random.Random(0)) == text


def test_confusable_table_is_small_symmetric_and_single_letters() -> None:
    table = confusables()
    assert 50 <= sum(not ch.isascii() for ch in table) <= 80
    for char, others in table.items():
        # single letters or digits: a replacement cannot change grapheme breaks
        assert len(char) == 1 and unicodedata.category(char)[0] in "LN"
        assert others and char not in others
        for other in others:
            assert char in table[other]


def test_swap_drop_insert_examples() -> None:
    rng = random.Random(0)
    assert CharSwap(1.0).apply_text("abcd", rng) == "badc"
    assert CharSwap(1.0).apply_text("ab cd", rng) == "ba dc"  # spaces stay put
    assert CharSwap(1.0).apply_text("क्षa", rng) == "aक्ष"
    assert CharDrop(1.0).apply_text("ab cd\n", rng) == " \n"
    assert CharInsert(1.0, alphabet="Z").apply_text("ab", rng) == "aZbZ"
    assert CharInsert(1.0).apply_text("   ", rng) == "   "  # nothing to draw from


def test_edits_that_would_fuse_clusters_are_skipped() -> None:
    # a leading combining mark would attach to the letter swapped before it
    assert CharSwap(1.0).apply_text("\u0301a", random.Random(0)) == "\u0301a"
    # dropping x would pair the two lone regional indicators into a flag
    assert CharDrop(0.5).apply_text("🇮x🇳", Scripted([0.9, 0.0, 0.9])) == "🇮x🇳"
    # dropping x would join Hangul jamo into a syllable
    assert CharDrop(0.5).apply_text("\u1100x\u1161", Scripted([0.9, 0.0, 0.9])) == "\u1100x\u1161"
    # a lone mark from the alphabet would attach to the cluster before it
    assert CharInsert(1.0, alphabet="\u0301").apply_text("ab", random.Random(0)) == "ab"


@fast
@given(texts, seeds, probs)
def test_swap_keeps_the_clusters(text: str, seed: int, p: float) -> None:
    out = CharSwap(p).apply_text(text, rng_for(seed, text))
    out.encode("utf-8")  # no lone surrogate
    assert Counter(clusters(out)) == Counter(clusters(text))


@fast
@given(texts, seeds, probs)
def test_drop_removes_whole_non_space_clusters(text: str, seed: int, p: float) -> None:
    out = CharDrop(p).apply_text(text, rng_for(seed, text))
    out.encode("utf-8")
    before, after = Counter(clusters(text)), Counter(clusters(out))
    assert after <= before
    assert all(not c.isspace() for c in before - after)


@fast
@given(texts, seeds, probs)
def test_insert_draws_from_the_text(text: str, seed: int, p: float) -> None:
    out = CharInsert(p).apply_text(text, rng_for(seed, text))
    out.encode("utf-8")
    before, after = Counter(clusters(text)), Counter(clusters(out))
    assert before <= after
    assert set(after - before) <= {c for c in before if not c.isspace()}


@fast
@given(texts, texts.filter(bool), seeds, probs)
def test_insert_draws_from_the_alphabet(text: str, alphabet: str, seed: int, p: float) -> None:
    out = CharInsert(p, alphabet=alphabet).apply_text(text, rng_for(seed, text))
    out.encode("utf-8")
    before, after = Counter(clusters(text)), Counter(clusters(out))
    assert before <= after
    assert set(after - before) <= set(clusters(alphabet))


@fast
@given(texts, seeds, probs)
def test_homoglyphs_replace_cluster_for_cluster(text: str, seed: int, p: float) -> None:
    out = Homoglyphs(p).apply_text(text, rng_for(seed, text))
    table = confusables()
    pairs = list(zip(clusters(text), clusters(out), strict=False))
    assert len(pairs) == len(clusters(text)) == len(clusters(out))
    assert all(a == b or b in table.get(a, ()) for a, b in pairs)


@fast
@given(texts, seeds)
def test_composed_text_ops_only_emit_known_clusters(text: str, seed: int) -> None:
    noise = parse_noise("homoglyphs:0.5,swap:0.5,drop:0.3,insert:0.3")
    out = noise.apply_text(text, rng_for(seed, text))
    out.encode("utf-8")
    allowed = set(clusters(text)) | set(confusables())
    assert set(clusters(out)) <= allowed


# -- profile ops --------------------------------------------------------------


def test_font_jitter_prepends_one_of_the_fonts() -> None:
    profile = RenderProfile(fonts=("base.ttf",))
    seen = set()
    for seed in range(20):
        out = FontJitter(("a.ttf", "b.ttf")).apply_profile(profile, rng_for(seed, ""))
        assert out.fonts[1:] == ("base.ttf",)
        seen.add(out.fonts[0])
    assert seen == {"a.ttf", "b.ttf"}
    assert FontJitter("a.ttf", p=0).apply_profile(profile, random.Random(0)) is profile
    assert FontJitter(Path("a.ttf")).fonts == ("a.ttf",)


def test_size_jitter_stays_in_range_and_clamps() -> None:
    profile = RenderProfile(font_size=12.0)
    sizes = {SizeJitter(0.2).apply_profile(profile, rng_for(s, "")).font_size for s in range(30)}
    assert len(sizes) > 1 and all(12.0 * 0.8 <= s <= 12.0 * 1.2 for s in sizes)
    assert SizeJitter(0).apply_profile(profile, random.Random(0)) is profile
    tiny = RenderProfile(font_size=1.0)
    assert all(SizeJitter(0.9).apply_profile(tiny, rng_for(s, "")).font_size >= 1.0 for s in range(20))


# -- image ops ----------------------------------------------------------------


def _image(rgb: bool) -> np.ndarray:
    gray = np.full((16, 64), 255, np.uint8)
    gray[4:12, 6:58:3] = 0  # thin vertical strokes: blur and JPEG must touch them
    return np.stack([gray, gray // 2 + 100, gray], axis=-1) if rgb else gray


@pytest.mark.parametrize("rgb", [False, True], ids=["gray", "rgb"])
@pytest.mark.parametrize("op", [Blur(), Jpeg(), Rotate(5.0)], ids=repr)
def test_image_ops_keep_shape_dtype_and_change_pixels(op: Noise, rgb: bool) -> None:
    image = _image(rgb)
    copy = image.copy()
    out = op.apply_image(image, rng_for(3, "img"))
    assert out.shape == image.shape and out.dtype == np.uint8
    assert (out != image).any()
    assert np.array_equal(image, copy)  # input untouched
    out[0, 0] = 1  # writable


@pytest.mark.parametrize(
    "op", [Blur(radius=0), Blur(p=0), Jpeg(p=0), Rotate(degrees=0), Rotate(p=0)], ids=repr
)
def test_image_ops_at_strength_zero_keep_the_image(op: Noise) -> None:
    image = _image(rgb=True)
    rng = random.Random(0)
    state = rng.getstate()
    assert op.apply_image(image, rng) is image
    assert rng.getstate() == state


def test_rotate_fills_with_the_background() -> None:
    image = np.zeros((32, 64, 3), np.uint8)
    image[:] = (200, 220, 240)
    image[12:20, 20:44] = (0, 0, 0)
    for seed in range(5):
        out = Rotate(10.0).apply_image(image, rng_for(seed, ""))
        for y, x in ((0, 0), (0, -1), (-1, 0), (-1, -1)):
            assert tuple(out[y, x]) == (200, 220, 240)


@pytest.mark.parametrize(
    "bad", [np.zeros((4, 4), np.float32), np.zeros((4, 4, 4), np.uint8), [[0, 1]]], ids=["float", "rgba", "list"]
)
def test_image_ops_reject_other_images(bad: object) -> None:
    with pytest.raises(InputError, match="image"):
        Blur().apply_image(bad, random.Random(0))  # type: ignore[arg-type]


# -- validation and parsing ---------------------------------------------------


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: Homoglyphs(1.5), "Homoglyphs: p must be between 0 and 1"),
        (lambda: CharSwap(-0.1), "CharSwap: p"),
        (lambda: CharDrop(float("nan")), "CharDrop: p"),
        (lambda: CharDrop("0.1"), "must be a number"),
        (lambda: CharInsert(alphabet=""), "alphabet"),
        (lambda: CharInsert(alphabet="a\ud800"), "surrogate"),
        (lambda: FontJitter(()), "at least one font"),
        (lambda: SizeJitter(1.0), "scale"),
        (lambda: Blur(radius=(1.0, 0.3)), "reversed"),
        (lambda: Blur(radius=(1, 2, 3)), "pair"),
        (lambda: Jpeg(quality=(0, 50)), "quality must be between 1 and 100"),
        (lambda: Jpeg(quality=(30.5, 40)), "whole numbers"),
        (lambda: Rotate(-1), "degrees"),
        (lambda: Compose(("swap",)), "not a noise op"),
    ],
)
def test_out_of_range_parameters_raise(make, message: str) -> None:
    with pytest.raises(InputError, match=regex.escape(message)):
        make()


def test_parse_noise_builds_the_ops_in_order() -> None:
    noise = parse_noise(FULL_SPEC)
    assert noise.ops == (
        Homoglyphs(0.1),
        CharSwap(0.05),
        CharDrop(0.05),
        CharInsert(0.05),
        SizeJitter(0.15),
        Blur((0.3, 1.0)),
        Jpeg((30, 70)),
        Rotate(2.0),
    )
    assert parse_noise(" blur , jpeg:50@0.5, font:a.ttf;b.otf ,") == Compose(
        (Blur(), Jpeg((50, 50), p=0.5), FontJitter(("a.ttf", "b.otf")))
    )
    assert parse_noise("") == Compose(())
    assert parse_noise("blur:1e-1-2") == Compose((Blur((0.1, 2.0)),))


@pytest.mark.parametrize(
    "spec",
    [FULL_SPEC, "blur:0.5@0.25,rotate:1.5@0.5,size:0.1@0.75", "font:fonts/a.ttf;b.otf@0.5", "swap:1e-05", ""],
)
def test_parse_noise_round_trips(spec: str) -> None:
    noise = parse_noise(spec)
    assert parse_noise(noise.to_spec()) == noise
    assert parse_noise(noise.to_spec()).to_spec() == noise.to_spec()


def test_to_spec_refuses_what_the_syntax_cannot_say() -> None:
    with pytest.raises(InputError, match="alphabet"):
        CharInsert(0.1, alphabet="xyz").to_spec()
    with pytest.raises(InputError, match="font paths"):
        FontJitter(("a,b.ttf",)).to_spec()


def test_compose_applies_stages_in_order() -> None:
    @dataclass(frozen=True)
    class Append(Noise):
        suffix: str = ""

        def apply_text(self, text: str, rng: random.Random) -> str:
            return text + self.suffix

    assert Compose([Append("a"), Compose((Append("b"), Append("c")))]).apply_text("x", random.Random(0)) == "xabc"
    profile = RenderProfile(font_size=10.0, fonts=("base.ttf",))
    out = Compose((FontJitter("a.ttf"), FontJitter("b.ttf"))).apply_profile(profile, random.Random(0))
    assert out.fonts == ("b.ttf", "a.ttf", "base.ttf")


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("blurr:1", "unknown noise 'blurr'.*did you mean 'blur'"),
        ("homoglyph", "did you mean 'homoglyphs'"),
        ("zzz", "unknown noise 'zzz'"),
        ("blur:abc", "'abc' is not a number or a range"),
        ("jpeg:30-", "is not a number or a range"),
        ("rotate:1-2", "takes one number"),
        ("swap:1.5", "CharSwap: p must be between 0 and 1"),
        ("swap:0.1@0.5", "already is its probability"),
        ("jpeg:30.5", "whole numbers"),
        ("blur:1@x", "'@' must be followed by a probability"),
        ("blur:", "nothing after ':'"),
        ("font:;", "give font files"),
        ("size:-0.1", "is not a number"),
    ],
)
def test_parse_noise_errors(spec: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_noise(spec)


# -- stripped diacritics and zero-width characters (issue 24's corruption suite) ----


def test_strip_marks_drops_accents_harakat_and_tone_marks_but_keeps_virama_and_vowel_signs() -> None:
    op = StripMarks(1.0)
    assert op.apply_text("Tiếng Việt, café", random.Random(0)) == "Tieng Viet, cafe"
    assert op.apply_text("مُحَمَّد", random.Random(0)) == "محمد"
    assert op.apply_text("ก่อน", random.Random(0)) == "กอน"  # Thai tone mark
    # virama (conjuncts) and dependent vowel signs stay; the nukta is a diacritic
    assert op.apply_text("हिन्दी क़िला", random.Random(0)) == "हिन्दी किला"


def test_strip_marks_at_half_strips_some_and_is_seeded() -> None:
    text = "Tiếng Việt có dấu rất nhiều ở mọi từ"
    a = StripMarks(0.5).apply_text(text, rng_for(3, text))
    assert a == StripMarks(0.5).apply_text(text, rng_for(3, text))
    full = StripMarks(1.0).apply_text(text, random.Random(0))
    assert a not in (text, full)


def test_zero_width_inserts_only_invisible_code_points_between_clusters() -> None:
    text = "नमस्ते दुनिया"
    out = ZeroWidth(1.0).apply_text(text, random.Random(0))
    assert "".join(c for c in out if c not in ZERO_WIDTH) == text
    assert sum(c in ZERO_WIDTH for c in out) == len(clusters(text))
    assert all(unicodedata.category(c) == "Cf" for c in ZERO_WIDTH)
    # no cluster is torn: the marks stay with their bases
    assert [c for c in clusters(out) if c not in ZERO_WIDTH] == clusters(text)


def test_new_text_ops_parse_and_write_back() -> None:
    noise = parse_noise("nomarks:0.5,zerowidth:0.2")
    assert noise.to_spec() == "nomarks:0.5,zerowidth:0.2"
    assert parse_noise(noise.to_spec()) == noise
    with pytest.raises(InputError, match="zerowidth"):
        parse_noise("zerowidth:0.1@0.5")
    with pytest.raises(InputError):
        parse_noise("nomarks:1.5")
