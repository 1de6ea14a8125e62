"""One path for the options of every bench and adapter: ``--bench-args`` and ``--model-args``
(``k=v,...``) on the command line, keyword arguments from Python.

A factory (a bench or adapter class, or a function) declares its options as keyword parameters
with type annotations and defaults; :func:`bind_options` checks a dict of options against them
before anything is built or loaded: keys it does not take are listed together with those it
does, values are converted to the annotated type (text from the command line, or values of
another type from Python) and range-checked, and every refusal is one :class:`InputError` line
naming the key. Ranges ride on the annotation (``typing.Annotated``), so a signature says all
there is to know::

    def __init__(self, n_numbers: Count = 40, plant_rate: Rate = 0.0, size: Annotated[int, Range(32)] = 128): ...

A factory that takes ``**kwargs`` lists what they may be in ``kwargs_options``: a class or
function whose keyword parameters are the extra options (the transformers adapters name
:class:`mmx.hub.HfArgs`).
"""

from __future__ import annotations

import inspect
import math
import os
import types
import typing
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any

from mmx.errors import InputError

__all__ = ["Count", "NonNegative", "Option", "Range", "Rate", "accepted_options", "bind_options", "convert",
           "guess_value", "parse_options"]


@dataclass(frozen=True)
class Range:
    """Inclusive bounds of a number option, put on its annotation: ``Annotated[int, Range(1)]``."""

    lo: float | None = None
    hi: float | None = None

    def holds(self, value: float) -> bool:
        """Whether ``value`` lies within the bounds (NaN never does)."""
        if isinstance(value, float) and math.isnan(value):
            return False
        return (self.lo is None or value >= self.lo) and (self.hi is None or value <= self.hi)

    def words(self) -> str:
        if self.lo is not None and self.hi is not None:
            return f" in [{self.lo:g}, {self.hi:g}]"
        if self.lo is not None:
            return f" >= {self.lo:g}"
        return f" <= {self.hi:g}" if self.hi is not None else ""


#: a size or a count: an integer of at least 1
Count = Annotated[int, Range(1)]
#: a share or a probability: a number in [0, 1]
Rate = Annotated[float, Range(0.0, 1.0)]
#: a number of at least 0 (a guidance scale, a temperature)
NonNegative = Annotated[float, Range(0.0)]


@dataclass(frozen=True)
class Option:
    """One keyword parameter of a factory: its name, resolved annotation and default."""

    name: str
    annotation: Any = Any
    default: Any = inspect.Parameter.empty

    @property
    def types(self) -> list[Any]:
        """The types the option allows (``int | None``: ``[int, NoneType]``; ``Annotated`` peeled)."""
        return _unwrap(self.annotation)[0]

    @property
    def ranges(self) -> list[Range]:
        """The bounds on the option's value (``Count``: ``[Range(1)]``)."""
        return _unwrap(self.annotation)[1]


def parse_options(spec: str | None, option: str = "--model-args") -> dict[str, str]:
    """``"k=v,k2=v2"`` as a dict of text values (the factory's annotations convert them).

    A piece without ``=`` continues the value before it, so list values need no quoting:
    ``languages=en,zh,hi`` -> ``{"languages": "en,zh,hi"}``.

    >>> parse_options("families=digits,scorecards,n=4")
    {'families': 'digits,scorecards', 'n': '4'}
    """
    raw: dict[str, str] = {}
    if not spec:
        return raw
    last: str | None = None
    for part in spec.split(","):
        part = part.strip()
        if not part:
            continue
        key, eq, value = part.partition("=")
        key, value = key.strip(), value.strip()
        if not eq and last is not None:
            raw[last] = f"{raw[last]},{part}"
            continue
        if not eq or not key:
            raise InputError(f"{option}: {part!r} is not key=value (write e.g. batch_size=8,dtype=bfloat16)")
        raw[key] = value
        last = key
    return raw


