"""How mmcric's questions are worded: every phrasing of every question, in one place.

The generator (:mod:`mmx.eval.benches.mmcric.questions`) fills these templates
with names and numbers from a match. The ocr-table baseline does not read them:
it finds a question's intent with a multilingual encoder against descriptions of
its own (:mod:`mmx.eval.benches.mmcric.baseline.intents`), and a test checks that
every phrasing here is understood
(``tests/eval/benches/mmcric/baseline/test_ocr_table.py``).

Placeholders:

* ``{p}`` a player; ``{a}`` and ``{b}`` two players; ``{t}`` and ``{team}`` a team;
* ``{l}`` (and ``{l2}``) an innings label, :data:`INNINGS` or :data:`TEST_INNINGS`;
* ``{i}`` :data:`IN_INNINGS` in Tests (where players bat twice), else empty;
* ``{k}``, ``{k2}`` ordinal words (:data:`ORDINALS`); ``{n}`` a number;
  ``{unit}`` ``wickets`` or ``runs``.

Text after a template's first ``?`` is an instruction on the answer's form.
"""

from __future__ import annotations

__all__ = ["INNINGS", "IN_INNINGS", "ORDINALS", "PHRASINGS", "TEST_INNINGS"]

#: an innings in a one-innings-each format, and in a Test (``which``: first or second)
INNINGS = "{team}'s innings"
TEST_INNINGS = "{team}'s {which} innings"
#: the ``{i}`` of a Test question
IN_INNINGS = " in {label}"

ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")

#: question kind -> its phrasings (the generator picks one with ``rng.choice`` where
#: there are several; the order is part of the seeded output)
PHRASINGS: dict[str, tuple[str, ...]] = {
    # C1: direct lookup
    "runs": ("How many runs did {p} score{i}?", "What was {p}'s score{i}?", "How many runs were made by {p}{i}?"),
    "balls": ("How many balls did {p} face{i}?", "How many deliveries did {p} face{i}?"),
    "fours": ("How many fours did {p} hit{i}?",),
    "sixes": ("How many sixes did {p} hit{i}?",),
    "wickets": ("How many wickets did {p} take{i}?", "How many wickets were taken by {p}{i}?"),
    "conceded": ("How many runs did {p} concede{i}?", "How many runs were conceded by {p}{i}?"),
    "overs": ("How many overs did {p} bowl{i}? Answer in cricket notation, e.g. 3 or 3.4.",),
    "total": ("What was the total score of {l}?", "How many runs did {t} score in total in {l}?"),
    "extras": ("How many extras were conceded in {l}?",),
    "dismissal": (
        "How was {p} dismissed{i}? Answer with one of: bowled, caught, lbw, run out, stumped, not out.",
    ),
    "dismissed_by": ("Which bowler took the wicket of {p}{i}? Give the full name.",),
    "fall": ("What was the team score when the {k} wicket fell in {l}?",),
    # C2: arithmetic
    "strike_rate": (
        "What was {p}'s strike rate{i}? Give runs per 100 balls, rounded to two decimal places.",
        "Compute the strike rate of {p}{i} (runs per 100 balls faced), to 2 decimal places.",
    ),
    "economy": (
        "What was the economy rate of {p}{i}? Give runs conceded per over, rounded to two decimal places.",
        "Compute {p}'s economy{i} (runs per over) to 2 decimal places.",
    ),
    "run_rate": ("What was the run rate of {l}? Give runs per over, rounded to two decimal places.",),
    "run_difference": (
        "What is the difference between the runs scored by {a} and {b}{i}? Answer with a non-negative number.",
        "By how many runs did the scores of {a} and {b} differ{i}?",
    ),
    "run_sum": ("How many runs did {a} and {b} score together{i}?", "What is the combined score of {a} and {b}{i}?"),
    "boundary_runs": ("How many of {p}'s runs{i} came from fours and sixes?",),
    "share": ("What percentage of {l} total did {p} score? Round to one decimal place.",),
    "off_bat": ("How many runs in {l} came off the bat, that is excluding extras?",),
    "partnership": ("How many runs were added between the fall of the {k} and the {k2} wicket in {l}?",),
    # C3: multi-step
    "top_scorer": ("Who was the top scorer in {l}?", "Which batter scored the most runs in {l}?"),
    "best_economy": (
        "Among bowlers who bowled at least 2 overs in {l}, who had the best (lowest) economy rate?",
    ),
    "most_wickets": ("Which bowler took the most wickets in {l}?",),
    "count_over": ("How many batters scored {n} or more runs in {l}?",),
    "result": ("What was the result of the match? Answer with the winning team's name, or 'draw' or 'tie'.",),
    "winner": ("Which team won the match?",),
    "innings_margin": ("{team} won by an innings. By how many runs beyond the innings did they win?",),
    "margin": ("By how many {unit} did {team} win?",),
    "total_difference": ("By how many runs did {l} total differ from {l2} total? Answer with a non-negative number.",),
    "match_sixes": (
        "How many sixes were hit in the whole match?",
        "What was the total number of sixes in the match, both teams together?",
    ),
    "player_aggregate": ("How many runs did {p} score in the match, both innings together?",),
    "team_aggregate": ("What was {team}'s aggregate score over both of their innings?",),
    "match_top_scorer": ("Which batter made the highest individual score in the match?",),
    "bowler_match_wickets": ("How many wickets did {p} take in the match, across all innings?",),
}
