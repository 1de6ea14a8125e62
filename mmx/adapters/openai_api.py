"""``--model openai``: any model behind an OpenAI-compatible API (OpenAI's own, vLLM, SGLang,
``transformers serve``...), asked over the wire with many requests in flight.

``--model-args model=NAME,base_url=URL,concurrency=N``. One adapter, three capabilities:

- ``answer``: ``/v1/chat/completions``; the bench's prompt as text after each image as a
  base64 PNG data URL (images above ``max_pixels`` are scaled down first, aspect kept: the
  pixel budget of :mod:`mmx.hub`), temperature 0, ``max_tokens`` and ``seed`` settable; the
  first choice's text is the prediction;
- ``embed``: ``/v1/embeddings`` for text (one request per text; rows L2-normalized so a dot
  product is the cosine); music and images are refused in one line naming adapters that can;
- ``generate_images``: ``/v1/images/generations`` with ``response_format=b64_json``, ``n``
  images per request and ``size`` as given.

Requests go through :class:`~mmx.adapters.api_client.ApiClient` (concurrency, retries,
failures) and the :class:`~mmx.adapters.response_cache.ResponseCache` (an answer is paid for
once, whatever the run, its ``--out`` or its metric). The key comes from the environment
(``api_key_env``, default ``OPENAI_API_KEY``) and is never recorded; ``base_url`` (default
``$OPENAI_BASE_URL``) is recorded without credentials or query string.
"""

from __future__ import annotations

import base64
import hashlib
import io
import math
import os
from typing import Annotated, Any, ClassVar

from mmx.adapters.api_client import ApiClient, BadResponse, Call, Failed, public_url
from mmx.adapters.base import EmbedRequest, ImageRequest, ModelAdapter, VqaRequest
from mmx.errors import InputError, MmxError, RequestsFailed
from mmx.options import Count, NonNegative, Range

__all__ = ["DEFAULT_MAX_PIXELS", "OpenAIModel", "fit_pixels"]

#: Qwen2-VL's and Qwen2.5-VL's own default budget (16384 patches of 28 x 28 pixels): a served
#: Qwen sees what ``--model hf:...`` shows it, and an image never grows a request past ~50 MB
DEFAULT_MAX_PIXELS = 16384 * 28 * 28
OWNER = "--model openai"


def fit_pixels(image: Any, max_pixels: int | None) -> tuple[Any, bool]:
    """``image`` in RGB, scaled down (aspect kept) so that width x height <= ``max_pixels``:
    the rule of :func:`mmx.hub.set_pixel_budget`'s ``max_pixels`` (Qwen2-VL's budget, pixels
    per image), applied before sending. Returns ``(image, resized)``."""
    from PIL import Image

    img = image if image.mode == "RGB" else image.convert("RGB")
    w, h = img.size
    if max_pixels is None or w * h <= max_pixels:
        return img, False
    scale = math.sqrt(max_pixels / (w * h))
    size = (max(1, math.floor(w * scale)), max(1, math.floor(h * scale)))
    return img.resize(size, Image.Resampling.BICUBIC), True


def _pixels_id(img: Any) -> str:
    """What identifies an image in a cache key: its pixels, not its PNG bytes (which another
    Pillow or zlib may encode differently: that must not cost a second request)."""
    h = hashlib.sha256(f"{img.mode}:{img.size[0]}x{img.size[1]}:".encode())
    h.update(img.tobytes())
    return "pixels-sha256:" + h.hexdigest()


def _png_data_url(img: Any) -> str:
    buf = io.BytesIO()
    # compress_level 1: a quarter of the default's time for a slightly larger upload
    img.save(buf, format="PNG", compress_level=1)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


