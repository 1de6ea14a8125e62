"""The m3 encoder: CLaMP 3's M3 layout, the one-hot patch embedding, masked pooling."""

from __future__ import annotations

import pytest
import torch

from mmx.encoders import create_encoder
from mmx.encoders.music import M3MusicEncoder, pad_patches
from mmx.errors import InputError
from mmx.music.abc import patchilize

TINY = M3MusicEncoder.tiny_config()
TUNES = ["M:6/8\nK:G\n|:GAB c2d|e3 d2B:|\n", "M:4/4\nK:D\nDFAd fdAF|GBdg bgdB|AFA d2|]\n"]


@pytest.fixture(scope="module")
def enc() -> M3MusicEncoder:
    torch.manual_seed(0)
    return create_encoder("m3", **TINY).eval()


def test_state_dict_names_are_clamp3s(enc) -> None:
    keys = set(enc.state_dict())
    assert {"patch_embedding.weight", "patch_embedding.bias", "base.embeddings.word_embeddings.weight",
            "base.embeddings.position_embeddings.weight", "base.pooler.dense.weight"} <= keys
    assert enc.patch_embedding.weight.shape == (32, 64 * 128)
    assert enc.base.embeddings.word_embeddings.weight.shape[0] == 1  # inputs are embeddings
    assert enc.base.embeddings.position_embeddings.weight.shape[0] == TINY["max_patches"]


def test_patch_embedding_equals_the_dense_one_hot_product(enc) -> None:
    patches, _ = enc.patchilize(TUNES)
    one_hot = torch.nn.functional.one_hot(patches, 128).reshape(*patches.shape[:2], -1).float()
    torch.testing.assert_close(enc.embed_patches(patches), enc.patch_embedding(one_hot), atol=1e-5, rtol=1e-5)


def test_padding_patches_do_not_change_the_pooled_vector(enc) -> None:
    rows = [patchilize(t, 64, TINY["max_patches"]) for t in TUNES]
    alone = enc.encode_patches(*pad_patches(rows[:1])).pooled
    batch = enc.encode_patches(*pad_patches(rows)).pooled  # row 0 is padded to row 1's length
    assert len(rows[0]) != len(rows[1])
    torch.testing.assert_close(alone[0], batch[0], atol=1e-5, rtol=1e-4)


def test_forward_on_text_and_gradients(enc) -> None:
    enc.train()
    out = enc(TUNES)
    assert out.pooled.shape == (2, 32) and out.mask.dtype == torch.bool
    out.pooled.sum().backward()
    assert enc.patch_embedding.weight.grad is not None and enc.patch_embedding.weight.grad.abs().sum() > 0
    assert enc.base.pooler.dense.weight.grad is None  # kept for the checkpoint keys, frozen
    enc.zero_grad()
    enc.eval()


def test_bad_inputs(enc) -> None:
    with pytest.raises(InputError, match="non-empty list"):
        enc("K:G\nab|\n")
    with pytest.raises(InputError, match=r"0\.\.127"):
        enc.encode_patches(torch.full((1, 2, 64), 200), torch.ones(1, 2, dtype=torch.bool))
    with pytest.raises(InputError, match="patches must be"):
        enc.encode_patches(torch.zeros(1, 2, 10, dtype=torch.long), torch.ones(1, 2, dtype=torch.bool))
