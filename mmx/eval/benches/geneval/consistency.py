"""m-GenEval's image-consistency metrics: Cross-Lingual Consistency (CLC) and Code-Switching
Similarity (CSS), over the images of a GenEval run, with the image embedding model a parameter.

``CLC(L)`` compares the images drawn for a prompt in language ``L`` with those drawn for the
same spec in English; ``CSS`` compares the images of a code-mixed prompt (``<L>-en-first``,
``<L>-en-second``) with those of the monolingual prompts (English and ``L``). Image ``k`` of a
prompt is compared with image ``k`` of its counterpart: both were drawn from seed ``seed + k``,
so the pair shares its starting noise and differs by the prompt alone. The formulas are in
docs/geneval.md (the CLC and CSS section).

Embedders (:func:`create_embedder`, the bench option ``consistency=SPEC``):

- ``open_clip:MODEL[:PRETRAINED]``: an open_clip image tower (``PRETRAINED`` a tag such as
  ``openai``, default ``openai`` where the model has it, else its first tag; or a local
  checkpoint file);
- ``dinov2:hf:ORG/NAME`` or ``dinov2:DIR``: a DINOv2 through transformers (``Dinov2Model``),
  the CLS token of the last layer;
- ``timm:MODEL[:CHECKPOINT]``: a timm model's pooled features (``num_classes=0``), e.g.
  ``timm:vit_base_patch14_dinov2.lvd142m``; ``CHECKPOINT`` a local weights file.

- ``pixels:SIZE``: no model: the image resized to ``SIZE`` x ``SIZE`` (bilinear), its pixels
  less their mean as the vector. Offline and exact, a stand-in for worlds of flat shapes
  (the shapes world, whose pictures differ in what is drawn where); not comparable with
  NeoBabel's EVA-CLIP / DINOv2 numbers, and blind to meaning on real photographs.

``random`` in place of ``PRETRAINED`` / ``CHECKPOINT`` gives random weights: for tests and
speed runs only, the numbers mean nothing. Embeddings are L2-normalised and cached per embedder
in the run folder (``<out>/embeddings/consistency-<embedder>/``, the contract's
:class:`~mmx.eval.contract.EmbeddingStore`), keyed by image file, size and modification
time, so a rerun embeds only new or redrawn images.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from mmx.deps import require
from mmx.errors import InputError, first_line
from mmx.hub import quiet_logging

__all__ = ["BACKENDS", "ImageEmbedder", "annotate", "consistency_metrics", "create_embedder", "pair_similarity",
           "split_subset"]

#: embedder back-ends and the spec each takes
BACKENDS: dict[str, str] = {
    "open_clip": "open_clip:MODEL[:PRETRAINED|CHECKPOINT|random]",
    "dinov2": "dinov2:hf:ORG/NAME or dinov2:DIR",
    "timm": "timm:MODEL[:CHECKPOINT|random]",
    "pixels": "pixels:SIZE",
}
#: the code-mixed variants CSS is computed for (folders ``<code>-<variant>``)
CSS_VARIANTS = ("en-first", "en-second")
_OPT = "--bench-args consistency="


class ImageEmbedder:
    """Images in, L2-normalised float32 rows out, ``batch_size`` images per forward pass."""

    def __init__(self, spec: str, model: Any, preprocess: Any, forward: Any, device: Any,
                 batch_size: int = 32) -> None:
        self.spec = spec
        self.model = model
        self.preprocess = preprocess
        self.forward = forward
        self.device = device
        self.batch_size = batch_size

    @property
    def tag(self) -> str:
        """The spec as a folder name (the embedding cache of this embedder)."""
        return re.sub(r"[^A-Za-z0-9._-]+", "_", self.spec).strip("_")[:120]

    def embed(self, images: Sequence[Any]) -> np.ndarray:
        """``[len(images), dim]`` unit rows (PIL images, converted to RGB)."""
        import torch

        rows = []
        for start in range(0, len(images), self.batch_size):
            chunk = [im.convert("RGB") for im in images[start:start + self.batch_size]]
            pixels = self.preprocess(chunk).to(self.device)
            with torch.inference_mode():
                feats = self.forward(pixels).float()
            rows.append(torch.nn.functional.normalize(feats, dim=-1).cpu().numpy())
        if not rows:
            return np.zeros((0, 0), dtype=np.float32)
        return np.concatenate(rows).astype(np.float32)


def create_embedder(spec: str, batch_size: int = 32, device: str = "auto") -> ImageEmbedder:
    """The image embedder ``spec`` names (see the module docstring); one clear
    :class:`InputError` for an unknown back-end, model name or missing weights."""
    from mmx.hub import resolve_device

    backend, _, rest = str(spec).partition(":")
    if backend not in BACKENDS or not rest:
        raise InputError(f"{_OPT}{spec}: write one of {'; '.join(BACKENDS.values())} "
                         f"(e.g. open_clip:ViT-B-32:openai, dinov2:hf:facebook/dinov2-base)")
    dev = resolve_device(device)
    make = {"open_clip": _open_clip, "dinov2": _dinov2, "timm": _timm, "pixels": _pixels}[backend]
    model, preprocess, forward = make(spec, rest, dev)
    model.eval()
    return ImageEmbedder(spec, model, preprocess, forward, dev, batch_size)


def _stack(transform: Any) -> Any:
    import torch

    return lambda images: torch.stack([transform(im) for im in images])


def _open_clip(spec: str, rest: str, device: Any) -> tuple[Any, Any, Any]:
    open_clip = require("open_clip", "an open_clip embedder")
    name, _, pretrained = rest.partition(":")
    if name not in open_clip.list_models():
        close = [m for m in open_clip.list_models() if name.lower() in m.lower()][:8]
        raise InputError(f"{_OPT}{spec}: open_clip has no model {name!r}"
                         + (f"; close: {', '.join(close)}" if close else "; see open_clip.list_models()"))
    if not pretrained:
        tags = open_clip.list_pretrained_tags_by_model(name)
        if not tags:
            raise InputError(f"{_OPT}{spec}: open_clip has no pretrained weights for {name}; "
                             f"write open_clip:{name}:CHECKPOINT with a local checkpoint file")
        pretrained = "openai" if "openai" in tags else tags[0]
    try:
        with quiet_logging():  # open_clip logs the failure too ("ERROR:root: ..."): one line, below
            model, _, transform = open_clip.create_model_and_transforms(
                name, pretrained=None if pretrained == "random" else pretrained, device=device)
    except Exception as exc:  # unknown tag, a hub that cannot be reached, a bad checkpoint
        cause = first_line(exc, 200)
        raise InputError(f"{_OPT}{spec}: could not load open_clip {name} weights {pretrained!r} ({cause}); "
                         f"offline, pass a local checkpoint file: open_clip:{name}:FILE") from exc
    return model, _stack(transform), model.encode_image


def _dinov2(spec: str, rest: str, device: Any) -> tuple[Any, Any, Any]:
    from mmx.hub import HfArgs, from_pretrained, import_transformers, locate_model

    transformers = import_transformers()
    source = locate_model(rest, option=_OPT + "dinov2:")
    args = HfArgs()
    model = from_pretrained(transformers.AutoModel, source, args, "DINOv2 model").to(device)
    if "dinov2" not in str(getattr(model.config, "model_type", "")):
        raise InputError(f"{_OPT}{spec}: {rest} is a {model.config.model_type} model, not DINOv2")
    processor = from_pretrained(transformers.AutoImageProcessor, source, args, "image processor")

    def preprocess(images: list[Any]) -> Any:
        return processor(images=images, return_tensors="pt")["pixel_values"]

    def forward(pixels: Any) -> Any:
        return model(pixel_values=pixels.to(model.dtype)).last_hidden_state[:, 0]  # the CLS token

    return model, preprocess, forward


def _pixels(spec: str, rest: str, device: Any) -> tuple[Any, Any, Any]:
    import torch

    if not rest.isdigit() or not 4 <= int(rest) <= 512:
        raise InputError(f"{_OPT}{spec}: write pixels:SIZE with SIZE a whole number of pixels from 4 to 512 "
                         "(e.g. pixels:32)")
    size = int(rest)

    def preprocess(images: list[Any]) -> Any:
        from PIL import Image

        arr = np.stack([np.asarray(im.resize((size, size), Image.BILINEAR), dtype=np.float32) / 255.0
                        for im in images])
        return torch.from_numpy(arr).flatten(1)

    def forward(rows: Any) -> Any:
        # centred per image: two pictures of the same ground with different objects on it
        # differ in the objects, not in how much ground they share
        return rows - rows.mean(1, keepdim=True)

    return torch.nn.Identity(), preprocess, forward


def _timm(spec: str, rest: str, device: Any) -> tuple[Any, Any, Any]:
    timm = require("timm", "a timm embedder")
    name, _, weights = rest.partition(":")
    if not timm.is_model(name):
        close = timm.list_models(f"*{name.split('.')[0]}*")[:8]
        raise InputError(f"{_OPT}{spec}: timm has no model {name!r}"
                         + (f"; close: {', '.join(close)}" if close else "; see timm.list_models()"))
    try:
        if weights in ("", "random"):
            model = timm.create_model(name, pretrained=weights == "", num_classes=0)
        else:
            if not Path(weights).is_file():
                raise InputError(f"{_OPT}{spec}: no checkpoint file {weights}")
            model = timm.create_model(name, pretrained=False, num_classes=0, checkpoint_path=weights)
    except InputError:
        raise
    except Exception as exc:
        cause = first_line(exc, 200)
        raise InputError(f"{_OPT}{spec}: could not load timm {name} ({cause}); offline, pass a local "
                         f"weights file: timm:{name}:FILE") from exc
    model = model.to(device)
    config = timm.data.resolve_data_config({}, model=model)
    return model, _stack(timm.data.create_transform(**config)), model


# --- pairing and metrics --------------------------------------------------------------


def split_subset(subset: str) -> tuple[str, str | None]:
    """``"fr-en-first"`` -> ``("fr", "en-first")``; ``"fr"`` -> ``("fr", None)``."""
    for v in CSS_VARIANTS:
        if subset.endswith("-" + v):
            return subset[: -len(v) - 1], v
    return subset, None


def pair_similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Mean cosine similarity of row ``k`` of ``a`` with row ``k`` of ``b`` (unit rows)."""
    if len(a) == 0:
        return math.nan
    return float(np.mean(np.sum(a * b, axis=1)))


