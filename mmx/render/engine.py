"""The renderer (:class:`Renderer`, :func:`render_text`) and its token/layout path.

Text -> itemized runs -> shaped glyphs -> lines -> images.

Layouts (``RenderProfile.layout``):
- ``strip``: one line of text in a strip ``height`` px high (PIXEL); text beyond
  ``max_patches`` spills into further strips or is truncated.
- ``folded``: the strip is folded into rows of ``width`` px, ``rows`` rows per
  image, so a 2x2 patch merger sees four consecutive patches (SeeTok).
- ``page``: word-wrapped lines on pages of ``width`` x ``height`` px (Glyph,
  DeepSeek-OCR).
Lines break only between *units* (grapheme clusters, merged where HarfBuzz made a
ligature), so a cluster is never split across lines, rows or strips.

Two paths draw the same layouts. A single strip (the common case of PIXEL-style
training data) takes the strip path, :mod:`mmx.render.strip`: itemized, shaped
run by run (spaces included) and drawn by one compiled call, with no layout
objects. Everything else (folded rows, pages, strips that overflow, tabs,
controls, bidi-mixed tokens) takes the token/layout path, which is this module:
tokens are itemized, shaped and drawn into a bitmap once per renderer, then
laid out as pieces, broken into lines, put in visual order, paginated and
composed. Which path a text takes depends only on the text and the profile, so
output is deterministic. Tokens, bidi levels and visual order come from
:mod:`mmx.render.itemize`, shaping from :mod:`mmx.render.shaping`, glyph
bitmaps from :mod:`mmx.render.raster`.
"""

from __future__ import annotations

import math
import re
import threading
from typing import TYPE_CHECKING

import numpy as np
import regex

from mmx.errors import InputError
from mmx.render.fonts import FontStack
from mmx.render.itemize import (
    MAX_TOKEN,
    TOKEN_RE,
    Itemizer,
    Run,
    bidi_levels,
    is_extend,
    may_be_cjk,
    para_rtl,
    split_long,
    visual_order,
)
from mmx.render.profiles import RenderProfile, get_profile
from mmx.render.raster import ATLAS
from mmx.render.result import MissingGlyph, Placement, RenderResult
from mmx.render.shaping import RunGlyphs, shape_words, space_advance
from mmx.render.strip import StripPath

if TYPE_CHECKING:
    from mmx.render.noise import Noise

# Paragraph separators; every other whitespace character is a space.
_PARA_RE = regex.compile(r"\r\n|[\n\r\u2028\u2029\x0b\x0c\x1c-\x1e\x85]")
# Is there any paragraph separator? One character class in the standard library's
# engine: half the time of _PARA_RE's search, run once per line.
_PARA_ANY_RE = re.compile(r"[\n\r\u2028\u2029\x0b\x0c\x1c-\x1e\x85]")
_TAB_SPACES = 4
_TOKEN_CACHE_LIMIT = 500_000
_SEG, _SPACE, _PARA, _CTRL, _TOK = 0, 1, 2, 3, 4

_stacks: dict[tuple, FontStack] = {}
_itemizers: dict[int, Itemizer] = {}
_lock = threading.RLock()


def font_stack(fonts: tuple[str, ...] = (), cjk: str = "sc") -> FontStack:
    """The (cached) font stack for extra font paths and a CJK preference."""
    from mmx.render.fonts import colour_emoji_path

    key = (tuple(fonts), cjk, colour_emoji_path())
    stack = _stacks.get(key)
    if stack is None:
        stack = FontStack(tuple(fonts), cjk)
        _stacks[key] = stack
    return stack


class _Piece:
    """A laid-out piece: a whole run, part of one (units u0..u1), a space or a control."""

    __slots__ = ("end", "face", "glyphs", "info", "kind", "level", "run_start", "shift", "start", "u0", "u1", "width")

    def __init__(self, kind: int, start: int, end: int, level: int, width: float,
                 glyphs: RunGlyphs | None = None, face: int = -1, info: _TokenInfo | None = None) -> None:
        self.kind = kind
        self.start = start  # absolute char offsets of what this piece draws
        self.end = end
        self.run_start = start  # absolute offset of the whole run (units are relative to it)
        self.level = level
        self.width = width
        self.glyphs = glyphs
        self.face = face
        self.u0 = 0
        self.u1 = -1  # -1: the whole run
        self.shift = 0.0  # x of the piece's left edge inside the run's glyphs
        self.info = info  # a whole token drawn from its cached bitmap (kind _TOK)

    def parts(self) -> list[tuple[int, int, int, int, float, RunGlyphs, float]]:
        """(run start, end, u0, u1, shift, glyphs, x offset) of the shaped runs this piece draws."""
        if self.kind == _TOK:
            info = self.info
            return [(self.start + rs, self.start + re, 0, -1, 0.0, g, float(xo)) for rs, re, g, xo, _f in info.parts]
        if self.glyphs is None:
            return []
        return [(self.run_start, self.end, self.u0, self.u1, self.shift, self.glyphs, 0.0)]

    def split(self, k: int) -> tuple[_Piece, _Piece]:
        """(units before k, units from k) of a run piece."""
        g = self.glyphs
        assert g is not None
        u1 = g.n_units if self.u1 < 0 else self.u1
        return self._sub(self.u0, k), self._sub(k, u1)

    def _sub(self, u0: int, u1: int) -> _Piece:
        g = self.glyphs
        assert g is not None
        n = g.n_units
        x0 = float(g.ux0[u0:u1].min())
        x1 = float(g.ux1[u0:u1].max())
        end = self.run_start + g.ustart[u1] if u1 < n else self.end
        pc = _Piece(self.kind, self.run_start + g.ustart[u0], end, self.level, x1 - x0, g, self.face)
        pc.run_start = self.run_start
        pc.u0, pc.u1, pc.shift = u0, u1, x0
        return pc


