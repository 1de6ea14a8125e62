"""The offline twin of GenEval: a procedural shapes world and its exact detector.

The world has six shape classes (:data:`SHAPES`) in GenEval's ten colours, flat on a
grey ground. :func:`draw` turns a GenEval metadata record whose classes are shapes into
an image that satisfies it: the asked counts and colours, objects that never touch, and
for position clauses a placement that passes GenEval's position rule with margin (each
relation's component at least 0.6 where the rule needs 0.5). The drawer is deterministic
in ``seed``. ``plant`` draws one planted error instead (:data:`PLANTS`): a wrong count, a
wrong colour, the wrong side, or a missing object, each of which GenEval scores incorrect.

:class:`ShapesDetector` reads images of this world back from their pixels alone: one
connected component per object and exact colour, classified by comparing its silhouette
with the six shape templates. It returns GenEval detections with score 1.0 and the exact
colour, so ``judge`` scores a correctly drawn image correct and a planted error incorrect.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from mmx.errors import InputError
from mmx.worlds.geneval import COLORS, position_offsets

if TYPE_CHECKING:
    import numpy as np
    from PIL import Image

__all__ = ["BACKGROUND", "DEFAULT_COLORS", "PALETTE", "PLANTS", "SHAPES", "DrawnObject", "ShapesDetector", "can_plant",
           "canonical_layout", "draw", "layout", "render"]

#: the shape classes of the world
SHAPES: tuple[str, ...] = ("circle", "square", "triangle", "star", "hexagon", "cross")
#: GenEval's ten colours as exact RGB values (no two alike, none equal to the ground)
PALETTE: dict[str, tuple[int, int, int]] = {
    "red": (220, 30, 30), "orange": (255, 140, 0), "yellow": (250, 220, 20), "green": (30, 160, 60),
    "blue": (30, 70, 220), "purple": (130, 40, 160), "pink": (255, 120, 190), "brown": (120, 70, 30),
    "black": (0, 0, 0), "white": (255, 255, 255),
}
BACKGROUND: tuple[int, int, int] = (128, 128, 128)
#: the colour :func:`canonical_layout` gives a shape whose colour the record leaves open
DEFAULT_COLORS: dict[str, str] = {"circle": "red", "square": "blue", "triangle": "green", "star": "yellow",
                                  "hexagon": "purple", "cross": "orange"}
#: the planted errors :func:`draw` can make
PLANTS: tuple[str, ...] = ("count", "color", "side", "missing")
#: a position relation is drawn with its component at least this far past GenEval's 0.5
MARGIN = 0.1
_OPPOSITE = {"left of": "right of", "right of": "left of", "above": "below", "below": "above"}


@dataclass
class DrawnObject:
    """One object of a drawn scene: shape class, colour name, box ``[x0, y0, x1, y1]``."""

    cls: str
    color: str
    box: tuple[int, int, int, int]


def can_plant(plant: str, metadata: Mapping[str, Any]) -> bool:
    """Whether ``plant`` applies to this record (``color`` needs a colour clause, ``side`` a
    position clause; ``count`` and ``missing`` apply to every record)."""
    if plant not in PLANTS:
        raise InputError(f"unknown planted error {plant!r}; choose one of {', '.join(PLANTS)}")
    if plant == "color":
        return any("color" in r for r in metadata["include"])
    if plant == "side":
        return any("position" in r for r in metadata["include"])
    return True


def _counts(metadata: Mapping[str, Any], plant: str | None) -> list[int]:
    counts = [int(r["count"]) for r in metadata["include"]]
    if plant == "missing":
        counts[-1] = 0
    elif plant == "count":
        first = metadata["include"][0]
        limits = [e["count"] for e in metadata.get("exclude", []) if e["class"] == first["class"]]
        # one more than asked fires an exclude clause of count + 1 (counting); else one fewer
        counts[0] = counts[0] + 1 if limits and min(limits) <= counts[0] + 1 else counts[0] - 1
    return counts


def _check_classes(metadata: Mapping[str, Any]) -> None:
    """Refuse a record of another world (GenEval's COCO objects) in one line that says where
    shapes-world prompts come from."""
    for r in metadata["include"]:
        if r["class"] not in SHAPES:
            raise InputError(f"the shapes world draws only {', '.join(SHAPES)}; the record asks for "
                             f"{r['class']!r} (prompt {metadata.get('prompt', '')!r}): write shapes-world "
                             "prompts with `mmx data geneval --world shapes`, or score COCO-world prompts "
                             "with a real text-to-image model and detector")


def layout(metadata: Mapping[str, Any], seed: int = 0, size: int = 128, plant: str | None = None) -> list[DrawnObject]:
    """The objects :func:`draw` draws for ``metadata`` (classes, colours, boxes)."""
    _check_classes(metadata)
    if plant is not None and not can_plant(plant, metadata):
        raise InputError(f"planted error {plant!r} does not apply to a {metadata.get('tag')} record")
    rng = random.Random(f"geneval-shapes/{seed}/{size}/{plant}/{_key(metadata)}")
    counts = _counts(metadata, plant)
    recolor = next((i for i, r in enumerate(metadata["include"]) if "color" in r), None) if plant == "color" else None
    groups: list[list[str]] = []
    for i, (r, n) in enumerate(zip(metadata["include"], counts)):
        if "color" in r:
            c = r["color"]
            if i == recolor:
                c = COLORS[(COLORS.index(c) + 1 + rng.randrange(len(COLORS) - 1)) % len(COLORS)]
            groups.append([c] * n)
        else:
            groups.append([rng.choice(COLORS) for _ in range(n)])
    relations = []
    for i, r in enumerate(metadata["include"]):
        if "position" in r:
            rel, j = r["position"]
            if plant == "side" and not any(x[0] == i or x[1] == i for x in relations):
                rel = _OPPOSITE[rel]
            relations.append((i, j, rel))
    total = sum(counts)
    for attempt in range(400):
        shrink = 0.85 ** (attempt // 80)
        extent = size * (0.3 if total <= 2 else 0.22 if total <= 4 else 0.16) * shrink
        boxes = _place(rng, counts, relations, size, extent, [r["class"] for r in metadata["include"]])
        if boxes is not None:
            return [DrawnObject(metadata["include"][i]["class"], groups[i][k], boxes[i][k])
                    for i in range(len(counts)) for k in range(counts[i])]
    raise InputError(f"could not place {total} objects on a {size}px canvas for {metadata.get('prompt', '')!r}; "
                     "use a larger size")


def canonical_layout(metadata: Mapping[str, Any], size: int = 128) -> list[DrawnObject]:
    """The one fixed drawing of ``metadata``: no randomness at all.

    The objects fill equal cells in the order the record names them: one object in the
    centre, two side by side, three or four in a 2 x 2 grid; a position clause puts
    its two objects in the two cells along its axis (left/right or top/bottom). Every
    object is 72% of its cell wide, and a colour the record leaves open is the shape's
    :data:`DEFAULT_COLORS` entry. It satisfies the record (checked here with
    :func:`layout`'s margin), so it is a correct picture, just always the same one: what a
    small model learns fastest (the training data of the tiny text-to-image recipe).
    """
    _check_classes(metadata)
    inc = metadata["include"]
    order = [i for i, r in enumerate(inc) for _ in range(int(r["count"]))]
    n = len(order)
    rel = next(((i, *r["position"]) for i, r in enumerate(inc) if "position" in r), None)
    if rel is not None and n == 2:
        i, relation, j = rel
        first, second = (i, j) if relation in ("left of", "above") else (j, i)
        order = [first, second]
        cols, rows = (2, 1) if relation in ("left of", "right of") else (1, 2)
    elif n <= 2:
        cols, rows = n, 1
    else:
        cols = math.ceil(math.sqrt(n))
        rows = math.ceil(n / cols)
    # cells are square (the larger of the two splits), centred on the canvas
    cell = size / max(cols, rows)
    side = max(8, round(cell * 0.72))
    x_start = size / 2 - cols * cell / 2
    y_start = size / 2 - rows * cell / 2
    objects = []
    for k, g in enumerate(order):
        cx = x_start + (k % cols + 0.5) * cell
        cy = y_start + (k // cols + 0.5) * cell
        x0, y0 = round(cx - side / 2), round(cy - side / 2)
        color = inc[g].get("color", DEFAULT_COLORS[inc[g]["class"]])
        objects.append(DrawnObject(inc[g]["class"], color, (x0, y0, x0 + side, y0 + side)))
    if rel is not None:
        i, relation, j = rel
        a = [o for o, g in zip(objects, order) if g == i]
        b = [o for o, g in zip(objects, order) if g == j]
        if not all(_holds(relation, _tight(x.cls, x.box), _tight(y.cls, y.box)) for x in a for y in b):
            raise InputError(f"canonical_layout: {metadata.get('prompt', '')!r} has no canonical drawing "
                             f"(its position clause needs one object on each side)")
    return objects


def _key(metadata: Mapping[str, Any]) -> str:
    import json

    return json.dumps({"include": metadata["include"], "exclude": metadata.get("exclude", [])}, sort_keys=True)


def _place(rng: random.Random, counts: list[int], relations: list[tuple[int, int, str]], size: int,
           extent: float, classes: list[str]) -> list[list[tuple[int, int, int, int]]] | None:
    """One placement attempt: boxes per group, or None when it broke a rule."""
    # a group that takes part in a relation lives in its own band of the canvas
    region: dict[int, tuple[float, float, float, float]] = {}
    for i, j, rel in relations:
        lo, hi = (0.05, 0.42), (0.58, 0.95)
        across = (0.3, 0.7)
        a_band, b_band = (hi, lo) if rel in ("right of", "below") else (lo, hi)
        if rel in ("left of", "right of"):
            region[i] = (*a_band, *across)
            region[j] = (*b_band, *across)
        else:
            region[i] = (*across, *a_band)
            region[j] = (*across, *b_band)
    gap = max(3, round(size * 0.04))
    boxes: list[list[tuple[int, int, int, int]]] = []
    placed: list[tuple[int, int, int, int]] = []
    for g, n in enumerate(counts):
        x_lo, x_hi, y_lo, y_hi = region.get(g, (0.0, 1.0, 0.0, 1.0))
        group = []
        for _ in range(n):
            s = max(8, round(extent * rng.uniform(0.85, 1.15)))
            for _try in range(60):
                cx = rng.uniform(max(x_lo * size, s / 2 + 1), min(x_hi * size, size - s / 2 - 1))
                cy = rng.uniform(max(y_lo * size, s / 2 + 1), min(y_hi * size, size - s / 2 - 1))
                box = (round(cx - s / 2), round(cy - s / 2), round(cx - s / 2) + s, round(cy - s / 2) + s)
                if box[0] < 0 or box[1] < 0 or box[2] > size or box[3] > size:
                    continue
                if all(box[2] + gap <= o[0] or o[2] + gap <= box[0] or box[3] + gap <= o[1] or o[3] + gap <= box[1]
                       for o in placed):
                    break
            else:
                return None
            placed.append(box)
            group.append(box)
        boxes.append(group)
    for i, j, rel in relations:
        for a in boxes[i]:
            for b in boxes[j]:
                if not _holds(rel, _tight(classes[i], a), _tight(classes[j], b)):
                    return None
    return boxes


def _tight(cls: str, box: tuple[int, int, int, int]) -> tuple[float, float, float, float]:
    """About the box the detector will see for ``cls`` drawn in ``box`` (a hexagon or a star
    fills less of it): the relation is checked on these, with margin."""
    x0, y0, x1, y1 = box
    poly = _polygon(cls, (x0, y0, x1 - 1, y1 - 1))
    if poly is None:
        return (x0, y0, x1, y1)
    xs, ys = [p[0] for p in poly], [p[1] for p in poly]
    return (min(xs), min(ys), max(xs) + 1, max(ys) + 1)


def _holds(rel: str, a: Sequence[float], b: Sequence[float]) -> bool:
    d = position_offsets(a, b)
    if d is None:
        return False
    dx, dy = d
    need = 0.5 + MARGIN
    return {"left of": dx < -need, "right of": dx > need, "above": dy < -need, "below": dy > need}[rel]


def _polygon(cls: str, box: Sequence[float]) -> list[tuple[float, float]] | None:
    """The outline of ``cls`` inside ``box`` (None for the circle, drawn as an ellipse)."""
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    cx, cy = x0 + w / 2, y0 + h / 2
    if cls == "square":
        return [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]
    if cls == "triangle":
        return [(cx, y0), (x1, y1), (x0, y1)]
    if cls == "hexagon":  # pointy top: narrower than tall, unlike the circle
        r = h / 2
        return [(cx + r * math.sin(math.pi / 3 * k), cy - r * math.cos(math.pi / 3 * k)) for k in range(6)]
    if cls == "star":
        pts = []
        for k in range(10):
            r = (w / 2) if k % 2 == 0 else (w / 2) * 0.42
            a = math.pi / 5 * k
            pts.append((cx + r * math.sin(a), cy - r * math.cos(a)))
        return pts
    if cls == "cross":
        t = w / 3
        return [(x0 + t, y0), (x1 - t, y0), (x1 - t, y0 + t), (x1, y0 + t), (x1, y1 - t), (x1 - t, y1 - t),
                (x1 - t, y1), (x0 + t, y1), (x0 + t, y1 - t), (x0, y1 - t), (x0, y0 + t), (x0 + t, y0 + t)]
    return None


def _draw_shape(d: Any, cls: str, box: Sequence[float], fill: Any) -> None:
    x0, y0, x1, y1 = box
    poly = _polygon(cls, (x0, y0, x1 - 1, y1 - 1))
    if poly is None:
        d.ellipse((x0, y0, x1 - 1, y1 - 1), fill=fill)
    else:
        d.polygon(poly, fill=fill)


def render(objects: Sequence[DrawnObject], size: int = 128) -> Image.Image:
    """Draw ``objects`` on the grey ground (no anti-aliasing: every pixel is exactly one
    palette colour or the ground)."""
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (size, size), BACKGROUND)
    d = ImageDraw.Draw(img)
    for o in objects:
        _draw_shape(d, o.cls, o.box, PALETTE[o.color])
    return img


def draw(metadata: Mapping[str, Any], seed: int = 0, size: int = 128, plant: str | None = None) -> Image.Image:
    """An image of the shapes world that satisfies ``metadata`` (or breaks it as ``plant`` says)."""
    return render(layout(metadata, seed, size, plant), size)


# --- the exact detector ---------------------------------------------------------------------
_TEMPLATE = 24


@cache
def _templates() -> dict[str, tuple[Any, float]]:
    """Per shape: its silhouette resized to a 24x24 grid and its aspect ratio (w/h)."""
    import numpy as np
    from PIL import Image, ImageDraw

    out = {}
    big = 240
    for cls in SHAPES:
        img = Image.new("L", (big, big), 0)
        _draw_shape(ImageDraw.Draw(img), cls, (0, 0, big, big), 255)
        arr = np.asarray(img) > 0
        ys, xs = np.nonzero(arr)
        crop = img.crop((int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1))
        out[cls] = (np.asarray(crop.resize((_TEMPLATE, _TEMPLATE), Image.BILINEAR)) >= 128,
                    (xs.max() - xs.min() + 1) / (ys.max() - ys.min() + 1))
    return out


def classify_silhouette(mask: np.ndarray) -> tuple[str | None, float]:
    """The shape whose template best matches the tight boolean ``mask`` of one object, and
    the match (IoU on a 24x24 grid, less a penalty for a different aspect ratio)."""
    import numpy as np
    from PIL import Image

    h, w = mask.shape
    small = np.asarray(Image.fromarray(mask.astype(np.uint8) * 255).resize((_TEMPLATE, _TEMPLATE), Image.BILINEAR)) >= 128
    best, best_score = None, -1.0
    for cls, (tmpl, aspect) in _templates().items():
        inter = np.logical_and(small, tmpl).sum()
        union = np.logical_or(small, tmpl).sum()
        score = inter / union - abs(math.log((w / h) / aspect))
        if score > best_score:
            best, best_score = cls, float(score)
    return best, best_score


class ShapesDetector:
    """Exact detector of the shapes world: every connected region of one palette colour is
    an object; its class comes from its silhouette, its colour is the palette colour. Returns
    GenEval detections (score 1.0, exact colour). Regions smaller than ``min_area`` pixels or
    matching no shape (match below ``min_match``) are left out."""

    name = "shapes"
    #: it reports colours itself (no colour classifier needed)
    reports_colors = True

    def __init__(self, min_area: int = 12, min_match: float = 0.6) -> None:
        self.min_area = min_area
        self.min_match = min_match

    def describe(self) -> dict[str, Any]:
        return {"name": self.name, "classes": list(SHAPES), "min_area": self.min_area, "min_match": self.min_match}

    def detect(self, images: Sequence[Image.Image], metadata: Sequence[Mapping[str, Any]] | None = None
               ) -> list[list[dict[str, Any]]]:
        """Per image, its detections (``metadata`` is not needed: the detector sees every class)."""
        return [self._detect_one(im) for im in images]

    def _detect_one(self, image: Image.Image) -> list[dict[str, Any]]:
        import numpy as np

        arr = np.asarray(image.convert("RGB"), dtype=np.int32)
        packed = (arr[..., 0] << 16) | (arr[..., 1] << 8) | arr[..., 2]
        present = set(np.unique(packed).tolist())
        out: list[dict[str, Any]] = []
        for color, (r, g, b) in PALETTE.items():
            code = (r << 16) | (g << 8) | b
            if code not in present:
                continue
            for runs in components(packed == code):
                area = sum(e - s for _, s, e in runs)
                if area < self.min_area:
                    continue
                y0, y1 = min(r for r, _, _ in runs), max(r for r, _, _ in runs) + 1
                x0, x1 = min(s for _, s, _ in runs), max(e for _, _, e in runs)
                crop = np.zeros((y1 - y0, x1 - x0), dtype=bool)
                for row, s, e in runs:
                    crop[row - y0, s - x0:e - x0] = True
                cls, match = classify_silhouette(crop)
                if cls is None or match < self.min_match:
                    continue
                out.append({"class": cls, "box": [float(x0), float(y0), float(x1), float(y1)], "score": 1.0,
                            "color": color})
        return out


def components(mask: np.ndarray) -> list[list[tuple[int, int, int]]]:
    """The 4-connected regions of a boolean image, each as its row runs ``(row, start, end)``.

    Run-length labelling: runs come from one vectorised difference per row; runs of
    neighbouring rows that overlap are joined with a union-find over runs (a few hundred
    per image here), which keeps it fast without SciPy or OpenCV."""
    import numpy as np

    padded = np.zeros((mask.shape[0], mask.shape[1] + 2), dtype=np.int8)
    padded[:, 1:-1] = mask
    d = np.diff(padded, axis=1)
    rs, ss = np.nonzero(d == 1)
    _, es = np.nonzero(d == -1)
    runs = list(zip(rs.tolist(), ss.tolist(), es.tolist()))
    parent = list(range(len(runs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    row_start: dict[int, int] = {}
    for i, (r, _, _) in enumerate(runs):
        row_start.setdefault(r, i)
    for i, (r, s, e) in enumerate(runs):
        j = row_start.get(r - 1)
        if j is None:
            continue
        while j < len(runs) and runs[j][0] == r - 1:
            _, s2, e2 = runs[j]
            if s2 < e and s < e2:
                a, b = find(i), find(j)
                if a != b:
                    parent[a] = b
            j += 1
    groups: dict[int, list[tuple[int, int, int]]] = {}
    for i, run in enumerate(runs):
        groups.setdefault(find(i), []).append(run)
    return list(groups.values())
