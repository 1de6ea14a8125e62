"""Questions about a simulated match, with answers computed from the match data.

Answers never come from an image: each question type reads the :class:`Match`
and computes its answer, so a scorecard drawn wrongly would show up as a model
"error" in the tests of ``draw``/``ocr_table`` rather than as a wrong key.

Three levels, as in MMCricBench: ``C1`` direct lookup, ``C2`` arithmetic
(strike rate, economy, run rate, differences, sums, shares), ``C3`` multi-step
(comparisons, aggregates across innings or images, result and margin).
Every type has several phrasings; where the form of an answer is ambiguous
(decimals, dismissal kinds, margins) the question states it.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from mmx.eval.benches.mmcric.match import BattingEntry, Innings, Match

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
        return f"{team}'s innings"
    k = sum(1 for i in m.innings[: m.innings.index(inn) + 1] if i.batting == inn.batting)
    return f"{team}'s {'first' if k == 1 else 'second'} innings"


def _pick_batter(rng: random.Random, m: Match, inn: Innings, min_balls: int = 0) -> BattingEntry:
    pool = [b for b in inn.batters if b.balls >= min_balls]
    if not pool:
        raise _Skip
    return rng.choice(pool)


def _name(m: Match, team: int, i: int) -> str:
    return m.player(team, i).name


def _in(m: Match, inn: Innings) -> str:
    """' in India's first innings' for Tests (players bat twice), '' otherwise."""
    return f" in {_innings_label(m, inn)}" if m.format == "Test" else ""


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
    q = rng.choice(("How many runs did {p} score{i}?", "What was {p}'s score{i}?", "How many runs were made by {p}{i}?"))
    return q.format(p=n, i=_in(m, inn)), str(b.runs)


def q_balls(rng: random.Random, m: Match, inn: Innings) -> tuple[str, str]:
    b = _pick_batter(rng, m, inn)
    n = _name(m, inn.batting, b.player)
    q = rng.choice(("How many balls did {p} face{i}?", "How many deliveries did {p} face{i}?"))
    return q.format(p=n, i=_in(m, inn)), str(b.balls)


def q_boundaries(rng: random.Random, m: Match, inn: Innings) -> tuple[str, str]:
    b = _pick_batter(rng, m, inn, 1)
    n = _name(m, inn.batting, b.player)
    if rng.random() < 0.5:
        return f"How many fours did {n} hit{_in(m, inn)}?", str(b.fours)
    return f"How many sixes did {n} hit{_in(m, inn)}?", str(b.sixes)


def q_wickets(rng: random.Random, m: Match, inn: Innings) -> tuple[str, str]:
    e = rng.choice(inn.bowlers)
    n = _name(m, inn.bowling, e.player)
    q = rng.choice(("How many wickets did {p} take{i}?", "How many wickets were taken by {p}{i}?"))
    return q.format(p=n, i=_in(m, inn)), str(e.wickets)


def q_conceded(rng: random.Random, m: Match, inn: Innings) -> tuple[str, str]:
    e = rng.choice(inn.bowlers)
    n = _name(m, inn.bowling, e.player)
    return rng.choice(("How many runs did {p} concede{i}?", "How many runs were conceded by {p}{i}?")).format(
        p=n, i=_in(m, inn)), str(e.runs)


def q_overs(rng: random.Random, m: Match, inn: Innings) -> tuple[str, str]:
    e = rng.choice(inn.bowlers)
    n = _name(m, inn.bowling, e.player)
    return (f"How many overs did {n} bowl{_in(m, inn)}? Answer in cricket notation, e.g. 3 or 3.4.",
            e.overs)


def q_total(rng: random.Random, m: Match, inn: Innings) -> tuple[str, str]:
    q = rng.choice(("What was the total score of {l}?", "How many runs did {t} score in total in {l}?"))
    return q.format(l=_innings_label(m, inn), t=m.team_name(inn.batting)), str(inn.runs)


def q_extras(rng: random.Random, m: Match, inn: Innings) -> tuple[str, str]:
    return f"How many extras were conceded in {_innings_label(m, inn)}?", str(inn.extras)


def q_dismissal(rng: random.Random, m: Match, inn: Innings) -> tuple[str, str]:
    b = _pick_batter(rng, m, inn)
    n = _name(m, inn.batting, b.player)
    kind = {"caught_bowled": "caught", "run_out": "run out", "not_out": "not out"}.get(b.out.kind, b.out.kind)
    return (f"How was {n} dismissed{_in(m, inn)}? Answer with one of: bowled, caught, lbw, run out, stumped, not out.",
            kind)


