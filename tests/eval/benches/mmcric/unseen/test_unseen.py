"""The unseen layouts and phrasings: a set in the bench's schema, every value a question
needs printed, the generator's wording untouched, and mmx never importing tests/."""

from __future__ import annotations

import ast
import random
import re
import string
import subprocess
import sys
from pathlib import Path

import pytest

import mmx
from mmx.errors import InputError
from mmx.eval.benches.mmcric import phrasings as generator
from mmx.eval.benches.mmcric import questions
from mmx.eval.benches.mmcric.data import load
from mmx.eval.benches.mmcric.draw import card_pages
from mmx.eval.benches.mmcric.match import overs_str, simulate_match, venue
from mmx.eval.benches.mmcric.wording import ordinal
from mmx.text.digits import write_digits
from tests.eval.benches.mmcric.unseen import phrasings as unseen
from tests.eval.benches.mmcric.unseen.build import SUBSETS, build, main, unseen_wording
from tests.eval.benches.mmcric.unseen.layouts import LAYOUTS, draw

ROOT = Path(mmx.__file__).resolve().parents[1]
_DEVA = re.compile("[\u0900-\u097f]")
_NUMBER = re.compile(r"[0-9\u0966-\u096f]+(?:\.[0-9\u0966-\u096f]+)?")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("unseen")
    stats = build(out, n=3, seed=0)
    return out, stats, load(str(out))


def _numbers(strings: list[str]) -> set[str]:
    return {t for s in strings for t in _NUMBER.findall(s)}


def _template(s: str) -> re.Pattern:
    """A phrasing as a regular expression, each placeholder any text."""
    parts = [re.escape(lit) + ("(.*)" if name is not None else "") for lit, name, _, _ in string.Formatter().parse(s)]
    return re.compile("".join(parts) + r"\Z", re.S)


def test_the_set_loads_with_the_bench_loader_and_uses_every_layout(built) -> None:
    out, stats, samples = built
    assert (out / "data" / "test_single-00000-of-00001.parquet").is_file()
    assert (out / "data" / "test_multi-00000-of-00001.parquet").is_file()  # one match of each format
    assert {s.meta["template"] for s in samples} == set(LAYOUTS)
    assert {s.subset for s in samples} == set(SUBSETS)
    assert {s.meta["format"] for s in samples} == {"T20", "ODI", "Test"}
    assert len(samples) == sum(stats.rows.values())
    for s in samples:
        assert s.question and s.answer and s.images and s.meta["qtype"]
        if s.meta["format"] == "Test":  # a Test question carries every innings image
            assert len(s.images) >= 2
    pairs = {}
    for s in samples:
        pairs.setdefault(s.pair, set()).add(s.subset)
    assert all(v == set(SUBSETS) for v in pairs.values())


def test_the_set_asks_in_unseen_phrasings_only(built) -> None:
    _, _, samples = built
    ours = [_template(p) for ps in unseen.PHRASINGS.values() for p in ps]
    theirs = [_template(p) for ps in generator.PHRASINGS.values() for p in ps]
    for s in samples:
        assert any(t.match(s.question) for t in ours), s.question
        assert not any(t.match(s.question) for t in theirs), s.question


def test_phrasings_cover_every_kind_and_none_is_the_generators() -> None:
    assert set(unseen.PHRASINGS) == set(generator.PHRASINGS)
    theirs = {p for ps in generator.PHRASINGS.values() for p in ps}
    fmt = string.Formatter()
    for kind, ps in unseen.PHRASINGS.items():
        assert len(ps) >= 2, kind
        allowed = {n for p in generator.PHRASINGS[kind] for _, n, _, _ in fmt.parse(p) if n}
        for p in ps:
            assert p not in theirs, p
            assert {n for _, n, _, _ in fmt.parse(p) if n} <= allowed, p  # the same names fill it
    assert generator.INNINGS not in unseen.INNINGS and generator.TEST_INNINGS not in unseen.TEST_INNINGS
    assert generator.IN_INNINGS not in unseen.IN_INNINGS


def test_the_wording_swap_restores_the_generators_even_on_an_exception() -> None:
    names = ("PHRASINGS", "INNINGS", "TEST_INNINGS", "IN_INNINGS")
    before = {n: getattr(questions, n) for n in names}
    with pytest.raises(RuntimeError), unseen_wording(random.Random(1)):
        assert questions.PHRASINGS is not before["PHRASINGS"]
        assert questions.INNINGS in unseen.INNINGS
        raise RuntimeError("mid-build failure")
    assert {n: getattr(questions, n) for n in names} == before
    assert all(getattr(questions, n) is before[n] for n in names)
    assert questions.PHRASINGS is generator.PHRASINGS


