"""The font stack: bundled Noto fonts from pip packages plus user fonts.

Font choice is by per-code-point coverage read from each font's cmap, with a
script preference (Arabic text goes to Noto Sans Arabic even where another font
happens to cover a letter) and a CJK face chosen per paragraph (kana -> Japanese,
Hangul -> Korean, else the profile's / language's Chinese face). The stack is
deterministic: the same files in the same order give the same ``fonts_hash``.
"""

from __future__ import annotations

import hashlib
import os
import threading
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from mmx.errors import InputError, MissingDependencyError

FONT_SUFFIXES = (".ttf", ".otf", ".ttc", ".otc")

# Bundled fonts in fallback order: (file name, face index in a collection).
# Noto Sans first: it covers Latin (incl. Vietnamese), Greek and Cyrillic.
_BUNDLED = [
    "NotoSans[wght].ttf",
    "NotoSansArabic[wght].ttf",
    "NotoSansHebrew[wght].ttf",
    "NotoSansDevanagari[wght].ttf",
    "NotoSansBengali[wght].ttf",
    "NotoSansTamil[wght].ttf",
    "NotoSansTelugu[wght].ttf",
    "NotoSansKannada[wght].ttf",
    "NotoSansMalayalam[wght].ttf",
    "NotoSansGujarati[wght].ttf",
    "NotoSansGurmukhi[wght].ttf",
    "NotoSansOriya[wght].ttf",
    "NotoSansSinhala[wght].ttf",
    "NotoSansThai[wght].ttf",
    "NotoSansLao[wght].ttf",
    "NotoSansKhmer[wght].ttf",
    "NotoSansMyanmar[wght].ttf",
    "NotoSansEthiopic[wght].ttf",
    "NotoSansArmenian[wght].ttf",
    "NotoSansGeorgian[wght].ttf",
]
_CJK_FILE = "NotoSansCJK-VF.otf.ttc"
CJK_FACES = {"jp": 0, "kr": 1, "sc": 2, "tc": 3, "hk": 4}
_TAIL = ["NotoSansSymbols[wght].ttf", "NotoEmoji[wght].ttf"]
# A colour emoji font installed on the system (Debian: fonts-noto-color-emoji) is
# used before the bundled monochrome Noto Emoji; MMX_COLOR_EMOJI names another
# file, or "none" to keep emoji monochrome.
COLOR_EMOJI_FILES = ("NotoColorEmoji.ttf",)

# Scripts whose text should prefer a particular bundled font even where an
# earlier font in the stack also covers the code point (e.g. Noto Sans has a few
# Arabic-block characters; Arabic digits must stay in the Arabic face).
SCRIPT_FONT = {
    "Arab": "NotoSansArabic", "Hebr": "NotoSansHebrew", "Deva": "NotoSansDevanagari",
    "Beng": "NotoSansBengali", "Taml": "NotoSansTamil", "Telu": "NotoSansTelugu",
    "Knda": "NotoSansKannada", "Mlym": "NotoSansMalayalam", "Gujr": "NotoSansGujarati",
    "Guru": "NotoSansGurmukhi", "Orya": "NotoSansOriya", "Sinh": "NotoSansSinhala",
    "Thai": "NotoSansThai", "Laoo": "NotoSansLao", "Khmr": "NotoSansKhmer",
    "Mymr": "NotoSansMyanmar", "Ethi": "NotoSansEthiopic", "Armn": "NotoSansArmenian",
    "Geor": "NotoSansGeorgian",
}
CJK_SCRIPTS = {"Hani", "Hira", "Kana", "Hang", "Bopo"}

