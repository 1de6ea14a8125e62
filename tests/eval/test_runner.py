"""The results contract, resuming after a kill, and the `mmx eval` command line."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mmx.cli import main
from mmx.errors import InputError
from mmx.eval.runner import evaluate
from mmx.registry import benches


def _lines(out: Path) -> list[dict]:
    return [json.loads(x) for x in (out / "samples.jsonl").read_text().splitlines()]


def test_results_contract(tiny_set, tmp_path):
    out = tmp_path / "run"
    res = evaluate("mmcric", "majority", data=str(tiny_set), out=out, progress=False)
    on_disk = json.loads((out / "results.json").read_text())
    assert on_disk["n_samples"] == res["n_samples"] == 18
    for key in ("bench", "model", "model_args", "n_samples", "metrics", "higher_is_better", "config",
                "versions", "git_sha", "created"):
        assert key in on_disk
    m = on_disk["metrics"]
    for key in ("accuracy/E", "accuracy/H", "gap/E-H", "gap/E-H/ci_lo", "gap/E-H/ci_hi", "accuracy/E/C1",
                "agreement/E-H", "relaxed/E", "anls/H"):
        assert key in m
    assert on_disk["higher_is_better"]["accuracy/E"] is True and on_disk["higher_is_better"]["gap/E-H"] is False
    # the majority answer is the same text for both scripts: no gap, full agreement
    assert m["gap/E-H"] == 0 and m["agreement/E-H"] == 1
    recs = _lines(out)
    assert len(recs) == 18 and len({(r["split"], r["id"]) for r in recs}) == 18
    for key in ("id", "subset", "category", "question", "answer", "prediction", "score"):
        assert key in recs[0]
    assert (out / "report.md").read_text().startswith("# mmcric")
    assert (out / "by_category.png").stat().st_size > 1000
    assert on_disk["baseline"] is True


def test_resume_after_torn_write(tiny_set, tmp_path):
    out = tmp_path / "run"
    first = evaluate("mmcric", "random", data=str(tiny_set), out=out, progress=False)
    text = (out / "samples.jsonl").read_text().splitlines(keepends=True)
    # as if killed: five samples never written, the sixth cut mid-line
    (out / "samples.jsonl").write_text("".join(text[:-6]) + text[-6][:25])
    again = evaluate("mmcric", "random", data=str(tiny_set), out=out, progress=False)
    recs = _lines(out)
    assert len(recs) == 18 and len({r["id"] + r["split"] for r in recs}) == 18
    assert again["metrics"] == first["metrics"]


@pytest.mark.parametrize("limit", [1, 2, 4])
def test_limit_counts_items_never_more(limit, tiny_set, tmp_path):
    """--limit N scores N items (each asked on the E and H cards), never more."""
    res = evaluate("mmcric", "majority", data=str(tiny_set), out=tmp_path / "run", limit=limit, progress=False)
    assert res["n_samples"] == 2 * limit
    assert res["metrics"]["gap/E-H/n_pairs"] == limit
    assert any(f"--limit {limit}: the first {limit} question" in n and f"({2 * limit} samples)" in n
               for n in res["notes"])


def test_limit_note_puts_the_plural_on_the_noun(tiny_set, tmp_path):
    """The note pluralizes the unit's noun, never its parenthesised tail ("prompt (in every language)s")."""
    res = evaluate("mmcric", "majority", data=str(tiny_set), out=tmp_path / "run", limit=2, progress=False)
    assert any(n.startswith("--limit 2: the first 2 questions (asked in each subset) of ") for n in res["notes"]), \
        res["notes"]


@pytest.mark.parametrize("bench", benches.names())
def test_every_limit_unit_reads_in_the_plural(bench):
    from mmx.eval.runner import _plural

    unit = benches.get(bench).limit_unit
    noun, paren, tail = unit.partition(" (")
    assert _plural(1, unit) == f"1 {unit}"
    assert _plural(3, unit) == f"3 {noun}s{paren}{tail}"


def test_config_guard_keeps_the_other_run(tiny_set, tmp_path):
    out = tmp_path / "run"
    evaluate("mmcric", "majority", data=str(tiny_set), out=out, limit=5, progress=False)
    before = (out / "results.json").read_text()
    with pytest.raises(InputError, match="different model"):
        evaluate("mmcric", "random", data=str(tiny_set), out=out, limit=5, progress=False)
    with pytest.raises(InputError, match="different limit"):
        evaluate("mmcric", "majority", data=str(tiny_set), out=out, limit=2, progress=False)
    assert (out / "results.json").read_text() == before
    res = evaluate("mmcric", "random", data=str(tiny_set), out=out, overwrite=True, progress=False)
    assert res["n_samples"] == 18


def test_each_selection_gets_its_own_default_folder(tiny_set, tmp_path, monkeypatch, capsys):
    """A --limit run after a full one leaves the full run's results as they were."""
    monkeypatch.chdir(tmp_path)
    base = ["eval", "--bench", "mmcric", "--model", "majority", "--data", str(tiny_set), "--no-progress"]
    assert main(base) == 0
    full = next(Path("runs").iterdir())
    before = (full / "results.json").read_text()
    assert main([*base, "--limit", "2"]) == 0
    folders = sorted(p.name for p in Path("runs").iterdir())
    assert len(folders) == 2 and any(f.endswith("-limit2") for f in folders)
    assert (full / "results.json").read_text() == before
    assert "limit2" in capsys.readouterr().out


