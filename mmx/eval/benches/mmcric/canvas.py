"""The scorecard canvas: text ink from mmx's renderer, flat shapes and compositing on numpy, PNG encoding.

Every string is drawn with mmx's own renderer (HarfBuzz shaping, so Devanagari
conjuncts and nukta forms come out right), its ink cached per (string, size,
weight) and composited onto a numpy canvas of flat rectangles. The same inputs
give the same pixels in any process, and :func:`encode_png` stores them
losslessly as a palette PNG. The templates
(:mod:`mmx.eval.benches.mmcric.templates`) record what to draw on a
:class:`Canvas`. A canvas in other type faces (the test-only card families')
overrides :meth:`Canvas.ink` with ink from :func:`table_renderer` and
:func:`render_ink` given its font files.
"""

from __future__ import annotations

import io
import math
import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numba import njit
from PIL import Image

__all__ = ["INK_CACHE_LIMIT", "Canvas", "Ink", "encode_png", "noto_bold", "render_ink", "table_renderer", "text_width"]


# --------------------------------------------------------------------------- text ink


@dataclass(frozen=True)
class Ink:
    """A string's ink: alpha (h x w, flattened, 16 levels), placed relative to its line box."""

    alpha: np.ndarray  # uint8, h * w
    h: int
    w: int
    top: int  # ink top below the line box top
    left: int  # ink left of the pen origin (may be negative for overhangs)
    box: int  # line box height

    @property
    def width(self) -> int:
        return self.w


_INK_CACHE: dict[tuple[str, int, bool], Ink] = {}
_INK_CACHE_BYTES = [0]
#: ink kept per process; past it the oldest quarter of the entries is dropped
INK_CACHE_LIMIT = 64 << 20
_RENDERERS: dict[tuple[int, bool], object] = {}
_BOLD: list[tuple[str, ...] | None] = []  # [bold font paths or None], resolved once
_RENDERER_CLASS: list[type] = []


def _bold_fonts() -> tuple[str, ...] | None:
    """Static Bold (wght 700) instances of the bundled Noto Sans and Noto Sans Devanagari.

    ``static_instance`` caches them on disk; a copy is then named after the
    family (``NotoSans.ttf``), so the font stack measures it with the family's
    probe text and draws bold at the same size and baseline as regular text.
    None when they cannot be made (the caller then fakes bold).
    """
    if _BOLD:
        return _BOLD[0]
    paths: tuple[str, ...] | None
    try:
        paths = (noto_bold("NotoSans[wght].ttf"), noto_bold("NotoSansDevanagari[wght].ttf"))
    except Exception:  # no writable cache, no fontTools instancer: faux bold
        paths = None
    _BOLD.append(paths)
    return paths


def noto_bold(fname: str) -> str:
    """The path of a wght-700 static instance of the bundled variable Noto face ``fname``
    (``"NotoSans[wght].ttf"``), named after its family (``NotoSans.ttf``).

    ``static_instance`` caches the instance on disk; the copy's name makes the font stack
    measure it with the family's probe text, so bold draws at the regular face's size and
    baseline. Raises when the instance cannot be made (no writable cache, no instancer).
    """
    from mmx.render.fonts import _package_dir, static_instance

    inst = Path(static_instance(str(_package_dir("manimgx_fonts") / fname), {"wght": 700.0}))
    dst = inst.parent / f"bold-{inst.stem}" / (fname.split("[")[0] + ".ttf")
    if not dst.exists():
        dst.parent.mkdir(parents=True, exist_ok=True)
        tmp = dst.with_suffix(f".{os.getpid()}.tmp")
        shutil.copyfile(inst, tmp)
        os.replace(tmp, dst)
    return str(dst)


def _box(size: int) -> int:
    """The strip height a size is rendered in: room for Devanagari stacks without shrinking."""
    return 2 * math.ceil(size * 0.95)


def _renderer(size: int, bold: bool):
    key = (size, bold)
    r = _RENDERERS.get(key)
    if r is None:
        r = _RENDERERS[key] = table_renderer(size, (_bold_fonts() or ()) if bold else ())
    return r


