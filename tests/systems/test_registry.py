"""Training systems and data modules are registered like encoders and heads: the registries
are the one list of what `mmx fit` knows and of what a checkpoint may name."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import lightning.pytorch as pl

import mmx.systems
from mmx.cli import main
from mmx.registry import data_modules, systems
from mmx.systems import create_data, list_data, list_systems
from mmx.systems.base import MmxSystem, registered_systems, system_modules


def _defined_in_mmx_systems(base: type) -> set[str]:
    found = set()
    for info in pkgutil.iter_modules(mmx.systems.__path__, "mmx.systems."):
        module = importlib.import_module(info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, base) and cls.__module__ == info.name and cls is not MmxSystem:
                found.add(f"{cls.__module__}:{cls.__qualname__}")
    return found


def test_every_system_and_data_module_is_registered_and_nothing_else() -> None:
    assert {systems.target(n) for n in list_systems()} == _defined_in_mmx_systems(MmxSystem)
    assert {data_modules.target(n) for n in list_data()} == _defined_in_mmx_systems(pl.LightningDataModule)
    for name in list_systems():
        cls = systems.get(name)
        assert (cls.__doc__ or "").strip() and systems.info(name)["data"] in list_data(), name
    assert set(registered_systems()) == {systems.target(n).replace(":", ".") for n in list_systems()}
    assert "mmx.systems.seetok_data" in system_modules() and "mmx.systems.base" not in system_modules()


def test_classes_load_by_name_from_the_package() -> None:
    from mmx.systems import ReaderSystem, ShapesCaptionsDataModule

    assert ReaderSystem is systems.get("reader") and ShapesCaptionsDataModule is data_modules.get("shapes_captions")
    dm = create_data("instructions", generated=8)
    dm.setup()
    assert len(dm.train_items) + len(dm.val_items) == 8


def test_mmx_list_shows_systems_and_data(capsys) -> None:
    assert main(["list", "systems"]) == 0
    out = capsys.readouterr().out
    assert "seetok_lora" in out and "t2i_lora" in out
    assert main(["list", "data"]) == 0
    assert "shapes_captions" in capsys.readouterr().out
