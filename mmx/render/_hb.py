"""HarfBuzz's C API, through the library uharfbuzz ships, with glyph arrays read in place.

uharfbuzz returns shaped glyphs either as two Python objects per glyph
(``glyph_infos``, ``glyph_positions``) or as a text serialization; on a line of
Arabic both cost two to three times the shaping itself. Its extension module
exports HarfBuzz's whole C API, so this module calls the same HarfBuzz build
(same version, same output) through ctypes and copies the glyph info and
position arrays out with numpy. ``available()`` is False where the symbols are
not exported; callers then use uharfbuzz's serialization (same numbers, slower).
"""

from __future__ import annotations

import ctypes
import os
import threading

import numpy as np

_HB_DIRECTION_LTR = 4
_HB_DIRECTION_RTL = 5
_HB_BUFFER_FLAG_BOT_EOT = 0x1 | 0x2

_lib: ctypes.CDLL | None = None
_lib_failed = False
_local = threading.local()
_scripts: dict[str, int] = {}
_languages: dict[str, int] = {}


class _Variation(ctypes.Structure):
    _fields_ = [("tag", ctypes.c_uint32), ("value", ctypes.c_float)]


def _load() -> ctypes.CDLL | None:
    global _lib, _lib_failed
    if _lib is not None or _lib_failed:
        return _lib
    try:
        import uharfbuzz._harfbuzz as ext

        lib = ctypes.CDLL(ext.__file__)
        vp, u32, i32 = ctypes.c_void_p, ctypes.c_uint32, ctypes.c_int
        sigs = {
            "hb_blob_create_from_file_or_fail": (vp, [ctypes.c_char_p]),
            "hb_face_create": (vp, [vp, u32]),
            "hb_font_create": (vp, [vp]),
            "hb_font_set_variations": (None, [vp, vp, u32]),
            "hb_buffer_create": (vp, []),
            "hb_buffer_clear_contents": (None, [vp]),
            "hb_buffer_add_codepoints": (None, [vp, vp, i32, u32, i32]),
            "hb_buffer_set_direction": (None, [vp, i32]),
            "hb_buffer_set_script": (None, [vp, u32]),
            "hb_buffer_set_language": (None, [vp, vp]),
            "hb_buffer_set_flags": (None, [vp, u32]),
            "hb_buffer_guess_segment_properties": (None, [vp]),
            "hb_shape": (None, [vp, vp, vp, u32]),
            "hb_buffer_get_length": (u32, [vp]),
            "hb_buffer_get_glyph_infos": (vp, [vp, vp]),
            "hb_buffer_get_glyph_positions": (vp, [vp, vp]),
            "hb_script_from_string": (u32, [ctypes.c_char_p, i32]),
            "hb_language_from_string": (vp, [ctypes.c_char_p, i32]),
            "hb_language_get_default": (vp, []),
            "hb_tag_from_string": (u32, [ctypes.c_char_p, i32]),
            "hb_version_string": (ctypes.c_char_p, []),
        }
        for name, (res, args) in sigs.items():
            fn = getattr(lib, name)
            fn.restype = res
            fn.argtypes = args
        import uharfbuzz as hb

        # The library must be the one uharfbuzz shapes with, or results could differ.
        if lib.hb_version_string().decode() != hb.version_string():
            raise OSError("HarfBuzz version mismatch")
        _lib = lib
        _init_unpack()
        _init_compiled(lib)
    except (OSError, AttributeError, ImportError):
        _lib_failed = True
    return _lib


def available() -> bool:
    """Can glyph arrays be read from HarfBuzz directly?"""
    return _lib is not None or (not _lib_failed and _load() is not None)


class Font:
    """A HarfBuzz font (font units, like ``uharfbuzz.Font(face)``) of one file, face index and variations."""

    def __init__(self, path: str, index: int, variations: dict[str, float]) -> None:
        lib = _load()
        assert lib is not None
        blob = lib.hb_blob_create_from_file_or_fail(os.fsencode(path))
        if not blob:
            raise OSError(f"HarfBuzz cannot read {path}")
        face = lib.hb_face_create(blob, index)
        self.ptr = lib.hb_font_create(face)
        self._keep = (blob, face)  # referenced by the font; never destroyed (fonts live as long as the process)
        if variations:
            arr = (_Variation * len(variations))(
                *[_Variation(lib.hb_tag_from_string(t.encode(), -1), v) for t, v in variations.items()]
            )
            lib.hb_font_set_variations(self.ptr, ctypes.cast(arr, ctypes.c_void_p), len(variations))


def _buffer() -> int:
    buf = getattr(_local, "buf", None)
    if buf is None:
        lib = _load()
        assert lib is not None
        buf = lib.hb_buffer_create()
        # Runs are shaped whole, with no outside context: say so, so that a mark
        # with no base gets HarfBuzz's dotted circle instead of vanishing (the
        # flags survive hb_buffer_clear_contents).
        lib.hb_buffer_set_flags(buf, _HB_BUFFER_FLAG_BOT_EOT)
        _local.buf = buf
        _local.infos = np.empty(0, np.int32)
        _local.pos = np.empty(0, np.int32)
    return buf


