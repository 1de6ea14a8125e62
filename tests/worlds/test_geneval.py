"""GenEval's verdict rules, pinned case by case (threshold edges, caps, ties, colour on the
top objects only, position rule and dead zone, failed reference groups, exclude clauses)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from mmx.worlds.geneval import (
    color_queries,
    details,
    judge,
    keep_detections,
    position_offsets,
    relative_position,
)


def det(cls: str, box=(0, 0, 10, 10), score: float = 1.0, color: str | None = None) -> dict:
    return {"class": cls, "box": list(box), "score": score, "color": color}


def rec(tag: str, include: list, exclude: list | None = None) -> dict:
    r = {"tag": tag, "include": include, "prompt": "p"}
    if exclude is not None:
        r["exclude"] = exclude
    return r


SINGLE = rec("single_object", [{"class": "dog", "count": 1}])


def test_importable_as_documented() -> None:
    from mmx.eval.benches import geneval

    assert geneval.judge is judge and callable(judge)


# --- thresholds ---------------------------------------------------------------------------
@pytest.mark.parametrize("score,ok", [(0.3, False), (0.30000001, True), (0.29, False), (0.31, True), (1.0, True)])
def test_threshold_is_strictly_above_0_3(score: float, ok: bool) -> None:
    assert judge(SINGLE, [det("dog", score=score)]) == (ok, "" if ok else "expected dog>=1, found 0")


COUNT3 = rec("counting", [{"class": "clock", "count": 3}], [{"class": "clock", "count": 4}])


@pytest.mark.parametrize("score,ok", [(0.9, False), (0.90000001, True), (0.5, False), (0.95, True)])
def test_counting_threshold_is_strictly_above_0_9(score: float, ok: bool) -> None:
    dets = [det("clock", (20 * k, 0, 20 * k + 10, 10), score) for k in range(3)]
    assert judge(COUNT3, dets) == (ok, "" if ok else "expected clock>=3, found 0")


def test_counting_threshold_applies_to_every_class_and_to_exclude() -> None:
    # a 4th clock at 0.85 is dropped under counting's 0.9: exclude does not fire
    dets = [det("clock", score=0.95) for _ in range(3)] + [det("clock", score=0.85)]
    assert judge(COUNT3, dets) == (True, "")
    dets[-1]["score"] = 0.91
    assert judge(COUNT3, dets) == (False, "expected clock<4, found 4")
    # the same 0.85 detection counts for any other tag (threshold 0.3)
    two = rec("two_object", [{"class": "clock", "count": 1}, {"class": "cup", "count": 1}])
    assert judge(two, [det("clock", score=0.95), det("cup", score=0.85)]) == (True, "")
    other = rec("counting", [{"class": "clock", "count": 1}, {"class": "cup", "count": 1}])
    assert judge(other, [det("clock", score=0.95), det("cup", score=0.85)]) == (False, "expected cup>=1, found 0")


def test_counting_exact_number_comes_from_the_exclude_clause() -> None:
    boxes = [(20 * k, 0, 20 * k + 10, 10) for k in range(5)]
    assert judge(COUNT3, [det("clock", b) for b in boxes[:3]]) == (True, "")
    assert judge(COUNT3, [det("clock", b) for b in boxes[:2]]) == (False, "expected clock>=3, found 2")
    assert judge(COUNT3, [det("clock", b) for b in boxes[:4]]) == (False, "expected clock<4, found 4")
    assert judge(COUNT3, [det("clock", b) for b in boxes[:5]]) == (False, "expected clock<4, found 5")
    # include alone is ">= count": more objects pass it
    no_exclude = rec("counting", [{"class": "clock", "count": 3}])
    assert judge(no_exclude, [det("clock", b) for b in boxes]) == (True, "")


def test_found_count_in_reason_is_capped_at_the_clause_count() -> None:
    r = rec("counting", [{"class": "cup", "count": 4}])
    assert judge(r, [det("cup") for _ in range(3)]) == (False, "expected cup>=4, found 3")
    assert judge(r, []) == (False, "expected cup>=4, found 0")


# --- at most 16 per class, no NMS -----------------------------------------------------------
def test_seventeen_objects_are_capped_at_sixteen() -> None:
    dets = [det("bird", (k, k, k + 10, k + 10), 0.5 + k / 100) for k in range(17)]
    assert len(keep_detections(dets, "two_object")["bird"]) == 16
    r17 = rec("two_object", [{"class": "bird", "count": 1}], [{"class": "bird", "count": 17}])
    assert judge(r17, dets) == (True, "")
    r16 = rec("two_object", [{"class": "bird", "count": 1}], [{"class": "bird", "count": 16}])
    assert judge(r16, dets) == (False, "expected bird<16, found 16")
    # the lowest-scoring one is the one dropped
    kept = keep_detections(dets, "two_object")["bird"]
    assert [d["score"] for d in kept] == sorted((d["score"] for d in dets[1:]), reverse=True)


def test_no_nms_identical_boxes_all_count() -> None:
    dets = [det("cup", (0, 0, 10, 10), 0.8) for _ in range(3)]
    assert judge(rec("counting", [{"class": "cup", "count": 3}]), [dict(d, score=0.95) for d in dets]) == (True, "")
    assert len(keep_detections(dets, "single_object")["cup"]) == 3


# --- sorting, ties, colour on the top `count` only --------------------------------------------
def test_sorted_by_score_before_taking_top_count() -> None:
    dets = [det("car", score=0.5, color="red"), det("car", score=0.9, color="blue"), det("car", score=0.7, color="blue")]
    two_blue = rec("colors", [{"class": "car", "count": 2, "color": "blue"}])
    assert judge(two_blue, dets) == (True, "")
    one_red = rec("colors", [{"class": "car", "count": 1, "color": "red"}])
    assert judge(one_red, dets) == (False, "expected red car>=1, found 0 red; and 1 blue")


def test_colour_is_read_on_the_top_count_objects_only() -> None:
    # three cars, the red one is third: a clause for two red... and one red car does not see it
    dets = [det("car", score=0.9, color="blue"), det("car", score=0.8, color="green"),
            det("car", score=0.7, color="red")]
    r = rec("colors", [{"class": "car", "count": 2, "color": "red"}])
    assert judge(r, dets) == (False, "expected red car>=2, found 0 red; and 1 green, 1 blue")
    r1 = rec("colors", [{"class": "car", "count": 1, "color": "blue"}])
    assert judge(r1, dets) == (True, "")
    assert color_queries(r, dets) == [0, 1]
    assert color_queries(SINGLE, dets) == []


def test_colour_reason_lists_colours_in_geneval_order() -> None:
    dets = [det("vase", score=0.9, color="white"), det("vase", score=0.8, color="red"),
            det("vase", score=0.7, color="white")]
    r = rec("colors", [{"class": "vase", "count": 3, "color": "pink"}])
    assert judge(r, dets) == (False, "expected pink vase>=3, found 0 pink; and 1 red, 2 white")
    r2 = rec("colors", [{"class": "vase", "count": 3, "color": "white"}])
    assert judge(r2, dets) == (False, "expected white vase>=3, found 2 white; and 1 red, 2 white")


def test_equal_scores_keep_genevals_order() -> None:
    # GenEval reverses numpy.argsort of the class's scores (numpy's default sort, which is not
    # always stable): equal scores come out in exactly that order
    for scores in ([0.8, 0.8], [1.0, 1.0, 0.5, 0.5], [0.5, 0.8, 0.8, 0.9, 0.5], [0.7] * 17):
        dets = [det("cat", (i, 0, i + 1, 1), s) for i, s in enumerate(scores)]
        want = [dets[i]["box"] for i in np.argsort(np.array(scores))[::-1][:16]]
        assert [d["box"] for d in keep_detections(dets, "colors")["cat"]] == want
    # and that order decides which of two equally scored objects the colour test reads
    dets = [det("cat", (0, 0, 1, 1), 0.8, "red"), det("cat", (5, 0, 6, 1), 0.8, "blue")]
    first = dets[int(np.argsort(np.array([0.8, 0.8]))[::-1][0])]["color"]
    assert judge(rec("colors", [{"class": "cat", "count": 1, "color": first}]), dets) == (True, "")
    other = "red" if first == "blue" else "blue"
    assert judge(rec("colors", [{"class": "cat", "count": 1, "color": other}]), dets)[0] is False
    ranked = keep_detections([det("cat", score=s) for s in (0.5, 0.8, 0.8, 0.9, 0.5)], "colors")["cat"]
    assert [d["score"] for d in ranked] == [0.9, 0.8, 0.8, 0.5, 0.5]


def test_colour_clause_without_colour_answer_fails() -> None:
    r = rec("colors", [{"class": "car", "count": 1, "color": "red"}])
    assert judge(r, [det("car")]) == (False, "expected red car>=1, found 0 red; and ")


# --- position ---------------------------------------------------------------------------------
def pos(rel: str, a_color: str | None = None, b_count: int = 1) -> dict:
    a = {"class": "dog", "count": 1, "position": [rel, 0]}
    if a_color:
        a["color"] = a_color
    return rec("position", [{"class": "cat", "count": b_count}, a])


@pytest.mark.parametrize("a_box,rels", [
    ((20, 0, 30, 10), {"right of"}), ((-20, 0, -10, 10), {"left of"}),
    ((0, -20, 10, -10), {"above"}), ((0, 20, 10, 30), {"below"}),
    ((20, 20, 30, 30), {"right of", "below"}), ((0, 0, 10, 10), set()),
])
def test_relative_position_basic(a_box, rels) -> None:
    assert relative_position(a_box, (0, 0, 10, 10)) == rels


def test_position_threshold_edge_is_strict() -> None:
    # offset 10 along x; extents sum to 50 -> shrunk to 5 -> dx = 0.5 exactly: not "right of"
    b, a = (-10, 0, 10, 10), (-5, 0, 25, 10)
    assert position_offsets(a, b) == (0.5, 0.0)
    assert relative_position(a, b) == set()
    # extents sum to 49.8 -> dx = 0.502: right of
    a2 = (-4.9, 0, 24.9, 10)
    assert relative_position(a2, b) == {"right of"}
    assert judge(pos("right of"), [det("cat", b), det("dog", a)]) == (False, "expected dog right of target, found  target")
    assert judge(pos("right of"), [det("cat", b), det("dog", a2)]) == (True, "")


def test_position_dead_zone() -> None:
    b = (0, 0, 0, 0)
    # a tiny offset with zero extents: relations come from direction alone, unless inside the 1e-3 dead zone
    assert relative_position((0.0015, 0, 0.0015, 0), b) == {"right of"}
    assert relative_position((0.0009, 0, 0.0009, 0), b) == set()
    assert position_offsets((0.0009, 0.0009, 0.0009, 0.0009), b) is None
    # one component past 1e-3 leaves the dead zone, and then the small one counts too
    assert relative_position((0.0009, 0.0011, 0.0009, 0.0011), b) == {"right of", "below"}
    assert relative_position((0.0001, 0.0011, 0.0001, 0.0011), b) == {"below"}
    # overlapping centres after the shrink: inside the dead zone
    assert relative_position((1, 0, 11, 10), (0, 0, 10, 10)) == set()


def test_position_diagonal_reason_joins_both_relations() -> None:
    a, b = (20, 20, 30, 30), (0, 0, 10, 10)
    ok, why = judge(pos("left of"), [det("cat", b), det("dog", a)])
    assert not ok and why == f"expected dog left of target, found {' and '.join(relative_position(a, b))} target"
    assert set(why.removeprefix("expected dog left of target, found ").removesuffix(" target").split(" and ")) == \
        {"right of", "below"}
    assert judge(pos("below"), [det("cat", b), det("dog", a)]) == (True, "")


def test_position_against_every_object_of_the_reference_group() -> None:
    cats = [det("cat", (0, 0, 10, 10)), det("cat", (100, 0, 110, 10), 0.9)]
    dog = det("dog", (50, 0, 60, 10))
    r = pos("right of", b_count=2)
    assert judge(r, [*cats, dog]) == (False, "expected dog right of target, found left of target")
    # with count 1 only the top cat (score 1.0, at x=0) is the reference group
    assert judge(pos("right of"), [*cats, dog]) == (True, "")


def test_position_reference_group_failed() -> None:
    assert judge(pos("right of"), [det("dog")]) == (
        False, "expected cat>=1, found 0\nno target for dog to be right of")
    colored = rec("position", [{"class": "cat", "count": 1, "color": "red"},
                               {"class": "dog", "count": 1, "position": ["right of", 0]}])
    assert judge(colored, [det("cat", color="blue"), det("dog", (50, 0, 60, 10))]) == (
        False, "expected red cat>=1, found 0 red; and 1 blue\nno target for dog to be right of")
    assert judge(colored, [det("cat", color="red"), det("dog", (50, 0, 60, 10))]) == (True, "")


def test_position_not_checked_after_a_colour_failure() -> None:
    r = pos("right of", a_color="red")
    got = judge(r, [det("cat"), det("dog", (-50, 0, -40, 10), color="blue")])
    assert got == (False, "expected red dog>=1, found 0 red; and 1 blue")


def test_position_of_a_missing_object() -> None:
    assert judge(pos("above"), [det("cat")]) == (False, "expected dog>=1, found 0")


# --- exclude ------------------------------------------------------------------------------------
def test_exclude_fires_at_count_and_counts_only_kept_detections() -> None:
    r = rec("single_object", [{"class": "dog", "count": 1}], [{"class": "cat", "count": 1}])
    assert judge(r, [det("dog"), det("cat", score=0.3)]) == (True, "")
    assert judge(r, [det("dog"), det("cat", score=0.31)]) == (False, "expected cat<1, found 1")
    r2 = rec("single_object", [{"class": "dog", "count": 1}], [{"class": "cat", "count": 2}])
    assert judge(r2, [det("dog"), det("cat")]) == (True, "")
    assert judge(r2, [det("dog"), det("cat"), det("cat")]) == (False, "expected cat<2, found 2")


def test_every_failure_is_reported_in_clause_order() -> None:
    r = rec("two_object", [{"class": "cup", "count": 1}, {"class": "fork", "count": 2}],
            [{"class": "knife", "count": 1}])
    assert judge(r, [det("fork"), det("knife")]) == (
        False, "expected cup>=1, found 0\nexpected fork>=2, found 1\nexpected knife<1, found 1")


def test_unrelated_classes_and_input_order_do_not_matter() -> None:
    r = rec("two_object", [{"class": "cup", "count": 1}, {"class": "fork", "count": 1}])
    dets = [det("zebra"), det("fork", score=0.4), det("cup", score=0.99), det("fork", score=0.2)]
    assert judge(r, dets) == (True, "")
    assert judge(r, list(reversed(dets))) == (True, "")


def test_details_are_kept_boxes_with_scores_per_class() -> None:
    dets = [det("cup", (1, 2, 3, 4), 0.5), det("cup", (5, 6, 7, 8), 0.9), det("fork", score=0.1)]
    assert json.loads(details(dets, "two_object")) == {"cup": [[5, 6, 7, 8, 0.9], [1, 2, 3, 4, 0.5]]}


# --- a second, independent reading of the rules on random cases ----------------------------------
COLS = ("red", "orange", "yellow", "green", "blue", "purple", "pink", "brown", "black", "white")


def _rels(a, b) -> list[str]:
    """GenEval's position rule written out per component with plain floats."""
    ca = ((a[0] + a[2]) / 2, (a[1] + a[3]) / 2)
    cb = ((b[0] + b[2]) / 2, (b[1] + b[3]) / 2)
    off = (ca[0] - cb[0], ca[1] - cb[1])
    ext = (abs(a[2] - a[0]) + abs(b[2] - b[0]), abs(a[3] - a[1]) + abs(b[3] - b[1]))
    rev = [max(abs(o) - 0.1 * e, 0) * (1 if o > 0 else -1 if o < 0 else 0) for o, e in zip(off, ext)]
    if abs(rev[0]) < 1e-3 and abs(rev[1]) < 1e-3:
        return []
    norm = (off[0] ** 2 + off[1] ** 2) ** 0.5
    dx, dy = rev[0] / norm, rev[1] / norm
    return [r for r, ok in (("left of", dx < -0.5), ("right of", dx > 0.5), ("above", dy < -0.5), ("below", dy > 0.5))
            if ok]


