"""xscript's report sections: a table per family, McNemar's tests for every pair of forms and a
forms x model heat map.

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

__all__ = ["family_table", "heatmap", "mcnemar_table"]


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
    McNemar's exact test against the reference and whether it survives Holm, agreement and
    consistency with the reference; then the family's all-forms figures (SCR among them) and
    :func:`mcnemar_table`."""
    from mmx.eval.benches.xscript.families import FAMILIES

    m = results["metrics"]
    adapters = results.get("bench_info", {}).get("adapters", {})
    lines = ["", "## Per family", "",
             "| family | kind | adapter | form | n | score (%) | gap to reference (pts, 95% CI) | McNemar vs reference "
             "(b / c, exact p) | survives Holm | agreement (%) | consistency (%) |",
             "|---|---|---|---|---:|---:|---|---|---|---:|---:|"]
    summary = ["", "| family | items in every form | same answer in every form (%) | SCR: right in every form (%) | "
               "pairs of forms differing after Holm | forms skipped (failed conversion) |",
               "|---|---:|---:|---:|---:|---:|"]
    for name, forms in _families(results):
        fam = FAMILIES[name]
        ref = forms[0]
        for f in forms:
            pair = f"{name}:{ref}-{name}:{f}"
            gap = "reference" if f == ref else gap_text(m, pair)
            score = fmt(m.get(f"accuracy/{name}:{f}"))
            beside = [f"{label} {fmt(m[f'{k}/{name}:{f}'], False)}" for k, label in (("mrr", "MRR"), ("cosine", "cosine"))
                      if f"{k}/{name}:{f}" in m]
            if beside:
                score += f" ({', '.join(beside)})"
            test, holm = ("-", "-") if f == ref else _mcnemar_cells(m, name, f"{ref}-{f}")
            lines.append(f"| {name} | {fam.kind} | {adapters.get(name, '-')} | {f} | {int(m.get(f'n/{name}:{f}', 0))} "
                         f"| {score} | {gap} | {test} | {holm} | {'-' if f == ref else fmt(m.get(f'agreement/{pair}'))} | "
                         f"{'-' if f == ref else fmt(m.get(f'consistency/{pair}'))} |")
        tested = _tested_pairs(m, name, forms)
        differing = f"{sum(m.get(f'holm_significant/{name}/{p}') == 1.0 for p in tested)} of {len(tested)}"
        scr = m.get(f"scr/{name}", m.get(f"family_consistency/{name}"))  # older runs: family_consistency
        summary.append(f"| {name} | {int(m.get(f'n_items/{name}', 0))} | {fmt(m.get(f'family_agreement/{name}'))} | "
                       f"{fmt(scr)} | {differing if tested else '-'} | {int(m.get(f'skipped/{name}', 0))} |")
    return lines + summary + mcnemar_table(results)


def _tested_pairs(m: dict[str, Any], name: str, forms: Sequence[str]) -> list[str]:
    """The family's pairs of forms (``a-b``, family order) that McNemar's test was run on."""
    return [f"{a}-{b}" for i, a in enumerate(forms) for b in forms[i + 1:] if f"mcnemar_p/{name}/{a}-{b}" in m]


def _p(x: float) -> str:
    return f"{x:.3g}"


def _mcnemar_cells(m: dict[str, Any], name: str, pair: str) -> tuple[str, str]:
    if f"mcnemar_p/{name}/{pair}" not in m:
        return "-", "-"
    key = f"{name}/{pair}"
    test = f"{int(m[f'mcnemar_b/{key}'])} / {int(m[f'mcnemar_c/{key}'])}, p {_p(m[f'mcnemar_p/{key}'])}"
    return test, "yes" if m.get(f"holm_significant/{key}") == 1.0 else "no"


def mcnemar_table(results: dict[str, Any]) -> list[str]:
    """Markdown: McNemar's exact test on correctness for every pair of each family's forms (the
    discordant counts, the exact p-value, Holm's adjusted p-value across the family's pairs and
    whether the difference survives at alpha 0.05), then which pairs survive, per family.
    Empty for results without the tests (runs before they were added)."""
    m = results["metrics"]
    rows, survivors = [], []
    for name, forms in _families(results):
        tested = _tested_pairs(m, name, forms)
        if not tested:
            continue
        kept = []
        for pair in tested:
            key = f"{name}/{pair}"
            ok = m.get(f"holm_significant/{key}") == 1.0
            kept += [pair] if ok else []
            rows.append(f"| {name} | {pair} | {int(m[f'mcnemar_n/{key}'])} | {int(m[f'mcnemar_b/{key}'])} | "
                        f"{int(m[f'mcnemar_c/{key}'])} | {_p(m[f'mcnemar_p/{key}'])} | "
                        f"{_p(m[f'mcnemar_p_holm/{key}'])} | {'yes' if ok else 'no'} |")
        survivors.append(f"{name}: {', '.join(kept) if kept else 'none'} ({len(kept)} of {len(tested)})")
    if not rows:
        return []
    return ["", "## McNemar's exact test, every pair of forms", "",
            "Correctness of the same items in two forms (right: score 1): b items right in the first form only, "
            "c in the second only; exact two-sided p = min(1, 2 P(X <= min(b, c))), X ~ Bin(b + c, 1/2); "
            "Holm's step-down correction across each family's pairs holds the family-wise error at 0.05.", "",
            "| family | forms | pairs | b (first right only) | c (second right only) | exact p | Holm-adjusted p | "
            "survives Holm (alpha 0.05) |", "|---|---|---:|---:|---:|---:|---:|---|", *rows, "",
            "Differences that survive Holm: " + "; ".join(survivors) + "."]


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
