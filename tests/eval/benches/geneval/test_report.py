"""geneval's report sections read ``samples.jsonl``: a torn last line is a run cut short, any
other bad line one clear error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mmx.errors import InputError
from mmx.eval.benches.geneval.report import sections

RECORD = {"id": "en/00000", "subset": "en", "category": "single_object",
          "metadata": {"tag": "single_object", "prompt": "a photo of a cup"},
          "images": [{"correct": False, "reason": "missing image 0000.png", "status": "missing",
                      "filename": "images/en/00000/samples/0000.png"}]}


def _report(out: Path, text: str) -> list[str]:
    out.mkdir(exist_ok=True)
    (out / "samples.jsonl").write_text(text, encoding="utf-8")
    return sections({"metrics": {}}, out, ["en"], {})


def test_a_torn_last_line_is_left_out(tmp_path: Path) -> None:
    line = json.dumps(RECORD) + "\n"
    whole = _report(tmp_path / "a", line + line)
    assert "## Failure reasons (images)" in whole
    assert _report(tmp_path / "b", line + line + line[:25]) == whole


def test_a_bad_line_before_the_last_is_an_error(tmp_path: Path) -> None:
    line = json.dumps(RECORD) + "\n"
    with pytest.raises(InputError, match=r"samples\.jsonl line 2: not JSON"):
        _report(tmp_path, line + line[:25] + "\n" + line)


def test_gap_lines_never_print_a_missing_share(tmp_path: Path) -> None:
    """geneval has no "same answer" (images, not answers): the gap line leaves that clause out
    instead of printing "same answer on -% of pairs"."""
    from mmx.eval.runner import evaluate

    evaluate("geneval", None, out=tmp_path / "run", limit=1, progress=False,
             bench_args={"languages": "en,zh", "n_images": 1, "per_tag": 1})
    report = (tmp_path / "run" / "report.md").read_text(encoding="utf-8")
    gap = next(line for line in report.splitlines() if line.startswith("- **en-zh**"))
    assert "-%" not in report and "same answer" not in gap and "same correctness on 100.0%" in gap
