"""GenevalBench end to end: generation in GenEval's layout, scoring, planted errors scored
exactly as planted, images mode with missing and unreadable images, per-language gaps, bad
input through the public API and `mmx eval`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from mmx.adapters.base import ImageRequest
from mmx.cli import main
from mmx.errors import InputError
from mmx.eval import create_bench
from mmx.eval.benches.geneval import TAGS, GenevalBench
from mmx.eval.benches.geneval.metadata import summarize, write_prompt_folder
from mmx.eval.benches.geneval.oracle import ShapesOracle
from mmx.eval.runner import evaluate
from mmx.worlds.prompts import render_prompt, specs
from mmx.worlds.shapes import can_plant, draw

ROOT = Path(__file__).resolve().parents[4]


def shapes_specs(per_tag: int = 8) -> list[dict]:
    """The first ``per_tag`` shapes-world specs of each task, as the bench's ``per_tag`` keeps them."""
    base = specs("shapes")
    return [s for t in TAGS for s in [x for x in base if x["tag"] == t][:per_tag]]


def render_english(spec: dict) -> str:
    return render_prompt(spec, "en")


def small_records(per_tag: int = 1) -> list[dict]:
    return [{**s, "prompt": render_english(s)} for s in shapes_specs(per_tag)]


def write_metadata(path: Path, recs: list[dict]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in recs), encoding="utf-8")
    return path


def run(tmp_path: Path, name: str = "run", **kw) -> dict:
    kw.setdefault("progress", False)
    return evaluate("geneval", out=tmp_path / name, **kw)


def test_default_run_scores_one_and_writes_geneval_layout(tmp_path: Path) -> None:
    res = run(tmp_path, bench_args={"n_images": 2, "per_tag": 8})
    m = res["metrics"]
    # NeoBabel's six languages, every prompt of the generator's shapes world in each
    assert res["model"] == "shapes-oracle" and res["n_samples"] == 6 * len(shapes_specs())
    assert m["accuracy/en"] == 1.0 and all(m[f"{t}/en"] == 1.0 for t in TAGS)
    assert m["accuracy/hi"] == m["accuracy/mean"] == 1.0 and m["gap/en-hi/n_pairs"] == len(shapes_specs())
    out = tmp_path / "run"
    first = out / "images" / "en" / "00000"
    assert json.loads((first / "metadata.jsonl").read_text())["prompt"] == render_english(shapes_specs()[0])
    assert sorted(p.name for p in (first / "samples").iterdir()) == ["0000.png", "0001.png"]
    rows = [json.loads(x) for x in (out / "geneval" / "en" / "results.jsonl").read_text().splitlines()]
    assert len(rows) == 2 * len(shapes_specs()) and all(r["correct"] for r in rows)
    assert (out / rows[0]["filename"]).is_file()
    assert summarize(rows)["overall"] == 1.0
    report = (out / "report.md").read_text()
    assert "geneval_heatmap.png" in report and (out / "geneval_heatmap.png").is_file()
    assert "## Example images" in report
    sample = json.loads((out / "samples.jsonl").read_text().splitlines()[0])
    assert sample["subset"] == "en" and sample["pair"] == "00000" and sample["n_images"] == 2
    assert sample["metadata"]["tag"] == "single_object" and sample["reasons"] == []


def test_rerun_resumes_without_redrawing(tmp_path: Path) -> None:
    data = write_metadata(tmp_path / "m.jsonl", small_records())
    run(tmp_path, data=str(data), bench_args={"n_images": 1})
    png = tmp_path / "run" / "images" / "en" / "00003" / "samples" / "0000.png"
    before = png.stat().st_mtime_ns
    (tmp_path / "run" / "samples.jsonl").write_text("")  # forget the scores, keep the images
    res = run(tmp_path, data=str(data), bench_args={"n_images": 1})
    assert png.stat().st_mtime_ns == before and res["metrics"]["accuracy/en"] == 1.0


def expected_scores(recs: list[dict], oracle: ShapesOracle, lang: str, n: int, seed: int = 0) -> dict[str, float]:
    per_tag: dict[str, list[bool]] = {}
    for i, r in enumerate(recs):
        req = ImageRequest(id=f"{lang}-{i:05d}", prompt=r["prompt"], seed=seed, n=n, meta=r)
        per_tag.setdefault(r["tag"], []).extend(oracle.planted(req, k) is None for k in range(n))
    return {t: sum(v) / len(v) for t, v in per_tag.items()}


