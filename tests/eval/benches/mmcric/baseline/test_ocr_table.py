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
    parse_questions,
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


#: the generator's question kinds (mmx.eval.benches.mmcric.questions.QTYPES) an intent answers
_KIND = {"fours": "boundaries", "sixes": "boundaries", "result": "margin", "winner": "margin",
         "innings_margin": "margin"}


def _card_names(m) -> tuple[list[str], list[str]]:
    """The player and team names an English card of ``m`` prints."""
    return [p.name for team in m.players for p in team], [m.team_name(t) for t in range(2)]


def test_every_generated_question_finds_its_intent() -> None:
    """Every kind of question the bench generates is classified as its own intent (several
    matches, all formats), though the intents know none of the generator's phrasings."""
    asked: list[tuple[str, str, tuple[list[str], list[str]]]] = []
    for seed in range(12):
        m = simulate_match(random.Random(seed), ("T20", "ODI", "Test")[seed % 3])
        rng = random.Random(seed)
        for t, (_, fn) in QTYPES.items():
            for _ in range(3):
                try:
                    q, _a = fn(rng, m, rng.choice(m.innings))
                except _Skip:
                    continue
                asked.append((t, q, _card_names(m)))
    got = parse_questions([q for _, q, _ in asked], [names for _, _, names in asked])
    for (t, q, _), (found, _intent, _args) in zip(asked, got, strict=True):
        assert found is not None and _KIND.get(found[0], found[0]) == t, (q, found)
    assert len({t for t, _, _ in asked}) >= len(QTYPES) - 1


def test_arguments_come_from_the_cards_names() -> None:
    """Players and innings are the card's spellings (either script); ordinals qualify the innings
    they stand before, or a wicket."""
    players = ["Paul Stokes", "Jo Root", "Ben Foakes"]
    teams = ["India", "Sri Lanka"]
    got = parse_question("How many runs did Jo Root and Ben Foakes add up to together in India's second innings?",
                         players, teams)
    assert got == ("run_sum", {"p": "Jo Root", "a": "Jo Root", "b": "Ben Foakes", "iteam": "India",
                               "iwhich": "second"})
    got = parse_question("How many runs were added between the fall of the 3rd and the fourth wicket in "
                         "Sri Lanka's first innings?", players, teams)
    assert got == ("partnership", {"team": "Sri Lanka", "which": "first", "k": "third", "k2": "fourth"})
    got = parse_question("By how many runs did India's first innings total differ from Sri Lanka's second "
                         "innings total?", players, teams)
    assert got == ("total_difference", {"team": "India", "which": "first", "team2": "Sri Lanka", "which2": "second"})
    got = parse_question("How many batters scored 50 or more runs in India's innings?", players, teams)
    assert got == ("count_over", {"team": "India", "n": "50"})
    # a Hindi card: names in Devanagari, "India" printed भारत
    got = parse_question("How was Paul Stokes dismissed in India's second innings?", ["पॉल स्टोक्स", "जो रूट"],
                         ["भारत", "श्रीलंका"])
    assert got == ("dismissal", {"p": "पॉल स्टोक्स", "a": "पॉल स्टोक्स", "iteam": "भारत", "iwhich": "second"})
    # two wicket ordinals: only intents about two wickets compete ("fall" names one)
    got = parse_question("How many runs came after the second wicket fell and before the third went down in "
                         "India's innings?", players, teams)
    assert got is not None and got[0] == "partnership" and got[1]["k"] == "second" and got[1]["k2"] == "third"


def test_questions_about_something_else_are_unknown() -> None:
    for q in ("What colour is the sky?", "Where was the match played?", "Who won the toss?",
              "What is the capital of France?"):
        assert parse_question(q, ["Paul Stokes"], ["India", "Kenya"]) is None, q


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
    assert fallback_answer(None) == "unknown"  # an unknown intent: no guess
    assert fallback_answer("top_scorer") == "unknown"
    assert fallback_answer("runs") == "0"


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
    # a question about something else and one without images ride along: "unknown" for the first
    # (no guess), the fallback for the second, no exception
    reqs.append(VqaRequest(id="odd", question="What colour is the sky?", images=[img]))
    reqs.append(VqaRequest(id="noimg", question=qs[0][1], images=[]))
    before = model.describe()["unparsed"]
    answers = model.answer(reqs)
    assert len(answers) == len(reqs) and all(isinstance(a, str) for a in answers)
    right = [t for (t, _, gold), a in zip(qs, answers, strict=False) if normalize_answer(a) == normalize_answer(gold)]
    assert len(right) >= 6, list(zip(qs, answers, strict=False))
    assert answers[-2] == "unknown" and answers[-1] == "0"
    assert model.describe()["unparsed"] == before + 1
    assert any("intent of 1 of" in n for n in model.notes())
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


def test_a_card_whose_tables_cannot_be_rebuilt_does_not_stop_the_run(model: OcrTableModel, monkeypatch) -> None:
    """A bug in the table rebuilding on an odd card gives that card no tables (fallback answers),
    counted and named in the notes, instead of failing the whole evaluation."""
    from PIL import Image

    from mmx.eval.benches.mmcric.baseline import tables

    def broken(ct, image_index=0):
        raise ValueError("tuple.index(x): x not in tuple")

    monkeypatch.setattr(tables, "read_card", broken)
    img = Image.new("RGB", (320, 60), "white")
    (answer,) = model.answer([VqaRequest(id="odd-card", question="How many sixes were hit in the match?",
                                         images=[img])])
    assert answer == "0"
    assert model.describe()["card_errors"] >= 1
    assert any("could not be rebuilt" in n and "x not in tuple" in n for n in model.notes())
