"""Every script in benchmarks/, experiments/ and figures/ has its row in its folder's README.md.

A row is a table line whose first cell is the script's name in backticks; its command
cell runs the script by its path from the repository root (``FOLDER/NAME``). A README
names only scripts that are in its folder.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FOLDERS = ("benchmarks", "experiments", "figures")
SCRIPT_SUFFIXES = (".py", ".sh")

ROW = re.compile(r"^\|\s*`([^`]+)`\s*\|(.*)\|\s*$")
#: a script's bare name, not the last part of a path (``mmx/render/speed.py``)
BARE_SCRIPT = re.compile(r"(?<![\w./-])([\w-]+\.(?:py|sh))\b")


def scripts(folder: str) -> set[str]:
    return {p.name for p in (ROOT / folder).iterdir() if p.is_file() and p.suffix in SCRIPT_SUFFIXES}


def rows(folder: str) -> dict[str, list[str]]:
    """First cell -> the other cells, for every table row of the folder's README that starts with a name."""
    found: dict[str, list[str]] = {}
    for line in (ROOT / folder / "README.md").read_text(encoding="utf-8").splitlines():
        m = ROW.match(line)
        if m:
            assert m.group(1) not in found, f"{folder}/README.md: two rows for {m.group(1)}"
            found[m.group(1)] = [cell.strip() for cell in m.group(2).split("|")]
    return found


@pytest.mark.parametrize("folder", FOLDERS)
def test_every_script_has_a_row(folder: str) -> None:
    missing = sorted(scripts(folder) - set(rows(folder)))
    assert not missing, f"{folder}/README.md has no row for: {', '.join(missing)}"


@pytest.mark.parametrize("folder", FOLDERS)
def test_the_readme_names_only_scripts_of_its_folder(folder: str) -> None:
    text = (ROOT / folder / "README.md").read_text(encoding="utf-8")
    named = set(rows(folder)) | set(BARE_SCRIPT.findall(text))
    stray = sorted(named - scripts(folder))
    assert not stray, f"{folder}/README.md names scripts that are not in {folder}/: {', '.join(stray)}"


@pytest.mark.parametrize("folder", FOLDERS)
def test_each_row_gives_a_command_and_what_it_writes(folder: str) -> None:
    for name, cells in rows(folder).items():
        assert len(cells) >= 3 and all(cells[:3]), f"{folder}/README.md: the row of {name} lacks a cell"
        assert f"{folder}/{name}" in cells[1], f"{folder}/README.md: the command of {name} does not run {folder}/{name}"


def test_the_check_is_not_vacuous() -> None:
    assert "bench_render.py" in scripts("benchmarks") and "gpu_suite.sh" in scripts("benchmarks")
    assert all(rows(folder) for folder in FOLDERS)
    assert BARE_SCRIPT.findall("`gallery.py`, mmx/render/speed.py") == ["gallery.py"]
