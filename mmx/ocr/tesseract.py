"""Tesseract through ``tesserocr`` (its C++ API in-process): the model is loaded once.

pytesseract and the ``tesseract`` command start a process and load the
language model for every image; here one ``PyTessBaseAPI`` is made per
(language, page-segmentation mode) per thread and reused for every image that
thread reads (an API instance must not be shared between threads).

The language data (``<lang>.traineddata``) comes from the system: Debian's
``tesseract-ocr-<lang>`` packages, or any folder named by ``TESSDATA_PREFIX``;
:func:`tessdata_dir` finds it. tesserocr's PyPI wheel bundles its own (newer)
libtesseract, whose readings differ from the system's; ``make setup`` builds
tesserocr against the system's libtesseract where its -dev packages are
installed, so results match the ``tesseract`` command's. Nothing here imports
tesserocr at module level; the first import sets what libtesseract reads when it
loads: one OpenMP thread and a dot product that is the same on every CPU
(:data:`DOTPRODUCT`).
"""

from __future__ import annotations

import functools
import glob
import os
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mmx.errors import MissingDependencyError

__all__ = [
    "DOTPRODUCT",
    "INSTALL",
    "Word",
    "api",
    "installed",
    "languages",
    "library_versions",
    "loaded_files",
    "read_text",
    "read_words",
    "require",
    "settings",
    "tessdata_dir",
]

#: how to get tesseract's language data and the Python binding (``{pack}``: e.g. ``hin``)
INSTALL = "apt-get install tesseract-ocr tesseract-ocr-{pack} && pip install tesserocr"

#: tesseract's dot-product code, pinned (see :func:`_import_tesserocr`): the float dot
#: product is ``std::inner_product`` on every CPU; the integer one (the packs are integer
#: models) keeps the CPU's SIMD code, whose sums are exact, so the same on every CPU
DOTPRODUCT = "std::inner_product"

#: page segmentation modes used in mmx (tesseract's numbering)
PSM_SINGLE_BLOCK = 6
PSM_SINGLE_LINE = 7

#: where Debian, Fedora, Homebrew and source installs put the language data
_KNOWN_TESSDATA = (
    "/usr/share/tesseract-ocr/5/tessdata",
    "/usr/share/tesseract-ocr/4.00/tessdata",
    "/usr/share/tesseract-ocr/*/tessdata",
    "/usr/share/tessdata",
    "/usr/local/share/tessdata",
    "/usr/local/share/tesseract-ocr/*/tessdata",
    "/opt/homebrew/share/tessdata",
)

_local = threading.local()
#: the ``*.traineddata`` files the APIs of this process loaded (all threads)
_loaded: set[str] = set()


@dataclass(frozen=True)
class Word:
    """One recognised word and its box in the image's pixels."""

    text: str
    left: int
    top: int
    width: int
    height: int


def _has_data(folder: str | Path) -> bool:
    return os.path.isdir(folder) and any(Path(folder).glob("*.traineddata"))


def _candidates() -> list[str]:
    out: list[str] = []
    prefix = os.environ.get("TESSDATA_PREFIX")
    if prefix:  # tesseract 4+ takes the tessdata folder itself, 3 took its parent
        out += [prefix, os.path.join(prefix, "tessdata")]
    binary = shutil.which("tesseract")
    if binary:  # a tesseract on PATH (e.g. installed into a home folder): its share/
        root = Path(os.path.realpath(binary)).parent.parent / "share"
        out += [str(root / "tessdata"), *sorted(glob.glob(str(root / "tesseract-ocr" / "*" / "tessdata")))]
    for pattern in _KNOWN_TESSDATA:
        out += sorted(glob.glob(pattern), reverse=True)  # the newest version first
    return out


def _import_tesserocr() -> Any:
    # tesseract built with OpenMP starts a thread per core for every page; on a
    # busy machine that made a page read 10x slower, and mmx already reads pages
    # in parallel. libgomp reads the limit when it is loaded, so it is set before
    # the first import (a value the user set wins).
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    # libtesseract picks its float dot product by CPU when it loads (AVX-512, AVX, SSE
    # or a plain loop, each summing in another order), so a float model could read
    # differently on another machine. The DOTPRODUCT variable, read at that moment,
    # pins it; the ``dotproduct`` parameter set through the API would change only the
    # parameter (the library applies it in the ``tesseract`` command alone). Measured
    # on mmcric's cards: the same words with every choice, and ``std::inner_product``
    # as fast as the CPU's pick (``generic`` also drops the integer SIMD code: 2x slower).
    # A value the user set wins, as above.
    os.environ.setdefault("DOTPRODUCT", DOTPRODUCT)
    import tesserocr

    return tesserocr


@functools.lru_cache(maxsize=1)
def tessdata_dir() -> str | None:
    """The folder holding tesseract's ``*.traineddata``, or None when there is none.

    Tried in order: ``TESSDATA_PREFIX``, tesserocr's compiled-in default, the
    ``share/`` beside a ``tesseract`` on PATH, and the usual system folders.
    """
    try:
        default, found = _import_tesserocr().get_languages()
    except (ImportError, RuntimeError):
        default, found = "", []
    candidates = _candidates()
    if found and default:  # after TESSDATA_PREFIX's two forms, before the guesses
        candidates.insert(2 if os.environ.get("TESSDATA_PREFIX") else 0, default)
    for folder in candidates:
        if _has_data(folder):
            return os.path.join(os.path.abspath(folder), "")  # tesserocr wants the trailing /
    return None


