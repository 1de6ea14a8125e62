"""Human-readable views of ``results.json``: ``report.md``, a PNG by category, a terminal table.

Nothing here knows a bench: the tables follow the bench class's ``score_fields`` (which
per-sample scores to show, the first being the headline), ``subset_order``,
``extra_subset_metrics`` and ``group_fields``; a bench adds its own sections through
``report_sections(results)`` and states its scoring rule in ``scoring_note``.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

PLOT = "by_category.png"


def _subsets(metrics: dict[str, float], prefix: str, order: tuple[str, ...] = ()) -> list[str]:
    found = {k.split("/")[1] for k in metrics if k.startswith(prefix + "/") and k.count("/") == 1}
    first = [s for s in order if s in found]
    return first + sorted(found - set(first))


def _categories(metrics: dict[str, float], prefix: str, subsets: list[str]) -> list[str]:
    cats = set()
    for k in metrics:
        parts = k.split("/")
        if parts[0] == prefix and len(parts) == 3 and parts[1] in subsets:
            cats.add(parts[2])
    return sorted(cats)


def fmt(x: float | None, percent: bool = True) -> str:
    """A score for a table: percent with one decimal (or 3 decimals), ``-`` when missing."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "-"
    return f"{100 * x:.1f}" if percent else f"{x:.3f}"


def heading(label: str) -> str:
    """A metric's label at the start of a heading: its first letter upper-cased, the rest as
    written ("MRR", "Hit@10", "exact match" -> "Exact match"), where ``str.capitalize`` would
    write "Mrr"."""
    return label[:1].upper() + label[1:]


def share_clauses(metrics: dict[str, float], pair: str) -> str:
    """``; same answer on 75.0% of pairs, same correctness on 50.0%`` for the pair's agreement and
    consistency; a share the bench does not compute (geneval has no "same answer") is left out."""
    agree, same = metrics.get(f"agreement/{pair}"), metrics.get(f"consistency/{pair}")
    parts = []
    if fmt(agree) != "-":
        parts.append(f"same answer on {fmt(agree)}% of pairs")
    if fmt(same) != "-":
        parts.append(f"same correctness on {fmt(same)}%" + ("" if parts else " of pairs"))
    return "; " + ", ".join(parts) if parts else ""


def _gap_pairs(metrics: dict[str, float]) -> list[str]:
    return [k.split("/")[1] for k in metrics if k.startswith("gap/") and k.count("/") == 1]


def gap_text(metrics: dict[str, float], pair: str, percent: bool = True) -> str:
    """``+12.5 pts [95% CI +5.6, +20.8] over 72 pairs`` for the gap ``pair`` (``E-H``)."""
    g = metrics.get(f"gap/{pair}")
    lo, hi = metrics.get(f"gap/{pair}/ci_lo"), metrics.get(f"gap/{pair}/ci_hi")
    n = int(metrics.get(f"gap/{pair}/n_pairs") or 0)
    if g is None or math.isnan(g):
        return "- (no pairs)"
    k, unit = (100, " pts") if percent else (1, "")
    return (f"{k * g:+.1f}{unit} [95% CI {k * lo:+.1f}, {k * hi:+.1f}] over {n} pair{'s' if n != 1 else ''}"
            if percent else f"{g:+.3f} [95% CI {lo:+.3f}, {hi:+.3f}] over {n} pair{'s' if n != 1 else ''}")


