"""``--model hf:ORG/NAME`` or ``--model DIR`` for text-to-image: any diffusers pipeline.

The pipeline loads through ``DiffusionPipeline.from_pretrained`` (offline-first: a hub
model must be in the local cache unless the hub answers, see :func:`mmx.hub.locate_model`).
Image ``k`` of a request is drawn from its own ``torch.Generator`` seeded ``seed + k``
(on the CPU, so the starting noise is the same on every device), so a resumed run that
asks only for the missing indices starts them from the same noise as a full run.
"""

from __future__ import annotations

import re
from typing import Any

from mmx.adapters.base import ImageRequest, ModelAdapter
from mmx.deps import require
from mmx.errors import InputError
from mmx.hub import DTYPES, locate_model, resolve_device, resolve_dtype
from mmx.options import Count, NonNegative

__all__ = ["SCHEDULERS", "DiffusersT2IModel"]

#: ``scheduler=`` choices -> diffusers scheduler class (``default``: the pipeline's own)
SCHEDULERS: dict[str, str | None] = {
    "default": None,
    "ddim": "DDIMScheduler",
    "dpm-solver": "DPMSolverMultistepScheduler",
    "euler": "EulerDiscreteScheduler",
}


def import_diffusers() -> Any:
    """The diffusers module, or a :class:`MissingDependencyError` saying how to get it."""
    return require("diffusers", "a diffusers pipeline")


class DiffusersT2IModel(ModelAdapter):
    """A diffusers text-to-image pipeline (Stable Diffusion 1.x/2.x, SDXL, PixArt, ...).

    Model args: ``batch_size`` (images per pipeline call, default 4), ``num_inference_steps``
    (default: the pipeline's), ``guidance_scale`` (default: the pipeline's), ``height`` /
    ``width`` (pixels, default: the pipeline's), ``scheduler`` (default | ddim | dpm-solver |
    euler), ``dtype`` (auto = bfloat16 on a GPU that has it, float16 on other GPUs, float32 on
    CPU), ``device`` (auto|cpu|cuda|cuda:N), ``revision``. Unknown names are rejected.
    """

    capabilities = frozenset({"generate_images"})
    smoke_args = None  # needs a pipeline; tests/adapters/test_diffusers_t2i.py builds a tiny one

    def __init__(self, name: str, batch_size: Count = 4, num_inference_steps: Count | None = None,
                 guidance_scale: NonNegative | None = None, height: Count | None = None,
                 width: Count | None = None, scheduler: str = "default", dtype: str = "auto", device: str = "auto",
                 revision: str | None = None) -> None:
        # types and ranges are checked by create_model (mmx.options); choices here, before loading
        owner = f"--model {name}"
        self.name = name
        self.batch_size = int(batch_size)
        self.steps, self.height, self.width = num_inference_steps, height, width
        self.guidance = None if guidance_scale is None else float(guidance_scale)
        self.scheduler = str(scheduler).lower()
        if self.scheduler not in SCHEDULERS:
            raise InputError(f"{owner}: scheduler={self.scheduler} is not one of {', '.join(SCHEDULERS)}")
        dtype = str(dtype).lower()
        if dtype not in DTYPES:
            raise InputError(f"{owner}: dtype={dtype} is not one of {', '.join(DTYPES)}")
        device = str(device).lower()
        if not re.match(r"^(auto|cpu|mps|cuda(:\d+)?)$", device):
            raise InputError(f"{owner}: device={device} is not auto, cpu, mps, cuda or cuda:N")

        diffusers = import_diffusers()
        self.source = locate_model(name, revision, marker="model_index.json")
        self.device = resolve_device(device)
        self.dtype = resolve_dtype(dtype, self.device)
        try:
            pipe = diffusers.DiffusionPipeline.from_pretrained(
                self.source.path, dtype=self.dtype, revision=revision,
                local_files_only=self.source.local_files_only)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise self.source.load_error("diffusers pipeline", exc) from exc
        if SCHEDULERS[self.scheduler] is not None:
            cls = getattr(diffusers, SCHEDULERS[self.scheduler])
            pipe.scheduler = cls.from_config(pipe.scheduler.config)
        pipe.set_progress_bar_config(disable=True)
        self.pipe = pipe.to(self.device)
        self.calls = 0  # pipeline calls made (tests and notes)
        self.drawn = 0  # images drawn

    def generate_images(self, requests: list[ImageRequest]) -> list[list[Any]]:
        """Per request, the images of ``wanted()`` in order; image ``k`` from seed ``seed + k``.
        Images of several requests share a pipeline call (``batch_size`` images per call)."""
        import torch

        jobs = [(i, r.prompt, r.seed + k) for i, r in enumerate(requests) for k in r.wanted()]
        out: list[list[Any]] = [[] for _ in requests]
        kwargs: dict[str, Any] = {"output_type": "pil"}
        for key, value in (("num_inference_steps", self.steps), ("guidance_scale", self.guidance),
                           ("height", self.height), ("width", self.width)):
            if value is not None:
                kwargs[key] = value
        for start in range(0, len(jobs), self.batch_size):
            chunk = jobs[start:start + self.batch_size]
            # one CPU generator per image: its noise depends on its seed only, not on the
            # batch it happens to share (what makes image-by-image resume draw the same image)
            generators = [torch.Generator("cpu").manual_seed(seed) for _, _, seed in chunk]
            with torch.inference_mode():
                images = self.pipe(prompt=[p for _, p, _ in chunk], generator=generators, **kwargs).images
            if len(images) != len(chunk):
                raise InputError(f"--model {self.name}: the pipeline returned {len(images)} images "
                                 f"for {len(chunk)} prompts")
            self.calls += 1
            self.drawn += len(chunk)
            for (i, _, _), img in zip(chunk, images):
                out[i].append(img.convert("RGB"))
        return out

    def describe(self) -> dict[str, Any]:
        return {**super().describe(), "pipeline": type(self.pipe).__name__, "source": self.source.spec,
                "scheduler": type(self.pipe.scheduler).__name__, "dtype": str(self.dtype).replace("torch.", ""),
                "device": str(self.device), "batch_size": self.batch_size,
                "num_inference_steps": self.steps, "guidance_scale": self.guidance,
                "height": self.height, "width": self.width}
