"""The Render tab: its knobs, figures and OCR window as plain functions, and its ``/render`` API."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from mmx.demo.state import DemoModels
from mmx.demo.tabs import render
from mmx.errors import InputError
from mmx.render import get_profile, list_profiles, render_text

HINDI = "नमस्ते दुनिया, यह एक परीक्षण है।"


# --------------------------------------------------------------------------- knobs


@pytest.mark.parametrize("name", list_profiles())
def test_knobs_at_their_defaults_keep_the_profile(name):
    base = get_profile(name)
    assert render.build_profile(name) == base
    assert render.build_profile(name, base.font_size, base.patch_size, "profile") == base


def test_knobs_give_valid_profiles_that_render():
    for name in list_profiles():
        for layout in render.LAYOUTS:
            for patch in render.PATCH_SIZES:
                for size in (6, 30):
                    prof = render.build_profile(name, size, patch, layout)
                    assert prof.patch_size == patch and prof.font_size == size
                    if layout != "profile":
                        assert prof.layout == layout
                    if prof.layout != "page":  # the strip holds the font
                        assert prof.height % patch == 0 and prof.height >= 1.25 * size
                    assert prof.width % patch == 0
                    res = render_text("Text 123 पाठ", prof)
                    assert res.text_patches > 0


def test_layout_knob():
    unfolded = render.build_profile("seetok", layout="strip")
    assert (unfolded.layout, unfolded.height, unfolded.width) == ("strip", 14, 224 * 16)
    page = render.build_profile("pixel", layout="page")
    assert page.layout == "page" and page.overflow == "spill" and page.name == "pixel*"
    assert render.build_profile("pixel", 30).height == 48  # 30 px text needs a taller strip


@pytest.mark.parametrize("bad, match", [
    ({"name": "nope"}, "unknown profile 'nope'"),
    ({"name": "seetok", "patch_size": 15}, "patch size must be one of"),
    ({"name": "seetok", "font_size": 100}, "font size must be from 4 to 48"),
    ({"name": "seetok", "font_size": "big"}, "font size must be a number"),
    ({"name": "seetok", "layout": "spiral"}, "unknown layout 'spiral'"),
])
def test_bad_knobs(bad, match):
    with pytest.raises(InputError, match=match):
        render.build_profile(**bad)


def test_noise_knobs():
    assert render.build_noise({}) is None
    assert render.build_noise(dict.fromkeys(render.NOISE_KNOBS, 0)) is None
    spec = render.build_noise({"homoglyphs": 0.2, "swap": 0.1, "blur": 0.5, "jpeg": 40, "rotate": 2}).to_spec()
    assert spec.startswith("homoglyphs:0.2,swap:0.1,blur:0.5")
    assert "jpeg:40" in spec and "rotate:2" in spec
    with pytest.raises(InputError, match=r"noise homoglyphs must be from 0 to 0\.5"):
        render.build_noise({"homoglyphs": 0.9})
    with pytest.raises(InputError, match="unknown noise knob"):
        render.build_noise({"font": 1})  # font noise takes file paths: never offered


def test_detect_language():
    assert render.detect_language(HINDI) == "hin_Deva"
    assert render.detect_language("مرحبا بالعالم 123") == "arb_Arab"
    assert render.detect_language("日本語のテキスト") == "jpn_Jpan"
    assert render.detect_language("中文文本") == "zho_Hans"
    assert render.detect_language("12345 !!") is None


def test_examples_cover_several_scripts():
    ex = render.examples()
    codes = [c for c, _ in ex]
    assert codes[0] == "hin_Deva" and len({c.split("_")[1] for c in codes}) >= 8
    assert all(t and "\n" not in t for _, t in ex)
    assert set(codes) <= set(render.LANGUAGE_NAMES)  # every shipped sample has a name in the picker


# --------------------------------------------------------------------------- the view


def test_render_view_figures_match_the_renderer(models):
    view = render.render_view(models, HINDI, "seetok", tokenizer="fake", ocr=False)
    ref = render_text(HINDI, "seetok")
    f = view.figures
    assert f["characters"] == len(HINDI)
    assert f["subword tokens"] == len(HINDI.split())
    assert (f["text patches"], f["visual tokens"]) == (ref.text_patches, ref.visual_tokens)
    assert f["ratio (subword / visual tokens)"] == round(len(HINDI.split()) / ref.visual_tokens, 2)
    assert view.summary.splitlines()[0] == (
        f"{len(HINDI)} characters | {len(HINDI.split())} subword tokens (fake) | {ref.text_patches} text patches | "
        f"{ref.visual_tokens} visual tokens | ratio {f['ratio (subword / visual tokens)']:.2f}")
    assert view.image.mode == "RGB" and view.image.width > ref.width


def test_figure_rows():
    rows = render.figure_rows({"characters": 12345, "ratio": 2.5, "clipped": False, "truncated at": None,
                               "profile": "seetok"})
    assert rows == [["characters", "12,345"], ["ratio", "2.5"], ["clipped", "no"], ["truncated at", "-"],
                    ["profile", "seetok"]]


def test_missing_glyphs_are_outlined_and_listed(models):
    view = render.render_view(models, "abc \u0f00 def", "pixel", tokenizer="fake", ocr=False)
    assert view.figures["missing glyphs"] == 1
    assert "U+0F00" in view.summary
    arr = np.asarray(view.image)
    red = (arr[..., 0] > 200) & (arr[..., 1] < 60) & (arr[..., 2] < 60)
    assert red.any()


def test_noise_is_seeded(models):
    text = "Text rendered as pixels needs no vocabulary"
    noise = {"homoglyphs": 0.4, "swap": 0.2, "blur": 0.6}
    a = render.render_view(models, text, "pixel", tokenizer="fake", noise=noise, seed=7, ocr=False)
    b = render.render_view(models, text, "pixel", tokenizer="fake", noise=noise, seed=7, ocr=False)
    c = render.render_view(models, text, "pixel", tokenizer="fake", noise=noise, seed=8, ocr=False)
    assert a.result.text == b.result.text != text
    assert np.array_equal(a.result.arrays[0], b.result.arrays[0])
    assert c.result.text != a.result.text
    assert a.figures["noise"].startswith("homoglyphs:0.4") and a.figures["seed"] == 7
    assert "noisy text:" in a.summary


def test_no_tokenizer_installed():
    view = render.render_view(DemoModels(), "hello", "pixel", tokenizer=None, ocr=False)
    assert view.figures["subword tokens"] is None and "subword tokens: n/a" in view.summary


def test_unknown_tokenizer(models):
    with pytest.raises(InputError, match="unknown tokenizer 'gpt9'"):
        render.render_view(models, "hello", tokenizer="gpt9")


def test_ocr_window_reads_the_start_of_long_lines():
    for text in ("Text rendered as pixels " * 40, "النص المعروض على شكل بكسلات " * 40):
        res = render_text(text, "pixel_renderer")
        box = res.lines[0]
        x0, x1, start, end = render._ocr_window(res, box)
        assert x1 - x0 <= render.OCR_MAX_LINE_PX + res.profile.patch_size
        assert start == 0 and 20 < end < len(text) // 2  # the line's logical start, whatever its direction


# --------------------------------------------------------------------------- /render on the served app


def figures(table: dict) -> dict[str, str]:
    assert table["headers"] == ["figure", "value"]
    return dict(table["data"])


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
    from gradio_client.exceptions import AppError

    with pytest.raises(AppError) as err:
        client.predict(text="a" * 10_001, api_name="/render")
    msg = str(err.value)
    assert "10,001 characters long; the limit is 10,000 characters" in msg
    assert "Traceback" not in msg


def test_bad_input_is_a_message(client):
    from gradio_client.exceptions import AppError

    with pytest.raises(AppError, match="the text is empty"):  # the app's own check
        client.predict(text="  ", api_name="/render")
    with pytest.raises(AppError, match="nope is not in the list of choices"):  # Gradio's dropdown choices
        client.predict(text="hello", profile="nope", api_name="/render")
    with pytest.raises(AppError, match="greater than maximum value 48"):  # Gradio's slider bounds
        client.predict(text="hello", font_size=400, api_name="/render")