def guess_value(value: str) -> Any:
    """Text as the value it looks like (for options without an annotation): ``true``/``false``,
    ``none``, an int, a float, else the text."""
    low = value.lower()
    if low in ("true", "yes"):
        return True
    if low in ("false", "no"):
        return False
    if low in ("none", "null"):
        return None
    for cast in (int, float):
        try:
            return cast(value)
        except ValueError:
            pass
    return value


def accepted_options(factory: Any, fixed: Iterable[str] = ()) -> dict[str, Option] | None:
    """The options ``factory`` takes, in signature order (``self`` and the ``fixed`` parameters,
    which the caller fills itself, left out); None when it takes any keyword (``**kwargs``
    without ``kwargs_options``) or has no readable signature."""
    try:
        params = inspect.signature(factory).parameters
    except (TypeError, ValueError):
        return None
    skip = {"self", *fixed}
    hints = _hints(factory)
    out = {n: Option(n, hints.get(n, Any), p.default) for n, p in params.items()
           if n not in skip and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)}
    if any(p.kind is p.VAR_KEYWORD for p in params.values()):
        extra = getattr(factory, "kwargs_options", None)
        if extra is None:
            return None
        more = accepted_options(extra, fixed)
        if more is None:
            return None
        out.update({n: o for n, o in more.items() if n not in out})
    return out


def bind_options(factory: Any, options: Mapping[str, Any], *, owner: str, option: str,
                 fixed: Mapping[str, str] | None = None) -> dict[str, Any]:
    """``options`` checked against what ``factory`` takes and converted to its annotations.

    ``owner`` starts every message (``--model shapes-oracle``, ``bench geneval``); ``option`` is
    where the options came from (``--model-args``). ``fixed`` maps parameters the caller fills
    itself to the flag that sets them (``{"seed": "--seed"}``): passing one as an option is an
    error naming that flag. Raises one :class:`InputError` line for the first problem."""
    fixed = dict(fixed or {})
    for key in options:
        if key in fixed:
            raise InputError(f"{owner}: {key} is set with {fixed[key]}, not {option}")
    accepted = accepted_options(factory, fixed)
    if accepted is None:  # takes any keyword: it checks its own
        return {k: guess_value(v) if isinstance(v, str) else v for k, v in options.items()}
    unknown = sorted(set(options) - set(accepted))
    if unknown:
        raise InputError(f"{owner} does not take {', '.join(unknown)} "
                         f"({option} it takes: {', '.join(accepted) or 'none'})")
    return {k: convert(v, accepted[k].annotation, key=k, owner=owner) for k, v in options.items()}


def convert(value: Any, annotation: Any, *, key: str, owner: str = "") -> Any:
    """``value`` as ``annotation`` says (``int``, ``float``, ``bool``, ``str``, ``tuple[str, ...]``,
    ``Literal[...]``, ``X | None``, any of them inside ``Annotated[..., Range(...)]``); text is
    parsed, and a value that does not fit is one :class:`InputError` naming ``key``."""
    members, bounds = _unwrap(annotation)
    optional = type(None) in members
    members = [m for m in members if m is not type(None)]
    if value is None or (optional and isinstance(value, str) and value.strip().lower() in ("none", "null")):
        if optional or not members or Any in members:
            return None
        raise _bad(owner, key, value, members, bounds, optional)
    for m in members:
        try:
            out = _as(value, m)
        except (TypeError, ValueError):
            continue
        if isinstance(out, (int, float)) and not isinstance(out, bool) and not all(b.holds(out) for b in bounds):
            raise _bad(owner, key, value, members, bounds, optional)
        return out
    raise _bad(owner, key, value, members, bounds, optional)