def test_planted_errors_score_exactly_as_planted(tmp_path: Path) -> None:
    recs = small_records(3)
    data = write_metadata(tmp_path / "m.jsonl", recs)
    args = {"plant": "any", "plant_rate": 0.4}
    res = run(tmp_path, data=str(data), model_args=args, bench_args={"n_images": 4})
    want = expected_scores(recs, ShapesOracle(**args), "en", 4)
    assert min(want.values()) > 0 and min(want.values()) < 1  # errors were planted in every task
    m = res["metrics"]
    for t, v in want.items():
        assert m[f"{t}/en"] == pytest.approx(v)
    assert m["accuracy/en"] == pytest.approx(sum(want.values()) / len(want))


@pytest.mark.parametrize("plant", ["count", "color", "side", "missing"])
def test_each_planted_kind_is_seen_by_the_scoring(tmp_path: Path, plant: str) -> None:
    recs = [r for r in small_records(2) if can_plant(plant, r)]
    data = write_metadata(tmp_path / "m.jsonl", recs)
    res = run(tmp_path, data=str(data), model_args={"plant": plant, "plant_rate": 1.0}, bench_args={"n_images": 1})
    assert res["metrics"]["accuracy/en"] == 0.0


def make_image_folder(root: Path, recs: list[dict], plants: dict[tuple[int, int], str], n: int = 2,
                      drop: set[tuple[int, int]] = frozenset(), corrupt: set[tuple[int, int]] = frozenset()) -> Path:
    for i, r in enumerate(recs):
        d = write_prompt_folder(root, i, r)
        for k in range(n):
            p = d / "samples" / f"{k:04d}.png"
            if (i, k) in drop:
                continue
            if (i, k) in corrupt:
                p.write_bytes(b"\x89PNG\r\n\x1a\n not really")
                continue
            draw(r, seed=k, size=96, plant=plants.get((i, k))).save(p)
    return root


def test_images_mode_scores_planted_missing_and_unreadable(tmp_path: Path) -> None:
    recs = small_records(1)
    plants = {(1, 0): "missing", (2, 1): "count", (5, 0): "color"}
    folder = make_image_folder(tmp_path / "imgs", recs, plants, drop={(0, 1)}, corrupt={(3, 0)})
    res = run(tmp_path, data=str(folder), bench_args={"n_images": 2})
    m = res["metrics"]
    want = {"single_object": 0.5, "two_object": 0.5, "counting": 0.5, "colors": 0.5, "position": 1.0,
            "color_attr": 0.5}
    assert {t: m[f"{t}/en"] for t in TAGS} == want
    assert m["n_missing/en"] == 1 and m["n_unreadable/en"] == 1 and m["missing/en"] == pytest.approx(2 / 12)
    note = next(n for n in res["notes"] if "could not be scored" in n)
    assert "2 image(s)" in note and "0001.png (missing)" in note and "0000.png (unreadable)" in note
    assert any("images mode" in n for n in res["notes"])
    rows = [json.loads(x) for x in (tmp_path / "run" / "geneval" / "en" / "results.jsonl").read_text().splitlines()]
    assert len(rows) == 12  # missing and unreadable images are rows too, scored incorrect
    bad = {Path(r["filename"]).parent.parent.name + "/" + Path(r["filename"]).name: r["reason"]
           for r in rows if not r["correct"]}
    assert bad["00000/0001.png"] == "missing image 0001.png"
    assert bad["00003/0000.png"].startswith("unreadable image 0000.png")
    counted = recs[2]["include"][0]  # the planted count error draws one object too many
    assert bad["00002/0001.png"] == f"expected {counted['class']}<{counted['count'] + 1}, found {counted['count'] + 1}"
    assert summarize(rows)["overall"] == pytest.approx(m["accuracy/en"])
    report = (tmp_path / "run" / "report.md").read_text()
    assert "## Failure reasons" in report and "| missing image | 1 |" in report


def test_languages_pair_by_spec_and_gap_is_genevals_overall_difference(tmp_path: Path) -> None:
    recs = small_records(2)
    fr = [{**r, "prompt": "une photo: " + r["prompt"]} for r in recs]
    order = list(reversed(range(len(fr))))  # not line-aligned with English
    fr = [fr[i] for i in order]
    make_image_folder(tmp_path / "imgs" / "en", recs, {})
    # planted errors in French: both images of the first two counting prompts (fr lines 6, 7)
    plants = {(i, k): "missing" for i, r in enumerate(fr) if r["tag"] == "counting" for k in range(2)}
    plants.update({(i, 0): "missing" for i, r in enumerate(fr) if r["tag"] == "single_object"})
    make_image_folder(tmp_path / "imgs" / "fr", fr, plants)
    res = run(tmp_path, data=str(tmp_path / "imgs"), bench_args={"n_images": 2})
    m = res["metrics"]
    assert m["accuracy/en"] == 1.0
    assert m["counting/fr"] == 0.0 and m["single_object/fr"] == 0.5
    assert m["accuracy/fr"] == pytest.approx((0.0 + 0.5 + 4) / 6)
    assert m["gap/en-fr"] == pytest.approx(m["accuracy/en"] - m["accuracy/fr"])
    assert m["gap/en-fr/ci_lo"] <= m["gap/en-fr"] <= m["gap/en-fr/ci_hi"] and m["gap/en-fr/n_pairs"] == 12
    assert m["accuracy/mean"] == pytest.approx((m["accuracy/en"] + m["accuracy/fr"]) / 2)
    assert m["counting/mean"] == 0.5
    recs_out = [json.loads(x) for x in (tmp_path / "run" / "samples.jsonl").read_text().splitlines()]
    by = {(r["subset"], r["folder"]): r["pair"] for r in recs_out}
    assert by[("fr", 0)] == by[("en", len(recs) - 1)]
    assert not any(k.startswith("agreement/") for k in m)


