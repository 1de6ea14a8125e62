"""One rich progress bar for long work (generation, evaluation), with a rate column."""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager


@contextmanager
def progress_bar(total: int, description: str, unit: str = "items", enabled: bool = True,
                 completed: int = 0, status: Callable[[], str] | None = None) -> Iterator[Callable[[int], None]]:
    """Yield ``advance(n)``; shows done/total, ``unit``/s, elapsed and remaining time on stderr
    (rate and time left are means since the bar appeared, shown from the first ``advance``),
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

    def rate(task) -> float | None:
        # the mean since the bar appeared, so rate and time left show from the first advance
        # (rich's own speed needs two advances and leaves the first one's items out, which hid
        # both for the first batch of a run and skewed them after it)
        done = task.completed - completed
        elapsed = task.finished_time if task.finished else task.elapsed  # no decay once done
        return done / elapsed if done > 0 and elapsed else None

    class _Rate(TextColumn):
        def render(self, task):  # rich's TransferSpeedColumn speaks bytes; we count samples
            speed = rate(task)
            return f"{speed:.2f} {unit}/s" if speed else f"- {unit}/s"

    class _Left(TimeRemainingColumn):
        def render(self, task):
            speed = rate(task)
            if task.finished or not speed or task.total is None:
                return super().render(task)
            minutes, seconds = divmod(math.ceil((task.total - task.completed) / speed), 60)
            hours, minutes = divmod(minutes, 60)
            return Text(f"{hours:d}:{minutes:02d}:{seconds:02d}", style="progress.remaining")

    class _Status(TextColumn):
        def render(self, task):  # called on every refresh: shows what happens inside a batch
            return Text(status() if status is not None else "")

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TaskProgressColumn(),
               _Rate(""), TimeElapsedColumn(), _Left(), *((_Status(""),) if status else ()))
    with Progress(*columns, console=Console(file=sys.stderr), transient=False) as prog:
        task = prog.add_task(description, total=total, completed=completed)
        yield lambda n=1: prog.advance(task, n)
