"""``mmx data geneval`` and ``mmx eval --bench geneval`` agree: both default to the offline
shapes world, a COCO-world file given to the offline oracle says how to get shapes prompts,
and a variant is written where a language has it, never silently nowhere."""

from __future__ import annotations

import json
from pathlib import Path

from mmx.cli import main
from mmx.worlds.shapes import SHAPES


def _data(out: Path, *args: str) -> int:
    return main(["data", "geneval", "--out", str(out), "--no-progress", *args])


def _one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


def test_data_defaults_to_the_shapes_world_that_eval_scores(tmp_path: Path, capsys) -> None:
    assert _data(tmp_path / "d", "--languages", "en") == 0
    assert "shapes world" in capsys.readouterr().out
    recs = [json.loads(x) for x in (tmp_path / "d" / "en" / "evaluation_metadata.jsonl").read_text().splitlines()]
    assert {c["class"] for r in recs for c in r["include"]} <= set(SHAPES)
    # the default model scores what the default generator wrote
    assert main(["eval", "--bench", "geneval", "--data", str(tmp_path / "d"), "--limit", "1", "--no-progress",
                 "--bench-args", "n_images=1", "--out", str(tmp_path / "run")]) == 0
    assert main(["data", "geneval", "--help"]) == 0
    assert "(default: shapes" in " ".join(capsys.readouterr().out.split())


def test_coco_prompts_with_the_offline_oracle_suggest_world_shapes(tmp_path: Path, capsys) -> None:
    assert _data(tmp_path / "d", "--languages", "en", "--world", "coco") == 0
    capsys.readouterr()
    run = tmp_path / "run"
    assert main(["eval", "--bench", "geneval", "--data", str(tmp_path / "d"), "--limit", "1", "--no-progress",
                 "--bench-args", "n_images=1", "--out", str(run)]) == 2
    line = _one_line(capsys.readouterr().err)
    assert "shapes world draws only" in line and "mmx data geneval --world shapes" in line
    assert not run.exists()


def test_a_variant_no_language_offers_is_an_error(tmp_path: Path, capsys) -> None:
    assert _data(tmp_path / "d", "--languages", "fr", "--variants", "roman") == 2
    line = _one_line(capsys.readouterr().err)
    assert "variant 'roman'" in line and "fr (French)" in line and "en-first, en-second" in line
    assert not (tmp_path / "d").exists()


def test_variants_a_language_lacks_are_named(tmp_path: Path, capsys) -> None:
    assert _data(tmp_path / "d", "--languages", "en,hi,fr", "--variants", "roman,en-first") == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "roman: hi (not offered by en, fr)" in out and "en-first: hi, fr (not offered by en)" in out
    assert sorted(p.name for p in (tmp_path / "d").iterdir()) == ["en", "fr", "fr-en-first", "hi", "hi-en-first",
                                                                  "hi-roman"]
