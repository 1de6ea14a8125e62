"""Toy benches and adapters for the output types of the bench contract (generated images,
embeddings), small enough to run in a test; ``register()`` adds them to the registries once."""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
from PIL import Image

from mmx.adapters.base import EmbedRequest, ImageRequest, ModelAdapter
from mmx.eval.contract import BenchBase, EvalSample, RunContext

COLOURS = {"red": (220, 30, 30), "green": (30, 200, 60), "blue": (30, 60, 220), "yellow": (230, 220, 40)}
FRENCH = {"red": "rouge", "green": "vert", "blue": "bleu", "yellow": "jaune"}
NUMBERS = {"en": ["zero", "one", "two", "three", "four", "five"], "fr": ["zéro", "un", "deux", "trois", "quatre", "cinq"]}


@dataclass
class PromptSample(EvalSample):
    prompt: str = ""
    colour: str = ""


class ToyPaintBench(BenchBase):
    """Prompts name a colour in English or French; an image is right when its centre has that colour."""

    name = "toy-paint"
    needs = "generate_images"
    default_model = "toy-painter"
    images_per_prompt = 2

    def load(self, progress: bool = True) -> list[PromptSample]:
        out = []
        for i, c in enumerate(COLOURS):
            out.append(PromptSample(id=f"en-{i}", subset="en", pair=str(i), prompt=f"a {c} square", colour=c))
            out.append(PromptSample(id=f"fr-{i}", subset="fr", pair=str(i), prompt=f"un carré {FRENCH[c]}", colour=c))
        return out

    def request(self, sample: PromptSample) -> ImageRequest:  # type: ignore[override]
        return ImageRequest(id=sample.id, prompt=sample.prompt, seed=self.seed, n=self.images_per_prompt)

    def score(self, sample: PromptSample, output: Any) -> dict[str, Any]:  # type: ignore[override]
        return {}

    def record(self, sample: EvalSample, output: Any, ctx: RunContext) -> dict[str, Any]:
        rec = super().record(sample, output, ctx)
        hits = []
        for rel in output:
            with Image.open(ctx.out / rel) as im:
                hits.append(im.convert("RGB").getpixel((8, 8)) == COLOURS[sample.colour])  # type: ignore[attr-defined]
        rec["score"] = sum(hits) / len(hits)
        return rec


class ToyPainter(ModelAdapter):
    """Paints the colour its prompt names (English only); logs every image it draws to
    ``$TOY_LOG`` and sleeps ``delay`` seconds per request, for kill-and-resume tests."""

    name = "toy-painter"
    capabilities: ClassVar[frozenset[str]] = frozenset({"generate_images"})
    batch_size = 2

    def __init__(self, delay: float = 0.0) -> None:
        self.delay = float(delay)

    def generate_images(self, requests: list[ImageRequest]) -> list[list[Image.Image]]:
        out = []
        for r in requests:
            time.sleep(self.delay)
            colour = next((COLOURS[c] for c in COLOURS if c in r.prompt.split()), (128, 128, 128))
            out.append([Image.new("RGB", (16, 16), colour) for _ in r.wanted()])
            if os.environ.get("TOY_LOG"):
                with open(os.environ["TOY_LOG"], "a") as fh:
                    for k in r.wanted():
                        fh.write(json.dumps([r.id, k]) + "\n")
        return out


@dataclass
class QuerySample(EvalSample):
    text: str = ""
    target: int = 0


