"""Image encoders: any timm model (``timm``) and open_clip image towers (``open_clip``).

Both take a float image batch (B, 3, H, W) that is already normalized with the
encoder's ``data_config`` mean / std and return an
:class:`~mmx.encoders.base.EncoderOutput`. Weights come from the model hub (a timm
name with ``pretrained=True``, an open_clip tag), from a local file or folder, or
are random. Hub weights are taken from the local Hugging Face cache first; a model
that is neither cached nor reachable fails at once with one message saying how to
get it onto the machine, instead of minutes of download retries.
"""

from __future__ import annotations

import difflib
import os
from typing import Any

import torch

from mmx.deps import require
from mmx.encoders.base import Encoder, EncoderOutput
from mmx.errors import InputError, first_line
from mmx.hub import ModelSource, hub_offline, probe_hub, quiet_logging

__all__ = ["OpenClipVisionEncoder", "TimmVisionEncoder"]

#: checkpoint file names looked for in a folder, in order of preference
_TIMM_FILES = ("model.safetensors", "pytorch_model.bin", "pytorch_model.pth", "model.pth")
_OPEN_CLIP_FILES = (
    "open_clip_model.safetensors",
    "open_clip_pytorch_model.safetensors",
    "open_clip_pytorch_model.bin",
    "open_clip_pytorch_model.pth",
    *_TIMM_FILES,
)


