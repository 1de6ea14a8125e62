"""CONTRIBUTING.md's "Add a bench" recipe, run exactly as written: its code blocks go into
a copy of mmx, and `mmx eval` runs the new bench (one folder plus one registry line)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


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


def test_a_bench_written_as_contributing_says_runs(tmp_path):
    blocks = _blocks("Add a bench")
    assert set(blocks) == {"mmx/eval/benches/sums/__init__.py", "mmx/registry.py"}
    copy = tmp_path / "src"
    shutil.copytree(ROOT / "mmx", copy / "mmx", ignore=shutil.ignore_patterns("__pycache__"))
    bench = copy / "mmx/eval/benches/sums/__init__.py"
    bench.parent.mkdir(parents=True)
    bench.write_text(blocks["mmx/eval/benches/sums/__init__.py"], encoding="utf-8")
    with open(copy / "mmx" / "registry.py", "a", encoding="utf-8") as fh:
        fh.write("\n" + blocks["mmx/registry.py"])
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
