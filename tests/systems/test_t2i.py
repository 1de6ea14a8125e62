"""The text-to-image system: data, a two-step fit through the CLI, the export, the
generator adapter and its bad input."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import torch
import yaml

from mmx.cli import main
from mmx.errors import InputError
from mmx.systems.t2i import T2ISystem, palette_colors, snap_to_palette
from mmx.systems.t2i_data import ShapesCaptionsDataModule, ShapesCaptionsDataset, ShapesJudgeDataset

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "configs" / "t2i_shapes_tiny.yaml"
TINY_HEAD = {"cross_attention_dim": 16, "block_out_channels": [8, 16], "attention_head_dim": 2, "norm_num_groups": 4}


def tiny_config(tmp: Path) -> dict:
    """configs/t2i_shapes_tiny.yaml shrunk to seconds of CPU, logging into ``tmp``."""
    cfg = yaml.safe_load(CONFIG.read_text())
    m = cfg["model"]["init_args"]
    m["head"].update(TINY_HEAD)
    m.update(image_size=32, sample_steps=2)
    cfg["data"]["init_args"].update(image_size=32, train_size=8, val_per_tag=1, batch_size=4)
    t = cfg["trainer"]
    t.update(max_steps=2, val_check_interval=2, log_every_n_steps=1, enable_model_summary=False,
             enable_progress_bar=False, accelerator="cpu", default_root_dir=str(tmp))
    t.pop("max_time")
    t["logger"]["init_args"]["save_dir"] = str(tmp / "runs")
    return cfg


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("t2i")
    path = tmp / "tiny.yaml"
    path.write_text(yaml.safe_dump(tiny_config(tmp)))
    assert main(["fit", "--config", str(path)]) == 0
    return tmp / "runs" / "t2i_shapes_tiny" / "version_0"


def test_data_is_english_deterministic_and_balanced() -> None:
    ds = ShapesCaptionsDataset(600, ["en"], 48, seed=0)
    a, b = ds[3], ds[3]
    assert a["prompt"] == b["prompt"] and torch.equal(a["image"], b["image"])
    assert a["image"].shape == (3, 48, 48) and a["image"].min() >= -1 and a["image"].max() <= 1
    assert all(ds[i]["prompt"].startswith("a photo of") for i in range(20))
    judge = ShapesJudgeDataset(2, seed=0)
    tags = [json.loads(judge[i]["meta"])["tag"] for i in range(len(judge))]
    assert sorted(set(tags)) == ["color_attr", "colors", "counting", "position", "single_object", "two_object"]
    assert all(tags.count(t) == 2 for t in set(tags))
    with pytest.raises(InputError, match="unknown code"):
        ShapesCaptionsDataModule(languages=["xx"])


def test_training_captions_never_hold_a_heldout_combination() -> None:
    """The data module trains on the train split: no caption is a held-out spec's prompt (a
    colour-shape pair, a shape pair, ... of mmx.worlds.prompts.split), validation judges held-out
    specs, and ``specs: all`` still gives the first recipe's data."""
    from mmx.worlds.prompts import render_prompt
    from mmx.worlds.prompts.split import split_specs

    held = {render_prompt(s, "en") for s in split_specs("heldout")}
    train = {render_prompt(s, "en") for s in split_specs("train")}
    dm = ShapesCaptionsDataModule(image_size=32, layout="canonical", train_size=1200, batch_size=400)
    captions = [p for batch in dm.train_dataloader() for p in batch["prompt"]]
    assert len(captions) == 1200 and not set(captions) & held and set(captions) <= train
    assert len(set(captions)) > 120  # the draw still covers the train split, not a corner of it
    val = {p for batch in dm.val_dataloader() for p in batch["prompt"]}
    assert val and val <= held
    everything = ShapesCaptionsDataset(3000, ["en"], 32, seed=0, layout="canonical", specs="all")
    assert any(everything[i]["prompt"] in held for i in range(300))
    with pytest.raises(InputError, match="unknown spec split 'test'"):
        ShapesCaptionsDataModule(specs="test")


def test_canonical_layout_gives_one_picture_per_prompt() -> None:
    ds = ShapesCaptionsDataset(2000, ["en"], 32, seed=0, layout="canonical")
    seen: dict[str, torch.Tensor] = {}
    for i in range(400):
        item = ds[i]
        if item["prompt"] in seen:
            assert torch.equal(seen[item["prompt"]], item["image"])
        seen[item["prompt"]] = item["image"]
    assert len(seen) < 400  # prompts repeat, and their pictures with them
    random_layout = ShapesCaptionsDataset(2000, ["en"], 32, seed=0)
    assert any(not torch.equal(random_layout[i]["image"], ds[i]["image"]) for i in range(10))
    with pytest.raises(InputError, match="choose random or canonical"):
        ShapesCaptionsDataModule(layout="grid")


def test_snapping_leaves_only_palette_colours() -> None:
    from PIL import Image

    colors = palette_colors("shapes")
    rng = np.random.default_rng(0)
    noisy = Image.fromarray(rng.integers(0, 256, (20, 20, 3), dtype=np.uint8))
    got = {tuple(c) for c in np.asarray(snap_to_palette(noisy, colors)).reshape(-1, 3)}
    assert got <= set(colors)
    # a correct small drawing survives snapping pixel for pixel (no filter eats the star points)
    from mmx.worlds.shapes import canonical_layout, render

    stars = render(canonical_layout({"include": [{"class": "star", "count": 4}]}, 32), 32)
    assert np.array_equal(np.asarray(snap_to_palette(stars, colors)), np.asarray(stars))
    with pytest.raises(InputError, match="palette"):
        palette_colors("rainbow")


