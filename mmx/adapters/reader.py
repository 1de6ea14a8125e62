"""``reader``: the tiny visual-text reader (``mmx/assets/reader``) as an answering adapter.

The reader was trained to write out 3-6 digit numbers rendered by the ``reader`` profile
(Latin, Devanagari or Arabic-Indic digits; see ``mmx/assets/reader/README.md``). It
reads pixels, not the question: it transcribes the first image of each request, so it
answers exactly the questions whose answer is the number the image shows (xscript's
digits family renders its items with the same profile).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

from mmx.adapters.base import ModelAdapter, VqaRequest
from mmx.errors import InputError
from mmx.options import Count


class ReaderModel(ModelAdapter):
    """The tiny reader (or a ``mmx fit --config configs/tiny_reader.yaml`` export) reading the
    number in each request's first image.

    Options: ``model`` (a folder with ``model.safetensors`` + ``mmx_system.json``; default the
    shipped tiny reader), ``batch_size`` (default 32).
    """

    name = "reader"
    capabilities: ClassVar[frozenset[str]] = frozenset({"answer"})

    def __init__(self, model: str | None = None, batch_size: Count = 32) -> None:
        from mmx.assets import reader_dir
        from mmx.systems import load_system

        folder = Path(model) if model else reader_dir()
        if not folder.is_dir():
            raise InputError(f"reader: model={model!r} is not a folder (expected model.safetensors + "
                             "mmx_system.json from `mmx fit --config configs/tiny_reader.yaml`)")
        self.folder = folder
        self.system = load_system(str(folder))
        if not hasattr(self.system, "read"):
            raise InputError(f"reader: {folder} holds a {type(self.system).__name__}, not a reader")
        self.system.eval()
        self.batch_size = int(batch_size)

    def describe(self) -> dict[str, Any]:
        return {**super().describe(), "weights": str(self.folder)}

    def answer(self, requests: list[VqaRequest]) -> list[str]:
        import numpy as np

        out: list[str] = []
        blank = np.full((28, 28), 255, np.uint8)
        images = [[np.asarray(r.images[0].convert("L")) if r.images else blank] for r in requests]
        for i in range(0, len(images), self.batch_size):
            chunk = images[i:i + self.batch_size]
            with _pixels(self.system.encoder, chunk):
                out += self.system.read([""] * len(chunk))
        return out


@contextlib.contextmanager
def _pixels(encoder: Any, images: list[list[Any]]) -> Iterator[None]:
    """Make the visual-text encoder take ``images`` instead of rendering its input strings.

    The encoder renders strings itself and has no public entry for pixels; shadowing its
    ``render`` for one call reuses its whole forward (padding, masks, merger) rather than
    copying it. The images must come from the encoder's own render profile to be read as
    trained (xscript renders its reading items with ``reading_profile``, ``reader`` by default).
    """
    encoder.render = lambda texts: (images, [None] * len(images))
    try:
        yield
    finally:
        del encoder.render
