"""Tests of mmx.text.scripts: the script of a character and of a string."""

from __future__ import annotations

import pytest

from mmx.text.scripts import DEVANAGARI, NEUTRAL, dominant_script, has_devanagari, script_of


@pytest.mark.parametrize(
    ("ch", "code"),
    [("a", "Latn"), ("क", "Deva"), ("१", "Deva"), ("ب", "Arab"), ("٣", "Arab"), ("ก", "Thai"),
     ("中", "Hani"), ("カ", "Kana"), ("я", "Cyrl"), ("5", "Zyyy"), (" ", "Zyyy"), ("।", "Zyyy"),
     ("\u0301", "Zinh"), ("\udce9", "Zzzz")],
)
def test_script_of(ch: str, code: str) -> None:
    assert script_of(ch) == code


def test_dominant_script_counts_letters_not_neutral_characters() -> None:
    assert dominant_script("विराट कोहली 82 (53)") == "Deva"
    # 5 Latin code points against 5 Devanagari ones (क ो ह ल ी): a tie goes to the first met
    assert dominant_script("Kohli कोहली") == "Latn"
    assert dominant_script("कोहली Kohli") == "Deva"
    assert dominant_script("Kohli, विराट कोहली") == "Deva"
    assert dominant_script("India vs पाकिस्तान") == "Deva"
    assert dominant_script("مرحبا world") == "Arab"
    assert dominant_script("१२") == "Deva"  # a script's own digits count for it
    assert dominant_script("12, 15 (3.5%)") is None
    assert dominant_script("") is None
    assert {script_of(c) for c in "12 ,.\u0301"} <= NEUTRAL


def test_has_devanagari() -> None:
    assert has_devanagari("Kohli कोहली")
    assert has_devanagari("१२")
    assert not has_devanagari("Kohli 12 ٣")
    assert not has_devanagari("")
    assert DEVANAGARI == "\u0900-\u097f"
