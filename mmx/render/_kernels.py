"""Compiled inner loops of the renderer (numba).

Per line, the renderer's work is a few thousand small array operations; as numpy
calls each would cost a microsecond of interpreter overhead, which is what kept
a pure-numpy renderer several times slower than PangoCairo. These loops are
compiled once (cached on disk) and called once per line or per batch of new
words.
"""

from __future__ import annotations

import numpy as np
from llvmlite import ir
from numba import carray, njit, types
from numba.extending import intrinsic


@njit(cache=True, nogil=True)
def shape_post(gids, clusters, adv, xoff, yoff, offsets, lens, scale, sub):
    """Split one HarfBuzz output over the runs it holds (each run between spaces).

    Returns per kept glyph: run index, atlas key (gid * sub + phase), integer x
    from the run's left edge, integer y offset (y down), cluster relative to the
    run, pen position and advance in px; and per run: first glyph, end, advance.
    """
    n = gids.size
    k_runs = offsets.size
    run = np.empty(n, np.int64)
    keep = np.zeros(n, np.bool_)
    for i in range(n):
        c = clusters[i]
        lo, hi = 0, k_runs - 1
        k = -1
        while lo <= hi:  # last run whose offset <= c
            mid = (lo + hi) // 2
            if offsets[mid] <= c:
                k = mid
                lo = mid + 1
            else:
                hi = mid - 1
        if k >= 0 and c < offsets[k] + lens[k]:
            run[i] = k
            keep[i] = True
    m = 0
    for i in range(n):
        if keep[i]:
            m += 1
    r_run = np.empty(m, np.int64)
    r_key = np.empty(m, np.int64)
    r_gx = np.empty(m, np.int32)
    r_gy = np.empty(m, np.int32)
    r_cl = np.empty(m, np.int64)
    r_pen = np.empty(m, np.float64)
    r_adv = np.empty(m, np.float64)
    first = np.full(k_runs, -1, np.int64)
    last = np.full(k_runs, -1, np.int64)
    width = np.zeros(k_runs, np.float64)
    j = 0
    pen = 0.0
    cur = -1
    for i in range(n):
        if not keep[i]:
            continue
        k = run[i]
        if k != cur:  # runs are contiguous in buffer order (either direction)
            cur = k
            pen = 0.0
            first[k] = j
        a = adv[i] * scale
        q = np.int64(np.floor((pen + xoff[i] * scale) * sub + 0.5))
        ix = q // sub
        phase = q - ix * sub
        r_run[j] = k
        r_key[j] = gids[i] * sub + phase
        r_gx[j] = ix
        r_gy[j] = -np.int32(np.floor(yoff[i] * scale + 0.5))
        r_cl[j] = clusters[i] - offsets[k]
        r_pen[j] = pen
        r_adv[j] = a
        pen += a
        width[k] = pen
        last[k] = j + 1
        j += 1
    return r_run, r_key, r_gx, r_gy, r_cl, r_pen, r_adv, first, last, width


@njit(cache=True, nogil=True)
def draw_tokens(slots, dx, dy, glyph_tok, n_tok, a_start, a_len, a_ys, a_xs, a_vals, line_h):
    """Draw glyphs into one bitmap per token (ink bounding box wide, ``line_h`` high).

    Returns the bitmaps packed row-major in one array, and per token: offset,
    width, left (x of the bitmap's first column), clipped (ink outside the line
    box) and whether it has any ink.
    """
    xmin = np.full(n_tok, 1 << 30, np.int64)
    xmax = np.full(n_tok, -(1 << 30), np.int64)
    clipped = np.zeros(n_tok, np.bool_)
    for g in range(slots.size):
        t = glyph_tok[g]
        s = a_start[slots[g]]
        for p in range(s, s + a_len[slots[g]]):
            y = a_ys[p] + dy[g]
            if y < 0 or y >= line_h:
                clipped[t] = True
                continue
            x = a_xs[p] + dx[g]
            if x < xmin[t]:
                xmin[t] = x
            if x > xmax[t]:
                xmax[t] = x
    offs = np.zeros(n_tok, np.int64)
    widths = np.zeros(n_tok, np.int64)
    total = 0
    for t in range(n_tok):
        if xmax[t] >= xmin[t]:
            widths[t] = xmax[t] - xmin[t] + 1
            offs[t] = total
            total += widths[t] * line_h
    block = np.zeros(total, np.uint8)
    for g in range(slots.size):
        t = glyph_tok[g]
        s = a_start[slots[g]]
        w = widths[t]
        for p in range(s, s + a_len[slots[g]]):
            y = a_ys[p] + dy[g]
            if y < 0 or y >= line_h:
                continue
            idx = offs[t] + y * w + (a_xs[p] + dx[g] - xmin[t])
            v = a_vals[p]
            if v > block[idx]:
                block[idx] = v
    return block, offs, widths, xmin, clipped


