"""GenEval's colour classifier on open_clip: ViT-L-14 (OpenAI) zero-shot over the ten colours.

As GenEval (``evaluation/evaluate_images.py``, ``ImageCrops`` and ``color_classification``,
with clip_benchmark's ``zero_shot_classifier`` and ``run_classification``):

- each object is pasted by its mask onto a grey ``#999`` canvas of the image's size
  (``Image.composite``) and cropped to its box with PIL (``Image.crop``, which rounds the
  box's float corners; no padding); an object without a mask is cropped from the image as it
  is (:func:`object_crop`);
- per class, each colour's three template texts ("a photo of a {c} {cls}", "a photo of a
  {c}-colored {cls}", "a photo of a {c} object") are embedded, each embedding normalised,
  the three averaged and the mean normalised again: one text vector per colour
  (:func:`template_weights`); cached per class, as GenEval caches its classifiers;
- the crop's normalised image embedding against those ten vectors (``100 *`` cosine, as
  clip_benchmark), the highest wins.

Unlike GenEval, which builds a DataLoader (16 crops, 4 workers) per image and class, all
objects of a batch of images go through one image-encoder pass (in chunks of
``batch_size``), each against its own class's colour vectors.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from mmx.errors import InputError, first_line
from mmx.worlds.geneval import COLORS

if TYPE_CHECKING:
    import torch
    from PIL import Image

__all__ = ["BACKGROUND", "TEMPLATES", "ClipColorClassifier", "object_crop", "template_weights"]

#: GenEval's three colour templates (``{c}`` colour, ``{cls}`` object class)
TEMPLATES: tuple[str, ...] = ("a photo of a {c} {cls}", "a photo of a {c}-colored {cls}", "a photo of a {c} object")
#: GenEval's background for pasted objects
BACKGROUND = "#999"


def object_crop(image: Image.Image, box: Sequence[float], mask: Any = None, background: str = BACKGROUND
                ) -> Image.Image:
    """The object as GenEval shows it to CLIP: pasted by ``mask`` (boolean ``H x W``) on a
    ``background`` canvas, then cropped to ``box`` ``[x0, y0, x1, y1]`` (PIL rounds the
    corners; parts outside the image come out black, as in GenEval). A crop of no pixels
    becomes one background pixel instead of GenEval's crash."""
    import numpy as np
    from PIL import Image as PILImage

    image = image.convert("RGB")
    if mask is not None:
        mask = np.asarray(mask, dtype=bool)
        if mask.shape != (image.height, image.width):
            raise InputError(f"colour crop: mask of shape {mask.shape} for an image of {image.width}x{image.height}")
        blank = PILImage.new("RGB", image.size, color=background)
        image = PILImage.composite(image, blank, PILImage.fromarray(mask))
    crop = image.crop(tuple(float(v) for v in box[:4]))
    if crop.width == 0 or crop.height == 0:
        return PILImage.new("RGB", (1, 1), color=background)
    return crop


def template_weights(encode_text: Any, tokenizer: Any, cls: str, device: Any = None) -> torch.Tensor:
    """The zero-shot colour classifier of one class, ``(D, 10)``: per colour the normalised
    mean of the normalised embeddings of its three templates (clip_benchmark's
    ``zero_shot_classifier``, which GenEval calls); one text-encoder call for all 30 texts."""
    import torch
    import torch.nn.functional as F

    texts = [t.format(c=c, cls=cls) for c in COLORS for t in TEMPLATES]
    tokens = tokenizer(texts)
    if device is not None:
        tokens = tokens.to(device)
    with torch.inference_mode():
        emb = F.normalize(encode_text(tokens).float(), dim=-1)
    emb = emb.reshape(len(COLORS), len(TEMPLATES), -1).mean(dim=1)
    return F.normalize(emb, dim=-1).T.contiguous()


