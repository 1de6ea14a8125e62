"""Rebuild a scorecard's tables from OCR boxes (:mod:`mmx.eval.benches.mmcric.baseline.card_ocr`), in English or Hindi.

Only geometry and the printed labels are used: boxes are grouped into rows by
their vertical centres; header rows are found by their labels ("Batter", "R",
"B", ... or "बल्लेबाज़", "रन", "गेंद", ...); numbers are right-aligned under
right-aligned labels, so each number goes to the header label whose right edge
is nearest. Innings titles, extras, totals, fall of wickets and the result line
are recognised by their labels too. The labels are the cards' own words
(:mod:`mmx.eval.benches.mmcric.wording`); nothing here knows the generator's
data. The rows read go into :mod:`mmx.eval.benches.mmcric.baseline.readcard`'s
classes, and :mod:`mmx.eval.benches.mmcric.baseline.repair` mends their digits.
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from dataclasses import dataclass

from rapidfuzz import fuzz

from mmx.eval.benches.mmcric.baseline.card_ocr import DIGIT_MAP, Box, CardText, _split_tokens
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
from mmx.eval.benches.mmcric.wording import INNINGS_HI, LANGS, WORDS, innings_name, ordinal

__all__ = ["fill_holes", "read_card"]


# --------------------------------------------------------------------------- text helpers


def norm(s: str) -> str:
    """Lowercase, no nukta/punctuation/spaces: for label comparison."""
    s = unicodedata.normalize("NFC", s).replace("\u093c", "").lower()
    return re.sub(r"[\s\.,:;'\"\-–()|_*+<>!?]+", "", s)


# --------------------------------------------------------------------------- the printed words
#
# Labels and header words are the cards' own (mmx.eval.benches.mmcric.wording), normalised
# with norm(); the other forms beside them are what OCR makes of them.

_EN, _HI = WORDS["en"], WORDS["hi"]


def _both(key: str) -> tuple[str, ...]:
    """A label's normalised printed forms: English, then Hindi."""
    return tuple(norm(WORDS[lang][key]) for lang in LANGS)


_LABELS: dict[str, tuple[str, ...]] = {
    "bat_head": (norm(_EN["batter"]), "batsman", norm(_HI["batter"])),  # "batsman": other sites' English
    "bowl_head": _both("bowler"),
    "extras": _both("extras"),
    "total": _both("total"),
    "dnb": _both("dnb"),
    "fow": _both("fow"),
    "result": _both("result"),
}

_LABEL_WORDS = sorted(((w, k) for k, ws in _LABELS.items() for w in ws), key=lambda t: -len(t[0]))

_BAT_COLS: dict[str, tuple[str, ...]] = {
    "runs": _both("R"),
    "balls": (*_both("B"), "गद"),
    "fours": (norm(_EN["4s"]), "45", "as", norm(_HI["4s"])),
    "sixes": (norm(_EN["6s"]), "65", "gs", norm(_HI["6s"])),
    # a two-word Hindi header may be read as two boxes
    "sr": (norm(_EN["SR"]), *(norm(w) for w in _HI["SR"].split()), norm(_HI["SR"])),
}
_BOWL_COLS: dict[str, tuple[str, ...]] = {
    "overs": (norm(_EN["O"]), "0", norm(_HI["O"])),
    "maidens": _both("M"),
    "runs": _both("R"),
    "wickets": _both("W"),
    "econ": (*_both("econ"), "इकनमी"),
    "wides": (*_both("WD"), "बाइड"),
    "noballs": (*_both("NB"), "नोबल"),
}
_BAT_ORDER = ("runs", "balls", "fours", "sixes", "sr")
_BOWL_ORDER = ("overs", "maidens", "runs", "wickets", "econ", "wides", "noballs")


def _spaced(words: str) -> str:
    """A pattern for ``words`` whose spaces OCR may drop or double ("रन रेट", "रनरेट")."""
    return r"\s*".join(re.escape(w) for w in words.split())


