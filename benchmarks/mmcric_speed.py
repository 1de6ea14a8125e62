"""The main job's time: `mmx eval --bench mmcric` (the ocr-table baseline) with the next batch's
cards read ahead (the default) and without (``--model-args read_ahead=false``, one batch at a
time as before), each run a fresh process, the two taking turns. With ``--against COMMIT`` the
two are instead this checkout and ``mmx/`` as it was at COMMIT (exported with ``git archive``),
both reading ahead: what a change of the baseline costs or saves.

    python benchmarks/mmcric_speed.py [--runs 1] [--limit N] [--workers 2] [--against COMMIT]

Per run: wall time, CPU time (user + system of the process and its threads), the load average
before it, and samples per second. The results of every run of one variant must be identical
(``metrics`` of ``results.json`` and every line of ``samples.jsonl``), and without ``--against``
those of both variants too; the script says so, or exits 1.
The generated data is made (or found in ``~/.cache/mmx``) before the first timed run. On a
machine shared with other jobs, compare CPU time: wall time then measures the others too.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from mmx.cli import export_mmx
from mmx.errors import InputError

ROOT = Path(__file__).resolve().parent.parent

#: (label, extra --model-args)
VARIANTS = (("one batch at a time", "read_ahead=false"), ("next batch read ahead", ""))


def _run(out: Path, model_args: str, limit: int | None, workers: int, root: Path = ROOT) -> dict:
    args = ",".join(a for a in (f"workers={workers}", model_args) if a)
    cmd = [sys.executable, "-m", "mmx.cli", "eval", "--bench", "mmcric", "--model", "ocr-table", "--model-args",
           args, "--out", str(out), "--no-progress", "--overwrite", *(["--limit", str(limit)] if limit else [])]
    env = {**os.environ, "PYTHONPATH": str(root) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    load = os.getloadavg()[0]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    # run from `root`: `python -m` puts the working folder first on sys.path
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL, cwd=root)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    samples = (out / "samples.jsonl").read_text(encoding="utf-8").splitlines()
    return {"wall": wall, "cpu": cpu, "load": load, "n": results["n_samples"],
            "same_as": (results["metrics"], sorted(samples))}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=1, help="runs of each variant (they take turns)")
    ap.add_argument("--limit", type=int, default=None, help="items (3 samples each); default all 216 samples")
    ap.add_argument("--workers", type=int, default=2, help="ocr-table's reader threads")
    ap.add_argument("--against", default=None, metavar="COMMIT",
                    help="time this checkout against mmx/ at COMMIT instead of reading ahead against not")
    args = ap.parse_args(argv)
    for name in ("runs", "limit", "workers"):
        value = getattr(args, name)
        if value is not None and value < 1:  # --limit 0 would otherwise mean the whole set
            raise InputError(f"--{name} must be at least 1 (got {value})")

    from mmx.eval.benches.mmcric.bench import MmcricBench

    MmcricBench().load(progress=False)  # the generated set, made once and cached before any timing
    rows: list[tuple[str, dict]] = []
    with tempfile.TemporaryDirectory(prefix="mmcric-speed-") as tmp:
        if args.against:
            other = Path(tmp) / "against"
            export_mmx(args.against, other, ROOT)
            variants = ((f"mmx at {args.against}", "", other), ("this checkout", "", ROOT))
        else:
            variants = tuple((label, model_args, ROOT) for label, model_args in VARIANTS)
        for k in range(args.runs):
            order = variants if k % 2 == 0 else variants[::-1]
            for label, model_args, root in order:
                r = _run(Path(tmp) / f"{k}-{len(rows)}", model_args, args.limit, args.workers, root)
                rows.append((label, r))
                print(f"{label}: {r['wall']:.1f} s wall, {r['cpu']:.1f} s CPU, load {r['load']:.2f}", file=sys.stderr)
    if args.against:  # the two versions may answer differently; each must repeat itself
        identical = all(r["same_as"] == next(r0 for lb, r0 in rows if lb == label)["same_as"] for label, r in rows)
    else:
        identical = all(r["same_as"] == rows[0][1]["same_as"] for _, r in rows)
    print(f"`python benchmarks/mmcric_speed.py --runs {args.runs}"
          f"{f' --limit {args.limit}' if args.limit else ''} --workers {args.workers}"
          f"{f' --against {args.against}' if args.against else ''}` "
          f"({os.cpu_count()} cores):\n")
    print("| run | samples | wall s | CPU s | samples/s (wall) | load average before |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for label, r in rows:
        print(f"| {label} | {r['n']} | {r['wall']:.1f} | {r['cpu']:.1f} | {r['n'] / r['wall']:.2f} | {r['load']:.2f} |")
    what = "each version's runs" if args.against else f"the {len(rows)} runs"
    print(f"\nmetrics and every sample {'identical' if identical else 'DIFFER'} across {what}")
    return 0 if identical else 1


if __name__ == "__main__":
    from mmx.cli import run_script

    run_script(main)
