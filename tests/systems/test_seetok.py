"""The SeeTok LoRA recipe on a tiny random-weight Qwen2.5-VL: a two-step `mmx fit`
through the shipped config, label masking, predictions, and the data module."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import pytest

pytest.importorskip("peft")
pytest.importorskip("transformers")

import torch

from mmx.cli import main
from mmx.errors import InputError
from mmx.systems.seetok import SeeTokLoraSystem
from mmx.systems.seetok_data import InstructionDataModule, generate_instructions, read_instructions
from mmx.testing.vlm import build_tiny_qwen2_5_vl

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "configs" / "seetok_qwen2_5_vl_lora.yaml"


@pytest.fixture(scope="module")
def tiny_dir(tmp_path_factory) -> Path:
    return build_tiny_qwen2_5_vl(tmp_path_factory.mktemp("tiny-qwen2.5-vl"))


def _cli(command: str, tiny_dir: Path, tmp: Path, *extra: str) -> int:
    """`mmx fit|predict` with the shipped config, shrunk to a tiny model on CPU in ``tmp``."""
    return main([
        command, "--config", str(CONFIG),
        "--model.model", str(tiny_dir), "--model.max_new_tokens", "4",
        "--data.generated", "16", "--data.batch_size", "2",
        "--trainer.max_steps", "2", "--trainer.val_check_interval", "2",
        "--trainer.log_every_n_steps", "1",
        "--trainer.accelerator", "cpu", "--trainer.precision", "32-true",
        "--trainer.enable_progress_bar", "false", "--trainer.enable_model_summary", "false",
        "--trainer.default_root_dir", str(tmp),
        "--trainer.logger.init_args.save_dir", str(tmp / "runs"),
        *extra,
    ])


@pytest.fixture(scope="module")
def trained(tiny_dir, tmp_path_factory) -> Path:
    """Two optimizer steps of the shipped config through `mmx fit`; returns the run folder."""
    tmp = tmp_path_factory.mktemp("seetok")
    assert _cli("fit", tiny_dir, tmp) == 0
    return tmp / "runs" / "seetok" / "version_0"


@pytest.fixture(scope="module")
def system(tiny_dir) -> SeeTokLoraSystem:
    # two strip rows per image: a long instruction spills into several images
    return SeeTokLoraSystem(model=str(tiny_dir), profile_overrides={"rows": 2}, max_new_tokens=4)


def _base_weights(folder: Path) -> dict[str, torch.Tensor]:
    """The untrained model's weights under the names the loaded model uses."""
    from transformers import AutoModelForImageTextToText

    return AutoModelForImageTextToText.from_pretrained(folder).state_dict()


def test_fit_trains_lora_only(trained, tiny_dir) -> None:
    ckpts = sorted((trained / "checkpoints").glob("*.ckpt"))
    assert ckpts, "fit wrote no checkpoint"
    ckpt = torch.load(ckpts[-1], map_location="cpu", weights_only=True)
    assert ckpt["mmx_system"].endswith("SeeTokLoraSystem")
    state = ckpt["state_dict"]
    base = _base_weights(tiny_dir)
    lora = {k: v for k, v in state.items() if "lora_" in k}
    assert lora and all(".language_model." in k for k in lora)
    # peft starts lora_B at zero: non-zero means the optimizer moved it
    assert all(v.abs().sum() > 0 for k, v in lora.items() if "lora_B" in k)
    # the checkpoint holds the trained weights only (a 3B base would be ~7.5 GB)
    assert ckpt["mmx_trainable_only"] and set(state) == set(lora)
    from mmx.systems import load_system

    loaded = load_system(str(ckpts[-1]))  # the base reloads from its folder, LoRA from the checkpoint
    full = loaded.state_dict()
    compared = 0
    for key, value in full.items():
        if "lora_" in key:
            assert torch.equal(value, lora[key])
            continue
        name = key.removeprefix("vlm.base_model.model.").replace(".base_layer", "")
        assert torch.equal(value, base[name]), f"frozen weight {name} changed"
        compared += 1
    assert compared == len(base) and any(k.startswith("model.visual.") for k in base)

    rows = list(csv.DictReader((trained / "metrics.csv").open()))
    losses = [float(r["train/loss"]) for r in rows if r.get("train/loss")]
    assert len(losses) == 2 and all(math.isfinite(x) for x in losses)
    assert any(r.get("val/loss") for r in rows)
    visual = [float(r["train/visual_tokens"]) for r in rows if r.get("train/visual_tokens")]
    subword = [float(r["train/subword_tokens"]) for r in rows if r.get("train/subword_tokens")]
    assert visual and subword and all(v > 0 for v in visual + subword)

    assert (trained / "model.safetensors").is_file()
    # the adapter folder loads with peft onto the untrained model and holds the trained LoRA
    from peft import PeftModel
    from transformers import AutoModelForImageTextToText

    adapter = trained / "adapter"
    assert (adapter / "adapter_config.json").is_file() and (adapter / "adapter_model.safetensors").is_file()
    peft_model = PeftModel.from_pretrained(AutoModelForImageTextToText.from_pretrained(tiny_dir), adapter)
    reloaded = peft_model.state_dict()
    assert all(torch.equal(reloaded[k.removeprefix("vlm.")], v) for k, v in lora.items())


