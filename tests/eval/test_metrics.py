"""Tests of mmx.eval.metrics: harness normalization, numbers, ChartQA, ANLS, pairs."""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torchmetrics import MetricCollection

from mmx.eval import metrics
from mmx.eval.metrics import (
    ANLS,
    ExactMatch,
    RelaxedAccuracy,
    anls,
    exact_match,
    normalize_answer,
    paired,
    paired_agreement,
    paired_consistency,
    paired_gap,
    parse_number,
    relaxed_match,
    score_answer,
)
from mmx.text.distance import edit_distance

# ------------------------------------------------------------------ normalization


@pytest.mark.parametrize(
    ("raw", "norm"),
    [
        ("Kohli.", "kohli"),
        ("  Kohli  ", "kohli"),
        ("12,", "12"),
        ("12 .", "12"),
        ("V. Kohli", "v. kohli"),  # inner punctuation stays
        ("1,234", "1,234"),
        ("a..", "a."),  # one trailing mark only
        ("India won", "india won"),
        ("", ""),
    ],
)
def test_normalize_answer_is_the_harness_rule(raw: str, norm: str) -> None:
    assert normalize_answer(raw) == norm


def test_exact_match() -> None:
    assert exact_match("Kohli.", "kohli") == 1.0
    assert exact_match("12,", "12") == 1.0
    assert exact_match("V Kohli", "V. Kohli") == 0.0
    assert exact_match("the 12", "12") == 0.0  # no article stripping


# ------------------------------------------------------------------ numbers


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("१२३", 123.0),
        ("१,२३४ रन", 1234.0),
        ("٤٥", 45.0),
        ("１２", 12.0),
        ("1,234 runs", 1234.0),
        ("1,234,567", 1234567.0),
        ("12,34,567", 1234567.0),
        ("1,234.5", 1234.5),
        ("45%", 0.45),
        ("45 %", 0.45),
        ("-3.5", -3.5),
        ("+2", 2.0),
        ("−4", -4.0),
        ("42 runs", 42.0),
        ("about 7.5", 7.5),
        ("7.5.", 7.5),
        (".5", 0.5),
        ("42 (42 runs)", 42.0),
        ("T-20", 20.0),
        ("5 m²", 5.0),
    ],
)
def test_parse_number(text: str, value: float) -> None:
    assert parse_number(text) == pytest.approx(value, rel=0, abs=1e-12)


@pytest.mark.parametrize(
    "text",
    ["", "Kohli", "12 or 15", "12-15", "12,15", "1,2345", "1.2.3", "3/45", "twelve", "1" * 400],
)
def test_parse_number_none(text: str) -> None:
    assert parse_number(text) is None


def test_parse_number_strict() -> None:
    assert parse_number(" 42 ", strict=True) == 42.0
    assert parse_number("12.5%", strict=True) == 0.125
    assert parse_number("42 runs", strict=True) is None
    assert parse_number("won by 5", strict=True) is None


# ------------------------------------------------------------------ relaxed accuracy


def test_relaxed_tolerance_boundary() -> None:
    assert relaxed_match("105", "100") == 1.0
    assert relaxed_match("95", "100") == 1.0
    assert relaxed_match("105.1", "100") == 0.0
    assert relaxed_match("94.9", "100") == 0.0
    assert relaxed_match("1.05", "1") == 1.0  # 1.05 - 1 is 0.050000000000000044 in binary
    assert relaxed_match("-105", "-100") == 1.0
    assert relaxed_match("110", "100", tol=0.1) == 1.0


def test_relaxed_numbers_in_words_and_percent() -> None:
    assert relaxed_match("42 runs", "42") == 1.0
    assert relaxed_match("१२३", "123") == 1.0
    assert relaxed_match("0.45", "45%") == 1.0
    assert relaxed_match("12 or 15", "12") == 0.0
    assert relaxed_match("Kohli", "12") == 0.0


def test_relaxed_gold_zero() -> None:
    assert relaxed_match("0", "0") == 1.0
    assert relaxed_match("0.0 runs", "0") == 1.0
    assert relaxed_match("0.001", "0") == 0.0
    assert relaxed_match("none", "0") == 0.0