def table_renderer(size: int, fonts: Sequence[str] = (), latin_first: bool = False):
    """mmx's renderer for a card's text at ``size``: every face on one baseline.

    ``fonts`` are font files tried before the bundled faces. The baseline centres the union of
    a Latin face's and Noto Sans Devanagari's ink (see :func:`_renderer_class`): Noto Sans',
    or with ``latin_first`` the first of ``fonts`` (a card drawn in another Latin face).
    """
    from mmx.render.profiles import get_profile

    p = get_profile("pixel", layout="strip", height=_box(size), patch_size=2, width=4096, font_size=float(size),
                    eos_patch=False, pad=0, max_patches=None, fonts=tuple(fonts))
    r = _renderer_class()(p)
    r.latin_first = latin_first
    return r


def _renderer_class():
    """mmx's Renderer with every face on one baseline.

    A strip centres each script's ink on its own (right for a lone strip), so a
    Devanagari cell would sit a few pixels above a digits cell beside it; in a
    table every cell must share the baseline. Here every face takes the
    baseline that centres the union of Noto Sans' and Noto Sans Devanagari's
    ink in the line box (so Latin digits sit on the Devanagari baseline, as in
    a browser).
    """
    if _RENDERER_CLASS:
        return _RENDERER_CLASS[0]
    from mmx.render.engine import Renderer

    class _TableRenderer(Renderer):
        latin_first = False  # the Latin face is the first user font (else the bundled Noto Sans)

        def metrics_of(self, face: int) -> tuple[float, int]:
            table = self.__dict__.setdefault("_table_metrics", {})
            m = table.get(face)
            if m is None:
                faces, by_name = self.stack.faces, self.stack.by_name
                latin = faces[0] if self.latin_first and self.stack.user else faces[by_name["NotoSans"]]
                ext = [latin.ink_extents, faces[by_name["NotoSansDevanagari"]].ink_extents]
                a, d = max(e[0] for e in ext), max(e[1] for e in ext)
                fs = self.profile.font_size
                baseline = int(math.floor((self.line_h - (a + d) * fs) / 2 + a * fs + 0.5))
                m = table[face] = (super().metrics_of(face)[0], baseline)
            return m

    _RENDERER_CLASS.append(_TableRenderer)
    return _TableRenderer


