"""Inference adapters used by ``mmx eval`` and ``mmx demo``.

``create_model(name)`` resolves a registered short name (``ocr-table``,
``random``, ``majority``, ``text-only``), ``hf:ORG/NAME`` or a local model
folder (transformers image-text-to-text models).
"""

from __future__ import annotations

import os
from typing import Any

from mmx.models.base import ModelAdapter, Reference, VqaRequest, parse_model_args

__all__ = ["ModelAdapter", "Reference", "VqaRequest", "create_model", "list_models", "parse_model_args"]


def list_models() -> list[str]:
    """Registered adapter names (``hf:ORG/NAME`` and local paths are accepted too)."""
    from mmx.registry import models

    return models.names()


def create_model(name: str, **kwargs: Any) -> ModelAdapter:
    """Build the adapter ``name`` with ``kwargs`` (from ``--model-args``)."""
    from mmx.registry import models

    if name.startswith("hf:") or (name not in models and (os.sep in name or os.path.isdir(name))):
        from mmx.models.hf_vlm import HfVlmModel

        return HfVlmModel(name, **kwargs)
    factory = models.get(name)
    return factory(**kwargs)
