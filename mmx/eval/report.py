"""Human-readable views of ``results.json``: ``report.md``, a PNG by category, a terminal table."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

PLOT = "by_category.png"


def _subsets(metrics: dict[str, float]) -> list[str]:
    found = {k.split("/")[1] for k in metrics if k.startswith("accuracy/") and k.count("/") == 1}
    order = [s for s in ("E", "H", "HD") if s in found]
    return order + sorted(found - set(order))


def _categories(metrics: dict[str, float], subsets: list[str]) -> list[str]:
    cats = set()
    for k in metrics:
        parts = k.split("/")
        if parts[0] == "accuracy" and len(parts) == 3 and parts[1] in subsets:
            cats.add(parts[2])
    return sorted(cats)


def _pct(x: float | None) -> str:
    return "-" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{100 * x:.1f}"


def _gap_pairs(metrics: dict[str, float]) -> list[str]:
    return [k.split("/")[1] for k in metrics if k.startswith("gap/") and k.count("/") == 1]


def gap_text(metrics: dict[str, float], pair: str) -> str:
    g = metrics.get(f"gap/{pair}")
    lo, hi = metrics.get(f"gap/{pair}/ci_lo"), metrics.get(f"gap/{pair}/ci_hi")
    n = metrics.get(f"gap/{pair}/n_pairs")
    if g is None or math.isnan(g):
        return "- (no pairs)"
    return f"{100 * g:+.1f} pts [95% CI {100 * lo:+.1f}, {100 * hi:+.1f}] over {int(n or 0)} pairs"


def write_report(out: Path, results: dict[str, Any]) -> None:
    """``report.md`` and ``by_category.png`` (when matplotlib is installed) beside results.json."""
    m = results["metrics"]
    subsets = _subsets(m)
    cats = _categories(m, subsets)
    lines = [f"# {results['bench']} · {results['model']}", ""]
    if results.get("baseline"):
        lines += ["> This model is a **baseline**, not a vision-language model: read its numbers as a floor.", ""]
    lines += [f"Data: {results['data']} · split: {results['split']} · samples: {results['n_samples']} · "
              f"created {results['created']} · mmx {results['versions'].get('mmx')} · git {results.get('git_sha') or '-'}", ""]
    lines += ["## Accuracy by subset (%)", "", "| subset | n | exact match | relaxed (5%) | ANLS | no number where one was due |",
              "|---|---:|---:|---:|---:|---:|"]
    for s in subsets:
        lines.append(f"| {s} | {int(m.get(f'n/{s}', 0))} | {_pct(m.get(f'accuracy/{s}'))} | {_pct(m.get(f'relaxed/{s}'))} "
                     f"| {_pct(m.get(f'anls/{s}'))} | {_pct(m.get(f'unparsed/{s}'))} |")
    lines += ["", "## Cross-script gap (exact match, paired items)", ""]
    for pair in _gap_pairs(m):
        lines.append(f"- **{pair}**: {gap_text(m, pair)}; same answer on {_pct(m.get(f'agreement/{pair}'))}% of pairs, "
                     f"same correctness on {_pct(m.get(f'consistency/{pair}'))}%")
    if cats:
        lines += ["", "## Exact match by category (%)", "", "| category | " + " | ".join(subsets) + " |",
                  "|---|" + "---:|" * len(subsets)]
        for c in cats:
            lines.append(f"| {c} | " + " | ".join(_pct(m.get(f"accuracy/{s}/{c}")) for s in subsets) + " |")
    fmts = sorted({k.split("/")[3] for k in m if k.startswith("accuracy/") and "/format/" in k})
    if fmts:
        lines += ["", "## Exact match by format (%)", "", "| format | " + " | ".join(subsets) + " |",
                  "|---|" + "---:|" * len(subsets)]
        for f in fmts:
            lines.append(f"| {f} | " + " | ".join(_pct(m.get(f"accuracy/{s}/format/{f}")) for s in subsets) + " |")
    if results.get("notes"):
        lines += ["", "## Notes", ""] + [f"- {n}" for n in results["notes"]]
    if _plot(out / PLOT, m, subsets, cats, results):
        lines += ["", f"![exact match by category]({PLOT})"]
    lines += ["", "Scoring: exact match after lowercasing, stripping and removing one trailing '.' or ',' "
              "(the public MMCricBench harness rule); relaxed: numbers within 5% (ChartQA); ANLS threshold 0.5 (DocVQA).", ""]
    (out / "report.md").write_text("\n".join(lines), encoding="utf-8")


def _plot(path: Path, m: dict[str, float], subsets: list[str], cats: list[str], results: dict[str, Any]) -> bool:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    groups = ["all", *cats]
    fig, ax = plt.subplots(figsize=(1.6 + 1.3 * len(groups), 3.4), dpi=120)
    width = 0.8 / max(1, len(subsets))
    colors = {"E": "#1f6feb", "H": "#e8590c", "HD": "#a61e4d"}
    for j, s in enumerate(subsets):
        vals = [100 * m.get(f"accuracy/{s}" if g == "all" else f"accuracy/{s}/{g}", math.nan) for g in groups]
        xs = [i + (j - (len(subsets) - 1) / 2) * width for i in range(len(groups))]
        ax.bar(xs, vals, width, label=s, color=colors.get(s))
    ax.set_xticks(range(len(groups)), groups)
    ax.set_ylabel("exact match (%)")
    ax.set_ylim(0, 100)
    ax.set_title(f"{results['bench']} · {results['model']} · n={results['n_samples']}", fontsize=9)
    ax.legend(frameon=False, fontsize=8)
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return True


def print_summary(results: dict[str, Any], out: Path) -> None:
    """A rich table of the headline numbers on stdout."""
    from rich.console import Console
    from rich.table import Table

    m = results["metrics"]
    subsets = _subsets(m)
    t = Table(title=f"{results['bench']} · {results['model']}" + (" (baseline)" if results.get("baseline") else ""))
    t.add_column("subset")
    t.add_column("n", justify="right")
    for col in ("exact match %", "relaxed %", "ANLS %"):
        t.add_column(col, justify="right")
    for s in subsets:
        t.add_row(s, str(int(m.get(f"n/{s}", 0))), _pct(m.get(f"accuracy/{s}")), _pct(m.get(f"relaxed/{s}")),
                  _pct(m.get(f"anls/{s}")))
    c = Console()
    c.print(t)
    for pair in _gap_pairs(m):
        c.print(f"gap {pair}: {gap_text(m, pair)}")
    for n in results.get("notes", []):
        c.print(f"[yellow]note:[/] {n}")
    c.print(f"results: {out}/results.json, {out}/samples.jsonl, {out}/report.md")
