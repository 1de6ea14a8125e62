"""Bitext retrieval (XTREME's sentence retrieval in miniature) and how far a score falls.

Line ``i`` of one language is the translation of line ``i`` of the other, so the target
of query ``i`` is candidate ``i`` (the diagonal). :func:`bitext_hits` says, per query,
whether its own line is the nearest neighbour: precision at 1, ties counted against the
target as everywhere in :mod:`~mmx.eval.metrics.retrieval` (a model that scores every
candidate alike finds nothing). :func:`fall_gap` compares how far two models' per-item
scores fall from a reference condition (clean text, the reference script) to another
(corrupted, transliterated), paired by item, with :func:`~mmx.eval.metrics.paired.paired_gap`'s
bootstrap interval.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from mmx.errors import InputError
from mmx.eval.metrics.paired import paired_gap
from mmx.eval.metrics.retrieval import retrieval_ranks

__all__ = ["bitext_hits", "cosine_matrix", "fall_gap", "precision_at_1"]


def cosine_matrix(a: Any, b: Any) -> np.ndarray:
    """Cosine similarity of every row of ``a`` with every row of ``b`` (float64)."""
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    a = a / np.linalg.norm(a, axis=1, keepdims=True)
    b = b / np.linalg.norm(b, axis=1, keepdims=True)
    return a @ b.T


def bitext_hits(similarity: Any, target: Any = None) -> np.ndarray:
    """Per query (row), whether its own line is its nearest candidate, a tie counting
    against it. Without ``target`` the matrix is square and query ``i``'s line is candidate
    ``i`` (the diagonal); ``target`` gives each query's candidate index instead (a subset
    of the lines asking a whole pool)."""
    sim = np.asarray(similarity)
    if target is None:
        if sim.ndim != 2 or sim.shape[0] != sim.shape[1]:
            raise InputError(f"bitext similarity must be a square [lines, lines] matrix (or give target), "
                             f"got shape {tuple(sim.shape)}")
        target = np.arange(sim.shape[0])
    return retrieval_ranks(sim, target, ties="worst") == 1


def precision_at_1(similarity: Any, target: Any = None) -> float:
    """The share of queries whose own line is the nearest candidate (:func:`bitext_hits`)."""
    return float(np.mean(bitext_hits(similarity, target)))


def fall_gap(ref_a: Mapping[str, float], form_a: Mapping[str, float], ref_b: Mapping[str, float],
             form_b: Mapping[str, float], n_boot: int = 2000, seed: int = 0) -> dict[str, float | int]:
    """How far side a's per-item score falls from its reference to the other form, against
    side b's: ``fall_a`` and ``fall_b`` (mean of ``ref[k] - form[k]``), and ``gap``, ``lo``,
    ``hi`` the mean of ``fall_a - fall_b`` per item with its bootstrap interval
    (:func:`~mmx.eval.metrics.paired.paired_gap`), over the ``n`` keys all four share.
    A positive gap: a falls further than b. No shared key: NaN and ``n`` 0."""
    keys = sorted(ref_a.keys() & form_a.keys() & ref_b.keys() & form_b.keys())
    drop_a = {k: float(ref_a[k]) - float(form_a[k]) for k in keys}
    drop_b = {k: float(ref_b[k]) - float(form_b[k]) for k in keys}
    g = paired_gap(drop_a, drop_b, n_boot=n_boot, seed=seed)
    mean_a = float(np.mean(list(drop_a.values()))) if keys else math.nan
    mean_b = float(np.mean(list(drop_b.values()))) if keys else math.nan
    return {"fall_a": mean_a, "fall_b": mean_b, **g}
