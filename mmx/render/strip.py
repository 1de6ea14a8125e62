"""The strip path: one paragraph on one strip, drawn with no layout objects.

The common case of PIXEL-style training data (layout ``strip``, one paragraph
that fits one strip) is drawn here: the line is itemized by one compiled call
over per-code-point tables (word by word, from cached itemizations, where the
tables cannot decide), each run of one face, script and bidi level is shaped
whole, spaces included, by one compiled call into HarfBuzz; the runs are
ordered by UAX #9 L2, compiled code positions their glyphs and finds them in
the atlas, and one compiled call draws the strip. Character offsets are built
only when asked for.

:meth:`StripPath.render` returns None where the text needs the token/layout
path of :mod:`mmx.render.engine` (it does not fit one strip, or holds tabs,
controls or tokens of mixed bidi levels); which path a text takes depends only
on the text and the profile, so output is deterministic.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from mmx.render import _hb
from mmx.render.fonts import FontStack
from mmx.render.itemize import (
    CLUSTER_RE,
    MAX_TOKEN,
    TOKEN_RE,
    Itemizer,
    bidi_levels,
    hb_script,
    l2_order,
    may_be_cjk,
    needs_bidi,
    plain_ltr,
    split_long,
)
from mmx.render.profiles import RenderProfile
from mmx.render.raster import ATLAS, SUBPIXEL
from mmx.render.result import MissingGlyph, Placement, RenderResult
from mmx.render.shaping import RunGlyphs, c_font, codepoints, shape_raw

_K = None  # mmx.render._kernels, imported on first use (numba takes a while to import)
_SCRIPT_CODES: dict[str, int] = {}


class StripPath:
    """The compiled single-strip path of one renderer (:class:`mmx.render.engine.Renderer`).

    The renderer lends it its profile, fonts, geometry (``pad``, ``line_w``,
    ``line_h``), its face metrics and its colour painter, and calls
    :meth:`render` under its lock. What it keeps is per face, not per text:
    each face's scale, size, baseline, atlas slot table and HarfBuzz font.
    """

    def __init__(self, profile: RenderProfile, stack: FontStack, itemizer: Itemizer, *, pad: int, line_w: int,
                 line_h: int, default_cjk: str, metrics_of: Callable[[int], tuple[float, int]],
                 paint_colour: Callable[[np.ndarray, list], np.ndarray]) -> None:
        self.profile = profile
        self.stack = stack
        self.itemizer = itemizer
        self.pad = pad
        self.line_w = line_w
        self.line_h = line_h
        self._default_cjk = default_cjk
        self.metrics_of = metrics_of
        self._paint_colour = paint_colour
        self._faces: dict[int, tuple] = {}  # face -> (FontFace, scale, size 26.6, baseline, atlas table, hb font)
        self._colour_face = stack.index.get(id(stack.colour_emoji), -2)  # -2: no colour emoji font

    def render(self, text: str, cut: int) -> RenderResult | None:
        """One paragraph on one strip: whole runs shaped, drawn straight to the canvas.

        The common case of strip rendering, done without layout objects: the
        line is itemized by one compiled call over per-code-point tables, each
        run of one face, script and bidi level is shaped whole, spaces
        included (one compiled call shapes every run of the line with
        HarfBuzz); runs are ordered by UAX #9 L2, compiled code positions them
        and finds their glyphs in the atlas, and one compiled call draws the
        strip. Returns None (the token/layout path of :mod:`mmx.render.engine`
        takes over) when the text does not fit one strip or holds tabs,
        controls or tokens of mixed bidi levels.
        """
        k = _K or _load_kernels()
        p = self.profile
        body = text[:cut].rstrip()
        if not body or "\t" in body:
            return None
        cjk = self._default_cjk
        base = 0
        lv: list[int] | None = None
        if not plain_ltr(body):
            if may_be_cjk(body):
                cjk = self.itemizer.cjk_for(body, cjk)
            if needs_bidi(body):
                levels, base = bidi_levels(body)
                lv = levels.tolist()
        cps = codepoints(body)
        runs = self.itemizer.line_runs(body, levels if lv is not None else None, cjk, cps)
        missing: list[MissingGlyph] = []
        if runs is None:  # the word-by-word rules: compiled where the clusters are simple (ZWNJ), else below
            runs = self.itemizer.token_line_runs(levels if lv is not None else None, cjk, cps)
            if runs == []:  # a word of mixed bidi levels: the layout path's, as _token_runs would find
                return None
        if runs is None:
            found = self._token_runs(text, body, lv, cjk)
            if found is None:
                return None
            runs, missing = found
        if _hb.available():
            # Every run of the line shaped by one compiled call into HarfBuzz.
            infos = [self._faces.get(r[2]) or self._face_info(r[2]) for r in runs]
            spec = np.array([(r[0], r[1], fi[5], self._script_code(r[3]), 5 if r[4] & 1 else 4) for r, fi in zip(runs, infos)], np.int64)
            ints, flts, offs, sums = _hb.shape_line(spec, cps.__array_interface__["data"][0], _hb.language_code(p.language))
            offs_l = offs.tolist()
            spans = [(offs_l[i], offs_l[i + 1]) for i in range(len(runs))]
            widths = [s * fi[1] for s, fi in zip(sums.tolist(), infos)]
        else:
            gl, spans, widths, g = [], [], [], 0
            for a, b, face, script, level in runs:
                fi = self._faces.get(face) or self._face_info(face)
                out = shape_raw(fi[0], body[a:b], script, (level & 1) == 1, p.language)
                gl.append(out)
                spans.append((g, g + out[0].size))
                g += out[0].size
                widths.append(float(out[2].sum()) * fi[1])
            ints = np.stack([np.concatenate([o[0] for o in gl]), np.concatenate([o[1] for o in gl])])
            flts = np.stack([np.concatenate([o[j] for o in gl]) for j in (2, 3, 4)])
        total = 0.0
        for width in widths:
            total += width
        if total > self.line_w:
            return None
        nr = len(runs)
        order = l2_order([r[4] for r in runs], base, [False] * nr) if lv is not None else list(range(nr))
        if nr <= 2:  # one call per run costs less than preparing the loop over runs
            return self._place_each(text, cut, body, runs, spans, widths, order, ints, flts, missing)
        used = list(dict.fromkeys(r[2] for r, (g0, g1) in zip(runs, spans) if g1 > g0))
        # The compiled loop takes two slot tables (more faces in a line are rare) and
        # does not collect colour glyphs (RGB profiles paint them run by run).
        if len(used) > 2 or (p.rgb and self._colour_face in used):
            return self._place_each(text, cut, body, runs, spans, widths, order, ints, flts, missing)
        fis = [self._faces[f] for f in used] or [self._faces.get(self.stack.primary) or self._face_info(self.stack.primary)]
        t0 = fis[0][4]
        t1 = fis[-1][4]
        sel = {f: j for j, f in enumerate(used)}
        rf = [self._faces[r[2]] for r in runs]
        pi, pf, xs, po, n_missing = k.place_runs(
            ints, flts, np.array([*(g for g, _ in spans), spans[-1][1]], np.int64), np.array(order, np.int64),
            np.array([fi[1] for fi in rf]), np.array([fi[3] for fi in rf], np.int64), np.array(widths),
            np.array([sel.get(r[2], 0) for r in runs], np.int64), t0, t1, SUBPIXEL, float(self.pad))
        if n_missing:  # glyphs seen for the first time: rasterize them into the atlas
            # The runs holding them, found from the missing columns (one array scan,
            # not one per run: CJK lines have ~20 runs), looked up in run order.
            po_l = po.tolist()
            firsts = sorted((po_l[i], i) for i, (g0, g1) in enumerate(spans) if g1 > g0)
            cols = [c for c, _ in firsts]
            for i in sorted({firsts[bisect_right(cols, c) - 1][1] for c in np.flatnonzero(pi[0] < 0).tolist()}):
                g0, g1 = spans[i]
                c0 = po_l[i]
                seg = pi[:, c0 : c0 + g1 - g0]
                f, _s, size26 = rf[i][:3]
                seg[0] = ATLAS.lookup(f.draw_path, f.draw_index, size26, seg[1], f.draw_coords, f.glyph_count)
        x_end = float(xs[nr])
        canvas, clipped, n_ink, width_px = self._finish(pi[0], pi[2], pi[3], x_end)

        def placements() -> list[Placement]:
            xs_l, po_l, out = xs.tolist(), po.tolist(), []
            for i in order:
                g0, g1 = spans[i]
                if g1 > g0:
                    a, b, _face, _script, level = runs[i]
                    x, c0 = xs_l[i], po_l[i]
                    seg = pf[:, c0 : c0 + g1 - g0]
                    out.append(_run_placement(body, a, b, level, x, widths[i], ints[1, g0:g1], seg[0] - x, seg[1]))
            return out

        return self._strip_result(text, cut, canvas, clipped, n_ink, width_px, missing, placements, [])

    def _finish(self, slots: np.ndarray, dx: np.ndarray, dy: np.ndarray, x_end: float) -> tuple:
        """(image, clipped, patches with ink, width) of a strip whose glyphs are placed."""
        p = self.profile
        ps = p.patch_size
        end_x = x_end - self.pad
        n_text = math.ceil((end_x + 2 * self.pad) / ps) if end_x > 0 else 0
        width_px = max(n_text + (1 if p.eos_patch else 0), 1) * ps
        a = ATLAS
        canvas, clipped, n_ink = (_K or _load_kernels()).draw_strip(
            slots, dx, dy, p.height, width_px, ps, p.eos_patch, self.line_h, a.start, a.length, a.ys, a.xs, a.vals)
        return canvas, clipped, n_ink, width_px

    def _strip_result(self, text: str, cut: int, canvas: np.ndarray, clipped: bool, ink_patches: int, width_px: int,
                      missing: list[MissingGlyph], placements, colour_glyphs: list) -> RenderResult:
        p = self.profile
        ps = p.patch_size
        colour = [self._paint_colour(canvas, colour_glyphs)] if p.rgb and colour_glyphs else []
        truncated_at = cut if cut < len(text) and not text[cut:].isspace() else None
        if truncated_at is not None:
            missing = [m for m in missing if m.index < truncated_at]
        return RenderResult(
            text=text, profile=p, arrays=[canvas], ink_patches=ink_patches,
            visual_tokens=math.ceil((width_px // ps) / (p.merge * p.merge)),
            missing_glyphs=missing, control_chars=[], clipped=clipped,
            truncated=truncated_at is not None, truncated_at=truncated_at, stack=self.stack,
            placement_source=placements, line_height=self.line_h, colour_arrays=colour,
        )

    def _place_each(self, text, cut, body, runs, spans, widths, order, ints, flts, missing) -> RenderResult:
        """The strip path's placement run by run (lines of one or two runs, or with glyphs from more than two faces)."""
        k = _K or _load_kernels()
        x = float(self.pad)
        slots_l, dx_l, dy_l = [], [], []
        colour_glyphs: list[tuple[np.ndarray, np.ndarray, np.ndarray, int]] = []
        placed = []
        for i in order:
            g0, g1 = spans[i]
            width = widths[i]
            if g1 > g0:
                a, b, face, _script, level = runs[i]
                f, scale, size26, baseline, table, _ptr = self._faces[face]
                pi, pf, n_missing = k.place_span(ints, flts, g0, g1, scale, SUBPIXEL, x, baseline, table)
                slots = pi[0]
                if n_missing:  # glyphs seen for the first time: rasterize them into the atlas
                    slots = ATLAS.lookup(f.draw_path, f.draw_index, size26, pi[1], f.draw_coords, f.glyph_count)
                slots_l.append(slots)
                dx_l.append(pi[2])
                dy_l.append(pi[3])
                if face == self._colour_face:
                    colour_glyphs.append((slots, pi[2], pi[3], 0))
                placed.append((a, b, level, x, width, g0, g1, pf))
            x += width
        if len(slots_l) == 1:
            slots, dx, dy = slots_l[0], dx_l[0], dy_l[0]
        elif slots_l:
            slots, dx, dy = np.concatenate(slots_l), np.concatenate(dx_l), np.concatenate(dy_l)
        else:
            slots = dx = dy = np.zeros(0, np.int64)
        canvas, clipped, n_ink, width_px = self._finish(slots, dx, dy, x)
        return self._strip_result(
            text, cut, canvas, clipped, n_ink, width_px, missing,
            lambda: [_run_placement(body, a, b, level, x, width, ints[1, g0:g1], pf[0] - x, pf[1])
                     for a, b, level, x, width, g0, g1, pf in placed], colour_glyphs)

    def _token_runs(self, text: str, body: str, lv: list[int] | None, cjk: str) -> tuple[list[list], list[MissingGlyph]] | None:
        """Runs of a line built word by word (cached itemizations): the general itemizer's way.

        Used where the per-code-point tables cannot decide (emoji, jamo,
        controls, uncovered code points); None when a token mixes bidi levels.
        """
        itemize = self.itemizer.token
        stack = self.stack
        faces = stack.faces
        runs: list[list] = []  # [start, end, face, script, level]
        missing: list[MissingGlyph] = []
        cur: list | None = None
        pos = 0
        toks = TOKEN_RE.findall(body)
        if max(map(len, toks)) > MAX_TOKEN:
            toks = [t for _, t in split_long(list(zip(_offsets(toks), toks)))]
        for tok in toks:
            n = len(tok)
            if tok.isspace():
                level = lv[pos] if lv is not None else 0
                if cur is not None and cur[4] == level and 32 in faces[cur[2]].coverage:
                    cur[1] += n  # spaces are shaped inside their run
                else:
                    cur = [pos, pos + n, stack.primary, "Zyyy", level]
                    runs.append(cur)
            else:
                level = lv[pos] if lv is not None else 0
                if lv is not None and n > 1 and lv[pos : pos + n].count(level) != n:
                    return None
                truns, tmiss = itemize(tok, None, level, cjk)
                if tmiss:
                    missing.extend(MissingGlyph(ord(text[pos + i]), pos + i) for i in tmiss)
                for r in truns:
                    if r.face < 0:
                        return None
                    a = pos + r.start
                    if cur is not None and cur[2] == r.face and cur[4] == r.level and cur[1] == a and cur[3] in (r.script, "Zyyy"):
                        cur[1] = pos + r.end
                        cur[3] = r.script
                    else:
                        cur = [a, pos + r.end, r.face, r.script, r.level]
                        runs.append(cur)
            pos += n
        return runs, missing

    def _face_info(self, face: int) -> tuple:
        """(FontFace, font units to px, size in 26.6, baseline, atlas slot table, HarfBuzz font) of a face."""
        f = self.stack.faces[face]
        size, baseline = self.metrics_of(face)
        size26 = round(size * 64)
        info = (f, round(size * 64) / 64.0 / f.upem, size26, baseline,
                ATLAS.table(f.draw_path, f.draw_index, size26, f.draw_coords, f.glyph_count),
                c_font(f).ptr if _hb.available() else 0)
        self._faces[face] = info
        return info

    def _script_code(self, script: str) -> int:
        """HarfBuzz's value for a run's script (0: let HarfBuzz guess), as :func:`shape_raw` sets it."""
        code = _SCRIPT_CODES.get(script)
        if code is None:
            code = _SCRIPT_CODES[script] = _hb.script_code(hb_script(script))
        return code


