"""OpenAI-compatible servers on 127.0.0.1 for tests and benchmarks: a fake one that can
misbehave on purpose, and ``transformers serve`` on a local model folder.

:class:`FakeOpenAI` (standard library only, one thread per connection) answers
``GET /v1/models``, ``POST /v1/chat/completions``, ``/v1/embeddings`` and
``/v1/images/generations`` at once, deterministically (the same request gets the same
answer), and counts every request it receives. ``faults`` make it fail on purpose: each rule
is ``(substring, [action, action, ...])``; a request whose body contains the substring gets
the rule's first action the first time that exact body arrives, the second the second time,
and so on (then ``ok``). Actions:

``ok``, ``429`` (with ``Retry-After``), ``500``, ``400``, ``401``, ``404``, ``drop`` (close the
connection without an answer), ``slow`` (answer after ``slow_s`` seconds: past a client's
timeout), ``notjson`` (a 200 whose body is not JSON), ``empty`` (a 200 with no choices),
``notext`` (a 200 whose message content is empty).

:func:`transformers_serve` starts ``transformers serve FOLDER`` in a process of its own and
stops it (the whole process group) on exit.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import io
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

__all__ = ["FakeOpenAI", "free_port", "tiny_servable_vlm", "transformers_serve"]


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _texts(body: dict[str, Any]) -> str:
    """The text parts of a chat request's messages (images left out: cheap for large requests)."""
    out = []
    for msg in body.get("messages") or []:
        content = msg.get("content") if isinstance(msg, dict) else None
        if isinstance(content, str):
            out.append(content)
        elif isinstance(content, list):
            out += [p.get("text", "") for p in content if isinstance(p, dict) and p.get("type") == "text"]
    return "\n".join(out)


def _default_answer(body: dict[str, Any]) -> str:
    """A deterministic answer: a number from the hash of the request's text."""
    return str(int(hashlib.sha256(_texts(body).encode()).hexdigest()[:6], 16) % 100)