class _TokenInfo:
    """A whitespace-free token itemized, shaped and (if its level is uniform) drawn once.

    ``parts`` are its shaped runs in visual order with integer x offsets from
    the token's origin; ``bmp`` is its ink over the full line box height
    (``left`` px left of the origin), so a recurring word costs one array copy.
    """

    __slots__ = ("bmp", "clipped", "ctrl", "ink_bottom", "ink_top", "last_face", "left", "missing", "parts", "runs",
                 "uniform", "width")

    def __init__(self, runs: list[tuple[Run, RunGlyphs | None]], missing: list[int], uniform: bool) -> None:
        self.runs = runs
        self.missing = missing
        self.uniform = uniform
        self.ctrl = [(r.start, r.end) for r, g in runs if g is None]
        shaped = [(r, g) for r, g in runs if g is not None]
        self.last_face = shaped[-1][0].face if shaped else -1
        self.width = sum(g.advance for _, g in shaped)
        order = shaped[::-1] if uniform and runs and runs[0][0].level & 1 else shaped
        parts, x = [], 0.0
        for r, g in order:
            parts.append((r.start, r.end, g, int(math.floor(x + 0.5)), r.face))
            x += g.advance
        self.parts = parts
        self.bmp: np.ndarray | None = None  # (line_h, width) ink, a view of its batch's block
        self.left = 0
        self.clipped = False
        self.ink_top = self.ink_bottom = 0  # rows of ink relative to the line box top (bottom exclusive)


