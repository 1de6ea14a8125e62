"""Generated text-to-image data: GenEval's shapes world (:mod:`mmx.worlds.shapes`), captioned by
the multilingual prompt generator (:mod:`mmx.worlds.prompts`).

A training sample is one GenEval spec of the shapes world (the tag drawn uniformly, then a
spec of that tag, so that every task is seen as often as GenEval weighs it), its prompt in
one of ``languages`` (English only for the transfer experiment), and an image drawn by
``mmx.worlds.shapes.draw`` at ``image_size`` with a fresh layout seed (the
same prompt comes with many correct pictures; ``layout: random``) or its one fixed drawing
(``layout: canonical``, :func:`~mmx.worlds.shapes.canonical_layout`). Validation samples are the first
``val_per_tag`` specs of each task with their GenEval record, for judging generated images.
Samples are a pure function of (seed, split, index): no files.

Spec splits (:mod:`mmx.worlds.prompts.split`): training draws from the ``train`` specs only by
default (``specs: train``), so whole combinations (colour-shape pairs, shape pairs, ...) are
never seen; validation judges the ``heldout`` ones (``val_specs: heldout``), so the curve
measures composition, not recall. ``specs: all`` gives the recipe's first runs (every spec).
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import lightning.pytorch as pl
import numpy as np
import torch
from torch.utils.data import DataLoader, Dataset

from mmx.errors import InputError

SPLITS = {"train": 0, "val": 1}


@cache
def _specs() -> tuple[str, ...]:
    from mmx.worlds.prompts import specs

    return tuple(json.dumps(s) for s in specs("shapes"))


@cache
def _by_tag(split: str = "all") -> dict[str, tuple[int, ...]]:
    """Indices into :func:`_specs` by task, of the specs in ``split`` (``all``, ``train``, ``heldout``)."""
    from mmx.worlds.prompts.split import check_split, split_of

    check_split(split)
    out: dict[str, list[int]] = {}
    for i, s in enumerate(_specs()):
        spec = json.loads(s)
        if split == "all" or split_of(spec) == split:
            out.setdefault(spec["tag"], []).append(i)
    return {k: tuple(v) for k, v in out.items()}


@cache
def prompt_of(index: int, language: str) -> str:
    """The prompt of shapes-world spec ``index`` in ``language``."""
    from mmx.worlds.prompts import render_prompt

    return render_prompt(json.loads(_specs()[index]), language)


def record(index: int, language: str = "en") -> dict[str, Any]:
    """GenEval record (spec plus prompt) of shapes-world spec ``index``."""
    return {**json.loads(_specs()[index]), "prompt": prompt_of(index, language)}


def to_tensor(image: Any) -> torch.Tensor:
    """A PIL RGB image as a (3, H, W) float tensor in [-1, 1]."""
    arr = np.asarray(image.convert("RGB"), dtype=np.float32) / 127.5 - 1.0
    return torch.from_numpy(arr).permute(2, 0, 1).contiguous()


class ShapesCaptionsDataset(Dataset):
    """``size`` training samples: dicts with ``image`` (3, S, S) in [-1, 1] and ``prompt``."""

    def __init__(self, size: int, languages: list[str], image_size: int, seed: int, layout: str = "random",
                 specs: str = "train") -> None:
        self.size, self.languages, self.image_size, self.seed = size, languages, image_size, seed
        self.layout, self.specs = layout, specs
        self.by_tag = _by_tag(specs)

    def __len__(self) -> int:
        return self.size

    def __getitem__(self, index: int) -> dict[str, Any]:
        from mmx.worlds.shapes import canonical_layout, draw, render

        rng = np.random.default_rng([self.seed, SPLITS["train"], index])
        tags = sorted(self.by_tag)
        pool = self.by_tag[tags[int(rng.integers(len(tags)))]]
        spec = pool[int(rng.integers(len(pool)))]
        lang = self.languages[int(rng.integers(len(self.languages)))]
        meta = json.loads(_specs()[spec])
        if self.layout == "canonical":
            img = render(canonical_layout(meta, self.image_size), self.image_size)
        else:
            img = draw(meta, seed=int(rng.integers(2**31)), size=self.image_size)
        return {"image": to_tensor(img), "prompt": prompt_of(spec, lang)}


class ShapesJudgeDataset(Dataset):
    """The first ``per_tag`` specs of each task in ``specs`` (a split), English: ``prompt``, ``meta`` (JSON),
    ``seed``."""

    def __init__(self, per_tag: int, seed: int, specs: str = "all") -> None:
        by_tag = _by_tag(specs)
        self.items = [i for tag in sorted(by_tag) for i in by_tag[tag][:per_tag]]
        self.seed = seed

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, index: int) -> dict[str, Any]:
        spec = self.items[index]
        return {"prompt": prompt_of(spec, "en"), "meta": json.dumps(record(spec)), "seed": self.seed + index}


def collate(items: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {k: [it[k] for it in items] for k in items[0] if k != "image"}
    if "image" in items[0]:
        out["image"] = torch.stack([it["image"] for it in items])
    return out


class ShapesCaptionsDataModule(pl.LightningDataModule):
    """Shapes-world images with GenEval prompts from the multilingual generator.

    Args:
        languages: prompt languages of the training captions (codes of the generator,
            ``mmx.worlds.prompts.LANGUAGES``); ``[en]`` for the transfer study.
        image_size: pixels per side of the drawn images (the detector reads random layouts
            well at 48 px: the oracle scores 0.98 there, 0.68 at 32 px; canonical ones 1.0
            at 32 px).
        layout: ``random`` (the GenEval drawer, a fresh layout per sample: position, size and
            open colours vary) or ``canonical`` (one fixed drawing per prompt: objects in
            equal cells in the order named, open colours a default per shape; see
            :func:`mmx.worlds.shapes.canonical_layout`).
        specs: the specs training draws from: ``train`` (default: the held-out combinations of
            :mod:`mmx.worlds.prompts.split` never appear), ``heldout`` or ``all``.
        val_specs: the specs validation judges (``heldout`` by default, ``train`` or ``all``).
        train_size: samples per training epoch; val_per_tag: validation prompts per task.
        batch_size, num_workers, seed: as usual.
    """

    def __init__(
        self,
        languages: list[str] | None = None,
        image_size: int = 48,
        layout: str = "random",
        train_size: int = 200_000,
        val_per_tag: int = 8,
        batch_size: int = 32,
        num_workers: int = 0,
        seed: int = 0,
        specs: str = "train",
        val_specs: str = "heldout",
    ) -> None:
        super().__init__()
        from mmx.worlds.prompts import LANGUAGES

        self.languages = list(languages or ["en"])
        bad = [c for c in self.languages if c not in LANGUAGES]
        if bad:
            raise InputError(f"data.languages: unknown code(s) {', '.join(bad)}; known: {', '.join(LANGUAGES)}")
        for name, v in (("image_size", image_size), ("train_size", train_size), ("val_per_tag", val_per_tag),
                        ("batch_size", batch_size)):
            if v < 1:
                raise InputError(f"data.{name} must be >= 1 (got {v})")
        if image_size < 32:
            raise InputError(f"data.image_size must be at least 32 pixels (got {image_size})")
        if layout not in ("random", "canonical"):
            raise InputError(f"data.layout={layout!r}: choose random or canonical")
        self.image_size, self.train_size, self.val_per_tag = image_size, train_size, val_per_tag
        from mmx.worlds.prompts.split import check_split

        self.layout, self.specs, self.val_specs = layout, check_split(specs), check_split(val_specs)
        self.batch_size, self.num_workers, self.seed = batch_size, num_workers, seed

    def train_dataloader(self) -> DataLoader:
        ds = ShapesCaptionsDataset(self.train_size, self.languages, self.image_size, self.seed, self.layout,
                                    self.specs)
        return DataLoader(ds, batch_size=self.batch_size, shuffle=False, num_workers=self.num_workers,
                          collate_fn=collate, drop_last=True, persistent_workers=self.num_workers > 0)

    def val_dataloader(self) -> DataLoader:
        return DataLoader(ShapesJudgeDataset(self.val_per_tag, self.seed, self.val_specs), batch_size=64, shuffle=False,
                          num_workers=0, collate_fn=collate)
