"""``mmx data mmcric``: a synthetic MMCricBench in the real dataset's schema.

Each match is simulated, drawn once per subset in one template (the pair looks
alike, only the script differs), and asked questions whose answers come from
the simulation. Limited-overs matches fit one image (``test_single``); Test
matches get one image per innings (``test_multi``), and every question about a
Test carries all of its innings images. Ids pair across subsets:
``english-single-7`` / ``hindi-single-7`` / ``hindi_deva-single-7``.

Everything derives from ``(seed, match index)`` through string-seeded
``random.Random`` (stable across Python processes and versions), so a seed
gives byte-identical files.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from mmx.errors import InputError

if TYPE_CHECKING:
    from mmx.eval.benches.mmcric.match import Match
    from mmx.eval.benches.mmcric.questions import Question

#: bump when the match model, questions, drawing or files change
GENERATOR_VERSION = "1"
#: the subsets a generated set has by default: English, Hindi, Hindi with Devanagari digits
DEFAULT_SUBSETS = ("E", "H", "HD")
#: subset -> (card language, digits) its cards are drawn in
SUBSET_DRAW = {"E": ("en", "western"), "H": ("hi", "western"), "HD": ("hi", "devanagari")}


@dataclass
class GenerateStats:
    matches: int
    images: int
    rows: dict[str, int]
    seconds: float


def check_subsets(subsets: Sequence[str]) -> None:
    """An :class:`~mmx.errors.InputError` (``--subsets: unknown ...``) unless every subset is one of :data:`SUBSET_DRAW`."""
    bad = [s for s in subsets if s not in SUBSET_DRAW]
    if bad or not subsets:
        raise InputError(f"--subsets: unknown {', '.join(bad) or '(none given)'}; choose from {', '.join(SUBSET_DRAW)}")


class SetWriter:
    """A set's rows and meta, added a match at a time, then written as the bench's files.

    ``mmx data mmcric`` writes through it, and so do the test-only card families that
    rebuild a set in other layouts, so every set has the same splits, ids, image paths and
    ``meta.jsonl`` to the byte. ``rows`` (split -> parquet rows) and ``images`` (PNGs
    drawn) grow with each :meth:`add`; :meth:`write` writes them under ``out``.
    """

    def __init__(self, out: Path, subsets: Sequence[str]) -> None:
        self.out = out
        # made now, so an --out that cannot be written fails before any match is drawn
        (out / "data").mkdir(parents=True, exist_ok=True)
        self.subsets = tuple(subsets)
        self.rows: dict[str, list[dict]] = {"test_single": [], "test_multi": []}
        self.meta: list[dict] = []
        self.images = 0
        self._counters = {"test_single": 0, "test_multi": 0}

    def add(self, i: int, m: Match, questions: Sequence[Question], draw: Callable, template: str, letter: str = "m") -> None:
        """Match ``i`` and its questions: every question a row per subset, with all of the match's images.

        ``draw(page, lang=..., digits=...)`` returns a page's PIL image; the images are named
        ``<subset prefix>-<single|multi>-<letter><i>-<page>.png`` and ``template`` goes to the meta.
        """
        from mmx.eval.benches.mmcric.canvas import encode_png
        from mmx.eval.benches.mmcric.data import SUBSET_PREFIX
        from mmx.eval.benches.mmcric.draw import card_pages

        split = "test_multi" if m.format == "Test" else "test_single"
        pages = card_pages(m)
        short = split.split("_")[1]
        images: dict[str, list[dict]] = {}
        for s in self.subsets:
            lang, digits = SUBSET_DRAW[s]
            images[s] = [{"bytes": encode_png(draw(page, lang=lang, digits=digits)),
                          "path": f"{SUBSET_PREFIX[s]}-{short}-{letter}{i}-{k}.png"} for k, page in enumerate(pages)]
            self.images += len(pages)
        for q in questions:
            k = self._counters[split]
            self._counters[split] += 1
            for s in self.subsets:
                id_ = f"{SUBSET_PREFIX[s]}-{short}-{k}"
                self.rows[split].append({"id": id_, "images": images[s], "question": q.question, "answer": q.answer,
                                         "category": q.category, "subset": s})
                self.meta.append({"id": id_, "format": m.format, "qtype": q.qtype, "template": template,
                                  "digits": SUBSET_DRAW[s][1], "match": i})

    def write(self) -> dict[str, int]:
        """``out/data/{test_single,test_multi}-00000-of-00001.parquet`` (a split without rows removed)
        and ``out/meta.jsonl``; returns the rows per subset."""
        from mmx.eval.benches.mmcric.data import write_split

        out = self.out
        for split, rs in self.rows.items():
            path = out / "data" / f"{split}-00000-of-00001.parquet"
            if rs:
                write_split(path, rs)
            elif path.exists():
                path.unlink()
        with open(out / "meta.jsonl", "w", encoding="utf-8") as fh:
            for d in self.meta:
                fh.write(json.dumps(d, ensure_ascii=False, sort_keys=True) + "\n")
        return {s: sum(1 for rs in self.rows.values() for r in rs if r["subset"] == s) for s in self.subsets}


def generate(
    out: str | Path,
    n: int = 100,
    seed: int = 0,
    subsets: Sequence[str] = DEFAULT_SUBSETS,
    per_level: int = 1,
    progress: Callable[[int], None] | None = None,
) -> GenerateStats:
    """Simulate ``n`` matches and write ``out/data/{test_single,test_multi}-00000-of-00001.parquet``,
    ``out/meta.jsonl`` (format, question type, template per id) and ``out/README.md``."""
    import time
    from functools import partial

    from mmx.eval.benches.mmcric.draw import TEMPLATES, draw_scorecard
    from mmx.eval.benches.mmcric.match import simulate_match
    from mmx.eval.benches.mmcric.questions import make_questions

    if n < 1:
        raise InputError(f"--n must be at least 1 (got {n})")
    check_subsets(subsets)
    t0 = time.perf_counter()
    out = Path(out)
    writer = SetWriter(out, subsets)
    for i in range(n):
        rng = random.Random(f"mmcric-{GENERATOR_VERSION}-{seed}-{i}")
        m = simulate_match(rng)
        template = TEMPLATES[rng.randrange(len(TEMPLATES))]
        questions = make_questions(m, rng, per_level=per_level)
        writer.add(i, m, questions, partial(draw_scorecard, m, template=template), template)
        if progress is not None:
            progress(1)
    counts = writer.write()
    (out / "README.md").write_text(_card(n, seed, subsets, counts, writer.rows), encoding="utf-8")
    return GenerateStats(matches=n, images=writer.images, rows=counts, seconds=time.perf_counter() - t0)


def _card(n: int, seed: int, subsets: Sequence[str], counts: dict[str, int], rows: dict[str, list]) -> str:
    lines = [
        "# Synthetic MMCricBench (generated by mmx)",
        "",
        f"Made by `mmx data mmcric --n {n} --seed {seed}` (generator version {GENERATOR_VERSION}). "
        "Same parquet schema as DIALab/MMCricBench: `id`, `images`, `question`, `answer`, `category`, `subset`.",
        "",
        "Subsets: E = English scorecards, H = Hindi scorecards (Western digits), "
        "HD = Hindi scorecards with Devanagari digits. Questions and answers are English in all subsets; "
        "ids pair across subsets (`english-single-N`, `hindi-single-N`, `hindi_deva-single-N`).",
        "Categories: C1 direct lookup, C2 arithmetic, C3 multi-step. `meta.jsonl` adds format, question type "
        "and template per id.",
        "",
        "| split | rows |",
        "|---|---|",
        *(f"| {sp} | {len(rs)} |" for sp, rs in rows.items()),
        "",
        "Rows per subset: " + ", ".join(f"{s} {counts[s]}" for s in subsets),
        "",
    ]
    return "\n".join(lines)
