"""Questions about a simulated match, with answers computed from the match data.

Answers never come from an image: each question type reads the :class:`Match`
and computes its answer, so a scorecard drawn wrongly would show up as a model
"error" in the tests of ``draw``/``ocr_table`` rather than as a wrong key.

Three levels, as in MMCricBench: ``C1`` direct lookup, ``C2`` arithmetic
(strike rate, economy, run rate, differences, sums, shares), ``C3`` multi-step
(comparisons, aggregates across innings or images, result and margin).
Every type has several phrasings (all in :mod:`mmx.eval.benches.mmcric.phrasings`);
where the form of an answer is ambiguous
(decimals, dismissal kinds, margins) the question states it.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from mmx.eval.benches.mmcric.match import BattingEntry, Innings, Match
from mmx.eval.benches.mmcric.phrasings import IN_INNINGS, INNINGS, ORDINALS, PHRASINGS, TEST_INNINGS

LEVELS = ("C1", "C2", "C3")


@dataclass(frozen=True)
class Question:
    question: str
    answer: str
    category: str  # C1, C2 or C3
    qtype: str


class _Skip(Exception):
    """This match has nothing to ask of this type (e.g. a tie for 'top scorer')."""


def _fmt2(x: float) -> str:
    return f"{x:.2f}"


def _innings_label(m: Match, inn: Innings) -> str:
    """How a question names an innings: by team, plus first/second in Tests."""
    team = m.team_name(inn.batting)
    if m.format != "Test":
        return INNINGS.format(team=team)
    k = sum(1 for i in m.innings[: m.innings.index(inn) + 1] if i.batting == inn.batting)
    return TEST_INNINGS.format(team=team, which="first" if k == 1 else "second")


def _pick_batter(rng: random.Random, m: Match, inn: Innings, min_balls: int = 0) -> BattingEntry:
    pool = [b for b in inn.batters if b.balls >= min_balls]
    if not pool:
        raise _Skip
    return rng.choice(pool)


def _name(m: Match, team: int, i: int) -> str:
    return m.player(team, i).name


def _in(m: Match, inn: Innings) -> str:
    """' in India's first innings' for Tests (players bat twice), '' otherwise."""
    return IN_INNINGS.format(label=_innings_label(m, inn)) if m.format == "Test" else ""


def _unique_max(items: list[tuple[str, float]]) -> str:
    if not items:
        raise _Skip
    best = max(v for _, v in items)
    names = [n for n, v in items if v == best]
    if len(names) != 1:
        raise _Skip
    return names[0]


def _unique_min(items: list[tuple[str, float]]) -> str:
    return _unique_max([(n, -v) for n, v in items])


# --- C1: direct lookup ----------------------------------------------------------------

def q_runs(rng: random.Random, m: Match, inn: Innings) -> tuple[str, str]:
    b = _pick_batter(rng, m, inn)
    n = _name(m, inn.batting, b.player)
    q = rng.choice(PHRASINGS["runs"])
    return q.format(p=n, i=_in(m, inn)), str(b.runs)


def q_balls(rng: random.Random, m: Match, inn: Innings) -> tuple[str, str]:
    b = _pick_batter(rng, m, inn)
    n = _name(m, inn.batting, b.player)
    q = rng.choice(PHRASINGS["balls"])
    return q.format(p=n, i=_in(m, inn)), str(b.balls)


def q_boundaries(rng: random.Random, m: Match, inn: Innings) -> tuple[str, str]:
    b = _pick_batter(rng, m, inn, 1)
    n = _name(m, inn.batting, b.player)
    if rng.random() < 0.5:
        return PHRASINGS["fours"][0].format(p=n, i=_in(m, inn)), str(b.fours)
    return PHRASINGS["sixes"][0].format(p=n, i=_in(m, inn)), str(b.sixes)


