"""Seeded, composable typographic noise for robustness studies of rendered text.

A noise op perturbs one of the three stages of a rendering:

* the **text** (homoglyphs, swapped, dropped or inserted characters, stripped
  diacritics, zero-width characters),
* the **profile** (another font, a jittered font size),
* the **image** (blur, a JPEG round trip, a small rotation).

Every op is a frozen dataclass that does nothing in the stages it does not
touch, so a :class:`Compose` of any ops can be handed to all three stages in
turn; the renderer calls ``apply_text`` before shaping, ``apply_profile``
before layout and ``apply_image`` on each finished image.

Randomness comes only from the :class:`random.Random` passed in. Use
:func:`rng_for` to derive it from a seed and the text, so that the same seed
and input give the same noisy rendering in every process (Python's ``hash()``
of a ``str`` is salted per process, hence ``hashlib``).

Text ops work on extended grapheme clusters (``regex`` ``\\X``): they move,
drop, insert or replace whole clusters, and an edit that would make two
clusters fuse or split (a lone combining mark next to a letter, a lone
regional indicator next to another, Hangul jamo) is skipped. A Devanagari
conjunct, a ZWJ emoji sequence or a flag is never torn apart.

The command line syntax of :func:`parse_noise` is a comma-separated list of
``name[:value][@p]``, e.g. ``"homoglyphs:0.1,swap:0.05,blur:0.3-1.0,jpeg:30-70@0.5"``.
"""

from __future__ import annotations

import difflib
import hashlib
import io
import numbers
import os
import random
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

import numpy as np
import regex

from mmx.errors import InputError

if TYPE_CHECKING:
    from mmx.render.profiles import RenderProfile

__all__ = [
    "Blur",
    "CharDrop",
    "CharInsert",
    "CharSwap",
    "Compose",
    "FontJitter",
    "Homoglyphs",
    "Jpeg",
    "Noise",
    "Rotate",
    "SizeJitter",
    "StripMarks",
    "ZeroWidth",
    "confusables",
    "parse_noise",
    "rng_for",
]

_CLUSTER = regex.compile(r"\X")
_SURROGATE = regex.compile(r"[\ud800-\udfff]")

# Groups of characters that look alike in common sans-serif faces; every member
# maps to every other member of its group. A small hand-audited table (rather
# than a library such as Unicode's full confusables.txt, ~6,000 entries that
# change between Unicode versions) keeps noisy corpora reproducible and the
# substitutions plausible in the bundled fonts. Escapes, not literal glyphs,
# because the whole point is that the glyphs cannot be told apart on screen.
_CONFUSABLE_GROUPS: tuple[tuple[str, ...], ...] = (
    ("a", "\u0430"),  # Cyrillic a
    ("A", "\u0410", "\u0391"),  # Cyrillic A, Greek Alpha
    ("B", "\u0412", "\u0392"),  # Cyrillic Ve, Greek Beta
    ("c", "\u0441", "\u03f2"),  # Cyrillic es, Greek lunate sigma
    ("C", "\u0421", "\u03f9"),  # Cyrillic Es, Greek capital lunate sigma
    ("d", "\u0501"),  # Cyrillic Komi de
    ("e", "\u0435"),  # Cyrillic ie
    ("E", "\u0415", "\u0395"),  # Cyrillic Ie, Greek Epsilon
    ("G", "\u050c"),  # Cyrillic Komi Sje
    ("h", "\u04bb"),  # Cyrillic shha
    ("H", "\u041d", "\u0397"),  # Cyrillic En, Greek Eta
    ("i", "\u0456"),  # Cyrillic Byelorussian-Ukrainian i
    ("j", "\u0458"),  # Cyrillic je
    ("J", "\u0408"),  # Cyrillic Je
    ("K", "\u041a", "\u039a"),  # Cyrillic Ka, Greek Kappa
    ("M", "\u041c", "\u039c"),  # Cyrillic Em, Greek Mu
    ("N", "\u039d"),  # Greek Nu
    ("o", "\u043e", "\u03bf"),  # Cyrillic o, Greek omicron
    ("O", "0", "\u041e", "\u039f"),  # digit zero, Cyrillic O, Greek Omicron
    ("p", "\u0440", "\u03c1"),  # Cyrillic er, Greek rho
    ("P", "\u0420", "\u03a1"),  # Cyrillic Er, Greek Rho
    ("q", "\u051b"),  # Cyrillic qa
    ("Q", "\u051a"),  # Cyrillic Qa
    ("r", "\u0433"),  # Cyrillic ghe
    ("s", "\u0455"),  # Cyrillic dze
    ("S", "\u0405"),  # Cyrillic Dze
    ("T", "\u0422", "\u03a4"),  # Cyrillic Te, Greek Tau
    ("u", "\u057d"),  # Armenian seh
    ("v", "\u03bd"),  # Greek nu
    ("w", "\u051d"),  # Cyrillic we
    ("W", "\u051c"),  # Cyrillic We
    ("x", "\u0445"),  # Cyrillic ha
    ("X", "\u0425", "\u03a7"),  # Cyrillic Ha, Greek Chi
    ("y", "\u0443"),  # Cyrillic u
    ("Y", "\u03a5", "\u04ae"),  # Greek Upsilon, Cyrillic straight U
    ("Z", "\u0396"),  # Greek Zeta
    # small l, digit one, capital I, Cyrillic I, Greek Iota, Cyrillic palochka
    ("l", "1", "I", "\u0406", "\u0399", "\u04cf"),
    ("3", "\u0417"),  # Cyrillic Ze
    ("6", "\u0431"),  # Cyrillic be
)

