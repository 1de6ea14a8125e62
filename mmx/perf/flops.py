"""Analytic prefill FLOPs of a Qwen2.5-VL-style model: subword text against rendered text.

One multiply-add counts as 2 FLOPs. What is counted, per forward pass of one
sequence (batch 1), is every matrix product, the same set of operations as
``torch.utils.flop_counter.FlopCounterMode`` (``tests/perf/test_flops.py``
checks the two agree on tiny random-weight models built by transformers):

- language model: the q, k, v, o projections (grouped-query attention: k and v
  have ``num_key_value_heads`` heads), the gated (SwiGLU) MLP, attention scores
  ``QK^T`` and values ``AV``, and the LM head on the **last position only**
  (``logits_to_keep=1``, what ``generate`` asks for at prefill);
- vision encoder: the patch embedding (a Conv3d over 3 x 2 x 14 x 14 voxels), per
  block the fused qkv and output projections and the gated MLP, attention inside
  each 112 px window (8 x 8 patches) or over the whole image in the
  full-attention blocks, and the 2x2 patch merger (RMSNorm, then an MLP
  ``4d -> 4d -> out``).

Left out, as ``FlopCounterMode`` leaves them out: norms, activations, softmax,
rotary embeddings, residual additions and biases (each is O(tokens x hidden),
under 0.5% of the total at these sizes).

Causal attention counts the ``n(n+1)/2`` query-key pairs a causal kernel
computes; ``dense_attention=True`` counts the full ``n x n`` square, as
``FlopCounterMode`` does for ``scaled_dot_product_attention``.
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mmx.errors import InputError, UnknownNameError

#: Real Qwen2.5-VL special token ids (`<|vision_start|>` 151652 ... `<|video_pad|>` 151656).
QWEN2_5_VL_TOKEN_IDS = {"vision_start_token_id": 151652, "vision_end_token_id": 151653,
                        "image_token_id": 151655, "video_token_id": 151656}
#: The Qwen2.5-VL image processor's pixel budget (preprocessor_config.json of the released models).
MIN_PIXELS, MAX_PIXELS = 56 * 56, 12845056


@dataclass(frozen=True)
class VlmDims:
    """The dimensions of a Qwen2.5-VL-style model that its FLOPs depend on."""

    name: str
    # language model
    hidden_size: int
    num_hidden_layers: int
    num_attention_heads: int
    num_key_value_heads: int
    intermediate_size: int
    vocab_size: int
    head_dim: int = 0  # 0: hidden_size // num_attention_heads
    tie_word_embeddings: bool = False
    # vision encoder
    vision_depth: int = 32
    vision_hidden_size: int = 1280
    vision_num_heads: int = 16
    vision_intermediate_size: int = 3420
    vision_out_hidden_size: int = 0  # 0: hidden_size
    patch_size: int = 14
    temporal_patch_size: int = 2
    spatial_merge_size: int = 2
    window_size: int = 112  # pixels
    fullatt_block_indexes: tuple[int, ...] = (7, 15, 23, 31)
    in_channels: int = 3

    def __post_init__(self) -> None:
        if not self.head_dim:
            object.__setattr__(self, "head_dim", self.hidden_size // self.num_attention_heads)
        if not self.vision_out_hidden_size:
            object.__setattr__(self, "vision_out_hidden_size", self.hidden_size)
        object.__setattr__(self, "fullatt_block_indexes", tuple(self.fullatt_block_indexes))
        bad = [f.name for f in dataclasses.fields(self) if isinstance(getattr(self, f.name), int)
               and not isinstance(getattr(self, f.name), bool) and getattr(self, f.name) <= 0]
        if bad or self.num_attention_heads % self.num_key_value_heads:
            raise InputError(f"model dims {self.name!r}: {', '.join(bad) or 'num_attention_heads'} must be positive"
                             " (and attention heads a multiple of key/value heads)")

    @property
    def window_merged(self) -> int:
        """Window side in merged tokens (112 px / 14 px / 2 = 4, i.e. 8 x 8 patches)."""
        return max(self.window_size // self.spatial_merge_size // self.patch_size, 1)

    def replace(self, **changes: Any) -> VlmDims:
        return dataclasses.replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        d = dataclasses.asdict(self)
        d["fullatt_block_indexes"] = list(self.fullatt_block_indexes)
        return d

    def to_hf_config(self, attn_implementation: str | None = "sdpa", *, rope_theta: float = 1000000.0,
                     text: Mapping[str, Any] | None = None, vision: Mapping[str, Any] | None = None,
                     **overrides: Any) -> Any:
        """A transformers ``Qwen2_5_VLConfig`` of these dimensions (random-weight models: FLOPs, timing, tests).

        The one place mmx makes a ``Qwen2_5_VLConfig``: the FLOPs tests, the tiny test models and the
        speed benchmarks (:mod:`mmx.testing.vlm`) all build theirs here. Fields the FLOPs do not depend
        on take the released models' values unless overridden: ``rope_theta`` (the LM's rotary base);
        ``text`` and ``vision`` override fields of the text and vision sub-configs (e.g.
        ``max_position_embeddings``, ``initializer_range``, ``bos/eos/pad_token_id`` of a small
        vocabulary); ``overrides`` set top-level config fields (the image, video and vision-marker
        token ids). ``attn_implementation=None`` leaves the choice to transformers.
        """
        from transformers import Qwen2_5_VLConfig

        hd = self.head_dim
        mrope = [16, 24, 24] if hd == 128 else [hd // 8, hd // 8, hd // 2 - hd // 4]  # sums to head_dim / 2
        ids = {**QWEN2_5_VL_TOKEN_IDS, **overrides}
        config = Qwen2_5_VLConfig(
            text_config={
                "vocab_size": self.vocab_size, "hidden_size": self.hidden_size,
                "intermediate_size": self.intermediate_size, "num_hidden_layers": self.num_hidden_layers,
                "num_attention_heads": self.num_attention_heads, "num_key_value_heads": self.num_key_value_heads,
                "max_position_embeddings": 128000, "tie_word_embeddings": self.tie_word_embeddings,
                "rope_parameters": {"rope_type": "default", "rope_theta": rope_theta, "mrope_section": mrope},
                "bos_token_id": 151643 if self.vocab_size > 151643 else 0,
                "eos_token_id": 151645 if self.vocab_size > 151645 else 1,
                **(text or {}),
            },
            vision_config={
                "depth": self.vision_depth, "hidden_size": self.vision_hidden_size,
                "intermediate_size": self.vision_intermediate_size, "num_heads": self.vision_num_heads,
                "out_hidden_size": self.vision_out_hidden_size, "patch_size": self.patch_size,
                "spatial_merge_size": self.spatial_merge_size, "temporal_patch_size": self.temporal_patch_size,
                "window_size": self.window_size, "fullatt_block_indexes": list(self.fullatt_block_indexes),
                "in_channels": self.in_channels,
                **(vision or {}),
            },
            tie_word_embeddings=self.tie_word_embeddings,
            **ids,
        )
        if attn_implementation is not None:
            config._attn_implementation = attn_implementation
        return config


#: Public config.json values of Qwen/Qwen2.5-VL-{3B,7B}-Instruct (the vision tower is shared).
PRESETS: dict[str, VlmDims] = {
    "qwen2.5-vl-3b": VlmDims("qwen2.5-vl-3b", hidden_size=2048, num_hidden_layers=36, num_attention_heads=16,
                             num_key_value_heads=2, intermediate_size=11008, vocab_size=151936,
                             tie_word_embeddings=True, vision_out_hidden_size=2048),
    "qwen2.5-vl-7b": VlmDims("qwen2.5-vl-7b", hidden_size=3584, num_hidden_layers=28, num_attention_heads=28,
                             num_key_value_heads=4, intermediate_size=18944, vocab_size=152064,
                             tie_word_embeddings=False, vision_out_hidden_size=3584),
}


def load_dims(config: Any = "qwen2.5-vl-7b") -> VlmDims:
    """Dims from a preset name, a local folder or file with config.json, a dict or a ``Qwen2_5_VLConfig``."""
    if isinstance(config, VlmDims):
        return config
    if isinstance(config, (str, Path)):
        key = str(config)
        if key in PRESETS:
            return PRESETS[key]
        path = Path(key)
        file = path / "config.json" if path.is_dir() else path
        if not file.is_file():
            import difflib

            close = difflib.get_close_matches(key, list(PRESETS), n=1, cutoff=0.5)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            raise UnknownNameError(f"unknown model config {key!r}.{hint} Use a preset ({', '.join(PRESETS)}) "
                                   "or a local folder holding a Qwen2.5-VL config.json")
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise InputError(f"cannot read model config {str(file)!r}: {exc}") from None
        return _dims_from_dict(data, path.name or key)
    if isinstance(config, Mapping):
        return _dims_from_dict(dict(config), str(config.get("_name_or_path") or "dict"))
    if hasattr(config, "to_dict"):
        return _dims_from_dict(config.to_dict(), getattr(config, "name_or_path", "") or type(config).__name__)
    raise InputError(f"cannot read model dims from a {type(config).__name__}")


def _dims_from_dict(d: dict[str, Any], name: str) -> VlmDims:
    model_type = d.get("model_type", "qwen2_5_vl")
    if model_type not in ("qwen2_5_vl", "qwen2_5_vl_text"):
        raise InputError(f"model config {name!r} is a {model_type!r}; FLOPs are modelled for Qwen2.5-VL only")
    text = {**d, **(d.get("text_config") or {})}  # released config.json files keep LM fields at top level
    vis = d.get("vision_config") or {}
    try:
        return VlmDims(
            name=name,
            hidden_size=text["hidden_size"], num_hidden_layers=text["num_hidden_layers"],
            num_attention_heads=text["num_attention_heads"],
            num_key_value_heads=text.get("num_key_value_heads") or text["num_attention_heads"],
            intermediate_size=text["intermediate_size"], vocab_size=text["vocab_size"],
            head_dim=text.get("head_dim") or 0,
            tie_word_embeddings=bool(text.get("tie_word_embeddings", d.get("tie_word_embeddings", False))),
            vision_depth=vis.get("depth", 32), vision_hidden_size=vis.get("hidden_size", 1280),
            vision_num_heads=vis.get("num_heads", 16), vision_intermediate_size=vis.get("intermediate_size", 3420),
            vision_out_hidden_size=vis.get("out_hidden_size") or text["hidden_size"],
            patch_size=vis.get("patch_size", 14), temporal_patch_size=vis.get("temporal_patch_size", 2),
            spatial_merge_size=vis.get("spatial_merge_size", 2), window_size=vis.get("window_size", 112),
            fullatt_block_indexes=tuple(vis.get("fullatt_block_indexes", (7, 15, 23, 31))),
            in_channels=vis.get("in_channels", vis.get("in_chans", 3)),
        )
    except KeyError as exc:
        raise InputError(f"model config {name!r} lacks {exc.args[0]!r}") from None


@dataclass(frozen=True)
class VisionFlops:
    """The vision encoder's FLOPs, by part."""

    patch_embed: float
    linear: float
    attention: float
    merger: float
    patches: int
    tokens: int

    @property
    def total(self) -> float:
        return self.patch_embed + self.linear + self.attention + self.merger


