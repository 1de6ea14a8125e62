"""OCR read-back of rendered text lines, to measure how legible a rendering is.

:func:`read_back` runs an OCR engine on one rendered line (dark text on a light
background, often tiny: 7 px text in a 14 px strip) and :func:`cer` scores the
result against the text that was rendered. Two engines are supported:

* ``rapidocr`` (PP-OCRv6 small, shipped inside the ``rapidocr`` wheel, run with
  ``onnxruntime``; :mod:`mmx.ocr.rapid`): Chinese, Japanese and Latin-script
  languages only; its character set has no Cyrillic, Korean, Arabic, Indic, ... letters.
* ``tesseract`` (in-process through ``tesserocr``, :mod:`mmx.ocr.tesseract`):
  every language whose ``traineddata`` pack is installed.

:func:`engine_for` picks the engine per language from a measurement (see
:mod:`mmx.ocr.languages`). Importing this module is cheap: numpy, Pillow, the
engines and rapidfuzz load inside the functions that need them.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING, Any

from mmx.errors import InputError
from mmx.ocr import rapid, tesseract
from mmx.ocr.languages import (
    TESS_WITH_ENG,
    ignores_spaces,
    preferred_engine,
    rapidocr_covers,
    split_code,
    tesseract_pack,
)
from mmx.text.distance import cer  # the one CER definition, re-exported for read-back callers

if TYPE_CHECKING:
    import numpy as np

__all__ = ["ENGINES", "available_engines", "cer", "engine_for", "ignores_spaces", "read_back"]

ENGINES = ("rapidocr", "tesseract")

#: Height (px) the ink of a line is scaled to before recognition. PP-OCR
#: recognisers take 48 px high crops (the ink plus the 20 % margin of
#: ``_prepare`` is ~50 px); tesseract read 7 px text best with ink scaled to
#: ~30 px (28-34 px beat 48 and 60 px in a sweep on English, Hindi, Russian).
_RAPIDOCR_INK_HEIGHT = 36
_TESSERACT_INK_HEIGHT = 32
#: Widest chunk handed to an engine at once, in px after scaling. Splitting
#: costs accuracy (pieces lose context at the cut: English 12/16 CER 0.037 at
#: 480 px chunks vs 0.009 at 2400), so chunks are wide; the cap bounds memory
#: and time for strips of thousands of px (8000 px lines read fine at 4000).
_RAPIDOCR_MAX_WIDTH = 4000
_TESSERACT_MAX_WIDTH = 12000

# --------------------------------------------------------------------------- engines


def available_engines() -> dict[str, bool]:
    """Which OCR engines can run here: ``{"rapidocr": bool, "tesseract": bool}``.

    Never raises: a missing package or language data reads as ``False``.
    """
    return {"rapidocr": rapid.installed(), "tesseract": bool(tesseract.languages())}


def _langs(language: str) -> str:
    """The tesseract packs to load for ``language`` (``tha+eng`` where that measured better)."""
    pack = tesseract_pack(language)
    if pack in TESS_WITH_ENG and "eng" in tesseract.languages():
        return f"{pack}+eng"
    return pack


def _engine_covers(engine: str, language: str) -> bool:
    if engine == "rapidocr":
        return rapid.installed() and rapidocr_covers(language)
    if engine == "tesseract":
        return tesseract_pack(language) in tesseract.languages()
    raise InputError(f"unknown OCR engine {engine!r}; choose from {', '.join(ENGINES)}")


def engine_for(language: str) -> str | None:
    """The OCR engine to read ``language`` (e.g. ``"hin_Deva"``) with, or None.

    The choice is measured (:func:`mmx.ocr.languages.preferred_engine`); when the
    preferred engine is not installed or cannot read the language, the other
    one is used if it can. None means no installed engine covers the language.
    """
    preferred = preferred_engine(language)
    order = [preferred] if preferred else []
    order += [e for e in ("tesseract", "rapidocr") if e not in order]
    for engine in order:
        if _engine_covers(engine, language):
            return engine
    return None


def _require(engine: str, language: str) -> None:
    """Raise unless ``engine`` can read ``language`` here.

    MissingDependencyError (saying how to install) for a missing engine or
    tesseract pack; InputError for an unknown engine or a script the bundled
    rapidocr model has no letters for.
    """
    if engine not in ENGINES:
        raise InputError(f"unknown OCR engine {engine!r}; choose from {', '.join(ENGINES)}")
    if engine == "rapidocr":
        rapid.require()
        if not rapidocr_covers(language):
            # not a missing install: the bundled model has no letters of this script
            raise InputError(
                f"the bundled rapidocr model cannot read {language!r} (it knows Chinese, "
                f"Japanese and Latin script); use engine='tesseract' instead"
            )
        return
    tesseract.require(tesseract_pack(language))


# --------------------------------------------------------------------------- images


def _to_gray(image: Any) -> np.ndarray:
    """A PIL image or uint8 array -> 2-D uint8 array, dark text on light ground."""
    import numpy as np
    from PIL import Image

    if isinstance(image, Image.Image):
        if image.mode in ("RGBA", "LA", "PA") or (
            image.mode == "P" and "transparency" in image.info
        ):
            # transparent parts are "paper": composite onto white
            rgba = image.convert("RGBA")
            ground = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
            image = Image.alpha_composite(ground, rgba)
        arr = np.asarray(image.convert("L"))
    elif isinstance(image, np.ndarray):
        if image.dtype != np.uint8:
            raise InputError(f"image array must be uint8, got dtype {image.dtype}")
        if image.ndim == 3 and image.shape[2] == 1:
            image = image[:, :, 0]
        if image.ndim == 3 and image.shape[2] in (3, 4):
            rgb = image[:, :, :3].astype(np.float32)
            gray = rgb @ np.array([0.299, 0.587, 0.114], dtype=np.float32)  # ITU-R 601, as PIL "L"
            if image.shape[2] == 4:
                alpha = image[:, :, 3].astype(np.float32) / 255.0
                gray = gray * alpha + 255.0 * (1.0 - alpha)
            arr = np.clip(np.rint(gray), 0, 255).astype(np.uint8)
        elif image.ndim == 2:
            arr = image
        else:
            raise InputError(
                f"image array must be (H, W) or (H, W, 3), got shape {tuple(image.shape)}"
            )
    else:
        raise InputError(
            f"image must be a PIL.Image or a numpy uint8 array, got {type(image).__name__}"
        )
    if arr.ndim != 2 or arr.shape[0] < 2 or arr.shape[1] < 2:
        raise InputError(f"image is too small to hold a line of text: {tuple(arr.shape)}")
    arr = np.ascontiguousarray(arr)
    # Light text on a dark ground (judged by the border rows, which are margin
    # in a rendered strip) is inverted so both engines see their usual polarity.
    border = np.concatenate([arr[0], arr[-1]])
    if np.median(border) < 128:
        arr = 255 - arr
    return _blank_solid_blocks(arr)


def _blank_solid_blocks(arr: np.ndarray) -> np.ndarray:
    """Whiten columns that are (almost) all ink, e.g. PIXEL's black end-of-sequence patch.

    Glyph strokes never cover the whole strip height (there is always some
    vertical margin), so a run of fully dark columns is a marker, not text, and
    would otherwise be read as a stray character.
    """
    import numpy as np

    dark = (arr < 96).mean(axis=0) >= 0.95
    if not dark.any():
        return arr
    min_run = max(2, arr.shape[0] // 2)  # a thin rule is left alone, a square patch is not
    out = arr.copy()
    idx = np.flatnonzero(np.diff(np.concatenate([[0], dark.astype(np.int8), [0]])))
    for start, stop in zip(idx[::2], idx[1::2], strict=True):
        if stop - start >= min_run:
            out[:, start:stop] = 255
    return out


def _ink_bounds(arr: np.ndarray) -> tuple[int, int, int, int] | None:
    """Rows/columns holding ink ``(top, bottom, left, right)`` (exclusive ends), or None."""
    import numpy as np

    # antialiased edges of tiny glyphs are light grey; count anything clearly
    # darker than the paper
    ink = arr < 200
    rows = np.flatnonzero(ink.any(axis=1))
    if rows.size == 0:
        return None
    cols = np.flatnonzero(ink.any(axis=0))
    return int(rows[0]), int(rows[-1]) + 1, int(cols[0]), int(cols[-1]) + 1


def _scale(arr: np.ndarray, factor: float) -> np.ndarray:
    import numpy as np
    from PIL import Image

    h, w = arr.shape
    size = (max(1, round(w * factor)), max(1, round(h * factor)))
    # bicubic: in a sweep over Lanczos/bicubic/bilinear it gave tesseract the
    # lowest CER on 7 px text and rapidocr the same as the others
    return np.asarray(Image.fromarray(arr).resize(size, Image.Resampling.BICUBIC))


def _chunks(arr: np.ndarray, max_width: int, height: int) -> list[tuple[int, int, bool]]:
    """Split a (scaled) line into pieces no wider than ``max_width``.

    Cuts go into the widest blank gap inside the last 40 % of each window
    (a word space when there is one, else an inter-letter gap, else the column
    with least ink), so no glyph is cut and no overlap needs stitching. Returns
    ``(start, stop, space_before)`` where ``space_before`` says whether the cut
    that opens the chunk was a word-sized gap.
    """
    import numpy as np

    w = arr.shape[1]
    if w <= max_width:
        return [(0, w, False)]
    ink = (255 - arr.astype(np.int32)).sum(axis=0)
    blank = ink <= 255 // 4 * max(1, arr.shape[0] // 16)
    word_gap = max(2, round(0.25 * height))
    out: list[tuple[int, int, bool]] = []
    start, space = 0, False
    while w - start > max_width:
        lo, hi = start + int(max_width * 0.6), start + max_width
        best: tuple[int, int] | None = None  # (gap width, centre)
        run_start = None
        for x in range(lo, hi + 1):
            if x < hi and blank[x]:
                if run_start is None:
                    run_start = x
                continue
            if run_start is not None:
                # a gap that starts before ``lo`` is measured from its true start
                s = run_start
                while s > start and blank[s - 1]:
                    s -= 1
                if best is None or x - s > best[0]:
                    best = (x - s, (s + x) // 2)
                run_start = None
        if best is None:
            cut, gap = lo + int(np.argmin(ink[lo:hi])), 0
        else:
            gap, cut = best
        cut = max(cut, start + 1)
        out.append((start, cut, space))
        start, space = cut, gap >= word_gap
    out.append((start, w, space))
    return out


def _prepare(arr: np.ndarray, ink_height: int) -> tuple[np.ndarray, int] | None:
    """Crop to the ink, pad, and scale so the ink is ``ink_height`` px high."""
    import numpy as np

    bounds = _ink_bounds(arr)
    if bounds is None:
        return None
    top, bottom, left, right = bounds
    crop = arr[top:bottom, left:right]
    ih = bottom - top
    factor = ink_height / ih
    # a small white margin round the ink: both engines were trained on crops
    # with some paper around the text
    pad = max(1, round(ih * 0.2))
    crop = np.pad(crop, ((pad, pad), (pad, pad)), constant_values=255)
    return _scale(crop, factor), round((ih + 2 * pad) * factor)


# --------------------------------------------------------------------------- recognition


_CJK_GAP = re.compile(
    r"(?<=[\u3000-\u30ff\u3400-\u9fff\uf900-\ufaff\uff00-\uffef])\s+"
    r"(?=[\u3000-\u30ff\u3400-\u9fff\uf900-\ufaff\uff00-\uffef])"
)


def _postprocess(text: str, language: str) -> str:
    text = unicodedata.normalize("NFC", text)
    text = " ".join(text.split())
    _, script = split_code(language)
    if script in {"Hani", "Hans", "Hant", "Jpan"}:
        # tesseract puts a space between every ideograph; Chinese and Japanese
        # text has none
        text = _CJK_GAP.sub("", text)
    return text


def _read_rapidocr(arr: np.ndarray) -> str:
    import numpy as np

    prepared = _prepare(arr, _RAPIDOCR_INK_HEIGHT)
    if prepared is None:
        return ""
    img, height = prepared
    parts: list[str] = []
    with rapid.engine("line") as engine:
        for start, stop, space in _chunks(img, _RAPIDOCR_MAX_WIDTH, height):
            piece = np.ascontiguousarray(img[:, start:stop])
            piece = np.repeat(piece[:, :, None], 3, axis=2)  # the model takes 3 channels
            result = engine(piece, use_det=False, use_cls=False, use_rec=True)
            text = "".join(getattr(result, "txts", None) or ())
            if parts and space:
                parts.append(" ")
            parts.append(text)
    return "".join(parts)


def _read_tesseract(arr: np.ndarray, language: str) -> str:
    import numpy as np

    prepared = _prepare(arr, _TESSERACT_INK_HEIGHT)
    if prepared is None:
        return ""
    img, height = prepared
    langs = _langs(language)
    parts: list[str] = []
    for start, stop, space in _chunks(img, _TESSERACT_MAX_WIDTH, height):
        piece = np.pad(img[:, start:stop], ((8, 8), (16, 16)), constant_values=255)
        # psm 7: the image is a single text line (no layout analysis to get wrong)
        text = tesseract.read_text(piece, langs, psm=tesseract.PSM_SINGLE_LINE)
        if parts and space:
            parts.append(" ")
        parts.append(text.strip())
    return "".join(parts)


def read_back(image: Any, language: str, engine: str | None = None) -> str | None:
    """Read one rendered line of text back with OCR.

    ``image`` is a PIL image or a uint8 array ``(H, W)`` / ``(H, W, 3)`` holding a
    single line of dark text on a light ground, at any size (tiny strips are
    cropped and upscaled, very wide ones are split at blank gaps). ``language``
    is a corpus code such as ``"hin_Deva"``; ``engine`` forces ``"rapidocr"`` or
    ``"tesseract"`` (default: :func:`engine_for`). Returns the recognised text,
    NFC-normalised with whitespace runs folded, or None when no installed engine
    covers ``language``. Raises :class:`~mmx.errors.MissingDependencyError`
    when a named engine (or its language pack) is missing and
    :class:`~mmx.errors.InputError` for an unusable image.
    """
    arr = _to_gray(image)
    if engine is None:
        engine = engine_for(language)
        if engine is None:
            return None
    _require(engine, language)
    text = _read_rapidocr(arr) if engine == "rapidocr" else _read_tesseract(arr, language)
    return _postprocess(text, language)


# --------------------------------------------------------------------------- scoring
