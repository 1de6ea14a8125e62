"""CLaMP 3's symbolic-music and text towers in CLaMP 3's own state-dict layout.

:class:`Clamp3Model` holds ``symbolic_model`` (M3: ``patch_embedding`` +
``base``, a transformers ``BertModel``), ``symbolic_proj``, ``text_model`` (XLM-R through
transformers) and ``text_proj``, so the ``model`` state dict of CLaMP 3's released
``.pth`` (sanderwood/clamp3) loads key for key; its ``audio_model.*`` / ``audio_proj.*``
keys are recognized and left unused (no audio tower here). Each tower pools by the
masked mean of its last hidden states, then projects (CLaMP 3's ``avg_pooling`` +
``*_proj``); a piece longer than M3's 512 patches is read in segments whose features are
averaged as CLaMP 3's feature extraction does (:meth:`Clamp3Model.embed_music`). :func:`load_clamp3` finds the file (a path, a folder, a hub id), reads the
sizes from the state dict and refuses, with the first missing and unexpected keys, a
state dict of another layout.
"""

from __future__ import annotations

import glob
import os
import re
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from mmx.encoders.base import masked_mean
from mmx.encoders.music import N_CLASSES, M3MusicEncoder, whole_piece_features
from mmx.encoders.text import HfTextEncoder
from mmx.errors import InputError, first_line
from mmx.music.abc import patchilize

__all__ = ["CLAMP3_TEXT_MODEL", "Clamp3Model", "load_clamp3"]

#: CLaMP 3's text model (its TEXT_MODEL_NAME setting)
CLAMP3_TEXT_MODEL = "FacebookAI/xlm-roberta-base"
#: checkpoint keys of CLaMP 3's audio tower: present in its files, not built here
_AUDIO = ("audio_model.", "audio_proj.")
#: buffers older transformers versions saved and newer ones no longer hold
_STALE_BUFFERS = re.compile(r"\.(position_ids|token_type_ids)$")


