"""xscript through the CLI: PuMVR's Script Consistency Rate, McNemar's exact test for every pair
of forms and Holm's correction, in results.json and report.md."""

from __future__ import annotations

import itertools
import json

import pytest

from mmx.cli import main
from mmx.eval.benches.xscript.families import DIGIT_FORMS


def test_cli_digits_reports_scr_mcnemar_and_holm(tmp_path) -> None:
    out = tmp_path / "run"
    # ten numbers: 2 / 2**10 for a form read on every item against one read on none, small enough
    # to survive Holm over the 15 pairs of six digit systems (6 or 8 numbers would not)
    assert main(["eval", "--bench", "xscript", "--bench-args", "families=digits,n_numbers=10", "--limit", "10",
                 "--out", str(out), "--no-progress"]) == 0
    res = json.loads((out / "results.json").read_text(encoding="utf-8"))
    m = res["metrics"]
    # the tiny reader reads Latin and Devanagari digits and never Bengali or Thai ones
    assert m["accuracy/digits:latin"] == 1.0 and m["accuracy/digits:thai"] == 0.0
    # SCR: right in every form; no number is read in all six systems
    assert m["scr/digits"] == 0.0 == m["family_consistency/digits"] and m["n_items/digits"] == 10
    pairs = [f"{a}-{b}" for a, b in itertools.combinations(DIGIT_FORMS, 2)]
    assert sorted(k.split("/", 2)[2] for k in m if k.startswith("mcnemar_p/digits/")) == sorted(pairs)
    # every pair, in family order: b = right in the first form only, c = in the second only
    assert (m["mcnemar_b/digits/latin-thai"], m["mcnemar_c/digits/latin-thai"]) == (10, 0)
    assert m["mcnemar_n/digits/latin-thai"] == 10
    assert m["mcnemar_p/digits/latin-thai"] == pytest.approx(2 / 1024)
    assert (m["mcnemar_b/digits/bengali-thai"], m["mcnemar_c/digits/bengali-thai"]) == (0, 0)
    assert m["mcnemar_p/digits/bengali-thai"] == 1.0 and m["mcnemar_p/digits/latin-devanagari"] == 1.0
    # Holm over the family's 15 pairs: 15 x 2/1024 = 0.029 survives, an equal pair does not
    assert m["mcnemar_p_holm/digits/latin-thai"] == pytest.approx(15 * 2 / 1024)
    assert m["holm_significant/digits/latin-thai"] == 1.0
    assert m["holm_significant/digits/latin-devanagari"] == 0.0
    assert res["higher_is_better"]["scr/digits"] is True
    report = (out / "report.md").read_text(encoding="utf-8")
    assert "SCR" in report and "## McNemar's exact test, every pair of forms" in report
    assert "| digits | latin-thai | 10 | 10 | 0 | 0.00195 | 0.0293 | yes |" in report
    assert "| digits | latin-devanagari | 10 | 0 | 0 | 1 | 1 | no |" in report
    # beside the bootstrap gap of each form to the reference, whether it survives Holm
    assert "Holm" in report.split("## Per family", 1)[1].split("\n\n", 2)[1]