@njit(cache=True, nogil=True)
def gather_max(canvas, slots, dx, dy, tops, line_h, a_start, a_len, a_ys, a_xs, a_vals):
    """Max-composite single glyphs; a glyph may ink only its own line box. True if ink was cut."""
    height, width = canvas.shape
    clipped = False
    for g in range(slots.size):
        s = a_start[slots[g]]
        top = tops[g]
        for p in range(s, s + a_len[slots[g]]):
            y = a_ys[p] + dy[g]
            x = a_xs[p] + dx[g]
            if y < top or y >= top + line_h or y >= height or x < 0 or x >= width:
                clipped = True
                continue
            v = a_vals[p]
            if v > canvas[y, x]:
                canvas[y, x] = v
    return clipped


@njit(cache=True, nogil=True)
def parse_serialized(buf):
    """Parse HarfBuzz's text serialization (``[gid=cluster@dx,dy+adv|...]``, no glyph names).

    Reading glyph infos and positions through uharfbuzz builds two Python objects
    per glyph; one serialized string parsed here costs a fraction of that.
    """
    n = 1
    for c in buf:
        if c == 124:  # '|'
            n += 1
    if buf.size <= 2:
        n = 0
    gids = np.zeros(n, np.int64)
    clusters = np.zeros(n, np.int64)
    xadv = np.zeros(n, np.float64)
    xoff = np.zeros(n, np.float64)
    yoff = np.zeros(n, np.float64)
    i = 1  # skip '['
    g = 0
    field = 0  # 0 gid, 1 cluster, 2 xoff, 3 yoff, 4 xadv, 5 yadv
    val = 0
    neg = False
    while i < buf.size and g < n:
        c = buf[i]
        if 48 <= c <= 57:
            val = val * 10 + (c - 48)
        elif c == 45:  # '-'
            neg = True
        else:
            v = -val if neg else val
            if field == 0:
                gids[g] = v
            elif field == 1:
                clusters[g] = v
            elif field == 2:
                xoff[g] = v
            elif field == 3:
                yoff[g] = v
            elif field == 4:
                xadv[g] = v
            val = 0
            neg = False
            if c == 61:  # '='
                field = 1
            elif c == 64:  # '@'
                field = 2
            elif c == 44:  # ','
                field = 3 if field == 2 else 5
            elif c == 43:  # '+'
                field = 4
            elif c == 124 or c == 93:  # '|' or ']'
                g += 1
                field = 0
        i += 1
    return gids, clusters, xadv, xoff, yoff


@njit(cache=True, nogil=True)
def position_run(adv, xoff, yoff, scale, sub, pen0):
    """Pen positions of one shaped run starting at ``pen0`` px: atlas phase, integer x and y, pen, advance."""
    n = adv.size
    phase = np.empty(n, np.int64)
    gx = np.empty(n, np.int64)
    gy = np.empty(n, np.int64)
    pen_out = np.empty(n, np.float64)
    adv_px = np.empty(n, np.float64)
    pen = pen0
    for i in range(n):
        a = adv[i] * scale
        q = np.int64(np.floor((pen + xoff[i] * scale) * sub + 0.5))
        ix = q // sub
        phase[i] = q - ix * sub
        gx[i] = ix
        gy[i] = -np.int64(np.floor(yoff[i] * scale + 0.5))
        pen_out[i] = pen
        adv_px[i] = a
        pen += a
    return phase, gx, gy, pen_out, adv_px, pen


