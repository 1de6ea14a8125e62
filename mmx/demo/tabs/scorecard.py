"""The Scorecard tab: generate a cricket scorecard, ask a question, compare the answer with the ground truth."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from mmx.demo.inputs import (
    MAX_QUESTION_CHARS,
    SEED_MAX,
    check_choice,
    check_seed,
    check_text,
    clear_on_error,
)
from mmx.errors import InputError

if TYPE_CHECKING:
    from PIL import Image

    from mmx.demo.inputs import Server
    from mmx.demo.state import DemoModels
    from mmx.eval.benches.mmcric.match import Match
    from mmx.eval.benches.mmcric.questions import Question

#: the tab's title and one line on what it does (the page header and `mmx demo --help` list them)
TITLE = "Scorecard"
SUMMARY = "generate a cricket scorecard, ask a question, compare the model's answer with the ground truth"
#: Scorecard tab choices: label -> (draw_scorecard lang, digits), as the generated set's subsets E, H, HD
CARD_LANGUAGES: dict[str, tuple[str, str]] = {
    "English": ("en", "western"),
    "Hindi": ("hi", "western"),
    "Hindi, Devanagari digits": ("hi", "devanagari"),
}
#: questions generated per difficulty level (C1 lookup, C2 arithmetic, C3 multi-step)
QUESTIONS_PER_LEVEL = 3


@dataclass
class DemoCard:
    """A generated match, its questions and its scorecard image(s)."""

    match: Match
    questions: list[Question]
    images: list[Image.Image]
    title: str


def _card_args(language: str, fmt: str, seed: object, template: str) -> tuple[str, str, int, str]:
    from mmx.eval.benches.mmcric.draw import TEMPLATES
    from mmx.eval.benches.mmcric.match import FORMATS

    return (check_choice(language, "scorecard language", CARD_LANGUAGES), check_choice(fmt, "format", FORMATS),
            check_seed(seed), check_choice(template, "template", TEMPLATES))


@lru_cache(maxsize=8)  # a card is 1-4 RGB images of ~4 MB
def make_card(language: str, fmt: str, seed: int, template: str) -> DemoCard:
    """The match of (format, seed) drawn in ``language``; the same arguments give the same
    card, byte for byte (string-seeded ``random.Random``, as ``mmx data mmcric``)."""
    from mmx.eval.benches.mmcric.draw import draw_match
    from mmx.eval.benches.mmcric.match import simulate_match
    from mmx.eval.benches.mmcric.questions import make_questions

    lang, digits = CARD_LANGUAGES[language]
    rng = random.Random(f"mmx-demo-{fmt}-{seed}")
    m = simulate_match(rng, fmt)
    questions = make_questions(m, rng, per_level=QUESTIONS_PER_LEVEL)
    images = draw_match(m, template, lang=lang, digits=digits)
    title = f"{m.format}: {m.team_name(0)} v {m.team_name(1)} ({language}, {template}, seed {seed})"
    return DemoCard(m, questions, images, title)


@dataclass
class ScorecardView:
    images: list[Image.Image]
    #: rows of (level, question) for the table
    table: list[list[str]]
    questions: list[str]
    summary: str


def scorecard_view(language: str = "English", fmt: str = "T20", seed: object = 0,
                   template: str = "classic") -> ScorecardView:
    """Generate a scorecard and its questions (answers stay hidden until asked)."""
    card = make_card(*_card_args(language, fmt, seed, template))
    table = [[q.category, q.question] for q in card.questions]
    sizes = ", ".join(f"{im.width}x{im.height}" for im in card.images)
    summary = (f"{card.title}\n{len(card.images)} image(s) ({sizes}); {len(card.questions)} generated questions "
               "(C1 lookup, C2 arithmetic, C3 multi-step). Pick one or type your own.")
    return ScorecardView(list(card.images), table, [q.question for q in card.questions], summary)


@dataclass
class AnswerView:
    answer: str
    truth: str
    verdict: str


def answer_view(models: DemoModels, language: str = "English", fmt: str = "T20", seed: object = 0,
                template: str = "classic", question: object = None, model: str | None = None) -> AnswerView:
    """Answer ``question`` about the scorecard of (language, format, seed, template) with
    ``model``; a generated question shows its ground truth and the bench's scores beside it."""
    from mmx.adapters.base import VqaRequest
    from mmx.eval.benches.mmcric.prompt import format_prompt

    card = make_card(*_card_args(language, fmt, seed, template))
    q = check_text(question, "question", MAX_QUESTION_CHARS).strip()
    choices = list(models.scorecard_models)
    if not choices:
        raise InputError("no scorecard model is loaded: " + "; ".join(models.notes or ["see the start-up log"]))
    model = model or choices[0]
    check_choice(model, "model", choices)
    known = {x.question: x for x in card.questions}
    gold = known.get(q)
    t0 = time.perf_counter()
    with models.lock(model):
        answer = models.scorecard_models[model].answer(
            [VqaRequest(id="demo-card", question=q, images=list(card.images), category=gold.category if gold else "",
                        prompt=format_prompt(q))]
        )[0]
    took = time.perf_counter() - t0
    if gold is None:
        return AnswerView(answer, "(typed question: no ground truth)", f"{model} answered in {took:.1f} s")
    from mmx.eval.metrics import score_answer

    s = score_answer(answer, gold.answer)
    verdict = "correct" if s["exact"] else ("close (within 5%)" if s["relaxed"] else "wrong")
    return AnswerView(answer, gold.answer,
                      f"{verdict}: exact match {s['exact']:.0f}, relaxed {s['relaxed']:.0f}, ANLS {s['anls']:.2f} "
                      f"({gold.category}, {gold.qtype}); {model} answered in {took:.1f} s")