def _out_arrays(n: int) -> tuple[np.ndarray, np.ndarray]:
    """Reusable int32 arrays for n glyph info and position records (grown as needed)."""
    if _local.infos.size < 5 * n:
        size = max(5 * n, 2 * _local.infos.size, 5 * 256)
        _local.infos = np.empty(size, np.int32)
        _local.pos = np.empty(size, np.int32)
        _local.addr = (_local.infos.ctypes.data, _local.pos.ctypes.data)
    return _local.infos, _local.pos


def _script(tag: str) -> int:
    v = _scripts.get(tag)
    if v is None:
        v = _lib.hb_script_from_string(tag.encode(), -1)  # type: ignore[union-attr]
        _scripts[tag] = v
    return v


def _language(lang: str) -> int:
    v = _languages.get(lang)
    if v is None:
        v = _lib.hb_language_from_string(lang.encode(), -1)  # type: ignore[union-attr]
        _languages[lang] = v
    return v


def shape(font: Font, cps: int | bytes, n_in: int, script: str | None, rtl: bool, language: str | None) -> tuple[np.ndarray, ...]:
    """Shape ``n_in`` uint32 code points whole (BOT/EOT): (gids, clusters, x_adv, x_off, y_off).

    ``cps`` is their address or a bytes object holding them (UTF-32 in native byte order).

    The same buffer properties as :func:`mmx.render.shaping.shape_raw` gives
    through uharfbuzz (explicit direction; the script when known, else
    guessed; the language when given, else HarfBuzz's default), so the
    numbers are the same; dtypes match too (int64 ids and clusters, float64
    positions in font units).
    """
    lib = _lib
    assert lib is not None
    buf = _buffer()
    lib.hb_buffer_clear_contents(buf)
    lib.hb_buffer_add_codepoints(buf, cps, n_in, 0, n_in)
    lib.hb_buffer_set_direction(buf, _HB_DIRECTION_RTL if rtl else _HB_DIRECTION_LTR)
    lib.hb_buffer_set_language(buf, _language(language) if language else _default_language())
    if script:
        lib.hb_buffer_set_script(buf, _script(script))
    else:
        lib.hb_buffer_guess_segment_properties(buf)
    lib.hb_shape(font.ptr, buf, None, 0)
    n = lib.hb_buffer_get_length(buf)
    infos, pos = _out_arrays(n)
    if n:
        # hb_glyph_info_t and hb_glyph_position_t are both five 32-bit fields.
        i_addr, p_addr = _local.addr
        ctypes.memmove(i_addr, lib.hb_buffer_get_glyph_infos(buf, None), 20 * n)
        ctypes.memmove(p_addr, lib.hb_buffer_get_glyph_positions(buf, None), 20 * n)
    return _unpack(infos, pos, n)


_unpack = None
_default_lang: list[int] = []


def _default_language() -> int:
    if not _default_lang:
        _default_lang.append(_lib.hb_language_get_default())  # type: ignore[union-attr]
    return _default_lang[0]


_shape_runs = None


def _init_unpack() -> None:
    global _unpack, _shape_runs
    from mmx.render._kernels import shape_runs, unpack_glyphs

    _unpack = unpack_glyphs
    _shape_runs = shape_runs


_fns: np.ndarray | None = None


def _init_compiled(lib: ctypes.CDLL) -> None:
    """The addresses of the C functions :func:`mmx.render._kernels.shape_runs` calls."""
    global _fns
    names = [
        "hb_buffer_clear_contents", "hb_buffer_add_codepoints", "hb_buffer_set_direction",
        "hb_buffer_set_language", "hb_buffer_set_script", "hb_buffer_guess_segment_properties",
        "hb_shape", "hb_buffer_get_length", "hb_buffer_get_glyph_infos", "hb_buffer_get_glyph_positions",
    ]
    _fns = np.array([ctypes.cast(getattr(lib, n), ctypes.c_void_p).value for n in names], np.int64)


def script_code(tag: str | None) -> int:
    """HarfBuzz's script value for an ISO 15924 tag (0: none, let HarfBuzz guess)."""
    return _script(tag) if tag else 0


def direction_code(rtl: bool) -> int:
    return _HB_DIRECTION_RTL if rtl else _HB_DIRECTION_LTR


def language_code(language: str | None) -> int:
    return _language(language) if language else _default_language()


def shape_line(spec: np.ndarray, addr: int, language: int) -> tuple[np.ndarray, ...]:
    """Shape the runs of a line in one compiled call: (gid and cluster rows, x advance, x offset and
    y offset rows, each run's first glyph, each run's advance sum).

    ``spec`` rows: (start, end, HarfBuzz font, script value, direction) of
    each run of the UTF-32 text at ``addr``; see :func:`mmx.render._kernels.shape_runs`.
    """
    return _shape_runs(_fns, _buffer(), spec, addr, language)