@pytest.mark.parametrize(("argv", "needle"), [
    (["--model", "majorty"], "Did you mean 'majority'"),
    (["--model", "majority", "--model-args", "temperature=1"], "does not take"),
    (["--model", "majority", "--split", "test_triple"], "test_triple"),
    (["--model", "hf:no-such-org/no-such-model"], "local"),
    (["--model", "text-only", "--model-args", "model=/no/such/lm"], "--model-args model=/no/such/lm: no such local"),
    (["--model", "text-only", "--model-args", "model=hf:no-such-org/lm"], "pass the local path: --model-args model=DIR"),
])
def test_failure_before_scoring_leaves_nothing(argv, needle, tiny_set, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    out = tmp_path / "never"
    rc = main(["eval", "--bench", "mmcric", "--data", str(tiny_set), "--out", str(out), "--no-progress", *argv])
    err = capsys.readouterr().err
    assert rc == 2 and needle in err and "Traceback" not in err
    assert not out.exists()


def test_bench_default_model_is_used(tiny_set, tmp_path, monkeypatch):
    """No --model: the bench's own default (mmcric: the ocr-table baseline) is asked."""
    from mmx.eval.benches.mmcric import MmcricBench
    from mmx.registry import models

    assert MmcricBench.default_model == "ocr-table" and "ocr-table" in models
    seen = []
    monkeypatch.setattr(MmcricBench, "default_model", "majority")
    res = evaluate("mmcric", None, data=str(tiny_set), out=tmp_path / "r", limit=1, progress=False)
    seen.append(res["model"])
    assert seen == ["majority"]


_SLOW = """
import sys, time
from mmx.adapters.baselines import MajorityModel
from mmx.registry import models
class Slow(MajorityModel):
    name = "slow"
    batch_size = 1
    def answer(self, requests):
        time.sleep(0.15)
        return super().answer(requests)
models.register("slow", Slow)
from mmx.eval.runner import evaluate
evaluate("mmcric", "slow", data=sys.argv[1], out=sys.argv[2], progress=False)
"""


def test_killed_run_resumes_without_loss_or_duplicates(tiny_set, tmp_path):
    out = tmp_path / "run"
    script = tmp_path / "slow.py"
    script.write_text(_SLOW)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    proc = subprocess.Popen([sys.executable, str(script), str(tiny_set), str(out)], env=env)
    deadline = time.time() + 120
    while time.time() < deadline:
        f = out / "samples.jsonl"
        if f.exists() and len(f.read_text().splitlines()) >= 4:
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    partial = len((out / "samples.jsonl").read_text().splitlines())
    assert 4 <= partial < 18
    subprocess.run([sys.executable, str(script), str(tiny_set), str(out)], env=env, check=True, timeout=300)
    recs = _lines(out)
    assert len(recs) == 18 and len({r["id"] + r["split"] for r in recs}) == 18


def test_cli_eval_prints_gap(tiny_set, tmp_path, capsys, monkeypatch):
    # the last line names files under tmp_path, whose length varies (pytest-of-USER, xdist's popen-gwN/):
    # a console wide enough keeps "results.json" whole
    monkeypatch.setenv("COLUMNS", "400")
    rc = main(["eval", "--bench", "mmcric", "--model", "majority", "--data", str(tiny_set), "--out",
               str(tmp_path / "o"), "--no-progress", "--split", "test_single"])
    assert rc == 0
    text = capsys.readouterr().out
    assert "gap E-H" in text and "results.json" in text


@pytest.mark.parametrize(("argv", "needle"), [
    (["--bench", "mmcrik"], "Did you mean 'mmcric'"),
    (["--bench", "mmcric", "--model", "majorty"], "Did you mean 'majority'"),
    (["--bench", "mmcric", "--data", "/nonexistent/mmcric"], "no such file"),
    (["--bench", "mmcric", "--model", "random", "--model-args", "seed"], "not key=value"),
    (["--bench", "mmcric", "--model", "majority", "--model-args", "temperature=1"], "does not take"),
    (["--bench", "mmcric", "--limit", "0"], "at least 1"),
    (["--bench", "mmcric", "--model", "text-only", "--model-args", "model=hf:x/y,batch_size=0"], "batch_size"),
])
def test_cli_bad_input(argv, needle, tiny_set, tmp_path, capsys):
    argv = [*argv, "--out", str(tmp_path / "o"), "--no-progress"]
    if "--data" not in argv:
        argv += ["--data", str(tiny_set)]
    rc = main(["eval", *argv])
    err = capsys.readouterr().err
    assert rc == 2 and needle in err and "Traceback" not in err


def test_cli_out_is_a_file(tiny_set, tmp_path, capsys):
    f = tmp_path / "file"
    f.write_text("x")
    rc = main(["eval", "--bench", "mmcric", "--model", "majority", "--data", str(tiny_set), "--out", str(f), "--no-progress"])
    assert rc == 2 and "is a file" in capsys.readouterr().err
    rc = main(["data", "mmcric", "--out", str(f), "--n", "1", "--no-progress"])
    assert rc == 2 and "is a file" in capsys.readouterr().err


def test_eval_with_a_torch_free_model_never_imports_torch(tiny_set, tmp_path):
    """`mmx eval` with a reference baseline stays light: no torch, torchmetrics or transformers."""
    code = (
        "import sys\n"
        "from mmx.cli import main\n"
        f"rc = main(['eval', '--bench', 'mmcric', '--model', 'majority', '--data', {str(tiny_set)!r}, "
        f"'--out', {str(tmp_path / 'o')!r}, '--no-progress'])\n"
        "heavy = sorted(m for m in ('torch', 'torchmetrics', 'transformers') if m in sys.modules)\n"
        "print('HEAVY', heavy)\n"
        "sys.exit(rc)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300,
                          cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])})
    assert proc.returncode == 0, proc.stderr
    assert "HEAVY []" in proc.stdout
