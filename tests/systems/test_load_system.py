"""load_system builds only registered training systems: a checkpoint or an exported
folder names a class, and anything else is refused before it is imported."""

from __future__ import annotations

import json
import sys

import pytest
import torch

from mmx.errors import InputError
from mmx.systems.base import EXPORT_CONFIG, EXPORT_WEIGHTS, load_system, registered_systems


def _folder(tmp_path, system) -> str:
    from safetensors.torch import save_file

    folder = tmp_path / "downloaded_reader"
    folder.mkdir()
    save_file({"w": torch.zeros(1)}, str(folder / EXPORT_WEIGHTS))
    (folder / EXPORT_CONFIG).write_text(json.dumps({"system": system, "hparams": {}}))
    return str(folder)


@pytest.fixture
def trap(tmp_path, monkeypatch):
    """A module on sys.path whose import leaves a file behind: the code a malicious
    folder would run. Returns (its importable name, the marker file)."""
    marker = tmp_path / "imported"
    (tmp_path / "mmx_trap_module.py").write_text(
        f"open({str(marker)!r}, 'w').close()\nclass Evil:\n    def __init__(self, **kw):\n        pass\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    yield "mmx_trap_module", marker
    sys.modules.pop("mmx_trap_module", None)


def test_registered_systems_are_mmx_training_systems() -> None:
    known = registered_systems()
    assert {"mmx.systems.reader.ReaderSystem", "mmx.systems.seetok.SeeTokLoraSystem"} <= set(known)
    assert "mmx.systems.base.MmxSystem" not in known  # the base class trains nothing


def test_folder_naming_another_module_is_refused_before_import(tmp_path, trap) -> None:
    module, marker = trap
    folder = _folder(tmp_path, f"{module}.Evil")
    with pytest.raises(InputError, match="not a registered mmx training system") as err:
        load_system(folder)
    assert "mmx.systems.reader.ReaderSystem" in str(err.value)  # says what would load
    assert not marker.exists() and module not in sys.modules


@pytest.mark.parametrize(
    "system",
    ["os.system", "builtins.eval", "subprocess.Popen", "mmx.systems.base.MmxSystem",
     "mmx.systems.reader.NoSuchSystem", "mmx.systems.reader_data.RenderedNumbersDataModule"],
)
def test_folder_naming_anything_but_a_system_is_refused(tmp_path, system) -> None:
    with pytest.raises(InputError, match="not a registered mmx training system"):
        load_system(_folder(tmp_path, system))


@pytest.mark.parametrize("system", [None, "", 42, ["mmx.systems.reader.ReaderSystem"]])
def test_folder_without_a_system_name(tmp_path, system) -> None:
    with pytest.raises(InputError, match="does not say which mmx system"):
        load_system(_folder(tmp_path, system))


def test_folder_with_a_json_that_is_not_an_object(tmp_path) -> None:
    folder = _folder(tmp_path, "x")
    (tmp_path / "downloaded_reader" / EXPORT_CONFIG).write_text("[1, 2]")
    with pytest.raises(InputError, match="expected a JSON object"):
        load_system(folder)
    (tmp_path / "downloaded_reader" / EXPORT_CONFIG).write_text("{not json")
    with pytest.raises(InputError, match="not readable JSON"):
        load_system(folder)


def test_checkpoint_naming_another_module_is_refused(tmp_path, trap) -> None:
    module, marker = trap
    path = tmp_path / "evil.ckpt"
    torch.save({"state_dict": {}, "mmx_system": f"{module}.Evil", "hyper_parameters": {}}, path)
    with pytest.raises(InputError, match="not a registered mmx training system"):
        load_system(str(path))
    assert not marker.exists()
