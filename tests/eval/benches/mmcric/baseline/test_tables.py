"""Table rebuilding finds every label, header word and innings title the cards print (one wording module)."""

from __future__ import annotations

import pytest

from mmx.eval.benches.mmcric.baseline.tables import _col_of, _label_of, _title_info
from mmx.eval.benches.mmcric.baseline.vocab import BAT_COLS as _BAT_COLS
from mmx.eval.benches.mmcric.baseline.vocab import BOWL_COLS as _BOWL_COLS
from mmx.eval.benches.mmcric.baseline.vocab import norm
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


def test_title_readings_keep_a_fixed_order_in_every_process() -> None:
    """Both readings of a title's score are noted, the second-pass number first, whatever the
    process's string hashing (they once came out of a set, and their order breaks repair ties)."""
    import os
    import subprocess
    import sys

    code = ("from mmx.eval.benches.mmcric.baseline.card_ocr import Box\n"
            "from mmx.eval.benches.mmcric.baseline.readcard import ReadInnings\n"
            "from mmx.eval.benches.mmcric.baseline.tables import _parse_title_score, _Row\n"
            "inn = ReadInnings()\n"
            "_parse_title_score(inn, _Row([Box(0, 0, 9, 9, 'India 1st innings'),"
            " Box(10, 0, 99, 9, '143/4 (18.2 ov)', num_text='142/4 (18.2 ov)')]))\n"
            "print(inn.readings['total'], inn.readings['overs'])")
    outs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                           env={**os.environ, "PYTHONHASHSEED": str(seed)}).stdout
            for seed in range(6)}
    assert outs == {"['142', '143'] ['18.2', '18.2']\n"}, outs
