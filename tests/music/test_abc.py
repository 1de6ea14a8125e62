"""M3 patching: golden patches written by hand from CLaMP 3's documented rules."""

from __future__ import annotations

import pytest

from mmx.errors import InputError
from mmx.music.abc import (
    BOS,
    EOS,
    PAD,
    abc_problems,
    clean_abc,
    decode_patches,
    patchilize,
    segment_spans,
    split_bars,
    text_patches,
)


def codes(text: str, size: int = 8) -> list[int]:
    row = [BOS, *map(ord, text), EOS][:size]
    return row + [PAD] * (size - len(row))


def test_golden_patches_header_and_bars() -> None:
    got = patchilize("K:G\nGA|B2|\n", patch_size=8, special_patches=False)
    assert got == [
        [1, 75, 58, 71, 10, 2, 0, 0],  # "K:G\n": a header line is one patch
        [1, 71, 65, 124, 2, 0, 0, 0],  # "GA|"
        [1, 66, 50, 124, 10, 2, 0, 0],  # "B2|\n": the newline stays on the line's last bar
    ]


def test_special_patches_open_and_close() -> None:
    got = patchilize("K:G\nGA|\n", patch_size=8)
    assert got[0] == [BOS] * 8
    assert got[-1] == [BOS] + [EOS] * 7  # a patch of EOS characters, itself wrapped in BOS ... cut
    assert got[1:-1] == [codes("K:G\n"), codes("GA|\n")]


@pytest.mark.parametrize(
    ("line", "bars"),
    [
        ("|:ab:|cd|]\n", ["|:ab:|", "cd|]"]),  # a leading bar line joins the first bar
        ("ab|cd\n", ["ab|"]),  # text after the last bar line is dropped
        ("ab||cd[|ef::gh|\n", ["ab||", "cd[|", "ef::", "gh|"]),  # two-character bar lines are one
        ("abc\n", []),  # no bar line: nothing
        ("|", []),  # a lone bar line (CLaMP 3 raises IndexError here)
    ],
)
def test_split_bars(line: str, bars: list[str]) -> None:
    assert split_bars(line) == bars


def test_l18_dropped_unidecode_and_comment_lines() -> None:
    text = 'L:1/8\nL:1/4\n%%score 1\n%just a comment\nK:D\n"Ré"d|e|\n'
    assert text_patches(text) == ["L:1/4\n", "%%score 1\n", "K:D\n", '"Re"d|', "e|\n"]


def test_long_bar_is_cut_without_eos() -> None:
    bar = "a" * 70 + "|\n"
    row = patchilize("K:C\n" + bar, special_patches=False)[1]
    assert row == [BOS] + [ord("a")] * 63 and EOS not in row


def test_max_patches_keeps_the_head() -> None:
    text = "K:C\n" + "".join(f"{c}|" for c in "abcdefgh") + "\n"
    rows = patchilize(text, patch_size=8, max_patches=4)
    assert rows == [[BOS] * 8, codes("K:C\n"), codes("a|"), codes("b|")]


def test_max_patches_none_keeps_the_whole_piece() -> None:
    text = "K:C\n" + "".join(f"{c}|" for c in "abcdefgh") + "\n"
    rows = patchilize(text, patch_size=8, max_patches=None)
    assert len(rows) == 11 and rows[:4] == patchilize(text, patch_size=8, max_patches=4)


@pytest.mark.parametrize(
    ("n", "window", "spans"),
    [
        # CLaMP 3: cuts every window; the last segment is the final window, weighing the remainder
        (1100, 512, [(0, 512, 512), (512, 1024, 512), (588, 1100, 76)]),
        (513, 512, [(0, 512, 512), (1, 513, 1)]),
        (1024, 512, [(0, 512, 512), (512, 1024, 512)]),
        (512, 512, [(0, 512, 512)]),
        (7, 512, [(0, 7, 7)]),
    ],
)
def test_segment_spans_are_clamp3s(n, window, spans) -> None:
    assert segment_spans(n, window) == spans
    assert sum(w for _, _, w in spans) == n and all(b - a == min(window, n) for a, b, _ in spans)


def test_segment_spans_refuse_nothing() -> None:
    with pytest.raises(InputError):
        segment_spans(0, 512)


def test_clean_strips_titles_lyrics_and_voice_names() -> None:
    text = 'X:1\nT:Title\nC:Composer\nM:3/4\nV:1 nm="Violin" snm="Vl"\nV:2 snm="Vc"\nK:G\nab|\nw:la la\nW:words\n'
    assert clean_abc(text) == "M:3/4\nV:1\nV:2\nK:G\nab|\n"
    assert patchilize(text) == patchilize("M:3/4\nV:1\nV:2\nK:G\nab|\n")
    assert patchilize(text, clean=False) != patchilize(text)


def test_mtf_messages_of_one_type_share_a_patch() -> None:
    mtf = "ticks_per_beat 480\nnote_on 0 0 60 80\nnote_on 10 0 62 80\nset_tempo 0 500000"
    assert text_patches(mtf) == ["ticks_per_beat 480\n", "note_on 0 0 60 80\t10 0 62 80\n", "set_tempo 0 500000"]
    assert clean_abc("ticks_per_beat 480\nprogram_change 0 0 41\n") == "ticks_per_beat 480\nprogram_change 0 0 0\n"


def test_decode_is_the_text_of_the_patches() -> None:
    assert decode_patches(patchilize("K:G\nGA|B2|\n")) == "K:G\nGA|B2|\n"


@pytest.mark.parametrize(
    ("bad", "needle"),
    [("", "empty"), ("   \n", "empty"), ("X:1\nT:Only a title\n", "empty"),
     ("M:4/4\nK:G\n", "no tune body"), ("K:G\nabc def\n", "no tune body")],
)
def test_malformed_abc_is_a_clear_error(bad: str, needle: str) -> None:
    with pytest.raises(InputError, match=needle):
        patchilize(bad)


def test_non_string_is_a_clear_error() -> None:
    with pytest.raises(InputError, match="not bytes"):
        patchilize(b"K:G\nab|\n")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("abc", "needle"),
    [
        ("K:G\n|:ab|cd|\n", "unbalanced repeats"),  # |: never closed
        ("K:G\n|:ab:|cd:|\n", "unbalanced repeats"),  # a second :| with no |: before it
        ("M:4/4\nab|\n", "no key"),
        ("K:G\nab|\u2603|\n", "unidecode cannot"),  # a snowman has no ASCII spelling
    ],
)
def test_problems_are_reported(abc: str, needle: str) -> None:
    assert any(needle in p for p in abc_problems(abc)), abc_problems(abc)


@pytest.mark.parametrize("abc", ["K:G\n|:ab:|cd:|]\n".replace("cd:|]", "|:cd:|"), "K:G\nab:|cd|\n", "K:G\n|:ab::cd:|\n"])
def test_balanced_repeats_pass(abc: str) -> None:
    assert abc_problems(abc) == []
