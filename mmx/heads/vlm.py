"""The ``vlm`` head: visual tokens -> projector -> a causal language model.

LLaVA / SeeTok style: the visual tokens of an encoder are projected into the LM's
embedding space and placed before the text; the LM is trained with the usual
next-token loss on the text only. The LM is any ``AutoModelForCausalLM`` (a hub id,
a local folder, or a config dict for random weights); LoRA adapters come from peft.
"""

from __future__ import annotations

from typing import Any

import torch
from torch import nn

from mmx.errors import InputError
from mmx.heads.base import Head

#: A small Qwen2-architecture LM for tests and the tiny reader (random weights).
TINY_LM: dict[str, Any] = {
    "model_type": "qwen2",
    "vocab_size": 32,
    "hidden_size": 64,
    "intermediate_size": 128,
    "num_hidden_layers": 2,
    "num_attention_heads": 4,
    "num_key_value_heads": 2,
    "max_position_embeddings": 512,
    "tie_word_embeddings": True,
}

PROJECTORS = ("linear", "mlp2x_gelu", "identity")


def build_causal_lm(lm: str | dict[str, Any], trust_remote_code: bool = False, revision: str | None = None) -> tuple[nn.Module, str]:
    """A causal LM from a hub id (``hf:ORG/NAME`` or ``ORG/NAME``), a local folder, or a
    config dict (random weights). Returns the model and a sentence about its weights."""
    from mmx.hub import HfArgs, from_pretrained, import_transformers, locate_model

    transformers = import_transformers()
    if isinstance(lm, dict):
        cfg = dict(lm)
        model_type = cfg.pop("model_type", None)
        if not model_type:
            raise InputError("vlm head: an lm config dict needs model_type (e.g. qwen2, llama)")
        try:
            config = transformers.AutoConfig.for_model(model_type, **cfg)
        except ValueError as exc:
            raise InputError(f"vlm head: lm model_type {model_type!r}: {exc}") from None
        return transformers.AutoModelForCausalLM.from_config(config), f"random init ({model_type} config)"
    if not isinstance(lm, str) or not lm:
        raise InputError(f"vlm head: lm must be a hub id, a local folder or a config dict, not {lm!r}")
    import os

    spec = lm if lm.startswith("hf:") or os.path.exists(os.path.expanduser(lm)) or lm.count("/") != 1 else f"hf:{lm}"
    try:
        source = locate_model(spec, revision)
    except InputError as exc:  # its advice names eval's --model; here the option is lm
        raise InputError(str(exc).replace("--model ", "vlm head lm=")) from None
    args = HfArgs(trust_remote_code=trust_remote_code, revision=revision)
    model = from_pretrained(transformers.AutoModelForCausalLM, source, args, "language model")
    return model, f"pretrained: {source.spec}"


