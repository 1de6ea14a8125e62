"""Draw cricket scorecards as images, in the manner of MMCricBench.

A :class:`~mmx.eval.benches.mmcric.match.Match` is turned into a *card*: every
string the image shows (header, innings titles, batting and bowling tables,
extras, totals, did-not-bat and fall-of-wickets lists, the result), in English
or Hindi, with Western or Devanagari digits (:func:`scorecard_strings` returns
them). A template then lays the card out in one of several website-like looks
(:data:`TEMPLATES`) and every string is drawn with mmx's own renderer
(HarfBuzz shaping, so Devanagari conjuncts and nukta forms come out right),
its ink cached per (string, size, weight) and composited onto a numpy canvas
of flat rectangles. The same inputs give the same pixels in any process, and
:func:`encode_png` stores them losslessly as a palette PNG.

Limited-overs matches (T20, ODI) put both innings on one image; a Test match is
drawn one innings per image (``innings=[k]``), each image repeating the match
header, and only the image of the match's last innings carries the result.
"""

from __future__ import annotations

import dataclasses
import io
import math
import os
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numba import njit
from PIL import Image

from mmx.eval.benches.mmcric.match import (
    BattingEntry,
    Dismissal,
    Innings,
    Match,
    ordinal,
    overs_str,
    random_date,
    venue,
)
from mmx.text.digits import write_digits

__all__ = ["DIGITS", "LANGS", "TEMPLATES", "draw_scorecard", "encode_png", "scorecard_strings"]

#: classic: a news site (white, blue title bar, striped rows); dark: a sports app
#: (dark cards, teal and amber accents); compact: a stats database (grey page,
#: boxed grid cells, small type).
TEMPLATES: tuple[str, ...] = ("classic", "dark", "compact")
LANGS: tuple[str, ...] = ("en", "hi")
DIGITS: tuple[str, ...] = ("western", "devanagari")

_KEEPER = 5  # the wicketkeeper bats at six in the match model

# --------------------------------------------------------------------------- words

_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "vs": "vs", "batter": "Batter", "bowler": "Bowler", "R": "R", "B": "B", "4s": "4s", "6s": "6s",
        "SR": "SR", "O": "O", "M": "M", "W": "W", "econ": "Econ", "WD": "WD", "NB": "NB",
        "extras": "Extras", "b": "b", "lb": "lb", "w": "w", "nb": "nb", "total": "Total",
        "all_out": "all out", "declared": "declared", "wkts": "wkts", "wkt": "wkt", "ov": "ov", "RR": "RR",
        "fow": "Fall of wickets:", "dnb": "Did not bat:", "result": "Result:", "follow_on": "(following on)",
        "not_out": "not out", "c": "c", "cb": "c & b", "bw": "b", "lbw": "lbw b", "run_out": "run out",
        "st": "st", "drawn": "Match drawn", "tied": "Match tied",
    },
    "hi": {
        "vs": "बनाम", "batter": "बल्लेबाज़", "bowler": "गेंदबाज़", "R": "रन", "B": "गेंद", "4s": "चौके",
        "6s": "छक्के", "SR": "स्ट्राइक रेट", "O": "ओवर", "M": "मेडन", "W": "विकेट", "econ": "इकॉनमी",
        "WD": "वाइड", "NB": "नो-बॉल", "extras": "अतिरिक्त", "b": "बाई", "lb": "लेग बाई", "w": "वाइड",
        "nb": "नो बॉल", "total": "कुल", "all_out": "ऑल आउट", "declared": "पारी घोषित", "wkts": "विकेट",
        "wkt": "विकेट", "ov": "ओवर", "RR": "रन रेट", "fow": "विकेट पतन:", "dnb": "बल्लेबाज़ी नहीं की:",
        "result": "परिणाम:", "follow_on": "(फ़ॉलो-ऑन)", "not_out": "नाबाद", "c": "कै", "cb": "कै और बो",
        "bw": "बो", "lbw": "पगबाधा बो", "run_out": "रन आउट", "st": "स्टं", "drawn": "मैच ड्रॉ",
        "tied": "मैच टाई",
    },
}
_FORMAT_HI = {"T20": "टी20", "ODI": "वनडे", "Test": "टेस्ट"}
_MATCH_ORD_HI = ("पहला", "दूसरा", "तीसरा", "चौथा", "पाँचवाँ", "छठा", "सातवाँ")
_INNINGS_HI = ("पहली पारी", "दूसरी पारी", "तीसरी पारी", "चौथी पारी")


# --------------------------------------------------------------------------- the card


@dataclass
class _InningsCard:
    title: str  # "India 1st innings"
    score: str  # "165/8 (20 ov)"
    bat_head: tuple[str, ...]
    bat_rows: list[tuple[str, ...]]  # name, dismissal, R, B, 4s, 6s, SR
    extras: tuple[str, str, str]  # label, breakdown, runs
    total: tuple[str, str, str]  # label, detail, score
    dnb_label: str
    dnb: list[str]
    fow_label: str
    fow: list[str]
    bowl_head: tuple[str, ...]
    bowl_rows: list[tuple[str, ...]]  # name, O, M, R, W, Econ, WD, NB


@dataclass
class _Card:
    title: str
    meta: list[str]  # match label, venue, date
    innings: list[_InningsCard]
    result: tuple[str, str] | None

    def strings(self) -> list[str]:
        out: list[str] = []
        _collect(self, out)
        return [s for s in out if s]


def _collect(obj: object, out: list[str]) -> None:
    if isinstance(obj, str):
        out.append(obj)
    elif isinstance(obj, (list, tuple)):
        for x in obj:
            _collect(x, out)
    elif dataclasses.is_dataclass(obj):
        for f in dataclasses.fields(obj):
            _collect(getattr(obj, f.name), out)


