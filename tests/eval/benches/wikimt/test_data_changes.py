"""A wikimt rerun after a record of the data file changed: that tune's samples are embedded
again, every rank recomputed over the new pool, the other tunes' embeddings reused."""

from __future__ import annotations

import json
from pathlib import Path

from mmx.eval.runner import evaluate

from .conftest import fixture_records


def _run(data: Path, out: Path) -> dict:
    return evaluate("wikimt", "toy-music", data=str(data), out=out, progress=False)


def test_rerun_after_a_description_changed(wikimt_file: Path, toy_music, tmp_path: Path) -> None:
    first = _run(wikimt_file, tmp_path / "run")
    assert first["metrics"]["mrr/t2m"] == 1.0
    records = fixture_records()
    assert isinstance(records[0], dict) and "tune-0" in records[0]["text"]
    records[0]["text"] = "Description of tune-3, a jazz standard."  # now it names another tune
    wikimt_file.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    toy_music.calls = 0
    again = _run(wikimt_file, tmp_path / "run")
    assert toy_music.calls == 1  # the edited description only
    fresh = _run(wikimt_file, tmp_path / "fresh")
    assert again["metrics"]["mrr/t2m"] < 1.0
    assert again["metrics"] == fresh["metrics"]
    assert "model not loaded" not in json.dumps(again)
    assert any(n.startswith("1 sample scored again") and "t2m-" in n for n in again["notes"])
    recs = [json.loads(x) for x in (tmp_path / "run" / "samples.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(recs) == len({r["id"] for r in recs}) == fresh["n_samples"]
    assert next(r for r in recs if r.get("query") == records[0]["text"])
