"""``mmx data mmcric --out DIR``: generate a dataset in the real benchmark's schema."""

from __future__ import annotations

import argparse


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("name", choices=["mmcric"], help="which dataset to generate")
    p.add_argument("--out", required=True, help="output folder (data/*.parquet, meta.jsonl, README.md)")
    p.add_argument("--n", type=int, default=100, help="number of matches to simulate (default 100; ~3 questions each)")
    p.add_argument("--seed", type=int, default=0, help="seed; the same seed gives byte-identical files")
    p.add_argument("--subsets", default="E,H,HD",
                   help="E (English), H (Hindi), HD (Hindi, Devanagari digits); default E,H,HD")
    p.add_argument("--overwrite", action="store_true", help="replace an existing dataset in --out")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from mmx.errors import InputError
    from mmx.eval.benches.mmcric.generate import generate
    from mmx.eval.progress import progress_bar

    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise InputError(f"--out {out} is a file; give a folder")
    if (out / "data").exists() and any((out / "data").glob("*.parquet")) and not args.overwrite:
        raise InputError(f"--out {out} already holds a dataset; pass --overwrite to replace it")
    subsets = [s.strip().upper() for s in args.subsets.split(",") if s.strip()]
    with progress_bar(args.n, "simulating and drawing", "matches", enabled=not args.no_progress) as advance:
        stats = generate(out, n=args.n, seed=args.seed, subsets=subsets, progress=advance)
    rows = ", ".join(f"{k} {v}" for k, v in stats.rows.items())
    print(f"{stats.matches} matches, {stats.images} images, rows per subset: {rows}; "
          f"{stats.matches / stats.seconds:.1f} matches/s -> {out}")
    return 0
