"""Language codes for OCR: corpus codes (``hin_Deva``) to tesseract packs, which
scripts each engine reads, which engine reads each language best (measured), and
which scripts are written without spaces.
"""

from __future__ import annotations

from mmx.errors import InputError

__all__ = [
    "SPACELESS_SCRIPTS",
    "TESS_WITH_ENG",
    "ignores_spaces",
    "preferred_engine",
    "rapidocr_covers",
    "split_code",
    "tesseract_pack",
]

#: CJK and Thai scripts: written without spaces between words (Chinese,
#: Japanese, Thai) or with spaces OCR engines often insert or drop (Korean), so
#: :func:`cer` callers pass ``ignore_spaces=True`` for them (see
#: :func:`ignores_spaces`). ``Hang`` is listed beside ``Kore`` because corpora
#: code Korean as ``kor_Hang``.
SPACELESS_SCRIPTS = frozenset(
    {"Hani", "Hans", "Hant", "Hira", "Kana", "Jpan", "Kore", "Hang", "Thai"}
)

#: Scripts the bundled PP-OCRv6 recogniser can write: its 18 710-character
#: dictionary holds CJK ideographs, kana and ~550 Latin letters, but only 62
#: Greek, 0 Cyrillic, 0 Hangul and no Arabic/Hebrew/Indic/Ethiopic/Thai letters
#: (checked against the model's embedded character list).
_RAPIDOCR_SCRIPTS = frozenset({"Latn", "Hani", "Hans", "Hant", "Jpan"})

# Engine choice, measured (2 cores, Pillow + raqm, Noto fonts at their default
# instance): 15 NTREX-128 sentences per language (every 13th of the 200 in
# shared/corpora/parallel), rendered at 12 px on a 16 px strip and at 7 px on a
# 14 px strip, read back with each engine, CER pooled over the lines (12/16 | 7/14):
#
#   language   rapidocr        tesseract       choice
#   eng_Latn   0.010 | 0.092   0.009 | 0.147   rapidocr
#   deu_Latn   0.009 | 0.107   0.008 | 0.157   rapidocr
#   fra_Latn   0.009 | 0.118   0.018 | 0.225   rapidocr
#   tur_Latn   0.012 | 0.176   0.005 | 0.215   rapidocr
#   swa_Latn   0.022 | 0.113   0.002 | 0.129   tesseract (near tie)
#   vie_Latn   0.117 | 0.252   0.016 | 0.257   tesseract (rapidocr lacks 13 % of the letters)
#   ell_Grek   0.288 | 0.643   0.066 | 0.229   tesseract (rapidocr lacks accented Greek)
#   zho_Hans   0.000 | 0.050   0.042 | 0.440   rapidocr
#   zho_Hant   0.000 | 0.187   0.068 | 0.506   rapidocr
#   jpn_Jpan   0.005 | 0.072   0.020 | 0.195   rapidocr
#
# Every other language of the set (Arabic, Cyrillic, Hebrew, Indic, Ethiopic,
# Thai, Hangul scripts) has no letters in the rapidocr model: tesseract only.
# The rule is "lower mean CER over both sizes".
_PREFERRED: dict[str, str] = {
    "eng_Latn": "rapidocr",
    "deu_Latn": "rapidocr",
    "fra_Latn": "rapidocr",
    "tur_Latn": "rapidocr",
    "swa_Latn": "tesseract",
    "vie_Latn": "tesseract",
    "ell_Grek": "tesseract",
    "zho_Hans": "rapidocr",
    "zho_Hant": "rapidocr",
    "jpn_Jpan": "rapidocr",
}

#: Unmeasured languages follow their script: rapidocr won 4 of the 6 Latin
#: languages and all three CJK ones above; every other script is tesseract's.
_PREFERRED_BY_SCRIPT: dict[str, str] = {
    "Latn": "rapidocr",
    "Hans": "rapidocr",
    "Hant": "rapidocr",
    "Hani": "rapidocr",
    "Jpan": "rapidocr",
}

