"""Compression vs legibility over a corpus: the table of docs/compression.md.

    python experiments/compression.py --corpus ../shared/corpora/parallel --out docs

For the seetok, pixel and page profiles: mean subword tokens (Qwen2.5 BPE),
visual tokens and their ratio per language, each with the OCR read-back
character error rate. Then a sweep over folded-strip settings (strip height and
font size, 14 px patches merged 2x2 as in Qwen2.5-VL) for the setting with the
highest mean ratio at a mean read-back error of at most 5%.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from rich.console import Console

from mmx.render.profiles import get_profile
from mmx.render.tokens import account, bar_chart, load_tokenizer

SWEEP = [
    # (strip height, font size) for a folded 224 px wide strip, 14 px patches, 2x2 merge
    (14, 7.0), (14, 8.0), (14, 8.5), (14, 9.0), (14, 9.5), (14, 10.0),
]
# 28 px strips (two patch rows a row) were swept before and stay far below the
# 14 px ones in ratio (at most 2.34 at 12 px text), so they are left out.


def run_profile(corpus: str, profile, tokenizer, ocr_lines: int, max_lines: int | None, console: Console, document: bool = False) -> dict:
    t = time.time()
    rows = list(account(corpus, profile, tokenizer, ocr_lines=ocr_lines, max_lines=max_lines, document=document))
    valid = [r for r in rows if r.get("ratio")]
    cers = [r["cer"] for r in valid if r.get("cer") is not None]
    out = {
        "profile": profile.name,
        "settings": {"height": profile.height, "font_size": profile.font_size, "patch_size": profile.patch_size, "layout": profile.layout},
        "document": document,
        "rows": rows,
        "mean_ratio": statistics.mean(r["ratio"] for r in valid),
        "mean_cer": statistics.mean(cers) if cers else None,
        "languages_with_ocr": len(cers),
        "clipped_lines": sum(r["clipped_lines"] for r in valid),
        "missing_glyphs": sum(r["missing_glyphs"] for r in valid),
        "seconds": round(time.time() - t, 1),
        "measured": time.strftime("%Y-%m-%d", time.gmtime()),
    }
    console.print(f"{profile.name} h={profile.height} font={profile.font_size}: mean ratio {out['mean_ratio']:.2f}, "
                  f"mean CER {100 * (out['mean_cer'] or 0):.1f}% ({out['seconds']} s)")
    return out


def markdown(results: list[dict], sweep: list[dict], best: dict | None, args: argparse.Namespace) -> str:
    lines = ["# Compression and legibility", "",
             f"Produced by `python experiments/compression.py --corpus {args.corpus_label} --ocr-lines {args.ocr_lines} "
             f"--sweep-ocr-lines {args.sweep_ocr_lines}` (tokenizer {args.tokenizer}; token counts over every line, OCR "
             f"read-back on the first {args.ocr_lines} lines of each language, {args.sweep_ocr_lines} in the sweep). "
             "CER is pooled over the read lines; `n/a` where no installed OCR engine reads the script. "
             "Ink patches hold at least one inked pixel; fed patches are all patches of the images (what the model is fed); "
             "visual tokens are the fed patches after the profile's patch merging, and the ratio is subword tokens over them.", ""]
    for res in results:
        s = res["settings"]
        mode = "each language file rendered as one document; means per sentence" if res.get("document") else "one image per sentence"
        lines += [f"## `{res['profile']}` ({s['layout']}, {s['height']} px, font {s['font_size']:.1f} px, {s['patch_size']} px patches; {mode})", "",
                  "| language | chars | Qwen2.5 tokens | ink patches | fed patches | visual tokens | ratio | OCR CER | OCR |",
                  "|---|---:|---:|---:|---:|---:|---:|---:|---|"]
        for r in res["rows"]:
            cer = "n/a" if r["cer"] is None else f"{100 * r['cer']:.1f}%"
            lines.append(f"| {r['language']} | {r['chars']:.1f} | {r['tokens']:.1f} | {r['ink_patches']:.1f} | {r['fed_patches']:.1f} | "
                         f"{r['visual_tokens']:.1f} | {r['ratio']:.2f} | {cer} | {r['ocr'] or 'none'} |")
        mc = "n/a" if res["mean_cer"] is None else f"{100 * res['mean_cer']:.1f}%"
        lines += ["", f"Mean ratio **{res['mean_ratio']:.2f}**, mean OCR CER **{mc}**; renders with clipped ink {res['clipped_lines']}, "
                  f"missing glyphs {res['missing_glyphs']}.", "", f"![ratio by language](img/tokens_{res['profile']}.png)", ""]
    if sweep:
        lines += ["## Sweep: folded strips (224 px rows, 14 px patches, 2x2 merge)", "",
                  "| strip height | font px | mean ratio | mean OCR CER | measured |", "|---:|---:|---:|---:|---|"]
        for res in sweep:
            s = res["settings"]
            mc = "n/a" if res["mean_cer"] is None else f"{100 * res['mean_cer']:.1f}%"
            # points kept from an earlier run (--reuse) carry no date: they came with the profiles above
            lines.append(f"| {s['height']} | {s['font_size']:g} | {res['mean_ratio']:.2f} | {mc} | {res.get('measured', 'with the profiles')} |")
        if best:
            s = best["settings"]
            lines += ["", f"Highest mean ratio with mean CER <= 5%: strip height {s['height']} px, font {s['font_size']:g} px: "
                      f"ratio **{best['mean_ratio']:.2f}** at CER **{100 * best['mean_cer']:.1f}%** "
                      f"(`mmx render TEXT --profile seetok --set height={s['height']} --set patch_size=14 --set font_size={s['font_size']:g}`).", ""]
        else:
            lines += ["", "No swept setting reached a mean CER of 5% or less.", ""]
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--corpus-label", default="../shared/corpora/parallel", help="how the corpus is named in the docs")
    ap.add_argument("--out", default="docs")
    ap.add_argument("--tokenizer", default="qwen2.5")
    ap.add_argument("--ocr-lines", type=int, default=20)
    ap.add_argument("--max-lines", type=int, default=None)
    ap.add_argument("--sweep-ocr-lines", type=int, default=10, help="OCR lines per language for each swept setting")
    ap.add_argument("--no-sweep", action="store_true")
    ap.add_argument("--sweep-settings", default=None, metavar="H:F,...",
                    help="swept (strip height, font px) pairs, e.g. 14:8.75 (default: the SWEEP list); with --reuse, "
                         "the earlier run's other sweep points are kept")
    ap.add_argument("--profiles", default="seetok,pixel,page", help='comma-separated, or "none" (e.g. to run only the sweep)')
    ap.add_argument("--reuse", help="compression.json of an earlier run: keep its results for profiles not run now")
    args = ap.parse_args()
    console = Console(stderr=True)
    out = Path(args.out)
    (out / "img").mkdir(parents=True, exist_ok=True)
    tokenizer = load_tokenizer(args.tokenizer)
    results = []
    names = [] if args.profiles == "none" else args.profiles.split(",")
    for name in names:
        # Pages are dense documents (Glyph, DeepSeek-OCR): one page per sentence would be mostly blank.
        res = run_profile(args.corpus, get_profile(name), tokenizer, args.ocr_lines, args.max_lines, console, document=name == "page")
        bar_chart(res["rows"], out / "img" / f"tokens_{name}.png", f"Qwen2.5 tokens per `{name}` visual token")
        results.append(res)
    sweep, best = [], None
    if args.reuse:
        old = json.loads(Path(args.reuse).read_text())
        results = [r for r in old["profiles"] if r["profile"] not in names] + results
        order = {"seetok": 0, "pixel": 1, "page": 2}
        results.sort(key=lambda r: order.get(r["profile"], 9))
        sweep = old.get("sweep", []) if args.no_sweep or args.sweep_settings else []
        if args.no_sweep and old.get("sweep_args"):
            args.sweep_ocr_lines = old["sweep_args"]["sweep_ocr_lines"]
        ok = [r for r in sweep if r["mean_cer"] is not None and r["mean_cer"] <= 0.05]
        best = max(ok, key=lambda r: r["mean_ratio"]) if ok else None
    if not args.no_sweep:
        settings = SWEEP
        if args.sweep_settings:
            settings = [(int(h), float(f)) for h, f in (x.split(":") for x in args.sweep_settings.split(","))]
            sweep = [r for r in sweep if (r["settings"]["height"], r["settings"]["font_size"]) not in settings]
        for height, size in settings:
            prof = get_profile("seetok", height=height, font_size=size, name=f"seetok_h{height}_f{size:g}")
            sweep.append(run_profile(args.corpus, prof, tokenizer, args.sweep_ocr_lines, args.max_lines, console))
        sweep.sort(key=lambda r: (r["settings"]["height"], r["settings"]["font_size"]))
        ok = [r for r in sweep if r["mean_cer"] is not None and r["mean_cer"] <= 0.05]
        best = max(ok, key=lambda r: r["mean_ratio"]) if ok else None
    (out / "compression.json").write_text(json.dumps({"profiles": results, "sweep": sweep, "sweep_args": {"sweep_ocr_lines": args.sweep_ocr_lines}}, indent=1, default=str))
    (out / "compression.md").write_text(markdown(results, sweep, best, args))
    console.print(f"wrote {out / 'compression.md'}")


if __name__ == "__main__":
    main()
