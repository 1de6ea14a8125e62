"""What the ocr-table baseline read off scorecard images: a :class:`ReadCard` per image,
its :class:`ReadInnings`, their :class:`Batter` and :class:`Bowler` rows, and the
parsers that turn a cell's OCR text into a value.

Built by :mod:`mmx.eval.benches.mmcric.baseline.tables`, checked and mended by
:mod:`mmx.eval.benches.mmcric.baseline.repair`, queried by
:mod:`mmx.eval.benches.mmcric.baseline.ocr_table`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from mmx.eval.benches.mmcric.baseline.card_ocr import DIGIT_MAP

__all__ = ["Batter", "Bowler", "ReadCard", "ReadInnings", "clean_overs", "number", "overs_to_balls", "to_int"]


@dataclass
class Batter:
    """A batting-table row as read."""

    name: str
    dismissal: str = ""
    runs: int | None = None
    balls: int | None = None
    fours: int | None = None
    sixes: int | None = None
    sr: float | None = None


@dataclass
class Bowler:
    """A bowling-table row as read."""

    name: str
    overs: str | None = None
    maidens: int | None = None
    runs: int | None = None
    wickets: int | None = None
    econ: float | None = None

    @property
    def balls(self) -> int | None:
        return overs_to_balls(self.overs)


@dataclass
class ReadInnings:
    """One innings as read: its title, tables, totals and fall of wickets (None where nothing was read)."""

    title: str = ""
    team: str = ""
    number: int | None = None  # 1..4 from the title, when read
    batters: list[Batter] = field(default_factory=list)
    bowlers: list[Bowler] = field(default_factory=list)
    extras: int | None = None
    total: int | None = None
    wickets: int | None = None
    overs: str | None = None
    run_rate: float | None = None
    fow: dict[int, int] = field(default_factory=dict)  # wicket -> team score
    image: int = 0
    #: every reading of the total, overs and run rate seen (title, total row; both engines)
    readings: dict[str, list[str]] = field(default_factory=dict)

    def note(self, key: str, value: str | None) -> None:
        if value:
            self.readings.setdefault(key, []).append(value)


@dataclass
class ReadCard:
    """One scorecard image as read: the teams of its header, its innings and the result line."""

    teams: list[str] = field(default_factory=list)
    innings: list[ReadInnings] = field(default_factory=list)
    result: str | None = None
    script: str = "latin"
    #: table cells with no number read: (row object, attribute, (x0, y0, x1, y1) in page px)
    holes: list[tuple[object, str, tuple[float, float, float, float]]] = field(default_factory=list)


# --------------------------------------------------------------------------- cell values


def number(s: str | None) -> float | None:
    """The number in an OCR token (any digits; one decimal point); None when none."""
    if s is None:
        return None
    t = s.translate(DIGIT_MAP).replace(",", ".")
    m = re.search(r"\d+(?:\.\d+)?", t)
    return float(m.group()) if m else None


def to_int(s: str | None) -> int | None:
    """The first whole number in an OCR token (any digits); None when none."""
    if s is None:
        return None
    t = s.translate(DIGIT_MAP)
    m = re.search(r"\d+", t)
    return int(m.group()) if m else None


def overs_to_balls(overs: str | None) -> int | None:
    """Legal balls in cricket overs notation (``"20.5"`` -> 125); None when it is not that."""
    if not overs:
        return None
    m = re.fullmatch(r"(\d+)(?:\.(\d))?", overs.strip())
    if not m:
        return None
    extra = int(m.group(2) or 0)
    if extra > 5:
        return None
    return int(m.group(1)) * 6 + extra


def clean_overs(s: str | None) -> str | None:
    """The overs in an OCR token (``"12.3"``; a whole over without ``.0``); None when none."""
    if s is None:
        return None
    t = s.translate(DIGIT_MAP).replace(",", ".")
    m = re.search(r"\d+(?:\.\d)?", t)
    if not m:
        return None
    v = m.group()
    if v.endswith(".0"):
        v = v[:-2]
    return v

