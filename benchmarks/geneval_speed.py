"""GenEval scoring images/s: mmx's batched detector + colour step against GenEval's loop.

    python benchmarks/geneval_speed.py [--images 96] [--batch 32] [--threads 1]
    python benchmarks/geneval_speed.py --gpu [--images 64]      # real-size models, batch 1/8/32

CPU mode (default): tiny random-weight models of the real architectures (Mask2Former with a
Swin backbone, CLIP of ViT-L-14's structure; ``mmx.eval.benches.geneval.detectors.random_init``,
class head sharpened so that objects pass GenEval's thresholds and the colour step runs, with
the six shapes-world classes as labels) on shapes-world images (64 px). Two scorers see the
same images and models:

- **GenEval's loop**, re-implemented here step by step from ``evaluation/evaluate_images.py``:
  per image one detector call (batch 1) with mmdet's post-processing of all top-100 (query,
  class) pairs; per class of its 80 (here: of the model's labels) the argsort, threshold and
  cap; per colour clause one DataLoader (batch 16, ``--workers`` worker processes, GenEval
  uses 4) of ``ImageCrops`` through CLIP, and per class a text classifier built colour by
  colour (clip_benchmark's ``zero_shot_classifier``), cached per class;
- **mmx**: ``detect_and_color`` (one detector forward per ``--batch`` images, mask work only
  for pairs whose class probability can pass the 0.3 threshold, one CLIP pass for all colour
  queries of the batch) and ``judge``; also without that lossless pre-filter (``min_score=0``)
  to separate the gain of batching from it.

The verdicts (correct, reason) must be equal image for image (the script stops otherwise).
Model loading and one warm-up batch are not timed.

GPU mode (``--gpu``): real-size Mask2Former Swin-S (100 queries) and CLIP ViT-L-14 with
random weights on 512 px images; images/s and peak GPU memory of mmx's scorer at batch 1, 8
and 32, and GenEval's loop (workers 4) on the same images for the ratio.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse
import json
import tempfile
import time
import warnings
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np


def shapes_records(n_specs: int) -> list[dict[str, Any]]:
    """``n_specs`` shapes-world GenEval records, spread over the six tasks."""
    from mmx.worlds.geneval import TAGS
    from mmx.worlds.prompts import render_prompt, specs

    base = specs("shapes")
    per_tag = max(1, -(-n_specs // len(TAGS)))
    out = [s for t in TAGS for s in [x for x in base if x["tag"] == t][:per_tag]][:n_specs]
    return [{**s, "prompt": render_prompt(s, "en")} for s in out]


# --- GenEval's loop, re-implemented -----------------------------------------------------------
class GenevalLoop:
    """GenEval's ``evaluate_image`` + ``evaluate``, one image at a time, on the same models."""

    def __init__(self, detector: Any, colors: Any, workers: int, threshold: float = 0.3,
                 counting_threshold: float = 0.9, max_objects: int = 16) -> None:
        self.det, self.clip, self.workers = detector, colors, workers
        self.threshold, self.counting_threshold, self.max_objects = threshold, counting_threshold, max_objects
        # GenEval's class list is the model's label order (object_names.txt for the COCO model)
        self.classnames = [detector.labels[i] for i in sorted(detector.labels)]
        self.classifiers: dict[str, Any] = {}
        #: objects whose colour was classified (GenEval classifies exactly the judge's objects)
        self.n_color = 0

    def detect(self, image: Any) -> tuple[list[np.ndarray], list[list[np.ndarray]]]:
        """mmdet's ``inference_detector`` result for one image: per class an ``(N, 5)`` array of
        boxes and scores and a list of masks (all top-100 pairs, no score pre-filter)."""
        import torch

        from mmx.eval.benches.geneval.detectors.mask2former import instance_postprocess

        inputs = self.det.processor(images=[image], return_tensors="pt")
        pv = inputs["pixel_values"].to(self.det.device, self.det.dtype)
        with torch.inference_mode():
            out = self.det.model(pixel_values=pv)
            labels, scores, boxes, masks = instance_postprocess(
                out.class_queries_logits[0], out.masks_queries_logits[0], tuple(pv.shape[-2:]), tuple(pv.shape[-2:]),
                (image.height, image.width), self.det.max_per_image, 0.0)
        labels, scores = labels.cpu().numpy(), scores.cpu().numpy()
        boxes, masks = boxes.cpu().numpy(), masks.cpu().numpy()
        bbox, segm = [], []
        for k in range(len(self.classnames)):
            sel = np.nonzero(labels == k)[0]
            bbox.append(np.concatenate([boxes[sel], scores[sel, None]], axis=1).astype(np.float32))
            segm.append([masks[j] for j in sel])
        return bbox, segm

    def classifier(self, classname: str) -> Any:
        import torch
        import torch.nn.functional as F

        from mmx.eval.benches.geneval.detectors.color_clip import TEMPLATES
        from mmx.worlds.geneval import COLORS

        if classname not in self.classifiers:
            weights = []
            with torch.no_grad():
                for c in COLORS:  # clip_benchmark: one text batch per class name (here: colour)
                    tokens = self.clip.tokenizer([t.format(c=c, cls=classname) for t in TEMPLATES])
                    emb = F.normalize(self.clip.model.encode_text(tokens.to(self.clip.device)), dim=-1).mean(dim=0)
                    weights.append(emb / emb.norm())
            self.classifiers[classname] = torch.stack(weights, dim=1)
        return self.classifiers[classname]

    def color_classification(self, image: Any, objects: Sequence[tuple[np.ndarray, Any]], classname: str
                             ) -> list[str]:
        import torch
        import torch.nn.functional as F

        from mmx.worlds.geneval import COLORS

        clf = self.classifier(classname)
        self.n_color += len(objects)
        loader = torch.utils.data.DataLoader(_Crops(image, objects, self.clip.transform), batch_size=16,
                                             num_workers=self.workers)
        preds = []
        with torch.no_grad():
            for x, _ in loader:
                f = F.normalize(self.clip.model.encode_image(x.to(self.clip.device)), dim=-1)
                preds.append((100.0 * f @ clf).argmax(1))
        return [COLORS[i] for i in torch.cat(preds).tolist()]

    def score(self, image: Any, metadata: Mapping[str, Any]) -> tuple[bool, str]:
        bbox, segm = self.detect(image)
        thr = self.counting_threshold if metadata["tag"] == "counting" else self.threshold
        detected: dict[str, list[tuple[np.ndarray, Any]]] = {}
        for index, classname in enumerate(self.classnames):
            ordering = np.argsort(bbox[index][:, 4])[::-1]
            ordering = ordering[bbox[index][ordering, 4] > thr][: self.max_objects].tolist()
            if ordering:  # NMS is off in GenEval (max_overlap 1.0)
                detected[classname] = [(bbox[index][j], segm[index][j]) for j in ordering]
        return self.evaluate(image, detected, metadata)

    def evaluate(self, image: Any, objects: dict[str, list[tuple[np.ndarray, Any]]], metadata: Mapping[str, Any]
                 ) -> tuple[bool, str]:
        from mmx.worlds.geneval import COLORS, relative_position

        correct, reasons, groups = True, [], []
        for req in metadata.get("include", []):
            name, count = req["class"], req["count"]
            ok = True
            found = objects.get(name, [])[:count]
            if len(found) < count:
                correct = ok = False
                reasons.append(f"expected {name}>={count}, found {len(found)}")
            else:
                if "color" in req:
                    colors = self.color_classification(image, found, name)
                    if colors.count(req["color"]) < count:
                        correct = ok = False
                        listed = ", ".join(f"{colors.count(c)} {c}" for c in COLORS if c in colors)
                        reasons.append(f"expected {req['color']} {name}>={count}, found "
                                       f"{colors.count(req['color'])} {req['color']}; and {listed}")
                if "position" in req and ok:
                    rel, target = req["position"]
                    if groups[target] is None:
                        correct = ok = False
                        reasons.append(f"no target for {name} to be {rel}")
                    else:
                        for obj in found:
                            for other in groups[target]:
                                rels = relative_position(obj[0], other[0])
                                if rel not in rels:
                                    correct = ok = False
                                    reasons.append(f"expected {name} {rel} target, found {' and '.join(rels)} target")
                                    break
                            if not ok:
                                break
            groups.append(found if ok else None)
        for req in metadata.get("exclude", []):
            if len(objects.get(req["class"], [])) >= req["count"]:
                correct = False
                reasons.append(f"expected {req['class']}<{req['count']}, found {len(objects[req['class']])}")
        return correct, "\n".join(reasons)


