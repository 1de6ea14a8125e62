"""The sealed held-out layouts and phrasings: a set in the bench's schema, every value a
question needs printed, wording new against both other sets, and mmx never importing it."""

from __future__ import annotations

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
from mmx.eval.benches.mmcric.draw import card_pages, scorecard_strings
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
from tests.eval.benches.mmcric.unseen import phrasings as unseen
from tests.eval.benches.mmcric.unseen.layouts import LAYOUTS as UNSEEN_LAYOUTS
from tests.eval.benches.mmcric.unseen.layouts import draw as unseen_draw

ROOT = Path(mmx.__file__).resolve().parents[1]
_DEVA = re.compile("[\u0900-\u097f]")
_NUMBER = re.compile(r"[0-9\u0966-\u096f]+(?:\.[0-9\u0966-\u096f]+)?")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("heldout")
    stats = build(out, n=3, seed=0)
    return out, stats, load(str(out))


def _template(s: str) -> re.Pattern:
    """A phrasing as a regular expression, each placeholder any text."""
    parts = [re.escape(lit) + ("(.*)" if name is not None else "") for lit, name, _, _ in string.Formatter().parse(s)]
    return re.compile("".join(parts) + r"\Z", re.S)


def test_the_set_loads_with_the_bench_loader_and_uses_every_layout(built) -> None:
    out, stats, samples = built
    assert (out / "data" / "test_single-00000-of-00001.parquet").is_file()
    assert (out / "data" / "test_multi-00000-of-00001.parquet").is_file()
    assert {s.meta["template"] for s in samples} == set(LAYOUTS)
    assert {s.subset for s in samples} == set(SUBSETS)
    assert {s.meta["format"] for s in samples} == {"T20", "ODI", "Test"}
    assert len(samples) == sum(stats.rows.values())
    for s in samples:
        assert s.question and s.answer and s.images and s.meta["qtype"]
        assert set(s.meta) >= {"template", "qtype", "format", "match", "digits"}
        if s.meta["format"] == "Test":
            assert len(s.images) >= 2
    pairs: dict = {}
    for s in samples:
        pairs.setdefault(s.pair, set()).add(s.subset)
    assert all(v == set(SUBSETS) for v in pairs.values())
    assert "heldout.build" in (out / "README.md").read_text(encoding="utf-8")


def test_the_set_asks_in_held_out_phrasings_only(built) -> None:
    _, _, samples = built
    ours = [_template(p) for ps in heldout.PHRASINGS.values() for p in ps]
    theirs = [_template(p) for src in (generator, unseen) for ps in src.PHRASINGS.values() for p in ps]
    for s in samples:
        assert any(t.match(s.question) for t in ours), s.question
        assert not any(t.match(s.question) for t in theirs), s.question


def test_phrasings_cover_every_kind_and_are_new_against_both_other_sets() -> None:
    assert set(heldout.PHRASINGS) == set(generator.PHRASINGS)
    others = {p for src in (generator, unseen) for ps in src.PHRASINGS.values() for p in ps}
    fmt = string.Formatter()
    for kind, ps in heldout.PHRASINGS.items():
        assert len(ps) >= 2, kind
        allowed = {n for p in generator.PHRASINGS[kind] for _, n, _, _ in fmt.parse(p) if n}
        for p in ps:
            assert p not in others, p
            assert {n for _, n, _, _ in fmt.parse(p) if n} <= allowed, p
    for name in ("INNINGS", "TEST_INNINGS", "IN_INNINGS"):
        ours = set(getattr(heldout, name))
        assert getattr(generator, name) not in ours and not ours & set(getattr(unseen, name)), name


def test_the_wording_swap_restores_the_generators_even_on_an_exception() -> None:
    names = ("PHRASINGS", "INNINGS", "TEST_INNINGS", "IN_INNINGS")
    before = {n: getattr(questions, n) for n in names}
    with pytest.raises(RuntimeError), heldout_wording(random.Random(1)):
        assert questions.INNINGS in heldout.INNINGS
        raise RuntimeError("mid-build failure")
    assert all(getattr(questions, n) is before[n] for n in names)


@pytest.fixture(scope="module")
def drawn(matches):
    """Every page of a T20, an ODI and a follow-on Test, in every layout and subset, with its strings."""
    ms = {**matches, "T20b": simulate_match(random.Random(11), "T20"), "ODIb": simulate_match(random.Random(5), "ODI")}
    out = {}
    for key, m in ms.items():
        for layout in LAYOUTS:
            for sub, (lang, digits) in SUBSETS.items():
                out[key, layout, sub] = (m, [(page, draw(m, page, layout, lang, digits)) for page in card_pages(m)])
    return out


def test_every_lookup_answer_is_printed_on_its_page(drawn) -> None:
    for (key, layout, sub), (m, pages) in drawn.items():
        conv = (lambda s: write_digits(s, "devanagari")) if sub == "HD" else (lambda s: s)
        for page, (img, strings) in pages:
            assert img.width >= 800 and img.height > 300
            nums = {t for s in strings for t in _NUMBER.findall(s)}
            for k in page:
                inn = m.innings[k]
                want = {str(inn.runs), str(inn.extras), inn.overs}
                want |= {str(v) for b in inn.batters for v in (b.runs, b.balls, b.fours, b.sixes)}
                want |= {str(v) for e in inn.bowlers for v in (e.wickets, e.runs)} | {e.overs for e in inn.bowlers}
                want |= {str(f.score) for f in inn.fall}
                missing = {w for w in want if conv(w) not in nums}
                assert not missing, (key, layout, sub, k, sorted(missing))


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
    for (key, layout, sub), (_, pages) in drawn.items():
        strings = [s for _, (_, ss) in pages for s in ss]
        worded = [s for s in strings if re.search(r"[^\W\d_]", s)]
        if sub == "E":
            assert not any(_DEVA.search(s) for s in strings), (key, layout)
        else:
            latin_only = [s for s in worded if not _DEVA.search(s)]
            assert not latin_only, (key, layout, sub, latin_only[:5])
            assert len(worded) > 40
        if sub == "HD":
            assert not any(re.search("[0-9]", s) for s in strings), (key, layout)


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
        shared = {s for s in ours & theirs if not _NUMBER.fullmatch(s)} - names - dismissals - universal
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
    m = simulate_match(random.Random(3), "T20")
    with pytest.raises(ValueError, match="unknown held-out layout"):
        draw(m, [0, 1], "ledger")
    with pytest.raises(InputError, match="--n must be at least 1"):
        main(["--out", str(tmp_path), "--n", "0", "--no-progress"])
    with pytest.raises(InputError, match="--subsets"):
        build(tmp_path, n=1, subsets=("X",))
    r = subprocess.run([sys.executable, "-m", "tests.eval.benches.mmcric.heldout.build", "--out", str(tmp_path),
                        "--n", "0"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert r.returncode == 2
    assert len(r.stderr.strip().splitlines()) == 1 and "--n must be at least 1" in r.stderr


def test_mmx_never_names_the_held_out_family() -> None:
    """Sealed: no file under mmx/ (the baseline included) imports or names this package."""
    bad = [str(p.relative_to(ROOT)) for p in sorted((ROOT / "mmx").rglob("*.py"))
           if re.search(r"mmcric[./]heldout|import heldout", p.read_text(encoding="utf-8"))]
    assert not bad, bad


def test_no_text_overlaps_or_leaves_the_image(matches) -> None:
    """Every string's ink lies inside the image and apart from every other string's."""
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
