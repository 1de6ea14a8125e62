"""Random-weight models of the detectors' architectures, saved as real model folders.

For tests and speed measurements with nothing downloaded: each ``save_*`` writes a folder
that the real loading path reads (``save_pretrained`` for transformers,
``open_clip_config.json`` plus weights for open_clip). ``size="tiny"`` is the same
architecture scaled down (fast on a CPU); ``size="full"`` is the real one (Mask2Former with
Swin-S, OWLv2 base/16, CLIP ViT-L-14 with OpenAI's QuickGELU), for speed and memory
measurements only: the weights are random, so the detections are noise.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from mmx.errors import InputError

__all__ = ["COCO_HF_LABELS", "save_mask2former", "save_open_clip", "save_owlv2"]


def _coco_hf_labels() -> tuple[str, ...]:
    from mmx.worlds.prompts.vocab import COCO_CLASSES

    # transformers' COCO checkpoints spell three classes as detectron2 does
    rename = {"computer mouse": "mouse", "tv remote": "remote", "computer keyboard": "keyboard"}
    return tuple(rename.get(c, c) for c in COCO_CLASSES)


#: the 80 COCO labels as transformers' COCO instance checkpoints name them (``id2label``)
COCO_HF_LABELS: tuple[str, ...] = _coco_hf_labels()


def _check_size(size: str) -> None:
    if size not in ("tiny", "full"):
        raise InputError(f"random model size must be tiny or full, not {size!r}")


def save_mask2former(folder: str | Path, size: str = "tiny", labels: Sequence[str] = COCO_HF_LABELS,
                     image_size: int = 64, seed: int = 0, sharpen: float = 0.0) -> Path:
    """A random Mask2Former (Swin backbone) with its image processor in ``folder``.

    ``image_size``: the processor's shortest edge (mmx's ``size=processor``). ``sharpen``
    scales the class head so that random queries are confident (scores above GenEval's
    thresholds, so that the judge and the colour step have objects to work on)."""
    import torch
    from transformers import (
        Mask2FormerConfig,
        Mask2FormerForUniversalSegmentation,
        Mask2FormerImageProcessor,
        SwinConfig,
    )

    _check_size(size)
    torch.manual_seed(seed)
    id2label = dict(enumerate(labels))
    common: dict[str, Any] = {"num_labels": len(labels), "id2label": id2label,
                              "label2id": {v: k for k, v in id2label.items()}}
    if size == "full":  # Swin-S, GenEval's mask2former_swin-s-p4-w7-224 (transformers' defaults)
        backbone = SwinConfig(embed_dim=96, depths=[2, 2, 18, 2], num_heads=[3, 6, 12, 24], window_size=7,
                              out_features=["stage1", "stage2", "stage3", "stage4"])
        cfg = Mask2FormerConfig(backbone_config=backbone, num_queries=100, **common)
    else:
        backbone = SwinConfig(image_size=image_size, embed_dim=16, depths=[1, 1, 1, 1], num_heads=[1, 1, 2, 2],
                              window_size=4, out_features=["stage1", "stage2", "stage3", "stage4"])
        cfg = Mask2FormerConfig(backbone_config=backbone, hidden_dim=32, feature_size=32, mask_feature_size=32,
                                encoder_feedforward_dim=64, dim_feedforward=64, num_queries=12, encoder_layers=1,
                                decoder_layers=2, num_attention_heads=2, **common)
    model = Mask2FormerForUniversalSegmentation(cfg).eval()
    if sharpen:
        with torch.no_grad():
            model.class_predictor.weight.mul_(sharpen)
    out = Path(folder)
    model.save_pretrained(out)
    Mask2FormerImageProcessor(size={"shortest_edge": image_size, "longest_edge": 4 * image_size},
                              size_divisor=32, num_labels=len(labels)).save_pretrained(out)
    return out


def save_owlv2(folder: str | Path, size: str = "tiny", seed: int = 0, image_size: int = 64) -> Path:
    """A random OWLv2 with its processor (tokenizer: a byte-level BPE over a tiny made-up
    vocabulary for ``tiny``; CLIP's real vocabulary is not bundled, so ``full`` needs it)."""
    import torch
    from transformers import Owlv2Config, Owlv2ForObjectDetection

    _check_size(size)
    torch.manual_seed(seed)
    if size == "full":
        cfg = Owlv2Config(vision_config={"image_size": 960, "patch_size": 16},
                          text_config={"max_position_embeddings": 16})
    else:
        cfg = Owlv2Config(
            text_config={"vocab_size": 300, "hidden_size": 32, "intermediate_size": 64, "num_hidden_layers": 2,
                         "num_attention_heads": 2, "max_position_embeddings": 16,
                         "bos_token_id": 56, "eos_token_id": 57, "pad_token_id": 57},
            vision_config={"image_size": image_size, "patch_size": 16, "hidden_size": 32, "intermediate_size": 64,
                           "num_hidden_layers": 2, "num_attention_heads": 2},
            projection_dim=32)
    out = Path(folder)
    Owlv2ForObjectDetection(cfg).eval().save_pretrained(out)
    _tiny_owlv2_processor(image_size if size == "tiny" else 960).save_pretrained(out)
    return out


def _tiny_owlv2_processor(image_size: int) -> Any:
    """An OWLv2 processor with a CLIP tokenizer over a small vocabulary (letters and a few
    merges, written here: no tokenizer is downloaded)."""
    import tempfile

    from transformers import CLIPTokenizer, Owlv2ImageProcessor, Owlv2Processor

    chars = [chr(c) for c in range(ord("a"), ord("z") + 1)] + list("-'")  # 28 letters -> ids 0..55
    vocab: dict[str, int] = {}
    for c in chars:
        vocab[c] = len(vocab)
        vocab[c + "</w>"] = len(vocab)
    # after the letters, as in CLIP's vocabulary: OWL reads a query whose first token is 0 as padding
    vocab["<|startoftext|>"] = len(vocab)
    vocab["<|endoftext|>"] = len(vocab)
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "vocab.json").write_text(json.dumps(vocab), encoding="utf-8")
        (Path(tmp) / "merges.txt").write_text("#version: 0.2\n", encoding="utf-8")
        tok = CLIPTokenizer(str(Path(tmp) / "vocab.json"), str(Path(tmp) / "merges.txt"), model_max_length=16)
    return Owlv2Processor(image_processor=Owlv2ImageProcessor(size={"height": image_size, "width": image_size}),
                          tokenizer=tok)