# Probe texts for vertical metrics: the tallest and deepest stacks that ordinary
# text in each script produces (not the rare outliers of a whole glyph set); the
# Bengali reph over i-matra and Devanagari ह्यू were found in news text (NTREX).
PROBES = {
    "NotoSans": "ÅÉÎÕÛ ẪỖỮ ậệ ǘ Ї Й Ά ξζ gjpqy ()[]{}|",
    "NotoSansArabic": "لِّلَّهِ إِنَّ ـٰٓ يٌّ ئٍ ضً پژگ ۓ ١٢٣ () لإِ بالإِ الاستهزاء ءٍ أُلقي أُعلن",
    "NotoSansHebrew": "שָׁלוֹם לְךָ ךְ ףּ",
    "NotoSansDevanagari": "र्कीं र्धि कृ ह्रु ड्ढ द्ध ॐ क्ष्म्य मैं हूँ श्रम ग्रां फ्रे ह्यू",
    "NotoSansBengali": "র্কিং ক্ষু ঙ্ক্ষ রূ শ্রী স্মৃতি ট্র্যাক উদ্ধৃত ক্ষ্ম ড্রু গ্লু কর্মী মার্টিন",
    "NotoSansTamil": "கொ ஸ்ரீ ழு கீ ஞூ",
    "NotoSansThai": "ปู่ ฟี่ ญั้ ฎุ ท่ี ก๋ ปั๊ ฐู",
    "NotoSansEthiopic": "ሰላም ለዓለም ፬ ጽ",
    "NotoSansCJK": "你好世界龍鬱 こんにちは 안녕하세요 「」",
    "NotoColorEmoji": "😀👩‍👩‍👧🇮🇳✅🎉🙏🏽",
}

# Body samples: ordinary letters and words whose median ink top is the height of
# a script's main zone, its x-height (Latin x-height; the letter bodies of Arabic,
# whose ascenders rise far above them). Faces without a sample are drawn at the
# em size: Noto's families are designed to match Latin at equal em size, and
# their main zones do (Devanagari's headline, Thai, Hebrew: 0.55-0.62 em against
# Latin's 0.54); Noto Sans Arabic's bodies are 0.3-0.4 em.
BODY_SAMPLES = {
    "NotoSans": "xzvwuonmaecsr",
    "NotoSansArabic": "في من على هذا الذي سنة بين عند كانت سوف يمكن",
}
#: the most a face is enlarged to match its body to Latin's x-height; Arabic
#: ascenders (alif, lam: 0.71 em) would otherwise tower over Latin capitals
MAX_BODY_SCALE = 1.25


