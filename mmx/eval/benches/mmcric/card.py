"""The printed card: every string a scorecard image shows, built from a match.

A :class:`~mmx.eval.benches.mmcric.match.Match` is turned into a :class:`Card`:
the header (teams, match label, venue, date), per innings an
:class:`InningsCard` (title and score, batting and bowling tables, extras,
total, did-not-bat and fall-of-wickets lists), and the result, in English or
Hindi (words from :mod:`mmx.eval.benches.mmcric.wording`), with Western or
Devanagari digits. The templates (:mod:`mmx.eval.benches.mmcric.templates`)
only lay a card out; :func:`scorecard_strings` lists what it holds.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from mmx.eval.benches.mmcric.match import (
    BattingEntry,
    Dismissal,
    Innings,
    Match,
    overs_str,
    random_date,
    venue,
)
from mmx.eval.benches.mmcric.wording import LANGS, WORDS, innings_name, match_label, result_text
from mmx.text.digits import write_digits

__all__ = ["DIGITS", "Card", "InningsCard", "build_card", "check_options", "scorecard_strings"]

#: how a card writes its numbers
DIGITS: tuple[str, ...] = ("western", "devanagari")

_KEEPER = 5  # the wicketkeeper bats at six in the match model


@dataclass
class InningsCard:
    """One innings as printed: its title and score, tables and lists (cells as strings)."""

    title: str  # "India 1st innings"
    score: str  # "165/8 (20 ov)"
    bat_head: tuple[str, ...]
    bat_rows: list[tuple[str, ...]]  # name, dismissal, R, B, 4s, 6s, SR
    extras: tuple[str, str, str]  # label, breakdown, runs
    total: tuple[str, str, str]  # label, detail, score
    dnb_label: str
    dnb: list[str]
    fow_label: str
    fow: list[str]
    bowl_head: tuple[str, ...]
    bowl_rows: list[tuple[str, ...]]  # name, O, M, R, W, Econ, WD, NB


@dataclass
class Card:
    """A scorecard image's content: the match header, its innings, and the result on the last image."""

    title: str
    meta: list[str]  # match label, venue, date
    innings: list[InningsCard]
    result: tuple[str, str] | None

    def strings(self) -> list[str]:
        """Every non-empty string of the card, in reading order."""
        out: list[str] = []
        _collect(self, out)
        return [s for s in out if s]


def _collect(obj: object, out: list[str]) -> None:
    if isinstance(obj, str):
        out.append(obj)
    elif isinstance(obj, (list, tuple)):
        for x in obj:
            _collect(x, out)
    elif dataclasses.is_dataclass(obj):
        for f in dataclasses.fields(obj):
            _collect(getattr(obj, f.name), out)


def _mapped(obj, fn: Callable[[str], str]):
    """A copy of a card (or part of one) with ``fn`` applied to every string."""
    if isinstance(obj, str):
        return fn(obj)
    if isinstance(obj, list):
        return [_mapped(x, fn) for x in obj]
    if isinstance(obj, tuple):
        return tuple(_mapped(x, fn) for x in obj)
    if dataclasses.is_dataclass(obj):
        return dataclasses.replace(obj, **{f.name: _mapped(getattr(obj, f.name), fn) for f in dataclasses.fields(obj)})
    return obj


def check_options(lang: str, digits: str) -> None:
    """Raises ValueError for a language or digits a card cannot be written in."""
    if lang not in LANGS:
        raise ValueError(f"unknown scorecard language {lang!r}; choose one of {', '.join(LANGS)}")
    if digits not in DIGITS:
        raise ValueError(f"unknown digits {digits!r}; choose one of {', '.join(DIGITS)}")


def _innings_list(m: Match, innings: Sequence[int]) -> list[int]:
    idx = [int(i) for i in innings]
    if not idx:
        raise ValueError("innings must name at least one innings of the match")
    bad = [i for i in idx if not 0 <= i < len(m.innings)]
    if bad:
        raise ValueError(f"innings {bad} out of range: the match has {len(m.innings)} innings (0-based indices)")
    return idx


def build_card(m: Match, innings: Sequence[int], lang: str, digits: str) -> Card:
    """The card of ``m``'s ``innings`` (0-based indices); the result only with the match's last innings.

    Raises ValueError for an unknown language or digits, or an innings index out of range.
    """
    check_options(lang, digits)
    idx = _innings_list(m, innings)
    hi = lang == "hi"
    w = WORDS[lang]
    card = Card(
        title=f"{m.team_name(0, hi)} {w['vs']} {m.team_name(1, hi)}",
        meta=[match_label(m.number, m.format, lang), venue(m, hi), random_date(m, hi)],
        innings=[_innings_card(m, m.innings[i], lang) for i in idx],
        result=(w["result"], _result_text(m, lang)) if len(m.innings) - 1 in idx else None,
    )
    if digits == "devanagari":
        card = _mapped(card, lambda s: write_digits(s, "devanagari"))
    return card


