"""Batched-window vision attention (mmx.adapters.fast_vision) against transformers' own per-segment loop."""

from __future__ import annotations

import pytest

from mmx.errors import InputError
from mmx.perf.flops import VlmDims

pytest.importorskip("transformers")
torch = pytest.importorskip("torch")

from mmx.adapters import fast_vision  # noqa: E402
from mmx.adapters.fast_vision import (  # noqa: E402
    attention_padding,
    batch_vision_attention,
    encoder_padding,
    restore_vision_attention,
)

# vision depth 3, full attention in block 1; window 56 px = 2 x 2 merged tokens = 16 patches
TINY = VlmDims("tiny", hidden_size=64, num_hidden_layers=1, num_attention_heads=4, num_key_value_heads=2,
               intermediate_size=128, vocab_size=512, vision_depth=3, vision_hidden_size=32, vision_num_heads=2,
               vision_intermediate_size=64, window_size=56, fullatt_block_indexes=(1,))
TINY_IDS = {"vision_start_token_id": 500, "vision_end_token_id": 501, "image_token_id": 502, "video_token_id": 503}
# 10 x 14 patches = 5 x 7 merged: 3 x 4 = 12 windows, partial at the bottom and right edges (16, 8, 4 patches);
# 4 x 16 patches = 2 x 8 merged: 4 full windows. Two images of different sizes in one call.
GRIDS = [(1, 10, 14), (1, 4, 16)]
WINDOWS, IMAGES = 16, 2
CALLS_BEFORE = 2 * WINDOWS + IMAGES  # blocks 0 and 2 loop over windows, block 1 over images
LAYERS = 3


def _pixels(grids):
    torch.manual_seed(1)
    n = sum(t * h * w for t, h, w in grids)
    return torch.randn(n, 3 * 2 * 14 * 14), torch.tensor(grids)


@pytest.fixture(scope="module", params=["sdpa", "eager"])
def model(request):
    from transformers import Qwen2_5_VLForConditionalGeneration

    torch.manual_seed(0)
    m = Qwen2_5_VLForConditionalGeneration(TINY.to_hf_config(request.param, **TINY_IDS)).eval()
    assert m.model.visual.blocks[0].attn.config._attn_implementation == request.param
    return m


class Calls:
    """Counts attention calls: torch's SDPA and transformers' eager attention (the modules' own globals)."""

    def __init__(self, monkeypatch, module_name: str = "transformers.models.qwen2_5_vl.modeling_qwen2_5_vl"):
        import importlib

        self.n = 0
        self.masks: list = []
        sdpa = torch.nn.functional.scaled_dot_product_attention
        mod = importlib.import_module(module_name)
        eager = mod.eager_attention_forward

        def counted_sdpa(*args, **kwargs):
            self.n += 1
            self.masks.append(kwargs.get("attn_mask"))
            return sdpa(*args, **kwargs)

        def counted_eager(*args, **kwargs):
            self.n += 1
            return eager(*args, **kwargs)

        monkeypatch.setattr(torch.nn.functional, "scaled_dot_product_attention", counted_sdpa)
        monkeypatch.setattr(mod, "eager_attention_forward", counted_eager)

    def run(self, fn):
        self.n, self.masks = 0, []
        with torch.no_grad():
            out = fn()
        return out, self.n