@dataclass
class FontFace:
    """One face of one font file, with its coverage and vertical ink metrics."""

    path: str
    index: int = 0
    name: str = ""
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    @cached_property
    def source_hb_face(self):
        import uharfbuzz as hb

        return hb.Face(hb.Blob.from_file_path(self.path), self.index)

    @cached_property
    def hb_face(self):
        """The HarfBuzz face mmx shapes with (the static instance where there is one)."""
        import uharfbuzz as hb

        if self.draw_path == self.path:
            return self.source_hb_face
        return hb.Face(hb.Blob.from_file_path(self.draw_path), self.draw_index)

    @cached_property
    def _draw(self) -> tuple[str, int, tuple[float, ...]]:
        """(file, face index, design coordinates) that shaping and rasterizing use.

        A variable font is instantiated once at its design coordinates into a
        static font (fontTools' instancer), cached on disk: HarfBuzz shapes
        Indic scripts about twice as fast without variation deltas to apply.
        Collections and very large (CJK) files keep the variable font.
        """
        coords = self.design_coords
        if not coords or self.path.lower().endswith((".ttc", ".otc")) or os.path.getsize(self.path) > 4_000_000:
            return self.path, self.index, coords
        try:
            return static_instance(self.path, self.variations), 0, ()
        except Exception:  # an unwritable cache or a font the instancer rejects: draw it variable
            return self.path, self.index, coords

    @property
    def draw_path(self) -> str:
        return self._draw[0]

    @property
    def draw_index(self) -> int:
        return self._draw[1]

    @property
    def draw_coords(self) -> tuple[float, ...]:
        return self._draw[2]

    @cached_property
    def design_coords(self) -> tuple[float, ...]:
        """Variable-font axis values to draw with: Regular (wght 400) wherever the face can.

        Variable faces draw their default instance unless told otherwise, and the
        default of Noto Sans CJK VF is Thin (100): text would come out faint.
        """
        coords = []
        for axis in self.source_hb_face.axis_infos:
            value = axis.default_value
            if axis.tag == "wght":
                value = min(max(400.0, axis.min_value), axis.max_value)
            coords.append(value)
        return tuple(coords)

    @cached_property
    def variations(self) -> dict[str, float]:
        return {a.tag: v for a, v in zip(self.source_hb_face.axis_infos, self.design_coords)}

    def hb_font(self):
        """A new HarfBuzz font of this face at its design coordinates (font units)."""
        import uharfbuzz as hb

        font = hb.Font(self.hb_face)
        if self.variations:
            font.set_variations(self.variations)
        return font

    @cached_property
    def glyph_count(self) -> int:
        return self.source_hb_face.glyph_count

    @cached_property
    def upem(self) -> int:
        return self.hb_face.upem

    @cached_property
    def coverage(self) -> frozenset[int]:
        """Code points in the face's cmap (HarfBuzz collects them in C)."""
        return frozenset(self.source_hb_face.unicodes)

    @cached_property
    def probe_glyphs(self) -> list[tuple[int, int]]:
        """(glyph id, y offset in font units) of the face's shaped probe text (``PROBES``); empty without one."""
        import uharfbuzz as hb

        probe = PROBES.get(self.name.split("-")[0] if self.name.startswith("NotoSansCJK") else self.name)
        if not probe:
            return []
        buf = hb.Buffer()
        buf.add_str(probe)
        buf.guess_segment_properties()
        hb.shape(self.hb_font(), buf, {})
        return [(info.codepoint, pos.y_offset) for info, pos in zip(buf.glyph_infos, buf.glyph_positions)]

    @cached_property
    def ink_extents(self) -> tuple[float, float]:
        """(ascent, descent) of the face's ink in em, measured on shaped text.

        Faces with a probe text (``PROBES``: each script's tallest common stacks,
        e.g. Thai tone marks over upper vowels, Devanagari reph with i-matra and
        anusvara, Arabic shadda with vowel marks, Vietnamese stacked accents)
        are measured on it, since stacks exceed any single glyph. Other faces
        (user fonts, symbols) use the 99.5th percentile of their encoded letters,
        marks and digits, so a few giant glyphs do not shrink a whole script.
        """
        import unicodedata

        import numpy as np
        import uharfbuzz as hb

        font = self.hb_font()
        upem = float(self.upem)
        probe = PROBES.get(self.name.split("-")[0] if self.name.startswith("NotoSansCJK") else self.name)
        tops: list[float] = []
        bottoms: list[float] = []
        if probe:
            buf = hb.Buffer()
            buf.add_str(probe)
            buf.guess_segment_properties()
            hb.shape(font, buf, {})
            for info, pos in zip(buf.glyph_infos, buf.glyph_positions):
                ext = font.get_glyph_extents(info.codepoint)
                if ext is None or ext.height == 0:
                    continue
                tops.append(ext.y_bearing + pos.y_offset)
                bottoms.append(ext.y_bearing + ext.height + pos.y_offset)
            if tops:
                return max(tops) / upem, max(-min(bottoms) / upem, 0.0)
        for cp in self.coverage:
            if unicodedata.category(chr(cp))[0] not in "LMN":
                continue
            gid = font.get_nominal_glyph(cp)
            ext = font.get_glyph_extents(gid) if gid else None
            if ext is None or ext.height == 0:
                continue
            tops.append(ext.y_bearing)
            bottoms.append(ext.y_bearing + ext.height)
        if not tops:
            return 0.9, 0.25
        asc = float(np.percentile(tops, 99.5)) / upem
        desc = -float(np.percentile(bottoms, 0.5)) / upem
        return max(asc, 0.5), max(desc, 0.0)

    @cached_property
    def body_height(self) -> float | None:
        """Median ink top of the face's body sample (``BODY_SAMPLES``) in em, or None without one."""
        import statistics

        import uharfbuzz as hb

        sample = BODY_SAMPLES.get(self.name)
        if not sample:
            return None
        font = self.hb_font()
        buf = hb.Buffer()
        buf.add_str(sample)
        buf.guess_segment_properties()
        hb.shape(font, buf, {})
        tops = []
        for info, pos in zip(buf.glyph_infos, buf.glyph_positions):
            ext = font.get_glyph_extents(info.codepoint)
            if ext is not None and ext.height:
                tops.append((ext.y_bearing + pos.y_offset) / float(self.upem))
        return statistics.median(tops) if tops else None

    def body_scale(self, primary: FontFace) -> float:
        """How much larger than the em size this face is drawn so that its body matches ``primary``'s x-height."""
        own, ref = self.body_height, primary.body_height
        if not own or not ref or own <= 0:
            return 1.0
        return min(max(ref / own, 1.0), MAX_BODY_SCALE)

    @cached_property
    def sha256(self) -> str:
        h = hashlib.sha256()
        with open(self.path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
        h.update(str(self.index).encode())
        return h.hexdigest()


def colour_emoji_path() -> str | None:
    """The colour emoji font to draw emoji with, or None (``$MMX_COLOR_EMOJI``, else the system font folders)."""
    env = os.environ.get("MMX_COLOR_EMOJI")
    if env is not None:
        if env.lower() in ("", "none", "0", "off"):
            return None
        if not os.path.isfile(env):
            raise InputError(f"MMX_COLOR_EMOJI={env!r} is not a font file; name a colour emoji font (.ttf) or 'none'")
        return env
    return _find_system_font(COLOR_EMOJI_FILES)


_found: dict[tuple[str, ...], str | None] = {}


def _find_system_font(names: tuple[str, ...]) -> str | None:
    """A font file by name in the XDG font folders (user, local, system), searched once per process."""
    if names not in _found:
        data_home = os.environ.get("XDG_DATA_HOME") or os.path.expanduser("~/.local/share")
        dirs = [data_home, *(os.environ.get("XDG_DATA_DIRS") or "/usr/local/share:/usr/share").split(":")]
        hit = None
        for d in dirs:
            root = Path(d) / "fonts"
            if root.is_dir():
                for name in names:
                    hit = next((str(f) for f in sorted(root.rglob(name))), None)
                    if hit:
                        break
            if hit:
                break
        _found[names] = hit
    return _found[names]


def cache_dir() -> Path:
    """Where mmx keeps derived files: ``$MMX_CACHE``, else ``$XDG_CACHE_HOME/mmx``, else ``~/.cache/mmx``."""
    root = os.environ.get("MMX_CACHE") or os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "mmx")
    return Path(root)


