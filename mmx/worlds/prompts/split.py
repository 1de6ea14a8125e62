"""The shapes world's train / held-out split: whole combinations that training never sees.

GenEval asks whether a model composes what it knows (a colour with a shape, two shapes side by
side) into scenes it was not shown. Scoring a head on the specs it was trained on answers a
different question, so the shapes world's 266 specs are split by *combination*, not by spec: a
spec is held out when it contains any of the combinations below, so none of them ever reaches
training, in any task:

- single_object: a shape on its own (:data:`HELDOUT_SINGLES`); the shape itself is still seen
  in every other task;
- counting: a (shape, count) pair (:data:`HELDOUT_COUNTS`);
- colors, color_attr: a (colour, shape) pair (:data:`HELDOUT_COLOR_OBJECTS`: one colour per
  shape, each colour at most once);
- two_object, position, color_attr: an unordered pair of shapes (:data:`HELDOUT_OBJECT_PAIRS`:
  three disjoint pairs, so every shape keeps four of its five partners in training).

The split is a pure function of a spec's content (no randomness, no order): 64 of the 266
shapes-world specs (24%) are held out (single_object 1 of 6, two_object 6 of 30, counting 4 of
18, colors 5 of 50, position 13 of 65, color_attr 35 of 97; color_attr carries three
combinations per spec, so more of it falls out). Only the shapes world has a split.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mmx.errors import InputError

from ._specs import specs

#: The split names, and ``all`` (both).
SPLITS: tuple[str, ...] = ("train", "heldout")
CHOICES: tuple[str, ...] = ("all", *SPLITS)

HELDOUT_SINGLES: frozenset[str] = frozenset({"hexagon"})
HELDOUT_COUNTS: frozenset[tuple[str, int]] = frozenset({("circle", 3), ("triangle", 4), ("hexagon", 2),
                                                         ("star", 3)})
HELDOUT_COLOR_OBJECTS: frozenset[tuple[str, str]] = frozenset({
    ("green", "circle"), ("yellow", "square"), ("purple", "triangle"), ("blue", "star"), ("red", "hexagon"),
    ("pink", "cross")})
HELDOUT_OBJECT_PAIRS: frozenset[frozenset[str]] = frozenset(
    frozenset(p) for p in (("square", "star"), ("triangle", "hexagon"), ("circle", "cross")))


def heldout_combinations(spec: Mapping[str, Any]) -> list[str]:
    """The held-out combinations ``spec`` contains, in words (``[]`` for a training spec)."""
    inc = spec["include"]
    found: list[str] = []
    if spec["tag"] == "single_object" and inc[0]["class"] in HELDOUT_SINGLES:
        found.append(f"{inc[0]['class']} alone")
    if spec["tag"] == "counting" and (inc[0]["class"], inc[0]["count"]) in HELDOUT_COUNTS:
        found.append(f"{inc[0]['count']} x {inc[0]['class']}")
    found += [f"{o['color']} {o['class']}" for o in inc if (o.get("color"), o["class"]) in HELDOUT_COLOR_OBJECTS]
    classes = {o["class"] for o in inc}
    if len(inc) == 2 and frozenset(classes) in HELDOUT_OBJECT_PAIRS:
        found.append(" + ".join(sorted(classes)))
    return found


def split_of(spec: Mapping[str, Any]) -> str:
    """``"heldout"`` when the spec contains a held-out combination, else ``"train"``."""
    return "heldout" if heldout_combinations(spec) else "train"


def check_split(split: str) -> str:
    """``split`` if it is one of :data:`CHOICES`, else an :class:`~mmx.errors.InputError`."""
    if split not in CHOICES:
        raise InputError(f"unknown spec split {split!r}: use one of {', '.join(CHOICES)}")
    return split


def split_specs(split: str = "all", world: str = "shapes") -> list[dict]:
    """The specs of ``world`` in ``split`` (``all``, ``train`` or ``heldout``), in the suite's order."""
    check_split(split)
    if split != "all" and world != "shapes":
        raise InputError(f"only the shapes world has a train/held-out split (got world={world!r}, split={split!r})")
    return [s for s in specs(world) if split == "all" or split_of(s) == split]
