"""Spot checks of each language's grammar, on specs built by hand."""

from __future__ import annotations

import pytest

from mmx.worlds.prompts import render_prompt


def one(cls, color=None):
    c = {"class": cls, "count": 1}
    return {"tag": "colors" if color else "single_object", "include": [{**c, "color": color} if color else c]}


def count(cls, n):
    return {"tag": "counting", "include": [{"class": cls, "count": n}], "exclude": [{"class": cls, "count": n + 1}]}


def pos(a, rel, b):
    """a photo of an A <rel> a B (GenEval: include[0] is B, include[1] is A)."""
    return {"tag": "position", "include": [{"class": b, "count": 1},
                                           {"class": a, "count": 1, "position": [rel, 0]}]}


def pair(a, ca, b, cb):
    return {"tag": "color_attr", "include": [{"class": a, "count": 1, "color": ca},
                                             {"class": b, "count": 1, "color": cb}]}


def two(a, b):
    return {"tag": "two_object", "include": [{"class": a, "count": 1}, {"class": b, "count": 1}]}


CASES = [
    # French: gender of the article, adjective agreement after the noun, elision, plurals
    ("fr", one("cow", "red"), "une photo d'une vache rouge"),
    ("fr", one("cow", "white"), "une photo d'une vache blanche"),
    ("fr", one("cat", "white"), "une photo d'un chat blanc"),
    ("fr", one("giraffe", "green"), "une photo d'une girafe verte"),
    ("fr", one("car", "orange"), "une photo d'une voiture orange"),  # invariable
    ("fr", count("horse", 3), "une photo de trois chevaux"),
    ("fr", count("bus", 2), "une photo de deux bus"),
    ("fr", pos("cat", "left of", "dog"), "une photo d'un chat à gauche d'un chien"),
    ("fr", two("cat", "elephant"), "une photo d'un chat et d'un éléphant"),
    # Dutch: de/het and the inflected adjective, plurals, pairs
    ("nl", one("horse", "red"), "een foto van een rood paard"),
    ("nl", one("cat", "red"), "een foto van een rode kat"),
    ("nl", one("bench", "white"), "een foto van een wit bankje"),
    ("nl", count("cat", 3), "een foto van drie katten"),
    ("nl", count("skis", 2), "een foto van twee paar ski's"),
    ("nl", one("skis", "blue"), "een foto van een paar blauwe ski's"),
    ("nl", one("tie"), "een foto van een stropdas"),  # not "gelijkspel" (a sports draw)
    ("nl", pos("cat", "right of", "dog"), "een foto van een kat rechts van een hond"),
    # Chinese: measure words, 两 for two, relation after the reference object
    ("zh", one("cat"), "一只猫的照片"),
    ("zh", count("car", 3), "三辆汽车的照片"),
    ("zh", count("knife", 2), "两把刀的照片"),
    ("zh", one("book", "red"), "一本红色书的照片"),
    ("zh", one("airplane"), "一架飞机的照片"),
    ("zh", pos("cat", "above", "dog"), "一只猫在一只狗上方的照片"),
    ("zh", pair("cat", "red", "bed", "blue"), "一只红色猫和一张蓝色床的照片"),
    # Hindi: oblique before the postposition, agreement, postposition after B
    ("hi", one("dog"), "एक कुत्ते की तस्वीर"),
    ("hi", count("dog", 3), "तीन कुत्तों की तस्वीर"),
    ("hi", count("cat", 2), "दो बिल्लियों की तस्वीर"),
    ("hi", count("bear", 4), "चार भालुओं की तस्वीर"),
    ("hi", one("dog", "yellow"), "एक पीले कुत्ते की तस्वीर"),
    ("hi", one("cat", "yellow"), "एक पीली बिल्ली की तस्वीर"),
    ("hi", one("cat", "red"), "एक लाल बिल्ली की तस्वीर"),
    ("hi", pos("cat", "right of", "dog"), "एक कुत्ते के दाईं ओर एक बिल्ली की तस्वीर"),
    ("hi", two("cat", "dog"), "एक बिल्ली और एक कुत्ते की तस्वीर"),
    # Persian: singular after numerals, ezafe, preposition before B
    ("fa", one("cat"), "عکسی از یک گربه"),
    ("fa", count("cat", 3), "عکسی از سه گربه"),
    ("fa", one("cat", "red"), "عکسی از یک گربهٔ قرمز"),
    ("fa", one("pizza", "red"), "عکسی از یک پیتزای قرمز"),
    ("fa", one("cow", "black"), "عکسی از یک گاو سیاه"),
    ("fa", pos("cat", "left of", "dog"), "عکسی از یک گربه سمت چپ یک سگ"),
    # Russian: gender agreement, case after numerals and prepositions
    ("ru", one("cat", "red"), "на фотографии красная кошка"),
    ("ru", one("apple", "green"), "на фотографии зелёное яблоко"),
    ("ru", count("cat", 2), "на фотографии две кошки"),
    ("ru", count("chair", 3), "на фотографии три стула"),
    ("ru", count("dining table", 2), "на фотографии два обеденных стола"),
    ("ru", count("scissors", 2), "на фотографии двое ножниц"),
    ("ru", count("skis", 2), "на фотографии две пары лыж"),
    ("ru", pos("cat", "left of", "dog"), "на фотографии кошка слева от собаки"),
    ("ru", pos("cat", "above", "horse"), "на фотографии кошка над лошадью"),
    # Arabic: li- joined, dual for two, gender polarity of 3-4, colour agreement
    ("ar", one("cat"), "صورة لقطة"),
    ("ar", count("cat", 2), "صورة لقطتين"),
    ("ar", count("cat", 3), "صورة لثلاث قطط"),
    ("ar", count("dog", 3), "صورة لثلاثة كلاب"),
    ("ar", count("dog", 4), "صورة لأربعة كلاب"),
    ("ar", one("cat", "red"), "صورة لقطة حمراء"),
    ("ar", one("dog", "red"), "صورة لكلب أحمر"),
    ("ar", pair("cat", "red", "dog", "blue"), "صورة لقطة حمراء وكلب أزرق"),
    ("ar", pos("cat", "left of", "dog"), "صورة لقطة على يسار كلب"),
    # French "below" takes no "de"
    ("fr", pos("cat", "below", "dog"), "une photo d'un chat sous un chien"),
    # Bengali: classifier, genitive on the last noun only
    ("bn", one("cat"), "একটি বিড়ালের ছবি"),
    ("bn", one("book"), "একটি বইয়ের ছবি"),
    ("bn", count("car", 3), "তিনটি গাড়ির ছবি"),
    ("bn", two("cat", "dog"), "একটি বিড়াল ও একটি কুকুরের ছবি"),
    ("bn", pos("cat", "left of", "dog"), "একটি কুকুরের বাঁ দিকে একটি বিড়ালের ছবি"),
    ("bn", count("skis", 2), "দুই জোড়া স্কির ছবি"),
]


