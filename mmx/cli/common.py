"""Helpers shared by subcommands: reading text safely, profile overrides, output."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from mmx.errors import InputError
from mmx.textio import decode_utf8


def read_text_arg(text: str | None, file: str | None) -> str:
    """The text of ``mmx render``: an argument, ``-`` for standard input, or ``--file``."""
    if file is not None:
        if text is not None:
            raise InputError("give either TEXT or --file, not both")
        path = Path(file)
        if not path.is_file():
            raise InputError(f"--file {file!r} does not exist or is not a file")
        return decode_utf8(path.read_bytes(), f"file {file!r}")
    if text is None:
        raise InputError("no text given: pass TEXT, '-' to read standard input, or --file PATH")
    if text == "-":
        return decode_utf8(sys.stdin.buffer.read(), "standard input")
    # argv bytes that are not UTF-8 arrive as lone surrogates (surrogateescape).
    for i, ch in enumerate(text):
        if "\udc80" <= ch <= "\udcff":
            raise InputError(f"TEXT is not valid UTF-8 (byte 0x{ord(ch) - 0xDC00:02x} at character {i}); pass UTF-8 text")
    return text


def add_profile_arguments(p: argparse.ArgumentParser, default: str = "pixel") -> None:
    p.add_argument("--profile", default=default, help=f"render profile (default: {default}; see `mmx list profiles`)")
    p.add_argument(
        "--set", dest="overrides", action="append", default=[], metavar="FIELD=VALUE",
        help="override a profile field, e.g. --set font_size=9 --set layout=page (repeatable)",
    )
    p.add_argument("--font", dest="fonts", action="append", default=[], metavar="PATH",
                   help="extra font file or folder, searched before the bundled fonts (repeatable)")


def profile_from_args(args: argparse.Namespace) -> Any:
    """The profile named by ``--profile`` with ``--set`` and ``--font`` applied; ``--set`` values
    are converted by the profile's field types (:func:`mmx.options.convert`, the path of every
    bench's and adapter's options)."""
    import typing

    from mmx.options import convert
    from mmx.render.profiles import RenderProfile, get_profile

    types = typing.get_type_hints(RenderProfile)
    overrides: dict[str, Any] = {}
    for item in args.overrides:
        name, sep, raw = item.partition("=")
        name = name.strip()
        if not sep or not name:
            raise InputError(f"--set {item!r}: expected FIELD=VALUE, e.g. --set font_size=9")
        # an unknown field stays text: the profile refuses it naming the close ones
        overrides[name] = convert(raw.strip(), types.get(name, str), key=name, owner="--set")
    if args.fonts:
        overrides["fonts"] = tuple(args.fonts) + tuple(overrides.get("fonts", ()))
    try:
        return get_profile(args.profile, **overrides)
    except TypeError as exc:  # a value of the wrong type reaching a comparison
        raise InputError(f"profile override has a wrong type: {exc}") from None


def plural(n: int, word: str, words: str | None = None) -> str:
    """``n`` and the noun in the number it takes: "1 visual token", "2 visual tokens"."""
    return f"{n} {word if n == 1 else (words or word + 's')}"


def print_json(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, default=_jsonable) + "\n")
    sys.stdout.flush()


def _jsonable(obj: Any) -> Any:
    import numpy as np

    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    if isinstance(obj, Path):
        return str(obj)
    raise TypeError(f"not JSON serializable: {type(obj).__name__}")
