"""One rich progress bar for long work (generation, evaluation), with a rate column."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager


@contextmanager
def progress_bar(total: int, description: str, unit: str = "items", enabled: bool = True,
                 completed: int = 0, status: Callable[[], str] | None = None) -> Iterator[Callable[[int], None]]:
    """Yield ``advance(n)``; shows done/total, ``unit``/s, elapsed and remaining time on stderr,
    and ``status()`` (redrawn live, e.g. an API adapter's requests in flight) when given.

    Disabled (a no-op) when ``enabled`` is false, so library callers and tests stay quiet.
    """
    if not enabled:
        yield lambda n=1: None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )
    from rich.text import Text

    class _Rate(TextColumn):
        def render(self, task):  # rich's TransferSpeedColumn speaks bytes; we count samples
            speed = task.finished_speed or task.speed
            return f"{speed:.2f} {unit}/s" if speed else f"- {unit}/s"

    class _Status(TextColumn):
        def render(self, task):  # called on every refresh: shows what happens inside a batch
            return Text(status() if status is not None else "")

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TaskProgressColumn(),
               _Rate(""), TimeElapsedColumn(), TimeRemainingColumn(), *((_Status(""),) if status else ()))
    with Progress(*columns, console=Console(file=sys.stderr), transient=False) as prog:
        task = prog.add_task(description, total=total, completed=completed)
        yield lambda n=1: prog.advance(task, n)