@pytest.mark.parametrize(("code", "spec", "want"), CASES, ids=[f"{c}-{w}" for c, _, w in CASES])
def test_grammar(code, spec, want):
    assert render_prompt(spec, code) == want


VARIANT_CASES = [
    # en-first: the English frame around the target language's nouns
    ("fr", "en-first", one("cow", "red"), "a photo of a red vache"),
    ("fr", "en-first", one("bird"), "a photo of an oiseau"),
    ("hi", "en-first", count("dog", 3), "a photo of three कुत्ते"),
    ("ru", "en-first", count("cat", 2), "a photo of two кошки"),
    ("zh", "en-first", pos("cat", "left of", "dog"), "a photo of a 猫 left of a 狗"),
    # en-second: the target frame and agreement around GenEval's English nouns
    ("fr", "en-second", one("cow", "red"), "une photo d'une cow rouge"),
    ("zh", "en-second", one("cat"), "一只 cat 的照片"),
    ("hi", "en-second", one("dog", "yellow"), "एक पीले dog की तस्वीर"),
    ("ru", "en-second", count("cat", 2), "на фотографии две cats"),
    ("bn", "en-second", one("cat"), "একটি cat-এর ছবি"),
    # roman: Hindi and Persian in Latin letters
    ("hi", "roman", one("dog", "yellow"), "ek peele kutte ki tasveer"),
    ("hi", "roman", count("cat", 2), "do billiyon ki tasveer"),
    ("hi", "roman", pos("cat", "left of", "dog"), "ek kutte ke baayin or ek billi ki tasveer"),
    ("fa", "roman", one("cat", "red"), "aksi az yek gorbe-ye ghermez"),
    ("fa", "roman", one("dog", "blue"), "aksi az yek sag-e abi"),
    ("fa", "roman", pos("cat", "below", "dog"), "aksi az yek gorbe zir-e yek sag"),
]


@pytest.mark.parametrize(("code", "variant", "spec", "want"), VARIANT_CASES,
                         ids=[f"{c}-{v}-{w}" for c, v, _, w in VARIANT_CASES])
def test_variants(code, variant, spec, want):
    assert render_prompt(spec, code, variant) == want
