"""Reference baselines that never look at an image: ``random`` and ``majority``.

Both see the evaluated items' categories and gold answers through
:meth:`~mmx.adapters.base.ModelAdapter.prepare` (the "prior" baselines of VQA
papers, computed on the test items themselves since MMCricBench has no training
split), so they bound from below what reading the scorecard adds.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Sequence

from mmx.adapters.base import ModelAdapter, Reference, VqaRequest
from mmx.errors import InputError


class _PriorModel(ModelAdapter):
    is_baseline = True
    batch_size = 64

    def __init__(self) -> None:
        self.by_category: dict[str, list[str]] = defaultdict(list)
        self.overall: list[str] = []

    def prepare(self, references: Sequence[Reference]) -> None:
        for r in references:
            self.by_category[r.category].append(r.answer)
            self.overall.append(r.answer)

    def _pool(self, category: str) -> list[str]:
        pool = self.by_category.get(category) or self.overall
        if not pool:
            raise InputError(f"{self.name}: no reference answers were given (prepare() was not called)")
        return pool


class MajorityModel(_PriorModel):
    """Answers the most frequent gold answer of the question's category (ties: the first seen)."""

    name = "majority"

    def answer(self, requests: list[VqaRequest]) -> list[str]:
        return [Counter(self._pool(r.category)).most_common(1)[0][0] for r in requests]

    def describe(self) -> dict[str, object]:
        return {"name": self.name, "baseline": True, "rule": "most frequent answer per category"}


class RandomModel(_PriorModel):
    """Answers a gold answer of the same category drawn at random (seeded per question id)."""

    name = "random"

    def __init__(self, seed: int = 0) -> None:
        super().__init__()
        self.seed = int(seed)

    def answer(self, requests: list[VqaRequest]) -> list[str]:
        # seeded by id, so a resumed run draws what an uninterrupted one would have
        return [random.Random(f"{self.seed}-{r.id}").choice(self._pool(r.category)) for r in requests]

    def describe(self) -> dict[str, object]:
        return {"name": self.name, "baseline": True, "seed": self.seed, "rule": "uniform over the category's answers"}
