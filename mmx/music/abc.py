"""ABC (and MTF) text -> CLaMP 3's M3 patches.

The rules are CLaMP 3's ``M3Patchilizer.encode`` (sanderwood/clamp3, code/utils.py), so
a checkpoint trained on its patches reads ours unchanged:

1. the line ``L:1/8`` (with its newline) is removed, then the text passes through
   unidecode (characters unidecode cannot map are dropped, as there);
2. the text is cut into lines, each keeping its newline; a line whose first character
   is a letter and second a colon (``K:G``), or that starts with ``%%``, is one patch;
3. every other line is split at the bar lines ``|:`` ``::`` ``:|`` ``[|`` ``||`` ``|]``
   ``|`` (tried in that order); each bar is its text plus the bar line that closes it,
   a line's leading bar line joins its first bar, text after the last bar line is
   dropped, and the newline goes on the line's last bar;
4. MTF text (MIDI as lines, :mod:`mmx.music.midi`, first line ``ticks_per_beat N``)
   packs consecutive messages of the same type into one patch, tab-separated, while
   they fit;
5. with ``special_patches`` (what CLaMP 3 uses when it embeds), a patch of BOS codes
   opens the piece and a patch of EOS codes closes it;
6. each patch is ``[BOS=1] + ord(c) for c in text + [EOS=2]``, cut to ``patch_size``
   and padded with ``PAD=0``; at most ``max_patches`` patches are kept (the head), or
   all of them with ``max_patches=None``, to be read in windows (:func:`segment_spans`).

Before patching, :func:`clean_abc` strips what the music side must not see: the
reference number, title, composer and lyrics lines (``X:`` ``T:`` ``C:`` ``W:``
``w:``) and voice names (`` nm=`` / `` snm=`` in ``V:`` lines; in MTF, the program of a
``program_change``), as CLaMP 3's ``remove_instrument_info`` does.

Where CLaMP 3's code crashes (a text with no line, a line that is a lone bar line at the
very end) this module raises :class:`~mmx.errors.InputError` or skips the line, and
says so here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from mmx.errors import InputError

__all__ = [
    "BAR_LINES",
    "BOS",
    "EOS",
    "MASK",
    "MAX_PATCHES",
    "PAD",
    "PATCH_SIZE",
    "STRIPPED_FIELDS",
    "abc_problems",
    "clean_abc",
    "decode_patches",
    "is_mtf",
    "patchilize",
    "segment_spans",
    "split_bars",
    "text_patches",
]

PAD, BOS, EOS, MASK = 0, 1, 2, 3
PATCH_SIZE = 64
MAX_PATCHES = 512
#: CLaMP 3's bar lines, longest first where one is a prefix of another
BAR_LINES = ("|:", "::", ":|", "[|", "||", "|]", "|")
#: header fields that name or describe a tune rather than play it
STRIPPED_FIELDS = ("X", "T", "C", "W", "w")

_BAR_RE = re.compile("(" + "|".join(map(re.escape, BAR_LINES)) + ")")
_LINE_RE = re.compile(r".*?\n|.*$")


def _lines(text: str) -> list[str]:
    """Lines with their newlines; no empty strings (CLaMP 3's ``re.findall`` + filter)."""
    return [line for line in _LINE_RE.findall(text) if line]


def is_mtf(text: str) -> bool:
    """True for MTF text (MIDI as lines): the first line starts with ``ticks_per_beat``."""
    lines = _lines(text)
    return bool(lines) and lines[0].split(" ")[0] == "ticks_per_beat"


def _is_header(line: str) -> bool:
    return len(line) > 1 and ((line[0].isalpha() and line[1] == ":") or line.startswith("%%"))


def clean_abc(text: str) -> str:
    """``text`` without title, composer, lyrics and reference-number lines and voice names.

    ABC: lines starting ``X:`` ``T:`` ``C:`` ``W:`` ``w:`` are dropped, and a ``V:`` line
    is cut before `` nm=`` (else before `` snm=``). MTF: a ``program_change`` line's
    program becomes 0. Other text passes unchanged.
    """
    mtf = is_mtf(text)
    out = []
    for line in _lines(text):
        if mtf:
            if line.startswith("program_change"):
                line = " ".join(line.split(" ")[:-1]) + " 0\n"
        elif len(line) > 1 and line[1] == ":" and line[0] in STRIPPED_FIELDS:
            continue
        elif line.startswith("V:"):
            nm, snm = line.find(" nm="), line.find(" snm=")
            cut = nm if nm != -1 else snm
            if cut != -1:
                line = line[:cut] + "\n"
        out.append(line)
    return "".join(out)


def split_bars(line: str) -> list[str]:
    """One body line -> its bars, each with the bar line that closes it (CLaMP 3's rules:
    a leading bar line joins the first bar, text after the last bar line is dropped).

    >>> split_bars("|:GA B2|c2 d2:|\\n")
    ['|:GA B2|', 'c2 d2:|']
    """
    parts = [p for p in _BAR_RE.split(line) if p]
    if parts and parts[0] in BAR_LINES:
        if len(parts) == 1:  # a lone bar line: CLaMP 3 raises IndexError; nothing to patch
            return []
        parts = [parts[0] + parts[1], *parts[2:]]
    return [parts[2 * i] + parts[2 * i + 1] for i in range(len(parts) // 2)]


def _unidecode(text: str) -> str:
    from mmx.deps import require

    return require("unidecode", "music patching").unidecode(text)


def text_patches(text: str, patch_size: int = PATCH_SIZE) -> list[str]:
    """The patches of ``text`` as strings (steps 1 to 4 of the module's rules), before
    special patches, codes and truncation."""
    text = _unidecode(text.replace("L:1/8\n", ""))
    lines = _lines(text)
    if not lines:
        raise InputError("music text is empty; give ABC notation or MTF lines")
    patches: list[str] = []
    if lines[0].split(" ")[0] == "ticks_per_beat":
        patch = ""
        for line in lines:
            kind, rest = line.split(" ")[0], " ".join(line.split(" ")[1:])
            if patch.startswith(kind) and len(patch) + len(rest) <= patch_size - 2:
                patch = patch[:-1] + "\t" + rest
            else:
                if patch:
                    patches.append(patch)
                patch = line
        if patch:
            patches.append(patch)
        return patches
    for line in lines:
        if _is_header(line):
            patches.append(line)
            continue
        bars = split_bars(line)
        if bars:
            bars[-1] += "\n"
            patches.extend(bars)
    return patches


def _codes(patch: str, patch_size: int) -> list[int]:
    codes = [BOS, *(ord(c) for c in patch), EOS][:patch_size]
    return codes + [PAD] * (patch_size - len(codes))


def patchilize(
    abc: str,
    patch_size: int = PATCH_SIZE,
    max_patches: int | None = MAX_PATCHES,
    *,
    clean: bool = True,
    special_patches: bool = True,
) -> list[list[int]]:
    """ABC notation (or MTF lines) -> at most ``max_patches`` patches of ``patch_size``
    codes in 0..127, by CLaMP 3's M3 rules (see the module docstring).

    Args:
        abc: one tune in ABC notation, or MIDI as MTF lines (:func:`mmx.music.midi.midi_to_mtf`).
        patch_size: codes per patch, BOS and EOS included (CLaMP 3: 64).
        max_patches: patches kept from the head of the piece (CLaMP 3: 512); ``None``
            keeps the whole piece.
        clean: strip titles, composers, lyrics and voice names first (:func:`clean_abc`).
        special_patches: open with a BOS patch and close with an EOS patch (CLaMP 3's
            ``add_special_patches=True``, used for its embeddings).

    Raises:
        InputError: ``abc`` is not a string, is empty, or has no tune body (ABC with
            header lines only, or body lines without a single bar line).

    >>> p = patchilize("K:G\\nGA|B2|\\n", patch_size=8, special_patches=False)
    >>> [bytes(c for c in row if c > 3).decode() for row in p]
    ['K:G\\n', 'GA|', 'B2|\\n']
    """
    if not isinstance(abc, str):
        raise InputError(f"music must be a string of ABC notation or MTF lines, not {type(abc).__name__}")
    if patch_size < 3 or (max_patches is not None and max_patches < 1):
        raise InputError(f"patch_size must be >= 3 and max_patches >= 1 (got {patch_size}, {max_patches})")
    if clean:
        abc = clean_abc(abc)
    if not abc.strip():
        raise InputError("music text is empty (after stripping titles, composers and lyrics); give a tune body")
    patches = text_patches(abc, patch_size)
    if not is_mtf(abc) and not any(not _is_header(p) for p in patches):
        raise InputError(
            "ABC has no tune body: no line with a bar line (|) after the header; "
            "give the notes, e.g. 'K:G\\nGABc|d2d2|'"
        )
    if special_patches:
        patches = [chr(BOS) * patch_size, *patches, chr(EOS) * patch_size]
    return [_codes(p, patch_size) for p in patches[:max_patches]]


def segment_spans(n_patches: int, window: int = MAX_PATCHES) -> list[tuple[int, int, int]]:
    """Where CLaMP 3 reads a piece of ``n_patches`` patches with an encoder that holds
    ``window``: ``(start, stop, weight)`` per segment, in order.

    CLaMP 3's feature extraction (sanderwood/clamp3, ``code/extract_clamp3.py``, ``extract_feature``) cuts
    the patch sequence at 0, window, 2 x window, ...; the last segment is then replaced
    by the final ``window`` patches of the piece, so it is full length whenever the
    piece is longer than the window (and overlaps the one before it). Each segment's
    weight is the number of patches it adds: ``window`` for each full cut and, when the
    length is not a multiple of the window, the remainder for the last. The weights sum
    to ``n_patches``; a piece no longer than the window is one segment weighing its
    length.

    >>> segment_spans(1100, 512)
    [(0, 512, 512), (512, 1024, 512), (588, 1100, 76)]
    >>> segment_spans(1024, 512)
    [(0, 512, 512), (512, 1024, 512)]
    >>> segment_spans(7, 512)
    [(0, 7, 7)]
    """
    if n_patches < 1 or window < 1:
        raise InputError(f"a piece needs at least one patch and a window of at least one (got {n_patches}, {window})")
    full, rest = divmod(n_patches, window)
    spans = [(i * window, (i + 1) * window, window) for i in range(full)]
    if rest:
        spans.append((max(n_patches - window, 0), n_patches, rest))
    return spans


def decode_patches(patches: Sequence[Sequence[int]]) -> str:
    """The text the patches hold (codes above MASK=3), concatenated: the inverse of
    patching up to dropped text, truncation and special patches."""
    return "".join(chr(c) for row in patches for c in row if c > MASK)


def abc_problems(abc: str) -> list[str]:
    """What is wrong with one ABC tune, in words (empty: nothing found). Used to skip
    tunes with a reported reason rather than train on them: no tune body, no key (K:)
    line, repeats that do not balance (``:|`` without ``|:`` before it, after the
    first repeat; ``|:`` never closed), characters unidecode cannot write in ASCII."""
    problems: list[str] = []
    if not isinstance(abc, str) or not abc.strip():
        return ["empty"]
    try:
        patchilize(abc, special_patches=False)
    except InputError as exc:
        problems.append(str(exc))
    lossy = sorted({c for c in abc if ord(c) > 127 and not _unidecode(c)})
    if lossy:
        problems.append(f"characters unidecode cannot write in ASCII (dropped): {''.join(lossy[:8])!r}")
    body = [ln for ln in _lines(clean_abc(abc)) if not _is_header(ln)]
    if not any(ln.startswith("K:") for ln in _lines(abc)):
        problems.append("no key (K:) line")
    depth, closes_before_open = 0, 0
    seen_open = False
    for token in _BAR_RE.findall("".join(body)):
        if token == "|:":
            depth, seen_open = depth + 1, True
        elif token == ":|":
            if depth:
                depth -= 1
            elif seen_open:
                closes_before_open += 1
        elif token == "::":  # closes one repeat and opens the next
            depth, seen_open = 1, True
    # ABC allows a first ':|' that repeats from the start; a later ':|' with no '|:'
    # before it, or a '|:' left open at the end, is a repeat the text does not close
    if closes_before_open or depth:
        problems.append(f"unbalanced repeats ({depth} '|:' left open, {closes_before_open} extra ':|')")
    return problems
