"""How ``mmx eval`` serves a composite bench (:class:`~mmx.eval.contract.CompositeBench`): one
adapter per group, chosen from ``--model`` and the groups' defaults, built once and shared by
groups that name the same adapter with the same options, and batches that never mix groups.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from mmx.errors import InputError

__all__ = ["GroupAdapters", "batches", "build_group_adapters", "group_plan", "plan_args", "require_served"]


def group_plan(b: Any, model: str | None, model_args: dict[str, Any]) -> dict[str, tuple[str | None, dict[str, Any], str]]:
    """Which adapter serves each group of the composite bench ``b``: group -> (adapter name or
    None, its options, why it has none).

    ``model`` None: every group its default. ``NAME``: every group whose capability ``NAME``
    has; the others are skipped (one clear error when it serves none). ``GROUP=NAME,...``: the
    named groups take ``NAME``, the others keep their defaults. ``model_args`` go to the adapters
    ``--model`` names, never to defaults, checked and converted for each before any work.

    Everything is checked here, before data is loaded or an adapter built: a group's adapter
    (its default, or one ``--model GROUP=NAME`` names) that is not registered or cannot serve the
    group is refused in one line naming the adapters that can.
    """
    from mmx.adapters import (
        adapter_serves,
        can_serve_hint,
        capabilities_of,
        embeds_of,
        is_known_model,
        model_options,
    )
    from mmx.registry import models

    groups = b.groups()
    label = b.group_label

    def cannot(name: str, g: Any) -> str:
        """Why adapter ``name`` cannot serve group ``g`` ("" when it can)."""
        if g.needs not in capabilities_of(name):
            can = ", ".join(sorted(capabilities_of(name))) or "nothing"
            return f"it can {can}, and {label} {g.name} needs {g.needs}"
        takes = embeds_of(name)
        if g.needs == "embed" and g.embeds and takes is not None and not set(g.embeds) <= takes:
            return (f"it embeds {' and '.join(sorted(takes))} only, and {label} {g.name} embeds "
                    f"{' and '.join(g.embeds)}")
        return adapter_serves(name, g.needs, g.serves_as or b.name)

    def refuse(what: str, why: str, g: Any) -> InputError:
        hint = f"; {g.hint}" if g.hint else ""
        return InputError(f"{what}: {why}. {can_serve_hint(g.needs, g.serves_as or b.name, g.embeds)}{hint}")

    if model_args and not model:  # they would reach no adapter: defaults take none
        raise InputError(f"--model-args {', '.join(model_args)}: they go to the adapter --model names, and without "
                         f"--model every {label} of bench {b.name} uses its default adapter; "
                         f"add --model NAME or --model {label.upper()}=NAME")
    bound: dict[tuple[str, str], dict[str, Any]] = {}

    def options(name: str, g: Any) -> dict[str, Any]:
        """``model_args`` as adapter ``name`` takes them for ``g``'s capability (one line if it does not)."""
        if (name, g.needs) not in bound:
            bound[name, g.needs] = model_options(name, g.needs, model_args)
        return bound[name, g.needs]

    targeted: dict[str, str] = {}
    if model and "=" in model:
        for part in model.split(","):
            name, eq, adapter = (x.strip() for x in part.partition("="))
            if not eq or not name or not adapter:
                raise InputError(f"--model {model}: write NAME or {label.upper()}=NAME[,{label.upper()}=NAME]")
            b.group(name)  # an unknown group: one line naming the groups
            targeted[name] = adapter
    plan: dict[str, tuple[str | None, dict[str, Any], str]] = {}
    for g in groups:
        hint = f"; {g.hint}" if g.hint else ""
        if model and not targeted:
            why = cannot(model, g)
            plan[g.name] = (None, {}, f"--model {model}: {why}{hint}") if why else (model, options(model, g), "")
        elif g.name in targeted:
            why = cannot(targeted[g.name], g)
            if why:
                raise refuse(f"--model {g.name}={targeted[g.name]}", why, g)
            plan[g.name] = (targeted[g.name], options(targeted[g.name], g), "")
        elif not g.default_model:
            plan[g.name] = (None, {}, g.hint or f"it has no offline default adapter: pass --model {g.name}=NAME")
        elif not is_known_model(g.default_model):
            raise InputError(f"{label} {g.name}: {models.unknown_message(g.default_model)}"
                             + (f" ({g.hint})" if g.hint else ""))
        else:
            why = cannot(g.default_model, g)
            if why:
                raise refuse(f"{label} {g.name} cannot use its adapter {g.default_model}", why, g)
            plan[g.name] = (g.default_model, {}, "")
    if model and not targeted and all(name is None for name, _, _ in plan.values()):
        whys = "; ".join(f"{g}: {why}" for g, (_, _, why) in plan.items())
        raise InputError(f"--model {model} cannot serve bench {b.name}: no {label} of this run can use it ({whys})")
    return plan


