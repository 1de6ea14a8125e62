"""pooled_rate: a pooled rate (edits over characters) with a bootstrap interval over items."""

from __future__ import annotations

import math

import pytest

from mmx.eval.metrics import pooled_rate


def test_pooled_rate_weighs_items_by_their_denominator() -> None:
    out = pooled_rate([1, 0, 3], [10, 10, 20])
    assert out["rate"] == pytest.approx(4 / 40)
    assert out["n"] == 3
    assert out["lo"] <= out["rate"] <= out["hi"]


def test_pooled_rate_interval_is_deterministic_and_narrows_with_items() -> None:
    few = pooled_rate([1, 0] * 5, [10] * 10, seed=3)
    many = pooled_rate([1, 0] * 200, [10] * 400, seed=3)
    assert few == pooled_rate([1, 0] * 5, [10] * 10, seed=3)
    assert few["rate"] == many["rate"] == pytest.approx(0.05)
    assert many["hi"] - many["lo"] < few["hi"] - few["lo"]


def test_pooled_rate_constant_items_have_a_zero_width_interval() -> None:
    out = pooled_rate([2, 2, 2], [4, 4, 4])
    assert out["rate"] == out["lo"] == out["hi"] == 0.5


def test_pooled_rate_empty_and_bad_input() -> None:
    out = pooled_rate([], [])
    assert out["n"] == 0 and math.isnan(out["rate"])
    with pytest.raises(ValueError):
        pooled_rate([1], [0])
    with pytest.raises(ValueError):
        pooled_rate([1, 2], [3])
