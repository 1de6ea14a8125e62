"""Many texts at once: worker processes, and a collate function for a torch DataLoader.

Rendering is CPU work in Python and compiled code that holds the GIL most of
the time (HarfBuzz and FreeType are called through ctypes, per run and per new
glyph), so threads would not scale; processes do. Each worker builds its own
renderer (fonts, glyph atlas) in its own process and renders whole chunks of
texts; results come back in input order. Output is byte-identical to rendering
in one process: rendering depends only on the text and the profile.

Where workers are forked, this process renders one text before it starts
them: they inherit its loaded compiled kernels, fonts and tables instead of
each loading them again (about 0.8 s of CPU per worker and call, more than
rendering a few thousand lines takes).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from mmx.errors import InputError
from mmx.render.profiles import RenderProfile, get_profile
from mmx.render.result import MissingGlyph, RenderResult

_worker_renderer: Any = None


def _init_worker(profile: RenderProfile, warm: Sequence[str] = (), ready: Any = None) -> None:
    global _worker_renderer
    from mmx.render.engine import _cached_renderer

    # Forked: the parent's renderer for this profile, already warm (see _pool).
    _worker_renderer = _cached_renderer(profile)
    for text in warm:  # benchmarks: fonts loaded and glyphs rasterized before timing
        _worker_renderer.render(text)
    if ready is not None:  # benchmarks: a barrier every worker and the parent wait at
        ready.wait()


def _render_chunk(texts: list[str]) -> list[tuple]:
    """Render in a worker; send back plain data (a RenderResult holds fonts and closures)."""
    out = []
    for text in texts:
        r = _worker_renderer.render(text)
        out.append((r.arrays, r.ink_patches, r.visual_tokens,
                    [(m.codepoint, m.index) for m in r.missing_glyphs],
                    [(m.codepoint, m.index) for m in r.control_chars],
                    r.clipped, r.truncated, r.truncated_at, r.line_height, r.line_ink, r.colour_arrays))
    return out


def _rebuild(text: str, data: tuple, renderer: Any) -> RenderResult:
    (arrays, ink_patches, visual_tokens, missing, controls, clipped, truncated, truncated_at, line_height, line_ink,
     colour_arrays) = data
    return RenderResult(
        text=text, profile=renderer.profile, arrays=arrays, ink_patches=ink_patches, visual_tokens=visual_tokens,
        missing_glyphs=[MissingGlyph(c, i) for c, i in missing], control_chars=[MissingGlyph(c, i) for c, i in controls],
        clipped=clipped, truncated=truncated, truncated_at=truncated_at, stack=renderer.stack,
        # Character offsets are computed here on first use, by rendering the text
        # again in this process (the same text and profile give the same layout).
        placement_source=lambda: renderer.render(text)._placed(), line_height=line_height, line_ink=line_ink,
        colour_arrays=colour_arrays,
    )


def render_batch(
    texts: Iterable[str],
    profile: str | RenderProfile = "pixel",
    *,
    workers: int = 1,
    chunksize: int = 64,
    **overrides: object,
) -> list[RenderResult]:
    """Render many texts, with ``workers`` processes; results in input order.

    ``workers=1`` renders in this process; ``workers=0`` uses every CPU this
    process may run on. Worker processes are started for the call (fork where
    the platform has it, else spawn) and each builds its own renderer, so the
    call is safe from any process state. Results are the same as
    :func:`mmx.render.render_text` gives, array for array; their character
    offsets (``RenderResult.placements`` and the maps built on them) are
    computed on first use by rendering the text again here.

    Raises:
        InputError: a text that is not a str, or a negative worker count.
    """
    from mmx.render.engine import Renderer, _cached_renderer

    texts = list(texts)
    for i, t in enumerate(texts):
        if not isinstance(t, str):
            raise InputError(f"texts[{i}] must be a str, got {type(t).__name__}; decode bytes as UTF-8 first")
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 0:
        raise InputError(f"workers must be an integer >= 0 (0: every CPU), got {workers!r}")
    if not isinstance(chunksize, int) or chunksize < 1:
        raise InputError(f"chunksize must be a positive integer, got {chunksize!r}")
    prof = get_profile(profile, **overrides)
    n = workers or available_cpus()
    renderer: Renderer = _cached_renderer(prof)
    if n == 1 or len(texts) <= chunksize:
        return [renderer.render(t) for t in texts]
    chunks = [texts[i : i + chunksize] for i in range(0, len(texts), chunksize)]
    with _pool(min(n, len(chunks)), prof, first=texts[0]) as pool:
        done = pool.map(_render_chunk, chunks)
    return [_rebuild(t, d, renderer) for chunk, part in zip(chunks, done) for t, d in zip(chunk, part)]


def available_cpus() -> int:
    """CPUs this process may run on (its affinity mask where the platform has one)."""
    if hasattr(os, "sched_getaffinity"):
        return max(len(os.sched_getaffinity(0)), 1)
    return os.cpu_count() or 1


def _context() -> Any:
    import multiprocessing as mp

    return mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")


def _pool(n: int, prof: RenderProfile, warm: Sequence[str] = (), ready: Any = None, first: str | None = None) -> Any:
    """A pool of ``n`` workers with renderers for ``prof`` (each renders ``warm`` first, then waits at ``ready``).

    Where workers are forked, this process first renders ``first`` with its
    cached renderer, so that they start with the compiled kernels loaded, the
    fonts open and that text's glyphs rasterized (copy-on-write) instead of
    loading all of it each.
    """
    from mmx.render.engine import _cached_renderer

    ctx = _context()
    if first is not None and ctx.get_start_method() == "fork":
        _cached_renderer(prof).render(first)
    return ctx.Pool(n, initializer=_init_worker, initargs=(prof, tuple(warm), ready))


class RenderCollate:
    """A picklable ``collate_fn`` for a torch DataLoader whose items are texts.

    >>> loader = DataLoader(texts, batch_size=32, num_workers=4, collate_fn=RenderCollate("pixel"))  # doctest: +SKIP

    Each DataLoader worker renders its own batches (the renderer is built on
    first use in that process). A batch is a dict: ``patches``, float in [0, 1],
    (B, N, C, p, p), padded with white patches to the longest text's N;
    ``patch_mask``, bool (B, N), True on real patches; ``ink_patches``, int
    (B,), patches holding ink (``RenderResult.ink_patches``); ``texts``, the
    input texts. RGB profiles give C = 3 (colour emoji in colour), others C = 1.
    """

    def __init__(self, profile: str | RenderProfile = "pixel", **overrides: object) -> None:
        self.profile = get_profile(profile, **overrides)  # validated now, in the main process
        self._renderer: Any = None

    def __getstate__(self) -> dict:
        return {"profile": self.profile, "_renderer": None}

    def __call__(self, texts: Sequence[str]) -> dict[str, Any]:
        import torch

        if self._renderer is None:
            from mmx.render.engine import Renderer

            self._renderer = Renderer(self.profile)
        results = [self._renderer.render(t) for t in texts]
        patches = [r.patches() for r in results]
        n_max = max((p.shape[0] for p in patches), default=0)
        ps = self.profile.patch_size
        shape = (len(texts), n_max, ps, ps) + ((3,) if self.profile.rgb else ())
        out = np.full(shape, 255, np.uint8)
        mask = np.zeros((len(texts), n_max), np.bool_)
        for i, p in enumerate(patches):
            out[i, : p.shape[0]] = p
            mask[i, : p.shape[0]] = True
        t = torch.from_numpy(out).float().div_(255.0)
        t = t.permute(0, 1, 4, 2, 3) if self.profile.rgb else t.unsqueeze(2)
        return {
            "patches": t.contiguous(),
            "patch_mask": torch.from_numpy(mask),
            "ink_patches": torch.tensor([r.ink_patches for r in results]),
            "texts": list(texts),
        }
