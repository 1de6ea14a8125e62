"""Question phrasings the ``ocr-table`` baseline never saw: 2-3 per kind, as other people ask.

Same kinds and placeholders as :data:`mmx.eval.benches.mmcric.phrasings.PHRASINGS` (so the
generator's question functions fill them with the same names and numbers, and the answers
stay right), worded with other verbs, other word order, "tell me", "name the", cricket
slang (scalps, sundries, the rope) and imperative forms. None equals a generator phrasing
(a test checks). Where an answer's form is ambiguous (decimals, dismissal kinds, ties) the
question says so in its own words. The innings labels have other forms too ("the India
innings", "the second innings of India", "during ...").
"""

from __future__ import annotations

__all__ = ["INNINGS", "IN_INNINGS", "PHRASINGS", "TEST_INNINGS"]

#: innings labels (one is picked per match): a one-innings-each match, a Test innings
#: (``which``: first or second), and the ``{i}`` of a Test question
INNINGS: tuple[str, ...] = ("the {team} innings", "the innings of {team}")
TEST_INNINGS: tuple[str, ...] = ("the {which} innings of {team}", "the {team} {which} innings")
IN_INNINGS: tuple[str, ...] = (" during {label}", " in the course of {label}")

PHRASINGS: dict[str, tuple[str, ...]] = {
    # C1: direct lookup
    "runs": ("Tell me how many runs {p} made{i}.", "{p} got how many runs{i}?",
             "What was the individual score of {p}{i}?"),
    "balls": ("How many deliveries did {p} play{i}?", "Tell me the number of balls {p} faced{i}.",
              "{p} batted for how many balls{i}?"),
    "fours": ("Count the fours {p} struck{i}.", "How many boundaries of four did {p} hit{i}?",
              "Number of 4s hit by {p}{i}?"),
    "sixes": ("How many times did {p} clear the rope for six{i}?", "Tell me the number of sixes {p} struck{i}.",
              "Number of 6s hit by {p}{i}?"),
    "wickets": ("Tell me {p}'s wicket tally{i}.", "{p} picked up how many wickets{i}?",
                "How many scalps did {p} claim{i}?"),
    "conceded": ("How many runs were scored off the bowling of {p}{i}?", "Tell me the runs {p} gave away{i}.",
                 "{p} leaked how many runs{i}?"),
    "overs": ("How many overs were sent down by {p}{i}? Write it the cricket way, like 7 or 7.2.",
              "Tell me {p}'s overs{i}, in cricket notation (for example 4 or 9.5)."),
    "total": ("What did {t} make altogether in {l}?", "Tell me the final total of {l}.",
              "How many runs did {l} produce in all?"),
    "extras": ("How many runs came as extras in {l}?", "Tell me the number of sundries in {l}.",
               "What was the extras count in {l}?"),
    "dismissal": (
        "In what way did {p} get out{i}? Reply with one of: bowled, caught, lbw, run out, stumped, not out.",
        "What was the mode of dismissal of {p}{i}? Pick from bowled, caught, lbw, run out, stumped or not out.",
    ),
    "dismissed_by": ("Who got {p} out{i}? Name the bowler in full.",
                     "Name the bowler credited with the wicket of {p}{i}, first name and surname."),
    "fall": ("At what score did {l} lose its {k} wicket?", "What was the score at the fall of the {k} wicket in {l}?",
             "Tell me the team total when the {k} wicket went down in {l}."),
    # C2: arithmetic
    "strike_rate": ("Work out the strike rate of {p}{i}: runs per 100 balls faced, to two decimals.",
                    "What is {p}'s strike rate{i}? Answer as runs per hundred balls, two decimal places."),
    "economy": ("How many runs per over did {p} concede{i}? Two decimal places.",
                "Work out the economy of {p}{i}, in runs per over, to two decimals."),
    "run_rate": ("At what rate per over did {l} score? Give it to two decimal places.",
                 "Tell me the run rate of {l} in runs per over, two decimals."),
    "run_difference": ("How far apart were the scores of {a} and {b}{i}? Give the gap as a positive number or zero.",
                       "What is the gap between the runs of {a} and the runs of {b}{i}? Answer with a non-negative number."),
    "run_sum": ("Add up the runs of {a} and {b}{i}. What do you get?",
                "How many runs did {a} and {b} make between them{i}?"),
    "boundary_runs": ("How many runs did {p} make in boundaries, fours and sixes together{i}?",
                      "Tell me how many runs {p} hit in fours and sixes{i}."),
    "share": ("What share of the total of {l} did {p} contribute? Answer in percent, one decimal place.",
              "{p} scored what percentage of the total of {l}? Round to one decimal."),
    "off_bat": ("Leaving out extras, how many runs did the batters score in {l}?",
                "How many runs off the bat were there in {l}, not counting extras?"),
    "partnership": ("How many runs did the {k2}-wicket partnership put on in {l}?",
                    "How many runs were scored in {l} after the {k} wicket fell and before the {k2} went down?"),
    # C3: multi-step
    "top_scorer": ("Who made the most runs in {l}?", "Name the highest run-scorer of {l}.",
                   "Which player top-scored in {l}?"),
    "best_economy": (
        "Of the bowlers who sent down 2 overs or more in {l}, who conceded the fewest runs per over?",
        "Which bowler was the most economical in {l}, counting only those with at least 12 legal balls?",
    ),
    "most_wickets": ("Who was the leading wicket-taker in {l}?", "Name the bowler with the most wickets in {l}."),
    "count_over": ("How many players reached {n} runs in {l}?", "In {l}, how many batters made at least {n}?"),
    "result": ("How did the match end? Reply with the winning side's name, or with 'draw' or 'tie'.",
               "Who won the game? If nobody did, say 'draw' or 'tie'."),
    "winner": ("Who won the game?", "Which side came out on top in this match?"),
    "innings_margin": ("{team} won by an innings and how many runs?",
                       "{team} won by an innings; what was the run margin on top of it?"),
    "margin": ("What was {team}'s winning margin in {unit}?", "{team} won by how many {unit}?"),
    "total_difference": (
        "What is the difference between the totals of {l} and {l2}? Give a non-negative number.",
        "How many runs separated the totals of {l} and {l2}? Answer with a number of zero or more.",
    ),
    "match_sixes": ("Across both teams, how many sixes were struck in the match?",
                    "Count every six hit in this game. How many?"),
    "player_aggregate": ("What was {p}'s total across both innings of the match?",
                         "Adding both innings, how many runs did {p} make in the match?"),
    "team_aggregate": ("How many runs did {team} score over their two innings combined?",
                       "What is the sum of {team}'s two innings totals?"),
    "match_top_scorer": ("Who hit the top individual score of the whole match?",
                         "Which player made the biggest individual innings in this match?"),
    "bowler_match_wickets": ("What was {p}'s total wicket haul over the whole match?",
                             "Across every innings of the match, how many wickets did {p} take?"),
}