_CONFUSABLES: dict[str, tuple[str, ...]] = {
    char: tuple(other for other in group if other != char)
    for group in _CONFUSABLE_GROUPS
    for char in group
}


def confusables() -> dict[str, tuple[str, ...]]:
    """A copy of the homoglyph table: character -> the characters it may become."""
    return dict(_CONFUSABLES)


def rng_for(seed: int, text: str) -> random.Random:
    """A random generator that depends only on ``seed`` and ``text``.

    The same pair gives the same stream in every process and on every machine
    (``hashlib``, not the per-process salted ``hash()``), so a noisy corpus can
    be regenerated item by item, in any order, in parallel workers.
    """
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise InputError(f"noise seed must be an integer (got {seed!r})")
    if not isinstance(text, str):
        raise InputError(f"noise text must be a str (got {type(text).__name__})")
    digest = hashlib.sha256(
        b"mmx.render.noise\0"
        + str(int(seed)).encode("ascii")
        + b"\0"
        # surrogatepass: a text with a lone surrogate still gets a seed
        + text.encode("utf-8", "surrogatepass")
    ).digest()
    return random.Random(int.from_bytes(digest[:16], "big"))


# -- validation helpers -------------------------------------------------------


def _number(owner: str, name: str, value: object, lo: float, hi: float) -> float:
    """``value`` as a float in ``[lo, hi]``, or an InputError that says so."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise InputError(f"{owner}: {name} must be a number (got {value!r})")
    number = float(value)
    if not lo <= number <= hi:  # also rejects NaN
        raise InputError(f"{owner}: {name} must be between {_fmt(lo)} and {_fmt(hi)} (got {value!r})")
    return number


def _probability(owner: str, value: object) -> float:
    return _number(owner, "p", value, 0.0, 1.0)


def _range(owner: str, name: str, value: object, lo: float, hi: float) -> tuple[float, float]:
    """A ``(low, high)`` pair inside ``[lo, hi]``; a single number means ``(x, x)``."""
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        pair: tuple[object, ...] = (value, value)
    elif isinstance(value, (tuple, list)) and len(value) == 2:
        pair = tuple(value)
    else:
        raise InputError(f"{owner}: {name} must be a number or a (low, high) pair (got {value!r})")
    low = _number(owner, name, pair[0], lo, hi)
    high = _number(owner, name, pair[1], lo, hi)
    if low > high:
        raise InputError(f"{owner}: {name} range is reversed ({_fmt(low)} > {_fmt(high)})")
    return low, high


def _fmt(x: float) -> str:
    """The shortest text that reads back as the same number (for specs and messages)."""
    x = float(x)
    return str(int(x)) if x.is_integer() and abs(x) < 1e15 else repr(x)


def _fmt_range(pair: tuple[float, float]) -> str:
    return _fmt(pair[0]) if pair[0] == pair[1] else f"{_fmt(pair[0])}-{_fmt(pair[1])}"


def _with_p(spec: str, p: float) -> str:
    return spec if p == 1.0 else f"{spec}@{_fmt(p)}"


# -- base classes -------------------------------------------------------------


@dataclass(frozen=True)
class Noise:
    """One noise op; each ``apply_*`` is the identity unless a subclass overrides it.

    Ops never modify their input in place. At zero strength (``p=0``, ``scale=0``,
    ``radius=0``, ``degrees=0``) an op returns its input itself and draws no
    random numbers, so adding it to a pipeline does not change what the other
    ops do.
    """

    #: name in :func:`parse_noise` syntax (``None``: not expressible there)
    name: ClassVar[str | None] = None

    def apply_text(self, text: str, rng: random.Random) -> str:
        """The text with this op's character-level noise."""
        return text

    def apply_profile(self, profile: RenderProfile, rng: random.Random) -> RenderProfile:
        """The render profile with this op's font or size jitter."""
        return profile

    def apply_image(self, image: np.ndarray, rng: random.Random) -> np.ndarray:
        """The image (uint8, (H, W) or (H, W, 3)) with this op's pixel noise; same shape and dtype."""
        return image

    def to_spec(self) -> str:
        """This op in :func:`parse_noise` syntax."""
        raise InputError(f"{type(self).__name__} has no parse_noise syntax")


