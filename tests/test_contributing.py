"""CONTRIBUTING.md's recipes run exactly as written: the code blocks of "Add a bench" and "Add
an encoder / head" go into a copy of mmx; `mmx eval` runs the new bench (one folder plus one
registry line) and the registry smoke tests run the new encoder and head."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _blocks(section: str) -> dict[str, str]:
    """The python code blocks of a CONTRIBUTING section, by the file their first line names."""
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    body = text.split(f"## {section}\n", 1)[1].split("\n## ", 1)[0]
    out = {}
    for block in re.findall(r"```python\n(.*?)```", body, flags=re.S):
        first, _, rest = block.partition("\n")
        if first.startswith("# ") and first.endswith(".py"):
            out[first[2:].strip()] = rest
    return out


def _copy_with(tmp_path: Path, blocks: dict[str, str]) -> Path:
    """A copy of mmx with ``blocks`` written in: new files created, registry lines appended."""
    copy = tmp_path / "src"
    shutil.copytree(ROOT / "mmx", copy / "mmx", ignore=shutil.ignore_patterns("__pycache__"))
    for name, code in blocks.items():
        path = copy / name
        if name == "mmx/registry.py":
            with open(path, "a", encoding="utf-8") as fh:
                fh.write("\n" + code)
            continue
        assert not path.exists(), f"{name} would overwrite a file of mmx"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(code, encoding="utf-8")
    return copy


def test_a_bench_written_as_contributing_says_runs(tmp_path):
    blocks = _blocks("Add a bench")
    assert set(blocks) == {"mmx/eval/benches/sums/bench.py", "mmx/eval/benches/sums/__init__.py", "mmx/registry.py"}
    copy = _copy_with(tmp_path, blocks)
    env = {**os.environ, "PYTHONPATH": str(copy)}
    out = tmp_path / "run"
    proc = subprocess.run([sys.executable, "-m", "mmx.cli", "eval", "--bench", "sums", "--out", str(out),
                           "--no-progress"], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    res = json.loads((out / "results.json").read_text())
    assert res["model"] == "majority" and res["n_samples"] == 20
    for key in ("accuracy/latn", "accuracy/deva", "gap/latn-deva", "gap/latn-deva/ci_lo", "agreement/latn-deva"):
        assert key in res["metrics"]
    assert "gap latn-deva" in proc.stdout
    assert (out / "report.md").read_text().startswith("# sums · majority")
    # the bench appears in the listing, with what it needs
    proc = subprocess.run([sys.executable, "-m", "mmx.cli", "list", "benches"], env=env, cwd=tmp_path, capture_output=True,
                          text=True, timeout=60)
    assert "sums" in proc.stdout and "needs answer" in proc.stdout


def test_an_encoder_and_a_head_written_as_contributing_says_pass_the_smoke_tests(tmp_path):
    blocks = _blocks("Add an encoder / head")
    assert set(blocks) == {"mmx/encoders/byte_text.py", "mmx/heads/linear_probe.py", "mmx/registry.py"}
    copy = _copy_with(tmp_path, blocks)
    smoke = tmp_path / "smoke"
    smoke.mkdir()
    shutil.copy(ROOT / "tests" / "test_registry_smoke.py", smoke / "test_registry_smoke.py")
    env = {**os.environ, "PYTHONPATH": str(copy)}
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_registry_smoke.py",
                           "-k", "byte_text or linear_probe or docstring"], env=env, cwd=smoke,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    assert "3 passed" in proc.stdout  # the encoder and head smoke tests and the docstring check, none skipped
    proc = subprocess.run([sys.executable, "-m", "mmx.cli", "list"], env=env, cwd=tmp_path, capture_output=True,
                          text=True, timeout=60)
    assert "byte_text" in proc.stdout and "linear_probe" in proc.stdout
