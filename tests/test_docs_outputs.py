"""The cheap commands whose output the docs show are rerun, and the docs must show what they print.

A docs table or console line made by a command goes stale silently when the code moves
(README's ``make tour`` table once had other columns and means). Each test here finds the
command in its doc (so a doc that changes the command fails here too), reruns it offline
(seconds each) and compares what the doc shows with what it prints now.

Checked (all offline, a few seconds each):

- README "Quick tour": ``mmx render ... --json`` (the whole JSON line), ``mmx render ... --grid``
  (the printed lines), the missing-glyphs example (its ``missing_glyphs``), the mistyped
  profile's one-line error, ``mmx list profiles`` and ``mmx list encoders`` (every line);
- README ``make tour`` (``mmx tokens --corpus mmx/assets/samples --profile seetok``): every row's
  chars, tokens, ink patches, fed patches, visual tokens and ratio, and the mean ratio;
- README ``mmx bench flops --tokens 2048 --languages ...``: the header and every row shown;
- docs/flops.md "The shipped samples" (``mmx bench flops``, the offline default): every row of
  both tables, and every row the command writes is in the doc.

Not checked, and why:

- ``make tour``'s OCR CER and OCR columns: they depend on the OCR engines installed (Debian's
  tesseract, RapidOCR); the README names the versions it was measured with;
- the main job (``mmx eval --bench mmcric``, README, docs/mmcric.md): about 4 minutes, and its
  OCR numbers depend on the machine (issue 21, item 7 pins them with its own golden test);
- ``mmx eval --bench geneval`` (README): about 25 s with images for 1,596 samples;
- ``mmx eval --bench xscript`` (README, docs/xscript.md): about 1.5 minutes;
- WikiMT (docs/wikimt.md), the parallel-corpus tables (docs/flops.md, docs/render_bench.md,
  docs/compression.md) and ``make bench``: they read data outside the repository (``../shared``);
- timings (docs/ocr_speed.md, docs/render_bench.md, docs/t2i_head_speed.md): machine-dependent;
- training results (``mmx fit`` / ``mmx test``, docs/training.md, docs/music.md, docs/t2i.md):
  minutes to hours;
- runs that need a GPU or a real model (docs/geneval.md, docs/flops.md's prefill times).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from mmx.cli import main

ROOT = Path(__file__).resolve().parents[1]


def shown(doc: str, command: str) -> list[str]:
    """The lines a doc's console block shows after ``$ COMMAND`` (up to the next ``$ `` or the
    block's end); the command must be in the doc as written here."""
    lines = (ROOT / doc).read_text(encoding="utf-8").splitlines()
    starts = [i for i, line in enumerate(lines) if line.startswith(f"$ {command}")]
    assert starts, f"{doc} no longer shows `$ {command}`: update this test with the doc"
    out = []
    for line in lines[starts[0] + 1:]:
        if line.startswith(("$ ", "```")):
            break
        out.append(line.rstrip())
    return out


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[str], list[str]]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, [x.rstrip() for x in out.splitlines()], [x.rstrip() for x in err.splitlines()]


@pytest.fixture(autouse=True)
def _terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    # the docs show what an 80-column terminal prints (tables grow to fit, never shrink)
    monkeypatch.setenv("COLUMNS", "80")


def test_quick_tour_render_json(capsys: pytest.CaptureFixture[str]) -> None:
    text = "नमस्ते दुनिया — मैं हिंदी पढ़ सकता हूँ"
    (doc_line,) = [x for x in shown("README.md", f'mmx render "{text}" --json') if x]
    code, out, _ = run(capsys, "render", text, "--json")
    assert code == 0 and json.loads(out[0]) == json.loads(doc_line)


