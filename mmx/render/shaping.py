"""HarfBuzz shaping of whole runs into positioned glyph slots.

Every run is shaped whole (never character by character) with its script,
direction and language. ``shape_raw`` shapes one run (the direct strip path
shapes each run of a line, spaces included). ``shape_words`` serves the layout
path, which caches shaped words: contextual shaping (joining, conjuncts, mark
stacking) stops at spaces in every script we cover, as browsers' word shapers
assume. Words that miss the cache are shaped together, one HarfBuzz call per
(face, script, direction), each word between spaces, so a word always sees the
same context and gives the same pixels whatever else was shaped with it.
"""

from __future__ import annotations

import sys

import numpy as np

from mmx.render import _hb
from mmx.render.fonts import FontFace
from mmx.render.itemize import hb_script, is_extend
from mmx.render.raster import ATLAS, SUBPIXEL, GlyphAtlas


class RunGlyphs:
    """A shaped run at one pixel size: glyph slots and integer positions.

    Unit geometry is computed on first use (line breaks inside a word and the
    character-to-patch map need it; drawing does not). A *unit* is the smallest
    piece a line break may split off: a grapheme cluster, merged with its
    neighbours where HarfBuzz formed one glyph cluster (ligatures). Units are in
    logical order; ``ux0``/``ux1`` are their visual extents in px from the run's
    left edge (right to left for RTL runs).
    """

    __slots__ = ("_units", "adv", "advance", "clusters", "graphemes", "gx", "gy", "pen", "rtl", "slots")

    def __init__(self, advance: float, slots: np.ndarray, gx: np.ndarray, gy: np.ndarray, rtl: bool,
                 clusters: np.ndarray, pen: np.ndarray, adv: np.ndarray, graphemes: tuple[int, ...]) -> None:
        self.advance = advance
        self.slots = slots  # int64 atlas slots (sub-pixel phase included)
        self.gx = gx  # int32 px from the run's left edge
        self.gy = gy  # int32 px, y down, from HarfBuzz's y offsets
        self.rtl = rtl
        self.clusters = clusters  # relative char offset of each glyph's cluster
        self.pen = pen  # float px pen position of each glyph from the left edge
        self.adv = adv  # float px advance of each glyph
        self.graphemes = graphemes
        self._units: tuple | None = None

    def _unit_geometry(self) -> tuple:
        if self._units is None:
            hb_starts = set(self.clusters.tolist())
            ustart = tuple(g for g in self.graphemes if g in hb_starts) or (0,)
            gunit = (np.searchsorted(np.asarray(ustart), self.clusters, side="right") - 1).astype(np.int32)
            ux0 = np.full(len(ustart), np.inf)
            ux1 = np.full(len(ustart), -np.inf)
            if gunit.size:
                np.minimum.at(ux0, gunit, self.pen)
                np.maximum.at(ux1, gunit, self.pen + self.adv)
            empty = ~np.isfinite(ux0)
            ux0[empty] = 0.0
            ux1[empty] = 0.0
            self._units = (ustart, gunit, ux0, ux1)
        return self._units

    @property
    def ustart(self) -> tuple[int, ...]:
        return self._unit_geometry()[0]

    @property
    def gunit(self) -> np.ndarray:
        return self._unit_geometry()[1]

    @property
    def ux0(self) -> np.ndarray:
        return self._unit_geometry()[2]

    @property
    def ux1(self) -> np.ndarray:
        return self._unit_geometry()[3]

    @property
    def n_units(self) -> int:
        return len(self._unit_geometry()[0])


_hb_fonts: dict[tuple[str, int], object] = {}
_SER_FORMAT = None
_SER_FLAGS = None
_BOT_EOT = None


def _init_serialize() -> None:
    global _SER_FORMAT, _SER_FLAGS
    import uharfbuzz as hb

    global _BOT_EOT
    _SER_FORMAT = hb.BufferSerializeFormat.TEXT
    _SER_FLAGS = hb.BufferSerializeFlags.NO_GLYPH_NAMES
    _BOT_EOT = hb.BufferFlags.BOT | hb.BufferFlags.EOT


def _hb_font(face: FontFace):
    key = (face.path, face.index)
    font = _hb_fonts.get(key)
    if font is None:
        font = face.hb_font()
        _hb_fonts[key] = font
    return font


_c_fonts: dict[tuple, object] = {}


def c_font(face: FontFace):
    """The HarfBuzz font (C API, :mod:`mmx.render._hb`) of a face, made once."""
    key = (face.draw_path, face.draw_index, face.draw_coords)
    font = _c_fonts.get(key)
    if font is None:
        font = _hb.Font(face.draw_path, face.draw_index, face.variations)
        _c_fonts[key] = font
    return font


def codepoints(text: str) -> np.ndarray:
    """``text`` as uint32 code points; a lone surrogate stays the code point it is.

    (HarfBuzz then draws it as .notdef, as with uharfbuzz's add_codepoints.)
    """
    return np.frombuffer(text.encode(_UTF32, "surrogatepass"), np.uint32)


_UTF32 = "utf-32-le" if sys.byteorder == "little" else "utf-32-be"