class ClipColorClassifier:
    """GenEval's colour classifier (a :class:`~mmx.eval.benches.geneval.detect.ColorClassifier`).

    ``model``: an open_clip architecture name (``ViT-L-14``), ``local-dir:FOLDER`` or a folder
    holding ``open_clip_config.json`` and the weights; ``pretrained``: an open_clip tag
    (``openai``) or a checkpoint file, for an architecture name. Offline, a tag that is not
    cached raises one error saying how to pass a local file. ``quick_gelu`` (default: on for
    an architecture name with weights, i.e. OpenAI's CLIP; a model folder's config decides
    for itself) forces OpenAI's QuickGELU activation.
    """

    def __init__(self, model: str = "ViT-L-14", pretrained: str | None = "openai", device: str = "auto",
                 batch_size: int = 64, background: str = BACKGROUND, quick_gelu: bool | None = None,
                 option: str = "--bench-args color_model=") -> None:
        import os

        from mmx.deps import require
        from mmx.hub import quiet_logging, resolve_device

        open_clip = require("open_clip", "the CLIP colour classifier")
        self.spec = model
        self.pretrained = pretrained
        self.batch_size = int(batch_size)
        if self.batch_size < 1:
            raise InputError(f"colour classifier: batch_size must be a positive integer, not {batch_size!r}")
        self.background = background
        self.device = resolve_device(str(device))
        name = model
        if not model.startswith(("local-dir:", "hf-hub:")) and os.path.isdir(os.path.expanduser(model)):
            name = "local-dir:" + os.path.abspath(os.path.expanduser(model))
        if name.startswith("local-dir:") and not os.path.isfile(os.path.join(name[10:], "open_clip_config.json")):
            raise InputError(f"{option}{model}: no open_clip_config.json in {name[10:]} (pass an open_clip model "
                             "folder, or an architecture name such as ViT-L-14 with color_pretrained=FILE)")
        if (pretrained and not name.startswith(("local-dir:", "hf-hub:")) and not os.path.isfile(pretrained)
                and open_clip.get_pretrained_cfg(name, pretrained) == {}):
            raise InputError(f"colour classifier: open_clip has no weights {pretrained!r} for {name!r}; "
                             f"known: {', '.join(open_clip.list_pretrained_tags_by_model(name)) or 'none'}")
        schema = name.startswith(("local-dir:", "hf-hub:"))
        if quick_gelu is None:
            # OpenAI's CLIP uses QuickGELU; open_clip 3 builds ViT-L-14 with GELU even for the
            # "openai" tag (it only warns), where the open_clip GenEval used loaded OpenAI's
            # model with QuickGELU. A checkpoint file is taken to be OpenAI's (GenEval's model).
            quick_gelu = not schema and bool(pretrained)
        try:
            with quiet_logging():  # open_clip logs the failure too ("ERROR:root: ..."); _load_error says it once
                clip, _, transform = open_clip.create_model_and_transforms(
                    name, pretrained=None if schema else pretrained, device=self.device,
                    **({"force_quick_gelu": True} if quick_gelu and not schema else {}))
        except (RuntimeError, OSError, ValueError) as exc:
            raise self._load_error(open_clip, name, pretrained, exc, option) from exc
        self.model = clip.eval()
        #: whether the model runs OpenAI's QuickGELU (forced here, or by a model folder's config)
        self.quick_gelu = any(type(m).__name__ == "QuickGELU" for m in clip.modules())
        self.transform = transform
        self.tokenizer = open_clip.get_tokenizer(name)
        self._weights: dict[str, torch.Tensor] = {}

    @staticmethod
    def _load_error(open_clip: Any, name: str, pretrained: str | None, exc: BaseException, option: str) -> InputError:
        cfg = open_clip.get_pretrained_cfg(name, pretrained) if pretrained else {}
        repo = (cfg.get("hf_hub") or "").strip("/")
        if repo:
            return InputError(
                f"could not load open_clip {name} weights {pretrained!r} offline: they are not in the local "
                f"Hugging Face cache and the hub cannot be reached. On a machine with hub access run "
                f"`hf download {repo} --local-dir DIR`, copy DIR here and pass the checkpoint file: "
                f"--bench-args color_pretrained=DIR/{cfg.get('hf_filename', 'open_clip_pytorch_model.bin')}")
        cause = first_line(exc)
        return InputError(f"could not load the colour model {option}{name}: {cause}")

    def describe(self) -> dict[str, Any]:
        return {"model": self.spec, "pretrained": self.pretrained, "quick_gelu": self.quick_gelu,
                "templates": list(TEMPLATES),
                "background": self.background}

    def weights(self, cls: str) -> torch.Tensor:
        """The class's ``(D, 10)`` colour vectors (cached)."""
        if cls not in self._weights:
            self._weights[cls] = template_weights(self.model.encode_text, self.tokenizer, cls, self.device)
        return self._weights[cls]

    def classify(self, images: Sequence[Image.Image], queries: Sequence[tuple[int, Mapping[str, Any]]]
                 ) -> list[str]:
        """One colour per ``(image index, detection)`` query, in order."""
        import torch
        import torch.nn.functional as F

        if not queries:
            return []
        crops = [object_crop(images[i], det["box"], det.get("mask"), self.background) for i, det in queries]
        feats = []
        with torch.inference_mode():
            for start in range(0, len(crops), self.batch_size):
                x = torch.stack([self.transform(c) for c in crops[start:start + self.batch_size]]).to(self.device)
                feats.append(F.normalize(self.model.encode_image(x).float(), dim=-1))
            f = torch.cat(feats)
            w = torch.stack([self.weights(str(det["class"])) for _, det in queries])  # (N, D, 10)
            logits = 100.0 * torch.bmm(f[:, None, :], w)[:, 0]
        return [COLORS[k] for k in logits.argmax(dim=1).tolist()]
