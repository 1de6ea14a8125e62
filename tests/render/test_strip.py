"""The strip path (mmx/render/strip.py): which texts it draws, and that what it draws is the renderer's result."""

from __future__ import annotations

import numpy as np
import pytest

from mmx.render.engine import Renderer


@pytest.mark.parametrize("profile", ["pixel", "pixel_renderer"])
def test_the_strip_path_draws_one_paragraph_that_fits(profile: str) -> None:
    r = Renderer(profile)
    for text in ["Hello world", "Hello नमस्ते مرحبا 你好 שלום!", "emoji 😀 and a flag 🇯🇵", "  spaces  around  "]:
        fast = r._strip.render(text, len(text))
        assert fast is not None, text
        res = r.render(text)
        assert len(res.arrays) == 1 and np.array_equal(fast.array, res.array), text
        assert fast.ink_patches == res.ink_patches and fast.char_to_patch.tolist() == res.char_to_patch.tolist()
        drawn = [i for i, ch in enumerate(text) if not ch.isspace()]
        assert (fast.char_to_patch[drawn] >= 0).all(), text  # every visible character lands in a patch


def test_the_strip_path_leaves_other_texts_to_the_layout_path() -> None:
    r = Renderer("pixel")
    too_long = "word " * 2000
    mixed_token = "abc\u202bעברית\u202cdef"  # one token of two bidi levels
    for text in ["a\tb", too_long, mixed_token, "", "   "]:
        assert r._strip.render(text, len(text)) is None, text[:20]
        assert r.render(text).arrays, text[:20]  # the token/layout path draws it
