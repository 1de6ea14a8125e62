"""What the unseen layouts print, in English and Hindi: labels, dismissals, totals, results.

Each layout words a card as a different kind of site does, none as the generator's
:mod:`mmx.eval.benches.mmcric.wording`: a print newspaper (``ledger``: Wisden-like
``c †X b Y``, ``Extras (b 1, lb 2)``, ``TOTAL (4 wkts, 47.3 Ov) 268``, ``FoW: 1-23 (Sharma)``),
a TV graphic (``broadcast``: ``268-4``, ``23-1 (4.2)``, "India beat Australia by 5 wickets",
Hinglish forms such as कैच, एलबीडब्ल्यू) and a mobile-first site (``minimal``: merged
``45 (32)`` runs-and-balls cells, ``23/1 (Name, 4.2 ov)``, "India win by 24 runs").
Hindi forms are those Hindi sports sites print (कै. / बो. / पगबाधा, गेंदें, स्ट्रा. रे., इको.,
बल्लेबाज़ी, विकेट गिरने का क्रम, "भारत ने ऑस्ट्रेलिया को 5 विकेट से हराया").
"""

from __future__ import annotations

from mmx.eval.benches.mmcric.wording import ordinal

__all__ = ["COLUMNS", "DISMISSAL", "LABELS", "innings_title", "result_line", "total_parts"]

#: layout -> lang -> (batting columns, bowling columns): (value key, header) after the name
#: (and, batting, the dismissal) column. Keys: R, B, RB ("45 (32)"), 4s, 6s, SR; O, M, R, W, Econ.
COLUMNS: dict[str, dict[str, tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]]] = {
    "ledger": {  # no strike rate, no economy (both follow from what is printed), no wides/no-balls
        "en": ((("R", "Runs"), ("B", "Balls"), ("4s", "4's"), ("6s", "6's")),
               (("O", "Ov"), ("M", "Mdn"), ("R", "Runs"), ("W", "Wkts"))),
        "hi": ((("R", "रन"), ("B", "गेंदें"), ("4s", "चौके"), ("6s", "छक्के")),
               (("O", "ओवर"), ("M", "मेडन"), ("R", "रन"), ("W", "विकेट"))),
    },
    "broadcast": {  # strike rate before the boundaries; bowling O R W M Econ
        "en": ((("R", "R"), ("B", "B"), ("SR", "SR"), ("4s", "4s"), ("6s", "6s")),
               (("O", "O"), ("R", "R"), ("W", "W"), ("M", "M"), ("Econ", "Econ"))),
        "hi": ((("R", "रन"), ("B", "गेंद"), ("SR", "स्ट्रा. रे."), ("4s", "4s"), ("6s", "6s")),
               (("O", "ओवर"), ("R", "रन"), ("W", "विकेट"), ("M", "मेडन"), ("Econ", "इको."))),
    },
    "minimal": {  # runs and balls merged in one cell; bowling O M W R Eco
        "en": ((("RB", "R (B)"), ("4s", "4s"), ("6s", "6s"), ("SR", "S/R")),
               (("O", "O"), ("M", "M"), ("W", "W"), ("R", "R"), ("Econ", "Eco"))),
        "hi": ((("RB", "रन (गेंद)"), ("4s", "चौके"), ("6s", "छक्के"), ("SR", "स्ट्राइक रेट")),
               (("O", "ओवर"), ("M", "मेडन"), ("W", "विकेट"), ("R", "रन"), ("Econ", "इको."))),
    },
}

