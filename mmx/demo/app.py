"""The Gradio Blocks of ``mmx demo``: Render, Read and Scorecard tabs around :mod:`mmx.demo.logic`.

Each tab's main function has an ``api_name`` (``render``, ``read``, ``scorecard``,
``answer``), so ``gradio_client.Client(url).predict(..., api_name="/render")``
calls exactly what the button does. Every request runs in a small worker pool
with a deadline; errors reach the page (and the API client) as one-line
messages, never as tracebacks; the queue is bounded; no input is a file path.
"""

from __future__ import annotations

import logging
import os
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # offline: no telemetry, no version check

import gradio as gr

from mmx.demo import logic
from mmx.errors import MmxError

if TYPE_CHECKING:
    from mmx.demo.models import DemoModels

log = logging.getLogger("mmx.demo")

#: waiting requests beyond those running; more are turned away with "queue is full"
DEFAULT_QUEUE_SIZE = 16
#: worker threads that run requests (timed-out work keeps its worker until it ends)
WORKERS = 4

_CSS = """
#render-image .image-frame, #read-image .image-frame { padding-top: 36px; }
#render-text textarea, #render-ocr textarea, #read-text textarea, #render-summary textarea { unicode-bidi: plaintext; }
#render-summary textarea, #read-details textarea { font-family: ui-monospace, monospace; font-size: 0.85em; }
"""


class _Server:
    """Runs view functions with a deadline and turns every failure into a ``gr.Error``."""

    def __init__(self, models: DemoModels, timeout: float) -> None:
        self.models = models
        self.timeout = timeout
        self.pool = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="mmx-demo")

    def run(self, what: str, fn: Any, *args: Any) -> Any:
        try:
            return logic.run_with_deadline(self.pool, fn, self.timeout, what, *args)
        except MmxError as exc:
            raise gr.Error(str(exc), print_exception=False) from None
        except Exception as exc:  # a bug or a failing model: a message on the page, the traceback in the log
            log.exception("mmx demo: %s failed", what)
            msg = str(exc).strip().splitlines()[0][:300] if str(exc).strip() else ""
            raise gr.Error(f"{what} failed unexpectedly: {type(exc).__name__}{': ' + msg if msg else ''} "
                           "(the server log has the details)", print_exception=False) from None


def _rows(figures: dict[str, Any]) -> list[list[str]]:
    def show(v: Any) -> str:
        if v is None:
            return "-"
        if isinstance(v, bool):
            return "yes" if v else "no"
        if isinstance(v, float):
            return f"{v:g}"
        return f"{v:,}" if isinstance(v, int) else str(v)

    return [[k, show(v)] for k, v in figures.items()]


