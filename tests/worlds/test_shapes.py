"""The offline twin: the drawer satisfies GenEval records, the detector reads them back
from pixels, and every planted error is judged incorrect."""

from __future__ import annotations

import random

import numpy as np
import pytest

from mmx.errors import InputError
from mmx.eval.benches.geneval.detect import DETECTORS, Detector, create_detector, detect_and_color
from mmx.worlds.geneval import COLORS, RELATIONS, judge, relative_position
from mmx.worlds.shapes import (
    BACKGROUND,
    DEFAULT_COLORS,
    PALETTE,
    PLANTS,
    SHAPES,
    DrawnObject,
    ShapesDetector,
    can_plant,
    canonical_layout,
    components,
    draw,
    layout,
    render,
)


def records(n: int, seed: int = 0) -> list[dict]:
    r = random.Random(seed)
    out = []
    for _ in range(n):
        a, b = r.sample(SHAPES, 2)
        c1, c2 = r.sample(COLORS, 2)
        k = r.randint(2, 4)
        out += [
            {"tag": "single_object", "include": [{"class": a, "count": 1}], "prompt": ""},
            {"tag": "two_object", "include": [{"class": a, "count": 1}, {"class": b, "count": 1}], "prompt": ""},
            {"tag": "counting", "include": [{"class": a, "count": k}], "exclude": [{"class": a, "count": k + 1}],
             "prompt": ""},
            {"tag": "colors", "include": [{"class": a, "count": 1, "color": c1}], "prompt": ""},
            {"tag": "position", "include": [{"class": b, "count": 1},
                                            {"class": a, "count": 1, "position": [r.choice(RELATIONS), 0]}],
             "prompt": ""},
            {"tag": "color_attr", "include": [{"class": a, "count": 1, "color": c1},
                                              {"class": b, "count": 1, "color": c2}], "prompt": ""},
        ]
    return out


DET = ShapesDetector()


@pytest.mark.parametrize("size", [64, 128])
def test_drawn_records_are_judged_correct(size: int) -> None:
    recs = records(12)
    images = [draw(r, seed=i, size=size) for i, r in enumerate(recs)]
    for r, d in zip(recs, DET.detect(images)):
        assert judge(r, d) == (True, ""), r