#: tesseract packs read as ``<pack>+eng``. Adding ``eng`` helps only where the
#: text embeds many Latin names and the pack itself has no Latin letters: in the
#: measurement it cut Thai CER from 0.152 to 0.043 (12/16) and Tamil from 0.087
#: to 0.070, but made most other languages worse (Hindi 0.038 -> 0.048, Korean
#: 0.075 -> 0.151, Chinese 0.042 -> 0.063, and far worse at 7/14), because the
#: engine then mistakes small glyphs for Latin letters.
TESS_WITH_ENG = frozenset({"tha", "tam"})

# ISO 639-3 (+ script where it matters) -> tesseract traineddata name. Codes
# not listed are tried as-is: tesseract names most packs by ISO 639-3
# (``hin``, ``rus``, ``kaz``, ``amh`` ...).
_TESS_BY_LANG_SCRIPT: dict[str, str] = {
    "zho_Hans": "chi_sim",
    "zho_Hant": "chi_tra",
    "zho_Hani": "chi_sim",
    "cmn_Hans": "chi_sim",
    "cmn_Hant": "chi_tra",
    "yue_Hant": "chi_tra",
    "srp_Latn": "srp_latn",
    "uzb_Cyrl": "uzb_cyrl",
    "uzn_Cyrl": "uzb_cyrl",
    "aze_Cyrl": "aze_cyrl",
}
_TESS_BY_LANG: dict[str, str] = {
    # macrolanguage members and alternative codes used by corpora (FLORES, NTREX)
    "arb": "ara",
    "ary": "ara",
    "arz": "ara",
    "apc": "ara",
    "acm": "ara",
    "ajp": "ara",
    "pes": "fas",
    "prs": "fas",
    "zsm": "msa",
    "uzn": "uzb",
    "azj": "aze",
    "azb": "aze",
    "khk": "mon",
    "npi": "nep",
    "ory": "ori",
    "swh": "swa",
    "ekk": "est",
    "lvs": "lav",
    "als": "sqi",
    "pbt": "pus",
    "quy": "que",
    "ydd": "yid",
    "tgl": "fil",
    "zho": "chi_sim",
    "cmn": "chi_sim",
    "yue": "chi_tra",
    "nob": "nor",
    "nno": "nor",
}


def split_code(language: str) -> tuple[str, str]:
    """``"hin_Deva"`` -> ``("hin", "Deva")``; a bare ``"hin"`` gets an empty script."""
    if not isinstance(language, str) or not language.strip():
        raise InputError(f"language must be a code like 'hin_Deva', got {language!r}")
    lang, _, script = language.strip().replace("-", "_").partition("_")
    return lang.lower(), script[:1].upper() + script[1:].lower()


def ignores_spaces(language: str) -> bool:
    """Whether :func:`cer` should ignore whitespace for ``language`` (CJK and Thai)."""
    lang, script = split_code(language)
    return script in SPACELESS_SCRIPTS or (not script and lang in {"zho", "jpn", "kor", "tha"})


def tesseract_pack(language: str) -> str:
    """The tesseract traineddata name for a corpus code (``arb_Arab`` -> ``ara``)."""
    lang, script = split_code(language)
    key = f"{lang}_{script}"
    if key in _TESS_BY_LANG_SCRIPT:
        return _TESS_BY_LANG_SCRIPT[key]
    if lang == "jpn":
        return "jpn"
    if lang == "kor":
        return "kor"
    return _TESS_BY_LANG.get(lang, lang)


def rapidocr_covers(language: str) -> bool:
    """Whether the bundled PP-OCRv6 model has the letters of ``language``'s script."""
    lang, script = split_code(language)
    if script:
        return script in _RAPIDOCR_SCRIPTS
    return lang in {"zho", "cmn", "jpn", "eng"}


def preferred_engine(language: str) -> str | None:
    """The measured best engine for ``language`` (``_PREFERRED``, else by script), or None."""
    lang, script = split_code(language)
    return _PREFERRED.get(f"{lang}_{script}") or _PREFERRED_BY_SCRIPT.get(script)