def q_wickets(rng: random.Random, m: Match, inn: Innings) -> tuple[str, str]:
    e = rng.choice(inn.bowlers)
    n = _name(m, inn.bowling, e.player)
    q = rng.choice(PHRASINGS["wickets"])
    return q.format(p=n, i=_in(m, inn)), str(e.wickets)


def q_conceded(rng: random.Random, m: Match, inn: Innings) -> tuple[str, str]:
    e = rng.choice(inn.bowlers)
    n = _name(m, inn.bowling, e.player)
    return rng.choice(PHRASINGS["conceded"]).format(p=n, i=_in(m, inn)), str(e.runs)


def q_overs(rng: random.Random, m: Match, inn: Innings) -> tuple[str, str]:
    e = rng.choice(inn.bowlers)
    n = _name(m, inn.bowling, e.player)
    return PHRASINGS["overs"][0].format(p=n, i=_in(m, inn)), e.overs


def q_total(rng: random.Random, m: Match, inn: Innings) -> tuple[str, str]:
    q = rng.choice(PHRASINGS["total"])
    return q.format(l=_innings_label(m, inn), t=m.team_name(inn.batting)), str(inn.runs)


def q_extras(rng: random.Random, m: Match, inn: Innings) -> tuple[str, str]:
    return PHRASINGS["extras"][0].format(l=_innings_label(m, inn)), str(inn.extras)


def q_dismissal(rng: random.Random, m: Match, inn: Innings) -> tuple[str, str]:
    b = _pick_batter(rng, m, inn)
    n = _name(m, inn.batting, b.player)
    kind = {"caught_bowled": "caught", "run_out": "run out", "not_out": "not out"}.get(b.out.kind, b.out.kind)
    return PHRASINGS["dismissal"][0].format(p=n, i=_in(m, inn)), kind


def q_dismissed_by(rng: random.Random, m: Match, inn: Innings) -> tuple[str, str]:
    outs = [b for b in inn.batters if b.out.bowler is not None]
    if not outs:
        raise _Skip
    b = rng.choice(outs)
    assert b.out.bowler is not None
    return (PHRASINGS["dismissed_by"][0].format(p=_name(m, inn.batting, b.player), i=_in(m, inn)),
            _name(m, inn.bowling, b.out.bowler))


def q_fall(rng: random.Random, m: Match, inn: Innings) -> tuple[str, str]:
    if not inn.fall:
        raise _Skip
    f = rng.choice(inn.fall)
    return PHRASINGS["fall"][0].format(k=_ordinal_word(f.wicket), l=_innings_label(m, inn)), str(f.score)


# --- C2: arithmetic ---------------------------------------------------------------------

def q_strike_rate(rng: random.Random, m: Match, inn: Innings) -> tuple[str, str]:
    b = _pick_batter(rng, m, inn, 1)
    n = _name(m, inn.batting, b.player)
    q = rng.choice(PHRASINGS["strike_rate"])
    return q.format(p=n, i=_in(m, inn)), _fmt2(b.strike_rate)


def q_economy(rng: random.Random, m: Match, inn: Innings) -> tuple[str, str]:
    pool = [e for e in inn.bowlers if e.balls]
    e = rng.choice(pool)
    n = _name(m, inn.bowling, e.player)
    q = rng.choice(PHRASINGS["economy"])
    return q.format(p=n, i=_in(m, inn)), _fmt2(e.economy)


def q_run_rate(rng: random.Random, m: Match, inn: Innings) -> tuple[str, str]:
    return PHRASINGS["run_rate"][0].format(l=_innings_label(m, inn)), _fmt2(inn.run_rate)


def q_run_difference(rng: random.Random, m: Match, inn: Innings) -> tuple[str, str]:
    if len(inn.batters) < 2:
        raise _Skip
    a, b = rng.sample(inn.batters, 2)
    na, nb = _name(m, inn.batting, a.player), _name(m, inn.batting, b.player)
    q = rng.choice(PHRASINGS["run_difference"])
    return q.format(a=na, b=nb, i=_in(m, inn)), str(abs(a.runs - b.runs))


