"""bidi_levels reads python-bidi's debug report (its Python API returns only the
reordered string); these cases pin that format: levels per character, whatever
the character's UTF-8 width, and the paragraph level."""

from __future__ import annotations

import pytest

from mmx.render.itemize import bidi_levels


@pytest.mark.parametrize(
    ("text", "levels", "base"),
    [
        ("abc שלום", [0, 0, 0, 0, 1, 1, 1, 1], 0),
        ("שלום abc 123", [1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2], 1),
        ("abc (עברית) 2024", [0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 0, 0, 2, 2, 2, 2], 0),
        ("مرحبا 😀 ok", [1, 1, 1, 1, 1, 1, 1, 1, 2, 2], 1),  # a 4-byte emoji counts once
        ("नमस्ते", [0] * 6, 0),  # no RTL: python-bidi is not asked
        ("", [], 0),
    ],
)
def test_levels_per_character(text: str, levels: list[int], base: int) -> None:
    got, got_base = bidi_levels(text)
    assert got.tolist() == levels and got_base == base


def test_lone_surrogate_keeps_the_length() -> None:
    got, base = bidi_levels("שלום \udc80 x")
    assert len(got) == len("שלום \udc80 x") and base == 1