def _mapped(obj, fn: Callable[[str], str]):
    """A copy of a card (or part of one) with ``fn`` applied to every string."""
    if isinstance(obj, str):
        return fn(obj)
    if isinstance(obj, list):
        return [_mapped(x, fn) for x in obj]
    if isinstance(obj, tuple):
        return tuple(_mapped(x, fn) for x in obj)
    if dataclasses.is_dataclass(obj):
        return dataclasses.replace(obj, **{f.name: _mapped(getattr(obj, f.name), fn) for f in dataclasses.fields(obj)})
    return obj


def _check(lang: str, digits: str, template: str | None = None) -> None:
    if template is not None and template not in TEMPLATES:
        raise ValueError(f"unknown scorecard template {template!r}; choose one of {', '.join(TEMPLATES)}")
    if lang not in LANGS:
        raise ValueError(f"unknown scorecard language {lang!r}; choose one of {', '.join(LANGS)}")
    if digits not in DIGITS:
        raise ValueError(f"unknown digits {digits!r}; choose one of {', '.join(DIGITS)}")


def _innings_list(m: Match, innings: Sequence[int]) -> list[int]:
    idx = [int(i) for i in innings]
    if not idx:
        raise ValueError("innings must name at least one innings of the match")
    bad = [i for i in idx if not 0 <= i < len(m.innings)]
    if bad:
        raise ValueError(f"innings {bad} out of range: the match has {len(m.innings)} innings (0-based indices)")
    return idx


def _card(m: Match, innings: Sequence[int], lang: str, digits: str) -> _Card:
    _check(lang, digits)
    idx = _innings_list(m, innings)
    hi = lang == "hi"
    w = _WORDS[lang]
    if hi:
        n = m.number
        label = f"{_MATCH_ORD_HI[n - 1] if 1 <= n <= len(_MATCH_ORD_HI) else f'{n}वां'} {_FORMAT_HI[m.format]}"
    else:
        label = f"{ordinal(m.number)} {m.format}"
    card = _Card(
        title=f"{m.team_name(0, hi)} {w['vs']} {m.team_name(1, hi)}",
        meta=[label, venue(m, hi), random_date(m, hi)],
        innings=[_innings_card(m, m.innings[i], lang) for i in idx],
        result=(w["result"], _result_text(m, lang)) if len(m.innings) - 1 in idx else None,
    )
    if digits == "devanagari":
        card = _mapped(card, lambda s: write_digits(s, "devanagari"))
    return card


def _result_text(m: Match, lang: str) -> str:
    r = m.result
    hi = lang == "hi"
    if r.kind == "draw" or (r.winner is None and r.kind != "tie"):
        return _WORDS[lang]["drawn"]
    if r.kind == "tie":
        return _WORDS[lang]["tied"]
    team = m.team_name(r.winner, hi)
    k = r.margin
    if hi:
        return {"wickets": f"{team} {k} विकेट से जीता", "runs": f"{team} {k} रन से जीता",
                "innings": f"{team} एक पारी और {k} रन से जीता"}[r.kind]
    runs = f"{k} run{'s' if k != 1 else ''}"
    return {"wickets": f"{team} won by {k} wicket{'s' if k != 1 else ''}", "runs": f"{team} won by {runs}",
            "innings": f"{team} won by an innings and {runs}"}[r.kind]


def _dismissal(m: Match, inn: Innings, d: Dismissal, lang: str) -> str:
    hi = lang == "hi"
    w = _WORDS[lang]

    def sur(i: int | None) -> str:
        if i is None:
            return ""
        p = m.player(inn.bowling, i)
        return p.hindi_surname if hi else p.surname

    k = d.kind
    if k == "not_out":
        return w["not_out"]
    if k == "caught":
        keeper = "†" if d.fielder == _KEEPER else ""
        return f"{w['c']} {keeper}{sur(d.fielder)} {w['bw']} {sur(d.bowler)}"
    if k == "caught_bowled":
        return f"{w['cb']} {sur(d.bowler)}"
    if k == "bowled":
        return f"{w['bw']} {sur(d.bowler)}"
    if k == "lbw":
        return f"{w['lbw']} {sur(d.bowler)}"
    if k == "run_out":
        return f"{w['run_out']} ({sur(d.fielder)})" if d.fielder is not None else w["run_out"]
    if k == "stumped":
        return f"{w['st']} †{sur(d.fielder)} {w['bw']} {sur(d.bowler)}"
    raise ValueError(f"unknown dismissal kind {k!r}")


