"""Scripts of benchmarks/ and experiments/ answer bad input as `mmx` does: one line naming the
script, exit 2, never a traceback (`mmx.cli.run_script`)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(("script", "args", "says"), [
    ("experiments/legibility.py", ["--corpus", "{missing}"], "does not exist"),
    ("experiments/legibility.py", ["--corpus", "{corpus}", "--set", "font_size=abc"], "font_size must be a number"),
    ("experiments/compression.py", ["--corpus", "{missing}"], "does not exist"),
    ("benchmarks/render_ab.py", ["--corpus", "{missing}", "--against", "HEAD"], "does not exist"),
    ("benchmarks/raster_speed.py", ["--corpus", "{missing}"], "does not exist"),
    ("benchmarks/mmcric_speed.py", ["--limit", "0"], "--limit must be at least 1"),
    ("benchmarks/render_ab.py", ["--corpus", "{corpus}", "--against", "no-such-commit"], "git cannot export"),
    ("experiments/mmcric_unseen.py", ["--out", "{missing}", "--families", "unseen,nope"], "unknown nope"),
    ("experiments/mmcric_unseen.py", ["--out", "{missing}", "--n", "0"], "--n must be at least 1"),
])
def test_bad_input_is_one_line(tmp_path, script, args, says):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "eng_Latn.txt").write_text("Hello world.\n", encoding="utf-8")
    argv = [a.format(missing=tmp_path / "nowhere", corpus=corpus) for a in args]
    done = subprocess.run([sys.executable, str(ROOT / script), *argv], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    line = done.stderr.strip()
    assert line.count("\n") == 0 and line.startswith(f"{Path(script).name}: error: ") and says in line, line