def test_detector_reads_classes_colours_and_boxes_from_pixels() -> None:
    objs = [DrawnObject(s, c, (8 + 40 * (i % 3), 8 + 40 * (i // 3), 38 + 40 * (i % 3), 38 + 40 * (i // 3)))
            for i, (s, c) in enumerate(zip(SHAPES, ("red", "white", "black", "pink", "brown", "yellow")))]
    found = DET.detect([render(objs, 128)])[0]
    assert sorted((d["class"], d["color"]) for d in found) == sorted((o.cls, o.color) for o in objs)
    assert all(d["score"] == 1.0 for d in found)
    sq = next(d for d in found if d["class"] == "square")
    assert sq["box"] == [48.0, 8.0, 78.0, 38.0]


def test_every_shape_in_every_colour_is_recognised() -> None:
    for s in SHAPES:
        for c in COLORS:
            (d,) = DET.detect([render([DrawnObject(s, c, (10, 12, 34, 36))], 48)])[0]
            assert (d["class"], d["color"]) == (s, c)


def test_detector_ignores_unknown_colours_and_specks() -> None:
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (40, 40), BACKGROUND)
    d = ImageDraw.Draw(img)
    d.rectangle((2, 2, 20, 20), fill=(1, 2, 3))       # not a palette colour
    d.rectangle((30, 30, 31, 31), fill=PALETTE["red"])  # 4 pixels: below min_area
    assert DET.detect([img]) == [[]]


def test_components_are_four_connected() -> None:
    m = np.zeros((6, 7), dtype=bool)
    m[0, 0:3] = True
    m[1, 2] = True
    m[2, 2:5] = True        # joined to the first through column 2
    m[4, 0] = m[5, 1] = True  # diagonal neighbours: two regions
    m[3:6, 6] = True
    comps = sorted(sorted(c) for c in components(m))
    assert len(comps) == 4
    assert [(0, 0, 3), (1, 2, 3), (2, 2, 5)] in comps and [(3, 6, 7), (4, 6, 7), (5, 6, 7)] in comps


def test_drawer_is_deterministic_and_seeded() -> None:
    r = records(1)[2]
    a = np.asarray(draw(r, seed=3))
    assert np.array_equal(a, np.asarray(draw(r, seed=3)))
    assert not np.array_equal(a, np.asarray(draw(r, seed=4)))


def test_objects_never_touch_and_positions_have_margin() -> None:
    for i, r in enumerate(records(10)):
        objs = layout(r, seed=i, size=96)
        for j, a in enumerate(objs):
            for b in objs[j + 1:]:
                assert a.box[2] < b.box[0] or b.box[2] < a.box[0] or a.box[3] < b.box[1] or b.box[3] < a.box[1]
        if r["tag"] == "position":
            rel = r["include"][1]["position"][0]
            (d,) = [x for x in DET.detect([render(objs, 96)])[0] if x["class"] == r["include"][1]["class"]]
            (ref,) = [x for x in DET.detect([render(objs, 96)])[0] if x["class"] == r["include"][0]["class"]]
            assert rel in relative_position(d["box"], ref["box"])


@pytest.mark.parametrize("plant", PLANTS)
def test_every_planted_error_is_judged_incorrect(plant: str) -> None:
    recs = [r for r in records(8) if can_plant(plant, r)]
    assert recs
    images = [draw(r, seed=i, size=96, plant=plant) for i, r in enumerate(recs)]
    for r, d in zip(recs, DET.detect(images)):
        ok, why = judge(r, d)
        assert not ok and why, (plant, r)
        if plant == "side":
            assert "target, found" in why
        if plant == "color":
            assert why.startswith("expected " + next(c["color"] for c in r["include"] if "color" in c))


def test_planted_errors_that_do_not_apply_are_refused() -> None:
    single = records(1)[0]
    assert not can_plant("color", single) and not can_plant("side", single) and can_plant("missing", single)
    with pytest.raises(InputError, match="does not apply"):
        draw(single, plant="side")
    with pytest.raises(InputError, match="unknown planted error"):
        can_plant("blur", single)


@pytest.mark.parametrize("size", [32, 48])
def test_canonical_drawings_are_fixed_and_judged_correct(size: int) -> None:
    recs = records(12, seed=3)
    images = [render(canonical_layout(r, size), size) for r in recs]
    for r, d in zip(recs, DET.detect(images)):
        assert judge(r, d) == (True, ""), r
    again = render(canonical_layout(recs[4], size), size)
    assert np.array_equal(np.asarray(again), np.asarray(images[4]))  # no randomness at all


def test_canonical_layout_fills_cells_in_order_with_default_colours() -> None:
    two = {"include": [{"class": "star", "count": 1}, {"class": "cross", "count": 1, "color": "white"}]}
    a, b = canonical_layout(two, 32)
    assert (a.cls, a.color, b.cls, b.color) == ("star", DEFAULT_COLORS["star"], "cross", "white")
    assert a.box[2] <= b.box[0]  # named first, drawn left
    below = {"include": [{"class": "circle", "count": 1}, {"class": "square", "count": 1, "position": ["above", 0]}]}
    circle, square = sorted(canonical_layout(below, 32), key=lambda o: o.cls)
    assert square.box[3] <= circle.box[1]  # the square goes above the circle
    four = canonical_layout({"include": [{"class": "hexagon", "count": 4}]}, 48)
    assert len({o.box[0] for o in four}) == 2 and len({o.box[1] for o in four}) == 2  # a 2 x 2 grid
    with pytest.raises(InputError, match="draws only circle"):
        canonical_layout({"include": [{"class": "dog", "count": 1}]}, 32)


def test_drawer_refuses_classes_outside_the_world() -> None:
    with pytest.raises(InputError, match="draws only circle"):
        draw({"tag": "single_object", "include": [{"class": "dog", "count": 1}], "prompt": "a photo of a dog"})


def test_detector_registry_and_protocol() -> None:
    assert "shapes" in DETECTORS.names()
    d = create_detector("shapes")
    assert isinstance(d, Detector) and d.reports_colors


def test_colour_classifier_seam_is_asked_only_for_judged_objects() -> None:
    class NoColours:
        name = "nocolor"
        reports_colors = False

        def detect(self, images, metadata=None):
            return [[{"class": "car", "box": [0, 0, 5, 5], "score": s, "color": None} for s in (0.9, 0.8, 0.2)]
                    for _ in images]

        def describe(self):
            return {}

    asked = []

    class Classifier:
        def classify(self, images, queries):
            asked.extend(queries)
            return ["red"] * len(queries)

    meta = {"tag": "colors", "include": [{"class": "car", "count": 1, "color": "red"}], "prompt": ""}
    dets = detect_and_color(NoColours(), [object(), object()], [meta, meta], Classifier())
    assert len(asked) == 2 and all(q[1]["score"] == 0.9 for q in asked)
    assert [judge(meta, d) for d in dets] == [(True, "")] * 2
    with pytest.raises(InputError, match="no colour classifier"):
        detect_and_color(NoColours(), [object()], [meta])
