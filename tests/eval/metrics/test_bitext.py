"""Bitext retrieval and falls (mmx.eval.metrics.bitext): exact values on tiny inputs."""

from __future__ import annotations

import math

import numpy as np
import pytest

from mmx.errors import InputError
from mmx.eval.metrics import bitext_hits, cosine_matrix, fall_gap, precision_at_1


def test_hits_count_ties_against_the_target() -> None:
    sim = [[1.0, 1.0, 0.0],   # the own line ties with another: not found
           [0.2, 0.9, 0.5],   # found
           [0.0, 0.3, 0.1]]   # another line is nearer: not found
    assert bitext_hits(sim).tolist() == [False, True, False]
    assert precision_at_1(sim) == pytest.approx(1 / 3)
    # a constant model finds nothing (a tied target ranks last, never first)
    assert precision_at_1(np.zeros((4, 4))) == 0.0


def test_hits_need_one_candidate_per_query() -> None:
    with pytest.raises(InputError, match="square"):
        bitext_hits(np.zeros((2, 3)))


def test_hits_of_some_lines_against_the_whole_pool() -> None:
    # lines 2 and 0 of a three-line pool ask it (the others could not be transliterated)
    sim = [[0.1, 0.2, 0.9],
           [0.5, 0.5, 0.0]]  # tie between its line 0 and line 1: not found
    assert bitext_hits(sim, target=[2, 0]).tolist() == [True, False]
    assert precision_at_1(sim, target=[2, 0]) == 0.5
    with pytest.raises(InputError, match="outside the pool"):
        bitext_hits(sim, target=[3, 0])


def test_cosine_matrix_normalizes_rows() -> None:
    a = np.array([[3.0, 4.0], [1.0, 0.0]])
    b = np.array([[0.0, 2.0], [5.0, 0.0]])
    assert cosine_matrix(a, b).tolist() == [[0.8, 0.6], [0.0, 1.0]]


def test_fall_gap_is_the_mean_difference_of_per_item_falls() -> None:
    # side a falls on item x only (1 -> 0), side b never falls
    ref_a, form_a = {"x": 1.0, "y": 1.0}, {"x": 0.0, "y": 1.0}
    ref_b, form_b = {"x": 1.0, "y": 0.0}, {"x": 1.0, "y": 0.0}
    g = fall_gap(ref_a, form_a, ref_b, form_b, n_boot=200, seed=0)
    assert g["fall_a"] == 0.5 and g["fall_b"] == 0.0
    assert g["gap"] == 0.5 and g["n"] == 2
    assert 0.0 <= g["lo"] <= 0.5 <= g["hi"] <= 1.0
    # the same inputs and seed give the same interval
    assert fall_gap(ref_a, form_a, ref_b, form_b, n_boot=200, seed=0) == g


def test_fall_gap_pairs_by_key_and_needs_all_four_sides() -> None:
    g = fall_gap({"x": 1.0, "z": 1.0}, {"x": 1.0}, {"x": 1.0}, {"x": 0.0}, n_boot=50)
    assert g["n"] == 1 and g["fall_a"] == 0.0 and g["fall_b"] == 1.0 and g["gap"] == -1.0
    empty = fall_gap({}, {}, {}, {})
    assert empty["n"] == 0 and math.isnan(empty["gap"]) and math.isnan(empty["fall_a"])
