"""Serbian and Kazakh Cyrillic <-> Latin, Chinese through OpenCC, Devanagari -> ISO 15919 and Urdu."""

from __future__ import annotations

import pytest

from mmx.text import alphabets as A


@pytest.mark.parametrize("cyr, lat", [("Љубљана", "Ljubljana"), ("џеп и ђак", "džep i đak"),
                                      ("Њива, ЋУПРИЈА", "Njiva, ĆUPRIJA"), ("ЏЕП", "DŽEP")])
def test_serbian_both_ways(cyr: str, lat: str) -> None:
    assert A.serbian_latin(cyr) == lat
    assert A.serbian_cyrillic(lat) == cyr


def test_serbian_rejects_letters_serbian_lacks() -> None:
    with pytest.raises(A.TransliterationError, match="'ы'"):
        A.serbian_latin("мы")


@pytest.mark.parametrize("cyr, lat", [("Қазақстан", "Qazaqstan"), ("ұлттық әуен", "ūlttyq äuen"),
                                      ("бір өлшем", "bır ölşem"), ("ми минор", "mi minor"), ("Ірі", "Irı")])
def test_kazakh_2021_latin_both_ways(cyr: str, lat: str) -> None:
    assert A.kazakh_latin(cyr) == lat
    assert A.kazakh_cyrillic(lat) == cyr


def test_kazakh_latin_merges_what_the_alphabet_merges() -> None:
    # И and Й share İ; the soft sign is dropped: these do not come back
    assert A.kazakh_latin("ай") == "ai" and A.kazakh_cyrillic("ai") == "аи"
    assert A.kazakh_latin("вальс") == "vals" and A.kazakh_cyrillic("vals") == "валс"
    assert A.kazakh_latin("Иә") == "İä"


def test_chinese_both_ways() -> None:
    hans = "一张桌子上有两只猫和一个红色的钟"
    hant = A.chinese(hans, "traditional")
    assert hant == "一張桌子上有兩隻貓和一個紅色的鐘"
    assert A.chinese(hant, "simplified") == hans
    with pytest.raises(Exception, match="traditional"):
        A.chinese(hans, "cantonese")


def test_iso15919_round_trip() -> None:
    text = "एक लाल कुत्ता और दो नीली बिल्लियाँ"
    iso = A.iso15919(text)
    assert iso == "ēka lāla kuttā aura dō nīlī billiyām̐"
    assert A.devanagari_from_iso15919(iso) == text


def test_urdu_keeps_the_consonants_and_drops_short_vowels() -> None:
    text = "एक लाल कुत्ता और दो नीली बिल्लियाँ"
    out = A.urdu(text)
    assert out == "اےک لال کتا اور دو نیلی بلیاں"
    assert not any("\u064b" <= c <= "\u0652" for c in out)  # no harakat
    full = A.urdu_diacritized(text)
    assert A.devanagari_consonants(A.devanagari_from_urdu(full)) == A.devanagari_consonants(text) == "कललकततरदनलबललय"
    assert A.urdu("एक क्रॉस") == "اےک کروس"  # candra o written as و


def test_urdu_failure_is_an_error_naming_the_text(monkeypatch) -> None:
    monkeypatch.setattr(A, "devanagari_from_urdu", lambda t: "क")
    with pytest.raises(A.TransliterationError, match="एक लाल"):
        A.urdu("एक लाल")
