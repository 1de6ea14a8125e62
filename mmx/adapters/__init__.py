"""Inference adapters used by ``mmx eval`` and ``mmx demo``, grouped by capability.

``create_model(name)`` resolves a registered short name (``mmx list models``), or
``hf:ORG/NAME`` / a local model folder, which the adapter for the needed capability
loads (transformers image-text-to-text models answer questions; diffusers pipelines
draw images).
"""

from __future__ import annotations

import os
from typing import Any

from mmx.adapters.base import (
    CAPABILITIES,
    EmbedRequest,
    ImageRequest,
    ModelAdapter,
    Reference,
    VqaRequest,
    parse_model_args,
)
from mmx.errors import InputError

__all__ = ["CAPABILITIES", "EmbedRequest", "ImageRequest", "ModelAdapter", "Reference", "VqaRequest",
           "adapter_serves", "adapters_for", "can_serve_hint", "capabilities_of", "check_serves", "create_model",
           "embeds_of", "is_known_model", "list_models", "model_options", "parse_model_args"]

#: the adapter that loads ``hf:ORG/NAME`` or a local folder, per capability
HUB_ADAPTERS: dict[str, str] = {
    "answer": "mmx.adapters.hf_vlm:HfVlmModel",
    "generate_images": "mmx.adapters.diffusers_t2i:DiffusersT2IModel",
}


def list_models() -> list[str]:
    """Registered adapter names (``hf:ORG/NAME`` and local paths are accepted too)."""
    from mmx.registry import models

    return models.names()


def _is_hub_spec(name: str) -> bool:
    from mmx.registry import models

    return name.startswith("hf:") or (name not in models and (os.sep in name or os.path.isdir(name)))


def capabilities_of(name: str) -> frozenset[str]:
    """What the adapter ``name`` can do, without importing it (``hf:``/folders: every
    capability that has a hub adapter)."""
    from mmx.registry import models

    if _is_hub_spec(name):
        return frozenset(HUB_ADAPTERS)
    return frozenset(models.info(name).get("capabilities", ("answer",)))


def embeds_of(name: str) -> frozenset[str] | None:
    """The modalities an ``embed`` adapter takes when it declared them at registration
    (``embeds=("text",)``); None when it did not (any modality it is asked for)."""
    from mmx.registry import models

    if _is_hub_spec(name) or name not in models:
        return None
    got = models.info(name).get("embeds")
    return frozenset(got) if got else None


def adapters_for(capability: str, bench: str | None = None, embeds: tuple[str, ...] = ()) -> list[str]:
    """Registered adapters that have ``capability`` (and serve ``bench``, and embed every modality
    of ``embeds``, when given)."""
    from mmx.registry import models

    out = []
    for n in models.names():
        info = models.info(n)
        if capability not in info.get("capabilities", ("answer",)):
            continue
        if bench is not None and info.get("benches") and bench not in info["benches"]:
            continue
        if embeds and info.get("embeds") and not set(embeds) <= set(info["embeds"]):
            continue
        out.append(n)
    return out


def is_known_model(name: str) -> bool:
    """Whether ``name`` is a registered adapter, ``hf:ORG/NAME`` or a local folder."""
    from mmx.registry import models

    return _is_hub_spec(name) or name in models


def adapter_serves(name: str, capability: str, bench: str) -> str:
    """Why the adapter ``name`` cannot serve ``bench``, which needs ``capability`` ("" when it can).

    An adapter made for some benches only (``benches=(...)`` at registration) serves just those."""
    from mmx.registry import models

    if not is_known_model(name):
        models.get(name)  # raises with close matches
    can = capabilities_of(name)
    made_for = () if _is_hub_spec(name) else tuple(models.info(name).get("benches", ()))
    if capability in can and (not made_for or bench in made_for):
        return ""
    if capability in can:
        return f"it is made for {', '.join(made_for)} only"
    return f"it can {', '.join(sorted(can)) or 'nothing'}, and {bench} needs {capability}"


def can_serve_hint(capability: str, bench: str | None = None, embeds: tuple[str, ...] = ()) -> str:
    """``Adapters that can: a, b or hf:ORG/NAME / a local folder``: the end of every refusal of an
    adapter that cannot serve ``capability`` (for ``bench``, embedding ``embeds``, when given)."""
    others = adapters_for(capability, bench, embeds)
    hub = " or hf:ORG/NAME / a local folder" if capability in HUB_ADAPTERS else ""
    return f"Adapters that can: {', '.join(others) or 'none registered'}{hub}"


def check_serves(name: str, capability: str, bench: str) -> None:
    """Raise one clear line when the adapter ``name`` cannot serve ``bench``, which needs
    ``capability``; the line names the adapters that can."""
    why = adapter_serves(name, capability, bench)
    if why:
        raise InputError(f"--model {name} cannot serve bench {bench}: {why}. {can_serve_hint(capability, bench)}")


def _factory(name: str, capability: str) -> Any:
    """The class that builds adapter ``name`` (``hf:``/folders: the hub adapter for ``capability``)."""
    import importlib

    from mmx.registry import models

    if _is_hub_spec(name):
        target = HUB_ADAPTERS.get(capability)
        if target is None:
            raise InputError(f"--model {name}: no adapter loads hub models for {capability} yet; "
                             f"use a registered adapter: {', '.join(adapters_for(capability)) or 'none'}")
        module, _, attr = target.partition(":")
        return getattr(importlib.import_module(module), attr)
    return models.get(name)


def model_options(name: str, capability: str, options: dict[str, Any]) -> dict[str, Any]:
    """``options`` (``--model-args``) checked against what adapter ``name`` takes and converted to
    its annotations, without building it: a bad key or value is one line before anything loads."""
    from mmx.options import bind_options

    return bind_options(_factory(name, capability), options, owner=f"--model {name}", option="--model-args",
                        fixed={"name": "--model"} if _is_hub_spec(name) else None)


def create_model(name: str, capability: str = "answer", **kwargs: Any) -> ModelAdapter:
    """Build the adapter ``name`` with ``kwargs`` (from ``--model-args``, checked and converted by
    :func:`model_options`); ``hf:ORG/NAME`` and local folders load through the hub adapter for
    ``capability``."""
    factory = _factory(name, capability)
    args = model_options(name, capability, kwargs)
    return factory(name, **args) if _is_hub_spec(name) else factory(**args)
