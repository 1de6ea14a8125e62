"""Old import paths kept working for one release after a module moved.

``alias_modules("mmx.models", {"base": "mmx.adapters.base", ...})`` makes
``import mmx.models.base`` (and ``from mmx.models.base import X``) return the module
``mmx.adapters.base`` itself, not a copy: classes keep their identity, so an
``isinstance`` check across old and new names holds.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import sys
import warnings
from types import ModuleType


class _AliasFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Finds ``<old>.<name>`` for the names of one moved package and loads the new module."""

    def __init__(self, old: str, moved: dict[str, str]) -> None:
        self.old, self.moved = old, moved
        self._spec: importlib.machinery.ModuleSpec | None = None

    def find_spec(self, fullname: str, path: object = None, target: object = None) -> importlib.machinery.ModuleSpec | None:
        prefix, _, name = fullname.rpartition(".")
        if prefix != self.old or name not in self.moved:
            return None
        return importlib.machinery.ModuleSpec(fullname, self)

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        new = self.moved[spec.name.rpartition(".")[2]]
        warnings.warn(f"{spec.name} moved to {new}; the old name goes in the next release",
                      DeprecationWarning, stacklevel=3)
        module = importlib.import_module(new)
        self._spec = module.__spec__  # the import system sets __spec__ to the alias's; put it back below
        return module

    def exec_module(self, module: ModuleType) -> None:
        """The module is the new one, already executed: only its own spec is restored."""
        module.__spec__ = self._spec


def alias_modules(old: str, moved: dict[str, str]) -> None:
    """Serve ``old.<name>`` from ``moved[name]`` (a dotted module path) on import."""
    if not any(isinstance(f, _AliasFinder) and f.old == old for f in sys.meta_path):
        sys.meta_path.append(_AliasFinder(old, moved))
