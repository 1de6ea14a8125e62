"""Question phrasings of the sealed held-out family: 2-3 per kind, none the generator's nor
the first unseen family's.

Same kinds and placeholders as :data:`mmx.eval.benches.mmcric.phrasings.PHRASINGS` (the
generator's question functions fill them with the same names and numbers, so the answers
stay right), worded as fans, commentators and quiz setters ask: questions led by the name
("{p}: runs?"), "what did ... finish on", "knock", "figures", "account for", "went for",
parenthesised instructions. Where an answer's form matters (decimals, dismissal kinds,
ties) the question says so in its own words. Innings labels take other forms too ("India's
batting effort", "innings number two for India", "over the course of ...").
"""

from __future__ import annotations

__all__ = ["INNINGS", "IN_INNINGS", "PHRASINGS", "TEST_INNINGS"]

#: innings labels (one is picked per match): a one-innings-each match, a Test innings
#: (``which``: first or second), and the ``{i}`` of a Test question
INNINGS: tuple[str, ...] = ("the {team} batting innings", "{team}'s batting effort", "{team}'s time at the crease")
TEST_INNINGS: tuple[str, ...] = ("{team}'s {which} turn at the crease", "the {which} time {team} batted")
IN_INNINGS: tuple[str, ...] = (" over the course of {label}", " within {label}")

PHRASINGS: dict[str, tuple[str, ...]] = {
    # C1: direct lookup
    "runs": ("What did {p} finish on{i}? Give the runs.", "{p}'s knock{i} was worth how many runs?",
             "Runs scored by {p}{i}, please."),
    "balls": ("{p} used up how many deliveries{i}?", "What was the ball count for {p}{i}?",
              "How many balls did it take {p}{i}, in all?"),
    "fours": ("{p} found the boundary for four how many times{i}?", "What was {p}'s tally of fours{i}?"),
    "sixes": ("{p} hit the ball over the ropes how many times{i}?", "What was {p}'s tally of sixes{i}?"),
    "wickets": ("{p} accounted for how many batters{i}?", "How many dismissals did {p} earn as a bowler{i}?",
                "What was the wickets column for {p}{i}?"),
    "conceded": ("{p} went for how many runs{i}?", "How expensive was {p}{i}? Give the runs against him.",
                 "Runs against {p}'s name in the bowling figures{i}?"),
    "overs": ("What was {p}'s overs count{i}? Use overs.balls, e.g. 6 or 6.3.",
              "{p} got through how many overs{i}? Write it as overs and balls, like 8.1."),
    "total": ("What did {l} add up to?", "{t} ended on what score in {l}?",
              "Final score of {l}, in runs?"),
    "extras": ("How many runs did the bowlers give away as extras in {l}?", "Extras tally for {l}?"),
    "dismissal": (
        "By what method was {p} dismissed{i}? Answer bowled, caught, lbw, run out, stumped or not out.",
        "{p}'s dismissal type{i}? One of: bowled / caught / lbw / run out / stumped / not out.",
    ),
    "dismissed_by": ("Whose wicket was {p}{i}? Give the bowler's full name.",
                     "{p} fell to which bowler{i}? Full name, please."),
    "fall": ("When the {k} wicket fell in {l}, what was the total?", "Score at the {k} wicket down in {l}?"),
    # C2: arithmetic
    "strike_rate": ("Calculate {p}'s batting strike rate{i} (runs for every 100 balls), 2 decimal places.",
                    "{p} scored at what strike rate{i}? Runs per hundred deliveries, to 2 dp."),
    "economy": ("Calculate the economy rate for {p}{i}: runs given per over, to 2 dp.",
                "{p} went at how many an over{i}? Give runs per over to two decimal places."),
    "run_rate": ("What was the scoring rate of {l} in runs an over? Two decimal places.",
                 "Runs per over for {l}, to 2 dp?"),
    "run_difference": ("How many more runs did one of {a} and {b} score than the other{i}? Give a number of 0 or more.",
                       "Subtract the smaller from the larger: runs by {a} versus runs by {b}{i}?"),
    "run_sum": ("Combine the scores of {a} and {b}{i}: how many runs?",
                "What do the runs of {a} and {b} total when added{i}?"),
    "boundary_runs": ("Of {p}'s runs{i}, how many were boundaries (fours plus sixes)?",
                      "Runs in boundaries by {p}{i}, counting both fours and sixes?"),
    "share": ("{p}'s runs were what per cent of the total of {l}? Give one decimal.",
              "As a percentage to one decimal place, how much of the total of {l} came from {p}?"),
    "off_bat": ("Take away the extras: how many runs did the batters themselves make in {l}?",
                "Runs from the bat alone in {l}?"),
    "partnership": ("What was the stand for the {k2} wicket worth in {l}?",
                    "Runs put on between the {k} and {k2} wickets falling in {l}?"),
    # C3: multi-step
    "top_scorer": ("Who led the run-scoring in {l}?", "Whose score was the highest in {l}?"),
    "best_economy": (
        "Counting bowlers with 2 or more overs in {l}, whose economy was the lowest?",
        "In {l}, which bowler (at least two overs bowled) gave away the fewest runs an over?",
    ),
    "most_wickets": ("Who had the most wickets to his name in {l}?", "Which bowler did the most damage in {l}, by wickets?"),
    "count_over": ("Count the batters who got to {n} runs or beyond in {l}.", "How many made {n}-plus scores in {l}?"),
    "result": ("What was the outcome? Give the team that won, or 'draw', or 'tie'.",
               "Match result? The winners' name, else 'draw' or 'tie'."),
    "winner": ("Which team took the win?", "Who were the winners of this game?"),
    "innings_margin": ("{team} had an innings victory: by an innings and how many runs?",
                       "Apart from the innings, how many runs was {team}'s margin of victory?"),
    "margin": ("How many {unit} did {team} win by?", "{team} took the win; what was the margin in {unit}?"),
    "total_difference": (
        "Take the total of {l} and the total of {l2}: how far apart were they? A number of zero or more.",
        "What was the gap in runs between the totals of {l} and {l2}? Non-negative number, please.",
    ),
    "match_sixes": ("What was the six count for the whole game, both sides included?",
                    "Sixes in the match altogether?"),
    "player_aggregate": ("{p}'s runs over both of his innings added together?",
                         "What did {p} make in the match, two innings combined?"),
    "team_aggregate": ("Add {team}'s two innings totals together: how many runs?",
                       "{team}'s match aggregate, both innings?"),
    "match_top_scorer": ("Who played the highest individual innings of the match?",
                         "Whose was the best single score in this game?"),
    "bowler_match_wickets": ("{p}'s wickets in the match, all innings counted?",
                             "Over the full match, how many batters did {p} dismiss?"),
}