def annotate(records: list[dict[str, Any]], embedder: ImageEmbedder, out: Path, base: Path | None,
             reference: str = "en") -> list[dict[str, Any]]:
    """Embed every readable image of ``records`` (cached under ``out/embeddings/``) and set on
    each record the similarities its metrics need: ``clc`` (a language's prompt vs the
    ``reference`` prompt of the same spec), ``css_ref`` and ``css_mono`` (a code-mixed prompt vs
    the reference and vs its own language). Each is the mean over the image indices ``k``
    readable on both sides of ``cos(e(image k), e(image k of the counterpart))``."""
    from mmx.eval.contract import EmbeddingStore

    store = EmbeddingStore(out / "embeddings" / f"consistency-{embedder.tag}")
    keys: dict[tuple[int, int], str] = {}
    for i, r in enumerate(records):
        for k, v in enumerate(r["images"]):
            if v.get("status", "ok") == "ok":
                path = base / v["filename"] if base is not None else Path(v["filename"])
                if path.is_file():
                    st = path.stat()
                    keys[(i, k)] = f"{v['filename']}|{st.st_size}|{st.st_mtime_ns}"
    todo = [key for key in dict.fromkeys(keys.values()) if key not in _cached(store.root)]
    if todo:
        from PIL import Image

        for start in range(0, len(todo), 256):  # one shard per 256 images: a killed run keeps what it did
            ids = todo[start:start + 256]
            images = []
            for key in ids:
                fn = key.rsplit("|", 2)[0]
                with Image.open(base / fn if base is not None else Path(fn)) as im:
                    images.append(im.convert("RGB"))
            store.write(ids, embedder.embed(images))
    order = list(dict.fromkeys(keys.values()))
    vectors = dict(zip(order, store.get(order))) if order else {}

    by: dict[tuple[str, str], int] = {(r["subset"], r["pair"]): i for i, r in enumerate(records)}

    def sim(i: int, j: int) -> float | None:
        ks = [k for k in range(min(len(records[i]["images"]), len(records[j]["images"])))
              if (i, k) in keys and (j, k) in keys]
        if not ks:
            return None
        return pair_similarity(np.stack([vectors[keys[(i, k)]] for k in ks]),
                               np.stack([vectors[keys[(j, k)]] for k in ks]))

    for i, r in enumerate(records):
        lang, variant = split_subset(r["subset"])
        if r["subset"] == reference:
            continue
        if variant is None:
            j = by.get((reference, r["pair"]))
            if j is not None and (s := sim(i, j)) is not None:
                r["clc"] = s
            continue
        j = by.get((reference, r["pair"]))
        if j is not None and (s := sim(i, j)) is not None:
            r["css_ref"] = s
        j = by.get((lang, r["pair"])) if lang != reference else None
        if j is not None and (s := sim(i, j)) is not None:
            r["css_mono"] = s
    return records


