"""How ``mmx eval`` serves a composite bench (mmx/eval/composite.py), through xscript: every
group's adapter is checked against the group's capability before any work, and a run in which
no group has an adapter is refused with why, instead of an empty table."""

from __future__ import annotations

import pytest

from mmx.cli import main
from mmx.errors import InputError
from mmx.eval.runner import evaluate


def _one_line(argv: list[str], tmp_path, capsys) -> str:
    rc = main(["eval", "--bench", "xscript", *argv, "--limit", "1", "--no-progress", "--out", str(tmp_path / "run")])
    err = capsys.readouterr().err
    lines = [x for x in err.splitlines() if x.strip()]
    assert rc != 0 and len(lines) == 1 and lines[0].startswith("mmx eval: error: "), err
    assert not (tmp_path / "run").exists()
    return lines[0]


@pytest.mark.parametrize(("families", "option", "adapter", "can"), [
    ("serbian", "music_model", "reader", ("music-tiny", "clamp3")),
    ("digits", "reading_model", "shapes-oracle", ("reader", "majority")),
    ("hindustani", "prompts_model", "music-tiny", ("mmx-t2i", "shapes-oracle")),
    ("digits", "reading_model", "ocr-table", ("reader",)),  # made for mmcric only
])
def test_a_family_default_that_cannot_serve_is_refused_before_work(families, option, adapter, can, tmp_path,
                                                                   capsys) -> None:
    line = _one_line(["--bench-args", f"families={families},{option}={adapter}"], tmp_path, capsys)
    assert f"family {families}" in line and adapter in line and option in line, line
    assert "Adapters that can:" in line and all(c in line for c in can), line


def test_a_family_default_that_is_not_registered_is_refused(tmp_path, capsys) -> None:
    line = _one_line(["--bench-args", "families=serbian,music_model=music-tine"], tmp_path, capsys)
    assert "family serbian" in line and "'music-tine'" in line and "Did you mean 'music-tiny'" in line, line


def test_a_targeted_family_names_the_adapters_that_can(tmp_path, capsys) -> None:
    line = _one_line(["--bench-args", "families=digits", "--model", "digits=music-tiny"], tmp_path, capsys)
    assert "--model digits=music-tiny: it can embed, and family digits needs answer" in line
    assert "Adapters that can:" in line and "reader" in line and "hf:ORG/NAME" in line, line


def test_model_args_without_a_model_are_refused(tmp_path, capsys) -> None:
    line = _one_line(["--bench-args", "families=digits", "--model-args", "batch_size=4"], tmp_path, capsys)
    assert "--model-args batch_size" in line and "--model" in line, line


def test_model_args_are_checked_against_the_adapter_model_names(tmp_path) -> None:
    with pytest.raises(InputError, match=r"--model reader does not take foo \(--model-args it takes: model, batch_size\)"):
        evaluate("xscript", "reader", {"foo": 1}, bench_args={"families": "digits"}, out=tmp_path / "a",
                 progress=False)
    with pytest.raises(InputError, match=r"--model reader: batch_size must be a positive integer, not 'x'"):
        evaluate("xscript", "digits=reader", {"batch_size": "x"}, bench_args={"families": "digits"},
                 out=tmp_path / "b", progress=False)
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()


def test_a_run_whose_every_group_is_skipped_is_refused_with_why(tmp_path, capsys) -> None:
    line = _one_line(["--bench-args", "families=hindustani_passages"], tmp_path, capsys)
    assert "nothing to score" in line and "hindustani_passages" in line, line
    assert "--model hf:ORG/NAME" in line and "passages_model=NAME" in line, line  # how to serve it
    with pytest.raises(InputError, match="nothing to score"):
        evaluate("xscript", bench_args={"families": "hindustani_passages"}, limit=1, out=tmp_path / "run",
                 progress=False)
    assert not (tmp_path / "run").exists()
