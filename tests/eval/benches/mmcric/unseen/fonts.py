"""Text ink in other type families than the generator's, for the unseen layouts.

The generator's canvas (:mod:`mmx.eval.benches.mmcric.canvas`) draws every string in the
bundled Noto Sans. Real sites use other faces, so two of the unseen layouts draw Latin
text in DejaVu Serif or DejaVu Sans (the copies matplotlib ships, installed wherever the
main job or the test suite is: ``mmx[eval]``), while Devanagari falls back to the bundled
Noto Sans Devanagari through mmx's font stack, shaped by HarfBuzz as in the generator.
:class:`FamilyCanvas` is the generator's :class:`~mmx.eval.benches.mmcric.canvas.Canvas`
(its rectangles, compositing and PNG encoding) with text ink from these faces; it also
records every string it draws, the card's printed strings for the tests.
"""

from __future__ import annotations

import importlib.util
import math
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from mmx.errors import InputError
from mmx.eval.benches.mmcric.canvas import Canvas

__all__ = ["FAMILIES", "FamilyCanvas", "family_width"]

#: family -> (regular file, bold file) of its Latin face; None: the bundled Noto Sans
FAMILIES: dict[str, tuple[str, str] | None] = {
    "serif": ("DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf"),
    "dejavu": ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    "noto": None,
    # faces of the second held-out family (tests/eval/benches/mmcric/heldout), kept here so
    # that one font loader serves both families
    "stix": ("STIXGeneral.ttf", "STIXGeneralBol.ttf"),
    "mono": ("DejaVuSansMono.ttf", "DejaVuSansMono-Bold.ttf"),
}


@dataclass(frozen=True)
class Ink:
    """A string's ink as the generator's canvas composites it (same fields as its own ink)."""

    alpha: np.ndarray  # uint8, h * w, 16 levels
    h: int
    w: int
    top: int
    left: int
    box: int


_CACHE: dict[tuple[str, str, int, bool], Ink] = {}
_RENDERERS: dict[tuple[str, int, bool], object] = {}


def _matplotlib_fonts() -> Path:
    """matplotlib's bundled TrueType folder, found without importing matplotlib."""
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or spec.origin is None:
        raise InputError("the unseen layouts draw in DejaVu Serif / DejaVu Sans from matplotlib; "
                         "install it (pip install 'mmx[eval]')")
    return Path(spec.origin).parent / "mpl-data" / "fonts" / "ttf"


def _bundled(name: str) -> Path:
    spec = importlib.util.find_spec("manimgx_fonts")
    assert spec is not None and spec.submodule_search_locations, "manimgx-fonts is a core dependency"
    return Path(next(iter(spec.submodule_search_locations))) / name


def _noto_bold(fname: str) -> str:
    """A wght-700 static instance of a bundled Noto face, named after its family.

    Named like the family (``NotoSansDevanagari.ttf``) so mmx's font stack measures it with
    that family's probe text and draws it at the regular face's size and baseline (the
    generator's canvas makes its bold the same way).
    """
    from mmx.render.fonts import static_instance

    inst = Path(static_instance(str(_bundled(fname)), {"wght": 700.0}))
    dst = inst.parent / f"bold-{inst.stem}" / (fname.split("[")[0] + ".ttf")
    if not dst.exists():
        dst.parent.mkdir(parents=True, exist_ok=True)
        tmp = dst.with_suffix(f".{os.getpid()}.tmp")
        shutil.copyfile(inst, tmp)
        os.replace(tmp, dst)
    return str(dst)


def _fonts(family: str, bold: bool) -> tuple[str, ...]:
    latin = FAMILIES[family]
    deva_bold = (_noto_bold("NotoSansDevanagari[wght].ttf"),) if bold else ()
    if latin is None:
        return (_noto_bold("NotoSans[wght].ttf"), *deva_bold) if bold else ()
    path = _matplotlib_fonts() / latin[1 if bold else 0]
    if not path.is_file():
        raise InputError(f"{path.name} is missing from matplotlib's fonts ({path.parent})")
    return (str(path), *deva_bold)


