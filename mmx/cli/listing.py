"""``mmx list``: registered components, without importing them."""

from __future__ import annotations

import argparse

from mmx.errors import UnknownNameError


def add_arguments(p: argparse.ArgumentParser) -> None:
    from mmx.registry import REGISTRIES

    p.add_argument("kind", nargs="?", help=f"one of: {', '.join(sorted(REGISTRIES))} (default: all)")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")


def run(args: argparse.Namespace) -> int:
    import difflib
    import json

    from mmx.registry import REGISTRIES

    kinds = sorted(REGISTRIES)
    if args.kind:
        if args.kind not in REGISTRIES:
            close = difflib.get_close_matches(args.kind, kinds, n=2)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            raise UnknownNameError(f"unknown kind {args.kind!r}.{hint} Kinds: {', '.join(kinds)}.")
        kinds = [args.kind]
    if args.json:
        print(json.dumps({k: {n: REGISTRIES[k].help(n) for n in REGISTRIES[k].names()} for k in kinds}, indent=2))
        return 0
    for k in kinds:
        reg = REGISTRIES[k]
        print(f"{k}:")
        width = max((len(n) for n in reg.names()), default=0)
        for n in reg.names():
            print(f"  {n.ljust(width)}  {reg.help(n)}")
    return 0