def q_dismissed_by(rng: random.Random, m: Match, inn: Innings) -> tuple[str, str]:
    outs = [b for b in inn.batters if b.out.bowler is not None]
    if not outs:
        raise _Skip
    b = rng.choice(outs)
    assert b.out.bowler is not None
    return (f"Which bowler took the wicket of {_name(m, inn.batting, b.player)}{_in(m, inn)}? Give the full name.",
            _name(m, inn.bowling, b.out.bowler))


def q_fall(rng: random.Random, m: Match, inn: Innings) -> tuple[str, str]:
    if not inn.fall:
        raise _Skip
    f = rng.choice(inn.fall)
    return f"What was the team score when the {_ordinal_word(f.wicket)} wicket fell in {_innings_label(m, inn)}?", str(f.score)


# --- C2: arithmetic ---------------------------------------------------------------------

def q_strike_rate(rng: random.Random, m: Match, inn: Innings) -> tuple[str, str]:
    b = _pick_batter(rng, m, inn, 1)
    n = _name(m, inn.batting, b.player)
    q = rng.choice((
        "What was {p}'s strike rate{i}? Give runs per 100 balls, rounded to two decimal places.",
        "Compute the strike rate of {p}{i} (runs per 100 balls faced), to 2 decimal places.",
    ))
    return q.format(p=n, i=_in(m, inn)), _fmt2(b.strike_rate)


def q_economy(rng: random.Random, m: Match, inn: Innings) -> tuple[str, str]:
    pool = [e for e in inn.bowlers if e.balls]
    e = rng.choice(pool)
    n = _name(m, inn.bowling, e.player)
    q = rng.choice((
        "What was the economy rate of {p}{i}? Give runs conceded per over, rounded to two decimal places.",
        "Compute {p}'s economy{i} (runs per over) to 2 decimal places.",
    ))
    return q.format(p=n, i=_in(m, inn)), _fmt2(e.economy)


def q_run_rate(rng: random.Random, m: Match, inn: Innings) -> tuple[str, str]:
    return (f"What was the run rate of {_innings_label(m, inn)}? Give runs per over, rounded to two decimal places.",
            _fmt2(inn.run_rate))


def q_run_difference(rng: random.Random, m: Match, inn: Innings) -> tuple[str, str]:
    if len(inn.batters) < 2:
        raise _Skip
    a, b = rng.sample(inn.batters, 2)
    na, nb = _name(m, inn.batting, a.player), _name(m, inn.batting, b.player)
    q = rng.choice((
        "What is the difference between the runs scored by {a} and {b}{i}? Answer with a non-negative number.",
        "By how many runs did the scores of {a} and {b} differ{i}?",
    ))
    return q.format(a=na, b=nb, i=_in(m, inn)), str(abs(a.runs - b.runs))


def q_run_sum(rng: random.Random, m: Match, inn: Innings) -> tuple[str, str]:
    if len(inn.batters) < 2:
        raise _Skip
    a, b = rng.sample(inn.batters, 2)
    na, nb = _name(m, inn.batting, a.player), _name(m, inn.batting, b.player)
    q = rng.choice(("How many runs did {a} and {b} score together{i}?", "What is the combined score of {a} and {b}{i}?"))
    return q.format(a=na, b=nb, i=_in(m, inn)), str(a.runs + b.runs)


def q_boundary_runs(rng: random.Random, m: Match, inn: Innings) -> tuple[str, str]:
    b = _pick_batter(rng, m, inn, 1)
    n = _name(m, inn.batting, b.player)
    return f"How many of {n}'s runs{_in(m, inn)} came from fours and sixes?", str(4 * b.fours + 6 * b.sixes)


def q_share(rng: random.Random, m: Match, inn: Innings) -> tuple[str, str]:
    if inn.runs == 0:
        raise _Skip
    b = _pick_batter(rng, m, inn, 1)
    n = _name(m, inn.batting, b.player)
    return (f"What percentage of {_innings_label(m, inn)} total did {n} score? Round to one decimal place.",
            f"{100.0 * b.runs / inn.runs:.1f}")


def q_off_bat(rng: random.Random, m: Match, inn: Innings) -> tuple[str, str]:
    return f"How many runs in {_innings_label(m, inn)} came off the bat, that is excluding extras?", str(inn.runs - inn.extras)


