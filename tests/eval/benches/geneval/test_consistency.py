"""m-GenEval's CLC and CSS: the formulas on constructed embeddings, identical images scoring
1.0 end to end through the bench option, the embedding cache, every embedder back-end with
tiny random weights, and bad embedder specs as one clear error."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("torch")

from PIL import Image

from mmx.errors import InputError
from mmx.eval.benches.geneval import GenevalBench
from mmx.eval.benches.geneval.consistency import (
    ImageEmbedder,
    annotate,
    consistency_metrics,
    create_embedder,
    pair_similarity,
    split_subset,
)
from mmx.eval.runner import evaluate
from mmx.worlds.prompts import write_metadata

# --- a stub embedder: a solid image's embedding is its colour ----------------------------


class CountingEmbedder(ImageEmbedder):
    """The unit vector of an image's mean RGB (after +1, so black is not zero); counts images."""

    def __init__(self) -> None:
        import torch

        def preprocess(images):
            return torch.tensor(np.stack([np.asarray(im, dtype=np.float32).mean(axis=(0, 1)) + 1 for im in images]))

        super().__init__("stub:rgb", None, preprocess, lambda x: x, torch.device("cpu"), batch_size=2)
        self.seen = 0

    def embed(self, images):
        self.seen += len(images)
        return super().embed(images)


def unit(rgb) -> np.ndarray:
    v = np.asarray(rgb, dtype=np.float64) + 1
    return v / np.linalg.norm(v)


def solid(root: Path, rel: str, rgb) -> str:
    (root / rel).parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (8, 8), tuple(rgb)).save(root / rel)
    return rel


def rec(root: Path, subset: str, pair: str, colours, status=None) -> dict:
    imgs = []
    for k, c in enumerate(colours):
        rel = f"images/{subset}/{pair}/{k:04d}.png"
        if c is None:
            imgs.append({"filename": rel, "status": "missing"})
        else:
            imgs.append({"filename": solid(root, rel, c), "status": "ok"})
    return {"subset": subset, "pair": pair, "images": imgs}


RED, GREEN, BLUE, GREY = (250, 0, 0), (0, 250, 0), (0, 0, 250), (120, 120, 120)


def test_formulas_on_constructed_embeddings(tmp_path: Path) -> None:
    records = [
        rec(tmp_path, "en", "p0", [RED, GREEN]),
        rec(tmp_path, "en", "p1", [BLUE, BLUE]),
        rec(tmp_path, "fr", "p0", [RED, BLUE]),     # image 0 equals en's image 0, image 1 does not
        rec(tmp_path, "fr", "p1", [BLUE, None]),    # image 1 missing: only k = 0 pairs
        rec(tmp_path, "hi", "p0", [GREEN, RED]),    # the same images as en, swapped: pairing is by k
        rec(tmp_path, "fr-en-first", "p0", [GREY, GREY]),
        rec(tmp_path, "fr-en-second", "p1", [BLUE, BLUE]),
    ]
    annotate(records, CountingEmbedder(), tmp_path, tmp_path)
    cos = float(unit(RED) @ unit(GREEN))
    fr0 = (1.0 + float(unit(GREEN) @ unit(BLUE))) / 2
    assert records[2]["clc"] == pytest.approx(fr0, abs=1e-6)
    assert records[3]["clc"] == pytest.approx(1.0, abs=1e-6)
    assert records[4]["clc"] == pytest.approx(cos, abs=1e-6)
    assert "clc" not in records[0]
    m = consistency_metrics(records)
    # CLC(L): mean over prompts of the mean over paired image indices
    assert m["clc/fr"] == pytest.approx((fr0 + 1.0) / 2, abs=1e-6)
    assert m["clc/hi"] == pytest.approx(cos, abs=1e-6)
    assert m["clc/mean"] == pytest.approx((m["clc/fr"] + m["clc/hi"]) / 2, abs=1e-9)
    # CSS: against English and against the same language, then their mean
    vs_en = (float(unit(GREY) @ unit(RED)) + float(unit(GREY) @ unit(GREEN))) / 2
    vs_fr = (float(unit(GREY) @ unit(RED)) + float(unit(GREY) @ unit(BLUE))) / 2
    assert m["css/en-first/fr/vs-en"] == pytest.approx(vs_en, abs=1e-6)
    assert m["css/en-first/fr/vs-fr"] == pytest.approx(vs_fr, abs=1e-6)
    assert m["css/en-first/fr"] == m["css/en-first"] == pytest.approx((vs_en + vs_fr) / 2, abs=1e-6)
    # fr's p1 image 1 is missing, so en-second vs fr pairs on k = 0 only
    assert m["css/en-second/fr/vs-en"] == pytest.approx(1.0, abs=1e-6)
    assert m["css/en-second/fr/vs-fr"] == pytest.approx(1.0, abs=1e-6)


