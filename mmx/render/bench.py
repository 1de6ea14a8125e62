"""Render throughput, side by side with a peer renderer at equal settings.

Method (one run, one core): the process is pinned to one CPU; each language's
lines are split in two halves; both renderers first render every language's
first half (warm-up: fonts loaded, glyphs rasterized, frequent words seen),
then each timed pass renders the second halves, lines neither renderer has seen
before, so a cache of whole lines or words cannot replay them. The order of the
two renderers alternates by language to cancel drift. A second, warm pass of mmx
over the same lines is reported beside the unseen one.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from mmx.render.tokens import corpus_files, read_lines


@contextmanager
def one_core() -> Any:
    """Pin this process to a single CPU for the duration (Linux); a no-op elsewhere."""
    if not hasattr(os, "sched_getaffinity"):
        yield None
        return
    before = os.sched_getaffinity(0)
    core = min(before)
    os.sched_setaffinity(0, {core})
    try:
        yield core
    finally:
        os.sched_setaffinity(0, before)


def clear_text_caches(renderer: Any) -> None:
    """Empty every cache of ``renderer`` keyed by text (shaped runs, words, itemized tokens).

    Each timed pass starts cold: what a pass can reuse is only what it saw
    itself. Per-font state stays warm, as it does in the peer (loaded faces,
    code-point coverage tables, rasterized glyph bitmaps: cairo keeps a glyph
    cache too).
    """
    renderer.clear_caches()


def _rate(fn: Callable[[str], object], lines: list[str]) -> float:
    t = time.perf_counter()
    for line in lines:
        fn(line)
    return len(lines) / max(time.perf_counter() - t, 1e-9)


def bench_render(
    corpus: str | Path,
    vs: str | None = "pixel-renderer",
    profile: Any = "pixel_renderer",
    max_lines: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Lines per second of mmx (and of a peer) per language; see the module docstring."""
    import platform

    from mmx import __version__
    from mmx.render.engine import Renderer
    from mmx.render.peers import create_peer

    renderer = Renderer(profile)
    p = renderer.profile
    names = [v.strip() for v in vs.split(",") if v.strip()] if vs else []
    peers = {n: create_peer(n, block_size=p.patch_size, font_size=int(round(p.font_size))) for n in names}
    peer = peers[names[0]] if names else None
    data = [(code, read_lines(path, max_lines)) for code, path in corpus_files(corpus)]
    halves = [(code, lines[: len(lines) // 2], lines[len(lines) // 2 :]) for code, lines in data if len(lines) >= 2]
    rows = []
    with one_core() as core:
        for _code, warm, _timed in halves:
            for line in warm:
                renderer.render(line)
                for other in peers.values():
                    other.render(line)
        for i, (code, _warm, timed) in enumerate(halves):
            if progress:
                progress(code)
            order = ["mmx", *names] if i % 2 == 0 else [*names, "mmx"]
            rates: dict[str, float] = {}
            for who in order:
                if who == "mmx":
                    clear_text_caches(renderer)  # cold: this pass reuses only what it saw itself
                rates[who] = _rate(renderer.render if who == "mmx" else peers[who].render, timed)
            rates["mmx_warm"] = _rate(renderer.render, timed)
            row = {"language": code, "lines": len(timed), "mmx_lines_per_s": rates["mmx"], "mmx_warm_lines_per_s": rates["mmx_warm"]}
            if names:
                row["peer_lines_per_s"] = rates[names[0]]
                row["ratio"] = rates["mmx"] / rates[names[0]]
                row["peers"] = {n: rates[n] for n in names}
            rows.append(row)
    med = statistics.median
    out: dict[str, Any] = {
        "profile": p.name,
        "settings": {"height": p.height, "patch_size": p.patch_size, "font_size": p.font_size},
        "peer": names[0] if names else None,
        "peer_version": type(peer).version() if peer is not None else None,
        "peers": {n: {"version": type(o).version(), "lines_per_s": None} for n, o in peers.items()},
        "core": core,
        "mmx_version": __version__,
        "python": platform.python_version(),
        "mmx_lines_per_s": med([r["mmx_lines_per_s"] for r in rows]),
        "mmx_warm_lines_per_s": med([r["mmx_warm_lines_per_s"] for r in rows]),
        "rows": rows,
    }
    if peer is not None:
        out["peer_lines_per_s"] = med([r["peer_lines_per_s"] for r in rows])
        out["ratio"] = out["mmx_lines_per_s"] / out["peer_lines_per_s"]
        out["median_language_ratio"] = med([r["ratio"] for r in rows])
        for n in names:
            out["peers"][n]["lines_per_s"] = med([r["peers"][n] for r in rows])
    return out
