"""xscript's families as sub-benches: one ordinary bench per family, by item kind.

Each family of :mod:`.families` becomes a :class:`~mmx.eval.contract.BenchGroup` whose bench
loads the family's items in every form, asks its own adapter and scores the answers:

- :class:`ReadingFamily`: a number rendered with ``reading_profile``, asked with the bench's prompt;
- :class:`PassagesFamily`: a notice rendered with ``passages_profile`` and a question in the same form;
- :class:`ScorecardsFamily`: mmcric's samples, asked, recorded and scored by :class:`MmcricBench`;
- :class:`PromptsFamily`: GenEval prompts, drawn, detected and judged by :class:`GenevalBench`;
- :class:`MusicFamily`: a tune description ranked against the whole tune pool;
- :class:`TextFamily`: a sentence in one form ranked against the reference forms of the items scored.

The family benches read the composite's options (counts, profiles, seed) from it and share
the inner mmcric / GenEval benches and renderers it holds.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from mmx.adapters.base import EmbedRequest, ModelAdapter, Reference, VqaRequest
from mmx.errors import InputError
from mmx.eval.benches.xscript.families import Family
from mmx.eval.contract import BenchBase, EvalSample, RunContext


class Owner(Protocol):
    """What the family benches read from the composite bench that holds them (XscriptBench)."""

    split: str | None
    seed: int
    n_numbers: int
    n_passages: int
    n_sentences: int
    reading_profile: str
    passages_profile: str
    #: one renderer per profile, shared by the families
    renderers: dict[str, Any]

    def inner(self, bench: str) -> Any:
        """The composed bench ``mmcric`` or ``geneval``, shared by the families of its kind."""

__all__ = ["FAMILY_BENCHES", "FamilyBench", "MusicFamily", "PassagesFamily", "PromptsFamily", "ReadingFamily",
           "ScorecardsFamily", "TextFamily", "XscriptSample", "rank_records"]

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


class FamilyBench(BenchBase[XscriptSample]):
    """One family of forms as a bench: the forms of each item are paired samples."""

    name = "xscript"
    limit_unit = "item (in every form of its family)"

    def __init__(self, owner: Owner, family: Family) -> None:
        super().__init__(None, owner.split, owner.seed)
        self.owner, self.family = owner, family
        #: forms of items whose conversion failed its check (reported, never dropped silently)
        self.failed = 0

    def skip(self, item: str, failed: dict[str, str]) -> None:
        """Count and list the forms of ``item`` that could not be made."""
        for form, why in failed.items():
            self.failed += 1
            self.skipped.append(f"{self.family.name}:{form} {item}: {why}")

    def sample(self, key: str, form: str, **fields: Any) -> XscriptSample:
        """A sample of this family: ``id`` ``family:form:key``, paired by ``family/key``."""
        fam = self.family.name
        return XscriptSample(id=f"{fam}:{form}:{key}", subset=f"{fam}:{form}", pair=f"{fam}/{key}", family=fam,
                             form=form, kind=self.family.kind, **fields)

    def image(self, text: str, profile: str) -> Any:
        """``text`` rendered with ``profile`` (one renderer per profile, shared by the families)."""
        from mmx.render import Renderer, get_profile

        cache = self.owner.renderers
        if profile not in cache:
            cache[profile] = Renderer(get_profile(profile))
        return cache[profile].render(text).image


class ReadingFamily(FamilyBench):
    """The same number in several digit systems, read by an answering adapter (default: the tiny reader)."""

    needs = "answer"

    def load(self, progress: bool = True) -> list[XscriptSample]:
        from mmx.eval.benches.xscript.families import digit_forms, numbers

        out = []
        for i, n in enumerate(numbers(self.owner.n_numbers, self.seed)):
            for form, text in digit_forms(n).items():
                out.append(self.sample(f"{i:04d}", form, category=f"{len(n)} digits", text=text,
                                       question=READING_QUESTION, answer=n))
        return out

    def prepare(self, model: ModelAdapter, samples: Sequence[XscriptSample]) -> None:
        model.prepare([Reference(s.category, s.answer) for s in samples])

    def request(self, sample: XscriptSample) -> VqaRequest:
        """The rendered number and the bench's prompt."""
        return VqaRequest(id=sample.id, question=sample.question,
                          images=[self.image(sample.text, self.owner.reading_profile)],
                          category=sample.category, prompt=READING_PROMPT)

    def score(self, sample: XscriptSample, output: Any) -> dict[str, Any]:
        """1 when the answer's digits, read in any digit system, are the number."""
        from mmx.text.digits import to_ascii_digits

        read = "".join(c for c in to_ascii_digits(str(output)) if c.isdigit())
        return {"score": float(read == sample.answer), "answer_key": read}


