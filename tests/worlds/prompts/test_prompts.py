"""GenEval specs, English byte-identity, metadata files, variants and bad input."""

from __future__ import annotations

import hashlib
import json
from collections import Counter

import pytest

from mmx.errors import InputError
from mmx.worlds.prompts import (
    COCO_CLASSES,
    COLORS,
    LANGUAGES,
    SHAPES,
    parse_languages,
    render_prompt,
    specs,
    variants,
    write_metadata,
)

# SHA-256 of GenEval's prompts/evaluation_metadata.jsonl (djghosh13/geneval @ af4902f),
# which NeoBabel's m-GenEval English file equals byte for byte.
GENEVAL_SHA256 = "5c48e0813e812e3c373fa5c8ed07a8f0a483be30272b4427b0559c8048e67c13"


def test_english_metadata_is_byte_identical_to_geneval(tmp_path):
    (path,) = write_metadata(tmp_path, ["en"])
    assert path == tmp_path / "en" / "evaluation_metadata.jsonl"
    assert hashlib.sha256(path.read_bytes()).hexdigest() == GENEVAL_SHA256


def test_specs_follow_geneval_task_sizes_and_order():
    s = specs()
    assert len(s) == 553
    assert Counter(x["tag"] for x in s) == {"single_object": 80, "two_object": 99, "counting": 80, "colors": 94,
                                            "position": 100, "color_attr": 100}
    tags = [x["tag"] for x in s]
    assert tags == sorted(tags, key=["single_object", "two_object", "counting", "colors", "position",
                                     "color_attr"].index)
    assert sorted(x["include"][0]["class"] for x in s[:80]) == sorted(COCO_CLASSES)
    assert all("prompt" not in x for x in s)
    assert s[0] == {"tag": "single_object", "include": [{"class": "bench", "count": 1}]}
    assert s[180] == {"tag": "counting", "include": [{"class": "backpack", "count": 2}],
                      "exclude": [{"class": "backpack", "count": 3}]}
    # GenEval never colours a person
    assert not any(c["class"] == "person" for x in s for c in x["include"] if "color" in c)
    assert specs() == s and specs() is not s


def test_english_templates():
    s = specs()
    assert render_prompt(s[0], "en") == "a photo of a bench"
    assert render_prompt(s[180], "en") == "a photo of two backpacks"
    assert render_prompt(s[360], "en") == "a photo of a bird below a skateboard"  # include[1] is A
    spec = {"tag": "color_attr", "include": [{"class": "apple", "count": 1, "color": "orange"},
                                              {"class": "bus", "count": 1, "color": "red"}]}
    assert render_prompt(spec, "en") == "a photo of an orange apple and a red bus"
    assert render_prompt({"tag": "counting", "include": [{"class": "bus", "count": 3}]}, "en") == \
        "a photo of three buses"


def test_shapes_world_uses_the_same_procedure_over_shapes(tmp_path):
    s = specs("shapes")
    classes = {c["class"] for x in s for c in x["include"]}
    assert classes == set(SHAPES)
    assert {c["count"] for x in s for c in x["include"]} == {1, 2, 3, 4}
    assert Counter(x["tag"] for x in s)["single_object"] == len(SHAPES)
    assert len({json.dumps(x) for x in s}) == len(s)
    for code in LANGUAGES:
        for v in (None, *variants(code)):
            assert all(render_prompt(x, code, v) for x in s)
    (path,) = write_metadata(tmp_path, ["ru"], world="shapes")
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(s) and json.loads(lines[0])["prompt"].startswith("на фотографии ")


def test_languages_cover_neobabel_and_more_scripts():
    assert {"en", "zh", "nl", "fr", "hi", "fa"} <= set(LANGUAGES) and len(LANGUAGES) >= 8
    assert {"ru", "bn", "ar"} <= set(LANGUAGES)
    assert LANGUAGES["hi"] == "Hindi" and LANGUAGES["fa"] == "Persian"


