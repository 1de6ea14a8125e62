"""The ``m3`` encoder: CLaMP 3's symbolic music encoder (M3) on ABC or MTF text.

Music text -> M3 patches (:func:`mmx.music.abc.patchilize`: 64 ASCII codes per bar or
header line) -> each patch one-hot over 128 classes, flattened and mapped by
``patch_embedding`` (Linear(64*128 -> hidden)) -> a transformers ``BertModel`` named
``base`` over the patch sequence -> masked mean of its last hidden states. The names
and shapes are CLaMP 3's ``M3PatchEncoder``, so its checkpoints' ``symbolic_model.*``
weights load key for key (:mod:`mmx.heads.clamp3`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from mmx.encoders.base import Encoder, EncoderOutput, masked_mean
from mmx.errors import InputError
from mmx.hub import import_transformers
from mmx.music.abc import MAX_PATCHES, PAD, PATCH_SIZE, patchilize, segment_spans

__all__ = ["M3MusicEncoder", "m3_bert_config", "pad_patches", "whole_piece_features"]

#: classes of the one-hot code (ASCII)
N_CLASSES = 128


def m3_bert_config(hidden_size: int = 768, num_layers: int = 12, max_patches: int = MAX_PATCHES,
                   num_heads: int | None = None, intermediate_size: int | None = None) -> Any:
    """CLaMP 3's BertConfig for M3: vocabulary of 1 (inputs are embeddings), heads of 64
    wide, a feed-forward 4x the hidden size, one position per patch."""
    transformers = import_transformers()
    heads = num_heads or max(hidden_size // 64, 1)
    if hidden_size % heads:
        raise InputError(f"m3 encoder: hidden_size {hidden_size} is not divisible by num_heads {heads}")
    return transformers.BertConfig(
        vocab_size=1,
        hidden_size=hidden_size,
        num_hidden_layers=num_layers,
        num_attention_heads=heads,
        intermediate_size=intermediate_size or hidden_size * 4,
        max_position_embeddings=max_patches,
    )


class M3MusicEncoder(Encoder):
    """CLaMP 3's M3 patch encoder (random init; CLaMP 3's weights through :mod:`mmx.heads.clamp3`).

    Args:
        hidden_size, num_layers, num_heads, intermediate_size: the BERT's sizes
            (CLaMP 3: 768, 12, 12, 3072; heads default to hidden_size // 64).
        patch_size: codes per patch (CLaMP 3: 64).
        max_patches: longest patch sequence (CLaMP 3: 512); longer pieces keep their head.

    ``forward(list[str])`` takes ABC tunes or MTF texts (:func:`mmx.music.midi.midi_to_mtf`)
    and patches them; :meth:`encode_patches` takes patch codes directly. ``tokens`` are
    the per-patch states, ``mask`` marks real patches, ``pooled`` is their masked mean.
    The base's pooler is kept (its keys are in CLaMP 3's checkpoints) but frozen: mmx
    pools itself.
    """

    modality = "music"

    def __init__(
        self,
        hidden_size: int = 768,
        num_layers: int = 12,
        num_heads: int | None = None,
        intermediate_size: int | None = None,
        patch_size: int = PATCH_SIZE,
        max_patches: int = MAX_PATCHES,
    ) -> None:
        super().__init__()
        transformers = import_transformers()
        self.patch_size = int(patch_size)
        self.max_patches = int(max_patches)
        config = m3_bert_config(hidden_size, num_layers, max_patches, num_heads, intermediate_size)
        self.patch_embedding = nn.Linear(self.patch_size * N_CLASSES, hidden_size)
        nn.init.normal_(self.patch_embedding.weight, std=0.02)
        self.base = transformers.BertModel(config)
        self.base.pooler.requires_grad_(False)
        self.output_dim = hidden_size

    @classmethod
    def tiny_config(cls) -> dict[str, Any]:
        return {"hidden_size": 32, "num_layers": 2, "num_heads": 2, "intermediate_size": 64, "max_patches": 64}

    def example_inputs(self, batch: int = 2) -> list[str]:
        tunes = ["M:6/8\nK:G\n|:GAB c2d|e3 d2B:|\n", "M:4/4\nK:D\nDFAd fdAF|GBdg bgdB|]\n"]
        return [tunes[i % len(tunes)] for i in range(batch)]

    def patchilize(self, texts: Sequence[str]) -> tuple[torch.Tensor, torch.Tensor]:
        """Music texts -> padded patch codes ``(B, N, patch_size)`` and a ``(B, N)`` mask."""
        if isinstance(texts, str) or not isinstance(texts, (list, tuple)) or not texts:
            raise InputError("m3 encoder: give a non-empty list of ABC or MTF strings")
        rows = [patchilize(t, self.patch_size, self.max_patches) for t in texts]
        return pad_patches(rows, self.patch_size)

    def forward(self, texts: list[str]) -> EncoderOutput:
        return self.encode_patches(*self.patchilize(texts))

    def embed_patches(self, patches: torch.Tensor) -> torch.Tensor:
        """``patch_embedding`` of the one-hot patches, without building the one-hot: a
        Linear over a one-hot is a sum of the weight's columns it selects, 128x fewer
        operations than the dense product, and the same numbers."""
        if patches.min() < 0 or patches.max() >= N_CLASSES:
            raise InputError(f"m3 encoder: patch codes must lie in 0..{N_CLASSES - 1} (ASCII)")
        b, n, size = patches.shape
        offsets = torch.arange(size, device=patches.device) * N_CLASSES
        index = (patches.long() + offsets).reshape(b * n, size)
        weight = self.patch_embedding.weight.t()
        out = F.embedding_bag(index, weight, mode="sum") + self.patch_embedding.bias
        return out.reshape(b, n, -1)

    def encode_patches(self, patches: torch.Tensor, mask: torch.Tensor) -> EncoderOutput:
        """Patch codes ``(B, N, patch_size)`` and mask ``(B, N)`` -> :class:`EncoderOutput`."""
        if patches.dim() != 3 or patches.shape[-1] != self.patch_size:
            raise InputError(f"m3 encoder: patches must be (batch, patches, {self.patch_size}), got {tuple(patches.shape)}")
        device = self.patch_embedding.weight.device
        patches, mask = patches.to(device), mask.to(device)
        embeds = self.embed_patches(patches)
        tokens = self.base(inputs_embeds=embeds, attention_mask=mask.long()).last_hidden_state
        mask = mask.bool()
        return EncoderOutput(tokens=tokens, mask=mask, pooled=masked_mean(tokens, mask))


def pad_patches(rows: Sequence[Sequence[Sequence[int]]], patch_size: int = PATCH_SIZE) -> tuple[torch.Tensor, torch.Tensor]:
    """Per-piece patch lists -> ``(B, N, patch_size)`` codes (padding patches all PAD) and
    a ``(B, N)`` bool mask of the real patches."""
    n = max(len(r) for r in rows)
    out = torch.full((len(rows), n, patch_size), PAD, dtype=torch.long)
    mask = torch.zeros(len(rows), n, dtype=torch.bool)
    for i, r in enumerate(rows):
        if r:
            out[i, : len(r)] = torch.tensor(r, dtype=torch.long)
            mask[i, : len(r)] = True
    return out, mask


def whole_piece_features(
    features: Callable[[torch.Tensor, torch.Tensor], torch.Tensor],
    pieces: Sequence[Sequence[Sequence[int]]],
    window: int,
    patch_size: int = PATCH_SIZE,
    batch_size: int = 32,
) -> torch.Tensor:
    """One global feature per piece of any length, as CLaMP 3 extracts it.

    CLaMP 3's ``code/extract_clamp3.py --get_global`` (sanderwood/clamp3) reads a piece longer
    than its encoder's ``window`` (512 patches) in segments (:func:`segment_spans`: cuts
    at every ``window`` patches, the last segment the final ``window`` patches), takes
    each segment's global feature (masked mean of the last hidden states, then the
    projection: what ``features`` computes, not normalized), and averages them weighted
    by the patches each segment adds: ``sum(weight * feature) / n_patches``, in float32.
    A piece that fits one window keeps its feature as is (CLaMP 3 multiplies and
    divides it by its length: the same number up to one rounding).

    Args:
        features: ``(patches (B, N, patch_size), mask (B, N)) -> (B, D)`` global features.
        pieces: each piece's patch codes, whole (:func:`~mmx.music.abc.patchilize` with
            ``max_patches=None``).
        window: the encoder's longest patch sequence.
        patch_size: codes per patch.
        batch_size: segments encoded at once (of all pieces together, similar lengths
            batched together; each segment is read alone, padding masked).

    Returns:
        ``(len(pieces), D)`` float32 features, not normalized.
    """
    jobs = [(i, start, stop, weight) for i, rows in enumerate(pieces)
            for start, stop, weight in segment_spans(len(rows), window)]
    order = sorted(range(len(jobs)), key=lambda j: jobs[j][2] - jobs[j][1])
    found: dict[int, torch.Tensor] = {}
    for b in range(0, len(order), batch_size):
        chunk = order[b : b + batch_size]
        patches, mask = pad_patches([pieces[jobs[j][0]][jobs[j][1] : jobs[j][2]] for j in chunk], patch_size)
        found.update(zip(chunk, features(patches, mask).float()))
    out = []
    for i in range(len(pieces)):
        mine = [j for j, job in enumerate(jobs) if job[0] == i]
        if len(mine) == 1:
            out.append(found[mine[0]])
            continue
        stacked = torch.stack([found[j] for j in mine])
        weights = torch.tensor([jobs[j][3] for j in mine], dtype=stacked.dtype, device=stacked.device).view(-1, 1)
        out.append((stacked * weights).sum(dim=0) / weights.sum())
    return torch.stack(out)
