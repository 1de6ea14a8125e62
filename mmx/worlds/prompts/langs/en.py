"""English: GenEval's own templates, reproduced exactly (prompts/create_prompts.py).

The quirks are GenEval's and kept on purpose, since English must match its file
byte for byte: "an" before any vowel letter, plural "+es" after a final "s" and
"+s" otherwise ("skises"), and "a" even before a plural-looking class ("a red skis").
"""

from __future__ import annotations

from collections.abc import Callable

CODE = "en"
NAME = "English"
NATIVE = "English"
VARIANTS: tuple[str, ...] = ()
SG_FORMS = ("sg",)
PL_FORMS = ("pl",)
NUMBERS = {1: "one", 2: "two", 3: "three", 4: "four"}


def with_article(word: str) -> str:
    """GenEval's article rule: "an" before a vowel letter, else "a"."""
    return f"an {word}" if word[:1] in "aeiou" else f"a {word}"


def make_plural(name: str) -> str:
    """GenEval's plural rule: "+es" after a final "s", else "+s"."""
    return f"{name}es" if name.endswith("s") else f"{name}s"


def entry(cls: str) -> dict:
    return {"sg": cls, "pl": make_plural(cls)}


def lemma(e: dict) -> str:
    return e["sg"]


def counted(e: dict, n: int) -> str:
    return e["sg"] if n == 1 else e["pl"]


def _np(e: dict, count: int, color: str | None) -> str:
    if count != 1:
        return f"{NUMBERS[count]} {e.get('pl_' + str(count), e['pl'])}"
    return with_article(f"{color} {e['sg']}" if color else e["sg"])


def render(scene, entry: Callable[[str], dict] = entry, script: str = "native") -> str:
    o = scene.objects
    if scene.tag == "position":
        return f"a photo of {_np(entry(o[0].cls), 1, None)} {scene.relation} {_np(entry(o[1].cls), 1, None)}"
    phrases = [_np(entry(x.cls), x.count, x.color) for x in o]
    return "a photo of " + " and ".join(phrases)
