"""``mmx eval --bench NAME``: evaluate a model on a bench and write the results contract."""

from __future__ import annotations

import argparse


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--bench", required=True, help="bench name (see `mmx list benches`), e.g. mmcric")
    p.add_argument("--model", default="ocr-table",
                   help="registered model (`mmx list models`), hf:ORG/NAME, or a local model folder (default: ocr-table)")
    p.add_argument("--model-args", default="", metavar="K=V,...",
                   help="model options, e.g. batch_size=8,dtype=bfloat16,max_new_tokens=16")
    p.add_argument("--data", help="local copy of the dataset (folder or parquet), a folder from `mmx data`, "
                   "or hf:ORG/NAME (default: a generated set, made and cached on first use)")
    p.add_argument("--split", help="evaluate one split only (mmcric: test_single or test_multi; default: both)")
    p.add_argument("--limit", type=int, help="evaluate the first N samples (whole cross-script pairs)")
    p.add_argument("--out", help="results folder (default: runs/BENCH-MODEL); rerunning resumes")
    p.add_argument("--seed", type=int, default=0, help="seed of the generated data, bootstrap and random baseline")
    p.add_argument("--overwrite", action="store_true", help="discard earlier results in --out and start over")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.add_argument("--json", action="store_true", help="print results.json instead of the table")


def run(args: argparse.Namespace) -> int:
    import json
    from pathlib import Path

    from mmx.eval.report import print_summary
    from mmx.eval.runner import default_out, evaluate
    from mmx.models.base import parse_model_args
    from mmx.registry import benches

    if args.bench not in benches:
        benches.get(args.bench)  # raises with close matches
    out = Path(args.out) if args.out else default_out(args.bench, args.model)
    try:
        results = evaluate(args.bench, args.model, parse_model_args(args.model_args), data=args.data,
                           split=args.split, limit=args.limit, out=out, seed=args.seed, overwrite=args.overwrite,
                           progress=not args.no_progress)
    except KeyboardInterrupt:
        import sys

        print(f"mmx eval: interrupted; the samples scored so far are kept in {out}/samples.jsonl: "
              "run the same command again to resume", file=sys.stderr)
        return 130
    if args.json:
        print(json.dumps(results, indent=2, ensure_ascii=False))
    else:
        print_summary(results, out)
    return 0
