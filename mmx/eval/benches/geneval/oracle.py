"""``shapes-oracle``: the reference "model" of the offline twin: it draws the shapes world
straight from each request's GenEval record (``ImageRequest.meta``), so a correct run scores
1.0, and it can plant errors at a known rate to check that the scoring sees them."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Annotated, Any, ClassVar

from mmx.adapters.base import ImageRequest, ModelAdapter
from mmx.errors import InputError
from mmx.options import Count, Range, Rate

if TYPE_CHECKING:
    from PIL import Image


class ShapesOracle(ModelAdapter):
    """Draws the shapes world from each request's GenEval record (a reference, not a model).

    Options: ``size`` (pixels, default 128); ``plant`` (one of count, color, side, missing,
    or ``any``: the first that applies) with ``plant_rate`` (share of images, default 0) draws
    that planted error in a deterministic share of the images (:meth:`planted`). A request
    without a record is matched to the shapes world's English prompts; an unknown prompt gets
    an empty ground.
    """

    name = "shapes-oracle"
    capabilities: ClassVar[frozenset[str]] = frozenset({"generate_images"})
    serves_benches: ClassVar[tuple[str, ...]] = ("geneval",)
    is_baseline = True
    batch_size = 16

    def __init__(self, size: Annotated[int, Range(32)] = 128, plant: str | None = None, plant_rate: Rate = 0.0,
                 batch_size: Count = 16) -> None:
        # types and ranges are checked by create_model (mmx.options); the plant's choice here
        from mmx.worlds.shapes import PLANTS

        if plant is not None and plant not in (*PLANTS, "any"):
            raise InputError(f"shapes-oracle: plant must be one of {', '.join(PLANTS)} or any, got {plant!r}")
        self.size = int(size)
        self.plant = plant
        self.plant_rate = float(plant_rate)
        self.batch_size = int(batch_size)

    def describe(self) -> dict[str, Any]:
        return {**super().describe(), "size": self.size, "plant": self.plant, "plant_rate": self.plant_rate}

    def planted(self, request: ImageRequest, k: int) -> str | None:
        """The error drawn in image ``k`` of ``request`` (None: drawn correctly)."""
        from mmx.worlds.shapes import PLANTS, can_plant

        if self.plant is None or self.plant_rate <= 0 or not request.meta:
            return None
        h = hashlib.sha256(f"{request.id}/{request.seed + k}".encode()).digest()
        if int.from_bytes(h[:8], "big") / 2**64 >= self.plant_rate:
            return None
        kinds = PLANTS if self.plant == "any" else (self.plant,)
        return next((p for p in kinds if can_plant(p, request.meta)), None)

    def generate_images(self, requests: list[ImageRequest]) -> list[list[Image.Image]]:
        from PIL import Image

        from mmx.worlds.shapes import BACKGROUND, draw

        out = []
        for r in requests:
            meta = r.meta or _english_lookup().get(r.prompt)
            imgs = []
            for k in r.wanted():
                if meta is None:
                    imgs.append(Image.new("RGB", (self.size, self.size), BACKGROUND))
                else:
                    imgs.append(draw(meta, seed=r.seed + k, size=self.size, plant=self.planted(r, k)))
            out.append(imgs)
        return out


def _english_lookup() -> dict[str, dict[str, Any]]:
    from mmx.worlds.prompts import render_prompt, specs

    return {render_prompt(s, "en"): s for s in specs("shapes")}
