"""Training: LightningModules and DataModules, driven by ``mmx fit|validate|test|predict``.

Systems hold training loops only; components (encoders, heads) are chosen by
registry name in the YAML config, e.g. ``configs/tiny_reader.yaml``.
Names load lazily so ``import mmx.systems`` does not import Lightning.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "MmxSystem": "mmx.systems.base",
    "ReaderSystem": "mmx.systems.reader",
    "RenderedNumbersDataModule": "mmx.systems.reader_data",
    "SeeTokLoraSystem": "mmx.systems.seetok",
    "InstructionDataModule": "mmx.systems.seetok",
    "load_system": "mmx.systems.base",
    "MusicTextSystem": "mmx.systems.music_text",
    "MusicTextDataModule": "mmx.systems.music_text_data",
    "T2ISystem": "mmx.systems.t2i",
    "T2ILoraSystem": "mmx.systems.t2i",
    "ShapesCaptionsDataModule": "mmx.systems.t2i_data",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'mmx.systems' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
