"""A held-out-style mmcric set: the generator's matches and answers, unseen layouts and phrasings.

``python -m tests.eval.benches.mmcric.unseen.build --out DIR [--n 24] [--seed 0]`` writes
``DIR/data/test_single-00000-of-00001.parquet``, ``DIR/data/test_multi-...`` and
``DIR/meta.jsonl`` in exactly the bench's schema (through the generator's own
:class:`~mmx.eval.benches.mmcric.generate.SetWriter`, as ``mmx data mmcric`` does), so
``mmx eval --bench mmcric --data DIR`` scores a reader on it. Matches are simulated by the
generator's match model and questions are made by its question functions (answers computed
from the match), under :func:`unseen_wording`, which swaps in the phrasings of
:mod:`.phrasings` for the call only. Cards are drawn in the layouts of :mod:`.layouts`.
Seeds are strings of their own (``mmcric-unseen-...``), so the matches differ from any
generated set's. Formats and layouts rotate so that every (format, layout) pair comes
within nine matches and any three matches hold every layout and format. Another held-out
family (``tests/eval/benches/mmcric/heldout``) is built by the same code: a :class:`Family`
given to :func:`write_family` and :func:`family_main`.
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from mmx.errors import InputError
from mmx.eval.benches.mmcric.generate import SUBSET_DRAW, check_subsets

__all__ = ["SUBSETS", "BuildStats", "Family", "build", "family_main", "main", "swapped_wording", "unseen_wording",
           "write_family"]

#: subset -> (card language, digits): the generator's
SUBSETS = SUBSET_DRAW
_FORMATS = ("T20", "ODI", "Test")
_VERSION = "1"


@dataclass
class BuildStats:
    matches: int
    images: int
    rows: dict[str, int]


@contextmanager
def swapped_wording(source, rng: random.Random | None = None) -> Iterator[None]:
    """The generator's question functions ask in ``source``'s phrasings inside the block.

    ``source`` is a module with ``PHRASINGS``, ``INNINGS``, ``TEST_INNINGS`` and ``IN_INNINGS``
    (this family's :mod:`.phrasings`, or another held-out family's). The generator picks some
    kinds' phrasing as ``PHRASINGS[kind][0]``; with ``rng`` each kind's tuple is rotated (and
    one innings-label form picked) so every phrasing is used across matches. The generator's
    own wording comes back on leaving, exception or not.
    """
    from mmx.eval.benches.mmcric import questions

    pick = (lambda xs: xs[rng.randrange(len(xs))]) if rng is not None else (lambda xs: xs[0])

    def rotated(xs: tuple[str, ...]) -> tuple[str, ...]:
        k = rng.randrange(len(xs)) if rng is not None else 0
        return xs[k:] + xs[:k]

    saved = {name: getattr(questions, name) for name in ("PHRASINGS", "INNINGS", "TEST_INNINGS", "IN_INNINGS")}
    try:
        questions.PHRASINGS = {kind: rotated(xs) for kind, xs in source.PHRASINGS.items()}
        questions.INNINGS = pick(source.INNINGS)
        questions.TEST_INNINGS = pick(source.TEST_INNINGS)
        questions.IN_INNINGS = pick(source.IN_INNINGS)
        yield
    finally:
        for name, value in saved.items():
            setattr(questions, name, value)


def unseen_wording(rng: random.Random | None = None):
    """:func:`swapped_wording` with this family's phrasings."""
    from tests.eval.benches.mmcric.unseen import phrasings as unseen

    return swapped_wording(unseen, rng)


@dataclass(frozen=True)
class Family:
    """A held-out family of layouts and phrasings, as :func:`write_family` needs it.

    ``draw(m, page, layout, lang, digits)`` returns (image, strings); ``tag`` names the
    seeds (``mmcric-<tag>-...``) and ``letter`` the image paths; ``readme`` is the set's
    README.md text after its title line (``{n}``, ``{seed}`` filled in).
    """

    tag: str
    letter: str
    layouts: tuple[str, ...]
    draw: Callable
    phrasings: object
    title: str
    readme: str

    @classmethod
    def of(cls, tag: str, letter: str, title: str, layouts, phrasings) -> Family:
        """The family of the package ``tests.eval.benches.mmcric.<tag>``: its ``layouts`` module's
        ``LAYOUTS`` and ``draw``, its ``phrasings`` module, the README naming its build command."""
        names = " / ".join(layouts.LAYOUTS)
        return cls(tag=tag, letter=letter, layouts=layouts.LAYOUTS, draw=layouts.draw, phrasings=phrasings,
                   title=title,
                   readme=f"Made by `python -m tests.eval.benches.mmcric.{tag}.build --out DIR --n {{n}} --seed {{seed}}`: "
                          f"the generator's matches and answers, card layouts {names} and question phrasings that the "
                          "ocr-table baseline never saw. Same schema as DIALab/MMCricBench.")


