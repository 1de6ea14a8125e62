"""The visual-text encoder: raw strings -> mmx.render -> a ViT -> SeeTok's 2x2 merger.

SeeTok (arXiv 2510.18840) reads text as pixels: the text is rendered with a profile
(14 px patches), a vision transformer encodes the patches, and an MLP merges each
2x2 group of neighbouring patches into one visual token (Qwen2.5-VL's merger), so
4 patches become 1 token. This module does the same for any script, batching the
strings through :class:`mmx.render.Renderer` (HarfBuzz shaping, bidi, fallback).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import torch
from torch import nn

from mmx.encoders.base import Encoder, EncoderOutput, check_texts, masked_mean
from mmx.errors import InputError


class PatchMerger(nn.Module):
    """Qwen2.5-VL / SeeTok merger: norm each patch, concatenate each ``m x m`` group of
    neighbouring patches, then a 2-layer MLP to ``out_dim``."""

    def __init__(self, dim: int, out_dim: int, merge: int = 2) -> None:
        super().__init__()
        self.merge = merge
        hidden = dim * merge * merge
        self.norm = nn.LayerNorm(dim, eps=1e-6)
        self.mlp = nn.Sequential(nn.Linear(hidden, hidden), nn.GELU(), nn.Linear(hidden, out_dim))

    def forward(self, grid: torch.Tensor) -> torch.Tensor:
        """(B, gh, gw, D) with gh, gw multiples of ``merge`` -> (B, gh/m * gw/m, out_dim)."""
        b, gh, gw, d = grid.shape
        m = self.merge
        x = self.norm(grid).view(b, gh // m, m, gw // m, m, d)
        # group order (row-major over merged cells) matches reading order of a strip
        x = x.permute(0, 1, 3, 2, 4, 5).reshape(b, (gh // m) * (gw // m), m * m * d)
        return self.mlp(x)


class VisualTextEncoder(Encoder):
    """Render strings, encode them with a ViT (timm), merge 2x2 patches into tokens.

    Args:
        profile: a registered render profile name (``seetok``, ``reader``, ...).
        profile_overrides: fields of the profile to change (font_size, width, ...).
        vit: keyword arguments of the ``timm`` encoder (``model_name``, ``pretrained``,
            ``embed_dim``, ``depth``, ``num_heads``...). Patch size and image size
            follow the profile; a pretrained ViT's patch embedding is resampled by timm.
        out_dim: width of the visual tokens (default: the ViT width).
        max_images: images per string at most (spilled text beyond is reported by the
            renderer as truncated; the encoder raises rather than drop it silently).

    ``forward(list[str])`` returns tokens (B, T, out_dim) in reading order, a mask
    that is False on tokens that cover only padding, and the masked mean as pooled.
    An empty string renders a blank image: its tokens are valid (blank) inputs.
    """

    modality = "rendered_text"

    def __init__(
        self,
        profile: str = "seetok",
        profile_overrides: dict[str, Any] | None = None,
        vit: dict[str, Any] | None = None,
        out_dim: int | None = None,
        max_images: int = 1,
    ) -> None:
        super().__init__()
        from mmx.encoders import create_encoder
        from mmx.render import Renderer, get_profile

        prof = get_profile(profile, **(profile_overrides or {}))
        if prof.merge < 1:
            raise InputError(f"profile {prof.name!r}: merge must be >= 1")
        self.profile = prof
        self.renderer = Renderer(prof)
        self.merge = max(prof.merge, 1)
        self.max_images = max_images
        ps = prof.patch_size
        unit = ps * self.merge
        h, w = self._canvas(prof)
        self.canvas = (_round_up(h, unit), _round_up(w, unit))
        vit_kwargs = {"model_name": "vit_small_patch16_224", **(vit or {})}
        vit_kwargs.update(patch_size=ps, img_size=self.canvas, dynamic_img_size=True)
        self.vit = create_encoder("timm", **vit_kwargs)
        self.weights = f"ViT {self.vit.weights}; merger random init"
        dim = self.vit.output_dim
        self.output_dim = out_dim or dim
        self.merger = PatchMerger(dim, self.output_dim, self.merge)
        mean, std = self.vit.data_config.get("mean", (0.5,) * 3), self.vit.data_config.get("std", (0.5,) * 3)
        self.register_buffer("mean", torch.tensor(mean).view(1, 3, 1, 1), persistent=False)
        self.register_buffer("std", torch.tensor(std).view(1, 3, 1, 1), persistent=False)

    def __getstate__(self) -> dict[str, Any]:
        # the renderer holds locks and font caches: rebuild it from the profile instead
        # of pickling it (ddp_spawn and DataLoader workers pickle the module)
        state = self.__dict__.copy()
        state.pop("renderer", None)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        from mmx.render import Renderer

        self.__dict__.update(state)
        self.renderer = Renderer(self.profile)

    @staticmethod
    def _canvas(prof: Any) -> tuple[int, int]:
        if prof.layout == "folded":
            return prof.height * prof.rows, prof.width
        if prof.layout == "page":
            return prof.height, prof.width
        width = prof.width if prof.max_patches is None else min(prof.width, prof.max_patches * prof.patch_size)
        return prof.height, width

    @classmethod
    def tiny_config(cls) -> dict[str, Any]:
        return {
            "profile": "reader",
            "vit": {"model_name": "vit_tiny_patch16_224", "embed_dim": 32, "depth": 2, "num_heads": 2},
            "out_dim": 32,
        }

    def example_inputs(self, batch: int = 2) -> list[str]:
        samples = ["123", "नमस्ते", "مرحبا", "", "Привет"]
        return [samples[i % len(samples)] for i in range(batch)]

    # -- rendering -------------------------------------------------------
    def render(self, texts: list[str]) -> tuple[list[list[np.ndarray]], list[Any]]:
        """Render each string; returns its images and the render results (for reports)."""
        images, results = [], []
        for i, t in enumerate(check_texts(texts, "visual_text encoder")):
            r = self.renderer.render(t)
            arrs = list(r.arrays[: self.max_images])
            if len(r.arrays) > self.max_images:
                raise InputError(
                    f"visual_text encoder: text {i} ({len(t)} characters) needs {len(r.arrays)} images "
                    f"with profile {self.profile.name!r}; raise max_images or shorten the text"
                )
            images.append(arrs)
            results.append(r)
        return images, results

    def pixel_batch(self, images: list[list[np.ndarray]]) -> tuple[torch.Tensor, torch.Tensor, list[int]]:
        """Pad every image to the batch's size (white), stack; returns pixels (N, 3, H, W)
        normalized, a (N, gh, gw) mask of patches that hold image (not padding), and the
        number of images of each string."""
        flat = [a for imgs in images for a in imgs]
        counts = [len(imgs) for imgs in images]
        unit = self.profile.patch_size * self.merge
        # every image is padded to the full canvas: the ViT then adds the same position
        # embedding to the same place of every image (timm would otherwise resample the
        # embedding grid to each batch's size, moving positions with the text length);
        # padding patches are masked out of attention and out of the tokens
        ph = max(_round_up(max(a.shape[0] for a in flat), unit), self.canvas[0])
        pw = max(_round_up(max(a.shape[1] for a in flat), unit), self.canvas[1])
        ps = self.profile.patch_size
        pix = np.full((len(flat), ph, pw), 255, np.uint8)
        valid = np.zeros((len(flat), ph // ps, pw // ps), bool)
        for k, a in enumerate(flat):
            gray = a if a.ndim == 2 else a.mean(-1).astype(np.uint8)
            pix[k, : gray.shape[0], : gray.shape[1]] = gray
            valid[k, : math.ceil(gray.shape[0] / ps), : math.ceil(gray.shape[1] / ps)] = True
        x = torch.from_numpy(pix).to(self.mean.device).float().div_(255.0).unsqueeze(1).expand(-1, 3, -1, -1)
        x = (x - self.mean) / self.std
        return x, torch.from_numpy(valid).to(self.mean.device), counts

    # -- encoding --------------------------------------------------------
    def forward(self, texts: list[str]) -> EncoderOutput:
        images, _ = self.render(texts)
        pixels, valid, counts = self.pixel_batch(images)
        n, gh, gw = valid.shape
        model = self.vit.model
        # padding patches are masked out of attention, so a string's tokens do not
        # depend on what else is in the batch
        prefix = getattr(model, "num_prefix_tokens", 0)
        keep = torch.cat([valid.new_ones(n, prefix), valid.flatten(1)], dim=1)
        attn = keep[:, None, None, :]
        feats = model.forward_features(pixels, attn_mask=attn)
        grid = feats[:, prefix:, :].reshape(n, gh, gw, -1)
        tokens = self.merger(grid)
        m = self.merge
        tok_valid = valid.view(n, gh // m, m, gw // m, m).any(4).any(2).flatten(1)
        if all(c == 1 for c in counts):  # one image per string: already one row each
            return EncoderOutput(tokens=tokens, mask=tok_valid, pooled=masked_mean(tokens, tok_valid))
        # regroup the images of each string into one sequence, then pad across strings
        per_text, masks, k = [], [], 0
        for c in counts:
            per_text.append(tokens[k : k + c].flatten(0, 1))
            masks.append(tok_valid[k : k + c].flatten())
            k += c
        length = max(t.shape[0] for t in per_text)
        out = tokens.new_zeros(len(counts), length, tokens.shape[-1])
        mask = torch.zeros(len(counts), length, dtype=torch.bool, device=tokens.device)
        for i, (t, mk) in enumerate(zip(per_text, masks)):
            out[i, : t.shape[0]] = t
            mask[i, : t.shape[0]] = mk
        return EncoderOutput(tokens=out, mask=mask, pooled=masked_mean(out, mask))


def _round_up(x: int, unit: int) -> int:
    return -(-x // unit) * unit
