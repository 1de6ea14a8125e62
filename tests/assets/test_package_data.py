"""The shipped files travel as package data: a built wheel holds them, and an installed one finds them."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from mmx.assets import asset_dir, reader_dir, samples_dir

CHECKOUT = Path(__file__).resolve().parents[2]


def shipped_files() -> set[str]:
    """Every file under mmx/assets/reader and mmx/assets/samples, as wheel member names."""
    root = reader_dir().parent.parent.parent  # the folder holding the mmx package
    return {p.relative_to(root).as_posix() for folder in (reader_dir(), samples_dir())
            for p in folder.rglob("*") if p.is_file()}


def test_assets_are_found_in_the_package():
    assert reader_dir() == asset_dir("reader") and reader_dir().parent.name == "assets"
    assert {"model.safetensors", "mmx_system.json", "README.md"} <= {p.name for p in reader_dir().iterdir()}
    assert len(list(samples_dir().glob("*_*.txt"))) == 16
    assert not (CHECKOUT / "assets").exists()  # one copy, inside the package


@pytest.mark.slow
def test_an_installed_wheel_finds_the_reader_and_samples(tmp_path: Path):
    if not (CHECKOUT / "pyproject.toml").is_file():
        pytest.skip("not a source checkout: no pyproject.toml to build a wheel from")
    # build from a copy, so the build leaves no build/ or mmx.egg-info/ in the checkout
    src = tmp_path / "src"
    shutil.copytree(CHECKOUT / "mmx", src / "mmx", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for f in CHECKOUT.iterdir():
        if f.is_file():
            shutil.copy2(f, src / f.name)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input"]
    subprocess.run([*pip, "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-q", "-w",
                    str(tmp_path / "dist"), str(src)], check=True, capture_output=True, timeout=300)
    (wheel,) = (tmp_path / "dist").glob("mmx-*.whl")
    with zipfile.ZipFile(wheel) as zf:
        members = set(zf.namelist())
    expected = shipped_files()
    assert "mmx/assets/reader/model.safetensors" in expected and len(expected) >= 19
    assert expected <= members, f"missing from the wheel: {sorted(expected - members)}"

    site = tmp_path / "site"
    subprocess.run([*pip, "install", "--no-deps", "--no-index", "-q", "--target", str(site), str(wheel)],
                   check=True, capture_output=True, timeout=300)
    code = (
        "import json, mmx\n"
        "from mmx.demo.state import default_reader_dir\n"
        "from mmx.demo.tabs.render import examples\n"
        "from mmx.assets import samples_dir\n"
        "reader = default_reader_dir()\n"
        "print(json.dumps({'mmx': mmx.__file__, 'reader': str(reader),\n"
        "  'reader_files': sorted(p.name for p in reader.iterdir()),\n"
        "  'samples': str(samples_dir()), 'examples': [c for c, _ in examples()]}))\n"
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site)}
    proc = subprocess.run([sys.executable, "-c", code], cwd=elsewhere, env=env, capture_output=True, text=True,
                          timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    found = json.loads(proc.stdout)
    assert Path(found["mmx"]).is_relative_to(site), "the test imported mmx from somewhere else than the wheel"
    assert Path(found["reader"]) == site / "mmx" / "assets" / "reader"
    assert {"model.safetensors", "mmx_system.json"} <= set(found["reader_files"])
    assert Path(found["samples"]) == site / "mmx" / "assets" / "samples"
    assert found["examples"][0] == "hin_Deva" and len(found["examples"]) == 16