def test_unaligned_prompts_are_reported(tmp_path: Path) -> None:
    recs = small_records(1)
    extra = {"tag": "counting", "include": [{"class": "star", "count": 4}], "exclude": [{"class": "star", "count": 5}],
             "prompt": "quatre étoiles"}
    write_metadata(tmp_path / "d" / "en" / "evaluation_metadata.jsonl", recs)
    write_metadata(tmp_path / "d" / "fr" / "evaluation_metadata.jsonl", [*recs[1:], extra])
    res = run(tmp_path, data=str(tmp_path / "d"), bench_args={"n_images": 1})
    notes = " ".join(res["notes"])
    assert "fr: 1 prompt(s) match no en spec (first: line 6)" in notes and "fr: 1 en spec(s) have no fr prompt" in notes
    assert res["metrics"]["gap/en-fr/n_pairs"] == 5 and res["metrics"]["accuracy/fr"] == 1.0


def test_neobabel_file_names_are_read(tmp_path: Path) -> None:
    recs = small_records(1)
    write_metadata(tmp_path / "nb" / "evaluation_metadata.jsonl", recs)
    write_metadata(tmp_path / "nb" / "evaluation_metadata_hindi.jsonl", [{**r, "prompt": "hi " + r["prompt"]} for r in recs])
    b = GenevalBench(data=str(tmp_path / "nb"))
    assert {s.subset for s in b.load()} == {"en", "hi"}


def test_split_selects_a_task(tmp_path: Path) -> None:
    data = write_metadata(tmp_path / "m.jsonl", small_records(2))
    assert {s.category for s in GenevalBench(data=str(data), split="counting").load()} == {"counting"}
    with pytest.raises(InputError, match="splits are its tasks"):
        GenevalBench(split="test")


def test_unknown_language_names_the_supported_ones(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"unknown language xx; supported: en"):
        GenevalBench(languages="xx").load()
    data = write_metadata(tmp_path / "m.jsonl", small_records())
    with pytest.raises(InputError, match=r"unknown language 'xx'; supported: .*en.*fa"):
        GenevalBench(data=str(data), language="xx").load()


def test_bad_options(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="bench geneval: n_images must be a positive integer or none, not 0"):
        create_bench("geneval", n_images=0)
    with pytest.raises(InputError, match="unknown detector 'yolo'; registered: mask2former, owlv2, shapes"):
        GenevalBench(detector="yolo")
    with pytest.raises(InputError, match="plant must be one of"):
        ShapesOracle(plant="blur")


def test_oracle_without_record_matches_english_prompts() -> None:
    (imgs,) = ShapesOracle(size=64).generate_images([ImageRequest("x", "a photo of a circle", n=1)])
    from mmx.worlds.shapes import ShapesDetector

    assert [d["class"] for d in ShapesDetector().detect(imgs)[0]] == ["circle"]