def static_instance(path: str, variations: dict[str, float]) -> str:
    """A static instance of a variable font at ``variations``, made once and cached on disk."""
    import fontTools

    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    h.update(repr(sorted(variations.items())).encode())
    h.update(fontTools.version.encode())  # the instancer's output may change between versions
    out = cache_dir() / "fonts" / f"{Path(path).stem.split('[')[0]}-{h.hexdigest()[:16]}.ttf"
    if out.exists():
        return str(out)
    from fontTools.ttLib import TTFont
    from fontTools.varLib import instancer

    out.parent.mkdir(parents=True, exist_ok=True)
    font = instancer.instantiateVariableFont(TTFont(path), dict(variations), inplace=False)
    tmp = out.with_suffix(f".{os.getpid()}.tmp")
    font.save(str(tmp))
    os.replace(tmp, out)  # atomic: concurrent processes never see half a file
    return str(out)


def _package_dir(module: str) -> Path:
    import importlib.util

    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        raise MissingDependencyError(
            f"the bundled fonts package {module!r} is not installed; "
            f"install it with `pip install {module.replace('_', '-')}`"
        )
    return Path(next(iter(spec.submodule_search_locations)))


def _user_faces(paths: tuple[str, ...]) -> list[FontFace]:
    faces: list[FontFace] = []
    for raw in paths:
        p = Path(raw).expanduser()
        if p.is_dir():
            files = sorted(f for f in p.rglob("*") if f.suffix.lower() in FONT_SUFFIXES)
            if not files:
                raise InputError(f"font folder {raw!r} holds no .ttf/.otf/.ttc/.otc files")
        elif p.is_file():
            if p.suffix.lower() not in FONT_SUFFIXES:
                raise InputError(f"font file {raw!r} is not a .ttf, .otf, .ttc or .otc file")
            files = [p]
        else:
            raise InputError(f"font path {raw!r} does not exist; pass a font file or a folder of fonts")
        for f in files:
            faces.extend(_faces_of(f))
    return faces


