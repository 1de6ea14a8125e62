"""What every inference adapter of ``mmx eval`` and ``mmx demo`` looks like.

An adapter answers batches of :class:`VqaRequest` with strings. It owns its
prompt wording (benches never format prompts) and says in :meth:`describe`
what it is, so that results record it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from mmx.errors import InputError

if TYPE_CHECKING:
    from PIL import Image


@dataclass
class VqaRequest:
    """One question about zero or more images."""

    id: str
    question: str
    images: list[Image.Image] = field(default_factory=list)
    #: the bench's category name; baselines use it, real models must not
    category: str = ""
    #: the full instruction the bench words around ``question`` (benches own prompts,
    #: adapters only wrap it in their chat format); empty means the question alone
    prompt: str = ""

    def text(self) -> str:
        """What a language model is asked: the bench's prompt, else the bare question."""
        return self.prompt or self.question


@dataclass
class Reference:
    """A (category, gold answer) pair handed to :meth:`ModelAdapter.prepare`."""

    category: str
    answer: str


class ModelAdapter:
    """Base class of inference adapters; subclasses implement :meth:`answer`."""

    #: registry name or model id, recorded in results
    name: str = "model"
    #: how many requests :meth:`answer` takes at once
    batch_size: int = 1
    #: reference baselines (random, majority, ocr-table) are marked as such in reports
    is_baseline: bool = False

    def prepare(self, references: Sequence[Reference]) -> None:
        """Called once with the evaluated items' categories and answers before any
        :meth:`answer`. Only the reference baselines (``random``, ``majority``) use it;
        a model that looked at answers here would be cheating."""

    def answer(self, requests: list[VqaRequest]) -> list[str]:
        """One answer string per request, in order."""
        raise NotImplementedError

    def notes(self) -> list[str]:
        """Caveats to print with the results (e.g. a missing OCR engine)."""
        return []

    def describe(self) -> dict[str, Any]:
        """What this model is, for ``results.json``."""
        return {"name": self.name, "baseline": self.is_baseline}


def parse_model_args(spec: str | None) -> dict[str, Any]:
    """Parse ``"k=v,k2=v2"`` into a dict, turning ints, floats and booleans into numbers.

    >>> parse_model_args("batch_size=8,dtype=bfloat16,do_sample=false")
    {'batch_size': 8, 'dtype': 'bfloat16', 'do_sample': False}
    """
    out: dict[str, Any] = {}
    if not spec:
        return out
    for part in spec.split(","):
        part = part.strip()
        if not part:
            continue
        key, eq, value = part.partition("=")
        key, value = key.strip(), value.strip()
        if not eq or not key:
            raise InputError(f"--model-args: {part!r} is not key=value (write e.g. batch_size=8,dtype=bfloat16)")
        out[key] = _coerce(value)
    return out


def _coerce(value: str) -> Any:
    low = value.lower()
    if low in ("true", "yes"):
        return True
    if low in ("false", "no"):
        return False
    if low in ("none", "null"):
        return None
    for cast in (int, float):
        try:
            return cast(value)
        except ValueError:
            pass
    return value
