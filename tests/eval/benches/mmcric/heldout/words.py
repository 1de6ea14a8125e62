"""What the held-out layouts print, in English and Hindi: headers, labels, titles, totals, results.

Each layout words a card as another kind of source does, none as the generator's
:mod:`mmx.eval.benches.mmcric.wording` nor the first unseen family's words:

* ``wiki``: an encyclopedia's bordered scorecard (``Result: India won by 5 wkts``,
  ``1st Innings: India``, extras as ``(1 b, 4 lb, 6 w, 2 nb)``, wickets as ``1/23 (Name, 4.2)``).
* ``app``: a stats app (``India — First Innings``, ``Total 268 for 4 (50 Ov, RR 5.36)``,
  minutes ``M`` beside maidens ``M``, dot balls ``0s``, economy ``ER``, a fall-of-wickets table).
* ``scoreboard``: a stadium scoreboard (UPPER CASE, ``TOTAL / WKTS / OVERS`` boards, a
  wicket / score grid, ``INDIA WON BY 104 RUNS``).

Hindi forms are those Hindi papers and apps print (का. / बो., अविजित, ``4 विकेट पर 268``,
``भारत ने 5 विकेट से मैच जीत लिया``, ``भारत (पहली पारी)``).
"""

from __future__ import annotations

from mmx.eval.benches.mmcric.wording import INNINGS_HI, ordinal

__all__ = ["COLUMNS", "DISMISSAL", "LABELS", "innings_title", "result_line", "total_text"]

_WORDS_EN = ("First", "Second", "Third", "Fourth")
_WHICH_HI = ("पहली", "दूसरी")

#: layout -> lang -> (batting columns, bowling columns): (value key, header) after the name
#: (and, where a column holds it, the dismissal). Keys: R, B, Mins (minutes at the crease),
#: Dots (dot balls), 4s, 6s, SR; O, M, R, W, Econ, Dots, Wd, Nb.
COLUMNS: dict[str, dict[str, tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]]] = {
    "wiki": {
        "en": ((("R", "R"), ("B", "B"), ("4s", "4s"), ("6s", "6s"), ("SR", "SR"), ("Mins", "Mins")),
               (("O", "Overs"), ("M", "Maidens"), ("R", "Runs"), ("W", "Wickets"), ("Econ", "Econ."),
                ("Wd", "Wides"), ("Nb", "No balls"))),
        "hi": ((("R", "रन"), ("B", "बॉल"), ("4s", "4"), ("6s", "6"), ("SR", "स्ट्रा. रेट"), ("Mins", "मिनट")),
               (("O", "ओवर"), ("M", "मेडन"), ("R", "रन"), ("W", "विकेट"), ("Econ", "इकोनॉमी"),
                ("Wd", "वाइड"), ("Nb", "नोबॉल"))),
    },
    "app": {  # the classic R M B order: M is minutes here, maidens in the bowling table
        "en": ((("R", "R"), ("Mins", "M"), ("B", "B"), ("4s", "4s"), ("6s", "6s"), ("SR", "SR")),
               (("O", "O"), ("M", "M"), ("R", "R"), ("W", "W"), ("Econ", "ER"), ("Dots", "0s"),
                ("Wd", "WD"), ("Nb", "NB"))),
        "hi": ((("R", "र."), ("Mins", "मि."), ("B", "गें."), ("4s", "चौ."), ("6s", "छ."), ("SR", "स्ट्रा.रे.")),
               (("O", "ओ."), ("M", "मे."), ("R", "र."), ("W", "वि."), ("Econ", "इको."), ("Dots", "डॉट"),
                ("Wd", "वा."), ("Nb", "नो."))),
    },
    "scoreboard": {  # no strike rate, no economy: both follow from what is printed
        "en": ((("R", "RUNS"), ("B", "BALLS"), ("Dots", "DOTS"), ("4s", "4"), ("6s", "6")),
               (("O", "OVERS"), ("M", "MDNS"), ("R", "RUNS"), ("W", "WKTS"), ("Wd", "WD"), ("Nb", "NB"))),
        "hi": ((("R", "रन"), ("B", "गेंद"), ("Dots", "डॉट"), ("4s", "4"), ("6s", "6")),
               (("O", "ओवर"), ("M", "मेडन"), ("R", "रन"), ("W", "विकेट"), ("Wd", "वाइड"), ("Nb", "नो"))),
    },
}

