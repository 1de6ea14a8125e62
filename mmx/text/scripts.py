"""Writing systems of characters and strings, as ISO 15924 codes (``"Latn"``, ``"Deva"``, ...).

The script property comes from fontTools' copy of the Unicode Character Database
(Python's :mod:`unicodedata` has none), the same data the renderer shapes with.
"""

from __future__ import annotations

import re
from collections import Counter

__all__ = ["DEVANAGARI", "NEUTRAL", "dominant_script", "has_devanagari", "script_of"]

#: the Devanagari block, U+0900..U+097F, as a regular-expression character class body
DEVANAGARI = "\u0900-\u097f"
#: codes of characters that belong to no one script: common (digits, punctuation,
#: spaces), inherited (combining marks) and unknown (unassigned, lone surrogates)
NEUTRAL = frozenset(("Zyyy", "Zinh", "Zzzz"))

_DEVA = re.compile(f"[{DEVANAGARI}]")
_CACHE: dict[str, str] = {}


def script_of(ch: str) -> str:
    """ISO 15924 code of one character's script (``"Zyyy"`` common, ``"Zinh"`` inherited).

    A lone surrogate (text decoded with ``surrogateescape``) is ``"Zzzz"``.
    """
    s = _CACHE.get(ch)
    if s is None:
        # fontTools is a core dependency, but importing it costs ~50 ms that most
        # callers of this package (digits, distances) never need
        from fontTools import unicodedata as fu

        s = "Zzzz" if 0xD800 <= ord(ch) <= 0xDFFF else fu.script(ch)
        _CACHE[ch] = s
    return s


def dominant_script(text: str) -> str | None:
    """The script of most of ``text``'s characters, not counting :data:`NEUTRAL` ones.

    Ties go to the script met first; None when no character has a script of its
    own (empty text, or only ASCII digits, spaces, punctuation and generic
    combining marks). A script's own digits and signs count for it:
    ``"१२"`` is ``"Deva"``, ``"12"`` is None.
    """
    counts: Counter[str] = Counter()
    for ch in text:
        s = script_of(ch)
        if s not in NEUTRAL:
            counts[s] += 1
    # Counter keeps first-insertion order and most_common is stable: ties go to the first met
    return counts.most_common(1)[0][0] if counts else None


def has_devanagari(text: str) -> bool:
    """Whether ``text`` holds any character of the Devanagari block (letters, signs or digits)."""
    return bool(_DEVA.search(text))
