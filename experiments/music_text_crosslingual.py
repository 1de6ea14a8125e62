"""Cross-lingual text->music retrieval of a music-text model, and its CPU throughput.

The held-out tunes of music21's corpus (the fixed test subset of
``configs/music_text_tiny.yaml``) are the pool; each tune's description, written by
the same metadata templates in every language of ``mmx.music.corpus.LANGUAGES``, is a
query. Per language: MRR, Hit@1, Hit@10 (ties count against the target), and the gap
to English with a paired bootstrap interval over the tunes (``paired_gap``). Models
were trained on English descriptions only.

    OMP_NUM_THREADS=1 python experiments/music_text_crosslingual.py \\
        --model runs/music_text_tiny/version_0 --n 200 --out xling.json

Prints a Markdown table (docs/music.md holds the measured one) and writes the numbers
as JSON. ``--model`` is anything ``--model music-tiny --model-args model=`` takes
(default: the shipped weights).
"""

from __future__ import annotations

import argparse
import json
import os
import time

import numpy as np


def ranks_of(sim: np.ndarray) -> np.ndarray:
    """1-based rank of the diagonal item of each row, ties counted against it."""
    target = np.diag(sim)[:, None]
    return (sim >= target).sum(1)


def main() -> None:
    from mmx.adapters import create_model
    from mmx.adapters.base import EmbedRequest
    from mmx.eval.metrics.paired import paired_gap
    from mmx.music.corpus import LANGUAGES, describe, load_corpus, subset

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", default=None, help="run folder / export / .ckpt (default: shipped music-tiny)")
    ap.add_argument("--n", type=int, default=200, help="held-out tunes in the pool")
    ap.add_argument("--langs", default=",".join(LANGUAGES))
    ap.add_argument("--out", default=None, help="write the numbers here as JSON")
    ap.add_argument("--n-boot", type=int, default=2000)
    args = ap.parse_args()

    model = create_model("music-tiny", "embed", **({"model": args.model} if args.model else {}))
    tunes = subset(load_corpus().split("test"), args.n)
    t0 = time.perf_counter()
    music = model.embed([EmbedRequest(t.id, "music", t.abc) for t in tunes])
    music_s = time.perf_counter() - t0
    rows: dict[str, dict[str, float]] = {}
    rr: dict[str, dict[str, float]] = {}
    text_s = 0.0
    for lang in args.langs.split(","):
        texts = [describe(t.meta, lang) for t in tunes]
        t0 = time.perf_counter()
        emb = model.embed([EmbedRequest(f"{t.id}/{lang}", "text", s) for t, s in zip(tunes, texts)])
        text_s += time.perf_counter() - t0
        r = ranks_of(emb @ music.T)
        rr[lang] = {t.id: float(1.0 / k) for t, k in zip(tunes, r)}
        rows[lang] = {"mrr": float(np.mean(1.0 / r)), "hit@1": float(np.mean(r == 1)), "hit@10": float(np.mean(r <= 10))}
    n = len(tunes)
    random_mrr = float(np.mean([1.0 / k for k in range(1, n + 1)]))
    for lang in rows:
        if lang != "en" and "en" in rr:
            g = paired_gap(rr[lang], rr["en"], n_boot=args.n_boot)
            rows[lang].update(gap=g["gap"], gap_lo=g["lo"], gap_hi=g["hi"])
    n_texts = n * len(rows)
    result = {
        "model": model.describe(),
        "pool": n,
        "random_mrr": random_mrr,
        "languages": rows,
        "throughput": {"tunes_per_s": n / music_s, "texts_per_s": n_texts / text_s},
        "load_avg": os.getloadavg(),
        "omp_num_threads": os.environ.get("OMP_NUM_THREADS"),
    }
    print(f"pool: {n} held-out tunes; random MRR {random_mrr:.4f}; model: {result['model'].get('source')}")
    print("| language | script | MRR | Hit@1 | Hit@10 | gap to en (95% CI) |")
    print("|---|---|---|---|---|---|")
    for lang, m in rows.items():
        name, script = LANGUAGES[lang]
        gap = f"{m['gap']:+.3f} [{m['gap_lo']:+.3f}, {m['gap_hi']:+.3f}]" if "gap" in m else "-"
        print(f"| {name} ({lang}) | {script} | {m['mrr']:.3f} | {m['hit@1']:.3f} | {m['hit@10']:.3f} | {gap} |")
    tp = result["throughput"]
    print(f"throughput: {tp['tunes_per_s']:.1f} tunes/s, {tp['texts_per_s']:.1f} texts/s "
          f"(load average {result['load_avg'][0]:.1f})")
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            json.dump(result, f, indent=2, ensure_ascii=False)


if __name__ == "__main__":
    main()