#: layout -> lang -> label key -> printed label
LABELS: dict[str, dict[str, dict[str, str]]] = {
    "ledger": {
        "en": {"vs": "v", "batter": "Batsman", "bowler": "Bowling", "extras": "Extras", "total": "TOTAL",
               "fow": "FoW:", "dnb": "Did not bat:", "b": "b", "lb": "lb", "w": "w", "nb": "nb", "keeper": "†",
               "follow_on": "(f/o)"},
        "hi": {"vs": "बनाम", "batter": "बल्लेबाज़ी", "bowler": "गेंदबाज़ी", "extras": "अतिरिक्त रन",
               "total": "कुल योग", "fow": "विकेट गिरने का क्रम:", "dnb": "बल्लेबाज़ी का मौका नहीं मिला:",
               "b": "बा", "lb": "लेबा", "w": "वा", "nb": "नोबॉ", "keeper": "†", "follow_on": "(फॉलोऑन)"},
    },
    "broadcast": {
        "en": {"vs": "vs", "batter": "Batsman", "bowler": "Bowler", "extras": "Extras", "total": "Total",
               "fow": "Fall of wickets", "dnb": "Did not bat", "b": "B", "lb": "LB", "w": "WD", "nb": "NB",
               "keeper": "", "follow_on": "(follow-on)", "overs": "OV"},
        "hi": {"vs": "vs", "batter": "बल्लेबाज़", "bowler": "गेंदबाज़", "extras": "एक्स्ट्रा", "total": "कुल",
               "fow": "विकेट गिरे", "dnb": "बैटिंग नहीं की", "b": "बाई", "lb": "लेग बाई", "w": "वाइड",
               "nb": "नो बॉल", "keeper": "", "follow_on": "(फॉलो-ऑन)", "overs": "ओवर"},
    },
    "minimal": {
        "en": {"vs": "v", "batter": "Batting", "bowler": "Bowling", "extras": "Extras", "total": "Total:",
               "fow": "FoW", "dnb": "DNB", "b": "b", "lb": "lb", "w": "w", "nb": "nb", "keeper": " (wk)",
               "follow_on": "(following on)", "overs": "overs", "ov": "ov"},
        "hi": {"vs": "-", "batter": "बल्लेबाज़ी", "bowler": "गेंदबाज़ी", "extras": "एक्स्ट्रा", "total": "कुल:",
               "fow": "विकेट पतन", "dnb": "बल्लेबाज़ी करने नहीं उतरे", "b": "बाई", "lb": "लेग बाई",
               "w": "वाइड", "nb": "नो बॉल", "keeper": " (विकेटकीपर)", "follow_on": "(फॉलो-ऑन)",
               "overs": "ओवर", "ov": "ओवर"},
    },
}

#: layout -> lang -> dismissal kind -> format ({f} fielder's surname, {b} bowler's surname)
DISMISSAL: dict[str, dict[str, dict[str, str]]] = {
    "ledger": {
        "en": {"caught": "c {f} b {b}", "caught_keeper": "c †{f} b {b}", "caught_bowled": "c & b {b}",
               "bowled": "b {b}", "lbw": "lbw b {b}", "run_out": "run out ({f})", "run_out_": "run out",
               "stumped": "st †{f} b {b}", "not_out": "not out"},
        "hi": {"caught": "कै. {f} बो. {b}", "caught_keeper": "कै. †{f} बो. {b}", "caught_bowled": "कै. व बो. {b}",
               "bowled": "बो. {b}", "lbw": "पगबाधा बो. {b}", "run_out": "रन आउट ({f})", "run_out_": "रन आउट",
               "stumped": "स्टं. †{f} बो. {b}", "not_out": "नाबाद"},
    },
    "broadcast": {
        "en": {"caught": "c {f} b {b}", "caught_keeper": "c {f} b {b}", "caught_bowled": "c and b {b}",
               "bowled": "b {b}", "lbw": "lbw b {b}", "run_out": "run out {f}", "run_out_": "run out",
               "stumped": "st {f} b {b}", "not_out": "not out"},
        "hi": {"caught": "कैच {f} बो {b}", "caught_keeper": "कैच {f} बो {b}", "caught_bowled": "कॉट एंड बोल्ड {b}",
               "bowled": "बोल्ड {b}", "lbw": "एलबीडब्ल्यू {b}", "run_out": "रन आउट {f}", "run_out_": "रन आउट",
               "stumped": "स्टंप {f} बो {b}", "not_out": "नॉट आउट"},
    },
    "minimal": {
        "en": {"caught": "c {f} b {b}", "caught_keeper": "c {f} b {b}", "caught_bowled": "c & b {b}",
               "bowled": "b {b}", "lbw": "lbw b {b}", "run_out": "run out ({f})", "run_out_": "run out",
               "stumped": "st {f} b {b}", "not_out": "not out"},
        "hi": {"caught": "कैच {f} बो. {b}", "caught_keeper": "कैच {f} बो. {b}", "caught_bowled": "कैच एवं बो. {b}",
               "bowled": "बो. {b}", "lbw": "एलबीडब्ल्यू बो. {b}", "run_out": "रन आउट ({f})", "run_out_": "रन आउट",
               "stumped": "स्टंप्ड {f} बो. {b}", "not_out": "नाबाद"},
    },
}