def _cached(root: Path) -> set[str]:
    """Ids already in the store (EmbeddingStore answers ``get`` only for ids it has, and has no
    public membership query; its shards are plain ``.npz`` files with an ``ids`` array)."""
    found: set[str] = set()
    for path in sorted(root.glob("r*.npz")):
        with np.load(path) as z:
            found.update(z["ids"].tolist())
    return found


def consistency_metrics(records: Sequence[dict[str, Any]], reference: str = "en") -> dict[str, float]:
    """``clc/<L>`` per language and ``clc/mean``; ``css/<variant>/<L>`` (the mean of its two
    parts, ``/vs-<reference>`` and ``/vs-<L>``, over the parts present) and ``css/<variant>``
    (the mean over languages). Each is the mean over prompts of the per-prompt similarity."""
    clc: dict[str, list[float]] = defaultdict(list)
    css: dict[tuple[str, str], dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for r in records:
        lang, variant = split_subset(r["subset"])
        if "clc" in r and variant is None:
            clc[lang].append(r["clc"])
        if variant is not None:
            for field, part in (("css_ref", f"vs-{reference}"), ("css_mono", f"vs-{lang}")):
                if field in r:
                    css[(variant, lang)][part].append(r[field])
    out: dict[str, float] = {}
    for lang, values in clc.items():
        out[f"clc/{lang}"] = float(np.mean(values))
    if clc:
        out["clc/mean"] = float(np.mean([out[f"clc/{lang}"] for lang in clc]))
    per_variant: dict[str, list[float]] = defaultdict(list)
    for (variant, lang), parts in css.items():
        means = {part: float(np.mean(v)) for part, v in parts.items()}
        for part, m in means.items():
            out[f"css/{variant}/{lang}/{part}"] = m
        out[f"css/{variant}/{lang}"] = float(np.mean(list(means.values())))
        per_variant[variant].append(out[f"css/{variant}/{lang}"])
    for variant, values in per_variant.items():
        out[f"css/{variant}"] = float(np.mean(values))
    return out
