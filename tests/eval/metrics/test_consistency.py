"""Consistency across forms: PuMVR's Script Consistency Rate, McNemar's exact test, Holm's correction.

Values are computed by hand here, and compared with scipy and statsmodels (two other implementations)."""

from __future__ import annotations

import math

import pytest

from mmx.eval.metrics import (
    holm,
    holm_adjusted,
    mcnemar_exact,
    mcnemar_test,
    script_consistency_rate,
)


def test_mcnemar_exact_by_hand() -> None:
    # b + c = 10 discordant pairs; P(X <= 2 | Bin(10, 1/2)) = (1 + 10 + 45) / 1024; two-sided doubles it
    assert mcnemar_exact(8, 2) == pytest.approx(0.109375, abs=1e-15)
    assert mcnemar_exact(2, 8) == mcnemar_exact(8, 2)  # symmetric
    assert mcnemar_exact(0, 5) == pytest.approx(2 / 32)  # 0.0625: five of five one way is not p < 0.05
    assert mcnemar_exact(0, 6) == pytest.approx(2 / 64)
    assert mcnemar_exact(0, 0) == 1.0 and mcnemar_exact(3, 3) == 1.0 and mcnemar_exact(4, 5) == 1.0
    # 40 of 40 one way: 2 / 2**40, exact, no underflow to 0 and no normal approximation
    assert mcnemar_exact(40, 0) == pytest.approx(2.0**-39, rel=1e-12)
    assert 0.0 <= mcnemar_exact(3000, 0) < 1e-300  # exact integers, then one division
    with pytest.raises(ValueError, match="non-negative"):
        mcnemar_exact(-1, 2)


def test_mcnemar_exact_agrees_with_scipy_binomtest() -> None:
    from scipy import stats

    for b in range(0, 25):
        for c in range(0, 25):
            want = stats.binomtest(b, b + c, 0.5).pvalue if b + c else 1.0
            assert mcnemar_exact(b, c) == pytest.approx(want, rel=1e-9, abs=1e-15), (b, c)


def test_mcnemar_exact_agrees_with_statsmodels() -> None:
    from statsmodels.stats import contingency_tables as contingency

    for b, c in [(8, 2), (0, 5), (13, 7), (1, 30), (12, 12)]:
        want = contingency.mcnemar([[20, b], [c, 5]], exact=True).pvalue
        assert mcnemar_exact(b, c) == pytest.approx(want, rel=1e-9)


def test_mcnemar_test_pairs_items_by_key() -> None:
    a = {"1": 1.0, "2": 1.0, "3": 0.0, "4": 1.0, "5": 0.0, "only-a": 1.0}
    b = {"1": 1.0, "2": 0.0, "3": 1.0, "4": 0.0, "5": 0.0, "only-b": 0.0}
    t = mcnemar_test(a, b)
    # pairs 1..5: 2 and 4 right only in a (b = 2), 3 right only in b (c = 1); 1 and 5 concordant
    assert (t["b"], t["c"], t["n"]) == (2, 1, 5)
    assert t["p"] == pytest.approx(mcnemar_exact(2, 1)) == pytest.approx(1.0)
    # booleans and scores alike; a score below the threshold is wrong (a prompt with 1 of 2 images right)
    t = mcnemar_test({"x": True, "y": 0.5}, {"x": False, "y": 1.0})
    assert (t["b"], t["c"], t["n"]) == (1, 1, 2)
    assert mcnemar_test({"x": 0.5}, {"x": 0.0}, threshold=0.5)["b"] == 1
    assert mcnemar_test({}, {"x": 1.0}) == {"b": 0, "c": 0, "n": 0, "p": 1.0}


def test_holm_on_a_known_example() -> None:
    # sorted: d .005 x4 = .02 <= .05 rejected; a .01 x3 = .03 rejected; c .03 x2 = .06 > .05: stop
    # (b .04 x1 = .04 would pass on its own, but Holm steps down and stops at the first failure)
    p = {"a": 0.01, "b": 0.04, "c": 0.03, "d": 0.005}
    assert holm(p) == {"a": True, "b": False, "c": False, "d": True}
    adj = holm_adjusted(p)
    assert adj == pytest.approx({"a": 0.03, "b": 0.06, "c": 0.06, "d": 0.02})
    assert holm(p, alpha=0.1) == {"a": True, "b": True, "c": True, "d": True}
    # ties and the cap at 1
    assert holm_adjusted({"x": 0.4, "y": 0.4, "z": 0.9}) == pytest.approx({"x": 1.0, "y": 1.0, "z": 1.0})
    assert holm({}) == {} and holm_adjusted({}) == {}
    # a single test is not corrected
    assert holm({"only": 0.049}) == {"only": True}
    with pytest.raises(ValueError, match="alpha"):
        holm(p, alpha=0.0)
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        holm_adjusted({"bad": math.nan})


def test_holm_agrees_with_statsmodels() -> None:
    from statsmodels.stats import multitest

    p = {"a": 0.01, "b": 0.04, "c": 0.03, "d": 0.005, "e": 0.2, "f": 0.0125}
    keys = list(p)
    reject, adj, _, _ = multitest.multipletests([p[k] for k in keys], alpha=0.05, method="holm")
    assert holm(p) == dict(zip(keys, map(bool, reject), strict=True))
    assert holm_adjusted(p) == pytest.approx(dict(zip(keys, adj, strict=True)))


def test_script_consistency_rate_counts_items_right_in_every_form() -> None:
    items = {
        "1": {"gurmukhi": True, "shahmukhi": True, "roman": True},  # consistent
        "2": {"gurmukhi": True, "shahmukhi": False, "roman": True},  # right in two of three: not consistent
        "3": {"gurmukhi": 1.0, "shahmukhi": 1.0, "roman": 1.0},  # scores of 1 are right
        "4": {"gurmukhi": False, "shahmukhi": False, "roman": False},  # wrong everywhere: not consistent
        "5": {"gurmukhi": True, "shahmukhi": True},  # no Roman form: left out, as PuMVR's common ids
    }
    assert script_consistency_rate(items) == pytest.approx(2 / 4)
    # the forms may be named: an item missing one of them is left out
    assert script_consistency_rate(items, forms=("gurmukhi", "shahmukhi")) == pytest.approx(3 / 5)
    # None is an unscored form (missing), not a wrong one
    assert script_consistency_rate({"1": {"a": True, "b": None}, "2": {"a": True, "b": True}}) == 1.0
    # a partial score (one of two images right) is not right in that form
    assert script_consistency_rate({"1": {"a": 1.0, "b": 0.5}}) == 0.0
    assert script_consistency_rate({"1": {"a": 1.0, "b": 0.5}}, threshold=0.5) == 1.0
    assert math.isnan(script_consistency_rate({}))
    assert math.isnan(script_consistency_rate({"1": {"a": True}, "2": {"b": True}}))
