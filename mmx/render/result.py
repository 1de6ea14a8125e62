"""What a rendering returns: images, patches, counts, offsets and problems."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

if TYPE_CHECKING:
    from PIL import Image

    from mmx.render.fonts import FontStack
    from mmx.render.profiles import RenderProfile


#: how many times ``save(grid=True)`` (``mmx render --grid``) enlarges the image by default, so
#: the grid lines and the red tofu outlines sit between pixels that can be told apart
GRID_SCALE = 4


@dataclass(frozen=True)
class MissingGlyph:
    """A code point that no font in the stack covers (drawn as tofu), or a control character."""

    codepoint: int
    index: int

    def to_dict(self) -> dict[str, Any]:
        return {"codepoint": self.codepoint, "char": f"U+{self.codepoint:04X}", "index": self.index}


class Placement(NamedTuple):
    """Where a laid-out piece landed: image, x of its left edge, top of its line box.

    ``piece`` carries the run's glyphs and the unit range drawn (internal; it
    feeds the offset maps lazily, so rendering does not pay for them).
    """

    image: int
    x: float
    row_top: int
    piece: Any


@dataclass(frozen=True)
class LineBox:
    """One laid-out line (strip, folded row or page line) and the text it holds.

    ``top``/``bottom`` bound the line box; ``ink_top``/``ink_bottom`` the rows its
    ink covers, which on pages may reach past the box into the space between
    lines (crop these to read the line back: no other line's ink is inside).
    """

    image: int
    top: int
    bottom: int
    left: int
    right: int
    start: int
    end: int
    ink_top: int = -1
    ink_bottom: int = -1


@dataclass
class RenderResult:
    """The output of :meth:`mmx.render.Renderer.render`.

    Images are white with black text (grayscale arrays; ``images`` gives RGB
    PIL images when the profile asks for RGB). Patches are read image by image,
    row by row. Two patch counts: ``fed_patches``, every patch of every image
    (what a model is fed, blank ones and the end-of-sequence patch included;
    ``visual_tokens`` is it after the profile's patch merging), and
    ``ink_patches``, the patches holding at least one inked pixel of text
    (``text_patches`` is its former name). ``missing_glyphs`` lists code points drawn as tofu; nothing is
    dropped silently: text that did not fit is reported with ``truncated`` and
    ``truncated_at``; ink cut by the canvas sets ``clipped``.
    """

    text: str
    profile: RenderProfile
    arrays: list[np.ndarray]
    ink_patches: int
    visual_tokens: int
    missing_glyphs: list[MissingGlyph]
    control_chars: list[MissingGlyph]
    clipped: bool
    truncated: bool
    truncated_at: int | None
    stack: FontStack = field(repr=False)
    placements: list[Placement] = field(repr=False, default_factory=list)
    #: builds ``placements`` on first use (the fast strip path defers this work)
    placement_source: Callable[[], list[Placement]] | None = field(repr=False, default=None)
    line_height: int = 0
    #: rows of ink of each page line, by (image, line box top); lines not listed keep to their box
    line_ink: dict[tuple[int, int], tuple[int, int]] = field(repr=False, default_factory=dict)
    #: RGB (H, W, 3) versions of the images holding colour glyphs (colour emoji), RGB profiles
    #: only; None for an image without any, and empty when no image has one
    colour_arrays: list[np.ndarray | None] = field(repr=False, default_factory=list)

    # -- images and patches ----------------------------------------------
    @property
    def array(self) -> np.ndarray:
        """The first image as a (H, W) uint8 array."""
        return self.arrays[0]

    @property
    def width(self) -> int:
        return int(self.arrays[0].shape[1])

    @property
    def height(self) -> int:
        return int(self.arrays[0].shape[0])

    @property
    def images(self) -> list[Image.Image]:
        """The images as PIL images (mode ``RGB`` if the profile is RGB, else ``L``)."""
        from PIL import Image

        if not self.profile.rgb:
            return [Image.fromarray(a, "L") for a in self.arrays]
        return [Image.fromarray(a, "RGB") if a.ndim == 3 else Image.fromarray(a, "L").convert("RGB") for a in self.rgb_arrays]

    @property
    def rgb_arrays(self) -> list[np.ndarray]:
        """The images as RGB (H, W, 3) uint8 arrays: colour glyphs in colour, everything else grey."""
        colour = self.colour_arrays or [None] * len(self.arrays)
        return [c if c is not None else np.repeat(a[..., None], 3, axis=2) for a, c in zip(self.arrays, colour)]

    @property
    def image(self) -> Image.Image:
        return self.images[0]

    @property
    def num_patches(self) -> int:
        """Every patch of every image (same as ``fed_patches``)."""
        ps = self.profile.patch_size
        return sum((a.shape[0] // ps) * (a.shape[1] // ps) for a in self.arrays)

    @property
    def fed_patches(self) -> int:
        """Patches the model is fed: every patch of every image, blank or not."""
        return self.num_patches

    @property
    def text_patches(self) -> int:
        """Former name of ``ink_patches`` (patches holding ink), kept for callers."""
        return self.ink_patches

    def patches(self) -> np.ndarray:
        """All patches as (N, p, p) uint8, or (N, p, p, 3) for RGB profiles."""
        ps = self.profile.patch_size
        if self.profile.rgb and self.colour_arrays:
            out = []
            for a in self.rgb_arrays:
                h, w, _ = a.shape
                out.append(a.reshape(h // ps, ps, w // ps, ps, 3).transpose(0, 2, 1, 3, 4).reshape(-1, ps, ps, 3))
            return np.concatenate(out)
        out = []
        for a in self.arrays:
            h, w = a.shape
            out.append(a.reshape(h // ps, ps, w // ps, ps).transpose(0, 2, 1, 3).reshape(-1, ps, ps))
        pat = np.concatenate(out) if out else np.zeros((0, ps, ps), np.uint8)
        return np.repeat(pat[..., None], 3, axis=-1) if self.profile.rgb else pat

    def to_tensor(self):
        """The patch sequence as a float tensor (N, C, p, p) in [0, 1]."""
        import torch

        pat = self.patches()
        t = torch.from_numpy(np.ascontiguousarray(pat)).float().div_(255.0)
        return t.permute(0, 3, 1, 2).contiguous() if pat.ndim == 4 else t.unsqueeze(1)

    # -- offsets ---------------------------------------------------------
    def _patch_grid(self) -> tuple[list[int], list[int]]:
        ps = self.profile.patch_size
        bases, cols, acc = [], [], 0
        for a in self.arrays:
            bases.append(acc)
            cols.append(a.shape[1] // ps)
            acc += (a.shape[0] // ps) * (a.shape[1] // ps)
        return bases, cols

    def placed(self) -> list[Placement]:
        """Where every laid-out piece landed, image by image (built on first use)."""
        return self._placed()

    def _placed(self) -> list[Placement]:
        if self.placement_source is not None:
            self.placements = self.placement_source()
            self.placement_source = None
        return self.placements

    @cached_property
    def _units(self) -> list[tuple[int, int, int]]:
        """(char start, char end, patch index) of every placed unit."""
        ps = self.profile.patch_size
        bases, cols = self._patch_grid()
        text = self.text
        out = []
        for pl in self._placed():
            yc = pl.row_top + self.line_height // 2
            img_rows = self.arrays[pl.image].shape[0] // ps
            row = min(yc // ps, img_rows - 1)
            for run_start, end, u0, u1, shift, g, xo in pl.piece.parts():
                n = g.n_units
                for u in range(u0, n if u1 < 0 else u1):
                    s = run_start + g.ustart[u]
                    e = run_start + g.ustart[u + 1] if u + 1 < n else end
                    if text[s:e].isspace():  # spaces belong to no patch, whatever path drew them
                        continue
                    xc = pl.x + xo - shift + (g.ux0[u] + g.ux1[u]) / 2
                    col = min(max(int(xc // ps), 0), cols[pl.image] - 1)
                    out.append((s, e, bases[pl.image] + row * cols[pl.image] + col))
        return out

    @cached_property
    def char_to_patch(self) -> np.ndarray:
        """Patch index of every character of ``text`` (-1: not drawn: spaces, truncated text)."""
        out = np.full(len(self.text), -1, np.int32)
        for s, e, patch in self._units:
            out[s:e] = patch
        return out

    @cached_property
    def offset_mapping(self) -> list[tuple[int, int]]:
        """For every patch, the (start, end) character span drawn in it ((0, 0) if none), as in PIXEL."""
        spans: list[list[int]] = [[-1, -1] for _ in range(self.num_patches)]
        for s, e, patch in self._units:
            span = spans[patch]
            span[0] = s if span[0] < 0 else min(span[0], s)
            span[1] = max(span[1], e)
        return [(a, b) if a >= 0 else (0, 0) for a, b in spans]

    @cached_property
    def word_starts(self) -> list[int]:
        """Sorted patch indices where a whitespace-separated word begins."""
        starts = set()
        text = self.text
        for s, _e, patch in self._units:
            if s == 0 or text[s - 1].isspace():
                starts.add(patch)
        return sorted(starts)

    @cached_property
    def lines(self) -> list[LineBox]:
        """The laid-out lines with their pixel boxes and character spans (for OCR read-back)."""
        by_line: dict[tuple[int, int], list[Placement]] = {}
        for pl in self._placed():
            by_line.setdefault((pl.image, pl.row_top), []).append(pl)
        out = []
        for (img, top), pls in sorted(by_line.items()):
            left = int(min(pl.x for pl in pls))
            right = int(max(pl.x + pl.piece.width for pl in pls)) + 1
            start = min(pl.piece.start for pl in pls)
            end = max(pl.piece.end for pl in pls)
            ink_top, ink_bottom = self.line_ink.get((img, top), (top, top + self.line_height))
            out.append(LineBox(img, top, top + self.line_height, left, right, start, end, ink_top, ink_bottom))
        return out

    # -- reporting -------------------------------------------------------
    @property
    def fonts_hash(self) -> str:
        return self.stack.fonts_hash

    def to_dict(self) -> dict[str, Any]:
        """The JSON report of ``mmx render --json``."""
        return {
            "profile": self.profile.name,
            "width": self.width,
            "height": self.height,
            "images": len(self.arrays),
            "sizes": [[int(a.shape[1]), int(a.shape[0])] for a in self.arrays],
            "chars": len(self.text),
            "ink_patches": self.ink_patches,
            "fed_patches": self.fed_patches,
            "text_patches": self.text_patches,
            "visual_tokens": self.visual_tokens,
            "num_patches": self.num_patches,
            "missing_glyphs": [m.to_dict() for m in self.missing_glyphs],
            "control_chars": [m.to_dict() for m in self.control_chars],
            "clipped": self.clipped,
            "truncated": self.truncated,
            "truncated_at": self.truncated_at,
            "word_starts": self.word_starts,
            "fonts_hash": self.fonts_hash,
        }

    def visualize(self, scale: int = 1) -> list[Image.Image]:
        """RGB copies of the images with the patch grid drawn and tofu patches outlined in red."""
        from PIL import Image, ImageDraw

        ps = self.profile.patch_size
        bases, cols = self._patch_grid()
        bad = {int(self.char_to_patch[m.index]) for m in self.missing_glyphs if self.char_to_patch[m.index] >= 0}
        out = []
        colour = self.rgb_arrays if self.profile.rgb and self.colour_arrays else [None] * len(self.arrays)
        for i, (a, rgb) in enumerate(zip(self.arrays, colour)):
            im = Image.fromarray(rgb, "RGB") if rgb is not None else Image.fromarray(a, "L").convert("RGB")
            if scale > 1:
                im = im.resize((im.width * scale, im.height * scale), Image.NEAREST)
            draw = ImageDraw.Draw(im)
            s = ps * scale
            for x in range(0, im.width + 1, s):
                draw.line([(x, 0), (x, im.height)], fill=(120, 170, 255))
            for y in range(0, im.height + 1, s):
                draw.line([(0, y), (im.width, y)], fill=(120, 170, 255))
            rows = a.shape[0] // ps
            for patch in bad:
                local = patch - bases[i]
                if 0 <= local < rows * cols[i]:
                    r, c = divmod(local, cols[i])
                    draw.rectangle([c * s, r * s, (c + 1) * s - 1, (r + 1) * s - 1], outline=(230, 20, 20), width=max(1, scale // 2))
            out.append(im)
        return out

    def save(self, path: str, grid: bool = False, scale: int | None = None) -> list[str]:
        """Save the image(s) as PNG; more than one image get ``-1``, ``-2``... suffixes.

        ``grid`` saves the :meth:`visualize` view (patch grid, tofu outlined). ``scale``
        enlarges every image that many times, nearest neighbour (default :data:`GRID_SCALE`
        with ``grid``, else 1: the pixels as rendered).
        """
        from pathlib import Path

        from mmx.errors import InputError

        scale = (GRID_SCALE if grid else 1) if scale is None else scale
        if not isinstance(scale, int) or scale < 1:
            raise InputError(f"scale must be a whole number >= 1, got {scale!r}")
        out = Path(path)
        if out.parent and not out.parent.exists():
            raise InputError(f"cannot save to {path!r}: folder {str(out.parent)!r} does not exist")
        if grid:
            imgs = self.visualize(scale=scale)
        else:
            from PIL import Image

            imgs = [im.resize((im.width * scale, im.height * scale), Image.NEAREST) if scale > 1 else im
                    for im in self.images]
        if len(imgs) == 1:
            imgs[0].save(out, format="PNG")
            return [str(out)]
        paths = []
        for i, im in enumerate(imgs, 1):
            p = out.with_name(f"{out.stem}-{i}{out.suffix or '.png'}")
            im.save(p, format="PNG")
            paths.append(str(p))
        return paths
