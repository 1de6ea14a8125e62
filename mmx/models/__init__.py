"""Deprecated: ``mmx.models`` is now :mod:`mmx.adapters` (inference adapters) and
:mod:`mmx.perf` (FLOPs accounting). The old names work for one more release, with a
``DeprecationWarning``; import from the new packages.
"""

from __future__ import annotations

import warnings

from mmx.adapters import *  # noqa: F403  (the old package's public names)
from mmx.adapters import __all__  # noqa: F401
from mmx.compat import alias_modules

warnings.warn("mmx.models is now mmx.adapters (and mmx.perf for FLOPs); the old name goes in the next release",
              DeprecationWarning, stacklevel=2)

alias_modules("mmx.models", {
    **{name: f"mmx.adapters.{name}" for name in (
        "base", "baselines", "diffusers_t2i", "fast_vision", "hf_common", "hf_text", "hf_vlm", "mmx_t2i",
        "music_text", "qwen_tokens", "reader")},
    "flops": "mmx.perf.flops",
})
