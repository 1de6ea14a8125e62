"""``--model mmx-t2i``: a text-to-image head trained with ``mmx fit`` as a generator.

``--model-args model=RUN_DIR`` names the run folder that ``mmx fit`` exported
(``model.safetensors`` + ``mmx_system.json``, written at the end of training) or one of
its ``.ckpt`` files; without it, the tiny head shipped in ``mmx/assets/t2i`` draws. Both
load with ``mmx.systems.load_system`` (weights only, architecture checked). Image ``k``
of a request starts from the noise of seed ``seed + k``, whatever the batch, so a
resumed run draws the same images.
"""

from __future__ import annotations

import os
from typing import Any, ClassVar

from mmx.adapters.base import ImageRequest, ModelAdapter
from mmx.errors import InputError
from mmx.hub import resolve_device
from mmx.options import Count, NonNegative

__all__ = ["MmxT2IModel", "shipped_t2i_dir"]

def shipped_t2i_dir() -> str:
    """The folder of the tiny text-to-image head shipped with mmx (``mmx/assets/t2i``)."""
    from mmx.assets import asset_dir

    return str(asset_dir("t2i"))


class MmxT2IModel(ModelAdapter):
    """A trained mmx text-to-image system (``mmx fit`` with a ``t2i`` head) as a generator.

    Model args: ``model`` (run folder or ``.ckpt``; default: the shipped tiny head),
    ``steps`` (sampling steps, default: the run's), ``guidance_scale`` (default: the run's),
    ``scheduler`` (ddim | dpm-solver), ``snap`` (map colours to the run's palette, default
    true: see ``mmx/systems/t2i.py``), ``batch_size`` (default 32), ``device`` (auto|cpu|cuda).
    """

    name = "mmx-t2i"
    capabilities: ClassVar[frozenset[str]] = frozenset({"generate_images"})
    smoke_args: ClassVar[dict[str, Any] | None] = {"steps": 2}

    def __init__(self, model: str | None = None, steps: Count | None = None,
                 guidance_scale: NonNegative | None = None, scheduler: str | None = None, snap: bool = True,
                 batch_size: Count = 32, device: str = "auto") -> None:
        # types and ranges are checked by create_model (mmx.options); choices here
        owner = "--model mmx-t2i"
        self.path = str(model or shipped_t2i_dir())
        self.steps = steps
        self.batch_size = int(batch_size)
        self.guidance = None if guidance_scale is None else float(guidance_scale)
        self.scheduler = scheduler
        from mmx.heads.t2i import SAMPLERS

        if self.scheduler is not None and self.scheduler not in SAMPLERS:
            raise InputError(f"{owner}: scheduler={self.scheduler} is not one of {', '.join(SAMPLERS)}")
        self.snap = bool(snap)
        device = str(device).lower()
        if device not in ("auto", "cpu") and not device.startswith("cuda"):
            raise InputError(f"{owner}: device={device} is not auto, cpu or cuda[:N]")
        self.system = load_t2i(self.path, owner)
        self.device = resolve_device(device)
        self.system.to(self.device)

    def generate_images(self, requests: list[ImageRequest]) -> list[list[Any]]:
        """Per request, the images of ``wanted()``; image ``k`` from seed ``seed + k``."""
        for r in requests:
            try:
                self.system.check_prompts([r.prompt])
            except InputError as exc:
                raise InputError(f"--model mmx-t2i: request {r.id}: {str(exc).removeprefix('t2i: ')}") from None
        jobs = [(i, r.prompt, r.seed + k) for i, r in enumerate(requests) for k in r.wanted()]
        out: list[list[Any]] = [[] for _ in requests]
        for start in range(0, len(jobs), self.batch_size):
            chunk = jobs[start:start + self.batch_size]
            images = self.system.generate([p for _, p, _ in chunk], [s for _, _, s in chunk], steps=self.steps,
                                          guidance_scale=self.guidance, sampler=self.scheduler, snap=self.snap)
            for (i, _, _), img in zip(chunk, images):
                out[i].append(img)
        return out

    def describe(self) -> dict[str, Any]:
        s = self.system
        return {**super().describe(), "model": self.path, "encoder": type(s.encoder).__name__,
                "denoiser": s.head.denoiser_kind, "image_size": s.image_size,
                "steps": self.steps or s.sample_steps, "guidance_scale": s.guidance_scale if self.guidance is None
                else self.guidance, "scheduler": self.scheduler or s.sampler, "snap": self.snap and s.colors is not None}


def load_t2i(path: str, owner: str = "t2i") -> Any:
    """The trained text-to-image system at ``path`` (run folder or ``.ckpt``), or one clear error."""
    from mmx.systems import load_system
    from mmx.systems.t2i import T2ISystem

    if (os.path.isdir(path) and not os.path.isfile(os.path.join(path, "mmx_system.json"))
            and os.path.isfile(os.path.join(path, "model_index.json"))):
        raise InputError(f"{owner}: {path} is a diffusers pipeline, not an mmx run; use --model {path}")
    try:
        system = load_system(path)
    except InputError as exc:
        raise InputError(f"{owner}: {exc}") from None
    if not isinstance(system, T2ISystem):
        raise InputError(f"{owner}: {path} holds a {type(system).__name__}, not a text-to-image system "
                         "(train one with mmx fit --config configs/t2i_shapes_tiny.yaml)")
    return system