def _result_text(m: Match, lang: str) -> str:
    r = m.result
    hi = lang == "hi"
    if r.kind == "draw" or (r.winner is None and r.kind != "tie"):
        return WORDS[lang]["drawn"]
    if r.kind == "tie":
        return WORDS[lang]["tied"]
    return result_text(r.kind, m.team_name(r.winner, hi), r.margin, lang)


def _dismissal(m: Match, inn: Innings, d: Dismissal, lang: str) -> str:
    hi = lang == "hi"
    w = WORDS[lang]

    def sur(i: int | None) -> str:
        if i is None:
            return ""
        p = m.player(inn.bowling, i)
        return p.hindi_surname if hi else p.surname

    k = d.kind
    if k == "not_out":
        return w["not_out"]
    if k == "caught":
        keeper = "†" if d.fielder == _KEEPER else ""
        return f"{w['c']} {keeper}{sur(d.fielder)} {w['bw']} {sur(d.bowler)}"
    if k == "caught_bowled":
        return f"{w['cb']} {sur(d.bowler)}"
    if k == "bowled":
        return f"{w['bw']} {sur(d.bowler)}"
    if k == "lbw":
        return f"{w['lbw']} {sur(d.bowler)}"
    if k == "run_out":
        return f"{w['run_out']} ({sur(d.fielder)})" if d.fielder is not None else w["run_out"]
    if k == "stumped":
        return f"{w['st']} †{sur(d.fielder)} {w['bw']} {sur(d.bowler)}"
    raise ValueError(f"unknown dismissal kind {k!r}")


def _innings_card(m: Match, inn: Innings, lang: str) -> InningsCard:
    hi = lang == "hi"
    w = WORDS[lang]
    bat_team, bowl_team = inn.batting, inn.bowling

    def name(team: int, i: int) -> str:
        p = m.player(team, i)
        return p.hindi if hi else p.name

    k = inn.number
    title = f"{m.team_name(bat_team, hi)} {innings_name(k, lang)}"
    if inn.follow_on:
        title += f" {w['follow_on']}"
    ov = f"{inn.overs} {w['ov']}"
    runs = str(inn.runs) if inn.wickets == 10 else f"{inn.runs}/{inn.wickets}"
    rr = f"{w['RR']} {inn.run_rate:.2f}"
    if inn.wickets == 10:
        detail = f"({w['all_out']}, {ov}, {rr})"
    elif inn.declared:
        detail = f"({w['declared']}, {ov}, {rr})"
    else:
        detail = f"({ov}, {rr})"

    def bat_row(b: BattingEntry) -> tuple[str, ...]:
        nm = name(bat_team, b.player) + (" †" if b.player == _KEEPER else "")
        sr = f"{b.strike_rate:.2f}" if b.balls else "-"
        return (nm, _dismissal(m, inn, b.out, lang), str(b.runs), str(b.balls), str(b.fours), str(b.sixes), sr)

    def comma_list(items: list[str]) -> list[str]:
        return [s + ("," if i < len(items) - 1 else "") for i, s in enumerate(items)]

    fow = [f"{f.wicket}-{f.score} ({name(bat_team, f.player)}, {overs_str(f.balls)} {w['ov']})" for f in inn.fall]
    return InningsCard(
        title=title,
        score=f"{runs} ({ov})",
        bat_head=(w["batter"], "", w["R"], w["B"], w["4s"], w["6s"], w["SR"]),
        bat_rows=[bat_row(b) for b in inn.batters],
        extras=(w["extras"], f"({w['b']} {inn.byes}, {w['lb']} {inn.leg_byes}, {w['w']} {inn.wides}, {w['nb']} {inn.no_balls})",
                str(inn.extras)),
        total=(w["total"], detail, runs),
        dnb_label=w["dnb"] if inn.did_not_bat else "",
        dnb=comma_list([name(bat_team, i) for i in inn.did_not_bat]),
        fow_label=w["fow"] if inn.fall else "",
        fow=comma_list(fow),
        bowl_head=(w["bowler"], w["O"], w["M"], w["R"], w["W"], w["econ"], w["WD"], w["NB"]),
        bowl_rows=[(name(bowl_team, e.player), e.overs, str(e.maidens), str(e.runs), str(e.wickets),
                    f"{e.economy:.2f}" if e.balls else "-", str(e.wides), str(e.no_balls)) for e in inn.bowlers],
    )


def scorecard_strings(m: Match, innings: Sequence[int], lang: str = "en", digits: str = "western") -> list[str]:
    """Every string :func:`~mmx.eval.benches.mmcric.draw.draw_scorecard` draws for these innings
    (the same in every template)."""
    return build_card(m, innings, lang, digits).strings()
