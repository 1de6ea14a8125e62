"""Mask2Former / OWLv2 detectors and the CLIP colour classifier, with tiny random-weight
models of the same architectures saved to folders and loaded through the real loading path."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("transformers")
pytest.importorskip("open_clip")
pytest.importorskip("scipy")

from PIL import Image  # noqa: E402

from mmx.cli import main  # noqa: E402
from mmx.errors import InputError  # noqa: E402
from mmx.eval.benches.geneval.detect import DETECTORS, detect_and_color  # noqa: E402
from mmx.eval.benches.geneval.detectors import build_scorer  # noqa: E402
from mmx.eval.benches.geneval.detectors.color_clip import (  # noqa: E402
    TEMPLATES,
    ClipColorClassifier,
    object_crop,
    template_weights,
)
from mmx.eval.benches.geneval.detectors.mask2former import (  # noqa: E402
    Mask2FormerDetector,
    geneval_labels,
    instance_postprocess,
    mask_to_box,
)
from mmx.eval.benches.geneval.detectors.owlv2 import Owlv2Detector, query_classes  # noqa: E402
from mmx.eval.benches.geneval.metadata import summarize  # noqa: E402
from mmx.testing.detectors import (  # noqa: E402
    COCO_HF_LABELS,
    save_mask2former,
    save_open_clip,
    save_owlv2,
)
from mmx.worlds.geneval import COLORS  # noqa: E402
from mmx.worlds.prompts.vocab import COCO_CLASSES  # noqa: E402
from mmx.worlds.shapes import SHAPES  # noqa: E402


@pytest.fixture(scope="module")
def models(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("tiny")
    return {"m2f": save_mask2former(root / "m2f", sharpen=40.0),
            "m2f_shapes": save_mask2former(root / "m2f_shapes", labels=SHAPES, sharpen=40.0),
            "clip": save_open_clip(root / "clip"), "owl": save_owlv2(root / "owl")}


def noise_images(n: int, size: tuple[int, int] = (64, 64), seed: int = 0) -> list[Image.Image]:
    rng = np.random.default_rng(seed)
    return [Image.fromarray(rng.integers(0, 256, (size[1], size[0], 3), dtype=np.uint8)) for _ in range(n)]


# --- labels ----------------------------------------------------------------------------------
def test_transformers_coco_labels_map_onto_genevals_object_names() -> None:
    got = geneval_labels({str(i): name for i, name in enumerate(COCO_HF_LABELS)})
    assert [got[i] for i in range(80)] == list(COCO_CLASSES)
    assert {COCO_HF_LABELS[i] for i in range(80) if COCO_HF_LABELS[i] != COCO_CLASSES[i]} == {
        "mouse", "remote", "keyboard"}
    voc = geneval_labels({0: "motorbike", 1: "aeroplane", 2: "sofa", 3: "tvmonitor", 4: "Dining_Table",
                          5: "pottedplant", 6: "hair dryer", 7: "wall"})
    assert list(voc.values()) == ["motorcycle", "airplane", "couch", "tv", "dining table", "potted plant",
                                  "hair drier", "wall"]


# --- mmdet's post-processing -------------------------------------------------------------------
def test_mask_to_box_is_mmdets_mask2bbox() -> None:
    masks = torch.zeros((3, 6, 8), dtype=torch.bool)
    masks[0, 1:3, 2:5] = True  # rows 1-2, columns 2-4
    masks[1, 5, 7] = True
    boxes = mask_to_box(masks)
    assert boxes.tolist() == [[2.0, 1.0, 5.0, 3.0], [7.0, 5.0, 8.0, 6.0], [0.0, 0.0, 0.0, 0.0]]


def test_instance_postprocess_scores_boxes_and_masks() -> None:
    # two queries, three classes (+ no object); query 0 is class 1, query 1 class 2
    cls = torch.tensor([[0.0, 5.0, 0.0, 0.0], [0.0, 0.0, 4.0, 1.0]])
    masks = torch.full((2, 4, 4), -3.0)
    masks[0, :2, :2] = 2.0
    masks[1, 2:, 1:] = 1.0
    labels, scores, boxes, binary = instance_postprocess(cls, masks, (4, 4), (4, 4), (4, 4), max_per_image=2)
    order = scores.argsort(descending=True).tolist()
    assert labels[order].tolist() == [1, 2]
    p = cls.softmax(-1)
    want = [p[0, 1] * torch.sigmoid(torch.tensor(2.0)), p[1, 2] * torch.sigmoid(torch.tensor(1.0))]
    assert torch.allclose(scores[order], torch.stack(want), atol=1e-6)
    assert boxes[order].tolist() == [[0.0, 0.0, 2.0, 2.0], [1.0, 2.0, 4.0, 4.0]]
    assert binary[order[0]].sum() == 4 and binary[order[1]].sum() == 6
    # min_score drops pairs by class probability before any mask work (score <= class probability)
    labels, scores, _, _ = instance_postprocess(cls, masks, (4, 4), (4, 4), (4, 4), max_per_image=2,
                                                min_score=float(p[1, 2]) + 1e-4)
    assert labels.tolist() == [1]


def test_instance_postprocess_agrees_with_transformers_where_they_coincide(models: dict[str, Path]) -> None:
    """At transformers' fixed 384 x 384 mask size (no resizing on either side) the labels and
    scores of transformers' post_process_instance_segmentation are mmdet's."""
    from transformers import Mask2FormerImageProcessor
    from transformers.models.mask2former.modeling_mask2former import (
        Mask2FormerForUniversalSegmentationOutput,
    )

    g = torch.Generator().manual_seed(0)
    cls = torch.randn(1, 12, 81, generator=g) * 4
    masks = torch.randn(1, 12, 96, 96, generator=g)
    out = Mask2FormerForUniversalSegmentationOutput(class_queries_logits=cls, masks_queries_logits=masks)
    ref = Mask2FormerImageProcessor().post_process_instance_segmentation(out, threshold=0.0)[0]["segments_info"]
    up = torch.nn.functional.interpolate(masks, size=(384, 384), mode="bilinear", align_corners=False)
    labels, scores, _, _ = instance_postprocess(cls[0], up[0], (384, 384), (384, 384), (384, 384), max_per_image=12)
    mine = sorted(zip(labels.tolist(), [round(s, 6) for s in scores.tolist()]))
    theirs = sorted((s["label_id"], s["score"]) for s in ref)
    assert [m[0] for m in mine] == [t[0] for t in theirs]
    assert np.allclose([m[1] for m in mine], [t[1] for t in theirs], atol=2e-6)


# --- the Mask2Former detector ------------------------------------------------------------------
@pytest.fixture(scope="module")
def m2f(models: dict[str, Path]) -> Mask2FormerDetector:
    return Mask2FormerDetector(str(models["m2f"]), device="cpu", size="processor", min_score=0.0, batch_size=4)


def test_mask2former_detections_are_genevals_raw_detections(m2f: Mask2FormerDetector) -> None:
    images = noise_images(2, (64, 48))
    dets = m2f.detect(images)
    assert len(dets) == 2 and all(len(d) > 0 for d in dets)
    for d in dets[0]:
        assert set(d) == {"class", "box", "score", "color", "mask"}
        assert d["class"] in COCO_CLASSES and d["color"] is None
        assert isinstance(d["score"], float) and 0.0 <= d["score"] <= 1.0
        assert d["mask"].shape == (48, 64) and d["mask"].dtype == bool
        assert d["box"] == mask_to_box(torch.from_numpy(d["mask"])[None])[0].tolist()
    assert len(dets[0]) <= 12 * 80  # top max_per_image (query, class) pairs


def test_mask2former_batched_equals_one_by_one(m2f: Mask2FormerDetector) -> None:
    images = noise_images(3, seed=1)
    batched = m2f.detect(images)
    for image, det in zip(images, batched):
        (single,) = m2f.detect([image])
        key = lambda d: (d["class"], round(d["score"], 4))  # noqa: E731
        a, b = sorted(det, key=key), sorted(single, key=key)
        assert [d["class"] for d in a] == [d["class"] for d in b]
        assert np.allclose([d["score"] for d in a], [d["score"] for d in b], atol=1e-5)
        assert [d["box"] for d in a] == [d["box"] for d in b]


def test_mmdet_size_resizes_as_genevals_test_pipeline(models: dict[str, Path]) -> None:
    det = Mask2FormerDetector(str(models["m2f"]), device="cpu")
    size = det.processor.size
    assert (size["shortest_edge"], size["longest_edge"]) == (800, 1333) and det.processor.size_divisor == 32
    with pytest.raises(InputError, match="size must be mmdet or processor"):
        Mask2FormerDetector(str(models["m2f"]), device="cpu", size="big")


def test_hub_id_offline_says_how_to_pass_local_weights(monkeypatch: pytest.MonkeyPatch) -> None:
    import huggingface_hub.constants

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", True)
    with pytest.raises(InputError) as err:
        Mask2FormerDetector("hf:mmx-test/no-such-mask2former", device="cpu")
    msg = str(err.value)
    assert "hf download mmx-test/no-such-mask2former --local-dir DIR" in msg
    assert "--bench-args detector_model=DIR" in msg and "\n" not in msg
    with pytest.raises(InputError) as err:
        ClipColorClassifier("ViT-L-14", pretrained="openai", device="cpu")
    assert "color_pretrained=DIR/" in str(err.value) and "hf download" in str(err.value)


def test_local_folder_errors_are_one_line(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such local model folder"):
        Mask2FormerDetector(str(tmp_path / "nothing"), device="cpu")
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match=r"no open_clip_config\.json"):
        ClipColorClassifier(str(tmp_path / "empty"), device="cpu")


# --- colour ----------------------------------------------------------------------------------
def test_object_crop_pastes_by_mask_on_grey_and_crops_to_the_box() -> None:
    arr = np.arange(6 * 5 * 3, dtype=np.uint8).reshape(5, 6, 3)  # 6 wide, 5 high
    mask = np.zeros((5, 6), dtype=bool)
    mask[1:3, 2:4] = True
    mask[3, 1] = True
    # PIL rounds the float corners: (0.6, 0.6, 4.4, 4.4) -> columns 1..3, rows 1..3
    crop = np.asarray(object_crop(Image.fromarray(arr), [0.6, 0.6, 4.4, 4.4], mask))
    want = np.full((3, 3, 3), 0x99, dtype=np.uint8)
    want[0:2, 1:3] = arr[1:3, 2:4]
    want[2, 0] = arr[3, 1]
    assert crop.shape == (3, 3, 3) and (crop == want).all()
    # no mask: the box of the image as it is; outside the image PIL fills black, as GenEval sees it
    plain = np.asarray(object_crop(Image.fromarray(arr), [4, 3, 8, 5]))
    assert (plain[:, :2] == arr[3:5, 4:6]).all() and (plain[:, 2:] == 0).all()
    assert object_crop(Image.fromarray(arr), [2, 2, 2, 2], mask).size == (1, 1)


def test_templates_are_averaged_normalised_embeddings() -> None:
    texts_seen: list[str] = []
    table: dict[str, torch.Tensor] = {}
    g = torch.Generator().manual_seed(0)

    def tokenizer(texts: list[str]) -> torch.Tensor:
        texts_seen.extend(texts)
        for t in texts:
            table.setdefault(t, torch.randn(8, generator=g) * (1 + len(table)))
        return torch.tensor([list(table).index(t) for t in texts])

    def encode_text(tokens: torch.Tensor) -> torch.Tensor:
        keys = list(table)
        return torch.stack([table[keys[i]] for i in tokens.tolist()])

    w = template_weights(encode_text, tokenizer, "cup")
    assert texts_seen[:3] == ["a photo of a red cup", "a photo of a red-colored cup", "a photo of a red object"]
    assert len(texts_seen) == 30 and texts_seen[-1] == "a photo of a white object"
    assert w.shape == (8, 10)
    for k, c in enumerate(COLORS):
        embs = torch.stack([table[t.format(c=c, cls="cup")] for t in TEMPLATES])
        mean = torch.nn.functional.normalize(embs, dim=-1).mean(0)
        assert torch.allclose(w[:, k], mean / mean.norm(), atol=1e-6)
    # not the sum of the raw embeddings (template norms differ here by design)
    raw = embs.sum(0)
    assert not torch.allclose(w[:, -1], raw / raw.norm(), atol=1e-3)


@pytest.fixture(scope="module")
def colors(models: dict[str, Path]) -> ClipColorClassifier:
    return ClipColorClassifier(str(models["clip"]), device="cpu", batch_size=3)


def test_colour_classifier_batched_equals_one_by_one_and_manual(colors: ClipColorClassifier) -> None:
    images = noise_images(3, seed=2)
    rng = np.random.default_rng(3)
    queries = []
    for i in range(3):
        for cls in ("cup", "dog"):
            m = rng.random((64, 64)) > 0.5
            queries.append((i, {"class": cls, "box": [3.2, 5.0, 50.7, 60.0], "mask": m}))
    together = colors.classify(images, queries)
    assert together == [colors.classify(images, [q])[0] for q in queries]
    assert all(c in COLORS for c in together)
    # by hand, as GenEval computes it: 100 * normalised image feature @ the class's classifier
    i, det = queries[1]
    x = colors.transform(object_crop(images[i], det["box"], det["mask"]))[None]
    with torch.no_grad():
        f = torch.nn.functional.normalize(colors.model.encode_image(x), dim=-1)
    assert COLORS[int((100 * f @ colors.weights("dog")).argmax())] == together[1]
    assert set(colors._weights) == {"cup", "dog"}  # text classifiers cached per class


def test_detect_and_color_fills_colours_for_the_judges_objects(m2f: Mask2FormerDetector,
                                                              colors: ClipColorClassifier) -> None:
    images = noise_images(2, seed=4)
    raw = m2f.detect(images)
    cls = max(raw[0], key=lambda d: d["score"])["class"]
    meta = [{"tag": "colors", "include": [{"class": cls, "count": 1, "color": "red"}], "prompt": "p"},
            {"tag": "single_object", "include": [{"class": cls, "count": 1}], "prompt": "p"}]
    dets = detect_and_color(m2f, images, meta, colors)
    named = [d for d in dets[0] if d["color"] is not None]
    assert len(named) == 1 and named[0]["color"] in COLORS and named[0]["class"] == cls
    assert all(d["color"] is None for d in dets[1])


# --- OWLv2 -----------------------------------------------------------------------------------
def test_owlv2_asks_each_image_for_its_own_classes(models: dict[str, Path]) -> None:
    owl = Owlv2Detector(str(models["owl"]), device="cpu", min_score=0.0, batch_size=3)
    meta = [{"tag": "two_object", "include": [{"class": "dog", "count": 1}, {"class": "cat", "count": 1}]},
            {"tag": "counting", "include": [{"class": "cup", "count": 2}], "exclude": [{"class": "cup", "count": 3}]},
            {"tag": "position", "include": [{"class": "bus", "count": 1},
                                            {"class": "kite", "count": 1, "position": ["above", 0]}]}]
    assert query_classes(meta[1]) == ["cup"] and query_classes(meta[0]) == ["dog", "cat"]
    images = noise_images(2, seed=5) + noise_images(1, (64, 32), seed=6)
    dets = owl.detect(images, meta)
    assert [{d["class"] for d in x} for x in dets] == [{"dog", "cat"}, {"cup"}, {"bus", "kite"}]
    for x in dets:
        assert all(set(d) == {"class", "box", "score", "color"} and d["color"] is None for d in x)
    for image, m, det in zip(images, meta, dets):
        (single,) = owl.detect([image], [m])
        assert [d["class"] for d in single] == [d["class"] for d in det]
        assert np.allclose([d["score"] for d in single], [d["score"] for d in det], atol=1e-5)
        assert np.allclose([d["box"] for d in single], [d["box"] for d in det], atol=1e-3)
    with pytest.raises(InputError, match="one metadata record per image"):
        owl.detect(images)


# --- the bench -------------------------------------------------------------------------------
def test_registered_and_options_checked(models: dict[str, Path]) -> None:
    assert {"mask2former", "owlv2"} <= set(DETECTORS.names())
    with pytest.raises(InputError, match="detector shapes takes no detector_model"):
        build_scorer("shapes", {"detector_model": "x"})
    det, col = build_scorer("mask2former", {"detector_model": str(models["m2f"]), "detector_size": "processor",
                                            "color_model": str(models["clip"]), "device": "cpu"})
    assert det.name == "mask2former" and isinstance(col, ClipColorClassifier)


def test_mmx_eval_geneval_with_mask2former_end_to_end(models: dict[str, Path], tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    args = (f"detector=mask2former,detector_model={models['m2f_shapes']},detector_size=processor,"
            f"color_model={models['clip']},device=cpu,per_tag=1,n_images=1,languages=en")
    out = tmp_path / "o"
    assert main(["eval", "--bench", "geneval", "--bench-args", args, "--out", str(out), "--no-progress",
                 "--json"]) == 0
    res = json.loads(capsys.readouterr().out)
    assert res["metrics"]["n_images/en"] == 6.0 and 0.0 <= res["metrics"]["accuracy/en"] <= 1.0
    rows = [json.loads(x) for x in (out / "geneval" / "en" / "results.jsonl").read_text().splitlines()]
    assert len(rows) == 6
    assert list(rows[0]) == ["filename", "tag", "prompt", "correct", "reason", "metadata", "details"]
    assert set(summarize(rows)) >= {"overall"}
    details: dict[str, Any] = json.loads(rows[0]["details"])
    assert set(details) <= set(SHAPES)


def test_openai_weights_get_quickgelu(tmp_path: Path) -> None:
    """open_clip 3 builds ViT-L-14 with GELU even for the "openai" tag; OpenAI's CLIP (and the
    open_clip GenEval used) has QuickGELU: a checkpoint file for an architecture name gets it."""
    import open_clip

    cfg = {"embed_dim": 16, "vision_cfg": {"image_size": 32, "layers": 1, "width": 32, "head_width": 16,
                                           "patch_size": 8},
           "text_cfg": {"context_length": 77, "vocab_size": 49408, "width": 32, "heads": 2, "layers": 1}}
    (tmp_path / "mmx-tiny.json").write_text(json.dumps(cfg), encoding="utf-8")
    open_clip.add_model_config(tmp_path / "mmx-tiny.json")
    model = open_clip.create_model("mmx-tiny", force_quick_gelu=True)
    torch.save(model.state_dict(), tmp_path / "w.pt")
    clf = ClipColorClassifier("mmx-tiny", pretrained=str(tmp_path / "w.pt"), device="cpu")
    assert clf.quick_gelu and "QuickGELU" in {type(m).__name__ for m in clf.model.modules()}
    plain = ClipColorClassifier("mmx-tiny", pretrained=str(tmp_path / "w.pt"), device="cpu", quick_gelu=False)
    assert not plain.quick_gelu