def plan_args(plan: dict[str, tuple[str | None, dict[str, Any], str]]) -> dict[str, Any]:
    """The model options a composite run records: those its ``--model`` adapters received, as
    converted for the first of them (empty when ``--model`` had none)."""
    return next((dict(args) for name, args, _ in plan.values() if name is not None and args), {})


def require_served(b: Any, plan: dict[str, tuple[str | None, dict[str, Any], str]], samples: Sequence[Any]) -> None:
    """Refuse a run in which no group of ``samples`` has an adapter: it would score nothing and
    print an empty table. The line names each skipped group and how to serve it."""
    present = list(dict.fromkeys(s.group for s in samples))
    if any(plan[g][0] is not None for g in present):
        return
    label = b.group_label
    whys = "; ".join(f"{label} {g} skipped: {plan[g][2]}" for g in present)
    raise InputError(f"nothing to score: every {label} of this run is skipped ({whys})")


def build_group_adapters(b: Any, plan: dict[str, tuple[str | None, dict[str, Any], str]], samples: Sequence[Any]) -> Any:
    """Build each served group's adapter once (groups sharing a name and options share it), tell
    the bench, and let each group prepare; returns the adapters in a :class:`GroupAdapters`."""
    from mmx.adapters import create_model

    built: dict[str, Any] = {}
    adapters: dict[str, Any] = {}
    skips: dict[str, str] = {}
    present = list(dict.fromkeys(s.group for s in samples))
    for name in present:
        adapter_name, args, why = plan[name]
        if adapter_name is None:
            skips[name] = why
            continue
        g = b.group(name)
        key = json.dumps([adapter_name, g.needs, args], sort_keys=True, default=str)
        if key not in built:
            built[key] = create_model(adapter_name, g.needs, **args)
        adapters[name] = built[key]
    b.serve_groups(adapters, skips)
    b.prepare_groups(samples)
    return GroupAdapters(adapters, skips, b.group_label)


class GroupAdapters:
    """The adapters of a composite run, standing in for the one adapter of a plain run (notes and
    ``describe()`` for results.json; which adapter serves each group)."""

    def __init__(self, adapters: dict[str, Any], skips: dict[str, str], label: str) -> None:
        self.by_group, self.skips, self.label = adapters, skips, label
        self.is_baseline = bool(adapters) and all(getattr(a, "is_baseline", False) for a in adapters.values())

    def for_group(self, group: str) -> Any:
        return self.by_group.get(group)

    def notes(self) -> list[str]:
        out = [f"{self.label} {g} skipped: {why}" for g, why in self.skips.items()]
        seen: set[int] = set()
        for a in self.by_group.values():
            if id(a) not in seen:
                seen.add(id(a))
                out += a.notes()
        return out

    def describe(self) -> dict[str, Any]:
        return {"groups": {g: a.describe() for g, a in self.by_group.items()},
                "skipped": dict(self.skips)}


def batches(adapter: Any, mine: Sequence[Any]) -> list[tuple[Any, list[Any]]]:
    """``mine`` in batches of the adapter's size; in a composite run, batches never mix groups and
    each takes its group's adapter (None for a skipped group)."""
    if not isinstance(adapter, GroupAdapters):
        bs = max(1, int(getattr(adapter, "batch_size", 1)))
        return [(adapter, list(mine[i:i + bs])) for i in range(0, len(mine), bs)]
    out: list[tuple[Any, list[Any]]] = []
    for s in mine:
        a = adapter.for_group(s.group)
        bs = max(1, int(getattr(a, "batch_size", 1))) if a is not None else 256
        last = out[-1] if out else None
        if last is not None and last[1][-1].group == s.group and len(last[1]) < bs:
            last[1].append(s)
        else:
            out.append((a, [s]))
    return out
