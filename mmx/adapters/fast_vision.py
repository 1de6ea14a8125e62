"""One attention call per vision block for transformers' Qwen2.5-VL (and Qwen2-VL) encoder.

With ``sdpa`` or ``eager`` attention, transformers' ``Qwen2_5_VLVisionAttention``
splits the patch sequence at ``cu_seqlens`` and runs attention segment by segment:
one call per 112 px window (up to 64 patches) in the 28 windowed blocks, one per
image in the full-attention blocks 7/15/23/31. A render that spills into 36 images
makes 144 calls per windowed block, about 4,000 small calls per forward.

:func:`batch_vision_attention` replaces that loop, module by module, with one
``torch.nn.functional.scaled_dot_product_attention`` over a padded batch:

- q/k/v and the rotary embedding are computed exactly as transformers does (its
  own ``apply_rotary_pos_emb_vision``);
- the segments of ``cu_seqlens`` are gathered into ``(segments, heads, Lmax,
  head_dim)`` with one index tensor built from ``cu_seqlens`` (vectorised, cached
  per ``cu_seqlens`` tensor, so the 28 windowed blocks of a forward share it);
- a key-padding mask hides the padded keys; padded query rows compute garbage that
  is dropped when the result is put back in sequence order; ``self.proj`` follows.
  When all segments have the same length (a 224 x 224 image: four full 64-patch
  windows) no mask is needed and none is passed, so SDPA may pick its fastest kernel.

Each real query attends to exactly the keys of its own segment, as before, so the
result equals the original up to float rounding (``tests/adapters/test_fast_vision.py``).
Segments of very different lengths pad to the longest; :func:`attention_padding`
and :func:`encoder_padding` give the attention FLOPs spent on padding.

Models running ``flash_attention_2`` (or any other implementation than sdpa/eager)
are left alone: flash attention is already one varlen call per block.

Qwen2-VL's ``VisionAttention`` has the same forward (q/k/v, rotary, split at
``cu_seqlens``; only whole images, no windows) and is patched the same way.
"""

from __future__ import annotations

import dataclasses
import itertools
import sys
import types
import weakref
from collections.abc import Iterable, Sequence
from typing import Any

from mmx.errors import InputError

__all__ = ["AttentionPadding", "attention_padding", "batch_vision_attention", "encoder_padding",
           "restore_vision_attention"]

#: attention implementations whose per-segment loop is replaced (None: transformers' default, sdpa)
_BATCHABLE = (None, "sdpa", "eager")
_ORIGINAL = "_mmx_unbatched_forward"  # instance attribute: the forward that was there before patching
_MISSING = object()


def _attention_classes() -> tuple[type, ...]:
    """The vision attention classes whose forward :func:`_batched_forward` reproduces."""
    classes = []
    try:
        from transformers.models.qwen2_5_vl.modeling_qwen2_5_vl import Qwen2_5_VLVisionAttention

        classes.append(Qwen2_5_VLVisionAttention)
    except ImportError:  # pragma: no cover - transformers without Qwen2.5-VL
        pass
    try:
        from transformers.models.qwen2_vl.modeling_qwen2_vl import VisionAttention

        classes.append(VisionAttention)
    except ImportError:  # pragma: no cover
        pass
    return tuple(classes)


# -- the segment plan ------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class _Plan:
    """How to gather a packed sequence into a padded batch of segments and back."""

    segments: int
    max_len: int
    gather: Any  # (segments, max_len) long: sequence position of each padded slot (padding -> 0)
    key_mask: Any  # (segments, 1, 1, max_len) bool, True = real key; None when all segments are full
    keep: Any  # (seq,) long: flat padded slot of each sequence position; None when no padding


_PLANS: dict[tuple[int, int, str], tuple[Any, int | None, _Plan]] = {}
_MAX_PLANS = 64


def _build_plan(cu_seqlens: Any, seq_len: int, device: Any) -> _Plan:
    import torch

    cu = torch.as_tensor(cu_seqlens).to(device=device, dtype=torch.long)
    if cu.dim() != 1 or cu.numel() < 2:
        raise InputError(f"cu_seqlens must be 1-D with at least 2 entries, got shape {tuple(cu.shape)}")
    lengths = cu[1:] - cu[:-1]
    first, last, longest, shortest = torch.stack([cu[0], cu[-1], lengths.max(), lengths.min()]).tolist()
    if first != 0 or last != seq_len or shortest < 0:
        raise InputError(f"cu_seqlens must rise from 0 to the sequence length {seq_len}; "
                         f"got {first} .. {last} (shortest segment {shortest})")
    starts = cu[:-1]
    if shortest == 0:  # empty segments attend to nothing: drop them (no all-masked rows)
        nonempty = lengths > 0
        starts, lengths = starts[nonempty], lengths[nonempty]
    segments = int(lengths.numel())
    offsets = torch.arange(longest, device=device)
    valid = offsets[None, :] < lengths[:, None]
    gather = torch.where(valid, starts[:, None] + offsets[None, :], torch.zeros((), dtype=torch.long, device=device))
    if segments * longest == seq_len:  # every segment full length: no padding at all
        return _Plan(segments, longest, gather, None, None)
    keep = valid.reshape(-1).nonzero().squeeze(1)  # segment-major = sequence order (segments are contiguous)
    return _Plan(segments, longest, gather, valid[:, None, None, :], keep)


