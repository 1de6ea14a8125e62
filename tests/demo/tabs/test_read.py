"""The Read tab: numbers for the tiny reader, questions for a VLM, and its ``/read`` API."""

from __future__ import annotations

import pytest
from PIL import Image

from mmx.demo.state import DemoModels
from mmx.demo.tabs import read
from mmx.errors import InputError

from ..conftest import FakeAdapter


def test_expected_number():
    assert read.expected_number("४०७२१") == "40721"
    assert read.expected_number(" ٩٣٨٦ ") == "9386"
    assert read.expected_number("12a") is None


def test_reader_examples_are_numbers_in_their_scripts():
    ex = dict(read.reader_examples())
    assert ex["Devanagari"] == "४०७२१" and ex["Latin"] == "572014"
    assert all(read.expected_number(t) is not None for t in ex.values())


def test_read_without_a_model_says_how_to_train_one():
    with pytest.raises(InputError, match=r"mmx fit --config configs/tiny_reader.yaml"):
        read.read_view(DemoModels(reader_missing="no tiny reader at x"), "12345")


def test_read_with_a_vlm(models):
    vlm = FakeAdapter(default="hello world")
    models.vlm, models.vlm_name = vlm, "fake-vlm"
    view = read.read_view(models, "hello world", "fake-vlm", "What does it say?", "pixel")
    assert view.answer == "hello world"
    assert "answer equals the text" in view.details
    (req,) = vlm.requests
    assert req.question == "What does it say?" and len(req.images) == 1 and req.images[0].height == 16
    with pytest.raises(InputError, match="unknown model 'gpt'"):
        read.read_view(models, "hello", "gpt")
    with pytest.raises(InputError, match="question is 501 characters long"):
        read.read_view(models, "hello", "fake-vlm", "q" * 501)


def test_read(client, demo_server):
    from gradio_client.exceptions import AppError

    if demo_server.models.reader is None:
        with pytest.raises(AppError, match=r"mmx fit --config configs/tiny_reader.yaml"):
            client.predict("४०७२१", "none", "", "page", api_name="/read")
        pytest.skip(f"no tiny reader: {demo_server.models.reader_missing}")
    image, answer, details = client.predict("४०७२१", "tiny-reader", "", "page", api_name="/read")
    assert answer == "40721"
    assert "expected: 40721 (correct)" in details
    with Image.open(image) as im:
        assert im.width > 140  # the 140 px reader strip, scaled up
