"""The ``ocr-table`` baseline: question parsing, Devanagari digits, and answers read off drawn scorecards.

The match data makes the questions and the golds here (as the bench does); the
model sees only the drawn image and the question text.
"""

from __future__ import annotations

import random

import pytest

from mmx.adapters.base import VqaRequest
from mmx.eval.benches.mmcric.match import simulate_match
from mmx.eval.benches.mmcric.questions import QTYPES, _Skip
from mmx.eval.benches.mmcric.wording import WORDS, result_text
from mmx.eval.metrics import normalize_answer

pytest.importorskip("rapidocr")
pytest.importorskip("rapidfuzz")
pytest.importorskip("indic_transliteration")

from mmx.eval.benches.mmcric.baseline.ocr_table import (
    OcrTableModel,
    fallback_answer,
    parse_question,
)

C1_LOOKUPS = ("runs", "balls", "boundaries", "wickets", "conceded", "overs", "total", "extras")


def _questions(m, qtypes, seed: int = 0) -> list[tuple[str, str, str]]:
    """(qtype, question, gold) for each type, about a random innings of ``m``."""
    rng = random.Random(seed)
    out = []
    for t in qtypes:
        for _ in range(20):
            try:
                q, a = QTYPES[t][1](rng, m, rng.choice(m.innings))
            except _Skip:
                continue
            out.append((t, q, a))
            break
    return out


@pytest.fixture(scope="module")
def model() -> OcrTableModel:
    return OcrTableModel()


@pytest.fixture(scope="module")
def t20():
    return simulate_match(random.Random(7), "T20")


def _draw(m, lang: str = "en", digits: str = "western", template: str = "classic"):
    from mmx.eval.benches.mmcric.draw import draw_scorecard

    return draw_scorecard(m, list(range(len(m.innings))), template, lang, digits)


# --------------------------------------------------------------------------- no OCR


def test_every_question_type_parses() -> None:
    """Every phrasing the bench generates is understood (several matches, all formats)."""
    seen = set()
    for seed in range(12):
        m = simulate_match(random.Random(seed), ("T20", "ODI", "Test")[seed % 3])
        rng = random.Random(seed)
        for t, (_, fn) in QTYPES.items():
            for _ in range(3):
                try:
                    q, _a = fn(rng, m, rng.choice(m.innings))
                except _Skip:
                    continue
                assert parse_question(q) is not None, q
                seen.add(t)
    assert len(seen) >= len(QTYPES) - 1


def test_every_phrasing_reads_back_its_fields() -> None:
    """The parser is built from the generator's phrasings: each one, filled in, parses as its
    own kind with the values put in (Test innings labels included)."""
    from mmx.eval.benches.mmcric.phrasings import IN_INNINGS, PHRASINGS, TEST_INNINGS

    values = {"p": "Paul Stokes", "a": "Jo Root", "b": "Ben Foakes", "t": "India", "team": "Sri Lanka",
              "l": TEST_INNINGS.format(team="India", which="second"),
              "l2": TEST_INNINGS.format(team="Kenya", which="first"),
              "i": IN_INNINGS.format(label=TEST_INNINGS.format(team="Nepal", which="first")),
              "k": "third", "k2": "fourth", "n": "30", "unit": "wickets"}
    expect = {"p": "Paul Stokes", "a": "Jo Root", "b": "Ben Foakes", "t": "India", "team": "India",
              "which": "second", "team2": "Kenya", "which2": "first", "iteam": "Nepal", "iwhich": "first",
              "k": "third", "k2": "fourth", "n": "30", "unit": "wickets"}
    for qtype, templates in PHRASINGS.items():
        for template in templates:
            got = parse_question(template.format(**values))
            assert got is not None and got[0] == qtype, (template, got)
            used = {k for k in values if "{" + k + "}" in template}
            # {team} stands alone where no innings label is
            expect_here = {**expect, "team": "Sri Lanka"} if "team" in used else expect
            for key, value in got[1].items():
                assert expect_here[key] == value, (template, key, value)
            assert len(got[1]) >= len(used - {"l", "l2", "i"}), (template, got)


