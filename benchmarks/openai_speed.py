"""Speed of ``--model openai``: samples/s against a local server at several concurrencies, and what
the adapter itself costs per request.

1. **Local server**: ``transformers serve`` on 127.0.0.1 serving the tests' tiny random-weight
   Qwen2.5-VL (``mmx.testing.openai_server.tiny_servable_vlm``), asked ``--n`` mmcric requests (the offline default set's
   920 x 1170 scorecards and prompts) through the adapter at each ``--concurrency``, cache off.
   The server's own speed is the limit: the ratio to concurrency 1 says how much of it the
   adapter's concurrency unlocks.
2. **Adapter overhead**: a server that answers at once (``python -m mmx.testing.openai_server``,
   in a process of its own), asked the same requests (a) by the bare ``openai`` async client with
   the bodies encoded beforehand and (b) through the adapter, cache off (it resizes, hashes the
   pixels for the cache key, encodes the PNG, runs its loop thread and checks the answer), and
   (c) through the adapter with every answer in the cache (nothing sent). Milliseconds of wall
   time per request at concurrency 1 (latency) and at the highest concurrency (throughput);
   (b) - (a) is the adapter's own cost.

    python benchmarks/openai_speed.py --n 48 --concurrency 1,4,16 --out docs/openai.md

Writes the tables between the ``<!-- openai_speed:start -->`` / ``end`` markers of ``--out``
(and prints them). Timings are wall clock on this machine; say which machine in the doc.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

START, END = "<!-- openai_speed:start -->", "<!-- openai_speed:end -->"


def mmcric_requests(n: int) -> list[Any]:
    from mmx.eval import create_bench

    b = create_bench("mmcric")
    samples = list(b.load(progress=False))[:n]
    return [b.request(s) for s in samples]


def adapter(url: str, model: str, concurrency: int, cache_dir: str | None = None) -> Any:
    from mmx.adapters import create_model

    args: dict[str, Any] = {"model": model, "base_url": url, "concurrency": concurrency, "max_tokens": 4}
    args.update({"cache": False} if cache_dir is None else {"cache_dir": cache_dir})
    return create_model("openai", **args)


def timed(fn: Any) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def local_server(requests: list[Any], levels: list[int]) -> list[dict[str, Any]]:
    from mmx.testing.openai_server import tiny_servable_vlm, transformers_serve

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = tiny_servable_vlm(Path(tmp) / "tiny-vlm")
        with transformers_serve(folder, log=Path(tmp) / "serve.log") as url:
            warm = adapter(url, str(folder), 1)
            warm.answer(requests[:2])  # the server's first request pays for its warm-up
            warm.close()
            for c in levels:
                m = adapter(url, str(folder), c)
                s = timed(lambda m=m: m.answer(requests))
                assert m.usage()["failed"] == 0
                m.close()
                rows.append({"concurrency": c, "seconds": s, "samples_per_s": len(requests) / s})
                print(f"local server, concurrency {c}: {len(requests) / s:.2f} samples/s", flush=True)
    return rows


async def _bare(url: str, bodies: list[dict[str, Any]], concurrency: int) -> None:
    import openai

    client = openai.AsyncOpenAI(base_url=url, api_key="EMPTY", max_retries=0)
    sem = asyncio.Semaphore(concurrency)

    async def one(body: dict[str, Any]) -> None:
        async with sem:
            raw = await client.chat.completions.with_raw_response.create(**body)
            raw.text  # noqa: B018 - read the body, as the adapter does

    await asyncio.gather(*(one(b) for b in bodies))
    await client.close()


def overhead(requests: list[Any], levels: list[int]) -> list[dict[str, Any]]:
    from mmx.testing.openai_server import free_port

    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "mmx.testing.openai_server", "--port", str(port)],
                            stdout=subprocess.PIPE, text=True)
    rows = []
    try:
        url = proc.stdout.readline().strip()  # printed once it listens
        probe = adapter(url, "fake-model", 1)
        calls = [probe._chat_call(r) for r in requests]
        bodies = [c.build() for c in calls]  # encoded beforehand: the bare client pays nothing for images
        probe.close()
        for c in levels:
            bare = timed(lambda c=c: asyncio.run(_bare(url, bodies, c)))
            m = adapter(url, "fake-model", c)
            ours = timed(lambda m=m: m.answer(requests))
            m.close()
            with tempfile.TemporaryDirectory() as cache:
                m = adapter(url, "fake-model", c, cache_dir=cache)
                m.answer(requests)
                hits = timed(lambda m=m: m.answer(requests))
                assert m.usage()["requests_cached"] == len(requests)
                m.close()
            n = len(requests)
            rows.append({"concurrency": c, "bare_ms": 1000 * bare / n, "adapter_ms": 1000 * ours / n,
                         "cached_ms": 1000 * hits / n})
            print(f"instant server, concurrency {c}: bare {1000 * bare / n:.2f} ms, adapter {1000 * ours / n:.2f} ms, "
                  f"all cached {1000 * hits / n:.2f} ms per request", flush=True)
    finally:
        proc.kill()
        proc.wait()
    return rows


def image_costs(requests: list[Any]) -> dict[str, float]:
    """Milliseconds per image of the adapter's two image steps: the pixel hash of the cache key
    and the PNG data URL (both on one core, no concurrency)."""
    from mmx.adapters.openai_api import _pixels_id, _png_data_url

    images = [im for r in requests for im in r.images]
    return {"hash_ms": 1000 * timed(lambda: [_pixels_id(im) for im in images]) / len(images),
            "png_ms": 1000 * timed(lambda: [_png_data_url(im) for im in images]) / len(images)}


def tables(local: list[dict[str, Any]], over: list[dict[str, Any]], costs: dict[str, float], n: int,
           command: str) -> str:
    import openai

    base = local[0]["samples_per_s"]
    lines = [f"Measured by `{command}` on {platform.machine()} with {os.cpu_count()} CPU cores (no GPU; "
             f"Python {platform.python_version()}, openai {openai.__version__}); {n} mmcric requests "
             "(920 x 1170 scorecards). Wall-clock, one run each.", "",
             "**Local server** (`transformers serve`, tiny random-weight Qwen2.5-VL on the CPU), cache off:", "",
             "| concurrency | samples/s | vs concurrency 1 |", "| ---: | ---: | ---: |"]
    lines += [f"| {r['concurrency']} | {r['samples_per_s']:.2f} | {r['samples_per_s'] / base:.2f}x |" for r in local]
    lines += ["", "**Adapter overhead** (a server that answers at once, in its own process), ms of wall time "
              "per request:", "",
              "| concurrency | bare `openai` client | adapter, cache off | adapter − bare | adapter, all cached |",
              "| ---: | ---: | ---: | ---: | ---: |"]
    lines += [f"| {r['concurrency']} | {r['bare_ms']:.2f} | {r['adapter_ms']:.2f} | "
              f"{r['adapter_ms'] - r['bare_ms']:+.2f} | {r['cached_ms']:.2f} |" for r in over]
    lines += ["", f"Of the adapter's own cost, per image on one core: the PNG data URL {costs['png_ms']:.1f} ms "
              f"(compress level 1) and the pixel hash of the cache key {costs['hash_ms']:.1f} ms; the bare client "
              "was handed bodies encoded beforehand."]
    return "\n".join(lines)


def write(out: Path, text: str) -> None:
    doc = out.read_text(encoding="utf-8") if out.exists() else f"{START}\n{END}\n"
    if START not in doc or END not in doc:
        doc += f"\n{START}\n{END}\n"
    head, rest = doc.split(START, 1)
    _, tail = rest.split(END, 1)
    out.write_text(f"{head}{START}\n{text}\n{END}{tail}", encoding="utf-8")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--n", type=int, default=48, help="mmcric requests per measurement")
    p.add_argument("--concurrency", default="1,4,16", help="concurrency levels, comma-separated")
    p.add_argument("--out", type=Path, default=None, help="a Markdown file whose marked part gets the tables")
    args = p.parse_args()
    levels = [int(x) for x in args.concurrency.split(",")]
    os.environ.setdefault("OPENAI_API_KEY", "EMPTY")
    requests = mmcric_requests(args.n)
    over = overhead(requests, [levels[0], levels[-1]])
    local = local_server(requests, levels)
    command = f"python benchmarks/openai_speed.py --n {args.n} --concurrency {args.concurrency}" + (
        f" --out {args.out}" if args.out else "")
    text = tables(local, over, image_costs(requests), len(requests), command)
    print(text)
    if args.out:
        write(args.out, text)


if __name__ == "__main__":
    main()