def test_relaxed_string_gold() -> None:
    assert relaxed_match("KOHLI.", "Kohli") == 1.0
    assert relaxed_match("Kohl", "Kohli") == 0.0
    # a gold with words around its number is a string, as in ChartQA
    assert relaxed_match("5", "5 wickets") == 0.0
    assert relaxed_match("5 Wickets", "5 wickets") == 1.0


# ------------------------------------------------------------------ ANLS


def test_anls_examples() -> None:
    assert anls("Kohli", "kohli") == 1.0
    assert anls("  Virat   Kohli ", "virat kohli") == 1.0  # whitespace folded
    assert anls("kohl", "kohli") == pytest.approx(0.8)  # NL 1/5
    assert anls("abc", "xyz") == 0.0
    assert anls("", "") == 1.0
    assert anls("", "abc") == 0.0
    assert anls("kohli.", "kohli") == pytest.approx(1 - 1 / 6)  # no harness stripping


def test_anls_threshold() -> None:
    # "abcd" vs "abxy": NL = 2/4 = 0.5, not below the threshold -> 0
    assert anls("abcd", "abxy") == 0.0
    assert anls("abcd", "abxy", threshold=0.51) == pytest.approx(0.5)
    # "abcde" vs "abxye": NL 0.4 -> 0.6
    assert anls("abcde", "abxye") == pytest.approx(0.6)


def test_anls_multiple_golds_takes_the_best() -> None:
    assert anls("kohli", ["dhoni", "kohli"]) == 1.0
    assert anls("kohl", ["dhoni", "kohli", "kohlii"]) == pytest.approx(0.8)
    assert anls("sachin", ["dhoni", "kohli"]) == 0.0
    with pytest.raises(ValueError):
        anls("x", [])


def test_score_answer() -> None:
    assert score_answer("42 runs", "42") == {
        "exact": 0.0,
        "relaxed": 1.0,
        "anls": 0.0,
        "numeric": True,
        "parsed": True,
    }
    assert score_answer("12 or 15", "12")["parsed"] is False
    s = score_answer("Kohli.", "Kohli")
    assert s["exact"] == s["relaxed"] == 1.0
    assert s["numeric"] is False and s["parsed"] is True
    assert 0.8 < s["anls"] < 1.0


# ------------------------------------------------------------------ torchmetrics

PREDS = ["Kohli.", "42 runs", "105", "dhoni", "१२३", "12 or 15", "kohl", "45%"]
GOLDS = ["kohli", "42", "100", "Sharma", "123", "12", "kohli", "0.45"]


def _mean(fn, preds, golds) -> float:
    return sum(fn(p, g) for p, g in zip(preds, golds)) / len(preds)


def test_metrics_equal_the_functions() -> None:
    for metric, fn in [
        (ExactMatch(), exact_match),
        (RelaxedAccuracy(), relaxed_match),
        (ANLS(), anls),
    ]:
        metric.update(PREDS[:3], GOLDS[:3])
        metric.update(PREDS[3:], GOLDS[3:])
        assert metric.compute().item() == pytest.approx(_mean(fn, PREDS, GOLDS))


def test_metric_collection_keeps_metrics_apart() -> None:
    # The first batch gives every metric the same state (all 1.0): MetricCollection's
    # compute groups must not merge them, or later batches would update only one.
    coll = MetricCollection({"exact": ExactMatch(), "relaxed": RelaxedAccuracy(), "anls": ANLS()})
    coll.update(["kohli"], ["Kohli"])
    coll.update(PREDS, GOLDS)
    out = coll.compute()
    preds, golds = ["kohli", *PREDS], ["Kohli", *GOLDS]
    assert out["exact"].item() == pytest.approx(_mean(exact_match, preds, golds))
    assert out["relaxed"].item() == pytest.approx(_mean(relaxed_match, preds, golds))
    assert out["anls"].item() == pytest.approx(_mean(anls, preds, golds))
    assert len({out["exact"].item(), out["relaxed"].item(), out["anls"].item()}) == 3