@dataclass(frozen=True)
class Compose(Noise):
    """Several ops applied in order, stage by stage."""

    ops: tuple[Noise, ...] = ()

    def __post_init__(self) -> None:
        ops = self.ops
        if isinstance(ops, Noise) or not isinstance(ops, Iterable):
            raise InputError(f"Compose: ops must be a sequence of noise ops (got {ops!r})")
        ops = tuple(ops)
        for op in ops:
            if not isinstance(op, Noise):
                raise InputError(f"Compose: {op!r} is not a noise op")
        # a tuple, so that a Compose built from a list is still hashable and comparable
        object.__setattr__(self, "ops", ops)

    def apply_text(self, text: str, rng: random.Random) -> str:
        for op in self.ops:
            text = op.apply_text(text, rng)
        return text

    def apply_profile(self, profile: RenderProfile, rng: random.Random) -> RenderProfile:
        for op in self.ops:
            profile = op.apply_profile(profile, rng)
        return profile

    def apply_image(self, image: np.ndarray, rng: random.Random) -> np.ndarray:
        for op in self.ops:
            image = op.apply_image(image, rng)
        return image

    def to_spec(self) -> str:
        return ",".join(op.to_spec() for op in self.ops)


# -- text ops -----------------------------------------------------------------

#: proposes an edit at cluster ``i``: (clusters to emit, input clusters consumed), or None
_Proposal = Callable[[list[str], int], "tuple[list[str], int] | None"]


def _segments_as(pieces: list[str]) -> bool:
    """Whether the concatenation of ``pieces`` segments into exactly these clusters."""
    return _CLUSTER.findall("".join(pieces)) == pieces


def _edit_clusters(text: str, propose: _Proposal) -> str:
    """Rebuild ``text`` cluster by cluster, applying the edits that keep every cluster whole.

    Each proposed edit is checked together with its left neighbour (as already
    emitted) and its right neighbour (the next input cluster): grapheme breaks
    depend on left context only within a cluster (and on regional-indicator
    pairing, which a complete left cluster settles), so an edit that passes
    this window cannot fuse or split clusters elsewhere. Edits that fail are
    skipped, leaving the cluster as it was.
    """
    clusters = _CLUSTER.findall(text)
    out: list[str] = []
    i = 0
    while i < len(clusters):
        edit = propose(clusters, i)
        if edit is not None:
            pieces, used = edit
            window = out[-1:] + pieces + clusters[i + used : i + used + 1]
            if _segments_as(window):
                out.extend(pieces)
                i += used
                continue
        out.append(clusters[i])
        i += 1
    result = "".join(out)
    # Belt and braces: should the window argument ever miss a case in a future
    # Unicode version, prefer the clean input to a text with broken clusters.
    if _CLUSTER.findall(result) != out:
        return text
    return result


