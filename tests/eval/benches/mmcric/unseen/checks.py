"""Checks every test-only card family passes, called by each family's tests.

A family (``unseen`` here, the held-out one beside it) is a ``build`` writing a set in the
bench's schema, a ``layouts`` module (``LAYOUTS``, ``draw``, ``_layout``) and a ``phrasings``
module; these checks take them as arguments, and each family's test file adds the checks
that are its own (what its layouts print, what they must differ from).
"""

from __future__ import annotations

import random
import re
import string
import subprocess
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from types import ModuleType

import pytest

import mmx
from mmx.errors import InputError
from mmx.eval.benches.mmcric import phrasings as generator
from mmx.eval.benches.mmcric import questions
from mmx.eval.benches.mmcric.data import load
from mmx.eval.benches.mmcric.draw import card_pages
from mmx.eval.benches.mmcric.generate import SUBSET_DRAW as SUBSETS
from mmx.eval.benches.mmcric.match import Match, simulate_match
from mmx.text.digits import write_digits

ROOT = Path(mmx.__file__).resolve().parents[1]
DEVA = re.compile("[\u0900-\u097f]")
NUMBER = re.compile(r"[0-9\u0966-\u096f]+(?:\.[0-9\u0966-\u096f]+)?")
_WORDING = ("PHRASINGS", "INNINGS", "TEST_INNINGS", "IN_INNINGS")

#: the cards :func:`drawn_cards` draws: (match, [(innings of the page, (image, strings))])
Drawn = dict[tuple[str, str, str], tuple[Match, list[tuple[list[int], tuple]]]]


def build_set(tmp_path_factory, tag: str, build: Callable):
    """(folder, stats, samples as the bench loads them) of a three-match set of the family."""
    out = tmp_path_factory.mktemp(tag)
    stats = build(out, n=3, seed=0)
    return out, stats, load(str(out))


def template(s: str) -> re.Pattern:
    """A phrasing as a regular expression, each placeholder any text."""
    parts = [re.escape(lit) + ("(.*)" if name is not None else "") for lit, name, _, _ in string.Formatter().parse(s)]
    return re.compile("".join(parts) + r"\Z", re.S)


def check_set(built, layouts: Sequence[str], tag: str) -> None:
    """The set loads with the bench loader, uses every layout, subset and format, a Test
    question carries every innings image, ids pair across subsets, the README names the build."""
    out, stats, samples = built
    assert (out / "data" / "test_single-00000-of-00001.parquet").is_file()
    assert (out / "data" / "test_multi-00000-of-00001.parquet").is_file()  # one match of each format
    assert {s.meta["template"] for s in samples} == set(layouts)
    assert {s.subset for s in samples} == set(SUBSETS)
    assert {s.meta["format"] for s in samples} == {"T20", "ODI", "Test"}
    assert len(samples) == sum(stats.rows.values())
    for s in samples:
        assert s.question and s.answer and s.images and s.meta["qtype"]
        assert set(s.meta) >= {"template", "qtype", "format", "match", "digits"}
        if s.meta["format"] == "Test":  # a Test question carries every innings image
            assert len(s.images) >= 2
    pairs: dict = {}
    for s in samples:
        pairs.setdefault(s.pair, set()).add(s.subset)
    assert all(v == set(SUBSETS) for v in pairs.values())
    assert f"{tag}.build" in (out / "README.md").read_text(encoding="utf-8")


def check_asks_only_in(samples: Iterable, ours: ModuleType, others: Sequence[ModuleType]) -> None:
    """Every question is in one of ``ours``' phrasings and in none of ``others``'."""
    mine = [template(p) for ps in ours.PHRASINGS.values() for p in ps]
    theirs = [template(p) for src in others for ps in src.PHRASINGS.values() for p in ps]
    for s in samples:
        assert any(t.match(s.question) for t in mine), s.question
        assert not any(t.match(s.question) for t in theirs), s.question


def check_phrasings_new(ours: ModuleType, others: Sequence[ModuleType]) -> None:
    """``ours`` words every question kind the generator asks, two ways or more, with the
    generator's placeholders, in phrasings and innings labels none of ``others`` uses."""
    assert set(ours.PHRASINGS) == set(generator.PHRASINGS)
    theirs = {p for src in others for ps in src.PHRASINGS.values() for p in ps}
    fmt = string.Formatter()
    for kind, ps in ours.PHRASINGS.items():
        assert len(ps) >= 2, kind
        allowed = {n for p in generator.PHRASINGS[kind] for _, n, _, _ in fmt.parse(p) if n}
        for p in ps:
            assert p not in theirs, p
            assert {n for _, n, _, _ in fmt.parse(p) if n} <= allowed, p  # the same names fill it
    for name in _WORDING[1:]:
        mine = set(getattr(ours, name))
        for src in others:  # the generator has one label, a family several
            value = getattr(src, name)
            assert not mine & ({value} if isinstance(value, str) else set(value)), (name, src.__name__)


