"""The assembled app: the tabs of TABS in order, their four API endpoints, the deadline, a new tab in one line."""

from __future__ import annotations

import sys
import types

import pytest

from mmx.demo.state import DemoModels

from .conftest import free_port

gradio_client = pytest.importorskip("gradio_client")
from gradio_client.exceptions import AppError  # noqa: E402


def test_served_on_loopback_with_four_endpoints(demo_server, client):
    assert demo_server.url.startswith("http://127.0.0.1:")
    api = client.view_api(print_info=False, return_format="dict")
    assert {"/render", "/read", "/scorecard", "/answer"} <= set(api["named_endpoints"])


def test_slow_requests_time_out_with_a_message(demo_server):
    """A second app on the same models with a tiny deadline: the message, not a hang or a traceback."""
    from mmx.demo.app import build_app, launch

    demo = build_app(demo_server.models, timeout=0.01, queue_size=2)
    url = launch(demo, "127.0.0.1", free_port(), block=False, quiet=True)
    try:
        slow = gradio_client.Client(url, verbose=False)
        with pytest.raises(AppError, match=r"Rendering took longer than 0.01 s"):
            slow.predict(text="Text rendered as pixels " * 400, profile="page", api_name="/render")
    finally:
        demo.close()


def test_a_new_tab_is_one_module_in_tabs(monkeypatch):
    """The app builds whatever TABS lists, in order, and gives each tab the shared server."""
    import gradio as gr

    from mmx.demo import app
    from mmx.demo.inputs import Server

    seen = []
    echo = types.ModuleType("echo_tab")

    def build(models, server):
        seen.append((models, server))
        with gr.Tab("Echo", id="echo"):
            box = gr.Textbox(label="Echo text")
            gr.Button("Echo").click(lambda t: server.run("Echoing", str.upper, t), box, box, api_name="echo")

    echo.build = build
    echo.TITLE, echo.SUMMARY = "Echo", "says it back louder"
    echo.CSS = "#echo { color: red; }"
    monkeypatch.setitem(sys.modules, "echo_tab", echo)
    monkeypatch.setattr(app, "TABS", (echo,))
    models = DemoModels()
    demo = app.build_app(models, timeout=5)
    (got_models, server), = seen
    assert got_models is models and isinstance(server, Server) and server.timeout == 5
    config = demo.get_config_file()
    labels = [c.get("props", {}).get("label") for c in config["components"]]
    assert "Echo" in labels and "Render" not in labels
    assert [d.get("api_name") for d in config["dependencies"] if d.get("api_name")] == ["echo"]


def test_header_and_help_name_every_tab(capsys):
    """The page header, the package's TAB_TITLES and `mmx --help` all list the tabs the app builds."""
    from mmx.cli import main
    from mmx.demo import TAB_TITLES, app

    assert tuple(tab.TITLE for tab in app.TABS) == TAB_TITLES
    assert all(f"**{tab.TITLE}**: {tab.SUMMARY}" in app.header() for tab in app.TABS)
    with pytest.raises(SystemExit):
        main(["--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert f"({', '.join(TAB_TITLES)} tabs)" in help_text


def test_a_failed_request_clears_the_previous_answer():
    """Every endpoint's failure empties what it shows, so an error never sits beside the answer
    to an earlier request (the browser test watches it happen on the Render tab)."""
    from mmx.demo import app

    deps = app.build_app(DemoModels(), timeout=5).get_config_file()["dependencies"]
    public = [d for d in deps if d.get("api_visibility") == "public"]
    assert {d["api_name"] for d in public} == {"render", "read", "scorecard", "answer", "draw", "music", "compare"}
    for d in public:
        clears = [c for c in deps if c.get("trigger_after") == d["id"] and c.get("trigger_only_on_failure")]
        assert len(clears) == 1, d["api_name"]
        assert clears[0]["outputs"] and set(clears[0]["outputs"]) <= set(d["outputs"]), d["api_name"]
        assert clears[0]["api_visibility"] == "private"