@functools.lru_cache(maxsize=1)
def installed() -> bool:
    """Whether the ``tesserocr`` binding imports."""
    try:
        _import_tesserocr()
    except ImportError:
        return False
    return True


@functools.lru_cache(maxsize=1)
def languages() -> frozenset[str]:
    """Installed language packs (``{"eng", "hin", ...}``); empty when tesserocr or the data is missing."""
    folder = tessdata_dir()
    if folder is None or not installed():
        return frozenset()
    try:
        _, found = _import_tesserocr().get_languages(folder)
    except RuntimeError:  # a broken install reads as "not installed", never a crash
        return frozenset()
    return frozenset(found) - {"osd"}


def require(langs: str) -> None:
    """Raise :class:`MissingDependencyError` (saying what to install) unless every pack of
    ``langs`` (``"hin"``, ``"tha+eng"``) can be loaded."""
    have = languages()
    for pack in langs.split("+"):
        if pack in have:
            continue
        if not installed():
            what = "the tesserocr package is not installed"
        elif not have:
            what = "tesseract's language data is not installed (or set TESSDATA_PREFIX)"
        else:
            what = f"tesseract has no {pack!r} language pack"
        raise MissingDependencyError(
            f"cannot read {pack!r}: {what}; install it with "
            + INSTALL.format(pack=pack.replace("_", "-"))
        )


def api(langs: str, psm: int) -> Any:
    """This thread's ``PyTessBaseAPI`` for ``langs`` and page segmentation mode ``psm``,
    made on first use (LSTM engine) and kept for the thread's life."""
    cache: dict[tuple[str, int], Any] | None = getattr(_local, "apis", None)
    if cache is None:
        cache = _local.apis = {}
    key = (langs, psm)
    if key not in cache:
        require(langs)
        tesserocr = _import_tesserocr()
        folder = tessdata_dir()
        cache[key] = tesserocr.PyTessBaseAPI(path=folder, lang=langs, psm=psm, oem=tesserocr.OEM.LSTM_ONLY)
        _loaded.update(os.path.join(folder or "", f"{pack}.traineddata") for pack in langs.split("+"))
    return cache[key]


def loaded_files() -> list[str]:
    """The ``*.traineddata`` files the tesseract APIs of this process loaded, sorted."""
    return sorted(_loaded)


def library_versions() -> dict[str, str | None]:
    """``{"tesseract": "5.3.0", "leptonica": "1.82.0"}``: the libraries tesserocr runs
    (which may differ from the ``tesseract`` command's); None where tesserocr is missing."""
    if not installed():
        return {"tesseract": None, "leptonica": None}
    import re

    text = str(_import_tesserocr().tesseract_version())
    found = {name: re.search(rf"{name}[ -]v?(\S+)", text) for name in ("tesseract", "leptonica")}
    return {name: m.group(1) if m else None for name, m in found.items()}


def settings() -> dict[str, str | None]:
    """The process-wide settings a reading depends on, as in effect: the dot-product code
    as libtesseract reports it (``auto``: CPU-picked, the library was loaded before
    :data:`DOTPRODUCT` was set; beware that it reports ``DOTPRODUCT=auto`` as ``generic``)
    and OpenMP's thread limit. Empty when tesserocr is missing."""
    if not installed():
        return {}
    try:
        probe = _import_tesserocr().PyTessBaseAPI(init=False)  # parameters are global: no model needed
        dotproduct = probe.GetVariableAsString("dotproduct")
    except RuntimeError:  # a broken install: say so in the record, never fail a run
        dotproduct = None
    return {"dotproduct": dotproduct, "omp_thread_limit": os.environ.get("OMP_THREAD_LIMIT")}


def _recognize(image: Any, langs: str, psm: int, variables: dict[str, str]) -> Any:
    from PIL import Image

    engine = api(langs, psm)
    for name, value in variables.items():
        engine.SetVariable(name, value)
    engine.SetImage(image if isinstance(image, Image.Image) else Image.fromarray(image))
    engine.Recognize()
    return engine


def _reset(engine: Any, variables: dict[str, str]) -> None:
    # the API is reused: a whitelist set for one call must not leak into the next
    for name in variables:
        engine.SetVariable(name, "")
    engine.Clear()


def read_text(
    image: Any, langs: str, psm: int = PSM_SINGLE_LINE, variables: dict[str, str] | None = None
) -> str:
    """The text of a grey image (PIL or uint8 array), as ``tesseract IMAGE - --psm PSM`` prints it."""
    variables = variables or {}
    engine = _recognize(image, langs, psm, variables)
    try:
        return engine.GetUTF8Text()
    except RuntimeError:  # tesserocr's "No text returned"
        return ""
    finally:
        _reset(engine, variables)


def read_words(
    image: Any, langs: str, psm: int = PSM_SINGLE_BLOCK, variables: dict[str, str] | None = None
) -> list[Word]:
    """The words of an image with their boxes, in reading order (tesseract's TSV rows of
    level 5, without the empty ones)."""
    from tesserocr import RIL, iterate_level

    variables = variables or {}
    engine = _recognize(image, langs, psm, variables)
    out: list[Word] = []
    try:
        iterator = engine.GetIterator()
        if iterator is None:
            return out
        for word in iterate_level(iterator, RIL.WORD):
            try:
                text = (word.GetUTF8Text(RIL.WORD) or "").strip()
            except RuntimeError:  # tesserocr's "No text returned" (a blank page)
                continue
            box = word.BoundingBox(RIL.WORD)
            if not text or box is None:
                continue
            x0, y0, x1, y1 = box
            out.append(Word(text, x0, y0, x1 - x0, y1 - y0))
    finally:
        _reset(engine, variables)
    return out