@njit(cache=True, nogil=True)
def line_faces(cps, cls, face_tab, script_tab, cov, primary):
    """Face and script of every code point of a line, from per-code-point tables.

    Classes: 1 a letter of a script (its preferred covering face), 2 common
    (digits, punctuation, spaces: the previous face if it covers it, else its
    own), 3 extending (marks, joiners: the previous face, which must cover it).
    Leading common characters take the face of the first letter if it covers
    them. Returns (faces, scripts, ok); ok is False when a character needs the
    general itemizer (an extender its base's face lacks).
    """
    n = cps.size
    faces = np.empty(n, np.int64)
    scripts = np.empty(n, np.int64)
    first_face = -1
    first_script = 0
    for i in range(n):
        if cls[cps[i]] == 1:
            first_face = face_tab[cps[i]]
            first_script = script_tab[cps[i]]
            break
    prev_face = -1
    prev_script = first_script
    for i in range(n):
        cp = cps[i]
        c = cls[cp]
        if c == 1:
            f = face_tab[cp]
            s = script_tab[cp]
        elif c == 2:
            f = prev_face if prev_face >= 0 else first_face
            if f < 0 or not (cov[f, cp >> 3] >> (cp & 7)) & 1:
                f = face_tab[cp]
            s = prev_script
        else:
            f = prev_face if prev_face >= 0 else primary
            if not (cov[f, cp >> 3] >> (cp & 7)) & 1:
                return faces, scripts, False
            s = prev_script
        faces[i] = f
        scripts[i] = s
        prev_face = f
        prev_script = s
    return faces, scripts, True


@njit(cache=True, nogil=True)
def line_items(cps, cls, face_tab, script_tab, cov, primary, levels):
    """Runs of one line from per-code-point tables: (status, runs).

    ``levels``: bidi levels per code point, or empty for all 0.
    Status 0: ``runs`` (5, k) holds the start, end, face, script and level of
    each run (maximal spans of one face, script and level, faces and scripts
    as :func:`line_faces` assigns them); 1: some code point is not in the
    tables yet; 2: the line needs the general itemizer (a complex or uncovered
    character, or an extender its base's face lacks). One array comes back,
    not five: numba boxes each returned array with a Python call.
    """
    n = cps.size
    empty = np.zeros((5, 0), np.int64)
    for i in range(n):
        if cls[cps[i]] == 0:
            return 1, empty
    for i in range(n):
        if cls[cps[i]] >= 4:
            return 2, empty
    faces, scripts, ok = line_faces(cps, cls, face_tab, script_tab, cov, primary)
    if not ok:
        return 2, empty
    lv = np.zeros(n, np.int64)  # no levels given: all 0
    if levels.size:
        for i in range(n):
            lv[i] = levels[i]
    k = 0
    for i in range(n):
        if i == 0 or faces[i] != faces[i - 1] or scripts[i] != scripts[i - 1] or lv[i] != lv[i - 1]:
            k += 1
    out = np.empty((5, k), np.int64)  # start, end, face, script, level of each run
    j = -1
    for i in range(n):
        if i == 0 or faces[i] != faces[i - 1] or scripts[i] != scripts[i - 1] or lv[i] != lv[i - 1]:
            j += 1
            out[0, j] = i
            out[2, j] = faces[i]
            out[3, j] = scripts[i]
            out[4, j] = lv[i]
        out[1, j] = i + 1
    return 0, out


@njit(cache=True, nogil=True)
def _cover_all(cov, f, cps, i, j, flags):
    """Does face ``f`` cover the code points i..j-1 (ignorable ones need not be covered)?"""
    for m in range(i, j):
        cp = cps[m]
        if not flags[cp] & 4 and not (cov[f, cp >> 3] >> (cp & 7)) & 1:
            return False
    return True


@njit(cache=True, nogil=True)
def _first_covering(order, s, n_faces, cov, cps, i, j, flags):
    """The first face in script ``s``'s fallback order that covers code points i..j-1, or -1."""
    for q in range(n_faces):
        g = order[s, q]
        if g >= 0 and _cover_all(cov, g, cps, i, j, flags):
            return g
    return -1


