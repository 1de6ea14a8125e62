"""music21's ABC corpus: metadata, descriptions in seven languages, the fixed split."""

from __future__ import annotations

import random

import pytest

from mmx.errors import InputError
from mmx.music.corpus import LANGUAGES, Tune, describe, load_corpus, music_side, split_of, tune_meta

TUNE = """X:3
T:The Example Reel
R:reel
O:Europa, Mitteleuropa, Deutschland, Schlesien
N:"Lively"
S:some source
% a comment naming the collection
M:C|
L:1/8
K:Ador
|:A,B,CD EFGA|^c2 _B2 a'2 z2:|
"Am"A2 !trill!B2 [K:G] c4|]
"""

META = {"collection": "oneill", "key": "F#", "mode": "minor", "metre": "6/8", "type": "jig",
        "region": "Ireland", "tempo": "slow", "bars": 16, "low": "D4", "high": "B5"}


def test_metadata_from_the_tune_text() -> None:
    meta = tune_meta(TUNE, "essen")
    assert meta == {"collection": "essen", "key": "A", "mode": "dorian", "metre": "2/2", "type": "reel",
                    "region": "Germany", "tempo": "fast", "bars": 3, "low": "A3", "high": "A6"}


def test_music_side_keeps_only_what_plays() -> None:
    side = music_side(TUNE)
    assert side.splitlines()[:3] == ["M:C|", "L:1/8", "K:Ador"]
    for leak in ("T:", "R:", "O:", "N:", "S:", "X:", "% a comment"):
        assert leak not in side


def test_english_description_exact() -> None:
    assert describe(META) == ("A slow jig in F sharp minor, in 6/8 time, from Ireland, 16 bars long, "
                              "ranging from D4 to B5, from O'Neill's Music of Ireland.")


@pytest.mark.parametrize(
    ("lang", "needles"),
    [
        ("de", ["Jig in Fis-Moll", "6/8-Takt", "aus Irland", "langsam"]),
        ("fr", ["Gigue en fa dièse mineur", "d'Irlande", "16 mesures"]),
        ("ru", ["Джига, фа-диез минор", "из Ирландии", "16 тактов"]),
        ("hi", ["F शार्प माइनर", "आयरलैंड से", "16 बार"]),
        ("ar", ["جيغ", "فا دييز الصغير", "من أيرلندا"]),
        ("zh", ["升F小调的吉格舞曲", "来自爱尔兰", "共16小节"]),
    ],
)
def test_translated_descriptions(lang: str, needles: list[str]) -> None:
    text = describe(META, lang)
    for needle in needles:
        assert needle in text, text


def test_languages_cover_four_scripts_and_german_note_names() -> None:
    assert len(LANGUAGES) >= 6 and len({script for _, script in LANGUAGES.values()}) >= 4
    assert describe({"key": "B", "mode": "major"}, "de").startswith("Melodie in H-Dur")
    assert describe({"key": "Bb", "mode": "major"}, "de").startswith("Melodie in B-Dur")
    assert describe({"key": "Eb", "mode": "major"}, "de").startswith("Melodie in Es-Dur")
    with pytest.raises(InputError, match="no description templates"):
        describe(META, "xx")


def test_training_variants_shuffle_and_drop_clauses() -> None:
    rng = random.Random(0)
    texts = {describe(META, "en", rng, drop=0.3) for _ in range(30)}
    assert len(texts) > 10 and all(t.startswith("A slow jig in F sharp minor") for t in texts)


def test_split_is_by_music_not_by_name() -> None:
    a = Tune("x/1", "oneill", music_side(TUNE))
    b = Tune("y/2", "ryan", music_side(TUNE.replace("The Example Reel", "Another Title")))
    assert split_of(a) == split_of(b)


def test_fake_corpus_skips_bad_tunes_with_reasons(tmp_path) -> None:
    folder = tmp_path / "ryansMammoth"
    folder.mkdir()
    good = TUNE
    (folder / "a.abc").write_text(good + "\nX:4\nT:No body\nK:G\n\nX:5\nT:Open repeat\nK:G\n|:ab|cd|\n",
                                  encoding="utf-8")
    corpus = load_corpus(["ryan"], root=str(tmp_path))
    assert [t.id for t in corpus.tunes] == ["ryan/a/0"]
    assert corpus.skipped == {"ABC has no tune body": 1, "unbalanced repeats": 1}
    with pytest.raises(InputError, match="unknown music collection"):
        load_corpus(["nope"], root=str(tmp_path))
    with pytest.raises(InputError, match="no ABC files"):
        load_corpus(["essen"], root=str(tmp_path))


@pytest.mark.slow
def test_real_corpus_split_is_fixed_and_disjoint() -> None:
    corpus = load_corpus(["oneill", "ryan"])
    assert len(corpus.tunes) > 2500
    test = corpus.split("test")
    assert 0.04 < len(test) / len(corpus.tunes) < 0.12
    keys = {music_side(t.abc) for t in corpus.split("train")}
    assert not any(t.abc in keys for t in test)  # no tune on both sides
    assert all(t.meta.get("collection") in ("oneill", "ryan") for t in corpus.tunes)
    assert sum("type" in t.meta for t in corpus.tunes) > 0.6 * len(corpus.tunes)  # O'Neill's often lacks R:
