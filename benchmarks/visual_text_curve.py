"""The distillation run's curve as a table in docs/visual_text.md (and a CSV beside it).

Reads the ``metrics.csv`` that ``mmx fit --config configs/visual_text_distill.yaml``
logs, keeps the validation rows (held-out pool strings: cosine to the teacher and top-1
retrieval of the teacher's vector; held-out corpus lines when the run was given
``--data.init_args.val_corpus``: cosine and x -> English retrieval, student and teacher)
and the training loss around each, and writes them between the markers
``<!-- visual_text_curve:start -->`` / ``<!-- visual_text_curve:end -->``:

    python benchmarks/visual_text_curve.py runs/visual_text_distill/version_0 \\
        --note "2-core CPU shared with other jobs; 5,000 steps"
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

DOC = Path(__file__).resolve().parents[1] / "docs" / "visual_text.md"
CSV_OUT = DOC.with_name("visual_text_curve.csv")
START, END = "<!-- visual_text_curve:start -->", "<!-- visual_text_curve:end -->"
COLUMNS = ("val/cos", "val/r1", "val/corpus_cos", "val/corpus_r1", "val/corpus_teacher_r1")


def curve_rows(metrics: Path) -> list[dict[str, float]]:
    """One row per validation: step, the train loss logged last before it, and the
    validation numbers (missing ones are absent)."""
    rows: list[dict[str, float]] = []
    last_loss: float | None = None
    with open(metrics, encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r.get("train/loss"):
                last_loss = float(r["train/loss"])
            vals = {k: float(r[k]) for k in COLUMNS if r.get(k)}
            if vals:
                row = {"step": float(r["step"]), **vals}
                if last_loss is not None:
                    row["train/loss"] = last_loss
                rows.append(row)
    return rows


def markdown(rows: list[dict[str, float]], note: str) -> str:
    """The curve as a markdown table (retrieval in points)."""
    head = ("| step | train loss | pool cosine | pool R@1 | corpus cosine | corpus x->en P@1: student | teacher |\n"
            "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")

    def cell(r: dict[str, float], k: str, pct: bool = False) -> str:
        if k not in r:
            return ""
        return f"{100 * r[k]:.1f}" if pct else f"{r[k]:.3f}"

    lines = [head] + [
        f"| {int(r['step']) + 1} | {cell(r, 'train/loss')} | {cell(r, 'val/cos')} | {cell(r, 'val/r1', True)} | "
        f"{cell(r, 'val/corpus_cos')} | {cell(r, 'val/corpus_r1', True)} | {cell(r, 'val/corpus_teacher_r1', True)} |"
        for r in rows
    ]
    return f"{note}\n\n" + "\n".join(lines) if note else "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("run", help="a run folder of mmx fit (holds metrics.csv)")
    ap.add_argument("--note", default="", help="one line printed above the table (machine, budget)")
    ap.add_argument("--doc", default=str(DOC), help="the markdown file with the curve markers")
    a = ap.parse_args(argv)
    metrics = Path(a.run) / "metrics.csv"
    if not metrics.is_file():
        print(f"error: {metrics} does not exist; give the run folder of mmx fit", file=sys.stderr)
        return 2
    rows = curve_rows(metrics)
    if not rows:
        print(f"error: {metrics} has no validation rows (val/cos ...); did the run validate?", file=sys.stderr)
        return 2
    doc = Path(a.doc)
    text = doc.read_text(encoding="utf-8")
    if START not in text or END not in text:
        print(f"error: {doc} lacks the markers {START} ... {END}", file=sys.stderr)
        return 2
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    doc.write_text(f"{head}{START}\n{markdown(rows, a.note)}\n{END}{tail}", encoding="utf-8")
    keys = ["step", "train/loss", *COLUMNS]
    with open(doc.with_name("visual_text_curve.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=keys)
        w.writeheader()
        for r in rows:
            w.writerow({k: (int(r[k]) + 1 if k == "step" else r.get(k, "")) for k in keys})
    print(f"wrote the curve ({len(rows)} validations) into {doc.name} and {doc.with_name('visual_text_curve.csv').name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
