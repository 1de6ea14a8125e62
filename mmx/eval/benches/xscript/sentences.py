"""The text families' items: sentences of one language in each of its written forms.

A text family (``hindustani_text``, ``chinese_text``, ``serbian_text``, ``kazakh_text``) asks
an embedder (capability ``embed``) to place each form of a sentence next to the same
sentence in the reference form. The sentences come from mmx's own generators, taken in
turn from two per language, so a pool mixes short and longer sentences:

- GenEval prompts (Hindi, Chinese), the specs of GenEval's COCO suite in a seeded order,
  written by :func:`.families.hindustani_forms` / :func:`.families.chinese_forms`;
- the tune descriptions of :mod:`.music` (Serbian, Kazakh), in a seeded order, converted by
  :func:`.families.serbian_forms` / :func:`.families.kazakh_forms`;
- the train notices of :mod:`.passages` (all four languages), in the forms it makes.

None of them is training text of the visual-text encoder (its recipe samples word lists,
locale names and faker text, never the benches' generators). Identical reference sentences
are kept once. A form whose conversion fails its check is listed in :attr:`Sentence.failed`
(the bench reports it as skipped); the reference form never fails.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import zip_longest

__all__ = ["SOURCES", "Sentence", "sentences"]

#: family -> the language of :mod:`.passages` and the sources taken in turn
SOURCES: dict[str, tuple[str, ...]] = {"hindustani_text": ("prompt", "notice"), "chinese_text": ("prompt", "notice"),
                                       "serbian_text": ("tune", "notice"), "kazakh_text": ("tune", "notice")}


@dataclass(frozen=True)
class Sentence:
    """One item: a key (unique in the family), where it comes from, and its forms."""

    key: str
    source: str
    forms: dict[str, str]
    #: form -> why its conversion failed
    failed: dict[str, str] = field(default_factory=dict)


def sentences(family: str, n: int, seed: int) -> list[Sentence]:
    """The first ``n`` distinct sentences of ``family`` (fewer when its sources run out), in
    the forms of :data:`.families.FAMILIES` ``[family]``, fixed by ``seed``."""
    from mmx.eval.benches.xscript.families import FAMILIES

    forms = FAMILIES[family].forms
    lang = family.removesuffix("_text")
    makers = {"prompt": _prompts, "tune": _tunes, "notice": _notices}
    streams = [makers[src](lang, seed, n) for src in SOURCES[family]]
    out: list[Sentence] = []
    seen: set[str] = set()
    for batch in zip_longest(*streams):
        for item in batch:
            if item is None:
                continue
            key, source, made, failed = item
            ref = made[forms[0]]
            if ref in seen:
                continue
            seen.add(ref)
            out.append(Sentence(key, source, {f: made[f] for f in forms if f in made},
                                {f: failed[f] for f in forms if f in failed}))
            if len(out) == n:
                return out
    return out


Item = tuple[str, str, dict[str, str], dict[str, str]]


def _prompts(lang: str, seed: int, n: int) -> Iterator[Item]:
    from mmx.eval.benches.xscript.families import chinese_forms, hindustani_forms
    from mmx.worlds.prompts import specs

    make: Callable[..., tuple[dict[str, str], dict[str, str]]] = {"hindustani": hindustani_forms,
                                                                  "chinese": chinese_forms}[lang]
    order = list(enumerate(specs("coco")))
    random.Random(f"xscript-text-prompts-{seed}").shuffle(order)
    for i, spec in order:
        made, failed = make(spec)
        yield f"prompt{i:03d}", "prompt", made, failed


def _tunes(lang: str, seed: int, n: int) -> Iterator[Item]:
    from mmx.eval.benches.xscript import music
    from mmx.eval.benches.xscript.families import kazakh_forms, serbian_forms

    describe, make = {"serbian": (music.serbian_description, serbian_forms),
                      "kazakh": (music.kazakh_description, kazakh_forms)}[lang]
    pool = music.tunes(seed)
    random.Random(f"xscript-text-tunes-{seed}").shuffle(pool)
    for tune in pool:
        made, failed = make(describe(tune))
        yield f"tune-{tune.id}", "tune", made, failed


def _notices(lang: str, seed: int, n: int) -> Iterator[Item]:
    from mmx.eval.benches.xscript import passages as P
    from mmx.text.alphabets import TransliterationError

    for p in P.passages(2 * n + 8, seed):  # a few spare: two notices may say the same
        made, failed = {}, {}
        for form, make in P.forms(lang, p).items():
            try:
                made[form] = make()[0]
            except TransliterationError as exc:
                failed[form] = str(exc)
        yield f"notice{p.id}", "notice", made, failed
