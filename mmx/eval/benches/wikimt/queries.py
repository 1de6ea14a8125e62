"""Genre queries in eight languages and six scripts, written for wikimt's genre retrieval.

WikiMT's descriptions are English only; to ask the cross-lingual question the bench writes
its own genre queries: three templates per language (the bare genre name, "a song in the
genre G", "a melody in the style of G") over WikiMT's eight genres. The same (genre,
template) in two languages is one pair, so per-language scores are paired with English's.
Genre names follow each language's usual word for the style (loanwords where the language
uses them: Japanese ジャズ, Russian джаз).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["GENRES", "LANGUAGES", "SCRIPTS", "GenreQuery", "genre_queries", "genre_slug"]

#: WikiMT's genres, in its own spelling
GENRES: tuple[str, ...] = ("Pop", "Jazz", "Country", "R&B", "Rock", "Folk", "Dance", "Latin")
#: query languages, English first (the reference of the gaps)
LANGUAGES: tuple[str, ...] = ("en", "de", "fr", "ru", "hi", "ar", "zh", "ja")
#: the script each language's queries are written in
SCRIPTS: dict[str, str] = {"en": "Latin", "de": "Latin", "fr": "Latin", "ru": "Cyrillic", "hi": "Devanagari",
                           "ar": "Arabic", "zh": "Han", "ja": "Katakana + Han/Hiragana"}

_NAMES: dict[str, dict[str, str]] = {
    "en": {"Pop": "pop", "Jazz": "jazz", "Country": "country", "R&B": "R&B", "Rock": "rock", "Folk": "folk",
           "Dance": "dance", "Latin": "Latin"},
    "de": {"Pop": "Pop", "Jazz": "Jazz", "Country": "Country", "R&B": "R&B", "Rock": "Rock", "Folk": "Folk",
           "Dance": "Tanzmusik", "Latin": "lateinamerikanische Musik"},
    "fr": {"Pop": "pop", "Jazz": "jazz", "Country": "country", "R&B": "R&B", "Rock": "rock", "Folk": "folk",
           "Dance": "musique de danse", "Latin": "musique latine"},
    "ru": {"Pop": "поп", "Jazz": "джаз", "Country": "кантри", "R&B": "ритм-н-блюз", "Rock": "рок", "Folk": "фолк",
           "Dance": "танцевальная музыка", "Latin": "латиноамериканская музыка"},
    "hi": {"Pop": "पॉप", "Jazz": "जैज़", "Country": "कंट्री", "R&B": "आर एंड बी", "Rock": "रॉक", "Folk": "लोक संगीत",
           "Dance": "डांस", "Latin": "लैटिन"},
    "ar": {"Pop": "البوب", "Jazz": "الجاز", "Country": "الكانتري", "R&B": "آر أند بي", "Rock": "الروك",
           "Folk": "الفولك", "Dance": "موسيقى الرقص", "Latin": "الموسيقى اللاتينية"},
    "zh": {"Pop": "流行", "Jazz": "爵士", "Country": "乡村", "R&B": "节奏布鲁斯", "Rock": "摇滚", "Folk": "民谣",
           "Dance": "舞曲", "Latin": "拉丁"},
    "ja": {"Pop": "ポップ", "Jazz": "ジャズ", "Country": "カントリー", "R&B": "R&B", "Rock": "ロック", "Folk": "フォーク",
           "Dance": "ダンス", "Latin": "ラテン"},
}

# {g}: the genre name above; template 0 is the bare name in every language
_TEMPLATES: dict[str, tuple[str, str, str]] = {
    "en": ("{g}", "a song in the {g} genre", "a melody in the style of {g}"),
    "de": ("{g}", "ein Lied aus dem Genre {g}", "eine Melodie im Stil von {g}"),
    "fr": ("{g}", "une chanson du genre {g}", "une mélodie dans le style {g}"),
    "ru": ("{g}", "песня в жанре {g}", "мелодия в стиле {g}"),
    "hi": ("{g}", "{g} शैली का एक गीत", "{g} शैली की एक धुन"),
    "ar": ("{g}", "أغنية من نوع {g}", "لحن بأسلوب {g}"),
    "zh": ("{g}", "一首{g}风格的歌曲", "一段{g}风格的旋律"),
    "ja": ("{g}", "{g}ジャンルの曲", "{g}風のメロディー"),
}


@dataclass(frozen=True)
class GenreQuery:
    """One query: its language, WikiMT genre, template number and text."""

    language: str
    genre: str
    template: int
    text: str

    @property
    def pair(self) -> str:
        """What the same query in every language shares: ``jazz-1``."""
        return f"{genre_slug(self.genre)}-{self.template}"


def genre_slug(genre: str) -> str:
    """A genre as an id part: ``R&B`` -> ``rnb``, ``Jazz`` -> ``jazz``."""
    return genre.lower().replace("&", "n").replace(" ", "_")


def genre_queries(genres: tuple[str, ...] | list[str] = GENRES,
                  languages: tuple[str, ...] | list[str] = LANGUAGES) -> list[GenreQuery]:
    """Every (language, genre, template) query for the known ``genres``, language by language."""
    out = []
    for lang in languages:
        for g in genres:
            if g not in _NAMES[lang]:
                continue
            for k, tpl in enumerate(_TEMPLATES[lang]):
                out.append(GenreQuery(lang, g, k, tpl.format(g=_NAMES[lang][g])))
    return out