@dataclass(frozen=True)
class PrefillFlops:
    """Prefill FLOPs of one sequence: vision encoder + language model (+ LM head on the last token)."""

    vision: float
    lm_linear: float
    lm_attention: float
    lm_head: float
    lm_tokens: int
    vision_detail: VisionFlops | None = None

    @property
    def lm(self) -> float:
        return self.lm_linear + self.lm_attention + self.lm_head

    @property
    def total(self) -> float:
        return self.vision + self.lm

    def to_dict(self) -> dict[str, Any]:
        d = {"vision": self.vision, "lm_linear": self.lm_linear, "lm_attention": self.lm_attention,
             "lm_head": self.lm_head, "lm": self.lm, "total": self.total, "lm_tokens": self.lm_tokens}
        if self.vision_detail:
            d["vision_detail"] = dataclasses.asdict(self.vision_detail)
        return d


def lm_flops(cfg: Any, n_tokens: int, dense_attention: bool = False, logits_tokens: int = 1) -> PrefillFlops:
    """The language model's prefill FLOPs over ``n_tokens`` positions (no vision)."""
    d = load_dims(cfg)
    if n_tokens < 0:
        raise InputError(f"n_tokens must be >= 0 (got {n_tokens})")
    h, hd = d.hidden_size, d.head_dim
    q, kv = d.num_attention_heads * hd, d.num_key_value_heads * hd
    per_token = 2 * h * (q + 2 * kv) + 2 * q * h + 3 * 2 * h * d.intermediate_size
    pairs = n_tokens * n_tokens if dense_attention else n_tokens * (n_tokens + 1) // 2
    attention = d.num_hidden_layers * d.num_attention_heads * 4 * hd * pairs  # QK^T and AV, 2 FLOPs each
    head = 2 * h * d.vocab_size * min(logits_tokens, n_tokens)
    return PrefillFlops(vision=0.0, lm_linear=float(d.num_hidden_layers * per_token * n_tokens),
                        lm_attention=float(attention), lm_head=float(head), lm_tokens=n_tokens)