def shape_raw(face: FontFace, text: str, script: str, rtl: bool, language: str | None) -> tuple[np.ndarray, ...]:
    """HarfBuzz output for ``text`` in font units: (gids, clusters, x_adv, x_off, y_off).

    Through HarfBuzz's C API where uharfbuzz exports it (``mmx.render._hb``),
    else through uharfbuzz's text serialization: the same HarfBuzz, the same numbers.
    """
    if _hb.available():
        raw = text.encode(_UTF32, "surrogatepass")
        return _hb.shape(c_font(face), raw, len(raw) // 4, hb_script(script), rtl, language)
    return _shape_serialized(face, text, script, rtl, language)


def _shape_serialized(face: FontFace, text: str, script: str, rtl: bool, language: str | None) -> tuple[np.ndarray, ...]:
    import uharfbuzz as hb

    if _SER_FORMAT is None:
        _init_serialize()
    buf = hb.Buffer()
    # Code points, not UTF-8: clusters then index Python string positions.
    buf.add_codepoints([ord(c) for c in text])
    # Runs are shaped whole, with no outside context: say so, so that a mark
    # with no base gets HarfBuzz's dotted circle instead of vanishing.
    buf.flags = _BOT_EOT
    buf.guess_segment_properties()
    tag = hb_script(script)
    if tag:
        buf.script = tag
    buf.direction = "rtl" if rtl else "ltr"
    if language:
        buf.language = language
    font = _hb_font(face)
    hb.shape(font, buf, {})
    text_out = buf.serialize(font, format=_SER_FORMAT, flags=_SER_FLAGS)
    from mmx.render._kernels import parse_serialized

    gids, clusters, adv, xoff, yoff = parse_serialized(np.frombuffer(text_out.encode("ascii"), np.uint8))
    return gids, clusters, adv, xoff, yoff


def shape_words(
    face: FontFace,
    size_px: float,
    texts: list[str],
    graphemes: list[tuple[int, ...]],
    script: str,
    rtl: bool,
    language: str | None,
    atlas: GlyphAtlas = ATLAS,
) -> list[RunGlyphs]:
    """Shape several whitespace-free runs in one HarfBuzz call, each between spaces.

    All per-glyph arithmetic is vectorized over the batch; each run then gets
    views of the batch arrays.
    """
    # A run that starts with a combining character (a mark, joiner, selector or
    # emoji modifier) would attach to the separating space: shape it alone.
    # Large batches are split: HarfBuzz refuses buffers of ~500k characters.
    solo = [k for k, t in enumerate(texts) if _starts_with_extend(t)]
    if solo or sum(len(t) for t in texts) > _BATCH_CHARS:
        out: list[RunGlyphs | None] = [None] * len(texts)
        for k in solo:
            out[k] = _shape_alone(face, size_px, texts[k], graphemes[k], script, rtl, language, atlas)
        rest = [k for k in range(len(texts)) if k not in set(solo)]
        i = 0
        while i < len(rest):
            j, chars = i, 0
            while j < len(rest) and (j == i or chars + len(texts[rest[j]]) <= _BATCH_CHARS):
                chars += len(texts[rest[j]])
                j += 1
            part = rest[i:j]
            shaped = _shape_batch(face, size_px, [texts[k] for k in part], [graphemes[k] for k in part], script, rtl, language, atlas)
            for k, g in zip(part, shaped):
                out[k] = g
            i = j
        return out  # type: ignore[return-value]
    return _shape_batch(face, size_px, texts, graphemes, script, rtl, language, atlas)


_BATCH_CHARS = 16_000


def _starts_with_extend(text: str) -> bool:
    return is_extend(text[0])


def _shape_alone(face, size_px, text, graphemes, script, rtl, language, atlas) -> RunGlyphs:
    """One run shaped with no context (HarfBuzz then draws a dotted circle for a bare mark)."""
    from mmx.render._kernels import position_run

    gids, clusters, adv, xoff, yoff = shape_raw(face, text, script, rtl, language)
    size26 = round(size_px * 64)
    scale = size26 / 64.0 / face.upem
    phase, gx, gy, pen, adv_px, width = position_run(adv, xoff, yoff, scale, SUBPIXEL, 0.0)
    slots = atlas.lookup(face.draw_path, face.draw_index, size26, gids * SUBPIXEL + phase, face.draw_coords, face.glyph_count) if gids.size else gids
    return RunGlyphs(float(width), slots, gx.astype(np.int32), gy.astype(np.int32), rtl, clusters, pen, adv_px, graphemes)


def _shape_batch(face, size_px, texts, graphemes, script, rtl, language, atlas) -> list[RunGlyphs]:
    from mmx.render._kernels import shape_post

    joined = " " + " ".join(texts) + " "
    k_runs = len(texts)
    lens = np.fromiter((len(t) for t in texts), np.int64, k_runs)
    offsets = np.cumsum(lens + 1) - lens  # each run starts after one space
    gids, clusters, adv, xoff, yoff = shape_raw(face, joined, script, rtl, language)
    size26 = int(round(size_px * 64))
    scale = size26 / 64.0 / face.upem
    _run, keys, gx, gy, rel, pen, adv_px, first, last, width = shape_post(gids, clusters, adv, xoff, yoff, offsets, lens, scale, SUBPIXEL)
    slots = atlas.lookup(face.draw_path, face.draw_index, size26, keys, face.draw_coords, face.glyph_count) if keys.size else keys
    out: list[RunGlyphs] = []
    for k, (a, b, w) in enumerate(zip(first.tolist(), last.tolist(), width.tolist())):
        if a < 0:
            a = b = 0
        out.append(RunGlyphs(w, slots[a:b], gx[a:b], gy[a:b], rtl, rel[a:b], pen[a:b], adv_px[a:b], graphemes[k]))
    return out


def space_advance(face: FontFace, size_px: float) -> float:
    """Advance of U+0020 in a face at a size, in px."""
    gids, _, adv, _, _ = shape_raw(face, " ", "Zyyy", False, None)
    return float(adv.sum()) * size_px / face.upem if gids.size else 0.25 * size_px


