"""Other renderers, run side by side with ours for speed comparisons.

A *peer* is a third-party text renderer wrapped behind one tiny interface:
``render(text) -> numpy.ndarray``. Peers are optional: importing this module
never imports them (``pixel-renderer`` pulls in torch and transformers, about
six seconds), and a peer that is not installed fails only when it is created,
with a message that says how to install it.
"""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING, Any

from mmx.errors import InputError, MissingDependencyError, UnknownNameError

if TYPE_CHECKING:
    from collections.abc import Callable

    import numpy as np

# The recipe that works on Debian 12 (GLib 2.74): PyGObject >= 3.52 builds only
# against girepository-2.0 (GLib >= 2.80), so it must be capped; pycairo and
# PyGObject compile from source (gcc, the -dev packages, and Python's headers:
# python3-dev for Debian's own Python). fonts-noto-core gives fontconfig's "sans"
# fallbacks for Indic, Thai, Ethiopic and other scripts that DejaVu lacks (without
# it those lines render as hex boxes, which changes the speed too, so a speed
# run would not be like for like); fonts-noto-cjk does the same for CJK and Hangul.
PIXEL_RENDERER_INSTALL = (
    "apt-get update && apt-get install -y gcc pkg-config libcairo2-dev "
    "libgirepository1.0-dev gir1.2-pango-1.0 libpango1.0-dev fonts-noto-core fonts-noto-cjk\n"
    'pip install "pixel-renderer[pangocairo]==0.1.5" "PyGObject<3.52"\n'
    '(or: pip install "mmx[speed]")'
)


class PixelRendererPeer:
    """pixel-renderer (PangoCairo) at given settings, for side-by-side speed runs.

    pixel-renderer is the renderer of the PIXEL model. Its ``render_text`` sets
    the text on one line in fontconfig's ``"sans"`` family at ``font_size`` px,
    black on white, 5 px from the left and vertically centred, and returns an
    RGB ``(block_size, W, 3)`` uint8 array where ``W`` is the layout's logical width
    plus 10 px rounded up to a multiple of ``block_size`` (an empty text gives
    one block). There is no length cap. Tabs, newlines and other C0 controls are
    drawn as Unicode control pictures (U+2400..); spaces stay spaces. Text in
    SignWriting (SWU) takes another path and can be taller than ``block_size``.

    Fonts come from the system's fontconfig, so its output (and its speed)
    depends on which fonts are installed. With Debian 12's fonts-noto-core and
    fonts-noto-cjk it picks Noto Sans Grantha for Tamil ப and வ, which splits
    their clusters and draws dotted circles; DejaVu Sans for Arabic, Persian and
    Hebrew; Noto Sans CJK JP for Chinese and Korean. It also clips the top 1-2 px of
    Thai stacked marks and Arabic hamza/harakat at 12 px in a 16 px strip. So
    compare it with us for speed, not for looks. It keeps one Pango layout and one
    canvas per height in module globals: not thread-safe, fine across processes.
    """

    name = "pixel-renderer"

    def __init__(self, block_size: int = 16, font_size: int = 12) -> None:
        """Import pixel-renderer and fix the settings.

        Raises:
            MissingDependencyError: pixel-renderer, PyGObject, pycairo or the
                Pango/Cairo introspection data are missing.
            InputError: a size that is not a positive integer.
        """
        for label, value in (("block_size", block_size), ("font_size", font_size)):
            # bool is an int subclass; True would silently mean a 1 px strip.
            if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
                raise InputError(f"{label} must be a positive integer, got {value!r}")
        self.block_size = block_size
        self.font_size = font_size
        self._render_text = self._import_render_text()

    @staticmethod
    def _import_render_text() -> Callable[..., np.ndarray]:
        # Load mmx's FreeType (freetype-py's bundled 2.13) before Pango brings in
        # the system's: both are libfreetype.so.6, the dynamic loader keeps the
        # first, and freetype-py on the system's older FreeType crashes on
        # variable fonts. Pango runs fine on the newer library.
        import freetype

        freetype.version()
        try:
            from pixel_renderer.renderer import render_text
        except (ImportError, ValueError) as exc:
            # gi.require_version raises ValueError when a typelib (Pango,
            # PangoCairo) is absent; require_foreign raises ImportError when
            # PyGObject was built without cairo support.
            raise MissingDependencyError(
                f"the speed peer 'pixel-renderer' cannot be imported ({type(exc).__name__}: {exc}). "
                f"Install it with:\n{PIXEL_RENDERER_INSTALL}"
            ) from exc
        return render_text

    def render(self, text: str) -> np.ndarray:
        """The rendered line as an RGB ``(block_size, W, 3)`` uint8 array."""
        # pixel-renderer returns a fresh array (its BGRX->RGB conversion copies
        # out of the shared canvas), so callers may keep it.
        return self._render_text(text, block_size=self.block_size, font_size=self.font_size)

    @staticmethod
    def version() -> str:
        """The installed pixel-renderer version, read without importing it."""
        from importlib import metadata  # ~30 ms; only speed runs ask for it

        try:
            return metadata.version("pixel-renderer")
        except metadata.PackageNotFoundError as exc:
            raise MissingDependencyError(
                f"the speed peer 'pixel-renderer' is not installed. Install it with:\n"
                f"{PIXEL_RENDERER_INSTALL}"
            ) from exc

    def __repr__(self) -> str:
        return f"{type(self).__name__}(block_size={self.block_size}, font_size={self.font_size})"