def test_predict_returns_strings(trained, tiny_dir) -> None:
    from mmx.systems import load_system

    loaded = load_system(str(trained))  # model.safetensors + mmx_system.json
    assert isinstance(loaded, SeeTokLoraSystem) and loaded.max_new_tokens == 4
    batch = generate_instructions(3, seed=5)
    rows = loaded.predict_step(batch, 0)
    assert [r["instruction"] for r in rows] == [b["instruction"] for b in batch]
    assert all(isinstance(r["prediction"], str) and isinstance(r["response"], str) for r in rows)

    # `mmx predict` from the last checkpoint writes its rows next to its logs
    tmp = trained.parent.parent.parent
    assert _cli("predict", tiny_dir, tmp, "--ckpt_path", str(trained / "checkpoints" / "last.ckpt")) == 0
    lines = (trained.parent / "version_1" / "predictions.jsonl").read_text(encoding="utf-8").splitlines()
    rows = [json.loads(x) for x in lines]
    assert len(rows) == 1  # the validation row of 16 generated items
    assert set(rows[0]) == {"instruction", "response", "prediction"} and isinstance(rows[0]["prediction"], str)


def test_labels_cover_only_the_response(system) -> None:
    long = "Repeat exactly: " + " ".join(["garden window river"] * 12)
    batch = [
        {"instruction": "Uppercase: stone", "response": "STONE"},
        {"instruction": long, "response": "a much longer answer than the others"},
        {"instruction": "Which is larger, ४२ or ७?", "response": "४२"},
    ]
    counts = [len(system.render(b["instruction"])) for b in batch]
    assert counts[1] > 1 and counts[0] == counts[2] == 1  # different image counts in one batch
    inputs, labels = system.encode(batch)
    ids, mask = inputs["input_ids"], inputs["attention_mask"]
    tok = system.tokenizer
    image_id = tok.convert_tokens_to_ids("<|image_pad|>")
    assert system.image_token_id == image_id
    grids = inputs["image_grid_thw"]
    assert len(grids) == sum(counts) and inputs["pixel_values"].shape[0] == int(grids.prod(1).sum())
    assert int((ids == image_id).sum()) == int(grids.prod(1).sum()) // 4
    for i, item in enumerate(batch):
        labelled = labels[i] != -100
        pos = labelled.nonzero().flatten()
        # one contiguous span at the end of the real tokens, equal to the input there
        assert torch.equal(pos, torch.arange(int(pos[0]), int(mask[i].sum())))
        assert torch.equal(labels[i][labelled], ids[i][labelled])
        assert tok.decode(labels[i][labelled]) == item["response"] + "<|im_end|>"
        assert int(labels[i][labelled][-1]) == tok.convert_tokens_to_ids("<|im_end|>")
        assert not labelled[ids[i] == image_id].any()
        assert not labelled[mask[i] == 0].any()
        # the same sample alone gets the same labels: padding and batch mates do not matter
        _, alone = system.encode([item])
        assert torch.equal(alone[0][alone[0] != -100], labels[i][labelled])
    with torch.no_grad():
        loss, _ = system.loss(batch)
    assert torch.isfinite(loss)


def test_vision_tower_gets_no_adapters(tiny_dir) -> None:
    with pytest.raises(InputError, match="vision tower"):
        SeeTokLoraSystem(model=str(tiny_dir), lora={"exclude_modules": None})


def test_train_vision(tiny_dir, tmp_path) -> None:
    full = SeeTokLoraSystem(model=str(tiny_dir), train_vision=True)
    counts = full.parameter_counts()
    vision = sum(p.numel() for n, p in full.vlm.named_parameters() if ".visual." in n)
    assert counts["vision_trainable"] == vision > 0 and counts["lora"] > 0
    full.save_adapter(str(tmp_path / "adapter"))
    assert (tmp_path / "adapter" / "vision_tower.safetensors").is_file()


