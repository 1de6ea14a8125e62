"""GenEval's files: metadata validation by line, the image folder layout, results.jsonl."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image

from mmx.errors import InputError
from mmx.eval.benches.geneval.metadata import (
    images_per_prompt,
    read_image_folder,
    read_metadata,
    spec_key,
    summarize,
    write_prompt_folder,
    write_results,
)

GOOD = {"tag": "counting", "include": [{"class": "clock", "count": 2}], "exclude": [{"class": "clock", "count": 3}],
        "prompt": "a photo of two clocks"}


def write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_reads_records_in_order_and_skips_blank_lines(tmp_path: Path) -> None:
    other = {"tag": "position", "include": [{"class": "kite", "count": 1},
                                            {"class": "dog", "count": 1, "position": ["above", 0]}], "prompt": "x"}
    p = write_lines(tmp_path / "m.jsonl", [json.dumps(GOOD), "", json.dumps(other)])
    assert read_metadata(p) == [GOOD, other]


@pytest.mark.parametrize("bad,why", [
    ('["a list"]', "a JSON list, not an object"),
    ('{"tag": "colors", "prompt": "x"}', "no 'include'"),
    ('{"include": [{"class": "cup", "count": 1}], "prompt": "x"}', "no 'tag'"),
    ('{"tag": "colors", "include": [{"class": "cup", "count": 1}]}', "no 'prompt'"),
    ('{"tag": "colors", "include": [], "prompt": "x"}', "'include' must be a non-empty list"),
    ('{"tag": "colors", "include": [{"class": "cup"}], "prompt": "x"}', "include[0] needs a 'count'"),
    ('{"tag": "colors", "include": [{"class": "cup", "count": 0}], "prompt": "x"}', "include[0] needs a 'count'"),
    ('{"tag": "colors", "include": [{"class": "cup", "count": 1, "color": "teal"}], "prompt": "x"}', "'teal'"),
    ('{"tag": "position", "include": [{"class": "cup", "count": 1, "position": ["above", 0]}], "prompt": "x"}',
     "an earlier include index"),
    ('{"tag": "position", "include": [{"class": "a", "count": 1}, {"class": "b", "count": 1, "position": ["near", 0]}], "prompt": "x"}',
     "relation one of"),
    ('{"tag": "colors", "include": [{"class": "cup", "count": 1, "size": 3}], "prompt": "x"}', "unknown key(s) size"),
    ('{"tag": "counting", "include": [{"class": "cup", "count": 1}], "exclude": {"class": "cup"}, "prompt": "x"}',
     "'exclude' must be a list"),
])
def test_a_bad_line_is_named_by_its_number(tmp_path: Path, bad: str, why: str) -> None:
    p = write_lines(tmp_path / "m.jsonl", [json.dumps(GOOD), json.dumps(GOOD), bad])
    with pytest.raises(InputError) as e:
        read_metadata(p)
    msg = str(e.value)
    assert "\n" not in msg and f"{p} line 3: not a GenEval metadata record" in msg and why in msg


def test_a_line_that_is_not_json_is_named_by_its_number(tmp_path: Path) -> None:
    p = write_lines(tmp_path / "m.jsonl", [json.dumps(GOOD), "", "not json", json.dumps(GOOD)])
    with pytest.raises(InputError) as e:
        read_metadata(p)
    assert str(e.value) == f"{p} line 3: not JSON (Expecting value)"


def test_a_utf8_bom_is_not_part_of_the_first_record(tmp_path: Path) -> None:
    p = tmp_path / "m.jsonl"
    p.write_bytes(b"\xef\xbb\xbf" + json.dumps(GOOD).encode() + b"\n")
    assert read_metadata(p) == [GOOD]


def test_missing_and_empty_files(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such metadata file"):
        read_metadata(tmp_path / "nope.jsonl")
    with pytest.raises(InputError, match="no metadata records"):
        read_metadata(write_lines(tmp_path / "e.jsonl", [""]))


def test_spec_key_ignores_the_wording() -> None:
    assert spec_key(GOOD) == spec_key({**GOOD, "prompt": "deux horloges"})
    assert spec_key(GOOD) != spec_key({**GOOD, "include": [{"class": "clock", "count": 3}]})


def test_image_folder_round_trip_lists_missing_images(tmp_path: Path) -> None:
    d = write_prompt_folder(tmp_path / "imgs", 0, GOOD)
    assert json.loads((d / "metadata.jsonl").read_text()) == GOOD
    for k in (0, 2):
        Image.new("RGB", (8, 8)).save(d / "samples" / f"{k:04d}.png")
    Image.new("RGB", (8, 8)).save(d / "samples" / "0007.png")  # an extra image: scored too, as GenEval does
    (d / "samples" / "notes.txt").write_text("x")
    write_prompt_folder(tmp_path / "imgs", 2, {**GOOD, "prompt": "b"})
    f = read_image_folder(tmp_path / "imgs", n_images=4)
    assert [p.index for p in f.prompts] == [0, 2] and f.gaps == [1]
    assert [p.name for p in f.prompts[0].images] == ["0000.png", "0001.png", "0002.png", "0003.png", "0007.png"]
    assert f.prompts[1].metadata["prompt"] == "b" and len(f.prompts[1].images) == 4


def test_images_per_prompt_by_number(tmp_path: Path) -> None:
    root = tmp_path / "imgs"
    for i, names in enumerate([["0000.png", "0001.jpg"], ["00000.webp", "1.PNG"], ["0001.png"], []]):
        d = write_prompt_folder(root, i, GOOD)
        for name in names:
            Image.new("RGB", (8, 8)).save(d / "samples" / name)
    f = read_image_folder(root)
    assert [sorted(p.found) for p in f.prompts] == [[0, 1], [0, 1], [1], []]
    assert images_per_prompt({"": f}, root) == 2  # a hole and an empty folder are missing images
    f.expect(2)
    assert [p.name for p in f.prompts[2].images] == ["0000.png", "0001.png"]
    assert [p.name for p in f.prompts[1].images] == ["00000.webp", "1.PNG"]
    Image.new("RGB", (8, 8)).save(root / "00003" / "samples" / "0002.png")
    with pytest.raises(InputError, match=r"different numbers of images \(2 images in 3 prompt folders, 3 in 1 "
                                         r"\(00003\)\); pass --bench-args n_images=N"):
        images_per_prompt({"": read_image_folder(root)}, root)
    assert images_per_prompt({"": read_image_folder(root)}, root, asked=4) == 4


def test_image_folder_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such image folder"):
        read_image_folder(tmp_path / "none")
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="no prompt folders"):
        read_image_folder(tmp_path / "empty")
    (tmp_path / "bad" / "00000").mkdir(parents=True)
    with pytest.raises(InputError, match=r"metadata\.jsonl: missing"):
        read_image_folder(tmp_path / "bad")
    (tmp_path / "bad" / "00000" / "metadata.jsonl").write_text('{"tag": "x"}')
    with pytest.raises(InputError, match=r"00000.metadata.jsonl line 1: not a GenEval metadata record: no 'include'"):
        read_image_folder(tmp_path / "bad")


def test_results_jsonl_has_geneval_columns_and_summary(tmp_path: Path) -> None:
    meta_a = {"tag": "single_object", "include": [{"class": "cup", "count": 1}], "prompt": "a photo of a cup"}
    meta_b = {"tag": "counting", "include": [{"class": "cup", "count": 2}], "prompt": "a photo of two cups"}
    rows = [{"filename": f"x/{i}.png", "tag": m["tag"], "prompt": m["prompt"], "correct": c, "reason": "" if c else "r",
             "metadata": m, "details": {"cup": [[0, 0, 1, 1, 0.9]]}}
            for i, (m, c) in enumerate([(meta_a, True), (meta_a, False), (meta_b, False), (meta_b, False),
                                        (meta_b, True), (meta_b, True)])]
    n = write_results(tmp_path / "results.jsonl", rows)
    lines = [json.loads(x) for x in (tmp_path / "results.jsonl").read_text().splitlines()]
    assert n == 6 and list(lines[0]) == ["filename", "tag", "prompt", "correct", "reason", "metadata", "details"]
    assert json.loads(lines[0]["metadata"]) == meta_a and json.loads(lines[0]["details"]) == {"cup": [[0, 0, 1, 1, 0.9]]}
    s = summarize(lines)
    assert s["tasks"] == {"single_object": 0.5, "counting": 0.5} and s["overall"] == 0.5
    assert s["images"] == 6 and s["prompts"] == 2 and s["correct_images"] == 0.5 and s["correct_prompts"] == 1.0
    # the unweighted mean of task means is not the mean over images
    rows[1]["correct"] = True
    s = summarize(rows)
    assert s["overall"] == pytest.approx((1.0 + 0.5) / 2) and s["correct_images"] == pytest.approx(4 / 6)


def test_geneval_summary_reads_it_with_pandas(tmp_path: Path) -> None:
    pd = pytest.importorskip("pandas")
    meta = {"tag": "colors", "include": [{"class": "cup", "count": 1, "color": "red"}], "prompt": "a photo of a red cup"}
    write_results(tmp_path / "r.jsonl", [{"filename": "a.png", "tag": "colors", "prompt": meta["prompt"],
                                          "correct": k == 0, "reason": "", "metadata": meta, "details": "{}"}
                                         for k in range(4)])
    # what GenEval's summary_scores.py does with the file
    df = pd.read_json(tmp_path / "r.jsonl", orient="records", lines=True)
    assert len(df.groupby("metadata")) == 1
    assert df.groupby("tag", sort=False)["correct"].mean().to_dict() == {"colors": 0.25}


def test_an_unknown_colour_can_be_set_aside_keeping_folder_numbers(tmp_path: Path) -> None:
    from mmx.eval.benches.geneval.metadata import UnknownColorError, read_metadata_indexed

    # NeoBabel's Persian file has such a record: {"class": "dog", "count": 1, "color": "dog"}
    odd = {"tag": "color_attr", "include": [{"class": "cup", "count": 1, "color": "red"},
                                            {"class": "dog", "count": 1, "color": "dog"}], "prompt": "x"}
    p = write_lines(tmp_path / "m.jsonl", [json.dumps(GOOD), json.dumps(odd), "", json.dumps(GOOD)])
    with pytest.raises(UnknownColorError, match=r"line 2: .*colour 'dog' is not one of GenEval's"):
        read_metadata(p)
    aside: list[str] = []
    assert [i for i, _ in read_metadata_indexed(p, aside)] == [0, 2]
    assert len(aside) == 1 and "line 2" in aside[0]
    # a structural fault is never set aside
    bad = write_lines(tmp_path / "b.jsonl", [json.dumps(GOOD), '{"tag": "colors", "prompt": "x"}'])
    with pytest.raises(InputError, match="line 2"):
        read_metadata(bad, [])
