"""OCR of a whole scorecard image into positioned text boxes, for :mod:`mmx.eval.benches.mmcric.baseline.ocr_table`.

One pipeline for every card:

1. **Detection**: RapidOCR's PP-OCR detector finds the text boxes (one box per
   table cell, title, list line); it is script-agnostic and fast (~0.5 s for a
   1000 x 1200 card on one core).
2. **Script probe**: the widest boxes are read with RapidOCR's recogniser; its
   character set has Latin and CJK letters but no Devanagari, so a Hindi card
   comes back as low-confidence CJK/garbage.
3. **Recognition**:

   * Latin script: every box with RapidOCR (PP-OCRv6 small).
   * Devanagari (tesseract with ``hin`` installed): all boxes are pasted one per
     line into a single composite image read by one tesseract ``hin`` pass
     (no page-layout guessing, every word mapped back to its box). Western digits are then re-read with RapidOCR (tesseract's Hindi
     model reads "1" as "4", "]" or a danda); Devanagari digits get a second
     composite pass restricted to digits and ``./-()``.
   * Devanagari without tesseract ``hin``: RapidOCR only (numbers in Western
     digits are read, Devanagari words are not).

Measured on one core per card (generated cards, 800-1600 px tall, 140-270
boxes): English ~3.3 s (detection ~0.8 s, recognition ~2.5 s), Hindi with
Western digits ~3.9 s, with Devanagari digits ~4.2 s (of which tesseract
~1.5-2.5 s). Cheap wins kept: no angle classifier, no 320 px minimum crop width
(about half the recognition time), one onnxruntime thread per worker with
its memory arena on, ``OMP_THREAD_LIMIT=1`` for tesseract (its OpenMP threads
made a page read 10x slower on 2 busy cores) and one tesseract pass per card
instead of one per line. Both engines come from :mod:`mmx.ocr` (tesseract
in-process, its model loaded once per thread; RapidOCR engines made once).
"""

from __future__ import annotations

import bisect
import re
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from mmx.ocr import rapid, tesseract
from mmx.text.digits import DIGITS, digit_table

__all__ = ["Box", "CardReader", "CardText", "hindi_tesseract_available"]

_DEVA_DIGITS = DIGITS["devanagari"]
#: Devanagari digits to ASCII (for numbers); letters and other characters untouched
DIGIT_MAP = digit_table("devanagari")
_DEVA_LETTER = re.compile(r"[\u0900-\u0963\u0970-\u097f]")
_CJK = re.compile(r"[\u3000-\u9fff\uf900-\ufaff\uff00-\uffef\uac00-\ud7af]")
_HAS_DIGIT = re.compile(r"[0-9\u0966-\u096f]")


@dataclass
class Box:
    """One detected text box: its text (words split with x positions) and geometry (page px)."""

    x0: float
    y0: float
    x1: float
    y1: float
    text: str = ""
    #: a second reading for numbers (RapidOCR on Western digits in a Hindi card), or None
    num_text: str | None = None
    #: another reading of a number (Devanagari digits: the first pass with letters taken as "१")
    alt_text: str | None = None
    #: (token, x0, x1) in page px: tesseract word boxes, or a proportional split of the text
    tokens: list[tuple[str, float, float]] = field(default_factory=list)

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2

    @property
    def h(self) -> float:
        return self.y1 - self.y0


@dataclass
class CardText:
    boxes: list[Box]
    script: str  # "latin" or "devanagari"
    digits: str  # "western" or "devanagari"
    engine: str  # "rapidocr", "tesseract+rapidocr"
    seconds: float
    width: int
    height: int


def hindi_tesseract_available() -> bool:
    """tesseract (tesserocr) with the ``hin`` pack."""
    return "hin" in tesseract.languages()


# --------------------------------------------------------------------------- image helpers


