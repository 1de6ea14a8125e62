"""Rebuild a scorecard's tables from OCR boxes (:mod:`mmx.eval.benches.mmcric.baseline.card_ocr`), in English or Hindi,
whatever site laid the card out.

Only geometry and the printed words are used: boxes are grouped into rows by their
vertical centres; header rows are found by their column names, fuzzily matched in
both scripts with their abbreviations and any case ("R", "Runs", "RUNS", "रन" ...;
:mod:`mmx.eval.benches.mmcric.baseline.vocab`), in any order and with columns missing;
each number goes to the header cell it lines up with, the alignment (left edges,
centres or right edges) decided per table. Innings titles, extras, totals, fall of
wickets and the result line are read by :mod:`mmx.eval.benches.mmcric.baseline.lines`
in their common formats. Nothing here knows the bench's generator. The rows read go
into :mod:`mmx.eval.benches.mmcric.baseline.readcard`'s classes, and
:mod:`mmx.eval.benches.mmcric.baseline.repair` mends their digits.
"""

from __future__ import annotations

import functools
import re
import statistics
from dataclasses import dataclass

from rapidfuzz import fuzz

from mmx.eval.benches.mmcric.baseline.card_ocr import DIGIT_MAP, Box, CardText, _split_tokens
from mmx.eval.benches.mmcric.baseline.lines import (
    dismissal_kind,
    parse_extras,
    parse_fow,
    parse_result,
    parse_title,
    parse_total,
)
from mmx.eval.benches.mmcric.baseline.readcard import (
    Batter,
    Bowler,
    ReadCard,
    ReadInnings,
    clean_overs,
    number,
    to_int,
)
from mmx.eval.benches.mmcric.baseline.repair import (
    repair_batter,
    repair_bowler,
    repair_innings,
    wickets_from_dismissals,
)
from mmx.eval.benches.mmcric.baseline.vocab import (
    BAT_COLS,
    BOWL_COLS,
    LABELS,
    RESULT_WORDS,
    TEAMS_SPLIT,
    norm,
)

__all__ = ["fill_holes", "read_card"]


# --------------------------------------------------------------------------- the printed words

_LABEL_WORDS = sorted(((w, k) for k, ws in LABELS.items() for w in ws), key=lambda t: -len(t[0]))
_BAT_ONLY = {"balls", "fours", "sixes", "sr"}
_BOWL_ONLY = {"overs", "maidens", "wickets", "econ", "wides", "noballs", "dots"}
#: the usual order of the columns, used only to name a column whose label was not read
_BAT_ORDER = ("runs", "balls", "fours", "sixes", "sr")
_BOWL_ORDER = ("overs", "maidens", "runs", "wickets", "econ", "wides", "noballs")
#: columns whose cells are rates printed to two decimals
_RATES = {"sr", "econ"}


@functools.lru_cache(maxsize=8192)
def _label_of(text: str) -> str | None:
    """The row label ``text`` starts with (a key of :data:`~.vocab.LABELS`), or None (cached: each row's
    first cell is asked about more than once, and names repeat across a card's innings)."""
    n = norm(text)
    if not n:
        return None
    first = norm(text.split()[0]) if text.split() else n
    for w, key in _LABEL_WORDS:  # longest first: "बल्लेबाज़ी नहीं की" is not "बल्लेबाज़"
        # a short label must be a whole word: "कुलदीप" is a name, not "कुल"
        if (n.startswith(w) and len(w) >= 5) or first == w:
            return key
    for w, key in _LABEL_WORDS:
        if len(n) >= 4 and len(w) >= 4 and any(fuzz.ratio(n[: len(w) + d], w, score_cutoff=80) for d in (-1, 0, 1)):
            return key
    return None


def _col_of(token: str, cols: dict[str, tuple[str, ...]]) -> str | None:
    """The column a header word names (a key of ``cols``), or None."""
    n = norm(token)
    if not n:
        return None
    for key, words in cols.items():
        if n in words:
            return key
    if len(n) >= 3:
        best, score = None, 0.0
        for key, words in cols.items():
            for w in words:
                if len(w) >= 3:
                    s = fuzz.ratio(n, w)
                    if s > score:
                        best, score = key, s
        if score >= 70:
            return best
    return None


# --------------------------------------------------------------------------- rows


