"""What the transformers model adapters share beyond loading (:mod:`mmx.hub`): placing
weights on a device, greedy batched generation, and describing what was loaded.

Nothing here imports torch or transformers at module level.
"""

from __future__ import annotations

from typing import Any

from mmx.hub import (
    HfArgs,
    ModelSource,
    cached_commit,
    from_pretrained,
    import_transformers,
    resolve_device,
    resolve_dtype,
)

__all__ = ["chunks", "describe_loaded", "first_line", "generate_answers", "load_model"]


def load_model(auto_cls: Any, source: ModelSource, args: HfArgs) -> tuple[Any, Any]:
    """Load weights in the resolved dtype onto the resolved device; returns (model, device)."""
    device = resolve_device(args.device)
    kwargs: dict[str, Any] = {"dtype": resolve_dtype(args.dtype, device)}
    if args.attn_implementation is not None:
        kwargs["attn_implementation"] = args.attn_implementation
    if device.type != "cpu":
        # placed while loading: a large checkpoint never sits in CPU memory first
        kwargs["device_map"] = str(device)
    model = from_pretrained(auto_cls, source, args, "model", **kwargs)
    return model.to(device).eval(), device


def first_line(text: str) -> str:
    """Strip, then keep the first line: models sometimes explain after the answer."""
    lines = text.strip().splitlines()
    return lines[0].strip() if lines else ""


def generate_answers(
    model: Any, inputs: Any, decoder: Any, args: HfArgs, pad_token_id: int | None
) -> list[str]:
    """Greedy-generate for a left-padded batch and decode only the new tokens."""
    import torch

    inputs = inputs.to(model.device)
    if "pixel_values" in inputs:
        inputs["pixel_values"] = inputs["pixel_values"].to(model.dtype)
    with torch.inference_mode():
        out = model.generate(
            **inputs,
            do_sample=False,
            # checkpoints ship sampling defaults; unset them so greedy decoding does not warn
            temperature=None,
            top_p=None,
            top_k=None,
            max_new_tokens=args.max_new_tokens,
            pad_token_id=pad_token_id,
        )
    new = out[:, inputs["input_ids"].shape[1] :]
    return [first_line(t) for t in decoder.batch_decode(new, skip_special_tokens=True)]


def chunks(items: list[Any], size: int) -> list[list[Any]]:
    """``items`` in consecutive lists of at most ``size``."""
    return [items[i : i + size] for i in range(0, len(items), size)]


def describe_loaded(source: ModelSource, model: Any, device: Any, args: HfArgs) -> dict[str, Any]:
    """The ``describe()`` fields both adapters share: what was loaded, how, by which transformers."""
    out: dict[str, Any] = {"model": source.path}
    # transformers 5 no longer records the commit on the config; the hub cache knows it
    commit = None if source.is_local else cached_commit(source.path, args.revision)
    if commit:
        out["commit"] = commit
    out.update(
        dtype=str(model.dtype).removeprefix("torch."),
        device=str(device),
        **args.describe(),
        transformers=str(import_transformers().__version__),
    )
    return out
