"""Evaluation: the bench contract, benches, runner, results and metrics.

``create_bench(name, **kwargs)`` builds a registered bench (``mmx list benches``);
:func:`mmx.eval.runner.evaluate` runs one against a model and writes the results
contract (``results.json``, ``samples.jsonl``, ``report.md``, plots). Every bench
implements :mod:`mmx.eval.contract`; the runner and the report name none.
"""

from __future__ import annotations

from typing import Any

__all__ = ["bench_options", "create_bench", "list_benches"]


def list_benches() -> list[str]:
    """Registered bench names."""
    from mmx.registry import benches

    return benches.names()


#: bench parameters set by ``mmx eval``'s own flags, never by ``--bench-args``
FIXED_OPTIONS = {"data": "--data", "split": "--split", "seed": "--seed"}


def bench_options(name: str, options: dict[str, Any]) -> dict[str, Any]:
    """``options`` (``--bench-args``) checked against what bench ``name`` takes and converted to
    its annotations (:func:`mmx.options.bind_options`); one line for a key or value it refuses."""
    from mmx.options import bind_options
    from mmx.registry import benches

    return bind_options(benches.get(name), options, owner=f"bench {name}", option="--bench-args",
                        fixed=FIXED_OPTIONS)


def create_bench(name: str, *, data: str | None = None, split: str | None = None, seed: int = 0,
                 **kwargs: Any) -> Any:
    """Build the bench ``name`` (e.g. ``mmcric``) on ``data``/``split``/``seed`` with its own
    options ``kwargs`` (``--bench-args``, checked and converted by :func:`bench_options`)."""
    from mmx.registry import benches

    cls = benches.get(name)
    return cls(data=data, split=split, seed=seed, **bench_options(name, kwargs))
