"""Input the renderer must survive or refuse clearly: empty, huge, pathological, wrong types."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
import regex

from mmx.errors import InputError, MmxError, UnknownNameError
from mmx.render import Renderer, font_stack, get_profile, render_text
from mmx.render.result import RenderResult

PROFILES = ("pixel", "seetok", "page")
BIG = {"height": 48, "font_size": 32, "max_patches": None, "width": 4096, "eos_patch": False}


def ink(r: RenderResult) -> int:
    """Dark pixels in all images, the PIXEL end-of-sequence patch excluded."""
    total = 0
    p = r.profile
    for a in r.arrays:
        if p.layout == "strip" and p.eos_patch:
            a = a[:, : a.shape[1] - p.patch_size]
        total += int((a < 128).sum())
    return total


def graphemes(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in regex.finditer(r"\X", text, flags=regex.DOTALL)]


def assert_drawn_before_cut(r: RenderResult) -> None:
    """Every visible character before ``truncated_at`` (or all of them) is in a patch."""
    text = r.text
    cut = len(text) if r.truncated_at is None else r.truncated_at
    c2p = r.char_to_patch
    undrawn = [i for i in range(cut) if c2p[i] < 0 and not text[i].isspace()]
    assert not undrawn, f"characters not drawn and not reported: {undrawn[:10]}"
    assert (c2p[cut:] == -1).all()
    assert int(c2p.max(initial=-1)) < r.num_patches


# --------------------------------------------------------------------------- empty and blank

BLANKS = ["", " ", "   ", "\t", "\u3000\u00a0", "\t\n ", "\n\n\n"]


def _blank_cases() -> list:
    cases = []
    for text in BLANKS:
        for profile in PROFILES:
            marks = []
            # (page and float-residue cases were bugs, fixed: no marks left)
            cases.append(pytest.param(text, profile, marks=marks, id=f"{profile}-[{text.encode('unicode_escape').decode()}]"))
    return cases


@pytest.mark.parametrize(("text", "profile"), _blank_cases())
def test_blank_text_gives_zero_text_patches(text: str, profile: str) -> None:
    r = render_text(text, profile)
    assert r.missing_glyphs == [] and r.control_chars == []
    assert not r.truncated and r.truncated_at is None and not r.clipped
    assert ink(r) == 0
    assert (r.char_to_patch == -1).all()
    assert r.text_patches == 0


@pytest.mark.parametrize("profile", PROFILES)
def test_blank_text_has_a_valid_result(profile: str) -> None:
    """Whatever the counts, empty text gives a usable image and report (no exception)."""
    for text in BLANKS:
        r = render_text(text, profile)
        assert len(r.arrays) == 1 and r.arrays[0].size > 0
        assert r.patches().shape[0] == r.num_patches >= 1
        assert r.to_dict()["truncated"] is False
        assert r.word_starts == []
        if profile == "pixel":
            assert (r.array[:, -16:] == 0).all()


# --------------------------------------------------------------------------- huge input

def _megabyte_of_words() -> str:
    """1 MB of made-up words (seeded), so no cache of an earlier test has shaped them."""
    import random

    rnd = random.Random(1)
    letters = "abcdefghijklmnopqrstuvwxyz"
    words = ["".join(rnd.choice(letters) for _ in range(rnd.randint(2, 9))) for _ in range(3000)]
    return " ".join(rnd.choice(words) for _ in range(200_000))[:1_000_000]


_MEGABYTE = _megabyte_of_words()


@pytest.mark.parametrize(
    "profile",
    [
        "pixel",
        "seetok",
        "page",
    ],
)
def test_one_megabyte_of_text(profile: str) -> None:
    # Speed is measured by benchmarks, not asserted here: the point is a defined result.
    r = Renderer(profile).render(_MEGABYTE)
    assert r.truncated and r.truncated_at is not None and 0 < r.truncated_at < len(_MEGABYTE)
    if profile != "pixel":
        assert len(r.arrays) == r.profile.max_images, "spilled as far as allowed before truncating"
    assert_drawn_before_cut(r)


@pytest.mark.parametrize(
    "profile",
    [
        "pixel",
        pytest.param("seetok", marks=pytest.mark.slow),
        pytest.param("page", marks=pytest.mark.slow),
    ],
)
def test_one_megabyte_without_a_space(profile: str) -> None:
    """One huge 'word' is shaped (in grapheme-aligned pieces), broken into rows or lines, and cut."""
    text = "x" * 1_000_000
    r = render_text(text, profile)
    assert r.truncated and r.truncated_at is not None
    assert_drawn_before_cut(r)


@pytest.mark.parametrize("profile", PROFILES)
def test_very_long_word(profile: str) -> None:
    word = "Donaudampfschifffahrtsgesellschaftskapitän" * 60  # 2,520 letters, no space
    text = f"start {word} end"
    r = render_text(text, profile)
    assert r.missing_glyphs == [] and not r.clipped
    assert_drawn_before_cut(r)
    if profile == "pixel":
        assert r.truncated and text.index(word) < r.truncated_at < len(text)
    else:
        assert not r.truncated
        assert len(r.lines) > 3, "the word is broken across rows/lines"


# --------------------------------------------------------------------------- pathological text


@pytest.mark.parametrize("profile", PROFILES)
def test_stack_of_200_combining_marks(profile: str) -> None:
    text = "e" + "\u0301" * 200 + " ok " + "a" + "\u0300\u0301\u0302\u0303\u0308" * 40
    r = render_text(text, profile)
    assert r.missing_glyphs == [] and r.control_chars == []
    c2p = r.char_to_patch
    for s, e in graphemes(text):
        assert len(set(c2p[s:e].tolist())) == 1, "a grapheme stays in one patch"
    assert c2p[0] >= 0 and c2p[text.index("ok")] >= 0
    assert r.clipped, "the stack rises far above the line box: clipped ink is reported"
    assert not r.truncated


@pytest.mark.parametrize(
    ("profile", "text"),
    [
        pytest.param("pixel", "abc \u0301def", id="pixel-strip"),
        pytest.param("pixel", "abc\t\u0301def", id="pixel-with-tab"),
        pytest.param("pixel", "abc\n\u0301def", id="pixel-two-paragraphs"),
        pytest.param("seetok", "abc \u0301def", id="seetok"),
        pytest.param("page", "abc \u0301def", id="page"),
    ],
)
def test_word_initial_combining_mark_is_not_silently_dropped(profile: str, text: str) -> None:
    with_mark = render_text(text, profile)
    without = render_text(text.replace("\u0301", ""), profile)
    reported = with_mark.missing_glyphs or with_mark.clipped
    changed = [a.shape for a in with_mark.arrays] != [a.shape for a in without.arrays] or any(
        not np.array_equal(a, b) for a, b in zip(with_mark.arrays, without.arrays)
    )
    assert changed or reported


@pytest.mark.parametrize(
    "profile",
    ["pixel", "seetok", "page"],
)
def test_lone_combining_mark_draws_something(profile: str) -> None:
    for mark in ("\u0301", "\u094d"):
        r = render_text(mark, profile)
        # Any non-white pixel: a lone 7 px acute is drawn, but too faint for ink()'s threshold.
        drawn = any((a < 255).any() for a in r.arrays)
        assert drawn or r.missing_glyphs or r.clipped, repr(mark)


@pytest.mark.parametrize("profile", PROFILES)
def test_space_and_following_extender_stay_one_grapheme(profile: str) -> None:
    text = "0 \U0001f3fb x"
    r = render_text(text, profile)
    (s, e) = graphemes(text)[1]
    assert (s, e) == (1, 3)
    assert len(set(r.char_to_patch[s:e].tolist())) == 1
    bounds = {a for a, _ in graphemes(text)} | {len(text)}
    assert all(box.start in bounds and box.end in bounds for box in r.lines)


@pytest.mark.parametrize(
    "profile",
    [
        "pixel",
        "seetok",
        "page",
    ],
)
def test_truncation_never_splits_a_grapheme(profile: str) -> None:
    text = ("e" + "\u0301" * 200 + " ") * 100  # 20,200 characters, 200 graphemes
    r = render_text(text, profile, overflow="truncate", max_images=1)
    bounds = {s for s, _ in graphemes(text)} | {len(text)}
    if r.truncated_at is not None:
        assert r.truncated_at in bounds, r.truncated_at
    for box in r.lines:
        assert box.start in bounds and box.end in bounds, box


@pytest.mark.parametrize("profile", PROFILES)
def test_zwj_emoji_and_flags(profile: str) -> None:
    text = "👩\u200d👩\u200d👧 👨\u200d💻 🏳️\u200d🌈 🇮🇳🇯🇵 🇮 👍🏽 ❤️"
    r = render_text(text, profile)
    assert r.missing_glyphs == [] and r.control_chars == []
    assert not r.clipped and not r.truncated
    c2p = r.char_to_patch
    for s, e in graphemes(text):
        if text[s:e].isspace():
            continue
        assert len(set(c2p[s:e].tolist())) == 1 and c2p[s] >= 0, text[s:e]


@pytest.mark.parametrize("profile", PROFILES)
def test_mixed_directions_with_digits(profile: str) -> None:
    text = "Order 66: طلب رقم ١٢٣ من 2024، שלום 3.14 (test) «ok» עברית-English"
    r = render_text(text, profile)
    assert r.missing_glyphs == [] and not r.clipped and not r.truncated
    assert_drawn_before_cut(r)


@pytest.mark.parametrize("profile", PROFILES)
def test_explicit_bidi_controls(profile: str) -> None:
    text = "a\u202eevil\u202c b \u2067שלום\u2069 c\u200f\u200e d\u061c"
    r = render_text(text, profile)
    assert r.missing_glyphs == [] and r.control_chars == []
    assert int(r.char_to_patch.max()) < r.num_patches


def test_lone_surrogates_and_noncharacters() -> None:
    text = "x\ud800y\udfffz\uffff\ufffe\U0010ffff"
    r = render_text(text, "pixel")
    reported = {m.index for m in r.missing_glyphs}
    assert {1, 3} <= reported
    for m in r.missing_glyphs:
        assert ord(text[m.index]) == m.codepoint


# --------------------------------------------------------------------------- wrong arguments


@pytest.mark.parametrize("bad", [b"bytes", bytearray(b"x"), None, 42, ["list"]])
def test_text_must_be_str(bad: object) -> None:
    with pytest.raises(InputError, match="str"):
        render_text(bad)  # type: ignore[arg-type]
    with pytest.raises(InputError):
        Renderer("seetok").render(bad)  # type: ignore[arg-type]


def test_bytes_with_noise_is_an_input_error() -> None:
    with pytest.raises(InputError):
        render_text(b"bytes", noise="blur:0.5")  # type: ignore[arg-type]


def test_unknown_profile_suggests() -> None:
    with pytest.raises(UnknownNameError) as info:
        render_text("hi", "pixl")
    msg = str(info.value)
    assert "'pixel'" in msg and "Did you mean" in msg
    assert isinstance(info.value, KeyError) and isinstance(info.value, MmxError)
    with pytest.raises(UnknownNameError, match="seetok"):
        Renderer("setok")


@pytest.mark.parametrize(
    ("overrides", "match"),
    [
        ({"font_size": -1}, "font_size"),
        ({"font_size": 0}, "font_size"),
        ({"layout": "foo"}, "layout"),
        ({"overflow": "wrap"}, "overflow"),
        ({"height": 20}, "multiple"),
        ({"width": 100}, "multiple"),
        ({"patch_size": 1}, "patch_size"),
        ({"cjk": "xx"}, "cjk"),
        ({"fontsize": 9}, "font_size"),  # unknown field, with the close name suggested
        ({"colour": True}, "unknown"),
    ],
)
def test_bad_override_is_an_input_error(overrides: dict, match: str) -> None:
    with pytest.raises(InputError, match=match):
        render_text("hi", "pixel", **overrides)
    with pytest.raises(InputError, match=match):
        get_profile("seetok", **overrides)


def test_profile_leaving_no_room_is_an_input_error() -> None:
    with pytest.raises(InputError):
        Renderer("pixel", max_patches=1)
    with pytest.raises(InputError):
        Renderer("page", height=20, margin=14)


def test_missing_font_path_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        render_text("hi", "pixel", fonts=(str(tmp_path / "nope.ttf"),))


def test_file_that_is_not_a_font_is_an_input_error(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.ttf"
    garbage.write_bytes(bytes(range(256)) * 8)
    with pytest.raises(InputError, match=r"garbage\.ttf"):
        render_text("hi", "pixel", fonts=(str(garbage),))
    text = tmp_path / "notes.txt"
    text.write_text("not a font")
    with pytest.raises(InputError, match=r"notes\.txt"):
        render_text("hi", "pixel", fonts=(str(text),))
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(InputError, match=r"no \.ttf"):
        render_text("hi", "pixel", fonts=(str(empty),))


def test_a_real_user_font_is_accepted(tmp_path: Path) -> None:
    stack = font_stack()
    bundled = Path(stack.faces[stack.primary].path)
    mine = tmp_path / "MyFont.ttf"
    shutil.copyfile(bundled, mine)
    r = render_text("Hello", "pixel", fonts=(str(mine),))
    assert r.missing_glyphs == []
    assert r.fonts_hash != render_text("Hello", "pixel").fonts_hash
    assert np.array_equal(r.array, render_text("Hello", "pixel").array), "same font file, same pixels"
