"""Printing rich tables whole, for every command that prints one (mmx eval, tokens, bench)."""

from __future__ import annotations

from typing import Any


def print_table(table: Any, *lines: str) -> None:
    """Print a rich table whole, then ``lines``: the console is as wide as the table
    needs, so no cell is cut to ``3.…`` in a narrow terminal or a pipe (rich would
    shrink and elide columns to fit 80; a number shown in part is a wrong number).
    A terminal narrower than the table wraps its lines instead."""
    from rich.console import Console

    console = Console()
    # measured without the console's limit (a measurement is clamped to the width it is given)
    need = console.measure(table, options=console.options.update_width(10_000)).maximum
    if need > console.width:
        console = Console(width=need)
    console.print(table)
    for line in lines:
        console.print(line, markup=False, highlight=False)
