"""``--model openai`` against a real OpenAI-compatible server: ``transformers serve`` (transformers'
own, FastAPI + uvicorn) serving a tiny random-weight Qwen2.5-VL folder written here, on 127.0.0.1.

It answers chat completions with images; it has no ``/v1/embeddings`` and no images endpoint
(those are tested against the fake server in test_openai_api.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("openai")
pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")

from mmx.adapters import VqaRequest, create_model
from mmx.cli import main
from mmx.testing.openai_server import tiny_servable_vlm, transformers_serve
from tests.adapters.test_openai_api import write_set

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """(base_url, model name): the tiny VLM served for this module, stopped after it."""
    root = tmp_path_factory.mktemp("serve")
    folder = tiny_servable_vlm(root / "tiny-vlm")
    with transformers_serve(folder, log=root / "serve.log") as url:
        yield url, str(folder)


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.setenv("MMX_CACHE", str(tmp_path / "mmx-cache"))
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL"):
        monkeypatch.delenv(var, raising=False)
    return write_set(tmp_path / "set", n_pairs=3)


def _usage(out: Path) -> dict:
    return json.loads((out / "results.json").read_text(encoding="utf-8"))["model_info"]["usage"]


def test_mmcric_end_to_end_against_transformers_serve(served, env, tmp_path):
    url, model = served
    args = f"model={model},base_url={url},concurrency=2,max_tokens=4"
    run = ["eval", "--bench", "mmcric", "--data", str(env), "--no-progress", "--model", "openai", "--model-args", args]
    assert main([*run, "--out", str(tmp_path / "a")]) == 0
    recs = [json.loads(x) for x in (tmp_path / "a" / "samples.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(recs) == 6 and all(isinstance(r["prediction"], str) for r in recs)
    usage = _usage(tmp_path / "a")
    # the server counted the images' tokens: more prompt tokens than the text alone has words
    assert usage["requests_sent"] == 6 and usage["failed"] == 0 and usage["prompt_tokens"] > 6 * 20
    assert usage["completion_tokens"] > 0
    # a second run into another folder sends nothing and scores the same
    assert main([*run, "--out", str(tmp_path / "b")]) == 0
    again = _usage(tmp_path / "b")
    assert again["requests_sent"] == 0 and again["requests_cached"] == 6
    recs_b = [json.loads(x) for x in (tmp_path / "b" / "samples.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["prediction"] for r in recs_b] == [r["prediction"] for r in recs]


def test_text_only_and_an_unknown_model(served, env):
    url, model = served
    m = create_model("openai", model=model, base_url=url, cache=False, max_tokens=3)
    assert len(m.answer([VqaRequest(id="t", question="How many runs?")])) == 1
    m.close()
    from mmx.errors import InputError

    with pytest.raises(InputError, match="serves no model 'org/unknown'; it lists: "):
        create_model("openai", model="org/unknown", base_url=url)