#: innings titles: "India 2nd innings", "भारत दूसरी पारी" ("पार" when OCR drops the last vowel sign)
_INNINGS_EN = innings_name(1, "en").split()[-1]
_INNINGS_HI = INNINGS_HI[0].split()[-1]
_EN_ORDINALS = {ordinal(k): k for k in range(1, len(INNINGS_HI) + 1)}
_HI_ORDINALS = {name.split()[0]: k for k, name in enumerate(INNINGS_HI, 1)}
_INN = _INNINGS_EN[:3]
_ORD_SUFFIX = "|".join(o.lstrip("0123456789") for o in _EN_ORDINALS)
_TEAMS_SPLIT = rf"\s+(?:{_EN['vs']}\.?|v|{_HI['vs']})\s+"
_RESULT_LABEL = rf"^(?:{_EN['result'].rstrip(':')}|{_HI['result'].rstrip(':')})\s*:?"
_OVERS = rf"(\d+(?:\.\d)?)\s*(?:{_EN['ov']}|{_HI['ov']})"
_RUN_RATE = rf"(?:{_EN['RR']}|{_spaced(_HI['RR'])})\s*(\d+[.,]\d+)"


def _label_of(text: str) -> str | None:
    n = norm(text)
    if not n:
        return None
    for w, key in _LABEL_WORDS:  # longest first: "बल्लेबाज़ी नहीं की" is not "बल्लेबाज़"
        if n.startswith(w):
            return key
    for w, key in _LABEL_WORDS:
        if len(n) >= 4 and len(w) >= 4 and max(fuzz.ratio(n[: len(w) + d], w) for d in (-1, 0, 1)) >= 80:
            return key
    return None


def _col_of(token: str, cols: dict[str, tuple[str, ...]]) -> str | None:
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


def _assign(tokens: list[tuple[str, float, float, list[str]]], columns: dict[str, tuple[float, float]], tol: float
            ) -> dict[str, list[str]]:
    """Each numeric token to the column whose right edge is nearest (within ``tol``): its readings."""
    out: dict[str, tuple[list[str], float]] = {}
    for t, _x0, x1, alts in tokens:
        best, dist = None, tol
        for key, (_c0, c1) in columns.items():
            d = abs(x1 - c1)
            if d < dist:
                best, dist = key, d
        if best is not None and (best not in out or dist < out[best][1]):
            out[best] = ([t, *alts], dist)
    return {k: v[0] for k, v in out.items()}


def _first(vals: dict[str, list[str]], key: str) -> str | None:
    v = vals.get(key)
    return v[0] if v else None