def q_partnership(rng: random.Random, m: Match, inn: Innings) -> tuple[str, str]:
    if len(inn.fall) < 2:
        raise _Skip
    k = rng.randrange(1, len(inn.fall))
    runs = inn.fall[k].score - inn.fall[k - 1].score
    return (f"How many runs were added between the fall of the {_ordinal_word(k)} and the {_ordinal_word(k + 1)} "
            f"wicket in {_innings_label(m, inn)}?", str(runs))


# --- C3: multi-step -------------------------------------------------------------------

def q_top_scorer(rng: random.Random, m: Match, inn: Innings) -> tuple[str, str]:
    name = _unique_max([(_name(m, inn.batting, b.player), b.runs) for b in inn.batters])
    q = rng.choice(("Who was the top scorer in {l}?", "Which batter scored the most runs in {l}?"))
    return q.format(l=_innings_label(m, inn)), name


def q_best_economy(rng: random.Random, m: Match, inn: Innings) -> tuple[str, str]:
    pool = [e for e in inn.bowlers if e.balls >= 12]
    name = _unique_min([(_name(m, inn.bowling, e.player), e.runs / e.balls) for e in pool])
    return f"Among bowlers who bowled at least 2 overs in {_innings_label(m, inn)}, who had the best (lowest) economy rate?", name


def q_most_wickets(rng: random.Random, m: Match, inn: Innings) -> tuple[str, str]:
    name = _unique_max([(_name(m, inn.bowling, e.player), e.wickets) for e in inn.bowlers])
    return f"Which bowler took the most wickets in {_innings_label(m, inn)}?", name


def q_count_over(rng: random.Random, m: Match, inn: Innings) -> tuple[str, str]:
    t = rng.choice((10, 20, 30, 50))
    n = sum(1 for b in inn.batters if b.runs >= t)
    return f"How many batters scored {t} or more runs in {_innings_label(m, inn)}?", str(n)


def q_margin(rng: random.Random, m: Match, inn: Innings) -> tuple[str, str]:
    r = m.result
    if r.kind in ("tie", "draw"):
        return ("What was the result of the match? Answer with the winning team's name, or 'draw' or 'tie'.",
                r.kind)
    if rng.random() < 0.5:
        return "Which team won the match?", m.team_name(r.winner)
    unit = "wickets" if r.kind == "wickets" else "runs"
    if r.kind == "innings":
        return (f"{m.team_name(r.winner)} won by an innings. By how many runs beyond the innings did they win?",
                str(r.margin))
    return f"By how many {unit} did {m.team_name(r.winner)} win?", str(r.margin)


def q_total_difference(rng: random.Random, m: Match, inn: Innings) -> tuple[str, str]:
    if len(m.innings) < 2:
        raise _Skip
    a, b = m.innings[0], m.innings[1]
    return (f"By how many runs did {_innings_label(m, a)} total differ from {_innings_label(m, b)} total? "
            "Answer with a non-negative number.", str(abs(a.runs - b.runs)))


def q_match_sixes(rng: random.Random, m: Match, inn: Innings) -> tuple[str, str]:
    n = sum(b.sixes for i in m.innings for b in i.batters)
    return rng.choice(("How many sixes were hit in the whole match?", "What was the total number of sixes in the match, both teams together?")), str(n)


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
    return f"How many runs did {_name(m, team, p)} score in the match, both innings together?", str(runs)


def q_team_aggregate(rng: random.Random, m: Match, inn: Innings) -> tuple[str, str]:
    team = inn.batting
    mine = [i for i in m.innings if i.batting == team]
    if m.format != "Test" or len(mine) < 2:
        raise _Skip
    return f"What was {m.team_name(team)}'s aggregate score over both of their innings?", str(sum(i.runs for i in mine))


def q_match_top_scorer(rng: random.Random, m: Match, inn: Innings) -> tuple[str, str]:
    """The highest individual innings of the match (across images for Tests)."""
    name = _unique_max([(_name(m, i.batting, b.player), b.runs) for i in m.innings for b in i.batters])
    return "Which batter made the highest individual score in the match?", name


def q_bowler_match_wickets(rng: random.Random, m: Match, inn: Innings) -> tuple[str, str]:
    team = inn.bowling
    mine = [i for i in m.innings if i.bowling == team]
    if m.format != "Test" or len(mine) < 2:
        raise _Skip
    p = rng.choice(sorted({e.player for i in mine for e in i.bowlers}))
    w = sum(e.wickets for i in mine for e in i.bowlers if e.player == p)
    return f"How many wickets did {_name(m, team, p)} take in the match, across all innings?", str(w)


_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")


def _ordinal_word(n: int) -> str:
    return _ORDINALS[n - 1]


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