@njit(cache=True, nogil=True)
def token_items(cps, cls, face_tab, script_tab, flags, sface, sscript, order, cov, primary, levels, max_token):
    """Runs of one line built token by token, as the general itemizer builds them: (status, runs).

    The strip path's general way (``StripPath._token_runs`` over
    ``Itemizer.token``) in one call, for lines whose code points are all in
    the tables and whose grapheme clusters are a letter or common character
    followed by marks, ZWNJ or SARA AM (class 6): Persian words with a ZWNJ
    and Thai words with SARA AM take this path instead of a Python loop. Whitespace characters are runs of their own
    in the primary face unless the run before them is at their level and its
    face has a space; a token is itemized whole (one run when every character
    is "simple", ``Itemizer._simple``), else cluster by cluster: letters take
    the first face of their script's order covering the cluster, common
    characters the previous face where it covers them, else the first face of
    the previous script's order. Status 0: ``runs`` as :func:`line_items`;
    2: anything else (a control, an uncovered or unusual character, a token
    of mixed bidi levels or longer than ``max_token``, clusters of letters of
    different faces): the caller runs the general itemizer; 3: a
    whitespace-free token of mixed bidi levels, which the general itemizer
    declines too (the line needs the layout path).
    ``flags`` per code point: 1 whitespace, 2 a mark, 4 ignorable, 8 odd
    (whitespace to one definition and not the other).
    """
    n = cps.size
    empty = np.zeros((5, 0), np.int64)
    lv = np.zeros(n, np.int64)
    if levels.size:
        for i in range(n):
            lv[i] = levels[i]
    for i in range(n):
        cp = cps[i]
        c = cls[cp]
        if c == 0 or c == 4 or c == 5 or flags[cp] & 8:
            return 2, empty
        if c == 3 and not flags[cp] & 2:
            return 2, empty
    if levels.size:  # a token of mixed bidi levels (not cut for length): the word-by-word way declines the line too
        i = 0
        while i < n:
            if flags[cps[i]] & 1:
                i += 1
                continue
            j = i
            while j < n and not flags[cps[j]] & 1:
                j += 1
            if j - i < max_token:
                for m in range(i + 1, j):
                    if lv[m] != lv[i]:
                        return 3, empty
            i = j
    # per code point: the face and script of its piece (cluster), then runs merged
    faces = np.empty(n, np.int64)
    scripts = np.empty(n, np.int64)
    out = np.empty((5, n), np.int64)
    k = -1  # the current run
    n_faces = order.shape[1]
    i = 0
    while i < n:
        cp = cps[i]
        if flags[cp] & 1:  # a whitespace token
            if i + 1 < n and cls[cps[i + 1]] >= 3:  # whitespace + extenders: one cluster, left to the general way
                return 2, empty
            if k >= 0 and out[4, k] == lv[i] and (cov[out[2, k], 4] >> 0) & 1:  # bit 32 = byte 4, bit 0
                out[1, k] = i + 1
            else:
                k += 1
                out[0, k] = i
                out[1, k] = i + 1
                out[2, k] = primary
                out[3, k] = 0
                out[4, k] = lv[i]
            i += 1
            continue
        j = i
        while j < n and not flags[cps[j]] & 1:
            j += 1
        if j - i > max_token:
            return 2, empty
        level = lv[i]
        for m in range(i, j):
            if lv[m] != level:
                return 2, empty
        if cls[cp] >= 3:  # a token starting with an extender
            return 2, empty
        # Itemizer._simple: every character simple, one face among the letters
        sf = -1
        ss = 0
        simple = True
        for m in range(i, j):
            f = sface[cps[m]] - 1  # stored plus one: 0 is not simple
            if f < 0:
                simple = False
                break
            s = sscript[cps[m]]
            if s != 0:
                if sf >= 0 and f != sf:
                    simple = False
                    break
                sf = f
                if ss == 0:
                    ss = s
        if simple:
            if sf < 0:
                sf = face_tab[cp]
            for m in range(i, j):  # every character covered, as Itemizer._simple asks
                cp2 = cps[m]
                if not (cov[sf, cp2 >> 3] >> (cp2 & 7)) & 1:
                    simple = False
                    break
        if simple:
            for m in range(i, j):
                faces[m] = sf
                scripts[m] = ss
        else:
            # Itemizer._itemize: the script of the token's first non-common character as context
            context = 0
            for m in range(i, j):
                if script_tab[cps[m]] != 0:
                    context = script_tab[cps[m]]
                    break
            prev_face = -2
            prev_script = context
            m = i
            last_letter = -1
            while m < j:
                e = m + 1
                while e < j and cls[cps[e]] >= 3:
                    e += 1
                b = cps[m]
                if cls[b] == 2:
                    s = prev_script
                    if prev_face >= 0 and _cover_all(cov, prev_face, cps, m, e, flags):
                        f = prev_face
                    else:
                        f = _first_covering(order, s, n_faces, cov, cps, m, e, flags)
                        if f < 0:
                            return 2, empty
                    last_letter = -1
                else:
                    s = script_tab[b]
                    f = _first_covering(order, s, n_faces, cov, cps, m, e, flags)
                    if f < 0:
                        return 2, empty
                    # a letter right after a letter's cluster may share its cluster
                    # (Indic conjuncts): the same face and script give the same runs
                    if last_letter >= 0 and (faces[last_letter] != f or scripts[last_letter] != s):
                        return 2, empty
                    last_letter = m
                for q in range(m, e):
                    faces[q] = f
                    scripts[q] = s
                prev_face = f
                prev_script = s
                m = e
        # the token's runs (maximal spans of one face and script) joined to the line's
        m = i
        while m < j:
            e = m + 1
            while e < j and faces[e] == faces[m] and scripts[e] == scripts[m]:
                e += 1
            f = faces[m]
            s = scripts[m]
            if k >= 0 and out[2, k] == f and out[4, k] == level and out[1, k] == m and (out[3, k] == s or out[3, k] == 0):
                out[1, k] = e
                out[3, k] = s
            else:
                k += 1
                out[0, k] = m
                out[1, k] = e
                out[2, k] = f
                out[3, k] = s
                out[4, k] = level
            m = e
        i = j
    return 0, out[:, : k + 1].copy()


