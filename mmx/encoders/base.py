"""The interface every mmx encoder implements."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import torch
from torch import nn

from mmx.errors import InputError


@dataclass
class EncoderOutput:
    """What an encoder returns for a batch.

    ``tokens``: (B, N, D) features, ``mask``: (B, N) bool (True = a real token, False =
    padding), ``pooled``: (B, D) one vector per input (masked mean or the model's own
    pooling, as each encoder documents).
    """

    tokens: torch.Tensor
    mask: torch.Tensor
    pooled: torch.Tensor


#: what an encoder reads: images, text (strings), rendered text (strings it renders itself and
#: reads as pixels) or symbolic music (ABC / MTF strings, patched as CLaMP 3's M3)
MODALITIES: tuple[str, ...] = ("image", "text", "rendered_text", "music")


class Encoder(nn.Module):
    """Base class: ``forward(raw inputs) -> EncoderOutput``.

    Subclasses set ``modality`` (one of :data:`MODALITIES`), ``output_dim``
    and ``weights`` (a sentence saying where the weights came from: ``"random init"``
    or a hub id / local path), and implement :meth:`tiny_config` and
    :meth:`example_inputs` so the registry smoke test can build and run them.
    """

    modality: ClassVar[str] = ""
    output_dim: int
    weights: str = "random init"

    @classmethod
    def tiny_config(cls) -> dict[str, Any]:
        """Constructor overrides for a tiny random-weight instance (tests, smoke runs)."""
        raise NotImplementedError

    def example_inputs(self, batch: int = 2) -> Any:
        """A valid input batch of ``batch`` items for :meth:`forward`."""
        raise NotImplementedError

    def describe(self) -> str:
        """One line: the class, its output width and where its weights came from."""
        n = sum(p.numel() for p in self.parameters())
        return f"{type(self).__name__}: {self.output_dim}-d, {n / 1e6:.2f}M params, weights: {self.weights}"


def masked_mean(tokens: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Mean over the real tokens of each row; a row with none gives zeros (not NaN)."""
    m = mask.to(tokens.dtype).unsqueeze(-1)
    return (tokens * m).sum(1) / m.sum(1).clamp_min(1.0)


def check_texts(texts: Any, owner: str) -> list[str]:
    """``texts`` as a non-empty list of strings, or an :class:`InputError` that names the
    bad item and what to do (every text-taking encoder checks its batch with this)."""
    if isinstance(texts, str) or not isinstance(texts, (list, tuple)):
        hint = " (wrap a single text in a list)" if isinstance(texts, str) else ""
        raise InputError(f"{owner}: texts must be a list of strings, got {type(texts).__name__}{hint}")
    if not texts:
        raise InputError(f"{owner}: texts is an empty list; pass at least one string")
    for i, t in enumerate(texts):
        if not isinstance(t, str):
            raise InputError(
                f"{owner}: texts[{i}] is {type(t).__name__}, not a string; convert it (str(x)) or drop it"
            )
    return list(texts)
