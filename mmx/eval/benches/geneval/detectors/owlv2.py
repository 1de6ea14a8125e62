"""OWLv2 as an open-vocabulary GenEval detector (``detector=owlv2``).

Not GenEval's detector (that is Mask2Former, ``detector=mask2former``): an option for objects
outside COCO's 80 classes. Each image is asked for its own record's classes (include and
exclude, in order) as ``"a photo of a {class}"``; one forward per batch, the processor padding
each image's query list to the batch's longest (the padded queries are ignored). Every
predicted box goes to its best query; boxes are in pixels of the original image (OWLv2 pads
the image to a square at the bottom and right, so normalised boxes scale by the longer
side). There are no masks: the colour classifier crops each box from the image as it is,
as GenEval does for a detection without a mask.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from mmx.errors import InputError

if TYPE_CHECKING:
    from PIL import Image

__all__ = ["DEFAULT_MODEL", "QUERY_TEMPLATE", "Owlv2Detector", "query_classes"]

DEFAULT_MODEL = "hf:google/owlv2-base-patch16-ensemble"
QUERY_TEMPLATE = "a photo of a {cls}"


def query_classes(metadata: Mapping[str, Any]) -> list[str]:
    """The classes a GenEval record asks about: include, then exclude, each once, in order."""
    out: list[str] = []
    for req in [*metadata.get("include", []), *metadata.get("exclude", [])]:
        if req["class"] not in out:
            out.append(req["class"])
    return out


class Owlv2Detector:
    """Open-vocabulary detection with OWLv2 (``Owlv2ForObjectDetection``), queried with each
    image's classes. ``min_score`` drops boxes whose score is not above it (GenEval's lowest
    threshold is 0.3, so the default loses nothing the judge keeps)."""

    name = "owlv2"
    reports_colors = False

    def __init__(self, model: str = DEFAULT_MODEL, device: str = "auto", dtype: str = "float32", batch_size: int = 8,
                 min_score: float = 0.1, template: str = QUERY_TEMPLATE, revision: str | None = None,
                 option: str = "--bench-args detector_model=") -> None:
        from mmx.eval.benches.geneval.detectors import load_hf_detector

        if "{cls}" not in template:
            raise InputError(f"owlv2: template must contain {{cls}}, got {template!r}")
        self.spec = model
        self.min_score = float(min_score)
        self.template = template
        self.model, self.processor, self.device, self.dtype, self.batch_size = load_hf_detector(
            "owlv2", "OWLv2", ("Owlv2ForObjectDetection", "Owlv2Processor"), model, device, dtype, batch_size,
            revision, option)

    def describe(self) -> dict[str, Any]:
        return {"name": self.name, "model": self.spec, "min_score": self.min_score, "template": self.template,
                "batch_size": self.batch_size, "dtype": str(self.dtype)}

    def detect(self, images: Sequence[Image.Image], metadata: Sequence[Mapping[str, Any]] | None = None
               ) -> list[list[dict[str, Any]]]:
        """Per image the boxes of its record's classes (``metadata`` is required)."""
        if metadata is None or len(metadata) != len(images):
            raise InputError("owlv2 asks each image for its own classes: pass one metadata record per image")
        out: list[list[dict[str, Any]]] = []
        for start in range(0, len(images), self.batch_size):
            out.extend(self._detect_batch(images[start:start + self.batch_size],
                                          metadata[start:start + self.batch_size]))
        return out

    def _detect_batch(self, images: Sequence[Image.Image], metadata: Sequence[Mapping[str, Any]]
                      ) -> list[list[dict[str, Any]]]:
        import torch

        rgb = [im.convert("RGB") for im in images]
        classes = [query_classes(m) or ["object"] for m in metadata]
        texts = [[self.template.format(cls=c) for c in cs] for cs in classes]
        inputs = self.processor(text=texts, images=rgb, return_tensors="pt")
        inputs = {k: (v.to(self.device, self.dtype) if k == "pixel_values" else v.to(self.device))
                  for k, v in inputs.items()}
        with torch.inference_mode():
            outputs = self.model(**inputs)
        logits = outputs.logits.float()  # (B, patches, max queries)
        boxes = outputs.pred_boxes.float()  # (B, patches, 4): cx, cy, w, h of the padded square
        results = []
        for i, im in enumerate(rgb):
            n = len(query_classes(metadata[i]))
            if n == 0:
                results.append([])
                continue
            probs = logits[i, :, :n].sigmoid()
            score, label = probs.max(dim=1)
            keep = (score > self.min_score).nonzero().flatten()
            side = float(max(im.width, im.height))
            cx, cy, w, h = boxes[i, keep].unbind(-1)
            xyxy = (torch.stack([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], dim=-1) * side).cpu().numpy()
            sc, lab = score[keep].cpu().numpy(), label[keep].tolist()
            results.append([{"class": classes[i][lab[k]], "box": [float(v) for v in xyxy[k]], "score": float(sc[k]),
                             "color": None} for k in range(len(lab))])
        return results
