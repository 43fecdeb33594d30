"""The cue queries (claimex.nlp.cues.queries) on the plain dicts of ``doc._.claimex_cues``."""

from __future__ import annotations

import pytest

from claimex import schema
from claimex.nlp.cues import Cue, certainty_for, cue_strings, cues_for, cues_in, hedges_for, is_negated
from claimex.nlp.cues import negations_for, sentence_certainty, weakest_certainty


CUES = [
    {"start": 7, "end": 10, "kind": "hedge", "cue": "may", "certainty": "possible",
     "scope_start": 0, "scope_end": 40},
    {"start": 25, "end": 32, "kind": "negation", "cue": "without", "certainty": None,
     "scope_start": 33, "scope_end": 40},
    {"start": 45, "end": 52, "kind": "hedge", "cue": "suggest", "certainty": "probable",
     "scope_start": 53, "scope_end": 70},
]


def test_queries_on_plain_dicts():
    assert is_negated((33, 40), CUES) is True
    assert is_negated((30, 40), CUES) is False  # starts before the scope
    assert is_negated((25, 32), CUES) is False  # the cue itself
    assert negations_for((35, 38), CUES) == ["without"]
    assert hedges_for((33, 40), CUES) == ["may"]
    assert hedges_for((35, 60), CUES) == []
    assert hedges_for((35, 60), CUES, how="overlap") == ["may", "suggest"]
    assert hedges_for((0, 50), CUES, how="cue") == ["may"]
    assert certainty_for((35, 60), CUES, how="overlap") == "possible"
    assert certainty_for((55, 60), CUES) == "probable"
    assert sentence_certainty(CUES, (41, 80)) == "probable"
    assert [c.cue for c in cues_in(CUES, (0, 41))] == ["may", "without"]
    assert [c.cue for c in cues_in(CUES, (0, 80), kind="hedge")] == ["may", "suggest"]
    with pytest.raises(ValueError, match="how must be"):
        hedges_for((0, 1), CUES, how="near")


def test_queries_at_one_character_offset():
    # an int target is the character at that offset: inside a scope up to its last character
    assert is_negated(33, CUES) is True and is_negated(39, CUES) is True
    assert is_negated(40, CUES) is False  # the scope ends before offset 40
    assert is_negated(26, CUES) is False  # a character of the cue itself
    assert hedges_for(39, CUES) == ["may"] and hedges_for(40, CUES) == []
    assert [c.cue for c in cues_for(60, CUES, "hedge")] == ["suggest"]
    assert certainty_for(60, CUES) == "probable" and certainty_for(75, CUES) == "asserted"
    assert cue_strings([CUES[2], CUES[0], CUES[2]]) == ["may", "suggest"]


def test_cue_dict_round_trip():
    cue = Cue.from_dict(CUES[0])
    assert cue.to_dict() == CUES[0]


def test_certainty_grades_follow_the_schema_order():
    assert [weakest_certainty([grade]) for grade in schema.CERTAINTY] == list(schema.CERTAINTY)
    assert weakest_certainty(reversed(schema.CERTAINTY)) == schema.CERTAINTY[-1] == "speculative"
