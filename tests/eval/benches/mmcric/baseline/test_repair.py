"""The consistency repair: misread digits mended by the card's own arithmetic."""

from __future__ import annotations

import pytest

from mmx.eval.benches.mmcric.baseline.readcard import Batter, Bowler, ReadInnings
from mmx.eval.benches.mmcric.baseline.repair import (
    BOWLER_IN_DISMISSAL,
    consistent_run_rate,
    repair_batter,
    repair_bowler,
    repair_innings,
    wickets_from_dismissals,
)


def test_a_batter_row_agrees_with_its_strike_rate() -> None:
    ok = Batter("A", runs=33, balls=20, sr=165.0)
    repair_batter(ok, {"runs": ["33"], "balls": ["20"], "sr": ["165.00"]}, False)
    assert (ok.runs, ok.balls, ok.sr) == (33, 20, 165.0)
    b = Batter("B", runs=33, balls=8, sr=162.5, fours=5, sixes=0)  # a "1" read as "3", and as "5"
    repair_batter(b, {"runs": ["33"], "balls": ["8"], "sr": ["162.50"], "fours": ["5"], "sixes": ["0"]}, True)
    assert (b.runs, b.balls, b.sr, b.fours, b.sixes) == (13, 8, 162.5, 1, 0)


def test_a_bowler_row_agrees_with_its_economy() -> None:
    b = Bowler("C", overs="4", runs=33, econ=3.25)
    repair_bowler(b, {"overs": ["4"], "runs": ["33"], "econ": ["3.25"]})
    assert (b.overs, b.runs, b.econ, b.balls) == ("4", 13, 3.25, 24)


def test_total_overs_and_run_rate_agree() -> None:
    inn = ReadInnings(total=765, overs="20")
    inn.note("total", "765")
    inn.note("overs", "20")
    inn.note("rr", "8.25")
    assert consistent_run_rate(inn) == pytest.approx(8.25)
    repair_innings(inn)
    assert (inn.total, inn.overs, inn.run_rate) == (165, "20", 8.25)
    assert consistent_run_rate(ReadInnings()) is None  # no rate read


def test_wickets_counted_from_the_dismissals() -> None:
    inn = ReadInnings(
        batters=[Batter("P", "c Mehta b Bhatt"), Batter("Q", "b Bhatt"), Batter("R", "lbw b Rao"),
                 Batter("S", "not out")],
        bowlers=[Bowler("Ravi Bhatt"), Bowler("Anil Rao", wickets=5)],
    )
    wickets_from_dismissals(inn)
    assert [b.wickets for b in inn.bowlers] == [2, 1]
    assert BOWLER_IN_DISMISSAL.search("कै मेहता बो भट्ट").group(1) == "भट्ट"
    assert BOWLER_IN_DISMISSAL.search("run out (Rao)") is None
