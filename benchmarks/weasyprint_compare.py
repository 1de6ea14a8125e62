"""Scorecards through WeasyPrint (HTML/CSS -> PDF -> pdfium raster) against mmx's drawing path.

MMCricBench's authors rendered with WeasyPrint; mmx draws cells with its own
renderer. This times both on the same limited-overs matches and the same cell
strings, side by side in one run on one core, and saves one Hindi card from each
path for a look at the shaping:

    pip install weasyprint pypdfium2      # not mmx dependencies; this script only
    OMP_NUM_THREADS=1 python benchmarks/weasyprint_compare.py --matches 30 --out docs/img

Both paths end in PNG bytes of a ~1000 px wide card.
"""

from __future__ import annotations

import argparse
import html
import io
import random
import statistics
import time
from pathlib import Path

CSS = """
@page { size: 1000px 1800px; margin: 0 }
body { font-family: 'Noto Sans', 'Noto Sans Devanagari', sans-serif; font-size: 14px; margin: 20px; color: #222 }
h1 { background: #0b4a8b; color: white; font-size: 22px; padding: 12px 20px; margin: -20px -20px 10px }
.meta { color: #555; margin-bottom: 12px }
h2 { color: #0b4a8b; font-size: 17px; border-bottom: 2px solid #0b4a8b; margin: 14px 0 4px }
table { border-collapse: collapse; width: 100%; margin-bottom: 8px }
th { text-align: right; font-size: 12px; background: #f1f4f8; padding: 3px 6px }
td { text-align: right; padding: 3px 6px; border-bottom: 1px solid #eee }
td:first-child, th:first-child, td:nth-child(2) { text-align: left }
tr:nth-child(even) td { background: #f7f9fc }
.line { margin: 4px 0 }
.result { background: #fff6dd; border-left: 4px solid #f0b400; padding: 8px 14px; font-weight: bold }
"""


def to_html(card) -> str:
    e = html.escape
    parts = [f"<html><head><style>{CSS}</style></head><body><h1>{e(card.title)}</h1>",
             f"<div class='meta'>{' · '.join(e(x) for x in card.meta)}</div>"]
    for inn in card.innings:
        parts.append(f"<h2>{e(inn.title)} <span style='float:right'>{e(inn.score)}</span></h2><table><tr>")
        parts += [f"<th>{e(h)}</th>" for h in inn.bat_head]
        parts.append("</tr>")
        for row in [*inn.bat_rows, (inn.extras[0], inn.extras[1], inn.extras[2], "", "", "", ""),
                    (inn.total[0], inn.total[1], inn.total[2], "", "", "", "")]:
            parts.append("<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>")
        parts.append("</table>")
        if inn.dnb:
            parts.append(f"<div class='line'><b>{e(inn.dnb_label)}</b> {e(' '.join(inn.dnb))}</div>")
        if inn.fow:
            parts.append(f"<div class='line'><b>{e(inn.fow_label)}</b> {e(' '.join(inn.fow))}</div>")
        parts.append("<table><tr>" + "".join(f"<th>{e(h)}</th>" for h in inn.bowl_head) + "</tr>")
        for row in inn.bowl_rows:
            parts.append("<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>")
        parts.append("</table>")
    if card.result:
        parts.append(f"<div class='result'>{e(card.result[0])} {e(card.result[1])}</div>")
    return "".join(parts) + "</body></html>"


def weasy_png(doc: str) -> bytes:
    import pypdfium2
    import weasyprint

    pdf = weasyprint.HTML(string=doc).write_pdf()
    page = pypdfium2.PdfDocument(pdf)[0]
    # CSS px are 1/96 in and PDF points 1/72 in: scale 96/72 keeps 1000 CSS px = 1000 pixels
    img = page.render(scale=96 / 72).to_pil()
    buf = io.BytesIO()
    img.save(buf, "PNG", compress_level=1)
    return buf.getvalue()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--matches", type=int, default=30)
    ap.add_argument("--out", help="folder for one Hindi card from each path")
    args = ap.parse_args()

    from mmx.eval.benches.mmcric.card import build_card
    from mmx.eval.benches.mmcric.draw import draw_scorecard, encode_png
    from mmx.eval.benches.mmcric.match import simulate_match

    matches = [simulate_match(random.Random(f"wp-{i}"), random.choice(["T20", "ODI"])) for i in range(args.matches)]
    jobs = [(m, lang) for m in matches for lang in ("en", "hi")]
    # warm both paths (fonts, glyph caches, WeasyPrint's font config) on other matches
    for m in (simulate_match(random.Random("warm-1"), "T20"), simulate_match(random.Random("warm-2"), "ODI")):
        for lang in ("en", "hi"):
            encode_png(draw_scorecard(m, [0, 1], "classic", lang=lang))
            weasy_png(to_html(build_card(m, [0, 1], lang, "western")))
    t_mmx: list[float] = []
    t_wp: list[float] = []
    for i, (m, lang) in enumerate(jobs):
        order = (0, 1) if i % 2 == 0 else (1, 0)  # alternate which path goes first
        for which in order:
            t = time.perf_counter()
            if which == 0:
                png_mmx = encode_png(draw_scorecard(m, [0, 1], "classic", lang=lang))
                t_mmx.append(time.perf_counter() - t)
            else:
                png_wp = weasy_png(to_html(build_card(m, [0, 1], lang, "western")))
                t_wp.append(time.perf_counter() - t)
        if args.out and lang == "hi" and i == 1:
            Path(args.out).mkdir(parents=True, exist_ok=True)
            Path(args.out, "weasyprint_hi.png").write_bytes(png_wp)
            Path(args.out, "mmx_hi.png").write_bytes(png_mmx)
    a, b = statistics.median(t_mmx), statistics.median(t_wp)
    print(f"{len(jobs)} cards (T20/ODI, en + hi), one core, PNG out, medians:")
    print(f"  mmx draw + encode_png     {1e3 * a:7.1f} ms  ({1 / a:6.1f} cards/s)")
    print(f"  WeasyPrint + pdfium + PNG {1e3 * b:7.1f} ms  ({1 / b:6.1f} cards/s)")
    print(f"  mmx is {b / a:.1f}x faster")


if __name__ == "__main__":
    main()