def _check_text(owner: str, text: object) -> None:
    if not isinstance(text, str):
        raise InputError(f"{owner}: text must be a str (got {type(text).__name__})")


@dataclass(frozen=True)
class Homoglyphs(Noise):
    """Replace each cluster that has a look-alike (see :func:`confusables`) with probability ``p``.

    Only single-character clusters in the table are candidates, so a letter
    with a combining accent keeps both; the replacement is drawn uniformly from
    the character's group (Latin, Cyrillic, Greek, Armenian letters and digits).
    """

    p: float = 0.1
    name: ClassVar[str] = "homoglyphs"

    def __post_init__(self) -> None:
        object.__setattr__(self, "p", _probability("Homoglyphs", self.p))

    def apply_text(self, text: str, rng: random.Random) -> str:
        _check_text("Homoglyphs", text)
        if not text or self.p == 0.0:
            return text

        def propose(clusters: list[str], i: int) -> tuple[list[str], int] | None:
            choices = _CONFUSABLES.get(clusters[i])
            if choices is None or rng.random() >= self.p:
                return None
            return [rng.choice(choices)], 1

        return _edit_clusters(text, propose)

    def to_spec(self) -> str:
        return f"{self.name}:{_fmt(self.p)}"


@dataclass(frozen=True)
class CharSwap(Noise):
    """Swap adjacent clusters with probability ``p`` per eligible pair.

    Whitespace is never swapped (so word boundaries, and word-aligned metrics,
    stay in place), and a cluster moves at most one position.
    """

    p: float = 0.05
    name: ClassVar[str] = "swap"

    def __post_init__(self) -> None:
        object.__setattr__(self, "p", _probability("CharSwap", self.p))

    def apply_text(self, text: str, rng: random.Random) -> str:
        _check_text("CharSwap", text)
        if not text or self.p == 0.0:
            return text

        def propose(clusters: list[str], i: int) -> tuple[list[str], int] | None:
            if i + 1 >= len(clusters):
                return None
            a, b = clusters[i], clusters[i + 1]
            # equal neighbours: a swap would be a no-op that still spends the draw
            if a == b or a.isspace() or b.isspace() or rng.random() >= self.p:
                return None
            return [b, a], 2

        return _edit_clusters(text, propose)

    def to_spec(self) -> str:
        return f"{self.name}:{_fmt(self.p)}"


@dataclass(frozen=True)
class CharDrop(Noise):
    """Drop each non-whitespace cluster with probability ``p``."""

    p: float = 0.05
    name: ClassVar[str] = "drop"

    def __post_init__(self) -> None:
        object.__setattr__(self, "p", _probability("CharDrop", self.p))

    def apply_text(self, text: str, rng: random.Random) -> str:
        _check_text("CharDrop", text)
        if not text or self.p == 0.0:
            return text

        def propose(clusters: list[str], i: int) -> tuple[list[str], int] | None:
            if clusters[i].isspace() or rng.random() >= self.p:
                return None
            return [], 1

        return _edit_clusters(text, propose)

    def to_spec(self) -> str:
        return f"{self.name}:{_fmt(self.p)}"