def test_embeddings_are_cached_in_the_run_folder(tmp_path: Path) -> None:
    records = [rec(tmp_path, "en", "p0", [RED, GREEN]), rec(tmp_path, "fr", "p0", [RED, GREEN])]
    first = CountingEmbedder()
    annotate(records, first, tmp_path, tmp_path)
    assert first.seen == 4 and list((tmp_path / "embeddings" / "consistency-stub_rgb").glob("r*.npz"))
    again = CountingEmbedder()
    annotate(records, again, tmp_path, tmp_path)
    assert again.seen == 0 and records[1]["clc"] == pytest.approx(1.0)
    solid(tmp_path, records[1]["images"][1]["filename"], BLUE)  # redrawn image: embedded anew
    third = CountingEmbedder()
    annotate(records, third, tmp_path, tmp_path)
    assert third.seen == 1 and records[1]["clc"] < 0.99


def test_helpers() -> None:
    assert split_subset("fr-en-first") == ("fr", "en-first")
    assert split_subset("hi-en-second") == ("hi", "en-second")
    assert split_subset("hi-roman") == ("hi-roman", None)
    assert split_subset("zh") == ("zh", None)
    assert math.isnan(pair_similarity(np.zeros((0, 3)), np.zeros((0, 3))))


# --- back-ends with tiny random weights ----------------------------------------------------


@pytest.fixture(scope="module")
def dinov2_dir(tmp_path_factory) -> Path:
    transformers = pytest.importorskip("transformers")
    out = tmp_path_factory.mktemp("tiny-dinov2")
    cfg = transformers.Dinov2Config(hidden_size=16, num_hidden_layers=1, num_attention_heads=2, mlp_ratio=2,
                                    image_size=28, patch_size=14)
    transformers.Dinov2Model(cfg).save_pretrained(out)
    transformers.BitImageProcessor(size={"shortest_edge": 28}, crop_size={"height": 28, "width": 28},
                                   do_convert_rgb=True).save_pretrained(out)
    return out


def _two_images():
    return [Image.new("RGB", (40, 30), (200, 10, 10)), Image.new("RGB", (30, 40), (10, 10, 200))]


def _check_rows(rows: np.ndarray, dim: int | None = None) -> None:
    assert rows.shape[0] == 2 and rows.dtype == np.float32 and (dim is None or rows.shape[1] == dim)
    assert np.allclose(np.linalg.norm(rows, axis=1), 1.0, atol=1e-5)


def test_dinov2_through_transformers(dinov2_dir: Path) -> None:
    emb = create_embedder(f"dinov2:{dinov2_dir}", batch_size=1, device="cpu")
    _check_rows(emb.embed(_two_images()), 16)
    same = emb.embed([Image.new("RGB", (32, 32), (5, 90, 5))] * 2)
    assert float(same[0] @ same[1]) == pytest.approx(1.0, abs=1e-5)


def test_timm_random_and_checkpoint(tmp_path: Path) -> None:
    timm = pytest.importorskip("timm")
    import torch

    _check_rows(create_embedder("timm:test_vit:random", device="cpu").embed(_two_images()))
    model = timm.create_model("test_vit", pretrained=False, num_classes=0)
    torch.save(model.state_dict(), tmp_path / "w.pth")
    emb = create_embedder(f"timm:test_vit:{tmp_path / 'w.pth'}", device="cpu")
    ref = torch.nn.functional.normalize(model.eval()(emb.preprocess(_two_images())), dim=-1).detach().numpy()
    assert np.allclose(emb.embed(_two_images()), ref, atol=1e-5)  # the checkpoint's weights, not random ones


def test_open_clip_by_model_name(tmp_path: Path) -> None:
    open_clip = pytest.importorskip("open_clip")
    cfg = {"embed_dim": 16,
           "vision_cfg": {"image_size": 32, "layers": 1, "width": 32, "patch_size": 16, "head_width": 16},
           "text_cfg": {"context_length": 8, "vocab_size": 100, "width": 16, "heads": 2, "layers": 1}}
    (tmp_path / "mmx-tiny-clip.json").write_text(json.dumps(cfg), encoding="utf-8")
    open_clip.add_model_config(tmp_path / "mmx-tiny-clip.json")
    _check_rows(create_embedder("open_clip:mmx-tiny-clip:random", device="cpu").embed(_two_images()), 16)


def test_pixels_embedder_compares_what_is_drawn() -> None:
    from mmx.worlds.shapes import canonical_layout, render

    emb = create_embedder("pixels:16", device="cpu")
    _check_rows(emb.embed(_two_images()), 16 * 16 * 3)
    circle = {"include": [{"class": "circle", "count": 1, "color": "red"}]}
    square = {"include": [{"class": "square", "count": 1, "color": "blue"}]}
    rows = emb.embed([render(canonical_layout(m, 32), 32) for m in (circle, circle, square)])
    assert float(rows[0] @ rows[1]) == pytest.approx(1.0, abs=1e-5)
    assert float(rows[0] @ rows[2]) < 0.9


