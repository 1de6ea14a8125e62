"""Retrieval ranks and scores over a whole pool: MRR and Hit@k (one target per query), and
MRR of the first relevant item and mean average precision (many relevant items per query).

Every query is ranked against every candidate of the pool by its similarity row (higher is
more similar). **Ties count against the target**: the target ranks after every other
candidate with the same score, so a model that gives every candidate the same score ranks
every target last, never first. CLaMP 3's evaluation (``inference/clamp3_eval.py`` and
``retrieval/eval_mrr.py`` in sanderwood/clamp3) sorts by ``(similarity, candidate is the
target)`` in descending order, so there a tied target ranks *before* the candidates it ties
with; ``retrieval_scores(..., ties="clamp")`` computes that convention, and the benches
report it beside ours (``clamp_mrr/...``).
The two agree whenever the target's score is unique in its row (real float embeddings,
almost always), and differ on degenerate models (constant or quantized embeddings), where
CLaMP's convention reports a perfect score.

Hit@k is the share of queries whose target ranks within the first ``k``. When the pool holds
``k`` or fewer candidates every target does, so ``hit@k`` is 1.0: it says nothing there, and
the pool size belongs beside it (the benches print it).

torchmetrics' ``RetrievalMRR`` / ``RetrievalHitRate`` are not used: they order ties by
``topk`` / ``argsort`` (an order torch leaves unspecified) and count a target whose score is
zero or negative as not retrieved at all (cosine similarities often are), so they do not
match either definition above.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from mmx.errors import InputError

__all__ = ["TIES", "multi_relevant_scores", "random_retrieval_scores", "relevant_ranks", "retrieval_ranks",
           "retrieval_scores"]

#: tie conventions: ``worst`` (ours: a tied target ranks after the candidates it ties with)
#: and ``clamp`` (CLaMP 3's evaluation: it ranks before them)
TIES = ("worst", "clamp")
#: the cut-offs of Hit@k
DEFAULT_KS = (1, 10, 100)


def _as_array(similarity: Any) -> np.ndarray:
    """A 2-D float numpy view of an array or a torch tensor (no copy where possible)."""
    if hasattr(similarity, "detach"):  # a torch tensor; torch itself is not imported here
        similarity = similarity.detach().cpu()
        if str(similarity.dtype) == "torch.bfloat16":  # numpy has no bfloat16
            similarity = similarity.float()
        similarity = similarity.numpy()
    sim = np.asarray(similarity)
    if sim.ndim != 2:
        raise InputError(f"similarity must be a [queries, pool] matrix, got shape {tuple(sim.shape)}")
    if sim.shape[0] == 0 or sim.shape[1] == 0:
        raise InputError(f"similarity must hold at least one query and one candidate, got shape {sim.shape}")
    if not np.issubdtype(sim.dtype, np.number) or np.issubdtype(sim.dtype, np.complexfloating):
        raise InputError(f"similarity must be real numbers, got dtype {sim.dtype}")
    if not np.all(np.isfinite(sim)):
        raise InputError("similarity holds NaN or infinity: check the embeddings (a zero vector normalized?)")
    return sim


def _as_targets(target: Any, n_queries: int, pool: int) -> np.ndarray:
    if hasattr(target, "detach"):
        target = target.detach().cpu().numpy()
    t = np.asarray(target)
    if t.ndim != 1 or t.shape[0] != n_queries:
        raise InputError(f"target must hold one pool index per query ({n_queries}), got shape {tuple(t.shape)}")
    if t.dtype == bool or not np.issubdtype(t.dtype, np.integer):
        if not (np.issubdtype(t.dtype, np.floating) and np.all(t == np.round(t))):
            raise InputError(f"target must be integer pool indices, got dtype {t.dtype}")
        t = t.astype(np.int64)
    bad = np.flatnonzero((t < 0) | (t >= pool))
    if bad.size:
        q = int(bad[0])
        raise InputError(f"target of query {q} is {int(t[q])}, outside the pool of {pool} candidates "
                         f"(valid: 0..{pool - 1}); {bad.size} target(s) out of range")
    return t.astype(np.int64)


def retrieval_ranks(similarity: Any, target: Any, ties: str = "worst") -> np.ndarray:
    """The 1-based rank of each query's target in its row of ``similarity``.

    ``similarity`` is a ``[queries, pool]`` numpy array or torch tensor, ``target`` one pool
    index per query. ``ties="worst"`` (the default): rank = 1 + the number of other
    candidates scoring at least the target's score; ``ties="clamp"`` (CLaMP 3's evaluation):
    1 + the number scoring strictly more. Scores are compared in the input's own dtype.
    """
    if ties not in TIES:
        raise InputError(f"ties must be one of {', '.join(TIES)}, got {ties!r}")
    sim = _as_array(similarity)
    t = _as_targets(target, sim.shape[0], sim.shape[1])
    own = sim[np.arange(sim.shape[0]), t][:, None]
    above = (sim > own).sum(axis=1)
    if ties == "clamp":
        return (1 + above).astype(np.int64)
    tied_others = (sim == own).sum(axis=1) - 1  # the target ties with itself
    return (1 + above + tied_others).astype(np.int64)


def _scores_from_ranks(ranks: np.ndarray, ks: Sequence[int], prefix: str = "") -> dict[str, float]:
    out = {f"{prefix}mrr": float(np.mean(1.0 / ranks))}
    for k in ks:
        out[f"{prefix}hit@{k}"] = float(np.mean(ranks <= k))
    return out


def retrieval_scores(similarity: Any, target: Any, ks: Sequence[int] = DEFAULT_KS,
                     ties: str = "worst") -> dict[str, float]:
    """MRR and Hit@k of ranking every query against the whole pool, one target per query.

    ``similarity``: a ``[queries, pool]`` numpy array or torch tensor (cosine similarities,
    logits: any score where higher is more similar). ``target``: one pool index per query.
    Returns exactly ``mrr``, ``hit@1``, ``hit@10``, ``hit@100`` (``ks`` chooses the
    cut-offs). ``ties="worst"`` (the default): a tied target ranks after every other
    candidate with its score; ``ties="clamp"``: CLaMP 3's evaluation, where it ranks before
    them (see the module docstring). With a pool of ``k`` or fewer candidates ``hit@k`` is
    1.0. A matrix that is not 2-D, empty, non-finite, or a target out of range raises
    :class:`~mmx.errors.InputError`.

    >>> retrieval_scores([[1.0, 1.0, 0.0], [0.2, 0.9, 0.5]], [0, 1], ks=(1,))
    {'mrr': 0.75, 'hit@1': 0.5}
    >>> retrieval_scores([[1.0, 1.0, 0.0], [0.2, 0.9, 0.5]], [0, 1], ks=(1,), ties="clamp")
    {'mrr': 1.0, 'hit@1': 1.0}
    """
    ks = tuple(int(k) for k in ks)
    if any(k < 1 for k in ks):
        raise InputError(f"every k of hit@k must be at least 1, got {ks}")
    return _scores_from_ranks(retrieval_ranks(_as_array(similarity), target, ties), ks)


def _as_relevant(relevant: Any, shape: tuple[int, int]) -> np.ndarray:
    if hasattr(relevant, "detach"):
        relevant = relevant.detach().cpu().numpy()
    rel = np.asarray(relevant)
    if rel.shape != shape:
        raise InputError(f"relevant must be a [queries, pool] mask of shape {shape}, got {tuple(rel.shape)}")
    if rel.dtype != bool:
        if not np.all((rel == 0) | (rel == 1)):
            raise InputError("relevant must be a boolean mask (or 0/1)")
        rel = rel.astype(bool)
    empty = np.flatnonzero(~rel.any(axis=1))
    if empty.size:
        raise InputError(f"query {int(empty[0])} has no relevant candidate in the pool "
                         f"({empty.size} such queries): leave such queries out")
    return rel


def relevant_ranks(similarity: Any, relevant: Any) -> tuple[np.ndarray, np.ndarray]:
    """For many relevant candidates per query (``relevant``: a ``[queries, pool]`` mask):
    the 1-based rank of the first relevant candidate and the average precision of each query.

    Ties count against relevance: within a group of equal scores the irrelevant candidates
    rank first. The first relevant rank is 1 + the number of irrelevant candidates scoring at
    least the best relevant score; average precision is the mean, over the relevant
    candidates, of the precision at each one's rank in that order.
    """
    sim = _as_array(similarity)
    rel = _as_relevant(relevant, sim.shape)
    best = np.where(rel, sim, -np.inf).max(axis=1, keepdims=True)
    first = 1 + ((sim >= best) & ~rel).sum(axis=1)
    ap = np.empty(sim.shape[0], dtype=np.float64)
    for q in range(sim.shape[0]):
        # lexsort sorts by its last key first: score descending, then irrelevant before relevant
        order = np.lexsort((rel[q], -sim[q].astype(np.float64)))
        hits = rel[q][order]
        positions = np.flatnonzero(hits) + 1
        ap[q] = float(np.mean(np.arange(1, positions.size + 1) / positions))
    return first.astype(np.int64), ap


def multi_relevant_scores(similarity: Any, relevant: Any, ks: Sequence[int] = DEFAULT_KS) -> dict[str, float]:
    """``mrr`` (of the first relevant candidate), ``map`` (mean average precision) and
    ``hit@k`` (a relevant candidate within the first ``k``), ties against relevance
    (see :func:`relevant_ranks`). Every query needs at least one relevant candidate."""
    first, ap = relevant_ranks(similarity, relevant)
    out = _scores_from_ranks(first, tuple(int(k) for k in ks))
    out["map"] = float(np.mean(ap))
    return out


def random_retrieval_scores(pool: int, n_relevant: int = 1) -> dict[str, float]:
    """What a random ranking scores on average, for one query with ``n_relevant`` relevant
    candidates among ``pool``: ``mrr`` (of the first relevant one; with one relevant,
    ``H(pool) / pool``) and ``map`` (Bestgen 2015: ``((R-1)/(N-1) * (N - H(N)) + H(N)) / N``,
    ``H`` the harmonic number). The floor to read a model's scores against."""
    n, r = int(pool), int(n_relevant)
    if n < 1 or not 1 <= r <= n:
        raise InputError(f"need 1 <= n_relevant <= pool, got n_relevant={r}, pool={n}")
    harmonic = float(np.sum(1.0 / np.arange(1, n + 1)))
    # P(first relevant at rank k) = C(n-k, r-1) / C(n, r), built up as a running product
    p = r / n
    mrr = 0.0
    for k in range(1, n - r + 2):
        mrr += p / k
        p *= (n - r - k + 1) / (n - k) if n - k > 0 else 0.0
    ap = harmonic / n if n == 1 else ((r - 1) / (n - 1) * (n - harmonic) + harmonic) / n
    return {"mrr": mrr, "map": ap}
