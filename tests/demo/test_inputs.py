"""The checks, limits and deadline every tab shares."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from mmx.demo import inputs
from mmx.errors import InputError


def test_text_limit_is_ten_thousand_characters():
    assert inputs.check_text("a" * inputs.MAX_TEXT_CHARS) == "a" * 10_000
    with pytest.raises(InputError, match=r"10,001 characters long; the limit is 10,000"):
        inputs.check_text("a" * 10_001)
    for bad in ("", "   \n", None):
        with pytest.raises(InputError, match="empty"):
            inputs.check_text(bad)
    with pytest.raises(InputError, match="must be a string"):
        inputs.check_text(12)
    with pytest.raises(InputError, match="surrogate"):
        inputs.check_text("a\udc80b")
    with pytest.raises(InputError, match="the question is 501 characters long; the limit is 500"):
        inputs.check_text("q" * 501, "question", inputs.MAX_QUESTION_CHARS)


@pytest.mark.parametrize("value, match", [
    (None, r"^size must be a number from 1 to 9$"),
    (True, "must be a number from 1 to 9"),
    ("big", r"must be a number from 1 to 9 \(got 'big'\)"),
    (float("nan"), "must be from 1 to 9"),
    (10, r"must be from 1 to 9 \(got 10\)"),
    (2.5, "must be a whole number"),
])
def test_bad_numbers(value, match):
    with pytest.raises(InputError, match=match):
        inputs.check_number(value, "size", 1, 9, integer=True)


def test_numbers_seeds_and_choices():
    assert inputs.check_number("4.5", "size", 1, 9) == 4.5
    assert inputs.check_seed(7.0) == 7 and inputs.check_seed(inputs.SEED_MAX) == 2**31 - 1
    with pytest.raises(InputError, match="seed must be from 0"):
        inputs.check_seed(-1)
    assert inputs.check_choice("page", "layout", ("strip", "page")) == "page"
    with pytest.raises(InputError, match=r"unknown layout 'pgae' \(did you mean 'page'\?\); choose one of: strip, page"):
        inputs.check_choice("pgae", "layout", ("strip", "page"))


def test_run_with_deadline_reports_a_timeout():
    pool = ThreadPoolExecutor(1)
    release = threading.Event()
    try:
        assert inputs.run_with_deadline(pool, lambda x: x + 1, 5, "Adding", 1) == 2
        t0 = time.perf_counter()
        with pytest.raises(inputs.RequestTimeout, match=r"Rendering took longer than 0.2 s"):
            inputs.run_with_deadline(pool, release.wait, 0.2, "Rendering", 10)
        assert time.perf_counter() - t0 < 2
    finally:
        release.set()
        pool.shutdown(wait=True)


def test_server_turns_every_failure_into_one_line():
    gr = pytest.importorskip("gradio")
    server = inputs.Server(timeout=5, workers=1)

    def fail(exc: Exception):
        raise exc

    try:
        assert server.run("Adding", lambda a, b: a + b, 1, 2) == 3
        with pytest.raises(gr.Error) as err:
            server.run("Rendering", inputs.check_text, "  ")
        assert err.value.message == "the text is empty: type or paste something first"
        with pytest.raises(gr.Error) as err:
            server.run("Reading", fail, ValueError("boom\nsecond line"))
        assert err.value.message == "Reading failed unexpectedly: ValueError: boom (the server log has the details)"
    finally:
        server.pool.shutdown(wait=True)
