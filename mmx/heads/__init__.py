"""Heads: plain ``nn.Module``s that turn encoder outputs into a training loss or
predictions: ``vlm`` (visual tokens -> projector -> causal LM) and ``contrastive``
(two towers, CLIP loss).

>>> from mmx.heads import create_head, list_heads
>>> head = create_head("contrastive", dim_a=384, dim_b=512, embed_dim=256)  # doctest: +SKIP
"""

from __future__ import annotations

from typing import Any

__all__ = ["create_head", "list_heads"]


def create_head(name: str, **overrides: Any) -> Any:
    """Build the registered head ``name`` with keyword ``overrides``."""
    from mmx.registry import heads

    return heads.get(name)(**overrides)


def list_heads() -> list[str]:
    """Names of the registered heads (never imports them)."""
    from mmx.registry import heads

    return heads.names()
