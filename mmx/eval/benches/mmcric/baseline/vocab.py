"""The ocr-table baseline's own words for a scorecard, in English and Hindi, as cricket sites print them.

Nothing here comes from the bench's generator: the words are those of real scorecards
(news sites, apps, stats databases), the generator's among them, so the baseline reads a
card laid out by anyone. Each group maps a key (a table column, a row label, an innings
or dismissal word) to its printed forms; :func:`norm` is how printed text and these forms
are compared (case, nukta, spaces and punctuation dropped). Forms that OCR commonly makes
of a short label ("45" for "4s", "गद" for "गेंद") sit beside the printed ones.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "ALL_OUT_WORDS",
    "BAT_COLS",
    "BOWLED_BY",
    "BOWL_COLS",
    "DISMISSALS",
    "EN_ORDINALS",
    "FOLLOW_ON_WORDS",
    "HI_ORDINALS",
    "INNINGS_WORDS",
    "LABELS",
    "OVERS_WORDS",
    "RESULT_WORDS",
    "RUN_RATE_WORDS",
    "TEAMS_SPLIT",
    "TEAM_NAMES_HI",
    "WICKETS_WORDS",
    "english_team_names",
    "norm",
]


def norm(s: str) -> str:
    """Lowercase, no nukta/punctuation/spaces: for label comparison."""
    s = unicodedata.normalize("NFC", s).replace("\u093c", "").lower()
    return re.sub(r"[\s\.,:;'\"\-–()|_*+<>!?/’`]+", "", s)


def _n(*forms: str) -> tuple[str, ...]:
    """The forms normalised, duplicates dropped, in order."""
    return tuple(dict.fromkeys(norm(f) for f in forms if norm(f)))


#: row labels: table heads, the extras and total rows, the lists under a table, the result line
LABELS: dict[str, tuple[str, ...]] = {
    "bat_head": _n("Batter", "Batters", "Batsman", "Batsmen", "Batting", "बल्लेबाज़", "बल्लेबाज", "बल्लेबाज़ी"),
    "bowl_head": _n("Bowler", "Bowlers", "Bowling", "गेंदबाज़", "गेंदबाज", "गेंदबाज़ी", "गेंदबाजी"),
    "extras": _n("Extras", "Extra", "अतिरिक्त", "एक्स्ट्रा", "एक्सट्रा"),
    "total": _n("Total", "कुल", "योग", "कुल योग"),
    "dnb": _n("Did not bat", "Yet to bat", "DNB", "बल्लेबाज़ी नहीं की", "बल्लेबाजी नहीं की",
              "बल्लेबाज़ी बाकी", "बल्लेबाज़ी करना बाकी"),
    "fow": _n("Fall of wickets", "Fall of wicket", "FoW", "विकेट पतन", "विकेट गिरे", "विकेट का पतन"),
    "result": _n("Result", "परिणाम", "नतीजा"),
}

#: batting columns
BAT_COLS: dict[str, tuple[str, ...]] = {
    "runs": _n("R", "Runs", "Run", "रन", "र"),
    "balls": _n("B", "Balls", "BF", "Ball", "गेंद", "गेंदें", "गद", "गदे"),
    "fours": _n("4s", "4's", "Fours", "4", "चौके", "चौका", "45", "as"),
    "sixes": _n("6s", "6's", "Sixes", "6", "छक्के", "छक्का", "65", "gs"),
    # a two-word Hindi header may be read as two boxes: each word counts
    "sr": _n("SR", "S/R", "Strike Rate", "Strike", "Rate", "Str", "स्ट्राइक रेट", "स्ट्राइक", "रेट",
             "स्ट्रा. रे.", "स्ट्रा", "रे", "स्ट्राइक रेट"),
    # a column some sites add (minutes batted): known, so that its numbers are not taken for another's
    "minutes": _n("M", "Mins", "Min", "Minutes", "मिनट"),
}

#: bowling columns
BOWL_COLS: dict[str, tuple[str, ...]] = {
    "overs": _n("O", "Ov", "Overs", "Over", "ओवर", "0"),
    "maidens": _n("M", "Mdn", "Mdns", "Maidens", "Maiden", "मेडन", "मेडेन"),
    "runs": _n("R", "Runs", "रन", "र"),
    "wickets": _n("W", "Wkts", "Wkt", "Wickets", "विकेट", "वि"),
    "econ": _n("Econ", "Eco", "ER", "Economy", "इकॉनमी", "इकॉनोमी", "इको", "इकनमी", "इकोनॉमी"),
    "wides": _n("WD", "Wd", "Wides", "Wide", "वाइड", "बाइड"),
    "noballs": _n("NB", "Nb", "No-balls", "No balls", "No-ball", "नो-बॉल", "नो बॉल", "नोबल"),
    # columns some sites add (dot balls, boundaries conceded): known, so that their numbers are not
    # taken for another column's
    "dots": _n("0s", "Dots", "Dot balls", "Dot", "डॉट"),
    "fours": _n("4s", "4's", "Fours"),
    "sixes": _n("6s", "6's", "Sixes"),
}

#: the word of an innings title ("India 1st innings", "India 1st Inns", "India batting", "भारत की पारी"),
#: with what OCR makes of "पारी" (its last vowel sign dropped or changed)
INNINGS_WORDS: tuple[str, ...] = ("innings", "inns", "inn", "batting", "पारी", "पार", "पारि", "परी")
#: a follow-on noted after an innings title: "(following on)", "(f/o)", "(फ़ॉलो-ऑन)"
FOLLOW_ON_WORDS: tuple[str, ...] = ("following on", "follow-on", "follow on", "f/o", "फ़ॉलो-ऑन", "फॉलो-ऑन", "फ़ॉलो ऑन")
#: English ordinals, and Hindi ordinals ("पहली पारी") with OCR's usual losses
EN_ORDINALS: dict[str, int] = {"1st": 1, "2nd": 2, "3rd": 3, "4th": 4, "first": 1, "second": 2, "third": 3,
                               "fourth": 4}
HI_ORDINALS: dict[str, int] = {"पहली": 1, "दूसरी": 2, "तीसरी": 3, "चौथी": 4}

#: the words of a total and a score line
OVERS_WORDS: tuple[str, ...] = ("overs", "over", "ov", "ओवर")
WICKETS_WORDS: tuple[str, ...] = ("wickets", "wkts", "wkt", "wicket", "विकेट")
RUN_RATE_WORDS: tuple[str, ...] = ("RR", "Run rate", "RPO", "रन रेट", "रनरेट")
ALL_OUT_WORDS: tuple[str, ...] = ("all out", "ऑल आउट", "ऑलआउट", "आउट")
#: between the two teams of a match title: "India vs Australia", "भारत बनाम ऑस्ट्रेलिया"
TEAMS_SPLIT = r"\s+(?:vs\.?|v\.?|versus|बनाम)\s+"

#: dismissal words, English and Hindi: kind -> printed forms, in the order they are tried (a caught
#: dismissal names its bowler with "b"/"बो" too). "not out" and "run out" may stand anywhere in the
#: cell, the others start it. OCR's usual readings of the short ones sit beside them ("ibw", "¢").
DISMISSALS: dict[str, tuple[str, ...]] = {
    "not out": ("not out", "notout", "नाबाद", "नॉट आउट"),
    "run out": ("run out", "runout", "रन आउट", "रनआउट"),
    "lbw": ("lbw", "l.b.w", "l b w", "ibw", "1bw", "|bw", "पगबाधा", "एलबीडब्ल्यू"),
    "stumped": ("st", "स्टंप", "स्टं", "स्ट"),
    "caught": ("c&b", "c & b", "c", "ct", "e", "¢", "कैच", "कै"),
    "bowled": ("b", "बोल्ड", "बो"),
}
#: the word before the bowler's name in a dismissal ("c Mehta b Bhatt", "कै मेहता बो भट्ट")
BOWLED_BY: tuple[str, ...] = ("b", "बो", "बोल्ड")

#: the words of a result line: "India won by 5 wickets", "India beat Australia by an innings and 3
#: runs", "Match drawn", "भारत 5 विकेट से जीता", "भारत ने ऑस्ट्रेलिया को 24 रन से हराया", "मैच ड्रॉ"
RESULT_WORDS: dict[str, tuple[str, ...]] = {
    "won": ("won", "wins", "win", "beat", "beats", "defeated"),
    "innings": ("an innings and", "innings and", "inns and"),
    "innings_hi": ("एक पारी और", "पारी और"),
    "wickets": ("wickets", "wicket", "wkts", "wkt", "विकेट"),
    "runs": ("runs", "run", "रन"),
    "draw": ("drawn", "draw", "ड्रॉ", "ड्रा", "अनिर्णीत"),
    "tie": ("tied", "tie", "टाई"),
    "won_hi": ("से जीता", "से जीती", "से जीत"),
    "beat_hi": ("हराया", "हराई"),
}

#: cricket nations whose Hindi name is a translation, not a spelling of the English one (a
#: romanization cannot match "India" to भारत): English name (lowercase) -> Hindi forms
TEAM_NAMES_HI: dict[str, tuple[str, ...]] = {
    "india": ("भारत", "इंडिया"),
    "west indies": ("वेस्टइंडीज़", "वेस्ट इंडीज़", "वेस्टइंडीज", "वेस्ट इंडीज"),
    "south africa": ("दक्षिण अफ़्रीका", "दक्षिण अफ्रीका", "द. अफ़्रीका"),
    "netherlands": ("नीदरलैंड्स", "नीदरलैंड", "हॉलैंड"),
    "united arab emirates": ("संयुक्त अरब अमीरात", "यूएई"),
    "uae": ("संयुक्त अरब अमीरात", "यूएई"),
    "usa": ("अमेरिका", "यूएसए"),
    "united states": ("अमेरिका", "यूएसए"),
}


#: a translated Hindi team name (normalised) -> the English names it stands for, in TEAM_NAMES_HI's order
_ENGLISH_TEAMS: dict[str, tuple[str, ...]] = {}
for _english, _forms in TEAM_NAMES_HI.items():
    for _form in _forms:
        _ENGLISH_TEAMS[norm(_form)] = (*_ENGLISH_TEAMS.get(norm(_form), ()), _english)


def english_team_names(card_name: str) -> tuple[str, ...]:
    """The English names (lowercase) a card's translated Hindi team name stands for ("भारत" ->
    ("india",)); empty for any other name."""
    return _ENGLISH_TEAMS.get(norm(card_name), ())
