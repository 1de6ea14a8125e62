"""The t2i head: width checks, the null condition, EMA, seeded sampling, the PixArt and
latent variants, the VAE loader's errors and the diffusers export."""

from __future__ import annotations

import pytest
import torch

from mmx.errors import InputError
from mmx.heads import create_head
from mmx.heads.t2i import T2IHead

TINY = T2IHead.tiny_config()


def tiny(**kw) -> T2IHead:
    torch.manual_seed(0)
    return create_head("t2i", **{**TINY, **kw})


def test_widths_that_disagree_name_both() -> None:
    with pytest.raises(InputError, match=r"16-d token states but cross_attention_dim is 32"):
        tiny(projection="none")
    assert isinstance(tiny().net.proj, torch.nn.Linear)  # auto: a projection when widths differ
    assert isinstance(tiny(cross_attention_dim=16, projection="auto").net.proj, torch.nn.Identity)
    h = tiny()
    with pytest.raises(InputError, match=r"built for width 16"):
        h(torch.zeros(1, 3, 16, 16), torch.zeros(1, 2, 24), torch.ones(1, 2, dtype=torch.bool))


def test_dropped_rows_get_the_learned_null_condition() -> None:
    h = tiny()
    tokens, mask = torch.randn(3, 4, 16), torch.ones(3, 4, dtype=torch.bool)
    states, m = h.net.condition(tokens, mask, torch.tensor([False, True, False]))
    torch.testing.assert_close(states[1, 0], h.net.null[0, 0])
    assert m[1].tolist() == [True, False, False, False] and m[0].all()
    torch.testing.assert_close(states[0], h.net.proj(tokens[0]))


def test_ema_moves_toward_the_trained_weights() -> None:
    h = tiny(ema_decay=0.9)
    p, e = next(h.net.parameters()), next(h.ema.parameters())
    with torch.no_grad():
        p.add_(1.0)
    before = e.detach().clone()
    h.update_ema()
    torch.testing.assert_close(e, before + 0.1 * (p - before))
    assert not any(q.requires_grad for q in h.ema.parameters())


@pytest.mark.parametrize("scheduler", ["ddim", "dpm-solver"])
def test_sampling_is_seeded_per_image(scheduler: str) -> None:
    h = tiny().eval()
    tokens, mask = torch.randn(2, 3, 16), torch.ones(2, 3, dtype=torch.bool)
    both = h.sample(tokens, mask, steps=3, scheduler=scheduler, seeds=[5, 9])
    alone = h.sample(tokens[1:], mask[1:], steps=3, scheduler=scheduler, seeds=[9])
    assert both.shape == (2, 3, 16, 16) and both.min() >= 0 and both.max() <= 1
    torch.testing.assert_close(both[1:], alone, atol=1e-4, rtol=1e-4)
    assert not torch.allclose(both[0], both[1])


def test_pixel_unshuffle_is_lossless() -> None:
    h = tiny(pixel_unshuffle=2)
    x = torch.rand(2, 3, 16, 16) * 2 - 1
    z = h.encode_images(x)
    assert z.shape == (2, 12, 8, 8)
    torch.testing.assert_close(torch.nn.functional.pixel_shuffle(z, 2), x)
    assert torch.isfinite(h(x, torch.randn(2, 1, 16), torch.ones(2, 1, dtype=torch.bool))["loss"])


def test_pixart_denoiser_trains_and_samples() -> None:
    h = tiny(denoiser="pixart", pixart={"num_layers": 1, "num_attention_heads": 2, "attention_head_dim": 16,
                                        "norm_num_groups": 8})
    out = h(**h.example_inputs(2))
    out["loss"].backward()
    assert any(p.grad is not None and p.grad.abs().sum() > 0 for p in h.net.denoiser.parameters())
    img = h.eval().sample(torch.randn(1, 2, 16), torch.ones(1, 2, dtype=torch.bool), steps=2)
    assert img.shape == (1, 3, 16, 16)


VAE = {"block_out_channels": [8, 16], "in_channels": 3, "out_channels": 3, "latent_channels": 4,
       "norm_num_groups": 4, "layers_per_block": 1, "down_block_types": ["DownEncoderBlock2D"] * 2,
       "up_block_types": ["UpDecoderBlock2D"] * 2}


def test_latent_variant_from_a_config_a_folder_and_a_pipeline(tmp_path) -> None:
    h = tiny(vae_config=VAE)
    assert (h.channels, h.sample_size) == (4, 8)
    out = h(**h.example_inputs(2))
    assert torch.isfinite(out["loss"]) and not any(p.requires_grad for p in h.vae.parameters())
    assert h.eval().sample(torch.randn(1, 1, 16), torch.ones(1, 1, dtype=torch.bool), steps=2).shape == (1, 3, 16, 16)
    h.vae.save_pretrained(tmp_path / "vae_only")
    h.vae.save_pretrained(tmp_path / "pipe" / "vae")
    for folder in (tmp_path / "vae_only", tmp_path / "pipe"):
        loaded = tiny(vae=str(folder))
        torch.testing.assert_close(next(loaded.vae.parameters()), next(h.vae.parameters()))
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match=r"head\.vae="):
        tiny(vae=str(tmp_path / "empty"))
    with pytest.raises(InputError, match="not both"):
        tiny(vae=str(tmp_path / "vae_only"), vae_config=VAE)