@pytest.mark.parametrize(("spec", "needle"), [
    ("pixels:big", "write pixels:SIZE"),
    ("pixels:2", "write pixels:SIZE"),
    ("clip:ViT-B-32", "write one of open_clip:MODEL"),
    ("open_clip", "write one of open_clip:MODEL"),
    ("open_clip:ViT-Q-99", "open_clip has no model 'ViT-Q-99'"),
    ("timm:no_such_net_xyz", "timm has no model 'no_such_net_xyz'"),
    ("timm:test_vit:/no/such/file.pth", "no checkpoint file"),
    ("dinov2:/no/such/folder", "no such local model folder"),
])
def test_bad_embedder_is_one_clear_error(spec: str, needle: str) -> None:
    with pytest.raises(InputError) as err:
        create_embedder(spec, device="cpu")
    assert needle in str(err.value) and "consistency=" in str(err.value)


def test_dinov2_spec_on_another_model(tmp_path: Path) -> None:
    transformers = pytest.importorskip("transformers")
    transformers.ViTModel(transformers.ViTConfig(hidden_size=16, num_hidden_layers=1, num_attention_heads=2,
                                                 intermediate_size=16, image_size=28, patch_size=14)
                          ).save_pretrained(tmp_path)
    with pytest.raises(InputError, match="not DINOv2"):
        create_embedder(f"dinov2:{tmp_path}", device="cpu")


def test_bench_option_checks_the_backend() -> None:
    with pytest.raises(InputError, match="consistency=eva:clip"):
        GenevalBench(consistency="eva:clip")


# --- end to end ------------------------------------------------------------------------------


def test_identical_images_give_clc_and_css_one(tmp_path: Path, dinov2_dir: Path) -> None:
    """shapes-oracle draws from the record and the seed alone, so every language (and code-mixed
    variant) of a spec gets the same pixels: CLC and CSS are exactly 1 with any embedder."""
    data = tmp_path / "meta"
    write_metadata(data, ["en", "fr", "hi"], world="shapes", variants=["en-first", "en-second"])
    for sub in data.iterdir():  # two prompts per language keep the run short
        f = sub / "evaluation_metadata.jsonl"
        f.write_text("".join(f.read_text(encoding="utf-8").splitlines(keepends=True)[:2]), encoding="utf-8")
    res = evaluate("geneval", data=str(data), out=tmp_path / "run", progress=False,
                   bench_args={"n_images": 2, "consistency": f"dinov2:{dinov2_dir}", "consistency_batch": 3})
    m = res["metrics"]
    assert res["bench_info"]["consistency"] == f"dinov2:{dinov2_dir}"
    for lang in ("fr", "hi"):
        assert m[f"clc/{lang}"] == pytest.approx(1.0, abs=1e-5)
        for v in ("en-first", "en-second"):
            assert m[f"css/{v}/{lang}/vs-en"] == pytest.approx(1.0, abs=1e-5)
            assert m[f"css/{v}/{lang}/vs-{lang}"] == pytest.approx(1.0, abs=1e-5)
    assert m["clc/mean"] == pytest.approx(1.0, abs=1e-5) and m["css/en-first"] == pytest.approx(1.0, abs=1e-5)
    assert "clc/hi-roman" not in m and not any(k.startswith("css/roman") for k in m)
    assert res["higher_is_better"]["clc/fr"] is True
    shards = list((tmp_path / "run" / "embeddings").glob("consistency-dinov2_*/r*.npz"))
    assert shards  # 2 prompts x 2 images x 7 subsets (en, fr, hi and four code-mixed), embedded once and kept
    assert sum(len(np.load(s)["ids"]) for s in shards) == 2 * 2 * 7


def test_without_the_option_no_consistency_metrics(tmp_path: Path) -> None:
    res = evaluate("geneval", out=tmp_path / "run", progress=False,
                   bench_args={"n_images": 1, "per_tag": 1, "languages": "en,fr"})
    assert not any(k.startswith(("clc/", "css/")) for k in res["metrics"])


def test_offline_open_clip_weights_are_one_clean_line(tmp_path: Path) -> None:
    """Weights neither cached nor reachable: one line on stderr (no stray ``ERROR:root:`` line
    from open_clip's logging), its cause shortened at a word (``first_line``), not mid-word."""
    import os
    import re
    import subprocess
    import sys

    pytest.importorskip("open_clip")
    root = Path(__file__).resolve().parents[4]
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_HOME": str(tmp_path / "hf"), "PYTHONPATH": str(root)}
    proc = subprocess.run(
        [sys.executable, "-m", "mmx.cli", "eval", "--bench", "geneval", "--limit", "1", "--no-progress",
         "--out", str(tmp_path / "run"), "--bench-args",
         "consistency=open_clip:ViT-B-32:openai,languages=en,per_tag=1,n_images=1"],
        capture_output=True, text=True, env=env, timeout=300, check=False)
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode == 2 and len(lines) == 1, proc.stderr
    m = re.fullmatch(r"mmx eval: error: --bench-args consistency=open_clip:ViT-B-32:openai: could not load "
                     r"open_clip ViT-B-32 weights 'openai' \((.+)\); offline, pass a local checkpoint file: "
                     r"open_clip:ViT-B-32:FILE", lines[0])
    assert m, lines[0]
    cause = m.group(1)
    assert len(cause) <= 201 and (not cause.endswith("…") or cause[-2].isalnum() or cause[-2] in ".:)'"), cause
