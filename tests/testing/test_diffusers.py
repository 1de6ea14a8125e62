"""The Stable Diffusion builder of mmx.testing.diffusers: sizes as given, the tokenizer filled
up to the text encoder's vocabulary."""

from __future__ import annotations

import pytest

from mmx.testing.diffusers import TINY_SD, build_stable_diffusion, build_tiny_sd

pytest.importorskip("diffusers")


def test_sizes_and_vocabulary(tmp_path):
    from diffusers import StableDiffusionPipeline

    pipe = StableDiffusionPipeline.from_pretrained(build_tiny_sd(tmp_path / "a" / "pipe", sample_size=16))
    assert pipe.unet.config.sample_size == 16 and pipe.unet.config.block_out_channels == [8, 16]
    assert len(pipe.tokenizer) == TINY_SD["text"]["vocab_size"] == pipe.text_encoder.config.vocab_size
    assert pipe.tokenizer.model_max_length == 32
    sizes = {**TINY_SD, "text": {**TINY_SD["text"], "vocab_size": 300, "max_position_embeddings": 40}}
    pipe = StableDiffusionPipeline.from_pretrained(build_stable_diffusion(tmp_path / "b" / "pipe", sizes))
    assert len(pipe.tokenizer) == 300 == pipe.text_encoder.config.vocab_size
    assert pipe.tokenizer.model_max_length == 40 and pipe.unet.config.sample_size == 8
