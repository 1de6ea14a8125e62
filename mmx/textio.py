"""Reading text that people hand to mmx (files, standard input)."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from mmx.errors import InputError

__all__ = ["decode_utf8", "iter_jsonl", "read_jsonl", "write_atomic"]


def decode_utf8(data: bytes, source: str) -> str:
    """Strict UTF-8 decoding with a message that names the source and the bad byte."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = data[exc.start : exc.start + 4]
        kind = "an encoded surrogate (CESU-8/WTF-8 is not UTF-8)" if bad[:1] == b"\xed" and len(bad) > 1 and bad[1] >= 0xA0 else f"byte 0x{data[exc.start]:02x}"
        raise InputError(
            f"{source} is not valid UTF-8: {kind} at byte offset {exc.start}; "
            "convert it first, e.g. `iconv -f LATIN1 -t UTF-8`"
        ) from None
    return text.removeprefix("\ufeff")  # a UTF-8 byte-order mark is not text


def iter_jsonl(text: str, source: str, *, objects: bool = False, torn_tail_ok: bool = False,
               on_bad: Callable[[int, str], Any] | None = None) -> Iterator[tuple[int, Any]]:
    """``(line number, record)`` for each non-blank line of JSON-lines ``text``, in order
    (numbers from 1, blank lines counted).

    A line that is not JSON (or, with ``objects``, not a JSON object) raises one
    :class:`InputError` naming ``source``, the line and what is wrong; with ``on_bad``, what
    ``on_bad(line number, what is wrong)`` returns stands in for the record instead. With
    ``torn_tail_ok`` a bad *last* line ends the records silently: a file still being written,
    or left by a run killed mid-write, ends in half a line.
    """
    # Universal newlines, as text-mode files read them; never str.splitlines(): JSON strings
    # may hold U+2028, U+0085 and the like raw, and those are not line ends in JSON lines.
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    last = max((i for i, line in enumerate(lines) if line.strip()), default=-1)
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            why = f"not JSON ({exc.msg})"
        else:
            if not objects or isinstance(rec, dict):
                yield i + 1, rec
                continue
            why = f"expected a JSON object per line, got {type(rec).__name__}"
        if torn_tail_ok and i == last:
            return
        if on_bad is None:
            raise InputError(f"{source} line {i + 1}: {why}")
        yield i + 1, on_bad(i + 1, why)


def read_jsonl(path: str | os.PathLike[str], *, objects: bool = False, torn_tail_ok: bool = False) -> list[Any]:
    """The records of a UTF-8 JSON-lines file (a byte-order mark allowed), blank lines skipped;
    one :class:`InputError` line for a file that cannot be read or a bad line
    (``objects`` and ``torn_tail_ok`` as in :func:`iter_jsonl`)."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise InputError(f"{p}: cannot read it ({exc.strerror or exc})") from None
    return [rec for _, rec in iter_jsonl(decode_utf8(data, str(p)), str(p), objects=objects, torn_tail_ok=torn_tail_ok)]


def write_atomic(path: str | os.PathLike[str], data: str | bytes) -> None:
    """Write ``data`` (text as UTF-8) to ``path`` whole or not at all: a temporary file beside it,
    then a rename, so a reader (a resumed run, another rank) never sees half a file."""
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    os.replace(tmp, path)
