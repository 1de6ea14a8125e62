"""`mmx eval` under torchrun: samples sharded by rank, rank 0 merges; same metrics as one process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from mmx.eval.runner import evaluate

ROOT = Path(__file__).resolve().parents[2]


def _torchrun(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OMP_NUM_THREADS": "1"}
    env.pop("RANK", None)
    env.pop("WORLD_SIZE", None)
    return subprocess.run(
        [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc-per-node", "2",
         "-m", "mmx.cli", "eval", *args, "--no-progress"],
        env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300)


@pytest.mark.slow
def test_two_processes_give_the_metrics_of_one(tiny_set, tmp_path):
    one = evaluate("mmcric", "random", data=str(tiny_set), out=tmp_path / "one", progress=False)
    proc = _torchrun(["--bench", "mmcric", "--model", "random", "--data", str(tiny_set), "--out",
                      str(tmp_path / "two")], tmp_path)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stdout.count("gap E-H") == 1  # rank 0 prints, once
    two = json.loads((tmp_path / "two" / "results.json").read_text())
    assert two["world_size"] == 2 and two["metrics"] == one["metrics"]
    lines = (tmp_path / "two" / "samples.jsonl").read_text().splitlines()
    assert len(lines) == 18 and not (tmp_path / "two" / "parts").exists()
    one_lines = (tmp_path / "one" / "samples.jsonl").read_text().splitlines()
    assert [json.loads(x)["id"] for x in lines] == [json.loads(x)["id"] for x in one_lines]

    # a killed two-rank run: each rank's part holds some records, nothing merged yet
    recs = [json.loads(x) for x in lines]
    (tmp_path / "two" / "samples.jsonl").unlink()
    (tmp_path / "two" / "results.json").unlink()
    parts = tmp_path / "two" / "parts"
    parts.mkdir()
    (parts / "samples-r00000.jsonl").write_text("".join(json.dumps(r) + "\n" for r in recs[0:10:2]))
    (parts / "samples-r00001.jsonl").write_text("".join(json.dumps(r) + "\n" for r in recs[1:6:2]) + '{"id": "torn')
    proc = _torchrun(["--bench", "mmcric", "--model", "random", "--data", str(tiny_set), "--out",
                      str(tmp_path / "two")], tmp_path)
    assert proc.returncode == 0, proc.stderr[-3000:]
    again = json.loads((tmp_path / "two" / "results.json").read_text())
    assert again["metrics"] == one["metrics"]
    lines = (tmp_path / "two" / "samples.jsonl").read_text().splitlines()
    assert len(lines) == 18 and len({json.loads(x)["id"] + json.loads(x)["split"] for x in lines}) == 18


@pytest.mark.slow
def test_a_shard_folder_of_another_configuration_is_refused(tiny_set, tmp_path):
    evaluate("mmcric", "majority", data=str(tiny_set), out=tmp_path / "o", limit=2, progress=False)
    proc = _torchrun(["--bench", "mmcric", "--model", "random", "--data", str(tiny_set), "--out",
                      str(tmp_path / "o")], tmp_path)
    assert proc.returncode != 0 and "holds a run with a different model" in proc.stderr
    # torchrun prints its own report of a failed worker; mmx's code raised no traceback
    assert str(ROOT / "mmx") not in proc.stderr


@pytest.mark.slow
def test_two_processes_rescore_a_changed_sample(tmp_path):
    """Rank 0 cuts the stale record out of every rank's part before any rank appends to its own."""
    from tests.conftest import make_rows, write_dataset

    data = write_dataset(tmp_path / "set")
    args = ["--bench", "mmcric", "--model", "majority", "--data", str(data), "--out", str(tmp_path / "two")]
    assert _torchrun(args, tmp_path).returncode == 0
    recs = [json.loads(x) for x in (tmp_path / "two" / "samples.jsonl").read_text().splitlines()]
    (tmp_path / "two" / "samples.jsonl").unlink()
    parts = tmp_path / "two" / "parts"  # as if killed before the merge
    parts.mkdir()
    (parts / "samples-r00000.jsonl").write_text("".join(json.dumps(r) + "\n" for r in recs[0::2]))
    (parts / "samples-r00001.jsonl").write_text("".join(json.dumps(r) + "\n" for r in recs[1::2]))
    rows = make_rows(6)
    edited = next(r for r in rows if r["id"] == "hindi-single-1")
    edited["answer"] = "99"
    write_dataset(data, rows_single=rows)
    proc = _torchrun(args, tmp_path)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "1 sample scored again" in proc.stdout and "hindi-single-1" in proc.stdout
    lines = [json.loads(x) for x in (tmp_path / "two" / "samples.jsonl").read_text().splitlines()]
    assert len(lines) == 18 and len({r["id"] + r["split"] for r in lines}) == 18
    assert next(r for r in lines if r["id"] == "hindi-single-1")["answer"] == "99"
    one = evaluate("mmcric", "majority", data=str(data), out=tmp_path / "one", progress=False)
    assert json.loads((tmp_path / "two" / "results.json").read_text())["metrics"] == one["metrics"]
