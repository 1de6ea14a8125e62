"""Detectors and colour classifiers for GenEval scoring: the seams real models plug into.

A detector turns images into GenEval's raw detections (:class:`Detector`); where it does not
name colours itself, a :class:`ColorClassifier` names them, for exactly the objects the judge
reads (:func:`mmx.worlds.geneval.color_queries`, as GenEval does).
:func:`detect_and_color` runs both over a batch of images. Detectors are registered by name
in :data:`DETECTORS` (lazy ``"module:attr"`` entries, like every mmx registry); ``shapes``,
the exact detector of the offline twin, is built in. Mask2Former / OWLv2 detectors and a
CLIP colour classifier register here the same way.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from mmx.registry import Registry
from mmx.worlds.geneval import color_queries

if TYPE_CHECKING:
    from PIL import Image

__all__ = ["DETECTORS", "ColorClassifier", "Detector", "create_detector", "detect_and_color"]


@runtime_checkable
class Detector(Protocol):
    """Images in, GenEval detections out: per image a list of ``{"class", "box": [x0, y0, x1,
    y1], "score", "color"}``, raw (unsorted, unthresholded: the judge applies GenEval's rules).
    ``reports_colors`` says whether ``color`` is filled; if not, a colour classifier fills it.
    ``metadata`` (one record per image) lets open-vocabulary detectors ask for its classes."""

    name: str
    reports_colors: bool

    def detect(self, images: Sequence[Image.Image], metadata: Sequence[Mapping[str, Any]] | None = None
               ) -> list[list[dict[str, Any]]]: ...

    def describe(self) -> dict[str, Any]: ...


@runtime_checkable
class ColorClassifier(Protocol):
    """Names the colour (one of GenEval's ten) of objects: ``queries`` are ``(image index,
    detection)`` pairs over ``images``, the answer one colour per query, in order. GenEval's
    classifier pastes each object by its mask on grey #999, crops it to its box and asks CLIP
    ViT-L-14 with three templates; a detection may carry a ``mask`` for that."""

    def classify(self, images: Sequence[Image.Image], queries: Sequence[tuple[int, Mapping[str, Any]]]
                 ) -> list[str]: ...


#: registered detectors (``detector=`` of the geneval bench)
DETECTORS: Registry[Any] = Registry("geneval detector")
DETECTORS.register("shapes", "mmx.worlds.shapes:ShapesDetector",
                   "exact detector of the offline shapes world (connected components, silhouettes, exact colours)")
DETECTORS.register("mask2former", "mmx.eval.benches.geneval.detectors.mask2former:Mask2FormerDetector",
                   "GenEval's detector: Mask2Former Swin-S COCO instance segmentation (transformers), CLIP colours")
DETECTORS.register("owlv2", "mmx.eval.benches.geneval.detectors.owlv2:Owlv2Detector",
                   "OWLv2 open-vocabulary detection (transformers) asked for each record's classes, CLIP colours")


def create_detector(name: str, **kwargs: Any) -> Detector:
    """Build the registered detector ``name`` with ``kwargs``."""
    return DETECTORS.get(name)(**kwargs)


def detect_and_color(detector: Detector, images: Sequence[Image.Image], metadata: Sequence[Mapping[str, Any]],
                     colors: ColorClassifier | None = None) -> list[list[dict[str, Any]]]:
    """Detections for a batch of images (one metadata record each), with ``color`` filled
    for the objects the judge will read: one detector call and one colour call per batch."""
    from mmx.errors import InputError

    dets = detector.detect(images, metadata)
    if len(dets) != len(images):
        raise InputError(f"detector {detector.name} returned {len(dets)} results for {len(images)} images")
    if detector.reports_colors:
        return dets
    queries: list[tuple[int, Mapping[str, Any]]] = []
    for i, (d, meta) in enumerate(zip(dets, metadata)):
        for k in color_queries(meta, d):
            queries.append((i, d[k]))
    if queries and colors is None:
        raise InputError(f"detector {detector.name} names no colours and no colour classifier was given")
    if queries:
        answers = colors.classify(images, queries)  # type: ignore[union-attr]
        for (_, det), c in zip(queries, answers):
            det["color"] = c  # type: ignore[index]
    return dets