def test_save_pretrained_loads_in_diffusers(tmp_path) -> None:
    from diffusers import DDPMScheduler, UNet2DConditionModel

    h = tiny().eval()
    h.save_pretrained(str(tmp_path))
    unet = UNet2DConditionModel.from_pretrained(tmp_path / "unet").eval()
    sched = DDPMScheduler.from_pretrained(tmp_path / "scheduler")
    assert sched.config.num_train_timesteps == 100
    x, t = torch.randn(1, 3, 16, 16), torch.tensor([3])
    states = torch.randn(1, 2, 32)
    labels = states.mean(1)
    with torch.no_grad():
        ref = h.ema.denoiser(x, t, encoder_hidden_states=states, class_labels=labels).sample
        got = unet(x, t, encoder_hidden_states=states, class_labels=labels).sample
    torch.testing.assert_close(got, ref)


def test_a_few_steps_lower_the_loss_on_one_batch() -> None:
    """Behaviour, not just shapes: the head fits a fixed batch (fixed noise and times)."""
    h = tiny(cfg_dropout=0.0)
    x = torch.rand(4, 3, 16, 16).round() * 2 - 1
    tokens, mask = torch.randn(4, 1, 16), torch.ones(4, 1, dtype=torch.bool)
    opt = torch.optim.Adam(h.net.parameters(), 3e-3)

    def loss() -> torch.Tensor:
        torch.manual_seed(1)
        return h(x, tokens, mask)["loss"]

    first = loss().item()
    for _ in range(30):
        opt.zero_grad()
        loss().backward()
        opt.step()
    assert loss().item() < 0.7 * first


def test_coordinate_channels_reach_the_unet_only() -> None:
    h = tiny(coord_channels=True)
    assert h.net.denoiser.config.in_channels == 5 and h.net.denoiser.config.out_channels == 3
    x = torch.rand(2, 3, 16, 16) * 2 - 1
    out = h(x, torch.randn(2, 1, 16), torch.ones(2, 1, dtype=torch.bool))
    assert torch.isfinite(out["loss"])
    assert h.sample(torch.randn(1, 1, 16), torch.ones(1, 1, dtype=torch.bool), steps=2).shape == (1, 3, 16, 16)
    with pytest.raises(InputError, match="coord_channels is for a UNet"):
        tiny(coord_channels=True, denoiser="pixart", cross_attention_dim=128)


def test_min_snr_weighting_down_weights_the_clean_timesteps() -> None:
    with pytest.raises(InputError, match="snr_gamma must be a number > 0"):
        tiny(snr_gamma=0)
    plain = tiny(cfg_dropout=0.0, prediction_type="v_prediction")
    weighted = tiny(cfg_dropout=0.0, snr_gamma=1.0, prediction_type="v_prediction")
    weighted.net.load_state_dict(plain.net.state_dict())
    x, tokens, mask = torch.rand(4, 3, 16, 16) * 2 - 1, torch.randn(4, 1, 16), torch.ones(4, 1, dtype=torch.bool)
    # at the cleanest timestep the SNR is huge: v-prediction's weight min(snr, 1) / (snr + 1) is ~0
    def loss(head: T2IHead, t: torch.Tensor) -> float:
        torch.manual_seed(0)  # the same noise for both heads
        return head(x, tokens, mask, t)["loss"].item()

    clean, middle = torch.zeros(4, dtype=torch.long), torch.full((4,), 50)
    assert 0 <= loss(weighted, clean) < 0.01 * loss(plain, clean)
    # the weight min(snr, gamma) / (snr + 1) never exceeds 1
    assert 0 < loss(weighted, middle) <= loss(plain, middle) + 1e-6


def test_pooled_tokens_widen_what_the_denoiser_reads_but_not_the_null_condition() -> None:
    h = tiny(pooled_tokens=3)
    tokens, mask = torch.randn(2, 1, 16), torch.ones(2, 1, dtype=torch.bool)
    states, m = h.net.condition(tokens, mask, torch.tensor([False, True]))
    assert states.shape == (2, 4, 32) and m[0].all()
    assert m[1].tolist() == [True, False, False, False]  # the null row: its one learned token only
    other, _ = h.net.condition(torch.randn(2, 1, 16), mask, None)
    assert not torch.allclose(other[0, 1:], states[0, 1:])  # the extra tokens follow the prompt
    with pytest.raises(InputError, match="pooled_tokens must be >= 0"):
        tiny(pooled_tokens=-1)


def test_normalized_condition_standardises_the_encoder_features() -> None:
    h = tiny(normalize_condition=True, cross_attention_dim=16, projection="none")
    tokens = torch.randn(64, 1, 16) * 0.01 + 5.0  # a large shared part, small differences
    mask = torch.ones(64, 1, dtype=torch.bool)
    h.train()
    states, _ = h.net.condition(tokens, mask, None)
    assert states.mean().abs() < 0.1 and 0.5 < states.std() < 1.5
    h.eval()  # sampling uses the running statistics
    assert torch.isfinite(h.net.condition(tokens[:1], mask[:1], None)[0]).all()
