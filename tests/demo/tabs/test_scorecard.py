"""The Scorecard tab: deterministic cards, answers against the ground truth, ``/scorecard`` and ``/answer``."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from mmx.demo.tabs import scorecard
from mmx.errors import InputError

from ..conftest import FakeAdapter


def test_scorecards_are_deterministic():
    a = scorecard.scorecard_view("Hindi", "T20", 5, "dark")
    scorecard.make_card.cache_clear()
    b = scorecard.scorecard_view("Hindi", "T20", 5, "dark")
    assert a.questions == b.questions and len(a.questions) >= 6
    assert np.array_equal(np.asarray(a.images[0]), np.asarray(b.images[0]))
    assert [row[0] for row in a.table] == sorted(row[0] for row in a.table)  # C1, then C2, then C3
    card = scorecard.make_card("English", "Test", 1, "classic")
    assert len(card.images) == len(card.match.innings)  # one image per innings, as the generated set


@pytest.mark.parametrize("args, match", [
    (("Klingon", "T20", 0, "classic"), "unknown scorecard language"),
    (("English", "T10", 0, "classic"), "unknown format 'T10'"),
    (("English", "T20", -1, "classic"), "seed must be from 0"),
    (("English", "T20", 1.5, "classic"), "seed must be a whole number"),
    (("English", "T20", 0, "neon"), "unknown template 'neon'"),
])
def test_bad_scorecard_input(args, match):
    with pytest.raises(InputError, match=match):
        scorecard.scorecard_view(*args)


def test_question_limit(models):
    models.scorecard_models["fake"] = FakeAdapter()
    with pytest.raises(InputError, match="question is 501 characters long; the limit is 500"):
        scorecard.answer_view(models, question="q" * 501, model="fake")


def test_no_scorecard_model_says_why(models):
    models.notes.append("ocr-table is unavailable: no OCR engine")
    with pytest.raises(InputError, match="no scorecard model is loaded: ocr-table is unavailable"):
        scorecard.answer_view(models, question="Who won?")


def test_answer_shows_the_ground_truth(models):
    card = scorecard.make_card("English", "ODI", 2, "compact")
    q = card.questions[0]
    right = FakeAdapter({q.question: q.answer})
    models.scorecard_models["right"] = right
    view = scorecard.answer_view(models, "English", "ODI", 2, "compact", q.question, "right")
    assert (view.answer, view.truth) == (q.answer, q.answer)
    assert view.verdict.startswith("correct: exact match 1")
    (req,) = right.requests
    assert req.images == card.images and req.category == q.category

    models.scorecard_models["wrong"] = FakeAdapter(default="no idea")
    view = scorecard.answer_view(models, "English", "ODI", 2, "compact", q.question, "wrong")
    assert view.verdict.startswith("wrong") and view.truth == q.answer

    typed = scorecard.answer_view(models, "English", "ODI", 2, "compact", "Who kept wicket?", "wrong")
    assert typed.truth.startswith("(typed question")


# --------------------------------------------------------------------------- /scorecard and /answer


def test_scorecard_and_answer(client, demo_server):
    images, table, question, summary, *_ = client.predict("English", "T20", 4, "classic", api_name="/scorecard")
    card = scorecard.make_card("English", "T20", 4, "classic")
    assert len(images) == 1 and summary.startswith("T20: ")
    assert [row[1] for row in table["data"]] == [q.question for q in card.questions]
    assert question["value"] == card.questions[0].question  # a dropdown update: value and choices
    assert [c[0] for c in question["choices"]] == [q.question for q in card.questions]
    with Image.open(images[0]["image"]) as im:
        assert im.size == card.images[0].size

    test_images = client.predict("Hindi, Devanagari digits", "Test", 4, "dark", api_name="/scorecard")[0]
    assert len(test_images) == len(scorecard.make_card("Hindi, Devanagari digits", "Test", 4, "dark").match.innings)

    if "ocr-table" not in demo_server.models.scorecard_models:
        pytest.skip("ocr-table is unavailable: " + "; ".join(demo_server.models.notes))
    q = card.questions[0]
    answer, truth, verdict = client.predict("English", "T20", 4, "classic", q.question, "ocr-table",
                                            api_name="/answer")
    assert truth == q.answer
    assert answer.strip() and "ocr-table answered in" in verdict
    assert verdict.split(":")[0] in ("correct", "wrong", "close (within 5%)")


def test_answer_input_limits(client):
    from gradio_client.exceptions import AppError

    with pytest.raises(AppError, match="question is 501 characters long"):
        client.predict("English", "T20", 0, "classic", "q" * 501, "ocr-table", api_name="/answer")
    with pytest.raises(AppError, match=r"'T10'.* not in the list of choices"):
        client.predict("English", "T10", 0, "classic", api_name="/scorecard")
