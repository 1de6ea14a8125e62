"""mmx/options.py: the one path of every bench's and adapter's options, from text or from Python."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

import pytest

from mmx.errors import InputError
from mmx.options import (
    Count,
    Range,
    Rate,
    accepted_options,
    bind_options,
    convert,
    guess_value,
    parse_options,
)


def test_parse_keeps_text_and_joins_list_values() -> None:
    assert parse_options("families=digits,scorecards,n=4, x = none") == {
        "families": "digits,scorecards", "n": "4", "x": "none"}
    with pytest.raises(InputError, match="--bench-args: 'seed' is not key=value"):
        parse_options("seed,n=2", "--bench-args")
    assert guess_value("8") == 8 and guess_value("0.5") == 0.5 and guess_value("no") is False
    assert guess_value("none") is None and guess_value("007x") == "007x"


@pytest.mark.parametrize(("value", "annotation", "want"), [
    ("8", int, 8), (8, int, 8), ("0.25", Rate, 0.25), (1, float, 1.0), ("yes", bool, True), ("off", bool, False),
    ("007", str, "007"), (2024, str, "2024"), (Path("a/b"), str, "a/b"), ("none", Count | None, None),
    (None, str | None, None), ("a, b,", tuple[str, ...], ("a", "b")), ("page", Literal["strip", "page"], "page"),
    ("3", Any, 3), ({"k": 1}, str | dict[str, Any], {"k": 1}),
])
def test_convert_follows_the_annotation(value, annotation, want) -> None:
    got = convert(value, annotation, key="k")
    assert got == want and type(got) is type(want)


@pytest.mark.parametrize(("value", "annotation", "needle"), [
    ("abc", int, "k must be an integer, not 'abc'"),
    (True, int, "k must be an integer, not True"),
    ("1.5", Count, "k must be a positive integer, not '1.5'"),
    ("0", Count, "k must be a positive integer, not '0'"),
    ("abc", Rate, "k must be a number in [0, 1], not 'abc'"),
    ("1.5", Rate, "k must be a number in [0, 1], not '1.5'"),
    ("nan", Rate, "k must be a number in [0, 1], not 'nan'"),
    ("31", Annotated[int, Range(32)], "k must be an integer >= 32, not '31'"),
    ("maybe", bool, "k must be true or false, not 'maybe'"),
    ("none", int, "k must be an integer, not 'none'"),
    ("curly", Literal["strip", "page"], "k must be one of strip, page, not 'curly'"),
    (True, str, "k must be text, not True"),
])
def test_a_value_that_does_not_fit_is_one_line_naming_the_key(value, annotation, needle) -> None:
    with pytest.raises(InputError) as err:
        convert(value, annotation, key="k", owner="--model x")
    assert str(err.value) == f"--model x: {needle}"


class _Spec:
    def __init__(self, dtype: str = "auto", batch_size: Count = 1) -> None: ...


class _Takes:
    kwargs_options = _Spec

    def __init__(self, name: str, size: Annotated[int, Range(32)] = 128, rate: Rate = 0.0, **rest: Any) -> None: ...


def test_bind_lists_unknown_keys_with_the_accepted_ones_and_names_fixed_flags() -> None:
    assert list(accepted_options(_Takes, ("name",)) or {}) == ["size", "rate", "dtype", "batch_size"]
    assert bind_options(_Takes, {"size": "64", "batch_size": "2"}, owner="--model m", option="--model-args",
                        fixed={"name": "--model"}) == {"size": 64, "batch_size": 2}
    with pytest.raises(InputError) as err:
        bind_options(_Takes, {"foo": 1, "bar": 2}, owner="--model m", option="--model-args", fixed={"name": "--model"})
    assert str(err.value) == "--model m does not take bar, foo (--model-args it takes: size, rate, dtype, batch_size)"
    with pytest.raises(InputError, match="--model m: name is set with --model, not --model-args"):
        bind_options(_Takes, {"name": "x"}, owner="--model m", option="--model-args", fixed={"name": "--model"})
    # a factory taking any keyword without saying which checks its own
    assert accepted_options(lambda **kw: None) is None
    assert bind_options(lambda **kw: None, {"n": "4"}, owner="f", option="--x") == {"n": 4}


def test_the_python_api_goes_the_same_way(tmp_path) -> None:
    from mmx.adapters import create_model
    from mmx.eval import create_bench
    from mmx.eval.runner import evaluate

    oracle = create_model("shapes-oracle", "generate_images", plant_rate="0.5", size="64")
    assert oracle.plant_rate == 0.5 and oracle.size == 64
    assert create_bench("geneval", per_tag="2").per_tag == 2
    with pytest.raises(InputError, match=r"bench geneval: per_tag must be a positive integer or none, not 'abc'"):
        evaluate("geneval", bench_args={"per_tag": "abc"}, out=tmp_path / "run", progress=False)
    with pytest.raises(InputError, match=r"--model shapes-oracle: plant_rate must be a number in \[0, 1\], not 2"):
        evaluate("geneval", model_args={"plant_rate": 2}, out=tmp_path / "run", progress=False)
    assert not (tmp_path / "run").exists()
