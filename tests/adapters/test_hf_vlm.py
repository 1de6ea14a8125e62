"""The transformers adapters on tiny random-weight Qwen2.5-VL, LLaVA and Qwen2 models
built here (no hub): batching, left padding, multi-image requests, offline errors."""

from __future__ import annotations

import json
import shutil

import pytest

pytest.importorskip("transformers")

from PIL import Image

from mmx.adapters import VqaRequest, create_model
from mmx.errors import InputError
from mmx.eval.benches.mmcric.prompt import PROMPT
from mmx.testing.vlm import build_tiny_llava, build_tiny_qwen2, build_tiny_qwen2_5_vl


@pytest.fixture(scope="module")
def qwen_dir(tmp_path_factory):
    return build_tiny_qwen2_5_vl(tmp_path_factory.mktemp("tiny-qwen2.5-vl"))


@pytest.fixture(scope="module")
def llava_dir(tmp_path_factory):
    return build_tiny_llava(tmp_path_factory.mktemp("tiny-llava"))


@pytest.fixture(scope="module")
def qwen_text_dir(tmp_path_factory):
    return build_tiny_qwen2(tmp_path_factory.mktemp("tiny-qwen2"))


def _requests() -> list[VqaRequest]:
    def image(size, color):
        return Image.new("RGB", size, color)

    return [
        VqaRequest("a", "How many runs did Kohli score?", [image((56, 56), "red")]),
        VqaRequest(
            "b",
            "Which team won the toss and chose to bat first in this match?",
            [image((112, 84), "navy"), image((70, 60), "green")],
        ),
        VqaRequest("c", "Total extras?", [image((84, 112), "white")]),
        VqaRequest("d", "Who took the most wickets?", [image((64, 96), "orange").convert("L")]),
    ]


@pytest.fixture(scope="module", params=["qwen", "llava"])
def vlm(request):
    folder = request.getfixturevalue(f"{request.param}_dir")
    return create_model(str(folder), batch_size=2, max_new_tokens=4)


def test_batched_answers_equal_unbatched(vlm):
    requests = _requests()
    batched = vlm.answer(requests)
    assert len(batched) == len(requests)
    assert all(isinstance(a, str) and "\n" not in a and a == a.strip() for a in batched)
    # greedy decoding: each request alone gives the same answer (left padding is right)
    assert batched == [vlm.answer([r])[0] for r in requests]
    # the tiny model does look at its input, so the equality above means something
    assert len(set(batched)) > 1


def test_describe_is_json(vlm, tmp_path):
    info = json.loads(json.dumps(vlm.describe()))
    assert info["baseline"] is False
    assert info["batch_size"] == vlm.batch_size == 2
    assert info["max_new_tokens"] == 4
    assert info["device"] == "cpu" and info["dtype"] == "float32"
    assert info["transformers"]
    assert vlm.notes() == []


def test_pixel_budget(qwen_dir, llava_dir):
    qwen = create_model(str(qwen_dir), min_pixels=28 * 28, max_pixels=28 * 28 * 2)
    assert qwen.processor.image_processor.size["longest_edge"] == 28 * 28 * 2
    grid = qwen.processor.image_processor(images=[Image.new("RGB", (112, 112))])["image_grid_thw"]
    assert grid.tolist() == [[1, 2, 2]]  # 28x28 pixels: 2x2 patches of 14
    assert qwen.describe()["max_pixels"] == 28 * 28 * 2
    assert len(qwen.answer(_requests()[:2])) == 2
    llava = create_model(str(llava_dir), max_pixels=1000)
    assert "max_pixels ignored" in llava.notes()[0]


def test_text_only_baseline(qwen_text_dir):
    model = create_model("text-only", model=str(qwen_text_dir), batch_size=2, max_new_tokens=4)
    assert model.is_baseline
    requests = _requests()[:3]
    batched = model.answer(requests)
    assert len(batched) == 3 and all(isinstance(a, str) for a in batched)
    assert batched == [model.answer([r])[0] for r in requests]
    info = json.loads(json.dumps(model.describe()))
    assert info["baseline"] is True and info["chat_template"] is True


