"""Bad ``--bench-args`` and ``--model-args`` for every registered bench and adapter (and the hub
adapters behind ``hf:ORG/NAME``), through ``mmx eval``: one line of error naming the key, a
non-zero exit, no run folder. The cases come from the registries and the factories' signatures,
so a new bench, adapter or option is covered as soon as it is registered."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from mmx.adapters import HUB_ADAPTERS, capabilities_of
from mmx.cli import main
from mmx.options import accepted_options
from mmx.registry import benches, models

#: what --data, --split and --seed set: never a --bench-args key
FIXED = ("data", "split", "seed")
#: ``--model`` values whose adapter loads hub weights: their option errors must come before any loading
HUB = {cap: f"hf:nobody/no-such-{cap.replace('_', '-')}-model" for cap in HUB_ADAPTERS}


def _bench_for(model: str) -> str:
    """A plain registered bench that ``model`` can serve (what ``mmx eval --model`` is run on)."""
    from mmx.adapters import adapter_serves

    caps = {c for c, m in HUB.items() if m == model} or capabilities_of(model)  # a hub spec: its capability
    for b in benches.names():
        needs = benches.info(b).get("needs")
        if needs and needs in caps and not adapter_serves(model, needs, b):
            return b
    raise AssertionError(f"no registered bench for adapter {model}")


def _factory(model: str) -> Any:
    if model in HUB.values():
        cap = next(c for c, m in HUB.items() if m == model)
        module, _, attr = HUB_ADAPTERS[cap].partition(":")
        import importlib

        return getattr(importlib.import_module(module), attr)
    return models.get(model)


def _bad_values(factory: Any, fixed: tuple[str, ...]) -> list[tuple[str, str]]:
    """(key, value) for every option whose type a bad value can miss: text for a number or a
    boolean, and a number out of its range."""
    out = []
    for name, opt in (accepted_options(factory, fixed) or {}).items():
        kinds = [t for t in opt.types if t is not type(None)]
        if kinds and all(t in (int, float, bool) for t in kinds):
            out.append((name, "abc"))
        for r in opt.ranges:
            out += [(name, str(r.lo - 1))] if r.lo is not None else []
            out += [(name, str(r.hi + 1))] if r.hi is not None else []
    return out


MODELS = [*models.names(), *HUB.values()]
BENCH_VALUES = [(b, k, v) for b in benches.names() for k, v in _bad_values(benches.get(b), FIXED)]
MODEL_VALUES = [(m, k, v) for m in MODELS for k, v in _bad_values(_factory(m), ("name",))]


def _refused(argv: list[str], needle: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
             capsys: pytest.CaptureFixture[str]) -> str:
    monkeypatch.chdir(tmp_path)  # the default run folder would be under runs/ here
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    rc = main(["eval", *argv, "--limit", "1", "--no-progress", "--out", str(tmp_path / "run")])
    err = capsys.readouterr().err
    lines = [x for x in err.splitlines() if x.strip()]
    assert rc != 0, err
    assert len(lines) == 1 and lines[0].startswith("mmx eval: error: "), err
    assert needle in lines[0], err
    assert not (tmp_path / "run").exists() and not (tmp_path / "runs").exists()
    return lines[0]


@pytest.mark.parametrize("bench", benches.names())
def test_every_bench_refuses_an_unknown_key(bench, tmp_path, monkeypatch, capsys) -> None:
    line = _refused(["--bench", bench, "--bench-args", "no_such_option=1"], "no_such_option", tmp_path,
                    monkeypatch, capsys)
    assert "--bench-args it takes:" in line


@pytest.mark.parametrize("bench", benches.names())
@pytest.mark.parametrize("key", FIXED)
def test_every_bench_names_the_flag_of_data_split_and_seed(bench, key, tmp_path, monkeypatch, capsys) -> None:
    _refused(["--bench", bench, "--bench-args", f"{key}=1"], f"--{key}", tmp_path, monkeypatch, capsys)


@pytest.mark.parametrize(("bench", "key", "value"), BENCH_VALUES)
def test_every_bench_refuses_a_bad_value_naming_the_key(bench, key, value, tmp_path, monkeypatch, capsys) -> None:
    line = _refused(["--bench", bench, "--bench-args", f"{key}={value}"], f"{key} must be", tmp_path,
                    monkeypatch, capsys)
    assert repr(value) in line


@pytest.mark.parametrize("model", MODELS)
def test_every_adapter_refuses_an_unknown_key(model, tmp_path, monkeypatch, capsys) -> None:
    line = _refused(["--bench", _bench_for(model), "--model", model, "--model-args", "no_such_option=1"],
                    "no_such_option", tmp_path, monkeypatch, capsys)
    assert f"--model {model} does not take no_such_option (--model-args it takes: " in line


@pytest.mark.parametrize(("model", "key", "value"), MODEL_VALUES)
def test_every_adapter_refuses_a_bad_value_naming_the_key(model, key, value, tmp_path, monkeypatch, capsys) -> None:
    line = _refused(["--bench", _bench_for(model), "--model", model, "--model-args", f"{key}={value}"],
                    f"{key} must be", tmp_path, monkeypatch, capsys)
    assert repr(value) in line


def test_the_cases_are_not_vacuous() -> None:
    """Every bench and adapter is covered, and the typed options of the ones the issue named are too."""
    assert {"geneval", "mmcric", "wikimt", "xscript"} <= set(benches.names())
    assert ("geneval", "per_tag", "abc") in BENCH_VALUES and ("xscript", "n_numbers", "abc") in BENCH_VALUES
    assert ("mmcric", "n_matches", "0") in BENCH_VALUES
    for case in [("shapes-oracle", "plant_rate", "abc"), ("shapes-oracle", "plant_rate", "2.0"),
                 ("shapes-oracle", "size", "abc"), ("shapes-oracle", "size", "31")]:
        assert case in MODEL_VALUES, case
    for m in MODELS:  # every adapter declares what it takes (none swallows any keyword)
        assert accepted_options(_factory(m), ("name",)) is not None, m
    for b in benches.names():
        assert accepted_options(benches.get(b), FIXED) is not None, b


@pytest.mark.parametrize("argv", [
    ["--bench", "xscript", "--model-args", "foo=1"],  # no --model: the options would reach no adapter
    ["--bench", "xscript", "--model", "reader", "--model-args", "foo=1"],
    ["--bench", "xscript", "--model", "digits=reader", "--model-args", "batch_size=abc"],
    ["--bench", "xscript", "--bench-args", "families=digits,n_numbers=abc"],
    ["--bench", "xscript", "--bench-args", "families=digits,n_numbers=0"],
    ["--bench", "wikimt", "--model-args", "foo=1"],
    ["--bench", "geneval", "--bench-args", "per_tag=abc"],
    ["--bench", "geneval", "--model-args", "foo=1"],
    ["--bench", "geneval", "--model-args", "plant_rate=abc"],
    ["--bench", "geneval", "--model-args", "size=abc"],
])
def test_the_commands_of_the_issue_are_one_line(argv, tmp_path, monkeypatch, capsys) -> None:
    key = argv[-1].split("=")[-2].split(",")[-1]
    _refused(argv, key, tmp_path, monkeypatch, capsys)
