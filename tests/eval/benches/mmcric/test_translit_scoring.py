"""mmcric's transliteration-aware scoring and error breakdown (issue 23, item 1).

Strict exact match stays the headline; beside it ``accuracy_translit/S`` accepts a name
written in another romanization of the Hindi card's Devanagari, ``errors/KIND/S`` counts
each kind of answer, and ``gap_translit/A-B`` is the paired gap under that scoring.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mmx.eval import create_bench
from mmx.eval.metrics import ERROR_KINDS
from mmx.text.translit import transliterator_available
from tests.conftest import png, write_dataset

needs_translit = pytest.mark.skipif(not transliterator_available(), reason="needs indic-transliteration")


def _record(bench, subset: str, pair: int, answer: str, prediction: str) -> dict:
    from mmx.eval.benches.mmcric.data import Sample

    s = Sample(id=f"{subset}-{pair}", subset=subset, category="C1", pair=str(pair), answer=answer)
    return {"subset": subset, "pair": str(pair), "category": "C1", "prediction": prediction,
            **bench.score(s, prediction)}


@needs_translit
def test_aggregate_splits_reading_errors_from_spelling() -> None:
    bench = create_bench("mmcric")
    rows = [  # (gold, E answer, H answer)
        ("Manish Fernando", "Manish Fernando", "Manish Farnando"),  # H: read right, romanized from Devanagari
        ("Chris Brown", "Chris Brown", "Kris Braun"),
        ("Joe Root", "Joe Root", "Joe Wright"),  # H: another player
        ("42", "42", "45"),  # H: a wrong number, off by 3
        ("17", "17", "12 or 15"),  # H: no single number
        ("Rahul Sharma", "Rahul Verma", ""),  # E: wrong player; H: no answer
    ]
    records = [rec for k, (gold, e, h) in enumerate(rows)
               for rec in (_record(bench, "E", k, gold, e), _record(bench, "H", k, gold, h))]
    m = bench.aggregate(records)
    assert m["accuracy/H"] == pytest.approx(0 / 6) and m["accuracy_translit/H"] == pytest.approx(2 / 6)
    assert m["accuracy/E"] == m["accuracy_translit/E"] == pytest.approx(5 / 6)
    assert {k: m[f"errors/{k}/H"] for k in ERROR_KINDS} == {
        "right": 0, "spelling": 2, "wrong_entity": 1, "wrong_number": 1, "no_answer": 2}
    assert {k: m[f"errors/{k}/E"] for k in ERROR_KINDS} == {
        "right": 5, "spelling": 0, "wrong_entity": 1, "wrong_number": 0, "no_answer": 0}
    assert m["number_off_mean/H"] == m["number_off_median/H"] == 3.0
    # the gap under both scorings, paired, with the same bootstrap
    assert m["gap/E-H"] == pytest.approx(5 / 6) and m["gap_translit/E-H"] == pytest.approx(3 / 6)
    assert m["gap_translit/E-H/ci_lo"] <= m["gap_translit/E-H"] <= m["gap_translit/E-H/ci_hi"]
    assert m["gap_translit/E-H/n_pairs"] == 6
    # an English card prints the English name: another spelling there is a wrong answer
    assert _record(bench, "E", 0, "Manish Fernando", "Manish Farnando")["error"] == "wrong_entity"
    lines = "\n".join(bench.report_sections({"metrics": m}, Path(".")))
    assert "| H | 6 | 0.0 | 33.3 | 0 | 2 | 1 | 1 | 2 | 3 / 3 |" in lines
    assert "**E-H**: strict +83.3 pts" in lines and "translit +50.0 pts" in lines


def _rows() -> list[dict]:
    """Three categories, each with a majority answer the majority baseline gives to all of its
    questions: a name the H card spells differently, a player, a number."""
    golds = [("C1", "Manish Farnando"), ("C1", "Manish Farnando"), ("C1", "Manish Fernando"),
             ("C2", "Joe Root"), ("C2", "Joe Root"), ("C2", "Joe Wright"),
             ("C3", "42"), ("C3", "42"), ("C3", "45")]
    return [{"id": f"{prefix}-single-{k}", "images": [{"bytes": png(100 + k), "path": None}],
             "question": f"Question {k}?", "answer": gold, "category": cat, "subset": s}
            for k, (cat, gold) in enumerate(golds) for prefix, s in (("english", "E"), ("hindi", "H"))]


@needs_translit
def test_cli_run_reports_translit_scores_and_the_error_breakdown(tmp_path: Path) -> None:
    from mmx.cli import main

    data = write_dataset(tmp_path / "set", n_multi=0, rows_single=_rows())
    out = tmp_path / "run"
    assert main(["eval", "--bench", "mmcric", "--data", str(data), "--model", "majority", "--limit", "9",
                 "--no-progress", "--out", str(out)]) == 0
    res = json.loads((out / "results.json").read_text(encoding="utf-8"))
    m = res["metrics"]
    for s in ("E", "H"):
        assert m[f"accuracy_translit/{s}"] >= m[f"accuracy/{s}"]
        assert sum(m[f"errors/{k}/{s}"] for k in ERROR_KINDS) == m[f"n/{s}"] == 9
        assert m[f"errors/right/{s}"] / 9 == pytest.approx(m[f"accuracy/{s}"])
        assert (m[f"errors/right/{s}"] + m[f"errors/spelling/{s}"]) / 9 == pytest.approx(m[f"accuracy_translit/{s}"])
        assert m[f"errors/wrong_number/{s}"] == 1 and m[f"number_off_mean/{s}"] == 3.0
    # "Manish Fernando" answered "Manish Farnando": spelled as the Hindi card's Devanagari reads,
    # a wrong name where the card is English ("Joe Wright" answered "Joe Root" is wrong in both)
    assert m["errors/spelling/H"] == 1 and m["errors/wrong_entity/H"] == 1
    assert m["errors/spelling/E"] == 0 and m["errors/wrong_entity/E"] == 2
    assert m["accuracy_translit/H"] > m["accuracy/H"]
    assert "gap_translit/E-H" in m and res["higher_is_better"]["gap_translit/E-H"] is False
    samples = [json.loads(line) for line in (out / "samples.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {r["error"] for r in samples} <= set(ERROR_KINDS) and all("translit" in r for r in samples)
    report = (out / "report.md").read_text(encoding="utf-8")
    assert "translit match" in report and "## Errors by kind" in report
    assert "| H | 9 | 66.7 | 77.8 | 6 | 1 | 1 | 1 | 0 | 3 / 3 |" in report
    assert "translit " in report.split("Gaps under both scorings")[1]
