"""First-time rasterization, glyph by glyph through ctypes against one compiled call per batch.

    python benchmarks/raster_speed.py --corpus ../shared/corpora/parallel

Records the rasterizations a timed pass of `mmx bench render` makes (profile
pixel_renderer: every language's first half rendered first, mmx's text caches
emptied, then the second halves; each call of `GlyphAtlas._add_many` with its
face, size and keys), then replays the same calls into fresh atlases twice:
through `GlyphAtlas._add` (FreeType's raw calls from Python, one glyph at a
time, as the renderer did before) and through `GlyphAtlas._add_many` (one
compiled call into FreeType per batch), alternating, and checks that both
atlases hold the same pixels. Prints CPU µs per glyph and per line, per
language and in all (process_time of this process, best of --repeats).
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict

import numpy as np

import mmx.render.raster as raster
from mmx.render.engine import Renderer
from mmx.render.speed import clear_text_caches, one_core
from mmx.render.tokens import corpus_files, read_lines


def _replay(calls: list[tuple], compiled: bool) -> tuple[float, raster.GlyphAtlas]:
    atlas = raster.GlyphAtlas()
    tables = {}
    for path, index, s26, _keys, coords, n in calls:  # faces opened and sized outside the timer
        tables[(path, index, s26, coords)] = atlas.table(path, index, s26, coords, n)
        atlas._face(path, index, s26, coords)
    t = time.process_time()
    for path, index, s26, keys, coords, _n in calls:
        table = tables[(path, index, s26, coords)]
        if compiled:
            atlas._add_many(path, index, s26, keys, coords, table)
        else:
            for k in keys.tolist():
                table[k] = atlas._add(path, index, s26, k // raster.SUBPIXEL, k % raster.SUBPIXEL, coords)
    return time.process_time() - t, atlas


def _same(a: raster.GlyphAtlas, b: raster.GlyphAtlas) -> bool:
    if a._tables.keys() != b._tables.keys():
        return False
    for key, ta in a._tables.items():
        tb = b._tables[key]
        if not np.array_equal(ta >= 0, tb >= 0):
            return False
        for sa, sb in zip(ta[ta >= 0].tolist(), tb[tb >= 0].tolist()):
            pa = slice(a.start[sa], a.start[sa] + a.length[sa])
            pb = slice(b.start[sb], b.start[sb] + b.length[sb])
            if not (np.array_equal(a.ys[pa], b.ys[pb]) and np.array_equal(a.xs[pa], b.xs[pb])
                    and np.array_equal(a.vals[pa], b.vals[pb])):
                return False
    return True


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    data = [(c, read_lines(p, None)) for c, p in corpus_files(args.corpus)]
    r = Renderer("pixel_renderer")
    for _c, lines in data:
        for line in lines[: len(lines) // 2]:
            r.render(line)
    calls: dict[str, list[tuple]] = defaultdict(list)
    record = raster.GlyphAtlas._add_many
    current = [""]

    def recording(self, path, index, s26, keys, coords, table):
        calls[current[0]].append((path, index, s26, np.array(keys), coords, table.size // raster.SUBPIXEL))
        return record(self, path, index, s26, keys, coords, table)

    raster.GlyphAtlas._add_many = recording
    n_lines = {}
    for code, lines in data:
        clear_text_caches(r)
        current[0] = code
        timed = lines[len(lines) // 2 :]
        n_lines[code] = len(timed)
        for line in timed:
            r.render(line)
    raster.GlyphAtlas._add_many = record
    print("| language | glyphs per line | per glyph: ctypes, µs | per glyph: compiled, µs | per line: ctypes, µs | per line: compiled, µs |")
    print("|---|---:|---:|---:|---:|---:|")
    tot = [0, 0.0, 0.0]
    with one_core():
        for code, _lines in data:
            cl = calls.get(code, [])
            n = sum(c[3].size for c in cl)
            if not n:
                continue
            best = {False: float("inf"), True: float("inf")}
            atlases = {}
            for _ in range(args.repeats):
                for compiled in (False, True):
                    dt, atlases[compiled] = _replay(cl, compiled)
                    best[compiled] = min(best[compiled], dt)
            assert _same(atlases[False], atlases[True]), code
            nl = n_lines[code]
            print(f"| {code} | {n / nl:.2f} | {1e6 * best[False] / n:.1f} | {1e6 * best[True] / n:.1f} | "
                  f"{1e6 * best[False] / nl:.1f} | {1e6 * best[True] / nl:.1f} |")
            tot[0] += n
            tot[1] += best[False]
            tot[2] += best[True]
    nl = sum(n_lines.values())
    print(f"| **all** | {tot[0] / nl:.2f} | {1e6 * tot[1] / tot[0]:.1f} | {1e6 * tot[2] / tot[0]:.1f} | "
          f"{1e6 * tot[1] / nl:.1f} | {1e6 * tot[2] / nl:.1f} |")


if __name__ == "__main__":
    from mmx.cli import run_script

    run_script(main)
