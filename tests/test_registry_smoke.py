"""Forward/backward smoke test of every registered encoder and head, generated from
``list_encoders()`` / ``list_heads()``: a new registry entry is covered as soon as it
is registered (its class provides ``tiny_config()`` and ``example_inputs()``)."""

from __future__ import annotations

import pytest
import torch

from mmx.adapters import list_models
from mmx.encoders import create_encoder, list_encoders
from mmx.encoders.base import MODALITIES
from mmx.eval import list_benches
from mmx.heads import create_head, list_heads
from mmx.registry import encoders, heads


@pytest.mark.parametrize("name", list_encoders())
def test_encoder_smoke(name: str) -> None:
    torch.manual_seed(0)
    enc = create_encoder(name, **encoders.get(name).tiny_config())
    assert enc.weights, "an encoder must say where its weights came from"
    assert enc.modality in MODALITIES, f"{name}: modality {enc.modality!r} is not one of {MODALITIES}"
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


@pytest.mark.parametrize("name", list_benches())
def test_bench_smoke(name: str, tmp_path) -> None:
    """Every registered bench: its registry facts match the class, its default model can
    serve it, and one item runs end to end offline with that model."""
    import math

    from mmx.adapters import capabilities_of
    from mmx.eval import create_bench
    from mmx.eval.contract import BenchBase, CompositeBench
    from mmx.eval.runner import evaluate
    from mmx.registry import benches

    cls = benches.get(name)
    info = benches.info(name)
    assert issubclass(cls, BenchBase) and (cls.__doc__ or "").strip()
    assert bool(info.get("generator")) == cls.has_generator  # `mmx --help` and `mmx data` read it from the registry
    if issubclass(cls, CompositeBench):  # each group has its own capability and default adapter
        assert info.get("groups") and "needs" not in info and "default_model" not in info
        for g in create_bench(name, **cls.smoke_args).groups():
            assert not g.default_model or g.needs in capabilities_of(g.default_model), g.name
    else:
        if cls.default_model not in list_models():  # a bench may land before its default adapter
            pytest.skip(f"default model {cls.default_model} of bench {name} is not registered yet")
        assert info.get("needs") == cls.needs and info.get("default_model") == cls.default_model
        assert cls.needs in capabilities_of(cls.default_model)
    res = evaluate(name, None, bench_args=dict(cls.smoke_args), limit=1, out=tmp_path / "run", progress=False)
    assert res["model"] == cls.default_model and res["n_samples"] >= 1
    head = next(iter(cls.score_fields.values()))[0]
    assert any(k.startswith(head + "/") and not math.isnan(v) for k, v in res["metrics"].items())
    assert (tmp_path / "run" / "report.md").is_file()


@pytest.mark.parametrize("name", list_models())
def test_model_smoke(name: str) -> None:
    """Every registered adapter: its registry facts match the class; those that run offline
    without files answer (or draw, or embed) one request."""
    from PIL import Image

    from mmx.adapters import CAPABILITIES, create_model
    from mmx.adapters.base import EmbedRequest, ImageRequest, Reference, VqaRequest
    from mmx.registry import models

    cls = models.get(name)
    info = models.info(name)
    assert (cls.__doc__ or "").strip()
    assert set(info["capabilities"]) == set(cls.capabilities) and set(cls.capabilities) <= set(CAPABILITIES)
    assert tuple(info.get("benches", ())) == tuple(cls.serves_benches)
    if cls.smoke_args is None:
        return
    model = create_model(name, next(iter(cls.capabilities)), **cls.smoke_args)
    if "answer" in cls.capabilities:
        model.prepare([Reference("C1", "5")])
        out = model.answer([VqaRequest("x", "How many runs did A score?", [Image.new("RGB", (64, 48), "white")],
                                       category="C1")])
        assert len(out) == 1 and isinstance(out[0], str)
    if "generate_images" in cls.capabilities:
        imgs = model.generate_images([ImageRequest("x", "a red square", n=2)])
        assert len(imgs) == 1 and len(imgs[0]) == 2
    if "embed" in cls.capabilities:
        vec = model.embed([EmbedRequest("x", "text", "hello")])
        assert vec.shape[0] == 1
