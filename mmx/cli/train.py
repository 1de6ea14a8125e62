"""``mmx fit|validate|test|predict``: handed to LightningCLI (see mmx.systems.cli).

These subcommands bypass argparse (``mmx.cli.main`` forwards their arguments), so
``mmx fit --help`` shows Lightning's full help with every config key.
"""

from __future__ import annotations

import argparse


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--config", help="a LightningCLI YAML, e.g. configs/tiny_reader.yaml (see `mmx fit --help`)")


def run(args: argparse.Namespace) -> int:  # pragma: no cover - main() forwards before parsing
    from mmx.systems.cli import run as run_lightning

    return run_lightning([args.command, *(["--config", args.config] if args.config else [])])