def q_run_sum(rng: random.Random, m: Match, inn: Innings) -> tuple[str, str]:
    if len(inn.batters) < 2:
        raise _Skip
    a, b = rng.sample(inn.batters, 2)
    na, nb = _name(m, inn.batting, a.player), _name(m, inn.batting, b.player)
    q = rng.choice(PHRASINGS["run_sum"])
    return q.format(a=na, b=nb, i=_in(m, inn)), str(a.runs + b.runs)


def q_boundary_runs(rng: random.Random, m: Match, inn: Innings) -> tuple[str, str]:
    b = _pick_batter(rng, m, inn, 1)
    n = _name(m, inn.batting, b.player)
    return PHRASINGS["boundary_runs"][0].format(p=n, i=_in(m, inn)), str(4 * b.fours + 6 * b.sixes)


def q_share(rng: random.Random, m: Match, inn: Innings) -> tuple[str, str]:
    if inn.runs == 0:
        raise _Skip
    b = _pick_batter(rng, m, inn, 1)
    n = _name(m, inn.batting, b.player)
    return PHRASINGS["share"][0].format(l=_innings_label(m, inn), p=n), f"{100.0 * b.runs / inn.runs:.1f}"


def q_off_bat(rng: random.Random, m: Match, inn: Innings) -> tuple[str, str]:
    return PHRASINGS["off_bat"][0].format(l=_innings_label(m, inn)), str(inn.runs - inn.extras)


def q_partnership(rng: random.Random, m: Match, inn: Innings) -> tuple[str, str]:
    if len(inn.fall) < 2:
        raise _Skip
    k = rng.randrange(1, len(inn.fall))
    runs = inn.fall[k].score - inn.fall[k - 1].score
    return (PHRASINGS["partnership"][0].format(k=_ordinal_word(k), k2=_ordinal_word(k + 1), l=_innings_label(m, inn)),
            str(runs))


# --- C3: multi-step -------------------------------------------------------------------

def q_top_scorer(rng: random.Random, m: Match, inn: Innings) -> tuple[str, str]:
    name = _unique_max([(_name(m, inn.batting, b.player), b.runs) for b in inn.batters])
    q = rng.choice(PHRASINGS["top_scorer"])
    return q.format(l=_innings_label(m, inn)), name


def q_best_economy(rng: random.Random, m: Match, inn: Innings) -> tuple[str, str]:
    pool = [e for e in inn.bowlers if e.balls >= 12]
    name = _unique_min([(_name(m, inn.bowling, e.player), e.runs / e.balls) for e in pool])
    return PHRASINGS["best_economy"][0].format(l=_innings_label(m, inn)), name


def q_most_wickets(rng: random.Random, m: Match, inn: Innings) -> tuple[str, str]:
    name = _unique_max([(_name(m, inn.bowling, e.player), e.wickets) for e in inn.bowlers])
    return PHRASINGS["most_wickets"][0].format(l=_innings_label(m, inn)), name


def q_count_over(rng: random.Random, m: Match, inn: Innings) -> tuple[str, str]:
    t = rng.choice((10, 20, 30, 50))
    n = sum(1 for b in inn.batters if b.runs >= t)
    return PHRASINGS["count_over"][0].format(n=t, l=_innings_label(m, inn)), str(n)


def q_margin(rng: random.Random, m: Match, inn: Innings) -> tuple[str, str]:
    r = m.result
    if r.kind in ("tie", "draw"):
        return PHRASINGS["result"][0], r.kind
    if rng.random() < 0.5:
        return PHRASINGS["winner"][0], m.team_name(r.winner)
    unit = "wickets" if r.kind == "wickets" else "runs"
    if r.kind == "innings":
        return PHRASINGS["innings_margin"][0].format(team=m.team_name(r.winner)), str(r.margin)
    return PHRASINGS["margin"][0].format(unit=unit, team=m.team_name(r.winner)), str(r.margin)


