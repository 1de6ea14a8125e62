"""WikiMT's records, read from its JSON file (or the JSON lines of ``sander-wood/wikimusictext``).

WikiMT (WikiMusicText, from the CLaMP paper) is a list of 1,010 objects with the keys
``title``, ``artist``, ``genre``, ``music`` (a lead sheet in ABC) and ``text`` (an English
description written from Wikipedia). A record the bench cannot use (not an object, ``music``,
``text`` or ``genre`` missing or empty, ABC with no body) is skipped with its reason; a file
that cannot be read at all raises :class:`~mmx.errors.InputError`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mmx.errors import InputError
from mmx.textio import decode_utf8, iter_jsonl

__all__ = ["REQUIRED", "Tune", "load_tunes", "read_records"]

#: the fields a record must have (non-empty strings); ``title`` and ``artist`` are shown when present
REQUIRED = ("music", "text", "genre")
#: the name WikiMT's file has in the CLaMP repository and on the hub (.json / .jsonl)
WIKIMT_STEM = "wikimusictext"


@dataclass(frozen=True)
class Tune:
    """One usable WikiMT record; ``index`` is its position in the file."""

    index: int
    title: str
    artist: str
    genre: str
    music: str
    text: str

    @property
    def id(self) -> str:
        return f"{self.index:05d}"


def read_records(path: str | Path) -> list[Any]:
    """The raw records of a WikiMT file: a JSON list, or one JSON object per line."""
    p = Path(path)
    if not p.exists():
        raise InputError(f"--data {p}: no such file; pass WikiMT's JSON file (a list of records)")
    if p.is_dir():
        found = sorted(p.glob(f"{WIKIMT_STEM}.json*"))
        if not found:
            raise InputError(f"--data {p} is a folder without WikiMT's file ({WIKIMT_STEM}.json or .jsonl); pass the file itself")
        p = found[0]
    try:
        text = decode_utf8(p.read_bytes(), f"--data {p}")
    except OSError as exc:
        raise InputError(f"--data {p}: cannot read it as UTF-8 text ({exc})") from None
    if not text.strip():
        raise InputError(f"--data {p} is empty; pass WikiMT's JSON file")
    if text.lstrip().startswith("["):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"--data {p}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
        return list(data)  # starts with "[": a list
    # a bad line after good ones is one record skipped with its reason; a bad first line means
    # the file is not JSON lines at all
    out = [rec for _, rec in iter_jsonl(text, f"--data {p}", on_bad=lambda n, why: _Malformed(f"line {n}: {why}"))]
    if out and isinstance(out[0], _Malformed):
        raise InputError(f"--data {p}: neither a JSON list nor JSON lines ({out[0].why})")
    return out


@dataclass(frozen=True)
class _Malformed:
    why: str


def _has_body(abc: str) -> bool:
    # a body line is anything but a header field (``K:``, ``M:`` ...), a ``%%`` directive or a comment
    for line in abc.splitlines():
        s = line.strip()
        if not s or s.startswith("%") or (len(s) > 1 and s[0].isalpha() and s[1] == ":"):
            continue
        return True
    return False


def load_tunes(records: list[Any]) -> tuple[list[Tune], list[str]]:
    """The usable tunes of ``records`` and one line per skipped record saying why."""
    tunes: list[Tune] = []
    skipped: list[str] = []
    for i, rec in enumerate(records):
        if isinstance(rec, _Malformed):
            skipped.append(f"record {i} ({rec.why})")
            continue
        if not isinstance(rec, dict):
            skipped.append(f"record {i}: not an object ({type(rec).__name__})")
            continue
        name = f"record {i}" + (f" ({rec['title']!r})" if isinstance(rec.get("title"), str) else "")
        bad = [k for k in REQUIRED if not isinstance(rec.get(k), str) or not rec[k].strip()]
        if bad:
            skipped.append(f"{name}: {'missing or empty ' + ', '.join(bad)}")
            continue
        if not _has_body(rec["music"]):
            skipped.append(f"{name}: the ABC has header lines only, no music")
            continue
        tunes.append(Tune(index=i, title=str(rec.get("title") or ""), artist=str(rec.get("artist") or ""),
                          genre=rec["genre"].strip(), music=rec["music"], text=rec["text"].strip()))
    return tunes, skipped
