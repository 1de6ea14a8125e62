"""Mend misread digits with the arithmetic a printed scorecard carries.

Printed scorecards check themselves: SR = 100 R / B and Econ = 6 R / balls to two
decimals, RR = 6 total / balls. When the digits read break that, the cheapest set of
edits that restores it is taken, an edit being a digit read as "1" or a "1" that was
dropped (the OCR error that dominates Devanagari digits: tesseract reads "१" as "३",
"५", "२" ...), or the cell's other reading. Bowlers' wickets can also be counted
from the dismissals (:func:`wickets_from_dismissals`).
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from mmx.eval.benches.mmcric.baseline.card_ocr import DIGIT_MAP
from mmx.eval.benches.mmcric.baseline.readcard import Batter, Bowler, ReadInnings, overs_to_balls
from mmx.eval.benches.mmcric.baseline.vocab import BOWLED_BY

__all__ = ["BOWLER_IN_DISMISSAL", "consistent_run_rate", "repair_batter", "repair_bowler", "repair_innings",
           "wickets_from_dismissals"]

#: the bowler's surname ending a dismissal: "c Mehta b Bhatt", "कै मेहता बो भट्ट", "lbw b Bhatt"
BOWLER_IN_DISMISSAL = re.compile(rf"(?:^|[\s&])(?:{'|'.join(BOWLED_BY)})\s+(\S+)\s*$")


def _digits(s: str) -> str:
    return re.sub(r"[^0-9.]", "", s.translate(DIGIT_MAP).replace(",", "."))


def _variants(s: str) -> list[tuple[str, float]]:
    out = [(s, 0.0)]
    if not s or len(s) > 7:
        return out
    for i, ch in enumerate(s):
        if ch.isdigit() and ch != "1":
            out.append((s[:i] + "1" + s[i + 1:], 1.0))
    for i in range(len(s) + 1):
        out.append((s[:i] + "1" + s[i:], 1.0))
    return out


def _cands(readings: list[str] | None, parse, weight: float = 1.0) -> list[tuple[object, float]]:
    if not readings:
        return []
    best: dict[object, float] = {}
    for k, r in enumerate(readings):
        for v, c in _variants(_digits(r)):
            val = parse(v)
            if val is None:
                continue
            cost = c * weight + (0.5 if k else 0.0)
            if val not in best or cost < best[val]:
                best[val] = cost
    return sorted(best.items(), key=lambda t: t[1])


def _parse_int(v: str) -> int | None:
    return int(v) if re.fullmatch(r"\d{1,4}", v) else None


def _parse_dec(v: str) -> float | None:
    return float(v) if re.fullmatch(r"\d{1,4}\.\d\d", v) else None


def _parse_overs(v: str) -> str | None:
    v = v[:-2] if v.endswith(".0") else v
    return v if re.fullmatch(r"\d{1,3}(?:\.[1-5])?", v) else None


def repair_batter(b: Batter, vals: dict[str, list[str]], boundaries: bool) -> None:
    """Runs, balls and SR made to agree from the cells' readings ``vals``; with ``boundaries``
    also 4s and 6s that cannot fit the runs or balls."""
    if b.runs is not None and b.balls and b.sr is not None and abs(round(100 * b.runs / b.balls, 2) - b.sr) < 0.006:
        pass
    elif vals.get("runs") and vals.get("balls") and vals.get("sr"):
        best = None
        for r, cr in _cands(vals["runs"], _parse_int):
            for bb, cb in _cands(vals["balls"], _parse_int):
                if not bb or cr + cb > 3:
                    continue
                for sr, cs in _cands(vals["sr"], _parse_dec, 0.9):
                    cost = cr + cb + cs
                    if (best is None or cost < best[0]) and abs(round(100 * r / bb, 2) - sr) < 0.006:
                        best = (cost, r, bb, sr)
        if best is not None and best[0] <= 3:
            _, b.runs, b.balls, b.sr = best
    if not boundaries or b.runs is None or b.fours is None or b.sixes is None:
        return
    if 4 * b.fours + 6 * b.sixes <= b.runs and (b.balls is None or b.fours + b.sixes <= b.balls):
        return
    best = None
    for f, cf in _cands(vals.get("fours"), _parse_int):
        for x, cx in _cands(vals.get("sixes"), _parse_int):
            cost = cf + cx
            if (best is None or cost < best[0]) and 4 * f + 6 * x <= b.runs \
                    and (b.balls is None or f + x <= b.balls):
                best = (cost, f, x)
    if best is not None and best[0] <= 2:
        _, b.fours, b.sixes = best


def repair_bowler(b: Bowler, vals: dict[str, list[str]]) -> None:
    """Overs, runs and economy made to agree from the cells' readings ``vals``."""
    balls = b.balls
    if b.runs is not None and balls and b.econ is not None and abs(round(6 * b.runs / balls, 2) - b.econ) < 0.006:
        return
    if not (vals.get("overs") and vals.get("runs") and vals.get("econ")):
        return
    best = None
    for o, co in _cands(vals["overs"], _parse_overs):
        nb = overs_to_balls(o)
        if not nb:
            continue
        for r, cr in _cands(vals["runs"], _parse_int):
            if co + cr > 3:
                continue
            for e, ce in _cands(vals["econ"], _parse_dec, 0.9):
                cost = co + cr + ce
                if (best is None or cost < best[0]) and abs(round(6 * r / nb, 2) - e) < 0.006:
                    best = (cost, o, r, e)
    if best is not None and best[0] <= 3:
        _, b.overs, b.runs, b.econ = best