def test_result_lines_read_back() -> None:
    from mmx.eval.benches.mmcric.baseline.ocr_table import _parse_result

    assert _parse_result("भारत १० विकेट से जीता") == ("wickets", "भारत", 10)
    assert _parse_result("India won by an innings and 12 runs") == ("innings", "India", 12)
    assert _parse_result("मैच टाई")[0] == "tie"
    # every result the cards print (the same wording module) reads back
    for lang, team in (("en", "New Zealand"), ("hi", "न्यूज़ीलैंड")):
        for kind in ("wickets", "runs", "innings"):
            for margin in (1, 7, 112):
                assert _parse_result(result_text(kind, team, margin, lang)) == (kind, team, margin)
        assert _parse_result(WORDS[lang]["drawn"])[0] == "draw"
        assert _parse_result(WORDS[lang]["tied"])[0] == "tie"


def test_dismissals_read_back() -> None:
    from mmx.eval.benches.mmcric.baseline.ocr_table import _dismissal_bowler, _dismissal_kind

    for lang, sur in (("en", "Bhatt"), ("hi", "भट्ट")):
        w = WORDS[lang]
        for printed, kind in ((f"{w['c']} Mehta {w['bw']} {sur}", "caught"), (f"{w['cb']} {sur}", "caught"),
                              (f"{w['bw']} {sur}", "bowled"), (f"{w['lbw']} {sur}", "lbw"),
                              (f"{w['st']} †Rao {w['bw']} {sur}", "stumped")):
            assert _dismissal_kind(printed) == kind, printed
            assert _dismissal_bowler(printed) == sur, printed
        assert _dismissal_kind(w["not_out"]) == "not out"
        assert _dismissal_kind(f"{w['run_out']} (Rao)") == "run out"


def test_romanization_and_cross_script_matching() -> None:
    from mmx.text.translit import name_similarity, romanize

    assert romanize("राशिद रहमान") == "Rashid Rahman"
    assert romanize("India") == "India"
    # the question's English name finds its Devanagari spelling among other names
    names = ["डेविड मार्करम", "जो रबाडा", "पॉल स्टोक्स", "रोहन कुमार"]
    best = max(names, key=lambda n: name_similarity("Paul Stokes", n))
    assert best == "पॉल स्टोक्स"


def test_fallbacks() -> None:
    assert parse_question("What colour is the sky?") is None
    assert fallback_answer(None) == "0"
    assert fallback_answer("top_scorer") == "unknown"


def test_marked_as_baseline(model: OcrTableModel) -> None:
    assert model.is_baseline is True
    assert model.name == "ocr-table"
    assert model.describe()["baseline"] is True


# --------------------------------------------------------------------------- OCR


def test_english_card_lookups(model: OcrTableModel, t20) -> None:
    img = _draw(t20)
    qs = _questions(t20, C1_LOOKUPS)
    assert len(qs) == len(C1_LOOKUPS)
    reqs = [VqaRequest(id=f"q{i}", question=q, images=[img]) for i, (_, q, _) in enumerate(qs)]
    # one unparseable question and one without images ride along: fallback answers, no exception
    reqs.append(VqaRequest(id="odd", question="What colour is the sky?", images=[img]))
    reqs.append(VqaRequest(id="noimg", question=qs[0][1], images=[]))
    before = model.describe()["unparsed"]
    answers = model.answer(reqs)
    assert len(answers) == len(reqs) and all(isinstance(a, str) for a in answers)
    right = [t for (t, _, gold), a in zip(qs, answers, strict=False) if normalize_answer(a) == normalize_answer(gold)]
    assert len(right) >= 6, list(zip(qs, answers, strict=False))
    assert answers[-2] == "0" and answers[-1] == "0"
    assert model.describe()["unparsed"] == before + 1
    assert any("could not be parsed" in n for n in model.notes())
    # the questions shared one image: it was read once
    assert model.describe()["ocr_images"]["latin"] == 1


def test_hindi_card_with_devanagari_digits(model: OcrTableModel, t20) -> None:
    if model.hindi_engine != "tesseract":
        pytest.skip("tesseract with the Hindi pack (tesseract-ocr-hin) is not installed")
    img = _draw(t20, "hi", "devanagari")
    qs = _questions(t20, ("total", "extras", "runs", "wickets", "conceded"), seed=3)
    answers = model.answer([VqaRequest(id=f"h{i}", question=q, images=[img]) for i, (_, q, _) in enumerate(qs)])
    right = sum(normalize_answer(a) == normalize_answer(g) for (_, _, g), a in zip(qs, answers, strict=True))
    assert right >= 3, list(zip(qs, answers, strict=True))
    assert model.describe()["ocr_images"]["devanagari"] >= 1
