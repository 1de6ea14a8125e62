"""Reading passages: a short templated notice with one exact answer, in each language's forms.

One item is a train notice (destination, departure time, platform, driver's name) and a
question about one of the four facts: a time, a number, a place or a name. The notice
is written by template in the language's own script; the other forms come from it
(Hindustani: ISO 15919 and Urdu by :mod:`mmx.text.alphabets`, the informal romanization
and the code-mixed form by their own templates; Serbian and Kazakh: Latin; Chinese:
Traditional by OpenCC). Times and platform numbers are in Western digits in every form,
so the forms differ in script only.

A name or place is right in any spelling the item has (``राहुल``, ``Rāhula``, ``Rahul``,
``راہل``): a model may answer in the script it was asked in or in another.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["FACTS", "LANGS", "Passage", "passages", "spellings"]

#: the facts a question asks for
FACTS: tuple[str, ...] = ("time", "number", "place", "name")


@dataclass(frozen=True)
class Lang:
    """One language's notice: places and names (in its script; Hindi also informal Latin),
    the notice, its questions, and the code-mixed notice where the language has one."""

    places: tuple[str, ...]
    names: tuple[str, ...]
    notice: str
    questions: dict[str, str]
    #: Hindi: the informal romanization of places and names, the notice and questions
    informal: tuple[tuple[str, ...], tuple[str, ...], str, dict[str, str]] | None = None
    #: Hindi frame with English nouns (English-second)
    mixed: tuple[str, dict[str, str]] | None = None


LANGS: dict[str, Lang] = {
    "hindustani": Lang(
        places=("दिल्ली", "मुंबई", "पटना", "जयपुर"), names=("राहुल", "सीमा", "अमित", "प्रिया"),
        notice="{place} जाने वाली गाड़ी {time} बजे प्लेटफ़ॉर्म {number} से छूटती है। चालक का नाम {name} है।",
        questions={"time": "गाड़ी कितने बजे छूटती है?", "number": "गाड़ी किस प्लेटफ़ॉर्म से छूटती है?",
                   "place": "गाड़ी कहाँ जाती है?", "name": "चालक का नाम क्या है?"},
        informal=(("Dilli", "Mumbai", "Patna", "Jaipur"), ("Rahul", "Seema", "Amit", "Priya"),
                  "{place} jaane waali gaadi {time} baje platform {number} se chhootati hai. Chaalak ka naam "
                  "{name} hai.",
                  {"time": "Gaadi kitne baje chhootati hai?", "number": "Gaadi kis platform se chhootati hai?",
                   "place": "Gaadi kahaan jaati hai?", "name": "Chaalak ka naam kya hai?"}),
        mixed=("{place} जाने वाली train {time} बजे platform {number} से छूटती है। Driver का नाम {name} है।",
               {"time": "Train कितने बजे छूटती है?", "number": "Train किस platform से छूटती है?",
                "place": "Train कहाँ जाती है?", "name": "Driver का नाम क्या है?"})),
    "serbian": Lang(
        places=("Београд", "Нови Сад", "Ниш", "Крагујевац"), names=("Марко", "Ана", "Никола", "Јована"),
        notice="Воз за {place} полази у {time} са перона {number}. Машиновођа се зове {name}.",
        questions={"time": "У колико сати полази воз?", "number": "Са ког перона полази воз?",
                   "place": "Куда иде воз?", "name": "Како се зове машиновођа?"}),
    # no Ь, Ъ or Russian-only letters: every Latin form converts back (families.kazakh_latin_checked)
    "kazakh": Lang(
        places=("Алматы", "Астана", "Шымкент", "Атырау"), names=("Ерлан", "Дана", "Нұрлан", "Әсел"),
        notice="{place} қаласына баратын поезд сағат {time}-да {number}-платформадан шығады. "
               "Машинистің аты — {name}.",
        questions={"time": "Поезд сағат нешеде шығады?", "number": "Поезд қай платформадан шығады?",
                   "place": "Поезд қай қалаға барады?", "name": "Машинистің аты кім?"}),
    "chinese": Lang(
        places=("北京", "上海", "广州", "西安"), names=("王伟", "李娜", "张伟", "刘洋"),
        notice="开往{place}的火车{time}从{number}号站台出发。司机叫{name}。",
        questions={"time": "火车几点出发？", "number": "火车从几号站台出发？", "place": "火车开往哪里？",
                   "name": "司机叫什么名字？"}),
}


@dataclass(frozen=True)
class Passage:
    """One item: the facts of the notice and which one the question asks."""

    id: str
    place: int
    name: int
    time: str
    number: str
    ask: str

    def fill(self, template: str, places: tuple[str, ...], names: tuple[str, ...]) -> str:
        return template.format(place=places[self.place], name=names[self.name], time=self.time,
                               number=self.number)


def passages(n: int, seed: int) -> list[Passage]:
    """``n`` items fixed by ``seed``, the four question kinds in turn."""
    rng = random.Random(f"xscript-passages-{seed}")
    out = []
    for i in range(n):
        out.append(Passage(id=f"{i:04d}", place=rng.randrange(4), name=rng.randrange(4),
                           time=f"{rng.randint(5, 22)}:{rng.choice(range(0, 60, 5)):02d}",
                           number=str(rng.randint(2, 12)), ask=FACTS[i % len(FACTS)]))
    return out


def forms(lang: str, p: Passage) -> dict[str, Callable[[], tuple[str, str, str]]]:
    """Form -> a maker of (notice, question, answer) for ``p`` in ``lang``; makers raise
    :class:`mmx.text.alphabets.TransliterationError` when a conversion fails."""
    from mmx.eval.benches.xscript.families import kazakh_latin_checked, serbian_latin_checked
    from mmx.text import alphabets as A

    L = LANGS[lang]

    def native() -> tuple[str, str, str]:
        return p.fill(L.notice, L.places, L.names), L.questions[p.ask], answer(p, L.places, L.names)

    def through(conv: Callable[[str], str]) -> Callable[[], tuple[str, str, str]]:
        def make() -> tuple[str, str, str]:
            notice, question, ans = native()
            return conv(notice), conv(question), conv(ans)
        return make

    if lang == "hindustani":
        assert L.informal is not None and L.mixed is not None
        places, names, notice, questions = L.informal
        mixed, mixed_q = L.mixed
        return {"deva": native, "iso15919": through(A.iso15919),
                "informal": lambda: (p.fill(notice, places, names), questions[p.ask], answer(p, places, names)),
                "urdu": through(A.urdu),
                "mix_en_second": lambda: (p.fill(mixed, L.places, L.names), mixed_q[p.ask],
                                          answer(p, L.places, L.names))}
    if lang == "serbian":
        return {"cyrl": native, "latn": through(serbian_latin_checked)}
    if lang == "kazakh":
        return {"cyrl": native, "latn": through(kazakh_latin_checked)}
    return {"hans": native, "hant": through(lambda t: A.chinese(t, "traditional"))}


def answer(p: Passage, places: tuple[str, ...], names: tuple[str, ...]) -> str:
    """The exact answer of ``p`` in the spelling of ``places`` / ``names``."""
    return {"time": p.time, "number": p.number, "place": places[p.place], "name": names[p.name]}[p.ask]


def spellings(lang: str, p: Passage) -> set[str]:
    """Every spelling of ``p``'s answer over the language's forms (those that convert)."""
    from mmx.text.alphabets import TransliterationError

    out = set()
    for make in forms(lang, p).values():
        try:
            out.add(make()[2])
        except TransliterationError:
            continue
    return out
