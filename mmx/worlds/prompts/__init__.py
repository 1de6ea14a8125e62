"""GenEval prompts in many languages: GenEval's 553 specs, rendered by grammar.

``specs()`` re-runs GenEval's own sampling procedure (seed 43), so the English
rendering is byte-identical to GenEval's ``evaluation_metadata.jsonl``; every other
language is one lexicon-and-grammar module under ``langs/``. ``write_metadata``
writes one GenEval-format file per language (and variant).
"""

from __future__ import annotations

from ._render import (
    LANGUAGES,
    VARIANTS,
    folder_name,
    parse_languages,
    render_prompt,
    variant_summary,
    variants,
    write_metadata,
)
from ._scene import Obj, Scene, scene
from ._specs import specs
from .vocab import COCO_CLASSES, COLORS, RELATIONS, SHAPES, TAGS

__all__ = ["COCO_CLASSES", "COLORS", "LANGUAGES", "RELATIONS", "SHAPES", "TAGS", "VARIANTS", "Obj", "Scene",
           "folder_name", "parse_languages", "render_prompt", "scene", "specs", "variant_summary", "variants",
           "write_metadata"]
