"""The demo's pure functions (no Gradio, no server): limits, knobs, figures, cards, answers."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from mmx.demo import logic
from mmx.demo.images import MAX_HEIGHT, MAX_WIDTH, rendering_picture
from mmx.demo.models import DemoModels
from mmx.errors import InputError
from mmx.render import get_profile, list_profiles, render_text

HINDI = "नमस्ते दुनिया, यह एक परीक्षण है।"


class FakeTokenizer:
    name = "fake"

    def count(self, text: str) -> int:
        return len(text.split())


class FakeAdapter:
    """Answers from a table (or a constant) and records what it was asked."""

    is_baseline = False

    def __init__(self, answers: dict[str, str] | None = None, default: str = "42") -> None:
        self.answers = answers or {}
        self.default = default
        self.requests: list = []

    def answer(self, requests):
        self.requests.extend(requests)
        return [self.answers.get(r.question, self.default) for r in requests]


@pytest.fixture
def models() -> DemoModels:
    return DemoModels(tokenizers={"fake": FakeTokenizer()})


# --------------------------------------------------------------------------- limits


def test_text_limit_is_ten_thousand_characters():
    assert logic.check_text("a" * logic.MAX_TEXT_CHARS) == "a" * 10_000
    with pytest.raises(InputError, match=r"10,001 characters long; the limit is 10,000"):
        logic.check_text("a" * 10_001)
    for bad in ("", "   \n", None):
        with pytest.raises(InputError, match="empty"):
            logic.check_text(bad)
    with pytest.raises(InputError, match="must be a string"):
        logic.check_text(12)
    with pytest.raises(InputError, match="surrogate"):
        logic.check_text("a\udc80b")


def test_question_limit(models):
    models.scorecard_models["fake"] = FakeAdapter()
    with pytest.raises(InputError, match="question is 501 characters long; the limit is 500"):
        logic.answer_view(models, question="q" * 501, model="fake")


def test_run_with_deadline_reports_a_timeout():
    pool = ThreadPoolExecutor(1)
    release = threading.Event()
    try:
        assert logic.run_with_deadline(pool, lambda x: x + 1, 5, "Adding", 1) == 2
        t0 = time.perf_counter()
        with pytest.raises(logic.RequestTimeout, match=r"Rendering took longer than 0.2 s"):
            logic.run_with_deadline(pool, release.wait, 0.2, "Rendering", 10)
        assert time.perf_counter() - t0 < 2
    finally:
        release.set()
        pool.shutdown(wait=True)


# --------------------------------------------------------------------------- render knobs


@pytest.mark.parametrize("name", list_profiles())
def test_knobs_at_their_defaults_keep_the_profile(name):
    base = get_profile(name)
    assert logic.build_profile(name) == base
    assert logic.build_profile(name, base.font_size, base.patch_size, "profile") == base


def test_knobs_give_valid_profiles_that_render():
    for name in list_profiles():
        for layout in logic.LAYOUTS:
            for patch in logic.PATCH_SIZES:
                for size in (6, 30):
                    prof = logic.build_profile(name, size, patch, layout)
                    assert prof.patch_size == patch and prof.font_size == size
                    if layout != "profile":
                        assert prof.layout == layout
                    if prof.layout != "page":  # the strip holds the font
                        assert prof.height % patch == 0 and prof.height >= 1.25 * size
                    assert prof.width % patch == 0
                    res = render_text("Text 123 पाठ", prof)
                    assert res.text_patches > 0


def test_layout_knob():
    unfolded = logic.build_profile("seetok", layout="strip")
    assert (unfolded.layout, unfolded.height, unfolded.width) == ("strip", 14, 224 * 16)
    page = logic.build_profile("pixel", layout="page")
    assert page.layout == "page" and page.overflow == "spill" and page.name == "pixel*"
    assert logic.build_profile("pixel", 30).height == 48  # 30 px text needs a taller strip


@pytest.mark.parametrize("bad, match", [
    ({"name": "nope"}, "unknown profile 'nope'"),
    ({"name": "seetok", "patch_size": 15}, "patch size must be one of"),
    ({"name": "seetok", "font_size": 100}, "font size must be from 4 to 48"),
    ({"name": "seetok", "font_size": "big"}, "font size must be a number"),
    ({"name": "seetok", "layout": "spiral"}, "unknown layout 'spiral'"),
])
def test_bad_knobs(bad, match):
    with pytest.raises(InputError, match=match):
        logic.build_profile(**bad)


def test_noise_knobs():
    assert logic.build_noise({}) is None
    assert logic.build_noise(dict.fromkeys(logic.NOISE_KNOBS, 0)) is None
    spec = logic.build_noise({"homoglyphs": 0.2, "swap": 0.1, "blur": 0.5, "jpeg": 40, "rotate": 2}).to_spec()
    assert spec.startswith("homoglyphs:0.2,swap:0.1,blur:0.5")
    assert "jpeg:40" in spec and "rotate:2" in spec
    with pytest.raises(InputError, match=r"noise homoglyphs must be from 0 to 0\.5"):
        logic.build_noise({"homoglyphs": 0.9})
    with pytest.raises(InputError, match="unknown noise knob"):
        logic.build_noise({"font": 1})  # font noise takes file paths: never offered


def test_detect_language():
    assert logic.detect_language(HINDI) == "hin_Deva"
    assert logic.detect_language("مرحبا بالعالم 123") == "arb_Arab"
    assert logic.detect_language("日本語のテキスト") == "jpn_Jpan"
    assert logic.detect_language("中文文本") == "zho_Hans"
    assert logic.detect_language("12345 !!") is None


def test_examples_cover_several_scripts():
    ex = logic.examples()
    codes = [c for c, _ in ex]
    assert codes[0] == "hin_Deva" and len({c.split("_")[1] for c in codes}) >= 8
    assert all(t and "\n" not in t for _, t in ex)


# --------------------------------------------------------------------------- render view


def test_render_view_figures_match_the_renderer(models):
    view = logic.render_view(models, HINDI, "seetok", tokenizer="fake", ocr=False)
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


def test_missing_glyphs_are_outlined_and_listed(models):
    view = logic.render_view(models, "abc \u0f00 def", "pixel", tokenizer="fake", ocr=False)
    assert view.figures["missing glyphs"] == 1
    assert "U+0F00" in view.summary
    arr = np.asarray(view.image)
    red = (arr[..., 0] > 200) & (arr[..., 1] < 60) & (arr[..., 2] < 60)
    assert red.any()


def test_noise_is_seeded(models):
    text = "Text rendered as pixels needs no vocabulary"
    noise = {"homoglyphs": 0.4, "swap": 0.2, "blur": 0.6}
    a = logic.render_view(models, text, "pixel", tokenizer="fake", noise=noise, seed=7, ocr=False)
    b = logic.render_view(models, text, "pixel", tokenizer="fake", noise=noise, seed=7, ocr=False)
    c = logic.render_view(models, text, "pixel", tokenizer="fake", noise=noise, seed=8, ocr=False)
    assert a.result.text == b.result.text != text
    assert np.array_equal(a.result.arrays[0], b.result.arrays[0])
    assert c.result.text != a.result.text
    assert a.figures["noise"].startswith("homoglyphs:0.4") and a.figures["seed"] == 7
    assert "noisy text:" in a.summary


def test_no_tokenizer_installed():
    view = logic.render_view(DemoModels(), "hello", "pixel", tokenizer=None, ocr=False)
    assert view.figures["subword tokens"] is None and "subword tokens: n/a" in view.summary


def test_unknown_tokenizer(models):
    with pytest.raises(InputError, match="unknown tokenizer 'gpt9'"):
        logic.render_view(models, "hello", tokenizer="gpt9")


def test_long_strips_are_cut_into_display_rows():
    res = render_text("Text rendered as pixels " * 200, "pixel_renderer")
    picture, note = rendering_picture(res)
    assert picture.width <= MAX_WIDTH + 16 and picture.height <= MAX_HEIGHT + 16
    assert "display rows" in note


def test_ocr_window_reads_the_start_of_long_lines():
    for text in ("Text rendered as pixels " * 40, "النص المعروض على شكل بكسلات " * 40):
        res = render_text(text, "pixel_renderer")
        box = res.lines[0]
        x0, x1, start, end = logic._ocr_window(res, box)
        assert x1 - x0 <= logic.OCR_MAX_LINE_PX + res.profile.patch_size
        assert start == 0 and 20 < end < len(text) // 2  # the line's logical start, whatever its direction


def test_expected_number():
    assert logic.expected_number("४०७२१") == "40721"
    assert logic.expected_number(" ٩٣٨٦ ") == "9386"
    assert logic.expected_number("12a") is None


# --------------------------------------------------------------------------- read view


def test_read_without_a_model_says_how_to_train_one():
    with pytest.raises(InputError, match=r"mmx fit --config configs/tiny_reader.yaml"):
        logic.read_view(DemoModels(reader_missing="no tiny reader at x"), "12345")


def test_read_with_a_vlm(models):
    vlm = FakeAdapter(default="hello world")
    models.vlm, models.vlm_name = vlm, "fake-vlm"
    view = logic.read_view(models, "hello world", "fake-vlm", "What does it say?", "pixel")
    assert view.answer == "hello world"
    assert "answer equals the text" in view.details
    (req,) = vlm.requests
    assert req.question == "What does it say?" and len(req.images) == 1 and req.images[0].height == 16
    with pytest.raises(InputError, match="unknown model 'gpt'"):
        logic.read_view(models, "hello", "gpt")


# --------------------------------------------------------------------------- scorecards


def test_scorecards_are_deterministic():
    a = logic.scorecard_view("Hindi", "T20", 5, "dark")
    logic.make_card.cache_clear()
    b = logic.scorecard_view("Hindi", "T20", 5, "dark")
    assert a.questions == b.questions and len(a.questions) >= 6
    assert np.array_equal(np.asarray(a.images[0]), np.asarray(b.images[0]))
    assert [row[0] for row in a.table] == sorted(row[0] for row in a.table)  # C1, then C2, then C3
    card = logic.make_card("English", "Test", 1, "classic")
    assert len(card.images) == len(card.match.innings)  # one image per innings, as the generated set


@pytest.mark.parametrize("args, match", [
    (("Klingon", "T20", 0, "classic"), "unknown scorecard language"),
    (("English", "T10", 0, "classic"), "unknown format 'T10'"),
    (("English", "T20", -1, "classic"), "seed must be from 0"),
    (("English", "T20", 1.5, "classic"), "seed must be a whole number"),
    (("English", "T20", 0, "neon"), "unknown template 'neon'"),
])
def test_bad_scorecard_input(args, match):
    with pytest.raises(InputError, match=match):
        logic.scorecard_view(*args)


def test_answer_shows_the_ground_truth(models):
    card = logic.make_card("English", "ODI", 2, "compact")
    q = card.questions[0]
    right = FakeAdapter({q.question: q.answer})
    models.scorecard_models["right"] = right
    view = logic.answer_view(models, "English", "ODI", 2, "compact", q.question, "right")
    assert (view.answer, view.truth) == (q.answer, q.answer)
    assert view.verdict.startswith("correct: exact match 1")
    (req,) = right.requests
    assert req.images == card.images and req.category == q.category

    models.scorecard_models["wrong"] = FakeAdapter(default="no idea")
    view = logic.answer_view(models, "English", "ODI", 2, "compact", q.question, "wrong")
    assert view.verdict.startswith("wrong") and view.truth == q.answer

    typed = logic.answer_view(models, "English", "ODI", 2, "compact", "Who kept wicket?", "wrong")
    assert typed.truth.startswith("(typed question")
