"""OCR read-back: scoring, engine choice, input checks, and a real read of rendered lines."""

from __future__ import annotations

import importlib.util
import itertools
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from mmx.errors import InputError, MissingDependencyError
from mmx.ocr import (
    available_engines,
    cer,
    engine_for,
    ignores_spaces,
    languages,
    lines,
    rapid,
    read_back,
    tesseract,
)


def _font_path(package: str, name: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        pytest.skip(f"font package {package} is not installed")
    path = Path(spec.origin).parent / name
    if not path.exists():
        pytest.skip(f"{name} is missing from {package}")
    return path


def _render(text: str, font_file: Path, size: int = 12, height: int = 16) -> Image.Image:
    """One line of black text on a white strip, as the renderers make it."""
    font = ImageFont.truetype(str(font_file), size=size, layout_engine=ImageFont.Layout.RAQM)
    width = int(font.getlength(text)) + 6
    ascent, descent = font.getmetrics()
    baseline = round((height - (ascent + descent)) / 2 + ascent)
    img = Image.new("L", (width, height), 255)
    ImageDraw.Draw(img).text((3, baseline), text, font=font, fill=0, anchor="ls")
    return img


ENGLISH = "The quick brown fox jumps over the lazy dog near the river bank."
HINDI = "भारत एक विशाल देश है और यहाँ कई भाषाएँ बोली जाती हैं।"


@pytest.fixture(scope="module")
def english_line() -> Image.Image:
    return _render(ENGLISH, _font_path("manimgx_fonts", "NotoSans[wght].ttf"))


# --------------------------------------------------------------------------- cer


def test_cer_identical_is_zero() -> None:
    assert cer("hello world", "hello world") == 0.0
    assert cer("", "") == 0.0


def test_cer_known_edit_distance() -> None:
    # kitten -> sitting: 3 edits over 6 reference characters
    assert cer("kitten", "sitting") == pytest.approx(3 / 6)
    assert cer("abcd", "") == 1.0
    assert cer("", "xy") == 2.0  # denominator max(1, len(ref))


def test_cer_folds_whitespace_and_normalises() -> None:
    assert cer("a  b\tc ", " a b\nc") == 0.0
    # NFC: precomposed and decomposed é are the same character
    assert cer("caf\u00e9", "cafe\u0301") == 0.0


def test_cer_ignore_spaces() -> None:
    assert cer("我们是学生", "我 们 是 学生") == pytest.approx(3 / 5)
    assert cer("我们是学生", "我 们 是 学生", ignore_spaces=True) == 0.0
    assert cer("ภาษา ไทย", "ภาษาไทย", ignore_spaces=True) == 0.0


def test_ignores_spaces_by_script() -> None:
    assert ignores_spaces("zho_Hans")
    assert ignores_spaces("jpn_Jpan")
    assert ignores_spaces("kor_Hang")
    assert ignores_spaces("tha_Thai")
    assert not ignores_spaces("hin_Deva")
    assert not ignores_spaces("eng_Latn")


# --------------------------------------------------------------------------- engines


def test_available_engines_shape() -> None:
    engines = available_engines()
    assert set(engines) == {"rapidocr", "tesseract"}
    assert all(isinstance(v, bool) for v in engines.values())


def test_tesseract_pack_names() -> None:
    assert languages.tesseract_pack("zho_Hans") == "chi_sim"
    assert languages.tesseract_pack("zho_Hant") == "chi_tra"
    assert languages.tesseract_pack("arb_Arab") == "ara"
    assert languages.tesseract_pack("fas_Arab") == "fas"
    assert languages.tesseract_pack("hin_Deva") == "hin"
    assert languages.tesseract_pack("kaz_Cyrl") == "kaz"


@pytest.fixture
def both_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pretend both engines (and the listed tesseract packs) are installed."""
    packs = frozenset({"eng", "hin", "chi_sim", "kor", "ara", "vie", "tha"})
    monkeypatch.setattr(rapid, "installed", lambda: True)
    monkeypatch.setattr(tesseract, "languages", lambda: packs)


def test_engine_for_measured_choices(both_installed: None) -> None:
    assert engine_for("eng_Latn") == "rapidocr"
    assert engine_for("zho_Hans") == "rapidocr"
    assert engine_for("vie_Latn") == "tesseract"
    assert engine_for("hin_Deva") == "tesseract"
    assert engine_for("arb_Arab") == "tesseract"
    assert engine_for("kor_Hang") == "tesseract"
    assert engine_for("ita_Latn") == "rapidocr"  # unmeasured: follows its script


def test_engine_for_unknown_language_is_none(both_installed: None) -> None:
    assert engine_for("xxx_Zzzz") is None
    assert engine_for("rus_Cyrl") is None  # no rus pack in this fake install


def test_engine_for_falls_back(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rapid, "installed", lambda: False)
    monkeypatch.setattr(tesseract, "languages", lambda: frozenset({"eng"}))
    assert engine_for("eng_Latn") == "tesseract"
    monkeypatch.setattr(rapid, "installed", lambda: True)
    monkeypatch.setattr(tesseract, "languages", lambda: frozenset())
    assert engine_for("vie_Latn") == "rapidocr"
    assert engine_for("hin_Deva") is None


def test_missing_engine_says_how_to_install(
    monkeypatch: pytest.MonkeyPatch, english_line: Image.Image
) -> None:
    monkeypatch.setattr(rapid, "installed", lambda: False)
    monkeypatch.setattr(tesseract, "languages", lambda: frozenset({"eng"}))
    with pytest.raises(MissingDependencyError, match=r"apt-get install .*tesseract-ocr-hin"):
        read_back(english_line, "hin_Deva", engine="tesseract")
    with pytest.raises(MissingDependencyError, match="pip install rapidocr onnxruntime"):
        read_back(english_line, "eng_Latn", engine="rapidocr")
    assert read_back(english_line, "hin_Deva") is None  # no engine covers it


def test_unknown_language_reads_none(english_line: Image.Image) -> None:
    assert read_back(english_line, "xxx_Zzzz") is None


def test_wrong_engine_name(english_line: Image.Image) -> None:
    with pytest.raises(InputError, match="unknown OCR engine"):
        read_back(english_line, "eng_Latn", engine="abbyy")


# --------------------------------------------------------------------------- images


@pytest.mark.parametrize(
    "bad",
    [
        "not an image",
        None,
        np.zeros((16, 100), dtype=np.float32),
        np.zeros((16, 100, 5), dtype=np.uint8),
        np.zeros((2, 16, 100, 3), dtype=np.uint8),
        np.zeros((0, 100), dtype=np.uint8),
    ],
    ids=["str", "none", "float", "5-channel", "4-d", "empty"],
)
def test_bad_image_is_an_input_error(bad: object) -> None:
    with pytest.raises(InputError):
        read_back(bad, "eng_Latn")
    with pytest.raises(ValueError):  # InputError is a ValueError too
        read_back(bad, "eng_Latn")


def test_blank_image_reads_empty() -> None:
    engine = engine_for("eng_Latn")
    if engine is None:
        pytest.skip("no OCR engine for English is installed")
    assert read_back(np.full((16, 300), 255, dtype=np.uint8), "eng_Latn") == ""


def test_end_of_sequence_patch_is_blanked() -> None:
    strip = np.full((16, 60), 255, dtype=np.uint8)
    strip[4:12, 5:7] = 0  # a glyph-like stroke: kept
    strip[:, 40:56] = 0  # PIXEL's black end-of-sequence patch: removed
    gray = lines._to_gray(strip)
    assert (gray[:, 40:56] == 255).all()
    assert (gray[4:12, 5:7] == 0).all()


def test_inverted_polarity_is_fixed() -> None:
    strip = np.zeros((16, 60), dtype=np.uint8)
    strip[4:12, 5:7] = 255  # light text on black
    gray = lines._to_gray(strip)
    assert gray[0, 0] == 255 and gray[6, 5] == 0


def test_chunks_cut_at_gaps_and_cover_the_line() -> None:
    # 40 "glyphs" 10 px wide with 3 px letter gaps and a 12 px word gap every 4
    cols: list[int] = []
    for i in range(40):
        cols += [0] * 10 + [255] * (12 if i % 4 == 3 else 3)
    line = np.tile(np.array(cols, dtype=np.uint8), (48, 1))
    line[:4] = line[-4:] = 255
    pieces = lines._chunks(line, max_width=150, height=48)
    assert pieces[0][0] == 0 and pieces[-1][1] == line.shape[1]
    for (_, stop, _), (start, _, _) in itertools.pairwise(pieces):
        assert stop == start
        assert (line[:, start] == 255).all()  # never cuts through ink
    assert all(stop - start <= 150 for start, stop, _ in pieces)
    assert all(space for _, _, space in pieces[1:])  # every cut fell in a word gap


# --------------------------------------------------------------------------- real reads


def test_read_back_english(english_line: Image.Image) -> None:
    engine = engine_for("eng_Latn")
    if engine is None:
        pytest.skip("no OCR engine for English is installed (pip install rapidocr onnxruntime)")
    text = read_back(english_line, "eng_Latn")
    assert text is not None
    assert cer(ENGLISH, text) < 0.1, text
    # numpy input, grey or RGB, reads the same, and reading is deterministic
    gray = np.asarray(english_line)
    assert read_back(gray, "eng_Latn") == text
    assert read_back(np.repeat(gray[:, :, None], 3, axis=2), "eng_Latn") == text


def test_read_back_very_wide_line() -> None:
    if engine_for("eng_Latn") is None:
        pytest.skip("no OCR engine for English is installed")
    text = " ".join([ENGLISH] * 8)  # ~3000 px at 12 px: split into chunks after upscaling
    img = _render(text, _font_path("manimgx_fonts", "NotoSans[wght].ttf"))
    assert img.width > 2500
    hyp = read_back(img, "eng_Latn")
    assert hyp is not None
    assert cer(text, hyp) < 0.1, hyp


def test_read_back_hindi_with_tesseract() -> None:
    if "hin" not in tesseract.languages():
        pytest.skip(
            "tesseract with the Hindi pack is not installed "
            "(apt-get install tesseract-ocr tesseract-ocr-hin; pip install tesserocr)"
        )
    img = _render(HINDI, _font_path("manimgx_fonts", "NotoSansDevanagari[wght].ttf"))
    assert engine_for("hin_Deva") == "tesseract"
    text = read_back(img, "hin_Deva")
    assert text is not None
    assert cer(HINDI, text) < 0.15, text
