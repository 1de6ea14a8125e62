"""mmx.ocr's engines: tesseract through tesserocr (data found, API made once per thread,
no state leaking between calls, a thread limit) and RapidOCR engines made once."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from mmx.errors import MissingDependencyError
from mmx.ocr import rapid, tesseract


def _need_tesseract(pack: str = "eng") -> None:
    if pack not in tesseract.languages():
        pytest.skip(f"tesserocr or tesseract's {pack!r} pack is not installed ({tesseract.INSTALL.format(pack=pack)})")


def _line(text: str, width: int = 700) -> Image.Image:
    spec = importlib.util.find_spec("manimgx_fonts")
    if spec is None or spec.origin is None:
        pytest.skip("manimgx-fonts is not installed")
    font = ImageFont.truetype(str(Path(spec.origin).parent / "NotoSans[wght].ttf"), 32)
    img = Image.new("L", (width, 60), 255)
    ImageDraw.Draw(img).text((20, 10), text, font=font, fill=0)
    return img


# --------------------------------------------------------------------------- tessdata


def test_tessdata_prefix_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "tessdata").mkdir()
    (tmp_path / "tessdata" / "xyz.traineddata").write_bytes(b"")
    monkeypatch.setenv("TESSDATA_PREFIX", str(tmp_path))  # the parent form (tesseract 3) works too
    tesseract.tessdata_dir.cache_clear()
    try:
        assert tesseract.tessdata_dir() == os.path.join(str(tmp_path / "tessdata"), "")
    finally:
        monkeypatch.delenv("TESSDATA_PREFIX")
        tesseract.tessdata_dir.cache_clear()


def test_folders_without_data_are_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TESSDATA_PREFIX", str(tmp_path))  # empty: not a tessdata folder
    monkeypatch.setattr(tesseract, "_KNOWN_TESSDATA", ())
    monkeypatch.setattr(tesseract.shutil, "which", lambda name: None)
    monkeypatch.setattr(tesseract, "_import_tesserocr", _no_tesserocr)
    tesseract.tessdata_dir.cache_clear()
    try:
        assert tesseract.tessdata_dir() is None
    finally:
        tesseract.tessdata_dir.cache_clear()


def _no_tesserocr() -> None:
    raise ImportError("no tesserocr")


def test_missing_pack_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tesseract, "languages", lambda: frozenset({"eng"}))
    monkeypatch.setattr(tesseract, "installed", lambda: True)
    with pytest.raises(MissingDependencyError, match=r"no 'hin' language pack; install it with apt-get install "
                                                     r"tesseract-ocr tesseract-ocr-hin && pip install tesserocr"):
        tesseract.require("hin")
    tesseract.require("eng")  # installed: no error
    monkeypatch.setattr(tesseract, "installed", lambda: False)
    monkeypatch.setattr(tesseract, "languages", frozenset)
    with pytest.raises(MissingDependencyError, match="the tesserocr package is not installed"):
        tesseract.api("xyz", 7)


# --------------------------------------------------------------------------- tesserocr


def test_api_made_once_per_language_mode_and_thread() -> None:
    _need_tesseract()
    first = tesseract.api("eng", tesseract.PSM_SINGLE_LINE)
    assert tesseract.api("eng", tesseract.PSM_SINGLE_LINE) is first
    assert tesseract.api("eng", tesseract.PSM_SINGLE_BLOCK) is not first
    other: list[object] = []
    thread = threading.Thread(target=lambda: other.append(tesseract.api("eng", tesseract.PSM_SINGLE_LINE)))
    thread.start()
    thread.join()
    assert other and other[0] is not first  # an API is never shared between threads


def test_read_text_and_words() -> None:
    _need_tesseract()
    img = _line("Paul Stokes 123")
    assert " ".join(tesseract.read_text(img, "eng").split()) == "Paul Stokes 123"
    words = tesseract.read_words(np.asarray(img), "eng")
    assert [w.text for w in words] == ["Paul", "Stokes", "123"]
    lefts = [w.left for w in words]
    assert lefts == sorted(lefts) and 10 <= lefts[0] <= 30  # drawn at x = 20
    assert all(0 < w.height < 60 and w.width > 0 for w in words)


def test_variables_do_not_leak_into_the_next_call() -> None:
    _need_tesseract()
    img = _line("Paul Stokes 123")
    digits = tesseract.read_words(img, "eng", variables={"tessedit_char_whitelist": "0123456789"})
    assert all(ch.isdigit() for w in digits for ch in w.text)
    again = tesseract.read_words(img, "eng")  # the same API, reused
    assert [w.text for w in again] == ["Paul", "Stokes", "123"]


def test_blank_image_reads_nothing() -> None:
    _need_tesseract()
    blank = np.full((60, 300), 255, dtype=np.uint8)
    assert tesseract.read_words(blank, "eng") == []  # (mmx.ocr.lines never sends a blank line)


def test_openmp_thread_limit_is_set_before_tesseract_loads() -> None:
    if importlib.util.find_spec("tesserocr") is None:
        pytest.skip("tesserocr is not installed")
    code = ("import os; from mmx.ocr import tesseract; assert 'tesserocr' not in __import__('sys').modules; "
            "tesseract.installed(); print(os.environ.get('OMP_THREAD_LIMIT'))")
    env = {k: v for k, v in os.environ.items() if k != "OMP_THREAD_LIMIT"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.strip() == "1"
    env["OMP_THREAD_LIMIT"] = "3"  # the user's choice stands
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.strip() == "3"


# --------------------------------------------------------------------------- RapidOCR


def test_rapidocr_engines_made_once_and_lent(monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[str] = []

    def build(kind: str) -> object:
        built.append(kind)
        return object()

    monkeypatch.setattr(rapid, "installed", lambda: True)
    monkeypatch.setattr(rapid, "_build", build)
    monkeypatch.setattr(rapid, "_idle", {kind: [] for kind in rapid.KINDS})
    with rapid.engine("page") as a:
        pass
    with rapid.engine("page") as b:
        assert b is a  # reused, not rebuilt
        with rapid.engine("page") as c:  # a second caller at the same time gets its own
            assert c is not a
    with rapid.engine("line") as d:
        assert d is not a
    assert built == ["page", "page", "line"]


def test_rapidocr_missing_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rapid, "installed", lambda: False)
    with pytest.raises(MissingDependencyError, match="pip install rapidocr onnxruntime"), rapid.engine("line"):
        pass
