"""The error breakdown and the transliteration-aware scores of a subset, for results.json and report.md.

A bench whose records carry ``score`` (strict), ``translit`` (:func:`~mmx.eval.metrics.translit_match`),
``error`` (one of :data:`~mmx.eval.metrics.ERROR_KINDS`) and ``off`` (how far a wrong number is)
gets from :func:`breakdown_metrics` per subset ``accuracy_translit/S``, ``errors/KIND/S`` (counts,
summing to ``n/S``), ``number_off_mean/S`` and ``number_off_median/S`` (over wrong numbers), and
from :func:`translit_gaps` the paired gap under the translit scoring beside the strict one
(``gap_translit/A-B`` with ``ci_lo``, ``ci_hi``, ``n_pairs``; the same bootstrap as
``gap/A-B``). :func:`breakdown_section` writes both as report.md lines.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from typing import Any

from mmx.eval.metrics import ERROR_KINDS, paired_gap
from mmx.eval.report import fmt, gap_text

__all__ = ["breakdown_metrics", "breakdown_section", "translit_gaps"]


def breakdown_metrics(records: Sequence[dict[str, Any]], subsets: Sequence[str]) -> dict[str, float]:
    """Per subset: translit accuracy, the count of each error kind, and how far wrong numbers are."""
    out: dict[str, float] = {}
    for s in subsets:
        rs = [r for r in records if r.get("subset") == s and r.get("error") in ERROR_KINDS]
        if not rs:
            continue
        out[f"accuracy_translit/{s}"] = sum(float(r["translit"]) for r in rs) / len(rs)
        for kind in ERROR_KINDS:
            out[f"errors/{kind}/{s}"] = float(sum(r["error"] == kind for r in rs))
        offs = [float(r["off"]) for r in rs if r["error"] == "wrong_number" and r.get("off") is not None]
        if offs:
            out[f"number_off_mean/{s}"] = statistics.fmean(offs)
            out[f"number_off_median/{s}"] = float(statistics.median(offs))
    return out


def translit_gaps(records: Sequence[dict[str, Any]], pairs: Sequence[tuple[str, str]], n_boot: int,
                  seed: int) -> dict[str, float]:
    """``gap_translit/A-B`` (with its bootstrap 95% CI and pair count) for each pair of subsets."""
    out: dict[str, float] = {}
    for a, b in pairs:
        sa = {r["pair"]: float(r["translit"]) for r in records if r.get("subset") == a and r.get("error")}
        sb = {r["pair"]: float(r["translit"]) for r in records if r.get("subset") == b and r.get("error")}
        if not sa.keys() & sb.keys():
            continue
        g = paired_gap(sa, sb, n_boot=n_boot, seed=seed)
        out[f"gap_translit/{a}-{b}"] = g["gap"]
        out[f"gap_translit/{a}-{b}/ci_lo"], out[f"gap_translit/{a}-{b}/ci_hi"] = g["lo"], g["hi"]
        out[f"gap_translit/{a}-{b}/n_pairs"] = float(g["n"])
    return out


def breakdown_section(metrics: dict[str, float], subsets: Sequence[str], strict: str = "accuracy") -> list[str]:
    """report.md lines: per subset strict and translit accuracy and the error kinds, then each
    gap under both scorings. Empty when the metrics hold no breakdown."""
    shown = [s for s in subsets if f"accuracy_translit/{s}" in metrics]
    if not shown:
        return []
    kinds = list(ERROR_KINDS)
    lines = ["", "## Errors by kind, and scoring that accepts another spelling of a name", "",
             "| subset | n | strict (%) | translit (%) | " + " | ".join(ERROR_KINDS[k] for k in kinds)
             + " | wrong numbers off by (mean / median) |", "|---|---:|---:|---:|" + "---:|" * (len(kinds) + 1)]
    for s in shown:
        counts = [str(int(metrics.get(f"errors/{k}/{s}", 0))) for k in kinds]
        off = (f"{metrics[f'number_off_mean/{s}']:.3g} / {metrics[f'number_off_median/{s}']:.3g}"
               if f"number_off_mean/{s}" in metrics else "-")
        lines.append(f"| {s} | {int(sum(metrics.get(f'errors/{k}/{s}', 0) for k in kinds))} | "
                     f"{fmt(metrics.get(f'{strict}/{s}'))} | {fmt(metrics[f'accuracy_translit/{s}'])} | "
                     + " | ".join(counts) + f" | {off} |")
    gaps = [k.split("/")[1] for k in metrics if k.startswith("gap_translit/") and k.count("/") == 1]
    if gaps:
        lines += ["", "Gaps under both scorings (paired items, bootstrap 95% CI):", ""]
        for pair in gaps:
            translit = {f"gap/{pair}{end}": metrics[f"gap_translit/{pair}{end}"]
                        for end in ("", "/ci_lo", "/ci_hi", "/n_pairs")}
            lines.append(f"- **{pair}**: strict {gap_text(metrics, pair)}; translit {gap_text(translit, pair)}")
    lines += ["", "Translit: an answer strict match rejects counts right when the gold is a name and the answer "
              "has the same `mmx.text.translit.name_key` as the gold or as its spelling on the card (vowel "
              "length, aspiration, c/k, w/v, ai/e, au/o, double letters and a final schwa folded); numbers "
              "stay exact. Strict exact match stays the headline."]
    return lines