def _renderer(family: str, size: int, bold: bool):
    key = (family, size, bold)
    r = _RENDERERS.get(key)
    if r is None:
        from mmx.render.engine import Renderer
        from mmx.render.profiles import get_profile

        class _OneBaseline(Renderer):
            """Every face on one baseline (a Devanagari cell beside a digits cell sits level):
            the one centring the union of the Latin face's and Noto Sans Devanagari's ink."""

            def metrics_of(self, face: int) -> tuple[float, int]:
                table = self.__dict__.setdefault("_one_baseline", {})
                m = table.get(face)
                if m is None:
                    faces = self.stack.faces
                    latin = faces[0] if self.stack.user else faces[self.stack.by_name["NotoSans"]]
                    ext = [latin.ink_extents, faces[self.stack.by_name["NotoSansDevanagari"]].ink_extents]
                    a, d = max(e[0] for e in ext), max(e[1] for e in ext)
                    fs = self.profile.font_size
                    base = int(math.floor((self.line_h - (a + d) * fs) / 2 + a * fs + 0.5))
                    m = table[face] = (super().metrics_of(face)[0], base)
                return m

        box = 2 * math.ceil(size * 0.95)  # room for Devanagari stacks, as the generator's canvas
        p = get_profile("pixel", layout="strip", height=box, patch_size=2, width=4096, font_size=float(size),
                        eos_patch=False, pad=0, max_patches=None, fonts=_fonts(family, bold))
        r = _RENDERERS[key] = _OneBaseline(p)
    return r


def _ink(family: str, text: str, size: int, bold: bool) -> Ink:
    key = (family, text, size, bold)
    ink = _CACHE.get(key)
    if ink is not None:
        return ink
    r = _renderer(family, size, bold)
    a = 255 - r.render(text).array
    rows, cols = np.flatnonzero(a.max(axis=1)), np.flatnonzero(a.max(axis=0))
    if rows.size == 0:
        ink = Ink(np.zeros(0, np.uint8), 0, 0, 0, 0, a.shape[0])
    else:
        top, left = int(rows[0]), int(cols[0])
        crop = a[top : rows[-1] + 1, left : cols[-1] + 1]
        # 16 anti-aliasing levels, as the generator's ink: few colours, a palette PNG
        q = ((crop.astype(np.uint16) * 15 + 127) // 255 * 17).astype(np.uint8)
        ink = Ink(q.ravel(), crop.shape[0], crop.shape[1], top, left - r.pad, a.shape[0])
    if len(_CACHE) > 50_000:  # a long build: start over rather than grow without bound
        _CACHE.clear()
    _CACHE[key] = ink
    return ink


def family_width(family: str, s: str, size: int, bold: bool = False) -> int:
    """The ink width of ``s`` in ``family`` at ``size`` (0 for an empty string)."""
    return _ink(family, s, size, bold).w if s else 0


class FamilyCanvas(Canvas):
    """The generator's canvas drawing text in ``family``; ``strings`` lists what it drew, in order."""

    def __init__(self, width: int, bg: tuple[int, int, int], family: str) -> None:
        super().__init__(width, bg)
        self.family = family
        self.strings: list[str] = []

    def text(self, s: str, x: int, y: int, h: int, size: int, color, bold: bool = False, align: str = "left",
             w: int = 0) -> int:
        if not s:
            return x
        self.strings.append(s)
        ink = _ink(self.family, s, size, bold)
        if align == "right":
            px = x + w - ink.w
        elif align == "center":
            px = x + (w - ink.w) // 2
        else:
            px = x + ink.left
        py = y + (h - ink.box) // 2 + ink.top
        self.texts.append((ink, px, py, color))
        return px + ink.w

    def width_of(self, s: str, size: int, bold: bool = False) -> int:
        return family_width(self.family, s, size, bold)
