"""The scorecard templates: website-like looks that lay a :class:`~mmx.eval.benches.mmcric.card.Card` out.

``classic`` is a news site (white, blue title bar, striped rows), ``dark`` a
sports app (dark cards, teal and amber accents), ``compact`` a stats database
(grey page, boxed grid cells, small type). A template measures the card's
strings, sizes its columns (the page grows when a table needs more room) and
records rectangles and text on a :class:`~mmx.eval.benches.mmcric.canvas.Canvas`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from PIL import Image

from mmx.eval.benches.mmcric.canvas import Canvas, text_width
from mmx.eval.benches.mmcric.card import Card, InningsCard

__all__ = ["TEMPLATES", "check_template", "draw_card"]

#: classic: a news site (white, blue title bar, striped rows); dark: a sports app
#: (dark cards, teal and amber accents); compact: a stats database (grey page,
#: boxed grid cells, small type).
TEMPLATES: tuple[str, ...] = ("classic", "dark", "compact")


@dataclass(frozen=True)
class _Style:
    name: str
    width: int  # image width before any growth for wide content
    margin: int  # page margin
    inset: int  # content inset inside a section (cards)
    body: int  # body text size
    small: int  # list text size (fall of wickets, did not bat)
    head: int  # table header size
    title: int  # match title size
    section: int  # innings title size
    row: int  # body row height
    head_row: int  # table header row height
    pad: int  # cell padding
    num_min: int  # minimum numeric column width
    gap: int  # vertical gap between sections
    bg: tuple[int, int, int]
    panel: tuple[int, int, int]  # table / card background
    text: tuple[int, int, int]
    muted: tuple[int, int, int]
    name_fg: tuple[int, int, int]
    accent: tuple[int, int, int]
    accent2: tuple[int, int, int]
    head_bg: tuple[int, int, int] | None
    head_fg: tuple[int, int, int]
    stripe: tuple[int, int, int] | None
    line: tuple[int, int, int]
    total_bg: tuple[int, int, int] | None
    grid: bool  # boxed cells
    runs_bold: bool


_STYLES = {
    "classic": _Style(
        name="classic", width=980, margin=24, inset=0, body=14, small=14, head=13, title=22, section=17,
        row=26, head_row=28, pad=9, num_min=40, gap=18,
        bg=(255, 255, 255), panel=(255, 255, 255), text=(33, 37, 41), muted=(95, 99, 104),
        name_fg=(11, 87, 164), accent=(11, 79, 138), accent2=(240, 165, 0),
        head_bg=(236, 240, 245), head_fg=(52, 58, 64), stripe=(246, 248, 251), line=(214, 220, 228),
        total_bg=(232, 239, 247), grid=False, runs_bold=True,
    ),
    "dark": _Style(
        name="dark", width=1000, margin=20, inset=18, body=14, small=14, head=13, title=22, section=17,
        row=28, head_row=28, pad=9, num_min=40, gap=16,
        bg=(15, 20, 26), panel=(27, 34, 44), text=(232, 237, 242), muted=(150, 163, 178),
        name_fg=(240, 244, 248), accent=(30, 214, 168), accent2=(255, 183, 3),
        head_bg=None, head_fg=(150, 163, 178), stripe=None, line=(48, 58, 72),
        total_bg=(35, 44, 57), grid=False, runs_bold=True,
    ),
    "compact": _Style(
        name="compact", width=920, margin=12, inset=0, body=13, small=13, head=13, title=18, section=14,
        row=24, head_row=24, pad=6, num_min=36, gap=10,
        bg=(231, 231, 231), panel=(255, 255, 255), text=(20, 20, 20), muted=(70, 70, 70),
        name_fg=(20, 20, 20), accent=(68, 68, 68), accent2=(20, 20, 20),
        head_bg=(80, 80, 80), head_fg=(255, 255, 255), stripe=None, line=(150, 150, 150),
        total_bg=(238, 238, 238), grid=True, runs_bold=False,
    ),
}


def _bat_cols(st: _Style, inn: InningsCard, width: int) -> tuple[list[int], int]:
    """Column widths of the batting table filling ``width`` (the dismissal column takes the slack)."""
    p = 2 * st.pad
    rows = [*inn.bat_rows, (inn.extras[0], inn.extras[1], inn.extras[2], "", "", "", ""),
            (inn.total[0], inn.total[1], inn.total[2], "", "", "", "")]
    special = len(rows) - 2  # extras and total: label bold; the total row all bold
    ws = []
    for j in range(7):
        bold = [(j == 2 and st.runs_bold and i < special) or i == special + 1 or (j == 0 and i >= special)
                for i in range(len(rows))]
        w = max([text_width(inn.bat_head[j], st.head, True)] + [text_width(r[j], st.body, b) for r, b in zip(rows, bold)])
        ws.append(max(w + p, st.num_min) if j >= 2 else w + p)
    need = sum(ws)
    ws[1] += max(width - need, 0)
    return ws, need


def _bowl_cols(st: _Style, inn: InningsCard, width: int) -> tuple[list[int], int]:
    p = 2 * st.pad
    ws = []
    for j in range(8):
        w = max([text_width(inn.bowl_head[j], st.head, True)] + [text_width(r[j], st.body, j == 4 and st.runs_bold) for r in inn.bowl_rows])
        ws.append(max(w + p, st.num_min) if j >= 1 else w + p)
    need = sum(ws)
    ws[0] += max(width - need, 0)
    return ws, need


def _table(cv: Canvas, st: _Style, x: int, y: int, ws: list[int], head: tuple[str, ...],
           rows: list[tuple[str, ...]], kind: str) -> int:
    """A batting (``kind="bat"``) or bowling table; returns the y below it."""
    width = sum(ws)
    left_cols = 2 if kind == "bat" else 1
    bold_col = 2 if kind == "bat" else 4
    xs = [x + sum(ws[:j]) for j in range(len(ws))]
    if st.grid:  # boxed cells on a white table
        cv.rect(x, y, x + width, y + st.head_row + len(rows) * st.row, fill=st.panel)
    # header
    if st.head_bg is not None:
        cv.rect(x, y, x + width, y + st.head_row, fill=st.head_bg)
    for j, label in enumerate(head):
        align = "left" if j < left_cols else "right"
        cv.text(label, xs[j] + st.pad, y, st.head_row, st.head, st.head_fg, True, align, ws[j] - 2 * st.pad)
    if st.grid:
        for j in range(1, len(ws)):
            cv.rect(xs[j], y, xs[j] + 1, y + st.head_row, fill=st.line)
    elif st.head_bg is None:
        cv.rect(x, y + st.head_row - 1, x + width, y + st.head_row, fill=st.line)
    y += st.head_row
    top = y
    for i, row in enumerate(rows):
        special = kind == "bat" and i >= len(rows) - 2  # extras and total
        is_total = kind == "bat" and i == len(rows) - 1
        if is_total and st.total_bg is not None:
            cv.rect(x, y, x + width, y + st.row, fill=st.total_bg)
        elif not special and st.stripe is not None and i % 2 == 1:
            cv.rect(x, y, x + width, y + st.row, fill=st.stripe)
        if st.grid:
            cv.rect(x, y, x + width, y + 1, fill=st.line)
        elif i and st.stripe is None:
            cv.rect(x + (0 if special else st.pad // 2), y, x + width, y + 1, fill=st.line)
        if special and st.stripe is not None and i == len(rows) - 2:
            cv.rect(x, y, x + width, y + 1, fill=st.line)
        for j, cell in enumerate(row):
            if not cell:
                continue
            align = "left" if j < left_cols else "right"
            bold = is_total or (j == bold_col and st.runs_bold and not special)
            if j == 0:
                color = st.text if special else st.name_fg
            elif j == 1 and kind == "bat":
                color = st.muted
            elif j == bold_col and st.runs_bold and not special:
                color = st.accent2 if st.name == "dark" else st.text
            else:
                color = st.text
            if is_total and j == 2 and st.name == "dark":
                color = st.accent2
            cv.text(cell, xs[j] + st.pad, y, st.row, st.body, color, bold or (j == 0 and special), align, ws[j] - 2 * st.pad)
        y += st.row
    if st.grid:
        cv.rect(x, y, x + width, y + 1, fill=st.line)
        for j in range(1, len(ws)):
            # extras and total rows: the runs cell is boxed, the rest spans
            spanned = kind == "bat" and j not in (2, 3)
            cv.rect(xs[j], top, xs[j] + 1, y - 2 * st.row if spanned else y, fill=st.line)
        cv.rect(x, top - st.head_row, x + 1, y + 1, fill=st.line)
        cv.rect(x + width - 1, top - st.head_row, x + width, y + 1, fill=st.line)
        cv.rect(x, top - st.head_row, x + width, top - st.head_row + 1, fill=st.line)
    return y


def _flow(cv: Canvas, st: _Style, x0: int, x1: int, y: int, label: str, items: list[str],
          label_fg, fg, line_h: int) -> int:
    """``label`` then ``items`` flowed over lines of ``x0..x1``; returns the y below."""
    if not label:
        return y
    x = cv.text(label, x0, y, line_h, st.small, label_fg, True) + 8
    indent = x0 + 16
    space = st.small * 3 // 4
    for item in items:
        w = text_width(item, st.small)
        if x + w > x1 and x > indent:
            y += line_h
            x = indent
        x = cv.text(item, x, y, line_h, st.small, fg) + space
    return y + line_h


def _list_lines(st: _Style, x0: int, x1: int, label: str, items: list[str]) -> int:
    """How many lines :func:`_flow` takes (to size a box before drawing into it)."""
    if not label:
        return 0
    x = x0 + text_width(label, st.small, True) + 8
    indent = x0 + 16
    space = st.small * 3 // 4
    n = 1
    for item in items:
        w = text_width(item, st.small)
        if x + w > x1 and x > indent:
            n += 1
            x = indent
        x += w + space
    return n


def _meta(cv: Canvas, st: _Style, x: int, y: int, h: int, meta: list[str], fg, dot) -> None:
    for i, s in enumerate(meta):
        if i:
            cv.dot(x + 8, y + h // 2, 2, dot)
            x += 18
        x = cv.text(s, x, y, h, st.body, fg) + 2


def _layout(card: Card, st: _Style) -> Image.Image:
    m = st.margin
    # width: the template's, grown if a table needs more
    need = 0
    for inn in card.innings:
        need = max(need, _bat_cols(st, inn, 0)[1], _bowl_cols(st, inn, 0)[1])
    W = max(st.width, need + 2 * (m + st.inset))
    W += W % 2
    inner = W - 2 * (m + st.inset)
    cv = Canvas(W, st.bg)
    if st.name == "classic":
        y = _head_classic(cv, st, card, W)
    elif st.name == "dark":
        y = _head_dark(cv, st, card, W)
    else:
        y = _head_compact(cv, st, card, W)
    for inn in card.innings:
        bat_ws, _ = _bat_cols(st, inn, inner)
        bowl_ws, _ = _bowl_cols(st, inn, inner)
        y = _innings(cv, st, inn, y, W, bat_ws, bowl_ws)
    if card.result is not None:
        y = _result(cv, st, card.result, y, W)
    return cv.finish(y + m - st.gap)


def _head_classic(cv: Canvas, st: _Style, card: Card, W: int) -> int:
    cv.rect(0, 0, W, 58, fill=st.accent)
    cv.rect(0, 58, W, 62, fill=st.accent2)
    cv.text(card.title, st.margin, 6, 46, st.title, (255, 255, 255), True)
    _meta(cv, st, st.margin, 70, 26, card.meta, st.muted, st.muted)
    return 70 + 26 + st.gap


def _head_dark(cv: Canvas, st: _Style, card: Card, W: int) -> int:
    m = st.margin
    cv.rect(m, m, W - m, m + 96, fill=st.panel, radius=12)
    cv.rect(m, m + 14, m + 4, m + 82, fill=st.accent)
    cv.text(card.title, m + st.inset, m + 10, 40, st.title, st.text, True)
    x = m + st.inset
    for s in card.meta:  # chips
        w = text_width(s, st.body) + 24
        cv.rect(x, m + 56, x + w, m + 84, fill=(38, 48, 62), radius=14)
        cv.text(s, x + 12, m + 56, 28, st.body, st.muted)
        x += w + 10
    return m + 96 + st.gap


def _head_compact(cv: Canvas, st: _Style, card: Card, W: int) -> int:
    m = st.margin
    cv.text(card.title, m, m, 30, st.title, st.text, True)
    _meta(cv, st, m, m + 30, 22, card.meta, st.muted, st.muted)
    return m + 52 + st.gap


def _innings(cv: Canvas, st: _Style, inn: InningsCard, y: int, W: int, bat_ws: list[int],
             bowl_ws: list[int]) -> int:
    m = st.margin
    x0 = m + st.inset
    x1 = W - m - st.inset
    if st.name == "dark":
        # a card: header band, tables, lists; its height is known only at the end
        top = y
        shape_at = len(cv.shapes)
        cv.text(inn.title, x0, y + 8, 40, st.section, st.accent, True)
        cv.text(inn.score, x0, y + 8, 40, st.section + 3, st.text, True, "right", x1 - x0)
        y += 8 + 40 + 6
        y = _table(cv, st, x0, y, bat_ws, inn.bat_head, [*inn.bat_rows, inn.extras, inn.total], "bat") + 10
        y = _flow(cv, st, x0, x1, y, inn.dnb_label, inn.dnb, st.accent, st.text, 26)
        y = _flow(cv, st, x0, x1, y, inn.fow_label, inn.fow, st.accent, st.muted, 26) + 12
        y = _table(cv, st, x0, y, bowl_ws, inn.bowl_head, inn.bowl_rows, "bowl") + 14
        cv.shapes.insert(shape_at, ("rect", m, top, W - m, y, st.panel, None, 12))
        return y + st.gap
    if st.name == "classic":
        cv.text(inn.title, x0, y, 34, st.section, st.accent, True)
        cv.text(inn.score, x0, y, 34, st.section, st.text, True, "right", x1 - x0)
        cv.rect(x0, y + 34, x1, y + 36, fill=st.accent)
        y += 36
        y = _table(cv, st, x0, y, bat_ws, inn.bat_head, [*inn.bat_rows, inn.extras, inn.total], "bat") + 6
        y = _flow(cv, st, x0, x1, y, inn.dnb_label, inn.dnb, st.text, st.muted, 26)
        y = _flow(cv, st, x0, x1, y, inn.fow_label, inn.fow, st.text, st.muted, 26) + 10
        y = _table(cv, st, x0, y, bowl_ws, inn.bowl_head, inn.bowl_rows, "bowl")
        cv.rect(x0, y, x1, y + 1, fill=st.line)
        return y + st.gap + 4
    # compact: a grey title cell, boxed tables, boxed lists
    cv.rect(x0, y, x1, y + 26, fill=(200, 200, 200), outline=st.line)
    cv.text(inn.title, x0 + st.pad, y, 26, st.section, st.text, True)
    cv.text(inn.score, x0 + st.pad, y, 26, st.section, st.text, True, "right", x1 - x0 - 2 * st.pad)
    y += 25
    cv.rect(x0, y, x1, y + 1, fill=st.line)
    y = _table(cv, st, x0, y, bat_ws, inn.bat_head, [*inn.bat_rows, inn.extras, inn.total], "bat")
    line_h = 22
    for label, items in ((inn.dnb_label, inn.dnb), (inn.fow_label, inn.fow)):
        n = _list_lines(st, x0 + st.pad, x1 - st.pad, label, items)
        if n:
            cv.rect(x0, y, x1, y + n * line_h + 7, fill=st.panel, outline=st.line)
            _flow(cv, st, x0 + st.pad, x1 - st.pad, y + 3, label, items, st.text, st.text, line_h)
            y += n * line_h + 6
    y += 6
    y = _table(cv, st, x0, y, bowl_ws, inn.bowl_head, inn.bowl_rows, "bowl")
    return y + st.gap


def _result(cv: Canvas, st: _Style, result: tuple[str, str], y: int, W: int) -> int:
    m = st.margin
    label, text = result
    if st.name == "classic":
        cv.rect(m, y, W - m, y + 40, fill=(255, 246, 220))
        cv.rect(m, y, m + 5, y + 40, fill=st.accent2)
        x = cv.text(label, m + 18, y, 40, st.section, st.text, True)
        cv.text(text, x + 10, y, 40, st.section, st.text, True)
        return y + 40 + st.gap
    if st.name == "dark":
        cv.rect(m, y, W - m, y + 52, fill=st.panel, radius=12)
        cv.rect(m, y + 12, m + 4, y + 40, fill=st.accent2)
        x = cv.text(label, m + st.inset, y, 52, st.section, st.muted, True)
        cv.text(text, x + 14, y, 52, st.section + 1, st.accent2, True)
        return y + 52 + st.gap
    cv.rect(m, y, W - m, y + 28, fill=st.panel, outline=st.line)
    x = cv.text(label, m + st.pad, y, 28, st.section, st.text, True)
    cv.text(text, x + 8, y, 28, st.section, st.text, True)
    return y + 28 + st.gap


def check_template(template: str) -> None:
    """Raises ValueError for a template that is not one of :data:`TEMPLATES`."""
    if template not in TEMPLATES:
        raise ValueError(f"unknown scorecard template {template!r}; choose one of {', '.join(TEMPLATES)}")


def draw_card(card: Card, template: str, lang: str) -> Image.Image:
    """``card`` laid out in ``template`` as an RGB image; ``lang`` is the card's language."""
    st = _STYLES[template]
    if lang == "hi":  # Devanagari reads small beside Latin at the same em: two px more
        st = dataclasses.replace(st, body=st.body + 2, small=st.small + 2, head=st.head + 1, section=st.section + 1,
                                 title=st.title + 1)
    return _layout(card, st)
