"""Scoring shared by the benches: per-answer scores, paired comparisons, torchmetrics metrics.

One module per topic:

- :mod:`~mmx.eval.metrics.answers`: :func:`normalize_answer`, :func:`exact_match`,
  :func:`parse_number`, :func:`relaxed_match` (ChartQA), :func:`anls` (DocVQA) and
  :func:`score_answer` (all three for one answer);
- :mod:`~mmx.eval.metrics.paired`: :func:`paired_gap`, :func:`paired_agreement`,
  :func:`paired_consistency` (the same items across two subsets, paired by key);
- :mod:`~mmx.eval.metrics.pooled`: :func:`pooled_rate` (a pooled rate such as a character error
  rate over lines, with a bootstrap interval over the lines);
- :mod:`~mmx.eval.metrics.consistency`: :func:`script_consistency_rate` (PuMVR's SCR: right in
  every form), :func:`mcnemar_test` and :func:`mcnemar_exact` (McNemar's exact test on
  correctness for two forms), :func:`holm` and :func:`holm_adjusted` (Holm's correction);
- :mod:`~mmx.eval.metrics.spelling`: :func:`classify_answer` (right, right but spelled
  differently, wrong entity, wrong number, no answer: :data:`ERROR_KINDS`) and
  :func:`translit_match` (exact match that accepts another romanization of a name);
- :mod:`~mmx.eval.metrics.retrieval`: :func:`retrieval_scores` (MRR, Hit@k over a whole pool,
  ties against the target), :func:`retrieval_ranks`, :func:`relevant_ranks`, :func:`multi_relevant_scores`,
  :func:`random_retrieval_scores` (the random floor);
- :mod:`~mmx.eval.metrics.bitext`: :func:`bitext_hits` and :func:`precision_at_1` (line i finds
  line i of the translation), :func:`cosine_matrix`, :func:`fall_gap` (how much further one
  model's score falls than another's, paired by item);
- :mod:`~mmx.eval.metrics.torch_metrics`: :class:`ExactMatch`, :class:`RelaxedAccuracy`,
  :class:`ANLS` (torchmetrics ``Metric`` classes for training loops).

Every name is importable from ``mmx.eval.metrics`` itself. Importing it loads neither
torch nor torchmetrics (so ``mmx eval`` with a torch-free model never pays for them):
the three classes are loaded on first use. Edit distance and the character error rate
live in :mod:`mmx.text.distance`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mmx.eval.metrics.answers import (
    anls,
    exact_match,
    normalize_answer,
    parse_number,
    relaxed_match,
    score_answer,
)
from mmx.eval.metrics.bitext import bitext_hits, cosine_matrix, fall_gap, precision_at_1
from mmx.eval.metrics.consistency import (
    holm,
    holm_adjusted,
    mcnemar_exact,
    mcnemar_test,
    script_consistency_rate,
)
from mmx.eval.metrics.paired import paired_agreement, paired_consistency, paired_gap
from mmx.eval.metrics.pooled import pooled_rate
from mmx.eval.metrics.retrieval import (
    multi_relevant_scores,
    random_retrieval_scores,
    relevant_ranks,
    retrieval_ranks,
    retrieval_scores,
)
from mmx.eval.metrics.spelling import ERROR_KINDS, classify_answer, translit_match
from mmx.text.distance import edit_distance

if TYPE_CHECKING:
    from mmx.eval.metrics.torch_metrics import ANLS, ExactMatch, RelaxedAccuracy

__all__ = [
    "ANLS",
    "ERROR_KINDS",
    "ExactMatch",
    "RelaxedAccuracy",
    "anls",
    "bitext_hits",
    "classify_answer",
    "cosine_matrix",
    "edit_distance",
    "exact_match",
    "fall_gap",
    "holm",
    "holm_adjusted",
    "mcnemar_exact",
    "mcnemar_test",
    "multi_relevant_scores",
    "normalize_answer",
    "paired_agreement",
    "paired_consistency",
    "paired_gap",
    "parse_number",
    "pooled_rate",
    "precision_at_1",
    "random_retrieval_scores",
    "relaxed_match",
    "relevant_ranks",
    "retrieval_ranks",
    "retrieval_scores",
    "score_answer",
    "script_consistency_rate",
    "translit_match",
]

_LAZY = {"ANLS", "ExactMatch", "RelaxedAccuracy"}


def __getattr__(name: str) -> Any:
    # PEP 562: the torchmetrics classes import torch (seconds), so they load on first use
    if name in _LAZY:
        from mmx.eval.metrics import torch_metrics

        return getattr(torch_metrics, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | _LAZY)