def write_report(out: Path, results: dict[str, Any], bench_cls: Any) -> None:
    """``report.md`` and ``by_category.png`` (when matplotlib is installed) beside results.json."""
    m = results["metrics"]
    fields = list(bench_cls.score_fields.values())
    head_prefix, head_label = fields[0]
    pct = bool(getattr(bench_cls, "as_percent", True))
    unit = " (%)" if pct else ""
    extra = dict(getattr(bench_cls, "extra_subset_metrics", {}))
    subsets = _subsets(m, head_prefix, bench_cls.subset_order)
    cats = _categories(m, head_prefix, subsets)
    lines = [f"# {results['bench']} · {results['model']}", ""]
    if results.get("baseline"):
        lines += ["> This model is a **baseline**: read its numbers as a floor.", ""]
    lines += [f"Data: {results['data']} · split: {results['split']} · samples: {results['n_samples']} · "
              f"created {results['created']} · mmx {results['versions'].get('mmx')} · git {results.get('git_sha') or '-'}", ""]
    cols = [label for _, label in fields] + list(extra.values())
    lines += [f"## {heading(head_label)} by subset{unit}", "", "| subset | n | " + " | ".join(cols) + " |",
              "|---|---:|" + "---:|" * len(cols)]
    for s in subsets:
        vals = [fmt(m.get(f"{p}/{s}"), pct) for p, _ in fields] + [fmt(m.get(f"{p}/{s}"), True) for p in extra]
        lines.append(f"| {s} | {int(m.get(f'n/{s}', 0))} | " + " | ".join(vals) + " |")
    pairs = _gap_pairs(m)
    if pairs:
        lines += ["", f"## Cross-form gap ({head_label}, paired items)", ""]
        for pair in pairs:
            lines.append(f"- **{pair}**: {gap_text(m, pair, pct)}{share_clauses(m, pair)}")
    if cats:
        lines += _table(f"{heading(head_label)} by category{unit}", "category", cats, subsets,
                        lambda c, s: m.get(f"{head_prefix}/{s}/{c}"), pct)
    for g in bench_cls.group_fields:
        values = sorted({k.split("/")[3] for k in m if k.startswith(f"{head_prefix}/") and f"/{g}/" in k})
        if values:
            lines += _table(f"{heading(head_label)} by {g}{unit}", g, values, subsets,
                            lambda v, s, g=g: m.get(f"{head_prefix}/{s}/{g}/{v}"), pct)
    lines += bench_cls.report_sections(results, out)
    if results.get("notes"):
        lines += ["", "## Notes", ""] + [f"- {n}" for n in results["notes"]]
    if cats and _plot(out / PLOT, m, head_prefix, head_label, subsets, cats, results, pct):
        lines += ["", f"![{head_label} by category]({PLOT})"]
    if bench_cls.scoring_note:
        lines += ["", bench_cls.scoring_note]
    lines.append("")
    (out / "report.md").write_text("\n".join(lines), encoding="utf-8")


def _table(title: str, first: str, rows: list[str], subsets: list[str], get: Any, pct: bool) -> list[str]:
    out = ["", f"## {title}", "", f"| {first} | " + " | ".join(subsets) + " |", "|---|" + "---:|" * len(subsets)]
    for r in rows:
        out.append(f"| {r} | " + " | ".join(fmt(get(r, s), pct) for s in subsets) + " |")
    return out


def _plot(path: Path, m: dict[str, float], prefix: str, label: str, subsets: list[str], cats: list[str],
          results: dict[str, Any], pct: bool) -> bool:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    groups = ["all", *cats]
    k = 100 if pct else 1
    fig, ax = plt.subplots(figsize=(1.6 + 1.3 * len(groups), 3.4), dpi=120)
    width = 0.8 / max(1, len(subsets))
    for j, s in enumerate(subsets):
        vals = [k * m.get(f"{prefix}/{s}" if g == "all" else f"{prefix}/{s}/{g}", math.nan) for g in groups]
        xs = [i + (j - (len(subsets) - 1) / 2) * width for i in range(len(groups))]
        ax.bar(xs, vals, width, label=s)
    ax.set_xticks(range(len(groups)), groups)
    ax.set_ylabel(label + (" (%)" if pct else ""))
    ax.set_ylim(0, k)
    ax.set_title(f"{results['bench']} · {results['model']} · n={results['n_samples']}", fontsize=9)
    ax.legend(frameon=False, fontsize=8)
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return True


def print_summary(results: dict[str, Any], out: Path, bench_cls: Any) -> None:
    """A rich table of the headline numbers on stdout (numbers are never cut)."""
    from rich.table import Table

    from mmx.console import print_table

    m = results["metrics"]
    fields = list(bench_cls.score_fields.values())
    pct = bool(getattr(bench_cls, "as_percent", True))
    subsets = _subsets(m, fields[0][0], bench_cls.subset_order)
    t = Table(title=f"{results['bench']} · {results['model']}" + (" (baseline)" if results.get("baseline") else ""))
    t.add_column("subset", no_wrap=True)
    t.add_column("n", justify="right", no_wrap=True)
    for _, label in fields:
        t.add_column(label + (" %" if pct else ""), justify="right", no_wrap=True)
    for s in subsets:
        t.add_row(s, str(int(m.get(f"n/{s}", 0))), *(fmt(m.get(f"{p}/{s}"), pct) for p, _ in fields))
    lines = [f"gap {pair}: {gap_text(m, pair, pct)}" for pair in _gap_pairs(m)]
    lines += [f"note: {n}" for n in results.get("notes", [])]
    lines.append(f"results: {out}/results.json, {out}/samples.jsonl, {out}/report.md")
    print_table(t, *lines)