def _innings_card(m: Match, inn: Innings, lang: str) -> _InningsCard:
    hi = lang == "hi"
    w = _WORDS[lang]
    bat_team, bowl_team = inn.batting, inn.bowling

    def name(team: int, i: int) -> str:
        p = m.player(team, i)
        return p.hindi if hi else p.name

    k = inn.number
    title = f"{m.team_name(bat_team, hi)} {_INNINGS_HI[k - 1] if hi else f'{ordinal(k)} innings'}"
    if inn.follow_on:
        title += f" {w['follow_on']}"
    ov = f"{inn.overs} {w['ov']}"
    runs = str(inn.runs) if inn.wickets == 10 else f"{inn.runs}/{inn.wickets}"
    rr = f"{w['RR']} {inn.run_rate:.2f}"
    if inn.wickets == 10:
        detail = f"({w['all_out']}, {ov}, {rr})"
    elif inn.declared:
        detail = f"({w['declared']}, {ov}, {rr})"
    else:
        detail = f"({ov}, {rr})"

    def bat_row(b: BattingEntry) -> tuple[str, ...]:
        nm = name(bat_team, b.player) + (" †" if b.player == _KEEPER else "")
        sr = f"{b.strike_rate:.2f}" if b.balls else "-"
        return (nm, _dismissal(m, inn, b.out, lang), str(b.runs), str(b.balls), str(b.fours), str(b.sixes), sr)

    def comma_list(items: list[str]) -> list[str]:
        return [s + ("," if i < len(items) - 1 else "") for i, s in enumerate(items)]

    fow = [f"{f.wicket}-{f.score} ({name(bat_team, f.player)}, {overs_str(f.balls)} {w['ov']})" for f in inn.fall]
    return _InningsCard(
        title=title,
        score=f"{runs} ({ov})",
        bat_head=(w["batter"], "", w["R"], w["B"], w["4s"], w["6s"], w["SR"]),
        bat_rows=[bat_row(b) for b in inn.batters],
        extras=(w["extras"], f"({w['b']} {inn.byes}, {w['lb']} {inn.leg_byes}, {w['w']} {inn.wides}, {w['nb']} {inn.no_balls})",
                str(inn.extras)),
        total=(w["total"], detail, runs),
        dnb_label=w["dnb"] if inn.did_not_bat else "",
        dnb=comma_list([name(bat_team, i) for i in inn.did_not_bat]),
        fow_label=w["fow"] if inn.fall else "",
        fow=comma_list(fow),
        bowl_head=(w["bowler"], w["O"], w["M"], w["R"], w["W"], w["econ"], w["WD"], w["NB"]),
        bowl_rows=[(name(bowl_team, e.player), e.overs, str(e.maidens), str(e.runs), str(e.wickets),
                    f"{e.economy:.2f}" if e.balls else "-", str(e.wides), str(e.no_balls)) for e in inn.bowlers],
    )


def scorecard_strings(m: Match, innings: Sequence[int], lang: str = "en", digits: str = "western") -> list[str]:
    """Every string :func:`draw_scorecard` draws for these innings (the same in every template)."""
    return _card(m, innings, lang, digits).strings()


# --------------------------------------------------------------------------- text ink


@dataclass(frozen=True)
class _Ink:
    """A string's ink: alpha (h x w, flattened, 16 levels), placed relative to its line box."""

    alpha: np.ndarray  # uint8, h * w
    h: int
    w: int
    top: int  # ink top below the line box top
    left: int  # ink left of the pen origin (may be negative for overhangs)
    box: int  # line box height

    @property
    def width(self) -> int:
        return self.w


_INK_CACHE: dict[tuple[str, int, bool], _Ink] = {}
_INK_CACHE_BYTES = [0]
#: ink kept per process; past it the oldest quarter of the entries is dropped
INK_CACHE_LIMIT = 64 << 20
_RENDERERS: dict[tuple[int, bool], object] = {}
_BOLD: list[tuple[str, ...] | None] = []  # [bold font paths or None], resolved once
_RENDERER_CLASS: list[type] = []


def _bold_fonts() -> tuple[str, ...] | None:
    """Static Bold (wght 700) instances of the bundled Noto Sans and Noto Sans Devanagari.

    ``static_instance`` caches them on disk; a copy is then named after the
    family (``NotoSans.ttf``), so the font stack measures it with the family's
    probe text and draws bold at the same size and baseline as regular text.
    None when they cannot be made (the caller then fakes bold).
    """
    if _BOLD:
        return _BOLD[0]
    paths: tuple[str, ...] | None
    try:
        from mmx.render.fonts import _package_dir, static_instance

        fonts_dir = _package_dir("manimgx_fonts")
        out = []
        for fname in ("NotoSans[wght].ttf", "NotoSansDevanagari[wght].ttf"):
            inst = Path(static_instance(str(fonts_dir / fname), {"wght": 700.0}))
            dst = inst.parent / f"bold-{inst.stem}" / (fname.split("[")[0] + ".ttf")
            if not dst.exists():
                dst.parent.mkdir(parents=True, exist_ok=True)
                tmp = dst.with_suffix(f".{os.getpid()}.tmp")
                shutil.copyfile(inst, tmp)
                os.replace(tmp, dst)
            out.append(str(dst))
        paths = tuple(out)
    except Exception:  # no writable cache, no fontTools instancer: faux bold
        paths = None
    _BOLD.append(paths)
    return paths


def _box(size: int) -> int:
    """The strip height a size is rendered in: room for Devanagari stacks without shrinking."""
    return 2 * math.ceil(size * 0.95)


def _renderer(size: int, bold: bool):
    key = (size, bold)
    r = _RENDERERS.get(key)
    if r is None:
        from mmx.render.profiles import get_profile

        fonts = _bold_fonts() if bold else None
        p = get_profile("pixel", layout="strip", height=_box(size), patch_size=2, width=4096, font_size=float(size),
                        eos_patch=False, pad=0, max_patches=None, fonts=fonts or ())
        r = _renderer_class()(p)
        _RENDERERS[key] = r
    return r


def _renderer_class():
    """mmx's Renderer with every face on one baseline.

    A strip centres each script's ink on its own (right for a lone strip), so a
    Devanagari cell would sit a few pixels above a digits cell beside it; in a
    table every cell must share the baseline. Here every face takes the
    baseline that centres the union of Noto Sans' and Noto Sans Devanagari's
    ink in the line box (so Latin digits sit on the Devanagari baseline, as in
    a browser).
    """
    if _RENDERER_CLASS:
        return _RENDERER_CLASS[0]
    from mmx.render.engine import Renderer

    class _TableRenderer(Renderer):
        def metrics_of(self, face: int) -> tuple[float, int]:
            table = self.__dict__.setdefault("_table_metrics", {})
            m = table.get(face)
            if m is None:
                faces, by_name = self.stack.faces, self.stack.by_name
                ext = [faces[by_name[n]].ink_extents for n in ("NotoSans", "NotoSansDevanagari")]
                a, d = max(e[0] for e in ext), max(e[1] for e in ext)
                fs = self.profile.font_size
                baseline = int(math.floor((self.line_h - (a + d) * fs) / 2 + a * fs + 0.5))
                m = table[face] = (super().metrics_of(face)[0], baseline)
            return m

    _RENDERER_CLASS.append(_TableRenderer)
    return _TableRenderer


