"""Render speed (``mmx bench render``): lines per second, side by side with a peer
renderer at equal settings. A speed measurement, not an evaluation bench
(``mmx eval --bench``).

Method (one run, one core): mmx and the peers each run in a child process of
their own, both pinned to the same CPU; this process only directs them. (In one
process the peer's libraries interfere with mmx's: PangoCairo loads the
system's HarfBuzz, which made shaping in mmx 2.3x slower, and changed its
Korean output, once loaded.)
Each language's lines are split in two halves; both renderers first render
every language's first half (warm-up: fonts loaded, glyphs rasterized), then
each timed pass renders the second halves, lines neither renderer has seen
before. Before each timed pass of mmx its caches keyed by text are emptied
(:func:`clear_text_caches`), so the pass reuses only what it saw itself. In a
timed pass the renderers take turns, ten lines each, the order alternating, so
they never run at the same time and both see the same load from other
processes; each times its own turns, in wall time and in CPU time. A second,
warm pass of mmx over the same lines, made after all timed passes (so that
until then both processes did the same work), is reported beside the unseen one.
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


def _check_peer_name(name: str) -> None:
    """Raise UnknownNameError (with close matches) for a peer name that does not exist."""
    from mmx.render.peers import PEERS, create_peer

    if name not in PEERS:
        create_peer(name)


def _rate(fn: Callable[[str], object], lines: list[str]) -> float:
    t = time.perf_counter()
    for line in lines:
        fn(line)
    return len(lines) / max(time.perf_counter() - t, 1e-9)


def _times(fn: Callable[[str], object], lines: list[str]) -> tuple[float, float]:
    """(wall, CPU) seconds this process spent rendering ``lines``."""
    w, c = time.perf_counter(), time.process_time()
    for line in lines:
        fn(line)
    return time.perf_counter() - w, time.process_time() - c


_CHUNK = 10  # lines per turn


class _Mmx:
    """mmx's renderer behind the peers' interface, for the benchmark's child process."""

    def __init__(self, profile: Any) -> None:
        from mmx.render.engine import Renderer

        self.renderer = Renderer(profile)
        self.render = self.renderer.render

    @staticmethod
    def version() -> str:
        from mmx import __version__

        return __version__


def _worker(conn: Any, names: list[str], profile: Any, core: int | None) -> None:
    """A child process of :func:`measure_render_speed`: builds renderers ("mmx" or peers), then renders and times on request."""
    if core is not None and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {core})
    try:
        from mmx.render.peers import create_peer

        size = int(round(profile.font_size))
        renderers = {n: _Mmx(profile) if n == "mmx" else create_peer(n, block_size=profile.patch_size, font_size=size)
                     for n in names}
        conn.send(("ok", {n: type(o).version() for n, o in renderers.items()}))
    except Exception as exc:  # sent back and raised in the parent, with the renderer's own message
        conn.send(("error", exc))
        return
    while True:
        msg = conn.recv()
        if msg[0] == "warm":
            for line in msg[1]:
                for r in renderers.values():
                    r.render(line)
            conn.send(("ok", None))
        elif msg[0] == "time":
            conn.send(("ok", _times(renderers[msg[1]].render, msg[2])))
        elif msg[0] == "clear":
            clear_text_caches(renderers["mmx"].renderer)
            conn.send(("ok", None))
        else:
            return


class _Process:
    """Renderers in a child process (spawned: no library of the parent's loaded), driven over a pipe."""

    def __init__(self, names: list[str], profile: Any, core: int | None) -> None:
        import multiprocessing as mp

        ctx = mp.get_context("spawn")
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker, args=(child, names, profile, core), daemon=True)
        self.proc.start()
        self.versions = self._get()

    def _get(self) -> Any:
        status, value = self.conn.recv()
        if status == "error":
            raise value
        return value

    def warm(self, lines: list[str]) -> None:
        self.conn.send(("warm", lines))
        self._get()

    def clear(self) -> None:
        self.conn.send(("clear",))
        self._get()

    def times(self, name: str, lines: list[str]) -> tuple[float, float]:
        self.conn.send(("time", name, lines))
        return self._get()

    def close(self) -> None:
        self.conn.send(("stop",))
        self.proc.join(10)


