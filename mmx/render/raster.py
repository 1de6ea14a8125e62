"""Glyph rasterization with FreeType into a packed, per-process glyph atlas.

Pillow re-rasterizes every glyph on every call, which is what makes a plain
Pillow + raqm line renderer slow. Here each (face, glyph, size, sub-pixel
phase) is rasterized once and its non-zero pixels are appended to flat arrays
(y, x, value); a glyph is then just a *slot* (start, length) in them, found
through a dense table per face and size, and drawing a whole image is one
compiled call (``_kernels.gather_max``) instead of a Python loop over glyphs.

Colour bitmap fonts (CBDT, e.g. Noto Color Emoji) have fixed-size PNG strikes
that FreeType builds without libpng cannot load: their PNGs are read with
fontTools, scaled to the size drawn, and kept beside the atlas as premultiplied
RGBA (``colour``); the atlas itself gets their darkness over white, so grey
profiles draw emoji in grey and RGB profiles paint the colour over it.
"""

from __future__ import annotations

import ctypes
import os

import numpy as np

#: horizontal sub-pixel positions per pixel: glyphs keep 1/4 px placement
#: accuracy, which matters at SeeTok's 7 px font where one pixel is ~15% of an em.
SUBPIXEL = 4


class GlyphAtlas:
    """Sparse glyph bitmaps packed into growable flat arrays, one atlas per process."""

    def __init__(self) -> None:
        self._pid = os.getpid()
        self._faces: dict[tuple[str, int], object] = {}
        self._addrs: dict[tuple[str, int], int] = {}  # FT_Face addresses of _faces, for compiled code
        self._sizes: dict[tuple[str, int], int] = {}
        self._tables: dict[tuple, np.ndarray] = {}
        cap = 1 << 16
        self.ys = np.zeros(cap, np.int32)
        self.xs = np.zeros(cap, np.int32)
        self.vals = np.zeros(cap, np.uint8)
        self.used = 0
        self.start = np.zeros(1024, np.int64)
        self.length = np.zeros(1024, np.int64)
        self.n_slots = 0
        #: per slot: is it a colour glyph (its RGBA is in ``colour``)?
        self.is_colour = np.zeros(1024, np.bool_)
        #: slot -> (top row, left column, premultiplied RGBA (h, w, 4)) of colour glyphs, relative to the pen
        self.colour: dict[int, tuple[int, int, np.ndarray]] = {}
        self._strikes: dict[str, object] = {}

    def lookup(self, path: str, index: int, size_26_6: int, keys: np.ndarray, coords: tuple[float, ...], n_glyphs: int) -> np.ndarray:
        """Slots of ``keys`` (gid * SUBPIXEL + phase) through a dense table per face and size.

        One vectorized take per run instead of a dictionary lookup per glyph;
        glyphs not rasterized yet are rasterized here.
        """
        tkey = (path, index, size_26_6, coords)
        table = self._tables.get(tkey)
        if table is None:
            table = np.full(max(n_glyphs, 1) * SUBPIXEL, -1, np.int64)
            self._tables[tkey] = table
        slots = table[keys]
        if (slots < 0).any():
            self._add_many(path, index, size_26_6, np.unique(keys[slots < 0]), coords, table)
            slots = table[keys]
        return slots

    def _add_many(self, path: str, index: int, size_26_6: int, keys: np.ndarray, coords: tuple[float, ...],
                  table: np.ndarray) -> None:
        """Rasterize atlas keys (gid * SUBPIXEL + phase) of one face and size into the atlas and ``table``.

        Outline glyphs go through one compiled call into FreeType
        (``_kernels.raster_glyphs``): the same C calls as :meth:`_rasterize`,
        without the ~10 µs of ctypes and array glue per glyph, which cost as
        much as FreeType itself. Colour bitmap glyphs take :meth:`_add`.
        """
        if self._strike(path, index) is not None:
            for k in keys.tolist():
                table[k] = self._add(path, index, size_26_6, k // SUBPIXEL, k % SUBPIXEL, coords)
            return
        if _IDENTITY is None:
            _init_freetype_constants()
        face = self._face(path, index, size_26_6, coords)
        addr = self._addrs.get((path, index))
        if addr is None:
            addr = self._addrs[(path, index)] = ctypes.cast(face._FT_Face, ctypes.c_void_p).value
        keys = np.ascontiguousarray(keys, np.int64)
        while keys.size:
            done, self.used, self.n_slots, err = _raster_glyphs(
                _FT_CONSTS, addr, keys, SUBPIXEL, _LOAD_FLAGS, self.ys, self.xs, self.vals, self.used, self.start,
                self.length, self.n_slots, table)
            if err:
                from freetype import FT_Exception

                raise FT_Exception(err)
            keys = keys[done:]
            if keys.size:  # the atlas arrays are full: grow them and go on
                self._grow(self.vals.size * 2, self.start.size * 2 if self.n_slots == self.start.size else self.start.size)

    def _grow(self, pixels: int, slots: int) -> None:
        """Grow the pixel arrays to ``pixels`` entries and the slot arrays to ``slots``."""
        for names, size, keep in ((("ys", "xs", "vals"), pixels, self.used),
                                  (("start", "length", "is_colour"), slots, self.n_slots)):
            if size > getattr(self, names[0]).size:
                for name in names:
                    old = getattr(self, name)
                    new = np.zeros(size, old.dtype)
                    new[:keep] = old[:keep]
                    setattr(self, name, new)

    def ink_rows(self, path: str, index: int, size_26_6: int, glyphs: list[tuple[int, float]], coords: tuple[float, ...]) -> tuple[int, int]:
        """(top, bottom) rows of the ink of ``glyphs`` ((gid, y offset in px), y up) drawn at a size, y down from the baseline.

        Rasterized as drawn (light hinting) but not kept in the atlas: it
        measures how large a face can be drawn in a strip.
        """
        top, bottom = 1 << 30, -(1 << 30)
        for gid, yoff in glyphs:
            ys = self._rasterize(path, index, gid, size_26_6, 0, coords)[0]
            if ys.size:
                gy = -int(np.floor(yoff + 0.5))  # as _kernels.position_run places it
                top, bottom = min(top, int(ys.min()) + gy), max(bottom, int(ys.max()) + 1 + gy)
        return (top, bottom) if bottom > top else (0, 0)

    def table(self, path: str, index: int, size_26_6: int, coords: tuple[float, ...], n_glyphs: int) -> np.ndarray:
        """The dense slot table (key gid * SUBPIXEL + phase -> slot, -1: not rasterized) of a face and size."""
        tkey = (path, index, size_26_6, coords)
        table = self._tables.get(tkey)
        if table is None:
            table = np.full(max(n_glyphs, 1) * SUBPIXEL, -1, np.int64)
            self._tables[tkey] = table
        return table

    def _add(self, path: str, index: int, size_26_6: int, gid: int, phase: int, coords: tuple[float, ...]) -> int:
        ys, xs, vals, colour = self._rasterize(path, index, gid, size_26_6, phase, coords)
        n = vals.size
        if self.used + n > self.vals.size:
            self._grow(max(self.vals.size * 2, self.used + n), self.start.size)
        self.ys[self.used : self.used + n] = ys
        self.xs[self.used : self.used + n] = xs
        self.vals[self.used : self.used + n] = vals
        if self.n_slots == self.start.size:
            self._grow(self.vals.size, self.start.size * 2)
        slot = self.n_slots
        if colour is not None:
            self.is_colour[slot] = True
            self.colour[slot] = colour
        self.start[slot] = self.used
        self.length[slot] = n
        self.used += n
        self.n_slots += 1
        return slot

    def _face(self, path: str, index: int, size_26_6: int, coords: tuple[float, ...]):
        import freetype

        if os.getpid() != self._pid:  # forked: FreeType handles are not shared across processes
            self._faces.clear()
            self._addrs.clear()
            self._sizes.clear()
            self._pid = os.getpid()
        key = (path, index)
        face = self._faces.get(key)
        if face is None:
            face = freetype.Face(path, index)
            if coords:
                face.set_var_design_coords(coords)
            self._faces[key] = face
        if self._sizes.get(key) != size_26_6:
            face.set_char_size(size_26_6)
            self._sizes[key] = size_26_6
        return face

    def _rasterize(self, path: str, index: int, gid: int, size_26_6: int, phase: int, coords: tuple[float, ...]) -> tuple:
        """(ys, xs, values, colour or None) of one glyph; y down from the baseline, x from the pen."""
        strike = self._strike(path, index)
        if strike is not None:
            return _colour_glyph(strike, gid, size_26_6 / 64.0, phase)

        if _IDENTITY is None:
            _init_freetype_constants()
        raw = _FT
        face = self._face(path, index, size_26_6, coords)
        ft_face = face._FT_Face
        # FreeType's C calls straight through freetype-py's ctypes layer: its
        # Python wrappers (a Vector, a Matrix, slot and bitmap objects per call)
        # cost twice the rasterization itself.
        delta = _DELTAS.get(phase)
        if delta is None:
            delta = _DELTAS[phase] = raw.FT_Vector(int(phase * 64 / SUBPIXEL), 0)
        raw.FT_Set_Transform(ft_face, ctypes.byref(_IDENTITY), ctypes.byref(delta))
        # Light hinting snaps only vertically: crisper small text for OCR and
        # models, while advances stay HarfBuzz's unhinted ones.
        err = raw.FT_Load_Glyph(ft_face, gid, _LOAD_FLAGS)
        if err:
            from freetype import FT_Exception

            raise FT_Exception(err)
        slot = ft_face.contents.glyph.contents
        bm = slot.bitmap
        rows, width, pitch = bm.rows, bm.width, bm.pitch
        if width == 0 or rows == 0:
            return np.zeros(0, np.int32), np.zeros(0, np.int32), np.zeros(0, np.uint8), None
        stride = abs(pitch)
        # One copy of FreeType's buffer (freetype-py's `bitmap.buffer` builds a
        # Python list of every byte), turned into inked pixels by compiled code.
        buf = np.frombuffer(ctypes.string_at(bm.buffer, rows * stride), np.uint8)
        return (*_sparse_bitmap(buf, rows, width, stride, pitch < 0, slot.bitmap_top, slot.bitmap_left), None)

    def _strike(self, path: str, index: int):
        """The largest bitmap strike of a colour bitmap (CBDT) font, or None for an outline font."""
        key = f"{path}#{index}"
        if key not in self._strikes:
            self._strikes[key] = colour_strike(path, index)
        return self._strikes[key]


class ColourStrike:
    """One CBDT strike: PNG bitmaps by glyph name, the glyph order and the strike's pixels per em."""

    def __init__(self, font, strike: dict, ppem: int) -> None:
        self.font = font
        self.glyphs = strike
        self.ppem = ppem
        self.order = font.getGlyphOrder()


def colour_strike(path: str, index: int = 0) -> ColourStrike | None:
    """The largest CBDT strike of a font file, or None where it has none (outline fonts)."""
    from fontTools.ttLib import TTFont

    try:
        font = TTFont(path, fontNumber=index if path.lower().endswith((".ttc", ".otc")) else -1, lazy=True)
        if "CBDT" not in font or "CBLC" not in font:
            return None
        sizes = [t.bitmapSizeTable.ppemY for t in font["CBLC"].strikes]
        best = max(range(len(sizes)), key=sizes.__getitem__)
        return ColourStrike(font, font["CBDT"].strikeData[best], sizes[best])
    except Exception:  # an unreadable colour table: draw the font's outlines, if any, instead
        return None


def _colour_glyph(strike: ColourStrike, gid: int, size_px: float, phase: int) -> tuple:
    """A colour glyph scaled from its strike to ``size_px``: sparse darkness over white and premultiplied RGBA."""
    import io

    from PIL import Image

    empty = (np.zeros(0, np.int32), np.zeros(0, np.int32), np.zeros(0, np.uint8), None)
    name = strike.order[gid] if 0 <= gid < len(strike.order) else None
    glyph = strike.glyphs.get(name) if name else None
    data = getattr(glyph, "imageData", None) if glyph is not None else None
    if not data:
        return empty
    m = glyph.metrics
    scale = size_px / strike.ppem
    w, h = max(1, round(m.width * scale)), max(1, round(m.height * scale))
    img = Image.open(io.BytesIO(data)).convert("RGBA").convert("RGBa").resize((w, h), Image.BOX)
    rgba = np.asarray(img, dtype=np.uint8)
    alpha = rgba[..., 3].astype(np.float64)
    lum = rgba[..., :3].astype(np.float64) @ np.array([0.299, 0.587, 0.114])
    dark = np.clip(np.round(alpha - lum), 0, 255).astype(np.uint8)  # 255 - luminance over white
    bearing_x = getattr(m, "BearingX", getattr(m, "horiBearingX", 0))  # small (format 17) or big (18) metrics
    bearing_y = getattr(m, "BearingY", getattr(m, "horiBearingY", 0))
    top = -round(bearing_y * scale)
    left = int(np.floor(bearing_x * scale + phase / SUBPIXEL + 0.5))
    ys, xs = np.nonzero(rgba[..., 3])
    return (ys + top).astype(np.int32), (xs + left).astype(np.int32), dark[ys, xs].copy(), (top, left, rgba.copy())


_DELTAS: dict[int, object] = {}
_IDENTITY = None
_LOAD_FLAGS = 0
_FT = None
_sparse_bitmap = None
_FT_MATRIX = _FT_VECTORS = _FT_CONSTS = None
_raster_glyphs = None


def _init_freetype_constants() -> None:
    global _IDENTITY, _LOAD_FLAGS, _FT, _sparse_bitmap, _FT_MATRIX, _FT_VECTORS, _FT_CONSTS, _raster_glyphs
    import freetype
    from freetype import raw

    from mmx.render._kernels import raster_glyphs, sparse_bitmap

    _FT = raw
    _sparse_bitmap = sparse_bitmap
    _IDENTITY = freetype.FT_Matrix(0x10000, 0, 0, 0x10000)
    _LOAD_FLAGS = freetype.FT_LOAD_RENDER | freetype.FT_LOAD_TARGET_LIGHT | freetype.FT_LOAD_NO_BITMAP
    # For the compiled rasterizer (_kernels.raster_glyphs), one int64 array: FreeType's
    # functions by address, the struct offsets freetype-py's ctypes layout gives,
    # and the transform _rasterize sets (identity; each phase's shift; FT_Pos is a C long).
    _FT_MATRIX = np.array([0x10000, 0, 0, 0x10000], np.dtype(f"i{ctypes.sizeof(ctypes.c_long)}"))
    _FT_VECTORS = np.array([(int(p * 64 / SUBPIXEL), 0) for p in range(SUBPIXEL)], _FT_MATRIX.dtype)
    _FT_CONSTS = np.array([
        *(ctypes.cast(f, ctypes.c_void_p).value for f in (raw.FT_Set_Transform, raw.FT_Load_Glyph)),
        raw.FT_FaceRec.glyph.offset, raw.FT_GlyphSlotRec.bitmap.offset, raw.FT_GlyphSlotRec.bitmap_left.offset,
        raw.FT_GlyphSlotRec.bitmap_top.offset, raw.FT_Bitmap.buffer.offset, _FT_MATRIX.ctypes.data,
        *(_FT_VECTORS.ctypes.data + _FT_VECTORS.strides[0] * p for p in range(SUBPIXEL)),
    ], np.int64)
    _raster_glyphs = raster_glyphs


ATLAS = GlyphAtlas()
