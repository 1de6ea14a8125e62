"""The match model keeps the laws and sums of cricket; questions answer from the data."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from mmx.eval.benches.mmcric.match import FORMATS, check_match, overs_str, simulate_match
from mmx.eval.benches.mmcric.questions import LEVELS, QTYPES, make_questions


@pytest.mark.parametrize("fmt", FORMATS)
def test_matches_are_consistent(fmt):
    kinds = Counter()
    for i in range(120):
        m = simulate_match(random.Random(f"{fmt}-{i}"), fmt)
        check_match(m)
        kinds[m.result.kind] += 1
        if fmt != "Test":
            assert len(m.innings) == 2
            assert all(inn.balls <= (20 if fmt == "T20" else 50) * 6 for inn in m.innings)
        else:
            assert 1 <= len(m.innings) <= 4
        names = [p.name for team in m.players for p in team]
        assert len(set(names)) == 22
        surnames = [p.surname for team in m.players for p in team]
        assert len(set(surnames)) == 22, "dismissals name fielders by surname"
    # both ways of winning occur
    assert kinds["runs"] > 10 and kinds["wickets"] > 10


def test_same_seed_same_match():
    a = simulate_match(random.Random("x"))
    b = simulate_match(random.Random("x"))
    assert a == b
    assert simulate_match(random.Random("y")) != a


def test_overs_notation():
    assert overs_str(120) == "20"
    assert overs_str(125) == "20.5"
    assert overs_str(0) == "0"


def test_every_question_type_is_asked_and_answered_from_the_data():
    seen = Counter()
    for i in range(300):
        rng = random.Random(i)
        m = simulate_match(rng)
        qs = make_questions(m, rng)
        assert [q.category for q in qs] == list(LEVELS)
        for q in qs:
            assert q.answer.strip() and q.question.endswith(("?", "."))
            seen[q.qtype] += 1
    missing = set(QTYPES) - set(seen)
    assert not missing, f"question types never asked: {missing}"


def test_answers_match_the_scorecard_sums():
    rng = random.Random(5)
    m = simulate_match(rng, "T20")
    inn = m.innings[0]
    q, a = QTYPES["total"][1](rng, m, inn)
    assert a == str(inn.runs) and m.team_name(inn.batting) in q
    q, a = QTYPES["off_bat"][1](rng, m, inn)
    assert int(a) == sum(b.runs for b in inn.batters)
    q, a = QTYPES["strike_rate"][1](rng, m, inn)
    assert "decimal" in q and len(a.split(".")[1]) == 2
    q, a = QTYPES["margin"][1](random.Random(0), m, inn)
    assert a in (m.team_name(0), m.team_name(1), str(m.result.margin), "tie", "draw")


def test_test_matches_ask_across_innings():
    for i in range(200):
        rng = random.Random(i)
        m = simulate_match(rng, "Test")
        if len([x for x in m.innings if x.batting == 0]) == 2:
            q, a = QTYPES["team_aggregate"][1](rng, m, m.innings[0])
            assert int(a) == sum(x.runs for x in m.innings if x.batting == 0)
            assert "both" in q
            return
    pytest.fail("no Test match with two innings per side in 200 seeds")
