"""The bench contract: capabilities, generated images and embeddings as outputs, resuming them."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mmx.cli import main
from mmx.errors import InputError
from mmx.eval.contract import Bench, BenchBase
from mmx.eval.runner import evaluate
from tests.helpers import toy_benches
from tests.helpers.toy_benches import ToyEmbedder

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True, scope="module")
def _toys():
    toy_benches.register()
    yield
    toy_benches.unregister()


def test_every_registered_bench_implements_the_contract():
    from mmx.registry import benches

    for name in benches.names():
        cls = benches.get(name)
        assert issubclass(cls, BenchBase) or isinstance(cls(), Bench), name
        assert cls.needs in ("answer", "generate_images", "embed"), name
        assert cls.default_model, name


def test_wrong_capability_names_the_adapters_that_can(tmp_path, capsys):
    rc = main(["eval", "--bench", "toy-paint", "--model", "majority", "--out", str(tmp_path / "o"), "--no-progress"])
    err = capsys.readouterr().err
    assert rc == 2 and "cannot serve bench toy-paint" in err and "toy-painter" in err and "Traceback" not in err
    assert not (tmp_path / "o").exists()
    with pytest.raises(InputError, match=r"needs embed\. Adapters that can: (\S+, )*toy-embedder"):
        evaluate("toy-retrieval", "ocr-table", out=tmp_path / "p", progress=False)
    with pytest.raises(InputError, match="made for mmcric only"):
        evaluate("toy-qa", "ocr-table", out=tmp_path / "q", progress=False)
    res = evaluate("toy-qa", out=tmp_path / "q", progress=False)  # its default model: majority
    assert res["model"] == "majority" and res["n_samples"] == 10


def test_generated_images_are_files_and_scored(tmp_path):
    res = evaluate("toy-paint", out=tmp_path / "run", progress=False)
    assert res["model"] == "toy-painter" and res["n_samples"] == 8
    m = res["metrics"]
    assert m["accuracy/en"] == 1.0 and m["accuracy/fr"] == 0.0 and m["gap/en-fr"] == 1.0
    recs = [json.loads(x) for x in (tmp_path / "run" / "samples.jsonl").read_text().splitlines()]
    assert all(len(r["prediction"]) == 2 and (tmp_path / "run" / r["prediction"][0]).is_file() for r in recs)


_KILLABLE = """
import sys
sys.path.insert(0, {root!r})
from tests.helpers import toy_benches
toy_benches.register()
from mmx.eval.runner import evaluate
evaluate("toy-paint", "toy-painter", {{"delay": 0.3}}, out=sys.argv[1], progress=False)
"""


def test_killed_image_run_resumes_image_by_image(tmp_path):
    """SIGKILL mid-run: the rerun draws only images not on disk (at most the batch in flight again)."""
    out, log = tmp_path / "run", tmp_path / "draws.jsonl"
    script = tmp_path / "paint.py"
    script.write_text(_KILLABLE.format(root=str(ROOT)))
    env = {**os.environ, "TOY_LOG": str(log)}
    proc = subprocess.Popen([sys.executable, str(script), str(out)], env=env)
    deadline = time.time() + 120
    while time.time() < deadline:
        if (out / "samples.jsonl").exists() and len((out / "samples.jsonl").read_text().splitlines()) >= 2:
            break
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    first = len(log.read_text().splitlines())
    on_disk = {p for p in (out / "images").rglob("*.png")}
    assert 2 <= len((out / "samples.jsonl").read_text().splitlines()) < 8
    subprocess.run([sys.executable, str(script), str(out)], env=env, check=True, timeout=300)
    draws = [tuple(json.loads(x)) for x in log.read_text().splitlines()]
    redrawn = draws[first:]
    # nothing already on disk was drawn again; what was in flight (one batch of 2 prompts x 2 images) may be
    assert len(draws) <= 16 + 4 and len(redrawn) == 16 - len(on_disk)
    recs = [json.loads(x) for x in (out / "samples.jsonl").read_text().splitlines()]
    assert len(recs) == 8 and len({r["id"] for r in recs}) == 8
    assert not list((out / "images").rglob(".*.tmp"))


def test_embeddings_are_cached_in_shards_and_pooled(tmp_path):
    ToyEmbedder.calls = 0
    res = evaluate("toy-retrieval", out=tmp_path / "run", progress=False)
    assert res["metrics"]["mrr/en"] == 1.0 and res["metrics"]["hit@1/fr"] == 1.0
    assert ToyEmbedder.calls == 12 + 6  # 12 queries, 6 pool items
    assert list((tmp_path / "run" / "embeddings").glob("r00000-*.npz"))
    ToyEmbedder.calls = 0
    again = evaluate("toy-retrieval", out=tmp_path / "run", progress=False)
    assert ToyEmbedder.calls == 0 and again["metrics"] == res["metrics"]
    report = (tmp_path / "run" / "report.md").read_text()
    assert "| en | 6 | 1.000 | 1.000 |" in report


def test_more_ranks_than_samples(tiny_set, tmp_path, monkeypatch):
    monkeypatch.setenv("WORLD_SIZE", "3")
    monkeypatch.setenv("RANK", "0")
    with pytest.raises(InputError, match="3 processes for 2 samples"):
        evaluate("mmcric", "majority", data=str(tiny_set), out=tmp_path / "o", limit=1, progress=False)
    assert not (tmp_path / "o").exists()


def test_mmx_data_unknown_bench_and_bench_without_generator(capsys, tmp_path):
    assert main(["data", "mmcrik", "--out", str(tmp_path / "d")]) == 2
    assert "Did you mean 'mmcric'" in capsys.readouterr().err
    assert main(["data", "toy-paint", "--out", str(tmp_path / "d")]) == 2
    err = capsys.readouterr().err
    assert "toy-paint has no data generator" in err and "mmcric" in err


def test_list_models_shows_capabilities(capsys):
    assert main(["list", "models"]) == 0
    out = capsys.readouterr().out
    assert "answer" in out and "generate_images" in out and "mmcric only" in out


def test_bench_args_from_the_command_line(tmp_path, capsys):
    """--bench-args reaches the bench's constructor; an unknown key names the accepted ones."""
    out = tmp_path / "o"
    assert main(["eval", "--bench", "geneval", "--bench-args", "n_images=1,per_tag=1,languages=en",
                 "--out", str(out), "--no-progress"]) == 0
    res = json.loads((out / "results.json").read_text())
    assert res["n_samples"] == 6 and res["config"]["bench_args"] == {"n_images": 1, "per_tag": 1, "languages": "en"}
    assert main(["eval", "--bench", "geneval", "--bench-args", "n_imgs=1", "--out", str(tmp_path / "p"),
                 "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert "bench geneval does not take n_imgs" in err and "n_images" in err and not (tmp_path / "p").exists()


def test_benches_override_the_contract_without_type_ignores() -> None:
    """BenchBase is generic over its sample type, so a bench's verbs take its own samples: no
    bench silences the type checker's override check."""
    from pathlib import Path

    import mmx.eval.benches as benches

    root = Path(benches.__file__).parent
    bad = [f"{p.relative_to(root)}:{i}" for p in sorted(root.rglob("*.py"))
           for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if "type: ignore[override]" in line]
    assert not bad, bad
