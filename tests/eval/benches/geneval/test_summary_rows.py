"""GenEval's summary rows: ``mean`` (``accuracy/mean``) is the mean over languages only, printed
after them; code-mixed and romanized variants get their own ``variants-mean`` row, printed after
the variants (docs/geneval.md, "Formulas")."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from PIL import Image

from mmx.cli import main
from mmx.eval.benches.geneval import TAGS, GenevalBench
from mmx.eval.benches.geneval.report import MEAN_ROW, SUMMARY_ROWS, VARIANTS_ROW
from tests.eval.benches.geneval.test_bench import make_image_folder, small_records

LANGS = ("en", "fr", "ru")
VARIANTS = ("fr-en-first", "hi-roman")


def folder(root: Path) -> Path:
    """Correct images for the languages; blank ones (every image wrong) for the variants; in
    French, both counting images are blank too."""
    recs = small_records()
    for code in (*LANGS, *VARIANTS):
        make_image_folder(root / code, recs, {}, n=2)
    for code in VARIANTS:
        for png in (root / code).glob("*/samples/*.png"):
            Image.new("RGB", (96, 96), (153, 153, 153)).save(png)
    counting = next(i for i, r in enumerate(recs) if r["tag"] == "counting")
    for png in (root / "fr" / f"{counting:05d}" / "samples").glob("*.png"):
        Image.new("RGB", (96, 96), (153, 153, 153)).save(png)
    return root


def rows(text: str) -> list[str]:
    """The subset column of a rich table or a markdown table, in order."""
    names = re.findall(r"^[│|] (\S+)\s*[│|]", text, flags=re.M)
    return [n for n in names if n not in ("subset", "---")]


def test_mean_is_over_languages_and_variants_get_their_own_row(tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    data = folder(tmp_path / "imgs")
    assert main(["eval", "--bench", "geneval", "--data", str(data), "--out", str(tmp_path / "o"),
                 "--bench-args", "n_images=2", "--no-progress"]) == 0
    out = capsys.readouterr().out
    m = json.loads((tmp_path / "o" / "results.json").read_text(encoding="utf-8"))["metrics"]
    assert m["accuracy/en"] == m["accuracy/ru"] == 1.0 and m["accuracy/fr"] == pytest.approx(5 / 6)
    assert m["accuracy/fr-en-first"] == m["accuracy/hi-roman"] == 0.0
    # main: the mean of all five rows (0.567), printed between the languages and the variants
    assert m[f"accuracy/{MEAN_ROW}"] == pytest.approx((1 + 5 / 6 + 1) / 3)
    assert m[f"counting/{MEAN_ROW}"] == pytest.approx(2 / 3) and m[f"n/{MEAN_ROW}"] == 3 * len(TAGS)
    assert m[f"accuracy/{VARIANTS_ROW}"] == 0.0 and m[f"n/{VARIANTS_ROW}"] == 2 * len(TAGS)
    assert m[f"single_object/{VARIANTS_ROW}"] == 0.0
    # English's rows per spec split (the shapes world's train / held-out specs) follow it
    order = ["en", "en@train", "en@heldout", *LANGS[1:], MEAN_ROW, *VARIANTS, VARIANTS_ROW]
    assert rows(out) == order
    report = (tmp_path / "o" / "report.md").read_text(encoding="utf-8")
    table = report.split("## Overall by subset")[1].split("##")[0]
    assert rows(table) == order
    reasons = report.split("## Failure reasons (images)")[1].split("##")[0]
    assert not any(row in reasons.splitlines()[2] for row in SUMMARY_ROWS)  # per subset, no summaries
    # the variants' gaps to English stay, one per variant
    assert "gap/en-fr-en-first" in m and "gap/en-hi-roman" in m and f"gap/en-{VARIANTS_ROW}" not in m


def test_summary_rows_appear_only_with_something_to_summarize(tmp_path: Path) -> None:
    recs = small_records()
    make_image_folder(tmp_path / "one" / "en", recs, {}, n=1)
    make_image_folder(tmp_path / "one" / "fr-en-first", recs, {}, n=1)
    b = GenevalBench(data=str(tmp_path / "one"))
    samples = b.load()
    records = [{**b.record(s, [{"filename": "x", "status": "ok", "correct": True, "reason": "", "details": "{}"}],
                           None), "images": []} for s in samples]  # type: ignore[arg-type]
    m = b.aggregate(records)
    assert f"accuracy/{MEAN_ROW}" not in m and f"accuracy/{VARIANTS_ROW}" not in m  # one of each
    assert m["accuracy/fr-en-first"] == 1.0 and "gap/en-fr-en-first" in m


def test_subset_order_puts_every_language_before_mean_and_every_variant_after() -> None:
    order = list(GenevalBench.subset_order)
    i, j = order.index(MEAN_ROW), order.index(VARIANTS_ROW)
    assert order[0] == "en" and j == len(order) - 1
    assert {"ar", "ru", "bn"} <= set(order[:i]) and {"hi-roman", "fa-roman", "zh-en-first"} <= set(order[i:j])
    assert not any("-" in code for code in order[:i])