def test_gradient_checkpointing_trains_lora(tiny_dir) -> None:
    checkpointed = SeeTokLoraSystem(model=str(tiny_dir), gradient_checkpointing=True)
    loss, _ = checkpointed.loss(generate_instructions(2, seed=7))
    loss.backward()
    grads = {n: p.grad for n, p in checkpointed.vlm.named_parameters() if p.requires_grad}
    assert grads and all(g is not None for g in grads.values())
    assert all(p.grad is None for p in checkpointed.vlm.parameters() if not p.requires_grad)


def test_missing_model_folder(tmp_path) -> None:
    with pytest.raises(InputError, match="no such local model folder"):
        SeeTokLoraSystem(model=str(tmp_path / "nowhere"))


# -- data ------------------------------------------------------------------

def _jsonl(path: Path, rows: list[dict]) -> str:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return str(path)


def test_generated_set_is_deterministic_and_right() -> None:
    a, b = generate_instructions(200, seed=1), generate_instructions(200, seed=1)
    assert a == b and a != generate_instructions(200, seed=2)
    assert len({x["instruction"] for x in a}) == 200
    assert {x["script"] for x in a} >= {"latin", "cyrillic", "devanagari", "arabic"}
    for x in a:
        if x["task"] == "reverse_words":
            words = x["instruction"].split(": ", 1)[1].split()
            assert x["response"].split() == words[::-1]
        elif x["task"] == "count_words":
            assert int(x["response"]) == len(x["instruction"].split(": ", 1)[1].split())
        elif x["task"] == "uppercase":
            assert x["response"] == x["instruction"].split(": ", 1)[1].upper()
    dm = InstructionDataModule(generated=40, val_fraction=0.1, seed=3)
    dm.setup("fit")
    assert len(dm.train_items) == 36 and len(dm.val_items) == 4
    assert not {x["instruction"] for x in dm.val_items} & {x["instruction"] for x in dm.train_items}


def test_files_of_every_kind(tmp_path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder = tmp_path / "data"
    folder.mkdir()
    _jsonl(folder / "a.jsonl", [{"prompt": "Repeat exactly: дом", "answer": "дом"}])
    pq.write_table(pa.table({"prompt": ["Uppercase: river"], "answer": ["RIVER"]}), folder / "b.parquet")
    with (folder / "c.csv").open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([["prompt", "answer"], ["Repeat exactly: घर", "घर"]])
    (folder / "d.json").write_text(json.dumps([{"prompt": "Repeat: x", "answer": "x"}]))
    (folder / "notes.txt").write_text("ignored")
    rows = read_instructions(str(folder), {"instruction": "prompt", "response": "answer"})
    assert [r["response"] for r in rows] == ["дом", "RIVER", "घर", "x"]


def test_data_bad_inputs(tmp_path) -> None:
    with pytest.raises(InputError, match="no such file or folder"):
        InstructionDataModule(path=str(tmp_path / "missing.jsonl"))
    with pytest.raises(InputError, match=r"data\.path .* or data\.generated"):
        InstructionDataModule()

    wrong = _jsonl(tmp_path / "wrong.jsonl", [{"prompt": "Repeat: a", "answer": "a"}])
    dm = InstructionDataModule(path=wrong)
    with pytest.raises(InputError) as info:
        dm.setup("fit")
    message = str(info.value)
    assert "missing column(s) 'instruction', 'response'" in message
    assert "found: prompt, answer" in message and "data.columns" in message

    partly = _jsonl(tmp_path / "partly.jsonl", [{"instruction": "Repeat: a", "answer": "a"}])
    with pytest.raises(InputError, match=r"missing column\(s\) 'response' \(found: instruction, answer\)"):
        read_instructions(partly)
    number = _jsonl(tmp_path / "number.jsonl", [{"instruction": "How many?", "response": 3}])
    with pytest.raises(InputError, match=r"row 1: column 'response' holds int 3, not a string"):
        read_instructions(number)
    empty = _jsonl(tmp_path / "empty.jsonl", [])
    with pytest.raises(InputError, match="no rows"):
        read_instructions(empty)
    bad_json = tmp_path / "bad.jsonl"
    bad_json.write_text('{"instruction": "a", "response": "b"}\n{oops\n')
    with pytest.raises(InputError, match="line 2: not JSON"):
        read_instructions(str(bad_json))
    text = tmp_path / "rows.txt"
    text.write_text("x")
    with pytest.raises(InputError, match=r"expected a \.jsonl"):
        read_instructions(str(text))