@dataclass(frozen=True)
class CharInsert(Noise):
    """After each cluster, with probability ``p``, insert a cluster drawn uniformly from a pool.

    The pool is the text's own non-whitespace clusters (``alphabet=None``, so
    the inserted characters are in the text's script and fonts) or the
    clusters of ``alphabet``.
    """

    p: float = 0.05
    alphabet: str | None = None
    name: ClassVar[str] = "insert"

    def __post_init__(self) -> None:
        object.__setattr__(self, "p", _probability("CharInsert", self.p))
        if self.alphabet is not None:
            if not isinstance(self.alphabet, str) or not self.alphabet:
                raise InputError(f"CharInsert: alphabet must be a non-empty str or None (got {self.alphabet!r})")
            if _SURROGATE.search(self.alphabet):
                raise InputError("CharInsert: alphabet contains a lone surrogate, which cannot be rendered")

    def apply_text(self, text: str, rng: random.Random) -> str:
        _check_text("CharInsert", text)
        if not text or self.p == 0.0:
            return text
        if self.alphabet is None:
            pool = [c for c in _CLUSTER.findall(text) if not c.isspace()]
        else:
            pool = _CLUSTER.findall(self.alphabet)
        if not pool:
            return text

        def propose(clusters: list[str], i: int) -> tuple[list[str], int] | None:
            if rng.random() >= self.p:
                return None
            return [clusters[i], rng.choice(pool)], 1

        return _edit_clusters(text, propose)

    def to_spec(self) -> str:
        if self.alphabet is not None:
            raise InputError("CharInsert with an alphabet has no parse_noise syntax")
        return f"{self.name}:{_fmt(self.p)}"


@dataclass(frozen=True)
class StripMarks(Noise):
    """Drop each diacritic with probability ``p``: what keyboards without dead keys and
    careless typing do to Vietnamese, French, Arabic harakat, Hebrew points or Thai tone marks.

    The text is decomposed (NFD); a diacritic is a combining mark of non-zero canonical
    combining class, except the virama (class 9), whose loss would change which letters
    form a conjunct rather than drop an accent. Dependent vowel signs (class 0) stay.
    The result is recomposed (NFC).
    """

    p: float = 0.5
    name: ClassVar[str] = "nomarks"

    def __post_init__(self) -> None:
        object.__setattr__(self, "p", _probability("StripMarks", self.p))

    def apply_text(self, text: str, rng: random.Random) -> str:
        _check_text("StripMarks", text)
        if not text or self.p == 0.0:
            return text
        out = []
        for ch in unicodedata.normalize("NFD", text):
            ccc = unicodedata.combining(ch)
            if ccc not in (0, 9) and rng.random() < self.p:
                continue
            out.append(ch)
        return unicodedata.normalize("NFC", "".join(out))

    def to_spec(self) -> str:
        return f"{self.name}:{_fmt(self.p)}"


#: invisible code points that draw nothing and join nothing (ZWJ / ZWNJ would change
#: Arabic joining and Indic conjuncts, i.e. the picture): ZERO WIDTH SPACE, WORD JOINER
ZERO_WIDTH = ("\u200b", "\u2060")


@dataclass(frozen=True)
class ZeroWidth(Noise):
    """After each cluster, with probability ``p``, insert a zero-width character
    (:data:`ZERO_WIDTH`): text that looks unchanged and tokenizes differently."""

    p: float = 0.1
    name: ClassVar[str] = "zerowidth"

    def __post_init__(self) -> None:
        object.__setattr__(self, "p", _probability("ZeroWidth", self.p))

    def apply_text(self, text: str, rng: random.Random) -> str:
        _check_text("ZeroWidth", text)
        if not text or self.p == 0.0:
            return text
        out = []
        # by cluster, so no mark is separated from its base
        for c in _CLUSTER.findall(text):
            out.append(c)
            if rng.random() < self.p:
                out.append(rng.choice(ZERO_WIDTH))
        return "".join(out)

    def to_spec(self) -> str:
        return f"{self.name}:{_fmt(self.p)}"


# -- profile ops --------------------------------------------------------------

# RenderProfile accepts font sizes of 1..512 px; a jittered size is clamped to
# that range so that jitter near the limits cannot make the profile invalid.
_MIN_FONT_SIZE, _MAX_FONT_SIZE = 1.0, 512.0


