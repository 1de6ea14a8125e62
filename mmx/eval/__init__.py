"""Evaluation: the bench contract, benches, runner, results and metrics.

``create_bench(name, **kwargs)`` builds a registered bench (``mmx list benches``);
:func:`mmx.eval.runner.evaluate` runs one against a model and writes the results
contract (``results.json``, ``samples.jsonl``, ``report.md``, plots). Every bench
implements :mod:`mmx.eval.contract`; the runner and the report name none.
"""

from __future__ import annotations

from typing import Any

from mmx.errors import InputError

__all__ = ["create_bench", "list_benches"]


def list_benches() -> list[str]:
    """Registered bench names."""
    from mmx.registry import benches

    return benches.names()


def create_bench(name: str, **kwargs: Any) -> Any:
    """Build the bench ``name`` (e.g. ``mmcric``) with bench options (data, split, seed, ...)."""
    from mmx.registry import benches, unknown_options

    cls = benches.get(name)
    unknown, accepted = unknown_options(cls, kwargs)
    if unknown:
        raise InputError(f"bench {name} does not take {', '.join(unknown)} (it takes: {', '.join(accepted)})")
    return cls(**kwargs)
