"""Itemization: tokens, paragraph bidi levels and visual order, grapheme clusters, and runs by font, script and level.

Both paths of the renderer (the strip path, :mod:`mmx.render.strip`, and the
token/layout path, :mod:`mmx.render.engine`) itemize with what is here: text is
cut into whitespace-free tokens (:data:`TOKEN_RE`, :func:`split_long`), tokens
into runs of one face, script and level (:class:`Itemizer`), and a line's runs
or pieces are put in visual order (:func:`l2_order`, :func:`visual_order`,
:func:`para_rtl`). Bidi levels come from ICU's implementation of UAX #9 through
PyICU (the ``pyicu-wheels`` build, which bundles ICU), which returns them
directly.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import regex

from mmx.render.fonts import CJK_SCRIPTS, FontStack

#: extended grapheme clusters (UAX #29) from the `regex` module's C engine
CLUSTER_RE = regex.compile(r"\X", regex.DOTALL)
_KANA_RE = regex.compile(r"[\p{Hiragana}\p{Katakana}]")
_HANGUL_RE = regex.compile(r"\p{Hangul}")
_CJK_RE = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}]")
#: Whitespace-free tokens and single whitespace characters; a whitespace character
#: followed by extending characters (marks, joiners, selectors, emoji modifiers,
#: tags) forms one grapheme cluster (UAX #29) and starts a token instead.
TOKEN_RE = regex.compile(r"\s[\p{M}\u200c\u200d\ufe00-\ufe0f\U0001f3fb-\U0001f3ff\U000e0020-\U000e007f]+\S*|\S+|\s")
#: the longest token shaped whole; longer ones are cut by :func:`split_long`
MAX_TOKEN = 256

# Characters that can make a paragraph need the bidi algorithm: strong RTL
# letters (Hebrew, Arabic, Syriac, Thaana, NKo, Samaritan, Mandaic, presentation
# forms, RTL historic planes) and the explicit RTL marks/embeddings/isolates.
_RTL_RE = re.compile(
    "[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff\U00010800-\U00010fff\U0001e800-\U0001efff"
    "\u200f\u202b\u202e\u2067\u061c]"
)

# A superset of _CJK_RE's characters (tests/render/test_itemize.py checks it), searched with the
# standard library's re: a line without any is rejected in about 2 µs against 7 µs for the regex
# module's Unicode properties (a 130-character English line).
_CJK_CANDIDATES = ("\u1100-\u11ff\u2e80-\u9fff\ua960-\ud7ff\uf900-\ufaff\uff00-\uffef\U00016fe0-\U00016fff"
                   "\U0001aff0-\U0001b2ff\U0001f200-\U0001f2ff\U00020000-\U0003ffff")
_CJK_CANDIDATE_RE = re.compile(f"[{_CJK_CANDIDATES}]")
_RTL_OR_CJK_RE = re.compile(_RTL_RE.pattern[:-1] + _CJK_CANDIDATES + "]")

# Characters with no visible glyph of their own that a font need not cover
# (joiners, variation selectors, bidi controls, tags): excluded from coverage
# checks and from missing-glyph reports, passed to HarfBuzz which hides them.
_IGNORABLE_RE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0000-\U000e0fff]"
)


def is_extend(ch: str) -> bool:
    """Does ``ch`` extend the grapheme cluster before it (mark, joiner, selector, emoji modifier, tag)?"""
    cp = ord(ch)
    return (unicodedata.category(ch)[0] == "M" or cp in (0x200C, 0x200D) or 0xFE00 <= cp <= 0xFE0F
            or 0x1F3FB <= cp <= 0x1F3FF or 0xE0020 <= cp <= 0xE007F or 0xE0100 <= cp <= 0xE01EF)


def is_ignorable(ch: str) -> bool:
    return _IGNORABLE_RE.match(ch) is not None


def may_be_cjk(text: str) -> bool:
    """Could ``text`` need a CJK face preference (:meth:`Itemizer.cjk_for`): does it hold Han, kana or Hangul?"""
    return _CJK_CANDIDATE_RE.search(text) is not None and _CJK_RE.search(text) is not None


def plain_ltr(text: str) -> bool:
    """Does ``text`` hold neither right-to-left characters (:func:`needs_bidi`) nor CJK ones (:func:`may_be_cjk`)?

    One search instead of two, for the most common lines (Latin, Cyrillic, Greek...).
    """
    return _RTL_OR_CJK_RE.search(text) is None


def split_long(toks: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Cut space-free tokens longer than ``MAX_TOKEN`` characters at grapheme boundaries.

    A "word" of thousands of characters (a URL, a base64 blob, a 1 MB test) is
    still shaped whole in pieces of a few hundred characters: shaping context
    does not matter across such cuts, and one HarfBuzz buffer of a megabyte does.
    """
    out = []
    for t0, tok in toks:
        if len(tok) <= MAX_TOKEN:
            out.append((t0, tok))
            continue
        start = 0
        acc = 0
        for cl in CLUSTER_RE.findall(tok):
            if acc - start + len(cl) > MAX_TOKEN and acc > start:
                out.append((t0 + start, tok[start:acc]))
                start = acc
            acc += len(cl)
        out.append((t0 + start, tok[start:]))
    return out


