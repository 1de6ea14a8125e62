"""STOPGAP until ``mmx.eval.benches.geneval.prompts`` (the multilingual prompt generator)
lands: the shapes world's GenEval specs and their English wording.

The bench reads prompts only through :func:`prompt_source`; when the generator package
exists it is used (``specs(world)``, ``render_prompt(spec, language)``, ``LANGUAGES``) and
nothing here is. To retire this file: delete it and the fallback branch of
:func:`prompt_source`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from mmx.errors import InputError
from mmx.eval.benches.geneval.protocol import COLORS, RELATIONS

__all__ = ["prompt_source", "render_english", "shapes_specs"]

_SHAPES = ("circle", "square", "triangle", "star", "hexagon", "cross")
_NUMBERS = {2: "two", 3: "three", 4: "four"}


def shapes_specs(per_tag: int = 8) -> list[dict[str, Any]]:
    """``per_tag`` specs of each GenEval task over the shapes world (GenEval records
    without ``prompt``), in GenEval's task order; deterministic."""
    n = len(_SHAPES)
    out: list[dict[str, Any]] = []
    for k in range(per_tag):
        out.append({"tag": "single_object", "include": [{"class": _SHAPES[k % n], "count": 1}]})
    for k in range(per_tag):
        a, b = _SHAPES[k % n], _SHAPES[(k + 1 + k // n) % n]
        out.append({"tag": "two_object", "include": [{"class": a, "count": 1}, {"class": b, "count": 1}]})
    for k in range(per_tag):
        c = 2 + k % 3
        s = _SHAPES[(k + 2) % n]
        out.append({"tag": "counting", "include": [{"class": s, "count": c}], "exclude": [{"class": s, "count": c + 1}]})
    for k in range(per_tag):
        out.append({"tag": "colors", "include": [{"class": _SHAPES[(k + 3) % n], "count": 1,
                                                   "color": COLORS[k % len(COLORS)]}]})
    for k in range(per_tag):
        a, b = _SHAPES[(k + 4) % n], _SHAPES[(k + 1) % n]
        out.append({"tag": "position", "include": [{"class": b, "count": 1},
                                                   {"class": a, "count": 1, "position": [RELATIONS[k % 4], 0]}]})
    for k in range(per_tag):
        a, b = _SHAPES[(k + 5) % n], _SHAPES[k % n]
        c1, c2 = COLORS[(3 * k) % len(COLORS)], COLORS[(3 * k + 4) % len(COLORS)]
        out.append({"tag": "color_attr", "include": [{"class": a, "count": 1, "color": c1},
                                                     {"class": b, "count": 1, "color": c2}]})
    return out


def _a(word: str) -> str:
    return ("an " if word[0] in "aeiou" else "a ") + word


def _plural(word: str) -> str:
    return word + ("es" if word.endswith(("s", "x")) else "s")


def render_english(spec: dict[str, Any]) -> str:
    """GenEval's English templates (``prompts/create_prompts.py``) for one spec."""
    inc, tag = spec["include"], spec["tag"]
    if tag == "single_object":
        return f"a photo of {_a(inc[0]['class'])}"
    if tag == "two_object":
        return f"a photo of {_a(inc[0]['class'])} and {_a(inc[1]['class'])}"
    if tag == "counting":
        return f"a photo of {_NUMBERS[inc[0]['count']]} {_plural(inc[0]['class'])}"
    if tag == "colors":
        return f"a photo of {_a(inc[0]['color'])} {inc[0]['class']}"
    if tag == "position":
        return f"a photo of {_a(inc[1]['class'])} {inc[1]['position'][0]} {_a(inc[0]['class'])}"
    if tag == "color_attr":
        return (f"a photo of {_a(inc[0]['color'])} {inc[0]['class']} and "
                f"{_a(inc[1]['color'])} {inc[1]['class']}")
    raise InputError(f"no English template for tag {tag!r}")


def prompt_source() -> tuple[Callable[[str], list[dict[str, Any]]], Callable[[dict[str, Any], str], str],
                             tuple[str, ...], bool]:
    """``(specs, render_prompt, languages, is_generator)``: the prompt generator's API when
    it is installed, else this file's English-only stand-in for the shapes world."""
    try:
        mod = importlib.import_module("mmx.eval.benches.geneval.prompts")
    except ModuleNotFoundError as exc:
        if exc.name != "mmx.eval.benches.geneval.prompts":
            raise
        mod = None
    if mod is not None:
        langs = tuple(mod.LANGUAGES)
        return mod.specs, lambda spec, lang: mod.render_prompt(spec, lang), langs, True

    def specs(world: str = "shapes") -> list[dict[str, Any]]:
        if world != "shapes":
            raise InputError(f"world {world!r} needs the prompt generator (mmx.eval.benches.geneval.prompts); "
                             "pass --data with GenEval metadata instead")
        return shapes_specs()

    def render(spec: dict[str, Any], language: str) -> str:
        if language != "en":
            raise InputError(f"language {language!r}: only en is available until the prompt generator lands")
        return render_english(spec)

    return specs, render, ("en",), False
