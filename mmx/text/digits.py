"""Decimal digit systems: reading any script's digits as ASCII, writing ASCII digits in one.

:data:`DIGITS` names every digit system mmx writes (the tiny reader's training and
test scripts, the Devanagari numbers of MMCricBench cards). Reading needs no list:
:func:`to_ascii_digits` turns every Unicode decimal digit (general category Nd) into
its ASCII digit, so digits of systems not named here are read too.
"""

from __future__ import annotations

import functools
import unicodedata
from types import MappingProxyType

from mmx.errors import InputError

__all__ = ["DIGITS", "digit_table", "to_ascii_digits", "write_digits"]

# Code point of each system's digit zero; Unicode puts zero..nine at consecutive code
# points in every decimal digit system, so the zero fixes all ten.
_ZERO: dict[str, int] = {
    "latin": 0x30,  # Western (ASCII) digits
    "arabic_indic": 0x660,
    "persian": 0x6F0,  # Extended Arabic-Indic: 4, 5, 6 differ from Arabic-Indic
    "devanagari": 0x966,
    "bengali": 0x9E6,
    "tamil": 0xBE6,
    "telugu": 0xC66,
    "thai": 0xE50,
    "myanmar": 0x1040,
    "khmer": 0x17E0,
}

#: digit system name -> its ten digits, zero to nine (``DIGITS["devanagari"] == "०१२३४५६७८९"``);
#: ``"latin"`` is the Western (ASCII) ``"0123456789"``. Read-only.
DIGITS: MappingProxyType[str, str] = MappingProxyType(
    {name: "".join(chr(zero + i) for i in range(10)) for name, zero in _ZERO.items()}
)


def _system(name: str) -> str:
    digits = DIGITS.get(name)
    if digits is None:
        import difflib

        close = difflib.get_close_matches(str(name), list(DIGITS), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise InputError(f"unknown digit system {name!r}{hint}; known: {', '.join(DIGITS)}")
    return digits


@functools.cache
def digit_table(source: str, target: str = "latin") -> dict[int, int]:
    """A ``str.translate`` table from one digit system's digits to another's.

    Only the ten digits of ``source`` change; every other character, digits of other
    systems included, is kept. ``digit_table("devanagari")`` reads Devanagari digits
    as ASCII; ``digit_table("latin", "thai")`` writes ASCII digits in Thai ones.
    Raises :class:`~mmx.errors.InputError` for an unknown name. Do not modify the
    returned table: it is cached and shared.
    """
    return str.maketrans(_system(source), _system(target))


def write_digits(text: str, system: str) -> str:
    """``text`` with its ASCII digits written in ``system``'s digits; other characters kept.

    ``write_digits("409", "devanagari") == "४०९"``; ``write_digits("12.5%", "thai")
    == "๑๒.๕%"``. Raises :class:`~mmx.errors.InputError` for an unknown system.
    """
    return text.translate(digit_table("latin", system))


class _AsciiDigits(dict):
    """``str.translate`` table: any Unicode decimal digit to its ASCII digit, filled lazily.

    ``unicodedata.decimal`` rather than ``.digit``: ``.digit`` also maps superscripts and
    circled digits (``'²'``, ``'①'``), which are not positional digits (``"5 m²"`` is one
    number). Decimal digits are exactly the characters for which ``str.isdecimal()`` holds.
    """

    def __missing__(self, cp: int) -> str:
        ch = chr(cp)
        value = unicodedata.decimal(ch, None)
        self[cp] = out = ch if value is None else str(value)
        return out


_ASCII = _AsciiDigits()


def to_ascii_digits(text: str) -> str:
    """``text`` with every Unicode decimal digit (category Nd, any script) as its ASCII digit.

    ``to_ascii_digits("१२३ runs") == "123 runs"``; Arabic-Indic, Persian, Thai,
    full-width and all other decimal digits are read the same way, mixed or not.
    Everything else is kept, including superscripts and circled digits (not
    positional digits) and separators such as the Arabic decimal sign ``٫``.
    """
    if text.isascii():  # the common case: nothing to map
        return text
    return text.translate(_ASCII)