class OpenAIModel(ModelAdapter):
    """A model behind an OpenAI-compatible server (see the module docstring).

    Model args: ``model`` (the served name; required), ``base_url`` (default
    ``$OPENAI_BASE_URL``, else OpenAI's), ``api_key_env`` (the variable holding the key,
    default ``OPENAI_API_KEY``; a local server needs none), ``concurrency`` (requests in
    flight, default 8), ``batch_size`` (samples the runner hands over at once, default
    4 x concurrency), ``max_tokens`` (64), ``seed`` (0; ``none`` sends none),
    ``max_pixels`` (per image; ``none``: never resize), ``n`` (images per image request, 1),
    ``size`` (image size, e.g. ``1024x1024``; default the server's), ``timeout`` (seconds per
    try, 300), ``max_retries`` (5), ``retry_wait`` (first backoff in seconds, 1), ``cache``
    (true), ``cache_dir`` (default ``$MMX_CACHE/responses``), ``price_in`` / ``price_out``
    (per million tokens, for the cost in results), ``probe`` (true: check the server and the
    model with ``GET /models`` before anything is scored).
    """

    name = "openai"
    capabilities: ClassVar[frozenset[str]] = frozenset({"answer", "embed", "generate_images"})
    smoke_args: ClassVar[dict[str, Any] | None] = None  # needs a server: tests/adapters/test_openai_api.py starts one

    def __init__(self, model: str | None = None, base_url: str | None = None, api_key_env: str = "OPENAI_API_KEY",
                 concurrency: Count = 8, batch_size: Count | None = None, max_tokens: Count = 64,
                 seed: int | None = 0, max_pixels: Count | None = DEFAULT_MAX_PIXELS, n: Count = 1,
                 size: str | None = None, timeout: Annotated[float, Range(0.001)] = 300.0,
                 max_retries: Annotated[int, Range(0)] = 5, retry_wait: NonNegative = 1.0,
                 cache: bool = True, cache_dir: str | None = None, price_in: NonNegative | None = None,
                 price_out: NonNegative | None = None, probe: bool = True, api_key: Any = None) -> None:
        # types and ranges are checked by create_model (mmx.options) before anything is built
        if api_key is not None:
            raise InputError(f"{OWNER}: never put the key in --model-args (it would land in shell history and "
                             "run.json); export it and name the variable: api_key_env=NAME (default OPENAI_API_KEY)")
        if model is None or str(model).strip() == "":
            raise InputError(f"{OWNER} needs the served model's name: --model-args model=NAME (e.g. "
                             "model=gpt-4o, or the name vLLM serves, model=Qwen/Qwen2.5-VL-7B-Instruct)")
        self.model = str(model)
        self.concurrency = int(concurrency)
        self.batch_size = int(4 * self.concurrency if batch_size is None else batch_size)
        self.max_tokens = int(max_tokens)
        self.seed = seed
        self.max_pixels = None if max_pixels is None else int(max_pixels)
        self.n = int(n)
        self.size = None if size is None else str(size)
        self.prices = (_price("price_in", price_in), _price("price_out", price_out))
        url = str(base_url) if base_url is not None else os.environ.get("OPENAI_BASE_URL") or None
        if url is not None and not url.startswith(("http://", "https://")):
            raise InputError(f"{OWNER}: base_url={public_url(url)} is not an http:// or https:// address "
                             "(e.g. base_url=http://127.0.0.1:8000/v1)")
        key = os.environ.get(str(api_key_env), "")
        if not key:
            if url is None or api_key_env != "OPENAI_API_KEY":
                raise InputError(f"{OWNER}: ${api_key_env} is not set: export the API key there (api_key_env=NAME "
                                 "names another variable); a local server needs none, only base_url=http://HOST:PORT/v1")
            key = "EMPTY"  # vLLM's and SGLang's placeholder: a server started without --api-key ignores it
        self.base_url = url
        self.images_resized = 0
        from mmx.adapters.response_cache import ResponseCache, default_cache_dir

        self.cache = ResponseCache(cache_dir if cache_dir is not None else default_cache_dir()) if cache else None
        self.client = ApiClient(owner=OWNER, model=self.model, base_url=url, api_key=key, key_env=str(api_key_env),
                                concurrency=self.concurrency, timeout=float(timeout), max_retries=max_retries,
                                retry_wait=float(retry_wait), cache=self.cache)
        self.listed: list[str] = self.client.probe() if probe else []

    # -- the verbs ----------------------------------------------------------------------------
    def answer(self, requests: list[VqaRequest]) -> list[str]:
        """The first choice's text per request (chat completions), in order."""
        return self._run([self._chat_call(r) for r in requests])

    def embed(self, requests: list[EmbedRequest]) -> Any:
        """One L2-normalized float32 row per text (``/v1/embeddings``)."""
        import numpy as np

        for r in requests:
            if r.modality != "text" or not isinstance(r.content, str):
                from mmx.adapters import adapters_for

                others = [a for a in adapters_for("embed", embeds=(str(r.modality),)) if a != self.name]
                raise MmxError(f"{OWNER} embeds text only (/v1/embeddings), and request {r.id!r} is "
                               f"{r.modality}; adapters that embed {r.modality}: {', '.join(others) or 'none'}")
        rows = self._run([self._embed_call(r) for r in requests])
        if not rows:
            return np.zeros((0, 0), dtype=np.float32)
        dims = {len(v) for v in rows}
        if len(dims) > 1:
            raise MmxError(f"{OWNER}: {self.model} returned embeddings of different sizes {sorted(dims)}")
        out = np.asarray(rows, dtype=np.float32)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms > 0, norms, 1.0)

    def generate_images(self, requests: list[ImageRequest]) -> list[list[Any]]:
        """Per request, its wanted images; image ``k`` comes from the request covering it
        (``n`` images per request), asked only when a wanted image is in it."""
        calls: list[Call] = []
        starts: list[tuple[int, int]] = []  # per call: (request index, its first image's index)
        for i, r in enumerate(requests):
            wanted = set(r.wanted())
            for start in range(0, r.n, self.n):
                count = min(self.n, r.n - start)
                if wanted.intersection(range(start, start + count)):
                    calls.append(self._image_call(r, start, count))
                    starts.append((i, start))
        got = self._run(calls)
        by_index: list[dict[int, Any]] = [{} for _ in requests]
        for (i, start), images in zip(starts, got):
            for j, img in enumerate(images):
                by_index[i][start + j] = img
        return [[by_index[i][k] for k in r.wanted()] for i, r in enumerate(requests)]

    # -- requests -----------------------------------------------------------------------------
    def _run(self, calls: list[Call]) -> list[Any]:
        """The results of ``calls``; :class:`RequestsFailed` when some failed for good."""
        results = self.client.run(calls)
        failed = {c.id: r.reason for c, r in zip(calls, results) if isinstance(r, Failed)}
        if failed:
            memo = {c.key: r for c, r in zip(calls, results)}
            first = next(iter(failed.values()))
            raise RequestsFailed(f"{OWNER}: {len(failed)} of {len(calls)} requests to {self.client.where} failed "
                                 f"(first: {first})", failed, replay=lambda: self.client.replaying(memo))
        return results

    def _base(self) -> dict[str, Any]:
        return {"model": self.model}

    def _chat_call(self, r: VqaRequest) -> Call:
        images = []
        for im in r.images:
            img, resized = fit_pixels(im, self.max_pixels)
            self.images_resized += resized
            images.append(img)

        def body(urls: list[str]) -> dict[str, Any]:
            content: Any = r.text()
            if urls:  # images first, then the text, as the hf adapter's chat template places them
                content = [*({"type": "image_url", "image_url": {"url": u}} for u in urls),
                           {"type": "text", "text": r.text()}]
            out = {**self._base(), "messages": [{"role": "user", "content": content}], "temperature": 0,
                   "max_tokens": self.max_tokens}
            if self.seed is not None:
                out["seed"] = self.seed
            return out

        from mmx.adapters.response_cache import request_key

        return Call(id=r.id, endpoint="chat", key=lambda: request_key(["chat", body([_pixels_id(i) for i in images])]),
                    build=lambda: body([_png_data_url(img) for img in images]), extract=_chat_text)

    def _embed_call(self, r: EmbedRequest) -> Call:
        from mmx.adapters.response_cache import request_key

        payload = {**self._base(), "input": [r.content], "encoding_format": "float"}
        return Call(id=r.id, endpoint="embeddings", key=request_key(["embeddings", payload]),
                    build=lambda: payload, extract=_embedding)

    def _image_call(self, r: ImageRequest, start: int, count: int) -> Call:
        from mmx.adapters.response_cache import request_key

        payload = {**self._base(), "prompt": r.prompt, "n": count, "response_format": "b64_json"}
        if self.size is not None:
            payload["size"] = self.size
        # the images API takes no seed; image k of a request is seeded seed + k (mmx.adapters.base),
        # so the key holds the seed of the first image asked: equal prompts never share images
        key = request_key(["images", payload, {"first_image_seed": r.seed + start}])
        return Call(id=r.id, endpoint="images", key=key, build=lambda: payload,
                    extract=lambda body: _images(body, count))

    # -- what the run records -----------------------------------------------------------------
    def progress_status(self) -> str:
        """Requests in flight, tokens, cache hits, retries and failures, for the progress bar."""
        return self.client.status()

    def usage(self) -> dict[str, Any]:
        """Requests sent vs served from the cache, retries, failures, tokens and (with prices) the cost."""
        u = self.client.usage
        out: dict[str, Any] = {"requests_sent": u.sent, "requests_cached": u.cached, "tries": u.attempts,
                               "retries": u.retries, "failed": u.failed, "prompt_tokens": u.prompt_tokens,
                               "completion_tokens": u.completion_tokens,
                               "cached_prompt_tokens": u.cached_prompt_tokens,
                               "cached_completion_tokens": u.cached_completion_tokens}
        pin, pout = self.prices
        if pin is not None or pout is not None:
            out["cost"] = round(((pin or 0.0) * u.prompt_tokens + (pout or 0.0) * u.completion_tokens) / 1e6, 6)
            out["cost_saved_by_cache"] = round(((pin or 0.0) * u.cached_prompt_tokens
                                                + (pout or 0.0) * u.cached_completion_tokens) / 1e6, 6)
            out["price_per_million_tokens"] = {"in": pin, "out": pout}
        if u.retry_reasons:
            out["first_retry_reasons"] = list(u.retry_reasons)
        return out

    def notes(self) -> list[str]:
        u = self.client.usage
        out = [f"{OWNER} ({self.model} at {self.client.where}): {u.sent} requests sent, {u.cached} served from the "
               f"cache{'' if self.cache is not None else ' (cache=false)'}, {u.retries} retries, {u.failed} failed; "
               f"tokens {u.prompt_tokens} in / {u.completion_tokens} out"
               + (f"; cost {self.usage()['cost']:.4f} at the prices given" if "cost" in self.usage() else "")]
        if self.images_resized:
            out.append(f"{OWNER}: {self.images_resized} images above max_pixels={self.max_pixels} were scaled down "
                       "(aspect kept) before sending")
        return out

    def describe(self) -> dict[str, Any]:
        import importlib.metadata as md

        try:
            version = md.version("openai")
        except md.PackageNotFoundError:  # pragma: no cover - the client is imported by now
            version = None
        return {
            "name": self.name, "baseline": False, "capabilities": sorted(self.capabilities),
            "model": self.model, "base_url": self.client.where, "concurrency": self.concurrency,
            "temperature": 0, "max_tokens": self.max_tokens, "seed": self.seed, "max_pixels": self.max_pixels,
            "images_resized": self.images_resized, "n": self.n, "size": self.size,
            "timeout": self.client.timeout, "max_retries": self.client.max_retries,
            "cache": str(self.cache.path) if self.cache is not None else False,
            "usage": self.usage(), "openai": version,
        }

    def close(self) -> None:
        """Stop the client's loop and close the cache (tests and scripts that make many adapters)."""
        self.client.close()
        if self.cache is not None:
            self.cache.close()


