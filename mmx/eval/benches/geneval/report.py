"""geneval's report sections: a language x task heat map, failure reasons counted, example images."""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from mmx.textio import read_jsonl
from mmx.worlds.geneval import COLORS, TAGS

HEATMAP = "geneval_heatmap.png"
#: the row of the per-language table that averages the languages (variants left out)
MEAN_ROW = "mean"
#: the row that averages the code-mixed and romanized variants (``fr-en-first``, ``hi-roman``)
VARIANTS_ROW = "variants-mean"
#: rows that summarize other rows (not a subset of their own)
SUMMARY_ROWS = (MEAN_ROW, VARIANTS_ROW)


def sections(results: dict[str, Any], out_dir: Path, order: Sequence[str], labels: Mapping[str, str]) -> list[str]:
    """Markdown for ``report.md`` (and the heat map PNG beside it, in ``out_dir``)."""
    m = results["metrics"]
    langs = [k.split("/")[1] for k in m if k.startswith("accuracy/") and k.count("/") == 1]
    langs = [x for x in order if x in langs] + sorted(set(langs) - set(order))
    tags = [t for t in TAGS if any(f"{t}/{x}" in m for x in langs)]
    lines: list[str] = []
    if _heatmap(out_dir / HEATMAP, m, langs, tags, results, labels):
        lines += ["", f"![GenEval by language and task]({HEATMAP})"]
    records = _read_records(out_dir)
    reasons: dict[str, Counter[str]] = defaultdict(Counter)
    for r in records:
        for v in r.get("images", []):
            if not v.get("correct"):
                for kind in _reason_kinds(v.get("reason", "")):
                    reasons[kind][r["subset"]] += 1
    if reasons:
        rl = [x for x in langs if x not in SUMMARY_ROWS and "@" not in x]  # en@heldout: a row over en's records
        lines += ["", "## Failure reasons (images)", "", "| reason | " + " | ".join(rl) + " |",
                  "|---|" + "---:|" * len(rl)]
        for kind, c in sorted(reasons.items(), key=lambda kv: -sum(kv[1].values())):
            lines.append(f"| {kind} | " + " | ".join(str(c.get(x, 0)) for x in rl) + " |")
    examples = _examples(records)
    if examples:
        lines += ["", "## Example images", ""]
        for r, v in examples:
            why = v["reason"].replace("\n", "; ") if not v["correct"] else "correct"
            lines.append(f"- `{r['subset']}` {r['metadata']['tag']}: \"{r['metadata']['prompt']}\" -> **{why}**"
                         + (f"<br>![{r['id']}]({v['filename']})" if v["status"] == "ok" else ""))
    lines += ["", "GenEval's own `results.jsonl` (read by its summary script) is in "
              "`geneval/<language>/results.jsonl`."]
    return lines


_KINDS = [(re.compile(r"^expected \S.*<\d+, found"), "too many (exclude clause)"),
          (re.compile(r"^expected (" + "|".join(COLORS) + r") .*>=\d+, found \d+ "), "wrong colour"),
          (re.compile(r"^expected .*>=\d+, found \d+$"), "too few objects"),
          (re.compile(r"^no target for "), "position: reference object failed"),
          (re.compile(r"^expected .* (left of|right of|above|below) target"), "wrong position"),
          (re.compile(r"^missing image"), "missing image"), (re.compile(r"^unreadable image"), "unreadable image")]


def _reason_kinds(reason: str) -> list[str]:
    out = []
    for line in reason.split("\n"):
        if line:
            out.append(next((k for rx, k in _KINDS if rx.search(line)), "other"))
    return out


def _read_records(out: Path) -> list[dict[str, Any]]:
    path = out / "samples.jsonl"
    if not path.is_file():
        return []
    return read_jsonl(path, objects=True, torn_tail_ok=True)


def _examples(records: Sequence[Mapping[str, Any]], n_fail: int = 4, n_pass: int = 2) -> list[tuple[Any, Any]]:
    """A few failing images of different reasons, then a few correct ones."""
    fails, passes, seen = [], [], set()
    for r in records:
        for v in r.get("images", []):
            if v.get("correct"):
                if len(passes) < n_pass and r["category"] not in {p[0]["category"] for p in passes}:
                    passes.append((r, v))
            elif len(fails) < n_fail:
                kind = tuple(_reason_kinds(v.get("reason", "")))
                if kind not in seen:
                    seen.add(kind)
                    fails.append((r, v))
    return fails + passes


def _heatmap(path: Path, m: Mapping[str, float], langs: list[str], tags: list[str], results: Mapping[str, Any],
             labels: Mapping[str, str]) -> bool:
    """A language x task heat map of the scores (needs matplotlib; skipped without it)."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    if not langs or not tags:
        return False
    cols = [*tags, "overall"]
    grid = [[100 * m.get(f"{t}/{x}" if t != "overall" else f"accuracy/{x}", math.nan) for t in cols] for x in langs]
    fig, ax = plt.subplots(figsize=(1.2 + 1.1 * len(cols), 0.8 + 0.45 * len(langs)), dpi=120)
    im = ax.imshow(grid, vmin=0, vmax=100, cmap="viridis", aspect="auto")
    ax.set_xticks(range(len(cols)), [labels.get(c, c) for c in cols], rotation=30, ha="right", fontsize=8)
    ax.set_yticks(range(len(langs)), langs, fontsize=8)
    for i, row in enumerate(grid):
        for j, v in enumerate(row):
            if not math.isnan(v):
                ax.text(j, i, f"{v:.0f}", ha="center", va="center", fontsize=7, color="white" if v < 60 else "black")
    ax.set_title(f"{results['bench']} · {results['model']} (% correct images)", fontsize=9)
    fig.colorbar(im, ax=ax, fraction=0.03)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return True
