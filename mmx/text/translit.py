"""Generic romanization of Devanagari names, and cross-script name matching.

Devanagari -> IAST with ``indic-transliteration`` (a rule-based scheme
converter, no name lists), folded to ASCII, then Hindi schwa deletion (the
inherent ``a`` that Hindi does not pronounce at the end of a word and in the
middle of ``VC_CV``), so ``राशिद रहमान`` reads ``Rashid Rahman``. English names
that Hindi spells phonetically come out close but rarely identical
(``डेविड मार्करम`` -> ``Devid Markaram``): that is the cross-script gap the
OCR baseline shows. Matching compares both the romanization and a consonant
skeleton with rapidfuzz.

:func:`name_key` is the other direction, for scoring: one key per spelling of a name, so
that ``Manish Farnando`` (the card's मनीष फ़र्नांडो romanized) and ``Maneesh Pharnaando``
share a key and ``Manish Perera`` does not.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from rapidfuzz import fuzz

from mmx.text.scripts import has_devanagari

__all__ = ["name_key", "name_similarity", "romanize", "transliterator_available"]

_VOWELS = set("aeiou")


@functools.lru_cache(maxsize=1)
def transliterator_available() -> bool:
    """Whether ``indic-transliteration`` (the ``tokens`` extra) is installed.

    Without it :func:`romanize` has no Devanagari-to-Latin mapping, so Devanagari
    names cannot be matched to Latin ones.
    """
    import importlib.util

    return importlib.util.find_spec("indic_transliteration") is not None


def _iast(s: str) -> str:
    if not transliterator_available():
        return s
    from indic_transliteration import sanscript

    # the scheme has no candra (English "o" in ऑ / ॉ): read them as o
    s = s.replace("ऑ", "ओ").replace("ॉ", "ो").replace("ॅ", "े").replace("ऍ", "ए")
    return sanscript.transliterate(s, sanscript.DEVANAGARI, sanscript.IAST)


_FOLD = str.maketrans({"ś": "sh", "ṣ": "sh", "ñ": "n", "ṅ": "n", "ṇ": "n", "ṭ": "t", "ḍ": "d", "ṛ": "ri",
                       "ḥ": "h", "ġ": "g", "ṟ": "r", "ḻ": "l", "ẏ": "y"})


def _fold(s: str) -> str:
    s = unicodedata.normalize("NFC", s).translate(_FOLD)
    s = re.sub(r"[ṃṁ]", "n", s)
    s = s.replace("~", "n")  # candrabindu in this scheme
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s if not unicodedata.combining(c))


def _schwa_delete(word: str, iast_word: str) -> str:
    """Drop inherent vowels Hindi does not pronounce (word-final, and medial in VC_CV)."""
    # mark the inherent a's: in IAST a short "a" not written as a vowel sign; the
    # scheme writes both as "a", so work on the folded word and treat every short
    # "a" that is not word-initial as deletable (long ā became "a" too but is kept
    # by the rule below because we only look at short a in the IAST text)
    chars = list(iast_word)
    short = [i for i, c in enumerate(chars) if c == "a" and i > 0
             and not (i + 1 < len(chars) and chars[i + 1] in "iu")]  # ai, au are vowels of their own
    drop: set[int] = set()
    n = len(chars)
    # final schwa: after a consonant, not in a one-syllable word
    if short and short[-1] == n - 1 and chars[n - 2] not in _VOWELS | {"ā", "ī", "ū", "ē", "ō"}:
        vowels = sum(1 for c in chars if c in _VOWELS or c in "āīū")
        if vowels > 1:
            drop.add(n - 1)
    # medial: V C a C V  ->  V C C V (right to left, not next to a dropped one)
    def is_v(c: str) -> bool:
        return c in _VOWELS or c in "āīūṛ"

    for i in reversed(short):
        if i in drop or i < 2 or i + 2 >= n:
            continue
        if is_v(chars[i - 2]) and not is_v(chars[i - 1]) and not is_v(chars[i + 1]) and is_v(chars[i + 2]) \
                and (i + 2) not in drop and (i - 2) not in drop:
            drop.add(i)
    out = "".join(c for i, c in enumerate(chars) if i not in drop)
    return out


@functools.lru_cache(maxsize=4096)
def romanize(s: str) -> str:
    """A readable Latin spelling of a Devanagari name (other text is returned as is).

    ``romanize("राशिद रहमान") == "Rashid Rahman"``; Latin words in a mixed name are
    kept. Needs ``indic-transliteration`` (see :func:`transliterator_available`).
    """
    if not has_devanagari(s):
        return s
    words = []
    for w in s.split():
        if not has_devanagari(w):
            words.append(w)
            continue
        iast = _iast(w)
        iast = re.sub(r"[^\w~]", "", iast).replace("ch", "chh").replace("c", "ch").replace("chhh", "chh")
        folded_chars = _schwa_delete(w, iast)
        r = _fold(folded_chars)
        r = re.sub(r"[^A-Za-z]", "", r)
        if r:
            words.append(r[:1].upper() + r[1:])
    return " ".join(words)


_SKEL = str.maketrans({"c": "k", "q": "k", "w": "v", "z": "j", "x": "ks", "y": "i"})


def _skeleton(s: str) -> str:
    s = s.lower().replace("ph", "f").replace("th", "t").replace("dh", "d").replace("bh", "b").replace(
        "kh", "k").replace("gh", "g").replace("sh", "s").replace("ck", "k").replace("ee", "i").replace("oo", "u")
    s = s.translate(_SKEL)
    s = re.sub(r"[^a-z ]", "", s)
    s = re.sub(r"h", "", s)
    s = re.sub(r"[aeiou]", "", s)
    return re.sub(r"(.)\1+", r"\1", s)


@functools.lru_cache(maxsize=65536)
def name_similarity(english: str, card_name: str) -> float:
    """0-100: how well a card name (either script) matches an English name from the question."""
    a = english.lower().strip()
    if has_devanagari(english):  # a Devanagari surname against a Devanagari name
        if not has_devanagari(card_name):
            return float(fuzz.ratio(romanize(english).lower(), card_name.lower().strip()))
        return float(fuzz.ratio(english.replace("\u093c", ""), card_name.replace("\u093c", "")))
    if not has_devanagari(card_name):
        return float(fuzz.ratio(a, card_name.lower().strip()))
    r = romanize(card_name).lower()
    s1 = fuzz.ratio(a, r)
    s2 = fuzz.ratio(_skeleton(a), _skeleton(r))
    return float(max(s1, 0.9 * s2))


#: the romanization key's folds, in order: each writes one sound of a Devanagari name (or a
#: common English spelling of it) one way. Vowel length (ee/i, oo/u, aa/a), aspiration (a
#: consonant + h), ph/f, glides between vowels (Liyam/Liam), ai/ay/ei/ey (ऐ, e), au/aw/ow/ou
#: (औ, o), c/k/q, w/v, z/j (nukta), x/ks, double letters, a final oe (Joe/Jo) and a final schwa
#: (Rahula/Rahul).
#: Vowel quality otherwise stays: Root (रूट) and Wright (राइट) differ.
_KEY_FOLDS: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p), r) for p, r in (
    (r"ee", "i"), (r"oo", "u"), (r"oe$", "o"),
    (r"ph", "f"),
    (r"([bcdgjkpstr])h", r"\1"),
    (r"(?<=[aeiou])y(?=[aeiou])", ""),
    (r"y$", "i"),
    (r"ai|ay|ei|ey", "e"),
    (r"au|aw|ow|ou", "o"),
    (r"c|q", "k"), (r"w", "v"), (r"z", "j"), (r"x", "ks"),
    (r"(.)\1+", r"\1"),
))
_FINAL_SCHWA = re.compile(r"(?<=[^aeiou])a$")
_VOWEL_RUN = re.compile(r"[aeiou]+")


def _word_key(w: str) -> str:
    for pattern, repl in _KEY_FOLDS:
        w = pattern.sub(repl, w)
    if len(_VOWEL_RUN.findall(w)) > 1:  # "Rahula" -> "rahul", but "Ra" stays
        w = _FINAL_SCHWA.sub("", w)
    return w


def _to_latin(text: str) -> str:
    if has_devanagari(text):
        return romanize(text)
    if text.isascii():
        return text
    try:  # other scripts (Cyrillic, Han ...) through unidecode where installed (the music extra)
        from unidecode import unidecode
    except ImportError:
        return text
    # unidecode cannot know which Latin letters carry diacritics meant as such: keep them (NFKD strips them)
    return "".join(c if c.isascii() or unicodedata.normalize("NFKD", c)[0].isascii() else unidecode(c)
                   for c in text)


@functools.lru_cache(maxsize=65536)
def name_key(text: str) -> str:
    """The key of a name's spelling: two romanizations of one name (either script) share it.

    Devanagari is romanized first (:func:`romanize`; other non-Latin scripts by unidecode when
    it is installed), then lowercased, stripped of diacritics (ISO 15919 ``Rāhula``) and of
    everything but letters, word by word folded by :data:`_KEY_FOLDS`: vowel length, aspiration,
    ph/f, c/k/q, w/v, z/j, ai/e, au/o, glides and double letters, and a final schwa. So
    ``name_key("Manish Farnando") == name_key("मनीष फ़र्नांडो") == "manis farnando"`` and
    ``name_key("Kris Braun") == name_key("Chris Brown") == "kris bron"``, while ``Root`` /
    ``Wright``, ``Sharma`` / ``Verma`` and ``Ryan`` / ``Rohan`` keep different keys (no two
    names mmcric's scorecards print share one; the tests hold it to that). Text without
    letters (numbers) gives ``""``.
    """
    latin = unicodedata.normalize("NFKD", _to_latin(text).lower())
    latin = "".join(c for c in latin if not unicodedata.combining(c))
    return " ".join(_word_key(w) for w in re.findall(r"[a-z]+", latin))
