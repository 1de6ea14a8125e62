"""MMCricBench-style cross-script scorecard VQA: English vs Hindi cricket scorecards.

The bench loads samples (the real ``DIALab/MMCricBench`` parquet files, or a
generated set in the same schema, made and cached on first use when no
``--data`` is given), turns them into model requests, scores answers with the
harness rule (normalised exact match) plus relaxed numeric accuracy and ANLS,
and aggregates per subset, category and format, with the paired cross-script
gap and its bootstrap interval. Prompts belong to the model adapters.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar

from mmx.eval.benches.mmcric.data import Sample, load
from mmx.eval.benches.mmcric.prompt import format_prompt
from mmx.models.base import ModelAdapter, Reference, VqaRequest

__all__ = ["MmcricBench", "Sample"]

version = "1"
#: default generated set when no --data is given: 24 matches, 72 questions per subset (216
#: samples), sized so the offline default run takes minutes; pass --data for bigger sets
DEFAULT_MATCHES = 24


class MmcricBench:
    """Cross-script scorecard VQA in the design of MMCricBench (arXiv 2508.17334)."""

    name = "mmcric"
    version = version
    #: metric prefixes where higher is better; gaps are better near zero (reported as lower-is-better)
    higher_is_better: ClassVar[dict[str, bool]] = {"accuracy": True, "relaxed": True, "anls": True, "agreement": True,
                        "consistency": True, "gap": False, "unparsed": False}

    def __init__(self, data: str | None = None, split: str | None = None, seed: int = 0,
                 n_matches: int = DEFAULT_MATCHES) -> None:
        self.data = data
        self.split = split
        self.seed = seed
        self.n_matches = n_matches
        self.skipped: list[str] = []

    # --- load ---------------------------------------------------------------------------
    def default_data(self, progress: bool = True) -> Path:
        """The generated set for ``seed``, made once and cached (``$MMX_CACHE/mmcric/...``)."""
        from mmx.eval.benches.mmcric.generate import GENERATOR_VERSION, generate
        from mmx.render.fonts import cache_dir

        path = cache_dir() / "mmcric" / f"gen-v{GENERATOR_VERSION}-n{self.n_matches}-seed{self.seed}"
        if (path / ".complete").exists():
            return path
        tmp = path.with_name(path.name + ".partial")
        import shutil

        shutil.rmtree(tmp, ignore_errors=True)
        from mmx.eval.progress import progress_bar

        with progress_bar(self.n_matches, "generating scorecards", "matches", enabled=progress) as advance:
            generate(tmp, n=self.n_matches, seed=self.seed, progress=advance)
        (tmp / ".complete").write_text("ok\n")
        shutil.rmtree(path, ignore_errors=True)
        tmp.rename(path)  # atomic: a killed generation never leaves a half set behind
        return path

    def load(self, progress: bool = True) -> list[Sample]:
        from mmx.eval.benches.mmcric.data import LoadReport

        data = self.data if self.data is not None else str(self.default_data(progress))
        report = LoadReport()
        samples = load(data, self.split, report)
        self.skipped = report.skipped
        return samples

    def describe_data(self) -> str:
        return self.data if self.data is not None else f"generated (n={self.n_matches} matches, seed={self.seed})"

    # --- predict ------------------------------------------------------------------------
    @staticmethod
    def references(samples: Sequence[Sample]) -> list[Reference]:
        return [Reference(s.category, s.answer) for s in samples]

    @staticmethod
    def predict(model: ModelAdapter, samples: Sequence[Sample]) -> list[str]:
        """The model's answers for a batch; images are decoded here, not at load time."""
        requests = [VqaRequest(id=s.id, question=s.question, images=s.pil_images(), category=s.category,
                               prompt=format_prompt(s.question)) for s in samples]
        answers = model.answer(requests)
        if len(answers) != len(requests):
            raise RuntimeError(f"model {model.name} returned {len(answers)} answers for {len(requests)} questions")
        return answers

    # --- score --------------------------------------------------------------------------
    @staticmethod
    def score(sample: Sample, prediction: str) -> dict[str, Any]:
        """Per-sample scores: ``score`` is the harness exact match; ``relaxed`` (5%) and ``anls`` beside it."""
        from mmx.eval.metrics import score_answer

        s = score_answer(prediction, sample.answer)
        return {"score": s["exact"], "relaxed": s["relaxed"], "anls": s["anls"],
                "numeric": s["numeric"], "parsed": s["parsed"]}

    # --- aggregate ------------------------------------------------------------------------
    def aggregate(self, records: Sequence[dict[str, Any]], n_boot: int = 2000) -> dict[str, float]:
        """Flat metric map: per subset, per subset and category, per subset and format,
        paired gaps with bootstrap intervals, paired agreement and consistency."""
        from mmx.eval.metrics import paired_agreement, paired_consistency, paired_gap

        metrics: dict[str, float] = {"n_samples": float(len(records))}
        groups: dict[str, list[dict]] = defaultdict(list)
        for r in records:
            groups[r["subset"]].append(r)
            groups[f"{r['subset']}/{r['category']}"].append(r)
            if r.get("format"):
                groups[f"{r['subset']}/format/{r['format']}"].append(r)
        for key in sorted(groups):
            rs = groups[key]
            # means of the per-sample scores in samples.jsonl, the one record the gaps use too
            # (the torchmetrics classes of mmx.eval.metrics give the same means, for training loops)
            metrics[f"accuracy/{key}"] = _mean(r["score"] for r in rs)
            metrics[f"relaxed/{key}"] = _mean(r["relaxed"] for r in rs)
            metrics[f"anls/{key}"] = _mean(r["anls"] for r in rs)
            metrics[f"n/{key}"] = float(len(rs))
            if "/" not in key:
                numeric = [r for r in rs if r.get("numeric")]
                metrics[f"unparsed/{key}"] = _mean(0.0 if r.get("parsed", True) else 1.0 for r in numeric)
        subsets = [s for s in ("E", "H", "HD") if s in groups] + sorted(s for s in groups if "/" not in s and s not in ("E", "H", "HD"))
        for i, a in enumerate(subsets):
            for b in subsets[i + 1:]:
                sa = {r["pair"]: r["score"] for r in groups[a]}
                sb = {r["pair"]: r["score"] for r in groups[b]}
                g = paired_gap(sa, sb, n_boot=n_boot, seed=self.seed)
                metrics[f"gap/{a}-{b}"] = g["gap"]
                metrics[f"gap/{a}-{b}/ci_lo"] = g["lo"]
                metrics[f"gap/{a}-{b}/ci_hi"] = g["hi"]
                metrics[f"gap/{a}-{b}/n_pairs"] = float(g["n"])
                metrics[f"agreement/{a}-{b}"] = paired_agreement(
                    {r["pair"]: r["prediction"] for r in groups[a]}, {r["pair"]: r["prediction"] for r in groups[b]})
                metrics[f"consistency/{a}-{b}"] = paired_consistency(sa, sb)
                cats = sorted({r["category"] for r in groups[a]} & {r["category"] for r in groups[b]})
                for c in cats:
                    ca = {r["pair"]: r["score"] for r in groups[a] if r["category"] == c}
                    cb = {r["pair"]: r["score"] for r in groups[b] if r["category"] == c}
                    pairs = ca.keys() & cb.keys()
                    metrics[f"gap/{a}-{b}/{c}"] = _mean(ca[k] - cb[k] for k in pairs)
        return metrics


def _mean(values) -> float:
    vals = list(values)
    return float(sum(vals) / len(vals)) if vals else math.nan
