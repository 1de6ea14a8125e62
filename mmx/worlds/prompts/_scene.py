"""A spec read as what its prompt says: the objects in prompt order and the relation.

Language modules render a :class:`Scene`, never a raw spec, so the rule "include[1]
is A, standing in the relation to include[0]" is written once, here.
"""

from __future__ import annotations

from dataclasses import dataclass

from mmx.errors import InputError

from .vocab import COLORS, RELATIONS, TAGS


@dataclass(frozen=True)
class Obj:
    """One object phrase: class name (English, GenEval's), how many, which colour."""

    cls: str
    count: int = 1
    color: str | None = None


@dataclass(frozen=True)
class Scene:
    """The tag, the objects in the order the prompt names them, and the relation of
    ``objects[0]`` to ``objects[1]`` (position prompts only)."""

    tag: str
    objects: tuple[Obj, ...]
    relation: str | None = None


def _obj(clause: dict) -> Obj:
    color = clause.get("color")
    if color is not None and color not in COLORS:
        raise InputError(f"spec colour {color!r} is not one of GenEval's: {', '.join(COLORS)}")
    return Obj(str(clause["class"]), int(clause.get("count", 1)), color)


def scene(spec: dict) -> Scene:
    """Read a GenEval spec (or metadata record) as a :class:`Scene`."""
    tag = spec.get("tag")
    include = spec.get("include")
    if tag not in TAGS or not isinstance(include, list) or not include:
        raise InputError(f"not a GenEval spec (needs tag in {', '.join(TAGS)} and a non-empty include): {spec!r}")
    want = {"single_object": 1, "counting": 1, "colors": 1}.get(tag, 2)
    if len(include) != want:
        raise InputError(f"a {tag} spec has {want} include clause(s), got {len(include)}: {spec!r}")
    objs = [_obj(c) for c in include]
    if tag == "position":
        pos = include[1].get("position")
        if not (isinstance(pos, (list, tuple)) and len(pos) == 2 and pos[0] in RELATIONS and pos[1] == 0):
            raise InputError(f"a position spec needs include[1].position = [relation, 0], got {pos!r}")
        return Scene(tag, (objs[1], objs[0]), pos[0])
    return Scene(tag, tuple(objs))