# --- through `mmx eval` ------------------------------------------------------------------------
def test_cli_bad_metadata_line_is_one_line_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = [json.dumps(r) for r in small_records()]
    lines[3] = '{"tag": "colors", "prompt": "x"}'
    bad = tmp_path / "bad.jsonl"
    bad.write_text("\n".join(lines) + "\n")
    assert main(["eval", "--bench", "geneval", "--data", str(bad), "--out", str(tmp_path / "o"), "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert "bad.jsonl line 4: not a GenEval metadata record: no 'include'" in err
    assert not (tmp_path / "o").exists()


def test_cli_metadata_line_that_is_not_json_is_one_line_error(tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    lines = [json.dumps(r) for r in small_records()]
    lines[3] = lines[3][:-1]  # cut short: not JSON
    bad = tmp_path / "meta" / "en" / "evaluation_metadata.jsonl"
    bad.parent.mkdir(parents=True)
    bad.write_text("\n".join(lines) + "\n")
    assert main(["eval", "--bench", "geneval", "--data", str(tmp_path / "meta"), "--out", str(tmp_path / "o"),
                 "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert f"{bad} line 4: not JSON (" in err
    assert not (tmp_path / "o").exists()


def test_cli_unknown_language_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_image_folder(tmp_path / "imgs" / "xx", small_records(), {}, n=1)
    assert main(["eval", "--bench", "geneval", "--data", str(tmp_path / "imgs"), "--out", str(tmp_path / "o"),
                 "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert "unknown language 'xx'; supported:" in err and "Traceback" not in err


def test_cli_scores_an_image_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = make_image_folder(tmp_path / "imgs", small_records(), {(4, 0): "side"}, n=4, drop={(0, 0)})
    assert main(["eval", "--bench", "geneval", "--data", str(folder), "--out", str(tmp_path / "o"),
                 "--no-progress", "--json"]) == 0
    res = json.loads(capsys.readouterr().out)
    assert res["metrics"]["position/en"] == 0.75 and res["metrics"]["single_object/en"] == 0.75
    assert res["metrics"]["n_missing/en"] == 1


def test_mmx_eval_geneval_with_no_arguments(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    proc = subprocess.run([sys.executable, "-m", "mmx.cli", "eval", "--bench", "geneval", "--no-progress"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=300, env=env, check=False)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "geneval · shapes-oracle" in out and "overall" in out and "position" in out
    res = json.loads((tmp_path / "runs" / "geneval-shapes-oracle" / "results.json").read_text())
    assert res["metrics"]["accuracy/en"] == 1.0
    assert all(res["metrics"][f"{t}/en"] == 1.0 for t in TAGS)


def test_default_data_comes_from_the_prompt_generator(tmp_path: Path) -> None:
    """The default run covers NeoBabel's six languages in the generator's own wording; every
    language of the generator with languages=all; an unknown code names the supported ones."""
    res = run(tmp_path, bench_args={"n_images": 1, "per_tag": 1})
    m = res["metrics"]
    assert res["n_samples"] == 36 and m["accuracy/mean"] == 1.0
    assert m["gap/en-zh"] == 0.0 and m["gap/en-zh/n_pairs"] == 6 and "gap/fr-hi" not in m
    meta = json.loads((tmp_path / "run" / "images" / "hi" / "00000" / "metadata.jsonl").read_text())
    assert meta["prompt"] == render_prompt(shapes_specs(1)[0], "hi") != render_english(shapes_specs(1)[0])
    res = run(tmp_path, "all", bench_args={"n_images": 1, "per_tag": 1, "languages": "all"})
    from mmx.worlds.prompts import LANGUAGES

    assert res["n_samples"] == 6 * len(LANGUAGES) and res["metrics"]["accuracy/ru"] == 1.0
    with pytest.raises(InputError, match="unknown language de; supported: "):
        GenevalBench(languages="en,de").load()

def test_neobabel_folder_with_a_bad_colour_and_unaligned_persian(tmp_path: Path) -> None:
    recs = small_records(1)
    nb = tmp_path / "nb"
    write_metadata(nb / "evaluation_metadata.jsonl", recs)
    fa = [{**r, "prompt": "fa " + r["prompt"]} for r in recs]
    fa[5] = {**fa[5], "include": [dict(fa[5]["include"][0]), {**fa[5]["include"][1], "color": "dog"}]}
    fa = [fa[1], fa[0], *fa[2:]]
    write_metadata(nb / "evaluation_metadata_persian.jsonl", fa)
    write_metadata(nb / "stray" / "evaluation_metadata.jsonl", recs)  # ignored next to NeoBabel's files
    res = run(tmp_path, data=str(nb), bench_args={"n_images": 1})
    assert any("skipped while loading" in n and "persian.jsonl line 6" in n for n in res["notes"])
    assert res["metrics"]["gap/en-fa/n_pairs"] == 5 and res["metrics"]["n/fa"] == 5
    assert res["metrics"]["accuracy/fa"] == 1.0
    assert (tmp_path / "run" / "images" / "fa" / "00004" / "metadata.jsonl").is_file()
    assert not (tmp_path / "run" / "images" / "fa" / "00005").exists()


def test_per_language_folders_must_be_language_codes(tmp_path: Path) -> None:
    write_metadata(tmp_path / "d" / "en" / "evaluation_metadata.jsonl", small_records())
    write_metadata(tmp_path / "d" / "klingon" / "evaluation_metadata.jsonl", small_records())
    with pytest.raises(InputError, match="unknown language 'klingon'; supported:"):
        GenevalBench(data=str(tmp_path / "d")).load()