def build_app(models: DemoModels, timeout: float = logic.DEFAULT_TIMEOUT_S,
              queue_size: int = DEFAULT_QUEUE_SIZE) -> gr.Blocks:
    """The demo's Blocks, queued (``queue_size`` waiting requests, one running per function)."""
    from mmx.render.profiles import get_profile, list_profiles

    server = _Server(models, timeout)
    examples = logic.examples()
    first_text = examples[0][1] if examples else "पिक्सेल के रूप में दिखाया गया पाठ"
    start = get_profile("seetok")

    with gr.Blocks(title="mmx demo", analytics_enabled=False, delete_cache=(3600, 3600)) as demo:
        gr.Markdown("## mmx demo: text as pixels\nRender text in any script, let a model read it, and ask "
                    "questions about generated cricket scorecards. Runs offline; nothing leaves this machine.")
        if models.notes:
            gr.Markdown("\n".join(f"- note: {n}" for n in models.notes))

        # ------------------------------------------------------------------ Render
        with gr.Tab("Render", id="render"), gr.Row():
            with gr.Column(scale=2):
                text = gr.Textbox(first_text, label="Text (any script)", lines=4, elem_id="render-text",
                                  info=f"up to {logic.MAX_TEXT_CHARS:,} characters")
                if examples:
                    gr.Examples([[t] for _, t in examples], inputs=[text], label="Examples (click to load)",
                                example_labels=[logic.LANGUAGE_NAMES.get(c, c) for c, _ in examples],
                                examples_per_page=len(examples))
                with gr.Row():
                    profile = gr.Dropdown(list_profiles(), value=start.name, label="Profile")
                    layout = gr.Radio(list(logic.LAYOUTS), value="profile", label="Layout",
                                      info="profile's own, one strip per line, or word-wrapped pages")
                with gr.Row():
                    font_size = gr.Slider(*logic.FONT_SIZE_RANGE, value=start.font_size, step=0.5,
                                          label="Font size (px)")
                    patch_size = gr.Dropdown(list(logic.PATCH_SIZES), value=start.patch_size,
                                             label="Patch size (px)")
                with gr.Row():
                    tokenizer = gr.Dropdown(list(models.tokenizers) or ["none"],
                                            value=next(iter(models.tokenizers), "none"), label="Subword tokenizer")
                    language = gr.Dropdown([("auto", "auto")]
                                           + [(f"{n} ({c})", c) for c, n in sorted(logic.LANGUAGE_NAMES.items())],
                                           value="auto", label="Language", info="for OCR and CJK faces; auto: "
                                           "from the script")
                with gr.Accordion("Noise (seeded)", open=False):
                    knobs = {}
                    with gr.Row():
                        for name, (high, info) in logic.NOISE_KNOBS.items():
                            step = 1.0 if name == "jpeg" else (0.1 if high >= 3 else 0.01)
                            knobs[name] = gr.Slider(0, high, value=0, step=step, label=name, info=info,
                                                    min_width=180)
                    seed = gr.Number(0, precision=0, label="Seed", minimum=0, maximum=logic.SEED_MAX)
                ocr = gr.Checkbox(True, label="OCR read-back (first lines; tesseract or RapidOCR)")
                render_btn = gr.Button("Render", variant="primary", elem_id="render-button")
            with gr.Column(scale=3):
                image = gr.Image(label="Rendering: patch grid in blue, missing glyphs in red", type="pil",
                                 format="png", interactive=False, elem_id="render-image",
                                 buttons=["download", "fullscreen"])
                summary = gr.Textbox(label="Figures", lines=4, max_lines=12, interactive=False,
                                     elem_id="render-summary")
                with gr.Row():
                    figures = gr.Dataframe(headers=["figure", "value"], interactive=False, elem_id="render-figures",
                                           max_height=900, scale=3)
                    ocr_text = gr.Textbox(label="OCR read-back", lines=4, interactive=False, elem_id="render-ocr",
                                          scale=2)

        def render(text: str, profile: str, font_size: float, patch_size: int, layout: str, tokenizer: str,
                   language: str, homoglyphs: float, swap: float, drop: float, insert: float, blur: float,
                   jpeg: float, rotate: float, seed: float, ocr: bool, progress=gr.Progress()):  # noqa: B008
            progress(0, desc="rendering" + (" and reading back with OCR" if ocr else ""))
            noise = {"homoglyphs": homoglyphs, "swap": swap, "drop": drop, "insert": insert, "blur": blur,
                     "jpeg": jpeg, "rotate": rotate}
            view = server.run("Rendering", logic.render_view, models, text, profile, font_size, patch_size, layout,
                              None if tokenizer == "none" else tokenizer, language, noise, seed, ocr)
            return view.image, view.summary, _rows(view.figures), view.ocr_text

        render_inputs = [text, profile, font_size, patch_size, layout, tokenizer, language,
                         *knobs.values(), seed, ocr]
        render_btn.click(render, render_inputs, [image, summary, figures, ocr_text], api_name="render")

        def profile_defaults(name: str):
            try:
                p = get_profile(name)
            except MmxError:
                return gr.update(), gr.update()
            return p.font_size, p.patch_size

        profile.input(profile_defaults, profile, [font_size, patch_size], queue=False, api_visibility="private",
                      show_progress="hidden")

        # ------------------------------------------------------------------ Read
        read_choices = models.read_choices()
        has_vlm = models.vlm is not None
        with gr.Tab("Read", id="read"):
            if not read_choices:
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
                    read_text = gr.Textbox(_reader_examples()[0][1] if models.reader is not None else "",
                                           label="Text to render and read", lines=2, elem_id="read-text")
                    if models.reader is not None:
                        ex = _reader_examples()
                        gr.Examples([[t] for _, t in ex], inputs=[read_text], example_labels=[n for n, _ in ex],
                                    label="Numbers in several scripts", examples_per_page=len(ex))
                    read_model = gr.Dropdown(read_choices or ["none"], value=(read_choices or ["none"])[0],
                                             label="Model")
                    question = gr.Textbox(logic.READ_QUESTION, label="Question (VLM only)", visible=has_vlm)
                    read_profile = gr.Dropdown(list_profiles(), value="page", visible=has_vlm,
                                               label="Render profile (VLM only; the tiny reader has its own)")
                    read_btn = gr.Button("Read", variant="primary", elem_id="read-button",
                                         interactive=bool(read_choices))
                with gr.Column(scale=3):
                    read_image = gr.Image(label="What the model sees", type="pil", format="png", interactive=False,
                                          elem_id="read-image")
                    read_answer = gr.Textbox(label="Answer", interactive=False, elem_id="read-answer")
                    read_details = gr.Textbox(label="Details", lines=5, interactive=False, elem_id="read-details")

        def read(text: str, model: str, question: str, profile: str, progress=gr.Progress()):  # noqa: B008
            progress(0, desc=f"{model} is reading")
            view = server.run("Reading", logic.read_view, models, text, None if model == "none" else model,
                              question, profile)
            return view.image, view.answer, view.details

        read_btn.click(read, [read_text, read_model, question, read_profile], [read_image, read_answer, read_details],
                       api_name="read")

        # ------------------------------------------------------------------ Scorecard
        from mmx.eval.benches.mmcric.draw import TEMPLATES
        from mmx.eval.benches.mmcric.match import FORMATS

        card_models = list(models.scorecard_models)
        first_card = logic.scorecard_view()
        with gr.Tab("Scorecard", id="scorecard"), gr.Row():
            with gr.Column(scale=2):
                with gr.Row():
                    card_lang = gr.Radio(list(logic.CARD_LANGUAGES), value="English", label="Scorecard language")
                    card_fmt = gr.Radio(list(FORMATS), value="T20", label="Format")
                with gr.Row():
                    card_template = gr.Dropdown(list(TEMPLATES), value="classic", label="Template")
                    card_seed = gr.Number(0, precision=0, label="Seed", minimum=0, maximum=logic.SEED_MAX)
                gen_btn = gr.Button("Generate scorecard", variant="primary", elem_id="card-button")
                card_summary = gr.Textbox(first_card.summary, label="Match", lines=3, interactive=False,
                                          elem_id="card-summary")
                card_question = gr.Dropdown(first_card.questions, value=first_card.questions[0],
                                            allow_custom_value=True, elem_id="card-question",
                                            label="Question (pick a generated one, or type your own)")
                card_model = gr.Dropdown(card_models or ["none"], value=(card_models or ["none"])[0],
                                         label="Model", info="ocr-table: OCR + table rebuilding, offline")
                ask_btn = gr.Button("Answer", variant="primary", elem_id="answer-button",
                                    interactive=bool(card_models))
                with gr.Row():
                    card_answer = gr.Textbox(label="Model's answer", interactive=False, elem_id="card-answer")
                    card_truth = gr.Textbox(label="Ground truth", interactive=False, elem_id="card-truth")
                card_verdict = gr.Textbox(label="Verdict", interactive=False, elem_id="card-verdict")
                card_table = gr.Dataframe(first_card.table, headers=["level", "question"], interactive=False,
                                          wrap=True, label="Generated questions", max_height=420,
                                          column_widths=["14%", "86%"])
            with gr.Column(scale=3):
                gallery = gr.Gallery(first_card.images, label="Scorecard image(s)", columns=1, height=900,
                                     format="png", object_fit="contain", elem_id="card-gallery", preview=True)

        def scorecard(language: str, fmt: str, seed: float, template: str):
            view = server.run("Generating the scorecard", logic.scorecard_view, language, fmt, seed, template)
            return (view.images, view.table, gr.Dropdown(choices=view.questions, value=view.questions[0]),
                    view.summary, "", "", "")

        card_inputs = [card_lang, card_fmt, card_seed, card_template]
        card_outputs = [gallery, card_table, card_question, card_summary, card_answer, card_truth, card_verdict]
        gen_btn.click(scorecard, card_inputs, card_outputs, api_name="scorecard")
        gr.on([card_lang.input, card_fmt.input, card_template.input, card_seed.submit], scorecard, card_inputs,
              card_outputs, api_visibility="private")

        def answer(language: str, fmt: str, seed: float, template: str, question: str, model: str,
                   progress=gr.Progress()):  # noqa: B008
            progress(0, desc=f"{model} is reading the scorecard")
            view = server.run("Answering", logic.answer_view, models, language, fmt, seed, template, question,
                              None if model == "none" else model)
            return view.answer, view.truth, view.verdict

        ask_btn.click(answer, [*card_inputs, card_question, card_model], [card_answer, card_truth, card_verdict],
                      api_name="answer")

    demo.queue(max_size=queue_size, default_concurrency_limit=1)
    return demo


def _reader_examples() -> list[tuple[str, str]]:
    """(label, number) pairs in the tiny reader's training scripts and two it never saw."""
    from mmx.text.digits import write_digits

    return [(label, write_digits(digits, script)) for label, digits, script in (
        ("Devanagari", "40721", "devanagari"), ("Arabic-Indic", "9386", "arabic_indic"),
        ("Latin", "572014", "latin"), ("Persian (unseen)", "4560", "persian"),
        ("Bengali (unseen)", "2718", "bengali"))]


def launch(demo: gr.Blocks, host: str = "127.0.0.1", port: int = 7860, share: bool = False,
           block: bool = True, quiet: bool = False) -> str:
    """Serve ``demo`` on ``host:port`` (no public link unless ``share``); returns the local URL.
    ``block=False`` returns once the server is up (tests)."""
    _, url, _ = demo.launch(
        server_name=host, server_port=port, share=share, prevent_thread_lock=not block, quiet=quiet,
        show_error=True, ssr_mode=False, mcp_server=False, max_file_size="1mb", css=_CSS,
        footer_links=["api"],
    )
    return url
