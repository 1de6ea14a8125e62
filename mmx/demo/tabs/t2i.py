"""The Draw tab: a prompt in any language -> images from a text-to-image model, judged
when the prompt is one of the GenEval bench's generated shapes-world prompts.

The model is the tiny head shipped in ``mmx/assets/t2i`` (trained on English shapes-world
captions, ``configs/t2i_shapes_tiny.yaml``), or what the ``MMX_DEMO_T2I`` environment
variable names: an mmx run folder (``mmx fit`` with a ``t2i`` head) or a diffusers
pipeline folder. It is loaded once, when the tab is built (start-up), never per request.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from mmx.demo.inputs import check_text, clear_on_error
from mmx.errors import InputError, MmxError

if TYPE_CHECKING:
    from PIL import Image

    from mmx.demo.inputs import Server
    from mmx.demo.state import DemoModels

#: the tab's title and one line on what it does (the page header and `mmx demo --help` list them)
TITLE = "Draw"
SUMMARY = "a prompt in any language drawn by a text-to-image model, judged by GenEval when it is a shapes-world prompt"
#: environment variable naming the model of the tab (an mmx run folder or a diffusers pipeline)
MODEL_ENV = "MMX_DEMO_T2I"
MAX_PROMPT_CHARS = 400
MAX_IMAGES = 8
#: images are shown at least this many pixels wide (the tiny head draws 32 px)
SHOW_PX = 192

CSS = """
#t2i-prompt textarea { unicode-bidi: plaintext; }
#t2i-details textarea { font-family: ui-monospace, monospace; font-size: 0.85em; }
"""


@dataclass
class DrawView:
    """What the Draw tab shows: the images (scaled up for display) and the facts."""

    images: list[Image.Image]
    details: str


@dataclass
class T2IModel:
    """The tab's generator and where it came from."""

    adapter: Any
    source: str
    lock: Any = None


def load_t2i_model(spec: str | None = None) -> T2IModel:
    """The shipped tiny head, an mmx run folder, or a diffusers pipeline folder."""
    import threading

    from mmx.adapters import create_model

    if spec and os.path.isfile(os.path.join(spec, "model_index.json")):
        adapter = create_model(spec, "generate_images")
        return T2IModel(adapter, f"diffusers pipeline {spec}", threading.Lock())
    adapter = create_model("mmx-t2i", "generate_images", **({"model": spec} if spec else {}))
    return T2IModel(adapter, f"mmx t2i run {spec}" if spec else "tiny shapes-world head (mmx/assets/t2i)",
                    threading.Lock())


@cache
def generated_prompts() -> dict[str, tuple[dict[str, Any], str]]:
    """Every generated shapes-world prompt (each language and variant) -> (GenEval record, label)."""
    from mmx.worlds.prompts import (
        LANGUAGES,
        folder_name,
        render_prompt,
        specs,
        variants,
    )

    out: dict[str, tuple[dict[str, Any], str]] = {}
    for spec in specs("shapes"):
        for code in LANGUAGES:
            for variant in (None, *variants(code)):
                text = render_prompt(spec, code, variant)
                out.setdefault(text, ({**spec, "prompt": text}, folder_name(code, variant)))
    return out


def examples() -> list[tuple[str, str]]:
    """(label, prompt) pairs: one generated prompt in several languages and forms."""
    from mmx.worlds.prompts import render_prompt, specs

    spec = next(s for s in specs("shapes") if s["tag"] == "color_attr")
    two = next(s for s in specs("shapes") if s["tag"] == "position")
    return [("English", render_prompt(spec, "en")), ("French", render_prompt(spec, "fr")),
            ("Hindi", render_prompt(spec, "hi")), ("Chinese", render_prompt(spec, "zh")),
            ("Hindi, romanized", render_prompt(spec, "hi", "roman")), ("English, position", render_prompt(two, "en"))]


