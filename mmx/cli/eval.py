"""``mmx eval --bench NAME``: evaluate a model on a bench and write the results contract."""

from __future__ import annotations

import argparse


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--bench", required=True, help="bench name (see `mmx list benches`), e.g. mmcric")
    p.add_argument("--model", default=None,
                   help="registered model (`mmx list models`), hf:ORG/NAME, or a local model folder "
                   "(default: the bench's own default model, e.g. ocr-table for mmcric). A bench of groups "
                   "(xscript's families): NAME serves every group it can, GROUP=NAME[,GROUP=NAME] only those "
                   "groups (the others keep their own defaults)")
    p.add_argument("--model-args", default="", metavar="K=V,...",
                   help="model options, e.g. batch_size=8,dtype=bfloat16,max_new_tokens=16")
    p.add_argument("--bench-args", default="", metavar="K=V,...",
                   help="the bench's own options, e.g. geneval: languages=all,n_images=4,per_tag=8 "
                   "(an unknown key names the accepted ones)")
    p.add_argument("--data", help="the bench's data: a local copy (folder or file), a folder from `mmx data`, "
                   "or hf:ORG/NAME (default: the bench's offline set, made and cached on first use)")
    p.add_argument("--split", help="evaluate one split only (mmcric: test_single or test_multi; default: all)")
    p.add_argument("--limit", type=int, metavar="N",
                   help="evaluate the first N items; an item is one question in every form the bench compares "
                   "(mmcric: the same question on the E, H and HD cards = 3 samples)")
    p.add_argument("--out", help="results folder (default: runs/BENCH-MODEL, plus the selection when it is not "
                   "the default one, e.g. -limit2); rerunning the same command resumes")
    p.add_argument("--seed", type=int, default=0, help="seed of the generated data, bootstrap and seeded baselines")
    p.add_argument("--overwrite", action="store_true", help="discard earlier results in --out and start over")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.add_argument("--json", action="store_true", help="print results.json instead of the table")


def run(args: argparse.Namespace) -> int:
    import json
    import sys
    from pathlib import Path

    from mmx.eval.dist import Dist
    from mmx.eval.report import print_summary
    from mmx.eval.runner import evaluate
    from mmx.options import parse_options
    from mmx.registry import benches

    bench_cls = benches.get(args.bench)  # unknown names: one line with close matches
    try:
        # the options stay text here: each bench's and adapter's annotations convert them
        results = evaluate(args.bench, args.model, parse_options(args.model_args), data=args.data,
                           split=args.split, limit=args.limit, out=args.out, seed=args.seed,
                           overwrite=args.overwrite, progress=not args.no_progress,
                           bench_args=parse_options(args.bench_args, "--bench-args"))
    except KeyboardInterrupt:
        print("mmx eval: interrupted; the samples scored so far are kept: run the same command again to resume",
              file=sys.stderr)
        return 130
    if not Dist.from_env().main:
        return 0  # under torchrun, rank 0 prints
    out = Path(results["out"])
    if args.json:
        print(json.dumps(results, indent=2, ensure_ascii=False))
    else:
        print_summary(results, out, bench_cls)
    if results.get("partial"):  # failed requests are never scores: say so, and fail the command
        print(f"mmx eval: {results['n_failed']} samples have no answer (listed under \"failed\" in "
              f"{out / 'results.json'}); the metrics are partial. Run the same command again to ask for them",
              file=sys.stderr)
        return 1
    return 0
