"""Each family's forms are the same content: digit values, round trips, OpenCC both ways."""

from __future__ import annotations

import unicodedata

import pytest

from mmx.errors import InputError
from mmx.eval.benches.xscript import families as F
from mmx.eval.benches.xscript import music
from mmx.text import alphabets as A
from mmx.text.digits import to_ascii_digits


def _specs(n: int = 3) -> list[dict]:
    from mmx.worlds.geneval import TAGS
    from mmx.worlds.prompts import specs

    base = specs("shapes")
    return [s for t in TAGS for s in [x for x in base if x["tag"] == t][:n]]


def test_digit_forms_have_the_same_value() -> None:
    nums = F.numbers(30, seed=0)
    assert nums == F.numbers(30, seed=0) and nums != F.numbers(30, seed=1)
    assert len(set(nums)) == 30 and all(3 <= len(n) <= 6 and n[0] != "0" for n in nums)
    for n in nums:
        forms = F.digit_forms(n)
        assert list(forms) == list(F.DIGIT_FORMS)
        assert {to_ascii_digits(t) for t in forms.values()} == {n}
        assert len(set(forms.values())) == len(F.DIGIT_FORMS)  # six different writings
    assert F.digit_forms("409")["thai"] == "๔๐๙" and F.digit_forms("456")["persian"] == "۴۵۶"


def test_hindustani_forms_are_one_prompt() -> None:
    for spec in _specs():
        forms, failed = F.hindustani_forms(spec)
        assert not failed and set(forms) == set(F.FAMILIES["hindustani"].forms)
        assert unicodedata.normalize("NFC", A.devanagari_from_iso15919(forms["iso15919"])) == \
            unicodedata.normalize("NFC", forms["deva"])
        assert A.devanagari_consonants(A.devanagari_from_urdu(A.urdu_diacritized(forms["deva"]))) == \
            A.devanagari_consonants(forms["deva"])
        assert forms["informal"].isascii() and not forms["urdu"].isascii()
        # code-mixed: English words in a Hindi frame and the other way round
        assert any(w.isascii() for w in forms["mix_en_second"].split())
        assert forms["mix_en_first"].startswith(("a photo of", "an ", "a "))


def test_hindustani_failed_form_is_reported_not_dropped(monkeypatch) -> None:
    def broken(text: str) -> str:
        raise A.TransliterationError(f"cannot write {text!r}")

    monkeypatch.setattr(A, "urdu", broken)
    forms, failed = F.hindustani_forms(_specs(1)[0])
    assert "urdu" not in forms and "cannot write" in failed["urdu"] and "deva" in forms


def test_chinese_forms_convert_both_ways() -> None:
    changed = 0
    for spec in _specs():
        forms, failed = F.chinese_forms(spec)
        assert not failed
        assert A.chinese(forms["hant"], "simplified") == forms["hans"]
        assert A.chinese(forms["hans"], "traditional") == forms["hant"]
        changed += forms["hant"] != forms["hans"]
    assert changed >= 3  # Traditional differs on most prompts (兩, 張, 隻 ...)


def test_serbian_and_kazakh_descriptions() -> None:
    pool = music.tunes(0)
    assert len(pool) == 40 and len({t.id for t in pool}) == 40 and pool == music.tunes(0)
    assert music.tunes(0)[0].abc != music.tunes(1)[0].abc
    kazakh_failed = 0
    for t in pool:
        forms, failed = F.serbian_forms(music.serbian_description(t))
        assert not failed and A.serbian_cyrillic(forms["latn"]) == forms["cyrl"]
        forms, failed = F.kazakh_forms(music.kazakh_description(t))
        if failed:
            kazakh_failed += 1
            assert t.type == "waltz" and "вальс" in failed["latn"] and "cyrl" in forms
        else:
            assert A.kazakh_cyrillic(forms["latn"]) == forms["cyrl"]
    assert kazakh_failed == 10  # every waltz: the 2021 alphabet drops the soft sign
    d = next(t for t in pool if t.id == "Dmaj-jig")
    assert music.serbian_description(d) == "Џига у Д-дуру, такт 6/8"
    assert music.kazakh_description(d) == "Ре мажордағы жига, өлшемі 6/8"


def test_parse_families() -> None:
    assert F.parse_families(None) == list(F.FAMILIES)
    assert F.parse_families("digits+scorecards") == ["digits", "scorecards"]
    assert F.parse_families("digits,digits") == ["digits"]
    # as the command line hands it over: --bench-args families=digits,scorecards,n_numbers=4
    from mmx.adapters.base import parse_model_args

    args = parse_model_args("families=digits,scorecards,n_numbers=4", option="--bench-args")
    assert F.parse_families(args["families"]) == ["digits", "scorecards"] and args["n_numbers"] == 4
    with pytest.raises(InputError, match=r"unknown family digit \(did you mean 'digits'\?\); families: digits, "):
        F.parse_families("digit")


@pytest.mark.parametrize("lang", ["hindustani", "serbian", "kazakh", "chinese"])
def test_passage_forms_are_one_notice(lang: str) -> None:
    from mmx.eval.benches.xscript import passages as P

    items = P.passages(12, seed=0)
    assert items == P.passages(12, seed=0) and {p.ask for p in items} == set(P.FACTS)
    fam = F.FAMILIES[f"{lang}_passages"]
    for p in items:
        made = {form: make() for form, make in P.forms(lang, p).items()}
        assert tuple(made) == fam.forms
        ref_notice, _, ref_answer = made[fam.forms[0]]
        for form, (notice, question, answer) in made.items():
            assert answer in notice and answer in P.spellings(lang, p) and question.endswith(("?", "？"))
            if p.ask in ("time", "number"):
                assert answer == ref_answer  # Western digits in every form
            if lang == "serbian" and form == "latn":
                assert A.serbian_cyrillic(notice) == ref_notice
            if lang == "kazakh" and form == "latn":
                assert A.kazakh_cyrillic(notice) == ref_notice.replace("й", "и")
            if lang == "chinese" and form == "hant":
                assert A.chinese(notice, "simplified") == ref_notice
            if lang == "hindustani" and form == "iso15919":
                back = to_ascii_digits(A.devanagari_from_iso15919(notice))  # it writes Devanagari digits
                assert unicodedata.normalize("NFC", back) == unicodedata.normalize("NFC", ref_notice.replace("।", "."))
            if lang == "hindustani" and form == "urdu":
                assert A.devanagari_consonants(A.devanagari_from_urdu(A.urdu_diacritized(ref_notice))) == \
                    A.devanagari_consonants(ref_notice)


def test_docs_join_families_as_the_code_reads_them() -> None:
    """README and docs/xscript.md agree with the code on how several families are written: every
    ``families=`` example parses through ``--bench-args`` into known families, and a separator
    a doc names ("joined with `,`") is the one its examples use."""
    import re
    from pathlib import Path

    from mmx.adapters.base import parse_model_args

    root = Path(__file__).resolve().parents[4]
    for doc in ("README.md", "docs/xscript.md"):
        text = (root / doc).read_text(encoding="utf-8")
        examples = re.findall(r"\b(families=[\w,+=]+)", text)
        assert examples, doc
        several = []
        for ex in examples:
            value = parse_model_args(ex, "--bench-args")["families"]
            assert all(name in F.FAMILIES for name in F.parse_families(value)), (doc, ex)
            if len(F.parse_families(value)) > 1:
                several.append(value)
        assert several, doc
        for sep in re.findall(r"joined with `(.)`", text):
            assert all(sep in value for value in several), (doc, sep, several)