@pytest.fixture(scope="module")
def drawn(matches):
    """Every page of a T20, an ODI and a follow-on Test, in every layout and subset, with its strings."""
    ms = {**matches, "T20b": simulate_match(random.Random(11), "T20")}
    out = {}
    for key, m in ms.items():
        for layout in LAYOUTS:
            for sub, (lang, digits) in SUBSETS.items():
                out[key, layout, sub] = (m, [(page, draw(m, page, layout, lang, digits)) for page in card_pages(m)])
    return out


def test_every_lookup_answer_is_printed_on_its_page(drawn) -> None:
    """Runs, balls, fours, sixes, wickets, runs conceded, overs, totals, extras and fall-of-wicket
    scores of every player and innings appear as numbers on the image of their innings."""
    for (key, layout, sub), (m, pages) in drawn.items():
        conv = (lambda s: write_digits(s, "devanagari")) if sub == "HD" else (lambda s: s)
        for page, (img, strings) in pages:
            assert img.width >= 800 and img.height > 300
            nums = _numbers(strings)
            for k in page:
                inn = m.innings[k]
                want = {str(inn.runs), str(inn.extras), inn.overs}
                want |= {str(v) for b in inn.batters for v in (b.runs, b.balls, b.fours, b.sixes)}
                want |= {str(v) for e in inn.bowlers for v in (e.wickets, e.runs)} | {e.overs for e in inn.bowlers}
                want |= {str(f.score) for f in inn.fall}
                missing = {w for w in want if conv(w) not in nums}
                assert not missing, (key, layout, sub, k, sorted(missing))


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
    for (key, layout, sub), (_, pages) in drawn.items():
        strings = [s for _, (_, ss) in pages for s in ss]
        worded = [s for s in strings if re.search(r"[^\W\d_]", s)]  # has a letter
        if sub == "E":
            assert not any(_DEVA.search(s) for s in strings), (key, layout)
        else:  # names, labels, dismissals, results in Devanagari; only the "4s"/"6s" headers of TV graphics in Latin
            latin_only = [s for s in worded if not _DEVA.search(s)]
            assert set(latin_only) <= {"4s", "6s"}, (key, layout, sub, latin_only[:5])
            assert len(worded) > 40
        if sub == "HD":
            assert not any(re.search("[0-9]", s) for s in strings), (key, layout)


def test_layouts_differ_from_the_generators_templates(drawn) -> None:
    from mmx.eval.benches.mmcric.draw import scorecard_strings

    m = drawn["ODI", "ledger", "E"][0]
    theirs = set(scorecard_strings(m, [0, 1]))
    for layout in LAYOUTS:
        ours = set(drawn["ODI", layout, "E"][1][0][1][1])
        # headers, titles, totals, extras breakdowns and fall of wickets are all worded otherwise;
        # what every site prints alike (names, dismissals, "Extras", "India won by 104 runs") may match
        shared = {s for s in ours & theirs if not _NUMBER.fullmatch(s) and s not in {"-"}}
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
    m = simulate_match(random.Random(3), "T20")
    with pytest.raises(ValueError, match="unknown unseen layout"):
        draw(m, [0, 1], "classic")
    with pytest.raises(InputError, match="--n must be at least 1"):
        main(["--out", str(tmp_path), "--n", "0", "--no-progress"])
    with pytest.raises(InputError, match="--subsets"):
        build(tmp_path, n=1, subsets=("X",))
    with pytest.raises(InputError, match="invalid int value"):
        main(["--out", str(tmp_path), "--n", "many"])
    r = subprocess.run([sys.executable, "-m", "tests.eval.benches.mmcric.unseen.build", "--out", str(tmp_path),
                        "--n", "0"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert r.returncode == 2
    assert len(r.stderr.strip().splitlines()) == 1 and "--n must be at least 1" in r.stderr


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
    """Every string's ink lies inside the image and apart from every other string's."""
    from tests.eval.benches.mmcric.unseen.layouts import _layout

    for m in matches.values():
        for layout in LAYOUTS:
            for lang, digits in SUBSETS.values():
                for page in card_pages(m):
                    cv, height = _layout(m, page, layout, lang, digits)
                    boxes = sorted((px, py, px + ink.w, py + ink.h, s)
                                   for (ink, px, py, _), s in zip(cv.texts, cv.strings, strict=True))
                    for b in boxes:
                        assert b[0] >= 0 and b[1] >= 0 and b[2] <= cv.width and b[3] <= height, (layout, lang, b)
                    for i, a in enumerate(boxes):
                        for c in boxes[i + 1 :]:
                            if c[0] >= a[2]:
                                break
                            assert not (a[1] < c[3] and c[1] < a[3]), (layout, lang, a, c)
