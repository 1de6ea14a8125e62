"""A tiny random visual_text encoder saved as the shipped one is (``save_visual_text``), for
tests of systems that load a pretrained text tower with ``weights=FOLDER``."""

from __future__ import annotations

from pathlib import Path

#: the shipped encoder's profile and layout at a width a test runs in milliseconds
TINY_VISUAL_TEXT = {
    "profile": "visual_text",
    "vit": {"model_name": "vit_tiny_patch16_224", "embed_dim": 32, "depth": 1, "num_heads": 2,
            "class_token": False, "no_embed_class": True, "global_pool": "avg"},
    "out_dim": 384,
    "position": "slice",
    "normalize": True,
    "max_images": 4,
}


def save_tiny_visual_text(folder: Path, seed: int = 0) -> Path:
    """Build a random ``visual_text`` encoder of the shipped kind (384-d, normalized pooled
    vector), save it into ``folder`` and return the folder."""
    import torch

    from mmx.encoders.visual_text import VisualTextEncoder, save_visual_text

    torch.manual_seed(seed)
    save_visual_text(VisualTextEncoder(weights="random", **TINY_VISUAL_TEXT), str(folder))
    return folder