@dataclass
class _Row:
    boxes: list[Box]

    @property
    def cy(self) -> float:
        return statistics.fmean(b.cy for b in self.boxes)

    @property
    def text(self) -> str:
        return " ".join(b.text for b in self.boxes if b.text)

    @property
    def num_text(self) -> str:
        return " ".join((b.num_text or b.text) for b in self.boxes if (b.num_text or b.text))


def _rows(boxes: list[Box]) -> list[_Row]:
    if not boxes:
        return []
    med_h = statistics.median(b.h for b in boxes)
    rows: list[_Row] = []
    for b in sorted(boxes, key=lambda b: b.cy):
        if rows and abs(b.cy - rows[-1].cy) < 0.42 * med_h:
            rows[-1].boxes.append(b)
        else:
            rows.append(_Row([b]))
    for r in rows:
        r.boxes.sort(key=lambda b: b.x0)
    return rows


def _num_tokens(row: _Row, min_x: float) -> list[tuple[str, float, float, list[str]]]:
    """Numeric tokens (text, x0, x1, other readings) of a row right of ``min_x``."""
    out = []
    for b in row.boxes:
        if b.x1 <= min_x:
            continue
        if b.num_text is not None:
            toks = b.num_text.split()
            toks_pos = [(toks[0], b.x0, b.x1)] if len(toks) == 1 else _split_tokens(b, b.num_text)
        else:
            toks_pos = b.tokens or [(b.text, b.x0, b.x1)]
        alts = [b.alt_text] if b.alt_text and len(toks_pos) == 1 else []
        for t, x0, x1 in toks_pos:
            tt = t.translate(DIGIT_MAP)
            if x1 > min_x and (re.search(r"\d", tt) or tt.strip() in ("-", "–")):
                out.append((t, x0, x1, [a for a in alts if a != t]))
    return out


def _header_columns(row: _Row, cols: dict[str, tuple[str, ...]]) -> dict[str, tuple[float, float]]:
    """Column key -> (x0, x1) of its header label (multi-word labels united)."""
    found: dict[str, tuple[float, float]] = {}
    for b in row.boxes[1:] if len(row.boxes) > 1 else []:
        toks = b.tokens or [(b.text, b.x0, b.x1)]
        for t, x0, x1 in toks:
            key = _col_of(t, cols)
            if key is None:
                continue
            if key in found:
                a0, a1 = found[key]
                found[key] = (min(a0, x0), max(a1, x1))
            else:
                found[key] = (x0, x1)
    return found


def _pos(x0: float, x1: float, edge: str) -> float:
    """A cell's left edge, centre or right edge."""
    return x0 if edge == "left" else x1 if edge == "right" else (x0 + x1) / 2


def _alignment(tokens: list[tuple[str, float, float, list[str]]], columns: dict[str, tuple[float, float]]) -> str:
    """How a table's numbers line up under their header cells ("left", "centre" or "right"): the edge
    that puts them nearest a header cell overall (right first: a tie keeps the usual print)."""
    if not tokens or not columns:
        return "right"
    best, cost = "right", float("inf")
    for edge in ("right", "centre", "left"):
        heads = [_pos(c0, c1, edge) for c0, c1 in columns.values()]
        c = sum(min(60.0, *(abs(_pos(t[1], t[2], edge) - h) for h in heads)) for t in tokens)
        if c < cost - 1e-6:
            best, cost = edge, c
    return best


def _assign(tokens: list[tuple[str, float, float, list[str]]], columns: dict[str, tuple[float, float]], tol: float,
            edge: str = "right") -> dict[str, list[str]]:
    """Each numeric token to the column whose header cell it lines up with on ``edge`` (within ``tol``):
    its readings."""
    out: dict[str, tuple[list[str], float]] = {}
    for t, x0, x1, alts in tokens:
        best, dist = None, tol
        p = _pos(x0, x1, edge)
        for key, (c0, c1) in columns.items():
            d = abs(p - _pos(c0, c1, edge))
            if d < dist:
                best, dist = key, d
        if best is not None and (best not in out or dist < out[best][1]):
            out[best] = ([t, *alts], dist)
    return {k: v[0] for k, v in out.items()}


def _first(vals: dict[str, list[str]], key: str) -> str | None:
    v = vals.get(key)
    return v[0] if v else None


