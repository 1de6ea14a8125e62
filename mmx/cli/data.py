"""``mmx data NAME --out DIR``: a bench's data generator (``mmx data mmcric --help``)."""

from __future__ import annotations

import argparse


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("name", help="the bench whose data to generate (benches with a generator: `mmx list benches` "
                   "marks them; mmx data NAME --help gives their options)")
    # the bench's own options are parsed by the bench (``mmx data NAME --help``), so listing
    # commands never imports a bench
    p.add_argument("rest", nargs=argparse.REMAINDER, help="the bench's options: --out DIR [--seed S] ...")


def _parser(bench_cls: type) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog=f"mmx data {bench_cls.name}",
                                description=f"generate {bench_cls.name} data: {(bench_cls.__doc__ or '').strip()}")
    p.add_argument("--out", required=True, help="output folder")
    p.add_argument("--seed", type=int, default=0, help="seed; the same seed gives byte-identical files")
    p.add_argument("--overwrite", action="store_true", help="replace existing data in --out")
    p.add_argument("--no-progress", dest="progress", action="store_false", help="no progress bar")
    bench_cls.data_arguments(p)
    return p


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from mmx.errors import InputError
    from mmx.registry import benches

    cls = benches.get(args.name)  # unknown names: one line with close matches
    if not getattr(cls, "has_generator", False):
        with_gen = [n for n in benches.names() if benches.info(n).get("generator")]
        raise InputError(f"bench {args.name} has no data generator; benches with one: {', '.join(with_gen) or 'none'}")
    ns = _parser(cls).parse_args(args.rest)
    out = Path(ns.out)
    if out.exists() and not out.is_dir():
        raise InputError(f"--out {out} is a file; give a folder")
    print(cls.make_data(ns))
    return 0