def _second_reading(meta: dict, dets: list[dict]) -> tuple[bool, list[str]]:
    thr = 0.9 if meta["tag"] == "counting" else 0.3
    kept: dict[str, list[dict]] = {}
    for cls in {d["class"] for d in dets}:
        mine = [d for d in dets if d["class"] == cls]
        # equal scores: the order of numpy's argsort, reversed, as GenEval (not always stable)
        rank = {int(i): r for r, i in enumerate(np.argsort(np.array([d["score"] for d in mine]))[::-1])}
        for i in sorted(range(len(mine)), key=lambda i: (-mine[i]["score"], rank[i])):
            if mine[i]["score"] > thr and len(kept.setdefault(cls, [])) < 16:
                kept[cls].append(mine[i])
    ok, lines, groups = True, [], []
    for req in meta["include"]:
        top = kept.get(req["class"], [])[: req["count"]]
        good = len(top) >= req["count"]
        if not good:
            lines.append(f"count {req['class']}")
        elif "color" in req and sum(d["color"] == req["color"] for d in top) < req["count"]:
            good = False
            lines.append(f"color {req['class']}")
        elif "position" in req:
            rel, j = req["position"]
            if groups[j] is None:
                good = False
                lines.append(f"target {req['class']}")
            elif not all(rel in _rels(d["box"], t["box"]) for d in top for t in groups[j]):
                good = False
                lines.append(f"position {req['class']}")
        groups.append(top if good else None)
        ok &= good
    for req in meta.get("exclude", []):
        if len(kept.get(req["class"], [])) >= req["count"]:
            ok = False
            lines.append(f"exclude {req['class']}")
    return ok, lines