def _price(key: str, value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise InputError(f"{OWNER}: {key} must be a non-negative number (per million tokens), not {value!r}")
    return float(value)


def _chat_text(body: dict[str, Any]) -> str:
    choices = body.get("choices")
    if not isinstance(choices, list) or not choices:
        raise BadResponse("the response has no choices")
    first = choices[0] if isinstance(choices[0], dict) else {}
    content = (first.get("message") or {}).get("content") if isinstance(first.get("message"), dict) else None
    if isinstance(content, list):  # content parts
        content = "".join(p.get("text", "") for p in content if isinstance(p, dict))
    if not isinstance(content, str) or not content.strip():
        raise BadResponse(f"the response has no text (finish_reason={first.get('finish_reason')})")
    return content


def _embedding(body: dict[str, Any]) -> list[float]:
    data = body.get("data")
    if not isinstance(data, list) or not data or not isinstance(data[0], dict):
        raise BadResponse("the response has no embedding")
    vec = data[0].get("embedding")
    if not isinstance(vec, list) or not vec or not all(isinstance(x, (int, float)) and math.isfinite(x) for x in vec):
        raise BadResponse("the response's embedding is not a list of finite numbers")
    return [float(x) for x in vec]


def _images(body: dict[str, Any], count: int) -> list[Any]:
    from PIL import Image, UnidentifiedImageError

    data = body.get("data")
    if not isinstance(data, list) or len(data) != count:
        got = len(data) if isinstance(data, list) else 0
        raise BadResponse(f"the response has {got} images for {count} asked")
    out = []
    for d in data:
        b64 = d.get("b64_json") if isinstance(d, dict) else None
        if not isinstance(b64, str):
            raise BadResponse("an image of the response has no b64_json (does the server take response_format?)")
        try:
            img = Image.open(io.BytesIO(base64.b64decode(b64)))
            img.load()
        except (ValueError, OSError, UnidentifiedImageError) as exc:
            raise BadResponse(f"an image of the response cannot be decoded ({exc})") from None
        out.append(img.convert("RGB"))
    return out
