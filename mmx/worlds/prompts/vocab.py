"""The English vocabulary GenEval's prompts are built from, and the shapes world's.

``COCO_CLASSES`` is the 80 COCO class names in GenEval's order (its
``prompts/object_names.txt``): the order matters, because the spec sampler draws
indices into this list.
"""

from __future__ import annotations

COCO_CLASSES: tuple[str, ...] = (
    "person", "bicycle", "car", "motorcycle", "airplane", "bus", "train", "truck", "boat",
    "traffic light", "fire hydrant", "stop sign", "parking meter", "bench", "bird", "cat", "dog",
    "horse", "sheep", "cow", "elephant", "bear", "zebra", "giraffe", "backpack", "umbrella",
    "handbag", "tie", "suitcase", "frisbee", "skis", "snowboard", "sports ball", "kite",
    "baseball bat", "baseball glove", "skateboard", "surfboard", "tennis racket", "bottle",
    "wine glass", "cup", "fork", "knife", "spoon", "bowl", "banana", "apple", "sandwich", "orange",
    "broccoli", "carrot", "hot dog", "pizza", "donut", "cake", "chair", "couch", "potted plant",
    "bed", "dining table", "toilet", "tv", "laptop", "computer mouse", "tv remote",
    "computer keyboard", "cell phone", "microwave", "oven", "toaster", "sink", "refrigerator",
    "book", "clock", "vase", "scissors", "teddy bear", "hair drier", "toothbrush",
)

#: The shapes world's classes (the offline twin draws and detects exactly these).
SHAPES: tuple[str, ...] = ("circle", "square", "triangle", "star", "hexagon", "cross")

#: GenEval's 10 colours, in its order (the sampler draws indices into it).
COLORS: tuple[str, ...] = ("red", "orange", "yellow", "green", "blue", "purple", "pink", "brown",
                           "black", "white")

#: GenEval's four relations, in its order; in a spec, ``include[1]`` stands in the
#: relation to ``include[0]``.
RELATIONS: tuple[str, ...] = ("left of", "right of", "above", "below")

#: The six GenEval tasks (metadata ``tag``), in the order the suite is built.
TAGS: tuple[str, ...] = ("single_object", "two_object", "counting", "colors", "position", "color_attr")

WORLDS: dict[str, tuple[str, ...]] = {"coco": COCO_CLASSES, "shapes": SHAPES}
