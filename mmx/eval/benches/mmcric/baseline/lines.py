"""Parsers for the text lines of a scorecard, in English and Hindi, whatever site printed them.

Each takes a line as OCR read it (any digits, Western or Devanagari) and returns its values:
a dismissal's kind and bowler, a result's kind, winner and margin, the extras and total rows,
the fall of wickets, an innings title. The words are the baseline's own
(:mod:`mmx.eval.benches.mmcric.baseline.vocab`); OCR's usual slips of short words ("ibw" for
"lbw", "¢" for "c", "1b" for "lb") are taken too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from mmx.eval.benches.mmcric.baseline.card_ocr import DIGIT_MAP
from mmx.eval.benches.mmcric.baseline.vocab import (
    ALL_OUT_WORDS,
    BOWLED_BY,
    DISMISSALS,
    EN_ORDINALS,
    FOLLOW_ON_WORDS,
    HI_ORDINALS,
    INNINGS_WORDS,
    LABELS,
    OVERS_WORDS,
    RESULT_WORDS,
    RUN_RATE_WORDS,
    WICKETS_WORDS,
    norm,
)

__all__ = ["Total", "dismissal_bowler", "dismissal_kind", "parse_extras", "parse_fow", "parse_result",
           "parse_title", "parse_total"]


def _alt(words: tuple[str, ...] | list[str]) -> str:
    """A regex alternation of ``words``, longest first, spaces matching any run of spaces (or none)."""
    return "|".join(r"\s*".join(re.escape(p) for p in w.split()) for w in sorted(words, key=len, reverse=True))


def _plain(text: str) -> str:
    """Western digits, one space between words."""
    return " ".join(text.translate(DIGIT_MAP).split())


# --------------------------------------------------------------------------- dismissals

_BY = rf"(?:^|[\s&])(?:{'|'.join(BOWLED_BY)})\.?\s+"
#: dismissal kinds whose words may stand anywhere in the cell ("b Khan (run out)" is not a thing, but
#: "not out" may follow a note)
_ANYWHERE = ("not out", "run out")


def _word(form: str) -> str:
    """A pattern for a dismissal word: a Latin one not run into other letters ("c" is not "cook")."""
    pat = r"\s*".join(re.escape(p) for p in form.split())
    return rf"(?<![a-z]){pat}(?![a-z])" if form.isascii() else pat


_KINDS = [(kind, re.compile("|".join(_word(f) for f in forms))) for kind, forms in DISMISSALS.items()]


def dismissal_kind(text: str) -> str:
    """"bowled", "caught", "lbw", "run out", "stumped" or "not out" from a dismissal as printed
    ("c Mehta b Bhatt", "c & b Khan", "lbw b Roy", "कै मेहता बो भट्ट", "नाबाद" ...; any case).

    Raises ValueError for a text that is none of them (an empty cell, "retired hurt").
    """
    low = _plain(text).lower()
    if not low:
        raise ValueError("an empty dismissal")
    for kind, pattern in _KINDS:
        if (pattern.search(low) if kind in _ANYWHERE else pattern.match(low)) is not None:
            return kind
    if low.startswith("run "):  # "run out" with its second word lost
        return "run out"
    raise ValueError(f"not a dismissal: {text!r}")


def dismissal_bowler(text: str) -> str | None:
    """The bowler's name in a dismissal, as printed: "Bhatt" of "c Mehta b Bhatt", "lbw b Bhatt",
    "st Roy b Bhatt", "c & b Bhatt", "कै मेहता बो भट्ट"; None where no bowler is named (run out, not out)."""
    t = _plain(text)
    found = list(re.finditer(_BY, t, re.IGNORECASE))
    if not found:
        return None
    name = t[found[-1].end():].strip(" †+()[],.")
    name = name.replace("†", "").replace("\u093c", "").strip()
    return name or None


# --------------------------------------------------------------------------- the result

_WICKET_UNITS = RESULT_WORDS["wickets"]
_UNIT = rf"({_alt(RESULT_WORDS['wickets'])}|{_alt(RESULT_WORDS['runs'])})"
_WON = rf"(?:{_alt(RESULT_WORDS['won'])})"
_INNINGS_AND = rf"(?:{_alt(RESULT_WORDS['innings'])})"
_INNINGS_AND_HI = rf"(?:{_alt(RESULT_WORDS['innings_hi'])})"
_DRAW = re.compile(rf"(?<![a-z])(?:{_alt(RESULT_WORDS['draw'])})(?![a-z])")
_TIE = re.compile(rf"(?<![a-z])(?:{_alt(RESULT_WORDS['tie'])})(?![a-z])")
_RESULT_LABEL = rf"^(?:{_alt([w for w in LABELS['result']])})\s*:?\s*"


def _unit(word: str) -> str:
    return "wickets" if word.lower() in _WICKET_UNITS else "runs"


def parse_result(text: str) -> tuple[str, str | None, int | None]:
    """(kind, winner as printed, margin) of a result line; kind is "wickets", "runs", "innings" (an
    innings and runs), "won" (no margin read), "draw" or "tie".

    Reads "India won by 5 wickets", "India won by an innings and 24 runs", "India beat Australia by
    24 runs", "Match drawn", "Match tied", "भारत 5 विकेट से जीता", "भारत ने ऑस्ट्रेलिया को 24 रन से
    हराया", "मैच ड्रॉ" (any digits). Raises ValueError for a line that is not a result.
    """
    t = re.sub(_RESULT_LABEL, "", _plain(text), flags=re.IGNORECASE)
    low = t.lower()
    if _DRAW.search(low):
        return "draw", None, None
    if _TIE.search(low):
        return "tie", None, None
    # English: "<winner> won by [an innings and] N unit", "<winner> beat <loser> by ..."
    m = re.search(rf"^(.*?)\s+{_WON}\b(?:\s+(.*?))?\s+by\s+{_INNINGS_AND}\s+(\d+)", t, re.IGNORECASE)
    if m:
        return "innings", m.group(1).strip(), int(m.group(3))
    m = re.search(rf"^(.*?)\s+{_WON}\b(?:\s+(.*?))?\s+by\s+(\d+)\s*{_UNIT}", t, re.IGNORECASE)
    if m:
        return _unit(m.group(4)), m.group(1).strip(), int(m.group(3))
    # Hindi: "<winner> ने <loser> को [एक पारी और] N unit से हराया"
    m = re.search(rf"^(.*?)\s+ने\s+.*?\s+को\s+{_INNINGS_AND_HI}\s+(\d+)", t)
    if m:
        return "innings", m.group(1).strip(), int(m.group(2))
    m = re.search(rf"^(.*?)\s+ने\s+.*?\s+को\s+(\d+)\s*{_UNIT}", t)
    if m:
        return _unit(m.group(3)), m.group(1).strip(), int(m.group(2))
    # Hindi: "<winner> [एक पारी और] N unit से जीता"
    m = re.search(rf"^(.*?)\s+{_INNINGS_AND_HI}\s+(\d+)", t)
    if m:
        return "innings", m.group(1).strip(), int(m.group(2))
    m = re.search(rf"^(.*?)\s+(\d+)\s*{_UNIT}", t)
    if m and not re.search(r"\b(?:need|needs|require|requires|trail|lead)\b", low):
        return _unit(m.group(3)), m.group(1).strip(), int(m.group(2))
    m = re.search(rf"^(.*?)\s+{_WON}\b", t, re.IGNORECASE)
    if m and m.group(1).strip():
        return "won", m.group(1).strip(), None
    # "से जीता" read with its last vowel sign dropped or garbled
    m = re.search(r"^(.*?)\s+(?:\S*\s*)?(?:से\s+)?जीत", t)
    if m and m.group(1).strip():
        return "won", m.group(1).split()[0], None
    raise ValueError(f"not a result: {text!r}")


# --------------------------------------------------------------------------- extras, total, fall of wickets

#: a whole number standing alone (not part of "4.2", "lb2" or "1b")
_INT = r"(?<![\w.,])(\d+)(?![\w.]|,\d)"


def _strip_label(text: str, key: str) -> str:
    """``text`` without its leading row label (``key`` in :data:`~.vocab.LABELS`)."""
    t = text.strip()
    for n in range(min(4, len(t.split())), 0, -1):
        head = " ".join(t.split()[:n])
        if norm(head) in LABELS[key]:
            return " ".join(t.split()[n:])
    return re.sub(r"^[^\s\d(]+\s*:?", "", t) if t and not t[0].isdigit() and t[0] != "(" else t


def parse_extras(text: str) -> int | None:
    """The extras of an extras row: "Extras (b 1, lb 2, w 3, nb 0) 6", "Extras 6 (b 1, lb 2, w 3)",
    "Extras: 6". The number outside the parentheses; where that is unclear, the one equal to the sum
    of the others (the breakdown); None when the row holds no number."""
    t = _strip_label(_plain(text), "extras")
    t = re.sub(r"\b[1lI|]b\b", "lb", t)  # "lb" read as "1b"
    outside = [int(x) for x in re.findall(_INT, re.sub(r"\([^)]*\)?", " ", t))]
    inside = [int(x) for p in re.findall(r"\(([^)]*)\)?", t) for x in re.findall(_INT, p)]
    if "(" in t:
        if len(outside) > 1 and sum(inside) in outside:
            return sum(inside)
        return outside[-1] if outside else (sum(inside) if inside else None)
    # no parentheses read: the total is printed first or last, and is the sum of the rest
    nums = [int(x) for x in re.findall(_INT, t)]
    if not nums:
        return None
    for v, rest in ((nums[0], nums[1:]), (nums[-1], nums[:-1])):
        if rest and v == sum(rest):
            return v
    return nums[-1] if len(nums) == 1 else None


@dataclass
class Total:
    """What a total row (or an innings title's score) says; None where it says nothing."""

    runs: int | None = None
    wickets: int | None = None
    overs: str | None = None
    run_rate: float | None = None


_OVERS = rf"(\d+(?:\.\d)?)\s*(?:{_alt(OVERS_WORDS)})\b\.?"
_RUN_RATE = rf"(?:{_alt(RUN_RATE_WORDS)})\s*:?\s*(\d+[.,]\d+)"
_WKTS = rf"(\d{{1,2}})\s*(?:{_alt(WICKETS_WORDS)})\b"
_ALL_OUT = rf"(?:{_alt(ALL_OUT_WORDS)})"


def parse_total(text: str) -> Total:
    """The score of a total row or a title's score: "Total 268/4 (47.3 ov, RR 5.64)", "TOTAL (4 wkts,
    47.3 Ov) 268", "Total 268-4", "Total: 268 all out (47.3 overs)", "कुल 268/4 (47.3 ओवर)", "268/4 (47.3 ov)"."""
    t = _strip_label(_plain(text), "total")
    out = Total()
    m = re.search(_OVERS, t, re.IGNORECASE)
    if m:
        out.overs = _overs(m.group(1))
        t = t[: m.start()] + " " + t[m.end():]
    m = re.search(_RUN_RATE, t, re.IGNORECASE)
    if m:
        out.run_rate = float(m.group(1).replace(",", "."))
        t = t[: m.start()] + " " + t[m.end():]
    if re.search(_ALL_OUT, t, re.IGNORECASE):
        out.wickets = 10
    m = re.search(_WKTS, t, re.IGNORECASE)
    if m:
        out.wickets = int(m.group(1))
        t = t[: m.start()] + " " + t[m.end():]
    m = re.search(r"(?<![\d.])(\d{1,4})\s*[/-]\s*(\d{1,2})(?![\d.])", t)
    if m:
        out.runs, out.wickets = int(m.group(1)), int(m.group(2))
        if out.wickets > 10 and int(m.group(1)) <= 10:  # "4/268": wickets first
            out.runs, out.wickets = out.wickets, int(m.group(1))
        return out
    nums = [int(x) for x in re.findall(_INT, t)]
    if nums:
        out.runs = max(nums) if len(nums) > 1 and out.wickets in nums else nums[-1]
    if out.overs is None:  # "(47.3)" with no word for overs
        m = re.search(r"\(\s*(\d+\.\d)\s*[,)]", t)
        if m:
            out.overs = _overs(m.group(1))
    return out


def _overs(s: str) -> str:
    return s[:-2] if s.endswith(".0") else s


def parse_fow(text: str) -> dict[int, int]:
    """Wicket -> score of a fall-of-wickets list (its lines joined): "1-23 (Name, 4.2 ov), 2-45", "23-1,
    45-2" (score first: the side counting 1, 2, 3 ... is the wicket), "1/23", with or without names."""
    t = _plain(text)
    pairs = [(int(a), int(b)) for a, b in
             re.findall(r"(?<![\d.])(\d{1,3})\s*[-/–]\s*(\d{1,3})(?![\d]|\.\d)", t)]
    if not pairs:
        return {}

    def fit(seq: list[tuple[int, int]]) -> float:
        """How well (wicket, score) pairs read as a fall of wickets: wickets 1..10 rising, scores not falling."""
        ok = [(k, s) for k, s in seq if 1 <= k <= 10]
        score = len(ok)
        score += sum(1 for (k0, s0), (k1, s1) in pairwise(ok) if k1 > k0 and s1 >= s0)
        score += 0.5 * sum(1 for (k0, _), (k1, _) in pairwise(ok) if k1 == k0 + 1)
        return score

    flipped = [(b, a) for a, b in pairs]
    seq = flipped if fit(flipped) > fit(pairs) else pairs
    out: dict[int, int] = {}
    for k, s in seq:
        if 1 <= k <= 10 and k not in out:
            out[k] = s
    return out


# --------------------------------------------------------------------------- innings titles

_INNINGS_EN = rf"(?:{_alt([w for w in INNINGS_WORDS if w.isascii()])})\b\.?"
_ORD_EN = r"(\d)\s*(?:st|nd|rd|th)?|(first|second|third|fourth)"


#: "पारी" and what OCR makes of it
_PARI = tuple(w for w in INNINGS_WORDS if not w.isascii())


def parse_title(text: str) -> tuple[str, int | None] | None:
    """(team as printed, innings number or None) of an innings title, or None when ``text`` is not one:
    "India 1st innings", "INDIA INNINGS", "Innings 1 - India", "India 1st Inns", "India batting",
    "India 2nd innings (following on)", "भारत पहली पारी", "भारत की पारी"."""
    t = _plain(re.sub(rf"\(\s*(?:{_alt(FOLLOW_ON_WORDS)})\s*\)", " ", text, flags=re.IGNORECASE))
    t = re.sub(r"\s+\d+\s*[/-]\s*\d+.*$|\s+\d+\s*\(.*$", "", t)  # a score after the title
    t = re.sub(r"\s*\([^()]*\)?\s*$", "", t).strip()  # a note after it: "(20 overs maximum)"
    # Hindi with the innings first: "पारी 3 - भारत", "दूसरी पारी: भारत"
    m = re.match(r"^(?:(\D\S*)\s+)?(\D\S*)\s*(\d)?\s*[-–:|]\s*(.+)$", t)
    if m and (norm(m.group(2)) in _PARI or (len(norm(m.group(2))) >= 3 and _close(norm(m.group(2)), "पारी"))):
        k = int(m.group(3)) if m.group(3) else None
        if k is None and m.group(1):
            k = next((v for w, v in HI_ORDINALS.items() if _close(norm(m.group(1)), norm(w))), None)
        return m.group(4).strip(" :-–|"), k
    # "Innings 1 - India", "1st Innings: India"
    m = re.match(rf"^(?:(?:{_ORD_EN})\s+)?{_INNINGS_EN}\s*(?:{_ORD_EN})?\s*[-–:|]\s*(.+)$", t, re.IGNORECASE)
    if m:
        k = _ord(m.group(1) or m.group(3), m.group(2) or m.group(4))
        return m.group(5).strip(), k
    # "India 1st innings", "INDIA INNINGS", "India batting"
    m = re.match(rf"^(.+?)\s+(?:(?:{_ORD_EN})\s+)?{_INNINGS_EN}(?:\s*(?:{_ORD_EN}))?\s*$", t, re.IGNORECASE)
    if m and norm(m.group(1)) not in LABELS["bat_head"]:
        return m.group(1).strip(" :-–|"), _ord(m.group(2) or m.group(4), m.group(3) or m.group(5))
    # Hindi: "भारत पहली पारी", "भारत की पारी" ("पार" when OCR drops the last vowel sign)
    toks = t.split()
    if len(toks) >= 3 and norm(toks[-2] + toks[-1]) in _PARI:  # "पा री": the word cut in two
        toks = [*toks[:-2], toks[-2] + toks[-1]]
    for i, tok in enumerate(toks):
        n = norm(tok)
        if i and i >= len(toks) - 2 and (n in _PARI or (len(n) >= 3 and _close(n, "पारी"))):
            k = None
            prev = norm(toks[i - 1])
            for word, v in HI_ORDINALS.items():
                if prev == norm(word) or (len(prev) >= 3 and _close(prev, norm(word))):
                    k = v
            drop = 1 if k is not None or prev in ("की", "का") else 0
            team_toks = toks[: i - drop]
            if team_toks and norm(team_toks[-1]) in ("की", "का"):  # "भारत की दूसरी पारी"
                team_toks = team_toks[:-1]
            team = " ".join(team_toks).strip(" :-–|")
            return (team, k) if team else None
    return None


def _ord(digit: str | None, word: str | None) -> int | None:
    if digit:
        return int(digit)
    return EN_ORDINALS.get(word.lower()) if word else None


def _close(a: str, b: str) -> bool:
    from rapidfuzz import fuzz

    return fuzz.ratio(a, b) >= 70
