"""Prefill time, subword text against the same text rendered with SeeTok (a GPU benchmark).

Builds transformers' Qwen2.5-VL of real size (7B or 3B dims from
``mmx.perf.flops.PRESETS``) with random weights (timing does not depend on the
weights), bf16, sdpa, batch 1. For each subword-token budget it takes a language's
lines from the corpus (cycled when short, cut to the budget), then times

- the text arm: ``input_ids`` of budget + ``--prompt-tokens`` tokens;
- the visual arm: the text rendered with the ``seetok`` profile, through the
  Qwen2.5-VL image processor's geometry (``pixel_values`` + ``image_grid_thw``),
  ``<|vision_start|>`` / image tokens / ``<|vision_end|>`` per image, plus the same
  prompt tokens; and the vision encoder alone on those pixels.

Each is warmed up, then timed ``--repeats`` times with CUDA events; the median is
reported with the analytic FLOPs (causal attention, LM head on the last token) and
the achieved TFLOP/s. Writes OUT.json and OUT.md.

    python benchmarks/prefill_time.py --arch qwen2.5-vl-7b --tokens 512,2048,8192 \\
        --out docs/prefill_time                                  # on a GPU (H100/H200: ~17 GB of weights)
    python benchmarks/prefill_time.py --arch qwen2.5-vl-7b --full-attention ...   # every vision block full
    python benchmarks/prefill_time.py --arch qwen2.5-vl-7b --batched-windows ...  # one attention call per block
    python benchmarks/prefill_time.py --device cpu --tiny --out /tmp/prefill_smoke # a smoke run (seconds)

``--batched-windows`` applies ``mmx.adapters.fast_vision.batch_vision_attention``
before timing: the windows (and images) of each vision block go through ONE padded,
key-masked SDPA call instead of transformers' loop of one call per segment. The
analytic FLOPs are unchanged (the padding is not counted as work);
each row also records the largest difference of the encoder output against the
unpatched encoder (``batched_max_abs_diff``, in ``--dtype``) and the padding
overhead of the attention FLOPs. It combines with ``--full-attention`` (then one
call per block over all images instead of one per image).

Status: written and smoke-tested on CPU (``--tiny``) only; it has not been run on
a GPU yet, so docs/flops.md quotes no GPU timing of ours.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from mmx.assets import samples_dir
from mmx.perf.flops import (
    MAX_PIXELS,
    MIN_PIXELS,
    PRESETS,
    QWEN2_5_VL_TOKEN_IDS,
    VlmDims,
    budget_text,
    image_grid,
    text_prefill_flops,
    vision_flops,
    visual_prefill_flops,
)

#: the smoke-test architecture: every part of the real one, tiny widths
TINY = VlmDims("tiny", hidden_size=64, num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
               intermediate_size=128, vocab_size=151936, vision_depth=2, vision_hidden_size=32, vision_num_heads=2,
               vision_intermediate_size=64, fullatt_block_indexes=(1,))


def timer(device: str):
    """``time(fn, warmup, repeats) -> median ms``: CUDA events on a GPU, perf_counter on the CPU."""
    import torch

    cuda = device.startswith("cuda")

    def run(fn, warmup: int, repeats: int) -> float:
        for _ in range(warmup):
            fn()
        times = []
        for _ in range(repeats):
            if cuda:
                start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
                torch.cuda.synchronize()
                start.record()
                fn()
                end.record()
                torch.cuda.synchronize()
                times.append(start.elapsed_time(end))
            else:
                t = time.perf_counter()
                fn()
                times.append(1000 * (time.perf_counter() - t))
        return statistics.median(times)

    return run


def visual_inputs(text: str, language: str, dims: VlmDims, prompt_ids: list[int]):
    """Render ``text`` (seetok), run the Qwen2.5-VL image processor, and build the token sequence."""
    import torch
    from transformers import Qwen2VLImageProcessor

    from mmx.render.engine import Renderer
    from mmx.render.profiles import get_profile
    from mmx.render.tokens import language_tag

    profile = get_profile("seetok").replace(max_images=4096, language=language_tag(language))
    res = Renderer(profile).render(text)
    processor = Qwen2VLImageProcessor(min_pixels=MIN_PIXELS, max_pixels=MAX_PIXELS, patch_size=dims.patch_size,
                                      merge_size=dims.spatial_merge_size, temporal_patch_size=dims.temporal_patch_size)
    batch = processor(images=res.images, return_tensors="pt")
    grids = [(int(h), int(w)) for _, h, w in batch["image_grid_thw"].tolist()]
    assert grids == [image_grid(a.shape[0], a.shape[1], dims) for a in res.arrays], "processor and flops.py disagree"
    ids = list(prompt_ids)
    m2 = dims.spatial_merge_size**2
    for h, w in grids:
        ids += [QWEN2_5_VL_TOKEN_IDS["vision_start_token_id"], *[QWEN2_5_VL_TOKEN_IDS["image_token_id"]] * (h * w // m2),
                QWEN2_5_VL_TOKEN_IDS["vision_end_token_id"]]
    return batch["pixel_values"], batch["image_grid_thw"], torch.tensor([ids]), grids


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--arch", choices=sorted(PRESETS), default="qwen2.5-vl-7b")
    ap.add_argument("--tiny", action="store_true", help="a tiny model of the same architecture (smoke test)")
    ap.add_argument("--full-attention", action="store_true", help="full attention in every vision block (no windows)")
    ap.add_argument("--batched-windows", action="store_true",
                    help="one attention call per vision block (mmx.adapters.fast_vision.batch_vision_attention)")
    ap.add_argument("--tokens", default="512,2048,8192", help="subword-token budgets")
    ap.add_argument("--corpus", default=None, help="corpus folder (default: the shipped mmx/assets/samples)")
    ap.add_argument("--language", default="eng_Latn")
    ap.add_argument("--prompt-tokens", type=int, default=32)
    ap.add_argument("--dtype", default="bfloat16")
    ap.add_argument("--device", default="cuda")
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--repeats", type=int, default=10)
    ap.add_argument("--out", default="docs/prefill_time", help="writes OUT.json and OUT.md")
    args = ap.parse_args()

    import torch
    from transformers import Qwen2_5_VLForConditionalGeneration

    from mmx.render.tokens import corpus_files, load_tokenizer, read_lines

    dims = TINY if args.tiny else PRESETS[args.arch]
    if args.full_attention:
        dims = dims.replace(fullatt_block_indexes=tuple(range(dims.vision_depth)))
    dtype = getattr(torch, args.dtype)
    torch.manual_seed(0)
    default_dtype = torch.get_default_dtype()
    torch.set_default_dtype(dtype)  # initialise in bf16: no fp32 copy of 8B weights
    with torch.device(args.device):
        model = Qwen2_5_VLForConditionalGeneration(dims.to_hf_config("sdpa")).eval()
    torch.set_default_dtype(default_dtype)
    visual = getattr(model.model, "visual", None) or model.visual
    if args.batched_windows:
        from mmx.adapters.fast_vision import (
            batch_vision_attention,
            encoder_padding,
            restore_vision_attention,
        )

        print(f"batched vision attention in {batch_vision_attention(model)} blocks")
    files = dict(corpus_files(args.corpus or samples_dir()))
    lines = read_lines(files[args.language])
    tok = load_tokenizer("qwen2.5")
    time_ms = timer(args.device)
    rows = []
    for budget in [int(b) for b in args.tokens.split(",")]:
        text = budget_text(lines, budget, tok.count)
        n_sub = tok.count(text)
        prompt = torch.randint(0, 151000, (args.prompt_tokens,)).tolist()
        text_ids = torch.randint(0, 151000, (1, n_sub + args.prompt_tokens), device=args.device)
        pixels, thw, vis_ids, grids = visual_inputs(text, args.language, dims, prompt)
        pixels, thw, vis_ids = pixels.to(args.device, dtype), thw.to(args.device), vis_ids.to(args.device)
        extra = {}
        if args.batched_windows:  # exactness on this device and dtype, and the padding the batch computes
            with torch.inference_mode():
                restore_vision_attention(model)
                ref = visual(pixels, grid_thw=thw).pooler_output
                batch_vision_attention(model)
                diff = (visual(pixels, grid_thw=thw).pooler_output - ref).abs().max().item()
            pad = encoder_padding(grids, dims)
            extra = {"batched_max_abs_diff": diff, "attention_padding_overhead": pad["encoder"].overhead,
                     "attention_segments_unbatched": pad["encoder"].segments}
        with torch.inference_mode():
            text_ms = time_ms(lambda: model(input_ids=text_ids, logits_to_keep=1), args.warmup, args.repeats)  # noqa: B023
            enc_ms = time_ms(lambda: visual(pixels, grid_thw=thw), args.warmup, args.repeats)  # noqa: B023
            vis_ms = time_ms(lambda: model(input_ids=vis_ids, pixel_values=pixels, image_grid_thw=thw,  # noqa: B023
                                           logits_to_keep=1), args.warmup, args.repeats)
        tf = text_prefill_flops(dims, n_sub + args.prompt_tokens)
        vf = visual_prefill_flops(dims, [h for h, _ in grids], [w for _, w in grids], args.prompt_tokens)
        enc = vision_flops(dims, grids).total
        rows.append({
            "budget": budget, "subword_tokens": n_sub, "visual_tokens": vf.vision_detail.tokens, "images": len(grids),
            "text_ms": text_ms, "visual_ms": vis_ms, "encoder_ms": enc_ms, "time_saved": 1 - vis_ms / text_ms,
            "text_tflops": tf.total / 1e12, "visual_tflops": vf.total / 1e12, "encoder_tflops": enc / 1e12,
            "flops_saved": 1 - vf.total / tf.total,
            "text_tflop_per_s": tf.total / text_ms / 1e9, "visual_tflop_per_s": vf.total / vis_ms / 1e9,
            "encoder_tflop_per_s": enc / enc_ms / 1e9, **extra,
        })
        print(json.dumps(rows[-1]))
    device = torch.cuda.get_device_name() if args.device.startswith("cuda") else "cpu"
    name = dims.name + (" (full attention in every vision block)" if args.full_attention else "")
    name += " (batched windows: one attention call per vision block)" if args.batched_windows else ""
    report = {"arch": name, "dims": dims.to_dict(), "dtype": args.dtype, "device": device, "attn": "sdpa",
              "batched_windows": args.batched_windows,
              "language": args.language, "prompt_tokens": args.prompt_tokens, "warmup": args.warmup,
              "repeats": args.repeats, "smoke_test": args.tiny, "torch": torch.__version__, "rows": rows}
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.with_suffix(".json").write_text(json.dumps(report, indent=2) + "\n")
    lines_md = [f"# Prefill time: {name}, random weights, {args.dtype}, sdpa, batch 1, {device}", "",
                f"{args.language}, {args.prompt_tokens} prompt tokens on both arms, median of {args.repeats} after "
                f"{args.warmup} warm-up runs; TFLOP/s from the analytic count of `mmx.perf.flops`."
                + (" **Tiny smoke run: not a measurement.**" if args.tiny else ""), "",
                "| subword tokens | text prefill | visual tokens | visual prefill (of which encoder) | time saved | "
                "FLOPs saved | text arm TFLOP/s | encoder TFLOP/s |",
                "|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        lines_md.append(f"| {r['subword_tokens']:,} | {r['text_ms']:.1f} ms | {r['visual_tokens']:,} | "
                        f"{r['visual_ms']:.1f} ms ({r['encoder_ms']:.1f}) | {100 * r['time_saved']:.0f}% | "
                        f"{100 * r['flops_saved']:.0f}% | {r['text_tflop_per_s']:.0f} | {r['encoder_tflop_per_s']:.0f} |")
    if args.batched_windows:
        lines_md += ["", "Batched windows, per row: largest |difference| of the encoder output against the unpatched "
                     "encoder; attention FLOPs added by padding; attention calls the unpatched encoder makes.", ""]
        lines_md += [f"- {r['subword_tokens']:,} subword tokens: {r['batched_max_abs_diff']:.3g}; "
                     f"+{100 * r['attention_padding_overhead']:.1f}%; {r['attention_segments_unbatched']:,} calls"
                     for r in rows]
    out.with_suffix(".md").write_text("\n".join(lines_md) + "\n")
    print(f"wrote {out.with_suffix('.md')}")


if __name__ == "__main__":
    main()