def _ink(text: str, size: int, bold: bool = False) -> _Ink:
    key = (text, size, bold)
    ink = _INK_CACHE.get(key)
    if ink is not None:
        return ink
    r = _renderer(size, bold)
    a = 255 - r.render(text).array  # ink as alpha
    if bold and _bold_fonts() is None:  # faux bold: widen every stroke by a pixel
        a = np.maximum(np.pad(a, ((0, 0), (0, 1))), np.pad(a, ((0, 0), (1, 0))))
    rows = np.flatnonzero(a.max(axis=1))
    cols = np.flatnonzero(a.max(axis=0))
    if rows.size == 0:
        ink = _Ink(np.zeros(0, np.uint8), 0, 0, 0, 0, a.shape[0])
    else:
        top, left = int(rows[0]), int(cols[0])
        crop = a[top : rows[-1] + 1, left : cols[-1] + 1]
        # 16 levels of anti-aliasing (as many renderers use): a card then has few
        # enough colours to be stored as an exact palette PNG (encode_png)
        q = ((crop.astype(np.uint16) * 15 + 127) // 255 * 17).astype(np.uint8)
        ink = _Ink(q.ravel(), crop.shape[0], crop.shape[1], top, left - r.pad, a.shape[0])
    if _INK_CACHE_BYTES[0] > INK_CACHE_LIMIT:
        for k in list(_INK_CACHE)[: len(_INK_CACHE) // 4 + 1]:
            old = _INK_CACHE.pop(k, None)
            if old is not None:
                _INK_CACHE_BYTES[0] -= old.alpha.nbytes + 200
    _INK_CACHE[key] = ink
    _INK_CACHE_BYTES[0] += ink.alpha.nbytes + 200
    return ink


@njit(cache=True, nogil=True)
def _blend_all(arr, alpha, offs, hs, ws, xs, ys, colors):  # pragma: no cover - compiled
    """Composite every ink (alpha[offs[i]:], hs[i] x ws[i] at xs[i], ys[i]) in colors[i] onto arr."""
    H, W = arr.shape[0], arr.shape[1]
    for i in range(offs.size):
        o, h, w, x0, y0 = offs[i], hs[i], ws[i], xs[i], ys[i]
        cr, cg, cb = np.int32(colors[i, 0]), np.int32(colors[i, 1]), np.int32(colors[i, 2])
        for yy in range(h):
            y = y0 + yy
            if y < 0 or y >= H:
                continue
            row = o + yy * w
            for xx in range(w):
                x = x0 + xx
                if x < 0 or x >= W:
                    continue
                a = np.int32(alpha[row + xx])
                if a == 0:
                    continue
                ia = 255 - a
                arr[y, x, 0] = (np.int32(arr[y, x, 0]) * ia + cr * a + 127) // 255
                arr[y, x, 1] = (np.int32(arr[y, x, 1]) * ia + cg * a + 127) // 255
                arr[y, x, 2] = (np.int32(arr[y, x, 2]) * ia + cb * a + 127) // 255


_CORNERS: dict[int, np.ndarray] = {}


def _corner(r: int) -> np.ndarray:
    """Pixels of an r x r top-left corner outside the quarter circle (a rounded rectangle leaves them)."""
    m = _CORNERS.get(r)
    if m is None:
        yy, xx = np.mgrid[0:r, 0:r] + 0.5
        m = _CORNERS[r] = (r - xx) ** 2 + (r - yy) ** 2 > r * r
    return m


# --------------------------------------------------------------------------- canvas


class _Canvas:
    """Shapes and text recorded during layout, drawn at the end once the height is known."""

    def __init__(self, width: int, bg: tuple[int, int, int]) -> None:
        self.width = width
        self.bg = bg
        self.shapes: list[tuple] = []
        self.texts: list[tuple[_Ink, int, int, tuple[int, int, int]]] = []

    def rect(self, x0: int, y0: int, x1: int, y1: int, fill=None, outline=None, radius: int = 0) -> None:
        """A filled rectangle x0..x1-1, y0..y1-1 with square or round corners and an optional 1 px outline."""
        self.shapes.append(("rect", x0, y0, x1, y1, fill, outline, radius))

    def dot(self, cx: int, cy: int, r: int, fill) -> None:
        self.shapes.append(("dot", cx, cy, r, fill))

    def text(self, s: str, x: int, y: int, h: int, size: int, color, bold: bool = False, align: str = "left",
             w: int = 0) -> int:
        """Draw ``s`` in the row ``y..y+h`` (vertically centred), left at ``x`` or aligned in ``x..x+w``.

        Returns the x just right of the ink.
        """
        if not s:
            return x
        ink = _ink(s, size, bold)
        if align == "right":
            px = x + w - ink.w
        elif align == "center":
            px = x + (w - ink.w) // 2
        else:
            px = x + ink.left
        py = y + (h - ink.box) // 2 + ink.top
        self.texts.append((ink, px, py, color))
        return px + ink.w

    def finish(self, height: int) -> Image.Image:
        # RGBX pixels, filled as uint32 words (numpy fills 3-byte pixels ~40x slower)
        arr = np.empty((height, self.width, 4), np.uint8)
        px = arr.view(np.uint32)[:, :, 0]
        px[:] = _word(self.bg)
        for shape in self.shapes:
            if shape[0] == "rect":
                _, x0, y0, x1, y1, fill, outline, radius = shape
                x0, y0, x1, y1 = max(x0, 0), max(y0, 0), min(x1, self.width), min(y1, height)
                if x1 <= x0 or y1 <= y0:
                    continue
                r = min(radius, (x1 - x0) // 2, (y1 - y0) // 2)
                kept = []
                if r > 0:  # the corners outside the arcs keep what is under them
                    m = _corner(r)
                    for sy, sx, mask in ((slice(y0, y0 + r), slice(x0, x0 + r), m),
                                         (slice(y0, y0 + r), slice(x1 - r, x1), m[:, ::-1]),
                                         (slice(y1 - r, y1), slice(x0, x0 + r), m[::-1, :]),
                                         (slice(y1 - r, y1), slice(x1 - r, x1), m[::-1, ::-1])):
                        kept.append((sy, sx, mask, px[sy, sx][mask]))
                if fill is not None:
                    px[y0:y1, x0:x1] = _word(fill)
                if outline is not None:
                    o = _word(outline)
                    px[y0, x0:x1] = o
                    px[y1 - 1, x0:x1] = o
                    px[y0:y1, x0] = o
                    px[y0:y1, x1 - 1] = o
                for sy, sx, mask, old in kept:
                    px[sy, sx][mask] = old
            else:
                _, cx, cy, r, fill = shape
                yy, xx = np.mgrid[-r : r + 1, -r : r + 1]
                mask = xx * xx + yy * yy <= r * r + r // 2
                px[cy - r : cy + r + 1, cx - r : cx + r + 1][mask] = _word(fill)
        if self.texts:
            inks = [t[0] for t in self.texts]
            n = len(inks)
            sizes = np.fromiter((k.alpha.size for k in inks), np.int64, n)
            offs = np.zeros(n, np.int64)
            np.cumsum(sizes[:-1], out=offs[1:])
            _blend_all(arr, np.concatenate([k.alpha for k in inks]), offs,
                       np.fromiter((k.h for k in inks), np.int64, n),
                       np.fromiter((k.w for k in inks), np.int64, n),
                       np.fromiter((t[1] for t in self.texts), np.int64, n),
                       np.fromiter((t[2] for t in self.texts), np.int64, n),
                       np.array([t[3] for t in self.texts], np.uint8).reshape(-1, 3))
        return Image.frombytes("RGB", (self.width, height), arr, "raw", "RGBX")


def _word(c: tuple[int, int, int]) -> np.uint32:
    """An RGB colour as the uint32 of its RGBX bytes (little- or big-endian host)."""
    return np.frombuffer(bytes((c[0], c[1], c[2], 255)), np.uint32)[0]


def _width(s: str, size: int, bold: bool = False) -> int:
    return _ink(s, size, bold).w if s else 0


# --------------------------------------------------------------------------- templates


@dataclass(frozen=True)
class _Style:
    name: str
    width: int  # image width before any growth for wide content
    margin: int  # page margin
    inset: int  # content inset inside a section (cards)
    body: int  # body text size
    small: int  # list text size (fall of wickets, did not bat)
    head: int  # table header size
    title: int  # match title size
    section: int  # innings title size
    row: int  # body row height
    head_row: int  # table header row height
    pad: int  # cell padding
    num_min: int  # minimum numeric column width
    gap: int  # vertical gap between sections
    bg: tuple[int, int, int]
    panel: tuple[int, int, int]  # table / card background
    text: tuple[int, int, int]
    muted: tuple[int, int, int]
    name_fg: tuple[int, int, int]
    accent: tuple[int, int, int]
    accent2: tuple[int, int, int]
    head_bg: tuple[int, int, int] | None
    head_fg: tuple[int, int, int]
    stripe: tuple[int, int, int] | None
    line: tuple[int, int, int]
    total_bg: tuple[int, int, int] | None
    grid: bool  # boxed cells
    runs_bold: bool


_STYLES = {
    "classic": _Style(
        name="classic", width=980, margin=24, inset=0, body=14, small=14, head=13, title=22, section=17,
        row=26, head_row=28, pad=9, num_min=40, gap=18,
        bg=(255, 255, 255), panel=(255, 255, 255), text=(33, 37, 41), muted=(95, 99, 104),
        name_fg=(11, 87, 164), accent=(11, 79, 138), accent2=(240, 165, 0),
        head_bg=(236, 240, 245), head_fg=(52, 58, 64), stripe=(246, 248, 251), line=(214, 220, 228),
        total_bg=(232, 239, 247), grid=False, runs_bold=True,
    ),
    "dark": _Style(
        name="dark", width=1000, margin=20, inset=18, body=14, small=14, head=13, title=22, section=17,
        row=28, head_row=28, pad=9, num_min=40, gap=16,
        bg=(15, 20, 26), panel=(27, 34, 44), text=(232, 237, 242), muted=(150, 163, 178),
        name_fg=(240, 244, 248), accent=(30, 214, 168), accent2=(255, 183, 3),
        head_bg=None, head_fg=(150, 163, 178), stripe=None, line=(48, 58, 72),
        total_bg=(35, 44, 57), grid=False, runs_bold=True,
    ),
    "compact": _Style(
        name="compact", width=920, margin=12, inset=0, body=13, small=13, head=13, title=18, section=14,
        row=24, head_row=24, pad=6, num_min=36, gap=10,
        bg=(231, 231, 231), panel=(255, 255, 255), text=(20, 20, 20), muted=(70, 70, 70),
        name_fg=(20, 20, 20), accent=(68, 68, 68), accent2=(20, 20, 20),
        head_bg=(80, 80, 80), head_fg=(255, 255, 255), stripe=None, line=(150, 150, 150),
        total_bg=(238, 238, 238), grid=True, runs_bold=False,
    ),
}


def _bat_cols(st: _Style, inn: _InningsCard, width: int) -> tuple[list[int], int]:
    """Column widths of the batting table filling ``width`` (the dismissal column takes the slack)."""
    p = 2 * st.pad
    rows = [*inn.bat_rows, (inn.extras[0], inn.extras[1], inn.extras[2], "", "", "", ""),
            (inn.total[0], inn.total[1], inn.total[2], "", "", "", "")]
    special = len(rows) - 2  # extras and total: label bold; the total row all bold
    ws = []
    for j in range(7):
        bold = [(j == 2 and st.runs_bold and i < special) or i == special + 1 or (j == 0 and i >= special)
                for i in range(len(rows))]
        w = max([_width(inn.bat_head[j], st.head, True)] + [_width(r[j], st.body, b) for r, b in zip(rows, bold)])
        ws.append(max(w + p, st.num_min) if j >= 2 else w + p)
    need = sum(ws)
    ws[1] += max(width - need, 0)
    return ws, need


def _bowl_cols(st: _Style, inn: _InningsCard, width: int) -> tuple[list[int], int]:
    p = 2 * st.pad
    ws = []
    for j in range(8):
        w = max([_width(inn.bowl_head[j], st.head, True)] + [_width(r[j], st.body, j == 4 and st.runs_bold) for r in inn.bowl_rows])
        ws.append(max(w + p, st.num_min) if j >= 1 else w + p)
    need = sum(ws)
    ws[0] += max(width - need, 0)
    return ws, need


def _table(cv: _Canvas, st: _Style, x: int, y: int, ws: list[int], head: tuple[str, ...],
           rows: list[tuple[str, ...]], kind: str) -> int:
    """A batting (``kind="bat"``) or bowling table; returns the y below it."""
    width = sum(ws)
    left_cols = 2 if kind == "bat" else 1
    bold_col = 2 if kind == "bat" else 4
    xs = [x + sum(ws[:j]) for j in range(len(ws))]
    if st.grid:  # boxed cells on a white table
        cv.rect(x, y, x + width, y + st.head_row + len(rows) * st.row, fill=st.panel)
    # header
    if st.head_bg is not None:
        cv.rect(x, y, x + width, y + st.head_row, fill=st.head_bg)
    for j, label in enumerate(head):
        align = "left" if j < left_cols else "right"
        cv.text(label, xs[j] + st.pad, y, st.head_row, st.head, st.head_fg, True, align, ws[j] - 2 * st.pad)
    if st.grid:
        for j in range(1, len(ws)):
            cv.rect(xs[j], y, xs[j] + 1, y + st.head_row, fill=st.line)
    elif st.head_bg is None:
        cv.rect(x, y + st.head_row - 1, x + width, y + st.head_row, fill=st.line)
    y += st.head_row
    top = y
    for i, row in enumerate(rows):
        special = kind == "bat" and i >= len(rows) - 2  # extras and total
        is_total = kind == "bat" and i == len(rows) - 1
        if is_total and st.total_bg is not None:
            cv.rect(x, y, x + width, y + st.row, fill=st.total_bg)
        elif not special and st.stripe is not None and i % 2 == 1:
            cv.rect(x, y, x + width, y + st.row, fill=st.stripe)
        if st.grid:
            cv.rect(x, y, x + width, y + 1, fill=st.line)
        elif i and st.stripe is None:
            cv.rect(x + (0 if special else st.pad // 2), y, x + width, y + 1, fill=st.line)
        if special and st.stripe is not None and i == len(rows) - 2:
            cv.rect(x, y, x + width, y + 1, fill=st.line)
        for j, cell in enumerate(row):
            if not cell:
                continue
            align = "left" if j < left_cols else "right"
            bold = is_total or (j == bold_col and st.runs_bold and not special)
            if j == 0:
                color = st.text if special else st.name_fg
            elif j == 1 and kind == "bat":
                color = st.muted
            elif j == bold_col and st.runs_bold and not special:
                color = st.accent2 if st.name == "dark" else st.text
            else:
                color = st.text
            if is_total and j == 2 and st.name == "dark":
                color = st.accent2
            cv.text(cell, xs[j] + st.pad, y, st.row, st.body, color, bold or (j == 0 and special), align, ws[j] - 2 * st.pad)
        y += st.row
    if st.grid:
        cv.rect(x, y, x + width, y + 1, fill=st.line)
        for j in range(1, len(ws)):
            # extras and total rows: the runs cell is boxed, the rest spans
            spanned = kind == "bat" and j not in (2, 3)
            cv.rect(xs[j], top, xs[j] + 1, y - 2 * st.row if spanned else y, fill=st.line)
        cv.rect(x, top - st.head_row, x + 1, y + 1, fill=st.line)
        cv.rect(x + width - 1, top - st.head_row, x + width, y + 1, fill=st.line)
        cv.rect(x, top - st.head_row, x + width, top - st.head_row + 1, fill=st.line)
    return y


def _flow(cv: _Canvas, st: _Style, x0: int, x1: int, y: int, label: str, items: list[str],
          label_fg, fg, line_h: int) -> int:
    """``label`` then ``items`` flowed over lines of ``x0..x1``; returns the y below."""
    if not label:
        return y
    x = cv.text(label, x0, y, line_h, st.small, label_fg, True) + 8
    indent = x0 + 16
    space = st.small * 3 // 4
    for item in items:
        w = _width(item, st.small)
        if x + w > x1 and x > indent:
            y += line_h
            x = indent
        x = cv.text(item, x, y, line_h, st.small, fg) + space
    return y + line_h


def _list_lines(st: _Style, x0: int, x1: int, label: str, items: list[str]) -> int:
    """How many lines :func:`_flow` takes (to size a box before drawing into it)."""
    if not label:
        return 0
    x = x0 + _width(label, st.small, True) + 8
    indent = x0 + 16
    space = st.small * 3 // 4
    n = 1
    for item in items:
        w = _width(item, st.small)
        if x + w > x1 and x > indent:
            n += 1
            x = indent
        x += w + space
    return n


def _meta(cv: _Canvas, st: _Style, x: int, y: int, h: int, meta: list[str], fg, dot) -> None:
    for i, s in enumerate(meta):
        if i:
            cv.dot(x + 8, y + h // 2, 2, dot)
            x += 18
        x = cv.text(s, x, y, h, st.body, fg) + 2


def _layout(card: _Card, st: _Style) -> Image.Image:
    m = st.margin
    # width: the template's, grown if a table needs more
    need = 0
    for inn in card.innings:
        need = max(need, _bat_cols(st, inn, 0)[1], _bowl_cols(st, inn, 0)[1])
    W = max(st.width, need + 2 * (m + st.inset))
    W += W % 2
    inner = W - 2 * (m + st.inset)
    cv = _Canvas(W, st.bg)
    if st.name == "classic":
        y = _head_classic(cv, st, card, W)
    elif st.name == "dark":
        y = _head_dark(cv, st, card, W)
    else:
        y = _head_compact(cv, st, card, W)
    for inn in card.innings:
        bat_ws, _ = _bat_cols(st, inn, inner)
        bowl_ws, _ = _bowl_cols(st, inn, inner)
        y = _innings(cv, st, inn, y, W, bat_ws, bowl_ws)
    if card.result is not None:
        y = _result(cv, st, card.result, y, W)
    return cv.finish(y + m - st.gap)


def _head_classic(cv: _Canvas, st: _Style, card: _Card, W: int) -> int:
    cv.rect(0, 0, W, 58, fill=st.accent)
    cv.rect(0, 58, W, 62, fill=st.accent2)
    cv.text(card.title, st.margin, 6, 46, st.title, (255, 255, 255), True)
    _meta(cv, st, st.margin, 70, 26, card.meta, st.muted, st.muted)
    return 70 + 26 + st.gap


def _head_dark(cv: _Canvas, st: _Style, card: _Card, W: int) -> int:
    m = st.margin
    cv.rect(m, m, W - m, m + 96, fill=st.panel, radius=12)
    cv.rect(m, m + 14, m + 4, m + 82, fill=st.accent)
    cv.text(card.title, m + st.inset, m + 10, 40, st.title, st.text, True)
    x = m + st.inset
    for s in card.meta:  # chips
        w = _width(s, st.body) + 24
        cv.rect(x, m + 56, x + w, m + 84, fill=(38, 48, 62), radius=14)
        cv.text(s, x + 12, m + 56, 28, st.body, st.muted)
        x += w + 10
    return m + 96 + st.gap


def _head_compact(cv: _Canvas, st: _Style, card: _Card, W: int) -> int:
    m = st.margin
    cv.text(card.title, m, m, 30, st.title, st.text, True)
    _meta(cv, st, m, m + 30, 22, card.meta, st.muted, st.muted)
    return m + 52 + st.gap


def _innings(cv: _Canvas, st: _Style, inn: _InningsCard, y: int, W: int, bat_ws: list[int],
             bowl_ws: list[int]) -> int:
    m = st.margin
    x0 = m + st.inset
    x1 = W - m - st.inset
    if st.name == "dark":
        # a card: header band, tables, lists; its height is known only at the end
        top = y
        shape_at = len(cv.shapes)
        cv.text(inn.title, x0, y + 8, 40, st.section, st.accent, True)
        cv.text(inn.score, x0, y + 8, 40, st.section + 3, st.text, True, "right", x1 - x0)
        y += 8 + 40 + 6
        y = _table(cv, st, x0, y, bat_ws, inn.bat_head, [*inn.bat_rows, inn.extras, inn.total], "bat") + 10
        y = _flow(cv, st, x0, x1, y, inn.dnb_label, inn.dnb, st.accent, st.text, 26)
        y = _flow(cv, st, x0, x1, y, inn.fow_label, inn.fow, st.accent, st.muted, 26) + 12
        y = _table(cv, st, x0, y, bowl_ws, inn.bowl_head, inn.bowl_rows, "bowl") + 14
        cv.shapes.insert(shape_at, ("rect", m, top, W - m, y, st.panel, None, 12))
        return y + st.gap
    if st.name == "classic":
        cv.text(inn.title, x0, y, 34, st.section, st.accent, True)
        cv.text(inn.score, x0, y, 34, st.section, st.text, True, "right", x1 - x0)
        cv.rect(x0, y + 34, x1, y + 36, fill=st.accent)
        y += 36
        y = _table(cv, st, x0, y, bat_ws, inn.bat_head, [*inn.bat_rows, inn.extras, inn.total], "bat") + 6
        y = _flow(cv, st, x0, x1, y, inn.dnb_label, inn.dnb, st.text, st.muted, 26)
        y = _flow(cv, st, x0, x1, y, inn.fow_label, inn.fow, st.text, st.muted, 26) + 10
        y = _table(cv, st, x0, y, bowl_ws, inn.bowl_head, inn.bowl_rows, "bowl")
        cv.rect(x0, y, x1, y + 1, fill=st.line)
        return y + st.gap + 4
    # compact: a grey title cell, boxed tables, boxed lists
    cv.rect(x0, y, x1, y + 26, fill=(200, 200, 200), outline=st.line)
    cv.text(inn.title, x0 + st.pad, y, 26, st.section, st.text, True)
    cv.text(inn.score, x0 + st.pad, y, 26, st.section, st.text, True, "right", x1 - x0 - 2 * st.pad)
    y += 25
    cv.rect(x0, y, x1, y + 1, fill=st.line)
    y = _table(cv, st, x0, y, bat_ws, inn.bat_head, [*inn.bat_rows, inn.extras, inn.total], "bat")
    line_h = 22
    for label, items in ((inn.dnb_label, inn.dnb), (inn.fow_label, inn.fow)):
        n = _list_lines(st, x0 + st.pad, x1 - st.pad, label, items)
        if n:
            cv.rect(x0, y, x1, y + n * line_h + 7, fill=st.panel, outline=st.line)
            _flow(cv, st, x0 + st.pad, x1 - st.pad, y + 3, label, items, st.text, st.text, line_h)
            y += n * line_h + 6
    y += 6
    y = _table(cv, st, x0, y, bowl_ws, inn.bowl_head, inn.bowl_rows, "bowl")
    return y + st.gap


def _result(cv: _Canvas, st: _Style, result: tuple[str, str], y: int, W: int) -> int:
    m = st.margin
    label, text = result
    if st.name == "classic":
        cv.rect(m, y, W - m, y + 40, fill=(255, 246, 220))
        cv.rect(m, y, m + 5, y + 40, fill=st.accent2)
        x = cv.text(label, m + 18, y, 40, st.section, st.text, True)
        cv.text(text, x + 10, y, 40, st.section, st.text, True)
        return y + 40 + st.gap
    if st.name == "dark":
        cv.rect(m, y, W - m, y + 52, fill=st.panel, radius=12)
        cv.rect(m, y + 12, m + 4, y + 40, fill=st.accent2)
        x = cv.text(label, m + st.inset, y, 52, st.section, st.muted, True)
        cv.text(text, x + 14, y, 52, st.section + 1, st.accent2, True)
        return y + 52 + st.gap
    cv.rect(m, y, W - m, y + 28, fill=st.panel, outline=st.line)
    x = cv.text(label, m + st.pad, y, 28, st.section, st.text, True)
    cv.text(text, x + 8, y, 28, st.section, st.text, True)
    return y + 28 + st.gap


# --------------------------------------------------------------------------- public


def card_pages(m: Match) -> list[list[int]]:
    """Which innings each image of ``m`` holds: a Test gets one image per innings
    (MMCricBench's multi-image split), limited-overs matches one image with both."""
    return [[k] for k in range(len(m.innings))] if m.format == "Test" else [list(range(len(m.innings)))]


def draw_match(m: Match, template: str, lang: str = "en", digits: str = "western") -> list[Image.Image]:
    """Every image of ``m`` (see :func:`card_pages`), drawn with :func:`draw_scorecard`."""
    return [draw_scorecard(m, page, template, lang=lang, digits=digits) for page in card_pages(m)]


def draw_scorecard(m: Match, innings: Sequence[int], template: str, lang: str = "en",
                   digits: str = "western") -> Image.Image:
    """The scorecard of ``m``'s ``innings`` (0-based indices) as an RGB image.

    Limited-overs matches: pass both innings. Tests: one innings per image. The
    result is drawn only on the image holding the match's last innings.
    ``lang`` is ``"en"`` or ``"hi"``; ``digits="devanagari"`` writes every
    number with Devanagari digits (meant for Hindi; applied with English too).
    Raises ValueError for an unknown template, language or digits, or an
    innings index out of range.
    """
    _check(lang, digits, template)
    card = _card(m, innings, lang, digits)
    st = _STYLES[template]
    if lang == "hi":  # Devanagari reads small beside Latin at the same em: two px more
        st = dataclasses.replace(st, body=st.body + 2, small=st.small + 2, head=st.head + 1, section=st.section + 1,
                                 title=st.title + 1)
    return _layout(card, st)


def encode_png(img: Image.Image, compress_level: int = 1) -> bytes:
    """Lossless PNG bytes of a scorecard, fast.

    A scorecard has a few flat colours and text anti-aliased in 16 levels, so it
    holds well under 256 colours: it is written as an exact palette image (no
    pixel changes), which skips PNG's per-row filter search (most of the cost of
    an RGB PNG) and takes about half the bytes. An image with more colours is
    written as RGB. zlib level 1 by default: level 6 saves ~20% of the bytes for
    about twice the time (benchmarks/scorecard_speed.py).
    """
    buf = io.BytesIO()
    if img.mode == "RGB":
        idx, pal, n = _palettize(np.ascontiguousarray(np.asarray(img)))
        if n > 0:
            p = Image.fromarray(idx)
            p.putpalette(pal[:n].tobytes())
            p.save(buf, "PNG", compress_level=compress_level)
            return buf.getvalue()
    img.save(buf, "PNG", compress_level=compress_level)
    return buf.getvalue()


@njit(cache=True, nogil=True)
def _palettize(rgb: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    """(indices, palette, n): the exact palette of an RGB image, colours in order of first use; n = -1 past 256."""
    h, w = rgb.shape[0], rgb.shape[1]
    size = 4096
    keys = np.full(size, -1, np.int64)
    vals = np.zeros(size, np.uint8)
    pal = np.zeros((256, 3), np.uint8)
    out = np.empty((h, w), np.uint8)
    n = 0
    last_key = -1
    last_val = np.uint8(0)
    for y in range(h):
        for x in range(w):
            k = (np.int64(rgb[y, x, 0]) << 16) | (np.int64(rgb[y, x, 1]) << 8) | np.int64(rgb[y, x, 2])
            if k != last_key:
                s = ((k * 2654435761) >> 12) & (size - 1)
                while True:
                    kk = keys[s]
                    if kk == k:
                        last_val = vals[s]
                        break
                    if kk == -1:
                        if n == 256:
                            return out, pal, -1
                        keys[s] = k
                        vals[s] = n
                        pal[n, 0] = rgb[y, x, 0]
                        pal[n, 1] = rgb[y, x, 1]
                        pal[n, 2] = rgb[y, x, 2]
                        last_val = np.uint8(n)
                        n += 1
                        break
                    s = (s + 1) & (size - 1)
                last_key = k
            out[y, x] = last_val
    return out, pal, n
