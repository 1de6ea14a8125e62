"""WikiMT records: usable tunes and the reasons for every skipped one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mmx.errors import InputError
from mmx.eval.benches.wikimt.data import load_tunes, read_records
from mmx.eval.benches.wikimt.queries import GENRES
from mmx.eval.benches.wikimt.sample import SAMPLE


def test_skips_say_why() -> None:
    recs = [
        {"title": "ok", "artist": "a", "genre": "Jazz", "music": "X:1\nK:C\nCDEF|", "text": "t"},
        {"title": "no genre", "music": "X:1\nK:C\nCDEF|", "text": "t"},
        {"title": "genre not a string", "genre": 3, "music": "X:1\nK:C\nCDEF|", "text": "t"},
        {"title": "headers", "genre": "Pop", "music": "X:1\n%%score 1\nK:C\n% a comment", "text": "t"},
        [1, 2],
    ]
    tunes, skipped = load_tunes(recs)
    assert [t.title for t in tunes] == ["ok"] and tunes[0].id == "00000"
    assert skipped == ["record 1 ('no genre'): missing or empty genre",
                       "record 2 ('genre not a string'): missing or empty genre",
                       "record 3 ('headers'): the ABC has header lines only, no music",
                       "record 4: not an object (list)"]


def test_builtin_sample_is_wikimt_shaped() -> None:
    tunes, skipped = load_tunes(list(SAMPLE))
    assert not skipped and len(tunes) == len(GENRES)
    assert sorted(t.genre for t in tunes) == sorted(GENRES)
    assert all(set(r) == {"title", "artist", "genre", "music", "text"} for r in SAMPLE)
    assert all(t.text.startswith("A made-up") for t in tunes)


def test_json_lines_bad_line_after_good_ones_is_skipped_with_its_line(tmp_path: Path) -> None:
    good = {"title": "ok", "genre": "Jazz", "music": "X:1\nK:C\nCDEF|", "text": "t"}
    p = tmp_path / "wikimusictext.jsonl"
    p.write_bytes(b"\xef\xbb\xbf" + (json.dumps(good) + "\n\n{oops\n" + json.dumps(good) + "\n").encode())
    tunes, skipped = load_tunes(read_records(p))
    assert [t.index for t in tunes] == [0, 2]
    assert skipped == ["record 1 (line 3: not JSON (Expecting property name enclosed in double quotes))"]


def test_json_lines_bad_first_line_is_one_clear_error(tmp_path: Path) -> None:
    p = tmp_path / "wikimusictext.jsonl"
    p.write_text('\nnonsense\n{"title": "x"}\n', encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_records(p)
    assert str(info.value) == f"--data {p}: neither a JSON list nor JSON lines (line 2: not JSON (Expecting value))"