def test_batched_equals_original_with_one_call_per_layer(model, monkeypatch):
    visual = model.model.visual
    pixels, thw = _pixels(GRIDS)
    calls = Calls(monkeypatch)
    ref, n_ref = calls.run(lambda: visual(pixels, grid_thw=thw))
    assert n_ref == CALLS_BEFORE == encoder_padding([g[1:] for g in GRIDS], TINY)["encoder"].segments

    assert batch_vision_attention(model) == LAYERS
    got, n_got = calls.run(lambda: visual(pixels, grid_thw=thw))
    assert n_got == LAYERS
    assert all(m is not None and m.dtype == torch.bool for m in calls.masks)  # partial windows: padded + masked
    torch.testing.assert_close(got.last_hidden_state, ref.last_hidden_state, atol=1e-5, rtol=0)
    torch.testing.assert_close(got.pooler_output, ref.pooler_output, atol=1e-5, rtol=0)

    # the whole model's visual prefill goes through the patched modules too
    ids = torch.tensor([[1, 2, 500, *[502] * (sum(h * w for _, h, w in GRIDS) // 4), 501, 3]])
    out, n = calls.run(lambda: model(input_ids=ids, pixel_values=pixels, image_grid_thw=thw, logits_to_keep=1))
    assert n >= LAYERS and torch.isfinite(out.logits).all()

    # idempotent: a second call patches nothing twice, from any entry point
    assert batch_vision_attention(model.model) == LAYERS
    assert batch_vision_attention(visual) == LAYERS
    again, n_again = calls.run(lambda: visual(pixels, grid_thw=thw))
    assert n_again == LAYERS
    torch.testing.assert_close(again.last_hidden_state, got.last_hidden_state, atol=0, rtol=0)

    assert restore_vision_attention(model) == LAYERS
    assert restore_vision_attention(model) == 0
    assert all("forward" not in blk.attn.__dict__ for blk in visual.blocks)
    back, n_back = calls.run(lambda: visual(pixels, grid_thw=thw))
    assert n_back == CALLS_BEFORE
    torch.testing.assert_close(back.last_hidden_state, ref.last_hidden_state, atol=0, rtol=0)


def test_equal_segments_need_no_mask_and_frames_split(model, monkeypatch):
    visual = model.model.visual
    calls = Calls(monkeypatch)
    # 8 x 8 patches: four full 16-patch windows and one 64-patch image: nothing to pad, no mask
    for grids, masked in [([(1, 8, 8)], False), ([(2, 4, 8), (1, 6, 4)], True)]:  # a 2-frame clip + an image
        pixels, thw = _pixels(grids)
        ref, _ = calls.run(lambda: visual(pixels, grid_thw=thw))  # noqa: B023
        batch_vision_attention(visual)
        try:
            got, n = calls.run(lambda: visual(pixels, grid_thw=thw))  # noqa: B023
        finally:
            restore_vision_attention(visual)
        assert n == LAYERS
        assert any(m is not None for m in calls.masks) == masked
        torch.testing.assert_close(got.last_hidden_state, ref.last_hidden_state, atol=1e-5, rtol=0)


def test_segment_plan_is_shared_by_layers(model, monkeypatch):
    visual = model.model.visual
    built = []
    real_build = fast_vision._build_plan
    monkeypatch.setattr(fast_vision, "_build_plan", lambda *a: built.append(a) or real_build(*a))
    pixels, thw = _pixels(GRIDS)
    batch_vision_attention(visual)
    try:
        for mode in (torch.no_grad, torch.inference_mode):  # inference tensors have no version counter
            with mode():
                visual(pixels, grid_thw=thw)
    finally:
        restore_vision_attention(visual)
    assert len(built) == 4  # per forward: the window cu_seqlens (blocks 0, 2) and the per-image one (block 1)


def test_qwen2_vl_vision_attention(monkeypatch):
    from transformers.models.qwen2_vl.configuration_qwen2_vl import Qwen2VLVisionConfig
    from transformers.models.qwen2_vl.modeling_qwen2_vl import Qwen2VisionTransformerPretrainedModel

    torch.manual_seed(0)
    config = Qwen2VLVisionConfig(depth=2, embed_dim=32, hidden_size=32, mlp_ratio=2, num_heads=2)
    visual = Qwen2VisionTransformerPretrainedModel._from_config(config, attn_implementation="sdpa").eval()
    calls = Calls(monkeypatch, "transformers.models.qwen2_vl.modeling_qwen2_vl")
    pixels, thw = _pixels(GRIDS)
    ref, n_ref = calls.run(lambda: visual(pixels, grid_thw=thw))
    assert n_ref == 2 * IMAGES  # no windows in Qwen2-VL: one call per image and block
    assert batch_vision_attention(visual) == 2
    got, n_got = calls.run(lambda: visual(pixels, grid_thw=thw))
    assert n_got == 2
    torch.testing.assert_close(got.last_hidden_state, ref.last_hidden_state, atol=1e-5, rtol=0)
    assert restore_vision_attention(visual) == 2


def test_flash_attention_and_other_models_are_left_alone():
    from transformers.models.qwen2_vl.configuration_qwen2_vl import Qwen2VLVisionConfig
    from transformers.models.qwen2_vl.modeling_qwen2_vl import Qwen2VisionTransformerPretrainedModel

    config = Qwen2VLVisionConfig(depth=1, embed_dim=32, hidden_size=32, mlp_ratio=2, num_heads=2)
    visual = Qwen2VisionTransformerPretrainedModel._from_config(config, attn_implementation="sdpa")
    visual.config._attn_implementation = "flash_attention_2"  # already one varlen call per block
    assert visual.blocks[0].attn.config._attn_implementation == "flash_attention_2"
    assert batch_vision_attention(visual) == 0
    assert "forward" not in visual.blocks[0].attn.__dict__
    with pytest.raises(InputError, match=r"no Qwen2\.5-VL"):
        batch_vision_attention(torch.nn.Linear(2, 2))
    with pytest.raises(InputError):
        restore_vision_attention(torch.nn.Sequential())


def test_padding_flops():
    p = attention_padding([0, 64, 128, 144], hidden_size=1)
    assert (p.real, p.padded, p.segments, p.max_len) == (4 * (64**2 * 2 + 16**2), 4 * 3 * 64**2, 3, 64)
    assert p.overhead == pytest.approx(3 * 64**2 / (2 * 64**2 + 16**2) - 1)
    assert attention_padding(torch.tensor([0, 16, 16, 32]), 8).overhead == 0  # empty segments are dropped
    with pytest.raises(InputError):
        attention_padding([0, 5, 3])
    # a 224 x 224 image (16 x 16 patches): four 64-patch windows, one 256-patch image: no padding
    one = encoder_padding([(16, 16)])
    assert one["window"].segments == 4 and one["encoder"].overhead == 0
    # the tiny test images: windows of 16, 8 and 4 patches pad to 16; images of 140 and 64 pad to 140
    tiny = encoder_padding([g[1:] for g in GRIDS], TINY)
    assert tiny["window"].max_len == 16 and tiny["full"].max_len == 140
    assert tiny["full"].overhead == pytest.approx(2 * 140**2 / (140**2 + 64**2) - 1)
    assert tiny["encoder"].real == pytest.approx(2 * tiny["window"].real + tiny["full"].real)
