"""The Read tab: a model reads rendered text (the tiny reader offline, or the ``--model`` VLM)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from mmx.demo.inputs import MAX_QUESTION_CHARS, check_choice, check_text, clear_on_error
from mmx.errors import InputError

if TYPE_CHECKING:
    from PIL import Image

    from mmx.demo.inputs import Server
    from mmx.demo.state import DemoModels

#: the tab's title and one line on what it does (the page header and `mmx demo --help` list them)
TITLE = "Read"
SUMMARY = "a model reads the rendered text (the tiny reader offline, or a VLM given with --model)"
#: the Read tab's default question for a VLM
READ_QUESTION = "What does the text in the image say? Answer with the text only."

CSS = """
#read-image .image-frame { padding-top: 36px; }
#read-text textarea { unicode-bidi: plaintext; }
#read-details textarea { font-family: ui-monospace, monospace; font-size: 0.85em; }
"""


@dataclass
class ReadView:
    """What the Read tab shows."""

    image: Image.Image
    answer: str
    details: str


def expected_number(text: str) -> str | None:
    """The ASCII digits of ``text`` if it is a number in one script's decimal digits, else None."""
    from mmx.text.digits import to_ascii_digits

    s = text.strip()
    # isdecimal() holds exactly for the Unicode decimal digits (category Nd) that
    # to_ascii_digits reads
    return to_ascii_digits(s) if s.isdecimal() else None


def read_view(models: DemoModels, text: object, model: str | None = None, question: object = None,
              profile: str = "page") -> ReadView:
    """A model reads the rendered ``text``: the tiny reader transcribes a number, a VLM
    (``mmx demo --model``) answers ``question`` about the rendered image."""
    from mmx.demo.images import rendering_picture

    text = check_text(text)
    choices = models.read_choices()
    if not choices:
        raise InputError(models.reader_help())
    model = model or choices[0]
    check_choice(model, "model", choices)
    t0 = time.perf_counter()
    if model == models.READER:
        digits = expected_number(text)
        with models.lock(model):
            _, results = models.reader.encoder.render([text])
            answer = models.reader.read([text])[0]
        result = results[0]
        picture, note = rendering_picture(result, grid=False)
        facts = [f"model: tiny reader ({models.reader_source})", f"answer: {answer or '(nothing)'}"]
        if digits is not None:
            verdict = "correct" if answer == digits else "wrong"
            facts.append(f"expected: {digits} ({verdict})")
            if not 3 <= len(digits) <= 6:
                facts.append("note: the reader was trained on 3-6 digit numbers")
        else:
            facts.append("note: the tiny reader only reads numbers (Latin, Devanagari or Arabic-Indic digits); "
                         "other text gives a meaningless answer")
    else:
        from mmx.adapters.base import VqaRequest
        from mmx.render.engine import render_text
        from mmx.render.profiles import list_profiles

        q = check_text(question or READ_QUESTION, "question", MAX_QUESTION_CHARS)
        result = render_text(text, check_choice(profile, "profile", list_profiles()))
        picture, note = rendering_picture(result, grid=False)
        adapter = models.vlm
        with models.lock(model):
            answer = adapter.answer([VqaRequest(id="demo-read", question=q, images=result.images)])[0]
        facts = [f"model: {model}", f"question: {q}", f"answer: {answer}",
                 f"image(s): {len(result.arrays)} ({result.profile.name} profile, {result.visual_tokens} visual tokens)"]
        if result.text == text and answer.strip() == text.strip():
            facts.append("the answer equals the text exactly")
    if result.truncated:
        facts.append(f"truncated: the image holds only the first {result.truncated_at} characters")
    if note:
        facts.append(note)
    facts.append(f"took {time.perf_counter() - t0:.2f} s")
    return ReadView(picture, answer, "\n".join(facts))


def reader_examples() -> list[tuple[str, str]]:
    """(label, number) pairs in the tiny reader's training scripts and two it never saw."""
    from mmx.text.digits import write_digits

    return [(label, write_digits(digits, script)) for label, digits, script in (
        ("Devanagari", "40721", "devanagari"), ("Arabic-Indic", "9386", "arabic_indic"),
        ("Latin", "572014", "latin"), ("Persian (unseen)", "4560", "persian"),
        ("Bengali (unseen)", "2718", "bengali"))]


# --------------------------------------------------------------------------- the tab


def build(models: DemoModels, server: Server) -> None:
    """The Read tab (API ``/read``), inside the Blocks being built."""
    import gradio as gr

    from mmx.render.profiles import list_profiles

    choices = models.read_choices()
    has_vlm = models.vlm is not None
    with gr.Tab(TITLE, id="read"):
        if not choices:
            gr.Markdown(models.reader_help(), elem_id="read-help")
        else:
            gr.Markdown("A model reads the rendered text. **tiny-reader** (mmx's own 3 MB model from "
                        "`configs/tiny_reader.yaml`) reads 3-6 digit numbers written in Latin, Devanagari "
                        "or Arabic-Indic digits and writes them in ASCII digits; Persian and Bengali digits "
                        "were never seen in training."
                        + (f" **{models.vlm_name}** answers the question about the rendered image." if has_vlm
                           else ""))
        with gr.Row():
            with gr.Column(scale=2):
                ex = reader_examples() if models.reader is not None else []
                text = gr.Textbox(ex[0][1] if ex else "", label="Text to render and read", lines=2,
                                  elem_id="read-text")
                if ex:
                    gr.Examples([[t] for _, t in ex], inputs=[text], example_labels=[n for n, _ in ex],
                                label="Numbers in several scripts", examples_per_page=len(ex))
                model = gr.Dropdown(choices or ["none"], value=(choices or ["none"])[0], label="Model")
                question = gr.Textbox(READ_QUESTION, label="Question (VLM only)", visible=has_vlm)
                profile = gr.Dropdown(list_profiles(), value="page", visible=has_vlm,
                                      label="Render profile (VLM only; the tiny reader has its own)")
                read_btn = gr.Button("Read", variant="primary", elem_id="read-button", interactive=bool(choices))
            with gr.Column(scale=3):
                image = gr.Image(label="What the model sees", type="pil", format="png", interactive=False,
                                 elem_id="read-image")
                answer = gr.Textbox(label="Answer", interactive=False, elem_id="read-answer")
                details = gr.Textbox(label="Details", lines=5, interactive=False, elem_id="read-details")

    def read(text: str, model: str, question: str, profile: str, progress=gr.Progress()):  # noqa: B008
        progress(0, desc=f"{model} is reading")
        view = server.run("Reading", read_view, models, text, None if model == "none" else model, question,
                          profile)
        return view.image, view.answer, view.details

    clear_on_error(read_btn.click(read, [text, model, question, profile], [image, answer, details], api_name="read"),
                   [image, answer, details])
