"""MMCricBench-style cross-script scorecard VQA: English vs Hindi cricket scorecards.

Everything this bench owns lives in this folder: the loader of the real
``DIALab/MMCricBench`` parquet schema (``data``), the generator of a set in the same
schema (``match``, ``questions``, ``draw``, ``generate``; ``mmx data mmcric``), the
prompt (``prompt``), the scoring (harness exact match, relaxed numeric accuracy,
ANLS) and its offline baseline (``baseline``: OCR the card, rebuild its tables,
compute the answer). Aggregation is the contract's per-subset means and paired
cross-script gaps, plus a breakdown by match format.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar

from mmx.adapters.base import ModelAdapter, Reference, VqaRequest
from mmx.eval.benches.mmcric.data import Sample, load
from mmx.eval.benches.mmcric.prompt import PROMPT, format_prompt
from mmx.eval.contract import BenchBase, RunContext, mean
from mmx.options import Count

__all__ = ["MmcricBench", "Sample"]

version = "1"
#: default generated set when no --data is given: 24 matches, 72 questions per subset (216
#: samples), sized so the offline default run takes minutes; pass --data for bigger sets
DEFAULT_MATCHES = 24


class MmcricBench(BenchBase[Sample]):
    """Cross-script scorecard VQA in the design of MMCricBench (arXiv 2508.17334)."""

    name = "mmcric"
    version = version
    needs = "answer"
    default_model = "ocr-table"
    limit_unit = "question (asked in each subset)"
    score_fields: ClassVar[dict[str, tuple[str, str]]] = {
        "score": ("accuracy", "exact match"), "translit": ("accuracy_translit", "translit match"),
        "relaxed": ("relaxed", "relaxed (5%)"), "anls": ("anls", "ANLS")}
    subset_order = ("E", "H", "HD")
    group_fields = ("format",)
    extra_subset_metrics: ClassVar[dict[str, str]] = {"unparsed": "no number where one was due"}
    #: metric prefixes where higher is better; gaps are better near zero (reported as lower-is-better)
    higher_is_better: ClassVar[dict[str, bool]] = {"accuracy": True, "accuracy_translit": True, "relaxed": True,
                                                   "anls": True, "agreement": True, "consistency": True, "gap": False,
                                                   "gap_translit": False, "unparsed": False, "errors": False}
    scoring_note = ("Scoring: exact match after lowercasing, stripping and removing one trailing '.' or ',' "
                    "(the public MMCricBench harness rule; the headline); translit match: exact match, or for a "
                    "name the same romanization key as the gold or as the Hindi card's spelling of it "
                    "(mmx.text.translit.name_key; numbers stay exact); relaxed: numbers within 5% (ChartQA); "
                    "ANLS threshold 0.5 (DocVQA).")
    has_generator = True
    smoke_args: ClassVar[dict[str, Any]] = {"n_matches": 1}

    def __init__(self, data: str | None = None, split: str | None = None, seed: int = 0,
                 n_matches: Count = DEFAULT_MATCHES) -> None:
        super().__init__(data, split, seed)
        self.n_matches = n_matches

    # --- load ---------------------------------------------------------------------------
    def default_data(self, progress: bool = True) -> Path:
        """The generated set for ``seed``, made once and cached (``$MMX_CACHE/mmcric/...``)."""
        import os
        import shutil

        from mmx.eval.benches.mmcric.generate import GENERATOR_VERSION, generate
        from mmx.eval.progress import progress_bar
        from mmx.render.fonts import cache_dir

        path = cache_dir() / "mmcric" / f"gen-v{GENERATOR_VERSION}-n{self.n_matches}-seed{self.seed}"
        if (path / ".complete").exists():
            return path
        tmp = path.with_name(path.name + f".partial-{os.getpid()}")
        shutil.rmtree(tmp, ignore_errors=True)
        with progress_bar(self.n_matches, "generating scorecards", "matches", enabled=progress) as advance:
            generate(tmp, n=self.n_matches, seed=self.seed, progress=advance)
        (tmp / ".complete").write_text("ok\n")
        # The rename is atomic, so a killed generation never leaves a half set behind. It is
        # tried first: deleting `path` before it could delete the set another process (a
        # torchrun rank, a pytest-xdist worker) renamed into place a moment earlier.
        try:
            tmp.rename(path)
        except OSError:  # `path` exists and is not empty
            if (path / ".complete").exists():  # another process finished first: use its set
                shutil.rmtree(tmp, ignore_errors=True)
            else:  # a leftover without its marker (an older mmx): replace it
                shutil.rmtree(path, ignore_errors=True)
                tmp.rename(path)
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

    def describe(self) -> dict[str, Any]:
        return {**super().describe(), "prompt": PROMPT}

    # --- predict ------------------------------------------------------------------------
    def prepare(self, model: ModelAdapter, samples: Sequence[Sample]) -> None:
        """Reference baselines (random, majority) see the categories and gold answers."""
        model.prepare([Reference(s.category, s.answer) for s in samples])

    def request(self, sample: Sample) -> VqaRequest:
        """The question with its images (decoded here, not at load time) and the bench's prompt."""
        return VqaRequest(id=sample.id, question=sample.question, images=sample.pil_images(),
                          category=sample.category, prompt=format_prompt(sample.question))

    # --- score --------------------------------------------------------------------------
    def score(self, sample: Sample, output: Any) -> dict[str, Any]:
        """Per-sample scores: ``score`` is the harness exact match; ``translit`` (a name in another
        romanization of the card's spelling counts), ``relaxed`` (5%) and ``anls`` beside it;
        ``error`` the answer's kind (:data:`~mmx.eval.metrics.ERROR_KINDS`) and ``off`` how far a
        wrong number is."""
        from mmx.eval.benches.mmcric.lexicon import card_spelling
        from mmx.eval.metrics import classify_answer, score_answer

        s = score_answer(str(output), sample.answer)
        # a Hindi card prints the gold name in Devanagari: its romanizations are the same reading
        on_card = card_spelling(sample.answer) if sample.subset != "E" else None
        kind = classify_answer(str(output), sample.answer, spellings=[on_card] if on_card else [], strict=s["exact"])
        return {"score": s["exact"], "translit": kind["translit"], "relaxed": s["relaxed"], "anls": s["anls"],
                "numeric": s["numeric"], "parsed": s["parsed"], "error": kind["error"], "off": kind["off"]}

    def record(self, sample: Sample, output: Any, ctx: RunContext) -> dict[str, Any]:
        rec = super().record(sample, output, ctx)
        rec["n_images"] = len(sample.images)
        for k in ("format", "qtype", "template"):
            if k in sample.meta:
                rec[k] = sample.meta[k]
        return rec

    # --- aggregate ----------------------------------------------------------------------
    def aggregate(self, records: Sequence[dict[str, Any]]) -> dict[str, float]:
        """The contract's means and paired gaps, plus per subset the share of numeric
        questions whose answer held no single number, the error breakdown and the paired gaps
        under the translit scoring (:mod:`mmx.eval.breakdown`)."""
        from mmx.eval.breakdown import breakdown_metrics, translit_gaps

        metrics = super().aggregate(records)
        subsets = self.subsets_in(records)
        for s in subsets:
            numeric = [r for r in records if r["subset"] == s and r.get("numeric")]
            metrics[f"unparsed/{s}"] = mean(0.0 if r.get("parsed", True) else 1.0 for r in numeric)
        metrics.update(breakdown_metrics(records, subsets))
        pairs = [(a, b) for i, a in enumerate(subsets) for b in subsets[i + 1:]]
        metrics.update(translit_gaps(records, pairs, n_boot=self.n_boot, seed=self.seed))
        return metrics

    @classmethod
    def report_sections(cls, results: dict[str, Any], out: Path) -> list[str]:
        """The error breakdown per subset and the gaps under strict and translit scoring."""
        from mmx.eval.breakdown import breakdown_section

        m = results["metrics"]
        return breakdown_section(m, [s for s in cls.subset_order if f"n/{s}" in m])

    def notes(self, records: Sequence[dict[str, Any]]) -> list[str]:
        unparsed = sum(1 for r in records if r.get("numeric") and not r.get("parsed", True))
        if not unparsed:
            return []
        return [f"{unparsed} answer{'s' if unparsed != 1 else ''} had no single number where the gold answer is "
                "a number (scored 0 for relaxed accuracy; see `parsed` in samples.jsonl)"]

    # --- data generator -----------------------------------------------------------------
    @classmethod
    def data_arguments(cls, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--n", type=int, default=100,
                            help="number of matches to simulate (default 100; ~3 questions each)")
        parser.add_argument("--subsets", default="E,H,HD",
                            help="E (English), H (Hindi), HD (Hindi, Devanagari digits); default E,H,HD")

    @classmethod
    def make_data(cls, args: argparse.Namespace) -> str:
        """A generated set in the real dataset's schema (``data/*.parquet``, ``meta.jsonl``, a card)."""
        from mmx.errors import InputError
        from mmx.eval.benches.mmcric.generate import generate
        from mmx.eval.progress import progress_bar

        out = Path(args.out)
        if (out / "data").exists() and any((out / "data").glob("*.parquet")) and not args.overwrite:
            raise InputError(f"--out {out} already holds a dataset; pass --overwrite to replace it")
        subsets = [s.strip().upper() for s in args.subsets.split(",") if s.strip()]
        with progress_bar(args.n, "simulating and drawing", "matches", enabled=args.progress) as advance:
            stats = generate(out, n=args.n, seed=args.seed, subsets=subsets, progress=advance)
        rows = ", ".join(f"{k} {v}" for k, v in stats.rows.items())
        return (f"{stats.matches} matches, {stats.images} images, rows per subset: {rows}; "
                f"{stats.matches / stats.seconds:.1f} matches/s -> {out}")
