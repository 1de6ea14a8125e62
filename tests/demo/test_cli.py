"""``mmx demo`` as a real process: it starts offline, serves every tab, and stays off the parser's path."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request

import pytest

from .conftest import free_port


def test_help_does_not_import_gradio():
    code = ("import sys; from mmx.cli import build_parser; build_parser(); "
            "assert 'gradio' not in sys.modules and 'torch' not in sys.modules, 'heavy import at parse time'")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


@pytest.mark.parametrize("args, message", [
    (["--port", "0"], "--port must be 1..65535"),
    (["--timeout", "0"], "--timeout must be more than 0"),
    (["--model-args", "dtype=float32"], "--model-args needs --model"),
    (["--reader", "/nonexistent/reader"], "--reader '/nonexistent/reader' is not a folder"),
    (["--t2i", "/nonexistent/run"], "--t2i '/nonexistent/run' does not exist"),
    (["--visual-text", "/nonexistent/enc"], "--visual-text '/nonexistent/enc' does not exist"),
])
def test_bad_options_are_one_line(args, message):
    proc = subprocess.run([sys.executable, "-m", "mmx.cli", "demo", *args], capture_output=True, text=True,
                          timeout=120, check=False)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert f"mmx demo: error: {message}" in proc.stderr.strip().splitlines()[-1]


@pytest.mark.parametrize("model, message", [
    ("ocr-tabel", "unknown model 'ocr-tabel'"),
    ("music-tiny", "--model music-tiny cannot answer"),
    ("/nonexistent/model", "--model '/nonexistent/model' is not a folder"),
])
def test_a_bad_model_is_reported_before_gradio_loads(model, message):
    """A model the demo cannot use is one line before the UI is built: gradio is made unimportable,
    so the check cannot have run after it."""
    code = ("import sys; sys.modules['gradio'] = None; from mmx.cli import main; "
            f"sys.exit(main(['demo', '--port', '{free_port()}', '--model', {model!r}]))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("mmx demo: error: ") and message in lines[0], proc.stderr


def test_a_busy_port_is_reported_before_loading_anything():
    import socket

    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        proc = subprocess.run([sys.executable, "-m", "mmx.cli", "demo", "--port", str(port)], capture_output=True,
                              text=True, timeout=60, check=False)
    assert proc.returncode == 2
    assert proc.stderr.strip() == f"mmx demo: error: cannot serve on 127.0.0.1:{port}: the port is in use; pass another --port"


def test_mmx_demo_serves_every_tab_on_loopback(tmp_path):
    pytest.importorskip("gradio", reason="the demo needs gradio: pip install 'mmx[demo]'")
    port = free_port()
    env = {**os.environ, "GRADIO_TEMP_DIR": str(tmp_path), "HF_HUB_OFFLINE": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "mmx.cli", "demo", "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        config = None
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(f"{url}/config", timeout=5) as r:
                    config = json.load(r)
                break
            except OSError:
                time.sleep(0.5)
        assert config is not None, f"mmx demo did not start:\n{proc.stdout.read() if proc.poll() is not None else ''}"
        from mmx.demo import TAB_TITLES

        labels = {c.get("props", {}).get("label") for c in config["components"]}
        assert set(TAB_TITLES) <= labels
        apis = {d.get("api_name") for d in config["dependencies"]}
        assert {"render", "read", "scorecard", "answer", "draw", "music", "compare"} <= apis
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