def _kind(line: str) -> str:
    if line.startswith("no target for "):
        return "target " + line.removeprefix("no target for ").split(" to be ")[0]
    if "<" in line.split(", found")[0]:
        return "exclude " + line.removeprefix("expected ").split("<")[0]
    head = line.removeprefix("expected ").split(">=")[0]
    if " target, found " in line:
        return "position " + line.removeprefix("expected ").split(" ")[0]
    parts = head.split(" ", 1)
    return f"color {parts[1]}" if parts[0] in COLS and len(parts) == 2 else f"count {head}"


def test_random_cases_agree_with_a_second_reading() -> None:
    import random

    rng = random.Random(7)
    classes = ("cat", "dog", "cup")
    rels = ("left of", "right of", "above", "below")
    for case in range(600):
        tag = rng.choice(("single_object", "two_object", "counting", "colors", "position", "color_attr"))
        a, b = rng.sample(classes, 2)
        inc = [{"class": b, "count": rng.randint(1, 3)}, {"class": a, "count": rng.randint(1, 2)}]
        if rng.random() < 0.5:
            inc[rng.randrange(2)]["color"] = rng.choice(COLS[:3])
        if rng.random() < 0.5:
            inc[1]["position"] = [rng.choice(rels), 0]
        meta = {"tag": tag, "include": inc[: rng.randint(1, 2)] if "position" not in inc[1] else inc, "prompt": ""}
        if rng.random() < 0.4:
            meta["exclude"] = [{"class": rng.choice(classes), "count": rng.randint(1, 4)}]
        dets = []
        for _ in range(rng.randint(0, 9)):
            x, y = rng.choice((0, 10, 20, 40)), rng.choice((0, 10, 20, 40))
            w, h = rng.choice((2, 10, 30)), rng.choice((2, 10, 30))
            dets.append({"class": rng.choice(classes), "box": [x, y, x + w, y + h],
                         "score": rng.choice((0.2, 0.3, 0.5, 0.9, 0.95, 1.0)), "color": rng.choice(COLS[:3])})
        ok, why = judge(meta, dets)
        want_ok, want_lines = _second_reading(meta, dets)
        assert ok == want_ok, (case, meta, dets, why)
        assert [_kind(x) for x in why.split("\n") if x] == want_lines, (case, meta, dets, why)