def _ink_normalise(g: np.ndarray) -> np.ndarray:
    """A grey crop as dark ink on white, contrast stretched (dark templates inverted)."""
    # the background is what most of the crop is (text covers far less than half),
    # also where the crop reaches past a coloured header band into the page
    bg = float(np.median(g))
    if bg < 128:
        g = 255 - g
        bg = 255.0 - bg
    lo = float(np.percentile(g, 1))
    if bg - lo < 24:  # no ink
        return np.full_like(g, 255)
    out = np.clip((g.astype(np.float32) - lo) * (255.0 / (bg - lo)), 0, 255).astype(np.uint8)
    # grid lines and cell borders caught in the crop (compact template): a column
    # or row that is ink over most of the crop is a rule, not a glyph stroke
    ink = out < 170
    h, w = out.shape
    if h >= 6:
        cols = ink.mean(axis=0) > 0.85
        out[:, cols] = 255
    if w >= 6:
        rows = ink.mean(axis=1) > 0.85
        out[rows, :] = 255
    return out


def _crop(arr: np.ndarray, b: Box, pad: int = 2) -> np.ndarray:
    h, w = arr.shape[:2]
    y0, y1 = max(0, int(b.y0) - pad), min(h, int(np.ceil(b.y1)) + pad)
    x0, x1 = max(0, int(b.x0) - pad), min(w, int(np.ceil(b.x1)) + pad)
    return arr[y0:y1, x0:x1]


def _split_tokens(b: Box, text: str) -> list[tuple[str, float, float]]:
    """Words of ``text`` with x ranges interpolated over the box by character offset."""
    text = text.strip()
    if not text:
        return []
    n = len(text)
    out = []
    for m in re.finditer(r"\S+", text):
        x0 = b.x0 + (b.x1 - b.x0) * m.start() / n
        x1 = b.x0 + (b.x1 - b.x0) * m.end() / n
        out.append((m.group(), x0, x1))
    return out


# --------------------------------------------------------------------------- tesseract