def q_total_difference(rng: random.Random, m: Match, inn: Innings) -> tuple[str, str]:
    if len(m.innings) < 2:
        raise _Skip
    a, b = m.innings[0], m.innings[1]
    return (PHRASINGS["total_difference"][0].format(l=_innings_label(m, a), l2=_innings_label(m, b)),
            str(abs(a.runs - b.runs)))


def q_match_sixes(rng: random.Random, m: Match, inn: Innings) -> tuple[str, str]:
    n = sum(b.sixes for i in m.innings for b in i.batters)
    return rng.choice(PHRASINGS["match_sixes"]), str(n)


def q_player_aggregate(rng: random.Random, m: Match, inn: Innings) -> tuple[str, str]:
    """Tests: a batter's runs over both innings (needs two images)."""
    team = inn.batting
    mine = [i for i in m.innings if i.batting == team]
    if m.format != "Test" or len(mine) < 2:
        raise _Skip
    both = set.intersection(*({b.player for b in i.batters} for i in mine))
    if not both:
        raise _Skip
    p = rng.choice(sorted(both))
    runs = sum(b.runs for i in mine for b in i.batters if b.player == p)
    return PHRASINGS["player_aggregate"][0].format(p=_name(m, team, p)), str(runs)


def q_team_aggregate(rng: random.Random, m: Match, inn: Innings) -> tuple[str, str]:
    team = inn.batting
    mine = [i for i in m.innings if i.batting == team]
    if m.format != "Test" or len(mine) < 2:
        raise _Skip
    return PHRASINGS["team_aggregate"][0].format(team=m.team_name(team)), str(sum(i.runs for i in mine))


def q_match_top_scorer(rng: random.Random, m: Match, inn: Innings) -> tuple[str, str]:
    """The highest individual innings of the match (across images for Tests)."""
    name = _unique_max([(_name(m, i.batting, b.player), b.runs) for i in m.innings for b in i.batters])
    return PHRASINGS["match_top_scorer"][0], name


def q_bowler_match_wickets(rng: random.Random, m: Match, inn: Innings) -> tuple[str, str]:
    team = inn.bowling
    mine = [i for i in m.innings if i.bowling == team]
    if m.format != "Test" or len(mine) < 2:
        raise _Skip
    p = rng.choice(sorted({e.player for i in mine for e in i.bowlers}))
    w = sum(e.wickets for i in mine for e in i.bowlers if e.player == p)
    return PHRASINGS["bowler_match_wickets"][0].format(p=_name(m, team, p)), str(w)


def _ordinal_word(n: int) -> str:
    return ORDINALS[n - 1]


QTYPES: dict[str, tuple[str, Callable[[random.Random, Match, Innings], tuple[str, str]]]] = {
    f.__name__[2:]: (level, f)
    for level, fs in (
        ("C1", (q_runs, q_balls, q_boundaries, q_wickets, q_conceded, q_overs, q_total, q_extras,
                q_dismissal, q_dismissed_by, q_fall)),
        ("C2", (q_strike_rate, q_economy, q_run_rate, q_run_difference, q_run_sum, q_boundary_runs,
                q_share, q_off_bat, q_partnership)),
        ("C3", (q_top_scorer, q_best_economy, q_most_wickets, q_count_over, q_margin, q_total_difference,
                q_match_sixes, q_player_aggregate, q_team_aggregate, q_match_top_scorer, q_bowler_match_wickets)),
    )
    for f in fs
}


def make_questions(m: Match, rng: random.Random, per_level: int = 1) -> list[Question]:
    """``per_level`` questions of each level about ``m``, of distinct types, answers from the data."""
    out: list[Question] = []
    for level in LEVELS:
        types = [t for t, (lv, _) in QTYPES.items() if lv == level]
        rng.shuffle(types)
        got = 0
        for t in types:
            if got == per_level:
                break
            inn = rng.choice(m.innings)
            try:
                q, a = QTYPES[t][1](rng, m, inn)
            except _Skip:
                continue
            out.append(Question(q, a, level, t))
            got += 1
    return out