@njit(cache=True, nogil=True)
def unpack_glyphs(infos, pos, n):
    """The first n of HarfBuzz's glyph info and position records (five int32 each) as (gids, clusters, x_adv, x_off, y_off)."""
    gids = np.empty(n, np.int64)
    clusters = np.empty(n, np.int64)
    adv = np.empty(n, np.float64)
    xoff = np.empty(n, np.float64)
    yoff = np.empty(n, np.float64)
    for i in range(n):
        gids[i] = np.uint32(infos[5 * i])
        clusters[i] = np.uint32(infos[5 * i + 2])
        adv[i] = pos[5 * i]
        xoff[i] = pos[5 * i + 2]
        yoff[i] = pos[5 * i + 3]
    return gids, clusters, adv, xoff, yoff


@njit(cache=True, nogil=True)
def sparse_bitmap(buf, rows, width, stride, bottom_up, top, left):
    """A FreeType grey bitmap as its inked pixels: (y, x, value), y down from the baseline, x from the origin."""
    n = 0
    for r in range(rows):
        for c in range(width):
            if buf[r * stride + c]:
                n += 1
    ys = np.empty(n, np.int32)
    xs = np.empty(n, np.int32)
    vals = np.empty(n, np.uint8)
    k = 0
    for i in range(rows):
        r = rows - 1 - i if bottom_up else i
        for c in range(width):
            v = buf[r * stride + c]
            if v:
                ys[k] = i - top
                xs[k] = c + left
                vals[k] = v
                k += 1
    return ys, xs, vals


@njit(cache=True, nogil=True)
def place_run(gids, adv, xoff, yoff, scale, sub, pen0, baseline, table):
    """:func:`position_run` and the atlas lookup of one run in one call.

    Returns atlas slots (-1 where a glyph is not rasterized yet), atlas keys
    (gid * sub + phase), integer x, integer y (baseline included), pen and
    advance in px, and how many slots are missing.
    """
    n = adv.size
    slots = np.empty(n, np.int64)
    keys = np.empty(n, np.int64)
    gx = np.empty(n, np.int64)
    gy = np.empty(n, np.int64)
    pen_out = np.empty(n, np.float64)
    adv_px = np.empty(n, np.float64)
    pen = pen0
    missing = 0
    for i in range(n):
        a = adv[i] * scale
        q = np.int64(np.floor((pen + xoff[i] * scale) * sub + 0.5))
        ix = q // sub
        k = gids[i] * sub + (q - ix * sub)
        keys[i] = k
        s = table[k]
        slots[i] = s
        if s < 0:
            missing += 1
        gx[i] = ix
        gy[i] = -np.int64(np.floor(yoff[i] * scale + 0.5)) + baseline
        pen_out[i] = pen
        adv_px[i] = a
        pen += a
    return slots, keys, gx, gy, pen_out, adv_px, missing


# -- C calls from compiled code ---------------------------------------------
# HarfBuzz's C functions are called from compiled code through their addresses
# (passed in as int64, so the compiled code caches on disk like the rest); a
# ctypes call from Python costs about as much as shaping a short run.
_I8P = ir.IntType(8).as_pointer()
_I32 = ir.IntType(32)


