"""Render throughput against pixel-renderer, written into docs/render_bench.md.

    python benchmarks/bench_render.py --corpus ../shared/corpora/parallel --out docs

Runs `mmx bench render --vs pixel-renderer --json` three times, each in a fresh
process (so no run starts with the glyphs an earlier one rasterized; see
mmx/render/speed.py for the method: one core, warm-up on other lines, timed on
unseen lines with mmx's text caches emptied, the renderers taking turns), then
`mmx bench render --workers 1,2,...` (render_batch at each worker count) and
benchmarks/render_stages.py (where the time of an unseen line goes). Writes
docs/render_bench.json and the generated part of docs/render_bench.md (between
the `bench:start` and `bench:end` markers; the rest of the file is prose).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
from pathlib import Path

START, END = "<!-- bench:start -->", "<!-- bench:end -->"


def _run(args: list[str]) -> str:
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parent.parent))
    return subprocess.run([sys.executable, *args], check=True, capture_output=True, text=True, env=env).stdout


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--corpus-label", default="../shared/corpora/parallel")
    ap.add_argument("--out", default="docs")
    ap.add_argument("--vs", default="pixel-renderer")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--from-json", action="store_true", help="rewrite the markdown from docs/render_bench.json, measuring nothing")
    args = ap.parse_args()
    out = Path(args.out)
    if args.from_json:
        saved = json.loads((out / "render_bench.json").read_text())
        runs, workers, stages = saved["runs"], saved["workers"], saved["stages"]
    else:
        runs = []
        for i in range(args.runs):
            print(f"run {i + 1} of {args.runs}", file=sys.stderr)
            load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
            runs.append(json.loads(_run(["-m", "mmx.cli", "bench", "render", "--corpus", args.corpus, "--vs", args.vs, "--json"])))
            # the machine's load average (1 minute) before and after the run: other jobs share its cores
            runs[-1]["load"] = [load, os.getloadavg()[0] if load is not None else None]
        cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
        counts = sorted({1, 2, cpus} - {0})
        workers = json.loads(_run(["-m", "mmx.cli", "bench", "render", "--corpus", args.corpus,
                                   "--workers", ",".join(map(str, counts)), "--json"]))
        stages = _run([str(Path(__file__).with_name("render_stages.py")), "--corpus", args.corpus])
        (out / "render_bench.json").write_text(json.dumps({"runs": runs, "workers": workers, "stages": stages}, indent=1))
    counts = [w["workers"] for w in workers["rows"]]
    peer = args.vs.split(",")[0]
    cmd = f"mmx bench render --corpus {args.corpus_label} --vs {args.vs}"
    lines = [
        f"Command: `{cmd}` (three runs, each a fresh process, via `python benchmarks/bench_render.py "
        f"--corpus {args.corpus_label}`), profile `{runs[0]['profile']}` (16 px strip, 16x16 patches, 12 px font: "
        f"{peer}'s defaults), one CPU core of this project's 2-core x86-64 machine shared with other jobs, "
        f"Python {platform.python_version()}, {peer} {runs[0]['peer_version']}.",
        "",
        f"| run | mmx lines/s | {peer} lines/s | **mmx / {peer}** (medians) | median of per-language ratios | "
        "CPU-time ratio | mmx warm lines/s | load average (before, after) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for i, r in enumerate(runs, 1):
        load = r.get("load") or [None, None]
        load_s = ", ".join("-" if x is None else f"{x:.1f}" for x in load)
        lines.append(f"| {i} | {r['mmx_lines_per_s']:.0f} | {r['peer_lines_per_s']:.0f} | **{r['ratio']:.2f}** | "
                     f"{r['median_language_ratio']:.2f} | {r['cpu_ratio']:.2f} | {r['mmx_warm_lines_per_s']:.0f} | {load_s} |")
    lines += [
        "",
        f"`mmx / {peer}` is the ratio of the two renderers' median lines/s over the 22 languages (wall time, as "
        "`mmx bench render` prints it); the CPU-time ratio divides the medians of lines per CPU-second, which other "
        "jobs on the machine disturb less. Per language, the median of the three runs (lines/s in wall time; "
        "lines per CPU-second; ratios):",
        "",
        f"| language | mmx | mmx (warm) | {peer} | mmx CPU | {peer} CPU | mmx / {peer} | CPU-time ratio |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    med = statistics.median
    for k, row in enumerate(runs[0]["rows"]):
        rs = [r["rows"][k] for r in runs]
        lines.append(f"| {row['language']} | {med(x['mmx_lines_per_s'] for x in rs):.0f} | "
                     f"{med(x['mmx_warm_lines_per_s'] for x in rs):.0f} | {med(x['peer_lines_per_s'] for x in rs):.0f} | "
                     f"{med(x['mmx_cpu_lines_per_s'] for x in rs):.0f} | {med(x['peers_cpu'][peer] for x in rs):.0f} | "
                     f"{med(x['ratio'] for x in rs):.2f} | {med(x['cpu_ratio'] for x in rs):.2f} |")
    lines.append(f"| **median** | **{med(r['mmx_lines_per_s'] for r in runs):.0f}** | "
                 f"**{med(r['mmx_warm_lines_per_s'] for r in runs):.0f}** | **{med(r['peer_lines_per_s'] for r in runs):.0f}** | "
                 f"**{med(r['mmx_cpu_lines_per_s'] for r in runs):.0f}** | "
                 f"**{med(r['peers'][peer]['cpu_lines_per_s'] for r in runs):.0f}** | "
                 f"**{med(r['ratio'] for r in runs):.2f}** | **{med(r['cpu_ratio'] for r in runs):.2f}** |")
    lines += [
        "",
        f"### Many lines at once (`mmx bench render --corpus {args.corpus_label} --workers {','.join(map(str, counts))}`)",
        "",
        f"`mmx.render.render_batch(texts, profile, workers=N)` on the 2,200 unseen lines, chunks of 32 lines, "
        f"profile `{workers['profile']}`, {workers['cpus']} CPUs:",
        "",
        "| workers | lines/s | lines/s per worker | lines per CPU-second | workers' CPU share | load average |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for w in workers["rows"]:
        share = f"{w['cpu_share']:.0%}" if "cpu_share" in w else "-"
        load = "-" if w.get("load") is None else f"{w['load']:.1f}"
        lines.append(f"| {w['workers']} | {w['lines_per_s']:.0f} | {w['lines_per_s_per_worker']:.0f} | "
                     f"{w['lines_per_cpu_s']:.0f} | {share} | {load} |")
    lines += ["", "Wall-time lines/s with more than one worker depend on what else runs on the machine's two cores "
              "(other jobs shared them here); lines per CPU-second of the workers is what each core gives, and the "
              "workers' CPU share (their CPU seconds over wall seconds times workers) says how much of the cores "
              "they got: wall-time scaling is the ratio of lines per CPU-second times that of the shares."]
    lines += ["", "### Where the time goes now (`python benchmarks/render_stages.py --corpus "
              f"{args.corpus_label}`)", "", stages.strip()]
    generated = "\n".join(lines)
    md = out / "render_bench.md"
    text = md.read_text(encoding="utf-8") if md.exists() else f"# Render throughput\n\n{START}\n{END}\n"
    head, _, rest = text.partition(START)
    _, _, tail = rest.partition(END)
    md.write_text(f"{head}{START}\n{generated}\n{END}{tail}", encoding="utf-8")
    print(generated)


if __name__ == "__main__":
    main()
