"""A procedural cricket match model: ball-by-ball simulation of T20, ODI and Test matches.

Simulating every delivery (rather than drawing final figures) is what makes the
scorecards internally consistent by construction: batting runs plus extras give
the total, bowlers' runs plus byes and leg byes give the total, bowlers' wickets
plus run-outs give the wickets, balls faced equal legal balls plus no-balls,
fall-of-wicket scores rise, and overs, bowler quotas and wickets respect each
format's laws. :func:`check_match` asserts all of this and the tests run it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from mmx.eval.benches.mmcric.lexicon import FIRST, LAST, MONTHS, TEAMS, VENUES

FORMATS = ("T20", "ODI", "Test")
_OVERS = {"T20": 20, "ODI": 50, "Test": None}
_QUOTA = {"T20": 4, "ODI": 10, "Test": None}
#: legal-ball outcome weights: dot, 1, 2, 3, 4, 6
_RUNS = (0, 1, 2, 3, 4, 6)
_RUN_W = {
    "T20": (0.34, 0.36, 0.09, 0.01, 0.13, 0.07),
    "ODI": (0.47, 0.33, 0.07, 0.01, 0.10, 0.02),
    "Test": (0.68, 0.18, 0.05, 0.01, 0.075, 0.005),
}
_WICKET_P = {"T20": 0.058, "ODI": 0.03, "Test": 0.0155}
#: wicket chance by batting position: openers survive longer than the tail
_ORDER_RISK = (0.7, 0.7, 0.8, 0.9, 1.0, 1.1, 1.3, 1.7, 2.2, 2.6, 3.0)
_TEST_BALLS = 450 * 6  # five days of 90 overs


@dataclass
class Player:
    name: str
    hindi: str

    @property
    def surname(self) -> str:
        return self.name.split()[-1]

    @property
    def hindi_surname(self) -> str:
        return self.hindi.split()[-1]


@dataclass
class Dismissal:
    """How a batter got out; ``kind`` is not_out, caught, caught_bowled, bowled, lbw, run_out or stumped."""

    kind: str = "not_out"
    bowler: int | None = None  # index into the fielding team
    fielder: int | None = None


@dataclass
class BattingEntry:
    player: int  # index into the batting team
    runs: int = 0
    balls: int = 0
    fours: int = 0
    sixes: int = 0
    out: Dismissal = field(default_factory=Dismissal)

    @property
    def strike_rate(self) -> float:
        return 100.0 * self.runs / self.balls if self.balls else 0.0


@dataclass
class BowlingEntry:
    player: int  # index into the fielding team
    balls: int = 0  # legal deliveries
    maidens: int = 0
    runs: int = 0
    wickets: int = 0
    wides: int = 0
    no_balls: int = 0

    @property
    def overs(self) -> str:
        return overs_str(self.balls)

    @property
    def economy(self) -> float:
        return 6.0 * self.runs / self.balls if self.balls else 0.0


@dataclass
class FallOfWicket:
    wicket: int
    score: int
    player: int  # index into the batting team
    balls: int  # legal balls bowled in the innings when it fell


@dataclass
class Innings:
    batting: int  # team index 0/1
    number: int  # 1-based innings of the match
    batters: list[BattingEntry] = field(default_factory=list)
    did_not_bat: list[int] = field(default_factory=list)
    bowlers: list[BowlingEntry] = field(default_factory=list)
    byes: int = 0
    leg_byes: int = 0
    wides: int = 0
    no_balls: int = 0
    runs: int = 0
    wickets: int = 0
    balls: int = 0
    fall: list[FallOfWicket] = field(default_factory=list)
    declared: bool = False
    follow_on: bool = False

    @property
    def bowling(self) -> int:
        return 1 - self.batting

    @property
    def extras(self) -> int:
        return self.byes + self.leg_byes + self.wides + self.no_balls

    @property
    def overs(self) -> str:
        return overs_str(self.balls)

    @property
    def run_rate(self) -> float:
        return 6.0 * self.runs / self.balls if self.balls else 0.0


@dataclass
class Result:
    """``kind``: runs, wickets, innings (innings and runs), tie or draw; ``winner`` a team index."""

    kind: str
    winner: int | None = None
    margin: int = 0


@dataclass
class Match:
    format: str
    teams: tuple[int, int]  # indices into lexicon.TEAMS
    players: tuple[list[Player], list[Player]]
    venue: int
    day: int
    month: int
    year: int
    number: int  # "3rd ODI"
    toss: int  # team that won the toss and batted first is teams[0]
    innings: list[Innings] = field(default_factory=list)
    result: Result = field(default_factory=lambda: Result("draw"))

    def team_name(self, t: int, hindi: bool = False) -> str:
        return TEAMS[self.teams[t]][2 if hindi else 1]

    def team_code(self, t: int) -> str:
        return TEAMS[self.teams[t]][0]

    def player(self, team: int, i: int) -> Player:
        return self.players[team][i]


def overs_str(balls: int) -> str:
    """Cricket notation: 125 legal balls are ``"20.5"`` overs."""
    return f"{balls // 6}.{balls % 6}" if balls % 6 else str(balls // 6)


def simulate_match(rng: random.Random, fmt: str | None = None) -> Match:
    """One complete match; every random choice comes from ``rng``."""
    fmt = fmt or rng.choice(FORMATS)
    t0, t1 = rng.sample(range(len(TEAMS)), 2)
    players = (_squad(rng, TEAMS[t0][3]), _squad(rng, TEAMS[t1][3]))
    _unique_surnames(rng, players)
    m = Match(
        format=fmt, teams=(t0, t1), players=players, venue=rng.randrange(len(VENUES)),
        day=rng.randint(1, 28), month=rng.randrange(len(MONTHS)), year=rng.randint(2015, 2025),
        number=rng.randint(1, 5), toss=rng.randint(0, 1),
    )
    if fmt == "Test":
        _play_test(rng, m)
    else:
        first = _play_innings(rng, m, 0, 1, target=None)
        second = _play_innings(rng, m, 1, 2, target=first.runs + 1)
        m.innings = [first, second]
        if second.runs > first.runs:
            m.result = Result("wickets", 1, 10 - second.wickets)
        elif second.runs < first.runs:
            m.result = Result("runs", 0, first.runs - second.runs)
        else:
            m.result = Result("tie")
    return m


def _squad(rng: random.Random, region: str) -> list[Player]:
    firsts = rng.sample(FIRST[region], 11)
    lasts = rng.sample(LAST[region], 11)
    return [Player(f"{f[0]} {s[0]}", f"{f[1]} {s[1]}") for f, s in zip(firsts, lasts)]


def _unique_surnames(rng: random.Random, players: tuple[list[Player], list[Player]]) -> None:
    """Dismissals name fielders by surname, so surnames must be unique in a match."""
    seen = {p.surname for p in players[0]}
    for i, p in enumerate(players[1]):
        if p.surname in seen:
            region = "west" if any(p.surname == s for s, _ in LAST["west"]) else "south"
            free = [s for s in LAST[region] + LAST["south" if region == "west" else "west"] if s[0] not in seen]
            s = rng.choice(free)
            first, first_h = p.name.split()[0], p.hindi.split()[0]
            players[1][i] = Player(f"{first} {s[0]}", f"{first_h} {s[1]}")
        seen.add(players[1][i].surname)


def _play_test(rng: random.Random, m: Match) -> None:
    clock = [0]  # legal balls left in the match, shared by the innings
    clock[0] = _TEST_BALLS
    i1 = _play_innings(rng, m, 0, 1, None, clock)
    inns = [i1]
    if clock[0] > 0:
        inns.append(_play_innings(rng, m, 1, 2, None, clock))
    if len(inns) == 2 and clock[0] > 0:
        lead = inns[0].runs - inns[1].runs
        follow_on = lead >= 200 and inns[1].wickets == 10 and rng.random() < 0.7
        third_team = 1 if follow_on else 0
        third = _play_innings(rng, m, third_team, 3, None, clock, lead=lead, follow_on=follow_on)
        inns.append(third)
        runs = {0: 0, 1: 0}
        for inn in inns:
            runs[inn.batting] += inn.runs
        once = 1 - third_team  # the side that has batted only once
        if third.wickets == 10 and runs[third_team] < runs[once]:
            m.innings = inns
            m.result = Result("innings", once, runs[once] - runs[third_team])
            return
        fourth_team = once
        if clock[0] > 0 and (third.wickets == 10 or third.declared):
            target = runs[1 - fourth_team] - runs[fourth_team] + 1
            fourth = _play_innings(rng, m, fourth_team, 4, target, clock)
            inns.append(fourth)
            runs[fourth_team] += fourth.runs
            m.innings = inns
            if runs[fourth_team] > runs[1 - fourth_team]:
                m.result = Result("wickets", fourth_team, 10 - fourth.wickets)
            elif fourth.wickets == 10:
                if runs[fourth_team] == runs[1 - fourth_team]:
                    m.result = Result("tie")
                else:
                    m.result = Result("runs", 1 - fourth_team, runs[1 - fourth_team] - runs[fourth_team])
            else:
                m.result = Result("draw")
            return
    m.innings = inns
    m.result = Result("draw")


def _play_innings(
    rng: random.Random, m: Match, team: int, number: int, target: int | None,
    clock: list[int] | None = None, lead: int = 0, follow_on: bool = False,
) -> Innings:
    fmt = m.format
    inn = Innings(batting=team, number=number, follow_on=follow_on)
    max_balls = (_OVERS[fmt] or 10**6) * 6
    quota = (_QUOTA[fmt] or 10**6) * 6
    weights = _RUN_W[fmt]
    # the bowling attack: positions 7-11 plus sometimes a part-timer from the top six
    attack = [10, 9, 8, 7, 6] + ([rng.randint(2, 5)] if rng.random() < 0.5 else [])
    bowl_w = {p: w for p, w in zip(attack, (1.3, 1.3, 1.2, 1.1, 1.0, 0.4))}
    entries: dict[int, BowlingEntry] = {}
    bat = [BattingEntry(0), BattingEntry(1)]
    striker, other = 0, 1
    next_in = 2
    form = [rng.uniform(0.7, 1.4) for _ in range(11)]  # a batter's day
    prev_bowler = -1
    declare_at = None
    if fmt == "Test" and number < 4:
        # declarations: big first-innings totals, or a safe lead in the third innings
        declare_at = rng.randint(480, 650) if number < 3 else max(lead, 0) + rng.randint(250, 420)
        if number == 3 and follow_on:
            declare_at = None
    done = False
    while not done and inn.balls < max_balls:
        if clock is not None and clock[0] <= 0:
            break
        choices = [p for p in bowl_w if p != prev_bowler and entries.get(p, BowlingEntry(p)).balls + 6 <= quota]
        if not choices:  # every frontline quota is spent: a part-timer bowls
            choices = [p for p in range(2, 7) if p != prev_bowler and entries.get(p, BowlingEntry(p)).balls + 6 <= quota]
        bowler = rng.choices(choices, [bowl_w.get(p, 0.3) for p in choices])[0]
        prev_bowler = bowler
        be = entries.setdefault(bowler, BowlingEntry(bowler))
        over_runs = 0
        legal = 0
        while legal < 6:
            r = rng.random()
            b = bat[striker]
            if r < 0.03:  # wide (sometimes down the leg side for five)
                w = 5 if rng.random() < 0.04 else 1
                inn.wides += w
                be.wides += w
                be.runs += w
                over_runs += w
                inn.runs += w
            elif r < 0.036:  # no-ball: one extra, the batter may score off it
                runs = rng.choices(_RUNS, weights)[0]
                inn.no_balls += 1
                be.no_balls += 1
                be.runs += 1 + runs
                over_runs += 1 + runs
                inn.runs += 1 + runs
                b.balls += 1
                _credit(b, runs)
                if runs % 2:
                    striker, other = other, striker
            else:
                legal += 1
                inn.balls += 1
                be.balls += 1
                if clock is not None:
                    clock[0] -= 1
                b.balls += 1
                risk = _WICKET_P[fmt] * _ORDER_RISK[b.player] / form[b.player]
                if rng.random() < risk:
                    kind = rng.choices(
                        ("caught", "caught_bowled", "bowled", "lbw", "run_out", "stumped"),
                        (0.52, 0.04, 0.19, 0.16, 0.06, 0.03),
                    )[0]
                    out_idx = striker
                    if kind == "run_out":
                        fielder = rng.randrange(11)
                        d = Dismissal("run_out", None, fielder)
                        if rng.random() < 0.35:
                            out_idx = other
                    else:
                        fielder = {"caught": rng.choice([p for p in range(11) if p != bowler]),
                                   "stumped": 0}.get(kind)
                        # the wicketkeeper bats at six in this model
                        if kind == "stumped":
                            fielder = 5 if bowler != 5 else 4
                        d = Dismissal(kind, bowler, fielder)
                        be.wickets += 1
                    out_entry = bat[out_idx]
                    out_entry.out = d
                    inn.wickets += 1
                    inn.fall.append(FallOfWicket(inn.wickets, inn.runs, out_entry.player, inn.balls))
                    if inn.wickets == 10:
                        done = True
                        break
                    bat.append(BattingEntry(next_in))
                    next_in += 1
                    if out_idx == striker:
                        striker = len(bat) - 1
                    else:
                        other = len(bat) - 1
                else:
                    u = rng.random()
                    if u < 0.012:  # byes / leg byes: runs not off the bat, not the bowler's
                        runs = rng.choice((1, 1, 1, 2, 4))
                        if rng.random() < 0.4:
                            inn.byes += runs
                        else:
                            inn.leg_byes += runs
                        inn.runs += runs
                        over_runs += runs
                        bowler_runs = 0
                    else:
                        scale = (0.6 + 0.3 * form[b.player]) if b.player < 7 else 0.6
                        w = (weights[0] / scale, *weights[1:4], weights[4] * scale, weights[5] * scale)
                        runs = rng.choices(_RUNS, w)[0]
                        _credit(b, runs)
                        inn.runs += runs
                        over_runs += runs
                        bowler_runs = runs
                    be.runs += bowler_runs
                    if runs % 2:
                        striker, other = other, striker
            if target is not None and inn.runs >= target:
                done = True
                break
            if declare_at is not None and inn.runs >= declare_at and inn.wickets <= 8:
                inn.declared = True
                done = True
                break
            if clock is not None and clock[0] <= 0:
                done = True
                break
        if legal == 6 and over_runs == 0:
            be.maidens += 1
        striker, other = other, striker
    inn.batters = bat
    inn.did_not_bat = list(range(next_in, 11))
    order = {p: i for i, p in enumerate(entries)}
    inn.bowlers = sorted(entries.values(), key=lambda e: order[e.player])
    return inn


def _credit(b: BattingEntry, runs: int) -> None:
    b.runs += runs
    if runs == 4:
        b.fours += 1
    elif runs == 6:
        b.sixes += 1


def check_match(m: Match) -> None:
    """Assert every law and sum a scorecard must satisfy; raises AssertionError."""
    overs = _OVERS[m.format]
    quota = _QUOTA[m.format]
    for inn in m.innings:
        assert sum(b.runs for b in inn.batters) + inn.extras == inn.runs, "batting + extras != total"
        assert sum(e.runs for e in inn.bowlers) + inn.byes + inn.leg_byes == inn.runs, "bowling + byes != total"
        assert sum(e.balls for e in inn.bowlers) == inn.balls, "bowlers' balls != innings balls"
        assert sum(e.wides for e in inn.bowlers) == inn.wides and sum(e.no_balls for e in inn.bowlers) == inn.no_balls
        assert sum(b.balls for b in inn.batters) == inn.balls + inn.no_balls, "balls faced != legal + no-balls"
        outs = [b for b in inn.batters if b.out.kind != "not_out"]
        assert len(outs) == inn.wickets <= 10
        assert sum(e.wickets for e in inn.bowlers) == sum(1 for b in outs if b.out.kind != "run_out")
        assert len(inn.batters) + len(inn.did_not_bat) == 11
        assert len({b.player for b in inn.batters} | set(inn.did_not_bat)) == 11
        assert [f.wicket for f in inn.fall] == list(range(1, inn.wickets + 1))
        assert all(a.score <= b.score for a, b in zip(inn.fall, inn.fall[1:]))
        if overs is not None:
            assert inn.balls <= overs * 6
        if quota is not None:
            assert all(e.balls <= quota * 6 for e in inn.bowlers), "bowler over quota"
        assert inn.wickets == 10 or len(inn.batters) - inn.wickets == 2
    totals = [0, 0]
    for inn in m.innings:
        totals[inn.batting] += inn.runs
    r = m.result
    if r.kind == "runs":
        assert totals[r.winner] - totals[1 - r.winner] == r.margin > 0
    elif r.kind == "wickets":
        assert totals[r.winner] > totals[1 - r.winner] and r.winner == m.innings[-1].batting
        assert r.margin == 10 - m.innings[-1].wickets
    elif r.kind == "innings":
        assert totals[r.winner] - totals[1 - r.winner] == r.margin > 0 and len(m.innings) == 3
    elif r.kind == "tie":
        assert totals[0] == totals[1]


def random_date(m: Match, hindi: bool = False) -> str:
    month = MONTHS[m.month][1 if hindi else 0]
    return f"{m.day} {month} {m.year}"


def venue(m: Match, hindi: bool = False) -> str:
    return VENUES[m.venue][1 if hindi else 0]