def _c_caller(ret: str, params: str):
    """An intrinsic that calls the C function at an int64 address.

    ``ret`` and ``params`` spell the C signature: ``v`` void, ``p`` a pointer
    (passed as int64), ``i`` a 32-bit integer (passed as int64). Pointers and
    32-bit results come back as int64.
    """
    n = len(params)

    def codegen(context, builder, sig, args):
        fnty = ir.FunctionType(ir.VoidType() if ret == "v" else (_I8P if ret == "p" else _I32),
                               [_I8P if c == "p" else _I32 for c in params])
        fn = builder.inttoptr(args[0], fnty.as_pointer())
        vals = [builder.inttoptr(a, _I8P) if c == "p" else builder.trunc(a, _I32) for c, a in zip(params, args[1:])]
        res = builder.call(fn, vals)
        if ret == "v":
            return context.get_dummy_value()
        return builder.ptrtoint(res, ir.IntType(64)) if ret == "p" else builder.zext(res, ir.IntType(64))

    sig = (types.void if ret == "v" else types.int64)(*([types.int64] * (n + 1)))

    def typer(typingctx, *args):
        return sig, codegen

    # intrinsic needs a fixed argument list: one wrapper per arity
    if n == 1:
        def f(typingctx, fn, a):
            return typer(typingctx)
    elif n == 2:
        def f(typingctx, fn, a, b):
            return typer(typingctx)
    elif n == 3:
        def f(typingctx, fn, a, b, c):
            return typer(typingctx)
    elif n == 4:
        def f(typingctx, fn, a, b, c, d):
            return typer(typingctx)
    else:
        def f(typingctx, fn, a, b, c, d, e):
            return typer(typingctx)
    f.__name__ = f"c_call_{ret}_{params}"
    return intrinsic(f)


_call_v_p = _c_caller("v", "p")
_call_v_pi = _c_caller("v", "pi")
_call_v_pp = _c_caller("v", "pp")
_call_v_ppiii = _c_caller("v", "ppiii")
_call_v_pppi = _c_caller("v", "pppi")
_call_i_p = _c_caller("i", "p")
_call_p_pp = _c_caller("p", "pp")
_call_v_ppp = _c_caller("v", "ppp")
_call_i_pii = _c_caller("i", "pii")


@intrinsic
def _int32_ptr(typingctx, addr):
    def codegen(context, builder, sig, args):
        return builder.inttoptr(args[0], _I32.as_pointer())

    return types.CPointer(types.int32)(types.int64), codegen


@intrinsic
def _int64_ptr(typingctx, addr):
    def codegen(context, builder, sig, args):
        return builder.inttoptr(args[0], ir.IntType(64).as_pointer())

    return types.CPointer(types.int64)(types.int64), codegen


@intrinsic
def _uint8_ptr(typingctx, addr):
    def codegen(context, builder, sig, args):
        return builder.inttoptr(args[0], ir.IntType(8).as_pointer())

    return types.CPointer(types.uint8)(types.int64), codegen


@njit(cache=True, nogil=True)
def shape_runs(fns, buf, spec, addr, lang):
    """Shape every run of a line with HarfBuzz in one call, calling its C functions from here.

    ``fns``: the addresses of hb_buffer_clear_contents, _add_codepoints,
    _set_direction, _set_language, _set_script, _guess_segment_properties,
    hb_shape, hb_buffer_get_length, _get_glyph_infos and _get_glyph_positions
    (:func:`mmx.render._hb.shape_line` passes them). Row r of ``spec`` is
    (start, end, font, script, direction): run r is the code points
    ``start:end`` of the UTF-32 text at ``addr``, shaped with that HarfBuzz font,
    script (0: guessed), direction and language ``lang``, the same properties
    :func:`mmx.render._hb.shape` sets.
    Returns the runs' outputs one after another (int64 rows gid and cluster;
    float64 rows x advance, x offset and y offset), each run's first glyph
    (and the end), and each run's advance sum in font units.
    """
    k = spec.shape[0]
    cap = 16
    for r in range(k):
        cap += 2 * (spec[r, 1] - spec[r, 0])
    ints = np.empty((2, cap), np.int64)  # gid, cluster
    flts = np.empty((3, cap), np.float64)  # x advance, x offset, y offset
    offs = np.empty(k + 1, np.int64)
    sums = np.zeros(k, np.float64)
    g = 0
    for r in range(k):
        n = spec[r, 1] - spec[r, 0]
        _call_v_p(fns[0], buf)
        _call_v_ppiii(fns[1], buf, addr + 4 * spec[r, 0], n, 0, n)
        _call_v_pi(fns[2], buf, spec[r, 4])
        _call_v_pp(fns[3], buf, lang)
        if spec[r, 3] != 0:
            _call_v_pi(fns[4], buf, spec[r, 3])
        else:
            _call_v_p(fns[5], buf)
        _call_v_pppi(fns[6], spec[r, 2], buf, 0, 0)
        m = _call_i_p(fns[7], buf)
        offs[r] = g
        if m == 0:
            continue
        if g + m > cap:
            cap = max(2 * cap, g + m)
            ints2 = np.empty((2, cap), np.int64)
            flts2 = np.empty((3, cap), np.float64)
            ints2[:, :g] = ints[:, :g]
            flts2[:, :g] = flts[:, :g]
            ints, flts = ints2, flts2
        # hb_glyph_info_t and hb_glyph_position_t: five 32-bit fields each
        infos = carray(_int32_ptr(_call_p_pp(fns[8], buf, 0)), (m * 5,))
        pos = carray(_int32_ptr(_call_p_pp(fns[9], buf, 0)), (m * 5,))
        s = 0.0
        for i in range(m):
            ints[0, g + i] = np.uint32(infos[5 * i])
            ints[1, g + i] = np.uint32(infos[5 * i + 2])
            a = np.float64(pos[5 * i])
            flts[0, g + i] = a
            flts[1, g + i] = pos[5 * i + 2]
            flts[2, g + i] = pos[5 * i + 3]
            s += a
        sums[r] = s
        g += m
    offs[k] = g
    return ints[:, :g].copy(), flts[:, :g].copy(), offs, sums


