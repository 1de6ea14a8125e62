"""The vlm and contrastive heads: packing, decoding, LoRA, the CLIP loss."""

from __future__ import annotations

import pytest
import torch

from mmx.errors import InputError
from mmx.heads import create_head


@pytest.fixture(scope="module")
def vlm():
    torch.manual_seed(0)
    return create_head("vlm", lm="tiny", visual_dim=8).eval()


def test_vlm_padding_does_not_change_a_sample(vlm) -> None:
    """A sample's loss and logits are the same alone and in a padded batch."""
    torch.manual_seed(1)
    v = torch.randn(2, 4, 8)
    vm = torch.tensor([[1, 1, 0, 0], [1, 1, 1, 1]], dtype=torch.bool)
    ids = torch.tensor([[5, 6, 7, 0], [5, 9, 9, 9]])
    am = torch.tensor([[1, 1, 1, 0], [1, 1, 1, 1]])
    both = vlm(v, vm, ids, am)["logits"]
    alone = vlm(v[:1, :2], vm[:1, :2], ids[:1, :3], am[:1, :3])["logits"]
    # sample 0 is left-padded by 3 positions in the batch (2 visual + 1 text padding)
    torch.testing.assert_close(both[0, -5:], alone[0], atol=1e-4, rtol=1e-4)


def test_vlm_loss_counts_text_labels_only(vlm) -> None:
    v = torch.randn(1, 3, 8)
    vm = torch.ones(1, 3, dtype=torch.bool)
    ids = torch.tensor([[3, 4, 5]])
    full = vlm(v, vm, ids, labels=ids.clone())["loss"]
    masked = vlm(v, vm, ids, labels=torch.full_like(ids, -100))["loss"]
    assert torch.isfinite(full) and full > 0
    assert masked.item() == 0.0  # nothing to predict: a defined zero, not NaN


def test_vlm_generate_matches_full_forward(vlm) -> None:
    """Greedy decoding with the KV cache gives the tokens a full recompute would."""
    torch.manual_seed(2)
    v = torch.randn(2, 3, 8)
    vm = torch.tensor([[1, 1, 1], [1, 0, 0]], dtype=torch.bool)
    bos = torch.ones(2, 1, dtype=torch.long)
    out = vlm.generate(v, vm, bos, torch.ones_like(bos), max_new_tokens=4)
    for i in range(2):
        ids = bos[i : i + 1]
        for step in range(4):
            logits = vlm(v[i : i + 1], vm[i : i + 1], ids)["logits"]
            nxt = logits[0, -1].argmax()
            assert nxt.item() == out[i, step].item()
            ids = torch.cat([ids, nxt.view(1, 1)], 1)


def test_vlm_lora_trains_adapters_only() -> None:
    head = create_head("vlm", lm="tiny", visual_dim=8, lora={"r": 4, "target_modules": ["q_proj", "v_proj"]})
    names = [n for n, p in head.lm.named_parameters() if p.requires_grad]
    assert names and all("lora_" in n for n in names)
    assert all(p.requires_grad for p in head.projector.parameters())


def test_vlm_bad_input() -> None:
    with pytest.raises(InputError, match="projector"):
        create_head("vlm", lm="tiny", visual_dim=8, projector="qformer")
    with pytest.raises(InputError, match="model_type"):
        create_head("vlm", lm={"hidden_size": 8}, visual_dim=8)
    with pytest.raises(InputError, match="lora"):
        create_head("vlm", lm="tiny", visual_dim=8, lora={"rank": 4})


def test_contrastive_loss_prefers_true_pairs() -> None:
    torch.manual_seed(0)
    head = create_head("contrastive", dim_a=6, dim_b=6, embed_dim=6, projection="identity", temperature=0.05)
    a = torch.randn(8, 6)
    matched = head(a, a)["loss"]
    shuffled = head(a, a[torch.randperm(8)])["loss"]
    assert matched < shuffled
    assert head(a, a)["logits"].shape == (8, 8)


def test_contrastive_temperature_fixed_or_learned() -> None:
    learned = create_head("contrastive", dim_a=4, dim_b=4, embed_dim=4, temperature=0.1)
    fixed = create_head("contrastive", dim_a=4, dim_b=4, embed_dim=4, temperature=0.1, learnable_temperature=False)
    assert any(n == "log_scale" for n, _ in learned.named_parameters())
    assert not any(n == "log_scale" for n, _ in fixed.named_parameters())
    assert fixed.logit_scale.item() == pytest.approx(10.0)


def test_contrastive_bad_input() -> None:
    head = create_head("contrastive", dim_a=4, dim_b=4, embed_dim=4)
    with pytest.raises(InputError, match="line up"):
        head(torch.randn(3, 4), torch.randn(2, 4))
    with pytest.raises(InputError, match="temperature"):
        create_head("contrastive", temperature=0)