class _Crops:
    """GenEval's ``ImageCrops``: the object pasted by its mask on #999, cropped to its box."""

    def __init__(self, image: Any, objects: Sequence[tuple[np.ndarray, Any]], transform: Callable[[Any], Any]) -> None:
        from PIL import Image

        self.image = image.convert("RGB")
        self.blank = Image.new("RGB", image.size, color="#999")
        self.objects, self.transform = objects, transform

    def __len__(self) -> int:
        return len(self.objects)

    def __getitem__(self, i: int) -> tuple[Any, int]:
        from PIL import Image

        box, mask = self.objects[i]
        image = Image.composite(self.image, self.blank, Image.fromarray(mask)) if mask is not None else self.image
        return self.transform(image.crop(box[:4])), 0


# --- mmx --------------------------------------------------------------------------------------
def mmx_scores(detector: Any, colors: Any, images: Sequence[Any], metas: Sequence[Mapping[str, Any]], batch: int
               ) -> list[tuple[bool, str]]:
    from mmx.eval.benches.geneval.detect import detect_and_color
    from mmx.worlds.geneval import judge

    out = []
    for s in range(0, len(images), batch):
        dets = detect_and_color(detector, images[s:s + batch], metas[s:s + batch], colors)
        out.extend(judge(m, d) for m, d in zip(metas[s:s + batch], dets))
    return out


def timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    t = time.perf_counter()
    res = fn()
    return res, time.perf_counter() - t


def workload(n_images: int, size: int) -> tuple[list[Any], list[dict[str, Any]]]:
    from mmx.worlds.shapes import draw

    recs = shapes_records(max(1, n_images // 4))
    images, metas = [], []
    for k in range(n_images):
        rec = recs[k % len(recs)]
        images.append(draw(rec, seed=k, size=size))
        metas.append(rec)
    return images, metas


def run_cpu(args: argparse.Namespace) -> dict[str, Any]:
    import torch

    from mmx.eval.benches.geneval.detectors.color_clip import ClipColorClassifier
    from mmx.eval.benches.geneval.detectors.mask2former import Mask2FormerDetector
    from mmx.eval.benches.geneval.detectors.random_init import save_mask2former, save_open_clip
    from mmx.worlds.shapes import SHAPES

    torch.set_num_threads(args.threads)
    tmp = Path(tempfile.mkdtemp(prefix="geneval-speed-"))
    m2f = save_mask2former(tmp / "m2f", labels=SHAPES, sharpen=40.0, image_size=args.size)
    clip_dir = save_open_clip(tmp / "clip")
    det = Mask2FormerDetector(str(m2f), device="cpu", size="processor", batch_size=args.batch)
    det_all = Mask2FormerDetector(str(m2f), device="cpu", size="processor", batch_size=args.batch, min_score=0.0)
    colors = ClipColorClassifier(str(clip_dir), device="cpu", batch_size=64)
    ref_colors = ClipColorClassifier(str(clip_dir), device="cpu")
    images, metas = workload(args.images, args.size)
    ref = GenevalLoop(det_all, ref_colors, workers=args.workers)
    # warm-up (not timed): kernels, allocator, the text classifiers of every class
    mmx_scores(det, colors, images[:4], metas[:4], args.batch)
    for im, m in zip(images[:4], metas[:4]):
        ref.score(im, m)
    for c in SHAPES:
        colors.weights(c)
        ref.classifier(c)
    ref.n_color = 0
    ref_v, t_ref = timed(lambda: [ref.score(im, m) for im, m in zip(images, metas)])
    mmx_v, t_mmx = timed(lambda: mmx_scores(det, colors, images, metas, args.batch))
    all_v, t_all = timed(lambda: mmx_scores(det_all, colors, images, metas, args.batch))
    bad = [k for k, (a, b) in enumerate(zip(ref_v, mmx_v)) if a != b] + [
        k for k, (a, b) in enumerate(zip(ref_v, all_v)) if a != b]
    if bad:
        raise SystemExit(f"verdicts differ on images {sorted(set(bad))[:10]}: {ref_v[bad[0]]} vs {mmx_v[bad[0]]}")
    n = len(images)
    n_color = sum(1 for m in metas if any("color" in r for r in m["include"]))
    return {
        "mode": "cpu", "images": n, "image_size": args.size, "batch": args.batch, "threads": args.threads,
        "geneval_workers": args.workers, "correct": sum(v[0] for v in mmx_v), "images_with_colour_clauses": n_color,
        "objects_colour_classified": ref.n_color,
        "geneval_loop_images_per_s": n / t_ref, "mmx_images_per_s": n / t_mmx,
        "mmx_no_prefilter_images_per_s": n / t_all, "speedup": t_ref / t_mmx, "speedup_no_prefilter": t_ref / t_all,
        "verdicts_equal": True,
    }


def run_gpu(args: argparse.Namespace) -> dict[str, Any]:
    import torch

    from mmx.eval.benches.geneval.detectors.color_clip import ClipColorClassifier
    from mmx.eval.benches.geneval.detectors.mask2former import Mask2FormerDetector
    from mmx.eval.benches.geneval.detectors.random_init import save_mask2former, save_open_clip
    from mmx.worlds.shapes import SHAPES

    if not torch.cuda.is_available():
        raise SystemExit("--gpu: torch sees no CUDA device")
    tmp = Path(tempfile.mkdtemp(prefix="geneval-speed-"))
    m2f = save_mask2former(tmp / "m2f", size="full", labels=SHAPES, sharpen=40.0)
    clip_dir = save_open_clip(tmp / "clip", size="full")
    images, metas = workload(args.images, 512)
    colors = ClipColorClassifier(str(clip_dir), device="cuda", batch_size=64)
    rows = []
    for batch in (1, 8, 32):
        det = Mask2FormerDetector(str(m2f), device="cuda", dtype="float32", batch_size=batch)
        mmx_scores(det, colors, images[:batch], metas[:batch], batch)  # warm-up
        torch.cuda.synchronize()
        torch.cuda.reset_peak_memory_stats()
        _, t = timed(lambda d=det, b=batch: (mmx_scores(d, colors, images, metas, b), torch.cuda.synchronize()))
        rows.append({"batch": batch, "images_per_s": len(images) / t,
                     "peak_gib": torch.cuda.max_memory_allocated() / 2**30})
        del det
        torch.cuda.empty_cache()
    det_all = Mask2FormerDetector(str(m2f), device="cuda", dtype="float32", min_score=0.0)
    ref = GenevalLoop(det_all, ClipColorClassifier(str(clip_dir), device="cuda"), workers=args.workers)
    n_ref = min(len(images), args.ref_images)
    ref.score(images[0], metas[0])
    _, t_ref = timed(lambda: ([ref.score(im, m) for im, m in zip(images[:n_ref], metas[:n_ref])],
                              torch.cuda.synchronize()))
    return {"mode": "gpu", "device": torch.cuda.get_device_name(), "images": len(images), "image_size": 512,
            "mmx": rows, "geneval_loop_images_per_s": n_ref / t_ref, "geneval_loop_images": n_ref}


def main() -> None:
    # GenEval's 4 colour workers on a machine with fewer cores: torch warns on every DataLoader
    warnings.filterwarnings("ignore", message="This DataLoader will create")
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--images", type=int, default=96)
    ap.add_argument("--size", type=int, default=64, help="image side in pixels (CPU mode)")
    ap.add_argument("--batch", type=int, default=32, help="mmx's images per detector call (CPU mode)")
    ap.add_argument("--threads", type=int, default=1, help="torch CPU threads, both scorers")
    ap.add_argument("--workers", type=int, default=4, help="DataLoader workers of GenEval's colour step (GenEval: 4)")
    ap.add_argument("--gpu", action="store_true", help="real-size models on a CUDA GPU, batch 1/8/32")
    ap.add_argument("--ref-images", type=int, default=32, help="--gpu: images for GenEval's loop")
    ap.add_argument("--out", type=Path, default=None, help="also write the result as JSON here")
    args = ap.parse_args()
    res = run_gpu(args) if args.gpu else run_cpu(args)
    text = json.dumps(res, indent=1)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