class PassagesFamily(FamilyBench):
    """A notice and a question about it in several forms, for any VLM (no offline default)."""

    needs = "answer"

    def load(self, progress: bool = True) -> list[XscriptSample]:
        from mmx.eval.benches.xscript import passages as P
        from mmx.text.alphabets import TransliterationError

        lang = self.family.name.removesuffix("_passages")
        out = []
        for p in P.passages(self.owner.n_passages, self.seed):
            accept = sorted(P.spellings(lang, p))
            for form, make in P.forms(lang, p).items():
                try:
                    notice, question, answer = make()
                except TransliterationError as exc:
                    self.skip(f"passage {p.id}", {form: str(exc)})
                    continue
                out.append(self.sample(p.id, form, category=p.ask, text=notice, question=question, answer=answer,
                                       meta={"accept": accept}))
        return out

    def request(self, sample: XscriptSample) -> VqaRequest:
        """The rendered notice and the question in the same form."""
        return VqaRequest(id=sample.id, question=sample.question,
                          images=[self.image(sample.text, self.owner.passages_profile)], category=sample.category,
                          prompt=PASSAGE_PROMPT.format(question=sample.question))

    def score(self, sample: XscriptSample, output: Any) -> dict[str, Any]:
        """1 when the answer is one of the item's spellings of the fact, in any script; beside it
        ``translit`` (a name or place in another romanization of a spelling counts) and the
        answer's kind (``error``, ``off``: :func:`~mmx.eval.metrics.classify_answer`)."""
        from mmx.eval.metrics import classify_answer

        got = _normal(str(output))
        accept = {_normal(a): a for a in sample.meta.get("accept", [sample.answer])}
        # any spelling of the answer counts (a name asked in Urdu may be answered in Latin);
        # agreement compares which answer was given, whatever its script
        score = float(got in accept)
        kind = classify_answer(str(output), sample.answer, spellings=list(accept.values()), strict=score)
        return {"score": score, "answer_key": sample.meta["accept"][0] if got in accept else got,
                "translit": kind["translit"], "error": kind["error"], "off": kind["off"]}

    @staticmethod
    def breakdown(records: Sequence[dict[str, Any]], family: str, forms: Sequence[str], n_boot: int,
                  seed: int) -> dict[str, float]:
        """The family's translit scores and error kinds per form, and the paired gap of the
        reference form to each other form under the translit scoring (:mod:`mmx.eval.breakdown`)."""
        from mmx.eval.breakdown import breakdown_metrics, translit_gaps

        subsets = [f"{family}:{f}" for f in forms]
        mine = [r for r in records if r.get("subset") in subsets and r.get("score") is not None]
        out = breakdown_metrics(mine, subsets)
        out.update(translit_gaps(mine, [(subsets[0], s) for s in subsets[1:]], n_boot=n_boot, seed=seed))
        return out


class ScorecardsFamily(FamilyBench):
    """mmcric's E / H / HD scorecards, asked, recorded and scored by the mmcric bench itself."""

    needs = "answer"

    def load(self, progress: bool = True) -> list[XscriptSample]:
        inner_bench = self.owner.inner("mmcric")
        inner = inner_bench.load(progress)
        self.skipped += [f"scorecards: {s}" for s in inner_bench.skipped]
        fam = self.family
        return [XscriptSample(id=f"{fam.name}:{s.id}", split=s.split, subset=f"{fam.name}:{s.subset}",
                              category=s.category, pair=f"{fam.name}/{s.split}/{s.pair or s.id}", family=fam.name,
                              form=s.subset, kind=fam.kind, text=s.question, question=s.question, answer=s.answer,
                              inner=s) for s in inner if s.subset in fam.forms]

    def prepare(self, model: ModelAdapter, samples: Sequence[XscriptSample]) -> None:
        model.prepare([Reference(s.category, s.answer) for s in samples])

    def predict(self, model: ModelAdapter, batch: Sequence[XscriptSample], ctx: RunContext) -> list[Any]:
        return list(self.owner.inner("mmcric").predict(model, [s.inner for s in batch], ctx))

    def record(self, sample: XscriptSample, output: Any, ctx: RunContext) -> dict[str, Any]:
        from mmx.eval.metrics import normalize_answer

        rec: dict[str, Any] = self.owner.inner("mmcric").record(sample.inner, output, ctx)
        rec["answer_key"] = normalize_answer(str(output))
        return rec


