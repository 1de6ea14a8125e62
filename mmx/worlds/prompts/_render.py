"""Render specs in a language (and variant) and write GenEval-format metadata files."""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable, Iterable
from pathlib import Path
from types import ModuleType

from mmx.errors import InputError

from ._scene import scene
from ._specs import specs
from .langs import en

#: Language code -> module under ``langs/`` (one lexicon-and-grammar file each).
_MODULES = ("en", "zh", "nl", "fr", "hi", "fa", "ar", "ru", "bn")

#: The variants a prompt can be asked in (see :func:`render_prompt`).
VARIANTS: tuple[str, ...] = ("en-first", "en-second", "roman")


def _module(code: str) -> ModuleType:
    return importlib.import_module(f"{__package__}.langs.{code}")


#: Supported language codes -> English names.
LANGUAGES: dict[str, str] = {code: _module(code).NAME for code in _MODULES}


def _lang(language: str) -> ModuleType:
    if language not in LANGUAGES:
        raise InputError(f"unknown language code {language!r}: supported are "
                         + ", ".join(f"{c} ({n})" for c, n in LANGUAGES.items()))
    return _module(language)


def parse_languages(text: str) -> list[str]:
    """A command-line language list: ``"en,zh,hi"`` or ``"all"``; checked, in order, without repeats."""
    codes = list(LANGUAGES) if text.strip() == "all" else [c.strip() for c in text.split(",") if c.strip()]
    if not codes:
        raise InputError("no language given: pass codes like en,zh,hi or 'all' (" + ", ".join(LANGUAGES) + ")")
    for code in codes:
        _lang(code)
    return list(dict.fromkeys(codes))


def variants(language: str) -> tuple[str, ...]:
    """The variants ``language`` offers (English offers none: it is the base)."""
    return tuple(_lang(language).VARIANTS)


def _english_forms(mod: ModuleType) -> Callable[[str], dict]:
    """``mod``'s entries with every surface form replaced by GenEval's English word
    (singular or plural as the form is), keeping gender, measure words and the like."""

    def entry(cls: str) -> dict:
        e = dict(mod.entry(cls))
        sg, pl = cls, en.make_plural(cls)
        e.update({k: sg for k in mod.SG_FORMS})
        e.update({k: pl for k in mod.PL_FORMS})
        e["mixed"] = True
        return e

    return entry


def _target_forms(mod: ModuleType, script: str = "native") -> Callable[[str], dict]:
    """English entries whose nouns are ``mod``'s bare nouns (for the English frame)."""

    def entry(cls: str) -> dict:
        e = mod.entry(cls)
        out = {"sg": mod.lemma(e), "pl": mod.counted(e, 2)}
        out.update({f"pl_{n}": mod.counted(e, n) for n in (2, 3, 4)})
        return out

    return entry


def render_prompt(spec: dict, language: str, variant: str | None = None) -> str:
    """The prompt for one GenEval spec in ``language`` (a code of :data:`LANGUAGES`).

    Variants:

    - ``"en-first"``: code-mixed, English first. The sentence is English (GenEval's
      template, word order, articles, numbers, colours, relation words) and the
      object nouns are the target language's bare nouns, in the form the target
      uses after the number: "a photo of a red vache", "a photo of three कुत्ते".
    - ``"en-second"``: code-mixed, English second. The sentence is the target
      language's (its word order, articles, measure words, postpositions, gender and
      number agreement taken from the target noun) and the object nouns are
      GenEval's English nouns: "une photo d'une cow rouge", "一只 cat 的照片".
    - ``"roman"``: the target language in Latin letters (Hindi and Persian only;
      each module names its romanization).

    Unknown languages or variants, and a variant a language does not offer (any
    variant of English), raise :class:`~mmx.errors.InputError`.
    """
    mod = _lang(language)
    if variant is None:
        return mod.render(scene(spec), mod.entry, "native")
    if variant not in VARIANTS:
        raise InputError(f"unknown prompt variant {variant!r}: use one of {', '.join(VARIANTS)} (or none)")
    if variant not in mod.VARIANTS:
        offered = ", ".join(mod.VARIANTS) or "none"
        raise InputError(f"variant {variant!r} is not available for {language} ({mod.NAME}): "
                         f"it offers {offered}")
    sc = scene(spec)
    if variant == "en-first":
        return en.render(sc, _target_forms(mod))
    if variant == "en-second":
        return mod.render(sc, _english_forms(mod), "native")
    return mod.render(sc, mod.entry, "roman")


def variant_summary(languages: Iterable[str], variants: Iterable[str]) -> str:
    """``"; roman: hi (not offered by en, fr)"`` for each requested variant: the languages that
    got its folder and those that do not have it ("" without variants)."""
    langs = list(dict.fromkeys(languages))
    parts = []
    for v in dict.fromkeys(variants):
        have = [c for c in langs if v in _module(c).VARIANTS]
        lack = [c for c in langs if c not in have]
        parts.append(f"{v}: {', '.join(have) or 'none'}" + (f" (not offered by {', '.join(lack)})" if lack else ""))
    return "".join(f"; {p}" for p in parts)


def folder_name(language: str, variant: str | None = None) -> str:
    """The metadata folder for a language and variant: ``hi``, ``hi-roman``, ``hi-en-first``."""
    return language if variant is None else f"{language}-{variant}"


def write_metadata(out_dir: str | Path, languages: Iterable[str], world: str = "coco",
                   variants: Iterable[str] = ()) -> list[Path]:
    """Write ``DIR/<code>/evaluation_metadata.jsonl`` per language, plus
    ``DIR/<code>-<variant>/...`` for each variant the language offers.

    Records are GenEval's (``tag``, ``include``, ``exclude`` when present,
    ``prompt``; ``json.dumps`` with its default separators, UTF-8 text as in
    NeoBabel's files, one per line), identical
    across languages except ``prompt`` and in the same order, so the English file is
    byte-identical to GenEval's ``evaluation_metadata.jsonl``. A variant a language
    does not offer (any variant of English) is skipped for that language
    (:func:`variant_summary` says which); an unknown language or variant, or a variant
    that none of ``languages`` offers, raises :class:`~mmx.errors.InputError` before
    anything is written. Returns the paths written.
    """
    langs = list(dict.fromkeys(languages))
    wanted = list(dict.fromkeys(variants))
    for code in langs:
        _lang(code)
    for v in wanted:
        if v not in VARIANTS:
            raise InputError(f"unknown prompt variant {v!r}: use one of {', '.join(VARIANTS)}")
    if not langs:
        raise InputError("no language given: pass at least one of " + ", ".join(LANGUAGES))
    for v in wanted:
        if not any(v in _module(c).VARIANTS for c in langs):
            offered = "; ".join(f"{c} ({_module(c).NAME}) offers {', '.join(_module(c).VARIANTS) or 'none'}"
                                for c in langs)
            having = [c for c in LANGUAGES if v in _module(c).VARIANTS]
            raise InputError(f"variant {v!r} is not available for any language given: {offered}; "
                             f"{v} is offered by {', '.join(having)}")
    base = specs(world)
    jobs = [(c, None) for c in langs] + [(c, v) for c in langs for v in wanted if v in _module(c).VARIANTS]
    paths = []
    for code, variant in jobs:
        # UTF-8, not ASCII escapes, as NeoBabel's files are (English is ASCII either way)
        lines = [json.dumps({**s, "prompt": render_prompt(s, code, variant)}, ensure_ascii=False) for s in base]
        path = Path(out_dir) / folder_name(code, variant) / "evaluation_metadata.jsonl"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
        paths.append(path)
    return paths
