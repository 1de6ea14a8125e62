"""Scoring a GenEval image folder made elsewhere (images mode): the run names what made the
images (the manifest a generating run writes into its ``images/``, else the folder), refuses
``--model``, infers the images per prompt from the folder, reads .png/.jpg/.jpeg/.webp, and
says in one line what it found when nothing matches GenEval's layout."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mmx.cli import main
from mmx.errors import InputError
from mmx.eval.benches.geneval import TAGS, GenevalBench
from mmx.eval.benches.geneval.metadata import write_prompt_folder
from mmx.eval.manifest import MANIFEST
from mmx.worlds.shapes import draw
from tests.eval.benches.geneval.test_bench import (
    make_image_folder,
    run,
    small_records,
    write_metadata,
)


def generate(tmp_path: Path, n_images: int = 1, **kw) -> Path:
    """A generating run over the six shapes-world tasks (one prompt each); returns its images/."""
    data = write_metadata(tmp_path / "m.jsonl", small_records())
    run(tmp_path, "gen", data=str(data), bench_args={"n_images": n_images}, **kw)
    return tmp_path / "gen" / "images"


def cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    rc = main(["eval", "--bench", "geneval", "--no-progress", *args])
    captured = capsys.readouterr()
    return rc, captured.out, captured.err


# --- item 2: what made the images --------------------------------------------------------------
def test_a_generating_run_writes_a_manifest_into_its_images(tmp_path: Path) -> None:
    images = generate(tmp_path, n_images=2, model_args={"plant": "count", "plant_rate": 0.5}, seed=3)
    man = json.loads((images / MANIFEST).read_text(encoding="utf-8"))
    assert man["bench"] == "geneval" and man["model"] == "shapes-oracle"
    assert man["model_args"] == {"plant": "count", "plant_rate": 0.5} and man["seed"] == 3
    assert man["bench_info"]["n_images"] == 2 and man["data"] == str(tmp_path / "m.jsonl")
    assert man["versions"]["mmx"] and "git_sha" in man and man["created"]


def test_scoring_a_runs_images_names_the_model_of_its_manifest(tmp_path: Path) -> None:
    images = generate(tmp_path, model_args={"plant": "side", "plant_rate": 1.0})
    res = run(tmp_path, "score", data=str(images))
    info = res["model_info"]
    assert res["model"] == "shapes-oracle" and res["baseline"] is False
    assert info["note"] == f"images from {images}, made by shapes-oracle (manifest)"
    assert info["args"] == {"plant": "side", "plant_rate": 1.0}
    assert res["metrics"]["position/en"] == 0.0  # the planted errors of the run that drew them
    # another maker, as its manifest says: the label follows the manifest, not the bench's default
    man = json.loads((images / MANIFEST).read_text(encoding="utf-8"))
    (images / MANIFEST).write_text(json.dumps({**man, "model": "mmx-t2i", "model_args": {}}), encoding="utf-8")
    res = run(tmp_path, "score2", data=str(images))
    assert res["model"] == "mmx-t2i" and res["model_info"]["note"].endswith("made by mmx-t2i (manifest)")
    report = (tmp_path / "score2" / "report.md").read_text(encoding="utf-8")
    assert report.startswith("# geneval · mmx-t2i") and "baseline" not in report


def test_a_folder_without_manifest_is_labelled_by_the_folder(tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    folder = make_image_folder(tmp_path / "imgs", small_records(), {}, n=1)
    rc, out, err = cli(["--data", str(folder), "--out", str(tmp_path / "o")], capsys)
    assert rc == 0, err
    res = json.loads((tmp_path / "o" / "results.json").read_text(encoding="utf-8"))
    assert res["model"] == f"images from {folder}" and res["baseline"] is False
    assert res["model_info"]["note"] == f"images from {folder}"
    assert "shapes-oracle" not in out and "baseline" not in out
    report = (tmp_path / "o" / "report.md").read_text(encoding="utf-8")
    assert "read its numbers as a floor" not in report and "shapes-oracle" not in report


@pytest.mark.parametrize("extra", [["--model", "mmx-t2i"], ["--model", "shapes-oracle"],
                                   ["--model-args", "plant=side"]])
def test_model_is_refused_in_images_mode(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                         extra: list[str]) -> None:
    folder = make_image_folder(tmp_path / "imgs", small_records(), {}, n=1)
    rc, _, err = cli(["--data", str(folder), "--out", str(tmp_path / "o"), *extra], capsys)
    assert rc == 2 and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert "no model runs" in err and f"images from {folder}" in err and "leave --model" in err
    assert not (tmp_path / "o").exists()
    with pytest.raises(InputError, match="no model runs"):
        run(tmp_path, "api", data=str(folder), model="shapes-oracle")
    assert not (tmp_path / "api").exists()


# --- item 4: images per prompt and file types ---------------------------------------------------
def test_images_per_prompt_are_inferred_from_the_folder(tmp_path: Path) -> None:
    images = generate(tmp_path, n_images=1)
    own = json.loads((tmp_path / "gen" / "results.json").read_text(encoding="utf-8"))["metrics"]
    res = run(tmp_path, "score", data=str(images))
    m = res["metrics"]
    assert m["accuracy/en"] == own["accuracy/en"] == 1.0  # main: 0.25 (three of four "missing")
    assert m["n_images/en"] == len(TAGS) and m["n_missing/en"] == 0
    assert res["bench_info"]["n_images"] == 1
    # the option still says how many each prompt should have: the others count as missing
    res = run(tmp_path, "score4", data=str(images), bench_args={"n_images": 2})
    assert res["metrics"]["accuracy/en"] == 0.5 and res["metrics"]["n_missing/en"] == len(TAGS)


def test_prompt_folders_that_disagree_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    recs = small_records()
    folder = make_image_folder(tmp_path / "imgs", recs, {}, n=2, drop={(3, 1), (4, 1)})
    rc, _, err = cli(["--data", str(folder), "--out", str(tmp_path / "o")], capsys)
    assert rc == 2 and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert "2 images in 4 prompt folders, 1 in 2" in err and "00003" in err and "n_images=" in err
    assert not (tmp_path / "o").exists()
    # a hole (0000 gone, 0001 there) is a missing image, not another count
    hole = make_image_folder(tmp_path / "hole", recs, {}, n=2, drop={(0, 0)})
    m = run(tmp_path, "hole", data=str(hole))["metrics"]
    assert m["n_images/en"] == 2 * len(recs) and m["n_missing/en"] == 1 and m["single_object/en"] == 0.5


def convert(folder: Path, suffix: str, **save: object) -> None:
    from PIL import Image

    for png in sorted(folder.glob("*/samples/*.png")):
        with Image.open(png) as im:
            im.save(png.with_suffix(suffix), **save)
        png.unlink()


def test_webp_and_jpeg_folders_are_read(tmp_path: Path) -> None:
    recs = small_records()
    webp = make_image_folder(tmp_path / "webp", recs, {}, n=1)
    convert(webp, ".webp", lossless=True)
    res = run(tmp_path, "w", data=str(webp))
    assert res["metrics"]["accuracy/en"] == 1.0 and res["metrics"]["n_missing/en"] == 0
    jpg = make_image_folder(tmp_path / "jpg", recs, {}, n=2)
    convert(jpg, ".jpg", quality=95)
    res = run(tmp_path, "j", data=str(jpg))
    m = res["metrics"]
    assert m["n_images/en"] == 2 * len(recs) and m["n_missing/en"] == 0 and m["n_unreadable/en"] == 0
    rows = (tmp_path / "j" / "geneval" / "en" / "results.jsonl").read_text(encoding="utf-8").splitlines()
    assert all(json.loads(r)["filename"].endswith(".jpg") for r in rows)
    # the exact shapes detector reads exact colours, which JPEG changes: said, not silent
    assert any("JPEG" in n and "shapes" in n for n in res["notes"])


def test_nothing_in_genevals_layout_says_what_was_found(tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    recs = small_records()
    for i, r in enumerate(recs):
        d = write_prompt_folder(tmp_path / "gif", i, r)
        draw(r, seed=0, size=32).save(d / "samples" / f"img_{i}.gif")
    rc, _, err = cli(["--data", str(tmp_path / "gif"), "--out", str(tmp_path / "o")], capsys)
    assert rc == 2 and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert f"found {len(recs)} .gif files" in err and "00000/samples/img_0.gif" in err
    assert "00000/samples/0000.png" in err and ".jpg" in err
    assert not (tmp_path / "o").exists()
    with pytest.raises(InputError, match="found no image files"):
        GenevalBench(data=str(make_image_folder(tmp_path / "empty", recs, {}, n=0))).load()


def test_genevals_own_generator_naming_is_read(tmp_path: Path) -> None:
    """GenEval's generation/diffusers_generate.py writes ``<index:05>/samples/<k:05>.png`` and a
    ``grid.png`` beside ``samples/``; its evaluation reads every ``<digits>.png``. Images are
    matched by number, so ``00001.png`` is image 1 (main: 0001.png missing, 00001.png an extra)."""
    recs = small_records()
    for i, r in enumerate(recs):
        d = write_prompt_folder(tmp_path / "gv", i, r)
        for k in range(2):
            draw(r, seed=k, size=96).save(d / "samples" / f"{k:05}.png")
        draw(r, seed=0, size=32).save(d / "grid.png")
    res = run(tmp_path, data=str(tmp_path / "gv"))
    m = res["metrics"]
    assert m["accuracy/en"] == 1.0 and m["n_images/en"] == 2 * len(recs) and m["n_missing/en"] == 0
    with pytest.raises(InputError, match=r"two images numbered 1: 00001\.png and 0001\.jpg"):
        draw(recs[0], seed=1, size=96).save(tmp_path / "gv" / "00000" / "samples" / "0001.jpg")
        GenevalBench(data=str(tmp_path / "gv")).load()
