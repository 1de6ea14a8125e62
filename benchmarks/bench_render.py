"""Render throughput against pixel-renderer and Pillow+raqm, written to docs/render_bench.md.

    python benchmarks/bench_render.py --corpus ../shared/corpora/parallel --out docs

Runs `mmx bench render --vs pixel-renderer,pillow-raqm` (see mmx/render/speed.py
for the method: one core, warm-up on other lines, timed on unseen lines,
alternating order) and writes the JSON and a markdown table.
"""

from __future__ import annotations

import argparse
import json
import platform
from pathlib import Path

from mmx.render.speed import measure_render_speed


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--corpus-label", default="../shared/corpora/parallel")
    ap.add_argument("--out", default="docs")
    ap.add_argument("--vs", default="pixel-renderer,pillow-raqm")
    args = ap.parse_args()
    res = measure_render_speed(args.corpus, args.vs)
    out = Path(args.out)
    (out / "render_bench.json").write_text(json.dumps(res, indent=1))
    peers = list(res["peers"])
    lines = [
        "# Render throughput",
        "",
        f"`mmx bench render --corpus {args.corpus_label} --vs {args.vs}` (via `python benchmarks/bench_render.py`), "
        f"profile `{res['profile']}` (16 px strip, 16x16 patches, 12 px font: pixel-renderer's defaults), one CPU core "
        f"of this project's 2-core x86-64 machine, Python {platform.python_version()}. Lines/s on the second half of each "
        "language's 200 lines after every renderer rendered every language's first half; `mmx (warm)` is a second pass "
        "over the same lines. Ratios are measured side by side in one run; absolute numbers on this shared machine varied by up to 2.5x between runs, so read the ratios.",
        "",
        "| language | mmx | mmx (warm) | " + " | ".join(peers) + f" | mmx / {peers[0]} |",
        "|---|---:|---:|" + "---:|" * len(peers) + "---:|",
    ]
    for r in res["rows"]:
        lines.append(f"| {r['language']} | {r['mmx_lines_per_s']:.0f} | {r['mmx_warm_lines_per_s']:.0f} | "
                     + " | ".join(f"{r['peers'][p]:.0f}" for p in peers) + f" | {r['ratio']:.2f} |")
    lines.append(f"| **median** | **{res['mmx_lines_per_s']:.0f}** | **{res['mmx_warm_lines_per_s']:.0f}** | "
                 + " | ".join(f"**{res['peers'][p]['lines_per_s']:.0f}**" for p in peers) + f" | **{res['ratio']:.2f}** |")
    (out / "render_bench.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