def _as(value: Any, kind: Any) -> Any:
    """``value`` as ``kind``, or TypeError/ValueError."""
    if kind is Any:
        return guess_value(value) if isinstance(value, str) else value
    origin = typing.get_origin(kind)
    if origin is typing.Literal:
        for choice in typing.get_args(kind):
            if value == choice or (isinstance(value, str) and str(choice) == value.strip()):
                return choice
        raise ValueError(value)
    if origin in (tuple, list):
        items = [x.strip() for x in value.split(",") if x.strip()] if isinstance(value, str) else value
        if not isinstance(items, (tuple, list)):
            raise TypeError(value)
        return origin(items)
    if isinstance(origin, type):  # dict[str, Any] and the like: the container's type
        if isinstance(value, origin):
            return value
        raise TypeError(value)
    text = value.strip() if isinstance(value, str) else None
    if kind is bool:
        if isinstance(value, bool):
            return value
        low = (text or "").lower()
        if low in ("1", "true", "yes", "on"):
            return True
        if low in ("0", "false", "no", "off"):
            return False
        raise ValueError(value)
    if kind is int:
        if isinstance(value, bool):
            raise TypeError(value)
        if isinstance(value, int):
            return value
        if text is not None:
            return int(text)
        raise TypeError(value)
    if kind is float:
        if isinstance(value, bool):
            raise TypeError(value)
        if isinstance(value, (int, float)):
            return float(value)
        if text is not None:
            return float(text)
        raise TypeError(value)
    if kind is str:
        if isinstance(value, str):
            return value
        if isinstance(value, (int, float, os.PathLike)) and not isinstance(value, bool):
            return str(value)  # a Path, or a number, given from Python where text is expected
        raise TypeError(value)
    if isinstance(kind, type):
        if isinstance(value, kind):
            return value
        if text is not None and issubclass(kind, os.PathLike):
            return kind(value)
        raise TypeError(value)
    return value  # an annotation this module does not read: the factory checks it


def _bad(owner: str, key: str, value: Any, members: list[Any], bounds: list[Range],
         optional: bool = False) -> InputError:
    words = " or ".join(dict.fromkeys([*(_expected(m, bounds) for m in members), *(["none"] if optional else [])]))
    words = words or "a value"
    return InputError(f"{owner + ': ' if owner else ''}{key} must be {words}, not {value!r}")


def _expected(kind: Any, bounds: list[Range]) -> str:
    rng = "".join(b.words() for b in bounds)
    if kind is int:
        return "a positive integer" if rng == " >= 1" else f"an integer{rng}"
    if kind is float:
        return f"a number{rng}"
    if kind is bool:
        return "true or false"
    if kind is str:
        return "text"
    if typing.get_origin(kind) is typing.Literal:
        return "one of " + ", ".join(str(c) for c in typing.get_args(kind))
    if typing.get_origin(kind) in (tuple, list):
        return "a comma-separated list"
    return getattr(kind, "__name__", str(kind))


def _unwrap(annotation: Any) -> tuple[list[Any], list[Range]]:
    """The types an annotation allows (``X | None``: both; ``Annotated`` peeled) and the ranges on them."""
    base, bounds = _peel(annotation)
    members = []
    for m in typing.get_args(base) if typing.get_origin(base) in (typing.Union, types.UnionType) else [base]:
        m, more = _peel(m)
        members.append(m)
        bounds += more
    return members, bounds


def _peel(annotation: Any) -> tuple[Any, list[Range]]:
    if typing.get_origin(annotation) is Annotated:
        base, *meta = typing.get_args(annotation)
        return base, [m for m in meta if isinstance(m, Range)]
    return annotation, []


def _hints(factory: Any) -> dict[str, Any]:
    """The resolved annotations of ``factory``'s parameters (a class: of its ``__init__``); an
    annotation that cannot be resolved (a name imported only for type checking) counts as Any."""
    target = factory.__init__ if inspect.isclass(factory) else factory
    try:
        return typing.get_type_hints(target, include_extras=True)
    except Exception:  # resolve what can be, one annotation at a time
        pass
    scope = {**vars(typing), **getattr(target, "__globals__", {})}
    out: dict[str, Any] = {}
    for name, ann in (getattr(target, "__annotations__", None) or {}).items():
        try:
            out[name] = eval(ann, scope) if isinstance(ann, str) else ann  # an annotation, from the source
        except Exception:
            out[name] = Any
    return out
