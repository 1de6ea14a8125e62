"""Curves and held-out tables of a tiny reader run (configs/tiny_reader.yaml).

Reads the run's Lightning CSV log (metrics.csv) and the test predictions written by
`mmx test` (test_predictions.jsonl), draws training and validation curves, and prints
markdown tables: held-out exact match and character error rate per script against
chance, and per-digit accuracy (which digit shapes transfer to an unseen script).

    python figures/reader_report.py --fit runs/tiny_reader/version_0 \
        --test runs/tiny_reader/version_1 --plot docs/img/tiny_reader_curves.png
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import sys
from collections import defaultdict
from pathlib import Path

from mmx.text.distance import pooled_cer


def read_metrics(path: Path) -> dict[str, list[tuple[int, float]]]:
    series: dict[str, list[tuple[int, float]]] = defaultdict(list)
    with path.open() as f:
        for row in csv.DictReader(f):
            for key, value in row.items():
                if key not in ("epoch", "step") and value not in ("", None):
                    series[key].append((int(row["step"]), float(value)))
    return series


def plot(series: dict[str, list[tuple[int, float]]], out: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (ax_loss, ax_acc) = plt.subplots(1, 2, figsize=(10, 3.6))
    for key, label in (("train/loss", "train loss"), ("val/loss", "validation loss (held-out numbers)")):
        if series.get(key):
            xs, ys = zip(*series[key])
            ax_loss.plot(xs, ys, label=label, marker="o" if key.startswith("val") else None, ms=3)
    ax_loss.set_xlabel("step")
    ax_loss.set_ylabel("cross-entropy per digit")
    ax_loss.legend(loc="upper right")
    ax_loss.grid(alpha=0.3)
    for key, label in (("val/exact", "exact match"), ("val/cer", "character error rate")):
        if series.get(key):
            xs, ys = zip(*series[key])
            ax_acc.plot(xs, [100 * y for y in ys], label=label, marker="o", ms=3)
    ax_acc.axhline(0.4, color="grey", ls="--", lw=1, label="chance exact match (< 0.1%)")
    ax_acc.set_xlabel("step")
    ax_acc.set_ylabel("% on held-out numbers (validation)")
    ax_acc.set_ylim(-2, 102)
    ax_acc.legend(loc="center right")
    ax_acc.grid(alpha=0.3)
    fig.suptitle("tiny reader: Latin, Devanagari, Arabic-Indic digits (configs/tiny_reader.yaml)")
    fig.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=110)


def chance_exact(lengths: list[int]) -> float:
    """Exact match of the best blind guess that knows the length distribution: one fixed
    number of the most common length (leading digit 1-9, others 0-9 uniform)."""
    by_len = defaultdict(int)
    for n in lengths:
        by_len[n] += 1
    best = max(by_len, key=lambda n: by_len[n] / (9 * 10 ** (n - 1)))
    return by_len[best] / len(lengths) / (9 * 10 ** (best - 1))


def tables(rows: list[dict], seen: list[str]) -> str:
    by_script: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        by_script[r["script"]].append(r)
    chance = chance_exact([len(r["target"]) for r in rows])
    lines = [
        "| script | seen in training | n | exact match % | 95% CI | CER % | chance exact % |",
        "|---|---|---|---|---|---|---|",
    ]
    for script, rs in by_script.items():
        n = len(rs)
        exact = sum(r["prediction"] == r["target"] for r in rs) / n
        half = 1.96 * math.sqrt(max(exact * (1 - exact), 1e-12) / n)
        cer = pooled_cer((r["target"], r["prediction"]) for r in rs)  # total edits / total target digits
        lines.append(
            f"| {script} | {'yes' if script in seen else '**no**'} | {n} | {100 * exact:.1f} | "
            f"{100 * max(exact - half, 0):.1f}-{100 * min(exact + half, 1):.1f} | {100 * cer:.1f} | {100 * chance:.2f} |"
        )
    lines += ["", "Per-digit accuracy (position by position, predictions of the right length):", ""]
    lines.append("| script | " + " | ".join(str(d) for d in range(10)) + " |")
    lines.append("|---|" + "---|" * 10)
    for script, rs in by_script.items():
        hit, tot = [0] * 10, [0] * 10
        for r in rs:
            if len(r["prediction"]) != len(r["target"]):
                continue
            for p, t in zip(r["prediction"], r["target"]):
                tot[int(t)] += 1
                hit[int(t)] += p == t
        cells = [f"{100 * h / t:.0f}" if t else "-" for h, t in zip(hit, tot)]
        lines.append(f"| {script} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--fit", type=Path, required=True, help="the fit run folder (holds metrics.csv)")
    ap.add_argument("--test", type=Path, help="the test run folder (holds test_predictions.jsonl)")
    ap.add_argument("--plot", type=Path, help="write the curves to this PNG")
    ap.add_argument("--seen", default="latin,devanagari,arabic_indic", help="training scripts, comma-separated")
    args = ap.parse_args(argv)
    metrics = args.fit / "metrics.csv"
    if not metrics.is_file():
        print(f"reader_report: {metrics} not found (run `mmx fit --config configs/tiny_reader.yaml` first)", file=sys.stderr)
        return 2
    series = read_metrics(metrics)
    if args.plot:
        plot(series, args.plot)
    for key in ("val/loss", "val/exact", "val/cer"):
        if series.get(key):
            print(f"{key}: " + ", ".join(f"{s}:{v:.3f}" for s, v in series[key]))
    if args.test:
        preds = args.test / "test_predictions.jsonl"
        if not preds.is_file():
            print(f"reader_report: {preds} not found (run `mmx test ... --ckpt_path ...`)", file=sys.stderr)
            return 2
        rows = [json.loads(line) for line in preds.read_text(encoding="utf-8").splitlines() if line.strip()]
        print()
        print(tables(rows, args.seen.split(",")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
