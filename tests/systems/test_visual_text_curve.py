"""benchmarks/visual_text_curve.py: the distillation curve, from metrics.csv into the doc."""

from __future__ import annotations

from tests.helpers.scripts import load_script


def _script():
    return load_script("benchmarks/visual_text_curve.py")


def test_curve_table_from_metrics_between_the_markers(tmp_path) -> None:
    run = tmp_path / "run"
    run.mkdir()
    (run / "metrics.csv").write_text(
        "epoch,step,train/loss,train/cos,val/cos,val/r1,val/corpus_cos,val/corpus_r1,val/corpus_teacher_r1\n"
        "0,24,2.5,0.7,,,,,\n"
        "0,49,2.0,0.8,,,,,\n"
        "0,49,,,0.9,0.25,0.85,0.125,0.95\n"
        "0,99,1.5,0.9,,,,,\n"
        "0,99,,,0.95,0.5,0.9,0.5,0.95\n", encoding="utf-8")
    doc = tmp_path / "doc.md"
    doc.write_text("# t\n\n<!-- visual_text_curve:start -->\nold\n<!-- visual_text_curve:end -->\nafter\n", encoding="utf-8")
    mod = _script()
    assert mod.main([str(run), "--doc", str(doc), "--note", "a note"]) == 0
    text = doc.read_text(encoding="utf-8")
    assert "old" not in text and text.endswith("after\n") and "a note" in text
    assert "| 50 | 2.000 | 0.900 | 25.0 | 0.850 | 12.5 | 95.0 |" in text
    assert "| 100 | 1.500 | 0.950 | 50.0 | 0.900 | 50.0 | 95.0 |" in text
    csv_rows = (tmp_path / "visual_text_curve.csv").read_text(encoding="utf-8").splitlines()
    assert csv_rows[0].startswith("step,train/loss") and len(csv_rows) == 3


def test_curve_script_errors_are_one_line(tmp_path, capsys) -> None:
    mod = _script()
    assert mod.main([str(tmp_path / "nowhere"), "--doc", str(tmp_path / "d.md")]) == 2
    assert "does not exist" in capsys.readouterr().err
    (tmp_path / "metrics.csv").write_text("epoch,step,train/loss\n0,1,2.0\n", encoding="utf-8")
    assert mod.main([str(tmp_path), "--doc", str(tmp_path / "d.md")]) == 2
    assert "no validation rows" in capsys.readouterr().err