def _bowler_of(dismissal: str) -> str | None:
    m = BOWLER_IN_DISMISSAL.search(dismissal.strip())
    return m.group(1).strip("†+()").replace("\u093c", "") if m else None


def wickets_from_dismissals(inn: ReadInnings) -> None:
    """Each bowler's wickets counted from the batting table ("c X b <bowler>"), where the digits disagree.

    Used for cards whose digits OCR reads badly (Devanagari): the dismissal words are read far
    more reliably than an isolated "१".
    """
    surnames = [_bowler_of(b.dismissal) for b in inn.batters]
    if not inn.batters or not inn.bowlers:
        return
    for bw in inn.bowlers:
        parts = bw.name.replace("\u093c", "").split()
        if not parts:
            continue
        sur = parts[-1]
        n = sum(1 for s in surnames if s and (s == sur or fuzz.ratio(s, sur) >= 80))
        if bw.wickets != n and (bw.wickets is None or n <= 10):
            bw.wickets = n


def _rate_triple(inn: ReadInnings) -> tuple[float, int, str, float] | None:
    """(cost, total, overs, run rate) agreeing with RR = 6 R / balls, from the readings; None if none does."""
    totals = inn.readings.get("total", []) + ([str(inn.total)] if inn.total is not None else [])
    if inn.batters and inn.extras is not None and all(b.runs is not None for b in inn.batters):
        totals.append(str(sum(b.runs or 0 for b in inn.batters) + inn.extras))
    overs = inn.readings.get("overs", []) + ([inn.overs] if inn.overs else [])
    rates = inn.readings.get("rr", [])
    if not rates:
        return None
    best = None
    for t, ct_ in _cands(totals, _parse_int):
        for o, co in _cands(overs, _parse_overs):
            nb = overs_to_balls(o)
            if not nb or ct_ + co > 2:
                continue
            rr = round(6 * t / nb, 2)
            for r, cr in _cands(rates, _parse_dec, 0.9):
                cost = ct_ + co + cr
                if (best is None or cost < best[0]) and abs(rr - r) < 0.006:
                    best = (cost, t, o, r)
    return best if best is not None and best[0] <= 2.5 else None


def repair_innings(inn: ReadInnings) -> None:
    """Total, overs and run rate made to agree (they are printed twice or more and check each other)."""
    best = _rate_triple(inn)
    if best is not None:
        _, inn.total, inn.overs, inn.run_rate = best


def consistent_run_rate(inn: ReadInnings) -> float | None:
    """The run rate agreeing with a reading of the total and of the overs, else None."""
    best = _rate_triple(inn)
    return None if best is None else best[3]

