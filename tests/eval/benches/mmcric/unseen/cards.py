"""What the test-only families' layouts share: match facts, column widths, the draw functions.

Both families (``ledger`` / ``broadcast`` / ``minimal`` here in :mod:`.layouts`, and the
held-out family's own) lay a simulated :class:`~mmx.eval.benches.mmcric.match.Match` out
in their own styles; the pieces below do not depend on the style, so they live once.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import Protocol

from PIL import Image

from mmx.eval.benches.mmcric.draw import card_pages
from mmx.eval.benches.mmcric.match import Innings, Match

__all__ = ["KEEPER", "drawers", "result_parts", "stretch", "team_innings", "widths"]

KEEPER = 5  # the match model's wicketkeeper bats at six


class _Measures(Protocol):
    def width_of(self, s: str, size: int, bold: bool = False) -> int: ...


class _Sizes(Protocol):
    head: int
    body: int
    pad: int
    num_min: int


def team_innings(m: Match, inn: Innings) -> int:
    """1 or 2: the batting side's own innings number."""
    return sum(1 for i in m.innings[: m.innings.index(inn) + 1] if i.batting == inn.batting)


def result_parts(m: Match, hi: bool) -> tuple[str, str, str]:
    """(kind, winner, loser) of the result: kind runs, wickets, innings, tie or draw; the teams'
    names in the card's language ("" where nobody won)."""
    r = m.result
    kind = r.kind if r.kind == "tie" or r.winner is not None else "draw"
    if r.winner is None:
        return kind, "", ""
    return kind, m.team_name(r.winner, hi), m.team_name(1 - r.winner, hi)


def widths(cv: _Measures, st: _Sizes, head: Sequence[str], rows: Sequence[Sequence[str]], first_num: int,
           bold_rows: Collection[int] = ()) -> list[int]:
    """Each column's width: its widest header (bold, ``st.head``) or cell (``st.body``; bold in
    ``bold_rows``) plus padding each side; number columns (from ``first_num``) at least ``st.num_min``."""
    ws = []
    for j, h in enumerate(head):
        w = cv.width_of(h, st.head, True)
        for i, r in enumerate(rows):
            if j < len(r):
                w = max(w, cv.width_of(r[j], st.body, i in bold_rows))
        ws.append(max(w + 2 * st.pad, st.num_min) if j >= first_num else w + 2 * st.pad)
    return ws


def stretch(ws: list[int], width: int, slack: int) -> list[int]:
    """``ws`` with column ``slack`` widened so the table fills ``width`` (never narrowed)."""
    ws = list(ws)
    ws[slack] += max(width - sum(ws), 0)
    return ws


def drawers(layout_fn: Callable, layouts: tuple[str, ...], family: str) -> tuple[Callable, Callable]:
    """A family's ``draw`` and ``draw_match`` from its ``layout_fn(m, innings, layout, lang, digits)``,
    which returns a canvas that records its strings and the card's height."""

    def draw(m: Match, innings: Sequence[int], layout: str, lang: str = "en",
             digits: str = "western") -> tuple[Image.Image, list[str]]:
        """The image of ``m``'s ``innings`` (0-based) in ``layout`` and every string drawn on it, in order."""
        if layout not in layouts:
            raise ValueError(f"unknown {family} layout {layout!r}; choose one of {', '.join(layouts)}")
        cv, height = layout_fn(m, innings, layout, lang, digits)
        return cv.finish(height), cv.strings

    def draw_match(m: Match, layout: str, lang: str = "en",
                   digits: str = "western") -> list[tuple[Image.Image, list[str]]]:
        """Every image of ``m`` (both innings on one for limited overs, one per innings for a Test)."""
        return [draw(m, page, layout, lang, digits) for page in card_pages(m)]

    return draw, draw_match