def _numbers_start(row: _Row) -> float | None:
    """The left edge of the run of number cells that ends ``row``, or None when it ends in text."""
    x = None
    for b in reversed(row.boxes[1:]):
        t = (b.num_text or b.text).translate(DIGIT_MAP).strip()
        if not (re.fullmatch(r"[\d\s.,/*()-]+", t) and re.search(r"\d", t)) and t not in ("-", "–"):
            break
        x = b.x0
    return x


def _cell_at(p: float, edge: str) -> tuple[float, float]:
    """A made-up header cell whose ``edge`` is at ``p`` (for a column whose label was not read)."""
    return (p - 20, p) if edge == "right" else (p, p + 20) if edge == "left" else (p - 10, p + 10)


def _infer_columns(rows: list[_Row], header: dict[str, tuple[float, float]], order: tuple[str, ...],
                   min_x: float, edge: str = "right") -> dict[str, tuple[float, float]]:
    """Header columns, completed from the data rows when labels were missed: a column of numbers that
    lines up with no header cell is named by what its cells hold (a rate to two decimals or not),
    and among the names left by where it sits between the named columns."""
    if len(header) == len(order):
        return header
    # a column left of every header cell read is still a column: the numbers that end each row
    starts = [x for r in rows if (x := _numbers_start(r)) is not None]
    if len(starts) >= max(2, len(rows) // 3):
        min_x = min(min_x, statistics.median(starts) - 5)
    toks = [t for r in rows for t in _num_tokens(r, min_x)]
    if not toks:
        return header
    toks.sort(key=lambda t: _pos(t[1], t[2], edge))
    clusters: list[list[tuple[str, float, float, list[str]]]] = [[toks[0]]]
    for t in toks[1:]:
        if _pos(t[1], t[2], edge) - _pos(clusters[-1][-1][1], clusters[-1][-1][2], edge) > 12:
            clusters.append([t])
        else:
            clusters[-1].append(t)
    big = [c for c in clusters if len(c) >= max(2, len(rows) // 3)]
    if not header and len(big) == len(order):  # no label read at all: the usual order is all there is
        return {k: _cell_at(max(_pos(t[1], t[2], edge) for t in c), edge) for k, c in zip(order, big, strict=True)}
    out = dict(header)
    for c in big:
        p = statistics.median(_pos(t[1], t[2], edge) for t in c)
        if any(abs(p - _pos(c0, c1, edge)) < 15 for c0, c1 in out.values()):
            continue
        rate = sum(1 for t in c if re.fullmatch(r"\d+[.,]\d\d", t[0].translate(DIGIT_MAP).strip())) >= len(c) / 2
        free = [k for k in order if k not in out and (k in _RATES) == rate]
        if not free:
            continue
        if len(free) > 1:
            # only the usual columns place it: a site's own extra column (dots, minutes) has no place in the order
            known = sorted((_pos(c0, c1, edge), k) for k, (c0, c1) in out.items() if k in order)
            left_keys = [k for x, k in known if x < p]
            right_keys = [k for x, k in known if x > p]
            lo = order.index(left_keys[-1]) + 1 if left_keys else 0
            hi = order.index(right_keys[0]) if right_keys else len(order)
            between = [k for k in free if lo <= order.index(k) < hi]
            free = between or free
        out[free[0]] = _cell_at(p, edge)
    return out


def _strip_name(s: str) -> str:
    """A player's name without the marks sites put beside it: "†", "+", "(c)", "(wk)", "*"."""
    s = re.sub(r"\((?:c|wk|c\s*&\s*wk|capt|कप्तान|विकेटकीपर)\)", " ", s, flags=re.IGNORECASE)
    s = s.replace("†", " ").replace("+", " ").replace("*", " ")
    toks = [t for t in s.split() if re.search(r"[A-Za-z\u0900-\u097f]", t)]
    # a keeper mark read as a letter ("t", "f") trails the name
    while len(toks) > 2 and len(toks[-1]) <= 1:
        toks.pop()
    toks = [re.sub(r"^[^\w\u0900-\u097f]+|[^\w\u0900-\u097f]+$", "", t) for t in toks]
    return " ".join(t for t in toks if t)


# --------------------------------------------------------------------------- card


def _title_info(text: str) -> tuple[str, int | None] | None:
    """("team", k) from an innings title ("India 2nd innings", "INDIA INNINGS", "भारत की पारी"), or None."""
    return parse_title(text)


def _title_text(row: _Row, width: int) -> str:
    """The left part of a row (an innings title the detector may have cut in two), without the score."""
    return " ".join(b.text for b in row.boxes if b.x0 < 0.6 * width and b.text)


def _is_title(row: _Row, width: int) -> bool:
    return _label_of(row.boxes[0].text) is None and parse_title(_title_text(row, width)) is not None


def _parse_total(inn: ReadInnings, row: _Row, r_col: tuple[float, float] | None) -> None:
    """The total row, in any of its formats (:func:`~.lines.parse_total`); every reading of its score,
    overs and run rate is noted for the repair (the number engine's first, then the text's)."""
    readings = [parse_total(t) for t in dict.fromkeys((row.num_text, row.text))]
    for key, attr in (("overs", "overs"), ("rr", "run_rate"), ("total", "runs")):
        for r in readings:
            v = getattr(r, attr)
            if v is not None:
                inn.note(key, f"{v:.2f}" if key == "rr" else str(v))
    first = readings[0]
    inn.total = first.runs if first.runs is not None else next((r.runs for r in readings if r.runs is not None), None)
    wk = [r.wickets for r in readings if r.wickets is not None]
    if wk:
        inn.wickets = wk[0]
    ov = [r.overs for r in readings if r.overs]
    if ov:
        inn.overs = clean_overs(ov[0])
    rr = [r.run_rate for r in readings if r.run_rate is not None]
    if rr:
        inn.run_rate = rr[0]
    if inn.total is None and r_col is not None:  # a score the text did not give: the token under the runs
        near = [t for t in _num_tokens(row, row.boxes[0].x1) if abs(t[2] - r_col[1]) < 40]
        if near:
            inn.total = to_int(near[-1][0])


def _parse_title_score(inn: ReadInnings, row: _Row, own_line: bool = False) -> None:
    """"42 (8.2 ov)" / "268/4 (47.3 ओवर)" / "268/4" at the right of an innings title (``own_line``: a line
    of its own under the title)."""
    boxes = row.boxes if own_line else row.boxes[1:]
    for b in boxes:
        # in a fixed order (a set's order changes with the process's string hashing, and the order
        # of readings breaks ties in the repair: the same card must read the same in every run)
        for reading in dict.fromkeys(r for r in (b.num_text, b.text) if r):
            m = re.search(r"(\d+)(?:\s*/\s*\d+)?\s*\(\s*(\d+(?:\.\d)?)", str(reading).translate(DIGIT_MAP))
            if m:
                inn.note("total", m.group(1))
                inn.note("overs", m.group(2))
    txt = " ".join((b.num_text or b.text) for b in boxes).translate(DIGIT_MAP)
    m = re.search(r"(\d+)(?:\s*/\s*(\d+))?\s*\(\s*(\d+(?:\.\d)?)", txt)
    if m:
        inn.total = inn.total if inn.total is not None else int(m.group(1))
        if m.group(2) and inn.wickets is None:
            inn.wickets = int(m.group(2))
        inn.overs = inn.overs or clean_overs(m.group(3))
        return
    t = parse_total(txt)  # no overs in brackets: "268/4", "268-4 (47.3)"
    if t.runs is not None and re.search(r"\d\s*[/-]\s*\d", txt):
        inn.note("total", str(t.runs))
        inn.total = inn.total if inn.total is not None else t.runs
        if t.wickets is not None and inn.wickets is None:
            inn.wickets = t.wickets
        if t.overs:
            inn.note("overs", t.overs)
            inn.overs = inn.overs or clean_overs(t.overs)


def fill_holes(card: ReadCard, texts: list[str]) -> int:
    """Put re-read cell texts (one per ``card.holes``) into the tables; returns how many were filled."""
    n = 0
    for (obj, attr, _), t in zip(card.holes, texts, strict=True):
        v: object = clean_overs(t) if attr == "overs" else to_int(t)
        if v is not None:
            setattr(obj, attr, v)
            n += 1
    card.holes = []
    return n


#: a result line without its label: "India won by 5 wickets", "Match drawn", "भारत 5 विकेट से जीता"
_RESULT_LINE = re.compile(
    rf"(?<![a-z])(?:{'|'.join(RESULT_WORDS['won'])})(?![a-z]).*(?<![a-z])by(?![a-z])"
    rf"|(?:match|मैच)\s+(?:{'|'.join(RESULT_WORDS['draw'] + RESULT_WORDS['tie'])})"
    rf"|{'|'.join(RESULT_WORDS['won_hi'] + RESULT_WORDS['beat_hi'])}", re.IGNORECASE)


#: a score on a line of its own, under the innings title: "268/4 (47.3 ov)", "268-4", "92 (18.2 overs)"
_SCORE_LINE = re.compile(r"\d{1,4}\s*(?:[/-]\s*\d{1,2})?\s*(?:\(.*\))?", re.IGNORECASE)


def _is_result(row: _Row) -> bool:
    if not _RESULT_LINE.search(row.text):
        return False
    try:
        parse_result(row.text)
    except ValueError:
        return False
    return True


def _header_kind(row: _Row) -> str | None:
    """"bat_head" or "bowl_head" for a row of column names with no number (its first label may be
    missing or garbled), else None."""
    # no numbers but the names of the 0s, 4s and 6s columns ("4", "4's")
    if any(re.search(r"\d", b.text.translate(DIGIT_MAP)) and not re.fullmatch(r"(?:[046]\s*'?s?\s*)+", b.text.strip(), re.I)
           for b in row.boxes):
        return None
    toks = [t for b in row.boxes[1:] for t, _, _ in (b.tokens or [(b.text, b.x0, b.x1)])]
    bat = {k for t in toks if (k := _col_of(t, BAT_COLS))}
    bowl = {k for t in toks if (k := _col_of(t, BOWL_COLS))}
    if len(bat) < 3 and len(bowl) < 3:
        return None
    nb, nw = len(bat & _BAT_ONLY), len(bowl & _BOWL_ONLY)
    if nb == nw:
        return None
    return "bat_head" if nb > nw else "bowl_head"


def read_card(ct: CardText, image_index: int = 0) -> ReadCard:
    """The tables of one scorecard image."""
    rows = _rows(ct.boxes)
    card = ReadCard(script=ct.script)
    inn: ReadInnings | None = None
    section = None  # "bat", "bowl", "fow", "dnb", None
    bat_cols: dict[str, tuple[float, float]] = {}
    bowl_cols: dict[str, tuple[float, float]] = {}
    bat_rows: list[_Row] = []
    bowl_rows: list[_Row] = []
    fow_text: list[str] = []
    result_parts: list[str] = []

    def flush() -> None:
        nonlocal bat_rows, bowl_rows, fow_text
        if inn is not None:
            _fill_batting(inn, bat_rows, bat_cols, card.holes, ct.digits == "devanagari")
            _fill_bowling(inn, bowl_rows, bowl_cols, card.holes)
            if ct.digits == "devanagari":
                wickets_from_dismissals(inn)
            repair_innings(inn)
        bat_rows, bowl_rows, fow_text = [], [], []

    def new_innings(title_row: _Row | None) -> ReadInnings:
        """An innings titled by ``title_row`` (the row above a table whose own title was not read)."""
        title = _title_text(title_row, ct.width) if title_row is not None else ""
        info = _title_info(title)
        new = ReadInnings(title=title, team=info[0] if info else "", number=info[1] if info else None,
                          image=image_index)
        card.innings.append(new)
        if title_row is not None and len(title_row.boxes) > 1:
            _parse_title_score(new, title_row)
        return new

    for idx, row in enumerate(rows):
        first = row.boxes[0]
        label = _label_of(first.text)
        if idx < 3 and not card.teams and not card.innings and label is None and not _is_title(row, ct.width):
            # the match title "India vs Australia" ("India v Australia, 2nd ODI"), on one of the first lines
            parts = re.split(TEAMS_SPLIT, row.text, flags=re.IGNORECASE)
            if len(parts) == 2:
                card.teams = [re.split(r",|\s[-–|:]\s", p)[0].strip() for p in parts]
                continue
        if _is_title(row, ct.width):
            title = _title_text(row, ct.width)
            info = _title_info(title)
            if info is not None:
                flush()
                inn = ReadInnings(title=title, team=info[0], number=info[1], image=image_index)
                card.innings.append(inn)
                # the score in the title's own box ("India 1st innings 268/4 (47.3 ov)") or beside it
                _parse_title_score(inn, row, own_line=len(row.boxes) == 1)
                section = None
                continue
        if label is None and section != "result" and _is_result(row):
            label = "result"
        if label == "result":
            flush()
            section = "result"
            # the line without its label ("Result:", "परिणाม:"), a label being one word
            rest = row.text if _label_of(first.text) != "result" else re.sub(r"^\S+\s*:?", "", row.text)
            result_parts.append(rest.strip().lstrip(":").strip())
            continue
        if section == "result":
            result_parts.append(row.text)
            continue
        if label is None or label in ("bat_head", "bowl_head"):
            kind = _header_kind(row)
            if kind is not None and label is None:
                label = kind
            elif label is None and _looks_header(row, ct.width):
                # a header whose first label OCR garbled: the first after a title is the
                # batting header, one after the batting block the bowling header
                if section is None and not bat_rows:
                    label = "bat_head"
                elif section in ("after_bat", "fow", "dnb"):
                    label = "bowl_head"
        if inn is None and label == "bat_head" and idx:
            # a batting table before any readable innings title: the row above is its title
            inn = new_innings(rows[idx - 1])
            section = None
        if inn is None:
            continue
        if label == "bat_head" and (section is not None or bat_rows or inn.batters):
            # a second batting header in the same innings: the innings title between
            # them was not read; start a new innings titled by the row above
            flush()
            inn = new_innings(rows[idx - 1] if idx else None)
        if label is None and section is None and not bat_rows and _SCORE_LINE.fullmatch(
                row.num_text.translate(DIGIT_MAP).strip()):
            _parse_title_score(inn, row, own_line=True)
            continue
        if label == "bat_head":
            section = "bat"
            bat_cols = _header_columns(row, BAT_COLS)
            continue
        if label == "bowl_head":
            section = "bowl"
            bowl_cols = _header_columns(row, BOWL_COLS)
            continue
        if label == "extras":
            section = "after_bat"
            inn.extras = _extras(row, bat_cols.get("runs"))
            continue
        if label == "total":
            section = "after_bat"
            _parse_total(inn, row, bat_cols.get("runs"))
            continue
        if label == "dnb":
            section = "dnb"
            continue
        if label == "fow" or section == "fow":
            section = "fow"
            # the whole list at once: a wrapped line alone cannot tell "23-1" from "1-23"
            fow_text.append(row.num_text if label != "fow" else row.num_text[len(first.text):] or row.num_text)
            inn.fow = parse_fow(", ".join(fow_text))
            continue
        if section == "bat":
            bat_rows.append(row)
        elif section == "bowl":
            bowl_rows.append(row)
    flush()
    _name_untitled(card)
    if result_parts:
        card.result = " ".join(p for p in result_parts if p).strip()
    return card


def _extras(row: _Row, r_col: tuple[float, float] | None) -> int | None:
    """The extras of an extras row in any of its formats (:func:`~.lines.parse_extras`), else the number
    under the runs column, else the row's last number."""
    for text in dict.fromkeys((row.num_text, row.text)):
        v = parse_extras(text)
        if v is not None:
            return v
    toks = _num_tokens(row, row.boxes[0].x1)
    if r_col is not None:
        near = [t for t in toks if abs(t[2] - r_col[1]) < 40]
        if near:
            return to_int(near[-1][0])
    return to_int(toks[-1][0]) if toks else None


def _name_untitled(card: ReadCard) -> None:
    """Innings teams snapped to the match title's spelling (any case); an unreadable one gets the team
    the others are not."""
    if len(card.teams) == 2:
        for inn in card.innings:
            if inn.team and inn.team not in card.teams:
                scored = sorted(((fuzz.partial_ratio(t.lower(), inn.team.lower()), t) for t in card.teams),
                                reverse=True)
                if scored[0][0] >= 70 and scored[0][0] > scored[1][0]:
                    inn.team = scored[0][1]
    named = {i.team for i in card.innings if i.team}
    for inn in card.innings:
        if inn.team:
            continue
        others = [t for t in card.teams if not any(fuzz.ratio(t, n) >= 70 for n in named)]
        if len(card.teams) == 2 and len(others) == 1:
            inn.team = others[0]
        if inn.number is None:
            k = card.innings.index(inn)
            prev = card.innings[k - 1].number if k else None
            inn.number = prev + 1 if prev else None


def _looks_header(row: _Row, width: int) -> bool:
    """A table header: a left label and three or more labels on the right, none with a digit."""
    right = [b for b in row.boxes[1:] if b.x0 > 0.45 * width]
    if len(right) < 2 or sum(len(b.tokens) or 1 for b in right) < 3:
        return False
    return not any(re.search(r"\d", b.text.translate(DIGIT_MAP)) for b in row.boxes)


def _data_left(rows: list[_Row], cols: dict[str, tuple[float, float]]) -> float:
    if cols:
        return min(c0 for c0, _ in cols.values()) - 30
    return 0.55 * max((b.x1 for r in rows for b in r.boxes), default=1000)


def _holes(obj: object, vals: dict[str, list[str]], cols: dict[str, tuple[float, float]], keys: tuple[str, ...],
           row: _Row, holes: list, edge: str = "right") -> None:
    """Record the cells of ``keys`` that got no number: a cell under its header, aligned as the table is."""
    y0 = min(b.y0 for b in row.boxes)
    y1 = max(b.y1 for b in row.boxes)
    for k in keys:
        if k in cols and getattr(obj, k) is None:
            p = _pos(*cols[k], edge)
            x0, x1 = (p - 48, p + 6) if edge == "right" else (p - 6, p + 48) if edge == "left" else (p - 27, p + 27)
            holes.append((obj, k, (x0, y0, x1, y1)))


def _table_columns(rows: list[_Row], header: dict[str, tuple[float, float]], order: tuple[str, ...]
                   ) -> tuple[dict[str, tuple[float, float]], float, str]:
    """(columns, left edge of the numbers, alignment) of a table from its header and rows."""
    left = _data_left(rows, header)
    edge = _alignment([t for r in rows for t in _num_tokens(r, left)], header)
    cols = _infer_columns(rows, header, order, left, edge)
    return cols, _data_left(rows, cols), edge


def _is_dismissal(text: str) -> bool:
    try:
        dismissal_kind(text)
    except ValueError:
        return False
    return True


def _fill_batting(inn: ReadInnings, rows: list[_Row], header: dict[str, tuple[float, float]], holes: list,
                  devanagari_digits: bool = False) -> None:
    if not rows:
        return
    cols, left, edge = _table_columns(rows, header, _BAT_ORDER)
    for row in rows:
        text_boxes = [b for b in row.boxes if b.x1 <= left + 10 or b.x0 < left - 40]
        if not text_boxes:
            continue
        if inn.batters and not _num_tokens(row, left) and _is_dismissal(row.text):
            # the dismissal printed on a line of its own under the batter's name
            inn.batters[-1].dismissal = " ".join(filter(None, (inn.batters[-1].dismissal, row.text)))
            continue
        name = _strip_name(text_boxes[0].text)
        if not name:
            continue
        dismissal = " ".join(b.text for b in text_boxes[1:]).strip()
        vals = _assign(_num_tokens(row, left), cols, 30, edge)
        bat = Batter(
            name=name, dismissal=dismissal, runs=to_int(_first(vals, "runs")), balls=to_int(_first(vals, "balls")),
            fours=to_int(_first(vals, "fours")), sixes=to_int(_first(vals, "sixes")), sr=number(_first(vals, "sr")),
        )
        # 4s and 6s are checked against the runs only where digits are unreliable (a
        # boundary count is a lone glyph, "१" and "३" the usual confusion)
        repair_batter(bat, vals, devanagari_digits)
        inn.batters.append(bat)
        _holes(bat, vals, cols, ("runs", "balls", "fours", "sixes"), row, holes, edge)


def _fill_bowling(inn: ReadInnings, rows: list[_Row], header: dict[str, tuple[float, float]], holes: list) -> None:
    if not rows:
        return
    cols, left, edge = _table_columns(rows, header, _BOWL_ORDER)
    for row in rows:
        if row.boxes[0].x0 > left:
            continue
        name = _strip_name(row.boxes[0].text)
        if not name:
            continue
        vals = _assign(_num_tokens(row, left), cols, 30, edge)
        bowl = Bowler(
            name=name, overs=clean_overs(_first(vals, "overs")), maidens=to_int(_first(vals, "maidens")),
            runs=to_int(_first(vals, "runs")), wickets=to_int(_first(vals, "wickets")),
            econ=number(_first(vals, "econ")),
        )
        repair_bowler(bowl, vals)
        inn.bowlers.append(bowl)
        _holes(bowl, vals, cols, ("overs", "runs", "wickets"), row, holes, edge)
