"""The SeeTok recipe's data: ``{instruction, response}`` pairs for
:class:`~mmx.systems.seetok.SeeTokLoraSystem`, read from files (JSON lines, JSON, parquet,
CSV, or a folder of them) or generated offline (tasks whose answer needs the rendered
instruction read, over Latin, Cyrillic, Devanagari and Arabic words and numerals).
"""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path
from typing import Any

import lightning.pytorch as pl
import numpy as np
from torch.utils.data import DataLoader, Dataset

from mmx.errors import InputError
from mmx.textio import read_jsonl

SUFFIXES = (".jsonl", ".json", ".parquet", ".csv")

#: a few dozen everyday words per script for the generated instruction set
WORDS: dict[str, tuple[str, ...]] = {
    "latin": (
        "apple", "river", "stone", "light", "garden", "window", "music", "paper", "green", "silver",
        "morning", "yellow", "bridge", "forest", "winter", "summer", "planet", "doctor", "market",
        "island", "coffee", "letter", "mountain", "animal", "family", "orange", "pencil", "rabbit",
        "village", "button", "candle", "engine",
    ),
    "cyrillic": (
        "дом", "река", "солнце", "книга", "вода", "город", "лес", "окно", "небо", "друг", "время",
        "работа", "школа", "улица", "машина", "море", "гора", "песня", "ветер", "хлеб", "земля",
        "звезда", "птица", "зима", "лето", "утро", "вечер", "дорога", "сердце", "мама", "чай", "кошка",
    ),
    "devanagari": (
        "घर", "पानी", "किताब", "सूरज", "नदी", "शहर", "दोस्त", "समय", "काम", "स्कूल", "सड़क", "गाड़ी",
        "समुद्र", "पहाड़", "गीत", "हवा", "रोटी", "धरती", "तारा", "पक्षी", "सर्दी", "गर्मी", "सुबह", "शाम",
        "रास्ता", "दिल", "माँ", "फूल", "आकाश", "बादल", "चाय", "बिल्ली",
    ),
    "arabic": (
        "بيت", "ماء", "كتاب", "شمس", "نهر", "مدينة", "صديق", "وقت", "عمل", "مدرسة", "شارع", "سيارة",
        "بحر", "جبل", "أغنية", "ريح", "خبز", "أرض", "نجمة", "طائر", "شتاء", "صيف", "صباح", "مساء",
        "طريق", "قلب", "أم", "زهرة", "سماء", "قمر", "شاي", "قطة",
    ),
}  # fmt: skip
#: scripts whose words reverse and change case letter by letter (no combining marks)
CASED = ("latin", "cyrillic")
#: numeral systems of the comparison task (names of mmx.text.digits.DIGITS)
DIGITS = ("latin", "devanagari", "arabic_indic")
TASKS = ("repeat", "reverse_words", "reverse_letters", "count_words", "larger", "uppercase", "last_word")


def generate_instruction(rng: np.random.Generator) -> dict[str, str]:
    """One generated instruction whose answer needs the rendered instruction read."""
    from mmx.text.digits import write_digits

    task = TASKS[int(rng.integers(len(TASKS)))]
    scripts = CASED if task in ("reverse_letters", "uppercase") else tuple(WORDS)
    script = scripts[int(rng.integers(len(scripts)))]

    def words(lo: int, hi: int) -> list[str]:
        vocab = WORDS[script]
        return [vocab[int(i)] for i in rng.choice(len(vocab), int(rng.integers(lo, hi + 1)), replace=False)]

    if task == "repeat":
        phrase = " ".join(words(1, 3))
        item = (f"Repeat exactly: {phrase}", phrase)
    elif task == "reverse_words":
        w = words(3, 5)
        item = (f"Reverse the order of these words: {' '.join(w)}", " ".join(reversed(w)))
    elif task == "reverse_letters":
        w = words(1, 1)[0]
        item = (f"Write this word backwards: {w}", w[::-1])
    elif task == "count_words":
        w = words(2, 7)
        item = (f"How many words are in this line: {' '.join(w)}", str(len(w)))
    elif task == "larger":
        script = DIGITS[int(rng.integers(len(DIGITS)))]
        digits = int(rng.integers(1, 5))
        a, b = (int(x) for x in rng.choice(10**digits, 2, replace=False))
        sa, sb = write_digits(str(a), script), write_digits(str(b), script)
        item = (f"Which is larger, {sa} or {sb}?", sa if a > b else sb)
    elif task == "uppercase":
        w = words(1, 2)
        item = (f"Uppercase: {' '.join(w)}", " ".join(w).upper())
    else:
        w = words(2, 6)
        item = (f"What is the last word of: {' '.join(w)}", w[-1])
    return {"instruction": item[0], "response": item[1], "task": task, "script": script}