def _tesseract_words(img: np.ndarray, lang: str, psm: int = 6, config: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """Words of a grey image with their boxes, through one tesseract pass; ``config`` holds
    ``name=value`` variables (e.g. a character whitelist)."""
    variables = dict(c.split("=", 1) for c in config)
    return [
        {"text": w.text, "left": w.left, "top": w.top, "width": w.width, "height": w.height}
        for w in tesseract.read_words(img, lang, psm, variables)
    ]


def _composite(crops: list[np.ndarray], scale: float, gap: int = 14, margin: int = 20
               ) -> tuple[np.ndarray, list[tuple[int, int, int, float]]]:
    """Crops pasted one per line: the image and per crop (top, bottom, left, scale)."""
    from PIL import Image

    ims = []
    for g in crops:
        im = Image.fromarray(_ink_normalise(g))
        if scale != 1:
            im = im.resize((max(1, round(im.width * scale)), max(1, round(im.height * scale))), Image.Resampling.BICUBIC)
        ims.append(im)
    width = max((i.width for i in ims), default=1) + 2 * margin
    height = sum(i.height + gap for i in ims) + 2 * margin
    canvas = Image.new("L", (width, height), 255)
    y = margin
    spans = []
    for im in ims:
        canvas.paste(im, (margin, y))
        spans.append((y, y + im.height, margin, scale))
        y += im.height + gap
    return np.asarray(canvas), spans


def _read_composite(boxes: list[Box], gray: np.ndarray, idx: list[int], lang: str, scale: float,
                    config: tuple[str, ...] = ()) -> dict[int, list[tuple[str, float, float]]]:
    """Read boxes ``idx`` through one composite tesseract call: box index -> [(word, x0, x1)] in page px."""
    if not idx:
        return {}
    pad = 2
    crops = [_crop(gray, boxes[i], pad) for i in idx]
    img, spans = _composite(crops, scale)
    words = _tesseract_words(img, lang, 6, config)
    starts = [s[0] for s in spans]
    out: dict[int, list[tuple[str, float, float]]] = {i: [] for i in idx}
    for w in words:
        cy = w["top"] + w["height"] / 2
        k = bisect.bisect_right(starts, cy) - 1
        if k < 0 or cy > spans[k][1] + 7:
            continue
        _, _, left, sc = spans[k]
        b = boxes[idx[k]]
        x0 = max(b.x0 - pad, 0) + (w["left"] - left) / sc
        x1 = x0 + w["width"] / sc
        out[idx[k]].append((w["text"], x0, x1))
    for k in out:
        out[k].sort(key=lambda t: t[1])
    return out


# --------------------------------------------------------------------------- reader


class CardReader:
    """Reads scorecard images into :class:`CardText`; one instance is shared by worker threads."""

    def __init__(self, use_tesseract: bool | None = None) -> None:
        self.tesseract = hindi_tesseract_available() if use_tesseract is None else use_tesseract

    def _detect(self, rgb: np.ndarray) -> list[Box]:
        with rapid.engine("page") as eng:
            res = eng(rgb, use_det=True, use_cls=False, use_rec=False)
        boxes = []
        if res is None or getattr(res, "boxes", None) is None:
            return boxes
        for q in res.boxes:
            q = np.asarray(q, dtype=np.float32)
            x0, y0 = q.min(axis=0)
            x1, y1 = q.max(axis=0)
            if x1 - x0 >= 3 and y1 - y0 >= 5:
                boxes.append(Box(float(x0), float(y0), float(x1), float(y1)))
        boxes.sort(key=lambda b: (b.cy, b.x0))
        return boxes

    def _rec(self, gray: np.ndarray, boxes: list[Box]) -> list[tuple[str, float]]:
        if not boxes:
            return []
        crops = []
        for b in boxes:
            g = _ink_normalise(_crop(gray, b))
            crops.append(np.repeat(g[:, :, None], 3, axis=2))
        with rapid.engine("page") as eng:
            res = eng.recognize_txt(crops)
        return [(str(t or ""), float(s or 0.0)) for t, s in zip(res.txts, res.scores, strict=True)]

    def read_cells(self, image: Any, rects: list[tuple[float, float, float, float]], digits: str) -> list[str]:
        """Re-read table cells the detector missed (a page rectangle each), as digits."""
        if not rects:
            return []
        gray = np.asarray(image.convert("L"))
        boxes = [_rect_box(r) for r in rects]
        if digits == "devanagari" and self.tesseract:
            got = _read_composite(boxes, gray, list(range(len(boxes))), "hin", 2.0,
                                  ("tessedit_char_whitelist=" + _DEVA_DIGITS + "./-",))
            return [" ".join(w for w, _, _ in got.get(i, [])) for i in range(len(boxes))]
        return [t if s >= 0.5 else "" for t, s in self._rec(gray, boxes)]

    def read(self, image: Any) -> CardText:
        t0 = time.perf_counter()
        rgb = np.asarray(image.convert("RGB"))
        gray = np.asarray(image.convert("L"))
        boxes = self._detect(rgb)
        # script probe: words at the left edge (player names, row labels), which
        # hold letters only; a list line or a score would be mostly digits
        width = rgb.shape[1]
        left = [i for i, b in enumerate(boxes) if b.x0 < 0.2 * width and 30 < b.x1 - b.x0 < 0.35 * width]
        if len(left) < 4:
            left = sorted(range(len(boxes)), key=lambda i: boxes[i].x1 - boxes[i].x0, reverse=True)
        probe = left[:: max(1, len(left) // 12)][:12]
        probe_res = self._rec(gray, [boxes[i] for i in probe])
        bad = sum(1 for t, s in probe_res if not _latin_word(t, s))
        devanagari = bool(probe_res) and bad >= 0.4 * len(probe_res)
        if not devanagari or not self.tesseract:
            rest = [i for i in range(len(boxes)) if i not in set(probe)]
            done = dict(zip(probe, probe_res, strict=True))
            done.update(zip(rest, self._rec(gray, [boxes[i] for i in rest]), strict=True))
            for i, b in enumerate(boxes):
                text = done[i][0]
                if devanagari and (_CJK.search(text) or done[i][1] < 0.5):
                    # a Devanagari word read with a Latin/CJK model: keep only what looks like a number
                    text = " ".join(t for t in text.split() if _HAS_DIGIT.search(t) and not _CJK.search(t))
                b.text = " ".join(text.split())
                b.tokens = _split_tokens(b, b.text)
            return CardText(boxes, "devanagari" if devanagari else "latin", "western", "rapidocr",
                            time.perf_counter() - t0, rgb.shape[1], rgb.shape[0])
        # Devanagari: one composite tesseract pass over every box
        words = _read_composite(boxes, gray, list(range(len(boxes))), "hin", 1.5)
        for i, b in enumerate(boxes):
            b.tokens = words.get(i, [])
            b.text = " ".join(t for t, _, _ in b.tokens)
        allt = "".join(b.text for b in boxes)
        n_deva = sum(allt.count(d) for d in _DEVA_DIGITS)
        n_west = sum(ch.isascii() and ch.isdigit() for ch in allt)
        digits = "devanagari" if n_deva > n_west else "western"
        numeric = [i for i, b in enumerate(boxes) if _numeric_candidate(b)]
        if digits == "western":
            # tesseract's Hindi model misreads Western "1"; RapidOCR reads Western digits well
            for i, (t, s) in zip(numeric, self._rec(gray, [boxes[i] for i in numeric]), strict=True):
                if s >= 0.5 and _HAS_DIGIT.search(t):
                    boxes[i].num_text = " ".join(t.split())
        else:
            short = [i for i in numeric if boxes[i].x1 - boxes[i].x0 < 160
                     and len(_DEVA_LETTER.findall(boxes[i].text)) <= 3]
            dig = _read_composite(boxes, gray, short, "hin", 2.0,
                                  ("tessedit_char_whitelist=" + _DEVA_DIGITS + "./-()",))
            for i in short:
                t = " ".join(w for w, _, _ in dig.get(i, []))
                if _HAS_DIGIT.search(t):
                    boxes[i].num_text = t
                # tesseract's Hindi model reads a lone "१" as a letter cluster ("श्", "क्", "हि"):
                # the first pass with each such cluster taken as "१" is the cell's second reading
                first = boxes[i].text.replace(" ", "")
                if first and len(first) <= 10:
                    alt = _letters_as_one(first)
                    if alt and alt != boxes[i].num_text:
                        boxes[i].alt_text = alt
                        if boxes[i].num_text is None:
                            boxes[i].num_text = alt
        return CardText(boxes, "devanagari", digits, "tesseract+rapidocr", time.perf_counter() - t0,
                        rgb.shape[1], rgb.shape[0])


def _letters_as_one(text: str) -> str:
    """A first-pass reading of a Devanagari number with its letter clusters taken as "१"."""
    if not _HAS_DIGIT.search(text):
        return "१"
    text = re.sub(r"[^\u0966-\u096f0-9.]+$", "", text)  # trailing noise
    return re.sub(r"[^\u0966-\u096f0-9.]+", "१", text)


def _latin_word(text: str, score: float) -> bool:
    """A confident RapidOCR reading made mostly of Latin letters (not a misread Devanagari word)."""
    chars = [c for c in text if not c.isspace()]
    if score < 0.85 or not chars or _CJK.search(text):
        return False
    return sum(c.isascii() and c.isalpha() for c in chars) >= 0.6 * len(chars)


def _rect_box(rect: tuple[float, float, float, float]) -> Box:
    return Box(*rect)


def _numeric_candidate(b: Box) -> bool:
    """A box that holds (or may hold) a number: digits in it, or a short cell tesseract garbled."""
    t = b.text.strip()
    if _HAS_DIGIT.search(t):
        return True
    letters = len(_DEVA_LETTER.findall(t))
    return b.x1 - b.x0 < 70 and letters <= 3
