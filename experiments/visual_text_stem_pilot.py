"""Stem pilot: does a convolutional patch embedding help a ViT learn to read from scratch?

Two students of the shipped shape (``configs/visual_text_distill.yaml``: ViT 256 x 6 on
the ``visual_text`` profile) differ only in the patch embedding: timm's linear one, or
:class:`mmx.encoders.visual_text.ConvStem`. Each trains for ``--steps`` steps (batch 64,
AdamW 1e-3, the recipe's cosine + 0.5 InfoNCE loss, no augmentation) on the recipe's
training strings shorter than 60 characters and is scored on held-out ones of the same
pool (512; the recipe's hash split): top-1 retrieval of each string's teacher vector
among theirs, and the mean cosine to the teacher. The teacher vectors come from the
recipe's cache (computed if absent). Both arms run one after the other in this process,
one thread each, same seed, same batches.

    OMP_NUM_THREADS=1 python experiments/visual_text_stem_pilot.py --steps 800
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np


def run(stem: str, steps: int, every: int, seed: int, cache: str) -> list[dict[str, float]]:
    """Train one arm; returns the held-out numbers every ``every`` steps."""
    import torch
    import torch.nn.functional as F

    from mmx.encoders.visual_text import VisualTextEncoder
    from mmx.systems.visual_text import DEFAULT_STUDENT
    from mmx.systems.visual_text_data import build_pool, is_heldout, teacher_vectors

    pool = build_pool(1500, 220, 0)
    vectors = torch.tensor(teacher_vectors([t for _, t in pool], cache)).float()
    train = [i for i, (_, t) in enumerate(pool) if len(t) < 60 and not is_heldout(t)]
    held = [i for i, (_, t) in enumerate(pool) if len(t) < 60 and is_heldout(t)][:512]
    torch.manual_seed(seed)
    spec = {**DEFAULT_STUDENT, "stem": stem}
    enc = VisualTextEncoder(**spec, weights="random", normalize=True)
    opt = torch.optim.AdamW(enc.parameters(), lr=1e-3, weight_decay=0.05)
    rng = np.random.default_rng(seed)
    targets = F.normalize(vectors[held], dim=-1)
    rows, t0 = [], time.perf_counter()
    for step in range(steps + 1):
        if step % every == 0:
            enc.eval()
            with torch.no_grad():
                s = torch.cat([enc([pool[i][1] for i in held[k : k + 128]]).pooled for k in range(0, len(held), 128)])
            enc.train()
            r1 = float(((s @ targets.T).argmax(1) == torch.arange(len(held))).float().mean())
            rows.append({"step": step, "heldout_r1": r1, "heldout_cos": float((s * targets).sum(-1).mean()),
                         "seconds": time.perf_counter() - t0})
            print(json.dumps({"stem": stem, **rows[-1]}), flush=True)
        if step == steps:
            break
        batch = rng.choice(train, 64, replace=False)
        s = enc([pool[i][1] for i in batch]).pooled
        t = F.normalize(vectors[batch], dim=-1)
        loss = (1 - (s * t).sum(-1)).mean() + 0.5 * F.cross_entropy(s @ t.T / 0.05, torch.arange(len(batch)))
        opt.zero_grad()
        loss.backward()
        opt.step()
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--steps", type=int, default=800)
    ap.add_argument("--every", type=int, default=200)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--cache", default="runs/.teacher_cache", help="the recipe's teacher-vector cache")
    ap.add_argument("--out", default=None, help="write both arms' rows as JSON here")
    a = ap.parse_args()
    result = {stem: run(stem, a.steps, a.every, a.seed, a.cache) for stem in ("linear", "conv")}
    print("| step | linear: held-out R@1 | conv: held-out R@1 | linear: cosine | conv: cosine |")
    print("| ---: | ---: | ---: | ---: | ---: |")
    for lin, conv in zip(result["linear"], result["conv"]):
        print(f"| {lin['step']} | {100 * lin['heldout_r1']:.1f} | {100 * conv['heldout_r1']:.1f} | "
              f"{lin['heldout_cos']:.3f} | {conv['heldout_cos']:.3f} |")
    if a.out:
        with open(a.out, "w", encoding="utf-8") as f:
            json.dump(result, f, indent=2)


if __name__ == "__main__":
    main()