def text_prefill_flops(cfg: Any, n_tokens: int, **kwargs: Any) -> PrefillFlops:
    """Prefill FLOPs of a text-only input of ``n_tokens`` subword tokens (prompt included)."""
    return lm_flops(cfg, n_tokens, **kwargs)


def _window_lengths(d: VlmDims, gh: int, gw: int) -> list[int]:
    """Patch counts of the attention windows of one (gh x gw patch) image, as transformers tiles them."""
    m, ws = d.spatial_merge_size, d.window_merged
    mh, mw = gh // m, gw // m
    rows = [ws] * (mh // ws) + ([mh % ws] if mh % ws else [])
    cols = [ws] * (mw // ws) + ([mw % ws] if mw % ws else [])
    return [r * c * m * m for r in rows for c in cols]


def vision_flops(cfg: Any, grids: Iterable[tuple[int, int]]) -> VisionFlops:
    """The vision encoder's FLOPs over images of ``grids`` (height, width) in patches (bidirectional attention)."""
    d = load_dims(cfg)
    D, m2 = d.vision_hidden_size, d.spatial_merge_size**2
    grids = [(int(a), int(b)) for a, b in grids]
    for gh, gw in grids:
        if gh <= 0 or gw <= 0 or gh % d.spatial_merge_size or gw % d.spatial_merge_size:
            raise InputError(f"image grid {gh}x{gw} patches: both sides must be positive multiples of "
                             f"spatial_merge_size {d.spatial_merge_size}")
    n = sum(gh * gw for gh, gw in grids)
    voxels = d.in_channels * d.temporal_patch_size * d.patch_size**2
    full = [i for i in d.fullatt_block_indexes if 0 <= i < d.vision_depth]
    n_full, n_window = len(full), d.vision_depth - len(full)
    sq_full = sum((gh * gw) ** 2 for gh, gw in grids)
    sq_window = sum(length**2 for gh, gw in grids for length in _window_lengths(d, gh, gw))
    per_patch = 2 * D * 3 * D + 2 * D * D + 3 * 2 * D * d.vision_intermediate_size
    tokens = n // m2
    return VisionFlops(
        patch_embed=float(2 * voxels * D * n),
        linear=float(d.vision_depth * per_patch * n),
        attention=float(4 * D * (n_full * sq_full + n_window * sq_window)),
        merger=float(tokens * (2 * (m2 * D) ** 2 + 2 * m2 * D * d.vision_out_hidden_size)),
        patches=n, tokens=tokens,
    )


def visual_prefill_flops(cfg: Any, grid_h: int | Sequence[int], grid_w: int | Sequence[int],
                         n_prompt_tokens: int = 0, marker_tokens: int = 2, **kwargs: Any) -> PrefillFlops:
    """Prefill FLOPs of rendered text: image(s) of ``grid_h x grid_w`` patches plus a text prompt.

    ``grid_h``/``grid_w`` are ints (one image) or equal-length sequences (one entry
    per image). The LM sees each image's merged tokens, ``marker_tokens`` per image
    (``<|vision_start|>``, ``<|vision_end|>``) and ``n_prompt_tokens``.
    """
    hs = [grid_h] if isinstance(grid_h, int) else list(grid_h)
    ws = [grid_w] if isinstance(grid_w, int) else list(grid_w)
    if len(hs) != len(ws):
        raise InputError(f"grid_h and grid_w differ in length ({len(hs)} vs {len(ws)})")
    d = load_dims(cfg)
    vis = vision_flops(d, zip(hs, ws))
    lm = lm_flops(d, vis.tokens + marker_tokens * len(hs) + n_prompt_tokens, **kwargs)
    return dataclasses.replace(lm, vision=vis.total, vision_detail=vis)


def image_grid(height: int, width: int, cfg: Any = "qwen2.5-vl-7b", min_pixels: int = MIN_PIXELS,
               max_pixels: int = MAX_PIXELS) -> tuple[int, int]:
    """The (height, width) patch grid the Qwen2.5-VL image processor gives an image (its ``smart_resize``)."""
    d = load_dims(cfg)
    f = d.patch_size * d.spatial_merge_size
    h_bar, w_bar = max(f, round(height / f) * f), max(f, round(width / f) * f)
    if h_bar * w_bar > max_pixels:
        beta = math.sqrt(height * width / max_pixels)
        h_bar, w_bar = max(f, math.floor(height / beta / f) * f), max(f, math.floor(width / beta / f) * f)
    elif h_bar * w_bar < min_pixels:
        beta = math.sqrt(min_pixels / (height * width))
        h_bar, w_bar = math.ceil(height * beta / f) * f, math.ceil(width * beta / f) * f
    return h_bar // d.patch_size, w_bar // d.patch_size


# -- corpus accounting: `mmx bench flops` ---------------------------------------------------------

DEFAULT_BUDGETS = (512, 2048, 8192)
PROMPT_TOKENS = 32


def budget_text(lines: Sequence[str], budget: int, count: Callable[[str], int]) -> str:
    """Lines joined by spaces (cycling when the corpus is short) and cut to at most ``budget`` subword tokens.

    The cut falls on a character boundary that does not strand a combining mark.
    """
    import unicodedata

    if not lines:
        raise InputError("no lines to fill a token budget")
    parts: list[str] = []
    used = 0
    i = 0
    while used < budget:  # line-wise estimate, then exact on the joined text
        line = lines[i % len(lines)]
        parts.append(line)
        used += count(line) + 1
        i += 1
    text = " ".join(parts)
    while count(text) < budget:
        text += " " + lines[i % len(lines)]
        i += 1
    lo, hi = 0, len(text)  # longest prefix with count <= budget
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if count(text[:mid]) <= budget:
            lo = mid
        else:
            hi = mid - 1
    while lo > 0 and lo < len(text) and unicodedata.category(text[lo])[0] == "M":
        lo -= 1
    return text[:lo].rstrip()


def account_flops(
    corpus: str | Path | None = None,
    budgets: Sequence[int] = DEFAULT_BUDGETS,
    config: Any = "qwen2.5-vl-7b",
    profile: Any = "seetok",
    tokenizer: str = "qwen2.5",
    prompt_tokens: int = PROMPT_TOKENS,
    languages: Sequence[str] | None = None,
    progress: Callable[[str, int], None] | None = None,
) -> dict[str, Any]:
    """Subword vs rendered prefill FLOPs per (language, budget) over a corpus, plus means per budget.

    For each language, lines are joined (cycled if short) to ``budget`` subword
    tokens of ``tokenizer``; that text is rendered with ``profile`` (all spilled
    images count) and both arms get ``prompt_tokens`` more text tokens.
    ``progress(label, total)`` is called before each (language, budget).
    """
    from mmx.render.engine import Renderer
    from mmx.render.profiles import get_profile
    from mmx.render.tokens import corpus_files, language_tag, load_tokenizer, read_lines

    dims = load_dims(config)
    budgets = [int(b) for b in budgets]
    if not budgets or min(budgets) < 1:
        raise InputError("token budgets must be positive integers, e.g. --tokens 512,2048,8192")
    if prompt_tokens < 0:
        raise InputError("--prompt-tokens must be >= 0")
    prof = get_profile(profile) if isinstance(profile, str) else profile
    if prof.patch_size != dims.patch_size or prof.merge not in (1, dims.spatial_merge_size):
        raise InputError(f"profile {prof.name!r} has {prof.patch_size} px patches; {dims.name} reads "
                         f"{dims.patch_size} px patches merged {dims.spatial_merge_size}x{dims.spatial_merge_size}")
    prof = prof.replace(max_images=max(prof.max_images, 4096), overflow="spill")
    from mmx.assets import samples_dir

    root = samples_dir() if corpus is None else Path(corpus)
    files = corpus_files(root)
    if languages:
        known = {code for code, _ in files}
        unknown = [x for x in languages if x not in known]
        if unknown:
            raise InputError(f"--languages: {', '.join(unknown)} not in the corpus (it has {', '.join(sorted(known))})")
        files = [(c, f) for c, f in files if c in set(languages)]
    corpus_lines = [(code, read_lines(f)) for code, f in files]
    if not any(lines for _, lines in corpus_lines):
        raise InputError(f"--corpus {str(root)!r} holds no non-empty lines")
    tok = load_tokenizer(tokenizer)
    rows: list[dict[str, Any]] = []
    skipped = [code for code, lines in corpus_lines if not lines]
    total = len(budgets) * (len(corpus_lines) - len(skipped))
    for code, lines in corpus_lines:
        if not lines:
            continue
        renderer = Renderer(prof.replace(language=language_tag(code) or prof.language))
        for budget in budgets:
            if progress:
                progress(f"{code} {budget}", total)
            text = budget_text(lines, budget, tok.count)
            res = renderer.render(text)
            grids = [image_grid(a.shape[0], a.shape[1], dims) for a in res.arrays]
            n_sub = tok.count(text)
            t = text_prefill_flops(dims, n_sub + prompt_tokens)
            v = visual_prefill_flops(dims, [g[0] for g in grids], [g[1] for g in grids], prompt_tokens)
            visual = v.vision_detail.tokens if v.vision_detail else 0
            rows.append({
                "language": code, "budget": budget, "chars": len(text), "subword_tokens": n_sub,
                "visual_tokens": visual, "renderer_visual_tokens": res.visual_tokens,
                "ratio": n_sub / visual if visual else None, "images": len(res.arrays),
                "grids": [list(g) for g in grids], "truncated": res.truncated,
                "missing_glyphs": len(res.missing_glyphs),
                "text_tflops": t.total / 1e12, "visual_tflops": v.total / 1e12, "vision_tflops": v.vision / 1e12,
                "saved": 1 - v.total / t.total,
                "text": t.to_dict(), "visual": v.to_dict(),
            })
    keys = ("subword_tokens", "visual_tokens", "ratio", "images", "text_tflops", "visual_tflops",
            "vision_tflops", "saved")
    means = []
    for budget in budgets:
        sel = [r for r in rows if r["budget"] == budget]
        means.append({"language": "mean", "budget": budget,
                      **{k: sum(r[k] or 0 for r in sel) / len(sel) for k in keys}, "languages": len(sel)})
    return {"config": dims.name, "dims": dims.to_dict(), "profile": prof.name, "tokenizer": tok.name,
            "corpus": "mmx/assets/samples" if corpus is None else str(corpus), "budgets": budgets,
            "prompt_tokens": prompt_tokens, "rows": rows, "mean": means, "skipped": skipped,
            "counting": "2 FLOPs per multiply-add; matmuls only; causal LM attention; LM head on the last token"}


def markdown_table(result: dict[str, Any]) -> str:
    """The result of :func:`account_flops` as a Markdown table (one row per language and budget, then means)."""
    head = ("| language | budget | subword tokens | visual tokens | ratio | images | text-arm TFLOPs | "
            "visual-arm TFLOPs (encoder) | FLOPs saved |")
    lines = [head, "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in [*result["rows"], *result["mean"]]:
        name = f"**{r['language']}**" if r["language"] == "mean" else r["language"]
        ratio = f"{r['ratio']:.2f}" if r["ratio"] else "-"
        subword = f"{r['subword_tokens']:,.0f}"
        visual = f"{r['visual_tokens']:,.0f}"
        images = f"{r['images']:.1f}" if r["language"] == "mean" else str(r["images"])
        lines.append(f"| {name} | {r['budget']:,} | {subword} | {visual} | {ratio} | {images} | "
                     f"{r['text_tflops']:.2f} | {r['visual_tflops']:.2f} ({r['vision_tflops']:.2f}) | "
                     f"{100 * r['saved']:.1f}% |")
    return "\n".join(lines) + "\n"