def _unseen() -> Family:
    from tests.eval.benches.mmcric.unseen import layouts, phrasings

    return Family.of("unseen", "u", "Held-out-style mmcric set (mmx tests: unseen layouts and phrasings)", layouts,
                     phrasings)


def build(out: str | Path, n: int = 24, seed: int = 0, subsets: Sequence[str] = ("E", "H", "HD"),
          progress: Callable[[int], None] | None = None) -> BuildStats:
    """Simulate ``n`` matches, draw them in the unseen layouts, ask in the unseen phrasings, write the set."""
    return write_family(_unseen(), out, n, seed, subsets, progress)


def write_family(family: Family, out: str | Path, n: int = 24, seed: int = 0,
                 subsets: Sequence[str] = ("E", "H", "HD"),
                 progress: Callable[[int], None] | None = None) -> BuildStats:
    """Simulate ``n`` matches, draw them in ``family``'s layouts, ask in its phrasings, write the set."""
    from mmx.eval.benches.mmcric.generate import SetWriter
    from mmx.eval.benches.mmcric.match import simulate_match
    from mmx.eval.benches.mmcric.questions import make_questions

    if n < 1:
        raise InputError(f"--n must be at least 1 (got {n})")
    check_subsets(subsets)
    out = Path(out)
    writer = SetWriter(out, subsets)
    for i in range(n):
        rng = random.Random(f"mmcric-{family.tag}-{_VERSION}-{seed}-{i}")
        fmt = _FORMATS[i % 3]
        layout = family.layouts[(i + i // 3 + seed) % len(family.layouts)]
        m = simulate_match(rng, fmt)
        with swapped_wording(family.phrasings, rng):
            questions = make_questions(m, rng)

        def draw(page, lang, digits, m=m, layout=layout):
            return family.draw(m, page, layout, lang, digits)[0]

        writer.add(i, m, questions, draw, layout, letter=family.letter)
        if progress is not None:
            progress(1)
    counts = writer.write()
    (out / "README.md").write_text(
        f"# {family.title}\n\n" + family.readme.format(n=n, seed=seed) + "\n\n"
        "Rows per subset: " + ", ".join(f"{s} {c}" for s, c in counts.items()) + "\n", encoding="utf-8")
    return BuildStats(matches=n, images=writer.images, rows=counts)


class _OneLineParser(argparse.ArgumentParser):
    """Bad arguments are one line (no usage block), exit 2, as the project's scripts' other errors."""

    def error(self, message: str):  # type: ignore[override]
        raise InputError(message)


def main(argv: Sequence[str] | None = None) -> int:
    return family_main(_unseen(), argv)


def family_main(family: Family, argv: Sequence[str] | None = None) -> int:
    """The command line of ``python -m tests.eval.benches.mmcric.<tag>.build``."""
    p = _OneLineParser(prog=f"python -m tests.eval.benches.mmcric.{family.tag}.build",
                       description="write an mmcric set in layouts and phrasings the baseline never saw")
    p.add_argument("--out", required=True, help="output folder")
    p.add_argument("--n", type=int, default=24, help="matches (default 24)")
    p.add_argument("--seed", type=int, default=0, help="seed (default 0); the same seed gives the same set")
    p.add_argument("--subsets", default="E,H,HD", help="comma-separated subsets (default E,H,HD)")
    p.add_argument("--no-progress", dest="progress", action="store_false", help="no progress bar")
    args = p.parse_args(argv)
    from mmx.eval.progress import progress_bar

    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise InputError(f"--out {out} is a file; give a folder")
    if args.n < 1:  # before the progress bar, so a bad argument prints one line
        raise InputError(f"--n must be at least 1 (got {args.n})")
    subsets = [s.strip().upper() for s in args.subsets.split(",") if s.strip()]
    check_subsets(subsets)
    with progress_bar(args.n, f"drawing {family.tag} layouts", "matches", enabled=args.progress) as advance:
        stats = write_family(family, out, n=args.n, seed=args.seed, subsets=subsets, progress=advance)
    print(f"{stats.matches} matches, {stats.images} images, rows per subset: "
          + ", ".join(f"{k} {v}" for k, v in stats.rows.items()) + f" -> {out}")
    return 0


if __name__ == "__main__":
    from mmx.cli import run_script

    run_script(main)
