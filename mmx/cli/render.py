"""``mmx render``: one text to an image, with a JSON report."""

from __future__ import annotations

import argparse

from mmx.cli.common import (
    add_profile_arguments,
    plural,
    print_json,
    profile_from_args,
    read_text_arg,
)


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("text", nargs="?", metavar="TEXT", help="text to render; '-' reads UTF-8 from standard input")
    p.add_argument("--file", help="read the text from a UTF-8 file instead")
    add_profile_arguments(p)
    p.add_argument("--out", metavar="FILE.png", help="save the image (more images get -1, -2, ... suffixes)")
    p.add_argument("--grid", action="store_true",
                   help="draw the patch grid and outline missing glyphs in the saved image (enlarged: see --scale)")
    # the default is mmx.render.result.GRID_SCALE (not imported here: `mmx --help` stays instant; a test
    # holds the two equal)
    p.add_argument("--scale", type=int, metavar="N",
                   help="enlarge the saved image N times, nearest neighbour (default 4 with --grid, else 1)")
    p.add_argument("--noise", metavar="SPEC", help="typographic noise, e.g. homoglyphs:0.1,swap:0.05,blur:0.3-1,jpeg:30-70,rotate:2")
    p.add_argument("--seed", type=int, default=0, help="seed for --noise (default 0)")
    p.add_argument("--json", action="store_true", help="print one JSON object with the counts and problems")


def run(args: argparse.Namespace) -> int:
    from mmx.errors import InputError
    from mmx.render.engine import render_text
    from mmx.render.result import GRID_SCALE

    if args.scale is not None and (args.scale < 1 or not args.out):
        raise InputError(f"--scale {args.scale}: give a whole number >= 1 with --out FILE.png (it enlarges the saved image)")
    text = read_text_arg(args.text, args.file)
    if not text.strip():
        raise InputError("nothing to render: the text is empty" + (" (only white space)" if text else ""))
    profile = profile_from_args(args)
    result = render_text(text, profile, noise=args.noise, seed=args.seed)
    saved: list[str] = []
    scale = args.scale if args.scale is not None else (GRID_SCALE if args.grid else 1)
    if args.out:
        saved = result.save(args.out, grid=args.grid, scale=scale)
    report = result.to_dict()
    if saved:
        report["saved"] = saved
        report["saved_scale"] = scale
    if args.json:
        print_json(report)
        return 0
    from rich.console import Console

    console = Console()
    size = " + ".join(f"{w}x{h}" for w, h in report["sizes"])
    console.print(f"[bold]{profile.name}[/bold]: {plural(report['chars'], 'char')} -> {size} px, "
                  f"{plural(report['ink_patches'], 'patch', 'patches')} with ink of {report['fed_patches']} fed, "
                  f"{plural(report['visual_tokens'], 'visual token')}")
    if result.missing_glyphs:
        cps = ", ".join(f"U+{m.codepoint:04X}@{m.index}" for m in result.missing_glyphs[:10])
        console.print(f"[yellow]missing glyphs ({len(result.missing_glyphs)}): {cps}[/yellow]")
    if result.truncated:
        console.print(f"[yellow]truncated at character {result.truncated_at} of {len(text)}[/yellow]")
    if result.clipped:
        console.print("[yellow]some ink was clipped by the canvas[/yellow]")
    how = ", ".join(([f"enlarged {scale}x"] if scale > 1 else []) + (["patch grid drawn"] if args.grid else []))
    for path in saved:
        console.print(f"saved {path}" + (f" ({how})" if how else ""), markup=False, highlight=False, soft_wrap=True)
    return 0
