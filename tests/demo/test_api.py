"""Each tab's function through ``gradio_client``, against the real app on a loopback port."""

from __future__ import annotations

import pytest
from PIL import Image

from mmx.demo import logic
from mmx.render import render_text

from .conftest import free_port

gradio_client = pytest.importorskip("gradio_client")
from gradio_client.exceptions import AppError  # noqa: E402

HINDI = "नमस्ते दुनिया, यह एक परीक्षण है।"


@pytest.fixture(scope="module")
def client(demo_server):
    return gradio_client.Client(demo_server.url, verbose=False)


def figures(table: dict) -> dict[str, str]:
    assert table["headers"] == ["figure", "value"]
    return dict(table["data"])


def test_served_on_loopback_with_four_endpoints(demo_server, client):
    assert demo_server.url.startswith("http://127.0.0.1:")
    api = client.view_api(print_info=False, return_format="dict")
    assert {"/render", "/read", "/scorecard", "/answer"} <= set(api["named_endpoints"])


def test_render_hindi(client, demo_server):
    image, summary, table, ocr_text = client.predict(text=HINDI, profile="seetok", api_name="/render")
    ref = render_text(HINDI, "seetok")
    tokens = demo_server.models.tokenizers["qwen2.5"].count(HINDI)
    f = figures(table)
    assert f["characters"] == str(len(HINDI))
    assert (f["text patches"], f["visual tokens"]) == (str(ref.text_patches), str(ref.visual_tokens))
    assert f["subword tokens"] == str(tokens) and f["tokenizer"] == "qwen2.5"
    assert f["ocr language"] == "hin_Deva"
    assert summary.startswith(f"{len(HINDI)} characters | {tokens} subword tokens (qwen2.5) | "
                              f"{ref.text_patches} text patches | {ref.visual_tokens} visual tokens | ratio ")
    with Image.open(image) as im:
        assert im.format == "PNG" and im.width > ref.width  # scaled up for display
    if f["ocr engine"] == "tesseract":  # Debian's tesseract-ocr-hin
        assert ocr_text.strip() and "CER" in summary


def test_render_knobs_and_noise(client):
    kwargs = dict(text="Text rendered as pixels", profile="pixel", font_size=14, patch_size=8, layout="page",
                  homoglyphs=0.3, blur=0.4, seed=3, ocr=False, api_name="/render")
    _, summary, table, ocr_text = client.predict(**kwargs)
    f = figures(table)
    assert (f["layout"], f["patch size"], f["font size"]) == ("page", "8", "14")
    assert f["noise"] == "homoglyphs:0.3,blur:0.4" and f["seed"] == "3"
    assert ocr_text == ""
    assert client.predict(**kwargs)[1] == summary  # seeded: the same again


def test_text_over_the_limit_is_a_clear_message(client):
    with pytest.raises(AppError) as err:
        client.predict(text="a" * 10_001, api_name="/render")
    msg = str(err.value)
    assert "10,001 characters long; the limit is 10,000 characters" in msg
    assert "Traceback" not in msg


def test_bad_input_is_a_message(client):
    with pytest.raises(AppError, match="the text is empty"):  # the app's own check
        client.predict(text="  ", api_name="/render")
    with pytest.raises(AppError, match="nope is not in the list of choices"):  # Gradio's dropdown choices
        client.predict(text="hello", profile="nope", api_name="/render")
    with pytest.raises(AppError, match="greater than maximum value 48"):  # Gradio's slider bounds
        client.predict(text="hello", font_size=400, api_name="/render")


def test_read(client, demo_server):
    if demo_server.models.reader is None:
        with pytest.raises(AppError, match=r"mmx fit --config configs/tiny_reader.yaml"):
            client.predict("४०७२१", "none", "", "page", api_name="/read")
        pytest.skip(f"no tiny reader: {demo_server.models.reader_missing}")
    image, answer, details = client.predict("४०७२१", "tiny-reader", "", "page", api_name="/read")
    assert answer == "40721"
    assert "expected: 40721 (correct)" in details
    with Image.open(image) as im:
        assert im.width > 140  # the 140 px reader strip, scaled up


def test_scorecard_and_answer(client, demo_server):
    images, table, question, summary, *_ = client.predict("English", "T20", 4, "classic", api_name="/scorecard")
    card = logic.make_card("English", "T20", 4, "classic")
    assert len(images) == 1 and summary.startswith("T20: ")
    assert [row[1] for row in table["data"]] == [q.question for q in card.questions]
    assert question["value"] == card.questions[0].question  # a dropdown update: value and choices
    assert [c[0] for c in question["choices"]] == [q.question for q in card.questions]
    with Image.open(images[0]["image"]) as im:
        assert im.size == card.images[0].size

    test_images = client.predict("Hindi, Devanagari digits", "Test", 4, "dark", api_name="/scorecard")[0]
    assert len(test_images) == len(logic.make_card("Hindi, Devanagari digits", "Test", 4, "dark").match.innings)

    if "ocr-table" not in demo_server.models.scorecard_models:
        pytest.skip("ocr-table is unavailable: " + "; ".join(demo_server.models.notes))
    q = card.questions[0]
    answer, truth, verdict = client.predict("English", "T20", 4, "classic", q.question, "ocr-table",
                                            api_name="/answer")
    assert truth == q.answer
    assert answer.strip() and "ocr-table answered in" in verdict
    assert verdict.split(":")[0] in ("correct", "wrong", "close (within 5%)")


def test_answer_input_limits(client):
    with pytest.raises(AppError, match="question is 501 characters long"):
        client.predict("English", "T20", 0, "classic", "q" * 501, "ocr-table", api_name="/answer")
    with pytest.raises(AppError, match=r"'T10'.* not in the list of choices"):
        client.predict("English", "T10", 0, "classic", api_name="/scorecard")


def test_slow_requests_time_out_with_a_message(demo_server):
    """A second app on the same models with a tiny deadline: the message, not a hang or a traceback."""
    from mmx.demo.app import build_app, launch

    demo = build_app(demo_server.models, timeout=0.01, queue_size=2)
    url = launch(demo, "127.0.0.1", free_port(), block=False, quiet=True)
    try:
        slow = gradio_client.Client(url, verbose=False)
        with pytest.raises(AppError, match=r"Rendering took longer than 0.01 s"):
            slow.predict(text="Text rendered as pixels " * 400, profile="page", api_name="/render")
    finally:
        demo.close()
