"""Mask2Former COCO instance segmentation as a GenEval detector (``detector=mask2former``).

GenEval runs mmdet's ``mask2former_swin-s-p4-w7-224_lsj_8x2_50e_coco``; its transformers
twin is ``facebook/mask2former-swin-small-coco-instance`` (:data:`DEFAULT_MODEL`). The model
runs through ``Mask2FormerForUniversalSegmentation``, one forward per batch of images. The
post-processing is mmdet's ``MaskFormerFusionHead.instance_postprocess``
(:func:`instance_postprocess`), not transformers' ``post_process_instance_segmentation``:
that one resizes every mask to a fixed 384 x 384 and binarises it before a nearest-neighbour
upsample, and rounds scores to 6 digits (a 0.3000004 becomes 0.3 and falls below GenEval's
strict ``> 0.3``); mmdet upsamples the mask logits bilinearly to the padded input, crops the
image's part, upsamples bilinearly to the original size and only then thresholds at 0, which
is what GenEval's boxes, scores and masks come from. Images are resized as mmdet's test
pipeline does (shortest edge 800, longest at most 1333, sides multiples of 32).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from mmx.errors import InputError

if TYPE_CHECKING:
    import torch
    from PIL import Image

__all__ = ["DEFAULT_MODEL", "LABEL_ALIASES", "Mask2FormerDetector", "geneval_labels", "instance_postprocess",
           "instance_postprocess_batch",
           "mask_to_box"]

#: the transformers checkpoint of GenEval's mmdet Mask2Former (Swin-S, COCO instance)
DEFAULT_MODEL = "hf:facebook/mask2former-swin-small-coco-instance"
#: model label names that differ from GenEval's object names (detectron2 / transformers COCO
#: names, and the VOC-style spellings some checkpoints use)
LABEL_ALIASES: dict[str, str] = {
    "mouse": "computer mouse", "remote": "tv remote", "keyboard": "computer keyboard",
    "motorbike": "motorcycle", "aeroplane": "airplane", "sofa": "couch", "tvmonitor": "tv", "tv monitor": "tv",
    "diningtable": "dining table", "pottedplant": "potted plant", "hair dryer": "hair drier",
    "cellphone": "cell phone", "doughnut": "donut", "sportsball": "sports ball", "hotdog": "hot dog",
}
#: mmdet's test pipeline for GenEval's config: keep-ratio resize to (1333, 800), pad to 32
MMDET_SIZE = {"shortest_edge": 800, "longest_edge": 1333}


def geneval_labels(id2label: Mapping[int | str, str]) -> dict[int, str]:
    """Model label id -> the object name GenEval's prompts use.

    Names are lower-cased with ``_`` / ``-`` read as spaces and renamed through
    :data:`LABEL_ALIASES` (``mouse`` -> ``computer mouse``, ``motorbike`` -> ``motorcycle``
    ...); other names are kept as they are (a checkpoint's extra classes, e.g. a panoptic
    model's ``wall``, then simply never match a GenEval clause). For the COCO instance
    checkpoints this gives exactly GenEval's 80 ``object_names.txt``.
    """
    out: dict[int, str] = {}
    for k, label in id2label.items():
        norm = " ".join(str(label).lower().replace("_", " ").replace("-", " ").split())
        out[int(k)] = LABEL_ALIASES.get(norm, LABEL_ALIASES.get(norm.replace(" ", ""), norm))
    return out


def mask_to_box(masks: torch.Tensor) -> torch.Tensor:
    """mmdet's ``mask2bbox``: per mask ``[x0, y0, x1 + 1, y1 + 1]`` of its set pixels (all
    zeros for an empty mask), float32, shape ``(N, 4)``."""
    import torch

    n = masks.shape[0]
    boxes = torch.zeros((n, 4), dtype=torch.float32, device=masks.device)
    if n == 0:
        return boxes
    xs, ys = masks.any(dim=1), masks.any(dim=2)  # (N, W), (N, H)
    w, h = xs.shape[1], ys.shape[1]
    ar_w = torch.arange(w, device=masks.device)
    ar_h = torch.arange(h, device=masks.device)
    x0 = torch.where(xs, ar_w, w).min(dim=1).values
    x1 = torch.where(xs, ar_w, -1).max(dim=1).values + 1
    y0 = torch.where(ys, ar_h, h).min(dim=1).values
    y1 = torch.where(ys, ar_h, -1).max(dim=1).values + 1
    nonempty = xs.any(dim=1)
    boxes[nonempty] = torch.stack([x0, y0, x1, y1], dim=1)[nonempty].float()
    return boxes


def instance_postprocess(class_logits: torch.Tensor, mask_logits: torch.Tensor, input_size: tuple[int, int],
                         valid_size: tuple[int, int], image_size: tuple[int, int], max_per_image: int = 100,
                         min_score: float = 0.0) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    """mmdet's Mask2Former instance post-processing for one image.

    ``class_logits`` ``(Q, C + 1)`` (last: no object), ``mask_logits`` ``(Q, h, w)``; the masks
    are upsampled (bilinear) to the padded ``input_size``, cut to ``valid_size`` (the resized
    image inside the padding) and upsampled to ``image_size`` ``(H, W)``. The top
    ``max_per_image`` (query, class) pairs by class probability are kept; each one's score is
    its class probability times the mean sigmoid of its mask over the mask's pixels (logit >
    0), its box the mask's bounding box. ``min_score`` drops pairs whose class probability is
    not above it before any mask work: a pair's score is at most its class probability, so
    with ``min_score`` at GenEval's lowest threshold (0.3) nothing the judge keeps is lost.
    Returns ``(labels, scores, boxes, masks)``, masks boolean ``(N, H, W)``.
    """
    return instance_postprocess_batch(class_logits[None], mask_logits[None], input_size, valid_size, image_size,
                                      max_per_image, min_score)[0]


def instance_postprocess_batch(class_logits: torch.Tensor, mask_logits: torch.Tensor, input_size: tuple[int, int],
                               valid_size: tuple[int, int], image_size: tuple[int, int], max_per_image: int = 100,
                               min_score: float = 0.0, chunk: int = 128
                               ) -> list[tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]]:
    """:func:`instance_postprocess` for ``B`` images of the same sizes at once (``(B, Q, C +
    1)`` and ``(B, Q, h, w)``): the masks of all images are resized together, ``chunk`` at a
    time (memory stays bounded at any batch size)."""
    import torch
    import torch.nn.functional as F

    scores = class_logits.float().softmax(-1)[..., :-1]
    n_images, n_queries, n_classes = scores.shape
    top, idx = scores.flatten(1).topk(min(max_per_image, n_queries * n_classes), dim=1, sorted=False)
    image_of = torch.arange(n_images, device=top.device)[:, None].expand_as(top)
    keep = top > min_score
    top, idx, image_of = top[keep], idx[keep], image_of[keep]
    labels = idx % n_classes
    queries = image_of * n_queries + torch.div(idx, n_classes, rounding_mode="floor")
    h, w = image_size
    # each (image, query) mask once, however many of its classes were kept
    uniq, inverse = queries.unique(return_inverse=True)
    flat = mask_logits.flatten(0, 1)
    binary = torch.zeros((len(uniq), h, w), dtype=torch.bool, device=flat.device)
    mask_score = torch.zeros(len(uniq), device=flat.device)
    for s in range(0, len(uniq), chunk):
        m = F.interpolate(flat[uniq[s:s + chunk]].float()[None], size=tuple(input_size), mode="bilinear",
                          align_corners=False)[0]
        m = m[:, : valid_size[0], : valid_size[1]]
        if tuple(m.shape[-2:]) != (h, w):  # a same-size bilinear resize is the identity: skip it
            m = F.interpolate(m[None], size=(h, w), mode="bilinear", align_corners=False)[0]
        b = m > 0
        binary[s:s + chunk] = b
        mask_score[s:s + chunk] = (m.sigmoid() * b).flatten(1).sum(1) / (b.flatten(1).sum(1) + 1e-6)
    boxes = mask_to_box(binary)
    out = []
    for i in range(n_images):
        sel = (image_of == i).nonzero().flatten()
        k = inverse[sel]
        out.append((labels[sel], top[sel] * mask_score[k], boxes[k], binary[k]))
    return out


class Mask2FormerDetector:
    """GenEval's detector on transformers: Mask2Former COCO instance segmentation.

    ``model``: ``hf:ORG/NAME`` or a local folder (``save_pretrained`` / ``hf download``
    output with the image processor's config). ``size``: ``mmdet`` resizes as GenEval's
    mmdet test pipeline (shortest edge 800, longest at most 1333); ``processor`` keeps the
    checkpoint's own sizing. Detections carry the object's boolean mask (``mask``, image
    size) for the colour step; ``min_score`` is explained in :func:`instance_postprocess`.
    """

    name = "mask2former"
    reports_colors = False

    def __init__(self, model: str = DEFAULT_MODEL, device: str = "auto", dtype: str = "float32",
                 batch_size: int = 8, size: str = "mmdet", max_per_image: int = 100, min_score: float = 0.3,
                 revision: str | None = None, option: str = "--bench-args detector_model=") -> None:
        from mmx.eval.benches.geneval.detectors import load_hf_detector

        if size not in ("mmdet", "processor"):
            raise InputError(f"mask2former: size must be mmdet or processor, not {size!r}")
        self.spec = model
        self.max_per_image = int(max_per_image)
        self.min_score = float(min_score)
        self.size = size
        self.model, self.processor, self.device, self.dtype, self.batch_size = load_hf_detector(
            "mask2former", "Mask2Former", ("Mask2FormerForUniversalSegmentation", "AutoImageProcessor"), model,
            device, dtype, batch_size, revision, option)
        if size == "mmdet":
            self.processor.size = type(self.processor.size)(**MMDET_SIZE) if not isinstance(
                self.processor.size, dict) else dict(MMDET_SIZE)
            self.processor.size_divisor = 32
        self.labels = geneval_labels(self.model.config.id2label)

    def describe(self) -> dict[str, Any]:
        return {"name": self.name, "model": self.spec, "size": self.size, "max_per_image": self.max_per_image,
                "min_score": self.min_score, "batch_size": self.batch_size, "dtype": str(self.dtype)}

    def detect(self, images: Sequence[Image.Image], metadata: Sequence[Mapping[str, Any]] | None = None
               ) -> list[list[dict[str, Any]]]:
        """Per image its raw detections (``class``, ``box``, ``score``, ``color`` None, ``mask``):
        one forward per ``batch_size`` images."""
        out: list[list[dict[str, Any]]] = []
        for start in range(0, len(images), self.batch_size):
            out.extend(self._detect_batch(images[start:start + self.batch_size]))
        return out

    def _detect_batch(self, images: Sequence[Image.Image]) -> list[list[dict[str, Any]]]:
        import torch

        rgb = [im.convert("RGB") for im in images]
        inputs = self.processor(images=rgb, return_tensors="pt")
        pixel_values = inputs["pixel_values"].to(self.device, self.dtype)
        pixel_mask = inputs.get("pixel_mask")
        if pixel_mask is not None:
            pixel_mask = pixel_mask.to(self.device)
        with torch.inference_mode():
            outputs = self.model(pixel_values=pixel_values, pixel_mask=pixel_mask)
            padded = tuple(pixel_values.shape[-2:])
            # images of one size (the usual batch) are post-processed together
            groups: dict[tuple[tuple[int, int], tuple[int, int]], list[int]] = {}
            for i, im in enumerate(rgb):
                if pixel_mask is not None:
                    valid = (int(pixel_mask[i].any(dim=1).sum()), int(pixel_mask[i].any(dim=0).sum()))
                else:
                    valid = padded
                groups.setdefault((valid, (im.height, im.width)), []).append(i)
            post: dict[int, Any] = {}
            for (valid, size), members in groups.items():
                sel = torch.tensor(members, device=self.device)
                for i, r in zip(members, instance_postprocess_batch(
                        outputs.class_queries_logits[sel], outputs.masks_queries_logits[sel], padded, valid, size,
                        self.max_per_image, self.min_score)):
                    post[i] = r
            results = []
            for i in range(len(rgb)):
                labels, scores, boxes, masks = post[i]
                labels, scores, boxes = labels.tolist(), scores.cpu().numpy(), boxes.cpu().numpy()
                masks = masks.cpu().numpy()
                results.append([{"class": self.labels[lab], "box": [float(v) for v in boxes[k]],
                                 "score": float(scores[k]), "color": None, "mask": masks[k]}
                                for k, lab in enumerate(labels) if lab in self.labels])
        return results
