"""Qwen2.5's special tokens, for building Qwen2.5 tokenizers offline.

Added after the 151,643 BPE tokens in exactly this order, they get the ids the
real models use (``<|vision_start|>`` = 151652, ``<|image_pad|>`` = 151655), so
tiny test models and real-size benchmark models built without a hub line up
with real Qwen2.5-VL configs.
"""

QWEN2_5_SPECIAL_TOKENS: tuple[str, ...] = (
    "<|endoftext|>", "<|im_start|>", "<|im_end|>", "<|object_ref_start|>", "<|object_ref_end|>",
    "<|box_start|>", "<|box_end|>", "<|quad_start|>", "<|quad_end|>", "<|vision_start|>",
    "<|vision_end|>", "<|vision_pad|>", "<|image_pad|>", "<|video_pad|>", "<tool_call>",
    "</tool_call>", "<|fim_prefix|>", "<|fim_middle|>", "<|fim_suffix|>", "<|fim_pad|>",
    "<|repo_name|>", "<|file_sep|>",
)  # fmt: skip