def _load_kernels():
    global _K
    from mmx.render import _kernels

    _K = _kernels
    return _K


def _offsets(toks: list[str]) -> list[int]:
    out, pos = [], 0
    for t in toks:
        out.append(pos)
        pos += len(t)
    return out


def _run_placement(body: str, a: int, b: int, level: int, x: float, width: float, clusters: np.ndarray,
                   pen: np.ndarray, adv_px: np.ndarray) -> Placement:
    """The placement of a run drawn by the direct strip path (built only when offsets are asked for)."""
    graphemes, at = [], 0
    for cl in CLUSTER_RE.findall(body[a:b]):
        graphemes.append(at)
        at += len(cl)
    glyphs = RunGlyphs(width, np.zeros(0, np.int64), np.zeros(0, np.int32), np.zeros(0, np.int32), bool(level & 1),
                       clusters, pen, adv_px, tuple(graphemes))
    return Placement(0, x, 0, _RunPiece(a, b, width, glyphs))


class _RunPiece(NamedTuple):
    """A whole run as a :class:`~mmx.render.result.Placement` of this path carries it.

    The layout path's pieces (``engine._Piece``) may hold part of a run; these
    always hold all of it, so ``parts`` is the run itself at no shift or offset.
    """

    start: int
    end: int
    width: float
    glyphs: RunGlyphs

    def parts(self) -> list[tuple[int, int, int, int, float, RunGlyphs, float]]:
        """(run start, end, u0, u1, shift, glyphs, x offset) of the shaped run, as ``engine._Piece.parts``."""
        return [(self.start, self.end, 0, -1, 0.0, self.glyphs, 0.0)]