# --------------------------------------------------------------------------- the tab


def build(models: DemoModels, server: Server) -> None:
    """The Scorecard tab (APIs ``/scorecard`` and ``/answer``), inside the Blocks being built."""
    import gradio as gr

    from mmx.eval.benches.mmcric.draw import TEMPLATES
    from mmx.eval.benches.mmcric.match import FORMATS

    card_models = list(models.scorecard_models)
    first = scorecard_view()
    with gr.Tab(TITLE, id="scorecard"), gr.Row():
        with gr.Column(scale=2):
            with gr.Row():
                language = gr.Radio(list(CARD_LANGUAGES), value="English", label="Scorecard language")
                fmt = gr.Radio(list(FORMATS), value="T20", label="Format")
            with gr.Row():
                template = gr.Dropdown(list(TEMPLATES), value="classic", label="Template")
                seed = gr.Number(0, precision=0, label="Seed", minimum=0, maximum=SEED_MAX)
            gen_btn = gr.Button("Generate scorecard", variant="primary", elem_id="card-button")
            summary = gr.Textbox(first.summary, label="Match", lines=3, interactive=False, elem_id="card-summary")
            question = gr.Dropdown(first.questions, value=first.questions[0], allow_custom_value=True,
                                   elem_id="card-question", label="Question (pick a generated one, or type your own)")
            model = gr.Dropdown(card_models or ["none"], value=(card_models or ["none"])[0], label="Model",
                                info="ocr-table: OCR + table rebuilding, offline")
            ask_btn = gr.Button("Answer", variant="primary", elem_id="answer-button", interactive=bool(card_models))
            with gr.Row():
                answer_box = gr.Textbox(label="Model's answer", interactive=False, elem_id="card-answer")
                truth = gr.Textbox(label="Ground truth", interactive=False, elem_id="card-truth")
            verdict = gr.Textbox(label="Verdict", interactive=False, elem_id="card-verdict")
            table = gr.Dataframe(first.table, headers=["level", "question"], interactive=False, wrap=True,
                                 label="Generated questions", max_height=420, column_widths=["14%", "86%"])
        with gr.Column(scale=3):
            gallery = gr.Gallery(first.images, label="Scorecard image(s)", columns=1, height=900, format="png",
                                 object_fit="contain", elem_id="card-gallery", preview=True)

    def scorecard(language: str, fmt: str, seed: float, template: str):
        view = server.run("Generating the scorecard", scorecard_view, language, fmt, seed, template)
        return (view.images, view.table, gr.Dropdown(choices=view.questions, value=view.questions[0]),
                view.summary, "", "", "")

    card_inputs = [language, fmt, seed, template]
    card_outputs = [gallery, table, question, summary, answer_box, truth, verdict]
    # on failure the card, its questions table and any answer go; the question box keeps what was typed
    shown = [gallery, table, summary, answer_box, truth, verdict]
    clear_on_error(gen_btn.click(scorecard, card_inputs, card_outputs, api_name="scorecard"), shown)
    clear_on_error(gr.on([language.input, fmt.input, template.input, seed.submit], scorecard, card_inputs,
                         card_outputs, api_visibility="private"), shown)

    def answer(language: str, fmt: str, seed: float, template: str, question: str, model: str,
               progress=gr.Progress()):  # noqa: B008
        progress(0, desc=f"{model} is reading the scorecard")
        view = server.run("Answering", answer_view, models, language, fmt, seed, template, question,
                          None if model == "none" else model)
        return view.answer, view.truth, view.verdict

    clear_on_error(ask_btn.click(answer, [*card_inputs, question, model], [answer_box, truth, verdict],
                                 api_name="answer"), [answer_box, truth, verdict])
