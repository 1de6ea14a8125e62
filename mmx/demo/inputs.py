"""What every tab shares: input checks, limits, the per-request deadline and its errors.

No Gradio at import time: the checks raise :class:`~mmx.errors.InputError` with a
message meant for the person who typed the input; :class:`Server` (used by the app
while it serves) runs a tab's work with a deadline and turns every failure into
one line on the page.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any, TypeVar

from mmx.errors import InputError, MmxError

#: longest text the Render and Read tabs take, in characters
MAX_TEXT_CHARS = 10_000
#: longest question, in characters
MAX_QUESTION_CHARS = 500
#: seconds a request may run before the app gives up on it (``mmx demo --timeout``)
DEFAULT_TIMEOUT_S = 60.0
#: worker threads that run requests (timed-out work keeps its worker until it ends)
WORKERS = 4
SEED_MAX = 2**31 - 1

T = TypeVar("T")

log = logging.getLogger("mmx.demo")


class RequestTimeout(MmxError):
    """A request ran past the app's per-request deadline."""


def run_with_deadline(pool: Executor, fn: Callable[..., T], timeout: float, what: str, *args: Any) -> T:
    """``fn(*args)`` on ``pool``, waiting at most ``timeout`` seconds.

    A request that runs over raises :class:`RequestTimeout`; its thread cannot be
    stopped, so it finishes in the background while the pool (a few workers) stays
    bounded: requests that find every worker busy time out the same way.
    """
    future = pool.submit(fn, *args)
    try:
        return future.result(timeout=timeout)
    except FutureTimeout:
        future.cancel()
        raise RequestTimeout(f"{what} took longer than {timeout:g} s and was stopped waiting for; "
                             "try a shorter input (or start the demo with a larger --timeout)") from None


class Server:
    """Runs the tabs' work in a small pool with a deadline; every failure becomes a ``gr.Error``
    (one line on the page and for API clients, never a traceback)."""

    def __init__(self, timeout: float = DEFAULT_TIMEOUT_S, workers: int = WORKERS) -> None:
        self.timeout = timeout
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="mmx-demo")

    def run(self, what: str, fn: Callable[..., T], *args: Any) -> T:
        """``fn(*args)`` within the deadline; ``what`` names the work in messages ("Rendering")."""
        import gradio as gr  # only a serving app calls this; the checks above stay Gradio-free

        try:
            return run_with_deadline(self.pool, fn, self.timeout, what, *args)
        except MmxError as exc:
            raise gr.Error(str(exc), print_exception=False) from None
        except Exception as exc:  # a bug or a failing model: a message on the page, the traceback in the log
            log.exception("mmx demo: %s failed", what)
            msg = str(exc).strip().splitlines()[0][:300] if str(exc).strip() else ""
            raise gr.Error(f"{what} failed unexpectedly: {type(exc).__name__}{': ' + msg if msg else ''} "
                           "(the server log has the details)", print_exception=False) from None


def check_text(text: object, what: str = "text", limit: int = MAX_TEXT_CHARS) -> str:
    """``text`` if it is a non-blank string within ``limit`` characters, else a clear InputError."""
    if text is None:
        text = ""
    if not isinstance(text, str):
        raise InputError(f"the {what} must be a string, not {type(text).__name__}")
    if len(text) > limit:
        raise InputError(f"the {what} is {len(text):,} characters long; the limit is {limit:,} characters. "
                         "Please shorten it.")
    if not text.strip():
        raise InputError(f"the {what} is empty: type or paste something first")
    if any("\ud800" <= ch <= "\udfff" for ch in text):
        raise InputError(f"the {what} holds unpaired surrogates (not valid Unicode text)")
    return text


def check_number(value: object, what: str, low: float, high: float, integer: bool = False) -> float:
    """``value`` as a float in ``[low, high]`` (a whole number if ``integer``), else a clear InputError."""
    if isinstance(value, bool) or value is None or value == "":
        raise InputError(f"{what} must be a number from {low:g} to {high:g}")
    try:
        x = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise InputError(f"{what} must be a number from {low:g} to {high:g} (got {value!r})") from None
    if not math.isfinite(x) or not low <= x <= high:
        raise InputError(f"{what} must be from {low:g} to {high:g} (got {value!r})")
    if integer and not x.is_integer():
        raise InputError(f"{what} must be a whole number (got {value!r})")
    return x


def check_seed(value: object) -> int:
    """A seed from 0 to :data:`SEED_MAX`."""
    return int(check_number(value, "seed", 0, SEED_MAX, integer=True))


def check_choice(value: object, what: str, choices: Any) -> str:
    """``value`` if it is one of ``choices``, else an InputError listing them (with a did-you-mean)."""
    options = list(choices)
    if value not in options:
        import difflib

        close = difflib.get_close_matches(str(value), [str(o) for o in options], n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise InputError(f"unknown {what} {value!r}{hint}; choose one of: {', '.join(map(str, options))}")
    return str(value)


def clear_on_error(event: Any, outputs: Sequence[Any]) -> None:
    """Empty ``outputs`` when ``event`` (a Gradio listener, e.g. ``button.click(...)``) fails, so
    the page never shows an earlier request's answer beside the new request's error (Gradio
    leaves outputs as they were when a function raises). The clearing step is private: API
    clients get the error, not an extra endpoint."""
    n = len(outputs)
    event.failure(lambda: None if n == 1 else (None,) * n, None, list(outputs), queue=False,
                  api_visibility="private")
