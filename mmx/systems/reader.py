"""A visual-text reader: rendered text -> visual-text encoder -> ``vlm`` head -> text.

The encoder and head are chosen by registry name in the config; the reader trains
them end to end to write out what the image says (transcription), with greedy
decoding for validation, test and predict. See ``configs/tiny_reader.yaml``.
"""

from __future__ import annotations

from typing import Any

import torch
from lightning.pytorch.utilities import rank_zero_info
from torch import nn

from mmx.errors import InputError
from mmx.systems.base import MmxSystem, component_spec

PAD, BOS, EOS = 0, 1, 2


class CharVocab:
    """Characters of ``alphabet`` as ids after PAD, BOS, EOS."""

    def __init__(self, alphabet: str) -> None:
        if not alphabet or len(set(alphabet)) != len(alphabet):
            raise InputError(f"model.alphabet must be non-empty without repeats (got {alphabet!r})")
        self.alphabet = alphabet
        self.index = {c: i + 3 for i, c in enumerate(alphabet)}

    def __len__(self) -> int:
        return len(self.alphabet) + 3

    def encode(self, text: str) -> list[int]:
        bad = sorted({c for c in text if c not in self.index})
        if bad:
            raise InputError(f"target {text!r} has characters outside model.alphabet: {''.join(bad)!r}")
        return [BOS, *(self.index[c] for c in text), EOS]

    def decode(self, ids: list[int]) -> str:
        out = []
        for i in ids:
            if i == EOS:
                break
            if i >= 3:
                out.append(self.alphabet[i - 3])
        return "".join(out)


