"""experiments/music_text_crosslingual.py: several arms on the same tunes and queries, their
paired differences, per-tune ranks written and read back."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch

from tests.helpers.scripts import load_script
from tests.helpers.visual_text import save_tiny_visual_text


@pytest.fixture(scope="module")
def xling():
    return load_script("experiments/music_text_crosslingual.py")


def test_compare_pairs_the_arms_over_tunes(xling) -> None:
    tunes = [f"t{i}" for i in range(10)]
    ref = {"en": dict.fromkeys(tunes, 1.0), "fr": dict.fromkeys(tunes, 0.2)}
    arm = {"en": dict.fromkeys(tunes, 0.9), "fr": {t: 0.6 if i % 2 else 0.4 for i, t in enumerate(tunes)}}
    out = xling.compare({"ref": {"per_tune": ref}, "arm": {"per_tune": arm}}, n_boot=200)
    assert list(out) == ["arm"]
    rows = out["arm"]
    assert rows["en"]["mrr"]["gap"] == pytest.approx(-0.1) and rows["en"]["en_ratio"] == pytest.approx(0.9)
    assert "gap" not in rows["en"]
    assert rows["fr"]["mrr"]["gap"] == pytest.approx(0.3) and rows["fr"]["mrr"]["n"] == 10
    # the arm loses 0.4 of its English score on average, the reference 0.8: +0.4 paired
    g = rows["fr"]["gap"]
    assert g["gap"] == pytest.approx(0.4) and g["lo"] < 0.4 < g["hi"] and g["hi"] - g["lo"] < 0.25


def _export(folder: Path, enc: Path, seed: int) -> Path:
    from mmx.systems.music_text import MusicTextSystem

    torch.manual_seed(seed)
    m3 = {"hidden_size": 16, "num_layers": 1, "num_heads": 2, "intermediate_size": 32, "max_patches": 64}
    MusicTextSystem(music=m3, text={"name": "visual_text", "weights": str(enc)}, embed_dim=8).export(str(folder))
    return folder


def test_two_arms_are_scored_written_compared_and_read_back(xling, tmp_path: Path, capsys, monkeypatch) -> None:
    enc = save_tiny_visual_text(tmp_path / "enc")
    a, b = _export(tmp_path / "a", enc, 0), _export(tmp_path / "b", enc, 1)
    out = tmp_path / "xling"
    argv = ["--model", f"first={a}", "--model", f"second={b}", "--n", "6", "--langs", "en,hi,zh", "--forms",
            "--n-boot", "100", "--out", str(out)]
    assert xling.main(argv) == 0
    text = capsys.readouterr().out
    assert "| second - first: MRR [95% CI] | second - first: gap to en [95% CI] |" in text
    assert "| Hindi, ISO 15919 (hi-iso15919) | Latin |" in text and "English: second / first = " in text
    saved = json.loads((out / "second.json").read_text(encoding="utf-8"))
    assert set(saved["per_tune"]) == {"en", "hi", "zh", "hi-iso15919", "hi-roman", "zh-hant"}
    assert all(len(v) == 6 for v in saved["per_tune"].values())
    iso = saved["queries"]["hi-iso15919"][0]
    assert iso != saved["queries"]["hi"][0] and not any("\u0900" <= c <= "\u097f" for c in iso)
    assert "gap" in saved["languages"]["hi"] and "gap" not in saved["languages"]["en"]

    def no_eval(*args, **kwargs):  # the second run reads both arms back
        raise AssertionError("evaluated again")

    monkeypatch.setattr(xling, "evaluate", no_eval)
    assert xling.main(argv) == 0
    assert "second - first" in capsys.readouterr().out
    # other queries (another pool) are evaluated again, not read back
    with pytest.raises(AssertionError, match="evaluated again"):
        xling.main([*argv[:5], "5", *argv[6:]])
