"""xscript's report sections: a table per family and a forms x model heat map.

:func:`heatmap` takes one or several ``results.json`` (one per model run), so the same
forms can be compared across models: ``python -m mmx.eval.benches.xscript.report
runs/a/results.json runs/b/results.json --out heatmap.png``.
"""

from __future__ import annotations

import argparse
import json
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from mmx.eval.report import fmt, gap_text

__all__ = ["family_table", "heatmap"]


def _families(results: dict[str, Any]) -> list[tuple[str, list[str]]]:
    """(family, forms in order) that have scores in ``results``."""
    from mmx.eval.benches.xscript.families import FAMILIES

    m = results["metrics"]
    out = []
    for name, fam in FAMILIES.items():
        forms = [f for f in fam.forms if f"accuracy/{name}:{f}" in m]
        if forms:
            out.append((name, forms))
    return out


def family_table(results: dict[str, Any]) -> list[str]:
    """Markdown: per family, each form's score, its gap to the reference form with the 95% CI,
    agreement and consistency with the reference; then the family's all-forms figures."""
    from mmx.eval.benches.xscript.families import FAMILIES

    m = results["metrics"]
    adapters = results.get("bench_info", {}).get("adapters", {})
    lines = ["", "## Per family", "",
             "| family | kind | adapter | form | n | score (%) | gap to reference (pts, 95% CI) | agreement (%) | "
             "consistency (%) |", "|---|---|---|---|---:|---:|---|---:|---:|"]
    summary = ["", "| family | items in every form | same answer in every form (%) | right in every form (%) | "
               "forms skipped (failed conversion) |", "|---|---:|---:|---:|---:|"]
    for name, forms in _families(results):
        fam = FAMILIES[name]
        ref = forms[0]
        for f in forms:
            pair = f"{name}:{ref}-{name}:{f}"
            gap = "reference" if f == ref else gap_text(m, pair)
            score = fmt(m.get(f"accuracy/{name}:{f}"))
            if f"mrr/{name}:{f}" in m:
                score += f" (MRR {fmt(m[f'mrr/{name}:{f}'], False)})"
            lines.append(f"| {name} | {fam.kind} | {adapters.get(name, '-')} | {f} | {int(m.get(f'n/{name}:{f}', 0))} "
                         f"| {score} | {gap} | {'-' if f == ref else fmt(m.get(f'agreement/{pair}'))} | "
                         f"{'-' if f == ref else fmt(m.get(f'consistency/{pair}'))} |")
        summary.append(f"| {name} | {int(m.get(f'n_items/{name}', 0))} | {fmt(m.get(f'family_agreement/{name}'))} | "
                       f"{fmt(m.get(f'family_consistency/{name}'))} | {int(m.get(f'skipped/{name}', 0))} |")
    return lines + summary


def heatmap(runs: Sequence[dict[str, Any]], path: Path) -> bool:
    """A forms x model heat map of the score (rows: ``family:form``; columns: each run's adapter
    per family, so one default run gives one column per family adapter). False without
    matplotlib or scores."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    rows: list[str] = []
    cols: list[str] = []
    cells: dict[tuple[str, str], float] = {}
    for res in runs:
        adapters = res.get("bench_info", {}).get("adapters", {})
        for name, forms in _families(res):
            col = adapters.get(name) or res.get("model", "?")
            if col not in cols:
                cols.append(col)
            for f in forms:
                row = f"{name}:{f}"
                if row not in rows:
                    rows.append(row)
                cells[(row, col)] = 100 * res["metrics"][f"accuracy/{row}"]
    if not cells:
        return False
    import numpy as np

    grid = np.array([[cells.get((r, c), math.nan) for c in cols] for r in rows])
    fig, ax = plt.subplots(figsize=(2.2 + 1.4 * len(cols), 1.0 + 0.32 * len(rows)), dpi=120)
    im = ax.imshow(np.ma.masked_invalid(grid), cmap="viridis", vmin=0, vmax=100, aspect="auto")
    ax.set_xticks(range(len(cols)), cols, rotation=30, ha="right", fontsize=8)
    ax.set_yticks(range(len(rows)), rows, fontsize=8)
    for i in range(len(rows)):
        for j in range(len(cols)):
            if not math.isnan(grid[i, j]):
                ax.text(j, i, f"{grid[i, j]:.0f}", ha="center", va="center", fontsize=7,
                        color="white" if grid[i, j] < 60 else "black")
    fig.colorbar(im, ax=ax, label="score (%)")
    ax.set_title("xscript: score per form and model", fontsize=9)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return True


def main(argv: Sequence[str] | None = None) -> int:
    """Combine several runs' ``results.json`` into one heat map."""
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("results", nargs="+", help="results.json of xscript runs")
    p.add_argument("--out", default="xscript_heatmap.png")
    args = p.parse_args(argv)
    runs = [json.loads(Path(r).read_text(encoding="utf-8")) for r in args.results]
    return 0 if heatmap(runs, Path(args.out)) else 1


if __name__ == "__main__":
    raise SystemExit(main())
