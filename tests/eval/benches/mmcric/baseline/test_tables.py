"""Table rebuilding finds every label, header word and innings title the cards print (one wording module)."""

from __future__ import annotations

import pytest

from mmx.eval.benches.mmcric.baseline.tables import (
    _BAT_COLS,
    _BOWL_COLS,
    _col_of,
    _label_of,
    _title_info,
    norm,
)
from mmx.eval.benches.mmcric.wording import LANGS, WORDS, innings_name

LABELS = {"batter": "bat_head", "bowler": "bowl_head", "extras": "extras", "total": "total", "dnb": "dnb",
          "fow": "fow", "result": "result"}
BAT = {"R": "runs", "B": "balls", "4s": "fours", "6s": "sixes", "SR": "sr"}
BOWL = {"O": "overs", "M": "maidens", "R": "runs", "W": "wickets", "econ": "econ", "WD": "wides", "NB": "noballs"}


def test_norm() -> None:
    assert norm("बल्लेबाज़ी नहीं की:") == "बल्लेबाजीनहींकी"
    assert norm("Fall of wickets:") == "fallofwickets"


@pytest.mark.parametrize("lang", LANGS)
def test_every_printed_label_is_found(lang: str) -> None:
    for word, key in LABELS.items():
        assert _label_of(WORDS[lang][word]) == key, WORDS[lang][word]
    for word, key in BAT.items():
        assert _col_of(WORDS[lang][word], _BAT_COLS) == key, WORDS[lang][word]
    for word, key in BOWL.items():
        assert _col_of(WORDS[lang][word], _BOWL_COLS) == key, WORDS[lang][word]


@pytest.mark.parametrize(("lang", "team"), [("en", "New Zealand"), ("hi", "न्यूज़ीलैंड")])
def test_every_innings_title_is_read(lang: str, team: str) -> None:
    for k in range(1, 5):
        assert _title_info(f"{team} {innings_name(k, lang)}") == (team, k)
    assert _title_info(f"{team} {innings_name(3, lang)} {WORDS[lang]['follow_on']}")[1] == 3
