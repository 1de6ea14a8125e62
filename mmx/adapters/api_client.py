"""Many requests to an OpenAI-compatible server at once, each paid for at most once.

:class:`ApiClient` runs the official ``openai`` client (async) on an event loop of its own
(one daemon thread), so that the adapters' verbs stay plain functions: a call hands over a
list of :class:`Call`, waits, and gets one result per call, in order. Inside:

- at most ``concurrency`` requests are in flight;
- every call is first looked up in the :class:`~mmx.adapters.response_cache.ResponseCache`,
  and a call equal to one in flight waits for that one's answer instead of being sent;
- 408 / 409 / 425 / 429 / 5xx answers, dropped connections and timeouts are retried up to
  ``max_retries`` times, after the server's ``Retry-After`` when it gives one, else after an
  exponential backoff with jitter;
- 401 / 403 / 404 stop everything at once (:class:`~mmx.errors.MmxError`, one line): a bad
  key or an unknown model fails every request alike;
- any other answer that is no good (another 4xx, a body that is not JSON, a response the
  call's ``extract`` rejects) is a :class:`Failed` result with its reason, and is not cached;
- a good answer is committed to the cache before it is returned.

The API key lives only in the client object: messages are scrubbed of it
(:meth:`ApiClient.scrub`) and nothing here writes it anywhere.
"""

from __future__ import annotations

import asyncio
import contextlib
import email.utils
import json
import random
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit, urlunsplit

from mmx.errors import InputError, MmxError

__all__ = ["ApiClient", "BadResponse", "Call", "Failed", "Usage", "public_args", "public_url"]

#: statuses worth asking again: timeouts, conflicts, too early, rate limits, server errors
RETRY_STATUS = frozenset({408, 409, 425, 429})
#: statuses that mean every request will fail alike: stop the run
FATAL_STATUS = {401: "the key was refused", 403: "the key may not use this", 404: "not found"}
#: the longest wait a Retry-After header is honoured for (a longer one is capped, and said)
MAX_RETRY_AFTER = 120.0
#: the longest exponential backoff between two tries
MAX_BACKOFF = 60.0


class BadResponse(Exception):
    """Raised by a :class:`Call`'s ``extract`` for a response it cannot use (the message is the reason)."""


@dataclass
class Call:
    """One request: which endpoint, its cache key, how to build the JSON body (only on a cache
    miss: image encoding is not free) and how to turn the response body into the result.

    ``key`` may be given as a function: it is then computed on a worker thread when the call is
    run (hashing an image's pixels takes milliseconds: a batch's worth would stall the sending)
    and replaced by its value."""

    id: str
    #: ``chat``, ``embeddings`` or ``images``
    endpoint: str
    key: str | Callable[[], str]
    build: Callable[[], dict[str, Any]]
    extract: Callable[[dict[str, Any]], Any]


@dataclass
class Failed:
    """A call that failed for good, and why."""

    id: str
    reason: str


@dataclass
class Usage:
    """What the client did, for the progress bar and ``results.json``."""

    #: requests that went to the server at least once (answered or failed)
    sent: int = 0
    #: requests answered from the cache (nothing sent)
    cached: int = 0
    #: tries, retries included
    attempts: int = 0
    retries: int = 0
    #: requests that still failed after their retries
    failed: int = 0
    in_flight: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    #: tokens of the answers served from the cache (paid for by an earlier run)
    cached_prompt_tokens: int = 0
    cached_completion_tokens: int = 0
    #: the first few reasons for retries, to tell what went wrong
    retry_reasons: list[str] = field(default_factory=list)

    def add_tokens(self, body: dict[str, Any], cached: bool) -> None:
        usage = body.get("usage") if isinstance(body, dict) else None
        if not isinstance(usage, dict):
            return
        # chat and embeddings say prompt/completion_tokens; the images API input/output_tokens
        pin = _int(usage.get("prompt_tokens", usage.get("input_tokens")))
        pout = _int(usage.get("completion_tokens", usage.get("output_tokens")))
        if cached:
            self.cached_prompt_tokens += pin
            self.cached_completion_tokens += pout
        else:
            self.prompt_tokens += pin
            self.completion_tokens += pout


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def public_url(url: str | None) -> str | None:
    """``url`` without user, password, query string or fragment (what may be recorded)."""
    if not url:
        return url
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:  # an IPv6 address goes back in brackets
        host = f"[{host}]"
    netloc = host + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def public_args(args: dict[str, Any]) -> dict[str, Any]:
    """``args`` (``--model-args``) as they may be recorded: every http(s) address among the
    values made public (:func:`public_url`); the rest as given."""
    return {k: public_url(v) if isinstance(v, str) and v.lower().startswith(("http://", "https://")) else v
            for k, v in args.items()}


