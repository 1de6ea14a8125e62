"""The measuring parts of experiments/legibility.py and experiments/compression.py."""

from __future__ import annotations

import pytest

from mmx.text.distance import cer
from tests.helpers.scripts import load_script


@pytest.fixture(scope="module")
def legibility():
    return load_script("experiments/legibility.py")


@pytest.fixture(scope="module")
def compression():
    return load_script("experiments/compression.py")


def test_visual_fold_equates_spellings_drawn_alike(legibility) -> None:
    fold = legibility.visual_fold
    # Thai sara am, as the corpus writes it and as tesseract writes it (nikhahit + sara aa)
    assert cer(fold("กำไร"), fold("ก\u0e4d\u0e32ไร")) == 0.0
    assert cer("กำไร", "ก\u0e4d\u0e32ไร") > 0.0
    # a zero-width non-joiner after a Tamil virama draws nothing
    assert fold("செய்\u200c தி") == "செய் தி"
    # the Ethiopic full stop, written as two wordspaces
    assert fold("ነው፡፡") == fold("ነው።")
    # what differs on the page still differs
    assert fold("ن") != fold("ت")


def test_latin_runs_are_found_in_other_scripts(legibility) -> None:
    assert legibility.LATIN_RUN.search("با Marks و Spencer")
    assert not legibility.LATIN_RUN.search("در ساعت ۷:۵۵ صبح")


def test_script_families_and_their_means(compression) -> None:
    assert compression.family("hin_Deva") == "Indic"
    assert compression.family("zho_Hant") == "CJK"
    assert compression.family("xyz_Zzzz") == "other"
    rows = [{"language": "eng_Latn", "ratio": 2.0, "cer": 0.01, "trunc_cer": 0.5},
            {"language": "fra_Latn", "ratio": 4.0, "cer": 0.03, "trunc_cer": 0.7},
            {"language": "rus_Cyrl", "ratio": 3.0, "cer": None, "trunc_cer": 0.6}]
    fams = compression.by_family(rows)
    assert fams["Latin"] == pytest.approx({"languages": 2, "ratio": 3.0, "cer": 0.02, "trunc_cer": 0.6})
    assert fams["Cyrillic/Greek"]["cer"] is None