class TimmVisionEncoder(Encoder):
    """A timm model as an image encoder (``create_encoder("timm", model_name=...)``).

    Args:
        model_name: a timm model name, optionally with a weight tag
            (``vit_base_patch16_224.augreg2_in21k_ft_in1k``) or ``hf-hub:ORG/NAME``.
        pretrained: ``False`` for random init; ``True`` for timm's hub weights of
            ``model_name``; or a local checkpoint (``.safetensors``, ``.pth``, ``.bin``,
            big_vision ``.npz`` for ViTs) or a folder holding ``model.safetensors`` /
            ``pytorch_model.bin`` (what ``hf download timm/NAME --local-dir DIR`` writes).
        **model_kwargs: passed to ``timm.create_model`` (``img_size``, ``depth``,
            ``embed_dim``, ``num_heads``, ``dynamic_img_size``, ``patch_size``...); timm
            adapts pretrained weights to a changed image or patch size. The classifier
            is always removed (``num_classes=0``).

    ``forward(images)`` takes (B, C, H, W) floats normalized with ``data_config``'s mean
    and std. ``tokens`` are all tokens of ``forward_features``, prefix tokens (class,
    register) included, first ``num_prefix_tokens`` of them; a CNN's (B, C, h, w) map
    becomes h*w tokens in row-major order. ``mask`` is all True. ``pooled`` is timm's own
    head pooling before the classifier (``forward_head(pre_logits=True)``: the class
    token or the average, as the model is configured). ``output_dim`` = ``num_features``.
    """

    modality = "image"

    def __init__(
        self,
        model_name: str = "vit_base_patch16_224",
        pretrained: bool | str = False,
        **model_kwargs: Any,
    ) -> None:
        super().__init__()
        timm = require("timm", "the timm encoder")
        _check_timm_name(timm, model_name)
        model_kwargs["num_classes"] = 0
        owner = f"timm encoder {model_name!r}"
        if pretrained is False or pretrained is None:
            self.weights = "random init"
            self.model = _create(timm.create_model, owner, model_name, pretrained=False, **model_kwargs)
        elif pretrained is True:
            cfg = timm.models.get_pretrained_cfg(model_name)
            repo = getattr(cfg, "hf_hub_id", None)
            cached = None
            if repo and not model_name.startswith("hf-hub:"):
                names = (cfg.hf_hub_filename,) if cfg.hf_hub_filename else _TIMM_FILES[:2]
                cached = _cached_hub_file(repo, names, owner, "pretrained=DIR")
            if cached:
                model_kwargs["pretrained_cfg_overlay"] = {"file": cached, "custom_load": cached.endswith(".npz")}
            self.weights = f"pretrained: {repo or model_name} (timm, Hugging Face hub)"
            self.model = _create(timm.create_model, owner, model_name, pretrained=True, **model_kwargs)
        elif isinstance(pretrained, (str, os.PathLike)):
            path = _local_checkpoint(owner, str(pretrained), _TIMM_FILES)
            # a ViT's custom loader reads big_vision .npz files only
            overlay = {"file": path, "custom_load": path.endswith(".npz")}
            self.weights = f"pretrained: {path}"
            self.model = _create(
                timm.create_model, owner, model_name, pretrained=True, pretrained_cfg_overlay=overlay, **model_kwargs
            )
        else:
            raise InputError(f"{owner}: pretrained must be true, false or a local path, not {pretrained!r}")
        self.model_name = model_name
        self.output_dim = int(self.model.num_features)
        self.num_prefix_tokens = int(getattr(self.model, "num_prefix_tokens", 0))
        self.in_chans = int(model_kwargs.get("in_chans", 3))
        self.data_config: dict[str, Any] = dict(timm.data.resolve_model_data_config(self.model))
        size = self._fixed_size()
        if size is not None:
            # the pretrained config states the size the weights were trained at, not this model's
            self.data_config["input_size"] = (self.in_chans, *size)

    def _fixed_size(self) -> tuple[int, int] | None:
        """(H, W) the model requires, or None when it takes any size."""
        pe = getattr(self.model, "patch_embed", None)
        if pe is None or getattr(self.model, "dynamic_img_size", False) or not getattr(pe, "strict_img_size", True):
            return None
        size = getattr(pe, "img_size", None)
        return (int(size[0]), int(size[1])) if size is not None else None

    @classmethod
    def tiny_config(cls) -> dict[str, Any]:
        return {"model_name": "vit_tiny_patch16_224", "img_size": 32, "depth": 2, "embed_dim": 32, "num_heads": 2}

    def example_inputs(self, batch: int = 2) -> torch.Tensor:
        _, h, w = self.data_config["input_size"]
        return torch.randn(batch, self.in_chans, h, w)

    def forward(self, images: torch.Tensor) -> EncoderOutput:
        x = _check_images(images, "timm encoder", self.in_chans, self._fixed_size(), self.model)
        feats = self.model.forward_features(x)
        pooled = self.model.forward_head(feats, pre_logits=True)
        tokens = feats.flatten(2).transpose(1, 2) if feats.ndim == 4 else feats
        mask = torch.ones(tokens.shape[:2], dtype=torch.bool, device=tokens.device)
        return EncoderOutput(tokens=tokens, mask=mask, pooled=pooled)