class ReaderSystem(MmxSystem):
    """Train a visual-text encoder and a ``vlm`` head to transcribe rendered text.

    Args:
        encoder: ``{name: <encoder>, ...kwargs}`` (``mmx list encoders``), e.g.
            ``visual_text`` with a render profile and a ViT.
        head: ``{name: vlm, ...kwargs}``; ``visual_dim`` defaults to the encoder's
            width, and a config-dict LM gets ``vocab_size`` = the character vocabulary.
        alphabet: the characters the reader can write.
        max_new_tokens: decoding budget per sample.
        lr, weight_decay, warmup_steps: AdamW with warm-up and cosine decay.
    """

    def __init__(
        self,
        encoder: dict[str, Any] | str | None = None,
        head: dict[str, Any] | str | None = None,
        alphabet: str = "0123456789",
        max_new_tokens: int = 12,
        lr: float = 1e-3,
        weight_decay: float = 0.01,
        warmup_steps: int = 100,
    ) -> None:
        super().__init__(lr=lr, weight_decay=weight_decay, warmup_steps=warmup_steps)
        self.save_hyperparameters()
        from mmx.encoders import create_encoder
        from mmx.heads import create_head

        self.vocab = CharVocab(alphabet)
        enc_name, enc_cfg = component_spec("encoder", encoder or {"name": "visual_text", "profile": "reader"})
        self.encoder = create_encoder(enc_name, **enc_cfg)
        if getattr(self.encoder, "modality", "") not in ("rendered_text", "text"):
            raise InputError(f"model.encoder {enc_name!r} reads {self.encoder.modality}, but the reader feeds it strings")
        head_name, head_cfg = component_spec("head", head or {"name": "vlm"})
        if head_name != "vlm":
            raise InputError(f"model.head {head_name!r}: the reader writes text, so it needs the 'vlm' head")
        head_cfg.setdefault("visual_dim", self.encoder.output_dim)
        lm = head_cfg.get("lm", "tiny")
        if lm == "tiny" or isinstance(lm, dict):
            head_cfg["lm_overrides"] = {**head_cfg.get("lm_overrides", {}), "vocab_size": len(self.vocab)}
        self.head = create_head(head_name, **head_cfg)
        self.max_new_tokens = max_new_tokens
        self._test_metrics: nn.ModuleDict | None = None
        self._test_rows: list[dict[str, Any]] = []

    # -- batches ---------------------------------------------------------
    def _targets(self, targets: list[str]) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        seqs = [self.vocab.encode(t) for t in targets]
        length = max(len(s) for s in seqs)
        ids = torch.full((len(seqs), length), PAD, dtype=torch.long, device=self.device)
        for i, s in enumerate(seqs):
            ids[i, : len(s)] = torch.tensor(s, device=self.device)
        mask = (ids != PAD).long()
        labels = ids.masked_fill(ids == PAD, -100)
        labels[:, 0] = -100  # BOS is given, never predicted
        return ids, mask, labels

    def loss(self, batch: dict[str, list[str]]) -> torch.Tensor:
        enc = self.encoder(batch["text"])
        ids, mask, labels = self._targets(batch["target"])
        return self.head(enc.tokens, enc.mask, ids, mask, labels)["loss"]

    @torch.no_grad()
    def read(self, texts: list[str]) -> list[str]:
        """Greedy transcriptions of the rendered ``texts``."""
        enc = self.encoder(texts)
        bos = torch.full((len(texts), 1), BOS, dtype=torch.long, device=self.device)
        out = self.head.generate(enc.tokens, enc.mask, bos, torch.ones_like(bos), self.max_new_tokens, EOS)
        return [self.vocab.decode(row) for row in out.tolist()]

    # -- Lightning hooks -------------------------------------------------
    def on_fit_start(self) -> None:
        rank_zero_info(f"encoder: {self.encoder.describe()}")
        rank_zero_info(f"head: vlm, LM weights: {self.head.weights}")

    def training_step(self, batch: dict[str, list[str]], batch_idx: int) -> torch.Tensor:
        loss = self.loss(batch)
        self.log("train/loss", loss, prog_bar=True, batch_size=len(batch["text"]))
        return loss

    def _score(self, batch: dict[str, list[str]]) -> tuple[list[str], torch.Tensor, torch.Tensor]:
        from mmx.text import distance

        preds = self.read(batch["text"])
        exact = torch.tensor([float(p == t) for p, t in zip(preds, batch["target"])], device=self.device)
        # per sample: edits / len(target) (targets are never empty: numbers of >= 1 digit)
        cer = torch.tensor([distance.cer(t, p) for p, t in zip(preds, batch["target"])], device=self.device)
        return preds, exact, cer

    def validation_step(self, batch: dict[str, list[str]], batch_idx: int) -> None:
        n = len(batch["text"])
        self.log("val/loss", self.loss(batch), prog_bar=True, batch_size=n, sync_dist=True)
        _, exact, cer = self._score(batch)
        self.log("val/exact", exact.mean(), prog_bar=True, batch_size=n, sync_dist=True)
        self.log("val/cer", cer.mean(), batch_size=n, sync_dist=True)

    def on_test_epoch_start(self) -> None:
        from torchmetrics import MeanMetric

        dm = self.trainer.datamodule
        scripts = list(getattr(dm, "test_scripts", []) or [])
        self._test_metrics = nn.ModuleDict(
            {f"{kind}_{s}": MeanMetric() for s in scripts for kind in ("exact", "cer")}
        ).to(self.device)
        self._test_rows = []

    def test_step(self, batch: dict[str, list[str]], batch_idx: int) -> None:
        preds, exact, cer = self._score(batch)
        assert self._test_metrics is not None
        for i, s in enumerate(batch["script"]):
            self._test_metrics[f"exact_{s}"].update(exact[i])
            self._test_metrics[f"cer_{s}"].update(cer[i])
            self._test_rows.append({"script": s, "text": batch["text"][i], "target": batch["target"][i],
                                    "prediction": preds[i]})
        for s in sorted(set(batch["script"])):
            self.log(f"test/exact/{s}", self._test_metrics[f"exact_{s}"], batch_size=len(preds), metric_attribute="_test_metrics")
            self.log(f"test/cer/{s}", self._test_metrics[f"cer_{s}"], batch_size=len(preds), metric_attribute="_test_metrics")

    def on_test_epoch_end(self) -> None:
        self.write_rows("test_predictions", self._test_rows)

    def predict_step(self, batch: dict[str, list[str]], batch_idx: int) -> list[dict[str, str]]:
        preds = self.read(batch["text"])
        return [{"script": s, "text": t, "target": g, "prediction": p}
                for s, t, g, p in zip(batch["script"], batch["text"], batch["target"], preds)]