class PillowRaqmPeer:
    """A plain Pillow + raqm line renderer: HarfBuzz shaping, no glyph cache.

    The design alternative mmx's renderer was measured against: Pillow's
    ``ImageDraw.text`` with the raqm layout shapes runs with HarfBuzz and FriBiDi
    but rasterizes every glyph again on every call, and exposes no glyph ids or
    positions to cache. The font of a line is mmx's choice for its first letter
    (one font per line: enough for a speed comparison, not for mixed scripts).
    """

    name = "pillow-raqm"

    def __init__(self, block_size: int = 16, font_size: int = 12) -> None:
        from PIL import features

        if not features.check("raqm"):
            raise MissingDependencyError("Pillow was built without raqm; install a Pillow wheel from PyPI (pip install -U pillow)")
        self.block_size = int(block_size)
        self.font_size = int(font_size)
        self._fonts: dict[int, Any] = {}

    def _font(self, text: str) -> Any:
        from PIL import ImageFont

        from mmx.render.engine import font_stack
        from mmx.render.itemize import script_of

        stack = font_stack()
        script = next((s for s in map(script_of, text) if s not in ("Zyyy", "Zinh", "Zzzz")), "Latn")
        face = next((i for i in stack.order_for(script, "sc") if any(ord(c) in stack.faces[i].coverage for c in text[:8])), stack.primary)
        font = self._fonts.get(face)
        if font is None:
            f = stack.faces[face]
            font = ImageFont.truetype(f.path, self.font_size, index=f.index, layout_engine=ImageFont.Layout.RAQM)
            if f.variations:
                font.set_variation_by_axes(list(f.design_coords))
            self._fonts[face] = font
        return font

    def render(self, text: str) -> np.ndarray:
        import numpy as np
        from PIL import Image, ImageDraw

        font = self._font(text)
        width = int(font.getlength(text)) + 10
        width = max(-(-width // self.block_size), 1) * self.block_size
        img = Image.new("L", (width, self.block_size), 255)
        ImageDraw.Draw(img).text((5, self.block_size // 2), text, font=font, fill=0, anchor="lm")
        return np.asarray(img)

    @staticmethod
    def version() -> str:
        import PIL

        return f"Pillow {PIL.__version__} (raqm)"


PEERS: dict[str, type] = {PixelRendererPeer.name: PixelRendererPeer, PillowRaqmPeer.name: PillowRaqmPeer}


def create_peer(name: str, **kwargs: Any) -> object:
    """An instance of the peer called ``name``, built with ``kwargs``.

    Raises:
        UnknownNameError: no such peer; the message suggests close names.
    """
    try:
        cls = PEERS[name]
    except (KeyError, TypeError):  # TypeError: an unhashable name
        close = difflib.get_close_matches(str(name), list(PEERS), n=3, cutoff=0.5)
        hint = f" Did you mean {', '.join(repr(c) for c in close)}?" if close else ""
        known = ", ".join(sorted(PEERS))
        raise UnknownNameError(
            f"unknown speed peer {name!r}.{hint} Known speed peers: {known}."
        ) from None
    return cls(**kwargs)