def _infer_columns(rows: list[_Row], header: dict[str, tuple[float, float]], order: tuple[str, ...],
                   min_x: float) -> dict[str, tuple[float, float]]:
    """Header columns, completed from the data rows' right edges when labels were missed."""
    if len(header) == len(order):
        return header
    edges = sorted(t[2] for r in rows for t in _num_tokens(r, min_x))
    if not edges:
        return header
    clusters: list[list[float]] = [[edges[0]]]
    for e in edges[1:]:
        if e - clusters[-1][-1] > 12:
            clusters.append([e])
        else:
            clusters[-1].append(e)
    big = [c for c in clusters if len(c) >= max(2, len(rows) // 3)]
    if len(big) == len(order):
        return {k: (max(c) - 20, max(c)) for k, c in zip(order, big, strict=True)}
    out = dict(header)
    for c in big:
        right = max(c)
        if any(abs(right - x1) < 15 for _, x1 in out.values()):
            continue
        # a column the header missed: name it after its neighbours in the expected order
        known = sorted((x1, k) for k, (_, x1) in out.items())
        left_keys = [k for x1, k in known if x1 < right]
        right_keys = [k for x1, k in known if x1 > right]
        lo = order.index(left_keys[-1]) + 1 if left_keys else 0
        hi = order.index(right_keys[0]) if right_keys else len(order)
        free = [k for k in order[lo:hi] if k not in out]
        if len(free) == 1 or (free and not right_keys):
            out[free[0] if right_keys else free[-1] if len(free) == 1 else free[0]] = (right - 20, right)
    return out


def _strip_name(s: str) -> str:
    s = s.replace("†", " ").replace("+", " ")
    toks = [t for t in s.split() if re.search(r"[A-Za-z\u0900-\u097f]", t)]
    # a keeper mark read as a letter ("t", "f") trails the name
    while len(toks) > 2 and len(toks[-1]) <= 1:
        toks.pop()
    toks = [re.sub(r"^[^\w\u0900-\u097f]+|[^\w\u0900-\u097f]+$", "", t) for t in toks]
    return " ".join(t for t in toks if t)


# --------------------------------------------------------------------------- card


def _title_info(text: str) -> tuple[str, int | None] | None:
    """("team", k) from an innings title ("India 2nd innings", "भारत दूसरी पारी"), or None."""
    t = " ".join(text.replace(_EN["follow_on"], "").split())
    m = re.search(rf"^(.*?)\s*(\d)\s*(?:{_ORD_SUFFIX})?\s+{_INN}", t, re.IGNORECASE)
    if m and _INN in t.lower():
        return m.group(1).strip(), int(m.group(2))
    m = re.search(rf"^(.*?)\s+(\S+)\s+{_INNINGS_EN}", t, re.IGNORECASE)
    if m:
        k = _EN_ORDINALS.get(m.group(2).lower())
        return m.group(1).strip(), k
    toks = t.split()
    for i, tok in enumerate(toks):
        if norm(tok) in (_INNINGS_HI, _INNINGS_HI[:-1]) or (
                len(norm(tok)) >= 3 and fuzz.ratio(norm(tok), _INNINGS_HI) >= 75):
            if i == 0:
                return None
            k = None
            for word, v in _HI_ORDINALS.items():
                if fuzz.ratio(norm(toks[i - 1]), word) >= 70:
                    k = v
            team = " ".join(toks[: i - 1]) if k is not None or i >= 2 else " ".join(toks[:i])
            return team.strip(), k
    return None


def _title_text(row: _Row, width: int) -> str:
    """The left part of a row (an innings title the detector may have cut in two), without the score."""
    return " ".join(b.text for b in row.boxes if b.x0 < 0.6 * width and b.text)


def _is_title(row: _Row, width: int) -> bool:
    text = _title_text(row, width)
    n = text.lower()
    return (_INNINGS_EN in n or _INNINGS_HI in text or _INNINGS_HI[:-1] in text) and _label_of(row.boxes[0].text) is None


def _parse_total(inn: ReadInnings, row: _Row, r_col: tuple[float, float] | None) -> None:
    txt = row.num_text.translate(DIGIT_MAP)
    low = row.text.lower()
    m = re.search(_OVERS, row.text.translate(DIGIT_MAP))
    if m:
        inn.overs = clean_overs(m.group(1))
        inn.note("overs", m.group(1))
    m = re.search(_RUN_RATE, row.text.translate(DIGIT_MAP))
    if m:
        inn.run_rate = float(m.group(1).replace(",", "."))
        inn.note("rr", m.group(1))
    # the other engine's reading of "(all out, 8.2 ov, RR 5.04)": overs, then the rate
    detail = " ".join(b.num_text for b in row.boxes[1:] if b.num_text and "(" in b.num_text).translate(DIGIT_MAP)
    nums = re.findall(r"\d+(?:\.\d+)?", detail)
    if len(nums) >= 2:
        inn.note("overs", nums[-2])
        inn.note("rr", nums[-1])
        if inn.run_rate is None and re.fullmatch(r"\d+\.\d\d", nums[-1]):
            inn.run_rate = float(nums[-1])
    if _EN["all_out"] in low or any(w in row.text for w in _HI["all_out"].split()):
        inn.wickets = 10
    # the score: the token under the runs column, else the last number of the row
    toks = _num_tokens(row, row.boxes[0].x1)
    score = None
    if r_col is not None:
        near = [t for t in toks if abs(t[2] - r_col[1]) < 40]
        if near:
            score = near[-1][0]
    if score is None:
        cand = [t for t in toks if "(" not in t[0] and ")" not in t[0]]
        if cand:
            score = cand[-1][0]
    if score is None:
        m = re.findall(r"(?<![\d.])(\d+)(?:/(\d+))?(?![\d.])", txt)
        if m:
            score = "/".join(x for x in m[-1] if x)
    if score is not None:
        s = score.translate(DIGIT_MAP)
        inn.note("total", s.split("/")[0])
        m2 = re.search(r"(\d+)\s*/\s*(\d+)", s)
        if m2:
            inn.total, inn.wickets = int(m2.group(1)), int(m2.group(2))
        else:
            inn.total = to_int(s)


def _parse_title_score(inn: ReadInnings, row: _Row) -> None:
    """"42 (8.2 ov)" / "268/4 (47.3 ओवर)" at the right of an innings title."""
    for b in row.boxes[1:]:
        # in a fixed order (a set's order changes with the process's string hashing, and the order
        # of readings breaks ties in the repair: the same card must read the same in every run)
        for reading in dict.fromkeys(r for r in (b.num_text, b.text) if r):
            m = re.search(r"(\d+)(?:\s*/\s*\d+)?\s*\(\s*(\d+(?:\.\d)?)", str(reading).translate(DIGIT_MAP))
            if m:
                inn.note("total", m.group(1))
                inn.note("overs", m.group(2))
    txt = " ".join((b.num_text or b.text) for b in row.boxes[1:]).translate(DIGIT_MAP)
    m = re.search(r"(\d+)(?:\s*/\s*(\d+))?\s*\(\s*(\d+(?:\.\d)?)", txt)
    if m:
        inn.total = inn.total if inn.total is not None else int(m.group(1))
        if m.group(2) and inn.wickets is None:
            inn.wickets = int(m.group(2))
        inn.overs = inn.overs or clean_overs(m.group(3))


def _parse_fow(inn: ReadInnings, text: str) -> None:
    t = text.translate(DIGIT_MAP)
    for k, s in re.findall(r"(?<![\d.])(\d{1,2})\s*-\s*(\d{1,3})(?![\d])", t):
        k_, s_ = int(k), int(s)
        if 1 <= k_ <= 10 and k_ not in inn.fow:
            inn.fow[k_] = s_


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
    result_parts: list[str] = []

    def flush() -> None:
        nonlocal bat_rows, bowl_rows
        if inn is not None:
            _fill_batting(inn, bat_rows, bat_cols, card.holes, ct.digits == "devanagari")
            _fill_bowling(inn, bowl_rows, bowl_cols, card.holes)
            if ct.digits == "devanagari":
                wickets_from_dismissals(inn)
            repair_innings(inn)
        bat_rows, bowl_rows = [], []

    for idx, row in enumerate(rows):
        first = row.boxes[0]
        label = _label_of(first.text)
        if idx == 0 and label is None and not _is_title(row, ct.width):
            parts = re.split(_TEAMS_SPLIT, row.text)
            if len(parts) == 2:
                card.teams = [p.strip() for p in parts]
                continue
        if _is_title(row, ct.width):
            title = _title_text(row, ct.width)
            info = _title_info(title)
            if info is not None:
                flush()
                inn = ReadInnings(title=title, team=info[0], number=info[1], image=image_index)
                card.innings.append(inn)
                _parse_title_score(inn, row)
                section = None
                continue
        if label == "result":
            flush()
            section = "result"
            rest = row.text[len(first.text):] if len(row.boxes) > 1 else re.sub(r"^\S+\s*:?", "", first.text)
            rest = re.sub(_RESULT_LABEL, "", rest.strip(), flags=re.IGNORECASE).strip()
            result_parts.append(rest)
            continue
        if section == "result":
            result_parts.append(row.text)
            continue
        if inn is None and label == "bat_head" and idx:
            # a batting table before any readable innings title: the row above is its title
            prev = rows[idx - 1]
            title = _title_text(prev, ct.width)
            info = _title_info(title)
            inn = ReadInnings(title=title, team=info[0] if info else "", number=info[1] if info else None,
                          image=image_index)
            card.innings.append(inn)
            if len(prev.boxes) > 1:
                _parse_title_score(inn, prev)
            section = None
        if inn is None:
            continue
        if label is None and _looks_header(row, ct.width):
            # a header whose first label OCR garbled: the first after a title is the
            # batting header, one after the batting block the bowling header
            if section is None and not bat_rows:
                label = "bat_head"
            elif section in ("after_bat", "fow", "dnb"):
                label = "bowl_head"
        if label == "bat_head" and (section is not None or bat_rows or inn.batters):
            # a second batting header in the same innings: the innings title between
            # them was not read; start a new innings titled by the row above
            flush()
            prev = rows[idx - 1] if idx else None
            title = _title_text(prev, ct.width) if prev is not None else ""
            info = _title_info(title)
            inn = ReadInnings(title=title, team=info[0] if info else "", number=info[1] if info else None,
                          image=image_index)
            card.innings.append(inn)
            if prev is not None and len(prev.boxes) > 1:
                _parse_title_score(inn, prev)
        if label == "bat_head":
            section = "bat"
            bat_cols = _header_columns(row, _BAT_COLS)
            continue
        if label == "bowl_head":
            section = "bowl"
            bowl_cols = _header_columns(row, _BOWL_COLS)
            continue
        if label == "extras":
            section = "after_bat"
            r = bat_cols.get("runs")
            toks = _num_tokens(row, first.x1)
            val = None
            if r is not None:
                near = [t for t in toks if abs(t[2] - r[1]) < 40]
                val = near[-1][0] if near else None
            if val is None and toks:
                val = toks[-1][0]
            inn.extras = to_int(val)
            continue
        if label == "total":
            section = "after_bat"
            _parse_total(inn, row, bat_cols.get("runs"))
            continue
        if label == "dnb":
            section = "dnb"
            continue
        if label == "fow":
            section = "fow"
            _parse_fow(inn, row.num_text)
            continue
        if section == "fow":
            _parse_fow(inn, row.num_text)
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


def _name_untitled(card: ReadCard) -> None:
    """Innings teams snapped to the match title's spelling; an unreadable one gets the team the others are not."""
    if len(card.teams) == 2:
        for inn in card.innings:
            if inn.team and inn.team not in card.teams:
                scored = sorted(((fuzz.partial_ratio(t, inn.team), t) for t in card.teams), reverse=True)
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
           row: _Row, holes: list) -> None:
    """Record the cells of ``keys`` that got no number: a right-aligned cell under its header."""
    y0 = min(b.y0 for b in row.boxes)
    y1 = max(b.y1 for b in row.boxes)
    for k in keys:
        if k in cols and getattr(obj, k) is None:
            right = cols[k][1]
            holes.append((obj, k, (right - 48, y0, right + 6, y1)))


def _fill_batting(inn: ReadInnings, rows: list[_Row], header: dict[str, tuple[float, float]], holes: list,
                  devanagari_digits: bool = False) -> None:
    if not rows:
        return
    left = _data_left(rows, header)
    cols = _infer_columns(rows, header, _BAT_ORDER, left)
    left = _data_left(rows, cols)
    for row in rows:
        text_boxes = [b for b in row.boxes if b.x1 <= left + 10 or b.x0 < left - 40]
        if not text_boxes:
            continue
        name = _strip_name(text_boxes[0].text)
        if not name:
            continue
        dismissal = " ".join(b.text for b in text_boxes[1:]).strip()
        vals = _assign(_num_tokens(row, left), cols, 30)
        bat = Batter(
            name=name, dismissal=dismissal, runs=to_int(_first(vals, "runs")), balls=to_int(_first(vals, "balls")),
            fours=to_int(_first(vals, "fours")), sixes=to_int(_first(vals, "sixes")), sr=number(_first(vals, "sr")),
        )
        # 4s and 6s are checked against the runs only where digits are unreliable (a
        # boundary count is a lone glyph, "१" and "३" the usual confusion)
        repair_batter(bat, vals, devanagari_digits)
        inn.batters.append(bat)
        _holes(bat, vals, cols, ("runs", "balls", "fours", "sixes"), row, holes)


def _fill_bowling(inn: ReadInnings, rows: list[_Row], header: dict[str, tuple[float, float]], holes: list) -> None:
    if not rows:
        return
    left = _data_left(rows, header)
    cols = _infer_columns(rows, header, _BOWL_ORDER, left)
    left = _data_left(rows, cols)
    for row in rows:
        if row.boxes[0].x0 > left:
            continue
        name = _strip_name(row.boxes[0].text)
        if not name:
            continue
        vals = _assign(_num_tokens(row, left), cols, 30)
        bowl = Bowler(
            name=name, overs=clean_overs(_first(vals, "overs")), maidens=to_int(_first(vals, "maidens")),
            runs=to_int(_first(vals, "runs")), wickets=to_int(_first(vals, "wickets")),
            econ=number(_first(vals, "econ")),
        )
        repair_bowler(bowl, vals)
        inn.bowlers.append(bowl)
        _holes(bowl, vals, cols, ("overs", "runs", "wickets"), row, holes)