class OpenClipVisionEncoder(Encoder):
    """The image tower of an open_clip model (``create_encoder("open_clip", ...)``).

    Args:
        model_name: an open_clip architecture (``ViT-B-32``, ``ViT-SO400M-14-SigLIP``...),
            or ``hf-hub:ORG/NAME`` / ``local-dir:DIR`` (config and weights from there).
        pretrained: ``None`` for random init, an open_clip tag of ``model_name``
            (``laion2b_s34b_b79k``; see ``open_clip.list_pretrained_tags_by_model``), or a
            local checkpoint file (or a folder holding ``open_clip_model.safetensors``...).
            A local file may hold the whole CLIP model or only the image tower (keys
            ``visual.*``, e.g. this encoder's own ``state_dict()``).
        **model_kwargs: overrides of the architecture config: ``embed_dim``, ``vision_cfg``
            (a dict merged over the named config's), and ``open_clip.create_model``
            arguments (``force_image_size``, ``force_quick_gelu``...).

    Only ``.visual`` is kept. Unless a ``hf-hub:``/``local-dir:`` name or a ``.npz`` file
    needs the whole model, the text tower is built at a minimal size and dropped, so a
    large model's text weights never take memory. A tag whose weights were trained with
    QuickGELU turns ``force_quick_gelu`` on (open_clip itself only warns).

    ``pooled`` is the projected image embedding (``output_dim`` wide, what CLIP compares
    with text). ``tokens`` are the tower's patch tokens after the final norm, without the
    class token, ``token_dim`` wide (the ViT width, which can differ from ``output_dim``);
    towers that give no tokens (timm- or ResNet-based) return the pooled vector as a
    single token. ``mask`` is all True. ``data_config`` is open_clip's preprocess config
    (size, mean, std, interpolation).
    """

    modality = "image"

    def __init__(self, model_name: str = "ViT-B-32", pretrained: str | None = None, **model_kwargs: Any) -> None:
        super().__init__()
        open_clip = require("open_clip", "the open_clip encoder")
        owner = f"open_clip encoder {model_name!r}"
        self.model_name = model_name
        if model_name.startswith(("hf-hub:", "local-dir:")):
            if pretrained:
                raise InputError(f"{owner}: the weights come with {model_name}; leave pretrained unset")
            model = _create(open_clip.create_model, owner, model_name, **model_kwargs)
            self.weights = f"pretrained: {model_name}"
        else:
            model = self._build(open_clip, owner, pretrained, model_kwargs)
        self.visual = model.visual
        del model  # the text tower goes with it
        self.data_config: dict[str, Any] = dict(getattr(self.visual, "preprocess_cfg", {}))
        v = self.visual
        self._has_tokens = hasattr(v, "output_tokens") and hasattr(v, "transformer")
        if self._has_tokens:
            v.output_tokens = True
            width = int(v.transformer.width)
            self.output_dim = int(v.proj.shape[1]) if v.proj is not None else width
            self.token_dim = int(v.attn_pool.query.shape[-1]) if v.attn_pool is not None else width
        else:
            with torch.no_grad():
                self.output_dim = self.token_dim = int(v(self.example_inputs(1)).shape[-1])

    def _build(self, open_clip: Any, owner: str, pretrained: str | None, kwargs: dict[str, Any]) -> Any:
        cfg = open_clip.get_model_config(self.model_name)
        if cfg is None:
            close = difflib.get_close_matches(self.model_name, open_clip.list_models(), n=3, cutoff=0.5)
            hint = f" Did you mean {', '.join(repr(c) for c in close)}?" if close else ""
            raise InputError(f"{owner}: open_clip has no architecture {self.model_name!r}.{hint} "
                             f"See open_clip.list_models().")
        if isinstance(kwargs.get("vision_cfg"), dict):
            kwargs["vision_cfg"] = {**cfg["vision_cfg"], **kwargs["vision_cfg"]}
        path, tag_cfg = (None, {}) if not pretrained else _open_clip_weights(open_clip, self.model_name, str(pretrained), owner)
        if tag_cfg:
            if tag_cfg.get("quick_gelu"):
                kwargs.setdefault("force_quick_gelu", True)
            kwargs.setdefault("force_preprocess_cfg", {
                k: tag_cfg[k] for k in ("mean", "std", "interpolation", "resize_mode") if k in tag_cfg
            })
        if not pretrained:
            self.weights = "random init"
        else:
            self.weights = f"pretrained: {self.model_name} {pretrained} (open_clip tag)" if tag_cfg else f"pretrained: {path}"
        if path is not None and path.endswith((".npz", ".npy")):
            # big_vision files map onto the whole model; open_clip converts them
            return _create(open_clip.create_model, owner, self.model_name, pretrained=path, **kwargs)
        if "text_cfg" not in kwargs and "multimodal_cfg" not in cfg:
            kwargs["text_cfg"] = {"context_length": 2, "vocab_size": 2, "width": 8, "heads": 1, "layers": 1}
        model = _create(open_clip.create_model, owner, self.model_name, **kwargs)
        if path is not None:
            _load_visual(model, path, owner)
        return model

    @classmethod
    def tiny_config(cls) -> dict[str, Any]:
        return {
            "model_name": "ViT-B-32",
            "embed_dim": 32,
            "vision_cfg": {"width": 32, "layers": 2, "head_width": 16, "patch_size": 16, "image_size": 32},
        }

    def example_inputs(self, batch: int = 2) -> torch.Tensor:
        h, w = _pair(getattr(self.visual, "image_size", self.data_config.get("size", 224)))
        return torch.randn(batch, 3, h, w)

    def forward(self, images: torch.Tensor) -> EncoderOutput:
        v = self.visual
        size = _pair(v.image_size) if hasattr(v, "positional_embedding") else None
        x = _check_images(images, "open_clip encoder", 3, size, v)
        if self._has_tokens:
            pooled, tokens = v(x)
        else:
            pooled = v(x)
            tokens = pooled.unsqueeze(1)
        mask = torch.ones(tokens.shape[:2], dtype=torch.bool, device=tokens.device)
        return EncoderOutput(tokens=tokens, mask=mask, pooled=pooled)


