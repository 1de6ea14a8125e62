"""Three scorecard layouts the ``ocr-table`` baseline never saw, for the held-out-style tests.

Each lays a simulated :class:`~mmx.eval.benches.mmcric.match.Match` out the way another
kind of cricket site does, differing from the generator's classic / dark / compact
(:mod:`mmx.eval.benches.mmcric.templates`) in column order, labels, missing columns,
alignment, colours, type family, borders, header case, innings titles, where the score
sits and how extras, totals, fall of wickets and results are written (the words are in
:mod:`.words`):

* ``ledger``: a print newspaper. Cream paper, DejaVu Serif, no rules or boxes at all,
  right-aligned numbers, ``Runs Balls 4's 6's`` (no strike rate) and ``Ov Mdn Runs Wkts``
  (no economy); the score only in the ``TOTAL`` row.
* ``broadcast``: a TV graphic. Dark navy with magenta and gold, DejaVu Sans, UPPER-case
  headers, banded rows, centred numbers, ``R B SR 4s 6s`` and ``O R W M Econ``, the score
  ``268-4`` right of the innings title.
* ``minimal``: a mobile-first site. White, Noto Sans, every innings boxed, left-aligned
  numbers, one merged ``R (B)`` cell, ``O M W R Eco``; the score on its own line under the title,
  extras and total as text lines below the table.

Limited-overs matches put both innings on one image; a Test has one image per innings
(:func:`mmx.eval.benches.mmcric.draw.card_pages`), the result on the last. Every value a
generated question asks about is printed or follows from what is (strike rates from runs
and balls, economies from runs and overs). :func:`draw` returns the image and every string
drawn on it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field

from mmx.eval.benches.mmcric.lexicon import MONTHS
from mmx.eval.benches.mmcric.match import Innings, Match, overs_str, venue
from mmx.eval.benches.mmcric.wording import FORMATS_HI, ordinal
from mmx.text.digits import write_digits
from tests.eval.benches.mmcric.unseen import cards
from tests.eval.benches.mmcric.unseen.fonts import FamilyCanvas
from tests.eval.benches.mmcric.unseen.words import (
    COLUMNS,
    DISMISSAL,
    LABELS,
    innings_title,
    result_line,
    total_parts,
)

__all__ = ["LAYOUTS", "draw", "draw_match"]

LAYOUTS: tuple[str, ...] = ("ledger", "broadcast", "minimal")
_MONTHS_SHORT = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class _Style:
    name: str
    family: str
    width: int
    margin: int
    body: int
    small: int
    head: int
    title: int
    section: int
    row: int
    head_row: int
    pad: int
    num_min: int
    gap: int
    num_align: str  # right / center / left
    upper: bool  # UPPER-case headers and labels
    bg: tuple[int, int, int]
    text: tuple[int, int, int]
    muted: tuple[int, int, int]
    accent: tuple[int, int, int]
    accent2: tuple[int, int, int]
    head_fg: tuple[int, int, int]
    band: tuple[int, int, int] | None  # alternate row background
    band2: tuple[int, int, int] | None
    rule: tuple[int, int, int] | None  # row separators
    frame: tuple[int, int, int] | None  # an outline round each innings


_STYLES = {
    "ledger": _Style(
        name="ledger", family="serif", width=940, margin=30, body=15, small=14, head=14, title=24, section=17, row=25,
        head_row=27, pad=8, num_min=44, gap=20, num_align="right", upper=False,
        bg=(252, 249, 240), text=(25, 25, 25), muted=(70, 70, 70), accent=(25, 25, 25), accent2=(25, 25, 25),
        head_fg=(25, 25, 25), band=None, band2=None, rule=None, frame=None,
    ),
    "broadcast": _Style(
        name="broadcast", family="dejavu", width=1040, margin=22, body=14, small=13, head=13, title=26, section=18, row=28,
        head_row=28, pad=10, num_min=46, gap=16, num_align="center", upper=True,
        bg=(20, 18, 52), text=(245, 245, 250), muted=(184, 182, 214), accent=(214, 0, 110),
        accent2=(255, 196, 0), head_fg=(255, 196, 0), band=(31, 29, 72), band2=(26, 24, 62), rule=None,
        frame=None,
    ),
    "minimal": _Style(
        name="minimal", family="noto", width=900, margin=16, body=14, small=13, head=12, title=21, section=15, row=30,
        head_row=26, pad=10, num_min=40, gap=14, num_align="left", upper=False,
        bg=(255, 255, 255), text=(34, 34, 34), muted=(117, 117, 117), accent=(0, 135, 90), accent2=(0, 135, 90),
        head_fg=(117, 117, 117), band=None, band2=None, rule=(232, 232, 232), frame=(208, 208, 208),
    ),
}


@dataclass
class _InningsText:
    title: str
    score: str  # the score as printed by the innings title (broadcast, minimal)
    detail: str  # overs (and all out / declared)
    bat_head: list[str]
    bat_rows: list[list[str]]  # name, dismissal, values...
    extras: tuple[str, str, str]  # label, breakdown, runs
    total: tuple[str, str, str]  # label, detail, score
    dnb: tuple[str, list[str]]
    fow: tuple[str, list[str]]
    bowl_head: list[str]
    bowl_rows: list[list[str]]
    extra_lines: list[str] = field(default_factory=list)  # minimal: extras and total as text


def _innings_text(m: Match, inn: Innings, layout: str, lang: str) -> _InningsText:
    hi = lang == "hi"
    lab = LABELS[layout][lang]
    dis = DISMISSAL[layout][lang]
    bat_cols, bowl_cols = COLUMNS[layout][lang]
    bt, bw = inn.batting, inn.bowling

    def full(team: int, i: int) -> str:
        p = m.player(team, i)
        return p.hindi if hi else p.name

    def sur(team: int, i: int | None) -> str:
        if i is None:
            return ""
        p = m.player(team, i)
        return p.hindi_surname if hi else p.surname

    def dismissal(d) -> str:
        k = d.kind
        if k == "caught" and d.fielder == cards.KEEPER:
            k = "caught_keeper"
        if k == "run_out" and d.fielder is None:
            k = "run_out_"
        return dis[k].format(f=sur(bw, d.fielder), b=sur(bw, d.bowler))

    def name(i: int) -> str:
        n = full(bt, i)
        if i != cards.KEEPER or not lab["keeper"]:
            return n
        return f"{lab['keeper']}{n}" if layout == "ledger" else f"{n}{lab['keeper']}"

    one_dp = layout == "broadcast"  # TV graphics round rates to one decimal

    def bat_value(key: str, b) -> str:
        if key == "R":
            return f"{b.runs}*" if layout == "broadcast" and b.out.kind == "not_out" else str(b.runs)
        if key == "RB":
            return f"{b.runs} ({b.balls})"
        if key == "SR":
            return (f"{b.strike_rate:.1f}" if one_dp else f"{b.strike_rate:.2f}") if b.balls else "-"
        return str({"B": b.balls, "4s": b.fours, "6s": b.sixes}[key])

    def bowl_value(key: str, e) -> str:
        if key == "Econ":
            return (f"{e.economy:.1f}" if one_dp else f"{e.economy:.2f}") if e.balls else "-"
        return e.overs if key == "O" else str({"M": e.maidens, "R": e.runs, "W": e.wickets}[key])

    up = (lambda s: s.upper()) if _STYLES[layout].upper and not hi else (lambda s: s)
    team = m.team_name(bt, hi)
    title = innings_title(layout, lang, team, inn.number, cards.team_innings(m, inn), m.format, inn.follow_on)
    detail, score = total_parts(layout, lang, inn.runs, inn.wickets, inn.overs, inn.declared)
    parts = [(lab["b"], inn.byes), (lab["lb"], inn.leg_byes), (lab["w"], inn.wides), (lab["nb"], inn.no_balls)]
    if layout == "ledger":  # print style: b, lb, nb, w, zero parts left out
        shown = [f"{k} {v}" for k, v in (parts[0], parts[1], parts[3], parts[2]) if v]
        breakdown = f"({', '.join(shown)})" if shown else ""
    elif layout == "broadcast":
        breakdown = " · ".join(f"{k} {v}" for k, v in parts)
    else:
        breakdown = f"({', '.join(f'{k} {v}' for k, v in parts)})"
    if layout == "ledger":
        fow = [f"{f.wicket}-{f.score} ({sur(bt, f.player)})" for f in inn.fall]
    elif layout == "broadcast":
        fow = [f"{f.score}-{f.wicket} ({overs_str(f.balls)})" for f in inn.fall]
    else:
        fow = [f"{f.score}/{f.wicket} ({full(bt, f.player)}, {overs_str(f.balls)} {lab['ov']})" for f in inn.fall]
    if layout != "broadcast":  # lists read as prose: commas between the items
        fow = [s + ("," if i < len(fow) - 1 else "") for i, s in enumerate(fow)]
    dnb = [full(bt, i) for i in inn.did_not_bat]
    if layout != "broadcast":
        dnb = [s + ("," if i < len(dnb) - 1 else "") for i, s in enumerate(dnb)]
    out = _InningsText(
        title=up(title), score=score, detail=detail,
        bat_head=[up(lab["batter"]), ""] + [up(h) for _, h in bat_cols],
        bat_rows=[[name(b.player), dismissal(b.out)] + [bat_value(k, b) for k, _ in bat_cols] for b in inn.batters],
        extras=(up(lab["extras"]), breakdown, str(inn.extras)),
        total=(up(lab["total"]), detail, score),
        dnb=(up(lab["dnb"]) if dnb else "", dnb),
        fow=(up(lab["fow"]) if fow else "", fow),
        bowl_head=[up(lab["bowler"])] + [up(h) for _, h in bowl_cols],
        bowl_rows=[[full(bw, e.player)] + [bowl_value(k, e) for k, _ in bowl_cols] for e in inn.bowlers],
    )
    if layout == "minimal":
        out.extra_lines = [f"{lab['extras']} {inn.extras} {breakdown}", f"{lab['total']} {score} {detail}"]
    return out


def _header(m: Match, layout: str, lang: str) -> tuple[str, list[str]]:
    hi = lang == "hi"
    vs = LABELS[layout][lang]["vs"]
    title = f"{m.team_name(0, hi)} {vs} {m.team_name(1, hi)}"
    fmt = FORMATS_HI[m.format] if hi else m.format
    label = f"{fmt} {m.number}" if hi else f"{ordinal(m.number)} {m.format}"
    if layout == "ledger":
        date = f"{m.day} {MONTHS[m.month][1]} {m.year}" if hi else f"{MONTHS[m.month][0]} {m.day}, {m.year}"
        if not hi:  # print style: team names in capitals, a lower-case "v"
            title = f"{m.team_name(0).upper()} {vs} {m.team_name(1).upper()}"
        return title, [f"{label}, {venue(m, hi)}, {date}"]
    if layout == "broadcast":
        date = f"{m.day:02d}.{m.month + 1:02d}.{m.year}"
        return title.upper() if not hi else title, [label.upper(), venue(m, hi).upper() if not hi else venue(m, hi), date]
    date = f"{m.day} {MONTHS[m.month][1]} {m.year}" if hi else f"{m.day} {_MONTHS_SHORT[m.month]} {m.year}"
    return title, [label, venue(m, hi), date]


def _result(m: Match, layout: str, lang: str) -> str:
    return result_line(layout, lang, *cards.result_parts(m, lang == "hi"), m.result.margin)


# --------------------------------------------------------------------------- drawing


def _cell(cv: FamilyCanvas, st: _Style, s: str, x: int, y: int, w: int, h: int, numeric: bool, size: int,
          color, bold: bool) -> None:
    align = st.num_align if numeric else "left"
    cv.text(s, x + st.pad, y, h, size, color, bold, align, w - 2 * st.pad)


def _table(cv: FamilyCanvas, st: _Style, x: int, y: int, ws: list[int], head: list[str], rows: list[list[str]],
           first_num: int, special: int = 0, spans: bool = False) -> int:
    """Header and rows; the last ``special`` rows (extras, total) draw their label bold and
    (``spans``) their middle cell across the dismissal and number columns. Returns the y below."""
    xs = [x + sum(ws[:j]) for j in range(len(ws))]
    width = sum(ws)
    for j, h in enumerate(head):
        _cell(cv, st, h, xs[j], y, ws[j], st.head_row, j >= first_num, st.head, st.head_fg, True)
    y += st.head_row
    if st.rule is not None:
        cv.rect(x, y - 1, x + width, y, fill=st.rule)
    n = len(rows)
    for i, row in enumerate(rows):
        is_special = i >= n - special
        is_total = special and i == n - 1
        if st.band is not None:
            cv.rect(x, y, x + width, y + st.row, fill=st.band if i % 2 == 0 else st.band2)
        if is_total and st.name == "broadcast":
            cv.rect(x, y, x + width, y + st.row, fill=st.accent)
        for j, cell in enumerate(row):
            if not cell:
                continue
            bold = is_total or (j == 0 and is_special)
            color = st.text
            if j == 1 and first_num == 2 and not is_special:
                color = st.muted
            if is_special and spans and j == 2:  # the value of extras / total sits in the runs column
                _cell(cv, st, cell, xs[first_num], y, ws[first_num], st.row, True, st.body, color, bold)
                continue
            if is_special and spans and j == 1:
                w = sum(ws[1:first_num])
                cv.text(cell, xs[1] + st.pad, y, st.row, st.small if st.name == "broadcast" else st.body,
                        st.muted if not is_total else color, False, "left", w)
                continue
            _cell(cv, st, cell, xs[j], y, ws[j], st.row, j >= first_num, st.body, color, bold)
        y += st.row
        if st.rule is not None and i < n - 1:
            cv.rect(x, y - 1, x + width, y, fill=st.rule)
    return y


def _flow(cv: FamilyCanvas, st: _Style, x0: int, x1: int, y: int, label: str, items: list[str], label_fg, fg,
          line_h: int, sep: int) -> int:
    if not label:
        return y
    x = cv.text(label, x0, y, line_h, st.small, label_fg, True) + 10
    for item in items:
        w = cv.width_of(item, st.small)
        if x + w > x1:
            y += line_h
            x = x0 + 14
        x = cv.text(item, x, y, line_h, st.small, fg) + sep
    return y + line_h


def _layout(m: Match, innings: Sequence[int], layout: str, lang: str, digits: str) -> tuple[FamilyCanvas, int]:
    """The canvas of the card and its height."""
    st = _STYLES[layout]
    if lang == "hi":  # Devanagari reads small beside Latin at the same em, as in the generator
        st = dataclasses.replace(st, body=st.body + 2, small=st.small + 1, head=st.head + 2, section=st.section + 1)
    texts = [_innings_text(m, m.innings[k], layout, lang) for k in innings]
    if digits == "devanagari":
        texts = [_deva(t) for t in texts]
    title, meta = _header(m, layout, lang)
    result = _result(m, layout, lang) if len(m.innings) - 1 in innings else None
    if digits == "devanagari":
        title, meta = write_digits(title, "devanagari"), [write_digits(s, "devanagari") for s in meta]
        result = write_digits(result, "devanagari") if result else None
    probe = FamilyCanvas(10, st.bg, st.family)  # measures only
    inset = 14 if st.frame is not None else 0
    need = 0
    for t in texts:
        need = max(need, sum(cards.widths(probe, st, t.bat_head, [*t.bat_rows, list(t.extras), list(t.total)], 2)),
                   sum(cards.widths(probe, st, t.bowl_head, t.bowl_rows, 1)))
    W = max(st.width, need + 2 * (st.margin + inset))
    W += W % 2
    cv = FamilyCanvas(W, st.bg, st.family)
    y = _draw_header(cv, st, layout, title, meta, W)
    for t in texts:
        y = _draw_innings(cv, st, layout, t, y, W, inset)
    if result is not None:
        y = _draw_result(cv, st, layout, result, y, W)
    return cv, y + st.margin - st.gap


def _deva(t: _InningsText) -> _InningsText:
    def conv(x):
        if isinstance(x, str):
            return write_digits(x, "devanagari")
        if isinstance(x, list):
            return [conv(v) for v in x]
        if isinstance(x, tuple):
            return tuple(conv(v) for v in x)
        return x

    return dataclasses.replace(t, **{f.name: conv(getattr(t, f.name)) for f in dataclasses.fields(t)})


def _draw_header(cv: FamilyCanvas, st: _Style, layout: str, title: str, meta: list[str], W: int) -> int:
    m = st.margin
    if layout == "ledger":
        cv.text(title, 0, m - 6, 40, st.title, st.text, True, "center", W)
        cv.text(meta[0], 0, m + 32, 26, st.small, st.muted, False, "center", W)
        return m + 58 + st.gap
    if layout == "broadcast":
        cv.rect(0, 0, W, 34, fill=st.accent)
        cv.text("  |  ".join(meta), m, 0, 34, st.small, (255, 255, 255), True)
        cv.text(title, m, 40, 52, st.title, st.text, True)
        cv.rect(m, 94, m + 120, 98, fill=st.accent2)
        return 98 + st.gap
    cv.text(title, m, m, 32, st.title, st.text, False)
    x = m
    for i, s in enumerate(meta):
        if i:
            x = cv.text("•", x + 8, m + 32, 24, st.small, st.muted) + 8
        x = cv.text(s, x, m + 32, 24, st.small, st.muted)
    return m + 56 + st.gap


def _draw_innings(cv: FamilyCanvas, st: _Style, layout: str, t: _InningsText, y: int, W: int, inset: int) -> int:
    m = st.margin
    x0, x1 = m + inset, W - m - inset
    inner = x1 - x0
    bat_rows = [*t.bat_rows, list(t.extras), list(t.total)] if layout != "minimal" else t.bat_rows
    special = 2 if layout != "minimal" else 0
    bat_ws = cards.stretch(cards.widths(cv, st, t.bat_head, bat_rows, 2, {len(bat_rows) - 1} if special else set()), inner, 1)
    bowl_ws = cards.stretch(cards.widths(cv, st, t.bowl_head, t.bowl_rows, 1), inner, 0)
    line_h = st.small + 12
    if layout == "ledger":
        cv.text(t.title, x0, y, 32, st.section, st.text, True)
        y += 34
        y = _table(cv, st, x0, y, bat_ws, t.bat_head, bat_rows, 2, special, spans=True) + 6
        y = _flow(cv, st, x0, x1, y, t.dnb[0], t.dnb[1], st.text, st.text, line_h, 6)
        y = _flow(cv, st, x0, x1, y, t.fow[0], t.fow[1], st.text, st.text, line_h, 6) + 8
        y = _table(cv, st, x0, y, bowl_ws, t.bowl_head, t.bowl_rows, 1)
        return y + st.gap + 6
    if layout == "broadcast":
        cv.rect(x0, y, x1, y + 44, fill=st.accent)
        cv.text(t.title, x0 + 14, y, 44, st.section, (255, 255, 255), True)
        sx = cv.width_of(t.detail, st.small)
        cv.text(t.detail, x1 - 14 - sx, y, 44, st.small, (255, 255, 255))
        cv.text(t.score, x0, y, 44, st.section + 6, st.accent2, True, "right", inner - 14 - sx - 12)
        y += 48
        y = _table(cv, st, x0, y, bat_ws, t.bat_head, bat_rows, 2, special, spans=True) + 8
        y = _flow(cv, st, x0 + 4, x1, y, t.dnb[0], t.dnb[1], st.accent2, st.text, line_h, 16)
        y = _flow(cv, st, x0 + 4, x1, y, t.fow[0], t.fow[1], st.accent2, st.text, line_h, 16) + 8
        y = _table(cv, st, x0, y, bowl_ws, t.bowl_head, t.bowl_rows, 1)
        return y + st.gap + 6
    # minimal: a boxed innings; title, the score on its own line, table, text lines, bowling
    top = y
    y += 10
    cv.text(t.title, x0, y, 28, st.section, st.accent, True)
    y += 28
    cv.text(f"{t.score} {t.detail}", x0, y, 30, st.section + 4, st.text, True)
    y += 36
    y = _table(cv, st, x0, y, bat_ws, t.bat_head, bat_rows, 2) + 6
    for s in t.extra_lines:
        cv.text(s, x0 + st.pad, y, line_h, st.body, st.text, s == t.extra_lines[-1])
        y += line_h
    y = _flow(cv, st, x0 + st.pad, x1, y, t.dnb[0], t.dnb[1], st.muted, st.text, line_h, 6)
    y = _flow(cv, st, x0 + st.pad, x1, y, t.fow[0], t.fow[1], st.muted, st.text, line_h, 6) + 10
    y = _table(cv, st, x0, y, bowl_ws, t.bowl_head, t.bowl_rows, 1) + 8
    cv.shapes.insert(0, ("rect", m, top, W - m, y, None, st.frame, 8))
    return y + st.gap


def _draw_result(cv: FamilyCanvas, st: _Style, layout: str, result: str, y: int, W: int) -> int:
    m = st.margin
    if layout == "ledger":
        cv.text(result, m, y, 32, st.section, st.text, True)
        return y + 32 + st.gap
    if layout == "broadcast":
        cv.rect(m, y, W - m, y + 48, fill=st.accent2)
        cv.text(result, m, y, 48, st.section + 2, (20, 18, 52), True, "center", W - 2 * m)
        return y + 48 + st.gap
    cv.rect(m, y, W - m, y + 42, outline=st.frame, radius=8)
    cv.text(result, m + 14, y, 42, st.section + 1, st.accent, True)
    return y + 42 + st.gap


#: ``draw(m, innings, layout, lang, digits)``: the image of ``m``'s ``innings`` (0-based) in ``layout``
#: and every string drawn on it; ``draw_match(m, layout, lang, digits)``: every image of ``m``
draw, draw_match = cards.drawers(_layout, LAYOUTS, "unseen")