class Clamp3Model(nn.Module):
    """CLaMP 3's text and symbolic towers (random init; :func:`load_clamp3` loads weights).

    Args:
        text_model: XLM-R as a hub id or folder (``FacebookAI/xlm-roberta-base``), or a
            config dict (``{"model_type": "xlm-roberta", ...}``) for random weights.
        tokenizer: the tokenizer's hub id or folder when it is not the text model's.
        hidden_size: the shared space (CLaMP 3: 768).
        m3: :class:`M3MusicEncoder` sizes (CLaMP 3: 768 wide, 12 layers, 512 patches of 64).
        max_text_length: tokens per text (CLaMP 3: 128).
    """

    def __init__(
        self,
        text_model: str | dict[str, Any] = CLAMP3_TEXT_MODEL,
        tokenizer: str | None = None,
        hidden_size: int = 768,
        m3: dict[str, Any] | None = None,
        max_text_length: int = 128,
    ) -> None:
        super().__init__()
        if isinstance(text_model, dict):
            tower = HfTextEncoder(config=text_model, tokenizer=tokenizer, max_length=max_text_length)
        else:
            tower = HfTextEncoder(model_name_or_path=text_model, tokenizer=tokenizer, max_length=max_text_length)
        self.text_model = tower.model
        self._tokenizer = tower.tokenizer
        self.max_text_length = max_text_length
        self.text_proj = nn.Linear(tower.output_dim, hidden_size)
        nn.init.normal_(self.text_proj.weight, std=0.02)
        self.symbolic_model = M3MusicEncoder(**(m3 or {}))
        self.symbolic_proj = nn.Linear(self.symbolic_model.output_dim, hidden_size)
        nn.init.normal_(self.symbolic_proj.weight, std=0.02)
        self.embed_dim = hidden_size
        self.weights = "random init"
        #: the checkpoint file it was loaded from (empty: random init)
        self.source_file = ""

    @property
    def music_encoder(self) -> M3MusicEncoder:
        return self.symbolic_model

    def text_features(self, texts: list[str]) -> torch.Tensor:
        """Projected (not normalized) text features: masked mean of XLM-R's last states."""
        enc = self._tokenizer(list(texts), padding=True, truncation=True, max_length=self.max_text_length,
                              return_token_type_ids=False, return_tensors="pt")
        device = self.text_proj.weight.device
        ids, mask = enc["input_ids"].to(device), enc["attention_mask"].to(device)
        states = self.text_model(input_ids=ids, attention_mask=mask).last_hidden_state
        return self.text_proj(masked_mean(states, mask.bool()))

    def music_features(self, patches: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """Projected (not normalized) music features from patch codes and their mask."""
        return self.symbolic_proj(self.symbolic_model.encode_patches(patches, mask).pooled)

    def segment_features(self, patches: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """CLaMP 3's ``get_symbolic_features(get_global=True)`` of segments of at most M3's
        length: masked mean of M3's last states, then ``symbolic_proj`` (not normalized)."""
        return self.music_features(patches, mask)

    @torch.no_grad()
    def global_music_features(self, music: list[str], clean: bool = True, batch_size: int = 32) -> torch.Tensor:
        """CLaMP 3's whole-piece global features of ABC / MTF texts, not normalized (what
        its ``code/extract_clamp3.py --get_global`` saves), ``(len(music), embed_dim)`` float32.

        The piece is patched whole (CLaMP 3's ``M3Patchilizer.encode`` with its special
        patches) and read in segments of M3's length whose features are averaged by the
        patches each adds (:func:`~mmx.encoders.music.whole_piece_features`); a piece
        that fits one segment is read once, as before. ``clean=True`` first strips
        titles, composers, lyrics and voice names (:func:`~mmx.music.abc.clean_abc`:
        what CLaMP 3's preprocessing strips); ``clean=False`` patches the text as given,
        as CLaMP 3's extraction does with an unprocessed file.
        """
        enc = self.symbolic_model
        if isinstance(music, str) or not isinstance(music, (list, tuple)) or not music:
            raise InputError("give a non-empty list of ABC or MTF strings")
        pieces = [patchilize(t, enc.patch_size, None, clean=clean) for t in music]
        return whole_piece_features(self.segment_features, pieces, enc.max_patches, enc.patch_size, batch_size)

    @torch.no_grad()
    def embed_texts(self, texts: list[str]) -> torch.Tensor:
        return F.normalize(self.text_features(texts), dim=-1)

    @torch.no_grad()
    def embed_patches(self, patches: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        return F.normalize(self.music_features(patches, mask), dim=-1)

    @torch.no_grad()
    def embed_music(self, music: list[str], clean: bool = True, batch_size: int = 32) -> torch.Tensor:
        """:meth:`global_music_features` L2-normalized: pieces of any length, ``clean``
        as there."""
        return F.normalize(self.global_music_features(music, clean, batch_size), dim=-1)

    def load_clamp3_state(self, state: dict[str, torch.Tensor], source: str = "the state dict") -> None:
        """Load CLaMP 3's ``model`` state dict; audio keys and stale buffers are skipped,
        anything else that does not match raises one :class:`InputError`."""
        state = {k: v for k, v in state.items() if not k.startswith(_AUDIO) and not _STALE_BUFFERS.search(k)}
        own = {k: v for k, v in self.state_dict().items() if not _STALE_BUFFERS.search(k)}
        missing = [k for k in own if k not in state]
        unexpected = [k for k in state if k not in own]
        wrong = [k for k in own if k in state and tuple(own[k].shape) != tuple(state[k].shape)]
        if missing or unexpected or wrong:
            parts = []
            if missing:
                parts.append(f"{len(missing)} missing (first: {', '.join(missing[:3])})")
            if unexpected:
                parts.append(f"{len(unexpected)} unexpected (first: {', '.join(unexpected[:3])})")
            if wrong:
                k = wrong[0]
                parts.append(f"{len(wrong)} of another shape (first: {k} {tuple(state[k].shape)} vs {tuple(own[k].shape)})")
            raise InputError(f"{source}: not CLaMP 3's layout (symbolic_model.*, symbolic_proj, text_model.*, "
                             f"text_proj): {'; '.join(parts)}")
        self.load_state_dict(state, strict=False)


def sizes_from_state(state: dict[str, torch.Tensor]) -> dict[str, Any]:
    """CLaMP 3's sizes read from its state dict: the shared width, M3's width, depth,
    feed-forward width, patch size and patch count."""
    try:
        emb = state["symbolic_model.patch_embedding.weight"]
        proj = state["symbolic_proj.weight"]
        pos = state["symbolic_model.base.embeddings.position_embeddings.weight"]
        ff = state["symbolic_model.base.encoder.layer.0.intermediate.dense.weight"]
    except KeyError as exc:
        keys = ", ".join(list(state)[:3]) or "none"
        raise InputError(f"not CLaMP 3's layout: no {exc.args[0]} (first keys: {keys})") from None
    layers = {int(m.group(1)) for k in state if (m := re.match(r"symbolic_model\.base\.encoder\.layer\.(\d+)\.", k))}
    hidden = int(emb.shape[0])
    return {
        "hidden_size": int(proj.shape[0]),
        "m3": {
            "hidden_size": hidden,
            "num_layers": len(layers),
            "intermediate_size": int(ff.shape[0]),
            "patch_size": int(emb.shape[1]) // N_CLASSES,
            "max_patches": int(pos.shape[0]),
        },
    }


def _find_pth(spec: str, weights_file: str | None) -> str:
    path = os.path.abspath(os.path.expanduser(spec))
    if os.path.isfile(path):
        return path
    if os.path.isdir(path):
        folder = path
    elif spec.startswith((".", "/", "~")) or spec.count("/") != (2 if spec.startswith("hf:") else 1):
        raise InputError(f"model={spec}: no such file or folder (give CLaMP 3's .pth, a folder holding it, or a hub id)")
    else:
        folder = _hub_snapshot(spec.removeprefix("hf:"))
    found = sorted(glob.glob(os.path.join(folder, "**", "*.pth"), recursive=True))
    if weights_file is not None:
        found = [f for f in found if os.path.basename(f) == weights_file]
    if len(found) != 1:
        names = ", ".join(os.path.basename(f) for f in found) or "none"
        raise InputError(f"model={spec}: expected one CLaMP 3 .pth in {folder}, found {names}; "
                         "choose one with weights_file=NAME.pth")
    return found[0]


def _hub_snapshot(repo: str) -> str:
    from mmx.deps import require
    from mmx.hub import hub_offline

    snapshot_download = require("huggingface_hub", "a hub id").snapshot_download
    try:
        return snapshot_download(repo, allow_patterns=["*.pth", "*.md"], local_files_only=hub_offline())
    except Exception as exc:  # offline, unknown repo, gated: one line
        raise InputError(f"model={repo}: cannot get CLaMP 3's weights from the hub ({type(exc).__name__}); "
                         f"download the .pth on a connected machine and pass its path") from None


def load_clamp3(
    model: str,
    text_model: str | dict[str, Any] = CLAMP3_TEXT_MODEL,
    tokenizer: str | None = None,
    weights_file: str | None = None,
) -> Clamp3Model:
    """CLaMP 3 from its released ``.pth`` (a path, a folder holding it, or a hub id).

    The file's ``model`` entry (or the file itself when it is a bare state dict) must be
    in CLaMP 3's layout; sizes are read from it. ``text_model`` builds the XLM-R whose
    weights the file then replaces (a hub id or folder for its config and tokenizer, or
    a config dict for tests).
    """
    path = _find_pth(model, weights_file)
    try:
        ckpt = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as exc:
        first = first_line(exc, 160)
        raise InputError(f"{path}: not a readable PyTorch checkpoint ({first})") from None
    state = ckpt.get("model", ckpt) if isinstance(ckpt, dict) else None
    if not isinstance(state, dict) or not all(isinstance(v, torch.Tensor) for v in state.values()):
        raise InputError(f"{path}: expected a state dict (or a dict with 'model') of tensors")
    net = Clamp3Model(text_model=text_model, tokenizer=tokenizer, **sizes_from_state(state))
    net.load_clamp3_state(state, path)
    net.weights = f"CLaMP 3: {path}"
    net.source_file = path
    return net.eval()
