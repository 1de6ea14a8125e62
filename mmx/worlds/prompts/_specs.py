"""GenEval's spec sampler, re-implemented from its description (prompts/create_prompts.py).

GenEval builds its 553 prompts with ``numpy.random.default_rng(43)``: the 80
classes as one permutation (single_object), then 100 draws for each of the other
five tasks, in task order, and drops exact duplicates keeping the first. Every
draw below consumes the generator exactly as GenEval's does (same calls, same
sizes, same order), which is what makes the English file come out byte-identical;
reorder nothing here.
"""

from __future__ import annotations

import json
from functools import cache

import numpy as np

from mmx.errors import InputError

from .vocab import COLORS, RELATIONS, WORLDS

SEED = 43
PER_TASK = 100
MAX_COUNT = 4


def _single(rng: np.random.Generator, names: tuple[str, ...]) -> list[dict]:
    idxs = rng.choice(len(names), size=len(names), replace=False)
    return [{"tag": "single_object", "include": [{"class": names[i], "count": 1}]} for i in idxs]


def _two(rng: np.random.Generator, names: tuple[str, ...]) -> dict:
    a, b = rng.choice(len(names), size=2, replace=False)
    return {"tag": "two_object", "include": [{"class": names[a], "count": 1}, {"class": names[b], "count": 1}]}


def _counting(rng: np.random.Generator, names: tuple[str, ...]) -> dict:
    idx = rng.choice(len(names))
    num = int(rng.integers(2, MAX_COUNT, endpoint=True))
    return {"tag": "counting", "include": [{"class": names[idx], "count": num}],
            "exclude": [{"class": names[idx], "count": num + 1}]}


def _colorable(rng: np.random.Generator, names: tuple[str, ...], size: int | None) -> list[int]:
    # GenEval never colours "person": it draws from the other n-1 classes and
    # rotates past person's index. A world without "person" draws plainly.
    if "person" not in names:
        if size is None:
            return [int(rng.choice(len(names)))]
        return [int(i) for i in rng.choice(len(names), size=size, replace=False)]
    person = names.index("person")
    if size is None:
        return [(int(rng.choice(len(names) - 1)) + 1 + person) % len(names)]
    idxs = rng.choice(len(names) - 1, size=size, replace=False) + 1
    return [int(i) for i in (idxs + person) % len(names)]


def _color(rng: np.random.Generator, names: tuple[str, ...]) -> dict:
    (idx,) = _colorable(rng, names, None)
    color = COLORS[rng.choice(len(COLORS))]
    return {"tag": "colors", "include": [{"class": names[idx], "count": 1, "color": color}]}


def _position(rng: np.random.Generator, names: tuple[str, ...]) -> dict:
    a, b = rng.choice(len(names), size=2, replace=False)
    rel = RELATIONS[rng.choice(len(RELATIONS))]
    return {"tag": "position", "include": [{"class": names[b], "count": 1},
                                           {"class": names[a], "count": 1, "position": [rel, 0]}]}


def _color_attr(rng: np.random.Generator, names: tuple[str, ...]) -> dict:
    a, b = _colorable(rng, names, 2)
    ca, cb = rng.choice(len(COLORS), size=2, replace=False)
    return {"tag": "color_attr", "include": [{"class": names[a], "count": 1, "color": COLORS[ca]},
                                             {"class": names[b], "count": 1, "color": COLORS[cb]}]}


@cache
def _suite(world: str) -> tuple[str, ...]:
    names = WORLDS[world]
    rng = np.random.default_rng(SEED)
    drawn = _single(rng, names)
    for make in (_two, _counting, _color, _position, _color_attr):
        drawn.extend(make(rng, names) for _ in range(PER_TASK))
    # GenEval de-duplicates on the whole sample (its prompt is a function of the
    # spec, so the spec alone decides); keep the first of each.
    seen: set[str] = set()
    out: list[str] = []
    for spec in drawn:
        text = json.dumps(spec)
        if text not in seen:
            seen.add(text)
            out.append(text)
    return tuple(out)


def specs(world: str = "coco") -> list[dict]:
    """The GenEval specs (``tag``, ``include``, ``exclude`` when present; no ``prompt``).

    ``world="coco"`` gives GenEval's 553 specs in its order; ``world="shapes"`` runs
    the same procedure (seed 43, 100 draws per task, counts 2-4 for counting, first of
    duplicates kept) over :data:`SHAPES`. Each call returns fresh dicts.
    """
    if world not in WORLDS:
        raise InputError(f"unknown prompt world {world!r}: use one of {', '.join(WORLDS)}")
    return [json.loads(t) for t in _suite(world)]
