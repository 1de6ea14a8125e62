"""Render profiles: frozen dataclasses that fix every geometric choice of a rendering.

Profiles are registry entries (``mmx.registry.profiles``); every field can be
overridden with :func:`dataclasses.replace` or ``get_profile(name, **overrides)``.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Literal

from mmx.errors import InputError

Layout = Literal["strip", "folded", "page"]
Overflow = Literal["spill", "truncate"]


@dataclass(frozen=True)
class RenderProfile:
    """Every knob of a rendering; the defaults of a field are the PIXEL ones.

    Geometry is in pixels. ``font_size`` is the em size of the primary (Latin)
    font; other scripts are scaled down only as far as needed for their ink to
    fit the line box (see ``mmx.render.fonts``), never up.
    """

    name: str = "custom"
    layout: Layout = "strip"
    patch_size: int = 16
    #: strip height, or page height for ``layout="page"``
    height: int = 16
    #: maximum strip width (strip), row width (folded) or page width (page), in px
    width: int = 529 * 16
    #: maximum number of patches per image including the end-of-sequence patch (strip)
    max_patches: int | None = 529
    #: rows per image for ``layout="folded"`` (the fold height is rows * height)
    rows: int = 1
    font_size: float = 12.0
    #: left/right padding before the first and after the last glyph, in px
    pad: int = 2
    #: page margins (page layout), in px
    margin: int = 0
    #: line pitch as a multiple of ``font_size`` (page layout)
    line_spacing: float = 1.25
    #: add a black end-of-sequence patch after the text (PIXEL)
    eos_patch: bool = True
    #: vision-LM patch merging factor per side (Qwen2.5-VL merges 2x2 patches into one token)
    merge: int = 1
    #: what to do with text that does not fit one image
    overflow: Overflow = "truncate"
    #: maximum number of images for ``overflow="spill"`` (guards against runaway input)
    max_images: int = 64
    rgb: bool = False
    #: crop the last image to the rows/lines actually used (folded and page layouts)
    crop: bool = True
    #: extra font files or folders, searched before the bundled stack
    fonts: tuple[str, ...] = ()
    #: CJK face preference when a text is ambiguous: "sc", "tc", "jp", "kr"
    cjk: str = "sc"
    #: HarfBuzz language tag (BCP 47) for language-specific forms, or None
    language: str | None = None

    def __post_init__(self) -> None:
        problems = _problems(self)
        if problems:
            raise InputError(f"render profile {self.name!r}: " + "; ".join(problems))

    def replace(self, **overrides: object) -> RenderProfile:
        """A copy with some fields changed; unknown field names are an error."""
        fields = {f.name for f in dataclasses.fields(self)}
        unknown = sorted(set(overrides) - fields)
        if unknown:
            import difflib

            hints = [difflib.get_close_matches(u, fields, n=1) for u in unknown]
            said = ", ".join(f"{u!r}" + (f" (did you mean {h[0]!r}?)" if h else "") for u, h in zip(unknown, hints))
            raise InputError(f"unknown render profile field(s) {said}; fields are: {', '.join(sorted(fields))}")
        return dataclasses.replace(self, **overrides)  # type: ignore[arg-type]


#: the largest image side a profile may ask for, in px (a guard against runaway allocations)
MAX_SIDE = 1 << 20


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _problems(p: RenderProfile) -> list[str]:
    """Every invalid field of a profile, each named with its value and what it accepts."""
    problems: list[str] = []

    def need(ok: bool, message: str) -> None:
        if not ok:
            problems.append(message)

    for name in ("patch_size", "height", "width", "rows", "pad", "margin", "merge", "max_images"):
        value = getattr(p, name)
        need(_is_int(value), f"{name} must be a whole number (got {value!r})")
    for name in ("eos_patch", "rgb", "crop"):
        value = getattr(p, name)
        need(isinstance(value, bool), f"{name} must be true or false (got {value!r})")
    for name in ("font_size", "line_spacing"):
        value = getattr(p, name)
        need(isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value),
             f"{name} must be a number (got {value!r})")
    need(p.max_patches is None or _is_int(p.max_patches), f"max_patches must be a whole number or None (got {p.max_patches!r})")
    need(isinstance(p.name, str), f"name must be a string (got {p.name!r})")
    need(p.language is None or isinstance(p.language, str), f"language must be a BCP 47 tag such as 'hi' or None (got {p.language!r})")
    need(isinstance(p.fonts, tuple) and all(isinstance(f, str) for f in p.fonts), f"fonts must be a tuple of paths (got {p.fonts!r})")
    if problems:  # the range checks below assume the types
        return problems
    need(p.layout in ("strip", "folded", "page"), f"layout must be strip, folded or page (got {p.layout!r})")
    need(p.overflow in ("spill", "truncate"), f"overflow must be spill or truncate (got {p.overflow!r})")
    need(p.cjk in ("sc", "tc", "jp", "kr"), f"cjk must be sc, tc, jp or kr (got {p.cjk!r})")
    need(2 <= p.patch_size <= 1024, f"patch_size must be 2..1024 px (got {p.patch_size})")
    need(4 <= p.height <= MAX_SIDE, f"height must be 4..{MAX_SIDE} px (got {p.height})")
    need(1 <= p.width <= MAX_SIDE, f"width must be 1..{MAX_SIDE} px (got {p.width})")
    need(1.0 <= p.font_size <= 512, f"font_size must be 1..512 px (got {p.font_size})")
    need(0.5 <= p.line_spacing <= 10, f"line_spacing must be 0.5..10 times font_size (got {p.line_spacing})")
    need(0 <= p.pad <= p.width // 2, f"pad must be 0..{p.width // 2} px, half the width (got {p.pad})")
    if p.layout == "page":  # only pages have margins
        need(0 <= 2 * p.margin < min(p.width, p.height),
             f"margin must be 0..{max(min(p.width, p.height) - 1, 0) // 2} px, leaving room inside the page (got {p.margin})")
    else:
        need(p.margin >= 0, f"margin must be 0 or more px (got {p.margin})")
    need(1 <= p.rows <= 4096, f"rows must be 1..4096 (got {p.rows})")
    need(1 <= p.merge <= 64, f"merge must be 1..64 (got {p.merge})")
    need(1 <= p.max_images <= 100_000, f"max_images must be 1..100000 (got {p.max_images})")
    if p.max_patches is not None:
        least = 2 if p.eos_patch else 1
        need(least <= p.max_patches <= MAX_SIDE, f"max_patches must be {least}..{MAX_SIDE} (one patch of text"
             + (" and the end-of-sequence patch" if p.eos_patch else "") + f"), or None for no cap (got {p.max_patches})")
    if 2 <= p.patch_size <= 1024:  # divisibility only means something for a valid patch size
        if p.layout != "page" and p.height % p.patch_size:
            problems.append(f"strip height {p.height} must be a multiple of patch_size {p.patch_size}")
        if p.width % p.patch_size or p.width < p.patch_size:
            problems.append(f"width {p.width} must be a multiple of patch_size {p.patch_size}")
    return problems


def points_to_px(points: float, dpi: float) -> float:
    """Font size in px for a size in typographic points at a resolution in dpi."""
    return points * dpi / 72.0


#: PIXEL (Rust et al., 2023): 16 px strip, 16x16 patches, 529 patches with a black
#: end-of-sequence patch. PIXEL sets 8 pt at 120 dpi (13.3 px) in Pango, whose
#: ascenders and descenders overflow 16 px; 11 px keeps Noto's ink inside the strip.
PIXEL = RenderProfile(name="pixel", font_size=11.0)

#: pixel-renderer's defaults (block_size=16, font_size=12, no cap on length): the
#: equal-settings profile of `mmx bench render --vs pixel-renderer`.
PIXEL_RENDERER = RenderProfile(
    name="pixel_renderer", font_size=12.0, max_patches=None, width=1 << 20, eos_patch=False, overflow="truncate"
)

#: SeeTok (arXiv 2510.18840): 14 px patches, Noto Sans at 7 px; the 14 x 3584 strip
#: (the pixel budget of a 224 x 224 image) is folded into 16 rows of 224 px so that
#: Qwen2.5-VL's 2x2 patch merger sees neighbouring patches; 4 patches -> 1 token.
SEETOK = RenderProfile(
    name="seetok",
    layout="folded",
    patch_size=14,
    height=14,
    width=224,
    rows=16,
    max_patches=None,
    font_size=7.0,
    pad=1,
    eos_patch=False,
    merge=2,
    overflow="spill",
    rgb=True,
)

#: Glyph (arXiv 2510.17800)-style dense pages: A4 at 72 dpi (595 x 842 px), 10 px text,
#: 14 px patches merged 2x2 as in Qwen2.5-VL, word-wrapped, spilling into more pages.
#: Legibility fix (docs/render.md, "Read-back on pages"): text was 9 pt at 72 dpi (9 px),
#: where tesseract misread Thai, Hangul, Ethiopic and Vietnamese detail (9-11% error on
#: Thai, Korean and Amharic lines 101-200); at 10 px (7.5 pt at 96 dpi, chosen on lines
#: 1-100) 6-8%, for 13% of the page's compression (mean ratio 4.40 -> 3.83).
PAGE = RenderProfile(
    name="page",
    layout="page",
    patch_size=14,
    height=840,
    width=588,
    max_patches=None,
    font_size=points_to_px(7.5, 96),
    margin=14,
    line_spacing=1.3,
    eos_patch=False,
    merge=2,
    overflow="spill",
    rgb=True,
)


#: The shipped pretrained visual-text encoder's rows (configs/visual_text_distill.yaml):
#: SeeTok's folded layout with 16 px patches and 12 px text, 256 px rows, up to 8 rows
#: (128 patches, 32 tokens after the 2x2 merger) per image. 12 px text in 16 px rows keeps
#: Devanagari's and Thai's stacked marks inside their row and CJK strokes apart, where
#: SeeTok's 7 px (read by Qwen2.5-VL's large encoder) blurs them for a small one; the
#: choice was made by eye, not measured against seetok (docs/visual_text.md).
VISUAL_TEXT = RenderProfile(
    name="visual_text",
    layout="folded",
    patch_size=16,
    height=16,
    width=256,
    rows=8,
    max_patches=None,
    font_size=12.0,
    pad=1,
    eos_patch=False,
    merge=2,
    overflow="spill",
)


#: The tiny reader's strip (configs/tiny_reader.yaml): 28 px high so a 2x2 merger sees
#: two patch rows, 18 px text, 140 px wide = 10 x 2 patches = 5 visual tokens.
READER = RenderProfile(
    name="reader",
    patch_size=14,
    height=28,
    width=140,
    max_patches=None,
    font_size=18.0,
    pad=3,
    eos_patch=False,
    merge=2,
    overflow="truncate",
)


def get_profile(name_or_profile: str | RenderProfile = "pixel", **overrides: object) -> RenderProfile:
    """The registered profile ``name`` (or the given profile) with ``overrides`` applied."""
    if isinstance(name_or_profile, RenderProfile):
        profile = name_or_profile
    else:
        from mmx.registry import profiles

        profile = profiles.get(name_or_profile)
    return profile.replace(**overrides) if overrides else profile


def list_profiles() -> list[str]:
    """Names of the registered render profiles."""
    from mmx.registry import profiles

    return profiles.names()