@pytest.mark.parametrize("code", sorted(LANGUAGES))
def test_every_language_and_variant_renders_all_specs(code):
    s = specs()
    english = [render_prompt(x, "en") for x in s]
    for v in (None, *variants(code)):
        out = [render_prompt(x, code, v) for x in s]
        assert len(out) == 553
        for p in out:
            assert p and p == p.strip() and "  " not in p and not any(ch in p for ch in "{}[]")
        # distinct specs give distinct prompts, and a translation is not the English text
        assert len(set(out)) == 553
        if code != "en" and v != "en-first":  # en-first is English around nouns that may be spelled alike
            assert sum(a == b for a, b in zip(out, english)) == 0


def test_metadata_files_differ_only_in_prompt(tmp_path):
    paths = write_metadata(tmp_path, ["en", "fr", "hi", "fa"], variants=["roman", "en-first"])
    names = sorted(p.parent.name for p in paths)
    # English has no variants; French has no romanization
    assert names == sorted(["en", "fr", "hi", "fa", "hi-roman", "fa-roman", "fr-en-first", "hi-en-first",
                            "fa-en-first"])
    en = [json.loads(line) for line in (tmp_path / "en" / "evaluation_metadata.jsonl").read_text().splitlines()]
    for p in paths:
        recs = [json.loads(line) for line in p.read_text(encoding="utf-8").splitlines()]
        assert len(recs) == 553
        for a, b in zip(recs, en):
            assert list(a) == list(b)  # GenEval's key order: tag, include, [exclude,] prompt
            assert {k: v for k, v in a.items() if k != "prompt"} == {k: v for k, v in b.items() if k != "prompt"}
    hi = (tmp_path / "hi" / "evaluation_metadata.jsonl").read_text(encoding="utf-8")
    # readable UTF-8 as in NeoBabel's files, not ASCII escapes
    assert hi.splitlines()[0].endswith('"prompt": "एक बेंच की तस्वीर"}')


def test_unknown_language_lists_the_supported_codes():
    with pytest.raises(InputError) as err:
        render_prompt(specs()[0], "xx")
    msg = str(err.value)
    assert "'xx'" in msg and all(code in msg for code in LANGUAGES)
    with pytest.raises(InputError, match="supported are"):
        write_metadata("unused", ["fr", "klingon"])


def test_parse_languages():
    assert parse_languages("en, zh,hi,zh") == ["en", "zh", "hi"]
    assert parse_languages("all") == list(LANGUAGES)
    with pytest.raises(InputError, match="unknown language code 'de'"):
        parse_languages("en,de")
    with pytest.raises(InputError, match="no language given"):
        parse_languages(" , ")


def test_unknown_or_unavailable_variants(tmp_path):
    spec = specs()[0]
    with pytest.raises(InputError, match="unknown prompt variant 'pig-latin'"):
        render_prompt(spec, "fr", "pig-latin")
    with pytest.raises(InputError, match=r"not available for fr \(French\): it offers en-first, en-second"):
        render_prompt(spec, "fr", "roman")
    with pytest.raises(InputError, match=r"not available for en \(English\): it offers none"):
        render_prompt(spec, "en", "roman")
    with pytest.raises(InputError, match="unknown prompt variant"):
        write_metadata(tmp_path, ["hi"], variants=["latin"])
    assert not any(tmp_path.iterdir())  # nothing written before the check


def test_bad_specs_and_worlds():
    with pytest.raises(InputError, match="unknown prompt world 'lego'"):
        specs("lego")
    with pytest.raises(InputError, match="not a GenEval spec"):
        render_prompt({"tag": "nope", "include": []}, "fr")
    with pytest.raises(InputError, match="position spec"):
        render_prompt({"tag": "position", "include": [{"class": "cat"}, {"class": "dog"}]}, "fr")
    with pytest.raises(InputError, match="colour 'teal'"):
        render_prompt({"tag": "colors", "include": [{"class": "cat", "color": "teal"}]}, "fr")
    with pytest.raises(InputError):
        write_metadata("unused", [])
    assert len(COLORS) == 10
