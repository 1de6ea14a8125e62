"""Display pictures for the demo: renderings scaled up and stacked into one image.

The renderer's images are tiny (a 14 px SeeTok strip) or very wide (a PIXEL strip
is up to 8,464 px long), so the browser gets one composite: each image scaled by
a whole factor with nearest-neighbour sampling (pixels stay crisp and the patch
grid stays aligned), wide strips cut at patch boundaries into display rows, and
the pieces stacked top to bottom. Models always see the original images.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL import Image

    from mmx.render.result import MissingGlyph, RenderResult

#: widest composite, in px (display rows of long strips wrap at this width)
MAX_WIDTH = 1400
#: small renderings are scaled up to about this width
TARGET_WIDTH = 900
#: tallest composite, in px; pieces below it are left out (and the note says so)
MAX_HEIGHT = 3000
#: gap between stacked pieces, and the ground they sit on
GAP = 8
BACKGROUND = (226, 230, 236)


def display_scale(width: int, layout: str) -> int:
    """A whole display factor: small images grow to about :data:`TARGET_WIDTH` px (up to
    8x), nothing shrinks below 2x (so grid lines never hide a row of ink), and folded
    rows or pages stay within :data:`MAX_WIDTH` (only strips are cut into display rows)."""
    scale = max(2, min(8, TARGET_WIDTH // max(width, 1)))
    if layout != "strip":
        scale = max(1, min(scale, MAX_WIDTH // max(width, 1)))
    return scale


def stack(pieces: Sequence[Image.Image]) -> tuple[Image.Image, int]:
    """``pieces`` top to bottom on a light ground, as many as fit :data:`MAX_HEIGHT`
    (at least one); returns the picture and how many pieces it shows."""
    from PIL import Image

    shown: list[Image.Image] = []
    height = 0
    for im in pieces:
        extra = im.height + (GAP if shown else 0)
        if shown and height + extra > MAX_HEIGHT:
            break
        shown.append(im)
        height += extra
    canvas = Image.new("RGB", (max(im.width for im in shown) + 2 * GAP, height + 2 * GAP), BACKGROUND)
    y = GAP
    for im in shown:
        canvas.paste(im.convert("RGB"), (GAP, y))
        y += im.height + GAP
    return canvas, len(shown)


def _cut(im: Image.Image, unit: int) -> list[Image.Image]:
    """A wide strip cut into display rows whose width is a multiple of ``unit`` (a scaled patch)."""
    step = max(unit, (MAX_WIDTH // unit) * unit)
    if im.width <= step:
        return [im]
    return [im.crop((x, 0, min(x + step, im.width), im.height)) for x in range(0, im.width, step)]


def rendering_picture(result: RenderResult, grid: bool = True) -> tuple[Image.Image, str]:
    """The rendering as one picture: with the patch grid and red outlines on patches
    holding missing glyphs (``grid=True``, :meth:`RenderResult.visualize`), or the plain
    pixels a model sees. Returns the picture and a note on what it leaves out or
    rearranges (empty when nothing)."""
    from PIL import Image

    prof = result.profile
    scale = display_scale(max(a.shape[1] for a in result.arrays), prof.layout)
    if grid:
        images = result.visualize(scale=scale)
    else:
        images = [im.convert("RGB").resize((im.width * scale, im.height * scale), Image.NEAREST)
                  for im in result.images]
    pieces: list[Image.Image] = []
    starts: list[int] = []
    for im in images:
        starts.append(len(pieces))
        pieces.extend(_cut(im, prof.patch_size * scale) if prof.layout == "strip" else [im])
    picture, shown = stack(pieces)
    notes = []
    if shown < len(pieces):
        notes.append(f"the picture shows {sum(1 for s in starts if s < shown)} of {len(images)} images")
    if len(pieces) > len(images):
        notes.append("long strips are cut into display rows at patch boundaries (the model sees one strip)")
    return picture, "; ".join(notes)


def missing_glyphs_line(missing: Sequence[MissingGlyph]) -> str:
    """What a picture drawn with ``grid=True`` says about its tofu: how many missing glyphs,
    the distinct code points (the first eight), outlined in red; empty when none."""
    if not missing:
        return ""
    distinct = list(dict.fromkeys(m.codepoint for m in missing))
    cps = ", ".join(f"U+{cp:04X}" for cp in distinct[:8]) + (", ..." if len(distinct) > 8 else "")
    return f"{len(missing)} missing glyph(s) ({len(distinct)} distinct: {cps}), their patches outlined in red"