@dataclass(frozen=True)
class FontJitter(Noise):
    """With probability ``p``, put one of ``fonts`` (drawn uniformly) first in the profile's fonts.

    Prepending rather than replacing keeps the profile's own stack as the
    fallback for scripts the extra font does not cover.
    """

    fonts: tuple[str, ...] = ()
    p: float = 1.0
    name: ClassVar[str] = "font"

    def __post_init__(self) -> None:
        fonts = self.fonts
        if isinstance(fonts, (str, os.PathLike)):
            fonts = (fonts,)
        if not isinstance(fonts, Iterable):
            raise InputError(f"FontJitter: fonts must be a sequence of font paths (got {fonts!r})")
        fonts = tuple(os.fspath(f) if isinstance(f, os.PathLike) else f for f in fonts)
        if not fonts:
            raise InputError("FontJitter: give at least one font file")
        bad = [f for f in fonts if not isinstance(f, str) or not f]
        if bad:
            raise InputError(f"FontJitter: font paths must be non-empty strings (got {bad[0]!r})")
        object.__setattr__(self, "fonts", fonts)
        object.__setattr__(self, "p", _probability("FontJitter", self.p))

    def apply_profile(self, profile: RenderProfile, rng: random.Random) -> RenderProfile:
        if self.p == 0.0 or (self.p < 1.0 and rng.random() >= self.p):
            return profile
        font = rng.choice(self.fonts)
        return profile.replace(fonts=(font, *profile.fonts))

    def to_spec(self) -> str:
        joined = ";".join(self.fonts)
        # the paths must survive the split on "," and ";", the strip and the "@p" suffix
        if any("," in f or ";" in f or f != f.strip() for f in self.fonts) or _P_SUFFIX.match(joined):
            raise InputError(f"FontJitter: the font paths {self.fonts!r} cannot be written in parse_noise syntax")
        return _with_p(f"{self.name}:{joined}", self.p)


@dataclass(frozen=True)
class SizeJitter(Noise):
    """With probability ``p``, scale the font size by a factor uniform in ``[1 - scale, 1 + scale]``."""

    scale: float = 0.15
    p: float = 1.0
    name: ClassVar[str] = "size"

    def __post_init__(self) -> None:
        # below 1: a factor of 0 or less is no font at all
        object.__setattr__(self, "scale", _number("SizeJitter", "scale", self.scale, 0.0, 0.95))
        object.__setattr__(self, "p", _probability("SizeJitter", self.p))

    def apply_profile(self, profile: RenderProfile, rng: random.Random) -> RenderProfile:
        if self.scale == 0.0 or self.p == 0.0 or (self.p < 1.0 and rng.random() >= self.p):
            return profile
        size = profile.font_size * rng.uniform(1.0 - self.scale, 1.0 + self.scale)
        return profile.replace(font_size=min(max(size, _MIN_FONT_SIZE), _MAX_FONT_SIZE))

    def to_spec(self) -> str:
        return _with_p(f"{self.name}:{_fmt(self.scale)}", self.p)


# -- image ops ----------------------------------------------------------------


def _check_image(owner: str, image: object) -> np.ndarray:
    if not isinstance(image, np.ndarray):
        raise InputError(f"{owner}: image must be a numpy array (got {type(image).__name__})")
    if image.dtype != np.uint8 or not (image.ndim == 2 or (image.ndim == 3 and image.shape[2] == 3)):
        raise InputError(
            f"{owner}: image must be uint8 of shape (H, W) or (H, W, 3) (got {image.dtype} {image.shape})"
        )
    return image


def _to_pil(image: np.ndarray):  # -> PIL.Image.Image; Pillow loads lazily
    from PIL import Image

    # uint8 (H, W) is read as mode "L" and (H, W, 3) as "RGB"
    return Image.fromarray(np.ascontiguousarray(image))


def _from_pil(pil, like: np.ndarray) -> np.ndarray:
    # np.array, not np.asarray: the renderer may draw on the result, and a
    # buffer shared with Pillow can be read-only
    out = np.array(pil.convert("L" if like.ndim == 2 else "RGB"), dtype=np.uint8)
    return out.reshape(like.shape)


def _background(image: np.ndarray) -> int | tuple[int, ...]:
    """The median of the border pixels: the page colour whatever the text colour."""
    if image.ndim == 2:
        image = image[:, :, None]
    border = np.concatenate([image[0], image[-1], image[:, 0], image[:, -1]], axis=0)
    colour = tuple(round(float(v)) for v in np.median(border, axis=0))
    return colour[0] if len(colour) == 1 else colour


