"""``mmx bench``: speed and cost measurements, not evaluation (that is ``mmx eval --bench``).

``mmx bench render``: lines per second against pixel-renderer at equal settings.
``mmx bench flops``: prefill FLOPs of subword text against the same text rendered (SeeTok)."""

from __future__ import annotations

import argparse

#: one line each, shown in `mmx bench --help` and as the description of `mmx bench NAME --help`
RENDER_HELP = ("render speed: lines per second on one core, mmx side by side with a peer renderer "
               "(pixel-renderer, pillow-raqm) at equal settings, on unseen lines")
FLOPS_HELP = ("prefill cost: FLOPs of a Qwen2.5-VL prefill for each language's text as subword tokens "
              "vs the same text rendered as visual tokens, per token budget")


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.epilog = ("These are speed and cost measurements (the scripts in benchmarks/ record them in docs/); "
                "to score a model on an evaluation bench, use `mmx eval --bench NAME`.")
    sub = p.add_subparsers(dest="measurement", metavar="MEASUREMENT", required=True)
    r = sub.add_parser("render", help=RENDER_HELP, description=RENDER_HELP)
    r.add_argument("--corpus", required=True, help="folder of language files named like hin_Deva.txt")
    r.add_argument("--vs", default=None, metavar="PEER", help="peer renderer(s) measured in the same run: pixel-renderer, pillow-raqm (comma-separated; the first gives `ratio`)")
    r.add_argument("--profile", default="pixel_renderer", help="mmx profile (default pixel_renderer: 16 px strip, 16x16 patches, 12 px font)")
    r.add_argument("--max-lines", type=int, default=None, help="use at most this many lines per language")
    r.add_argument("--workers", default=None, metavar="N,N,...", help="instead: lines/s of mmx.render.render_batch with N worker processes each (e.g. 1,2,4; 0 = every CPU)")
    r.add_argument("--json", action="store_true", help="print the result as JSON")
    f = sub.add_parser("flops", help=FLOPS_HELP, description=FLOPS_HELP)
    f.add_argument("--corpus", default=None, help="folder of language files named like hin_Deva.txt, one sentence a line (default: the sample sentences shipped in mmx/assets/samples)")
    f.add_argument("--tokens", default="512,2048,8192", metavar="N,N,...", help="subword-token budgets per language (default 512,2048,8192); short corpora are cycled")
    f.add_argument("--config", default="qwen2.5-vl-7b", metavar="PRESET|DIR", help="qwen2.5-vl-7b (default), qwen2.5-vl-3b, or a local folder with a Qwen2.5-VL config.json")
    f.add_argument("--profile", default="seetok", help="render profile of the visual arm (default seetok)")
    f.add_argument("--tokenizer", default="qwen2.5", help="subword tokenizer (default qwen2.5, offline)")
    f.add_argument("--prompt-tokens", type=int, default=32, help="text prompt tokens added to both arms (default 32)")
    f.add_argument("--languages", default=None, metavar="CODE,CODE", help="only these languages, e.g. eng_Latn,hin_Deva")
    f.add_argument("--out", default=None, metavar="FILE.md", help="also write the table as Markdown")
    f.add_argument("--json", action="store_true", help="print the result as JSON")


def run(args: argparse.Namespace) -> int:
    if args.measurement == "flops":
        return run_flops(args)
    from rich.console import Console
    from rich.table import Table

    from mmx.cli.common import print_json
    from mmx.console import print_table
    from mmx.render.speed import measure_render_speed

    if args.workers is not None:
        return run_workers(args)
    err = Console(stderr=True)
    with err.status("warming up") as status:
        result = measure_render_speed(args.corpus, args.vs, args.profile, args.max_lines,
                              progress=lambda code: status.update(f"timing {code}"))
    if args.json:
        print_json(result)
        return 0
    table = Table(title=f"lines/s on one core (unseen lines), profile {result['profile']}")
    names = list(result["peers"])
    cols = ["language", "mmx", "mmx (warm)"] + names + ([f"mmx/{names[0]}", "CPU-time ratio"] if names else [])
    for c in cols:
        table.add_column(c, justify="left" if c == "language" else "right")
    for r in result["rows"]:
        cells = [r["language"], f"{r['mmx_lines_per_s']:.0f}", f"{r['mmx_warm_lines_per_s']:.0f}"]
        if names:
            cells += [f"{r['peers'][n]:.0f}" for n in names] + [f"{r['ratio']:.2f}", f"{r['cpu_ratio']:.2f}"]
        table.add_row(*cells)
    line = f"median mmx {result['mmx_lines_per_s']:.0f} lines/s (warm {result['mmx_warm_lines_per_s']:.0f})"
    for n in names:
        line += f", {n} {result['peers'][n]['lines_per_s']:.0f} lines/s"
    if names:
        line += f"; mmx/{names[0]} {result['ratio']:.2f} (CPU time: {result['cpu_ratio']:.2f})"
    print_table(table, line)
    return 0


