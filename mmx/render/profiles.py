"""Render profiles: frozen dataclasses that fix every geometric choice of a rendering.

Profiles are registry entries (``mmx.registry.profiles``); every field can be
overridden with :func:`dataclasses.replace` or ``get_profile(name, **overrides)``.
"""

from __future__ import annotations

import dataclasses
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
        problems = []
        if self.layout not in ("strip", "folded", "page"):
            problems.append(f"layout must be strip, folded or page (got {self.layout!r})")
        if self.overflow not in ("spill", "truncate"):
            problems.append(f"overflow must be spill or truncate (got {self.overflow!r})")
        if not 2 <= self.patch_size <= 1024:
            problems.append(f"patch_size must be 2..1024 (got {self.patch_size})")
        if self.height < 4 or self.width < self.patch_size:
            problems.append(f"height ({self.height}) must be >= 4 and width ({self.width}) >= patch_size")
        if not 1.0 <= self.font_size <= 512:
            problems.append(f"font_size must be 1..512 px (got {self.font_size})")
        if self.layout != "page" and self.height % self.patch_size:
            problems.append(f"strip height {self.height} must be a multiple of patch_size {self.patch_size}")
        if self.width % self.patch_size:
            problems.append(f"width {self.width} must be a multiple of patch_size {self.patch_size}")
        if self.merge < 1 or self.rows < 1 or self.max_images < 1:
            problems.append("merge, rows and max_images must be >= 1")
        if self.cjk not in ("sc", "tc", "jp", "kr"):
            problems.append(f"cjk must be sc, tc, jp or kr (got {self.cjk!r})")
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

#: Glyph (arXiv 2510.17800)-style dense pages: A4 at 72 dpi (595 x 842 px), 9 pt text,
#: 14 px patches merged 2x2 as in Qwen2.5-VL, word-wrapped, spilling into more pages.
PAGE = RenderProfile(
    name="page",
    layout="page",
    patch_size=14,
    height=840,
    width=588,
    max_patches=None,
    font_size=points_to_px(9, 72),
    margin=14,
    line_spacing=1.3,
    eos_patch=False,
    merge=2,
    overflow="spill",
    rgb=True,
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
