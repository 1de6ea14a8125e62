"""The unseen layouts and phrasings: a set in the bench's schema, every value a question
needs printed, the generator's wording untouched, and mmx never importing tests/.

The checks every test-only family passes are in :mod:`.checks`; the tests here that are not
one call to them are this family's own."""

from __future__ import annotations

import ast
import random
import re

import pytest

from mmx.eval.benches.mmcric import phrasings as generator
from mmx.eval.benches.mmcric.match import overs_str, simulate_match, venue
from mmx.eval.benches.mmcric.wording import ordinal
from mmx.text.digits import write_digits
from tests.eval.benches.mmcric.unseen import checks
from tests.eval.benches.mmcric.unseen import phrasings as unseen
from tests.eval.benches.mmcric.unseen.build import build, main, unseen_wording
from tests.eval.benches.mmcric.unseen.layouts import LAYOUTS, _layout, draw

ROOT = checks.ROOT


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return checks.build_set(tmp_path_factory, "unseen", build)


def test_the_set_loads_with_the_bench_loader_and_uses_every_layout(built) -> None:
    checks.check_set(built, LAYOUTS, "unseen")


def test_the_set_asks_in_unseen_phrasings_only(built) -> None:
    checks.check_asks_only_in(built[2], unseen, [generator])


def test_phrasings_cover_every_kind_and_none_is_the_generators() -> None:
    checks.check_phrasings_new(unseen, [generator])


def test_the_wording_swap_restores_the_generators_even_on_an_exception() -> None:
    checks.check_wording_swap_restores(unseen_wording, unseen)


@pytest.fixture(scope="module")
def drawn(matches):
    """Every page of a T20, an ODI and a follow-on Test, in every layout and subset, with its strings."""
    return checks.drawn_cards({**matches, "T20b": simulate_match(random.Random(11), "T20")}, LAYOUTS, draw)


def test_every_lookup_answer_is_printed_on_its_page(drawn) -> None:
    checks.check_lookup_answers_printed(drawn)


def test_dismissals_name_their_bowler_and_the_result_is_printed(drawn) -> None:
    for (key, layout, sub), (m, pages) in drawn.items():
        hi = sub != "E"
        text = "\n".join(s for _, (_, strings) in pages for s in strings)
        for inn in m.innings:
            for b in inn.batters:
                if b.out.bowler is not None:
                    p = m.player(inn.bowling, b.out.bowler)
                    assert (p.hindi_surname if hi else p.surname) in text
        r = m.result
        if r.winner is not None:
            last = "\n".join(pages[-1][1][1])
            assert m.team_name(r.winner, hi) in last.split("\n")[-1], (key, layout, sub)
            assert write_digits(str(r.margin), "devanagari" if sub == "HD" else "latin") in last.split("\n")[-1]


def test_hindi_cards_print_devanagari_and_english_cards_do_not(drawn) -> None:
    # names, labels, dismissals, results in Devanagari; only the "4s"/"6s" headers of TV graphics in Latin
    checks.check_scripts(drawn, {"4s", "6s"})


def test_layouts_differ_from_the_generators_templates(drawn) -> None:
    from mmx.eval.benches.mmcric.draw import scorecard_strings

    m = drawn["ODI", "ledger", "E"][0]
    theirs = set(scorecard_strings(m, [0, 1]))
    for layout in LAYOUTS:
        ours = set(drawn["ODI", layout, "E"][1][0][1][1])
        # headers, titles, totals, extras breakdowns and fall of wickets are all worded otherwise;
        # what every site prints alike (names, dismissals, "Extras", "India won by 104 runs") may match
        shared = {s for s in ours & theirs if not checks.NUMBER.fullmatch(s) and s not in {"-"}}
        names = {m.player(t, i).name for t in (0, 1) for i in range(11)}
        universal = {"not out", "Extras", "R", "B", "4s", "6s", "SR", "O", "M", "W", venue(m),
                     f"{ordinal(m.number)} {m.format}"} | _dismissals(m)
        if m.result.winner is not None:
            universal.add(f"{m.team_name(m.result.winner)} won by {m.result.margin} {m.result.kind}")
        assert shared - names <= universal, (layout, sorted(shared - names - universal))
        assert not any(t in ours for t in theirs if "(" in t and not t.startswith("run out")), layout


def _dismissals(m) -> set[str]:
    """Dismissals printed alike by every site (``b Smith``, ``lbw b Smith``, ``c X b Y``)."""
    from mmx.eval.benches.mmcric.draw import scorecard_strings

    return {s for s in scorecard_strings(m, [0, 1]) if re.match(r"(c|b|lbw b|st|run out|c & b) ", s)}


def test_a_bad_layout_and_bad_build_arguments_are_one_line_errors(tmp_path) -> None:
    checks.check_bad_arguments(tmp_path, "unseen", draw, "classic", "unknown unseen layout", main, build)


def _imports_tests(tree: ast.AST) -> list[int]:
    lines = []
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        elif (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)
              and isinstance(node.args[0].value, str) and getattr(node.func, "attr", getattr(node.func, "id", ""))
              in ("import_module", "__import__")):
            names = [node.args[0].value]
        if any(n == "tests" or n.startswith("tests.") for n in names):
            lines.append(node.lineno)
    return lines


def test_mmx_never_imports_tests() -> None:
    """The held-out layouts stay held out: no module of mmx/ (the baseline included) imports tests/."""
    for src in ("import tests.eval", "from tests.eval.benches.mmcric.unseen import layouts",
                "def f():\n    import importlib\n    importlib.import_module('tests.eval.benches')\n"):
        assert _imports_tests(ast.parse(src)), src
    assert not _imports_tests(ast.parse("from mmx.eval import tests_helpers\nimport testsuite"))
    bad = {str(p.relative_to(ROOT)): lines for p in sorted((ROOT / "mmx").rglob("*.py"))
           if (lines := _imports_tests(ast.parse(p.read_text(encoding="utf-8"))))}
    assert not bad, f"mmx/ imports tests/: {bad}"


def test_fall_of_wickets_overs_are_printed_where_the_layout_shows_them(drawn) -> None:
    m, pages = drawn["ODI", "broadcast", "E"]
    strings = pages[0][1][1]
    inn = m.innings[0]
    for f in inn.fall:
        assert f"{f.score}-{f.wicket} ({overs_str(f.balls)})" in strings


def test_no_text_overlaps_or_leaves_the_image(matches) -> None:
    checks.check_no_overlap(matches, LAYOUTS, _layout)