def needs_bidi(text: str) -> bool:
    """True when ``text`` holds right-to-left characters or explicit RTL controls."""
    return _RTL_RE.search(text) is not None


def bidi_levels(paragraph: str) -> tuple[np.ndarray, int]:
    """Resolved UAX #9 embedding levels per character, and the paragraph level.

    From ICU's ubidi (PyICU): the paragraph level from its first strong
    character (P2-P3, left-to-right when there is none), levels per UTF-16 code
    unit mapped back to code points.
    """
    if not needs_bidi(paragraph):
        return np.zeros(len(paragraph), np.int8), 0
    bidi = _icu_bidi()
    import icu

    # ICU takes UTF-16: lone surrogates become U+FFFD (same length in code
    # points; they are reported as missing glyphs elsewhere).
    safe = paragraph.encode("utf-8", "replace").decode("utf-8") if _has_surrogate(paragraph) else paragraph
    bidi.setPara(icu.UnicodeString(safe), _DEFAULT_LTR)
    levels = np.array(bidi.getLevels(), np.int8)
    if levels.size != len(safe):  # astral characters take two UTF-16 units: keep the first
        units = np.frombuffer(safe.encode("utf-32-le"), np.uint32) >= 0x10000
        starts = np.arange(len(safe)) + np.concatenate([[0], np.cumsum(units)[:-1]])
        levels = levels[starts]
    return levels, int(bidi.getParaLevel())


# UBIDI_DEFAULT_LTR: paragraph level from the first strong character, else 0.
_DEFAULT_LTR = 0xFE
_bidi_local = threading.local()


def _icu_bidi():
    """One reusable ICU bidi object per thread (ubidi objects are not thread-safe)."""
    b = getattr(_bidi_local, "bidi", None)
    if b is None:
        import icu

        b = icu.Bidi()
        _bidi_local.bidi = b
    return b


def _has_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
        return False
    except UnicodeEncodeError:
        return True


def para_rtl(items: Sequence[Any], is_text: Callable[[Any], bool]) -> bool:
    """Is a line's paragraph right-to-left (the lowest level of its text items is odd)?

    ``items`` have a bidi ``level``; ``is_text`` picks those that hold text
    (spaces and controls do not count).
    """
    levels = [it.level for it in items if is_text(it)]
    return bool(levels) and min(levels) % 2 == 1


def visual_order(items: list[Any], is_space: Callable[[Any], bool]) -> list[Any]:
    """UAX #9 rule L2 over a line's items (each with a bidi ``level``): reverse runs at each level from the highest down.

    ``is_space`` marks the whitespace and controls that take the paragraph
    level at the end of the line (rule L1, :func:`l2_order`).
    """
    if max((it.level for it in items), default=0) == 0:
        return items
    levels = [it.level for it in items]
    # The lowest level on the line stands for the paragraph level (rule L1's target).
    order = l2_order(levels, min(levels), [is_space(it) for it in items])
    return [items[i] for i in order]


def l2_order(levels: list[int], base: int, is_space: list[bool]) -> list[int]:
    """UAX #9 L1-L2 for one line of tokens: indices in visual order.

    Trailing whitespace takes the paragraph level (L1); then every maximal run at
    or above each level, from the highest down to the lowest odd one, is reversed.
    """
    lv = list(levels)
    k = len(lv) - 1
    while k >= 0 and is_space[k]:
        lv[k] = base
        k -= 1
    order = list(range(len(lv)))
    if not lv:
        return order
    top = max(lv)
    low = min(min(lv), base)
    lowest_odd = low + 1 if low % 2 == 0 else low
    for level in range(top, lowest_odd - 1, -1):
        i = 0
        while i < len(order):
            if lv[order[i]] >= level:
                j = i
                while j < len(order) and lv[order[j]] >= level:
                    j += 1
                order[i:j] = order[i:j][::-1]
                i = j
            else:
                i += 1
    return order


