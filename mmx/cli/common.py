"""Helpers shared by subcommands: reading text safely, profile overrides, output."""

from __future__ import annotations

import argparse
import ast
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
    """The profile named by ``--profile`` with ``--set`` and ``--font`` applied."""
    import dataclasses

    from mmx.render.profiles import RenderProfile, get_profile

    types = {f.name: f.type for f in dataclasses.fields(RenderProfile)}
    overrides: dict[str, Any] = {}
    for item in args.overrides:
        name, sep, raw = item.partition("=")
        name = name.strip()
        if not sep or not name:
            raise InputError(f"--set {item!r}: expected FIELD=VALUE, e.g. --set font_size=9")
        overrides[name] = _coerce(name, raw.strip(), str(types.get(name, "str")))
    if args.fonts:
        overrides["fonts"] = tuple(args.fonts) + tuple(overrides.get("fonts", ()))
    try:
        return get_profile(args.profile, **overrides)
    except TypeError as exc:  # a value of the wrong type reaching a comparison
        raise InputError(f"profile override has a wrong type: {exc}") from None


def _coerce(name: str, raw: str, type_name: str) -> Any:
    try:
        if "bool" in type_name:
            low = raw.lower()
            if low in ("1", "true", "yes", "on"):
                return True
            if low in ("0", "false", "no", "off"):
                return False
            raise ValueError(raw)
        if "tuple" in type_name:
            return tuple(x for x in raw.split(",") if x)
        if type_name.startswith("int") or type_name == "int | None":
            return None if raw.lower() == "none" and "None" in type_name else int(raw)
        if type_name.startswith("float"):
            return float(raw)
        if "None" in type_name and raw.lower() == "none":
            return None
        value = ast.literal_eval(raw) if raw[:1] in "\"'" else raw
        return value
    except (ValueError, SyntaxError):
        raise InputError(f"--set {name}={raw!r}: expected a value of type {type_name}") from None


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
