"""GenEval's verdict for one image: ``judge(metadata, detections) -> (correct, reason)``.

This is the protocol core of GenEval (Ghosh et al., 2023; djghosh13/geneval,
``evaluation/evaluate_images.py``) as a pure function of one metadata record and the
raw detections of one image, so that any detector (Mask2Former, OWLv2, the exact
shapes detector of the offline twin) and any colour classifier can feed it. The rules,
in GenEval's order:

1. Per class, keep detections with ``score > 0.3`` (``> 0.9`` for every class when the
   record's tag is ``counting``), sort by score, highest first, and keep at most 16.
   No NMS (GenEval's default ``max_overlap`` of 1.0 switches it off).
2. Each ``include`` clause takes the first ``count`` objects of its class. Fewer than
   ``count``: the clause fails. Otherwise, with ``color``: fewer than ``count`` of those
   objects have that colour -> fails. Then, with ``position: [relation, j]`` (checked
   only if the colour test passed): the group of clause ``j`` must itself have passed,
   and every object of this clause must stand in ``relation`` to every object of that
   group (:func:`relative_position`).
3. Each ``exclude`` clause fires when its class has ``>= count`` objects after step 1.
4. The image is correct iff every include clause passed and no exclude clause fired.
   Counting asks for an exact number through an exclude clause of ``count + 1``.

Reason strings are GenEval's, joined by newlines. Where GenEval prints a position
verdict with two relations (a diagonal offset), it joins a Python ``set``, whose order
depends on the process's string hashing; :func:`relative_position` builds the same set
the same way, so the reason string is GenEval's in the same process.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

__all__ = [
    "COLORS", "COUNTING_THRESHOLD", "MAX_OBJECTS", "POSITION_THRESHOLD", "RELATIONS", "TAGS", "THRESHOLD",
    "color_queries", "details", "judge", "keep_detections", "position_offsets", "relative_position",
]

#: GenEval's ten colours, in its order (the order of the "; and ..." part of colour reasons)
COLORS: tuple[str, ...] = ("red", "orange", "yellow", "green", "blue", "purple", "pink", "brown", "black", "white")
#: the six GenEval tasks, in the order of GenEval's metadata file and tables
TAGS: tuple[str, ...] = ("single_object", "two_object", "counting", "colors", "position", "color_attr")
#: the four relations of position clauses (A relative to B; image y grows downwards)
RELATIONS: tuple[str, ...] = ("left of", "right of", "above", "below")
#: confidence a detection must exceed (strictly)
THRESHOLD = 0.3
#: the same, for every class, when the tag is ``counting``
COUNTING_THRESHOLD = 0.9
#: at most this many detections per class are kept
MAX_OBJECTS = 16
#: share of the two objects' summed extent subtracted from their centre offset
POSITION_THRESHOLD = 0.1
#: below this (in every component) the revised offset means "no relation"
DEAD_ZONE = 1e-3


def keep_detections(detections: Sequence[Mapping[str, Any]], tag: str) -> dict[str, list[Mapping[str, Any]]]:
    """Rule 1: per class, the detections above the tag's threshold, best first, at most 16.

    Equal scores keep the order GenEval gives them: GenEval reverses ``numpy.argsort`` (the
    default, not always stable, sort) of the class's scores in detection order, and so does
    this, on the same float64 values.
    """
    threshold = COUNTING_THRESHOLD if tag == "counting" else THRESHOLD
    by_class: dict[str, list[Mapping[str, Any]]] = {}
    for d in detections:
        by_class.setdefault(str(d["class"]), []).append(d)
    kept: dict[str, list[Mapping[str, Any]]] = {}
    for cls, dets in by_class.items():
        scores = np.asarray([float(d["score"]) for d in dets], dtype=np.float64)
        order = np.argsort(scores)[::-1]
        order = order[scores[order] > threshold][:MAX_OBJECTS]
        if len(order):
            kept[cls] = [dets[i] for i in order.tolist()]
    return kept


def relative_position(box_a: Sequence[float], box_b: Sequence[float]) -> set[str]:
    """The relations of box A to box B (``[x0, y0, x1, y1]``, y down) under GenEval's rule.

    ``offset = centre_A - centre_B``; each component is shrunk towards 0 by
    ``POSITION_THRESHOLD * (extent_A + extent_B)`` along it (never past 0); if both shrunk
    components are below 1e-3 in size, no relation holds; else ``(dx, dy)`` = shrunk offset
    / length of the full offset, and a component beyond -0.5 / +0.5 gives left of / right
    of (x) and above / below (y). Identical centres give no relation.
    """
    d = position_offsets(box_a, box_b)
    if d is None:
        return set()
    dx, dy = d
    relations: set[str] = set()
    # added in GenEval's order: the set's iteration order (used in reasons) then matches it
    if dx < -0.5:
        relations.add("left of")
    if dx > 0.5:
        relations.add("right of")
    if dy < -0.5:
        relations.add("above")
    if dy > 0.5:
        relations.add("below")
    return relations


def position_offsets(box_a: Sequence[float], box_b: Sequence[float]) -> tuple[float, float] | None:
    """``(dx, dy)`` of :func:`relative_position` (the shrunk offset of A from B over the full
    offset's length), or ``None`` inside the dead zone, where no relation holds."""
    a = np.asarray(box_a[:4], dtype=np.float64).reshape(2, 2)
    b = np.asarray(box_b[:4], dtype=np.float64).reshape(2, 2)
    offset = a.mean(axis=0) - b.mean(axis=0)
    dims = np.abs(a[1] - a[0]) + np.abs(b[1] - b[0])
    revised = np.maximum(np.abs(offset) - POSITION_THRESHOLD * dims, 0) * np.sign(offset)
    if np.all(np.abs(revised) < DEAD_ZONE):
        return None
    dx, dy = revised / np.linalg.norm(offset)
    return float(dx), float(dy)


def color_queries(metadata: Mapping[str, Any], detections: Sequence[Mapping[str, Any]]) -> list[int]:
    """Indices into ``detections`` of the objects whose colour the judge may read: the first
    ``count`` kept objects of each include clause that names a colour. A detector with an
    expensive colour classifier classifies only these (GenEval classifies exactly these)."""
    kept = keep_detections(detections, str(metadata.get("tag", "")))
    pos = {id(d): i for i, d in enumerate(detections)}
    want: list[int] = []
    for req in metadata.get("include", []):
        if "color" not in req:
            continue
        objs = kept.get(req["class"], [])[: req["count"]]
        if len(objs) < req["count"]:
            continue
        for d in objs:
            i = pos[id(d)]
            if i not in want:
                want.append(i)
    return want


def judge(metadata: Mapping[str, Any], detections: Sequence[Mapping[str, Any]]) -> tuple[bool, str]:
    """GenEval's verdict on one image: ``(correct, reason)``.

    ``metadata`` is one GenEval record (``tag``, ``include``, optional ``exclude``, ``prompt``);
    ``detections`` are the image's raw detections, unsorted and unfiltered:
    ``{"class": str, "box": [x0, y0, x1, y1], "score": float, "color": str | None}`` where
    ``color`` is the colour classifier's answer for that object (read only for the objects
    :func:`color_queries` names). ``reason`` is empty when correct, else GenEval's reason lines.
    """
    kept = keep_detections(detections, str(metadata.get("tag", "")))
    correct = True
    reasons: list[str] = []
    groups: list[list[Mapping[str, Any]] | None] = []
    for req in metadata.get("include", []):
        cls, count = req["class"], req["count"]
        matched = True
        found = kept.get(cls, [])[:count]
        if len(found) < count:
            correct = matched = False
            reasons.append(f"expected {cls}>={count}, found {len(found)}")
        else:
            if "color" in req:
                colors = [d.get("color") for d in found]
                hits = colors.count(req["color"])
                if hits < count:
                    correct = matched = False
                    seen = ", ".join(f"{colors.count(c)} {c}" for c in COLORS if c in colors)
                    reasons.append(f"expected {req['color']} {cls}>={count}, found {hits} {req['color']}; and {seen}")
            if "position" in req and matched:
                relation, target = req["position"]
                if groups[target] is None:
                    correct = matched = False
                    reasons.append(f"no target for {cls} to be {relation}")
                else:
                    for obj in found:
                        for other in groups[target]:  # type: ignore[union-attr]
                            rels = relative_position(obj["box"], other["box"])
                            if relation not in rels:
                                correct = matched = False
                                reasons.append(f"expected {cls} {relation} target, found {' and '.join(rels)} target")
                                break
                        if not matched:
                            break
        groups.append(found if matched else None)
    for req in metadata.get("exclude", []):
        cls, count = req["class"], req["count"]
        n = len(kept.get(cls, []))
        if n >= count:
            correct = False
            reasons.append(f"expected {cls}<{count}, found {n}")
    return correct, "\n".join(reasons)


def details(detections: Sequence[Mapping[str, Any]], tag: str) -> str:
    """GenEval's ``details`` column: the kept boxes per class as ``[x0, y0, x1, y1, score]``
    (a JSON string, like GenEval's)."""
    kept = keep_detections(detections, tag)
    return json.dumps({cls: [[float(v) for v in d["box"][:4]] + [float(d["score"])] for d in dets]
                       for cls, dets in kept.items()})