# -- helpers -------------------------------------------------------------------


def _pair(size: Any) -> tuple[int, int]:
    return (int(size), int(size)) if isinstance(size, int) else (int(size[0]), int(size[1]))


def _create(factory: Any, owner: str, *args: Any, **kwargs: Any) -> Any:
    """Call a library factory; its loading errors become one :class:`InputError`."""
    try:
        with quiet_logging():  # a library's own log of the failure would be a second line
            return factory(*args, **kwargs)
    except (OSError, RuntimeError, ValueError, KeyError, TypeError) as exc:
        cause = first_line(exc)
        raise InputError(f"{owner}: could not build the model: {cause}") from exc


def _check_timm_name(timm: Any, model_name: str) -> None:
    if model_name.startswith(("hf-hub:", "local-dir:")):
        return
    arch, _ = timm.models.split_model_name_tag(model_name)
    if not timm.is_model(arch):
        close = difflib.get_close_matches(arch, timm.list_models(), n=3, cutoff=0.6)
        hint = f" Did you mean {', '.join(repr(c) for c in close)}?" if close else ""
        raise InputError(f"timm has no model {model_name!r}.{hint} See timm.list_models('*pattern*').")


def _check_images(images: Any, owner: str, channels: int, size: tuple[int, int] | None, module: Any) -> torch.Tensor:
    """Validate an image batch and move it to the module's device and dtype."""
    if not isinstance(images, torch.Tensor):
        raise InputError(f"{owner}: images must be a torch tensor (B, {channels}, H, W), not {type(images).__name__}")
    if images.ndim != 4 or images.shape[1] != channels:
        hint = " (add a batch dimension: images.unsqueeze(0))" if images.ndim == 3 else ""
        raise InputError(
            f"{owner}: images must have shape (B, {channels}, H, W), got {tuple(images.shape)}{hint}"
        )
    if not images.is_floating_point():
        raise InputError(
            f"{owner}: images are {images.dtype}; convert to float in [0, 1] and normalize with the "
            f"encoder's data_config mean and std"
        )
    if size is not None and tuple(images.shape[-2:]) != size:
        raise InputError(
            f"{owner}: this model takes {size[0]}x{size[1]} images, got {images.shape[-2]}x{images.shape[-1]}; "
            f"resize them or build the encoder for that size"
        )
    p = next(module.parameters(), None)
    return images if p is None else images.to(device=p.device, dtype=p.dtype)


