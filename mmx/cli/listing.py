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
        print(json.dumps({k: {n: {"help": REGISTRIES[k].help(n), **REGISTRIES[k].info(n)}
                              for n in REGISTRIES[k].names()} for k in kinds}, indent=2))
        return 0
    for k in kinds:
        reg = REGISTRIES[k]
        print(f"{k}:")
        width = max((len(n) for n in reg.names()), default=0)
        for n in reg.names():
            facts = _facts(reg.info(n))
            print(f"  {n.ljust(width)}  {reg.help(n)}" + (f"  [{facts}]" if facts else ""))
    return 0


def _facts(info: dict) -> str:
    """What a model can do (``answer``; ``mmcric only``) or what a bench needs (a composite bench:
    its groups), in a few words."""
    parts = []
    if info.get("capabilities"):
        parts.append(", ".join(info["capabilities"]))
    if info.get("benches"):
        parts.append(f"{', '.join(info['benches'])} only")
    if info.get("needs"):
        parts.append(f"needs {info['needs']}")
    if info.get("default_model"):
        parts.append(f"default model {info['default_model']}")
    if info.get("groups"):
        parts.append(f"groups: {info['groups']}")
    if info.get("generator"):
        parts.append("mmx data makes its data")
    return "; ".join(parts)
