"""Tests of mmx.eval.metrics.retrieval: exact values on matrices full of ties, both tie
conventions, pools smaller than k, many relevant items, and clear errors."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from mmx.errors import InputError
from mmx.eval.metrics import (
    multi_relevant_scores,
    relevant_ranks,
    retrieval_ranks,
    retrieval_scores,
)

# 4 queries x 5 candidates; hand-ranked (worst-case ties / CLaMP 3's ties):
TIED = np.array([
    [0.5, 0.5, 0.5, 0.1, 0.9],  # target 0: one above, two tied -> 4 / 2
    [1.0, 1.0, 1.0, 1.0, 1.0],  # target 3: all tied             -> 5 / 1
    [0.2, 0.8, 0.3, 0.8, 0.1],  # target 1: one tied             -> 2 / 1
    [0.0, 0.0, 0.0, 0.0, 0.7],  # target 4: unique best          -> 1 / 1
], dtype=np.float32)
TARGET = [0, 3, 1, 4]


def test_ranks_count_ties_against_the_target() -> None:
    assert retrieval_ranks(TIED, TARGET).tolist() == [4, 5, 2, 1]
    assert retrieval_ranks(TIED, TARGET, ties="clamp").tolist() == [2, 1, 1, 1]


def test_scores_by_hand_on_a_tied_matrix() -> None:
    s = retrieval_scores(TIED, TARGET)
    assert s["mrr"] == pytest.approx((1 / 4 + 1 / 5 + 1 / 2 + 1) / 4)  # 0.4875
    assert s["hit@1"] == pytest.approx(0.25)
    # the pool has 5 candidates: every target is within the first 10 and 100
    assert s["hit@10"] == 1.0 and s["hit@100"] == 1.0
    assert set(s) == {"mrr", "hit@1", "hit@10", "hit@100"}
    c = retrieval_scores(TIED, TARGET, ties="clamp")
    assert c["mrr"] == pytest.approx((1 / 2 + 1 + 1 + 1) / 4)  # 0.875
    assert c["hit@1"] == pytest.approx(0.75)
    small = retrieval_scores(TIED, TARGET, ks=(2, 3))
    assert small == pytest.approx({"mrr": 0.4875, "hit@2": 0.5, "hit@3": 0.5})
    assert retrieval_scores(TIED, TARGET, ks=(2,), ties="clamp")["hit@2"] == 1.0


def test_hit_at_10_and_100_on_large_tied_rows() -> None:
    sim = np.zeros((2, 150), dtype=np.float32)  # row 0: every candidate tied
    sim[1, :50] = 2.0  # row 1: 50 above the target, which ties with 60 others
    sim[1, 50:111] = 1.0
    s = retrieval_scores(sim, [0, 50])
    assert retrieval_ranks(sim, [0, 50]).tolist() == [150, 111]
    assert retrieval_ranks(sim, [0, 50], ties="clamp").tolist() == [1, 51]
    assert s["hit@100"] == 0.0 and s["hit@10"] == 0.0
    assert s["mrr"] == pytest.approx((1 / 150 + 1 / 111) / 2)
    c = retrieval_scores(sim, [0, 50], ties="clamp")
    assert c["hit@1"] == 0.5 and c["hit@10"] == 0.5 and c["hit@100"] == 1.0
    assert c["mrr"] == pytest.approx((1 + 1 / 51) / 2)


def test_torch_tensors_match_numpy() -> None:
    for dtype in (torch.float32, torch.float64, torch.bfloat16):
        s = retrieval_scores(torch.tensor(TIED, dtype=dtype), torch.tensor(TARGET))
        assert s == pytest.approx(retrieval_scores(TIED, TARGET))


def _brute_rank(row: list[float], target: int, clamp: bool) -> int:
    # CLaMP 3's own sort (clamp) and its mirror image (worst), written out plainly
    key = (lambda x: (x[1], x[0] == target)) if clamp else (lambda x: (x[1], x[0] != target))
    order = [i for i, _ in sorted(enumerate(row), key=key, reverse=True)]
    return order.index(target) + 1


def test_matches_a_plain_sort_on_random_integer_scores() -> None:
    rng = np.random.default_rng(0)
    sim = rng.integers(0, 4, size=(40, 30)).astype(np.float32)  # a handful of values: ties everywhere
    target = rng.integers(0, 30, size=40)
    for clamp in (False, True):
        want = [_brute_rank(sim[q].tolist(), int(target[q]), clamp) for q in range(40)]
        assert retrieval_ranks(sim, target, ties="clamp" if clamp else "worst").tolist() == want


def test_constant_scores_rank_every_target_last() -> None:
    s = retrieval_scores(np.ones((3, 3)), [0, 1, 2])
    assert s["mrr"] == pytest.approx(1 / 3) and s["hit@1"] == 0.0
    assert retrieval_scores(np.ones((3, 3)), [0, 1, 2], ties="clamp")["mrr"] == 1.0  # CLaMP calls it perfect


@pytest.mark.parametrize(("sim", "target", "words"), [
    (np.ones(5), [0], "[queries, pool] matrix"),
    (np.ones((2, 0)), [0, 0], "at least one query"),
    (np.ones((2, 3)), [0], "one pool index per query (2)"),
    (np.ones((2, 3)), [0, 3], "outside the pool of 3"),
    (np.ones((2, 3)), [-1, 0], "outside the pool of 3"),
    (np.ones((2, 3)), [0.5, 1], "integer pool indices"),
    (np.array([[np.nan, 1.0]]), [0], "NaN or infinity"),
    (np.array([["a", "b"]]), [0], "real numbers"),
])
def test_bad_inputs_raise_one_clear_line(sim, target, words: str) -> None:
    with pytest.raises(InputError, match=None) as err:
        retrieval_scores(sim, target)
    assert words in str(err.value) and "\n" not in str(err.value)


def test_bad_tie_convention() -> None:
    with pytest.raises(InputError, match="ties must be one of"):
        retrieval_ranks(TIED, TARGET, ties="best")


def test_many_relevant_by_hand() -> None:
    sim = np.array([[0.9, 0.5, 0.5, 0.5, 0.1, 0.0], [0.3, 0.3, 0.3, 0.3, 0.3, 0.3]])
    rel = np.array([[0, 1, 0, 1, 0, 0], [1, 0, 0, 0, 0, 0]], dtype=bool)
    first, ap = relevant_ranks(sim, rel)
    # row 0: the tie group at 0.5 puts candidate 2 (irrelevant) before 1 and 3 -> relevant at 3 and 4
    assert first.tolist() == [3, 6]
    assert ap.tolist() == pytest.approx([(1 / 3 + 2 / 4) / 2, 1 / 6])
    s = multi_relevant_scores(sim, rel, ks=(1, 5))
    assert s["mrr"] == pytest.approx((1 / 3 + 1 / 6) / 2)
    assert s["map"] == pytest.approx(((1 / 3 + 2 / 4) / 2 + 1 / 6) / 2)
    assert s["hit@1"] == 0.0 and s["hit@5"] == 0.5


def test_many_relevant_needs_one_per_query() -> None:
    with pytest.raises(InputError, match="query 1 has no relevant candidate"):
        relevant_ranks(np.ones((2, 2)), np.array([[1, 0], [0, 0]]))
    with pytest.raises(InputError, match="mask of shape"):
        relevant_ranks(np.ones((2, 2)), np.ones((2, 3), dtype=bool))


def test_random_floor_by_enumeration() -> None:
    from mmx.eval.metrics import random_retrieval_scores

    # 4 candidates, 2 relevant: the 6 equally likely placements {1,2} {1,3} {1,4} {2,3} {2,4} {3,4}
    rr = [1, 1, 1, 1 / 2, 1 / 2, 1 / 3]
    ap = [1, (1 + 2 / 3) / 2, (1 + 2 / 4) / 2, (1 / 2 + 2 / 3) / 2, (1 / 2 + 2 / 4) / 2, (1 / 3 + 2 / 4) / 2]
    got = random_retrieval_scores(4, 2)
    assert got["mrr"] == pytest.approx(sum(rr) / 6) and got["map"] == pytest.approx(sum(ap) / 6)
    one = random_retrieval_scores(1000)
    assert one["mrr"] == pytest.approx(0.0075, abs=5e-5) and one["map"] == pytest.approx(one["mrr"])
    assert random_retrieval_scores(5, 5) == pytest.approx({"mrr": 1.0, "map": 1.0})
    with pytest.raises(InputError, match="n_relevant"):
        random_retrieval_scores(3, 4)
