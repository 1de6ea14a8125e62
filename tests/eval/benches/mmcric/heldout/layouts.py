"""Three scorecard layouts for the sealed held-out family (issue 26).

Each lays a simulated :class:`~mmx.eval.benches.mmcric.match.Match` out as another kind of
source does, differing from the generator's classic / dark / compact and from the first
unseen family's ledger / broadcast / minimal in column order, labels and abbreviations,
added columns, type face, colours, borders, where the dismissal and the score sit, and how
extras, totals, fall of wickets and results are written (the words are in :mod:`.words`):

* ``wiki``: an encyclopedia's bordered tables. White, STIX (a Times-like serif), every cell
  ruled, grey header cells, centred numbers, ``R B 4s 6s SR Mins`` and a bowling table with
  spelled-out headers and wides and no-balls columns; fall of wickets inline as
  ``1/23 (Name, 4.2)`` (wickets before runs).
* ``app``: a stats app. Grey page, white rounded cards, Noto Sans, the BOWLING table before
  the batting one, the dismissal in small type under each batter's name, ``R M B`` (M:
  minutes) beside a bowling ``M`` (maidens), dot balls ``0s``, the total with its run rate
  below the table, fall of wickets as a table (Wkt | Score | Batter | Over).
* ``scoreboard``: an old stadium board. Black, yellow and white, DejaVu Sans Mono, UPPER CASE,
  all eleven batters numbered (those who did not bat left blank), ``TOTAL / WKTS / OVERS``
  boards, fall of wickets as a wicket / score grid, no strike rates or economies.

Limited-overs matches put both innings on one image; a Test has one image per innings
(:func:`mmx.eval.benches.mmcric.draw.card_pages`), the result on the last. Every value a
generated question asks about is printed or follows from what is (strike rates from runs
and balls, economies from runs and overs, a team's innings from the match's order).
Minutes at the crease and dot balls are not in the match model; they are derived from it
deterministically (plausible, never asked about). :func:`draw` returns the image and every
string drawn on it.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from mmx.eval.benches.mmcric.lexicon import MONTHS
from mmx.eval.benches.mmcric.match import (
    BattingEntry,
    BowlingEntry,
    Innings,
    Match,
    overs_str,
    venue,
)
from mmx.eval.benches.mmcric.wording import FORMATS_HI, match_label
from mmx.text.digits import write_digits
from tests.eval.benches.mmcric.heldout.words import (
    COLUMNS,
    DISMISSAL,
    LABELS,
    innings_title,
    result_line,
    total_text,
)
from tests.eval.benches.mmcric.unseen import cards
from tests.eval.benches.mmcric.unseen.fonts import FamilyCanvas

__all__ = ["LAYOUTS", "draw", "draw_match"]

LAYOUTS: tuple[str, ...] = ("wiki", "app", "scoreboard")
RGB = tuple[int, int, int]


@dataclass(frozen=True)
class _Style:
    family: str
    width: int
    margin: int
    body: int
    small: int
    head: int
    title: int
    section: int
    row: int
    pad: int
    num_min: int
    bg: RGB
    text: RGB
    muted: RGB
    accent: RGB
    head_fill: RGB | None
    rule: RGB


_STYLES = {
    "wiki": _Style(family="stix", width=980, margin=24, body=16, small=15, head=15, title=28, section=18, row=26,
                   pad=7, num_min=38, bg=(255, 255, 255), text=(32, 33, 34), muted=(84, 89, 93),
                   accent=(51, 102, 204), head_fill=(234, 236, 240), rule=(162, 169, 177)),
    "app": _Style(family="noto", width=860, margin=18, body=14, small=12, head=12, title=18, section=16, row=24,
                  pad=8, num_min=34, bg=(241, 243, 246), text=(30, 33, 38), muted=(110, 116, 124),
                  accent=(75, 42, 145), head_fill=(246, 247, 249), rule=(228, 231, 235)),
    "scoreboard": _Style(family="mono", width=1000, margin=26, body=15, small=14, head=14, title=26, section=17,
                         row=26, pad=8, num_min=40, bg=(10, 10, 10), text=(255, 206, 36), muted=(236, 236, 236),
                         accent=(255, 206, 36), head_fill=None, rule=(88, 88, 88)),
}


class _Canvas(FamilyCanvas):
    """A family canvas writing every string's digits in the card's digits (Devanagari on HD)."""

    def __init__(self, width: int, bg: RGB, family: str, digits: str) -> None:
        super().__init__(width, bg, family)
        self.digits = digits

    def _d(self, s: str) -> str:
        return write_digits(s, "devanagari") if self.digits == "devanagari" else s

    def text(self, s: str, x: int, y: int, h: int, size: int, color, bold: bool = False, align: str = "left",
             w: int = 0) -> int:
        return super().text(self._d(s), x, y, h, size, color, bold, align, w)

    def width_of(self, s: str, size: int, bold: bool = False) -> int:
        return super().width_of(self._d(s), size, bold)


# --------------------------------------------------------------------------- values


def minutes(b: BattingEntry, position: int) -> int:
    """Minutes at the crease: a batter faces about half the balls while in, a ball a minute
    or so at the two ends together (not in the match model; derived, never asked)."""
    if not b.balls:
        return 1 + position % 3
    return round(b.balls * 1.4) + (3 * position + b.runs) % 7


def batter_dots(b: BattingEntry) -> int:
    """Dot balls faced: the balls left once fours, sixes and the other runs (mostly singles
    and twos) are placed on balls of their own."""
    other = max(b.runs - 4 * b.fours - 6 * b.sixes, 0)
    scoring = b.fours + b.sixes + round(other / 1.3)
    return max(b.balls - scoring, 0)


def bowler_dots(e: BowlingEntry) -> int:
    """Dot balls bowled, at least six per maiden."""
    off_bat = max(e.runs - e.wides - e.no_balls, 0)
    scoring = min(round(off_bat / 1.5), e.balls - 6 * e.maidens)
    return max(e.balls - max(scoring, 0), 0)


@dataclass
class _Inn:
    title: str
    runs: str
    wickets: str
    overs: str
    total: str
    bat_head: list[str]
    bat_rows: list[list[str]]  # name, dismissal, values...
    dnb: list[str]
    extras: tuple[str, str, str]  # label, breakdown, runs
    fow: list[tuple[str, str, str, str]]  # wicket, score, batter, over
    bowl_head: list[str]
    bowl_rows: list[list[str]]


def _innings(m: Match, inn: Innings, layout: str, lang: str) -> _Inn:
    hi = lang == "hi"
    up = (lambda s: s.upper()) if layout == "scoreboard" and not hi else (lambda s: s)
    lab = LABELS[layout][lang]
    dis = DISMISSAL[layout][lang]
    bat_cols, bowl_cols = COLUMNS[layout][lang]
    bt, bw = inn.batting, inn.bowling

    def full(team: int, i: int) -> str:
        p = m.player(team, i)
        return up(p.hindi if hi else p.name)

    def sur(team: int, i: int | None) -> str:
        if i is None:
            return ""
        p = m.player(team, i)
        return up(p.hindi_surname if hi else p.surname)

    def dismissal(d) -> str:
        k = "run_out_" if d.kind == "run_out" and d.fielder is None else d.kind
        return up(dis[k].format(f=sur(bw, d.fielder), b=sur(bw, d.bowler)))

    def bat_value(key: str, b: BattingEntry, pos: int) -> str:
        v = {"R": b.runs, "B": b.balls, "4s": b.fours, "6s": b.sixes, "Mins": minutes(b, pos), "Dots": batter_dots(b)}
        if key == "SR":
            return f"{b.strike_rate:.2f}" if b.balls else "–"
        return str(v[key])

    def bowl_value(key: str, e: BowlingEntry) -> str:
        if key == "Econ":
            return f"{e.economy:.2f}" if e.balls else "–"
        if key == "O":
            return e.overs
        return str({"M": e.maidens, "R": e.runs, "W": e.wickets, "Dots": bowler_dots(e), "Wd": e.wides,
                    "Nb": e.no_balls}[key])

    def name(i: int) -> str:
        keeper = lab.get("keeper", "")
        return full(bt, i) + (keeper if i == cards.KEEPER else "")

    team = m.team_name(bt, hi)
    title = innings_title(layout, lang, team, inn.number, cards.team_innings(m, inn), m.format, inn.follow_on)
    rate = f"{6 * inn.runs / inn.balls:.2f}" if inn.balls else "0.00"
    total = total_text(layout, lang, inn.runs, inn.wickets, inn.overs, inn.declared, rate)
    b, lb, w, nb = inn.byes, inn.leg_byes, inn.wides, inn.no_balls
    if layout == "wiki":  # number before its kind
        breakdown = f"({b} {lab['b']}, {lb} {lab['lb']}, {w} {lab['w']}, {nb} {lab['nb']})"
    elif layout == "app":  # wides first, as apps list them
        breakdown = f"({lab['w']} {w}, {lab['nb']} {nb}, {lab['lb']} {lb}, {lab['b']} {b})"
    else:
        breakdown = f"{lab['b']}-{b} {lab['lb']}-{lb} {lab['w']}-{w} {lab['nb']}-{nb}"
    return _Inn(
        title=title, runs=str(inn.runs), wickets=str(inn.wickets), overs=inn.overs, total=total,
        bat_head=[lab["batter"], lab.get("how", "")] + [h for _, h in bat_cols],
        bat_rows=[[name(e.player), dismissal(e.out)] + [bat_value(k, e, e.player) for k, _ in bat_cols]
                  for e in inn.batters],
        dnb=[name(i) for i in inn.did_not_bat],
        extras=(lab["extras"], breakdown, str(inn.extras)),
        fow=[(str(f.wicket), str(f.score), full(bt, f.player), overs_str(f.balls)) for f in inn.fall],
        bowl_head=[lab["bowler"]] + [h for _, h in bowl_cols],
        bowl_rows=[[full(bw, e.player)] + [bowl_value(k, e) for k, _ in bowl_cols] for e in inn.bowlers],
    )


def _header(m: Match, layout: str, lang: str) -> tuple[str, list[str]]:
    hi = lang == "hi"
    vs = LABELS[layout][lang]["vs"]
    a, b = m.team_name(0, hi), m.team_name(1, hi)
    label = match_label(m.number, m.format, lang)
    if layout == "wiki":
        day = datetime.date(m.year, m.month + 1, m.day)
        date = f"{m.day} {MONTHS[m.month][1]} {m.year}" if hi else f"{day:%A}, {m.day} {MONTHS[m.month][0]} {m.year}"
        return f"{a} {vs} {b}", [f"{label} · {venue(m, hi)} · {date}"]
    if layout == "app":
        top = f"{a} {vs} {b} · {label}" if hi else f"{m.team_code(0)} {vs} {m.team_code(1)} · {label}"
        return top, [f"{a} versus {b}" if not hi else FORMATS_HI[m.format], venue(m, hi),
                     f"{m.year}-{m.month + 1:02d}-{m.day:02d}"]
    date = f"{m.day:02d}/{m.month + 1:02d}/{m.year}"
    if hi:
        return f"{a} {vs} {b}", [f"{label}, {venue(m, hi)}", date]
    return f"{a} {vs} {b}".upper(), [f"{label} AT {venue(m)}".upper(), date]


def _result(m: Match, layout: str, lang: str) -> str:
    kind, win, _ = cards.result_parts(m, lang == "hi")
    return result_line(layout, lang, kind, win, m.result.margin)


# --------------------------------------------------------------------------- tables


def _grid(cv: _Canvas, st: _Style, x: int, y: int, ws: list[int], head: list[str], rows: list[list[str]],
          first_num: int, align: str, *, borders: bool, bold_rows: Sequence[int] = (),
          head_fg: RGB | None = None, row_fg: RGB | None = None, muted_col: int | None = None) -> int:
    """A header and rows; ``borders`` rules every cell, else a rule under the header and
    between rows. Returns the y below the table."""
    xs = [x + sum(ws[:j]) for j in range(len(ws) + 1)]
    top = y
    if st.head_fill is not None:
        cv.rect(x, y, xs[-1], y + st.row, fill=st.head_fill)
    for j, h in enumerate(head):
        if h:
            num = j >= first_num
            cv.text(h, xs[j] + st.pad, y, st.row, st.head, head_fg or st.text, True,
                    align if num else "left", ws[j] - 2 * st.pad)
    y += st.row
    if not borders:
        cv.rect(x, y - 1, xs[-1], y, fill=st.rule)
    for i, row in enumerate(rows):
        for j, cell in enumerate(row):
            if not cell:
                continue
            num = j >= first_num
            color = st.muted if j == muted_col else (row_fg or st.text)
            cv.text(cell, xs[j] + st.pad, y, st.row, st.body, color, i in bold_rows,
                    align if num else "left", ws[j] - 2 * st.pad)
        y += st.row
        if not borders and i < len(rows) - 1:
            cv.rect(x, y - 1, xs[-1], y, fill=st.rule)
    if borders:
        for yy in range(top, y + 1, st.row):
            cv.rect(x, yy, xs[-1] + 1, yy + 1, fill=st.rule)
        for xx in xs:
            cv.rect(xx, top, xx + 1, y + 1, fill=st.rule)
    return y


def _flow(cv: _Canvas, st: _Style, x0: int, x1: int, y: int, label: str, items: list[str], label_fg: RGB,
          fg: RGB, line_h: int, bold_label: bool = True) -> int:
    """A labelled list as text, items comma-separated, wrapped at ``x1``."""
    if not items:
        return y
    x = cv.text(label, x0, y, line_h, st.small, label_fg, bold_label) + 8
    for k, item in enumerate(items):
        s = item + ("," if k < len(items) - 1 else "")
        w = cv.width_of(s, st.small)
        if x + w > x1:
            y += line_h
            x = x0 + 12
        x = cv.text(s, x, y, line_h, st.small, fg) + 7
    return y + line_h


# --------------------------------------------------------------------------- wiki


def _wiki(cv: _Canvas, st: _Style, m: Match, texts: list[_Inn], title: str, meta: list[str], result: str | None,
          W: int, measure_only: bool = False) -> int:
    x0, x1 = st.margin, W - st.margin
    cv.text(title, x0, st.margin - 4, 44, st.title, st.text)
    y = st.margin + 42
    cv.rect(x0, y, x1, y + 1, fill=st.rule)
    cv.text(meta[0], x0, y + 6, 28, st.small, st.muted)
    y += 48
    for t in texts:
        cv.text(t.title, x0, y, 32, st.section, st.text, True)
        y += 34
        n = len(t.bat_head) - 2
        rows = [*t.bat_rows, [t.extras[0], t.extras[1], t.extras[2]] + [""] * (n - 1),
                [LABELS["wiki"]["hi" if _is_hi(t) else "en"]["total"], t.total, t.runs] + [""] * (n - 1)]
        ws = cards.stretch(cards.widths(cv, st, t.bat_head, rows, 2, (len(rows) - 1,)), x1 - x0, 1)
        y = _grid(cv, st, x0, y, ws, t.bat_head, rows, 2, "center", borders=True, bold_rows=(len(rows) - 1,)) + 8
        lab = LABELS["wiki"]["hi" if _is_hi(t) else "en"]
        y = _flow(cv, st, x0, x1, y, lab["dnb"], t.dnb, st.text, st.text, st.small + 12)
        fow = [f"{w}/{s} ({name}, {o})" for w, s, name, o in t.fow]
        y = _flow(cv, st, x0, x1, y, lab["fow"], fow, st.text, st.text, st.small + 12) + 10
        ws = cards.stretch(cards.widths(cv, st, t.bowl_head, t.bowl_rows, 1), x1 - x0, 0)
        y = _grid(cv, st, x0, y, ws, t.bowl_head, t.bowl_rows, 1, "center", borders=True) + 26
    if result is not None:
        cv.text(result, x0, y, 34, st.section, st.text, True)
        y += 40
    return y + st.margin - 20


def _is_hi(t: _Inn) -> bool:
    return any("\u0900" <= c <= "\u097f" for c in t.title)


# --------------------------------------------------------------------------- app


def _app(cv: _Canvas, st: _Style, m: Match, texts: list[_Inn], title: str, meta: list[str], result: str | None,
         W: int, measure_only: bool = False) -> int:
    x0, x1 = st.margin, W - st.margin
    cv.rect(0, 0, W, 52, fill=st.accent)
    cv.text(title, x0, 0, 52, st.title, (255, 255, 255), True)
    x = x0
    for k, s in enumerate(meta):
        if k:
            x = cv.text("|", x + 8, 58, 26, st.small, st.muted) + 8
        x = cv.text(s, x, 58, 26, st.small, st.muted)
    y = 92
    if result is not None:
        cv.text(result, x0, y, 30, st.section, (205, 92, 0), True)
        y += 38
    for t in texts:
        hi = _is_hi(t)
        lab = LABELS["app"]["hi" if hi else "en"]
        top = y
        ix0, ix1 = x0 + 16, x1 - 16
        y += 12
        cv.text(t.title, ix0, y, 32, st.section + 2, st.accent, True)
        y += 40
        # bowling first, as the app shows the fielding side's figures on top
        bws = cards.stretch(cards.widths(cv, st, t.bowl_head, t.bowl_rows, 1), ix1 - ix0, 0)
        y = _grid(cv, st, ix0, y, bws, t.bowl_head, t.bowl_rows, 1, "right", borders=False,
                  head_fg=st.muted) + 16
        # batting: the dismissal under each name, in small muted type (two-line rows)
        head = [t.bat_head[0], *t.bat_head[2:]]
        name_w = max([cv.width_of(head[0], st.head, True)]
                     + [max(cv.width_of(r[0], st.body, True), cv.width_of(r[1], st.small)) for r in t.bat_rows])
        ws = [name_w + 2 * st.pad, *cards.widths(cv, st, head[1:], [r[2:] for r in t.bat_rows], 0)]
        ws = cards.stretch(ws, ix1 - ix0, 0)
        xs = [ix0 + sum(ws[:j]) for j in range(len(ws) + 1)]
        cv.rect(ix0, y, ix1, y + st.row, fill=st.head_fill)
        for j, h in enumerate(head):
            cv.text(h, xs[j] + st.pad, y, st.row, st.head, st.muted, True, "right" if j else "left",
                    ws[j] - 2 * st.pad)
        y += st.row
        cv.rect(ix0, y - 1, ix1, y, fill=st.rule)
        rh = st.body + st.small + 22
        for r in t.bat_rows:
            cv.text(r[0], xs[0] + st.pad, y + 4, st.body + 8, st.body, st.text, True)
            cv.text(r[1], xs[0] + st.pad, y + st.body + 10, st.small + 8, st.small, st.muted)
            for j, v in enumerate(r[2:], start=1):
                cv.text(v, xs[j] + st.pad, y + 4, st.body + 8, st.body, st.text, j == 1, "right", ws[j] - 2 * st.pad)
            y += rh
            cv.rect(ix0, y - 1, ix1, y, fill=st.rule)
        lh = st.body + 14
        y += 4
        x = cv.text(t.extras[0], ix0 + st.pad, y, lh, st.body, st.text, True) + 8
        x = cv.text(t.extras[2], x, y, lh, st.body, st.text, True) + 8
        cv.text(t.extras[1], x, y, lh, st.small, st.muted)
        y += lh
        cv.text(t.total, ix0 + st.pad, y, lh + 4, st.body + 1, st.text, True)
        y += lh + 8
        y = _flow(cv, st, ix0 + st.pad, ix1, y, lab["dnb"] + ":", t.dnb, st.muted, st.text, st.small + 12)
        if t.fow:
            y += 6
            cv.text(lab["fow"], ix0 + st.pad, y, 28, st.body, st.text, True)
            y += 30
            fhead = [lab["wkt"], lab["score"], lab["fow_batter"], lab["over"]]
            rows = [list(f) for f in t.fow]
            fws = cards.widths(cv, st, fhead, rows, 0)
            fws[2] = max(fws[2], 200)
            xs = [ix0 + sum(fws[:j]) for j in range(5)]
            cv.rect(ix0, y, xs[-1], y + st.row, fill=st.head_fill)
            aligns = ("right", "right", "left", "right")
            for j, h in enumerate(fhead):
                cv.text(h, xs[j] + st.pad, y, st.row, st.head, st.muted, True, aligns[j], fws[j] - 2 * st.pad)
            y += st.row
            for r in rows:
                for j, v in enumerate(r):
                    cv.text(v, xs[j] + st.pad, y, st.row - 2, st.small, st.text, False, aligns[j],
                            fws[j] - 2 * st.pad)
                y += st.row - 2
        y += 14
        cv.shapes.insert(0, ("rect", x0, top, x1, y, (255, 255, 255), None, 12))
        y += 16
    return y + st.margin - 16


# --------------------------------------------------------------------------- scoreboard


def _scoreboard(cv: _Canvas, st: _Style, m: Match, texts: list[_Inn], title: str, meta: list[str],
                result: str | None, W: int, measure_only: bool = False) -> int:
    x0, x1 = st.margin, W - st.margin
    white = st.muted
    cv.rect(x0 - 10, 10, x1 + 10, 12, fill=st.rule)
    cv.text(title, 0, 18, 44, st.title, white, True, "center", W)
    cv.text("   ".join(meta), 0, 62, 28, st.small, st.text, False, "center", W)
    y = 100
    cv.rect(x0 - 10, y, x1 + 10, y + 2, fill=st.rule)
    y += 14
    for t in texts:
        hi = _is_hi(t)
        lab = LABELS["scoreboard"]["hi" if hi else "en"]
        cv.text(t.title, x0, y, 34, st.section + 1, white, True)
        y += 40
        # the big boards: total, wickets, overs
        bx = x0
        for label, value in ((lab["total"], t.runs), (lab["wkts"], t.wickets), (lab["overs"], t.overs)):
            bw = max(150, cv.width_of(value, 34, True) + 30)
            cv.rect(bx, y, bx + bw, y + 78, outline=st.rule)
            cv.text(label, bx, y + 2, 26, st.small, white, True, "center", bw)
            cv.text(value, bx, y + 28, 48, 34, st.text, True, "center", bw)
            bx += bw + 14
        cv.text(t.total, bx + 6, y + 28, 48, st.body, white)
        y += 92
        # batting: all eleven numbered; those who did not bat keep an empty line
        n = len(t.bat_head) - 2
        rows = [[str(k + 1), *r] for k, r in enumerate(t.bat_rows)]
        rows += [[str(len(rows) + k + 1), name, ""] + [""] * n for k, name in enumerate(t.dnb)]
        rows.append(["", t.extras[0], t.extras[1], t.extras[2]] + [""] * (n - 1))
        head = ["#", *t.bat_head]
        ws = cards.stretch(cards.widths(cv, st, head, rows, 3), x1 - x0, 2)
        y = _grid(cv, st, x0, y, ws, head, rows, 3, "right", borders=False, head_fg=white,
                  muted_col=2 if False else None) + 16
        # fall of wickets: a grid, wicket numbers over the scores they fell at
        if t.fow:
            cells = [[lab["fow_wkt"]] + [f[0] for f in t.fow], [lab["fow_score"]] + [f[1] for f in t.fow]]
            lw = max(cv.width_of(c[0], st.small, True) for c in cells) + 2 * st.pad
            cw = max(max(cv.width_of(v, st.body, True) for v in c[1:]) for c in cells) + 2 * st.pad
            cw = max(cw, 52)
            for r, c in enumerate(cells):
                yy = y + r * st.row
                cv.text(c[0], x0 + st.pad, yy, st.row, st.small, white, True)
                for k, v in enumerate(c[1:]):
                    cx = x0 + lw + k * cw
                    cv.rect(cx, yy, cx + cw, yy + st.row, outline=st.rule)
                    cv.text(v, cx, yy, st.row, st.body, white if r == 0 else st.text, r == 1, "center", cw)
            y += 2 * st.row + 18
        bws = cards.stretch(cards.widths(cv, st, t.bowl_head, t.bowl_rows, 1), x1 - x0, 0)
        y = _grid(cv, st, x0, y, bws, t.bowl_head, t.bowl_rows, 1, "right", borders=False, head_fg=white) + 22
        cv.rect(x0 - 10, y - 8, x1 + 10, y - 6, fill=st.rule)
        y += 8
    if result is not None:
        cv.rect(x0, y, x1, y + 50, outline=st.text)
        cv.text(result, x0, y, 50, st.section + 3, st.text, True, "center", x1 - x0)
        y += 62
    return y + st.margin - 12


_DRAW = {"wiki": _wiki, "app": _app, "scoreboard": _scoreboard}


def _need(cv: _Canvas, st: _Style, layout: str, texts: list[_Inn]) -> int:
    """The narrowest content width every table fits in."""
    need = 0
    for t in texts:
        if layout == "scoreboard":
            n = len(t.bat_head) - 2
            rows = [["11", *r] for r in t.bat_rows] + [["", t.extras[0], t.extras[1], t.extras[2]] + [""] * n]
            need = max(need, sum(cards.widths(cv, st, ["#", *t.bat_head], rows, 3)))
        else:
            need = max(need, sum(cards.widths(cv, st, t.bat_head, [*t.bat_rows, [*t.extras, t.total]], 2)))
        need = max(need, sum(cards.widths(cv, st, t.bowl_head, t.bowl_rows, 1)))
    return need + (32 if layout == "app" else 0)


def _layout(m: Match, innings: Sequence[int], layout: str, lang: str, digits: str) -> tuple[_Canvas, int]:
    """The canvas of the card and its height."""
    st = _STYLES[layout]
    if lang == "hi":  # Devanagari reads small beside Latin at the same em, as in the generator
        st = dataclasses.replace(st, body=st.body + 2, small=st.small + 2, head=st.head + 2,
                                 section=st.section + 1, row=st.row + 4)
    texts = [_innings(m, m.innings[k], layout, lang) for k in innings]
    title, meta = _header(m, layout, lang)
    result = _result(m, layout, lang) if len(m.innings) - 1 in innings else None
    probe = _Canvas(10, st.bg, st.family, digits)
    W = max(st.width, _need(probe, st, layout, texts) + 2 * st.margin)
    W += W % 2
    cv = _Canvas(W, st.bg, st.family, digits)
    height = _DRAW[layout](cv, st, m, texts, title, meta, result, W)
    return cv, height


#: ``draw(m, innings, layout, lang, digits)``: the image of ``m``'s ``innings`` (0-based) in ``layout``
#: and every string drawn on it; ``draw_match(m, layout, lang, digits)``: every image of ``m``
draw, draw_match = cards.drawers(_layout, LAYOUTS, "held-out")
