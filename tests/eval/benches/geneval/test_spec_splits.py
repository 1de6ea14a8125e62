"""geneval's spec splits and paraphrase templates: ``specs=train|heldout|all`` (rows per split)
and ``templates=both`` (English in templates training never used, paired with en)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mmx.cli import main
from mmx.errors import InputError
from mmx.eval.runner import evaluate
from mmx.worlds.prompts import TAGS
from mmx.worlds.prompts.paraphrase import render_paraphrase
from mmx.worlds.prompts.split import split_of, split_specs


def _first(split: str, per_tag: int) -> list[dict]:
    base = split_specs(split)
    return [s for t in TAGS for s in [x for x in base if x["tag"] == t][:per_tag]]


def test_heldout_specs_only_and_paraphrased_english(tmp_path: Path) -> None:
    res = evaluate("geneval", out=tmp_path / "run", progress=False,
                   bench_args={"languages": "en", "n_images": 1, "per_tag": 2, "specs": "heldout",
                               "templates": "both"})
    want = _first("heldout", 2)
    recs = [json.loads(x) for x in (tmp_path / "run" / "samples.jsonl").read_text().splitlines()]
    assert len(recs) == 2 * len(want) and {r["subset"] for r in recs} == {"en", "en-paraphrase"}
    assert all(split_of(r["metadata"]) == "heldout" for r in recs)
    para = sorted(r["metadata"]["prompt"] for r in recs if r["subset"] == "en-paraphrase")
    assert para == sorted(render_paraphrase(s) for s in want)
    m = res["metrics"]
    # the oracle draws from the record: both wordings score 1, paired by spec
    assert m["accuracy/en"] == m["accuracy/en-paraphrase"] == 1.0
    assert m["gap/en-en-paraphrase/n_pairs"] == len(want) and "accuracy/mean" not in m
    assert m["accuracy/en-paraphrase/ci_lo"] <= 1.0 <= m["accuracy/en-paraphrase/ci_hi"]
    assert res["bench_info"]["specs"] == "heldout" and res["bench_info"]["templates"] == "both"
    assert not any("@" in k for k in m)  # one split only: no rows per split


def test_all_specs_get_a_row_per_split_with_n_and_ci(tmp_path: Path) -> None:
    assert main(["eval", "--bench", "geneval", "--bench-args", "languages=en,n_images=1,per_tag=3",
                 "--no-progress", "--out", str(tmp_path / "run")]) == 0
    res = json.loads((tmp_path / "run" / "results.json").read_text())
    m = res["metrics"]
    first = [s for t in TAGS for s in [x for x in split_specs("all") if x["tag"] == t][:3]]
    n_held = sum(split_of(s) == "heldout" for s in first)
    assert 0 < n_held < len(first)
    assert m["n/en@heldout"] == n_held and m["n/en@train"] == len(first) - n_held
    for row in ("en", "en@train", "en@heldout"):
        assert m[f"accuracy/{row}"] == 1.0 and m[f"accuracy/{row}/ci_lo"] <= 1.0 <= m[f"accuracy/{row}/ci_hi"]
    assert "en@heldout" in (tmp_path / "run" / "report.md").read_text()


def test_bad_split_options_are_refused_before_work(tmp_path: Path, capsys) -> None:
    rc = main(["eval", "--bench", "geneval", "--bench-args", "specs=test", "--limit", "1", "--no-progress",
               "--out", str(tmp_path / "run")])
    err = capsys.readouterr().err
    assert rc != 0 and "specs" in err and "heldout" in err and not (tmp_path / "run").exists()
    with pytest.raises(InputError, match="needs the shapes world"):
        evaluate("geneval", out=tmp_path / "b", progress=False, bench_args={"world": "coco", "specs": "heldout"})
    with pytest.raises(InputError, match="add en to languages"):
        evaluate("geneval", out=tmp_path / "c", progress=False, bench_args={"languages": "fr",
                                                                           "templates": "both"})
    assert not (tmp_path / "b").exists() and not (tmp_path / "c").exists()