def measure_render_speed(
    corpus: str | Path,
    vs: str | None = "pixel-renderer",
    profile: Any = "pixel_renderer",
    max_lines: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Lines per second of mmx (and of peers) per language; see the module docstring."""
    import platform

    from mmx import __version__
    from mmx.render.profiles import get_profile

    p = get_profile(profile)
    names = [v.strip() for v in vs.split(",") if v.strip()] if vs else []
    for n in names:  # unknown names fail here, with close matches, before anything starts
        _check_peer_name(n)
    data = [(code, read_lines(path, max_lines)) for code, path in corpus_files(corpus)]
    halves = [(code, lines[: len(lines) // 2], lines[len(lines) // 2 :]) for code, lines in data if len(lines) >= 2]
    rows = []
    with one_core() as core:
        mmx = _Process(["mmx"], p, core)
        peers = _Process(names, p, core) if names else None
        try:
            for _code, warm, _timed in halves:
                mmx.warm(warm)
                if peers is not None:
                    peers.warm(warm)
            for i, (code, _warm, timed) in enumerate(halves):
                if progress:
                    progress(code)
                mmx.clear()  # cold: this pass reuses only what it saw itself
                wall = dict.fromkeys(["mmx", *names], 0.0)
                cpu = dict.fromkeys(["mmx", *names], 0.0)
                # Chunks of a few lines, the renderers taking turns (the order
                # alternating), so that both see the same load from other processes.
                for j in range(0, len(timed), _CHUNK):
                    chunk = timed[j : j + _CHUNK]
                    order = ["mmx", *names] if (i + j // _CHUNK) % 2 == 0 else [*names, "mmx"]
                    for who in order:
                        w, c = mmx.times("mmx", chunk) if who == "mmx" else peers.times(who, chunk)  # type: ignore[union-attr]
                        wall[who] += w
                        cpu[who] += c
                n = len(timed)
                rates = {who: n / max(w, 1e-9) for who, w in wall.items()}
                cpu_rates = {who: n / max(c, 1e-9) for who, c in cpu.items()}
                row = {"language": code, "lines": n, "mmx_lines_per_s": rates["mmx"], "mmx_cpu_lines_per_s": cpu_rates["mmx"]}
                if names:
                    row["peer_lines_per_s"] = rates[names[0]]
                    row["ratio"] = rates["mmx"] / rates[names[0]]
                    row["cpu_ratio"] = cpu_rates["mmx"] / cpu_rates[names[0]]
                    row["peers"] = {n_: rates[n_] for n_ in names}
                    row["peers_cpu"] = {n_: cpu_rates[n_] for n_ in names}
                rows.append(row)
            # Warm passes last, so that during the timed passes both processes have done the same work.
            for row, (_code, _warm, timed) in zip(rows, halves):
                w, _c = mmx.times("mmx", timed)
                row["mmx_warm_lines_per_s"] = len(timed) / max(w, 1e-9)
            versions = {**(peers.versions if peers is not None else {}), **mmx.versions}
        finally:
            mmx.close()
            if peers is not None:
                peers.close()
    med = statistics.median
    out: dict[str, Any] = {
        "profile": p.name,
        "settings": {"height": p.height, "patch_size": p.patch_size, "font_size": p.font_size},
        "peer": names[0] if names else None,
        "peer_version": versions.get(names[0]) if names else None,
        "peers": {n: {"version": versions.get(n), "lines_per_s": None} for n in names},
        "core": core,
        "mmx_version": versions.get("mmx", __version__),
        "python": platform.python_version(),
        "mmx_lines_per_s": med([r["mmx_lines_per_s"] for r in rows]),
        "mmx_warm_lines_per_s": med([r["mmx_warm_lines_per_s"] for r in rows]),
        "mmx_cpu_lines_per_s": med([r["mmx_cpu_lines_per_s"] for r in rows]),
        "rows": rows,
    }
    if names:
        out["peer_lines_per_s"] = med([r["peer_lines_per_s"] for r in rows])
        out["ratio"] = out["mmx_lines_per_s"] / out["peer_lines_per_s"]
        out["median_language_ratio"] = med([r["ratio"] for r in rows])
        out["cpu_ratio"] = out["mmx_cpu_lines_per_s"] / med([r["peers_cpu"][names[0]] for r in rows])
        for n in names:
            out["peers"][n]["lines_per_s"] = med([r["peers"][n] for r in rows])
            out["peers"][n]["cpu_lines_per_s"] = med([r["peers_cpu"][n] for r in rows])
    return out


def bench_workers(
    corpus: str | Path,
    workers: list[int],
    profile: Any = "pixel_renderer",
    max_lines: int | None = None,
) -> dict[str, Any]:
    """Lines per second of :func:`mmx.render.batch.render_batch` at each worker count.

    Every language's second half (lines not rendered before in any process) is
    rendered as one batch in chunks of 32 lines, after each worker process
    rendered the first halves (fonts loaded, glyphs rasterized). Reports lines/s
    (wall time), lines/s per worker, lines per CPU-second of the workers
    (what one core gives when other jobs share the machine), the workers' CPU
    share (their CPU seconds over wall seconds times workers: below 1 when
    other jobs took the cores, which caps wall-time scaling whatever the
    renderer does) and the load average; workers never exceed the CPUs this
    process may use.
    """
    from mmx.render.batch import (  # mmx.render's own internals
        _context,
        _pool,
        available_cpus,
    )
    from mmx.render.profiles import get_profile

    prof = get_profile(profile)
    data = [(code, read_lines(path, max_lines)) for code, path in corpus_files(corpus)]
    warm = [line for _c, lines in data for line in lines[: len(lines) // 2]]
    timed = [line for _c, lines in data for line in lines[len(lines) // 2 :]]
    chunks = [timed[i : i + 32] for i in range(0, len(timed), 32)]
    cpus = available_cpus()
    rows = []
    for n in workers:
        if n < 1 or n > cpus:
            continue
        ready = _context().Barrier(n + 1)
        with _pool(n, prof, warm, ready, first=warm[0]) as pool:  # as render_batch; each worker renders the first halves
            ready.wait()  # every worker is warm
            t = time.perf_counter()
            cpu = sum(pool.map(_cpu_chunk, chunks, chunksize=1))
            dt = time.perf_counter() - t
        rate = len(timed) / dt
        rows.append({"workers": n, "lines": len(timed), "lines_per_s": rate, "lines_per_s_per_worker": rate / n,
                     "lines_per_cpu_s": len(timed) / cpu, "cpu_share": cpu / (dt * n),
                     "load": os.getloadavg()[0] if hasattr(os, "getloadavg") else None})
    return {"profile": prof.name, "cpus": cpus, "rows": rows}


def _cpu_chunk(texts: list[str]) -> float:
    """Render a chunk in a worker (results sent back as render_batch does); its CPU seconds."""
    from mmx.render.batch import _render_chunk

    t = time.process_time()
    _render_chunk(texts)
    return time.process_time() - t

