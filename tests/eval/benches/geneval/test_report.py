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
