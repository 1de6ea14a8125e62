"""Cross-script consistency: ``mmx eval --bench xscript``.

The same item in several written forms (scripts, romanizations, digit systems, code-mixed
wording), scored per form, with the paired gap to the family's reference form (bootstrap
95% CI), cross-form agreement (the same answer whatever its correctness) and consistency
(right in every form). The families and how their forms are made are in
:mod:`.families`; docs/xscript.md says what each tests.

xscript composes benches through the contract rather than copying them: scorecard items
are :class:`~mmx.eval.benches.mmcric.MmcricBench` samples asked, recorded and scored by
that bench; prompt items are :class:`~mmx.eval.benches.geneval.GenevalBench` samples
(drawn, detected and judged by GenEval's protocol); music items are scored with
``retrieval_scores`` of :mod:`mmx.eval.metrics`.

Several adapters in one run: the runner gives a bench one adapter. xscript's default
model, ``xscript-defaults``, is a name only (:class:`FamilyDefaults`): with it the bench
builds each family's own default adapter itself with :func:`mmx.adapters.create_model` (as
a retrieval bench builds its pool encoder), overridable per item kind with
``--bench-args reading_model=...,passages_model=...,scorecards_model=...,prompts_model=...,music_model=...``.
The passage families have no offline default (reading a notice in Urdu needs a VLM): under
``xscript-defaults`` they are skipped with a note.
Any other ``--model`` serves every family whose item kind needs a capability it has; the
other families are skipped with a note naming the model and the capability. When the
selected families all need one capability, that is what the bench ``needs`` (so
``--bench-args families=serbian,kazakh`` takes ``--model clamp3 --model-args model=PATH``).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from mmx.errors import InputError
from mmx.eval.benches.xscript.families import FAMILIES, KINDS, Family, parse_families
from mmx.eval.contract import BenchBase, EvalSample, RunContext, mean
from mmx.adapters.base import EmbedRequest, ModelAdapter, Reference, VqaRequest

__all__ = ["FAMILIES", "FamilyDefaults", "XscriptBench", "XscriptSample"]

version = "1"
#: the question of a reading item; the bench owns its wording
READING_QUESTION = "What number is written in the image?"
READING_PROMPT = "Read the number in the image. Answer with the number only, in Western digits (0-9)."
#: the instruction around a passage's question (the question itself is in the passage's form)
PASSAGE_PROMPT = ("Read the notice in the image and answer the question. Answer with the exact time, number, "
                  "place or name from the notice only.\nQuestion: {question}")


@dataclass
class XscriptSample(EvalSample):
    """One form of one item: ``subset`` is ``family:form``, ``pair`` ties the item's forms."""

    family: str = ""
    form: str = ""
    kind: str = ""
    #: the item in this form (the number, prompt or description as asked)
    text: str = ""
    question: str = ""
    answer: str = ""
    #: the composed bench's own sample (mmcric, geneval), asked and scored by that bench
    inner: Any = None
    #: music: the index of the tune this description names in the pool
    target: int = -1


class FamilyDefaults(ModelAdapter):
    """xscript's default model: not a model but the choice of each family's own default adapter
    (``reader``, ``ocr-table``, ``shapes-oracle``, ``music-tiny``), which the bench builds."""

    name = "xscript-defaults"
    capabilities: ClassVar[frozenset[str]] = frozenset(KINDS.values())
    serves_benches: ClassVar[tuple[str, ...]] = ("xscript",)
    batch_size = 32
    smoke_args: ClassVar[dict[str, Any] | None] = None

    def _refuse(self, *_: Any) -> Any:
        raise InputError("xscript-defaults only stands for the default adapters of xscript's families; "
                         "use it with --bench xscript (or pick a real model)")

    answer = generate_images = embed = _refuse  # type: ignore[assignment]


