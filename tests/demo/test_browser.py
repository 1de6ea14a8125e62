"""End to end in headless Chromium: type a Hindi sentence, press Render, check the image and figures.

Uses Debian's ``chromium`` (``make sysdeps`` installs it as root) through Playwright
with the browser's executable path; Playwright's own browser downloads are not
needed. ``MMX_SAVE_SCREENSHOT=1`` saves the screenshot to docs/img/demo_render.png.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from mmx.render import render_text

sync_api = pytest.importorskip("playwright.sync_api")

HINDI = "पिक्सेल के रूप में लिखा गया यह वाक्य बिना शब्दकोश के पढ़ा जाता है।"
SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "img" / "demo_render.png"


def chromium_binary() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return os.environ.get("MMX_CHROMIUM") if os.path.isfile(os.environ.get("MMX_CHROMIUM", "")) else None


@contextmanager
def browser_page(url: str, timeout_ms: int, height: int = 1000) -> Iterator[Any]:
    """A headless Chromium page (1440 px wide) at ``url``, every wait bounded by ``timeout_ms``;
    skips the test when no Chromium binary is installed. Shared by every browser test."""
    binary = chromium_binary()
    if binary is None:
        pytest.skip("no Chromium binary on PATH (apt-get install chromium; `make sysdeps` does it as root)")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=binary, headless=True, args=["--no-sandbox"])
        try:
            pg = browser.new_page(viewport={"width": 1440, "height": height})
            pg.set_default_timeout(timeout_ms)
            pg.goto(url)
            yield pg
        finally:
            browser.close()


@pytest.fixture(scope="module")
def page(demo_server):
    with browser_page(demo_server.url, 60_000) as pg:
        yield pg


def test_render_hindi_in_the_browser(page, demo_server, tmp_path):
    expect = sync_api.expect
    box = page.locator("#render-text textarea")
    box.fill("")
    box.press_sequentially(HINDI)
    expect(box).to_have_value(HINDI)
    page.locator("#render-button").click()

    summary = page.locator("#render-summary textarea")
    expect(summary).to_have_value(re.compile(rf"^{len(HINDI)} characters \|"), timeout=60_000)
    image = page.locator("#render-image img")
    expect(image).to_be_visible()
    page.wait_for_function("el => el.complete && el.naturalWidth > 0", arg=image.element_handle())

    ref = render_text(HINDI, "seetok")
    tokens = demo_server.models.tokenizers["qwen2.5"].count(HINDI)
    first = summary.input_value().splitlines()[0]
    assert first.startswith(f"{len(HINDI)} characters | {tokens} subword tokens (qwen2.5) | "
                            f"{ref.text_patches} text patches | {ref.visual_tokens} visual tokens | ratio ")
    assert image.evaluate("el => el.naturalWidth") > ref.width  # the rendering, scaled up for display
    figures = page.locator("#render-figures")
    expect(figures).to_contain_text("visual tokens")
    expect(figures).to_contain_text("hin_Deva")

    out = SCREENSHOT if os.environ.get("MMX_SAVE_SCREENSHOT") == "1" else tmp_path / "demo_render.png"
    out.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(out), full_page=True)
    assert out.stat().st_size > 10_000


def test_an_error_clears_the_previous_rendering(page):
    """Render, then press Render on empty text: the error shows, and the earlier image and figures go."""
    expect = sync_api.expect
    box = page.locator("#render-text textarea")
    summary = page.locator("#render-summary textarea")
    box.fill("first")
    page.locator("#render-button").click()
    expect(summary).to_have_value(re.compile(r"^5 characters \|"), timeout=60_000)
    box.fill("")
    page.locator("#render-button").click()
    expect(page.get_by_text("the text is empty")).to_be_visible(timeout=60_000)
    expect(summary).to_have_value("", timeout=10_000)
    expect(page.locator("#render-image img")).to_have_count(0, timeout=10_000)
