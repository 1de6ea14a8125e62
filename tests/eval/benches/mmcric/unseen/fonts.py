"""Text ink in other type families than the generator's, for the unseen layouts.

The generator's canvas (:mod:`mmx.eval.benches.mmcric.canvas`) draws every string in the
bundled Noto Sans. Real sites use other faces, so two of the unseen layouts draw Latin
text in DejaVu Serif or DejaVu Sans (the copies matplotlib ships, installed wherever the
main job or the test suite is: ``mmx[eval]``), while Devanagari falls back to the bundled
Noto Sans Devanagari through mmx's font stack, shaped by HarfBuzz as in the generator.
:class:`FamilyCanvas` is the generator's :class:`~mmx.eval.benches.mmcric.canvas.Canvas`
(its rectangles, compositing and PNG encoding, and its renderer and ink cropping, given
these font files) with text ink from these faces; it also records every string it draws,
the card's printed strings for the tests.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from mmx.errors import InputError
from mmx.eval.benches.mmcric.canvas import Canvas, Ink, noto_bold, render_ink, table_renderer

__all__ = ["FAMILIES", "FamilyCanvas"]

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


_CACHE: dict[tuple[str, str, int, bool], Ink] = {}
_RENDERERS: dict[tuple[str, int, bool], object] = {}


def _matplotlib_fonts() -> Path:
    """matplotlib's bundled TrueType folder, found without importing matplotlib."""
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or spec.origin is None:
        raise InputError("the unseen layouts draw in DejaVu Serif / DejaVu Sans from matplotlib; "
                         "install it (pip install 'mmx[eval]')")
    return Path(spec.origin).parent / "mpl-data" / "fonts" / "ttf"


def _fonts(family: str, bold: bool) -> tuple[str, ...]:
    latin = FAMILIES[family]
    deva_bold = (noto_bold("NotoSansDevanagari[wght].ttf"),) if bold else ()
    if latin is None:
        return (noto_bold("NotoSans[wght].ttf"), *deva_bold) if bold else ()
    path = _matplotlib_fonts() / latin[1 if bold else 0]
    if not path.is_file():
        raise InputError(f"{path.name} is missing from matplotlib's fonts ({path.parent})")
    return (str(path), *deva_bold)


def _ink(family: str, text: str, size: int, bold: bool) -> Ink:
    key = (family, text, size, bold)
    ink = _CACHE.get(key)
    if ink is not None:
        return ink
    rkey = (family, size, bold)
    r = _RENDERERS.get(rkey)
    if r is None:
        r = _RENDERERS[rkey] = table_renderer(size, _fonts(family, bold), latin_first=True)
    ink = render_ink(r, text)
    if len(_CACHE) > 50_000:  # a long build: start over rather than grow without bound
        _CACHE.clear()
    _CACHE[key] = ink
    return ink


class FamilyCanvas(Canvas):
    """The generator's canvas drawing text in ``family``; ``strings`` lists what it drew, in order."""

    def __init__(self, width: int, bg: tuple[int, int, int], family: str) -> None:
        super().__init__(width, bg)
        self.family = family
        self.strings: list[str] = []

    def text(self, s: str, x: int, y: int, h: int, size: int, color, bold: bool = False, align: str = "left",
             w: int = 0) -> int:
        if s:
            self.strings.append(s)
        return super().text(s, x, y, h, size, color, bold, align, w)

    def ink(self, s: str, size: int, bold: bool = False) -> Ink:
        return _ink(self.family, s, size, bold)
