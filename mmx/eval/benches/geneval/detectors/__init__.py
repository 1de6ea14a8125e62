"""Real detectors and the CLIP colour classifier for GenEval scoring, on current libraries.

GenEval's reference scorer needs mmcv 1.7 and mmdet 2.x; these are the same models through
transformers and open_clip, batched across images:

- :class:`~mmx.eval.benches.geneval.detectors.mask2former.Mask2FormerDetector`
  (``detector=mask2former``): Mask2Former Swin-S COCO instance segmentation, the checkpoint
  GenEval's mmdet config corresponds to, with mmdet's instance post-processing (boxes from
  masks, scores = class score x mean mask probability) and the masks kept for the colour step;
- :class:`~mmx.eval.benches.geneval.detectors.owlv2.Owlv2Detector` (``detector=owlv2``):
  OWLv2, open vocabulary, asked for each image's own classes; boxes only;
- :class:`~mmx.eval.benches.geneval.detectors.color_clip.ClipColorClassifier`: open_clip
  ViT-L-14 (OpenAI) zero-shot over GenEval's ten colours with its three templates, each
  object pasted by its mask on grey #999 and cropped to its box.

Nothing here imports torch, transformers or open_clip at module level.
"""

from __future__ import annotations

from typing import Any

#: bench options (``--bench-args``) that configure the detector -> its keyword
DETECTOR_OPTIONS = {"detector_model": "model", "detector_size": "size", "detector_batch_size": "batch_size",
                    "device": "device"}
#: bench options that configure the colour classifier -> its keyword
COLOR_OPTIONS = {"color_model": "model", "color_pretrained": "pretrained", "device": "device"}


def build_scorer(detector: str, options: dict[str, Any] | None = None) -> tuple[Any, Any]:
    """The registered ``detector`` and, when it names no colours, the CLIP colour classifier,
    configured by the bench's options (:data:`DETECTOR_OPTIONS`, :data:`COLOR_OPTIONS`; None
    values are left at the defaults). Returns ``(detector, colour classifier or None)``."""
    from mmx.errors import InputError
    from mmx.eval.benches.geneval.detect import create_detector

    opts = {k: v for k, v in (options or {}).items() if v is not None}
    det_kwargs = {DETECTOR_OPTIONS[k]: v for k, v in opts.items() if k in DETECTOR_OPTIONS}
    color_kwargs = {COLOR_OPTIONS[k]: v for k, v in opts.items() if k in COLOR_OPTIONS}
    if detector == "shapes":  # the exact detector takes no model and names colours itself
        given = sorted(k for k in opts if k in DETECTOR_OPTIONS or k in COLOR_OPTIONS)
        if given:
            raise InputError(f"geneval: detector shapes takes no {', '.join(given)} (pass detector=mask2former "
                             "or detector=owlv2 for a model)")
        return create_detector(detector), None
    try:
        det = create_detector(detector, **det_kwargs)
    except TypeError as exc:
        raise InputError(f"geneval: detector {detector} does not take these options: {exc}") from exc
    if det.reports_colors:
        return det, None
    from mmx.eval.benches.geneval.detectors.color_clip import ClipColorClassifier

    return det, ClipColorClassifier(**color_kwargs)


def load_hf_detector(owner: str, label: str, classes: tuple[str, str], model: str, device: str, dtype: str,
                     batch_size: int, revision: str | None, option: str) -> tuple[Any, Any, Any, Any, int]:
    """One loading sequence for the transformers detectors: locate ``model`` (hub id or
    folder; errors name ``option``), resolve device and dtype, load the model class
    ``classes[0]`` in eval mode on the device and its processor class ``classes[1]``.
    ``owner`` is the detector's option name, ``label`` its name in messages. Returns
    ``(model, processor, device, dtype, batch_size)``."""
    from mmx.hub import (
        HfArgs,
        from_pretrained,
        import_transformers,
        locate_model,
        resolve_device,
        resolve_dtype,
    )

    tf = import_transformers()
    args = HfArgs.parse(owner, {"device": device, "dtype": dtype, "batch_size": batch_size, "revision": revision})
    source = locate_model(model, revision, option=option)
    dev = resolve_device(args.device)
    dt = resolve_dtype(args.dtype, dev)
    model_class, processor_class = classes
    net = from_pretrained(getattr(tf, model_class), source, args, f"{label} model", dtype=dt).to(dev).eval()
    kind = "image processor" if "ImageProcessor" in processor_class else "processor"
    processor = from_pretrained(getattr(tf, processor_class), source, args, f"{label} {kind}")
    return net, processor, dev, dt, args.batch_size


__all__ = ["COLOR_OPTIONS", "DETECTOR_OPTIONS", "build_scorer", "load_hf_detector"]
