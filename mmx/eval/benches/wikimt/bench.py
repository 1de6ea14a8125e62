"""WikiMT music-text retrieval (CLaMP's benchmark) plus genre retrieval in eight languages:
``mmx eval --bench wikimt --data PATH/TO/wikimusictext.json``.

Three kinds of samples, each asking the adapter for one embedding (``embed`` capability):

- ``t2m``: a tune's English description (WikiMT's ``text``) retrieving its lead sheet among
  every tune's music (text->music, the number CLaMP reports);
- ``m2t``: a tune's ABC (passed as given: stripping titles and lyrics is the encoder's job)
  retrieving its description among every description (music->text);
- ``<lang>`` (en, de, fr, ru, hi, ar, zh, ja): a genre query (:mod:`.queries`) retrieving the
  tunes of that genre. Queries are paired across languages by (genre, template), so the gaps
  to English come with paired bootstrap intervals.

Ranks are over the whole pool by cosine similarity, ties counting against the target
(:func:`mmx.eval.metrics.retrieval_ranks`); CLaMP 3's tie convention is reported beside.
Embeddings are cached in the run folder (:class:`mmx.eval.contract.EmbeddingStore`) and
every score is computed from the cache in :meth:`WikimtBench.score_pool`, so a rerun (another
metric, a resumed run) encodes nothing again. Without ``--data`` the bench runs on eight
made-up tunes (:mod:`.sample`) and says so.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from mmx.adapters.base import EmbedRequest, ModelAdapter
from mmx.eval.benches.wikimt.data import Tune, load_tunes, read_records
from mmx.eval.benches.wikimt.queries import GENRES, LANGUAGES, SCRIPTS, genre_queries
from mmx.eval.contract import BenchBase, EvalSample, RunContext, mean

__all__ = ["ANCHORS", "WikimtBench", "WikimtSample"]

#: WikiMT text->music MRR over the full 1,010-tune pool, as published (CLaMP; CLaMP 2; CLaMP 3, its C2 checkpoint)
ANCHORS: dict[str, float] = {"CLaMP": 0.2561, "CLaMP 2": 0.3438, "CLaMP 3": 0.4498}
#: WikiMT's size: the anchors are comparable only on this pool
WIKIMT_SIZE = 1010
#: models that are mmx's offline tiny ones (their numbers are smoke-level)
TINY_MODELS = ("music-tiny",)
DIRECTIONS = {"t2m": "text → music", "m2t": "music → text"}


@dataclass
class WikimtSample(EvalSample):
    """One query: a description (``t2m``), a lead sheet (``m2t``) or a genre query (a language)."""

    #: what is embedded: the description, the ABC, or the genre query
    content: str = ""
    #: ``text`` or ``music``
    modality: str = "text"
    #: the tune this sample belongs to (t2m / m2t); empty for genre queries
    tune: str = ""
    title: str = ""


class WikimtBench(BenchBase[WikimtSample]):
    """WikiMT text<->music retrieval (MRR, Hit@k over the whole pool) and genre retrieval with
    queries in 8 languages / 6 scripts, against CLaMP's published anchors."""

    name = "wikimt"
    version = "1"
    needs = "embed"
    default_model = "music-tiny"
    limit_unit = "tune (every genre query whose genre is among them is kept)"
    as_percent = False
    score_fields: ClassVar[dict[str, tuple[str, str]]] = {
        "rr": ("mrr", "MRR"), "hit1": ("hit@1", "Hit@1"), "hit10": ("hit@10", "Hit@10"),
        "hit100": ("hit@100", "Hit@100"), "ap": ("map", "mAP")}
    subset_order = ("t2m", "m2t", *LANGUAGES)
    higher_is_better: ClassVar[dict[str, bool]] = {"mrr": True, "hit@1": True, "hit@10": True, "hit@100": True,
                                                   "map": True, "clamp_mrr": True, "gap": False, "gap_map": False,
                                                   "agreement": True, "consistency": True}
    scoring_note = ("Scoring: every query is ranked against the whole pool by cosine similarity; a tied target "
                    "ranks after every candidate it ties with (CLaMP 3's evaluation ranks it first: `clamp_` "
                    "metrics). t2m/m2t: MRR and Hit@k of the one matching tune. Genre rows (a language each): "
                    "MRR and Hit@k of the first tune of the queried genre, mAP over all of them. Gaps: English "
                    "minus the language over the same (genre, template) queries, 95% paired bootstrap CI; \"same "
                    "answer\": the same tune ranked first, \"same correctness\": both or neither rank a tune of the "
                    "genre first.")
    #: the cut-offs of Hit@k
    ks: ClassVar[tuple[int, ...]] = (1, 10, 100)

    def __init__(self, data: str | None = None, split: str | None = None, seed: int = 0) -> None:
        super().__init__(data, split, seed)
        from mmx.errors import InputError

        if split not in (None, "test"):
            raise InputError(f"--split {split!r}: wikimt has one split, test")
        self._model: str | None = None
        self._model_says_tiny = False
        self.unknown_genres: list[str] = []

    # --- load ---------------------------------------------------------------------------
    def describe_data(self) -> str:
        return self.data if self.data is not None else "built-in sample (8 made-up tunes, not WikiMT)"

    def load(self, progress: bool = True) -> list[WikimtSample]:
        """t2m and m2t samples tune by tune, then the genre queries language by language."""
        if self.data is None:
            from mmx.eval.benches.wikimt.sample import SAMPLE

            records: list[Any] = list(SAMPLE)
        else:
            records = read_records(self.data)
        tunes, self.skipped = load_tunes(records)
        out: list[WikimtSample] = []
        for t in tunes:
            out.append(self._tune_sample(t, "t2m", t.text, "text"))
            out.append(self._tune_sample(t, "m2t", t.music, "music"))
        present = {t.genre for t in tunes}
        self.unknown_genres = sorted(present - set(GENRES))
        for q in genre_queries([g for g in GENRES if g in present]):
            out.append(WikimtSample(id=f"{q.language}-{q.pair}", subset=q.language, category=q.genre,
                                    pair=f"genre-{q.pair}", content=q.text, meta={"template": q.template}))
        return out

    @staticmethod
    def _tune_sample(t: Tune, direction: str, content: str, modality: str) -> WikimtSample:
        return WikimtSample(id=f"{direction}-{t.id}", subset=direction, category=t.genre, pair=f"tune-{t.id}",
                            content=content, modality=modality, tune=t.id, title=t.title)

    def select(self, samples: Sequence[WikimtSample], limit: int) -> list[WikimtSample]:
        """The first ``limit`` tunes (both directions) and the genre queries whose genre they hold."""
        tunes = [s for s in samples if isinstance(s, WikimtSample) and s.tune]
        keep = super().select(tunes, limit)
        genres = {s.category for s in keep}
        return keep + [s for s in samples if isinstance(s, WikimtSample) and not s.tune and s.category in genres]

    # --- predict ------------------------------------------------------------------------
    def prepare(self, model: ModelAdapter, samples: Sequence[WikimtSample]) -> None:
        self._model = getattr(model, "name", None)
        notes = model.notes() if callable(getattr(model, "notes", None)) else []
        # the runner prints the adapter's own notes; say "tiny" once
        self._model_says_tiny = any("tiny" in str(n).lower() for n in notes)

    def predict(self, model: ModelAdapter, batch: Sequence[WikimtSample], ctx: RunContext) -> list[Any]:
        """As the contract's, but a request the model refuses (malformed ABC: the adapter raises
        :class:`~mmx.errors.InputError` naming it) costs only its own sample: the batch is
        asked again one by one and a refused sample is recorded with its error, then left
        out of the pools and reported."""
        from mmx.errors import InputError

        try:
            return super().predict(model, batch, ctx)
        except InputError as exc:
            if len(batch) == 1:
                return [{"error": str(exc).splitlines()[0][:300]}]
            return [self._refused(model, s, ctx) for s in batch]

    def _refused(self, model: ModelAdapter, sample: WikimtSample, ctx: RunContext) -> Any:
        from mmx.errors import InputError

        try:
            return super().predict(model, [sample], ctx)[0]
        except InputError as exc:
            return {"error": str(exc).splitlines()[0][:300]}

    def request(self, sample: WikimtSample) -> EmbedRequest:
        kind = {"t2m": "text", "m2t": "music"}.get(sample.subset, "query")
        key = sample.tune if sample.tune else sample.id
        return EmbedRequest(id=f"{kind}/{key}", modality=sample.modality, content=sample.content)

    def score(self, sample: WikimtSample, output: Any) -> dict[str, Any]:
        # every score needs the whole pool: score_pool fills them in from the embedding cache
        return {}

    def record(self, sample: WikimtSample, output: Any, ctx: RunContext) -> dict[str, Any]:
        rec = super().record(sample, output, ctx)
        assert isinstance(sample, WikimtSample)
        if isinstance(output, dict):  # refused by the model (see predict)
            rec["prediction"], rec["error"] = [], output["error"]
        if sample.tune:
            rec["tune"], rec["title"] = sample.tune, sample.title
        if sample.modality == "text":
            rec["query"] = sample.content
        return rec

    # --- score --------------------------------------------------------------------------
    def score_pool(self, records: list[dict[str, Any]], ctx: RunContext) -> list[dict[str, Any]]:
        """Rank every query against the whole pool from the cached embeddings."""
        import numpy as np

        from mmx.eval.metrics import relevant_ranks, retrieval_ranks

        store = ctx.embeddings
        refused = {r["tune"] for r in records if r.get("error") and r.get("tune")}
        by = defaultdict(list)
        for r in records:
            if r.get("error") or r.get("tune") in refused:
                continue  # a tune enters the pools with both sides or not at all
            by[r["subset"]].append(r)
        texts, musics = by.get("t2m", []), by.get("m2t", [])
        text_vec = _unit(store.get([r["prediction"][0] for r in texts])) if texts else None
        music_vec = _unit(store.get([r["prediction"][0] for r in musics])) if musics else None
        pool_genres = np.array([r["category"] for r in musics])
        if texts and musics:
            sim = text_vec @ music_vec.T  # type: ignore[union-attr]
            for queries, pool, matrix in ((texts, musics, sim), (musics, texts, sim.T)):
                where = {r["tune"]: i for i, r in enumerate(pool)}
                rows = [i for i, r in enumerate(queries) if r["tune"] in where]
                target = [where[queries[i]["tune"]] for i in rows]
                if not rows:
                    continue
                worst = retrieval_ranks(matrix[rows], target)
                clamp = retrieval_ranks(matrix[rows], target, ties="clamp")
                top = matrix[rows].argmax(axis=1)
                for i, w, c, t in zip(rows, worst.tolist(), clamp.tolist(), top.tolist()):
                    self._fill(queries[i], w, len(pool), clamp_rank=c, top1=pool[t]["tune"])
        genre_recs = [r for r in records if r["subset"] not in DIRECTIONS and not r.get("error")]
        if genre_recs and musics:
            qvec = _unit(store.get([r["prediction"][0] for r in genre_recs]))
            rel = pool_genres[None, :] == np.array([r["category"] for r in genre_recs])[:, None]
            rows = [i for i in range(len(genre_recs)) if rel[i].any()]
            if rows:
                gsim = qvec[rows] @ music_vec.T  # type: ignore[union-attr]
                first, ap = relevant_ranks(gsim, rel[rows])
                top = gsim.argmax(axis=1)
                for i, f, a, t in zip(rows, first.tolist(), ap.tolist(), top.tolist()):
                    self._fill(genre_recs[i], f, len(musics), ap=a, n_relevant=int(rel[i].sum()),
                               top1=musics[t]["tune"])
        return records

    def _fill(self, rec: dict[str, Any], rank: int, pool: int, clamp_rank: int | None = None,
              ap: float | None = None, n_relevant: int | None = None, top1: str = "") -> None:
        # top1: the tune ranked first (the first of equals): paired queries "agree" when it is the same
        rec["rank"], rec["pool"], rec["rr"], rec["top1"] = rank, pool, 1.0 / rank, top1
        for k in self.ks:
            rec[f"hit{k}"] = float(rank <= k)
        if clamp_rank is not None:
            rec["clamp_rank"], rec["clamp_rr"] = clamp_rank, 1.0 / clamp_rank
        if ap is not None:
            rec["ap"], rec["n_relevant"] = ap, n_relevant

    # --- aggregate ----------------------------------------------------------------------
    def aggregate(self, records: Sequence[dict[str, Any]]) -> dict[str, float]:
        """Means per direction / language (and per genre), CLaMP-convention MRR, pool sizes,
        and the paired gaps of every language to English (MRR and mAP)."""
        from mmx.eval.metrics import (
            paired_agreement,
            paired_consistency,
            paired_gap,
            random_retrieval_scores,
        )

        fields = {"rr": "mrr", **{f"hit{k}": f"hit@{k}" for k in self.ks}, "ap": "map", "clamp_rr": "clamp_mrr"}
        metrics: dict[str, float] = {"n_samples": float(len(records))}
        groups = self.record_groups(records)
        for key in sorted(groups):
            rs = groups[key]
            for fld, prefix in fields.items():
                vals = [r[fld] for r in rs if r.get(fld) is not None]
                if vals:  # mAP exists for genre queries only; a subset without scores has no entry
                    metrics[f"{prefix}/{key}"] = mean(vals)
            metrics[f"n/{key}"] = float(len(rs))
            if "/" not in key:
                pools = {r["pool"] for r in rs if r.get("pool")}
                if pools:
                    metrics[f"pool/{key}"] = float(max(pools))
        langs = [s for s in self.subsets_in(records) if s not in DIRECTIONS]
        if "en" in langs:
            for lang in langs:
                if lang == "en":
                    continue
                for fld, name in (("rr", "gap"), ("ap", "gap_map")):
                    a = {r["pair"]: r[fld] for r in groups["en"] if r.get(fld) is not None}
                    b = {r["pair"]: r[fld] for r in groups[lang] if r.get(fld) is not None}
                    g = paired_gap(a, b, n_boot=self.n_boot, seed=self.seed)
                    if not g["n"]:
                        continue
                    metrics[f"{name}/en-{lang}"] = g["gap"]
                    metrics[f"{name}/en-{lang}/ci_lo"] = g["lo"]
                    metrics[f"{name}/en-{lang}/ci_hi"] = g["hi"]
                    metrics[f"{name}/en-{lang}/n_pairs"] = float(g["n"])
                en = {r["pair"]: r for r in groups["en"] if r.get("rr") is not None}
                other = {r["pair"]: r for r in groups[lang] if r.get("rr") is not None}
                if en.keys() & other.keys():
                    # same top-1 tune; same correctness: both or neither retrieve a tune of the genre first
                    metrics[f"agreement/en-{lang}"] = paired_agreement(
                        {k: r["top1"] for k, r in en.items()}, {k: r["top1"] for k, r in other.items()})
                    metrics[f"consistency/en-{lang}"] = paired_consistency(
                        {k: r["rr"] for k, r in en.items()}, {k: r["rr"] for k, r in other.items()})
        for lang in langs:  # the random floor of this language's queries (same pool, same genres)
            floors = [random_retrieval_scores(r["pool"], r["n_relevant"]) for r in groups[lang] if r.get("n_relevant")]
            if floors:
                metrics[f"random_mrr/{lang}"] = mean(f["mrr"] for f in floors)
                metrics[f"random_map/{lang}"] = mean(f["map"] for f in floors)
        for d in DIRECTIONS:
            if metrics.get(f"pool/{d}"):
                metrics[f"random_mrr/{d}"] = random_mrr(int(metrics[f"pool/{d}"]))
        return metrics

    def notes(self, records: Sequence[dict[str, Any]]) -> list[str]:
        """The anchors beside this run's text->music MRR, and what the data and model are."""
        out = []
        t2m = [r["rr"] for r in records if r["subset"] == "t2m" and r.get("rr") is not None]
        if t2m:
            pool = len([r for r in records if r["subset"] == "m2t"])
            out.append(f"text→music MRR {mean(t2m):.4f} over a pool of {pool} tunes (random ranking: "
                       f"{random_mrr(pool):.4f}); WikiMT anchors (pool of {WIKIMT_SIZE}): "
                       + ", ".join(f"{k} {v:.4f}" for k, v in ANCHORS.items())
                       + ("" if pool == WIKIMT_SIZE else f"; this pool has {pool} tunes, so they do not compare"))
        if self.data is None:
            out.append("data: the built-in sample of 8 made-up tunes, not WikiMT; pass --data PATH/TO/wikimusictext.json")
        if self._model in TINY_MODELS and not self._model_says_tiny:
            out.append(f"model {self._model} is mmx's offline tiny model (trained from scratch on music21's "
                       "folk corpus, English descriptions only): not comparable with CLaMP's anchors")
        errors = [r for r in records if r.get("error")]
        if errors:
            tunes = {r["tune"] for r in errors if r.get("tune")}
            out.append(f"{len(errors)} samples refused by the model, left out"
                       + (f" ({len(tunes)} tunes out of both pools)" if tunes else "")
                       + f"; first: {errors[0]['id']}: {errors[0]['error']}")
        missing = sum(1 for r in records if r["subset"] not in DIRECTIONS and r.get("rr") is None
                      and not r.get("error"))
        if missing:
            out.append(f"{missing} genre queries not scored: no tune of their genre in the pool")
        if self.unknown_genres:
            out.append(f"genres without queries (no templates for them): {', '.join(self.unknown_genres)}")
        return out

    # --- report -------------------------------------------------------------------------
    @classmethod
    def report_sections(cls, results: dict[str, Any], out: Path) -> list[str]:
        """The anchors table, both tie conventions, and genre retrieval by language with gaps."""
        m = results["metrics"]
        model = results.get("model", "")
        lines = ["", "## WikiMT retrieval and the published anchors", ""]
        if _is_tiny(model, results.get("model_info")):
            lines += [f"> **{model} is mmx's offline tiny model** (random-init or trained on music21's folk "
                      "corpus only): its numbers show that the pipeline runs, not how well a real model "
                      "retrieves. The anchors below are CLaMP's published numbers on the full WikiMT.", ""]
        ks = cls.ks
        lines += ["| direction | pool | MRR | " + " | ".join(f"Hit@{k}" for k in ks) + " | MRR (CLaMP 3's ties) |",
                  "|---|---:|---:|" + "---:|" * len(ks) + "---:|"]
        for d, label in DIRECTIONS.items():
            if f"mrr/{d}" not in m:
                continue
            lines.append(f"| {label} | {int(m.get(f'pool/{d}', 0))} | {_f(m.get(f'mrr/{d}'))} | "
                         + " | ".join(_f(m.get(f"hit@{k}/{d}")) for k in ks)
                         + f" | {_f(m.get(f'clamp_mrr/{d}'))} |")
        pool = int(m.get("pool/t2m", 0))
        if pool:
            small = [k for k in ks if k >= pool]
            if small:
                lines += ["", f"The pool holds {pool} tunes: Hit@{', Hit@'.join(map(str, small))} "
                          "count every target and are 1 by construction."]
        lines += ["", "| model | text → music MRR on WikiMT |", "|---|---:|"]
        lines += [f"| {k} (published) | {v:.4f} |" for k, v in ANCHORS.items()]
        if "mrr/t2m" in m:
            note = "" if pool == WIKIMT_SIZE else f" (pool {pool}, not comparable)"
            lines.append(f"| **{model}** (this run){note} | {_f(m.get('mrr/t2m'))} |")
            lines.append(f"| random ranking, pool {pool} | {random_mrr(pool):.4f} |")
        langs = [lang for lang in LANGUAGES if f"mrr/{lang}" in m]
        if langs:
            lines += ["", "## Genre retrieval by query language", "",
                      "A genre query retrieves the tunes of its genre; MRR counts the first of them, mAP all. "
                      "Random: what a random ranking scores on the same queries and pool.",
                      "", "| language | script | queries | MRR | mAP | MRR gap to en [95% CI] | "
                      "mAP gap to en [95% CI] |", "|---|---|---:|---:|---:|---|---|"]
            for lang in langs:
                lines.append(f"| {lang} | {SCRIPTS[lang]} | {int(m.get(f'n/{lang}', 0))} | {_f(m.get(f'mrr/{lang}'))} "
                             f"| {_f(m.get(f'map/{lang}'))} | {_gap(m, 'gap', lang)} | {_gap(m, 'gap_map', lang)} |")
            if f"random_mrr/{langs[0]}" in m:
                lines.append(f"| random | | | {_f(m.get(f'random_mrr/{langs[0]}'))} | "
                             f"{_f(m.get(f'random_map/{langs[0]}'))} | | |")
        return lines


def random_mrr(pool: int) -> float:
    """The expected MRR of a random ranking with one target among ``pool`` candidates."""
    return sum(1.0 / k for k in range(1, pool + 1)) / pool if pool > 0 else math.nan


def _unit(vectors: Any) -> Any:
    """Rows scaled to unit length (cosine similarity); an all-zero row stays zero (ties everywhere)."""
    import numpy as np

    v = np.asarray(vectors, dtype=np.float32)
    norm = np.linalg.norm(v, axis=1, keepdims=True)
    return v / np.where(norm > 0, norm, 1.0)


def _is_tiny(model: str, info: Any) -> bool:
    if model in TINY_MODELS:
        return True
    text = json.dumps(info or {}, default=str).lower()
    return "random init" in text or "random-init" in text


def _f(x: float | None) -> str:
    return "-" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.4f}"


def _gap(m: dict[str, float], prefix: str, lang: str) -> str:
    if lang == "en":
        return "(reference)"
    g = m.get(f"{prefix}/en-{lang}")
    if g is None:
        return "-"
    return f"{g:+.4f} [{m[f'{prefix}/en-{lang}/ci_lo']:+.4f}, {m[f'{prefix}/en-{lang}/ci_hi']:+.4f}]"
