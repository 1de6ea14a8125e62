"""Scorecards per second on one core: simulate matches, draw every image, encode PNG.

    python benchmarks/scorecard_speed.py [--matches 200] [--devanagari]

Each match is drawn in every template, in English and Hindi (``--devanagari``
adds Hindi with Devanagari digits); a T20/ODI match is one image per look, a
Test one image per innings. Drawing is timed apart from PNG encoding, and
encoding is timed for several settings (zlib level 1, Pillow's default level 6,
and a 256-colour palette) so the choice in ``draw.encode_png`` can be checked.
The first few matches warm the caches (fonts, glyph atlas, compiled kernels)
and are not counted.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("NUMBA_NUM_THREADS", "1")

import argparse
import io
import random
import time

from PIL import Image

from mmx.eval.benches.mmcric.draw import TEMPLATES, card_pages, draw_scorecard, encode_png
from mmx.eval.benches.mmcric.match import simulate_match


def _png(img: Image.Image, **kw) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "PNG", **kw)
    return buf.getvalue()


ENCODERS = {
    "encode_png (level 1)": encode_png,
    "encode_png level 6": lambda im: encode_png(im, 6),
    "encode_png level 9": lambda im: encode_png(im, 9),
    "RGB level 1": lambda im: _png(im, compress_level=1),
    "RGB level 6": lambda im: _png(im),
    "RGB level 9": lambda im: _png(im, compress_level=9),
    "palette 256 + level 1": lambda im: _png(im.quantize(256, method=Image.Quantize.FASTOCTREE), compress_level=1),
    "palette 256 + level 6": lambda im: _png(im.quantize(256, method=Image.Quantize.FASTOCTREE)),
}


def images_of(m, combos):
    pages = card_pages(m)
    for template in TEMPLATES:
        for lang, digits in combos:
            for inn in pages:
                yield template, lang, digits, inn


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--matches", type=int, default=200)
    ap.add_argument("--warmup", type=int, default=5)
    ap.add_argument("--devanagari", action="store_true", help="also draw Hindi with Devanagari digits")
    ap.add_argument("--encode-sample", type=int, default=60, help="images on which to compare encoders")
    args = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # one core
    combos = [("en", "western"), ("hi", "western")] + ([("hi", "devanagari")] if args.devanagari else [])

    for i in range(args.warmup):
        m = simulate_match(random.Random(10_000 + i))
        for t, lang, digits, inn in images_of(m, combos):
            encode_png(draw_scorecard(m, inn, t, lang, digits))

    t_sim = t_draw = t_enc = 0.0
    n_img = 0
    n_bytes = 0
    per_format: dict[str, list[float]] = {}
    sample: list[Image.Image] = []
    for i in range(args.matches):
        t0 = time.perf_counter()
        m = simulate_match(random.Random(i))
        t_sim += time.perf_counter() - t0
        for t, lang, digits, inn in images_of(m, combos):
            t0 = time.perf_counter()
            img = draw_scorecard(m, inn, t, lang, digits)
            t1 = time.perf_counter()
            data = encode_png(img)
            t2 = time.perf_counter()
            t_draw += t1 - t0
            t_enc += t2 - t1
            n_img += 1
            n_bytes += len(data)
            per_format.setdefault(m.format, []).append(t1 - t0)
            if len(sample) < args.encode_sample and n_img % 7 == 0:
                sample.append(img)

    print(f"{args.matches} matches, {n_img} images ({', '.join(f'{lang}/{d}' for lang, d in combos)}; "
          f"{len(TEMPLATES)} templates), one core")
    print(f"  simulate            {args.matches / t_sim:8.1f} matches/s")
    print(f"  draw                {n_img / t_draw:8.1f} scorecards/s  ({1e3 * t_draw / n_img:.1f} ms each)")
    for fmt, ts in sorted(per_format.items()):
        print(f"    {fmt:5s}             {1e3 * sum(ts) / len(ts):8.1f} ms per image ({len(ts)} images)")
    print(f"  encode_png          {n_img / t_enc:8.1f} scorecards/s  ({1e3 * t_enc / n_img:.1f} ms each, "
          f"{n_bytes / n_img / 1024:.0f} KiB mean)")
    print(f"  draw + encode_png   {n_img / (t_draw + t_enc):8.1f} scorecards/s")
    print(f"  everything          {n_img / (t_sim + t_draw + t_enc):8.1f} scorecards/s (simulation included)")
    print(f"\nencoders on {len(sample)} images:")
    for name, enc in ENCODERS.items():
        t0 = time.perf_counter()
        size = sum(len(enc(im)) for im in sample)
        dt = time.perf_counter() - t0
        print(f"  {name:24s} {1e3 * dt / len(sample):6.1f} ms  {size / len(sample) / 1024:6.0f} KiB")


if __name__ == "__main__":
    main()