class PromptsFamily(FamilyBench):
    """GenEval prompts in several forms, drawn by a text-to-image adapter and judged by GenEval."""

    needs = "generate_images"

    def load(self, progress: bool = True) -> list[XscriptSample]:
        from mmx.eval.benches.geneval.bench import GenevalSample
        from mmx.eval.benches.xscript import families as F

        fam = self.family
        make = {"hindustani": F.hindustani_forms, "chinese": F.chinese_forms}[fam.name]
        out = []
        for base in self.owner.inner("geneval").load(progress):
            spec = base.metadata
            forms, failed = make(spec)
            self.skip(f"prompt {base.folder:05d} ({spec['prompt']!r})", failed)
            for form in fam.forms:
                if form not in forms:
                    continue
                lang = f"{fam.name}-{form}"
                gs = GenevalSample(id=f"{lang}-{base.folder:05d}", subset=lang, category=base.category,
                                   pair=base.pair, prompt=forms[form], metadata={**spec, "prompt": forms[form]},
                                   language=lang, folder=base.folder)
                out.append(self.sample(f"{base.folder:05d}", form, category=base.category, text=forms[form],
                                       question=forms[form], answer=spec["prompt"], inner=gs))
        return out

    def prepare(self, model: ModelAdapter, samples: Sequence[XscriptSample]) -> None:
        self.owner.inner("geneval").prepare(model, [s.inner for s in samples])

    def predict(self, model: ModelAdapter, batch: Sequence[XscriptSample], ctx: RunContext) -> list[Any]:
        return list(self.owner.inner("geneval").predict(model, [s.inner for s in batch], ctx))

    def record(self, sample: XscriptSample, output: Any, ctx: RunContext) -> dict[str, Any]:
        rec: dict[str, Any] = self.owner.inner("geneval").record(sample.inner, output, ctx)
        rec["answer_key"] = json.dumps([v.get("details") for v in output], sort_keys=True)
        return rec


class MusicFamily(FamilyBench):
    """A tune description in several scripts, ranked against the whole tune pool (embed)."""

    needs = "embed"

    def __init__(self, owner: Owner, family: Family) -> None:
        super().__init__(owner, family)
        self.adapter: ModelAdapter | None = None

    def load(self, progress: bool = True) -> list[XscriptSample]:
        from mmx.eval.benches.xscript import families as F
        from mmx.eval.benches.xscript import music

        pool = music.tunes(self.seed)
        describe, make = {"serbian": (music.serbian_description, F.serbian_forms),
                          "kazakh": (music.kazakh_description, F.kazakh_forms)}[self.family.name]
        out = []
        for i, tune in enumerate(pool):
            forms, failed = make(describe(tune))
            self.skip(f"tune {tune.id}", failed)
            for form in self.family.forms:
                if form in forms:
                    out.append(self.sample(tune.id, form, category=tune.type, text=forms[form], question=forms[form],
                                           answer=tune.id, target=i))
        return out

    def prepare(self, model: ModelAdapter, samples: Sequence[XscriptSample]) -> None:
        self.adapter = model  # the pool is embedded with it in score_pool

    def request(self, sample: XscriptSample) -> EmbedRequest:
        """The description to embed."""
        return EmbedRequest(id=f"q/{sample.id}", modality="text", content=sample.text)

    def score(self, sample: XscriptSample, output: Any) -> dict[str, Any]:
        return {}  # ranks need the whole pool: score_pool

    def record(self, sample: XscriptSample, output: Any, ctx: RunContext) -> dict[str, Any]:
        rec = super().record(sample, output, ctx)
        rec["target"] = sample.target
        return rec

    def score_pool(self, records: list[dict[str, Any]], ctx: RunContext) -> list[dict[str, Any]]:
        """Rank each description against the whole tune pool (embedded once per adapter, cached)."""
        music = [r for r in records if r.get("prediction")]
        if not music:
            return records
        from mmx.eval.benches.xscript.music import tunes

        pool = tunes(self.seed)
        keys = [t.id for t in pool]
        store = ctx.embeddings
        by_adapter: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for r in music:
            by_adapter[str(r.get("adapter"))].append(r)
        for name, recs in by_adapter.items():
            ids = [f"pool/{name}/{t.id}" for t in pool]
            try:
                vecs = store.get(ids)
            except InputError:
                adapter = self.adapter if self.adapter is not None and self.adapter.name == name else None
                if adapter is None:  # a resumed run built no adapter
                    from mmx.adapters import create_model

                    adapter = create_model(name, "embed")
                store.write(ids, adapter.embed([EmbedRequest(i, "music", t.abc) for i, t in zip(ids, pool)]))
                vecs = store.get(ids)
            queries = store.get([r["prediction"][0] for r in recs])
            rank_records(recs, queries, vecs, keys, [r["target"] for r in recs])
        return records