def test_metric_collection_forward_and_reset() -> None:
    coll = MetricCollection([ExactMatch(), RelaxedAccuracy()])
    batch = coll(PREDS[:4], GOLDS[:4])  # forward: this batch's values
    assert batch["ExactMatch"].item() == pytest.approx(_mean(exact_match, PREDS[:4], GOLDS[:4]))
    coll(PREDS[4:], GOLDS[4:])
    assert coll.compute()["RelaxedAccuracy"].item() == pytest.approx(
        _mean(relaxed_match, PREDS, GOLDS)
    )
    coll.reset()
    with pytest.warns(UserWarning, match="before the ``update``"):
        assert all(math.isnan(v.item()) for v in coll.compute().values())


def test_metric_empty_is_nan_and_states_sum_across_ranks() -> None:
    with pytest.warns(UserWarning, match="before the ``update``"):  # torchmetrics' own
        assert torch.isnan(ExactMatch().compute())
    a, b = ExactMatch(), ExactMatch()
    a.update(PREDS[:5], GOLDS[:5])
    b.update(PREDS[5:], GOLDS[5:])
    a.merge_state(b)  # the same reduction (sum) that DDP applies
    assert a.compute().item() == pytest.approx(_mean(exact_match, PREDS, GOLDS))


def test_metric_options_and_errors() -> None:
    assert RelaxedAccuracy(tol=0.1)(["110"], ["100"]).item() == 1.0
    assert ANLS(threshold=0.51)(["abcd"], [["abxy"]]).item() == pytest.approx(0.5)
    with pytest.raises(ValueError):
        ExactMatch().update(["a", "b"], ["a"])
    with pytest.raises(TypeError):
        ExactMatch().update("a", "a")


# ------------------------------------------------------------------ pairs


def _pairs(n: int, seed: int = 1) -> tuple[dict[str, float], dict[str, float]]:
    rng = np.random.default_rng(seed)
    a = {f"q{i}": float(x) for i, x in enumerate(rng.random(n) < 0.7)}
    b = {f"q{i}": float(x) for i, x in enumerate(rng.random(n) < 0.5)}
    return a, b


def test_paired_gap_known_gap() -> None:
    a = {f"q{i}": 1.0 for i in range(10)}
    b = {f"q{i}": float(i < 4) for i in range(10)}
    a["only-a"] = 0.0  # unpaired keys are ignored
    b["only-b"] = 1.0
    out = paired_gap(a, b)
    assert out["n"] == 10
    assert out["gap"] == pytest.approx(0.6)
    assert out["lo"] <= 0.6 <= out["hi"]
    assert out["lo"] >= 0.0 and out["hi"] <= 1.0


def test_paired_gap_ci_width_and_determinism() -> None:
    a, b = _pairs(400)
    out = paired_gap(a, b, n_boot=4000)
    d = np.array([a[k] - b[k] for k in a])
    assert out["gap"] == pytest.approx(d.mean())
    assert out["lo"] < out["gap"] < out["hi"]
    normal_half_width = 1.96 * d.std(ddof=1) / math.sqrt(len(d))
    assert (out["hi"] - out["lo"]) / 2 == pytest.approx(normal_half_width, rel=0.15)
    assert paired_gap(a, b, n_boot=4000) == out
    reordered = dict(reversed(list(a.items())))
    assert paired_gap(reordered, b, n_boot=4000) == out
    assert paired_gap(a, b, n_boot=4000, seed=1) != out
    assert (
        paired_gap(a, b, alpha=0.5)["hi"] - paired_gap(a, b, alpha=0.5)["lo"]
        < out["hi"] - out["lo"]
    )


def test_paired_gap_chunking_does_not_change_results(monkeypatch: pytest.MonkeyPatch) -> None:
    a, b = _pairs(50)
    whole = paired_gap(a, b, n_boot=300)
    monkeypatch.setattr(paired, "_BOOT_CHUNK_ELEMS", 50 * 7)  # 7 resamples per call
    assert paired_gap(a, b, n_boot=300) == whole


