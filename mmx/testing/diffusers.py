"""A random-weight Stable Diffusion pipeline of given sizes, built offline (no hub): a
UNet2DConditionModel, an AutoencoderKL, a CLIP text encoder and a CLIPTokenizer whose
vocabulary is the printable ASCII characters (no merges), with filler entries up to the text
encoder's vocabulary size.

:data:`TINY_SD` is the tests' pipeline (two-block UNet and VAE, one-layer text encoder);
``benchmarks/t2i_speed.py`` builds its tiny and SD-1.5-shaped pipelines with the same
:func:`build_stable_diffusion`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

#: The tests' pipeline: images of ``2 * sample_size`` pixels, a 190-token character vocabulary
#: (2 specials + 94 characters, each alone and word-final) and 32 text positions.
TINY_SD: dict[str, dict[str, Any]] = {
    "unet": {"block_out_channels": (8, 16), "layers_per_block": 1, "sample_size": 8, "cross_attention_dim": 16,
             "attention_head_dim": 4, "down_block_types": ("DownBlock2D", "CrossAttnDownBlock2D"),
             "up_block_types": ("CrossAttnUpBlock2D", "UpBlock2D"), "norm_num_groups": 4},
    "vae": {"block_out_channels": (8, 16), "layers_per_block": 1, "norm_num_groups": 4,
            "down_block_types": ("DownEncoderBlock2D",) * 2, "up_block_types": ("UpDecoderBlock2D",) * 2},
    "text": {"vocab_size": 190, "hidden_size": 16, "intermediate_size": 32, "num_attention_heads": 2,
             "num_hidden_layers": 1, "max_position_embeddings": 32, "projection_dim": 16},
}


def build_stable_diffusion(out: Path, sizes: Mapping[str, Mapping[str, Any]] = TINY_SD, seed: int = 0) -> Path:
    """Save a random-weight StableDiffusionPipeline of ``sizes`` to ``out``.

    ``sizes`` holds keyword arguments of the ``unet`` (UNet2DConditionModel), the ``vae``
    (AutoencoderKL) and the ``text`` encoder (CLIPTextConfig), as :data:`TINY_SD` does; the
    tokenizer's vocabulary is filled up to ``text["vocab_size"]`` (the embedding table keeps
    its size) and its length is ``text["max_position_embeddings"]``. Weights are drawn under
    ``torch.manual_seed(seed)``.
    """
    import torch
    from diffusers import (
        AutoencoderKL,
        PNDMScheduler,
        StableDiffusionPipeline,
        UNet2DConditionModel,
    )
    from transformers import CLIPTextConfig, CLIPTextModel, CLIPTokenizer

    out = Path(out)
    text = sizes["text"]
    vocab = {"<|startoftext|>": 0, "<|endoftext|>": 1}
    chars = [chr(i) for i in range(33, 127)]
    for suffix in ("", "</w>"):
        for c in chars:
            vocab[c + suffix] = len(vocab)
    while len(vocab) < text["vocab_size"]:  # filler entries: the embedding table keeps its real size
        vocab[f"<|filler{len(vocab)}|>"] = len(vocab)
    tok_dir = out.parent / f".{out.name}-tokenizer-src"
    tok_dir.mkdir(parents=True, exist_ok=True)
    (tok_dir / "vocab.json").write_text(json.dumps(vocab), encoding="utf-8")
    (tok_dir / "merges.txt").write_text("#version: 0.2\n", encoding="utf-8")
    tokenizer = CLIPTokenizer(str(tok_dir / "vocab.json"), str(tok_dir / "merges.txt"),
                              model_max_length=text["max_position_embeddings"], pad_token="<|endoftext|>")
    torch.manual_seed(seed)
    unet = UNet2DConditionModel(in_channels=4, out_channels=4, **sizes["unet"])
    vae = AutoencoderKL(in_channels=3, out_channels=3, latent_channels=4, **sizes["vae"])
    text_encoder = CLIPTextModel(CLIPTextConfig(bos_token_id=0, eos_token_id=1, pad_token_id=1, **text))
    scheduler = PNDMScheduler(skip_prk_steps=True, steps_offset=1)
    pipe = StableDiffusionPipeline(vae=vae, text_encoder=text_encoder, tokenizer=tokenizer, unet=unet,
                                   scheduler=scheduler, safety_checker=None, feature_extractor=None,
                                   requires_safety_checker=False)
    pipe.save_pretrained(out)
    return out


def build_tiny_sd(out: Path, sample_size: int = 8, seed: int = 0) -> Path:
    """Save the tests' tiny StableDiffusionPipeline (:data:`TINY_SD`) to ``out`` (images of
    ``2 * sample_size`` pixels)."""
    sizes = {**TINY_SD, "unet": {**TINY_SD["unet"], "sample_size": sample_size}}
    return build_stable_diffusion(out, sizes, seed)
