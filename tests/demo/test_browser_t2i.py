"""The Draw tab in headless Chromium: a generated Hindi prompt -> images and the judge's verdicts.

Same browser set-up as tests/demo/test_browser.py (Debian's chromium through Playwright)."""

from __future__ import annotations

import re

import pytest

from .test_browser import browser_page

sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def page(demo_server):
    with browser_page(demo_server.url, 120_000) as pg:
        yield pg


def test_draw_a_hindi_prompt_in_the_browser(page):
    from mmx.demo.tabs.t2i import examples

    expect = sync_api.expect
    prompt = dict(examples())["Hindi"]
    page.get_by_role("tab", name="Draw").click()
    box = page.locator("#t2i-prompt textarea")
    box.fill(prompt)
    expect(box).to_have_value(prompt)
    page.locator("#t2i-button").click()
    details = page.locator("#t2i-details textarea")
    expect(details).to_have_value(re.compile(r"GenEval prompt \(hi\), task color_attr"), timeout=120_000)
    text = details.input_value()
    assert len(re.findall(r"^image \d: (correct|incorrect)", text, re.M)) == 4
    expect(page.locator("#t2i-gallery img").first).to_be_visible()
    assert page.locator("#t2i-gallery img").count() >= 4
