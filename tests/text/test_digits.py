"""Tests of mmx.text.digits: the digit systems, reading any digits as ASCII, writing them."""

from __future__ import annotations

import sys
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mmx.errors import InputError
from mmx.text.digits import DIGITS, digit_table, to_ascii_digits, write_digits


def test_every_system_is_ten_decimal_digits_zero_to_nine() -> None:
    assert DIGITS["latin"] == "0123456789"
    assert DIGITS["devanagari"] == "०१२३४५६७८९"
    assert DIGITS["arabic_indic"] == "٠١٢٣٤٥٦٧٨٩"
    assert DIGITS["persian"] == "۰۱۲۳۴۵۶۷۸۹"  # 4, 5, 6 have their own shapes
    assert DIGITS["thai"] == "๐๑๒๓๔๕๖๗๘๙"
    for name, digits in DIGITS.items():
        assert [unicodedata.decimal(d) for d in digits] == list(range(10)), name
        assert len({unicodedata.name(d).rsplit(" ", 1)[0] for d in digits}) == 1, name  # one block


def test_the_reader_order_and_names_are_kept() -> None:
    # the tiny reader's configs and error messages name the systems in this order
    assert list(DIGITS) == ["latin", "arabic_indic", "persian", "devanagari", "bengali", "tamil",
                            "telugu", "thai", "myanmar", "khmer"]
    with pytest.raises(TypeError):
        DIGITS["roman"] = "I"  # type: ignore[index]


@pytest.mark.parametrize("name", list(DIGITS))
def test_write_then_read_round_trips(name: str) -> None:
    written = write_digits("40721", name)
    assert len(written) == 5 and written.isdecimal()
    assert to_ascii_digits(written) == "40721"


def test_write_digits_keeps_everything_but_ascii_digits() -> None:
    assert write_digits("409", "devanagari") == "४०९"
    assert write_digits("12.5% (3/4)", "thai") == "๑๒.๕% (๓/๔)"
    assert write_digits("T20 v ٣", "bengali") == "T২০ v ٣"
    assert write_digits("", "khmer") == ""
    assert write_digits("409", "latin") == "409"


def test_unknown_system_is_one_clear_line() -> None:
    with pytest.raises(InputError, match=r"unknown digit system 'devnagari' \(did you mean 'devanagari'\?\); known: latin"):
        write_digits("1", "devnagari")
    with pytest.raises(InputError, match="unknown digit system"):
        digit_table("roman")


def test_digit_table_maps_only_its_own_system() -> None:
    table = digit_table("devanagari")
    assert "१२ ٣ ๔ 5".translate(table) == "12 ٣ ๔ 5"
    assert "१२".translate(digit_table("devanagari", "arabic_indic")) == "١٢"
    assert digit_table("devanagari") is table  # cached: built once


def test_to_ascii_digits_reads_every_decimal_digit() -> None:
    assert to_ascii_digits("१२३ runs") == "123 runs"
    assert to_ascii_digits("٣٫٥ and ۴۵۶ and ๗ and １２") == "3٫5 and 456 and 7 and 12"
    assert to_ascii_digits("mixed 1२3") == "mixed 123"
    # not positional digits: superscripts, circled digits, fractions, Roman numerals
    assert to_ascii_digits("5 m² ① ½ Ⅻ") == "5 m² ① ½ Ⅻ"
    assert to_ascii_digits("") == ""


def test_to_ascii_digits_agrees_with_unicodedata_on_every_code_point() -> None:
    everything = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)
    out = to_ascii_digits(everything)
    assert len(out) == len(everything)
    changed = [(a, b) for a, b in zip(everything, out) if a != b]
    assert changed, "some digits must change"
    assert all(a.isdecimal() and b == str(unicodedata.decimal(a)) and not a.isascii() for a, b in changed)
    assert all(a.isascii() or not a.isdecimal() for a, b in zip(everything, out) if a == b)


@settings(max_examples=300, deadline=None)
@given(st.text(), st.sampled_from(list(DIGITS)))
def test_writing_then_reading_restores_ascii_digits(text: str, system: str) -> None:
    ascii_text = to_ascii_digits(text)
    assert to_ascii_digits(write_digits(ascii_text, system)) == ascii_text
