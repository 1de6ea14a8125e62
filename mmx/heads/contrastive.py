"""The ``contrastive`` head: two towers' pooled features -> a shared space -> CLIP loss.

Symmetric cross-entropy over the similarity matrix of L2-normalized embeddings
(CLIP; CLaMP 3 uses the same loss with a fixed logit scale). Under
``torch.distributed`` the embeddings of every rank are gathered with gradients
(functional collectives' ``all_gather_tensor_autograd``), so the negatives are the global batch and the
loss needs no code change for multi-GPU or multi-node runs.
"""

from __future__ import annotations

import math
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from mmx.errors import InputError
from mmx.heads.base import Head


def gather_with_grad(x: torch.Tensor) -> tuple[torch.Tensor, int]:
    """All ranks' rows concatenated (gradients flow back to each rank's own rows) and
    the offset of this rank's rows; the identity outside distributed runs."""
    import torch.distributed as dist

    if not (dist.is_available() and dist.is_initialized()) or dist.get_world_size() == 1:
        return x, 0
    from torch.distributed._functional_collectives import all_gather_tensor_autograd

    # the backward reduce-scatters (sums) each rank's gradient onto its own rows;
    # torch >= 2.14 points here from the deprecated torch.distributed.nn.all_gather
    gathered = all_gather_tensor_autograd(x.contiguous(), gather_dim=0, group=dist.group.WORLD)
    return gathered, dist.get_rank() * x.shape[0]


class ContrastiveHead(Head):
    """Project two towers into ``embed_dim`` and score them with the CLIP loss.

    Args:
        dim_a, dim_b: widths of the two towers' pooled features.
        embed_dim: shared space width.
        temperature: initial temperature (logit scale = 1 / temperature).
        learnable_temperature: learn the (log) scale, clamped at 100 as in CLIP; False
            keeps it fixed (CLaMP 3).
        projection: ``linear`` or ``identity`` (when both towers already output
            ``embed_dim``).
        gather: gather embeddings across ranks for the loss (global negatives).
    """

    kind = "contrastive"

    def __init__(
        self,
        dim_a: int = 512,
        dim_b: int = 512,
        embed_dim: int = 512,
        temperature: float = 0.07,
        learnable_temperature: bool = True,
        projection: str = "linear",
        gather: bool = True,
    ) -> None:
        super().__init__()
        if temperature <= 0:
            raise InputError(f"contrastive head: temperature must be > 0, got {temperature}")
        if projection == "linear":
            self.proj_a: nn.Module = nn.Linear(dim_a, embed_dim, bias=False)
            self.proj_b: nn.Module = nn.Linear(dim_b, embed_dim, bias=False)
        elif projection == "identity":
            if dim_a != embed_dim or dim_b != embed_dim:
                raise InputError("contrastive head: projection identity needs dim_a == dim_b == embed_dim")
            self.proj_a = self.proj_b = nn.Identity()
        else:
            raise InputError(f"contrastive head: unknown projection {projection!r}; choose linear or identity")
        scale = torch.tensor(math.log(1.0 / temperature))
        if learnable_temperature:
            self.log_scale = nn.Parameter(scale)
        else:
            self.register_buffer("log_scale", scale)
        self.gather = gather
        self.embed_dim = embed_dim

    @classmethod
    def tiny_config(cls) -> dict[str, Any]:
        return {"dim_a": 12, "dim_b": 10, "embed_dim": 8}

    def example_inputs(self, batch: int = 2) -> dict[str, Any]:
        g = torch.Generator().manual_seed(0)
        a = self.proj_a.in_features if isinstance(self.proj_a, nn.Linear) else self.embed_dim
        b = self.proj_b.in_features if isinstance(self.proj_b, nn.Linear) else self.embed_dim
        return {"features_a": torch.randn(batch, a, generator=g), "features_b": torch.randn(batch, b, generator=g)}

    @property
    def logit_scale(self) -> torch.Tensor:
        return self.log_scale.exp().clamp(max=100.0)

    def embed_a(self, features: torch.Tensor) -> torch.Tensor:
        return F.normalize(self.proj_a(features), dim=-1)

    def embed_b(self, features: torch.Tensor) -> torch.Tensor:
        return F.normalize(self.proj_b(features), dim=-1)

    def forward(self, features_a: torch.Tensor, features_b: torch.Tensor) -> dict[str, torch.Tensor]:
        """Paired rows of ``features_a`` and ``features_b`` are positives; every other
        row of the (gathered) batch is a negative. Returns loss, logits (a x all b),
        the embeddings and the current logit scale."""
        if features_a.shape[0] != features_b.shape[0]:
            raise InputError(
                f"contrastive head: the towers gave {features_a.shape[0]} and {features_b.shape[0]} rows; "
                "pairs must line up one to one"
            )
        if features_a.shape[0] == 0:
            raise InputError("contrastive head: empty batch")
        za, zb = self.embed_a(features_a), self.embed_b(features_b)
        if self.gather:
            all_a, off = gather_with_grad(za)
            all_b, _ = gather_with_grad(zb)
        else:
            all_a, all_b, off = za, zb, 0
        scale = self.logit_scale
        logits_a = scale * za @ all_b.T
        logits_b = scale * zb @ all_a.T
        target = torch.arange(za.shape[0], device=za.device) + off
        loss = 0.5 * (F.cross_entropy(logits_a, target) + F.cross_entropy(logits_b, target))
        return {"loss": loss, "logits": logits_a, "embeds_a": za, "embeds_b": zb, "logit_scale": scale.detach()}