class Renderer:
    """Renders text with one profile; reuse it (fonts, glyphs and words are cached).

    Thread-safe (a lock serializes renders) and fork-safe (FreeType faces are
    reopened in a child process); the same text and profile give byte-identical
    images in any process.
    """

    def __init__(self, profile: str | RenderProfile = "pixel", **overrides: object) -> None:
        self.profile = get_profile(profile, **overrides)
        p = self.profile
        self.stack = font_stack(p.fonts, p.cjk)
        key = id(self.stack)
        if key not in _itemizers:
            _itemizers[key] = Itemizer(self.stack)
        self.itemizer = _itemizers[key]
        # Ink may overhang a glyph's advance (f, j, y, italics, marks): keep at
        # least a tenth of the font size free at both ends of a line or row.
        self.pad = max(p.pad, math.ceil(0.1 * p.font_size))
        if p.layout == "page":
            self.line_h = max(int(round(p.font_size * p.line_spacing)), 4)
            self.line_w = p.width - 2 * p.margin
            self.lines_per_image = max((p.height - 2 * p.margin) // self.line_h, 1)
        else:
            self.line_h = p.height
            self.line_w = p.width - 2 * self.pad
            self.lines_per_image = p.rows if p.layout == "folded" else 1
        if p.layout == "strip" and p.max_patches is not None:
            # The text must leave room for the end-of-sequence patch.
            usable = (p.max_patches - (1 if p.eos_patch else 0)) * p.patch_size
            self.line_w = min(self.line_w, usable - 2 * self.pad)
        if self.line_w <= 0 or (p.layout == "page" and p.height - 2 * p.margin < self.line_h):
            raise InputError(f"render profile {p.name!r} leaves no room for text (width {p.width}, height {p.height})")
        # How far ink may run above or below its line box: on pages, up to a whole
        # line (into the space between lines); strips and folded rows keep it inside.
        self.overhang = self.line_h if p.layout == "page" else 0
        self._tokens: dict[tuple, _TokenInfo] = {}
        self._space: dict[int, float] = {}
        self._metrics: dict[int, tuple[float, int]] = {}
        self._default_cjk = _cjk_from_language(p.language) or p.cjk
        self._capacity = 0  # _capacity_chars(), computed on first use
        # The compiled single-strip path (mmx/render/strip.py), for the texts it can draw.
        self._strip = StripPath(p, self.stack, self.itemizer, pad=self.pad, line_w=self.line_w, line_h=self.line_h,
                                default_cjk=self._default_cjk, metrics_of=self.metrics_of,
                                paint_colour=self._paint_colour)

    # -- metrics ---------------------------------------------------------
    @property
    def baseline(self) -> int:
        """The primary face's baseline (y down) inside a line box."""
        return self.metrics_of(self.stack.primary)[1]

    def size_of(self, face: int) -> float:
        """The pixel size a face is drawn at."""
        return self.metrics_of(face)[0]

    def metrics_of(self, face: int) -> tuple[float, int]:
        """(pixel size, baseline) of a face in this profile's line box.

        Pages (``layout="page"``) draw every face at the profile's size (times its
        body scale, ``FontFace.body_scale``: Arabic's small letter bodies are
        enlarged towards Latin's x-height) on one
        shared baseline (the primary face's ink centred in the line box): Noto's
        families are designed to match at equal em size, and tall stacks
        (Arabic vowel marks, Thai tone marks) may reach into the space between
        lines, as in typeset text; ink is cut only at the edges of the page.
        Fixed-height strips (``strip``, ``folded``) keep every face's ink inside
        the strip: a face is shrunk from the profile's size only as far as its
        measured ink (``FontFace.ink_extents``) needs, and gets its own baseline
        centring that ink, so tall scripts neither clip nor shrink Latin text
        beside them.
        """
        m = self._metrics.get(face)
        if m is None:
            # Apparent size: a face whose letter bodies are small for its em (Arabic)
            # is enlarged to match Latin's x-height (``FontFace.body_scale``).
            fs = self.profile.font_size * self.stack.faces[face].body_scale(self.stack.faces[self.stack.primary])
            if self.profile.layout == "page":
                a, d = self.stack.faces[self.stack.primary].ink_extents
                f0 = self.profile.font_size
                m = (fs, int(math.floor((self.line_h - (a + d) * f0) / 2 + a * f0 + 0.5)))
            else:
                m = self._fit_strip(face, fs)
            self._metrics[face] = m
        return m

    def _fit_strip(self, face: int, fs: float) -> tuple[float, int]:
        """The largest size up to ``fs`` at which a face's probe ink, rasterized as drawn, fits the strip.

        The smallest reduction that keeps the tallest common stacks (``PROBES``)
        inside the strip: sizes are searched in 1/64 px on the real hinted
        bitmaps, and the baseline centres that ink. Faces without a probe use
        their measured extents with a pixel to spare.
        """
        f = self.stack.faces[face]
        h = self.line_h
        if not f.probe_glyphs:
            a, d = f.ink_extents
            # A pixel (7% of taller boxes) to spare: hinting snaps tops and
            # baselines by up to a pixel, more at larger sizes.
            room = h - max(1.0, 0.07 * h)
            size = max(min(fs, room / (a + d)), 1.0)
            return size, int(math.floor((h - (a + d) * size) / 2 + a * size + 0.5))

        def rows(s26: int) -> tuple[int, int]:
            scale = s26 / 64.0 / f.upem
            return ATLAS.ink_rows(f.draw_path, f.draw_index, s26, [(g, y * scale) for g, y in f.probe_glyphs], f.draw_coords)

        lo, hi = 64, max(int(round(fs * 64)), 64)
        top, bottom = rows(hi)
        if bottom - top > h:
            while hi - lo > 1:  # ink height grows with size (up to hinting's pixel steps)
                mid = (lo + hi) // 2
                t, b = rows(mid)
                if b - t <= h:
                    lo = mid
                else:
                    hi = mid
            hi = lo
            top, bottom = rows(hi)
        return hi / 64.0, -top + (h - (bottom - top)) // 2

    # -- public ----------------------------------------------------------
    def render(self, text: str) -> RenderResult:
        """Render ``text``; see :class:`~mmx.render.result.RenderResult` for what comes back."""
        if not isinstance(text, str):
            raise InputError(f"text must be a str, got {type(text).__name__}; decode bytes as UTF-8 first")
        with _lock:  # the caches are shared; FreeType faces are not thread-safe
            return self._render(text)

    def _render(self, text: str) -> RenderResult:
        p = self.profile
        if len(self._tokens) > _TOKEN_CACHE_LIMIT:  # bound memory on endless streams of new words
            self._reset_caches()
        cap = self._capacity or self._capacity_chars()
        cut = len(text) if len(text) <= cap else _grapheme_floor(text, cap)
        if p.layout == "strip" and _PARA_ANY_RE.search(text, 0, cut) is None:
            fast = self._strip.render(text, cut)
            if fast is not None:
                return fast
        pieces, missing, controls = self._items(text[:cut])
        lines = self._break(pieces)
        if not any(pc.kind in (_SEG, _TOK) for _, line in lines for pc in line):
            lines = []  # blank text: no lines, no text patches
        row_width = p.width
        if p.layout == "folded" and p.crop and 0 < len(lines) <= p.rows:
            lines, row_width = self._balance(pieces, lines)
        max_images = p.max_images if p.overflow == "spill" else 1
        truncated_at: int | None = cut if cut < len(text) and not text[cut:].isspace() else None
        pages = self._paginate(lines)
        if len(pages) > max_images:
            dropped = [pc.start for chunk, _ in pages[max_images:] for _, line in chunk for pc in line if pc.kind in (_SEG, _TOK)]
            if dropped:
                truncated_at = min(dropped)
            pages = pages[:max_images]
        if truncated_at is not None:
            missing = [m for m in missing if m.index < truncated_at]
            controls = [c for c in controls if c.index < truncated_at]
        return self._compose(text, pages, missing, controls, truncated_at, row_width)

    def _paginate(self, lines: list) -> list[tuple[list, list[int]]]:
        """Lines per image with the top of each line box.

        Strips and folded rows are fixed boxes. Pages set lines ``line_h`` apart
        as a rule, and further apart only where the ink of two neighbouring
        lines would otherwise touch (TeX's baselineskip / lineskip): tall stacks
        use the space between lines, yet lines never overprint each other.
        """
        p = self.profile
        if p.layout != "page":
            n = self.lines_per_image
            return [(lines[i : i + n], [r * self.line_h for r in range(len(lines[i : i + n]))]) for i in range(0, len(lines), n)]
        pages: list[tuple[list, list[int]]] = []
        chunk: list = []
        tops: list[int] = []
        prev_top = prev_bottom = 0
        for line in lines:
            ink_top, ink_bottom = self._line_ink(line[1])
            top = p.margin
            if chunk:
                top = max(prev_top + self.line_h, prev_top + prev_bottom + 1 - ink_top)  # one blank row between inks
                if top + self.line_h > p.height - p.margin:
                    pages.append((chunk, tops))
                    chunk, tops, top = [], [], p.margin
            chunk.append(line)
            tops.append(top)
            prev_top, prev_bottom = top, ink_bottom
        if chunk:
            pages.append((chunk, tops))
        return pages

    def _line_ink(self, pieces: list[_Piece]) -> tuple[int, int]:
        """(first, last + 1) row of a line's ink relative to its box top; the box for a line without ink."""
        top, bottom = 1 << 30, -(1 << 30)
        for pc in pieces:
            if pc.kind == _TOK and pc.info.bmp is not None:
                top, bottom = min(top, pc.info.ink_top), max(bottom, pc.info.ink_bottom)
            elif pc.kind == _SEG and pc.glyphs is not None and pc.glyphs.slots.size:
                # A run drawn glyph by glyph (a split or bidi-mixed word): its face's measured extents.
                a, d = self.stack.faces[pc.face].ink_extents
                size, base = self.metrics_of(pc.face)
                top, bottom = min(top, base - math.ceil(a * size)), max(bottom, base + math.ceil(d * size))
        return (top, bottom) if bottom > top else (0, self.line_h)

    def _balance(self, pieces: list[_Piece], lines: list) -> tuple[list, int]:
        """Narrow the rows of a short folded text so it fills whole merge groups.

        With a 2x2 merger a text of one and a half rows would leave half of the
        second row pair empty; folding it into evenly filled rows of a narrower
        width keeps every visual token busy (about ceil(patches / 4) tokens).
        """
        p = self.profile
        step = p.patch_size * p.merge
        rows = max(math.ceil(len(lines) / p.merge) * p.merge, p.merge)
        total = sum(w for w, _ in lines)
        width = max(math.ceil((total / rows + 2 * self.pad) / step) * step, step)
        full = self.line_w
        try:
            while width < p.width:
                self.line_w = width - 2 * self.pad
                trial = self._break(pieces)
                if len(trial) <= rows:
                    return trial, width
                width += step
        finally:
            self.line_w = full
        return lines, p.width

    def _reset_caches(self) -> None:
        self._tokens.clear()

    def clear_caches(self) -> None:
        """Forget every cached result keyed by text: shaped words and runs, itemized tokens.

        Fonts, code-point tables and rasterized glyphs stay. Benchmarks call
        this before each timed pass so that a pass reuses only what it saw itself.
        """
        self._tokens.clear()
        self.itemizer.clear_text_cache()

    def _capacity_chars(self) -> int:
        """An upper bound on the characters that can fit, so 1 MB of text is not shaped in vain."""
        p = self.profile
        images = p.max_images if p.overflow == "spill" else 1
        area = self.line_w * self.lines_per_image * images
        # No visible character is narrower than ~0.05 em; marks beyond are reported truncated.
        self._capacity = int(area / max(0.05 * p.font_size, 0.25)) + 64
        return self._capacity

    # -- itemization -----------------------------------------------------
    def _items(self, text: str) -> tuple[list[_Piece], list[MissingGlyph], list[MissingGlyph]]:
        p = self.profile
        items: list[_Piece] = []
        missing: list[MissingGlyph] = []
        controls: list[MissingGlyph] = []
        paragraphs = []
        pos = 0
        for m in _PARA_RE.finditer(text):
            paragraphs.append((pos, m.start(), m.end()))
            pos = m.end()
        paragraphs.append((pos, len(text), len(text)))
        default_cjk = _cjk_from_language(p.language) or p.cjk
        cache = self._tokens
        for start, end, sep_end in paragraphs:
            para = text[start:end]
            levels, base = bidi_levels(para)
            has_levels = base != 0 or bool(levels.any())
            cjk = self.itemizer.cjk_for(para, default_cjk) if may_be_cjk(para) else default_cjk
            toks = [(m.start(), m.group()) for m in TOKEN_RE.finditer(para)]
            if toks and max(len(t) for _, t in toks) > MAX_TOKEN:
                toks = split_long(toks)
            infos: list[_TokenInfo | None] = []
            pending: list[tuple[int, tuple | None, str, np.ndarray | None, int]] = []
            for t0, tok in toks:
                if tok.isspace():
                    infos.append(None)
                    continue
                if has_levels:
                    tl = levels[t0 : t0 + len(tok)]
                    uniform = bool((tl == tl[0]).all())
                    lv = int(tl[0])
                else:
                    tl, uniform, lv = None, True, 0
                key = (tok, lv, cjk) if uniform else None
                info = cache.get(key) if key is not None else None
                if info is None:
                    pending.append((len(infos), key, tok, None if uniform else tl, lv))
                infos.append(info)
            if pending:
                for slot, info in self._resolve(pending, cjk):
                    infos[slot] = info
            space_face = self.stack.primary
            for (t0, tok), info in zip(toks, infos):
                off = start + t0
                if info is None:
                    n = _TAB_SPACES if tok == "\t" else 1
                    lv = int(levels[t0]) if has_levels else base
                    items.append(_Piece(_SPACE, off, off + 1, lv, n * self._space_width(space_face)))
                    continue
                if info.missing:
                    missing.extend(MissingGlyph(ord(text[off + i]), off + i) for i in info.missing)
                if info.ctrl:
                    controls.extend(MissingGlyph(ord(text[k]), k) for a, b in info.ctrl for k in range(off + a, off + b))
                if info.uniform:
                    lv = info.runs[0][0].level
                    items.append(_Piece(_TOK, off, off + len(tok), lv, info.width, None, info.last_face, info))
                else:
                    items.extend(_expand(off, info))
                if info.last_face >= 0:
                    space_face = info.last_face
            if sep_end > end:  # the paragraph separator itself
                items.append(_Piece(_PARA, end, sep_end, base, self._space_width(space_face)))
        return items, missing, controls

    def _resolve(self, pending: list, cjk: str) -> list[tuple[int, _TokenInfo]]:
        """Itemize and shape the tokens that missed the cache, batching HarfBuzz calls."""
        runs_of: list[tuple[list[Run], list[int]]] = []
        groups: dict[tuple[int, str, bool], list[tuple[int, int]]] = {}
        for n, (_slot, _key, tok, tl, lv) in enumerate(pending):
            runs, miss = self.itemizer.token(tok, tl, lv, cjk)
            runs_of.append((runs, miss))
            for r_i, run in enumerate(runs):
                if run.face >= 0:
                    groups.setdefault((run.face, run.script, bool(run.level & 1)), []).append((n, r_i))
        shaped: dict[tuple[int, int], RunGlyphs] = {}
        for (face, script, rtl), members in groups.items():
            texts, graphemes = [], []
            for n, r_i in members:
                run = runs_of[n][0][r_i]
                texts.append(pending[n][2][run.start : run.end])
                graphemes.append(run.graphemes)
            glyphs = shape_words(self.stack.faces[face], self.size_of(face), texts, graphemes, script, rtl, self.profile.language)
            shaped.update(zip(members, glyphs))
        out = []
        fresh: list[_TokenInfo] = []
        for n, (slot, key, _tok, tl, _lv) in enumerate(pending):
            runs, miss = runs_of[n]
            info = _TokenInfo([(run, shaped.get((n, r_i))) for r_i, run in enumerate(runs)], miss, tl is None)
            if info.uniform:
                fresh.append(info)
            if key is not None:
                self._tokens[key] = info
            out.append((slot, info))
        if fresh:
            self._draw_tokens(fresh)
        return out

    def _draw_tokens(self, infos: list[_TokenInfo]) -> None:
        """Draw the ink of new tokens into bitmaps, one compiled call for all of them."""
        from mmx.render._kernels import draw_tokens

        slots_l, dx_l, dy_l, counts = [], [], [], []
        for t, info in enumerate(infos):
            for _rs, _re, g, xo, face in info.parts:
                if g.slots.size:
                    slots_l.append(g.slots)
                    dx_l.append(g.gx + xo)
                    dy_l.append(g.gy + self.metrics_of(face)[1] + self.overhang)
                    counts.append((t, g.slots.size))
        if not slots_l:
            return
        glyph_tok = np.repeat(np.array([t for t, _ in counts], np.int64), np.array([n for _, n in counts], np.int64))
        a = ATLAS
        block, offs, widths, xmin, clipped = draw_tokens(
            np.concatenate(slots_l), np.concatenate(dx_l).astype(np.int64), np.concatenate(dy_l).astype(np.int64),
            glyph_tok, len(infos), a.start, a.length, a.ys, a.xs, a.vals, self.line_h + 2 * self.overhang,
        )
        h = self.line_h + 2 * self.overhang
        for info, off, w, x0, clip in zip(infos, offs.tolist(), widths.tolist(), xmin.tolist(), clipped.tolist()):
            info.clipped = clip
            if w:
                info.left = -x0
                info.bmp = block[off : off + h * w].reshape(h, w)
                if self.overhang:  # pages space lines by their ink (``_paginate``)
                    rows = np.flatnonzero(info.bmp.any(axis=1))
                    info.ink_top = int(rows[0]) - self.overhang
                    info.ink_bottom = int(rows[-1]) + 1 - self.overhang

    def _space_width(self, face: int) -> float:
        w = self._space.get(face)
        if w is None:
            w = space_advance(self.stack.faces[face], self.size_of(face))
            self._space[face] = w
        return w

    # -- line breaking ---------------------------------------------------
    def _break(self, pieces: list[_Piece]) -> list[tuple[float, list[_Piece]]]:
        """Greedy breaking in logical order; page layouts wrap whole words.

        Breaks fall only between units, so grapheme clusters and ligatures stay
        whole; strips and folded rows break anywhere (maximum density), pages
        move a word that does not fit to the next line and split only words
        longer than a line.
        """
        limit = float(self.line_w)
        words = self.profile.layout == "page"
        total = sum(pc.width for pc in pieces)
        if total <= limit and not (words and any(pc.kind == _PARA for pc in pieces)):
            line = _trim(total, list(pieces))  # the common case: one line
            return [line] if line[1] else []
        lines: list[tuple[float, list[_Piece]]] = []
        cur: list[_Piece] = []
        cur_w = 0.0
        i = 0
        pieces = list(pieces)
        while i < len(pieces):
            pc = pieces[i]
            kind = pc.kind
            if kind == _PARA and words:
                lines.append(_trim(cur_w, cur))
                cur, cur_w = [], 0.0
                i += 1
                continue
            if kind in (_SPACE, _PARA, _CTRL):
                if cur or kind == _CTRL:  # no leading spaces on a new line
                    cur.append(pc)
                    cur_w += pc.width
                i += 1
                continue
            if words and pc.u1 < 0:
                j, wsum = i, 0.0
                while j < len(pieces) and pieces[j].kind in (_SEG, _CTRL, _TOK):
                    wsum += pieces[j].width
                    j += 1
                if cur_w + wsum > limit and wsum <= limit and any(x.kind in (_SEG, _TOK) for x in cur):
                    lines.append(_trim(cur_w, cur))
                    cur, cur_w = [], 0.0
                if cur_w + wsum <= limit:
                    cur.extend(pieces[i:j])
                    cur_w += wsum
                    i = j
                    continue
            if cur_w + pc.width <= limit:
                cur.append(pc)
                cur_w += pc.width
                i += 1
                continue
            if kind == _TOK:  # split a whole token: continue with its runs
                pieces[i : i + 1] = _expand(pc.start, pc.info)
                continue
            g = pc.glyphs
            assert g is not None
            u1 = g.n_units if pc.u1 < 0 else pc.u1
            widths = g.ux1 - g.ux0
            k, acc = pc.u0, cur_w
            while k < u1 and acc + widths[k] <= limit:
                acc += widths[k]
                k += 1
            if k == pc.u0:
                if cur:
                    lines.append(_trim(cur_w, cur))
                    cur, cur_w = [], 0.0
                    continue
                k = pc.u0 + 1  # one unit wider than a line: placed alone, its ink is clipped
            if k >= u1:
                cur.append(pc)
                cur_w += pc.width
                i += 1
                continue
            head, rest = pc.split(k)
            cur.append(head)
            lines.append(_trim(cur_w + head.width, cur))
            cur, cur_w = [], 0.0
            pieces[i] = rest
        if cur:
            lines.append(_trim(cur_w, cur))
        return lines

    # -- composition -----------------------------------------------------
    def _image_geometry(self, img_i: int, chunk: list, tops: list[int], n_images: int, row_width: int) -> tuple[int, int, list, int]:
        """(width, height, line origins (x, top, box width), text patches) of one image."""
        p = self.profile
        ps = p.patch_size
        if p.layout == "strip":
            line_w = chunk[0][0] if chunk else 0.0
            n_text = math.ceil((line_w + 2 * self.pad) / ps) if line_w > 0 else 0
            width = max(n_text + (1 if p.eos_patch else 0), 1) * ps
            return width, p.height, [(self.pad, 0, n_text * ps - 2 * self.pad if n_text else 0)], n_text
        if p.layout == "folded":
            width = row_width
            rows = len(chunk) if p.crop else p.rows
            rows = max(math.ceil(rows / p.merge) * p.merge, p.merge)
            n_text = sum(math.ceil((w + 2 * self.pad) / ps) for w, _ in chunk if w > 0)
            return width, rows * p.height, [(self.pad, r * p.height, width - 2 * self.pad) for r in range(len(chunk))], n_text
        height = p.height
        if p.crop and img_i == n_images - 1:
            unit = ps * p.merge
            used = tops[-1] + max(self.line_h, self._line_ink(chunk[-1][1])[1]) if chunk else 0
            height = min(p.height, max(math.ceil((used + p.margin) / unit), 1) * unit)
        origins = [(p.margin, top, self.line_w) for top in tops]
        return p.width, height, origins, (height // ps) * (p.width // ps) if chunk else 0

    def _compose(self, text: str, pages: list, missing: list, controls: list, truncated_at: int | None, row_width: int) -> RenderResult:
        p = self.profile
        ps = p.patch_size
        placements: list[Placement] = []
        arrays: list[np.ndarray] = []
        visual_tokens = ink_patches = 0
        colour_face = self.stack.index.get(id(self.stack.colour_emoji), -2)
        colour_arrays: list[np.ndarray | None] = []
        clipped = False
        n_images = max(1, len(pages))
        line_h = self.line_h
        line_ink: dict[tuple[int, int], tuple[int, int]] = {}
        for img_i in range(n_images):
            chunk, line_tops = pages[img_i] if pages else ([], [])
            width, height, origins, _n_text = self._image_geometry(img_i, chunk, line_tops, n_images, row_width)
            if self.overhang:
                for (_w, line), top in zip(chunk, line_tops):
                    t, b = self._line_ink(line)
                    line_ink[(img_i, top)] = (max(top + t, 0), min(top + b, height))
            slots_l, gx_l, gy_l, counts, dxs, dys, tops, bmps = [], [], [], [], [], [], [], []
            colour_glyphs: list[tuple[np.ndarray, np.ndarray, np.ndarray, int]] = []
            for (line_w, pieces), (ox, oy, box_w) in zip(chunk, origins):
                x = ox + (box_w - line_w if box_w > line_w and para_rtl(pieces, _is_text) else 0.0)
                for pc in visual_order(pieces, _is_space):
                    if pc.kind == _TOK:
                        info = pc.info
                        if info.bmp is not None:
                            bmps.append((info.bmp, int(math.floor(x + 0.5)) - info.left, oy - self.overhang))
                            for _rs, _re, g, xo, face in info.parts:
                                if face == colour_face and g.slots.size:
                                    colour_glyphs.append((g.slots, int(math.floor(x + 0.5)) + xo + g.gx,
                                                          oy + self.metrics_of(face)[1] + g.gy, oy))
                        clipped = clipped or info.clipped
                        placements.append(Placement(img_i, x, oy, pc))
                    elif pc.glyphs is not None:
                        g = pc.glyphs
                        if g.slots.size:
                            if pc.u1 < 0:
                                slots, gx, gy = g.slots, g.gx, g.gy
                            else:
                                sel = (g.gunit >= pc.u0) & (g.gunit < pc.u1)
                                slots, gx, gy = g.slots[sel], g.gx[sel], g.gy[sel]
                            slots_l.append(slots)
                            gx_l.append(gx)
                            gy_l.append(gy)
                            counts.append(slots.size)
                            dxs.append(int(math.floor(x - pc.shift + 0.5)))
                            dys.append(oy + self.metrics_of(pc.face)[1])
                            tops.append(oy)
                            if pc.face == colour_face:
                                colour_glyphs.append((slots, dxs[-1] + gx, dys[-1] + gy, oy))
                        placements.append(Placement(img_i, x, oy, pc))
                    x += pc.width
            canvas = np.zeros((height, width), np.uint8)
            for bmp, x0, y0 in bmps:
                if y0 < 0 or y0 + bmp.shape[0] > height:  # ink past the top or bottom edge is cut
                    inside = bmp[max(0, -y0) : max(0, height - y0)]
                    clipped = clipped or int(inside.sum(dtype=np.int64)) != int(bmp.sum(dtype=np.int64))
                    bmp, y0 = inside, max(y0, 0)
                    if not bmp.size:
                        continue
                x1 = x0 + bmp.shape[1]
                if x0 < 0 or x1 > width:
                    clipped = True
                    bmp = bmp[:, max(0, -x0) : bmp.shape[1] - max(0, x1 - width)]
                    x0, x1 = max(x0, 0), min(x1, width)
                    if x1 <= x0:
                        continue
                dst = canvas[y0 : y0 + bmp.shape[0], x0:x1]
                np.maximum(dst, bmp, out=dst)
            if slots_l:
                from mmx.render._kernels import gather_max

                cnt = np.array(counts)
                a = ATLAS
                # In strips each glyph may ink only its own row (rows of a folded strip
                # must not bleed into each other); on pages ink may leave its line box
                # (``overhang``) and only the page edge cuts it. Max, not sum, so
                # overlapping antialiased edges (marks on bases) do not darken.
                box_tops = np.zeros(cnt.sum(), np.int64) if self.overhang else np.repeat(np.array(tops, np.int64), cnt)
                clipped = gather_max(
                    canvas, np.concatenate(slots_l),
                    np.concatenate(gx_l).astype(np.int64) + np.repeat(np.array(dxs, np.int64), cnt),
                    np.concatenate(gy_l).astype(np.int64) + np.repeat(np.array(dys, np.int64), cnt),
                    box_tops, height if self.overhang else line_h, a.start, a.length, a.ys, a.xs, a.vals,
                ) or clipped
            ink_patches += _ink_patches(canvas, ps)
            if p.layout == "strip" and p.eos_patch:
                canvas[:, width - ps :] = 255
            arrays.append(255 - canvas)
            colour_arrays.append(self._paint_colour(arrays[-1], colour_glyphs) if p.rgb and colour_glyphs else None)
            if p.layout == "strip":
                visual_tokens += math.ceil((width // ps) / (p.merge * p.merge))
            else:
                visual_tokens += (height // (ps * p.merge)) * (width // (ps * p.merge))
        if not pages and not (p.layout == "strip" and p.eos_patch):
            visual_tokens = 0
        return RenderResult(
            text=text,
            profile=p,
            arrays=arrays,
            ink_patches=ink_patches,
            visual_tokens=visual_tokens,
            missing_glyphs=missing,
            control_chars=controls,
            clipped=clipped,
            truncated=truncated_at is not None,
            truncated_at=truncated_at,
            stack=self.stack,
            placements=placements,
            line_height=line_h,
            line_ink=line_ink,
            colour_arrays=colour_arrays if any(c is not None for c in colour_arrays) else [],
        )

    def _paint_colour(self, gray: np.ndarray, glyphs: list[tuple[np.ndarray, np.ndarray, np.ndarray, int]]) -> np.ndarray:
        """An RGB copy of a grey image with colour glyphs painted over their grey ink.

        ``glyphs``: (atlas slots, x, y of each pen position, line box top). Colour
        keeps to the same box as the grey ink: the row in strips, the page on pages.
        """
        rgb = np.repeat(gray[..., None], 3, axis=2).astype(np.float32)
        h, w = gray.shape
        for slots, xs, ys, box_top in glyphs:
            lo, hi = (0, h) if self.overhang else (box_top, min(box_top + self.line_h, h))
            for slot, x, y in zip(slots.tolist(), np.asarray(xs).tolist(), np.asarray(ys).tolist()):
                found = ATLAS.colour.get(slot)
                if found is None:
                    continue
                top, left, rgba = found
                y0, x0 = y + top, x + left
                y1, x1 = y0 + rgba.shape[0], x0 + rgba.shape[1]
                cy0, cy1, cx0, cx1 = max(y0, lo), min(y1, hi), max(x0, 0), min(x1, w)
                if cy1 <= cy0 or cx1 <= cx0:
                    continue
                src = rgba[cy0 - y0 : cy1 - y0, cx0 - x0 : cx1 - x0].astype(np.float32)
                alpha = src[..., 3:] / 255.0
                dst = rgb[cy0:cy1, cx0:cx1]
                # premultiplied "over": the glyph's grey ink underneath is replaced where it is opaque
                dst[...] = dst * (1.0 - alpha) + src[..., :3]
        return np.clip(np.round(rgb), 0, 255).astype(np.uint8)


def _ink_patches(canvas: np.ndarray, ps: int) -> int:
    """Patches of an ink canvas (0: blank) holding at least one inked pixel."""
    h, w = canvas.shape
    w -= w % ps
    # Two single-axis reductions: several times faster than one over axes (1, 3) of a 4-d view.
    bands = canvas[: h - h % ps, :w].reshape(h // ps, ps, w).max(axis=1)
    return int(np.count_nonzero(bands.reshape(h // ps, w // ps, ps).max(axis=2)))


def _expand(off: int, info: _TokenInfo) -> list[_Piece]:
    """The run pieces of a token (for bidi-mixed tokens and for splitting a token at a break)."""
    out = []
    for run, glyphs in info.runs:
        a, b = off + run.start, off + run.end
        if glyphs is None:
            out.append(_Piece(_CTRL, a, b, run.level, 0.0))
        else:
            out.append(_Piece(_SEG, a, b, run.level, glyphs.advance, glyphs, run.face))
    return out


def _trim(width: float, pieces: list[_Piece]) -> tuple[float, list[_Piece]]:
    """A finished line: trailing spaces hang past the line end and are dropped."""
    while pieces and pieces[-1].kind in (_SPACE, _PARA):
        width -= pieces.pop().width
    if not any(pc.kind in (_SEG, _TOK) for pc in pieces):
        width = 0.0  # no ink: no float residue of subtracted space widths
    return width, pieces


def _is_text(pc: _Piece) -> bool:
    return pc.kind in (_SEG, _TOK)


def _is_space(pc: _Piece) -> bool:
    """Whitespace and controls: at the end of a line they take the paragraph level (UAX #9 L1)."""
    return pc.kind in (_SPACE, _PARA, _CTRL)


def _grapheme_floor(text: str, cut: int) -> int:
    """Move a cut position back to the start of the grapheme cluster it falls in.

    Looks back over extending characters (marks, joiners, selectors, emoji
    modifiers); a cut inside a ZWJ sequence backs up past the joiner too.
    """
    if cut >= len(text):
        return cut
    while cut > 0 and (is_extend(text[cut]) or text[cut - 1] == "\u200d"):
        cut -= 1
    return cut


def _cjk_from_language(language: str | None) -> str | None:
    if not language:
        return None
    lang = language.lower()
    if lang.startswith("ja"):
        return "jp"
    if lang.startswith("ko"):
        return "kr"
    if lang.startswith("zh"):
        return "tc" if any(t in lang for t in ("hant", "-tw", "-hk", "-mo")) else "sc"
    return None


_renderers: dict[RenderProfile, Renderer] = {}


def render_text(
    text: str,
    profile: str | RenderProfile = "pixel",
    *,
    noise: str | Noise | None = None,
    seed: int = 0,
    **overrides: object,
) -> RenderResult:
    """Render ``text`` with a profile (name or object) and field overrides.

    ``noise`` (a :class:`~mmx.render.noise.Noise` or a spec such as
    ``"homoglyphs:0.1,blur:0.3-1"``) perturbs the text, then the profile (font
    and size jitter), then the image, with a generator seeded by ``seed`` and
    the text, so a noisy rendering is reproducible in any process. Renderers are
    cached per profile, so repeated calls reuse fonts, glyphs and shaped words.
    """
    prof = get_profile(profile, **overrides)
    if noise is None:
        return _cached_renderer(prof).render(text)
    from mmx.render.noise import parse_noise, rng_for

    if not isinstance(text, str):
        raise InputError(f"text must be a str, got {type(text).__name__}; decode bytes as UTF-8 first")
    ops = parse_noise(noise) if isinstance(noise, str) else noise
    rng = rng_for(seed, text)
    noisy = ops.apply_text(text, rng)
    result = _cached_renderer(ops.apply_profile(prof, rng)).render(noisy)
    result.arrays = [_gray(ops.apply_image(a, rng)) for a in result.arrays]
    result.colour_arrays = []  # image noise works on grey images: colour glyphs come out grey
    return result


def _gray(a: np.ndarray) -> np.ndarray:
    return a if a.ndim == 2 else a.mean(axis=-1).round().astype(np.uint8)


def _cached_renderer(prof: RenderProfile) -> Renderer:
    r = _renderers.get(prof)
    if r is None:
        if len(_renderers) > 256:  # jittered profiles: keep the cache bounded
            _renderers.clear()
        r = Renderer(prof)
        _renderers[prof] = r
    return r
