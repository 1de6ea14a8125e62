"""What the demo loads at start-up: the shipped reader by default, locks, and the Read tab's advice."""

from __future__ import annotations

import pytest

from mmx.assets import reader_dir
from mmx.demo.state import DemoModels, default_reader_dir, load_models
from mmx.errors import InputError


def test_the_default_reader_is_the_shipped_one():
    assert default_reader_dir() == reader_dir()
    assert {"model.safetensors", "mmx_system.json"} <= {p.name for p in default_reader_dir().iterdir()}


def test_a_reader_given_on_purpose_must_exist(tmp_path):
    with pytest.raises(InputError, match=r"--reader '.*nope' is not a folder"):
        load_models(reader=str(tmp_path / "nope"), log=lambda _msg: None)


def test_choices_locks_and_help():
    empty = DemoModels(reader_missing="no tiny reader at x")
    assert empty.read_choices() == []
    assert "(no tiny reader at x)" in empty.reader_help()
    assert "mmx fit --config configs/tiny_reader.yaml" in empty.reader_help()
    both = DemoModels(reader=object(), vlm=object(), vlm_name="hf:org/vlm")
    assert both.read_choices() == ["hf:org/vlm", DemoModels.READER]  # the --model VLM is the default
    assert both.lock("a") is both.lock("a") and both.lock("a") is not both.lock("b")
