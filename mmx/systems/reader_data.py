"""Generated reading data: numbers written in the digits of many scripts.

Each sample is a number (``min_digits``..``max_digits`` digits) written with one
script's decimal digits (Latin 0-9, Devanagari ०-९, Arabic-Indic ٠-٩, ...: the
systems of :data:`mmx.text.digits.DIGITS`, by name); the target is the number in
ASCII digits. Reading is required: nothing but the pixels tells the model which
number it is, and the answer space is huge (chance exact match is below 0.4% for
3+ digits).

Held-out numbers are a fixed hash class (about 1 in 5 numbers): training never
draws them, validation and test draw only them, so held-out accuracy measures
reading of unseen numbers. Test numbers are the same for every test script, so
per-script results are paired. Samples are a pure function of (seed, split,
index): no files, identical on every run and worker.
"""

from __future__ import annotations

import zlib
from typing import Any

import lightning.pytorch as pl
import numpy as np
from torch.utils.data import DataLoader, Dataset

from mmx.errors import InputError
from mmx.text.digits import DIGITS, write_digits

SPLITS = {"train": 0, "val": 1, "test": 2}


def is_held_out(digits: str, every: int = 5) -> bool:
    """The fixed held-out class of numbers (never drawn for training)."""
    return zlib.crc32(digits.encode()) % every == 0


def _check_scripts(owner: str, scripts: list[str]) -> list[str]:
    if not scripts:
        raise InputError(f"{owner}: give at least one script; known: {', '.join(DIGITS)}")
    unknown = [s for s in scripts if s not in DIGITS]
    if unknown:
        import difflib

        hints = [difflib.get_close_matches(s, list(DIGITS), n=1) for s in unknown]
        hint = "".join(f" ({u!r}: did you mean {h[0]!r}?)" for u, h in zip(unknown, hints) if h)
        raise InputError(f"{owner}: unknown script(s) {', '.join(unknown)}{hint}; known: {', '.join(DIGITS)}")
    return list(scripts)


class NumbersDataset(Dataset):
    """``size`` generated samples of one split: dicts with ``text``, ``target``, ``script``."""

    def __init__(self, split: str, size: int, scripts: list[str], min_digits: int, max_digits: int, seed: int,
                 paired: bool = False) -> None:
        self.split, self.size, self.scripts = split, size, scripts
        self.min_digits, self.max_digits, self.seed, self.paired = min_digits, max_digits, seed, paired

    def __len__(self) -> int:
        return self.size * (len(self.scripts) if self.paired else 1)

    def _number(self, rng: np.random.Generator) -> str:
        held = self.split != "train"
        while True:  # about 1 in 5 draws is held out: a few tries at most
            n = int(rng.integers(self.min_digits, self.max_digits + 1))
            digits = str(int(rng.integers(1, 10))) + "".join(str(d) for d in rng.integers(0, 10, n - 1))
            if is_held_out(digits) == held:
                return digits

    def __getitem__(self, index: int) -> dict[str, Any]:
        if self.paired:  # the same number in every script, script-major order
            script, index = self.scripts[index // self.size], index % self.size
        rng = np.random.default_rng([self.seed, SPLITS[self.split], index])
        digits = self._number(rng)
        if not self.paired:
            script = self.scripts[int(rng.integers(len(self.scripts)))]
        return {"text": write_digits(digits, script), "target": digits, "script": script}


def collate(items: list[dict[str, Any]]) -> dict[str, list[str]]:
    return {k: [it[k] for it in items] for k in ("text", "target", "script")}


class RenderedNumbersDataModule(pl.LightningDataModule):
    """Numbers in many scripts' digits, rendered by the model's visual-text encoder.

    Args:
        scripts: scripts drawn for training and validation.
        test_scripts: scripts of the test set (default: ``scripts``); name unseen
            ones here for a cross-script experiment.
        min_digits, max_digits: number lengths.
        train_size, val_size, test_size: samples per split (test: per script).
        batch_size, num_workers, seed: as usual.
    """

    def __init__(
        self,
        scripts: list[str] | None = None,
        test_scripts: list[str] | None = None,
        min_digits: int = 3,
        max_digits: int = 6,
        train_size: int = 50_000,
        val_size: int = 512,
        test_size: int = 500,
        batch_size: int = 64,
        num_workers: int = 0,
        seed: int = 0,
    ) -> None:
        super().__init__()
        self.scripts = _check_scripts("data.scripts", scripts or ["latin"])
        self.test_scripts = _check_scripts("data.test_scripts", test_scripts or self.scripts)
        if not 1 <= min_digits <= max_digits:
            raise InputError(f"data: need 1 <= min_digits <= max_digits (got {min_digits}, {max_digits})")
        for name, v in (("train_size", train_size), ("val_size", val_size), ("test_size", test_size), ("batch_size", batch_size)):
            if v < 1:
                raise InputError(f"data.{name} must be >= 1 (got {v})")
        self.min_digits, self.max_digits = min_digits, max_digits
        self.sizes = {"train": train_size, "val": val_size, "test": test_size}
        self.batch_size, self.num_workers, self.seed = batch_size, num_workers, seed

    @property
    def seen_scripts(self) -> list[str]:
        return self.scripts

    def dataset(self, split: str) -> NumbersDataset:
        scripts = self.test_scripts if split in ("test", "predict") else self.scripts
        return NumbersDataset("test" if split == "predict" else split, self.sizes.get(split, self.sizes["test"]),
                              scripts, self.min_digits, self.max_digits, self.seed,
                              paired=split in ("test", "predict"))

    def _loader(self, split: str, shuffle: bool = False) -> DataLoader:
        return DataLoader(self.dataset(split), batch_size=self.batch_size, shuffle=shuffle, collate_fn=collate,
                          num_workers=self.num_workers, persistent_workers=self.num_workers > 0)

    def train_dataloader(self) -> DataLoader:
        return self._loader("train", shuffle=True)

    def val_dataloader(self) -> DataLoader:
        return self._loader("val")

    def test_dataloader(self) -> DataLoader:
        return self._loader("test")

    def predict_dataloader(self) -> DataLoader:
        return self._loader("predict")