class VlmHead(Head):
    """Projector + causal LM over ``[visual tokens][text tokens]``.

    Args:
        lm: a hub id / local folder of a causal LM, or a config dict (random weights);
            ``"tiny"`` is :data:`TINY_LM`.
        visual_dim: width of the incoming visual tokens.
        projector: ``linear``, ``mlp2x_gelu`` (LLaVA-1.5) or ``identity`` (when the
            encoder's merger already outputs the LM width, as in SeeTok / Qwen2.5-VL).
        lora: peft ``LoraConfig`` keyword arguments (``r``, ``lora_alpha``,
            ``target_modules``...); the LM's base weights are then frozen.
        freeze_lm: freeze the LM entirely (train only the projector).
        lm_overrides: keys merged into a config-dict ``lm`` (e.g. ``vocab_size``).

    Sequences are packed per sample as valid visual tokens followed by valid text
    tokens, then left-padded, so the text always follows its own image directly
    whatever the padding of the batch.
    """

    kind = "vlm"

    def __init__(
        self,
        lm: str | dict[str, Any] = "tiny",
        visual_dim: int = 64,
        projector: str = "mlp2x_gelu",
        lora: dict[str, Any] | None = None,
        freeze_lm: bool = False,
        lm_overrides: dict[str, Any] | None = None,
        trust_remote_code: bool = False,
        revision: str | None = None,
    ) -> None:
        super().__init__()
        if lm == "tiny":
            lm = dict(TINY_LM)
        if lm_overrides:
            if not isinstance(lm, dict):
                raise InputError("vlm head: lm_overrides apply to a config-dict lm only")
            lm = {**lm, **lm_overrides}
        self.lm, self.weights = build_causal_lm(lm, trust_remote_code, revision)
        hidden = int(self.lm.get_input_embeddings().weight.shape[1])
        self.hidden_size = hidden
        if projector not in PROJECTORS:
            raise InputError(f"vlm head: unknown projector {projector!r}; choose one of {', '.join(PROJECTORS)}")
        if projector == "identity":
            if visual_dim != hidden:
                raise InputError(f"vlm head: projector identity needs visual_dim == LM width ({visual_dim} != {hidden})")
            self.projector: nn.Module = nn.Identity()
        elif projector == "linear":
            self.projector = nn.Linear(visual_dim, hidden)
        else:
            self.projector = nn.Sequential(nn.Linear(visual_dim, hidden), nn.GELU(), nn.Linear(hidden, hidden))
        self.visual_dim = visual_dim
        if freeze_lm:
            self.lm.requires_grad_(False)
        if lora:
            self.lm = apply_lora(self.lm, lora)

    @classmethod
    def tiny_config(cls) -> dict[str, Any]:
        return {"lm": "tiny", "visual_dim": 16}

    def example_inputs(self, batch: int = 2) -> dict[str, Any]:
        g = torch.Generator().manual_seed(0)
        vocab = self.lm.get_input_embeddings().weight.shape[0]
        mask = torch.ones(batch, 3, dtype=torch.bool)
        mask[0, -1] = False
        ids = torch.randint(0, vocab, (batch, 4), generator=g)
        return {
            "visual_tokens": torch.randn(batch, 3, self.visual_dim, generator=g),
            "visual_mask": mask,
            "input_ids": ids,
            "attention_mask": torch.ones_like(ids),
            "labels": ids.clone(),
        }

    # -- packing ---------------------------------------------------------
    def _pack(
        self,
        visual_tokens: torch.Tensor,
        visual_mask: torch.Tensor,
        input_ids: torch.Tensor | None,
        attention_mask: torch.Tensor | None,
        labels: torch.Tensor | None,
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor | None]:
        embed = self.lm.get_input_embeddings()
        vis = self.projector(visual_tokens).to(embed.weight.dtype)
        b = vis.shape[0]
        if input_ids is None:
            input_ids = torch.zeros(b, 0, dtype=torch.long, device=vis.device)
        if attention_mask is None:
            attention_mask = torch.ones_like(input_ids)
        txt = embed(input_ids)
        seq = torch.cat([vis, txt], 1)
        valid = torch.cat([visual_mask.bool(), attention_mask.bool()], 1)
        n = seq.shape[1]
        # stable left-packing in one gather: padding first, then valid positions in order
        key = valid.long() * n + torch.arange(n, device=seq.device)
        order = key.argsort(1)
        length = int(valid.sum(1).max()) if valid.numel() else 0
        if length == 0:
            raise InputError("vlm head: every sequence in the batch is empty (no visual and no text tokens)")
        order = order[:, n - length :]
        emb = seq.gather(1, order.unsqueeze(-1).expand(-1, -1, seq.shape[-1]))
        mask = valid.gather(1, order).long()
        emb = emb * mask.unsqueeze(-1).to(emb.dtype)
        lab = None
        if labels is not None:
            full = torch.cat([labels.new_full(visual_mask.shape, -100), labels], 1)
            lab = full.gather(1, order).masked_fill(mask == 0, -100)
        pos = (mask.cumsum(1) - 1).clamp_min(0)
        return emb, mask, pos, lab

    def forward(
        self,
        visual_tokens: torch.Tensor,
        visual_mask: torch.Tensor,
        input_ids: torch.Tensor | None = None,
        attention_mask: torch.Tensor | None = None,
        labels: torch.Tensor | None = None,
    ) -> dict[str, torch.Tensor]:
        """Next-token loss on ``labels`` (-100 = ignored; visual positions never count)."""
        emb, mask, pos, lab = self._pack(visual_tokens, visual_mask, input_ids, attention_mask, labels)
        out = self.lm(inputs_embeds=emb, attention_mask=mask, position_ids=pos, labels=lab, use_cache=False)
        result = {"logits": out.logits}
        if lab is not None:
            # HF's mean over no target (every shifted label ignored) is NaN: define it as 0,
            # but let a genuinely non-finite loss through so divergence is not hidden
            has_target = bool((lab[:, 1:] != -100).any())
            result["loss"] = out.loss if has_target else out.logits.sum() * 0.0
        return result

    def _cache_keyword(self) -> str:
        """transformers >= 5.2x names the KV cache argument ``cache``; earlier LMs (and
        remote-code ones) still call it ``past_key_values``."""
        import inspect

        lm = self.lm.get_base_model() if hasattr(self.lm, "get_base_model") else self.lm
        return "cache" if "cache" in inspect.signature(lm.forward).parameters else "past_key_values"

    @torch.no_grad()
    def generate(
        self,
        visual_tokens: torch.Tensor,
        visual_mask: torch.Tensor,
        input_ids: torch.Tensor | None = None,
        attention_mask: torch.Tensor | None = None,
        max_new_tokens: int = 16,
        eos_token_id: int | None = None,
    ) -> torch.Tensor:
        """Greedy decoding with a KV cache; returns (B, <= max_new_tokens) new token ids,
        positions after a sample's EOS filled with EOS (or 0)."""
        from transformers import DynamicCache

        emb, mask, pos, _ = self._pack(visual_tokens, visual_mask, input_ids, attention_mask, None)
        cache = DynamicCache()
        kw = self._cache_keyword()
        out = self.lm(inputs_embeds=emb, attention_mask=mask, position_ids=pos, use_cache=True, **{kw: cache})
        b = emb.shape[0]
        done = torch.zeros(b, dtype=torch.bool, device=emb.device)
        fill = 0 if eos_token_id is None else eos_token_id
        steps = []
        next_pos = pos[:, -1:] + 1
        for _ in range(max_new_tokens):
            tok = out.logits[:, -1].argmax(-1)
            tok = torch.where(done, torch.full_like(tok, fill), tok)
            steps.append(tok)
            if eos_token_id is not None:
                done |= tok == eos_token_id
                if bool(done.all()):
                    break
            mask = torch.cat([mask, mask.new_ones(b, 1)], 1)
            # the cache object is updated in place by each call
            out = self.lm(input_ids=tok[:, None], attention_mask=mask, position_ids=next_pos, use_cache=True, **{kw: cache})
            next_pos = next_pos + 1
        return torch.stack(steps, 1) if steps else emb.new_zeros(b, 0, dtype=torch.long)


def apply_lora(model: nn.Module, lora: dict[str, Any]) -> nn.Module:
    """Wrap ``model`` with peft LoRA adapters (base weights frozen)."""
    from mmx.deps import require

    peft = require("peft", "LoRA")
    LoraConfig, get_peft_model = peft.LoraConfig, peft.get_peft_model
    kwargs = {"r": 8, "lora_alpha": 16, "lora_dropout": 0.0, "target_modules": "all-linear", **lora}
    try:
        config = LoraConfig(**kwargs)
    except TypeError as exc:
        raise InputError(f"lora: {exc}") from None
    try:
        return get_peft_model(model, config)
    except ValueError as exc:
        raise InputError(f"lora: {str(exc).splitlines()[0]}") from None