def test_quick_tour_render_grid(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    doc = [x for x in shown("README.md", 'mmx render "Cross-script generalization" --profile seetok '
                                         '--out tour.png --grid') if x]
    code, out, _ = run(capsys, "render", "Cross-script generalization", "--profile", "seetok", "--out", "tour.png",
                       "--grid")
    assert code == 0 and out == doc


def test_quick_tour_missing_glyphs(capsys: pytest.CaptureFixture[str]) -> None:
    (doc_line,) = [x for x in shown("README.md", "mmx render \"$(printf 'private \\U000F0000 and unassigned "
                                                 "\\u0378')\" --json") if x]
    code, out, _ = run(capsys, "render", "private \U000f0000 and unassigned \u0378", "--json")
    assert code == 0 and json.loads(out[0])["missing_glyphs"] == json.loads(doc_line)


def test_quick_tour_mistyped_profile(capsys: pytest.CaptureFixture[str]) -> None:
    doc = [x for x in shown("README.md", "mmx render abc --profile seetk") if x]
    code, out, err = run(capsys, "render", "abc", "--profile", "seetk")
    assert code == 2 and out == [] and err == doc


@pytest.mark.parametrize("kind", ["profiles", "encoders"])
def test_quick_tour_list(kind: str, capsys: pytest.CaptureFixture[str]) -> None:
    doc = [x for x in shown("README.md", f"mmx list {kind}") if x]
    code, out, _ = run(capsys, "list", kind)
    assert code == 0 and out == doc


def _cells(row: str) -> list[str]:
    return [c.strip() for c in row.strip().strip("│|").split("│" if "│" in row else "|")]


def test_make_tour_table(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """Every row's token and patch columns and the mean ratio; OCR is skipped (see the docstring)."""
    doc = shown("README.md", "make tour")
    command = next(x for x in doc if x.startswith(".venv/bin/mmx tokens "))
    assert command == ".venv/bin/mmx tokens --corpus mmx/assets/samples --profile seetok --chart tokens_seetok.png"
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "$(BIN)/mmx tokens --corpus mmx/assets/samples --profile seetok --chart tokens_seetok.png" in makefile
    doc_rows = {c[0]: c[1:7] for c in map(_cells, doc) if c and re.fullmatch(r"[a-z]{3}_[A-Z][a-z]{3}", c[0])}
    code, out, _ = run(capsys, "tokens", "--corpus", str(ROOT / "mmx/assets/samples"), "--profile", "seetok",
                       "--ocr-lines", "0", "--chart", str(tmp_path / "chart.png"))
    assert code == 0
    rows = {c[0]: c[1:7] for c in map(_cells, out) if c and re.fullmatch(r"[a-z]{3}_[A-Z][a-z]{3}", c[0])}
    assert len(doc_rows) == 16 and doc_rows == rows
    mean = next(x for x in doc if x.startswith("mean ratio "))
    assert next(x for x in out if x.startswith("mean ratio ")).split(";")[0] == mean.split(",")[0]


def test_readme_flops_table(capsys: pytest.CaptureFixture[str]) -> None:
    command = "mmx bench flops --tokens 2048 --languages eng_Latn,hin_Deva,zho_Hans,arb_Arab"
    doc = shown("README.md", command)
    code, out, _ = run(capsys, *command.split()[1:])
    assert code == 0
    table = [x for x in doc if x.startswith(("┃", "│"))]
    assert len(table) == 6 and all(x in out for x in table), sorted(set(table) - set(out))


def test_flops_doc_shipped_samples(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    text = (ROOT / "docs/flops.md").read_text(encoding="utf-8")
    section = text.split("### The shipped samples (`mmx bench flops`, the offline default)", 1)[1].split("\n## ", 1)[0]
    doc_rows = {x for x in section.splitlines() if x.startswith("| ") and not x.startswith("| language")}
    assert (ROOT / "mmx/assets/samples").is_dir()
    code, _, _ = run(capsys, "bench", "flops", "--out", str(tmp_path / "flops.md"))
    assert code == 0
    rows = {x for x in (tmp_path / "flops.md").read_text(encoding="utf-8").splitlines()
            if x.startswith("| ") and not x.startswith("| language")}
    assert len(rows) == 51  # 16 languages x 3 budgets + 3 means
    assert doc_rows == rows, sorted(doc_rows ^ rows)
