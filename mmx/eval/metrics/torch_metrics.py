"""Answer scores as torchmetrics metrics: distributed-safe means for training loops.

:class:`ExactMatch`, :class:`RelaxedAccuracy` and :class:`ANLS` accumulate the
per-answer scores of :mod:`mmx.eval.metrics.answers` (usable in a
``MetricCollection``, summed across ranks). Importing this module imports torch and
torchmetrics; ``mmx.eval.metrics`` loads it only when one of these classes is asked for.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch
from torchmetrics import Metric

from mmx.eval.metrics.answers import anls, exact_match, relaxed_match

__all__ = ["ANLS", "ExactMatch", "RelaxedAccuracy"]


class _MeanAnswerScore(Metric):
    """Mean of a per-answer score, kept as a sum and a count (summed across ranks).

    Each subclass names its states after itself (``exact_sum``, ``relaxed_sum``, ...):
    a ``MetricCollection`` merges metrics whose states have the same names and values
    after the first batch into one compute group, and metrics with shared names would
    then silently share one state although they score differently.
    """

    is_differentiable = False
    higher_is_better = True
    full_state_update = False
    plot_lower_bound = 0.0
    plot_upper_bound = 1.0

    _state: str  # set by subclasses

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        # float64: sums of many fractional scores stay exact to well below 1e-9.
        self.add_state(
            f"{self._state}_sum", torch.tensor(0.0, dtype=torch.float64), dist_reduce_fx="sum"
        )
        self.add_state(
            f"{self._state}_count", torch.tensor(0, dtype=torch.long), dist_reduce_fx="sum"
        )

    def _score(self, pred: str, target: Any) -> float:
        raise NotImplementedError

    def update(self, preds: Sequence[str], targets: Sequence[Any]) -> None:
        """Add one batch of predictions and their gold answers."""
        if isinstance(preds, str) or isinstance(targets, str):
            raise TypeError("preds and targets are lists of strings, not single strings")
        if len(preds) != len(targets):
            raise ValueError(f"{len(preds)} predictions but {len(targets)} targets")
        total = sum(self._score(p, t) for p, t in zip(preds, targets))
        s = getattr(self, f"{self._state}_sum")
        c = getattr(self, f"{self._state}_count")
        setattr(self, f"{self._state}_sum", s + total)
        setattr(self, f"{self._state}_count", c + len(preds))

    def compute(self) -> torch.Tensor:
        """The mean score; NaN when nothing was added."""
        s = getattr(self, f"{self._state}_sum")
        c = getattr(self, f"{self._state}_count")
        if int(c) == 0:
            return torch.tensor(float("nan"), dtype=torch.float64, device=s.device)
        return s / c


class ExactMatch(_MeanAnswerScore):
    """Mean :func:`exact_match` (the MMCricBench harness accuracy)."""

    _state = "exact"

    def _score(self, pred: str, target: str) -> float:
        return exact_match(pred, target)


class RelaxedAccuracy(_MeanAnswerScore):
    """Mean :func:`relaxed_match` (ChartQA relaxed accuracy, ``tol`` 5% by default)."""

    _state = "relaxed"

    def __init__(self, tol: float = 0.05, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.tol = tol

    def _score(self, pred: str, target: str) -> float:
        return relaxed_match(pred, target, tol=self.tol)


class ANLS(_MeanAnswerScore):
    """Mean :func:`anls`; a target may be one gold string or a list of golds."""

    _state = "anls"

    def __init__(self, threshold: float = 0.5, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.threshold = threshold

    def _score(self, pred: str, target: str | Sequence[str]) -> float:
        return anls(pred, target, threshold=self.threshold)
