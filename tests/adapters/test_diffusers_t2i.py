"""The diffusers text-to-image adapter on a tiny random-weight Stable Diffusion pipeline
built here (no hub): loading by folder, model args, per-image seeds, batching, schedulers,
and GenEval runs that resume image by image."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("diffusers")

from PIL import Image

from mmx.adapters import HUB_ADAPTERS, ImageRequest, create_model
from mmx.errors import InputError
from mmx.testing.diffusers import build_tiny_sd

FAST = {"num_inference_steps": 2, "device": "cpu"}


@pytest.fixture(scope="module")
def sd_dir(tmp_path_factory) -> Path:
    return build_tiny_sd(tmp_path_factory.mktemp("tiny-sd") / "pipe")


@pytest.fixture(scope="module")
def model(sd_dir):
    return create_model(str(sd_dir), "generate_images", **FAST)


def _pixels(img: Image.Image) -> np.ndarray:
    return np.asarray(img, dtype=np.int16)


def test_folder_loads_through_the_hub_adapter_for_generate_images(model, sd_dir) -> None:
    assert HUB_ADAPTERS["generate_images"] == "mmx.adapters.diffusers_t2i:DiffusersT2IModel"
    assert type(model).__name__ == "DiffusersT2IModel" and model.capabilities == {"generate_images"}
    info = model.describe()
    assert info["pipeline"] == "StableDiffusionPipeline" and info["dtype"] == "float32"
    imgs = model.generate_images([ImageRequest("a", "a photo of a cat", seed=3, n=2)])
    assert len(imgs) == 1 and len(imgs[0]) == 2
    assert all(im.size == (16, 16) and im.mode == "RGB" for im in imgs[0])  # sample_size 8 x VAE factor 2


def test_image_k_depends_on_seed_plus_k_only(model) -> None:
    """Image k of a request is image 0 of a request seeded seed + k, whatever else shares its batch."""
    model.batch_size = 4
    full = model.generate_images([ImageRequest("a", "a photo of a dog", seed=10, n=3),
                                  ImageRequest("b", "a photo of a cup", seed=0, n=2)])
    model.batch_size = 1
    alone = model.generate_images([ImageRequest("a", "a photo of a dog", seed=12, n=1)])[0][0]
    part = model.generate_images([ImageRequest("a", "a photo of a dog", seed=10, n=3, indices=(2,))])[0][0]
    model.batch_size = 4
    # same starting noise; batched kernels may differ in the last float bit, so at most one level
    assert np.abs(_pixels(full[0][2]) - _pixels(alone)).max() <= 1
    assert np.array_equal(_pixels(part), _pixels(alone))  # same seed, same batch size: bit for bit
    assert not np.array_equal(_pixels(full[0][0]), _pixels(full[0][1]))  # different seeds differ


def test_batches_across_requests(sd_dir) -> None:
    m = create_model(str(sd_dir), "generate_images", batch_size=3, **FAST)
    out = m.generate_images([ImageRequest(str(i), f"prompt {i}", n=2) for i in range(4)])
    assert [len(x) for x in out] == [2, 2, 2, 2]
    assert m.calls == 3 and m.drawn == 8  # 8 images, 3 per call


@pytest.mark.parametrize(("name", "cls"), [("ddim", "DDIMScheduler"), ("dpm-solver", "DPMSolverMultistepScheduler"),
                                           ("default", "PNDMScheduler")])
def test_scheduler_option(sd_dir, name, cls) -> None:
    m = create_model(str(sd_dir), "generate_images", scheduler=name, guidance_scale=1.0, height=16, width=16, **FAST)
    assert type(m.pipe.scheduler).__name__ == cls
    assert m.generate_images([ImageRequest("a", "x", n=1)])[0][0].size == (16, 16)


@pytest.mark.parametrize(("args", "needle"), [
    ({"steps": 2}, "does not take steps (--model-args it takes: batch_size, num_inference_steps"),
    ({"scheduler": "karras"}, "scheduler=karras is not one of"),
    ({"batch_size": 0}, "batch_size must be a positive integer"),
    ({"guidance_scale": "high"}, "guidance_scale must be a number"),
    ({"dtype": "int8"}, "dtype=int8"),
    ({"device": "gpu0"}, "device=gpu0 is not"),
    ({"height": -16}, "height must be a positive integer"),
])
def test_bad_model_args_are_one_clear_error(sd_dir, args, needle) -> None:
    with pytest.raises(InputError) as err:
        create_model(str(sd_dir), "generate_images", **args)
    assert needle in str(err.value)


def test_folder_that_is_not_a_pipeline(tmp_path, sd_dir) -> None:
    with pytest.raises(InputError) as err:
        create_model(str(sd_dir / "unet"), "generate_images")  # a component, not a pipeline
    assert "a folder without model_index.json" in str(err.value)
    with pytest.raises(InputError, match="no such local model folder"):
        create_model(str(tmp_path / "nowhere"), "generate_images")


def test_uncached_hub_model_offline_says_how_to_pass_a_folder(monkeypatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(InputError) as err:
        create_model("hf:nobody/no-such-pipeline-xyz", "generate_images", device="cpu")
    assert "--local-dir DIR" in str(err.value) and "--model DIR" in str(err.value)


def _count_pipeline_images(monkeypatch) -> list[int]:
    from diffusers import StableDiffusionPipeline

    calls: list[int] = []
    original = StableDiffusionPipeline.__call__

    def counted(self, *a, **kw):
        calls.append(len(kw["prompt"]))
        return original(self, *a, **kw)

    monkeypatch.setattr(StableDiffusionPipeline, "__call__", counted)
    return calls


def test_cli_geneval_run_writes_layout_and_resumes_image_by_image(sd_dir, tmp_path, monkeypatch, capsys) -> None:
    from mmx.cli import main

    calls = _count_pipeline_images(monkeypatch)
    out = tmp_path / "run"
    argv = ["eval", "--bench", "geneval", "--model", str(sd_dir), "--model-args",
            "num_inference_steps=2,device=cpu,batch_size=4", "--bench-args", "per_tag=1,languages=en,n_images=2",
            "--out", str(out), "--no-progress"]
    assert main(argv) == 0
    res = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert res["n_samples"] == 6 and sum(calls) == 12  # 6 prompts (one per task) x 2 images
    folders = sorted((out / "images" / "en").iterdir())
    assert [f.name for f in folders] == [f"{i:05d}" for i in range(6)]
    for f in folders:  # GenEval's layout: metadata.jsonl beside samples/0000.png ...
        meta = json.loads((f / "metadata.jsonl").read_text(encoding="utf-8"))
        assert meta["tag"] and meta["prompt"].startswith("a photo of")
        assert sorted(p.name for p in (f / "samples").iterdir()) == ["0000.png", "0001.png"]
    assert len((out / "geneval" / "en" / "results.jsonl").read_text(encoding="utf-8").splitlines()) == 12

    # as if the run had been killed after writing image 0001 of the last prompt but before its
    # record: drop the record and the image; the rerun draws that one image and nothing else
    victim = folders[-1] / "samples" / "0001.png"
    before = _pixels(Image.open(victim))
    victim.unlink()
    samples = out / "samples.jsonl"
    lines = samples.read_text(encoding="utf-8").splitlines(keepends=True)
    samples.write_text("".join(lines[:-1]), encoding="utf-8")
    calls.clear()
    assert main(argv) == 0
    assert calls == [1]
    # same seed (seed + 1), alone in its batch now: same noise, pixels equal up to batched float rounding
    assert np.abs(_pixels(Image.open(victim)) - before).max() <= 1
    assert len(samples.read_text(encoding="utf-8").splitlines()) == 6