class XscriptBench(BenchBase):
    """The same item in several scripts, digit systems and code-mixed forms, for every head."""

    name = "xscript"
    version = version
    needs = "answer"
    default_model = "xscript-defaults"
    limit_unit = "item (in every form of its family)"
    subset_order = tuple(f"{f.name}:{form}" for f in FAMILIES.values() for form in f.forms)
    score_fields: ClassVar[dict[str, tuple[str, str]]] = {"score": ("accuracy", "score")}
    extra_subset_metrics: ClassVar[dict[str, str]] = {"mrr": "MRR (music)"}
    higher_is_better: ClassVar[dict[str, bool]] = {
        "accuracy": True, "agreement": True, "consistency": True, "gap": False, "mrr": True,
        "family_agreement": True, "family_consistency": True, "skipped": False}
    scoring_note = ("Scoring per family: reading: the answer's digits (any digit system) equal the number; "
                    "passages: the answer equals one of the item's spellings of the fact (any script; NFC, case "
                    "folded, ASCII digits, trailing punctuation trimmed); scorecards: mmcric's exact match; prompts: GenEval's share of images judged correct; music: "
                    "hit@1 of the described tune in the pool (MRR beside it). Gaps: reference form minus form, "
                    "paired by item, bootstrap 95% CI. Agreement: the same answer (reading, passages, scorecards), the same "
                    "detections (prompts) or the same top tune (music) in both forms.")
    smoke_args: ClassVar[dict[str, Any]] = {"families": "digits", "n_numbers": 2}

    def __init__(self, data: str | None = None, split: str | None = None, seed: int = 0,
                 families: str | None = None, n_numbers: int = 40, scorecard_matches: int = 4,
                 prompts_per_task: int = 4, n_images: int = 1, prompts_world: str = "shapes",
                 prompts_detector: str = "shapes", reading_profile: str = "reader", n_passages: int = 24,
                 passages_profile: str = "page", reading_model: str | None = None,
                 passages_model: str | None = None, scorecards_model: str | None = None,
                 prompts_model: str | None = None, music_model: str | None = None) -> None:
        super().__init__(data, split, seed)
        if data is not None:
            raise InputError("xscript makes its items from the benches it composes; it takes no --data "
                             "(choose families with --bench-args families=a,b)")
        self.families = parse_families(families)
        caps = {FAMILIES[f].capability for f in self.families}
        if len(caps) == 1:
            # families of one capability take any adapter that has it: `--model clamp3` for the
            # music families, `--model hf:ORG/NAME` (a diffusers pipeline) for the prompt families
            self.needs = caps.pop()
        for k, v in {"n_numbers": n_numbers, "scorecard_matches": scorecard_matches,
                     "prompts_per_task": prompts_per_task, "n_images": n_images, "n_passages": n_passages}.items():
            if int(v) < 1:
                raise InputError(f"xscript: {k} must be at least 1, got {v}")
        self.n_numbers, self.scorecard_matches = int(n_numbers), int(scorecard_matches)
        self.prompts_per_task, self.n_images = int(prompts_per_task), int(n_images)
        self.reading_profile, self.passages_profile = reading_profile, passages_profile
        self.n_passages = int(n_passages)
        if prompts_world not in ("shapes", "coco"):
            raise InputError(f"xscript: prompts_world must be shapes or coco, got {prompts_world!r}")
        #: GenEval's world and detector for the prompt families: the offline twin (shapes, its
        #: exact detector) by default; coco + mask2former or owlv2 for real text-to-image models
        self.prompts_world, self.prompts_detector = prompts_world, prompts_detector
        self.kind_models = {"reading": reading_model, "passages": passages_model, "scorecards": scorecards_model,
                            "prompts": prompts_model, "music": music_model}
        self._mmcric: Any = None
        self._geneval: Any = None
        self._pool: list[Any] = []
        self._adapters: dict[str, ModelAdapter | None] = {}
        self._adapter_names: dict[str, str] = {}
        self._notes: list[str] = []
        #: family -> why prepare gave it no adapter
        self._why: dict[str, str] = {}
        self._failed: dict[str, int] = defaultdict(int)
        self._renderers: dict[str, Any] = {}

    def family_model(self, family: Family) -> str:
        """The adapter a family uses by default (its own, or the kind's ``*_model`` option)."""
        return self.kind_models.get(family.kind) or family.default_model

    # --- load ---------------------------------------------------------------------------
    def load(self, progress: bool = True) -> list[XscriptSample]:
        out: list[XscriptSample] = []
        for name in self.families:
            fam = FAMILIES[name]
            out += getattr(self, f"_load_{fam.kind}")(fam, progress)
        if self.split is not None:
            out = [s for s in out if s.split == self.split]
        return out

    def _missing_default(self, fam: Family) -> str | None:
        """Why a family's default adapter cannot be built (it is not registered)."""
        from mmx.registry import models

        name = self.family_model(fam)
        if not name:
            return (f"no offline adapter answers questions about {fam.kind}: pass --model hf:ORG/NAME (a VLM) "
                    f"or --bench-args {fam.kind}_model=NAME")
        if name.startswith("hf:") or name in models or Path(name).is_dir():
            return None
        return (f"its adapter {name!r} is not registered (mmx list models); choose one with "
                f"--bench-args {fam.kind}_model=NAME")

    def _skip(self, family: str, item: str, failed: dict[str, str]) -> None:
        for form, why in failed.items():
            self._failed[family] += 1
            self.skipped.append(f"{family}:{form} {item}: {why}")

    def _load_reading(self, fam: Family, progress: bool) -> list[XscriptSample]:
        from mmx.eval.benches.xscript.families import digit_forms, numbers

        out = []
        for i, n in enumerate(numbers(self.n_numbers, self.seed)):
            for form, text in digit_forms(n).items():
                out.append(XscriptSample(id=f"{fam.name}:{form}:{i:04d}", subset=f"{fam.name}:{form}",
                                         category=f"{len(n)} digits", pair=f"{fam.name}/{i:04d}",
                                         family=fam.name, form=form, kind=fam.kind, text=text,
                                         question=READING_QUESTION, answer=n))
        return out

    def _load_passages(self, fam: Family, progress: bool) -> list[XscriptSample]:
        from mmx.eval.benches.xscript import passages as P
        from mmx.text.alphabets import TransliterationError

        lang = fam.name.removesuffix("_passages")
        out = []
        for p in P.passages(self.n_passages, self.seed):
            accept = sorted(P.spellings(lang, p))
            for form, make in P.forms(lang, p).items():
                try:
                    notice, question, answer = make()
                except TransliterationError as exc:
                    self._skip(fam.name, f"passage {p.id}", {form: str(exc)})
                    continue
                out.append(XscriptSample(id=f"{fam.name}:{form}:{p.id}", subset=f"{fam.name}:{form}",
                                         category=p.ask, pair=f"{fam.name}/{p.id}", family=fam.name, form=form,
                                         kind=fam.kind, text=notice, question=question, answer=answer,
                                         meta={"accept": accept}))
        return out

    def _load_scorecards(self, fam: Family, progress: bool) -> list[XscriptSample]:
        from mmx.eval import create_bench

        self._mmcric = create_bench("mmcric", seed=self.seed, n_matches=self.scorecard_matches)
        inner = self._mmcric.load(progress)
        self.skipped += [f"scorecards: {s}" for s in self._mmcric.skipped]
        return [XscriptSample(id=f"{fam.name}:{s.id}", split=s.split, subset=f"{fam.name}:{s.subset}",
                              category=s.category, pair=f"{fam.name}/{s.split}/{s.pair or s.id}", family=fam.name,
                              form=s.subset, kind=fam.kind, text=s.question, question=s.question, answer=s.answer,
                              inner=s) for s in inner if s.subset in fam.forms]

    def _load_prompts(self, fam: Family, progress: bool) -> list[XscriptSample]:
        from mmx.eval import create_bench
        from mmx.eval.benches.geneval.bench import GenevalSample
        from mmx.eval.benches.xscript import families as F

        if self._geneval is None:
            self._geneval = create_bench("geneval", seed=self.seed, languages="en", n_images=self.n_images,
                                         per_tag=self.prompts_per_task, world=self.prompts_world,
                                         detector=self.prompts_detector)
        make = {"hindustani": F.hindustani_forms, "chinese": F.chinese_forms}[fam.name]
        out = []
        for base in self._geneval.load(progress):
            spec = base.metadata
            forms, failed = make(spec)
            self._skip(fam.name, f"prompt {base.folder:05d} ({spec['prompt']!r})", failed)
            for form in fam.forms:
                if form not in forms:
                    continue
                lang = f"{fam.name}-{form}"
                gs = GenevalSample(id=f"{lang}-{base.folder:05d}", subset=lang, category=base.category,
                                   pair=base.pair, prompt=forms[form], metadata={**spec, "prompt": forms[form]},
                                   language=lang, folder=base.folder)
                out.append(XscriptSample(id=f"{fam.name}:{form}:{base.folder:05d}", subset=f"{fam.name}:{form}",
                                         category=base.category, pair=f"{fam.name}/{base.folder:05d}",
                                         family=fam.name, form=form, kind=fam.kind, text=forms[form],
                                         question=forms[form], answer=spec["prompt"], inner=gs))
        return out

    def _load_music(self, fam: Family, progress: bool) -> list[XscriptSample]:
        from mmx.eval.benches.xscript import families as F
        from mmx.eval.benches.xscript import music

        self._pool = music.tunes(self.seed)
        describe, make = {"serbian": (music.serbian_description, F.serbian_forms),
                          "kazakh": (music.kazakh_description, F.kazakh_forms)}[fam.name]
        out = []
        for i, tune in enumerate(self._pool):
            forms, failed = make(describe(tune))
            self._skip(fam.name, f"tune {tune.id}", failed)
            for form in fam.forms:
                if form in forms:
                    out.append(XscriptSample(id=f"{fam.name}:{form}:{tune.id}", subset=f"{fam.name}:{form}",
                                             category=tune.type, pair=f"{fam.name}/{tune.id}", family=fam.name,
                                             form=form, kind=fam.kind, text=forms[form], question=forms[form],
                                             answer=tune.id, target=i))
        return out

    def describe_data(self) -> str:
        return (f"generated (families {'+'.join(self.families)}, seed {self.seed}, {self.n_numbers} numbers, "
                f"{self.n_passages} passages, "
                f"{self.scorecard_matches} scorecard matches, {self.prompts_per_task} prompts per GenEval task, "
                f"{self.n_images} image(s) per prompt, {self.prompts_world} world)")

    def describe(self) -> dict[str, Any]:
        return {**super().describe(), "families": list(self.families),
                "adapters": dict(self._adapter_names), "reading_profile": self.reading_profile}

    # --- predict ------------------------------------------------------------------------
    def prepare(self, model: ModelAdapter, samples: Sequence[XscriptSample]) -> None:  # type: ignore[override]
        """Choose each family's adapter: its default (built here) under ``xscript-defaults``, else
        ``model`` where it has the capability the family's item kind needs."""
        from mmx.adapters import create_model

        by_family: dict[str, list[XscriptSample]] = defaultdict(list)
        for s in samples:
            by_family[s.family].append(s)
        built: dict[tuple[str, str], ModelAdapter] = {}
        for name, group in by_family.items():
            fam = FAMILIES[name]
            adapter: ModelAdapter | None = None
            if isinstance(model, FamilyDefaults):
                why = self._missing_default(fam)
                if why:
                    self._why[name] = why
                    self._notes.append(f"family {name} skipped: {why}")
                else:
                    key = (self.family_model(fam), fam.capability)
                    if key not in built:
                        built[key] = create_model(key[0], fam.capability)
                    adapter = built[key]
            elif fam.capability in model.capabilities:
                adapter = model
            else:
                self._why[name] = (f"--model {model.name} can {', '.join(sorted(model.capabilities))}, and "
                                   f"{fam.kind} items need {fam.capability} (run it with the default model, or "
                                   f"choose its adapter with --bench-args {fam.kind}_model=NAME)")
                self._notes.append(f"family {name} skipped: {self._why[name]}")
            self._adapters[name] = adapter
            if adapter is None:
                continue
            self._adapter_names[name] = adapter.name
            if fam.kind in ("reading", "scorecards"):
                adapter.prepare([Reference(s.category, s.answer) for s in group])
            elif fam.kind == "prompts":
                self._geneval.prepare(adapter, [s.inner for s in group])

    def _image(self, text: str, profile: str) -> Any:
        from mmx.render import Renderer, get_profile

        if profile not in self._renderers:
            self._renderers[profile] = Renderer(get_profile(profile))
        return self._renderers[profile].render(text).image

    def request(self, sample: XscriptSample) -> VqaRequest | EmbedRequest:  # type: ignore[override]
        """Reading: the rendered number and the bench's prompt; passages: the rendered notice and
        the question in the same form; music: the description to embed."""
        if sample.kind == "reading":
            return VqaRequest(id=sample.id, question=sample.question,
                              images=[self._image(sample.text, self.reading_profile)],
                              category=sample.category, prompt=READING_PROMPT)
        if sample.kind == "passages":
            return VqaRequest(id=sample.id, question=sample.question,
                              images=[self._image(sample.text, self.passages_profile)], category=sample.category,
                              prompt=PASSAGE_PROMPT.format(question=sample.question))
        if sample.kind == "music":
            return EmbedRequest(id=f"q/{sample.id}", modality="text", content=sample.text)
        raise InputError(f"xscript: {sample.kind} items are asked through their own bench")

    def predict(self, model: ModelAdapter, batch: Sequence[XscriptSample], ctx: RunContext  # type: ignore[override]
                ) -> list[Any]:
        """Each family's share of ``batch`` goes to its adapter through the bench it belongs to;
        a skipped family's samples get None."""
        out: list[Any] = [None] * len(batch)
        groups: dict[str, list[int]] = defaultdict(list)
        for i, s in enumerate(batch):
            groups[s.family].append(i)
        for name, idx in groups.items():
            adapter = self._adapters.get(name)
            if adapter is None:
                continue
            kind = FAMILIES[name].kind
            part = [batch[i] for i in idx]
            if kind in ("reading", "passages"):
                answers = adapter.answer([self.request(s) for s in part])  # type: ignore[misc]
                got: list[Any] = [str(a) for a in answers]
            elif kind == "scorecards":
                got = self._mmcric.predict(adapter, [s.inner for s in part], ctx)
            elif kind == "prompts":
                got = self._geneval.predict(adapter, [s.inner for s in part], ctx)
            else:
                reqs = [self.request(s) for s in part]
                ctx.embeddings.write([r.id for r in reqs], adapter.embed(reqs))  # type: ignore[arg-type]
                got = [[r.id] for r in reqs]
            if len(got) != len(part):
                raise InputError(f"model {adapter.name} returned {len(got)} outputs for {len(part)} requests")
            for i, o in zip(idx, got):
                out[i] = o
        return out

    # --- score --------------------------------------------------------------------------
    def score(self, sample: XscriptSample, output: Any) -> dict[str, Any]:  # type: ignore[override]
        """Reading: 1 when the answer's digits, read in any digit system, are the number."""
        from mmx.text.digits import to_ascii_digits

        if sample.kind == "passages":
            got = _normal(str(output))
            accept = {_normal(a): a for a in sample.meta.get("accept", [sample.answer])}
            # any spelling of the answer counts (a name asked in Urdu may be answered in Latin);
            # agreement compares which answer was given, whatever its script
            return {"score": float(got in accept), "answer_key": sample.meta["accept"][0] if got in accept else got}
        if sample.kind != "reading":
            return {}
        read = "".join(c for c in to_ascii_digits(str(output)) if c.isdigit())
        return {"score": float(read == sample.answer), "answer_key": read}

    def record(self, sample: XscriptSample, output: Any, ctx: RunContext) -> dict[str, Any]:  # type: ignore[override]
        if output is None:
            rec: dict[str, Any] = {"id": sample.id, "split": sample.split, "subset": sample.subset,
                                   "category": sample.category, "pair": sample.pair, "question": sample.question,
                                   "answer": sample.answer, "prediction": None, "score": None,
                                   "skipped": f"family {sample.family}: {self._why.get(sample.family, 'no adapter')}"}
        elif sample.kind == "scorecards":
            from mmx.eval.metrics import normalize_answer

            rec = self._mmcric.record(sample.inner, output, ctx)
            rec["answer_key"] = normalize_answer(str(output))
        elif sample.kind == "prompts":
            rec = self._geneval.record(sample.inner, output, ctx)
            rec["answer_key"] = json.dumps([v.get("details") for v in output], sort_keys=True)
        else:
            rec = super().record(sample, output, ctx)
            if sample.kind == "music":
                rec["target"] = sample.target
        rec.update(id=sample.id, split=sample.split, subset=sample.subset, pair=sample.pair,
                   family=sample.family, form=sample.form, kind=sample.kind, text=sample.text,
                   adapter=self._adapter_names.get(sample.family))
        return rec

    def score_pool(self, records: list[dict[str, Any]], ctx: RunContext) -> list[dict[str, Any]]:
        """Music: rank each description against the whole tune pool (embedded once, cached)."""
        music = [r for r in records if r.get("kind") == "music" and r.get("prediction")]
        if not music:
            return records
        import numpy as np

        from mmx.eval.benches.xscript.music import tunes
        from mmx.eval.metrics import retrieval_scores

        pool = self._pool or tunes(self.seed)
        store = ctx.embeddings
        by_adapter: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for r in music:
            by_adapter[str(r.get("adapter"))].append(r)
        for name, recs in by_adapter.items():
            ids = [f"pool/{name}/{t.id}" for t in pool]
            try:
                vecs = store.get(ids)
            except InputError:
                adapter = next((a for f, a in self._adapters.items() if a is not None and a.name == name), None)
                if adapter is None:
                    from mmx.adapters import create_model

                    adapter = create_model(name, "embed")
                store.write(ids, adapter.embed([EmbedRequest(i, "music", t.abc) for i, t in zip(ids, pool)]))
                vecs = store.get(ids)
            queries = store.get([r["prediction"][0] for r in recs])
            sims = np.asarray(queries) @ np.asarray(vecs).T
            for r, row in zip(recs, sims):
                s = retrieval_scores(row[None, :], [r["target"]])
                r["mrr"], r["score"] = float(s["mrr"]), float(s["hit@1"])
                r["answer_key"] = pool[int(np.argmax(row))].id
        return records

    # --- aggregate ----------------------------------------------------------------------
    def aggregate(self, records: Sequence[dict[str, Any]]) -> dict[str, float]:
        """Per form: the family's score (and MRR for music); per family and non-reference form:
        the paired gap to the reference form (bootstrap 95% CI), agreement and consistency;
        per family: agreement and consistency across all its forms, and failed conversions."""
        from mmx.eval.metrics import paired_agreement, paired_consistency, paired_gap

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
            if any("mrr" in r for r in rs):
                metrics[f"mrr/{key}"] = mean(r["mrr"] for r in rs if "mrr" in r)
        for name in self.families:
            fam = FAMILIES[name]
            present = [f for f in fam.forms if groups.get(f"{name}:{f}")]
            if self._failed.get(name):
                metrics[f"skipped/{name}"] = float(self._failed[name])
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
            items = set.intersection(*(set(score[f]) for f in present))
            if items:
                metrics[f"family_consistency/{name}"] = mean(
                    float(all(score[f][k] == 1.0 for f in present)) for k in items)
                metrics[f"family_agreement/{name}"] = mean(
                    float(len({keyed[f][k] for f in present}) == 1) for k in items)
                metrics[f"n_items/{name}"] = float(len(items))
        return metrics

    def notes(self, records: Sequence[dict[str, Any]]) -> list[str]:
        out = list(self._notes)
        # a resumed run that asked nothing chose no adapters: its skipped records say why
        said = {n.split(" skipped")[0] for n in out}
        for r in records:
            fam = r.get("family")
            if r.get("skipped") and f"family {fam}" not in said:
                said.add(f"family {fam}")
                out.append(f"family {fam} skipped: {r['skipped'].split(': ', 1)[-1]}")
        for name, n in self._failed.items():
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
        """The per-family table and the forms x model heat map (``xscript_heatmap.png``)."""
        from mmx.eval.benches.xscript.report import family_table, heatmap

        lines = family_table(results)
        if heatmap([results], out / "xscript_heatmap.png"):
            lines += ["", "![forms x model](xscript_heatmap.png)"]
        return lines


def _normal(text: str) -> str:
    """An answer as compared: NFC, digits in ASCII, case folded, spaces and closing punctuation trimmed."""
    import unicodedata

    from mmx.text.digits import to_ascii_digits

    t = to_ascii_digits(unicodedata.normalize("NFC", text)).casefold().strip()
    return t.rstrip(".,!?;:。，！？۔").strip()