#: layout -> lang -> label key -> printed label
LABELS: dict[str, dict[str, dict[str, str]]] = {
    "wiki": {
        "en": {"vs": "vs.", "batter": "Player", "how": "Dismissal", "bowler": "Bowlers", "extras": "Extras",
               "total": "Total", "fow": "Fall of wkts:", "dnb": "Batting not required:", "b": "b", "lb": "lb",
               "w": "w", "nb": "nb", "keeper": ""},
        "hi": {"vs": "बनाम", "batter": "बल्लेबाज", "how": "आउट", "bowler": "गेंदबाज", "extras": "अतिरिक्त",
               "total": "कुल", "fow": "विकेटों का पतन:", "dnb": "बल्लेबाजी की जरूरत नहीं पड़ी:", "b": "बाई",
               "lb": "लेग बाई", "w": "वाइड", "nb": "नो बॉल", "keeper": ""},
    },
    "app": {
        "en": {"vs": "v", "batter": "BATTING", "bowler": "BOWLING", "extras": "Extras", "total": "Total",
               "fow": "Fall of Wkts", "dnb": "Did not Bat", "b": "B", "lb": "LB", "w": "W", "nb": "NB",
               "keeper": " · wk", "wkt": "Wkt", "score": "Score", "fow_batter": "Batter out", "over": "Over",
               "rr": "RR", "ov": "Ov"},
        "hi": {"vs": "बनाम", "batter": "बल्लेबाजी", "bowler": "गेंदबाजी", "extras": "एक्स्ट्रा", "total": "कुल",
               "fow": "विकेट कब गिरे", "dnb": "बल्लेबाजी नहीं आई", "b": "बा", "lb": "लेबा", "w": "वा",
               "nb": "नो", "keeper": " · विके.", "wkt": "विकेट", "score": "स्कोर", "fow_batter": "बल्लेबाज",
               "over": "ओवर", "rr": "रन रेट", "ov": "ओवर"},
    },
    "scoreboard": {
        "en": {"vs": "V", "batter": "BATSMEN", "how": "HOW OUT", "bowler": "BOWLERS", "extras": "SUNDRIES",
               "total": "TOTAL", "wkts": "WKTS", "overs": "OVERS", "fow_wkt": "WICKET", "fow_score": "FELL AT",
               "b": "B", "lb": "LB", "w": "W", "nb": "NB", "last": "LAST BAT"},
        "hi": {"vs": "बनाम", "batter": "बल्लेबाज", "how": "कैसे आउट", "bowler": "गेंदबाज", "extras": "एक्स्ट्रा रन",
               "total": "योग", "wkts": "विकेट", "overs": "ओवर", "fow_wkt": "विकेट", "fow_score": "स्कोर पर",
               "b": "बाई", "lb": "लेग बाई", "w": "वाइड", "nb": "नोबॉल", "last": "आखिरी"},
    },
}

#: layout -> lang -> dismissal kind -> format ({f} fielder's surname, {b} bowler's surname)
DISMISSAL: dict[str, dict[str, dict[str, str]]] = {
    "wiki": {
        "en": {"caught": "c {f} b {b}", "caught_bowled": "c & b {b}", "bowled": "b {b}", "lbw": "lbw b {b}",
               "run_out": "run out ({f})", "run_out_": "run out", "stumped": "st {f} b {b}", "not_out": "not out"},
        "hi": {"caught": "कैच {f}, गेंद {b}", "caught_bowled": "कैच एवं गेंद {b}", "bowled": "बोल्ड {b}",
               "lbw": "एलबीडब्ल्यू, गेंद {b}", "run_out": "रन आउट ({f})", "run_out_": "रन आउट",
               "stumped": "स्टंप {f}, गेंद {b}", "not_out": "नाबाद"},
    },
    "app": {
        "en": {"caught": "c {f} b {b}", "caught_bowled": "c and b {b}", "bowled": "b {b}", "lbw": "lbw b {b}",
               "run_out": "run out {f}", "run_out_": "run out", "stumped": "st {f} b {b}", "not_out": "not out"},
        "hi": {"caught": "का. {f} बो. {b}", "caught_bowled": "का. एवं बो. {b}", "bowled": "बो. {b}",
               "lbw": "पगबाधा {b}", "run_out": "रन आउट {f}", "run_out_": "रन आउट", "stumped": "स्टं. {f} बो. {b}",
               "not_out": "नॉटआउट"},
    },
    "scoreboard": {  # printed in capitals on English boards
        "en": {"caught": "c {f} b {b}", "caught_bowled": "c & b {b}", "bowled": "b {b}", "lbw": "lbw b {b}",
               "run_out": "run out ({f})", "run_out_": "run out", "stumped": "st {f} b {b}", "not_out": "not out"},
        "hi": {"caught": "कैच {f} / {b}", "caught_bowled": "कैच व बोल्ड {b}", "bowled": "बोल्ड {b}",
               "lbw": "पगबाधा, {b}", "run_out": "रन आउट ({f})", "run_out_": "रन आउट", "stumped": "स्टंप {f} / {b}",
               "not_out": "अविजित"},
    },
}