class FakeOpenAI:
    """A misbehaving-on-request OpenAI-compatible server (see the module docstring).

    ``received[h]`` counts requests per body hash ``h``; ``actions[h]`` lists what each got.
    Use as a context manager, or :meth:`start` / :meth:`stop`."""

    def __init__(self, model: str = "fake-model", api_key: str | None = None,
                 faults: list[tuple[str, list[str]]] | None = None, answer: Callable[[dict[str, Any]], str] | None = None,
                 retry_after: float = 0.05, slow_s: float = 2.0, delay_s: float = 0.0, dim: int = 8) -> None:
        self.model, self.api_key, self.faults = model, api_key, list(faults or [])
        self.answer = answer or _default_answer
        self.retry_after, self.slow_s, self.delay_s, self.dim = retry_after, slow_s, delay_s, dim
        self.received: Counter[str] = Counter()
        self.actions: dict[str, list[str]] = defaultdict(list)
        self.auth_seen: list[str] = []
        #: every request body received, in order
        self.bodies: list[bytes] = []
        #: requests being handled now, and the most at once
        self.active = 0
        self.max_active = 0
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- life -----------------------------------------------------------------------------
    @property
    def url(self) -> str:
        assert self._server is not None, "start the server first"
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def start(self) -> FakeOpenAI:
        fake = self

        class Handler(_Handler):
            server_fake = fake

        server = _Server(("127.0.0.1", 0), Handler)
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeOpenAI:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    # -- counting -------------------------------------------------------------------------
    def sent_after_success(self) -> dict[str, int]:
        """Body hash -> requests received after that body had been answered ``ok`` (should be none)."""
        out = {}
        for h, acts in self.actions.items():
            if "ok" in acts and len(acts) > acts.index("ok") + 1:
                out[h] = len(acts) - acts.index("ok") - 1
        return out

    @property
    def total(self) -> int:
        return sum(self.received.values())

    def ok_count(self) -> int:
        return sum(a.count("ok") for a in self.actions.values())

    def reset(self) -> None:
        with self._lock:
            self.received.clear()
            self.actions.clear()
            self.auth_seen.clear()
            self.bodies.clear()
            self.max_active = 0

    def _action(self, raw: bytes) -> tuple[str, str]:
        h = hashlib.sha256(raw).hexdigest()
        text = raw.decode("utf-8", "replace")
        with self._lock:
            k = self.received[h]
            self.received[h] += 1
            action = "ok"
            for needle, plan in self.faults:
                if needle in text:
                    action = plan[k] if k < len(plan) else "ok"
                    break
            self.actions[h].append(action)
            self.bodies.append(raw)
        return h, action

    # -- answers --------------------------------------------------------------------------
    def chat(self, body: dict[str, Any], action: str) -> dict[str, Any]:
        text = "" if action == "notext" else self.answer(body)
        choices = [] if action == "empty" else [{"index": 0, "finish_reason": "stop",
                                                 "message": {"role": "assistant", "content": text}}]
        words = len(_texts(body).split()) + 10  # the images' tokens are not counted
        return {"id": "chatcmpl-fake", "object": "chat.completion", "created": 0, "model": self.model,
                "choices": choices, "usage": {"prompt_tokens": words, "completion_tokens": 1,
                                              "total_tokens": words + 1}}

    def embeddings(self, body: dict[str, Any]) -> dict[str, Any]:
        inputs = body.get("input")
        inputs = inputs if isinstance(inputs, list) else [inputs]
        data = []
        for i, text in enumerate(inputs):
            d = hashlib.sha256(str(text).encode()).digest()
            data.append({"object": "embedding", "index": i, "embedding": [b / 255 - 0.5 for b in d[:self.dim]]})
        return {"object": "list", "data": data, "model": self.model,
                "usage": {"prompt_tokens": len(inputs), "total_tokens": len(inputs)}}

    def images(self, body: dict[str, Any], raw: bytes) -> dict[str, Any]:
        from PIL import Image

        n = int(body.get("n") or 1)
        data = []
        for k in range(n):
            d = hashlib.sha256(raw + bytes([k])).digest()
            buf = io.BytesIO()
            Image.new("RGB", (16, 16), (d[0], d[1], d[2])).save(buf, "PNG")
            data.append({"b64_json": base64.b64encode(buf.getvalue()).decode()})
        return {"created": 0, "data": data, "usage": {"input_tokens": 3, "output_tokens": 10 * n}}


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    #: the listen backlog: many clients connect at once (the default, 5, drops connections)
    request_queue_size = 128


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as real servers
    # headers and body go out in two writes: without TCP_NODELAY the client's delayed ACK adds ~40 ms
    disable_nagle_algorithm = True
    server_fake: FakeOpenAI

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def _json(self, status: int, obj: Any, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(obj).encode()
        self._raw(status, data, headers)

    def _raw(self, status: int, data: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        with contextlib.suppress(OSError):
            self.wfile.write(data)

    def _authorized(self) -> bool:
        fake = self.server_fake
        got = self.headers.get("Authorization", "")
        fake.auth_seen.append(got)
        if fake.api_key is not None and got != f"Bearer {fake.api_key}":
            self._json(401, {"error": {"message": "Incorrect API key provided", "type": "invalid_request_error",
                                       "code": "invalid_api_key"}})
            return False
        return True

    def _path(self) -> str:
        return urlsplit(self.path).path.rstrip("/")

    def do_GET(self) -> None:
        if not self._authorized():
            return
        if self._path() == "/v1/models":
            self._json(200, {"object": "list", "data": [{"id": self.server_fake.model, "object": "model"}]})
        else:
            self._json(404, {"error": {"message": f"no route {self.path}"}})

    def do_POST(self) -> None:
        fake = self.server_fake
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if not self._authorized():
            return
        with fake._lock:
            fake.active += 1
            fake.max_active = max(fake.max_active, fake.active)
        try:
            self._answer(fake, raw)
        finally:
            with fake._lock:
                fake.active -= 1

    def _answer(self, fake: FakeOpenAI, raw: bytes) -> None:
        _, action = fake._action(raw)
        if fake.delay_s:
            time.sleep(fake.delay_s)
        if action == "drop":
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
            return
        if action == "slow":
            time.sleep(fake.slow_s)
        errors = {"429": (429, "Rate limit reached", {"Retry-After": f"{fake.retry_after:g}"}),
                  "500": (500, "The server had an error", {}), "400": (400, "Bad request", {}),
                  "401": (401, "Incorrect API key provided", {}), "404": (404, "The model does not exist", {})}
        if action in errors:
            status, message, headers = errors[action]
            self._json(status, {"error": {"message": message}}, headers)
            return
        if action == "notjson":
            self._raw(200, b'{"choices": [{"message": ')
            return
        try:
            body = json.loads(raw)
        except ValueError:
            self._json(400, {"error": {"message": "body is not JSON"}})
            return
        if body.get("model") != fake.model:
            self._json(404, {"error": {"message": f"The model {body.get('model')!r} does not exist"}})
            return
        path = self._path()
        if path == "/v1/chat/completions":
            self._json(200, fake.chat(body, action))
        elif path == "/v1/embeddings":
            self._json(200, fake.embeddings(body))
        elif path == "/v1/images/generations":
            self._json(200, fake.images(body, raw))
        else:
            self._json(404, {"error": {"message": f"no route {self.path}"}})


def tiny_servable_vlm(out: str | Path) -> Path:
    """The tests' tiny random-weight Qwen2.5-VL (:func:`mmx.testing.vlm.build_tiny_qwen2_5_vl`),
    saved in ``out`` for ``transformers serve``: its generation config suppresses the
    ``<tool_call>`` / ``</tool_call>`` tokens, because random weights emit them and
    ``transformers serve`` (5.24) answers 500 when what follows is not a JSON tool call."""
    from mmx.testing.vlm import build_tiny_qwen2_5_vl

    folder = build_tiny_qwen2_5_vl(Path(out))
    added = json.loads((folder / "tokenizer.json").read_text(encoding="utf-8"))["added_tokens"]
    tool = [t["id"] for t in added if t["content"] in ("<tool_call>", "</tool_call>")]
    path = folder / "generation_config.json"
    config = json.loads(path.read_text(encoding="utf-8"))
    config["suppress_tokens"] = tool
    path.write_text(json.dumps(config, indent=2), encoding="utf-8")
    return folder


@contextlib.contextmanager
def transformers_serve(folder: str | Path, *, port: int | None = None, timeout: float = 180.0,
                       log: str | Path | None = None) -> Iterator[str]:
    """``transformers serve FOLDER`` on 127.0.0.1 (CPU, the model preloaded), yielding its
    ``/v1`` URL once ``/health`` answers; stopped with its whole process group on exit.
    The served model's name is the folder's path as given. Raises RuntimeError with the
    server's last output when it does not come up within ``timeout`` seconds."""
    import urllib.request

    port = port or free_port()
    log_path = Path(log) if log is not None else Path(folder).with_name(f"serve-{port}.log")
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS", "1")}
    with open(log_path, "wb") as fh:
        proc = subprocess.Popen(
            [sys.executable, "-c", "from transformers.cli.transformers import main; main()", "serve", str(folder),
             "--host", "127.0.0.1", "--port", str(port), "--device", "cpu"],
            stdout=fh, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"transformers serve exited ({proc.returncode}): {_tail(log_path)}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"transformers serve did not answer within {timeout:g}s: {_tail(log_path)}")
            time.sleep(0.5)
        yield f"http://127.0.0.1:{port}/v1"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=15)


def _tail(path: Path, n: int = 800) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")[-n:]
    except OSError:
        return "(no log)"


def main(argv: list[str] | None = None) -> None:
    """``python -m mmx.testing.openai_server --port P``: serve :class:`FakeOpenAI` (answering at once)
    in a process of its own until killed, e.g. for ``benchmarks/openai_speed.py``."""
    import argparse

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--model", default="fake-model")
    p.add_argument("--delay", type=float, default=0.0, help="seconds before each answer")
    args = p.parse_args(argv)
    fake = FakeOpenAI(model=args.model, delay_s=args.delay)

    class Handler(_Handler):
        server_fake = fake

    server = _Server(("127.0.0.1", args.port), Handler)
    print(f"http://127.0.0.1:{args.port}/v1", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
