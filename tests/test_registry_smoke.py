"""Forward/backward smoke test of every registered encoder and head, generated from
``list_encoders()`` / ``list_heads()``: a new registry entry is covered as soon as it
is registered (its class provides ``tiny_config()`` and ``example_inputs()``)."""

from __future__ import annotations

import pytest
import torch

from mmx.encoders import create_encoder, list_encoders
from mmx.heads import create_head, list_heads
from mmx.registry import encoders, heads


@pytest.mark.parametrize("name", list_encoders())
def test_encoder_smoke(name: str) -> None:
    torch.manual_seed(0)
    enc = create_encoder(name, **encoders.get(name).tiny_config())
    assert enc.weights, "an encoder must say where its weights came from"
    out = enc(enc.example_inputs(2))
    assert out.tokens.ndim == 3 and out.tokens.shape[0] == 2
    assert out.mask.shape == out.tokens.shape[:2] and out.mask.dtype == torch.bool
    assert out.pooled.shape == (2, enc.output_dim)
    assert torch.isfinite(out.tokens).all() and torch.isfinite(out.pooled).all()
    trainable = [p for p in enc.parameters() if p.requires_grad]
    if trainable:
        out.pooled.square().mean().backward()
        assert any(p.grad is not None and p.grad.abs().sum() > 0 for p in trainable)
    else:
        assert not out.pooled.requires_grad


@pytest.mark.parametrize("name", list_heads())
def test_head_smoke(name: str) -> None:
    torch.manual_seed(0)
    head = create_head(name, **heads.get(name).tiny_config())
    out = head(**head.example_inputs(2))
    loss = out["loss"]
    assert loss.ndim == 0 and torch.isfinite(loss)
    loss.backward()
    grads = [p.grad for p in head.parameters() if p.requires_grad]
    assert grads and any(g is not None and g.abs().sum() > 0 for g in grads)


def test_every_entry_has_a_docstring() -> None:
    for reg in (encoders, heads):
        for name in reg.names():
            assert reg.help(name)
            assert (reg.get(name).__doc__ or "").strip(), f"{reg.kind} {name} has no docstring"