def _faces_of(path: Path) -> list[FontFace]:
    """The faces of a font file (several for a .ttc/.otc collection); a clear error for a non-font."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(12)
    except OSError as exc:
        raise InputError(f"cannot read font file {str(path)!r}: {exc.strerror}") from None
    # The sfnt header says what this is: a collection ('ttcf' + face count), or
    # one TrueType / OpenType (CFF) / Apple font.
    if head[:4] == b"ttcf" and len(head) >= 12:
        count = int.from_bytes(head[8:12], "big")
    elif head[:4] in (b"\x00\x01\x00\x00", b"OTTO", b"true", b"typ1"):
        count = 1
    else:
        raise InputError(f"font file {str(path)!r} is not a TrueType/OpenType font (.ttf, .otf, .ttc); is it a font?")
    if not 1 <= count <= 256:
        raise InputError(f"font collection {str(path)!r} declares {count} faces; the file looks corrupt")
    faces = [FontFace(str(path), i, f"{path.stem}#{i}" if count > 1 else path.stem) for i in range(count)]
    for face in faces:
        try:
            n = face.hb_face.glyph_count
        except Exception as exc:  # a corrupt file: name it rather than crash later
            raise InputError(f"cannot read font file {str(path)!r}: {exc}") from None
        if n <= 1:
            raise InputError(f"font file {str(path)!r} has no glyphs; is it a font?")
    return faces


class FontStack:
    """An ordered list of faces; picks a face per grapheme cluster by coverage."""

    def __init__(self, extra: tuple[str, ...] = (), cjk: str = "sc", colour_emoji: bool = True) -> None:
        fonts_dir = _package_dir("manimgx_fonts")
        cjk_dir = _package_dir("manimgx_fonts_cjk")
        self.user = _user_faces(tuple(extra))
        bundled = [FontFace(str(fonts_dir / f), 0, f.split("[")[0]) for f in _BUNDLED]
        self.cjk = {k: FontFace(str(cjk_dir / _CJK_FILE), i, f"NotoSansCJK-{k.upper()}") for k, i in CJK_FACES.items()}
        tail = [FontFace(str(fonts_dir / f), 0, f.split("[")[0]) for f in _TAIL]
        missing = [f.path for f in [*bundled, *tail, self.cjk["sc"]] if not os.path.exists(f.path)]
        colour = colour_emoji_path() if colour_emoji else None
        #: the colour emoji face (before the monochrome one in the fallback order), or None
        self.colour_emoji = FontFace(colour, 0, "NotoColorEmoji") if colour else None
        if self.colour_emoji is not None:
            tail.insert(len(tail) - 1, self.colour_emoji)
        if missing:
            raise MissingDependencyError(
                f"bundled font files are missing ({', '.join(os.path.basename(m) for m in missing)}); "
                "reinstall with `pip install --force-reinstall manimgx-fonts manimgx-fonts-cjk`"
            )
        self.default_cjk = cjk
        # Fallback order: user fonts, Noto Sans, script fonts, CJK (default face), symbols,
        # colour emoji (where installed), monochrome emoji.
        self.faces: list[FontFace] = [*self.user, *bundled, self.cjk[cjk], *tail]
        # CJK faces other than the default are reachable by index too.
        for face in self.cjk.values():
            if face is not self.cjk[cjk]:
                self.faces.append(face)
        self.index = {id(f): i for i, f in enumerate(self.faces)}
        self.by_name = {f.name: i for i, f in enumerate(self.faces)}
        self._order_cache: dict[tuple[str, str], list[int]] = {}

    @property
    def primary(self) -> int:
        """Index of the face that sets the baseline and draws tofu (Noto Sans)."""
        return self.by_name["NotoSans"]

    @cached_property
    def fonts_hash(self) -> str:
        """A short hash of the font files in stack order, for reproducibility."""
        import fontTools

        h = hashlib.sha256()
        for face in self.faces:
            h.update(face.sha256.encode())
            h.update(repr(face.design_coords).encode())
        h.update(fontTools.version.encode())  # static instances are derived with fontTools
        return h.hexdigest()[:16]

    def order_for(self, script: str, cjk: str) -> list[int]:
        """Face indices to try for a cluster of ``script`` (user fonts first)."""
        key = (script, cjk)
        order = self._order_cache.get(key)
        if order is None:
            n_user = len(self.user)
            preferred: list[int] = list(range(n_user))
            if script in CJK_SCRIPTS:
                preferred.append(self.index[id(self.cjk[cjk])])
            elif script in SCRIPT_FONT:
                preferred.append(self.by_name[SCRIPT_FONT[script]])
            order = preferred + [i for i in range(len(self.faces)) if i not in preferred]
            self._order_cache[key] = order
        return order


def prepare_fonts(extra: tuple[str, ...] = ()) -> int:
    """Make the static instances of every variable font in the stack now (``make setup`` does).

    Otherwise each is made on first use (a second or a few for each face).
    Returns how many faces draw from a static instance.
    """
    stack = FontStack(extra)
    return sum(face.draw_path != face.path for face in stack.faces)