def test_fit_exports_weights_diffusers_and_samples(trained: Path) -> None:
    for name in ("model.safetensors", "mmx_system.json", "unet/config.json", "scheduler/scheduler_config.json",
                 "checkpoints/last.ckpt", "metrics.csv"):
        assert (trained / name).is_file(), name
    assert list((trained / "samples").glob("step*.png"))
    assert "val/geneval" in (trained / "metrics.csv").read_text()
    from diffusers import UNet2DConditionModel

    cfg = UNet2DConditionModel.from_pretrained(trained / "unet").config
    # 32 px unshuffled 4x4 (48 channels) plus the two coordinate channels
    assert (cfg.sample_size, cfg.in_channels, cfg.out_channels) == (8, 50, 48)


def test_the_adapter_draws_seeded_images_from_a_run(trained: Path) -> None:
    from mmx.adapters import create_model
    from mmx.adapters.base import ImageRequest

    colors = set(palette_colors("shapes"))
    for path in (trained, trained / "checkpoints" / "last.ckpt"):
        model = create_model("mmx-t2i", "generate_images", model=str(path), steps=2)
        out = model.generate_images([ImageRequest("a", "a photo of a red circle", seed=4, n=2),
                                     ImageRequest("b", "une photo d'un carré bleu", seed=1, n=1)])
        assert [len(x) for x in out] == [2, 1] and out[0][0].size == (32, 32)
        assert {tuple(c) for c in np.asarray(out[0][0]).reshape(-1, 3)} <= colors
        again = model.generate_images([ImageRequest("a", "a photo of a red circle", seed=4, n=2, indices=(1,))])
        assert np.array_equal(np.asarray(again[0][0]), np.asarray(out[0][1]))


def test_bad_prompts_and_models_fail_clearly(trained: Path, tmp_path: Path) -> None:
    from mmx.adapters import create_model
    from mmx.adapters.base import ImageRequest

    model = create_model("mmx-t2i", "generate_images", model=str(trained), steps=1)
    with pytest.raises(InputError, match="request e: prompt 0 is empty"):
        model.generate_images([ImageRequest("e", "   ")])
    with pytest.raises(InputError, match="characters, more than"):
        model.generate_images([ImageRequest("long", "a red circle " * 100)])
    with pytest.raises(InputError, match=r"does not take guidance \(--model-args it takes: .*guidance_scale"):
        create_model("mmx-t2i", "generate_images", model=str(trained), guidance=2)
    (tmp_path / "pipe").mkdir()
    (tmp_path / "pipe" / "model_index.json").write_text("{}")
    with pytest.raises(InputError, match="diffusers pipeline, not an mmx run"):
        create_model("mmx-t2i", "generate_images", model=str(tmp_path / "pipe"))
    with pytest.raises(InputError, match=r"expected mmx_system\.json"):
        create_model("mmx-t2i", "generate_images", model=str(tmp_path))


def test_a_checkpoint_of_another_architecture_is_refused(trained: Path, tmp_path: Path) -> None:
    meta = json.loads((trained / "mmx_system.json").read_text())
    meta["hparams"]["head"]["block_out_channels"] = [16, 16]
    other = tmp_path / "other"
    other.mkdir()
    (other / "mmx_system.json").write_text(json.dumps(meta))
    (other / "model.safetensors").write_bytes((trained / "model.safetensors").read_bytes())
    from mmx.adapters import create_model

    with pytest.raises(InputError, match="another architecture"):
        create_model("mmx-t2i", "generate_images", model=str(other))


def test_any_text_encoder_conditions_the_head_and_widths_are_checked() -> None:
    from mmx.encoders.text import HfTextEncoder

    enc = {"name": "hf_text", **HfTextEncoder.tiny_config()}
    torch.manual_seed(0)
    system = T2ISystem(encoder=enc, head={"name": "t2i", **TINY_HEAD}, image_size=32, palette=None)
    assert system.head.cond_dim == 32 and system.train_encoder
    batch = {"image": torch.rand(2, 3, 32, 32) * 2 - 1, "prompt": ["a photo of a red circle", "एक लाल वृत्त"]}
    tokens, mask = system.encode(batch["prompt"])
    assert tokens.shape[:2] == mask.shape and tokens.shape[-1] == 32
    loss = system.head(batch["image"], tokens, mask)["loss"]
    loss.backward()
    assert any(p.grad is not None for p in system.encoder.parameters())
    with pytest.raises(InputError, match=r"cond_dim is 64 but the encoder 'hf_text' gives 32-d"):
        T2ISystem(encoder=enc, head={"name": "t2i", "cond_dim": 64, **TINY_HEAD}, image_size=32)


def test_a_run_of_another_system_is_refused() -> None:
    from mmx.adapters import create_model
    from mmx.assets import reader_dir

    with pytest.raises(InputError, match="holds a ReaderSystem, not a text-to-image system"):
        create_model("mmx-t2i", "generate_images", model=str(reader_dir()))
