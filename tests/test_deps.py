"""Optional packages: one line naming what needs a missing one and the extra that brings it;
the table of extras agrees with pyproject.toml and covers every ``require`` of mmx/."""

from __future__ import annotations

import ast
import importlib.metadata as md
import json
import re
import sys
from pathlib import Path

import pytest

from mmx import deps
from mmx.deps import PACKAGES, install_command
from mmx.errors import MissingDependencyError
from mmx.render.tokens import TOKENIZERS

tomllib = pytest.importorskip("tomllib")

ROOT = Path(__file__).resolve().parents[1]


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_a_present_module_is_returned() -> None:
    assert deps.require("json", "reading") is json
    import email.mime.text

    assert deps.require("email.mime.text", "mail") is email.mime.text


def test_a_missing_module_says_what_needs_it_and_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "peft", None)  # None in sys.modules: import raises ImportError
    with pytest.raises(MissingDependencyError) as info:
        deps.require("peft", "LoRA")
    assert str(info.value) == 'LoRA needs peft: pip install "mmx[train]"'
    monkeypatch.setitem(sys.modules, "open_clip", None)
    with pytest.raises(MissingDependencyError, match=r'^the CLIP colour classifier needs open-clip-torch: '
                                                     r'pip install "mmx\[train\]"$'):
        deps.require("open_clip", "the CLIP colour classifier")


def test_a_module_in_no_extra_is_installed_by_its_own_name() -> None:
    assert install_command("no_such_module_xyz.sub") == "pip install no-such-module-xyz"
    with pytest.raises(MissingDependencyError, match=r"^x needs no-such-module-xyz: pip install no-such-module-xyz$"):
        deps.require("no_such_module_xyz.sub", "x")


def test_the_table_agrees_with_pyproject() -> None:
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"]
    listed = {extra: {_norm(re.match(r"[A-Za-z0-9._-]+", r).group(0)) for r in reqs} for extra, reqs in extras.items()}
    dists = md.packages_distributions()
    for module, (package, extra) in PACKAGES.items():
        if extra is None:
            assert not any(_norm(package) in names for names in listed.values()), f"{module}: {package} is in an extra"
        else:
            assert _norm(package) in listed[extra], f"{module}: pyproject.toml's {extra} extra does not list {package}"
        if module in dists:  # installed here: the package that brings the module is the one named
            assert _norm(package) in {_norm(d) for d in dists[module]}, f"{module} comes from {dists[module]}"


def test_every_require_of_mmx_is_in_the_table() -> None:
    unknown = []
    for path in (ROOT / "mmx").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if "from mmx.deps import require" not in text:
            continue
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "require":
                arg = node.args[0]
                if isinstance(arg, ast.Constant) and arg.value.split(".")[0] not in PACKAGES:
                    unknown.append(f"{path.relative_to(ROOT)}:{node.lineno}: {arg.value}")
    unknown += [f"mmx/render/tokens.py TOKENIZERS: {m}" for m, _ in TOKENIZERS.values() if m not in PACKAGES]
    assert not unknown, f"modules required by mmx/ but not in mmx.deps.PACKAGES: {unknown}"
