"""``--model-args`` / ``--bench-args`` parsing: numbers, booleans, and list values with commas."""

import pytest

from mmx.adapters.base import parse_model_args
from mmx.errors import InputError


def test_types_are_coerced() -> None:
    assert parse_model_args("batch_size=8,dtype=bfloat16,do_sample=false,t=0.5,x=none") == {
        "batch_size": 8, "dtype": "bfloat16", "do_sample": False, "t": 0.5, "x": None}


def test_a_piece_without_equals_continues_the_value_before_it() -> None:
    assert parse_model_args("families=digits,scorecards,n=4") == {"families": "digits,scorecards", "n": 4}
    assert parse_model_args("languages=en,zh,hi") == {"languages": "en,zh,hi"}


def test_a_first_piece_without_equals_is_an_error_naming_the_option() -> None:
    with pytest.raises(InputError, match="--bench-args: 'seed' is not key=value"):
        parse_model_args("seed,n=2", option="--bench-args")


def test_an_option_the_adapter_does_not_take_is_one_line_naming_those_it_does(tmp_path) -> None:
    import pytest

    from mmx.adapters import create_model
    from mmx.cli import main
    from mmx.errors import InputError

    with pytest.raises(InputError, match=r"--model shapes-oracle does not take seed \(--model-args it takes: size, plant"):
        create_model("shapes-oracle", "generate_images", seed=2)
    assert main(["eval", "--bench", "geneval", "--model", "shapes-oracle", "--model-args", "seed=2", "--limit", "1",
                 "--out", str(tmp_path / "run")]) == 2
    assert not (tmp_path / "run").exists()
