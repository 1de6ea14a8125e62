"""Tests of mmx.text.distance: edit distance and the one character error rate."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mmx.errors import InputError
from mmx.text.distance import cer, cer_counts, edit_distance, pooled_cer


def _levenshtein(a: str, b: str) -> int:
    """The textbook dynamic programme: the oracle rapidfuzz must agree with."""
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def test_edit_distance_known_values() -> None:
    assert edit_distance("kitten", "sitting") == 3
    assert edit_distance("", "abc") == edit_distance("abc", "") == 3
    assert edit_distance("", "") == 0
    assert edit_distance("कोहली", "कोहलि") == 1  # one vowel sign substituted
    assert edit_distance("caf\u00e9", "cafe\u0301") == 2  # code points, not normalised
    assert isinstance(edit_distance("a", "b"), int)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=15), st.text(max_size=15))
def test_edit_distance_is_levenshtein_over_code_points(a: str, b: str) -> None:
    assert edit_distance(a, b) == _levenshtein(a, b) == edit_distance(b, a)


def test_cer_is_edits_over_reference_length() -> None:
    assert cer("hello world", "hello world") == 0.0
    assert cer("kitten", "sitting") == pytest.approx(3 / 6)
    assert cer("abcd", "") == 1.0
    assert cer("12", "1234") == 1.0
    assert cer("1", "1234") == 3.0  # exceeds 1 when the hypothesis runs on
    assert cer("abcd", None) == 1.0  # no reader: an empty reading


def test_cer_empty_reference_divides_by_one() -> None:
    assert cer("", "") == 0.0
    assert cer("", "xy") == 2.0
    assert cer("   ", "x") == 1.0  # whitespace-only is empty after folding


def test_cer_normalises_nfc_and_whitespace() -> None:
    assert cer("a  b\tc ", " a b\nc") == 0.0
    assert cer("caf\u00e9", "cafe\u0301") == 0.0
    assert cer("ab", "a b") == 0.5  # an inserted space counts ...
    assert cer("我们是学生", "我 们 是 学生") == pytest.approx(3 / 5)
    assert cer("我们是学生", "我 们 是 学生", ignore_spaces=True) == 0.0  # ... unless spaces are ignored
    assert cer("ภาษา ไทย", "ภาษาไทย", ignore_spaces=True) == 0.0
    assert cer_counts("ภาษา ไทย", "ภาษาไทย", ignore_spaces=True) == (0, 7)


def test_cer_matches_the_reader_convention_on_digit_strings() -> None:
    # the tiny reader scored with torchmetrics' char_error_rate: edits / len(target)
    for target, pred in (("409", "409"), ("409", "49"), ("409", ""), ("12345", "54321"), ("7", "77")):
        assert cer(target, pred) == edit_distance(target, pred) / len(target)


def test_cer_bad_input() -> None:
    with pytest.raises(InputError, match="cer\\(\\) compares strings, got int and str"):
        cer(12, "12")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="compares strings"):
        cer("12", 12)  # type: ignore[arg-type]


def test_pooled_cer_weighs_lines_by_length() -> None:
    pairs = [("abcdefghij", "abcdefghij"), ("ab", "")]
    assert pooled_cer(pairs) == pytest.approx(2 / 12)  # the mean of per-line rates would be 0.5
    assert pooled_cer(iter(pairs)) == pooled_cer(pairs)
    assert pooled_cer([("", "x"), ("ab", "ab")]) == pytest.approx(1 / 3)  # an empty line weighs 1
    assert pooled_cer([("a b", "ab")], ignore_spaces=True) == 0.0
    assert math.isnan(pooled_cer([]))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=12), st.text(max_size=12))
def test_pooled_cer_of_one_line_is_its_cer(ref: str, hyp: str) -> None:
    assert pooled_cer([(ref, hyp)]) == pytest.approx(cer(ref, hyp))
