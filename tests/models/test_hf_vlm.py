"""The transformers adapters on tiny random-weight Qwen2.5-VL, LLaVA and Qwen2 models
built here (no hub): batching, left padding, multi-image requests, offline errors."""

from __future__ import annotations

import json
import shutil

import pytest

pytest.importorskip("transformers")

from PIL import Image

from mmx.errors import InputError
from mmx.models import VqaRequest, create_model
from mmx.models.hf_vlm import PROMPT
from mmx.models.qwen_tokens import QWEN2_5_SPECIAL_TOKENS

CORPUS = [
    "Answer precisely in 1-2 words, answer in digits when required.",
    "Question: Who scored the most runs for India?",
    "Question: How many wickets did the bowler take in 10 overs?",
    "system You are a helpful assistant. user assistant USER: ASSISTANT:",
    "0 1 2 3 4 5 6 7 8 9 runs overs extras total maidens economy",
]


# Shortened forms of the real Qwen2-VL and llava-1.5 chat templates.
QWEN_TEMPLATE = (
    "{% for message in messages %}{% if loop.first and message['role'] != 'system' %}"
    "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n{% endif %}"
    "<|im_start|>{{ message['role'] }}\n{% if message['content'] is string %}"
    "{{ message['content'] }}<|im_end|>\n{% else %}{% for content in message['content'] %}"
    "{% if content['type'] == 'image' %}<|vision_start|><|image_pad|><|vision_end|>"
    "{% elif 'text' in content %}{{ content['text'] }}{% endif %}{% endfor %}<|im_end|>\n"
    "{% endif %}{% endfor %}{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)
LLAVA_TEMPLATE = (
    "{% for message in messages %}{{ message['role'].upper() + ': ' }}"
    "{% for content in message['content'] | selectattr('type', 'equalto', 'image') %}"
    "{{ '<image>\n' }}{% endfor %}"
    "{% for content in message['content'] | selectattr('type', 'equalto', 'text') %}"
    "{{ content['text'] + ' ' }}{% endfor %}{% endfor %}"
    "{% if add_generation_prompt %}{{ 'ASSISTANT:' }}{% endif %}"
)


def _bpe(special: list[str] | None = None):
    """A byte-level BPE trained on CORPUS in milliseconds."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=320,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        special_tokens=special or [],
        show_progress=False,
    )
    tok.train_from_iterator(CORPUS * 4, trainer)
    return tok


def _qwen_tokenizer():
    from transformers import Qwen2Tokenizer

    model = json.loads(_bpe().to_str())["model"]
    merges = [tuple(m) if isinstance(m, list) else tuple(m.split(" ")) for m in model["merges"]]
    tok = Qwen2Tokenizer(vocab=model["vocab"], merges=merges)
    tok.add_special_tokens({"additional_special_tokens": list(QWEN2_5_SPECIAL_TOKENS[1:])})
    return tok


def _generation_config(tok, bos: str, eos: str, pad: str):
    from transformers import GenerationConfig

    ids = tok.convert_tokens_to_ids
    return GenerationConfig(bos_token_id=ids(bos), eos_token_id=ids(eos), pad_token_id=ids(pad))


@pytest.fixture(scope="module")
def qwen_dir(tmp_path_factory):
    import torch
    from transformers import (
        Qwen2_5_VLConfig,
        Qwen2_5_VLForConditionalGeneration,
        Qwen2_5_VLProcessor,
        Qwen2VLImageProcessor,
        Qwen2VLVideoProcessor,
    )

    tok = _qwen_tokenizer()
    ids = tok.convert_tokens_to_ids
    image_processor = Qwen2VLImageProcessor(
        min_pixels=28 * 28, max_pixels=56 * 56, patch_size=14, merge_size=2, temporal_patch_size=2
    )
    processor = Qwen2_5_VLProcessor(
        image_processor=image_processor,
        tokenizer=tok,
        video_processor=Qwen2VLVideoProcessor(),
        chat_template=QWEN_TEMPLATE,
    )
    config = Qwen2_5_VLConfig(
        text_config={
            "vocab_size": len(tok),
            "hidden_size": 32,
            "intermediate_size": 64,
            "num_hidden_layers": 1,
            "num_attention_heads": 2,
            "num_key_value_heads": 1,
            "max_position_embeddings": 512,
            # head_dim 16: mrope_section sums to 8
            "rope_parameters": {
                "rope_type": "default",
                "rope_theta": 10000.0,
                "mrope_section": [2, 2, 4],
            },
            # large enough that different inputs give different greedy answers
            "initializer_range": 0.2,
            "bos_token_id": ids("<|endoftext|>"),
            "eos_token_id": ids("<|im_end|>"),
            "pad_token_id": ids("<|endoftext|>"),
        },
        vision_config={
            "depth": 1,
            "hidden_size": 32,
            "intermediate_size": 64,
            "num_heads": 2,
            "out_hidden_size": 32,
            "patch_size": 14,
            "spatial_merge_size": 2,
            "temporal_patch_size": 2,
            "window_size": 56,
            "fullatt_block_indexes": [0],
        },
        image_token_id=ids("<|image_pad|>"),
        video_token_id=ids("<|video_pad|>"),
        vision_start_token_id=ids("<|vision_start|>"),
        vision_end_token_id=ids("<|vision_end|>"),
    )
    torch.manual_seed(0)
    model = Qwen2_5_VLForConditionalGeneration(config)
    model.generation_config = _generation_config(
        tok, "<|endoftext|>", "<|im_end|>", "<|endoftext|>"
    )
    out = tmp_path_factory.mktemp("tiny-qwen2.5-vl")
    model.save_pretrained(out)
    processor.save_pretrained(out)
    return out


@pytest.fixture(scope="module")
def llava_dir(tmp_path_factory):
    import torch
    from transformers import (
        LlavaConfig,
        LlavaForConditionalGeneration,
        LlavaImageProcessor,
        LlavaProcessor,
        PreTrainedTokenizerFast,
    )

    tok = PreTrainedTokenizerFast(
        tokenizer_object=_bpe(["<unk>", "<s>", "</s>", "<pad>", "<image>"]),
        unk_token="<unk>",
        bos_token="<s>",
        eos_token="</s>",
        pad_token="<pad>",
        extra_special_tokens=["<image>"],
    )
    ids = tok.convert_tokens_to_ids
    # crop size = the CLIP image_size; 28 / patch 14 = 4 image tokens (+1 CLS, dropped by "default")
    image_processor = LlavaImageProcessor(
        size={"shortest_edge": 28}, crop_size={"height": 28, "width": 28}
    )
    processor = LlavaProcessor(
        image_processor=image_processor,
        tokenizer=tok,
        patch_size=14,
        vision_feature_select_strategy="default",
        num_additional_image_tokens=1,
        chat_template=LLAVA_TEMPLATE,
    )
    config = LlavaConfig(
        vision_config={
            "model_type": "clip_vision_model",
            "hidden_size": 32,
            "intermediate_size": 64,
            "num_hidden_layers": 2,
            "num_attention_heads": 2,
            "image_size": 28,
            "patch_size": 14,
            "projection_dim": 32,
        },
        text_config={
            "model_type": "llama",
            "vocab_size": len(tok),
            "hidden_size": 32,
            "intermediate_size": 64,
            "num_hidden_layers": 1,
            "num_attention_heads": 2,
            "num_key_value_heads": 1,
            "max_position_embeddings": 256,
            "initializer_range": 0.2,
            "bos_token_id": ids("<s>"),
            "eos_token_id": ids("</s>"),
            "pad_token_id": ids("<pad>"),
        },
        image_token_index=ids("<image>"),
        vision_feature_layer=-1,
        image_seq_length=4,
    )
    torch.manual_seed(0)
    model = LlavaForConditionalGeneration(config)
    model.generation_config = _generation_config(tok, "<s>", "</s>", "<pad>")
    out = tmp_path_factory.mktemp("tiny-llava")
    model.save_pretrained(out)
    processor.save_pretrained(out)
    return out


@pytest.fixture(scope="module")
def qwen_text_dir(tmp_path_factory):
    import torch
    from transformers import Qwen2Config, Qwen2ForCausalLM

    tok = _qwen_tokenizer()
    tok.chat_template = QWEN_TEMPLATE
    ids = tok.convert_tokens_to_ids
    config = Qwen2Config(
        vocab_size=len(tok),
        hidden_size=32,
        intermediate_size=64,
        num_hidden_layers=1,
        num_attention_heads=2,
        num_key_value_heads=1,
        max_position_embeddings=256,
        initializer_range=0.2,
        bos_token_id=ids("<|endoftext|>"),
        eos_token_id=ids("<|im_end|>"),
        pad_token_id=ids("<|endoftext|>"),
    )
    torch.manual_seed(0)
    model = Qwen2ForCausalLM(config)
    model.generation_config = _generation_config(
        tok, "<|endoftext|>", "<|im_end|>", "<|endoftext|>"
    )
    out = tmp_path_factory.mktemp("tiny-qwen2")
    model.save_pretrained(out)
    tok.save_pretrained(out)
    return out


def _requests() -> list[VqaRequest]:
    def image(size, color):
        return Image.new("RGB", size, color)

    return [
        VqaRequest("a", "How many runs did Kohli score?", [image((56, 56), "red")]),
        VqaRequest(
            "b",
            "Which team won the toss and chose to bat first in this match?",
            [image((112, 84), "navy"), image((70, 60), "green")],
        ),
        VqaRequest("c", "Total extras?", [image((84, 112), "white")]),
        VqaRequest("d", "Who took the most wickets?", [image((64, 96), "orange").convert("L")]),
    ]


@pytest.fixture(scope="module", params=["qwen", "llava"])
def vlm(request):
    folder = request.getfixturevalue(f"{request.param}_dir")
    return create_model(str(folder), batch_size=2, max_new_tokens=4)


def test_batched_answers_equal_unbatched(vlm):
    requests = _requests()
    batched = vlm.answer(requests)
    assert len(batched) == len(requests)
    assert all(isinstance(a, str) and "\n" not in a and a == a.strip() for a in batched)
    # greedy decoding: each request alone gives the same answer (left padding is right)
    assert batched == [vlm.answer([r])[0] for r in requests]
    # the tiny model does look at its input, so the equality above means something
    assert len(set(batched)) > 1


def test_describe_is_json(vlm, tmp_path):
    info = json.loads(json.dumps(vlm.describe()))
    assert info["baseline"] is False
    assert info["batch_size"] == vlm.batch_size == 2
    assert info["max_new_tokens"] == 4
    assert info["device"] == "cpu" and info["dtype"] == "float32"
    assert info["prompt"] == PROMPT and info["transformers"]
    assert vlm.notes() == []


def test_pixel_budget(qwen_dir, llava_dir):
    qwen = create_model(str(qwen_dir), min_pixels=28 * 28, max_pixels=28 * 28 * 2)
    assert qwen.processor.image_processor.size["longest_edge"] == 28 * 28 * 2
    grid = qwen.processor.image_processor(images=[Image.new("RGB", (112, 112))])["image_grid_thw"]
    assert grid.tolist() == [[1, 2, 2]]  # 28x28 pixels: 2x2 patches of 14
    assert qwen.describe()["max_pixels"] == 28 * 28 * 2
    assert len(qwen.answer(_requests()[:2])) == 2
    llava = create_model(str(llava_dir), max_pixels=1000)
    assert "max_pixels ignored" in llava.notes()[0]


def test_text_only_baseline(qwen_text_dir):
    model = create_model("text-only", model=str(qwen_text_dir), batch_size=2, max_new_tokens=4)
    assert model.is_baseline
    requests = _requests()[:3]
    batched = model.answer(requests)
    assert len(batched) == 3 and all(isinstance(a, str) for a in batched)
    assert batched == [model.answer([r])[0] for r in requests]
    info = json.loads(json.dumps(model.describe()))
    assert info["baseline"] is True and info["chat_template"] is True


def test_text_only_needs_a_model():
    with pytest.raises(InputError, match="model=hf:ORG/NAME"):
        create_model("text-only")


def test_missing_local_folder(tmp_path):
    with pytest.raises(InputError, match="no such local model folder"):
        create_model(str(tmp_path / "nowhere"))


def test_hub_model_offline(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(InputError, match="offline") as info:
        create_model("hf:nobody/does-not-exist")
    message = str(info.value)
    assert "hf download nobody/does-not-exist --local-dir DIR" in message
    assert "--model DIR" in message


def test_text_model_is_not_a_vlm(qwen_text_dir):
    with pytest.raises(InputError, match="--model text-only"):
        create_model(str(qwen_text_dir))


def test_unknown_model_arg(llava_dir):
    with pytest.raises(InputError, match=r"temperature.*accepted: .*batch_size"):
        create_model(str(llava_dir), temperature=0.7)


def test_processor_without_chat_template(llava_dir, tmp_path):
    folder = tmp_path / "no-template"
    shutil.copytree(llava_dir, folder)
    (folder / "chat_template.jinja").unlink()
    with pytest.raises(InputError, match="no chat template"):
        create_model(str(folder))


def test_cached_hub_model_loads_offline(qwen_dir, tmp_path, monkeypatch):
    from huggingface_hub import constants

    repo = tmp_path / "hub" / "models--tiny--qwen2.5-vl"
    shutil.copytree(qwen_dir, repo / "snapshots" / "0123abc")
    (repo / "refs").mkdir()
    (repo / "refs" / "main").write_text("0123abc")
    monkeypatch.setattr(constants, "HF_HUB_CACHE", str(tmp_path / "hub"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    model = create_model("hf:tiny/qwen2.5-vl", max_new_tokens=2)
    info = model.describe()
    assert info["model"] == "tiny/qwen2.5-vl" and info["commit"] == "0123abc"
    assert len(model.answer(_requests()[:1])) == 1


def test_eval_end_to_end_with_a_tiny_vlm(qwen_dir, tiny_set, tmp_path):
    """`mmx eval --model DIR` through the runner: multi-image rows, batching, the results contract."""
    from mmx.eval.runner import evaluate

    res = evaluate("mmcric", str(qwen_dir), {"batch_size": 4, "max_new_tokens": 3}, data=str(tiny_set),
                   out=tmp_path / "run", progress=False)
    assert res["n_samples"] == 18 and res["baseline"] is False
    assert res["model_info"]["prompt"] == PROMPT
    recs = [json.loads(x) for x in (tmp_path / "run" / "samples.jsonl").read_text().splitlines()]
    assert len(recs) == 18 and all(isinstance(r["prediction"], str) for r in recs)
    assert "gap/E-H" in res["metrics"]


def test_every_registered_model_answers(qwen_text_dir, tiny_set, tmp_path):
    """Generated from list_models(): a new registry entry without a case here fails."""
    from mmx.eval.runner import evaluate
    from mmx.models import list_models

    args = {"random": {}, "majority": {}, "text-only": {"model": str(qwen_text_dir), "max_new_tokens": 2},
            "ocr-table": {}}
    for name in list_models():
        assert name in args, f"add a smoke-test case for model {name!r}"
        res = evaluate("mmcric", name, args[name], data=str(tiny_set), split="test_multi",
                       out=tmp_path / name, progress=False)
        assert res["n_samples"] == 6, name
