"""The speed peers of ``mmx bench render``: registry, errors, and pixel-renderer's output.

The rendering tests run only where pixel-renderer and its PangoCairo stack are
installed (``pip install "mmx[speed]"``); elsewhere they skip and say why.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import mmx
from mmx.errors import InputError, MissingDependencyError, UnknownNameError
from mmx.render.peers import PEERS, PillowRaqmPeer, PixelRendererPeer, create_peer


def test_peers_maps_names_to_classes() -> None:
    assert list(PEERS) == ["pixel-renderer", "pillow-raqm"]
    assert PEERS["pixel-renderer"] is PixelRendererPeer
    assert PixelRendererPeer.name == "pixel-renderer"
    assert PEERS["pillow-raqm"] is PillowRaqmPeer


def test_pillow_raqm_peer_renders_a_strip() -> None:
    peer = create_peer("pillow-raqm", block_size=16, font_size=12)
    image = peer.render("नमस्ते दुनिया")
    assert image.dtype == np.uint8 and image.shape[0] == 16 and image.shape[1] % 16 == 0
    assert (image < 128).any()  # some ink


def test_unknown_peer_suggests_close_name() -> None:
    with pytest.raises(UnknownNameError) as info:
        create_peer("pixel_renderer")
    message = str(info.value)
    assert "Did you mean 'pixel-renderer'?" in message
    # Callers that catch KeyError (dict-like lookups) still catch it.
    assert isinstance(info.value, KeyError)


def test_unknown_peer_without_close_name_lists_known() -> None:
    with pytest.raises(UnknownNameError) as info:
        create_peer("zzz")
    message = str(info.value)
    assert "Did you mean" not in message
    assert "Known speed peers: pillow-raqm, pixel-renderer." in message


def test_importing_peers_imports_no_peer() -> None:
    # A fresh interpreter: this test process may already hold the peers' modules.
    code = (
        "import sys, mmx.render.peers\n"
        "heavy = [m for m in ('pixel_renderer', 'gi', 'cairo', 'torch') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    # Run from the directory holding the mmx package, so it imports whether or not it is installed.
    repo_root = Path(mmx.__file__).resolve().parent.parent
    subprocess.run([sys.executable, "-c", code], check=True, cwd=repo_root)


def test_bad_sizes_are_input_errors() -> None:
    # Checked before the import, so this runs with or without pixel-renderer.
    for kwargs in ({"block_size": 0}, {"font_size": -1}, {"block_size": True}, {"font_size": 1.5}):
        with pytest.raises(InputError):
            PixelRendererPeer(**kwargs)  # type: ignore[arg-type]


def test_missing_pixel_renderer_gives_install_recipe(monkeypatch: pytest.MonkeyPatch) -> None:
    # None in sys.modules makes the import fail as if the package were absent.
    monkeypatch.setitem(sys.modules, "pixel_renderer", None)
    monkeypatch.setitem(sys.modules, "pixel_renderer.renderer", None)
    with pytest.raises(MissingDependencyError) as info:
        create_peer("pixel-renderer")
    message = str(info.value)
    assert 'pip install "pixel-renderer[pangocairo]==0.1.5" "PyGObject<3.52"' in message
    assert "libcairo2-dev libgirepository1.0-dev gir1.2-pango-1.0 libpango1.0-dev" in message


def _pixel_renderer_peer(**kwargs: int) -> PixelRendererPeer:
    """The peer, or a skip that says what is missing."""
    if importlib.util.find_spec("pixel_renderer") is None:
        pytest.skip('pixel-renderer is not installed (pip install "mmx[speed]")')
    try:
        return PixelRendererPeer(**kwargs)
    except MissingDependencyError as exc:  # e.g. PyGObject or the Pango typelibs
        pytest.skip(str(exc))


@pytest.mark.slow  # importing pixel-renderer imports torch and transformers (~6 s)
def test_pixel_renderer_renders_one_strip() -> None:
    peer = _pixel_renderer_peer(block_size=16, font_size=12)
    image = peer.render("Hello, world!")
    assert image.dtype == np.uint8
    assert image.ndim == 3 and image.shape[2] == 3
    height, width = image.shape[:2]
    assert height == peer.block_size == 16
    assert width % 16 == 0 and width >= 16  # padded to whole blocks
    assert image.min() < 128 < image.max()  # dark ink on a white ground

    tall = _pixel_renderer_peer(block_size=32, font_size=24).render("Hello")
    assert tall.shape[0] == 32 and tall.shape[1] % 32 == 0


@pytest.mark.slow
def test_pixel_renderer_version_matches_metadata() -> None:
    _pixel_renderer_peer()
    assert PixelRendererPeer.version() == importlib.metadata.version("pixel-renderer")
