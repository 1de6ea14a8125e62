"""``mmx tokens``: subword tokens versus visual tokens per language, with legibility."""

from __future__ import annotations

import argparse
from pathlib import Path

from mmx.cli.common import add_profile_arguments, print_json, profile_from_args
from mmx.console import print_table


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--corpus", required=True, help="folder of language files named like hin_Deva.txt (one sentence a line), or one file")
    add_profile_arguments(p, default="seetok")
    p.add_argument("--tokenizer", default="qwen2.5", help="qwen2.5 (default, offline), qwen3.6, or a local Hugging Face tokenizer path")
    p.add_argument("--ocr-lines", type=int, default=20, help="lines per language read back by OCR for the error rate (0: skip; default 20)")
    p.add_argument("--max-lines", type=int, default=None, help="use at most this many lines per language")
    p.add_argument("--chart", default=None, metavar="FILE.png", help="bar chart of the ratio by language (default: tokens_<profile>.png)")
    p.add_argument("--document", action="store_true", help="render each language file as one document (dense pages) instead of one image per line")
    p.add_argument("--json", action="store_true", help='print {"rows": [...]} instead of a table')


def run(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
    from rich.table import Table

    from mmx.errors import InputError
    from mmx.render.tokens import account, bar_chart, corpus_files, load_tokenizer, read_lines

    if args.ocr_lines < 0 or (args.max_lines is not None and args.max_lines < 1):
        raise InputError("--ocr-lines must be >= 0 and --max-lines >= 1")
    profile = profile_from_args(args)
    files = corpus_files(args.corpus)
    total = sum(len(read_lines(f, args.max_lines)) for _, f in files)
    if not total:  # no row would have a ratio: say so before loading anything
        raise InputError(f"--corpus {args.corpus!r}: no non-empty lines in {', '.join(f.name for _, f in files)}")
    tokenizer = load_tokenizer(args.tokenizer)
    err = Console(stderr=True)
    rows = []
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err, transient=True, disable=not err.is_terminal) as bar:
        task = bar.add_task("rendering", total=total)
        for row in account(args.corpus, profile, tokenizer, args.ocr_lines, args.max_lines,
                           progress=lambda code, i: bar.update(task, advance=1, description=code), document=args.document):
            rows.append(row)
    chart = args.chart or f"tokens_{profile.name}.png"
    if Path(chart).parent.exists():
        bar_chart(rows, chart, f"{tokenizer.name} vs {profile.name} visual tokens")
    else:
        raise InputError(f"--chart {chart!r}: folder does not exist")
    valid = [r for r in rows if r.get("ratio")]
    summary = {
        "profile": profile.name,
        "tokenizer": tokenizer.name,
        "mean_ratio": sum(r["ratio"] for r in valid) / len(valid) if valid else None,
        "mean_cer": _mean([r["cer"] for r in valid if r.get("cer") is not None]),
        "chart": chart,
    }
    if args.json:
        print_json({"rows": rows, **summary})
        return 0
    # The ratio is subword tokens over visual tokens: the fed patches after merging, blank ones
    # included, since the model pays for every patch it is fed, inked or not.
    table = Table(title=f"{tokenizer.name} subword tokens vs `{profile.name}` visual tokens (means per line)")
    for col in ("language", "chars", "tokens", "ink patches", "fed patches", "visual tokens", "ratio", "OCR CER", "OCR"):
        table.add_column(col, justify="left" if col in ("language", "OCR") else "right", no_wrap=True)
    for r in rows:
        if not r.get("lines"):
            continue
        table.add_row(r["language"], f"{r['chars']:.1f}", f"{r['tokens']:.1f}", f"{r['ink_patches']:.1f}", f"{r['fed_patches']:.1f}",
                      f"{r['visual_tokens']:.1f}", f"{r['ratio']:.2f}" if r["ratio"] else "-",
                      "-" if r["cer"] is None else f"{100 * r['cer']:.1f}%", r["ocr"] or "none")
    mr, mc = summary["mean_ratio"], summary["mean_cer"]
    print_table(table, f"mean ratio {mr:.2f}" + ("" if mc is None else f", mean OCR CER {100 * mc:.1f}%") + f"; chart: {chart}")
    return 0


def _mean(xs: list[float]) -> float | None:
    return sum(xs) / len(xs) if xs else None