class _Loop:
    """An asyncio loop running in a daemon thread; :meth:`run` waits for a coroutine from any thread."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="mmx-api-client", daemon=True)
        self.thread.start()

    def run(self, coro: Any) -> Any:
        fut = asyncio.run_coroutine_threadsafe(coro, self.loop)
        try:
            return fut.result()
        except BaseException:
            # Ctrl-C or an error while waiting: cancel what is in flight (it is simply not cached)
            fut.cancel()
            raise

    def close(self) -> None:
        if self.loop.is_running():
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(timeout=10)
        if not self.loop.is_running():
            self.loop.close()


class ApiClient:
    """Sends :class:`Call` lists to one OpenAI-compatible server (see the module docstring).

    ``owner`` starts every message (``--model openai``); ``model`` is the served model's name;
    ``cache`` a :class:`~mmx.adapters.response_cache.ResponseCache` or None."""

    def __init__(self, *, owner: str, model: str, base_url: str | None, api_key: str, key_env: str,
                 concurrency: int, timeout: float, max_retries: int, retry_wait: float, cache: Any) -> None:
        self.owner, self.model, self.base_url, self.key_env = owner, model, base_url, key_env
        self._api_key = api_key
        self.concurrency, self.timeout, self.max_retries, self.retry_wait = concurrency, timeout, max_retries, retry_wait
        self.cache = cache
        self.usage = Usage()
        #: key -> result or Failed, answered from memory instead of the server (see :meth:`replaying`)
        self._replay: dict[str, Any] | None = None
        #: key -> the answer of the equal request in flight now
        self._inflight: dict[str, asyncio.Future[Any]] = {}
        self._loop = _Loop()
        self._client, self._sem = self._loop.run(self._open())

    async def _open(self) -> tuple[Any, asyncio.Semaphore]:
        from mmx.deps import require

        openai = require("openai", f"{self.owner}")
        base, query = self.base_url, None
        if base:  # the client would glue the path after a query string: pass it as its default query
            parts = urlsplit(base)
            base = urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
            query = dict(parse_qsl(parts.query)) or None
        # retries are ours (counted, capped, Retry-After honoured): the client's own are off
        client = openai.AsyncOpenAI(api_key=self._api_key, base_url=base, timeout=self.timeout, max_retries=0,
                                    default_query=query)
        return client, asyncio.Semaphore(self.concurrency)

    @property
    def where(self) -> str:
        """The server, as it may be shown and recorded."""
        return (public_url(str(self._client.base_url)) or "the server").rstrip("/")

    def scrub(self, text: str) -> str:
        """``text`` with the API key (and any credentials of the base URL) replaced by ``***``."""
        secrets = [self._api_key] if len(self._api_key) >= 4 else []
        if self.base_url:
            parts = urlsplit(self.base_url)
            secrets += [s for s in (parts.password, parts.username, parts.query) if s and len(s) >= 4]
        for s in secrets:
            text = text.replace(s, "***")
        return text

    # -- probing ------------------------------------------------------------------------------
    def probe(self) -> list[str]:
        """Ask ``GET /models`` once: the models the server lists (empty when it lists none or
        has no such endpoint). An unreachable server, a refused key or a model the server
        does not list raise one line."""
        return self._loop.run(self._probe())

    async def _probe(self) -> list[str]:
        import openai

        try:
            raw = await self._client.models.with_raw_response.list(timeout=min(self.timeout, 30.0))
        except openai.APIStatusError as exc:
            if exc.status_code in (401, 403):
                raise MmxError(self._fatal_line(exc.status_code, exc, "GET /models")) from None
            return []  # no /models (404) or a busy server: the requests will tell
        except openai.APIConnectionError as exc:
            raise InputError(f"{self.owner}: cannot reach base_url {self.where} ({self._cause(exc)}); "
                             "is the server running, and is base_url its /v1 address?") from None
        try:
            listed = [str(m.get("id")) for m in json.loads(raw.text).get("data", []) if isinstance(m, dict)]
        except (ValueError, AttributeError):
            return []
        if listed and self.model not in listed:
            shown = ", ".join(listed[:8]) + (" ..." if len(listed) > 8 else "")
            raise InputError(f"{self.owner}: {self.where} serves no model {self.model!r}; it lists: {shown} "
                             "(model=NAME; probe=false skips this check)")
        return listed

    # -- sending ------------------------------------------------------------------------------
    def run(self, calls: list[Call]) -> list[Any]:
        """One result per call, in order: what the call's ``extract`` made of the answer, or a
        :class:`Failed`. Raises :class:`MmxError` at once for 401 / 403 / 404."""
        if not calls:
            return []
        return self._loop.run(self._gather(calls))

    async def _gather(self, calls: list[Call]) -> list[Any]:
        tasks = [asyncio.ensure_future(self._one(c)) for c in calls]
        try:
            return list(await asyncio.gather(*tasks))
        except BaseException:
            for t in tasks:  # one fatal answer stops the others too
                t.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            raise

    @contextlib.contextmanager
    def replaying(self, results: dict[str, Any]) -> Iterator[None]:
        """While inside, calls whose key is in ``results`` get that result (an answer, or a
        :class:`Failed` again) without anything being sent or counted."""
        self._replay = results
        try:
            yield
        finally:
            self._replay = None

    async def _one(self, call: Call) -> Any:
        if callable(call.key):
            call.key = await asyncio.to_thread(call.key)
        if self._replay is not None and call.key in self._replay:
            got = self._replay[call.key]
            return Failed(call.id, got.reason) if isinstance(got, Failed) else got
        hit = self.cache.get(call.key) if self.cache is not None else None
        if hit is not None:
            try:
                body = json.loads(hit)
                result = call.extract(body)
            except (ValueError, BadResponse):
                pass  # a damaged row: ask the server again
            else:
                self.usage.cached += 1
                self.usage.add_tokens(body, cached=True)
                return result
        pending = self._inflight.get(call.key)
        if pending is not None:  # the same request is in flight already: share its answer, pay once
            got = await asyncio.shield(pending)
            self.usage.cached += 1
            return Failed(call.id, got.reason) if isinstance(got, Failed) else got
        fut = asyncio.get_running_loop().create_future()
        self._inflight[call.key] = fut
        try:
            result = await self._fetch(call)
        except BaseException:
            fut.cancel()
            raise
        finally:
            self._inflight.pop(call.key, None)
        fut.set_result(result)
        return result

    async def _fetch(self, call: Call) -> Any:
        """Send ``call`` (retrying), check the answer, cache it: the result or a :class:`Failed`."""
        # built before taking a slot: the next requests' images are encoded while these are in
        # flight (on worker threads: PNG encoding releases the GIL)
        payload = await asyncio.to_thread(call.build)
        async with self._sem:
            self.usage.in_flight += 1
            self.usage.sent += 1
            try:
                text = await self._send(call, payload)
            finally:
                self.usage.in_flight -= 1
        if isinstance(text, Failed):
            self.usage.failed += 1
            return text
        try:
            body = json.loads(text)
            if not isinstance(body, dict):
                raise BadResponse(f"the response is JSON but not an object ({type(body).__name__})")
            result = call.extract(body)
        except ValueError:
            self.usage.failed += 1
            return Failed(call.id, f"the response is not JSON: {self.scrub(text[:80])!r}")
        except BadResponse as exc:
            self.usage.failed += 1
            return Failed(call.id, self.scrub(str(exc)))
        self.usage.add_tokens(body, cached=False)
        if self.cache is not None:
            self.cache.put(call.key, call.endpoint, self.model, text)
        return result

    async def _post(self, endpoint: str, payload: dict[str, Any]) -> Any:
        c = self._client
        if endpoint == "chat":
            return await c.chat.completions.with_raw_response.create(**payload)
        if endpoint == "embeddings":
            return await c.embeddings.with_raw_response.create(**payload)
        if endpoint == "images":
            return await c.images.with_raw_response.generate(**payload)
        raise ValueError(f"unknown endpoint {endpoint!r}")

    async def _send(self, call: Call, payload: dict[str, Any]) -> str | Failed:
        """The response body of the first try that the server answers with 2xx; a
        :class:`Failed` when the tries run out or the answer will not change."""
        import openai

        reason = ""
        for attempt in range(self.max_retries + 1):
            if attempt:
                self.usage.retries += 1
                if len(self.usage.retry_reasons) < 5:
                    self.usage.retry_reasons.append(reason)
            self.usage.attempts += 1
            wait: float | None = None
            try:
                raw = await self._post(call.endpoint, payload)
                return str(raw.text)
            except openai.APITimeoutError:
                reason = f"no answer within timeout={self.timeout:g}s"
            except openai.APIConnectionError as exc:
                reason = f"connection failed ({self._cause(exc)})"
            except openai.APIStatusError as exc:
                status = exc.status_code
                if status in FATAL_STATUS:
                    raise MmxError(self._fatal_line(status, exc, call.endpoint)) from None
                reason = f"HTTP {status}: {self._server_says(exc)}"
                if status not in RETRY_STATUS and status < 500:
                    return Failed(call.id, reason)  # 400, 413, 422...: asking again changes nothing
                wait = _retry_after(exc.response.headers)
            if attempt == self.max_retries:
                break
            if wait is None:
                # exponential backoff with equal jitter: ranks and requests do not retry in step
                d = min(self.retry_wait * 2**attempt, MAX_BACKOFF)
                wait = d / 2 + random.uniform(0, d / 2)
            await asyncio.sleep(min(wait, MAX_RETRY_AFTER))
        tries = self.max_retries + 1
        return Failed(call.id, f"{reason} ({tries} {'try' if tries == 1 else 'tries'})")

    # -- messages -----------------------------------------------------------------------------
    def _server_says(self, exc: Any) -> str:
        body = getattr(exc, "body", None)
        msg = ""
        if isinstance(body, dict):
            err = body.get("error", body)
            msg = str(err.get("message") or err.get("detail") or "") if isinstance(err, dict) else str(err)
        if not msg:
            msg = str(getattr(exc, "message", "") or exc)
        return self.scrub(" ".join(msg.split())[:200])

    def _fatal_line(self, status: int, exc: Any, what: str) -> str:
        hint = {401: f"Check the key in ${self.key_env} (api_key_env=NAME names another variable)",
                403: f"Check the key in ${self.key_env} and what it may use",
                404: f"Is model={self.model} served there, and is base_url its /v1 address?"}[status]
        return (f"{self.owner}: {self.where} answered {status} ({FATAL_STATUS[status]}) to {what}: "
                f"{self._server_says(exc)}. {hint} (stopped at once: every request would fail alike)")

    def _cause(self, exc: BaseException) -> str:
        cause = exc.__cause__ or exc.__context__
        text = str(cause or exc) or type(cause or exc).__name__
        return self.scrub(" ".join(text.split())[:160])

    def status(self) -> str:
        """One short line for the progress bar."""
        u = self.usage
        out = f"{u.in_flight} in flight · {_k(u.prompt_tokens + u.completion_tokens)} tok"
        if u.cached:
            out += f" · {u.cached} cached"
        if u.retries:
            out += f" · {u.retries} retried"
        if u.failed:
            out += f" · {u.failed} failed"
        return out

    def close(self) -> None:
        """Close the HTTP client and stop the loop (the adapter is unusable afterwards)."""
        with contextlib.suppress(Exception):
            self._loop.run(self._client.close())
        self._loop.close()


def _k(n: int) -> str:
    return f"{n / 1000:.1f}k" if n >= 1000 else str(n)


def _retry_after(headers: Any) -> float | None:
    """Seconds the server asks to wait (``retry-after-ms``, ``retry-after`` in seconds or as an HTTP date)."""
    if headers is None:
        return None
    ms = headers.get("retry-after-ms")
    with contextlib.suppress(TypeError, ValueError):
        if ms is not None:
            return max(0.0, float(ms) / 1000)
    ra = headers.get("retry-after")
    if ra is None:
        return None
    try:
        return max(0.0, float(ra))
    except ValueError:
        pass
    with contextlib.suppress(TypeError, ValueError, IndexError):
        when = email.utils.parsedate_to_datetime(ra)
        return max(0.0, when.timestamp() - time.time())
    return None