class ToyRetrievalBench(BenchBase):
    """Number words in English and French retrieve their digit among a pool of digits."""

    name = "toy-retrieval"
    needs = "embed"
    default_model = "toy-embedder"
    as_percent = False
    score_fields: ClassVar[dict[str, tuple[str, str]]] = {"rr": ("mrr", "MRR"), "hit1": ("hit@1", "hit@1")}

    def load(self, progress: bool = True) -> list[QuerySample]:
        return [QuerySample(id=f"{lang}-{n}", subset=lang, pair=str(n), text=w, target=n)
                for n in range(6) for lang, words in NUMBERS.items() for w in [words[n]]]

    def request(self, sample: QuerySample) -> list[EmbedRequest]:  # type: ignore[override]
        return [EmbedRequest(id=f"q/{sample.id}", modality="text", content=sample.text)]

    def score(self, sample: QuerySample, output: Any) -> dict[str, Any]:  # type: ignore[override]
        return {"target": sample.target}

    def score_pool(self, records: list[dict[str, Any]], ctx: RunContext) -> list[dict[str, Any]]:
        from mmx.adapters import create_model

        store = ctx.embeddings
        pool_ids = [f"pool/{d}" for d in range(6)]
        try:
            pool = store.get(pool_ids)
        except Exception:
            model = create_model(self.default_model, "embed")
            store.write(pool_ids, model.embed([EmbedRequest(i, "text", i.split("/")[1]) for i in pool_ids]))
            pool = store.get(pool_ids)
        queries = store.get([r["prediction"][0] for r in records])
        sims = queries @ pool.T
        for r, row in zip(records, sims):
            rank = 1 + int(np.sum(row > row[r["target"]]))
            r["rr"], r["hit1"] = 1.0 / rank, float(rank == 1)
        return records


class ToyEmbedder(ModelAdapter):
    """One-hot of the number a word or digit names (a lexicon in two languages)."""

    name = "toy-embedder"
    capabilities: ClassVar[frozenset[str]] = frozenset({"embed"})
    batch_size = 4
    calls = 0

    def embed(self, requests: list[EmbedRequest]) -> np.ndarray:
        ToyEmbedder.calls += len(requests)
        out = np.zeros((len(requests), 6), dtype=np.float32)
        for i, r in enumerate(requests):
            for words in NUMBERS.values():
                if r.content in words:
                    out[i, words.index(r.content)] = 1
            if r.content.isdigit():
                out[i, int(r.content)] = 1
        return out


@dataclass
class QaSample(EvalSample):
    question: str = ""
    answer: str = ""


class ToyQaBench(BenchBase):
    """Sums written with Western or Devanagari digits (an answer bench)."""

    name = "toy-qa"
    default_model = "majority"

    def load(self, progress: bool = True) -> list[QaSample]:
        deva = str.maketrans("0123456789", "०१२३४५६७८९")
        return [QaSample(id=f"{s}-{a}", subset=s, pair=str(a), question=q, answer=str(a + 1))
                for a in range(5) for s, q in (("latn", f"{a}+1?"), ("deva", f"{a}+1?".translate(deva)))]

    def request(self, sample: QaSample) -> Any:  # type: ignore[override]
        from mmx.adapters.base import VqaRequest

        return VqaRequest(id=sample.id, question=sample.question)

    def prepare(self, model: ModelAdapter, samples: Any) -> None:
        from mmx.adapters.base import Reference

        model.prepare([Reference(s.category, s.answer) for s in samples])

    def score(self, sample: QaSample, output: Any) -> dict[str, Any]:  # type: ignore[override]
        return {"score": float(output.strip() == sample.answer)}


TOY_BENCHES = ("toy-qa", "toy-paint", "toy-retrieval")
TOY_MODELS = ("toy-painter", "toy-embedder")


def unregister() -> None:
    """Take the toys out of the registries again, so other tests see only mmx's own entries."""
    from mmx.registry import benches, models

    for name in TOY_BENCHES:
        if name in benches:
            benches.unregister(name)
    for name in TOY_MODELS:
        if name in models:
            models.unregister(name)


def register() -> None:
    """Add the toy benches and adapters to the registries (once per process)."""
    from mmx.registry import benches, models

    if "toy-paint" in benches:
        return
    benches.register("toy-qa", ToyQaBench, "test bench: sums in two digit systems", needs="answer")
    benches.register("toy-paint", ToyPaintBench, "test bench: colours in two languages", needs="generate_images")
    benches.register("toy-retrieval", ToyRetrievalBench, "test bench: number words retrieve digits", needs="embed")
    models.register("toy-painter", ToyPainter, "test adapter: paints the named colour", capabilities=("generate_images",))
    models.register("toy-embedder", ToyEmbedder, "test adapter: one-hot number embeddings", capabilities=("embed",))