def _plan(cu_seqlens: Any, seq_len: int, device: Any) -> _Plan:
    """The plan for ``cu_seqlens``, cached per tensor object while it lives.

    transformers builds ``cu_seqlens`` afresh in every encoder forward and passes the
    same tensor to all windowed (or all full-attention) blocks, so a forward builds two
    plans. An in-place change of a cached tensor is noticed through its version counter,
    except for inference-mode tensors, which have none.
    """
    import torch

    if not isinstance(cu_seqlens, torch.Tensor) or torch.compiler.is_compiling():
        return _build_plan(cu_seqlens, seq_len, device)
    key = (id(cu_seqlens), seq_len, str(device))
    version = None if cu_seqlens.is_inference() else cu_seqlens._version  # inference tensors have no counter
    hit = _PLANS.get(key)
    if hit is not None and hit[0]() is cu_seqlens and hit[1] == version:
        return hit[2]
    plan = _build_plan(cu_seqlens, seq_len, device)
    if len(_PLANS) >= _MAX_PLANS:
        _PLANS.clear()

    def forget(ref: Any, key: tuple[int, int, str] = key) -> None:
        entry = _PLANS.get(key)
        if entry is not None and entry[0] is ref:
            del _PLANS[key]

    _PLANS[key] = (weakref.ref(cu_seqlens, forget), version, plan)
    return plan


# -- the batched forward ---------------------------------------------------------------------------


def _batched_forward(
    self: Any,
    hidden_states: Any,
    cu_seqlens: Any,
    position_embeddings: tuple[Any, Any] | None = None,
    max_seqlen: int | None = None,
    **kwargs: Any,
) -> Any:
    """``Qwen2_5_VLVisionAttention.forward`` with all segments of ``cu_seqlens`` in one SDPA call."""
    import torch

    if self.config._attn_implementation not in _BATCHABLE:  # switched to flash etc. after patching
        return getattr(self, _ORIGINAL)(hidden_states, cu_seqlens, position_embeddings=position_embeddings,
                                        max_seqlen=max_seqlen, **kwargs)
    seq_len = hidden_states.shape[0]
    q, k, v = self.qkv(hidden_states).reshape(seq_len, 3, self.num_heads, -1).permute(1, 0, 2, 3).unbind(0)
    cos, sin = position_embeddings
    q, k = self._mmx_rotary(q, k, cos, sin)  # (seq, heads, head_dim) each

    plan = _plan(cu_seqlens, seq_len, hidden_states.device)
    # (seq, heads, d) -> (segments, max_len, heads, d) -> (segments, heads, max_len, d)
    q, k, v = (x[plan.gather].transpose(1, 2) for x in (q, k, v))
    out = torch.nn.functional.scaled_dot_product_attention(
        q, k, v, attn_mask=plan.key_mask, dropout_p=self.attention_dropout if self.training else 0.0,
        is_causal=False, scale=self.scaling,
    )
    out = out.transpose(1, 2).reshape(plan.segments * plan.max_len, -1)  # (padded slots, heads * d)
    if plan.keep is not None:
        out = out.index_select(0, plan.keep)
    return self.proj(out)


def _attention_modules(model: Any) -> list[Any]:
    classes = _attention_classes()
    modules = getattr(model, "modules", None)
    if not classes or modules is None:
        return []
    return [m for m in modules() if type(m) in classes]