def generate_instructions(n: int, seed: int = 0) -> list[dict[str, str]]:
    """``n`` distinct generated instructions, the same for the same ``seed``."""
    rng = np.random.default_rng([seed, 0x5EE])
    seen: set[str] = set()
    items: list[dict[str, str]] = []
    for _ in range(50 * n + 100):
        if len(items) == n:
            break
        item = generate_instruction(rng)
        if item["instruction"] not in seen:
            seen.add(item["instruction"])
            items.append(item)
    if len(items) < n:
        raise InputError(f"data.generated={n}: only {len(items)} distinct instructions could be generated")
    return items


def _read_file(path: Path) -> list[dict[str, Any]]:
    suffix = path.suffix.lower()
    try:
        if suffix == ".jsonl":
            return read_jsonl(path)
        if suffix == ".json":
            with open(path, encoding="utf-8") as f:
                try:
                    data = json.load(f)
                except json.JSONDecodeError as exc:
                    raise InputError(f"{path}: not JSON ({exc.msg} at line {exc.lineno})") from None
            if isinstance(data, dict) and isinstance(data.get("data"), list):
                data = data["data"]
            if not isinstance(data, list):
                raise InputError(f"{path}: expected a JSON list of objects (or {{\"data\": [...]}})")
            return data
        if suffix == ".parquet":
            import pyarrow as pa
            import pyarrow.parquet as pq

            try:
                return pq.read_table(path).to_pylist()
            except (pa.ArrowException, OSError) as exc:
                raise InputError(f"{path}: not a readable parquet file ({str(exc).splitlines()[0][:200]})") from None
        with open(path, encoding="utf-8-sig", newline="") as f:
            return list(csv.DictReader(f))
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text") from None


def read_instructions(path: str, columns: dict[str, str] | None = None) -> list[dict[str, str]]:
    """``{instruction, response}`` rows from a .jsonl / .json / .parquet / .csv file or a
    folder of them; ``columns`` names the file's columns for either key."""
    names = {"instruction": "instruction", "response": "response", **(columns or {})}
    unknown = sorted(set(names) - {"instruction", "response"})
    if unknown:
        raise InputError(f"data.columns: unknown key(s) {', '.join(unknown)}; use instruction and response")
    root = Path(os.path.expanduser(path))
    if not root.exists():
        raise InputError(f"data.path {path}: no such file or folder")
    if root.is_dir():
        files = sorted(p for p in root.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES)
        if not files:
            raise InputError(f"data.path {path}: the folder has no {' / '.join(SUFFIXES)} files")
    elif root.suffix.lower() not in SUFFIXES:
        raise InputError(f"data.path {path}: expected a {' / '.join(SUFFIXES)} file or a folder of them")
    else:
        files = [root]
    out: list[dict[str, str]] = []
    for file in files:
        rows = _read_file(file)
        for i, row in enumerate(rows, 1):
            if not isinstance(row, dict):
                raise InputError(f"{file} row {i}: expected an object with columns, got {type(row).__name__}")
            missing = [v for v in names.values() if v not in row]
            if missing:
                hint = "" if columns else "; name yours with data.columns: {instruction: ..., response: ...}"
                raise InputError(f"{file}: missing column(s) {', '.join(map(repr, missing))} "
                                 f"(found: {', '.join(map(str, row)) or 'none'}){hint}")
            item = {}
            for key, col in names.items():
                value = row[col]
                if not isinstance(value, str):
                    raise InputError(f"{file} row {i}: column {col!r} holds {type(value).__name__} "
                                     f"{value!r}, not a string")
                item[key] = value
            if not item["instruction"].strip():
                raise InputError(f"{file} row {i}: empty instruction")
            out.append(item)
    if not out:
        raise InputError(f"data.path {path}: no rows")
    return out