@dataclass(frozen=True)
class Blur(Noise):
    """With probability ``p``, a Gaussian blur of radius uniform in ``radius`` (px)."""

    radius: tuple[float, float] = (0.3, 1.0)
    p: float = 1.0
    name: ClassVar[str] = "blur"

    def __post_init__(self) -> None:
        object.__setattr__(self, "radius", _range("Blur", "radius", self.radius, 0.0, 50.0))
        object.__setattr__(self, "p", _probability("Blur", self.p))

    def apply_image(self, image: np.ndarray, rng: random.Random) -> np.ndarray:
        _check_image("Blur", image)
        if self.radius[1] == 0.0 or self.p == 0.0 or image.size == 0:
            return image
        if self.p < 1.0 and rng.random() >= self.p:
            return image
        radius = rng.uniform(*self.radius)
        if radius == 0.0:
            return image
        from PIL import ImageFilter

        return _from_pil(_to_pil(image).filter(ImageFilter.GaussianBlur(radius)), image)

    def to_spec(self) -> str:
        return _with_p(f"{self.name}:{_fmt_range(self.radius)}", self.p)


@dataclass(frozen=True)
class Jpeg(Noise):
    """With probability ``p``, a JPEG encode/decode round trip at a quality uniform in ``quality``."""

    quality: tuple[int, int] = (30, 70)
    p: float = 1.0
    name: ClassVar[str] = "jpeg"

    def __post_init__(self) -> None:
        low, high = _range("Jpeg", "quality", self.quality, 1, 100)
        if not (low.is_integer() and high.is_integer()):
            raise InputError(f"Jpeg: quality must be whole numbers (got {self.quality!r})")
        object.__setattr__(self, "quality", (int(low), int(high)))
        object.__setattr__(self, "p", _probability("Jpeg", self.p))

    def apply_image(self, image: np.ndarray, rng: random.Random) -> np.ndarray:
        _check_image("Jpeg", image)
        if self.p == 0.0 or image.size == 0:
            return image
        if self.p < 1.0 and rng.random() >= self.p:
            return image
        quality = rng.randint(*self.quality)
        from PIL import Image

        buffer = io.BytesIO()
        _to_pil(image).save(buffer, format="JPEG", quality=quality)
        buffer.seek(0)
        with Image.open(buffer) as decoded:
            return _from_pil(decoded, image)

    def to_spec(self) -> str:
        return _with_p(f"{self.name}:{_fmt_range(self.quality)}", self.p)


@dataclass(frozen=True)
class Rotate(Noise):
    """With probability ``p``, rotate by an angle uniform in ``[-degrees, degrees]``.

    Bilinear, about the centre, on the same canvas; the uncovered corners are
    filled with the background (the median border colour), not black, so the
    rotation does not add ink.
    """

    degrees: float = 2.0
    p: float = 1.0
    name: ClassVar[str] = "rotate"

    def __post_init__(self) -> None:
        object.__setattr__(self, "degrees", _number("Rotate", "degrees", self.degrees, 0.0, 45.0))
        object.__setattr__(self, "p", _probability("Rotate", self.p))

    def apply_image(self, image: np.ndarray, rng: random.Random) -> np.ndarray:
        _check_image("Rotate", image)
        if self.degrees == 0.0 or self.p == 0.0 or image.size == 0:
            return image
        if self.p < 1.0 and rng.random() >= self.p:
            return image
        angle = rng.uniform(-self.degrees, self.degrees)
        if angle == 0.0:
            return image
        from PIL import Image

        rotated = _to_pil(image).rotate(
            angle, resample=Image.Resampling.BILINEAR, expand=False, fillcolor=_background(image)
        )
        return _from_pil(rotated, image)

    def to_spec(self) -> str:
        return _with_p(f"{self.name}:{_fmt(self.degrees)}", self.p)


# -- parsing ------------------------------------------------------------------

_NUM = r"(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?"
_VALUE = regex.compile(rf"\s*({_NUM})\s*(?:-\s*({_NUM})\s*)?")
_P_SUFFIX = regex.compile(rf"^(.*)@\s*({_NUM})\s*$", regex.DOTALL)


