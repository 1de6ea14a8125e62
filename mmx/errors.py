"""Errors that carry a message meant for a person, not a traceback."""

from __future__ import annotations

from typing import Any


class MmxError(Exception):
    """Base class: the command line prints the message and exits non-zero."""

    exit_code = 2


class UnknownNameError(MmxError, KeyError):
    """A registry name that does not exist; the message suggests close matches."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class InputError(MmxError, ValueError):
    """Input that cannot be used as given (a file, a text, an option value)."""


class MissingDependencyError(MmxError, ImportError):
    """An optional package is not installed; the message says how to install it."""


def first_line(exc: BaseException, limit: int = 300) -> str:
    """The first non-empty line of ``exc``'s message (its type's name when there is none), for
    a one-line error: a line longer than ``limit`` is cut after its last whole word and ends
    with "…", so a cause is never shown cut mid-word as if it were whole."""
    text = next((line.strip() for line in str(exc).splitlines() if line.strip()), "") or type(exc).__name__
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    if text[limit - 1] != " ":  # the cut falls inside a word: drop that word
        space = head.rfind(" ")
        head = head[:space] if space > 0 else head
    return head.rstrip(" ,;:") + "…"


class RequestsFailed(MmxError):
    """Requests to a model server that still failed after their retries (an API adapter's 429s,
    5xx, timeouts, malformed answers). Not an :class:`InputError`: nothing was wrong with the
    input, and a rerun may succeed. The runner leaves those samples out of ``samples.jsonl`` (a
    rerun asks for exactly them again) and lists them with :attr:`failures` in the results.

    ``failures`` maps request id -> reason. ``replay()`` is a context manager under which the
    adapter answers the same requests again from memory, without sending anything: the
    answered ones with their answers, the failed ones failing at once (the runner uses it to
    ask the batch again sample by sample and keep the answered samples)."""

    def __init__(self, message: str, failures: dict[str, str], replay: Any = None) -> None:
        super().__init__(message)
        self.failures = dict(failures)
        self._replay = replay

    def replay(self) -> Any:
        import contextlib

        return self._replay() if self._replay is not None else contextlib.nullcontext()
