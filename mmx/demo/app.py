"""The Gradio Blocks of ``mmx demo``: the tabs of :data:`TABS`, in order, around one request runner.

Each tab's main function has an ``api_name`` (``render``, ``read``, ``scorecard``,
``answer``), so ``gradio_client.Client(url).predict(..., api_name="/render")``
calls exactly what the button does (Draw: ``draw``; Music: ``music``; Compare: ``compare``). Every request runs in a small worker pool
with a deadline (:class:`mmx.demo.inputs.Server`); errors reach the page (and the
API client) as one-line messages, never as tracebacks, and empty the outputs of the
request that failed (:func:`mmx.demo.inputs.clear_on_error`); the queue is bounded; no
input is a file path.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # offline: no telemetry, no version check

import gradio as gr

from mmx.demo.inputs import DEFAULT_TIMEOUT_S, Server
from mmx.demo.tabs import compare, music, read, render, scorecard, t2i

if TYPE_CHECKING:
    from mmx.demo.state import DemoModels

#: the tabs in page order: modules of mmx.demo.tabs with build(models, server) and optional CSS
TABS = (render, read, scorecard, t2i, music, compare)
#: waiting requests beyond those running; more are turned away with "queue is full"
DEFAULT_QUEUE_SIZE = 16


def header() -> str:
    """The page's header: one line per tab, from the tabs themselves."""
    lines = [f"- **{tab.TITLE}**: {tab.SUMMARY}" for tab in TABS]
    return "## mmx demo: text as pixels\n" + "\n".join(lines) + "\n\nRuns offline; nothing leaves this machine."


def build_app(models: DemoModels, timeout: float = DEFAULT_TIMEOUT_S,
              queue_size: int = DEFAULT_QUEUE_SIZE) -> gr.Blocks:
    """The demo's Blocks, queued (``queue_size`` waiting requests, one running per function)."""
    server = Server(timeout)
    with gr.Blocks(title="mmx demo", analytics_enabled=False, delete_cache=(3600, 3600)) as demo:
        gr.Markdown(header())
        if models.notes:
            gr.Markdown("\n".join(f"- note: {n}" for n in models.notes))
        for tab in TABS:
            tab.build(models, server)
    demo.queue(max_size=queue_size, default_concurrency_limit=1)
    return demo


def launch(demo: gr.Blocks, host: str = "127.0.0.1", port: int = 7860, share: bool = False,
           block: bool = True, quiet: bool = False) -> str:
    """Serve ``demo`` on ``host:port`` (no public link unless ``share``); returns the local URL.
    ``block=False`` returns once the server is up (tests)."""
    _, url, _ = demo.launch(
        server_name=host, server_port=port, share=share, prevent_thread_lock=not block, quiet=quiet,
        show_error=True, ssr_mode=False, mcp_server=False, max_file_size="1mb",
        css="".join(getattr(tab, "CSS", "") for tab in TABS), footer_links=["api"],
    )
    return url
