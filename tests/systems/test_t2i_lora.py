"""configs/t2i_sd15_lora.yaml end to end for 2 steps on a tiny random-weight SD pipeline
(saved to a temporary folder), its multilingual text encoder swapped in by projection."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
import yaml

from mmx.cli import main
from mmx.encoders.text import HfTextEncoder
from mmx.errors import InputError
from mmx.testing.diffusers import build_tiny_sd

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "configs" / "t2i_sd15_lora.yaml"


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("sd_lora")
    pipe = build_tiny_sd(tmp / "tiny_sd", sample_size=16)  # 32 px images
    cfg = yaml.safe_load(CONFIG.read_text())
    m = cfg["model"]["init_args"]
    m["encoder"] = {"name": "hf_text", **HfTextEncoder.tiny_config()}  # 32-d states; the UNet attends in 16-d
    m["head"]["pretrained"] = str(pipe)
    m["head"]["lora"]["r"] = 2
    m.update(image_size=32, sample_steps=2)
    cfg["data"]["init_args"].update(image_size=32, train_size=4, val_per_tag=1, batch_size=2, num_workers=0)
    t = cfg["trainer"]
    t.update(max_steps=2, val_check_interval=2, log_every_n_steps=1, enable_model_summary=False,
             enable_progress_bar=False, accelerator="cpu", precision="32-true", default_root_dir=str(tmp))
    t["logger"]["init_args"]["save_dir"] = str(tmp / "runs")
    path = tmp / "lora.yaml"
    path.write_text(yaml.safe_dump(cfg))
    assert main(["fit", "--config", str(path)]) == 0
    return pipe, tmp / "runs" / "t2i_sd15_lora" / "version_0"


def test_only_adapters_projection_and_null_are_saved(run) -> None:
    _, folder = run
    ckpt = torch.load(folder / "checkpoints" / "last.ckpt", map_location="cpu", weights_only=True)
    keys = list(ckpt["state_dict"])
    assert keys and ckpt["mmx_trainable_only"]
    assert all("lora_" in k or k.startswith(("head.net.proj.", "head.net.null")) for k in keys), keys[:5]
    assert any("lora_" in k for k in keys) and "head.net.proj.weight" in keys


def test_the_lora_loads_in_diffusers_and_the_run_draws(run) -> None:
    from diffusers import StableDiffusionPipeline

    from mmx.adapters import create_model
    from mmx.adapters.base import ImageRequest

    pipe_dir, folder = run
    pipe = StableDiffusionPipeline.from_pretrained(pipe_dir)
    pipe.load_lora_weights(str(folder))
    model = create_model("mmx-t2i", "generate_images", model=str(folder), steps=2)
    (imgs,) = model.generate_images([ImageRequest("x", "एक लाल वृत्त की तस्वीर", n=1)])
    assert imgs[0].size == (32, 32)


def test_pretrained_must_be_a_pipeline(tmp_path) -> None:
    from mmx.heads import create_head

    with pytest.raises(InputError, match=r"head\.pretrained="):
        create_head("t2i", cond_dim=8, pretrained=str(tmp_path))
