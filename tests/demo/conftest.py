"""One demo server for the API and browser tests (the real app on a free loopback port), and fakes."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from mmx.demo.state import DemoModels


@dataclass
class DemoServer:
    url: str
    models: DemoModels


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


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def models() -> DemoModels:
    """Hand-built state: a word-counting tokenizer, no reader, no scorecard model."""
    return DemoModels(tokenizers={"fake": FakeTokenizer()})


@pytest.fixture(scope="package")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoServer]:
    """``mmx demo`` as the command starts it (models loaded once, queue, timeouts), without blocking."""
    pytest.importorskip("gradio", reason="the demo needs gradio: pip install 'mmx[demo]'")
    old = os.environ.get("GRADIO_TEMP_DIR")
    os.environ["GRADIO_TEMP_DIR"] = str(tmp_path_factory.mktemp("gradio"))
    from mmx.demo.app import build_app, launch
    from mmx.demo.state import load_models

    models = load_models(log=lambda _msg: None)
    demo = build_app(models, timeout=60, queue_size=8)
    url = launch(demo, "127.0.0.1", free_port(), block=False, quiet=True)
    try:
        yield DemoServer(url, models)
    finally:
        demo.close()
        if old is None:
            os.environ.pop("GRADIO_TEMP_DIR", None)
        else:
            os.environ["GRADIO_TEMP_DIR"] = old


@pytest.fixture(scope="package")
def client(demo_server):
    """A ``gradio_client`` on the served demo: each tab's API as a program calls it."""
    gradio_client = pytest.importorskip("gradio_client")
    return gradio_client.Client(demo_server.url, verbose=False)
