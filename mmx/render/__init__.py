"""Text as pixels: any text, in any script, rendered for visual tokenization.

>>> from mmx.render import render_text
>>> result = render_text("नमस्ते दुनिया", profile="seetok")  # doctest: +SKIP
>>> result.visual_tokens, result.missing_glyphs  # doctest: +SKIP

Names load lazily so ``import mmx.render`` stays cheap.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "Renderer": "mmx.render.engine",
    "render_text": "mmx.render.engine",
    "font_stack": "mmx.render.engine",
    "render_batch": "mmx.render.batch",
    "RenderCollate": "mmx.render.batch",
    "RenderResult": "mmx.render.result",
    "MissingGlyph": "mmx.render.result",
    "RenderProfile": "mmx.render.profiles",
    "get_profile": "mmx.render.profiles",
    "list_profiles": "mmx.render.profiles",
    "points_to_px": "mmx.render.profiles",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'mmx.render' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
