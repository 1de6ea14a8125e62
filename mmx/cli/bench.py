"""``mmx bench render``: lines per second against pixel-renderer at equal settings."""

from __future__ import annotations

import argparse


def add_arguments(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="bench", metavar="BENCH", required=True)
    r = sub.add_parser("render", help="render throughput on one core, side by side with a peer renderer")
    r.add_argument("--corpus", required=True, help="folder of language files named like hin_Deva.txt")
    r.add_argument("--vs", default=None, metavar="PEER", help="peer renderer(s) measured in the same run: pixel-renderer, pillow-raqm (comma-separated; the first gives `ratio`)")
    r.add_argument("--profile", default="pixel_renderer", help="mmx profile (default pixel_renderer: 16 px strip, 16x16 patches, 12 px font)")
    r.add_argument("--max-lines", type=int, default=None, help="use at most this many lines per language")
    r.add_argument("--json", action="store_true", help="print the result as JSON")


def run(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.table import Table

    from mmx.cli.common import print_json
    from mmx.render.bench import bench_render

    err = Console(stderr=True)
    with err.status("warming up") as status:
        result = bench_render(args.corpus, args.vs, args.profile, args.max_lines,
                              progress=lambda code: status.update(f"timing {code}"))
    if args.json:
        print_json(result)
        return 0
    table = Table(title=f"lines/s on one core (unseen lines), profile {result['profile']}")
    names = list(result["peers"])
    cols = ["language", "mmx", "mmx (warm)"] + names + ([f"mmx/{names[0]}"] if names else [])
    for c in cols:
        table.add_column(c, justify="left" if c == "language" else "right")
    for r in result["rows"]:
        cells = [r["language"], f"{r['mmx_lines_per_s']:.0f}", f"{r['mmx_warm_lines_per_s']:.0f}"]
        if names:
            cells += [f"{r['peers'][n]:.0f}" for n in names] + [f"{r['ratio']:.2f}"]
        table.add_row(*cells)
    console = Console()
    console.print(table)
    line = f"median mmx {result['mmx_lines_per_s']:.0f} lines/s (warm {result['mmx_warm_lines_per_s']:.0f})"
    for n in names:
        line += f", {n} {result['peers'][n]['lines_per_s']:.0f} lines/s"
    if names:
        line += f"; mmx/{names[0]} {result['ratio']:.2f}"
    console.print(line)
    return 0
