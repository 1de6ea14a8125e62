"""``mmx demo``: a local Gradio app for rendered-text inference (its tabs: mmx/demo/app.py TABS)."""

from __future__ import annotations

import argparse
import ipaddress
import os
import sys
from pathlib import Path


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--host", default="127.0.0.1",
                   help="address to serve on (default 127.0.0.1: this machine only; 0.0.0.0 exposes the app "
                        "to your network)")
    p.add_argument("--port", type=int, default=7860, help="port (default 7860)")
    p.add_argument("--model", default=None, metavar="NAME",
                   help="a VLM for the Read and Scorecard tabs: hf:ORG/NAME, a local model folder, or a "
                        "registered adapter (default: offline, the tiny reader and ocr-table)")
    p.add_argument("--model-args", default=None, metavar="K=V,...", help="arguments of --model, e.g. dtype=bfloat16")
    p.add_argument("--reader", default=None, metavar="DIR",
                   help="the tiny reader's folder (model.safetensors + mmx_system.json; default: the one shipped in mmx/assets/reader)")
    p.add_argument("--t2i", default=None, metavar="PATH",
                   help="the Draw tab's model: an `mmx fit` t2i run folder or .ckpt, or a diffusers pipeline "
                        "folder (default: the tiny head shipped in mmx/assets/t2i; same as MMX_DEMO_T2I=PATH)")
    p.add_argument("--visual-text", default=None, metavar="DIR",
                   help="the Compare tab's pixel encoder: a folder written by mmx.encoders.visual_text.save_visual_text "
                        "(default: the pretrained encoder shipped in mmx/assets/visual_text; same as "
                        "MMX_DEMO_VISUAL_TEXT=DIR)")
    p.add_argument("--tokenizer", dest="tokenizers", action="append", default=[], metavar="PATH",
                   help="another tokenizer for the Render tab: a local Hugging Face tokenizer folder or "
                        "tokenizer.json (repeatable; qwen2.5 and qwen3.6 are always offered)")
    p.add_argument("--timeout", type=float, default=60.0, help="seconds one request may run (default 60)")
    p.add_argument("--queue-size", type=int, default=16, help="requests that may wait in the queue (default 16)")
    p.add_argument("--share", action="store_true",
                   help="also open a public gradio.live link (off by default; needs the internet)")


def run(args: argparse.Namespace) -> int:
    from mmx.deps import require
    from mmx.errors import InputError
    from mmx.options import parse_options

    if not 1 <= args.port <= 65535:
        raise InputError(f"--port must be 1..65535 (got {args.port})")
    if not 0 < args.timeout <= 3600:
        raise InputError(f"--timeout must be more than 0 and at most 3600 seconds (got {args.timeout:g})")
    if not 1 <= args.queue_size <= 1000:
        raise InputError(f"--queue-size must be 1..1000 (got {args.queue_size})")
    model_args = parse_options(args.model_args)  # text: the adapter's annotations convert it
    if model_args and not args.model:
        raise InputError("--model-args needs --model")
    if args.reader and not Path(args.reader).is_dir():
        raise InputError(f"--reader {args.reader!r} is not a folder (expected model.safetensors + mmx_system.json "
                         "from `mmx fit --config configs/tiny_reader.yaml`)")
    if args.t2i:
        if not Path(args.t2i).exists():
            raise InputError(f"--t2i {args.t2i!r} does not exist (give an `mmx fit` t2i run folder or .ckpt, "
                             "or a diffusers pipeline folder with model_index.json)")
        from mmx.demo.tabs.t2i import MODEL_ENV

        # the Draw tab reads its model from this variable when it is built (one mechanism for both)
        os.environ[MODEL_ENV] = args.t2i
    if args.visual_text:
        if not Path(args.visual_text).exists():
            raise InputError(f"--visual-text {args.visual_text!r} does not exist (give a folder written by "
                             "mmx.encoders.visual_text.save_visual_text)")
        from mmx.demo.tabs.compare import ENCODER_ENV

        os.environ[ENCODER_ENV] = args.visual_text  # read when the Compare tab is built, as --t2i's
    if args.model:
        from mmx.demo.state import check_model

        check_model(args.model)  # in a second, before gradio is imported and the models load
    if not _port_free(args.host, args.port):  # before minutes of loading, not after
        raise InputError(f"cannot serve on {args.host}:{args.port}: the port is in use; pass another --port")
    require("gradio", "mmx demo")
    if not _is_loopback(args.host):
        print(f"mmx demo: warning: serving on {args.host}, so other machines can reach the app", file=sys.stderr)

    from mmx.demo.app import build_app, launch
    from mmx.demo.state import load_models

    def say(msg: str) -> None:
        print(f"mmx demo: {msg}", file=sys.stderr, flush=True)

    models = load_models(args.model, model_args, args.reader, args.tokenizers, log=say)
    demo = build_app(models, timeout=args.timeout, queue_size=args.queue_size)
    try:
        url = launch(demo, args.host, args.port, share=args.share, block=False, quiet=not args.share)
    except OSError as exc:
        busy = "empty port" in str(exc)
        raise InputError(f"cannot serve on {args.host}:{args.port}: "
                         + ("the port is in use" if busy else str(exc).splitlines()[0]) + "; pass another --port") from None
    say(f"serving {url} (Ctrl-C stops)" + ("" if args.share else "; no public link"))
    demo.block_thread()  # until Ctrl-C, which closes the server
    return 0


def _port_free(host: str, port: int) -> bool:
    import socket

    try:
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM) as sock:
            # as uvicorn binds: only a listening socket makes the port busy, not old connections in TIME_WAIT
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((host, port))
        return True
    except OSError as exc:
        import errno

        return exc.errno != errno.EADDRINUSE  # other problems (a bad host) are for the server to report


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
