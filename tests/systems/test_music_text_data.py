"""MusicTextDataModule's pieces: length buckets, fixed subsets, collation."""

from __future__ import annotations

import numpy as np

from mmx.music.corpus import Tune, subset
from mmx.systems.music_text_data import _collate, _LengthBuckets


def test_length_buckets_are_full_shuffled_and_similar() -> None:
    rng = np.random.default_rng(0)
    lengths = [int(x) for x in rng.integers(5, 60, size=1000)]
    batches = list(_LengthBuckets(lengths, batch_size=16, seed=1, pool=8))
    assert all(len(b) == 16 for b in batches) and len(batches) == len(_LengthBuckets(lengths, 16, 1, 8))
    flat = [i for b in batches for i in b]
    assert len(flat) == len(set(flat))  # no tune twice in an epoch
    spread = np.mean([max(lengths[i] for i in b) - min(lengths[i] for i in b) for b in batches])
    assert spread < 15  # random batches of 16 from 5..59 spread about 45
    assert list(_LengthBuckets(lengths, 16, 1, 8)) == list(_LengthBuckets(lengths, 16, 1, 8))


def test_subset_is_fixed_whatever_the_order() -> None:
    tunes = [Tune(f"c/{i}", "c", "K:C\nab|\n") for i in range(50)]
    a = subset(tunes, 10)
    b = subset(list(reversed(tunes)), 10)
    assert {t.id for t in a} == {t.id for t in b} and len(a) == 10
    assert subset(tunes, None) == tunes


def test_collate_pads_patches_and_keeps_texts() -> None:
    items = [(np.ones((3, 64), dtype=np.uint8), "a"), (np.ones((5, 64), dtype=np.uint8), "b")]
    batch = _collate(items)
    assert batch["patches"].shape == (2, 5, 64) and batch["texts"] == ["a", "b"]
    assert batch["mask"].sum(1).tolist() == [3, 5]