def check_wording_swap_restores(wording: Callable, ours: ModuleType) -> None:
    """Inside ``wording(rng)`` the generator asks in ``ours``' phrasings; its own come back
    on leaving, even on an exception."""
    before = {n: getattr(questions, n) for n in _WORDING}
    with pytest.raises(RuntimeError), wording(random.Random(1)):
        assert questions.PHRASINGS is not before["PHRASINGS"]
        assert questions.INNINGS in ours.INNINGS
        raise RuntimeError("mid-build failure")
    assert all(getattr(questions, n) is before[n] for n in _WORDING)
    assert questions.PHRASINGS is generator.PHRASINGS


def drawn_cards(matches: Mapping[str, Match], layouts: Sequence[str], draw: Callable) -> Drawn:
    """Every page of ``matches`` in every layout and subset, with its strings."""
    out = {}
    for key, m in matches.items():
        for layout in layouts:
            for sub, (lang, digits) in SUBSETS.items():
                out[key, layout, sub] = (m, [(page, draw(m, page, layout, lang, digits)) for page in card_pages(m)])
    return out


def check_lookup_answers_printed(drawn: Drawn) -> None:
    """Runs, balls, fours, sixes, wickets, runs conceded, overs, totals, extras and fall-of-wicket
    scores of every player and innings appear as numbers on the image of their innings."""
    for (key, layout, sub), (m, pages) in drawn.items():
        conv = (lambda s: write_digits(s, "devanagari")) if sub == "HD" else (lambda s: s)
        for page, (img, strings) in pages:
            assert img.width >= 800 and img.height > 300
            nums = {t for s in strings for t in NUMBER.findall(s)}
            for k in page:
                inn = m.innings[k]
                want = {str(inn.runs), str(inn.extras), inn.overs}
                want |= {str(v) for b in inn.batters for v in (b.runs, b.balls, b.fours, b.sixes)}
                want |= {str(v) for e in inn.bowlers for v in (e.wickets, e.runs)} | {e.overs for e in inn.bowlers}
                want |= {str(f.score) for f in inn.fall}
                missing = {w for w in want if conv(w) not in nums}
                assert not missing, (key, layout, sub, k, sorted(missing))


def check_scripts(drawn: Drawn, latin_on_hindi: set[str]) -> None:
    """English cards print no Devanagari; Hindi cards print every worded string in Devanagari
    but ``latin_on_hindi``; Devanagari-digit cards no Western digit."""
    for (key, layout, sub), (_, pages) in drawn.items():
        strings = [s for _, (_, ss) in pages for s in ss]
        worded = [s for s in strings if re.search(r"[^\W\d_]", s)]  # has a letter
        if sub == "E":
            assert not any(DEVA.search(s) for s in strings), (key, layout)
        else:
            latin_only = [s for s in worded if not DEVA.search(s)]
            assert set(latin_only) <= latin_on_hindi, (key, layout, sub, latin_only[:5])
            assert len(worded) > 40
        if sub == "HD":
            assert not any(re.search("[0-9]", s) for s in strings), (key, layout)


def check_bad_arguments(tmp_path: Path, tag: str, draw: Callable, other_layout: str, layout_error: str,
                        main: Callable, build: Callable) -> None:
    """A layout of another family is a ValueError matching ``layout_error``; bad build
    arguments are one-line errors (exit 2 from the command line)."""
    m = simulate_match(random.Random(3), "T20")
    with pytest.raises(ValueError, match=layout_error):
        draw(m, [0, 1], other_layout)
    with pytest.raises(InputError, match="--n must be at least 1"):
        main(["--out", str(tmp_path), "--n", "0", "--no-progress"])
    with pytest.raises(InputError, match="--subsets"):
        build(tmp_path, n=1, subsets=("X",))
    with pytest.raises(InputError, match="invalid int value"):
        main(["--out", str(tmp_path), "--n", "many"])
    r = subprocess.run([sys.executable, "-m", f"tests.eval.benches.mmcric.{tag}.build", "--out", str(tmp_path),
                        "--n", "0"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert r.returncode == 2
    assert len(r.stderr.strip().splitlines()) == 1 and "--n must be at least 1" in r.stderr


def check_no_overlap(matches: Mapping[str, Match], layouts: Sequence[str], layout_fn: Callable) -> None:
    """Every string's ink lies inside the image and apart from every other string's."""
    for m in matches.values():
        for layout in layouts:
            for lang, digits in SUBSETS.values():
                for page in card_pages(m):
                    cv, height = layout_fn(m, page, layout, lang, digits)
                    boxes = sorted((px, py, px + ink.w, py + ink.h, s)
                                   for (ink, px, py, _), s in zip(cv.texts, cv.strings, strict=True))
                    for b in boxes:
                        assert b[0] >= 0 and b[1] >= 0 and b[2] <= cv.width and b[3] <= height, (layout, lang, b)
                    for i, a in enumerate(boxes):
                        for c in boxes[i + 1 :]:
                            if c[0] >= a[2]:
                                break
                            assert not (a[1] < c[3] and c[1] < a[3]), (layout, lang, a, c)
