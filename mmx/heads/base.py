"""The interface every mmx head implements."""

from __future__ import annotations

from typing import Any, ClassVar

from torch import nn


class Head(nn.Module):
    """Base class for heads. ``forward(**example_inputs())`` returns a dict with a
    scalar ``loss`` (plus head-specific outputs)."""

    kind: ClassVar[str] = ""

    @classmethod
    def tiny_config(cls) -> dict[str, Any]:
        """Constructor overrides for a tiny random-weight instance (tests, smoke runs)."""
        raise NotImplementedError

    def example_inputs(self, batch: int = 2) -> dict[str, Any]:
        """Keyword inputs of a valid batch for :meth:`forward`."""
        raise NotImplementedError
