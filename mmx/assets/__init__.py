"""Small files shipped inside the mmx package: the tiny models and the sample sentences.

``reader/`` holds the tiny reader's weights (``model.safetensors`` + ``mmx_system.json``,
made by ``mmx fit --config configs/tiny_reader.yaml``), ``music/`` the tiny music-text
model's (``configs/music_text_tiny.yaml``, the ``music-tiny`` adapter), ``t2i/`` the
tiny text-to-image head's (``configs/t2i_shapes_tiny.yaml``, the ``mmx-t2i`` adapter and
the demo's Draw tab), ``visual_text/`` the pretrained visual-text encoder's
(``configs/visual_text_distill.yaml``, ``create_encoder("visual_text")``); ``samples/`` holds five
sentences in each of sixteen languages (``hin_Deva.txt`` ...), the offline corpus of
``mmx tokens`` tours and ``mmx bench flops``. Each folder's README.md states where
its files come from and their licence. They are package data (pyproject.toml,
``[tool.setuptools.package-data]``), found through :mod:`importlib.resources`, so
they are found in an installed wheel as in a source checkout.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from mmx.errors import MmxError


def asset_dir(name: str) -> Path:
    """The shipped folder ``name`` (``reader``, ``music``, ``t2i``, ``visual_text`` or ``samples``) as a real path on disk.

    The reader is loaded from a folder path and corpora are globbed, so a resource
    that is not a plain file (mmx imported from a zip archive) is an error rather
    than a temporary copy.
    """
    resource = files(__name__) / name
    if not isinstance(resource, Path):
        raise MmxError(f"mmx's shipped {name!r} files are not on the file system ({resource}); "
                       "install mmx from a wheel or a source checkout, not a zip archive")
    return resource


def reader_dir() -> Path:
    """The tiny reader's folder (``model.safetensors`` + ``mmx_system.json``): the demo's default reader."""
    return asset_dir("reader")


def samples_dir() -> Path:
    """The shipped sample sentences (``<lang>_<Script>.txt``, five lines each): the offline default corpus."""
    return asset_dir("samples")