_HI_WHICH = ("पहली", "दूसरी")


def innings_title(layout: str, lang: str, team: str, number: int, which: int, fmt: str, follow_on: bool) -> str:
    """An innings heading: ``number`` is the match's innings (1-4), ``which`` the team's (1 or 2)."""
    lab = LABELS[layout][lang]
    hi = lang == "hi"
    overs = {"T20": 20, "ODI": 50}.get(fmt)
    if layout == "ledger":
        if fmt == "Test":
            s = f"{team} की {_HI_WHICH[which - 1]} पारी" if hi else f"{team} {ordinal(which)} Inns"
        else:
            s = f"{team} की पारी (अधिकतम {overs} ओवर)" if hi else f"{team} innings ({overs} overs maximum)"
    elif layout == "broadcast":
        if fmt == "Test":
            s = f"{team}: {_HI_WHICH[which - 1]} पारी" if hi else f"{team} {ordinal(which)} innings"
        else:
            s = f"{team} की पारी" if hi else f"{team} innings"
    else:
        s = f"पारी {number} - {team}" if hi else f"Innings {number} - {team}"
    return f"{s} {lab['follow_on']}" if follow_on else s


def total_parts(layout: str, lang: str, runs: int, wickets: int, overs: str, declared: bool) -> tuple[str, str]:
    """(detail, score) of an innings total as ``layout`` prints them."""
    hi = lang == "hi"
    all_out = wickets == 10
    if layout == "ledger":
        if all_out:
            detail = f"(ऑल आउट, {overs} ओवर)" if hi else f"(all out, {overs} Ov)"
        else:
            wk = f"{wickets} विकेट" if hi else f"{wickets} wkt{'s' if wickets != 1 else ''}"
            dec = (", पारी घोषित" if hi else " dec") if declared else ""
            detail = f"({wk}{dec}, {overs} ओवर)" if hi else f"({wk}{dec}, {overs} Ov)"
        return detail, str(runs)
    if layout == "broadcast":
        ov = f"{overs} {LABELS[layout][lang]['overs']}"
        if all_out:
            return (f"(ऑलआउट, {ov})" if hi else f"(ALL OUT, {ov})"), str(runs)
        dec = (" घोषित" if hi else " dec") if declared else ""
        return f"({ov})", f"{runs}-{wickets}{dec}"
    # minimal
    if all_out:
        score = f"{runs} ऑल आउट" if hi else f"{runs} all out"
    else:
        score = f"{runs}/{wickets}" + ((" घोषित" if hi else " dec") if declared else "")
    return f"({overs} {LABELS[layout][lang]['overs']})", score


def result_line(layout: str, lang: str, kind: str, winner: str, loser: str, margin: int) -> str:
    """The result: ``kind`` is runs, wickets, innings (an innings and runs), tie or draw."""
    hi = lang == "hi"
    if kind == "draw":
        return {"ledger": ("Match drawn", "मैच ड्रॉ रहा"), "broadcast": ("Match drawn", "मुकाबला ड्रॉ रहा"),
                "minimal": ("Drawn", "मुकाबला ड्रॉ")}[layout][hi]
    if kind == "tie":
        return {"ledger": ("Match tied", "मैच टाई रहा"), "broadcast": ("Match tied", "मुकाबला टाई रहा"),
                "minimal": ("Tied", "मुकाबला टाई")}[layout][hi]
    if hi:
        unit = "विकेट" if kind == "wickets" else ("रन" if margin == 1 or layout != "ledger" else "रनों")
        inns = "पारी और " if kind == "innings" else ""
        if layout == "ledger":
            return f"{winner} {inns}{margin} {unit} से जीता"
        if layout == "broadcast":
            return f"{winner} ने {loser} को {'एक ' + inns if inns else ''}{margin} {unit} से हराया"
        return f"{winner} ने {inns}{margin} {unit} से मैच जीता"
    unit = ("wicket" if kind == "wickets" else "run") + ("s" if margin != 1 else "")
    inns = ("an innings & " if layout == "minimal" else "an innings and ") if kind == "innings" else ""
    if layout == "broadcast":
        return f"{winner} beat {loser} by {inns}{margin} {unit}"
    return f"{winner} {'win' if layout == 'minimal' else 'won'} by {inns}{margin} {unit}"
