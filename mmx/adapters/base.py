"""What every inference adapter of ``mmx eval`` and ``mmx demo`` looks like.

Adapters are grouped by what they can do, their *capabilities*:

- ``answer``: answer batches of :class:`VqaRequest` (a question, zero or more images)
  with strings (VQA, reading);
- ``generate_images``: turn batches of :class:`ImageRequest` (a prompt, a seed, how
  many images) into PIL images (text-to-image);
- ``embed``: turn batches of :class:`EmbedRequest` (a text, an image or a piece of
  music) into vectors (retrieval).

A bench names the one capability it needs (:attr:`mmx.eval.contract.Bench.needs`);
the runner refuses an adapter that lacks it and names those that have it. Adapters
wrap what the bench asks in their own chat format, but the wording of a question
belongs to the bench (:attr:`VqaRequest.prompt`). Each says in :meth:`describe` what
it is, so that results record it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    import numpy as np
    from PIL import Image

#: every capability an adapter can declare, with what it means (for `mmx list models`)
CAPABILITIES: dict[str, str] = {
    "answer": "answers questions about images or text with strings (VQA)",
    "generate_images": "draws images from text prompts (text-to-image)",
    "embed": "maps texts, images or music to vectors (retrieval)",
}


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
class ImageRequest:
    """Draw ``n`` images for ``prompt``; image ``k`` uses seed ``seed + k`` so that a
    resumed run can ask for the missing ones alone (``indices``) and get the same pixels."""

    id: str
    prompt: str
    seed: int = 0
    n: int = 1
    #: which of the ``n`` images to draw (default: all); the rest already exist
    indices: tuple[int, ...] | None = None
    #: what the bench knows about the prompt beyond its text (geneval: the GenEval metadata
    #: record); reference adapters such as ``shapes-oracle`` draw from it, real models must not
    meta: dict[str, Any] = field(default_factory=dict)

    def wanted(self) -> tuple[int, ...]:
        return tuple(range(self.n)) if self.indices is None else tuple(self.indices)


@dataclass
class EmbedRequest:
    """One item to embed: ``modality`` is ``text``, ``image`` or ``music``; ``content`` is a
    string (text, ABC or MTF music) or a PIL image."""

    id: str
    modality: str
    content: Any


@dataclass
class Reference:
    """A (category, gold answer) pair handed to :meth:`ModelAdapter.prepare`."""

    category: str
    answer: str


class ModelAdapter:
    """Base class of inference adapters. Subclasses set :attr:`capabilities` and implement
    the verbs they declare: :meth:`answer`, :meth:`generate_images`, :meth:`embed`."""

    #: registry name or model id, recorded in results
    name: str = "model"
    #: what this adapter can do (keys of :data:`CAPABILITIES`)
    capabilities: ClassVar[frozenset[str]] = frozenset({"answer"})
    #: benches this adapter is made for (empty: any bench that needs its capabilities);
    #: a baseline that parses one bench's images names that bench here
    serves_benches: ClassVar[tuple[str, ...]] = ()
    #: how many requests one call takes at once
    batch_size: int = 1
    #: reference baselines (random, majority, ocr-table) are marked as such in reports
    is_baseline: bool = False
    #: options for the registry smoke test (tests/test_registry_smoke.py); None: the adapter
    #: needs weights or files that a smoke test cannot assume, and is tested in its own module
    smoke_args: ClassVar[dict[str, Any] | None] = {}

    def prepare(self, references: Sequence[Reference]) -> None:
        """Called once with the evaluated items' categories and answers before any
        :meth:`answer`. Only the reference baselines (``random``, ``majority``) use it;
        a model that looked at answers here would be cheating."""

    def answer(self, requests: list[VqaRequest]) -> list[str]:
        """One answer string per request, in order (capability ``answer``)."""
        raise NotImplementedError(f"{self.name} does not answer questions")

    def generate_images(self, requests: list[ImageRequest]) -> list[list[Image.Image]]:
        """Per request, the images of :meth:`ImageRequest.wanted` in that order (capability
        ``generate_images``)."""
        raise NotImplementedError(f"{self.name} does not generate images")

    def embed(self, requests: list[EmbedRequest]) -> np.ndarray:
        """A ``[len(requests), dim]`` float array, one row per request (capability ``embed``)."""
        raise NotImplementedError(f"{self.name} does not embed")

    def notes(self) -> list[str]:
        """Caveats to print with the results (e.g. a missing OCR engine)."""
        return []

    def describe(self) -> dict[str, Any]:
        """What this model is, for ``results.json``."""
        return {"name": self.name, "baseline": self.is_baseline, "capabilities": sorted(self.capabilities)}


def parse_model_args(spec: str | None, option: str = "--model-args") -> dict[str, Any]:
    """Parse ``"k=v,k2=v2"`` into a dict, turning ints, floats and booleans into numbers
    (:func:`mmx.options.parse_options`, then :func:`mmx.options.guess_value`). ``mmx eval`` keeps
    the text instead and lets each factory's annotations convert it (:func:`mmx.options.bind_options`).

    A piece without ``=`` continues the value before it, so list values need no quoting
    (``languages=en,zh,hi`` -> ``{"languages": "en,zh,hi"}``; a list stays a string for
    its option to split).

    >>> parse_model_args("batch_size=8,dtype=bfloat16,do_sample=false")
    {'batch_size': 8, 'dtype': 'bfloat16', 'do_sample': False}
    >>> parse_model_args("families=digits,scorecards,n=4")
    {'families': 'digits,scorecards', 'n': 4}
    """
    from mmx.options import guess_value, parse_options

    return {k: guess_value(v) for k, v in parse_options(spec, option).items()}
