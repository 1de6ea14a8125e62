"""Errors that carry a message meant for a person, not a traceback."""

from __future__ import annotations


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