def _parse_value(token: str, value: str, *, allow_range: bool) -> tuple[float, float]:
    match = _VALUE.fullmatch(value)
    if match is None:
        form = "a number or a range like 0.3-1.0" if allow_range else "a number"
        raise InputError(f"noise {token!r}: {value.strip()!r} is not {form}")
    low = float(match.group(1))
    high = float(match.group(2)) if match.group(2) is not None else low
    if match.group(2) is not None and not allow_range:
        raise InputError(f"noise {token!r}: takes one number, not a range")
    return low, high


def _single(token: str, value: str) -> float:
    return _parse_value(token, value, allow_range=False)[0]


def _make(name: str, token: str, value: str | None, p: float | None) -> Noise:
    """Build the op ``name`` from the text after ``:`` and the ``@p`` suffix."""
    kw: dict[str, object] = {}
    if name in ("homoglyphs", "swap", "drop", "insert", "nomarks", "zerowidth"):
        if p is not None:
            raise InputError(f"noise {token!r}: the value of {name} already is its probability; drop '@'")
        if value is not None:
            kw["p"] = _single(token, value)
        return _OPS[name](**kw)
    if p is not None:
        kw["p"] = p
    if name == "font":
        fonts = tuple(f.strip() for f in (value or "").split(";") if f.strip())
        if not fonts:
            raise InputError(f"noise {token!r}: give font files, e.g. font:a.ttf;b.otf")
        return FontJitter(fonts=fonts, **kw)  # type: ignore[arg-type]
    if value is not None:
        if name == "size":
            kw["scale"] = _single(token, value)
        elif name == "rotate":
            kw["degrees"] = _single(token, value)
        elif name == "blur":
            kw["radius"] = _parse_value(token, value, allow_range=True)
        elif name == "jpeg":
            kw["quality"] = _parse_value(token, value, allow_range=True)
    return _OPS[name](**kw)


_OPS: dict[str, type[Noise]] = {
    op.name: op  # type: ignore[misc]
    for op in (Homoglyphs, CharSwap, CharDrop, CharInsert, StripMarks, ZeroWidth, FontJitter, SizeJitter, Blur, Jpeg, Rotate)
}


def parse_noise(spec: str) -> Compose:
    """Parse ``"homoglyphs:0.1,swap:0.05,blur:0.3-1.0,jpeg:30-70@0.5"`` into a :class:`Compose`.

    Each comma-separated item is ``name[:value][@p]``: ``homoglyphs``, ``swap``,
    ``drop`` and ``insert`` take a probability; ``size`` a scale; ``rotate``
    degrees; ``blur`` a radius and ``jpeg`` a quality, each a number or a
    ``low-high`` range; ``font`` font files separated by ``;``. A bare name
    uses the defaults and ``@p`` applies a profile or image op with
    probability ``p``. Ops apply in the order given. An empty spec is no noise.
    :meth:`Compose.to_spec` writes the same syntax back.
    """
    if not isinstance(spec, str):
        raise InputError(f"noise spec must be a str (got {type(spec).__name__})")
    ops: list[Noise] = []
    for raw in spec.split(","):
        token = raw.strip()
        if not token:
            continue  # tolerate "a,,b" and a trailing comma
        name, colon, value = token.partition(":")
        name = name.strip().lower()
        if name not in _OPS:
            close = difflib.get_close_matches(name, list(_OPS), n=3, cutoff=0.5)
            hint = f" (did you mean {' or '.join(repr(c) for c in close)}?)" if close else ""
            raise InputError(f"unknown noise {name!r} in {token!r}{hint}; known: {', '.join(_OPS)}")
        p: float | None = None
        rest: str | None = value if colon else None
        if rest is not None and (match := _P_SUFFIX.match(rest)):
            rest, p = match.group(1), float(match.group(2))
        elif rest is not None and "@" in rest and name != "font":
            raise InputError(f"noise {token!r}: '@' must be followed by a probability, e.g. @0.5")
        if rest is not None and not rest.strip():
            if p is None:
                raise InputError(f"noise {token!r}: nothing after ':'")
            rest = None  # "blur:@0.5": defaults, with a probability
        ops.append(_make(name, token, rest, p))
    return Compose(tuple(ops))
