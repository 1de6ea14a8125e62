"""How mmcric's scorecards are worded: every printed label, in English and Hindi, in one place.

The drawing (:mod:`mmx.eval.benches.mmcric.card`) prints these words on the
cards. The ocr-table baseline does not read them from here: it keeps its own
vocabulary of scorecard words as sites print them
(:mod:`mmx.eval.benches.mmcric.baseline.vocab`), and a test checks that it
covers every word below (``tests/eval/benches/mmcric/baseline/test_independent.py``).
"""

from __future__ import annotations

__all__ = [
    "FORMATS_HI", "INNINGS_HI", "LANGS", "MATCH_ORDINALS_HI", "RESULT_WORDS", "WORDS", "innings_name",
    "match_label", "ordinal", "result_text",
]

#: the card languages
LANGS: tuple[str, ...] = ("en", "hi")

#: label key -> its printed form, per language: table headers, extras and total rows,
#: list labels, dismissal abbreviations, and the result of a match with no winner
WORDS: dict[str, dict[str, str]] = {
    "en": {
        "vs": "vs", "batter": "Batter", "bowler": "Bowler", "R": "R", "B": "B", "4s": "4s", "6s": "6s",
        "SR": "SR", "O": "O", "M": "M", "W": "W", "econ": "Econ", "WD": "WD", "NB": "NB",
        "extras": "Extras", "b": "b", "lb": "lb", "w": "w", "nb": "nb", "total": "Total",
        "all_out": "all out", "declared": "declared", "wkts": "wkts", "wkt": "wkt", "ov": "ov", "RR": "RR",
        "fow": "Fall of wickets:", "dnb": "Did not bat:", "result": "Result:", "follow_on": "(following on)",
        "not_out": "not out", "c": "c", "cb": "c & b", "bw": "b", "lbw": "lbw b", "run_out": "run out",
        "st": "st", "drawn": "Match drawn", "tied": "Match tied",
    },
    "hi": {
        "vs": "बनाम", "batter": "बल्लेबाज़", "bowler": "गेंदबाज़", "R": "रन", "B": "गेंद", "4s": "चौके",
        "6s": "छक्के", "SR": "स्ट्राइक रेट", "O": "ओवर", "M": "मेडन", "W": "विकेट", "econ": "इकॉनमी",
        "WD": "वाइड", "NB": "नो-बॉल", "extras": "अतिरिक्त", "b": "बाई", "lb": "लेग बाई", "w": "वाइड",
        "nb": "नो बॉल", "total": "कुल", "all_out": "ऑल आउट", "declared": "पारी घोषित", "wkts": "विकेट",
        "wkt": "विकेट", "ov": "ओवर", "RR": "रन रेट", "fow": "विकेट पतन:", "dnb": "बल्लेबाज़ी नहीं की:",
        "result": "परिणाम:", "follow_on": "(फ़ॉलो-ऑन)", "not_out": "नाबाद", "c": "कै", "cb": "कै और बो",
        "bw": "बो", "lbw": "पगबाधा बो", "run_out": "रन आउट", "st": "स्टं", "drawn": "मैच ड्रॉ",
        "tied": "मैच टाई",
    },
}
#: the formats in Hindi (English cards print the format's own name)
FORMATS_HI = {"T20": "टी20", "ODI": "वनडे", "Test": "टेस्ट"}
#: "1st" ... "7th" match of a series, in Hindi (later ones are "<n>वां")
MATCH_ORDINALS_HI = ("पहला", "दूसरा", "तीसरा", "चौथा", "पाँचवाँ", "छठा", "सातवाँ")
#: "1st innings" ... "4th innings" in Hindi
INNINGS_HI = ("पहली पारी", "दूसरी पारी", "तीसरी पारी", "चौथी पारी")

#: the words of a win: "{team} won by {margin}" / "{team} {margin} से जीता", a margin being
#: a count and its unit, after "an innings and" for an innings win
RESULT_WORDS: dict[str, dict[str, str]] = {
    "en": {"won": "won by", "innings": "an innings and", "wickets": "wicket", "runs": "run"},
    "hi": {"won": "से जीता", "innings": "एक पारी और", "wickets": "विकेट", "runs": "रन"},
}


def ordinal(n: int) -> str:
    """English ordinal: ``1st``, ``2nd``, ``11th``, ``23rd``."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def match_label(number: int, fmt: str, lang: str) -> str:
    """Which match of a series it is: ``"2nd ODI"`` / ``"दूसरा वनडे"``."""
    if lang == "hi":
        n = number
        return f"{MATCH_ORDINALS_HI[n - 1] if 1 <= n <= len(MATCH_ORDINALS_HI) else f'{n}वां'} {FORMATS_HI[fmt]}"
    return f"{ordinal(number)} {fmt}"


def innings_name(k: int, lang: str) -> str:
    """The ``k``-th innings of a match (1-based): ``"2nd innings"`` / ``"दूसरी पारी"``."""
    return INNINGS_HI[k - 1] if lang == "hi" else f"{ordinal(k)} innings"


def result_text(kind: str, team: str, margin: int, lang: str) -> str:
    """A win by ``margin`` (``kind``: ``"wickets"``, ``"runs"`` or ``"innings"``, an innings and runs)."""
    w = RESULT_WORDS[lang]
    unit = w["runs" if kind == "innings" else kind]
    innings = f"{w['innings']} " if kind == "innings" else ""
    if lang == "hi":
        return f"{team} {innings}{margin} {unit} {w['won']}"
    return f"{team} {w['won']} {innings}{margin} {unit}{'s' if margin != 1 else ''}"
