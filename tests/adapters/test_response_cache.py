"""The response cache of the API adapter (mmx/adapters/response_cache.py) opened by several processes."""

from __future__ import annotations

import multiprocessing as mp
from pathlib import Path

from mmx.adapters.response_cache import ResponseCache


def _open(folder: str, results: mp.Queue) -> None:
    try:
        ResponseCache(folder).close()
        results.put("ok")
    except Exception as exc:  # reported to the parent, which asserts
        results.put(repr(exc))


def test_processes_opening_one_new_cache_together_all_succeed(tmp_path: Path) -> None:
    """The ranks of a torchrun open one new cache at once: switching it to WAL needs an exclusive
    lock that SQLite refuses at once ("database is locked") instead of waiting; none may fail."""
    # forked from a small server process that has imported only this module: quick to start (the
    # cache holds no state before it opens), and quick in a test process that holds torch and models,
    # where each plain fork of the whole process took about 0.2 s (a minute for the 240 here)
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload([__name__])
    for round_ in range(40):
        folder = str(tmp_path / f"cache{round_}")
        results: mp.Queue = ctx.Queue()
        procs = [ctx.Process(target=_open, args=(folder, results)) for _ in range(6)]
        for p in procs:
            p.start()
        for p in procs:
            p.join(60)
        got = [results.get(timeout=5) for _ in procs]
        assert got == ["ok"] * 6, got
