"""Training: LightningModules and DataModules, driven by ``mmx fit|validate|test|predict``.

Systems hold training loops only; components (encoders, heads) are chosen by
registry name in the YAML config, e.g. ``configs/tiny_reader.yaml``. Systems and data
modules are registered like encoders and heads (``mmx list systems``, ``mmx list data``):
the registries are the one list of what ``mmx fit`` knows and of what a checkpoint may
name. Names load lazily so ``import mmx.systems`` does not import Lightning.

>>> from mmx.systems import create_system, list_systems
>>> system = create_system("reader", max_len=8)  # doctest: +SKIP
"""

from __future__ import annotations

from typing import Any

__all__ = ["MmxSystem", "create_data", "create_system", "list_data", "list_systems", "load_system"]

#: names defined in ``base`` (every registered class is found through the registries too)
_EXPORTS = {"MmxSystem": "mmx.systems.base", "load_system": "mmx.systems.base"}


def create_system(name: str, **kwargs: Any) -> Any:
    """Build the registered training system ``name`` (``mmx list systems``) with ``kwargs``."""
    from mmx.registry import systems

    return systems.get(name)(**kwargs)


def create_data(name: str, **kwargs: Any) -> Any:
    """Build the registered data module ``name`` (``mmx list data``) with ``kwargs``."""
    from mmx.registry import data_modules

    return data_modules.get(name)(**kwargs)


def list_systems() -> list[str]:
    """Names of the registered training systems (never imports them)."""
    from mmx.registry import systems

    return systems.names()


def list_data() -> list[str]:
    """Names of the registered data modules (never imports them)."""
    from mmx.registry import data_modules

    return data_modules.names()


def registered_classes() -> dict[str, str]:
    """Class name -> ``"module:Class"`` of every registered system and data module."""
    from mmx.registry import data_modules, systems

    out = {}
    for reg in (systems, data_modules):
        for name in reg.names():
            target = reg.target(name)
            out[target.rpartition(":")[2]] = target
    return out


def __getattr__(name: str) -> Any:
    import importlib

    module = _EXPORTS.get(name)
    if module is not None:
        return getattr(importlib.import_module(module), name)
    target = registered_classes().get(name)
    if target is None:
        raise AttributeError(f"module 'mmx.systems' has no attribute {name!r}")
    module, _, attr = target.partition(":")
    return getattr(importlib.import_module(module), attr)