def save_open_clip(folder: str | Path, size: str = "tiny", seed: int = 0) -> Path:
    """A random open_clip CLIP of ViT-L-14's structure (``full``: ViT-L-14 itself, QuickGELU as
    OpenAI's; ``tiny``: the same towers scaled down, 32 px input) as an open_clip model folder
    (``open_clip_config.json`` + ``open_clip_model.safetensors``; load it with
    ``local-dir:FOLDER``). The tokenizer is open_clip's bundled CLIP BPE (vocabulary 49408)."""
    import open_clip
    import torch
    from safetensors.torch import save_file

    _check_size(size)
    torch.manual_seed(seed)
    if size == "full":
        cfg = dict(open_clip.get_model_config("ViT-L-14"), quick_gelu=True)
    else:
        cfg = {"embed_dim": 16, "quick_gelu": True,
               "vision_cfg": {"image_size": 32, "layers": 2, "width": 32, "head_width": 16, "patch_size": 8},
               "text_cfg": {"context_length": 77, "vocab_size": 49408, "width": 32, "heads": 2, "layers": 2}}
    model = open_clip.CLIP(**cfg).eval()
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    (out / "open_clip_config.json").write_text(json.dumps({"model_cfg": cfg, "preprocess_cfg": {}}, indent=1),
                                               encoding="utf-8")
    save_file({k: v.contiguous() for k, v in model.state_dict().items()}, str(out / "open_clip_model.safetensors"))
    return out
