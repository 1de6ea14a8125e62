"""One language in two alphabets: Serbian and Kazakh Cyrillic <-> Latin, Chinese Simplified <->
Traditional, Hindustani in Devanagari, ISO 15919 and Urdu (Perso-Arabic) script.

Serbian and Kazakh are hand-written tables: Serbian's Latin alphabet (gajica) is an
official one-to-one mapping of 30 letters (lj, nj, dž are single letters), and
Kazakh's is the Latin alphabet the government presented in January 2021 (Ä Ğ Q Ñ Ö Ş
Ū Ü, dotless I for І, Y for Ы, İ for both И and Й); a dependency for a 30-row table
is not worth it. Kazakh Latin is lossy where the 2021 alphabet merges letters (И/Й,
Х/Һ, and the Russian-only letters), so :func:`kazakh_cyrillic` inverts only words
made of the letters it keeps apart. Chinese goes through OpenCC (``opencc``, the
standard converter: phrase tables, not a character map). Devanagari goes through
``indic-transliteration`` (already mmx's romanizer): its ISO 15919 scheme is exact
and reversible, and its Urdu scheme writes every short vowel as a diacritic, which
:func:`urdu` drops as written Urdu does (the diacritized text is what round-trips).
aksharamukha writes better Urdu, but it installs ``unicodedata2``, which fontTools
prefers when present: it would change the Unicode data behind
:mod:`mmx.text.scripts` and the renderer.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from mmx.deps import require
from mmx.errors import InputError

__all__ = [
    "TransliterationError",
    "chinese",
    "devanagari_consonants",
    "devanagari_from_iso15919",
    "devanagari_from_urdu",
    "iso15919",
    "kazakh_cyrillic",
    "kazakh_latin",
    "serbian_cyrillic",
    "serbian_latin",
    "urdu",
    "urdu_diacritized",
]


class TransliterationError(InputError):
    """A text that a converter could not carry into the other script (it names the text)."""


_SR_C2L = dict(zip("абвгдђежзијклљмнњопрстћуфхцчџш",
                   ["a", "b", "v", "g", "d", "đ", "e", "ž", "z", "i", "j", "k", "l", "lj", "m", "n", "nj", "o",
                    "p", "r", "s", "t", "ć", "u", "f", "h", "c", "č", "dž", "š"]))
_SR_L2C = {v: k for k, v in _SR_C2L.items()}
_SR_LATIN_TOKEN = re.compile(r"dž|lj|nj|[a-zčćđšž]", re.IGNORECASE)

_KK_C2L = {"а": "a", "ә": "ä", "б": "b", "в": "v", "г": "g", "ғ": "ğ", "д": "d", "е": "e", "ё": "io",
           "ж": "j", "з": "z", "и": "i̇", "й": "i̇", "к": "k", "қ": "q", "л": "l", "м": "m", "н": "n",
           "ң": "ñ", "о": "o", "ө": "ö", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ұ": "ū",
           "ү": "ü", "ф": "f", "х": "h", "һ": "h", "ц": "ts", "ч": "ch", "ш": "ş", "щ": "şş", "ъ": "",
           "ы": "y", "і": "ı", "ь": "", "э": "e", "ю": "iu", "я": "ia"}
#: the letters the 2021 alphabet keeps apart, Latin -> Cyrillic (И for the merged İ)
_KK_L2C = {"a": "а", "ä": "ә", "b": "б", "v": "в", "g": "г", "ğ": "ғ", "d": "д", "e": "е", "j": "ж",
           "z": "з", "i": "и", "k": "к", "q": "қ", "l": "л", "m": "м", "n": "н", "ñ": "ң", "o": "о",
           "ö": "ө", "p": "п", "r": "р", "s": "с", "t": "т", "u": "у", "ū": "ұ", "ü": "ү", "f": "ф",
           "h": "х", "ş": "ш", "y": "ы", "ı": "і"}


def _case_like(src: str, out: str, next_upper: bool) -> str:
    if not src.isupper() or not out:
        return out
    return out.upper() if (len(out) == 1 or next_upper) else out[0].upper() + out[1:]


def _map_cyrillic(text: str, table: dict[str, str], what: str) -> str:
    out = []
    for i, ch in enumerate(text):
        low = ch.lower()
        if low in table:
            nxt = text[i + 1] if i + 1 < len(text) else ""
            out.append(_case_like(ch, table[low], nxt.isupper()))
        elif unicodedata.name(ch, "").startswith("CYRILLIC"):
            raise TransliterationError(f"{what}: {ch!r} in {text!r} has no Latin letter; write the text in "
                                       f"the language's own Cyrillic alphabet")
        else:
            out.append(ch)
    return "".join(out)


def serbian_latin(text: str) -> str:
    """Serbian Cyrillic -> Latin (gajica): ``"Љубљана"`` -> ``"Ljubljana"``; other characters kept.

    Raises :class:`TransliterationError` for a Cyrillic letter Serbian does not use.
    """
    return _map_cyrillic(text, _SR_C2L, "Serbian Cyrillic -> Latin")


def serbian_cyrillic(text: str) -> str:
    """Serbian Latin -> Cyrillic, reading ``lj``, ``nj``, ``dž`` as one letter each.

    The inverse of :func:`serbian_latin` for native words; the rare words where these pairs
    are two letters (``injekcija``) need a dictionary and come out with the single letter.
    """
    def one(m: re.Match[str]) -> str:
        s = m.group(0)
        c = _SR_L2C.get(s.lower())
        if c is None:
            return s
        return c.upper() if s[0].isupper() else c

    return _SR_LATIN_TOKEN.sub(one, text)


def kazakh_latin(text: str) -> str:
    """Kazakh Cyrillic -> the 2021 Latin alphabet: ``"Қазақстан"`` -> ``"Qazaqstan"``.

    И and Й both become İ/i (the dot is kept on the small letter as ``i``; dotless ``ı`` is
    І). Raises :class:`TransliterationError` for a Cyrillic letter Kazakh does not use.
    """
    out = _map_cyrillic(text, _KK_C2L, "Kazakh Cyrillic -> Latin")
    # the small İ of the table is "i" + COMBINING DOT ABOVE (the lower case of İ): write plain i
    return unicodedata.normalize("NFC", out.replace("i\u0307", "i"))


def kazakh_cyrillic(text: str) -> str:
    """The 2021 Kazakh Latin alphabet -> Cyrillic, letter by letter (``i``/``İ`` -> И).

    Only the letters the Latin alphabet keeps apart invert: a word that held Й, Һ or a
    Russian-only letter (Ё Ц Ч Щ Ъ Ь Э Ю Я) comes back different, which is why the
    bench checks each form by this round trip and reports the items that fail it.
    """
    out = []
    for ch in text:
        # Turkic case pairs: İ/i and I/ı (Python's lower() would turn I into i)
        low = {"İ": "i", "I": "ı"}.get(ch, ch.lower())
        c = _KK_L2C.get(low)
        out.append(ch if c is None else (c.upper() if ch.isupper() else c))
    return "".join(out)


@functools.lru_cache(maxsize=4)
def _opencc(config: str):  # type: ignore[no-untyped-def]
    return require("opencc", "Chinese Simplified <-> Traditional").OpenCC(config)


def chinese(text: str, to: str) -> str:
    """Chinese Simplified <-> Traditional through OpenCC: ``to`` is ``"traditional"`` (``s2t``)
    or ``"simplified"`` (``t2s``)."""
    configs = {"traditional": "s2t", "simplified": "t2s"}
    if to not in configs:
        raise InputError(f"chinese(): to must be 'traditional' or 'simplified', got {to!r}")
    return str(_opencc(configs[to]).convert(text))


def _sanscript():  # type: ignore[no-untyped-def]
    return require("indic_transliteration.sanscript", "Devanagari transliteration")


def _check_devanagari(text: str, what: str) -> None:
    if any(unicodedata.name(c, "").startswith("DEVANAGARI") for c in text):
        raise TransliterationError(f"{what}: {text!r} kept Devanagari characters the scheme cannot map")


def iso15919(text: str) -> str:
    """Devanagari -> ISO 15919 romanization (``"एक लाल"`` -> ``"ēka lāla"``: the inherent vowel is
    written, as the standard does). Reversible by :func:`devanagari_from_iso15919`."""
    s = _sanscript()
    # the danda is punctuation: ISO 15919 writes it as a full stop
    text = text.replace("\u0965", "..").replace("\u0964", ".")
    out = unicodedata.normalize("NFC", s.transliterate(text, s.DEVANAGARI, s.ISO))
    _check_devanagari(out, "Devanagari -> ISO 15919")
    return out


def devanagari_from_iso15919(text: str) -> str:
    """ISO 15919 -> Devanagari (the inverse of :func:`iso15919`)."""
    s = _sanscript()
    return s.transliterate(unicodedata.normalize("NFC", text), s.ISO, s.DEVANAGARI)


#: Arabic short vowels and signs (fatha ... sukun) that written Urdu leaves out
_HARAKAT = re.compile("[\u064b-\u0652]")


def urdu_diacritized(text: str) -> str:
    """Devanagari Hindi -> Perso-Arabic (Urdu) script with every short vowel written as a diacritic
    (indic-transliteration's ``urdu`` scheme); reversible by :func:`devanagari_from_urdu`."""
    s = _sanscript()
    # the scheme has no candra vowels (English "o" and "e" in क्रॉस, बैट): Urdu writes them as و and ے
    text = text.replace("ऑ", "ओ").replace("ॉ", "ो").replace("ॅ", "े").replace("ऍ", "ए")
    text = text.replace("\u0964", "\u06d4")  # danda -> Urdu full stop
    out = s.transliterate(text, s.DEVANAGARI, s.URDU if hasattr(s, "URDU") else "urdu")
    _check_devanagari(out, "Devanagari -> Urdu")
    return out


def devanagari_from_urdu(text: str) -> str:
    """The inverse of :func:`urdu_diacritized` (it needs the diacritics)."""
    s = _sanscript()
    return s.transliterate(text, s.URDU if hasattr(s, "URDU") else "urdu", s.DEVANAGARI)


#: nukta letters the Urdu scheme reads back as another letter, folded before comparing consonants
_NUKTA_FOLD = str.maketrans({"ळ": "ल", "ऱ": "र", "ऴ": "ल"})


def devanagari_consonants(text: str) -> str:
    """The consonant letters of ``text`` in order (vowels, signs and other scripts dropped): what a
    letter-by-letter script change must keep when the vowels cannot be carried exactly."""
    # NFC splits क़ ड़ ... (composition exclusions) into letter + nukta; the nukta goes
    text = unicodedata.normalize("NFC", text).replace("\u093c", "")
    return "".join(c for c in text.translate(_NUKTA_FOLD) if "\u0915" <= c <= "\u0939")


def urdu(text: str) -> str:
    """Devanagari Hindi -> Urdu as it is written: :func:`urdu_diacritized` without its short-vowel
    diacritics, a doubled consonant (written with a virama in Devanagari) written once.

    A letter-by-letter scheme, not Urdu spelling: Persian and Arabic loanwords keep their
    Hindi spelling (``ज़`` is ز, but ``स`` is always س, never ص or ث). The scheme's way back
    (:func:`devanagari_from_urdu`) merges some vowels, so the check is on consonants: the
    diacritized text read back must hold the same consonants in the same order
    (:func:`devanagari_consonants`), else :class:`TransliterationError`.
    """
    full = urdu_diacritized(text)
    if devanagari_consonants(devanagari_from_urdu(full)) != devanagari_consonants(text):
        raise TransliterationError(f"Devanagari -> Urdu: {text!r} does not read back with the same consonants "
                                   f"({devanagari_from_urdu(full)!r})")
    out = _HARAKAT.sub("", full)
    return re.sub("([\u0620-\u064a\u0671-\u06d3])\\1", r"\1", out)  # letters only: "55" stays