class TextFamily(FamilyBench):
    """A sentence in several forms (:mod:`.sentences`), each form ranked against the reference
    forms of the items scored (embed): hit@1 is the score, MRR and the cosine to the item's own
    reference form beside it. The reference form finds itself unless the embedder gives two
    sentences of the pool the same vector (ties rank last)."""

    needs = "embed"

    def load(self, progress: bool = True) -> list[XscriptSample]:
        from mmx.eval.benches.xscript.sentences import sentences

        ref = self.family.forms[0]
        out = []
        for it in sentences(self.family.name, self.owner.n_sentences, self.seed):
            self.skip(f"sentence {it.key}", it.failed)
            for form in self.family.forms:
                if form in it.forms:
                    out.append(self.sample(it.key, form, category=it.source, text=it.forms[form],
                                           question=it.forms[form], answer=it.forms[ref]))
        return out

    def request(self, sample: XscriptSample) -> EmbedRequest:
        """The sentence in this form."""
        return EmbedRequest(id=f"q/{sample.id}", modality="text", content=sample.text)

    def score(self, sample: XscriptSample, output: Any) -> dict[str, Any]:
        return {}  # ranks need the whole pool: score_pool

    def score_pool(self, records: list[dict[str, Any]], ctx: RunContext) -> list[dict[str, Any]]:
        """Rank every form of every item against the reference forms of the items scored; the
        vectors are those the run stored, so a resumed run embeds nothing again."""
        done = [r for r in records if r.get("prediction")]
        pool = [r for r in done if r["subset"] == f"{self.family.name}:{self.family.forms[0]}"]
        if not pool:
            return records
        index = {r["pair"]: i for i, r in enumerate(pool)}
        store = ctx.embeddings
        vecs = store.get([r["prediction"][0] for r in pool])
        scored = [r for r in done if r["pair"] in index]
        for r in done:
            if r["pair"] not in index:  # its reference form's request failed: nothing to retrieve
                r.update(score=None, skipped=f"{r['family']}: the item's reference form has no embedding")
        targets = [index[r["pair"]] for r in scored]
        sims = rank_records(scored, store.get([r["prediction"][0] for r in scored]), vecs,
                            [r["pair"].split("/", 1)[1] for r in pool], targets)
        for r, row, t in zip(scored, sims, targets):
            r["cosine"], r["pool"] = float(row[t]), len(pool)
        return records


def rank_records(records: Sequence[dict[str, Any]], queries: Any, pool: Any, keys: Sequence[str],
                 targets: Sequence[int]) -> Any:
    """Score each record by ranking its query vector against ``pool`` (rows of unit vectors):
    ``score`` hit@1 of its target, ``mrr``, and ``answer_key`` the key of the top candidate
    (what agreement compares across forms). Returns the ``[records, pool]`` similarities."""
    import numpy as np

    from mmx.eval.metrics import retrieval_scores

    sims = np.asarray(queries) @ np.asarray(pool).T
    for r, row, t in zip(records, sims, targets):
        s = retrieval_scores(row[None, :], [t])
        r["mrr"], r["score"] = float(s["mrr"]), float(s["hit@1"])
        r["answer_key"] = keys[int(np.argmax(row))]
    return sims


#: item kind -> the bench of a family of that kind
FAMILY_BENCHES: dict[str, type[FamilyBench]] = {
    "reading": ReadingFamily, "passages": PassagesFamily, "scorecards": ScorecardsFamily,
    "prompts": PromptsFamily, "music": MusicFamily, "text": TextFamily}


def _normal(text: str) -> str:
    """An answer as compared: NFC, digits in ASCII, case folded, spaces and closing punctuation trimmed."""
    import unicodedata

    from mmx.text.digits import to_ascii_digits

    t = to_ascii_digits(unicodedata.normalize("NFC", text)).casefold().strip()
    return t.rstrip(".,!?;:。，！？۔").strip()

