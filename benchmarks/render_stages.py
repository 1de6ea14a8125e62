"""Where the time of an unseen line goes: microseconds per line per renderer stage.

    python benchmarks/render_stages.py --corpus ../shared/corpora/parallel [--languages arb_Arab,hin_Deva] [--cprofile 15]

Same method as `mmx bench render` (profile pixel_renderer, one core, every
language's first half rendered first, mmx's text caches cleared, then the second
halves timed), with a timer around each stage: bidi levels, itemization,
shaping (HarfBuzz and its cache), glyph lookup and first-time rasterization,
composition (the compiled draw), and the rest (Python glue, result objects).
Times are CPU time of this process (time.process_time), so other load on the machine
inflates them less than wall time; the timers add overhead of their own, so read
the shares, not the totals. With ``--cprofile N`` the timed passes run under
cProfile instead (no stage timers) and the N functions with the most time of
their own are printed after the table: which Python functions and compiled
calls a language's lines spend their time in.
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict

import mmx.render.engine as engine
import mmx.render.itemize as itemize
import mmx.render.raster as raster
import mmx.render.shaping as shaping
import mmx.render.strip as strip
from mmx.render import _hb, _kernels
from mmx.render.speed import clear_text_caches, one_core
from mmx.render.tokens import corpus_files, read_lines

_spent: dict[str, float] = defaultdict(float)
_stack: list[list] = []  # [stage, start, time spent in nested stages]


def _timed(stage: str, fn):
    """Wrap ``fn`` so that its time, less that of nested stages, counts for ``stage``."""

    def wrapper(*args, **kwargs):
        _stack.append([stage, time.process_time(), 0.0])
        try:
            return fn(*args, **kwargs)
        finally:
            st, t0, inner = _stack.pop()
            dt = time.process_time() - t0
            _spent[st] += dt - inner
            if _stack:
                _stack[-1][2] += dt

    return wrapper


STAGES = {
    "bidi": "bidi levels (ICU)",
    "itemize": "itemization (faces, scripts, runs)",
    "shape": "shaping (HarfBuzz)",
    "position": "glyph positions and atlas slots (compiled)",
    "glyphs": "atlas lookup of glyphs seen for the first time",
    "raster": "first-time rasterization (FreeType)",
    "compose": "composition (compiled draw)",
}


def _instrument() -> None:
    engine.bidi_levels = _timed("bidi", engine.bidi_levels)
    strip.bidi_levels = _timed("bidi", strip.bidi_levels)
    itemize.Itemizer.line_runs = _timed("itemize", itemize.Itemizer.line_runs)
    strip.StripPath._token_runs = _timed("itemize", strip.StripPath._token_runs)
    shaping.shape_raw = _timed("shape", shaping.shape_raw)
    _hb.shape_line = _timed("shape", _hb.shape_line)
    raster.GlyphAtlas.lookup = _timed("glyphs", raster.GlyphAtlas.lookup)
    raster.GlyphAtlas._add = _timed("raster", raster.GlyphAtlas._add)
    raster.GlyphAtlas._add_many = _timed("raster", raster.GlyphAtlas._add_many)
    _kernels.gather_max = _timed("compose", _kernels.gather_max)
    _kernels.draw_strip = _timed("compose", _kernels.draw_strip)
    _kernels.place_span = _timed("position", _kernels.place_span)
    _kernels.place_runs = _timed("position", _kernels.place_runs)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--languages", default=None, help="comma-separated codes (default: all)")
    ap.add_argument("--cprofile", type=int, default=0, help="profile the timed passes; print this many functions")
    args = ap.parse_args()
    want = set(args.languages.split(",")) if args.languages else None
    data = [(c, read_lines(p, None)) for c, p in corpus_files(args.corpus) if want is None or c in want]
    r = engine.Renderer("pixel_renderer")
    for _c, lines in data:
        for line in lines[: len(lines) // 2]:
            r.render(line)
    prof = None
    if args.cprofile:
        import cProfile

        prof = cProfile.Profile()
    else:
        _instrument()
    stages = list(STAGES)
    n = 0
    total = 0.0
    with one_core():
        for _c, lines in data:
            clear_text_caches(r)
            timed = lines[len(lines) // 2 :]
            t = time.process_time()
            if prof is not None:
                prof.enable()
            for line in timed:
                r.render(line)
            if prof is not None:
                prof.disable()
            total += time.process_time() - t
            n += len(timed)
    rest = total - sum(_spent[s] for s in stages)
    print(f"{n} unseen lines, {n / total:.0f} lines/s with timers")
    print("| stage | us per line | share |")
    print("|---|---:|---:|")
    for s in stages:
        print(f"| {STAGES[s]} | {1e6 * _spent[s] / n:.1f} | {100 * _spent[s] / total:.0f}% |")
    print(f"| rest (Python glue, results) | {1e6 * rest / n:.1f} | {100 * rest / total:.0f}% |")
    print(f"| **total** | **{1e6 * total / n:.1f}** | |")
    if prof is not None:
        import pstats

        print(f"\ncProfile of the timed passes ({n} lines; the profiler's own overhead inflates small calls):")
        pstats.Stats(prof).sort_stats("tottime").print_stats(args.cprofile)


if __name__ == "__main__":
    main()