def draw_view(model: T2IModel | None, prompt: object, n_images: object = 4, seed: object = 0) -> DrawView:
    """Images for ``prompt`` and, for a generated prompt, the judge's verdict per image."""
    from PIL import Image

    from mmx.adapters.base import ImageRequest

    if model is None:
        raise InputError("no text-to-image model is loaded; train one with `mmx fit --config "
                         f"configs/t2i_shapes_tiny.yaml` and set {MODEL_ENV}=runs/t2i_shapes_tiny/version_N")
    text = check_text(prompt, "prompt", MAX_PROMPT_CHARS)
    n, s = _int(n_images, "images", 1, MAX_IMAGES), _int(seed, "seed", 0, 2**31 - 1)
    t0 = time.perf_counter()
    with model.lock:
        images = model.adapter.generate_images([ImageRequest("demo", text, seed=s, n=n)])[0]
    facts = [f"model: {model.source}", f"{n} image(s), seeds {s}..{s + n - 1}, {time.perf_counter() - t0:.2f} s"]
    found = generated_prompts().get(text)
    if found is None:
        facts.append("not a generated GenEval prompt: no verdict (pick an example to see the judge)")
    else:
        from mmx.worlds.geneval import judge
        from mmx.worlds.shapes import ShapesDetector

        record, label = found
        facts.append(f"GenEval prompt ({label}), task {record['tag']}: {_clauses(record)}")
        detector = ShapesDetector()
        for k, img in enumerate(images):
            correct, reason = judge(record, detector.detect([img])[0])
            facts.append(f"image {k}: {'correct' if correct else 'incorrect'}"
                         + ("" if correct else f" ({reason.replace(chr(10), '; ')})"))
    shown = [im if im.width >= SHOW_PX else im.resize((SHOW_PX, round(SHOW_PX * im.height / im.width)),
                                                      Image.NEAREST) for im in images]
    return DrawView(shown, "\n".join(facts))


def _clauses(record: dict[str, Any]) -> str:
    parts = []
    for r in record["include"]:
        what = " ".join(x for x in (str(r["count"]), r.get("color", ""), r["class"]) if x)
        if "position" in r:
            what += f" {r['position'][0]} the clause-{r['position'][1]} object"
        parts.append(what)
    return "; ".join(parts)


def _int(value: object, what: str, lo: int, hi: int) -> int:
    try:
        v = int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise InputError(f"{what} must be a whole number, not {value!r}") from None
    if not lo <= v <= hi:
        raise InputError(f"{what} must lie between {lo} and {hi}, got {v}")
    return v


# --------------------------------------------------------------------------- the tab


def build(models: DemoModels, server: Server) -> None:
    """The Draw tab (API ``/draw``), inside the Blocks being built."""
    import gradio as gr

    spec = os.environ.get(MODEL_ENV) or None
    model: T2IModel | None = None
    problem = ""
    try:
        model = load_t2i_model(spec)
    except (MmxError, ImportError) as exc:
        if spec:
            raise
        problem = f"the shipped text-to-image head cannot be loaded ({exc})"
        models.notes.append(problem)
    ex = examples()
    with gr.Tab(TITLE, id="draw"):
        gr.Markdown(("A text-to-image model draws the prompt. The default is mmx's tiny head trained on "
                     "**English** captions of GenEval's shapes world only (`configs/t2i_shapes_tiny.yaml`); try "
                     "the same prompt in other languages. A generated GenEval prompt is judged by the bench's "
                     "exact shapes detector (verdict and reason per image). Colours are snapped to the "
                     "shapes world's palette. Start `mmx demo --t2i PATH` (a run folder or a diffusers "
                     "pipeline folder) to draw with another model.") if model is not None else problem,
                    elem_id="t2i-help")
        with gr.Row():
            with gr.Column(scale=2):
                prompt = gr.Textbox(ex[0][1], label="Prompt (any language)", lines=2, elem_id="t2i-prompt")
                gr.Examples([[p] for _, p in ex], inputs=[prompt], example_labels=[n for n, _ in ex],
                            label="One GenEval prompt in several languages", examples_per_page=len(ex))
                n_images = gr.Slider(1, MAX_IMAGES, value=4, step=1, label="Images")
                seed = gr.Number(0, label="Seed", precision=0)
                btn = gr.Button("Draw", variant="primary", elem_id="t2i-button", interactive=model is not None)
            with gr.Column(scale=3):
                gallery = gr.Gallery(label="Images", columns=4, elem_id="t2i-gallery", format="png")
                details = gr.Textbox(label="Details", lines=7, interactive=False, elem_id="t2i-details")

    def draw(text: str, n: float, s: float, progress=gr.Progress()):  # noqa: B008
        progress(0, desc="drawing")
        view = server.run("Drawing", draw_view, model, text, n, s)
        return view.images, view.details

    clear_on_error(btn.click(draw, [prompt, n_images, seed], [gallery, details], api_name="draw"), [gallery, details])