def batch_vision_attention(model: Any) -> int:
    """Make every Qwen2.5-VL / Qwen2-VL vision attention module of ``model`` run one attention call per block.

    ``model`` is a ``Qwen2_5_VLForConditionalGeneration`` (or Qwen2-VL), its ``.model``,
    or the vision tower itself. Modules whose config asks for flash attention (or any
    implementation other than sdpa/eager) are left alone. Idempotent: a patched module
    is not patched again. Returns how many modules now run batched (already patched
    ones included). Raises :class:`InputError` when ``model`` has no such module.
    """
    found = _attention_modules(model)
    if not found:
        raise InputError(f"{type(model).__name__} has no Qwen2.5-VL / Qwen2-VL vision attention module "
                         "(Qwen2_5_VLVisionAttention, VisionAttention) to batch")
    patched = 0
    for m in found:
        if _ORIGINAL in m.__dict__:
            patched += 1
            continue
        if m.config._attn_implementation not in _BATCHABLE:
            continue
        m._mmx_rotary = sys.modules[type(m).__module__].apply_rotary_pos_emb_vision
        original = m.__dict__.get("forward", _MISSING)  # an instance-level forward someone else set, if any
        object.__setattr__(m, _ORIGINAL, m.forward)
        object.__setattr__(m, "_mmx_instance_forward", original)
        m.forward = types.MethodType(_batched_forward, m)
        patched += 1
    return patched


def restore_vision_attention(model: Any) -> int:
    """Undo :func:`batch_vision_attention`; returns the number of modules restored."""
    found = _attention_modules(model)
    if not found:
        raise InputError(f"{type(model).__name__} has no Qwen2.5-VL / Qwen2-VL vision attention module to restore")
    restored = 0
    for m in found:
        if _ORIGINAL not in m.__dict__:
            continue
        original = m.__dict__.pop("_mmx_instance_forward")
        if original is _MISSING:
            del m.forward  # the class's forward again
        else:
            m.forward = original
        del m.__dict__[_ORIGINAL]
        m.__dict__.pop("_mmx_rotary", None)
        restored += 1
    return restored


# -- padding overhead ------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class AttentionPadding:
    """Attention FLOPs (QK^T and AV, 2 per multiply-add) of one call: per segment vs padded to the longest."""

    real: float  # 4 * hidden * sum(L_i^2): what the per-segment loop (or a varlen kernel) computes
    padded: float  # 4 * hidden * segments * Lmax^2: what the padded batch computes
    segments: int
    max_len: int

    @property
    def overhead(self) -> float:
        """Extra attention FLOPs of the padded batch, as a fraction of the real ones (0.0 = no padding)."""
        return self.padded / self.real - 1 if self.real else 0.0


def attention_padding(cu_seqlens: Sequence[int] | Any, hidden_size: int = 1280) -> AttentionPadding:
    """Real vs padded attention FLOPs of one block over the segments of ``cu_seqlens``.

    ``hidden_size`` = heads x head_dim (1280 for the Qwen2.5-VL vision tower).
    """
    bounds = [int(x) for x in (cu_seqlens.tolist() if hasattr(cu_seqlens, "tolist") else cu_seqlens)]
    lengths = [b - a for a, b in itertools.pairwise(bounds) if b > a]
    if len(bounds) < 2 or any(b < a for a, b in itertools.pairwise(bounds)):
        raise InputError(f"cu_seqlens must be non-decreasing with at least 2 entries, got {bounds[:8]}")
    longest = max(lengths, default=0)
    return AttentionPadding(real=4.0 * hidden_size * sum(n * n for n in lengths),
                            padded=4.0 * hidden_size * len(lengths) * longest * longest,
                            segments=len(lengths), max_len=longest)


def encoder_padding(grids: Iterable[tuple[int, int]], cfg: Any = "qwen2.5-vl-7b") -> dict[str, AttentionPadding]:
    """Padding of the whole vision encoder over images of ``grids`` (height, width in patches).

    Uses transformers' own window tiling (``get_vision_window_index``). Returns
    ``{"window": one windowed block, "full": one full-attention block, "encoder": all
    blocks}``; ``encoder.overhead`` is the extra attention FLOPs of the batched forward.
    """
    import torch
    from transformers.vision_utils import get_vision_cu_seqlens, get_vision_window_index

    from mmx.perf.flops import load_dims

    d = load_dims(cfg)
    thw = torch.tensor([[1, int(h), int(w)] for h, w in grids], dtype=torch.long)
    if thw.numel() == 0:
        raise InputError("encoder_padding needs at least one image grid")
    _, cu_window = get_vision_window_index(thw, spatial_merge_size=d.spatial_merge_size,
                                           window_size=d.window_size, patch_size=d.patch_size)
    window = attention_padding(cu_window, d.vision_hidden_size)
    full = attention_padding(get_vision_cu_seqlens(thw), d.vision_hidden_size)
    n_full = len([i for i in set(d.fullatt_block_indexes) if 0 <= i < d.vision_depth])
    n_window = d.vision_depth - n_full
    encoder = AttentionPadding(n_window * window.real + n_full * full.real,
                               n_window * window.padded + n_full * full.padded,
                               n_window * window.segments + n_full * full.segments,
                               max(window.max_len if n_window else 0, full.max_len if n_full else 0))
    return {"window": window, "full": full, "encoder": encoder}
