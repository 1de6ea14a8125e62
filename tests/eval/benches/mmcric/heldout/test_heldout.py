"""The sealed held-out layouts and phrasings: a set in the bench's schema, every value a
question needs printed, wording new against both other sets, and mmx never importing it.

The checks every test-only family passes are in :mod:`tests.eval.benches.mmcric.unseen.checks`;
the tests here that are not one call to them are this family's own."""

from __future__ import annotations

import random
import re

import pytest

from mmx.eval.benches.mmcric import phrasings as generator
from mmx.eval.benches.mmcric.draw import scorecard_strings
from mmx.eval.benches.mmcric.match import simulate_match, venue
from mmx.eval.benches.mmcric.wording import ordinal
from mmx.text.digits import write_digits
from tests.eval.benches.mmcric.heldout import phrasings as heldout
from tests.eval.benches.mmcric.heldout.build import SUBSETS, build, heldout_wording, main
from tests.eval.benches.mmcric.heldout.layouts import (
    LAYOUTS,
    _layout,
    _result,
    batter_dots,
    bowler_dots,
    draw,
    minutes,
)
from tests.eval.benches.mmcric.unseen import checks
from tests.eval.benches.mmcric.unseen import phrasings as unseen
from tests.eval.benches.mmcric.unseen.layouts import LAYOUTS as UNSEEN_LAYOUTS
from tests.eval.benches.mmcric.unseen.layouts import draw as unseen_draw

ROOT = checks.ROOT


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return checks.build_set(tmp_path_factory, "heldout", build)


def test_the_set_loads_with_the_bench_loader_and_uses_every_layout(built) -> None:
    checks.check_set(built, LAYOUTS, "heldout")


def test_the_set_asks_in_held_out_phrasings_only(built) -> None:
    checks.check_asks_only_in(built[2], heldout, [generator, unseen])


def test_phrasings_cover_every_kind_and_are_new_against_both_other_sets() -> None:
    checks.check_phrasings_new(heldout, [generator, unseen])


def test_the_wording_swap_restores_the_generators_even_on_an_exception() -> None:
    checks.check_wording_swap_restores(heldout_wording, heldout)


@pytest.fixture(scope="module")
def drawn(matches):
    """Every page of a T20, an ODI and a follow-on Test, in every layout and subset, with its strings."""
    ms = {**matches, "T20b": simulate_match(random.Random(11), "T20"), "ODIb": simulate_match(random.Random(5), "ODI")}
    return checks.drawn_cards(ms, LAYOUTS, draw)


def test_every_lookup_answer_is_printed_on_its_page(drawn) -> None:
    checks.check_lookup_answers_printed(drawn)


def test_names_dismissals_and_the_result_are_printed(drawn) -> None:
    for (key, layout, sub), (m, pages) in drawn.items():
        hi = sub != "E"
        text = "\n".join(s for _, (_, strings) in pages for s in strings).casefold()
        for inn in m.innings:
            for b in inn.batters:
                p = m.player(inn.batting, b.player)
                assert (p.hindi if hi else p.name).casefold() in text
                if b.out.bowler is not None:
                    q = m.player(inn.bowling, b.out.bowler)
                    assert (q.hindi_surname if hi else q.surname).casefold() in text
        r = m.result
        last = [s.casefold() for s in pages[-1][1][1]]
        if r.winner is not None:
            margin = write_digits(str(r.margin), "devanagari" if sub == "HD" else "latin")
            assert any(m.team_name(r.winner, hi).casefold() in s and margin in s for s in last), (key, layout, sub)
        lang, digits = SUBSETS[sub]
        result = write_digits(_result(m, layout, lang), "devanagari" if digits == "devanagari" else "latin")
        assert result in pages[-1][1][1], (key, layout, sub)
        assert not any(result in strings for _, (_, strings) in pages[:-1]), (key, layout, sub)  # the last page only


def test_hindi_cards_print_devanagari_and_english_cards_do_not(drawn) -> None:
    checks.check_scripts(drawn, set())


def test_layouts_differ_from_the_generators_and_the_unseen_familys(drawn) -> None:
    m = drawn["ODI", "wiki", "E"][0]
    theirs = set(scorecard_strings(m, [0, 1]))
    theirs |= {s for u in UNSEEN_LAYOUTS for s in unseen_draw(m, [0, 1], u)[1]}
    names = {m.player(t, i).name for t in (0, 1) for i in range(11)}
    dismissals = {s for s in theirs if re.match(r"(c|b|lbw b|st|run out|c & b|c and b) ", s)} | {"not out", "run out"}
    universal = {"R", "B", "4s", "6s", "SR", "O", "M", "W", "Extras", "Total", venue(m), f"{ordinal(m.number)} {m.format}",
                 "-", "–", "|", "·", "WD", "NB", "Runs", "TOTAL"}
    for layout in LAYOUTS:
        ours = set(drawn["ODI", layout, "E"][1][0][1][1])
        shared = {s for s in ours & theirs if not checks.NUMBER.fullmatch(s)} - names - dismissals - universal
        assert not shared, (layout, sorted(shared))


def test_derived_minutes_and_dot_balls_are_plausible(matches) -> None:
    for m in matches.values():
        for inn in m.innings:
            for b in inn.batters:
                assert 0 <= batter_dots(b) <= b.balls
                assert minutes(b, b.player) >= max(1, b.balls)
            for e in inn.bowlers:
                assert 6 * e.maidens <= bowler_dots(e) <= e.balls


def test_a_bad_layout_and_bad_build_arguments_are_one_line_errors(tmp_path) -> None:
    checks.check_bad_arguments(tmp_path, "heldout", draw, "ledger", "unknown held-out layout", main, build)


def test_mmx_never_names_the_held_out_family() -> None:
    """Sealed: no file under mmx/ (the baseline included) imports or names this package."""
    bad = [str(p.relative_to(ROOT)) for p in sorted((ROOT / "mmx").rglob("*.py"))
           if re.search(r"mmcric[./]heldout|import heldout", p.read_text(encoding="utf-8"))]
    assert not bad, bad


def test_no_text_overlaps_or_leaves_the_image(matches) -> None:
    checks.check_no_overlap(matches, LAYOUTS, _layout)