_SCRIPT_CACHE: dict[str, str] = {}


def script_of(ch: str) -> str:
    """ISO 15924 script code of a character ('Zyyy' common, 'Zinh' inherited)."""
    s = _SCRIPT_CACHE.get(ch)
    if s is None:
        from fontTools import unicodedata as fu

        s = "Zzzz" if 0xD800 <= ord(ch) <= 0xDFFF else fu.script(ch)
        _SCRIPT_CACHE[ch] = s
    return s


@dataclass(frozen=True)
class Run:
    """A maximal piece of one token with one face, script and level (offsets relative)."""

    start: int
    end: int
    face: int  # -1: control characters, drawn as nothing
    script: str
    level: int
    #: grapheme cluster starts inside the run, relative to the run start
    graphemes: tuple[int, ...]


class Itemizer:
    """Splits whitespace-free tokens into runs; caches per token since words recur."""

    def __init__(self, stack: FontStack) -> None:
        self.stack = stack
        self._tables: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
        self._scripts: list[str] = ["Zyyy"]
        self._cov: np.ndarray | None = None
        self._cluster_cache: dict[tuple[str, str, str], tuple[int, tuple[int, ...]]] = {}
        #: (cluster, previous face, previous script, CJK preference) -> (face, script, uncovered offsets)
        self._in_context: dict[tuple[str, int, str, str], tuple[int, str, tuple[int, ...]]] = {}
        self._token_cache: dict[tuple[str, int, str], tuple[list[Run], list[int]]] = {}
        self._simple_chars: dict[str, tuple[int, str] | bool] = {}
        #: per code point, for the compiled token-by-token itemizer (:meth:`token_line_runs`):
        #: flags (1 whitespace, 2 mark, 4 ignorable, 8 whitespace to only one of ``regex`` and
        #: ``str.isspace``), and ``_simple_char``'s face plus one (0: not simple) and script index
        self._cp_flags = np.zeros(0x110000, np.uint8)
        self._simple_face = np.zeros(0x110000, np.int16)  # zeros are not written until used: 0 for none
        self._simple_script = np.zeros(0x110000, np.int16)
        self._orders: dict[str, tuple[int, np.ndarray]] = {}

    def clear_text_cache(self) -> None:
        """Forget the itemizations of whole tokens (per-character tables stay)."""
        self._token_cache.clear()

    def cjk_for(self, paragraph: str, default: str) -> str:
        """The CJK face for a paragraph: kana -> Japanese, Hangul -> Korean."""
        if _KANA_RE.search(paragraph):
            return "jp"
        if _HANGUL_RE.search(paragraph):
            return "kr"
        return default

    def token(self, token: str, levels: np.ndarray | None, level0: int, cjk: str) -> tuple[list[Run], list[int]]:
        """Runs of a whitespace-free token and the relative offsets of its missing glyphs.

        ``levels`` are the token's bidi levels when they are not all ``level0``.
        """
        if levels is None:
            key = (token, level0, cjk)
            hit = self._token_cache.get(key)
            if hit is None:
                hit = self._simple(token, level0, cjk) or self._itemize(token, None, level0, cjk)
                if len(self._token_cache) > 500_000:  # bound memory on endless streams of new words
                    self._token_cache.clear()
                self._token_cache[key] = hit
            return hit
        return self._itemize(token, levels, level0, cjk)

    def line_runs(self, text: str, levels: np.ndarray | None, cjk: str, cps: np.ndarray | None = None) -> list[list] | None:
        """Runs ``[start, end, face, script, level]`` of a whole line from code-point tables.

        The fast itemizer of the direct strip path: after the tables have seen a
        code point once, a line costs a few array operations and one compiled
        call instead of a Python loop over its words. Returns None when the line
        needs the general itemizer (complex characters, uncovered code points).
        ``cps``: the text as uint32 code points, where the caller has them.
        """
        line_items = _line_items or _load_line_items()
        if cps is None:
            cps = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), np.uint32)
        cls, face_tab, script_tab = self._table(cjk)
        lv = levels if levels is not None else _NO_LEVELS
        status, runs = line_items(cps, cls, face_tab, script_tab, self._coverage(), self.stack.primary, lv)
        if status == 1:  # code points not seen yet: classify them, then again
            for cp in np.unique(cps[cls[cps] == 0]).tolist():
                self._learn(cp, cjk)
            status, runs = line_items(cps, cls, face_tab, script_tab, self._coverage(), self.stack.primary, lv)
        if status:
            return None
        names = self._scripts
        return [[a, b, f, names[s], v] for a, b, f, s, v in zip(*runs.tolist())]

    def token_line_runs(self, levels: np.ndarray | None, cjk: str, cps: np.ndarray) -> list[list] | None:
        """Runs of a line as the strip path's word-by-word itemization (``StripPath._token_runs``) makes them, in one compiled call.

        For the lines :meth:`line_runs` declines whose characters are all in
        the tables (call it first) and whose grapheme clusters are simple (a
        letter or common character and its marks or ZWNJ: Persian words with a
        ZWNJ); None for every other line, which the Python loop itemizes;
        an empty list for a line that loop would decline too (a word of
        mixed bidi levels: the line needs the layout path).
        Spaces, digits and punctuation get their faces as that loop gives them,
        token by token, which differs from :meth:`line_runs`' rules.
        """
        token_items = _token_items or _load_line_items(token=True)
        cls, face_tab, script_tab = self._table(cjk)
        status, runs = token_items(cps, cls, face_tab, script_tab, self._cp_flags, self._simple_face, self._simple_script,
                                   self._order(cjk), self._coverage(), self.stack.primary,
                                   levels if levels is not None else _NO_LEVELS, MAX_TOKEN)
        if status:
            return [] if status == 3 else None
        names = self._scripts
        return [[a, b, f, names[s], v] for a, b, f, s, v in zip(*runs.tolist())]

    def _order(self, cjk: str) -> np.ndarray:
        """``FontStack.order_for`` of every known script (rows by script index) for the compiled itemizer."""
        n = len(self._scripts)
        hit = self._orders.get(cjk)
        if hit is None or hit[0] != n:
            stack = self.stack
            order = np.full((n, len(stack.faces)), -1, np.int64)
            for i, script in enumerate(self._scripts):
                row = stack.order_for(script, cjk)
                order[i, : len(row)] = row
            hit = self._orders[cjk] = (n, order)
        return hit[1]

    def _table(self, cjk: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        t = self._tables.get(cjk)
        if t is None:
            t = (np.zeros(0x110000, np.uint8), np.zeros(0x110000, np.int64), np.zeros(0x110000, np.int64))
            self._tables[cjk] = t
        return t

    def _learn(self, cp: int, cjk: str) -> None:
        """Classify one code point into the tables (once per code point and CJK preference)."""
        cls, face_tab, script_tab = self._table(cjk)
        ch = chr(cp)
        if cp in _TOKEN_EXTENDERS:  # joins the cluster before it: left to the token-by-token itemizers
            cls[cp] = 6
            self._cp_flags[cp] = 4 if is_ignorable(ch) else 0
            s = script_of(ch)
            if s not in _COMMON and s not in self._scripts:
                self._scripts.append(s)
            script_tab[cp] = self._scripts.index(s) if s not in _COMMON else 0
            return
        if _COMPLEX_RE.match(ch):
            cls[cp] = 5  # left to the general itemizer
            return
        cat = unicodedata.category(ch)
        s = script_of(ch)
        face, miss = self._cluster(ch, cjk, s if s not in _COMMON else "Zyyy")
        if miss and cat[0] != "M":
            cls[cp] = 4  # no face covers it: the general itemizer reports it missing
            return
        # The facts token_line_runs reads besides the class (see _cp_flags): marks and
        # ignorables of class 3, whitespace of class 2, the faces of "simple" characters.
        if cat[0] == "M" or is_ignorable(ch):
            cls[cp] = 3
            self._cp_flags[cp] = (2 if cat[0] == "M" else 0) | (4 if is_ignorable(ch) else 0)
        elif s in _COMMON:
            cls[cp] = 2
            if ch.isspace():  # regex's whitespace is a subset of str.isspace's (it lacks U+001C-U+001F)
                self._cp_flags[cp] = 1 if _SPACE_RE.match(ch) else 8
        else:
            cls[cp] = 1
        if _simple_range(cp):
            self._learn_simple(cp, ch, cjk)
        if s not in self._scripts:
            self._scripts.append(s)
        face_tab[cp] = face
        script_tab[cp] = self._scripts.index(s) if s not in _COMMON else 0

    def _learn_simple(self, cp: int, ch: str, cjk: str) -> None:
        """``_simple_char``'s face and script of a code point, for :meth:`token_line_runs` (CJK-independent, as it is)."""
        info = self._simple_chars.get(ch)
        if info is None:
            info = self._simple_char(ch, cjk)
        if info:
            face, script = info
            if script != "Zyyy" and script not in self._scripts:
                self._scripts.append(script)
            self._simple_face[cp] = face + 1
            self._simple_script[cp] = self._scripts.index(script) if script != "Zyyy" else 0

    def _coverage(self) -> np.ndarray:
        """Per-face coverage bitmaps (bit ``cp`` of row ``face``) for the compiled itemizer."""
        if self._cov is None:
            faces = self.stack.faces
            cov = np.zeros((len(faces), 0x110000 // 8), np.uint8)
            for i, f in enumerate(faces):
                bits = np.zeros(0x110000, np.bool_)
                bits[np.fromiter(f.coverage, np.int64, len(f.coverage))] = True
                cov[i] = np.packbits(bits, bitorder="little")
            self._cov = cov
        return self._cov

    def _simple(self, token: str, level: int, cjk: str) -> tuple[list[Run], list[int]] | None:
        """Fast path: every character is its own grapheme cluster and one face covers all.

        True of most words in alphabetic scripts (no combining marks, joiners or
        controls); it skips grapheme segmentation and per-cluster bookkeeping.
        """
        simple = self._simple_chars
        face = -1
        script = "Zyyy"
        for ch in token:
            info = simple.get(ch)
            if info is None:
                info = self._simple_char(ch, cjk)
            if not info:
                return None
            f, s = info
            if s != "Zyyy":
                if face >= 0 and f != face:
                    return None
                face = f
                if script == "Zyyy":
                    script = s
        if face < 0:
            face = self._cluster(token[0], cjk, "Zyyy")[0]
        cov = self.stack.faces[face].coverage
        for ch in token:
            if ord(ch) not in cov:
                return None
        return [Run(0, len(token), face, script, level, tuple(range(len(token))))], []

    def _simple_char(self, ch: str, cjk: str) -> tuple[int, str] | bool:
        info: tuple[int, str] | bool = False
        if _simple_range(ord(ch)) and unicodedata.category(ch)[0] in "LNPS":
            s = script_of(ch)
            s = "Zyyy" if s in ("Zyyy", "Zinh", "Zzzz") else s
            face, miss = self._cluster(ch, cjk, s)
            info = (face, s) if not miss else False
        # Faces for these ranges never depend on the CJK preference: one memo serves all.
        self._simple_chars[ch] = info
        return info

    def _cluster(self, cl: str, cjk: str, context_script: str) -> tuple[int, tuple[int, ...]]:
        """(face, relative offsets of code points no face covers) for a grapheme cluster."""
        key = (cl, cjk, context_script)
        hit = self._cluster_cache.get(key)
        if hit is not None:
            return hit
        stack = self.stack
        base = next((c for c in cl if not unicodedata.category(c).startswith("M") and not is_ignorable(c)), cl[0])
        script = script_of(base)
        if script in ("Zyyy", "Zinh", "Zzzz"):
            script = context_script
        need = [ord(c) for c in cl if not is_ignorable(c)]
        order = stack.order_for(script, cjk)
        face = next((i for i in order if all(cp in stack.faces[i].coverage for cp in need)), None)
        missing: tuple[int, ...] = ()
        if face is None:
            face = next((i for i in order if ord(base) in stack.faces[i].coverage), stack.primary)
            cov = stack.faces[face].coverage
            missing = tuple(i for i, c in enumerate(cl) if not is_ignorable(c) and ord(c) not in cov)
        hit = (face, missing)
        self._cluster_cache[key] = hit
        return hit

    def _itemize(self, token: str, levels: np.ndarray | None, level0: int, cjk: str) -> tuple[list[Run], list[int]]:
        runs: list[Run] = []
        missing: list[int] = []
        # Script of the token's first letter, for leading punctuation and digits.
        context = "Zyyy"
        for ch in token:
            s = script_of(ch)
            if s not in _COMMON:
                context = s
                break
        prev_face, prev_script = -2, context
        cur_start, cur_face, cur_script, cur_level = 0, None, "", 0
        cur_g: list[int] = []
        start = 0
        memo = self._in_context
        if len(memo) > 500_000:  # bound memory on endless streams of new clusters
            memo.clear()
        for cl in CLUSTER_RE.findall(token):
            level = level0 if levels is None else int(levels[start])
            key = (cl, prev_face, prev_script, cjk)
            hit = memo.get(key)
            if hit is None:
                hit = memo[key] = self._cluster_in_context(cl, prev_face, prev_script, cjk)
            face, script, miss = hit
            if miss:
                missing.extend(start + i for i in miss)
            if face == cur_face and script == cur_script and level == cur_level:
                cur_g.append(start - cur_start)
            else:
                if cur_face is not None:
                    runs.append(Run(cur_start, start, cur_face, cur_script, cur_level, tuple(cur_g)))
                cur_start, cur_face, cur_script, cur_level, cur_g = start, face, script, level, [0]
            prev_face, prev_script = face, script
            start += len(cl)
        if cur_face is not None:
            runs.append(Run(cur_start, len(token), cur_face, cur_script, cur_level, tuple(cur_g)))
        return runs, missing

    def _cluster_in_context(self, cl: str, prev_face: int, prev_script: str, cjk: str) -> tuple[int, str, tuple[int, ...]]:
        """(face, script, relative offsets of uncovered code points) of a cluster after one of ``prev_face`` and ``prev_script``.

        What :meth:`_itemize` decides for each cluster, kept per cluster and
        context (like the code-point tables, not per word): controls draw
        nothing, common characters (digits, punctuation) stay in the previous
        face where it covers them, and letters take their script's face.
        """
        if len(cl) == 1 and unicodedata.category(cl) == "Cc":
            return -1, prev_script, ()
        base_script = script_of(cl[0])
        if base_script in _COMMON:
            cov = self.stack.faces[prev_face].coverage if prev_face >= 0 else None
            if cov is not None and all(ord(c) in cov or is_ignorable(c) for c in cl):
                return prev_face, prev_script, ()
            face, miss = self._cluster(cl, cjk, prev_script)
            return face, prev_script, miss
        face, miss = self._cluster(cl, cjk, base_script)
        return face, base_script, miss


def _simple_range(cp: int) -> bool:
    """Is ``cp`` in the ranges where :meth:`Itemizer._simple` may take a character (Latin, Greek, Cyrillic, Hebrew letters, punctuation)?"""
    return (cp < 0x0590 or 0x05D0 <= cp <= 0x05F4 or 0x1E00 <= cp < 0x2000 or 0x2010 <= cp <= 0x2027
            or 0x2030 <= cp <= 0x205E or 0x20A0 <= cp <= 0x20C0)


_line_items = None  # mmx.render._kernels.line_items, imported on first use (numba is slow to import)
_token_items = None  # mmx.render._kernels.token_items, likewise


def _load_line_items(token: bool = False):
    global _line_items, _token_items
    from mmx.render._kernels import line_items, token_items

    _line_items, _token_items = line_items, token_items
    return token_items if token else line_items


_COMMON = frozenset(("Zyyy", "Zinh", "Zzzz"))
_SPACE_RE = regex.compile(r"\s")  # whitespace as TOKEN_RE cuts tokens
# Characters that extend the grapheme cluster before them which the per-code-point itemizer
# leaves to the general one but :meth:`Itemizer.token_line_runs` takes: ZWNJ (Persian) and
# Thai and Lao SARA AM (letters that are spacing marks).
_TOKEN_EXTENDERS = frozenset((0x200C, 0x0E33, 0x0EB3))
_NO_LEVELS = np.zeros(0, np.int8)  # line_items: no bidi levels, all 0

# Code points the per-code-point itemizer leaves to the general one: controls,
# surrogates, Hangul jamo, regional indicators, emoji and other pictographs,
# grapheme "prepend" characters and Thai/Lao spacing-mark letters.
_COMPLEX_RE = re.compile(
    "[\x00-\x08\x0a-\x1f\x7f-\x9f\ud800-\udfff\u1100-\u11ff\ua960-\ua97f\ud7b0-\ud7ff"
    "\U0001f000-\U0001faff\u2600-\u27bf\u2300-\u23ff\u2b00-\u2bff\U0001f1e6-\U0001f1ff"
    "\u0600-\u0605\u06dd\u070f\u0890\u0891\u08e2\u0d4e\u0e33\u0eb3\U000110bd\U000110cd"
    "\U000e0000-\U000e0fff\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]"
)


def hb_script(script: str) -> str | None:
    """The script tag HarfBuzz should use, or None to let it guess."""
    if script in ("Zyyy", "Zinh", "Zzzz"):
        return None
    if script in CJK_SCRIPTS:
        return "Hani" if script == "Hani" else script
    return script
