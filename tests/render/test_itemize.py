"""bidi_levels reads python-bidi's debug report (its Python API returns only the
reordered string); these cases pin that format: levels per character, whatever
the character's UTF-8 width, and the paragraph level. Then a line's visual order
(UAX #9 L1-L2) and the cutting of long tokens."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from mmx.render.itemize import (
    MAX_TOKEN,
    TOKEN_RE,
    bidi_levels,
    l2_order,
    para_rtl,
    split_long,
    visual_order,
)


@pytest.mark.parametrize(
    ("text", "levels", "base"),
    [
        ("abc שלום", [0, 0, 0, 0, 1, 1, 1, 1], 0),
        ("שלום abc 123", [1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2], 1),
        ("abc (עברית) 2024", [0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 0, 0, 2, 2, 2, 2], 0),
        ("مرحبا 😀 ok", [1, 1, 1, 1, 1, 1, 1, 1, 2, 2], 1),  # a 4-byte emoji counts once
        ("नमस्ते", [0] * 6, 0),  # no RTL: python-bidi is not asked
        ("", [], 0),
    ],
)
def test_levels_per_character(text: str, levels: list[int], base: int) -> None:
    got, got_base = bidi_levels(text)
    assert got.tolist() == levels and got_base == base


def test_lone_surrogate_keeps_the_length() -> None:
    got, base = bidi_levels("שלום \udc80 x")
    assert len(got) == len("שלום \udc80 x") and base == 1


def test_l2_order_reverses_runs_from_the_highest_level_down() -> None:
    assert l2_order([0, 1, 1, 0], 0, [False] * 4) == [0, 2, 1, 3]
    assert l2_order([1, 2, 2, 1], 1, [False] * 4) == [3, 1, 2, 0]  # the LTR run inside keeps its order
    # Trailing whitespace takes the paragraph level (L1) before reordering.
    assert l2_order([1, 1, 0], 1, [False, False, True]) == [2, 1, 0]
    assert l2_order([], 0, []) == []


def test_visual_order_and_paragraph_direction_of_a_line() -> None:
    a, b, space, c = (SimpleNamespace(level=v, text=t) for v, t in ((1, "a"), (1, "b"), (1, " "), (2, "c")))
    line = [a, b, space, c]
    assert [it.text for it in visual_order(line, lambda it: it.text == " ")] == ["c", " ", "b", "a"]
    ltr = [SimpleNamespace(level=0, text="x")]
    assert visual_order(ltr, lambda it: False) is ltr  # nothing to reorder
    assert para_rtl(line, lambda it: it.text != " ")
    assert not para_rtl([SimpleNamespace(level=0), SimpleNamespace(level=1)], lambda it: True)
    assert not para_rtl([], lambda it: True)


def test_split_long_cuts_at_grapheme_boundaries() -> None:
    word = "e\u0301" * 300  # 600 code points, 300 clusters
    parts = split_long([(5, word), (700, "short")])
    assert "".join(t for t0, t in parts if t0 < 700) == word
    assert all(len(t) <= MAX_TOKEN and not t.startswith("\u0301") for _, t in parts)
    assert [t0 for t0, _ in parts] == [5, 5 + MAX_TOKEN, 5 + 2 * MAX_TOKEN, 700]
    assert TOKEN_RE.findall("ab  c\u0301 d") == ["ab", " ", " ", "c\u0301", " ", "d"]


def test_the_quick_prefilters_miss_no_cjk_or_rtl_character() -> None:
    """``may_be_cjk``'s and ``plain_ltr``'s standard-library searches hold every character the exact tests find."""
    from mmx.render import itemize

    for cp in range(0x110000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        ch = chr(cp)
        if itemize._CJK_RE.match(ch):
            assert itemize.may_be_cjk(ch) and not itemize.plain_ltr(ch), hex(cp)
        if itemize.needs_bidi(ch):
            assert not itemize.plain_ltr(ch), hex(cp)