def test_paired_gap_edge_cases() -> None:
    out = paired_gap({"a": 1.0}, {"b": 1.0})
    assert out["n"] == 0 and all(math.isnan(out[k]) for k in ("gap", "lo", "hi"))
    one = paired_gap({"a": 1.0}, {"a": 0.25})
    assert one == {"gap": 0.75, "lo": 0.75, "hi": 0.75, "n": 1}
    with pytest.raises(ValueError):
        paired_gap({"a": 1.0}, {"a": 0.0}, n_boot=0)
    with pytest.raises(ValueError):
        paired_gap({"a": 1.0}, {"a": 0.0}, alpha=1.0)
    with pytest.raises(ValueError):
        paired_gap({"a": math.nan}, {"a": 0.0})


def test_paired_agreement_and_consistency() -> None:
    a = {"1": "Kohli.", "2": "42", "3": "dhoni", "x": "?"}
    b = {"1": "kohli", "2": "43", "3": "Dhoni", "y": "?"}
    assert paired_agreement(a, b) == pytest.approx(2 / 3)
    sa = {"1": 1.0, "2": 0.0, "3": 0.6, "4": 0.49}
    sb = {"1": 1.0, "2": 0.0, "3": 0.4, "4": 0.5}
    assert paired_consistency(sa, sb) == pytest.approx(0.5)
    assert math.isnan(paired_agreement({"a": "x"}, {}))
    assert math.isnan(paired_consistency({}, {"a": 1.0}))


# ------------------------------------------------------------------ properties

_text = st.text(
    alphabet=st.sampled_from(list("0123456789१२३٤,.%-+ abcKOHLI\t")) | st.characters(),
    max_size=12,
)


@settings(max_examples=300, deadline=None)
@given(_text, _text)
def test_scores_in_range_and_exact_implies_relaxed(pred: str, gold: str) -> None:
    s = score_answer(pred, gold)
    assert 0.0 <= s["anls"] <= 1.0
    assert s["exact"] <= s["relaxed"]


@settings(max_examples=300, deadline=None)
@given(_text, st.sampled_from(["", " ", ".", ",", "  .", "\n,"]), st.booleans())
def test_same_answer_scores_one(text: str, tail: str, upper: bool) -> None:
    # the harness's own variants of one answer: exact-correct implies relaxed-correct
    variant = (text.upper() if upper else text) + tail
    s = score_answer(variant, text)
    if normalize_answer(variant) == normalize_answer(text):
        assert s["exact"] == s["relaxed"] == 1.0 and s["parsed"]
    assert score_answer(text, text)["exact"] == score_answer(text, text)["relaxed"] == 1.0
    assert anls(text, text) == 1.0


def test_anls_distance_is_the_shared_edit_distance() -> None:
    # ANLS = 1 - edits / longest on lowercased, whitespace-folded strings
    assert anls("Kohli", "kohli.") == pytest.approx(1 - 1 / 6)
    assert anls("ab  cd", "AB CD") == 1.0
    assert metrics.edit_distance is edit_distance


# ------------------------------------------------------------------ package


def test_import_loads_neither_torch_nor_torchmetrics() -> None:
    # `mmx eval` with a torch-free model imports this package: torch would cost seconds
    code = (
        "import sys, mmx.eval.metrics as m\n"
        "m.score_answer('१२', '12'); m.paired_gap({'a': 1.0}, {'a': 0.0}, n_boot=10)\n"
        "print(sorted({'torch', 'torchmetrics'} & set(sys.modules)))\n"
        "m.ExactMatch\n"
        "print(sorted({'torch', 'torchmetrics'} & set(sys.modules)))\n"
    )
    root = Path(__file__).resolve().parents[2]  # `python -c` puts the working folder first on sys.path
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=root)
    assert out.stdout.split("\n")[:2] == ["[]", "['torch', 'torchmetrics']"], out.stderr


def test_every_public_name_is_importable_from_the_package() -> None:
    from mmx.eval.metrics import torch_metrics

    for name in metrics.__all__:
        assert getattr(metrics, name) is not None, name
    assert metrics.ExactMatch is torch_metrics.ExactMatch and ExactMatch is torch_metrics.ExactMatch
    assert {"ANLS", "ExactMatch", "RelaxedAccuracy"} <= set(dir(metrics))
    with pytest.raises(AttributeError, match="no_such_metric"):
        metrics.no_such_metric  # noqa: B018