def run_workers(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.table import Table

    from mmx.cli.common import print_json
    from mmx.console import print_table
    from mmx.errors import InputError
    from mmx.render.batch import available_cpus
    from mmx.render.speed import bench_workers

    try:
        counts = [int(x) or available_cpus() for x in args.workers.split(",") if x.strip()]
    except ValueError:
        raise InputError(f"--workers {args.workers!r}: expected comma-separated integers, e.g. 1,2,4") from None
    if not counts or min(counts) < 0:
        raise InputError(f"--workers {args.workers!r}: expected worker counts >= 0 (0: every CPU)")
    with Console(stderr=True).status("rendering with worker processes"):
        result = bench_workers(args.corpus, counts, args.profile, args.max_lines)
    if args.json:
        print_json(result)
        return 0
    table = Table(title=f"render_batch lines/s on unseen lines, profile {result['profile']}, {result['cpus']} CPUs")
    for c in ("workers", "lines/s", "lines/s per worker", "lines per CPU-second", "workers' CPU share", "load average"):
        table.add_column(c, justify="right")
    for r in result["rows"]:
        load = "-" if r.get("load") is None else f"{r['load']:.1f}"
        table.add_row(str(r["workers"]), f"{r['lines_per_s']:.0f}", f"{r['lines_per_s_per_worker']:.0f}", f"{r['lines_per_cpu_s']:.0f}",
                      f"{r['cpu_share']:.0%}", load)
    skipped = sorted(set(counts) - {r["workers"] for r in result["rows"]})
    lines = [f"skipped (more workers than the {result['cpus']} CPUs this process may use): {', '.join(map(str, skipped))}"]
    print_table(table, *(lines if skipped else []))
    return 0


def run_flops(args: argparse.Namespace) -> int:
    from pathlib import Path

    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
    from rich.table import Table

    from mmx.cli.common import print_json
    from mmx.console import print_table
    from mmx.errors import InputError
    from mmx.perf.flops import account_flops, load_dims, markdown_table

    try:
        budgets = [int(x) for x in args.tokens.split(",") if x.strip()]
    except ValueError:
        raise InputError(f"--tokens {args.tokens!r}: expected comma-separated integers, e.g. 512,2048,8192") from None
    if args.out and not Path(args.out).resolve().parent.is_dir():
        raise InputError(f"--out {args.out!r}: folder does not exist")
    load_dims(args.config)  # an unknown preset fails before the tokenizer loads
    languages = [x.strip() for x in args.languages.split(",") if x.strip()] if args.languages else None
    err = Console(stderr=True)
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err, transient=True, disable=not err.is_terminal) as bar:
        task = bar.add_task("tokenizing and rendering", total=None)

        def advance(label: str, total: int) -> None:
            if bar.tasks[0].total is None:
                bar.update(task, total=total, completed=0)
            else:
                bar.advance(task)
            bar.update(task, description=label)

        result = account_flops(args.corpus, budgets, args.config, args.profile, args.tokenizer, args.prompt_tokens,
                               languages, progress=advance)
    if args.out:
        head = (f"Prefill FLOPs of {result['config']}: {result['tokenizer']} subword tokens vs `{result['profile']}` "
                f"visual tokens, {result['prompt_tokens']} prompt tokens on both arms, corpus {result['corpus']}.\n\n")
        Path(args.out).write_text(head + markdown_table(result), encoding="utf-8")
    if args.json:
        print_json(result)
        return 0
    table = Table(title=f"prefill FLOPs of {result['config']}: {result['tokenizer']} tokens vs `{result['profile']}` "
                        f"render, +{result['prompt_tokens']} prompt tokens on both arms")
    for c in ("language", "budget", "subword", "visual", "ratio", "images", "text TFLOPs", "visual TFLOPs",
              "(encoder)", "saved"):
        table.add_column(c, justify="left" if c == "language" else "right", no_wrap=True)
    last = result["rows"][-1]
    for r in [*result["rows"], *result["mean"]]:
        table.add_row(r["language"], f"{r['budget']:,}", f"{r['subword_tokens']:,.0f}", f"{r['visual_tokens']:,.0f}",
                      f"{r['ratio']:.2f}" if r["ratio"] else "-", f"{r['images']:.3g}", f"{r['text_tflops']:.2f}",
                      f"{r['visual_tflops']:.2f}", f"{r['vision_tflops']:.2f}", f"{100 * r['saved']:.1f}%",
                      end_section=r is last)
    lines = []
    if result["skipped"]:
        lines.append(f"skipped (no non-empty lines): {', '.join(result['skipped'])}")
    if args.out:
        lines.append(f"wrote {args.out}")
    print_table(table, *lines)
    return 0
