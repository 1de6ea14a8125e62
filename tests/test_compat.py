"""Old import paths work for one release, warn, and give the very same objects as the new ones."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest


def test_mmx_models_is_mmx_adapters_with_a_warning() -> None:
    code = ("import warnings; warnings.simplefilter('error', DeprecationWarning)\n"
            "try:\n    import mmx.models\nexcept DeprecationWarning as w:\n    print('warned:', w)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120).stdout
    assert "warned: mmx.models is now mmx.adapters" in out
    sys.modules.pop("mmx.models.base", None)  # an alias imported earlier in this process would not warn again
    with pytest.warns(DeprecationWarning, match="mmx.models.base moved to mmx.adapters.base"):
        old = importlib.import_module("mmx.models.base")
    new = importlib.import_module("mmx.adapters.base")
    assert old is new and new.__spec__.name == "mmx.adapters.base"
    sys.modules.pop("mmx.models.flops", None)
    with pytest.warns(DeprecationWarning, match="mmx.perf.flops"):
        from mmx.models.flops import load_dims  # FLOPs accounting moved to mmx.perf
    from mmx.perf.flops import load_dims as new_load_dims

    assert load_dims is new_load_dims


def test_geneval_modules_moved_to_worlds_keep_their_old_paths() -> None:
    from mmx.eval.benches.geneval import judge
    from mmx.worlds.geneval import judge as new_judge

    assert judge is new_judge
    sys.modules.pop("mmx.eval.benches.geneval.shapes", None)
    with pytest.warns(DeprecationWarning, match="moved to mmx.worlds.shapes"):
        shapes = importlib.import_module("mmx.eval.benches.geneval.shapes")
    assert shapes is importlib.import_module("mmx.worlds.shapes") and callable(shapes.canonical_layout)