def test_text_only_needs_a_model():
    with pytest.raises(InputError, match="model=hf:ORG/NAME"):
        create_model("text-only")


def test_missing_local_folder(tmp_path):
    with pytest.raises(InputError, match="no such local model folder"):
        create_model(str(tmp_path / "nowhere"))


def test_hub_model_offline(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(InputError, match="offline") as info:
        create_model("hf:nobody/does-not-exist")
    message = str(info.value)
    assert "hf download nobody/does-not-exist --local-dir DIR" in message
    assert "--model DIR" in message


def test_text_model_is_not_a_vlm(qwen_text_dir):
    with pytest.raises(InputError, match="--model text-only"):
        create_model(str(qwen_text_dir))


def test_unknown_model_arg(llava_dir):
    with pytest.raises(InputError, match=r"does not take temperature \(--model-args it takes: .*batch_size"):
        create_model(str(llava_dir), temperature=0.7)


def test_processor_without_chat_template(llava_dir, tmp_path):
    folder = tmp_path / "no-template"
    shutil.copytree(llava_dir, folder)
    (folder / "chat_template.jinja").unlink()
    with pytest.raises(InputError, match="no chat template"):
        create_model(str(folder))


def test_cached_hub_model_loads_offline(qwen_dir, tmp_path, monkeypatch):
    from huggingface_hub import constants

    repo = tmp_path / "hub" / "models--tiny--qwen2.5-vl"
    shutil.copytree(qwen_dir, repo / "snapshots" / "0123abc")
    (repo / "refs").mkdir()
    (repo / "refs" / "main").write_text("0123abc")
    monkeypatch.setattr(constants, "HF_HUB_CACHE", str(tmp_path / "hub"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    model = create_model("hf:tiny/qwen2.5-vl", max_new_tokens=2)
    info = model.describe()
    assert info["model"] == "tiny/qwen2.5-vl" and info["commit"] == "0123abc"
    assert len(model.answer(_requests()[:1])) == 1


def test_eval_end_to_end_with_a_tiny_vlm(qwen_dir, tiny_set, tmp_path):
    """`mmx eval --model DIR` through the runner: multi-image rows, batching, the results contract."""
    from mmx.eval.runner import evaluate

    res = evaluate("mmcric", str(qwen_dir), {"batch_size": 4, "max_new_tokens": 3}, data=str(tiny_set),
                   out=tmp_path / "run", progress=False)
    assert res["n_samples"] == 18 and res["baseline"] is False
    assert res["bench_info"]["prompt"] == PROMPT
    recs = [json.loads(x) for x in (tmp_path / "run" / "samples.jsonl").read_text().splitlines()]
    assert len(recs) == 18 and all(isinstance(r["prediction"], str) for r in recs)
    assert "gap/E-H" in res["metrics"]


def test_every_registered_model_answers(qwen_text_dir, tiny_set, tmp_path, monkeypatch):
    """Generated from the registry's answering adapters that serve mmcric: a new one without a case
    here fails (adapters of other capabilities or made for other benches, e.g. geneval's shapes-oracle
    or xscript's defaults, are covered by the registry smoke test). The reader answers every
    question with the number it reads in the card: a wrong answer, but a well-formed run."""
    from mmx.adapters import adapters_for
    from mmx.eval.runner import evaluate
    from mmx.testing.openai_server import FakeOpenAI

    monkeypatch.setenv("MMX_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    with FakeOpenAI(model="fake-model") as server:  # the openai adapter, against a loopback server
        args = {"random": {}, "majority": {}, "text-only": {"model": str(qwen_text_dir), "max_new_tokens": 2},
                "ocr-table": {}, "reader": {}, "openai": {"model": "fake-model", "base_url": server.url}}
        for name in adapters_for("answer", bench="mmcric"):
            assert name in args, f"add a smoke-test case for model {name!r}"
            res = evaluate("mmcric", name, args[name], data=str(tiny_set), split="test_multi",
                           out=tmp_path / name, progress=False)
            assert res["n_samples"] == 6, name