def _local_checkpoint(owner: str, spec: str, names: tuple[str, ...]) -> str:
    """A local checkpoint file, or the preferred checkpoint inside a folder."""
    path = os.path.abspath(os.path.expanduser(spec))
    if os.path.isfile(path):
        return path
    if os.path.isdir(path):
        for name in names:
            if os.path.isfile(os.path.join(path, name)):
                return os.path.join(path, name)
        raise InputError(f"{owner}: no checkpoint in {path} (looked for {', '.join(names)})")
    raise InputError(f"{owner}: no such checkpoint file or folder {path}")


def _cached_hub_file(repo: str, names: tuple[str, ...], owner: str, local_hint: str) -> str | None:
    """The cached copy of the first of ``names`` in hub repository ``repo``; None when the
    hub answers (the library downloads it); an :class:`InputError` when it is neither
    cached nor reachable."""
    from huggingface_hub import try_to_load_from_cache

    for name in names:
        found = try_to_load_from_cache(repo, name)
        if isinstance(found, str):
            return found
    if hub_offline() or probe_hub(ModelSource(repo, repo, False, True)) is not None:
        raise InputError(
            f"{owner}: could not load the weights {repo!r} offline: they are not in the local Hugging "
            f"Face cache and the hub cannot be reached. On a machine with hub access run "
            f"`hf download {repo} --local-dir DIR`, copy DIR to this machine and pass {local_hint}"
        )
    return None


def _open_clip_weights(open_clip: Any, model_name: str, pretrained: str, owner: str) -> tuple[str, dict[str, Any]]:
    """(checkpoint path, the tag's config or {}) for an open_clip tag or a local path."""
    tag_cfg = open_clip.get_pretrained_cfg(model_name, pretrained)
    if not tag_cfg:
        path = os.path.expanduser(pretrained)
        if os.path.exists(path) or os.sep in pretrained or pretrained.endswith((".safetensors", ".bin", ".pt", ".pth", ".npz")):
            return _local_checkpoint(owner, pretrained, _OPEN_CLIP_FILES), {}
        tags = open_clip.list_pretrained_tags_by_model(model_name)
        raise InputError(
            f"{owner}: {pretrained!r} is neither a pretrained tag of {model_name} "
            f"({', '.join(tags) or 'it has none'}) nor a local checkpoint file"
        )
    hub = tag_cfg.get("hf_hub", "")
    if hub:
        from open_clip.pretrained import HF_WEIGHTS_NAME, _get_safe_alternatives

        repo, filename = os.path.split(hub)
        filename = filename or HF_WEIGHTS_NAME
        names = (*_get_safe_alternatives(filename), filename)
        cached = _cached_hub_file(repo, names, owner, "pretrained=DIR")
        if cached:
            return cached, tag_cfg
    try:
        with quiet_logging():
            return open_clip.download_pretrained(tag_cfg), tag_cfg
    except Exception as exc:  # network and hub errors of every kind
        raise InputError(f"{owner}: could not download the weights of tag {pretrained!r}: {first_line(exc)}") from exc


def _load_visual(model: Any, path: str, owner: str) -> None:
    """Load the image-tower part of a checkpoint (whole CLIP or visual-only) into ``model.visual``."""
    from open_clip.convert import convert_state_dict
    from open_clip.factory import load_state_dict
    from open_clip.model import resize_pos_embed

    try:
        state = load_state_dict(path)
    except Exception as exc:  # corrupt or foreign files fail in many ways
        raise InputError(f"{owner}: could not read the checkpoint {path}: {exc}") from exc
    state = convert_state_dict(model, state)
    resize_pos_embed(state, model)
    visual = {k.removeprefix("visual."): v for k, v in state.items() if k.startswith("visual.")}
    if not visual:
        raise InputError(f"{owner}: {path} holds no image-tower weights (no 'visual.*' keys)")
    try:
        model.visual.load_state_dict(visual, strict=True)
    except RuntimeError as exc:
        first = str(exc).strip().splitlines()
        raise InputError(
            f"{owner}: the checkpoint {path} does not fit this architecture: "
            f"{' '.join(first[:3])[:400]}"
        ) from exc