def render_ink(r, text: str, faux_bold: bool = False) -> Ink:
    """``text``'s ink as renderer ``r`` (a :func:`table_renderer`) draws it, cropped, in 16 levels.

    ``faux_bold`` widens every stroke by a pixel (bold without a bold face).
    """
    a = 255 - r.render(text).array  # ink as alpha
    if faux_bold:
        a = np.maximum(np.pad(a, ((0, 0), (0, 1))), np.pad(a, ((0, 0), (1, 0))))
    rows = np.flatnonzero(a.max(axis=1))
    cols = np.flatnonzero(a.max(axis=0))
    if rows.size == 0:
        return Ink(np.zeros(0, np.uint8), 0, 0, 0, 0, a.shape[0])
    top, left = int(rows[0]), int(cols[0])
    crop = a[top : rows[-1] + 1, left : cols[-1] + 1]
    # 16 levels of anti-aliasing (as many renderers use): a card then has few
    # enough colours to be stored as an exact palette PNG (encode_png)
    q = ((crop.astype(np.uint16) * 15 + 127) // 255 * 17).astype(np.uint8)
    return Ink(q.ravel(), crop.shape[0], crop.shape[1], top, left - r.pad, a.shape[0])


def _ink(text: str, size: int, bold: bool = False) -> Ink:
    key = (text, size, bold)
    ink = _INK_CACHE.get(key)
    if ink is not None:
        return ink
    ink = render_ink(_renderer(size, bold), text, faux_bold=bold and _bold_fonts() is None)
    if _INK_CACHE_BYTES[0] > INK_CACHE_LIMIT:
        for k in list(_INK_CACHE)[: len(_INK_CACHE) // 4 + 1]:
            old = _INK_CACHE.pop(k, None)
            if old is not None:
                _INK_CACHE_BYTES[0] -= old.alpha.nbytes + 200
    _INK_CACHE[key] = ink
    _INK_CACHE_BYTES[0] += ink.alpha.nbytes + 200
    return ink


@njit(cache=True, nogil=True)
def _blend_all(arr, alpha, offs, hs, ws, xs, ys, colors):  # pragma: no cover - compiled
    """Composite every ink (alpha[offs[i]:], hs[i] x ws[i] at xs[i], ys[i]) in colors[i] onto arr."""
    H, W = arr.shape[0], arr.shape[1]
    for i in range(offs.size):
        o, h, w, x0, y0 = offs[i], hs[i], ws[i], xs[i], ys[i]
        cr, cg, cb = np.int32(colors[i, 0]), np.int32(colors[i, 1]), np.int32(colors[i, 2])
        for yy in range(h):
            y = y0 + yy
            if y < 0 or y >= H:
                continue
            row = o + yy * w
            for xx in range(w):
                x = x0 + xx
                if x < 0 or x >= W:
                    continue
                a = np.int32(alpha[row + xx])
                if a == 0:
                    continue
                ia = 255 - a
                arr[y, x, 0] = (np.int32(arr[y, x, 0]) * ia + cr * a + 127) // 255
                arr[y, x, 1] = (np.int32(arr[y, x, 1]) * ia + cg * a + 127) // 255
                arr[y, x, 2] = (np.int32(arr[y, x, 2]) * ia + cb * a + 127) // 255


_CORNERS: dict[int, np.ndarray] = {}


def _corner(r: int) -> np.ndarray:
    """Pixels of an r x r top-left corner outside the quarter circle (a rounded rectangle leaves them)."""
    m = _CORNERS.get(r)
    if m is None:
        yy, xx = np.mgrid[0:r, 0:r] + 0.5
        m = _CORNERS[r] = (r - xx) ** 2 + (r - yy) ** 2 > r * r
    return m


# --------------------------------------------------------------------------- canvas


class Canvas:
    """Shapes and text recorded during layout, drawn at the end once the height is known."""

    def __init__(self, width: int, bg: tuple[int, int, int]) -> None:
        self.width = width
        self.bg = bg
        self.shapes: list[tuple] = []
        self.texts: list[tuple[Ink, int, int, tuple[int, int, int]]] = []

    def rect(self, x0: int, y0: int, x1: int, y1: int, fill=None, outline=None, radius: int = 0) -> None:
        """A filled rectangle x0..x1-1, y0..y1-1 with square or round corners and an optional 1 px outline."""
        self.shapes.append(("rect", x0, y0, x1, y1, fill, outline, radius))

    def dot(self, cx: int, cy: int, r: int, fill) -> None:
        self.shapes.append(("dot", cx, cy, r, fill))

    def text(self, s: str, x: int, y: int, h: int, size: int, color, bold: bool = False, align: str = "left",
             w: int = 0) -> int:
        """Draw ``s`` in the row ``y..y+h`` (vertically centred), left at ``x`` or aligned in ``x..x+w``.

        Returns the x just right of the ink.
        """
        if not s:
            return x
        ink = self.ink(s, size, bold)
        if align == "right":
            px = x + w - ink.w
        elif align == "center":
            px = x + (w - ink.w) // 2
        else:
            px = x + ink.left
        py = y + (h - ink.box) // 2 + ink.top
        self.texts.append((ink, px, py, color))
        return px + ink.w

    def ink(self, s: str, size: int, bold: bool = False) -> Ink:
        """The ink :meth:`text` draws for ``s`` (a canvas in other faces overrides it)."""
        return _ink(s, size, bold)

    def width_of(self, s: str, size: int, bold: bool = False) -> int:
        """The ink width of ``s`` as this canvas draws it (0 for an empty string)."""
        return self.ink(s, size, bold).w if s else 0

    def finish(self, height: int) -> Image.Image:
        # RGBX pixels, filled as uint32 words (numpy fills 3-byte pixels ~40x slower)
        arr = np.empty((height, self.width, 4), np.uint8)
        px = arr.view(np.uint32)[:, :, 0]
        px[:] = _word(self.bg)
        for shape in self.shapes:
            if shape[0] == "rect":
                _, x0, y0, x1, y1, fill, outline, radius = shape
                x0, y0, x1, y1 = max(x0, 0), max(y0, 0), min(x1, self.width), min(y1, height)
                if x1 <= x0 or y1 <= y0:
                    continue
                r = min(radius, (x1 - x0) // 2, (y1 - y0) // 2)
                kept = []
                if r > 0:  # the corners outside the arcs keep what is under them
                    m = _corner(r)
                    for sy, sx, mask in ((slice(y0, y0 + r), slice(x0, x0 + r), m),
                                         (slice(y0, y0 + r), slice(x1 - r, x1), m[:, ::-1]),
                                         (slice(y1 - r, y1), slice(x0, x0 + r), m[::-1, :]),
                                         (slice(y1 - r, y1), slice(x1 - r, x1), m[::-1, ::-1])):
                        kept.append((sy, sx, mask, px[sy, sx][mask]))
                if fill is not None:
                    px[y0:y1, x0:x1] = _word(fill)
                if outline is not None:
                    o = _word(outline)
                    px[y0, x0:x1] = o
                    px[y1 - 1, x0:x1] = o
                    px[y0:y1, x0] = o
                    px[y0:y1, x1 - 1] = o
                for sy, sx, mask, old in kept:
                    px[sy, sx][mask] = old
            else:
                _, cx, cy, r, fill = shape
                yy, xx = np.mgrid[-r : r + 1, -r : r + 1]
                mask = xx * xx + yy * yy <= r * r + r // 2
                px[cy - r : cy + r + 1, cx - r : cx + r + 1][mask] = _word(fill)
        if self.texts:
            inks = [t[0] for t in self.texts]
            n = len(inks)
            sizes = np.fromiter((k.alpha.size for k in inks), np.int64, n)
            offs = np.zeros(n, np.int64)
            np.cumsum(sizes[:-1], out=offs[1:])
            _blend_all(arr, np.concatenate([k.alpha for k in inks]), offs,
                       np.fromiter((k.h for k in inks), np.int64, n),
                       np.fromiter((k.w for k in inks), np.int64, n),
                       np.fromiter((t[1] for t in self.texts), np.int64, n),
                       np.fromiter((t[2] for t in self.texts), np.int64, n),
                       np.array([t[3] for t in self.texts], np.uint8).reshape(-1, 3))
        return Image.frombytes("RGB", (self.width, height), arr, "raw", "RGBX")


def _word(c: tuple[int, int, int]) -> np.uint32:
    """An RGB colour as the uint32 of its RGBX bytes (little- or big-endian host)."""
    return np.frombuffer(bytes((c[0], c[1], c[2], 255)), np.uint32)[0]


def text_width(s: str, size: int, bold: bool = False) -> int:
    """The ink width of ``s`` drawn at ``size`` (0 for an empty string)."""
    return _ink(s, size, bold).w if s else 0


# --------------------------------------------------------------------------- PNG


def encode_png(img: Image.Image, compress_level: int = 1) -> bytes:
    """Lossless PNG bytes of a scorecard, fast.

    A scorecard has a few flat colours and text anti-aliased in 16 levels, so it
    holds well under 256 colours: it is written as an exact palette image (no
    pixel changes), which skips PNG's per-row filter search (most of the cost of
    an RGB PNG) and takes about half the bytes. An image with more colours is
    written as RGB. zlib level 1 by default: level 6 saves ~20% of the bytes for
    about twice the time (benchmarks/scorecard_speed.py).
    """
    buf = io.BytesIO()
    if img.mode == "RGB":
        idx, pal, n = _palettize(np.ascontiguousarray(np.asarray(img)))
        if n > 0:
            p = Image.fromarray(idx)
            p.putpalette(pal[:n].tobytes())
            p.save(buf, "PNG", compress_level=compress_level)
            return buf.getvalue()
    img.save(buf, "PNG", compress_level=compress_level)
    return buf.getvalue()


@njit(cache=True, nogil=True)
def _palettize(rgb: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    """(indices, palette, n): the exact palette of an RGB image, colours in order of first use; n = -1 past 256."""
    h, w = rgb.shape[0], rgb.shape[1]
    size = 4096
    keys = np.full(size, -1, np.int64)
    vals = np.zeros(size, np.uint8)
    pal = np.zeros((256, 3), np.uint8)
    out = np.empty((h, w), np.uint8)
    n = 0
    last_key = -1
    last_val = np.uint8(0)
    for y in range(h):
        for x in range(w):
            k = (np.int64(rgb[y, x, 0]) << 16) | (np.int64(rgb[y, x, 1]) << 8) | np.int64(rgb[y, x, 2])
            if k != last_key:
                s = ((k * 2654435761) >> 12) & (size - 1)
                while True:
                    kk = keys[s]
                    if kk == k:
                        last_val = vals[s]
                        break
                    if kk == -1:
                        if n == 256:
                            return out, pal, -1
                        keys[s] = k
                        vals[s] = n
                        pal[n, 0] = rgb[y, x, 0]
                        pal[n, 1] = rgb[y, x, 1]
                        pal[n, 2] = rgb[y, x, 2]
                        last_val = np.uint8(n)
                        n += 1
                        break
                    s = (s + 1) & (size - 1)
                last_key = k
            out[y, x] = last_val
    return out, pal, n
