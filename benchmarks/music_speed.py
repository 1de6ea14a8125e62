"""Encoding speed and peak memory of CLaMP 3's towers at real size, random weights.

M3 (12 layers, 768 wide, patches of 64 codes) and XLM-R base (12 layers, 768 wide,
250,002-token vocabulary) in :class:`mmx.heads.clamp3.Clamp3Model`, built from configs
(no download), run at batch 1/32/128: music items of ``--patches`` patches (512, the
most M3 reads) and texts of ``--tokens`` tokens (128, CLaMP 3's cap). Reports items/s
per tower and the peak GPU memory of each batch.

    python benchmarks/music_speed.py --gpu --out docs/gpu/music       # bf16 on CUDA
    python benchmarks/music_speed.py --tiny --batches 1,4 --repeats 1  # a CPU smoke run

Writes OUT.json and OUT.md.
"""

from __future__ import annotations

import argparse
import json
import time

XLMR_BASE = {
    "model_type": "xlm-roberta", "vocab_size": 250002, "hidden_size": 768, "num_hidden_layers": 12,
    "num_attention_heads": 12, "intermediate_size": 3072, "max_position_embeddings": 514,
    "pad_token_id": 1, "type_vocab_size": 1,
}
TINY_XLMR = {**XLMR_BASE, "vocab_size": 512, "hidden_size": 32, "num_hidden_layers": 1,
             "num_attention_heads": 2, "intermediate_size": 64}
TINY_M3 = {"hidden_size": 32, "num_layers": 1, "num_heads": 2, "intermediate_size": 64, "max_patches": 64}


def main() -> None:
    import torch

    from mmx.encoders.base import masked_mean
    from mmx.heads.clamp3 import Clamp3Model

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--gpu", action="store_true", help="run on CUDA in --dtype (default bfloat16)")
    ap.add_argument("--tiny", action="store_true", help="tiny sizes (a CPU check of the script)")
    ap.add_argument("--batches", default="1,32,128")
    ap.add_argument("--patches", type=int, default=512)
    ap.add_argument("--tokens", type=int, default=128)
    ap.add_argument("--dtype", default="bfloat16", choices=["bfloat16", "float16", "float32"])
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--out", default="music_speed")
    args = ap.parse_args()

    device = torch.device("cuda" if args.gpu else "cpu")
    dtype = getattr(torch, args.dtype) if args.gpu else torch.float32
    patches = min(args.patches, TINY_M3["max_patches"]) if args.tiny else args.patches
    net = Clamp3Model(text_model=TINY_XLMR if args.tiny else XLMR_BASE, hidden_size=32 if args.tiny else 768,
                      m3=TINY_M3 if args.tiny else None).to(device=device, dtype=dtype).eval()
    vocab = net.text_model.config.vocab_size
    g = torch.Generator().manual_seed(0)

    def sync() -> None:
        if device.type == "cuda":
            torch.cuda.synchronize()

    def timed(fn) -> tuple[float, float]:  # seconds per call, peak GiB
        with torch.inference_mode():
            fn()  # warm-up: kernels, allocator
            sync()
            if device.type == "cuda":
                torch.cuda.reset_peak_memory_stats()
            t0 = time.perf_counter()
            for _ in range(args.repeats):
                fn()
            sync()
        peak = torch.cuda.max_memory_allocated() / 2**30 if device.type == "cuda" else float("nan")
        return (time.perf_counter() - t0) / args.repeats, peak

    rows = []
    for b in (int(x) for x in args.batches.split(",")):
        codes = torch.randint(32, 127, (b, patches, 64), generator=g).to(device)
        mask = torch.ones(b, patches, dtype=torch.bool, device=device)
        ids = torch.randint(5, vocab, (b, args.tokens), generator=g).to(device)
        att = torch.ones_like(ids)

        def music(codes=codes, mask=mask) -> None:
            net.music_features(codes, mask)

        def text(ids=ids, att=att) -> None:
            states = net.text_model(input_ids=ids, attention_mask=att).last_hidden_state
            net.text_proj(masked_mean(states, att.bool()))

        m_s, m_peak = timed(music)
        t_s, t_peak = timed(text)
        rows.append({"batch": b, "music_items_per_s": b / m_s, "music_peak_gib": m_peak,
                     "text_items_per_s": b / t_s, "text_peak_gib": t_peak})
        print(rows[-1], flush=True)
    name = torch.cuda.get_device_name() if device.type == "cuda" else "CPU"
    result = {"device": name, "dtype": str(dtype), "patches": patches, "tokens": args.tokens,
              "tiny": args.tiny, "repeats": args.repeats, "rows": rows}
    with open(args.out + ".json", "w", encoding="utf-8") as f:
        json.dump(result, f, indent=2)
    with open(args.out + ".md", "w", encoding="utf-8") as f:
        f.write(f"CLaMP 3 towers ({'tiny' if args.tiny else 'M3 12x768 + XLM-R base'}, random weights) on {name}, "
                f"{args.dtype if args.gpu else 'float32'}, music {patches} patches, text {args.tokens} tokens\n\n")
        f.write("| batch | music items/s | music peak GiB | text items/s | text peak GiB |\n|---:|---:|---:|---:|---:|\n")
        for r in rows:
            f.write(f"| {r['batch']} | {r['music_items_per_s']:.1f} | {r['music_peak_gib']:.2f} | "
                    f"{r['text_items_per_s']:.1f} | {r['text_peak_gib']:.2f} |\n")


if __name__ == "__main__":
    main()
