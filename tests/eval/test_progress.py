"""The evaluation's progress bar shows its rate and time left from the first batch on."""

from __future__ import annotations

import re

from mmx.eval.progress import progress_bar


def _shown(capsys, total: int, steps: list[int], completed: int = 0) -> str:
    """What the bar drew last (stderr is not a terminal here: rich draws it once, when it stops)."""
    with progress_bar(total, "mmcric · ocr-table", "samples", completed=completed) as advance:
        for n in steps:
            advance(n)
    return capsys.readouterr().err.splitlines()[-1]


def test_rate_and_time_left_show_after_the_first_advance(capsys) -> None:
    line = _shown(capsys, 216, [8])
    assert "8/216" in line
    assert re.search(r"\d+\.\d\d samples/s", line), line  # not "- samples/s"
    assert "-:--:--" not in line, line  # a time left, not rich's placeholder
    assert len(re.findall(r"\d+:\d\d:\d\d", line)) == 2, line  # elapsed and time left


def test_resumed_samples_are_not_counted_as_this_runs_work(capsys) -> None:
    # 200 samples were scored before a resume: none of them was done since the bar appeared
    assert "- samples/s" in _shown(capsys, 216, [], completed=200)
    line = _shown(capsys, 216, [8], completed=200)
    assert "208/216" in line and re.search(r"\d+\.\d\d samples/s", line), line


def test_disabled_bar_draws_nothing(capsys) -> None:
    with progress_bar(3, "x", enabled=False) as advance:
        advance(3)
    assert capsys.readouterr().err == ""
