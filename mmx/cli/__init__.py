"""The ``mmx`` console script.

Every subcommand imports what it needs inside its handler, so ``mmx --help``
and ``mmx list`` start instantly and never import torch.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn

from mmx import __version__
from mmx.errors import MmxError

_COMMANDS: list[tuple[str, str, str]] = [
    # (name, module with add_parser/run, one-line help)
    ("render", "mmx.cli.render", "render text to an image with a render profile"),
    ("tokens", "mmx.cli.tokens", "compare subword tokens with visual tokens over a corpus, with OCR legibility"),
    ("bench", "mmx.cli.bench", "speed and cost measurements (render lines/s vs pixel-renderer, prefill FLOPs); to score a model: mmx eval --bench"),
    ("data", "mmx.cli.data", "generate a bench's data in the real benchmark's schema ({generators})"),
    ("eval", "mmx.cli.eval", "evaluate a model on a bench ({benches}) and write results.json, samples.jsonl, report.md"),
    ("demo", "mmx.cli.demo", "serve the Gradio demo ({tabs} tabs) on 127.0.0.1"),
    ("list", "mmx.cli.listing", "list registered components ({kinds})"),
    ("fit", "mmx.cli.train", "train a system from a LightningCLI config: mmx fit --config configs/....yaml"),
    ("validate", "mmx.cli.train", "validate a trained system (LightningCLI; --ckpt_path)"),
    ("test", "mmx.cli.train", "test a trained system on held-out data (LightningCLI; --ckpt_path)"),
    ("predict", "mmx.cli.train", "predict with a trained system (LightningCLI; --ckpt_path)"),
]


_LIGHTNING = ("fit", "validate", "test", "predict")


def _run_lightning(argv: list[str]) -> int:
    from mmx.systems.cli import run

    return run(argv)


def _guarded(command: str, fn: Callable[[], int | None], prog: str | None = None) -> int:
    """Run a subcommand (or a script, named ``prog``); errors meant for people print as one
    line, never a traceback."""
    label = prog or f"mmx {command}"
    try:
        return int(fn() or 0)
    except MmxError as exc:
        print(f"{label}: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print(f"{label}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. `mmx render ... --json | head`
        return 0
    except SystemExit as exc:  # LightningCLI's usage errors exit 2 after printing them
        return exc.code if isinstance(exc.code, int) else 1


def run_script(main: Callable[[], int | None]) -> None:
    """Run a script of benchmarks/ or experiments/ as ``mmx`` runs a subcommand: an error meant
    for people (a missing corpus, a bad ``--set``) is one line naming the script, exit 2."""
    sys.exit(_guarded("", main, prog=os.path.basename(sys.argv[0]) or "script"))


def export_mmx(commit: str, dest: str | os.PathLike[str], repo: str | os.PathLike[str]) -> None:
    """Unpack ``mmx/`` as it was at ``commit`` of the git repository ``repo`` into ``dest``, for
    the scripts that compare this checkout with another commit (``--against``). A commit git
    cannot export is an :class:`~mmx.errors.InputError` naming it."""
    import io
    import subprocess
    import tarfile

    from mmx.errors import InputError

    try:
        archive = subprocess.run(["git", "-C", str(repo), "archive", commit, "mmx"], check=True,
                                 capture_output=True).stdout
    except (subprocess.CalledProcessError, OSError) as e:
        why = e.stderr.decode(errors="replace").strip() if isinstance(e, subprocess.CalledProcessError) else str(e)
        raise InputError(f"--against {commit}: git cannot export mmx/ at it ({why}); pass a commit of this "
                         "repository") from None
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(dest, filter="data")


class _Parser(argparse.ArgumentParser):
    """argparse with close-match suggestions for a mistyped choice (``mmx rendr``,
    ``mmx bench flop``), as registry names get them."""

    def error(self, message: str) -> NoReturn:
        import difflib
        import re

        # argparse's wording, in every supported Python: invalid choice: 'x' (choose from 'a', 'b')
        m = re.search(r"invalid choice: (['\"]?)(.*?)\1 \(choose from (.*)\)", message)
        if m:
            value = m.group(2)
            choices = [c.strip().strip("'\"") for c in m.group(3).split(",")]
            close = difflib.get_close_matches(value, choices, n=2, cutoff=0.6)
            hint = f" Did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
            message = f"{message.split(':', 1)[0]}: unknown choice {value!r}.{hint} Choices: {', '.join(choices)}."
        super().error(message)


def _help_facts() -> dict[str, str]:
    """What the help lines list, read from the registries (which import no component), so
    the help stays true as benches, kinds and tabs are added."""
    from mmx.demo import TAB_TITLES
    from mmx.registry import REGISTRIES, benches

    return {"benches": ", ".join(benches.names()),
            "generators": ", ".join(n for n in benches.names() if benches.info(n).get("generator")),
            "kinds": ", ".join(sorted(REGISTRIES)), "tabs": ", ".join(TAB_TITLES)}


def build_parser() -> argparse.ArgumentParser:
    import importlib

    parser = _Parser(
        prog="mmx",
        description="mmx: cross-lingual and cross-script research toolkit for multimodal models.",
    )
    parser.add_argument("--version", action="version", version=f"mmx {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    facts = _help_facts()
    for name, module, help_ in _COMMANDS:
        help_ = help_.format(**facts)
        mod = importlib.import_module(module)
        p = sub.add_parser(name, help=help_, description=help_)
        mod.add_arguments(p)
        p.set_defaults(_run=mod.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: run one subcommand; errors meant for people print without a traceback."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in _LIGHTNING:
        # LightningCLI parses its own arguments (and prints its own usage errors)
        return _guarded(argv[0], lambda: _run_lightning(argv))
    parser = build_parser()
    args = parser.parse_args(argv)
    run: Callable[[argparse.Namespace], int] | None = getattr(args, "_run", None)
    if run is None:
        parser.print_help()
        return 0
    return _guarded(args.command, lambda: run(args))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
