"""A sealed held-out mmcric set: the generator's matches and answers, the held-out layouts and phrasings.

``python -m tests.eval.benches.mmcric.heldout.build --out DIR [--n 24] [--seed 0]`` writes
``DIR/data/test_single-00000-of-00001.parquet``, ``DIR/data/test_multi-...`` and
``DIR/meta.jsonl`` in exactly the bench's schema (as ``mmx data mmcric`` does), so
``mmx eval --bench mmcric --data DIR`` scores a reader on it. The machinery is the first
unseen family's (:func:`tests.eval.benches.mmcric.unseen.build.write_family`: matches by
the generator's match model, questions by its question functions under this family's
phrasings, formats and layouts rotating so any three matches hold every layout and
format); the seeds are strings of their own (``mmcric-heldout-...``), so the matches differ
from the generator's and the unseen family's.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from pathlib import Path

from tests.eval.benches.mmcric.unseen.build import (
    SUBSETS,
    BuildStats,
    Family,
    family_main,
    swapped_wording,
    write_family,
)

__all__ = ["SUBSETS", "build", "heldout_wording", "main"]


def _family() -> Family:
    from tests.eval.benches.mmcric.heldout import layouts, phrasings

    return Family.of("heldout", "h", "Sealed held-out mmcric set (mmx tests: held-out layouts and phrasings)", layouts,
                     phrasings)


def heldout_wording(rng: random.Random | None = None):
    """The generator's question functions ask in this family's phrasings inside the block."""
    from tests.eval.benches.mmcric.heldout import phrasings

    return swapped_wording(phrasings, rng)


def build(out: str | Path, n: int = 24, seed: int = 0, subsets: Sequence[str] = ("E", "H", "HD"),
          progress: Callable[[int], None] | None = None) -> BuildStats:
    """Simulate ``n`` matches, draw them in the held-out layouts, ask in the held-out phrasings, write the set."""
    return write_family(_family(), out, n, seed, subsets, progress)


def main(argv: Sequence[str] | None = None) -> int:
    return family_main(_family(), argv)


if __name__ == "__main__":
    from mmx.cli import run_script

    run_script(main)
