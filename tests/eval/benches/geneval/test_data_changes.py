"""A GenEval rerun after its metadata (or, in images mode, its images) changed: the changed
prompts are drawn and judged again, the others kept; never the old prompt's images or scores."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mmx.cli import main
from mmx.eval.runner import evaluate

from .test_bench import make_image_folder, small_records, write_metadata


def _records(out: Path) -> dict[str, dict]:
    recs = [json.loads(x) for x in (out / "samples.jsonl").read_text(encoding="utf-8").splitlines()]
    by_id = {r["id"]: r for r in recs}
    assert len(by_id) == len(recs), "a sample is recorded twice"
    return by_id


def _stamps(out: Path) -> dict[str, tuple[int, int]]:
    """Every generated image: (inode, mtime): a file written again gets a new one."""
    return {str(p.relative_to(out)): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in sorted((out / "images").rglob("*.png"))}


def test_cli_rerun_after_a_prompt_was_edited(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The issue's case: `mmx data geneval` with variants, `--limit 3`, the first zh prompt edited."""
    data, out = tmp_path / "sprompts", tmp_path / "run"
    assert main(["data", "geneval", "--out", str(data), "--world", "shapes", "--languages", "en,hi,zh",
                 "--variants", "en-first,roman"]) == 0
    argv = ["eval", "--bench", "geneval", "--data", str(data), "--limit", "3", "--out", str(out), "--no-progress"]
    assert main(argv) == 0
    before, images = _records(out), _stamps(out)
    assert len(before) == 18 and len(images) == 18 * 4
    meta = data / "zh" / "evaluation_metadata.jsonl"
    lines = meta.read_text(encoding="utf-8").splitlines(keepends=True)
    first = json.loads(lines[0])
    assert "十字形" in first["prompt"]
    first["prompt"] = first["prompt"].replace("十字形", "圆形")  # cross -> circle, in the wording only
    meta.write_text(json.dumps(first, ensure_ascii=False) + "\n" + "".join(lines[1:]), encoding="utf-8")
    capsys.readouterr()

    assert main(argv) == 0
    printed = capsys.readouterr().out
    after = _records(out)
    assert set(after) == set(before)
    zh = after["zh-00000"]
    assert zh["prompt"] == first["prompt"] and zh["metadata"]["prompt"] == first["prompt"]
    assert zh["fp"] != before["zh-00000"]["fp"]
    assert {k for k in after if after[k] != before[k]} == {"zh-00000"}
    folder = json.loads((out / "images" / "zh" / "00000" / "metadata.jsonl").read_text(encoding="utf-8"))
    assert folder["prompt"] == first["prompt"]
    # its four images are drawn again; every other image is the file it was
    redrawn = {k for k, v in _stamps(out).items() if images.get(k) != v}
    assert redrawn == {f"images/zh/00000/samples/{k:04d}.png" for k in range(4)}
    assert "1 sample scored again" in printed and "zh-00000" in printed and "model not loaded" not in printed
    res = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert res["n_samples"] == 18 and res["config"]["data_fingerprint"]
    assert json.loads((out / "run.json").read_text())["data_fingerprint"] == res["config"]["data_fingerprint"]


def test_a_changed_spec_is_drawn_anew_even_after_a_kill(tmp_path: Path) -> None:
    """A prompt whose objects changed gets new pixels; so does one whose images were on disk
    without a record yet (a run killed mid-batch) when the data changed before the rerun."""
    recs = small_records(1)
    data = write_metadata(tmp_path / "m.jsonl", recs)
    out = tmp_path / "run"
    kw = {"data": str(data), "out": out, "bench_args": {"n_images": 1}, "progress": False}
    evaluate("geneval", **kw)
    png = {i: out / "images" / "en" / f"{i:05d}" / "samples" / "0000.png" for i in (0, 1)}
    old = {i: p.read_bytes() for i, p in png.items()}
    kept = _stamps(out)
    # prompt 0 edited after it was scored; prompt 1 edited after its image was drawn but before its record
    lines = (out / "samples.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
    (out / "samples.jsonl").write_text("".join(x for x in lines if '"en-00001"' not in x), encoding="utf-8")
    assert recs[0]["include"] == [{"class": "cross", "count": 1}] and recs[1]["tag"] == "two_object"
    recs[0] = {**recs[0], "include": [{"class": "circle", "count": 1}], "prompt": "a photo of a circle"}
    recs[1] = {**recs[1], "include": [{"class": "star", "count": 1}, {"class": "triangle", "count": 1}],
               "prompt": "a photo of a star and a triangle"}
    write_metadata(data, recs)
    res = evaluate("geneval", **kw)
    assert all(png[i].read_bytes() != old[i] for i in (0, 1))
    assert res["metrics"]["accuracy/en"] == 1.0  # the new shapes, judged against the new specs
    after = _records(out)
    assert after["en-00000"]["metadata"]["include"][0]["class"] == "circle"
    assert {k for k, v in _stamps(out).items() if kept[k] != v} == {str(png[i].relative_to(out)) for i in (0, 1)}


def test_images_mode_rescores_a_replaced_image(tmp_path: Path) -> None:
    """Scoring a folder of images: an image replaced since the last run is judged again."""
    from mmx.worlds.shapes import draw

    recs = small_records(1)
    folder = make_image_folder(tmp_path / "imgs", recs, {}, n=1)
    kw = {"data": str(folder), "out": tmp_path / "run", "bench_args": {"n_images": 1}, "progress": False}
    assert evaluate("geneval", **kw)["metrics"]["accuracy/en"] == 1.0
    draw(recs[2], seed=0, size=96, plant="count").save(folder / "00002" / "samples" / "0000.png")
    res = evaluate("geneval", **kw)
    assert res["metrics"]["counting/en"] == 0.0 and res["metrics"]["accuracy/en"] == pytest.approx(5 / 6)
    assert any(n.startswith("1 sample scored again") and "en-00002" in n for n in res["notes"])
