"""The shapes world's train / held-out split and the paraphrase templates (mmx.worlds.prompts)."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from mmx.errors import InputError
from mmx.worlds.prompts import TAGS, render_prompt, specs
from mmx.worlds.prompts.paraphrase import render_paraphrase
from mmx.worlds.prompts.split import (
    HELDOUT_COLOR_OBJECTS,
    HELDOUT_OBJECT_PAIRS,
    heldout_combinations,
    split_of,
    split_specs,
)


def test_split_is_deterministic_disjoint_and_covers_every_task() -> None:
    train, held = split_specs("train"), split_specs("heldout")
    assert split_specs("train") == train and split_specs("heldout") == held  # no randomness
    keys = {json.dumps(s) for s in train}, {json.dumps(s) for s in held}
    assert not keys[0] & keys[1] and len(train) + len(held) == len(specs("shapes")) == 266
    assert (len(train), len(held)) == (202, 64)  # 24% held out, as documented in split.py
    for tag in TAGS:  # both splits hold every task
        assert any(s["tag"] == tag for s in held) and any(s["tag"] == tag for s in train), tag
    assert Counter(s["tag"] for s in held) == {"single_object": 1, "two_object": 6, "counting": 4, "colors": 5,
                                               "position": 13, "color_attr": 35}
    # the split is a function of content: a spec's dict order or a copy does not change it
    assert all(split_of(json.loads(json.dumps(s))) == "heldout" for s in held)


def test_no_training_spec_holds_a_heldout_combination() -> None:
    for s in split_specs("train"):
        assert heldout_combinations(s) == []
        assert not any((o.get("color"), o["class"]) in HELDOUT_COLOR_OBJECTS for o in s["include"])
        classes = frozenset(o["class"] for o in s["include"])
        assert len(s["include"]) < 2 or classes not in HELDOUT_OBJECT_PAIRS
    held = split_specs("heldout")
    assert all(heldout_combinations(s) for s in held)
    # every held-out colour-object pair and object pair is actually tested
    seen = {c for s in held for c in heldout_combinations(s)}
    assert {f"{c} {o}" for c, o in HELDOUT_COLOR_OBJECTS} <= seen
    assert {" + ".join(sorted(p)) for p in HELDOUT_OBJECT_PAIRS} <= seen


def test_split_refuses_unknown_names_and_other_worlds() -> None:
    with pytest.raises(InputError, match="unknown spec split 'test'"):
        split_specs("test")
    with pytest.raises(InputError, match="only the shapes world"):
        split_specs("heldout", world="coco")
    assert len(split_specs("all", world="coco")) == 553


def test_paraphrase_templates_differ_from_geneval_and_keep_the_content() -> None:
    seen: set[str] = set()
    for s in specs("shapes"):
        p, g = render_paraphrase(s), render_prompt(s, "en")
        assert p != g and not p.startswith("a photo of")
        for o in s["include"]:
            assert o["class"] in p and (o.get("color") is None or o["color"] in p)
        seen.add(s["tag"])
    assert seen == set(TAGS)
    pos = next(s for s in specs("shapes") if s["tag"] == "position")
    assert render_prompt(pos, "en") == "a photo of a cross left of a hexagon"
    assert render_paraphrase(pos) == "a picture in which a cross is to the left of a hexagon"
