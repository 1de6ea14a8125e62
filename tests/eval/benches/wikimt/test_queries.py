"""wikimt's genre queries: 6+ languages in 4+ scripts, paired across languages."""

from __future__ import annotations

from collections import Counter, defaultdict

from mmx.eval.benches.wikimt.queries import GENRES, LANGUAGES, genre_queries, genre_slug
from mmx.text.scripts import dominant_script

EXPECTED = {"en": "Latn", "de": "Latn", "fr": "Latn", "ru": "Cyrl", "hi": "Deva", "ar": "Arab", "zh": "Hani",
            "ja": "Kana"}


def test_languages_and_scripts() -> None:
    qs = genre_queries()
    assert len(LANGUAGES) >= 6 and LANGUAGES[0] == "en"
    by_lang = defaultdict(list)
    for q in qs:
        by_lang[q.language].append(q)
    assert set(by_lang) == set(LANGUAGES)
    for lang, items in by_lang.items():
        scripts = Counter(dominant_script(q.text) for q in items)
        # loanwords written in Latin letters (Japanese "R&B") may be a few; most are the language's script
        assert scripts.most_common(1)[0][0] == EXPECTED[lang], (lang, scripts)
    assert len({dominant_script(q.text) for q in qs}) >= 4


def test_every_query_has_its_pair_in_every_language() -> None:
    qs = genre_queries()
    pairs = defaultdict(set)
    for q in qs:
        pairs[q.language].add(q.pair)
    assert all(p == pairs["en"] for p in pairs.values())
    assert len(pairs["en"]) == 3 * len(GENRES)
    texts = defaultdict(set)
    for q in qs:
        texts[q.language].add(q.text)
    assert all(len(t) == 3 * len(GENRES) for t in texts.values())  # no two queries of a language alike


def test_only_asked_genres() -> None:
    qs = genre_queries(["Jazz"], ["en", "ja"])
    assert [q.text for q in qs] == ["jazz", "a song in the jazz genre", "a melody in the style of jazz",
                                     "ジャズ", "ジャズジャンルの曲", "ジャズ風のメロディー"]
    assert genre_slug("R&B") == "rnb" and qs[1].pair == "jazz-1"
