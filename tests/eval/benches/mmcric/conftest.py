"""Matches to draw in the scorecard tests: one of each format, the Test with a follow-on and a declaration."""

from __future__ import annotations

import random

import pytest

from mmx.eval.benches.mmcric.match import simulate_match

# the checks both test-only card families share assert as a test file does (failures show the values)
pytest.register_assert_rewrite("tests.eval.benches.mmcric.unseen.checks")


def _test_match():
    """A Test with a follow-on and a declaration (seed found by search; the model is deterministic)."""
    for seed in range(16, 400):
        m = simulate_match(random.Random(seed), "Test")
        if any(i.follow_on for i in m.innings) and len(m.innings) >= 3:
            return m
    raise AssertionError("no follow-on Test found")


@pytest.fixture(scope="module")
def matches():
    return {
        "T20": simulate_match(random.Random(1), "T20"),
        "ODI": simulate_match(random.Random(2), "ODI"),
        "Test": _test_match(),
    }


def pages(m) -> list[list[int]]:
    """The innings to draw per test image: both of a limited-overs match, a Test's last."""
    return [[0, 1]] if m.format != "Test" else [[len(m.innings) - 1]]