@njit(cache=True, nogil=True)
def place_span(ints, flts, g0, g1, scale, sub, pen0, baseline, table):
    """:func:`place_run` over glyphs ``g0:g1`` of a line's shaped runs (rows as :func:`shape_runs` returns them).

    Returns int64 rows (atlas slot, atlas key, x, y), float64 rows (pen,
    advance) and the number of missing slots: two arrays, not six (numba boxes
    each returned array with a Python call).
    """
    slots, keys, gx, gy, pen, adv_px, missing = place_run(ints[0, g0:g1], flts[0, g0:g1], flts[1, g0:g1], flts[2, g0:g1],
                                                          scale, sub, pen0, baseline, table)
    n = g1 - g0
    out_i = np.empty((4, n), np.int64)
    out_f = np.empty((2, n), np.float64)
    out_i[0] = slots
    out_i[1] = keys
    out_i[2] = gx
    out_i[3] = gy
    out_f[0] = pen
    out_f[1] = adv_px
    return out_i, out_f, missing


@njit(cache=True, nogil=True)
def draw_strip(slots, dx, dy, height, width, ps, eos, line_h, a_start, a_len, a_ys, a_xs, a_vals):
    """A whole strip in one call: glyphs max-composited as :func:`gather_max` does (line box at the top),
    the patches holding ink counted (whole ``ps`` x ``ps`` patches, as ``engine._ink_patches``), the
    last patch column inked when ``eos`` (end-of-sequence patch), then inverted to black on white.

    Returns the image, whether any ink was cut and the number of patches with ink.
    """
    canvas = np.zeros((height, width), np.uint8)
    clipped = gather_max(canvas, slots, dx, dy, np.zeros(slots.size, np.int64), line_h, a_start, a_len, a_ys, a_xs, a_vals)
    n_ink = 0
    for py in range(height // ps):
        for px in range(width // ps):
            hit = False
            for y in range(py * ps, py * ps + ps):
                for x in range(px * ps, px * ps + ps):
                    if canvas[y, x] != 0:
                        hit = True
                        break
                if hit:
                    break
            if hit:
                n_ink += 1
    if eos:
        canvas[:, width - ps :] = 255
    for y in range(height):
        for x in range(width):
            canvas[y, x] = 255 - canvas[y, x]
    return canvas, clipped, n_ink


@njit(cache=True, nogil=True)
def place_runs(ints, flts, offs, order, scales, baselines, widths, tsel, t0, t1, sub, pad):
    """:func:`place_run` for every run of a line, in visual ``order``, in one call.

    Run i (glyphs ``offs[i]:offs[i+1]`` of :func:`shape_runs`' output) starts
    at pen x, which begins at ``pad`` and grows by ``widths[i]`` after each run,
    exactly as the loop over runs in Python did; its slots come from table
    ``t0`` or ``t1`` (``tsel[i]``). Returns int64 rows (slot, key, x, y) and
    float64 rows (pen, advance) of all glyphs in visual order, each run's x
    (and the end x last), each run's first output glyph, and how many slots
    are missing.
    """
    k = order.size
    n = offs[k] if k > 0 else 0
    out_i = np.empty((4, n), np.int64)
    out_f = np.empty((2, n), np.float64)
    xs = np.empty(k + 1, np.float64)
    po = np.zeros(k, np.int64)
    x = pad
    c = 0
    missing = 0
    for j in range(k):
        i = order[j]
        xs[i] = x
        po[i] = c
        g0 = offs[i]
        g1 = offs[i + 1]
        if g1 > g0:
            table = t0 if tsel[i] == 0 else t1
            scale = scales[i]
            base = baselines[i]
            pen = x
            for g in range(g0, g1):
                a = flts[0, g] * scale
                q = np.int64(np.floor((pen + flts[1, g] * scale) * sub + 0.5))
                ix = q // sub
                key = ints[0, g] * sub + (q - ix * sub)
                s = table[key]
                if s < 0:
                    missing += 1
                out_i[0, c] = s
                out_i[1, c] = key
                out_i[2, c] = ix
                out_i[3, c] = -np.int64(np.floor(flts[2, g] * scale + 0.5)) + base
                out_f[0, c] = pen
                out_f[1, c] = a
                pen += a
                c += 1
        x += widths[i]
    xs[k] = x
    return out_i, out_f, xs, po, missing


@njit(cache=True, nogil=True)
def raster_glyphs(consts, face, keys, sub, flags, ys, xs, vals, used, start, length, n_slots, table):
    """Rasterize atlas keys (glyph and sub-pixel phase) with FreeType, calling its C functions from here.

    ``consts``: the addresses of FT_Set_Transform and FT_Load_Glyph; the byte
    offsets of FT_FaceRec.glyph, of FT_GlyphSlotRec.bitmap, .bitmap_left and
    .bitmap_top, and of FT_Bitmap.buffer (rows, width and pitch are its first
    three 32-bit fields); the address of an FT_Matrix (identity) and those of
    ``sub`` FT_Vectors (a shift of phase / sub px each). ``face``: an FT_Face
    at its size. Each atlas key (gid * sub + phase) not yet in ``table`` is
    loaded as :meth:`mmx.render.raster.GlyphAtlas._rasterize`
    loads it (the same transform and flags) and its inked pixels are appended
    to the atlas arrays exactly as :func:`sparse_bitmap` and ``GlyphAtlas._add``
    append them; ``table[key]`` gets the new slot. Stops early when the atlas
    arrays are full (the caller grows them and calls again with the keys left).
    Returns (keys done, pixels used, slots used, FreeType error or 0).
    """
    for j in range(keys.size):
        k = keys[j]
        gid = k // sub
        ph = k - gid * sub
        if table[k] < 0:
            slot = carray(_int64_ptr(face + consts[2]), (1,))[0]  # the face's glyph slot
            bm = slot + consts[3]
            _call_v_ppp(consts[0], face, consts[7], consts[8 + ph])
            err = _call_i_pii(consts[1], face, gid, flags)
            if err != 0:
                return j, used, n_slots, err
            head = carray(_int32_ptr(bm), (3,))  # rows, width (unsigned, below 2**31), pitch
            rows = head[0]
            width = head[1]
            pitch = head[2]
            lt = carray(_int32_ptr(slot + consts[4]), (1,))[0]
            tp = carray(_int32_ptr(slot + consts[5]), (1,))[0]
            stride = abs(pitch)
            buf = carray(_uint8_ptr(carray(_int64_ptr(bm + consts[6]), (1,))[0]), (max(rows * stride, 1),))
            n = 0
            if width > 0 and rows > 0:
                for r in range(rows):
                    for c in range(width):
                        if buf[r * stride + c]:
                            n += 1
            if used + n > vals.size or n_slots >= start.size:
                return j, used, n_slots, 0
            q = used
            if n:
                for i in range(rows):
                    r = rows - 1 - i if pitch < 0 else i
                    for c in range(width):
                        v = buf[r * stride + c]
                        if v:
                            ys[q] = i - tp
                            xs[q] = c + lt
                            vals[q] = v
                            q += 1
            start[n_slots] = used
            length[n_slots] = n
            table[k] = n_slots
            used += n
            n_slots += 1
    return keys.size, used, n_slots, 0