class InstructionDataset(Dataset):
    def __init__(self, items: list[dict[str, str]]) -> None:
        self.items = items

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, index: int) -> dict[str, str]:
        return self.items[index]


def collate(items: list[dict[str, str]]) -> list[dict[str, str]]:
    """Batches stay lists of dicts: the system renders and tokenizes them."""
    return list(items)


class InstructionDataModule(pl.LightningDataModule):
    """``{instruction, response}`` pairs for :class:`SeeTokLoraSystem`.

    Args:
        path: a .jsonl / .json / .parquet / .csv file, or a folder of them, with
            ``instruction`` and ``response`` columns; null = the generated set.
        columns: the file's names for them, e.g. ``{instruction: prompt, response: answer}``.
        generated: size of the generated offline set (used when ``path`` is null):
            repeat, reverse, count, compare and uppercase tasks over Latin, Cyrillic,
            Devanagari and Arabic words and numerals, distinct instructions only.
        val_fraction: share held out for validation (a seeded random split); 0 = none.
            ``predict`` runs on the validation rows, or on every row when there are none.
        batch_size, num_workers, seed: as usual.
    """

    def __init__(
        self,
        path: str | None = None,
        columns: dict[str, str] | None = None,
        generated: int = 0,
        val_fraction: float = 0.05,
        batch_size: int = 8,
        num_workers: int = 0,
        seed: int = 0,
    ) -> None:
        super().__init__()
        if path is None and generated < 1:
            raise InputError("data: give data.path (a .jsonl / .json / .parquet / .csv file or folder) "
                             "or data.generated N for a generated instruction set")
        if path is not None and not os.path.exists(os.path.expanduser(path)):
            raise InputError(f"data.path {path}: no such file or folder")
        if not 0.0 <= val_fraction < 1.0:
            raise InputError(f"data.val_fraction must be in [0, 1) (got {val_fraction})")
        if batch_size < 1:
            raise InputError(f"data.batch_size must be >= 1 (got {batch_size})")
        self.path, self.columns, self.generated = path, columns, generated
        self.val_fraction, self.batch_size, self.num_workers, self.seed = val_fraction, batch_size, num_workers, seed
        self.train_items: list[dict[str, str]] = []
        self.val_items: list[dict[str, str]] = []

    def load(self) -> list[dict[str, str]]:
        if self.path is not None:
            return read_instructions(self.path, self.columns)
        return generate_instructions(self.generated, self.seed)

    def setup(self, stage: str | None = None) -> None:
        if self.train_items or self.val_items:
            return
        items = self.load()
        order = np.random.default_rng(self.seed).permutation(len(items))
        n_val = round(len(items) * self.val_fraction)
        if self.val_fraction > 0 and len(items) >= 2:
            n_val = min(max(n_val, 1), len(items) - 1)
        self.val_items = [items[i] for i in order[:n_val]]
        self.train_items = [items[i] for i in order[n_val:]]

    def _loader(self, items: list[dict[str, str]], shuffle: bool = False) -> DataLoader:
        return DataLoader(InstructionDataset(items), batch_size=self.batch_size, shuffle=shuffle,
                          collate_fn=collate, num_workers=self.num_workers,
                          persistent_workers=self.num_workers > 0)

    def train_dataloader(self) -> DataLoader:
        return self._loader(self.train_items, shuffle=True)

    def val_dataloader(self) -> DataLoader | list:
        return self._loader(self.val_items) if self.val_items else []

    def predict_dataloader(self) -> DataLoader:
        return self._loader(self.val_items or self.train_items)