def innings_title(layout: str, lang: str, team: str, number: int, which: int, fmt: str, follow_on: bool) -> str:
    """An innings heading: ``number`` is the match's innings (1-4), ``which`` the team's (1 or 2)."""
    hi = lang == "hi"
    if layout == "wiki":
        s = f"{INNINGS_HI[number - 1]}: {team}" if hi else f"{ordinal(number)} Innings: {team}"
        return s + ((" (फॉलोऑन खेलते हुए)" if hi else " – following on") if follow_on else "")
    if layout == "app":
        s = f"{team} ({_WHICH_HI[which - 1]} पारी)" if hi else f"{team} — {_WORDS_EN[which - 1]} Innings"
        return s + ((" · फॉलोऑन" if hi else " · Follow-on") if follow_on else "")
    s = f"{team} की बल्लेबाज़ी" if hi else f"{team.upper()} BATTING"
    if fmt == "Test":
        s += f" - {_WHICH_HI[which - 1]} पारी" if hi else f" - {ordinal(which).upper()} INNS"
    return s + ((" (फॉलोऑन)" if hi else " (FOLLOW ON)") if follow_on else "")


def total_text(layout: str, lang: str, runs: int, wickets: int, overs: str, declared: bool, rate: str) -> str:
    """An innings total as ``layout`` words it (wiki: the detail beside the total's runs)."""
    hi = lang == "hi"
    all_out = wickets == 10
    if layout == "wiki":
        if all_out:
            return f"(ऑल आउट; {overs} ओवर)" if hi else f"(all out; {overs} overs)"
        wk = f"{wickets} विकेट" if hi else f"{wickets} wkt{'s' if wickets != 1 else ''}"
        dec = (", घोषित" if hi else " dec") if declared else ""
        return f"({wk}{dec}; {overs} ओवर)" if hi else f"({wk}{dec}; {overs} overs)"
    if layout == "app":
        tail = f"({overs} ओवर, रन रेट {rate})" if hi else f"({overs} Ov, RR {rate})"
        if all_out:
            return f"कुल {runs} पर ऑलआउट {tail}" if hi else f"Total {runs} all out {tail}"
        dec = (", पारी घोषित" if hi else " dec") if declared else ""
        return f"कुल {wickets} विकेट पर {runs}{dec} {tail}" if hi else f"Total {runs} for {wickets}{dec} {tail}"
    # scoreboard: the line under the boards
    if all_out:
        return f"सभी आउट ({overs} ओवर)" if hi else f"ALL OUT ({overs} OVERS)"
    dec = (", घोषित" if hi else " DECLARED") if declared else ""
    return f"{wickets} विकेट{dec} ({overs} ओवर)" if hi else f"FOR {wickets}{dec} ({overs} OVERS)"


def result_line(layout: str, lang: str, kind: str, winner: str, margin: int) -> str:
    """The result: ``kind`` is runs, wickets, innings (an innings and runs), tie or draw."""
    hi = lang == "hi"
    if kind in ("draw", "tie"):
        en = {"wiki": ("Result: Match drawn", "Result: Match tied"), "app": ("Match Drawn", "Match Tied"),
              "scoreboard": ("MATCH DRAWN", "MATCH TIED")}[layout]
        hin = {"wiki": ("परिणाम: ड्रॉ", "परिणाम: टाई"), "app": ("मैच ड्रॉ पर समाप्त", "मैच बराबरी पर छूटा"),
               "scoreboard": ("मैच अनिर्णीत रहा", "मैच बराबरी पर समाप्त")}[layout]
        return (hin if hi else en)[kind == "tie"]
    if hi:
        unit = "विकेट" if kind == "wickets" else "रन"
        inns = "पारी और " if kind == "innings" else ""
        if layout == "wiki":
            return f"परिणाम: {winner} {inns}{margin} {unit} से विजयी"
        if layout == "app":
            return f"{winner} ने {inns}{margin} {unit} से मैच जीत लिया"
        return f"{winner} {inns}{margin} {unit} से विजयी"
    if layout == "wiki":
        unit = ("wkt" if kind == "wickets" else "run") + ("s" if margin != 1 else "")
        inns = "an inns and " if kind == "innings" else ""
        return f"Result: {winner} won by {inns}{margin} {unit}"
    unit = ("wicket" if kind == "wickets" else "run") + ("s" if margin != 1 else "")
    if layout == "app":
        inns = "an innings & " if kind == "innings" else ""
        return f"{winner} won the match by {inns}{margin} {unit}"
    inns = "AN INNINGS AND " if kind == "innings" else ""
    return f"{winner.upper()} WON BY {inns}{margin} {unit.upper()}"
