"""Reading text people hand to mmx: strict UTF-8 and JSON lines with one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mmx.errors import InputError
from mmx.textio import decode_utf8, iter_jsonl, read_jsonl


def test_decode_utf8_strips_a_bom_and_names_a_bad_byte() -> None:
    assert decode_utf8("\ufeffé".encode(), "x") == "é"
    with pytest.raises(InputError, match=r"^f\.txt is not valid UTF-8: byte 0xe9 at byte offset 1"):
        decode_utf8(b"a\xe9", "f.txt")


def test_good_file_in_order(tmp_path: Path) -> None:
    recs = [{"a": 1}, [1, 2], "s", 3, None, {"text": "line\u2028sep \x85 kept"}]
    p = tmp_path / "r.jsonl"
    # ensure_ascii=False writes U+2028 and U+0085 raw: they are not line ends in JSON lines
    p.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs), encoding="utf-8")
    assert read_jsonl(p) == recs
    assert read_jsonl(str(p)) == recs


def test_blank_lines_are_skipped_but_counted(tmp_path: Path) -> None:
    p = tmp_path / "r.jsonl"
    p.write_bytes(b'\n{"a": 1}\r\n  \t\n{"b": 2}\r{"c": 3}')  # CRLF, CR and no final newline too
    assert read_jsonl(p) == [{"a": 1}, {"b": 2}, {"c": 3}]
    assert [n for n, _ in iter_jsonl(p.read_bytes().decode(), "r")] == [2, 4, 5]
    p.write_text("\n \n", encoding="utf-8")
    assert read_jsonl(p) == []


def test_utf8_bom(tmp_path: Path) -> None:
    p = tmp_path / "bom.jsonl"
    p.write_bytes(b'\xef\xbb\xbf{"a": "\xc3\xa9"}\n{"b": 2}\n')
    assert read_jsonl(p) == [{"a": "é"}, {"b": 2}]


def test_bad_line_names_file_and_line(tmp_path: Path) -> None:
    p = tmp_path / "bad.jsonl"
    p.write_text('{"a": 1}\n\n{oops\n{"b": 2}\n', encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_jsonl(p)
    msg = str(info.value)
    assert msg.startswith(f"{p} line 3: not JSON (") and "\n" not in msg


def test_objects_only(tmp_path: Path) -> None:
    p = tmp_path / "o.jsonl"
    p.write_text('{"a": 1}\n[1]\n', encoding="utf-8")
    assert read_jsonl(p) == [{"a": 1}, [1]]
    with pytest.raises(InputError, match=r"o\.jsonl line 2: expected a JSON object per line, got list$"):
        read_jsonl(p, objects=True)


def test_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"nope\.jsonl: cannot read it"):
        read_jsonl(tmp_path / "nope.jsonl")
    p = tmp_path / "latin1.jsonl"
    p.write_bytes(b'{"a": "\xe9"}\n')
    with pytest.raises(InputError, match=r"latin1\.jsonl is not valid UTF-8: byte 0xe9"):
        read_jsonl(p)


@pytest.mark.parametrize("tail", ['{"b": ', '{"b": 2', "[", '{"b": 2}\n{"c"', '{"b": 2}\n[1]\n\n'])
def test_torn_tail(tmp_path: Path, tail: str) -> None:
    p = tmp_path / "t.jsonl"
    p.write_text('{"a": 1}\n' + tail, encoding="utf-8")
    want = [{"a": 1}] + ([{"b": 2}] if tail.startswith('{"b": 2}\n') else [])
    assert read_jsonl(p, objects=True, torn_tail_ok=True) == want
    with pytest.raises(InputError, match=r"t\.jsonl line \d"):
        read_jsonl(p, objects=True)


def test_torn_tail_ok_still_reports_a_bad_line_before_the_last(tmp_path: Path) -> None:
    p = tmp_path / "t.jsonl"
    p.write_text('{"a": 1}\n{oops\n{"b": 2}\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"t\.jsonl line 2: not JSON"):
        read_jsonl(p, torn_tail_ok=True)


def test_on_bad_stands_in_for_the_record() -> None:
    got = list(iter_jsonl('1\n{x\n\n"s"\n', "mem", on_bad=lambda n, why: ("bad", n, why)))
    assert got == [(1, 1), (2, ("bad", 2, "not JSON (Expecting property name enclosed in double quotes)")),
                   (4, "s")]
