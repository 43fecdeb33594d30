"""The claims component's word lists are data: an edited rule file changes what the rules find."""

from __future__ import annotations

import json

import pytest

from claimex.nlp.claim_rules import ClaimRules
from claimex.nlp.claims import extract_claims


def _edited(edit) -> ClaimRules:
    data = json.loads(json.dumps(ClaimRules.default().to_dict()))
    edit(data)
    return ClaimRules.from_dict(data)


def _keys(claims):
    return sorted((c["subject"], c["predicate"], c["object"], c["polarity"]) for c in claims)


@pytest.mark.parametrize("text, group, name, add, before, after", [
    # an influence on a condition is a relief unless a harmful word describes it
    ("Turmeric can have a big effect on arthritis.", "predicate_words", "harmful_words", "big",
     [("turmeric", "TREATS", "arthritis", "affirmed")], []),
    # "X-induced", "X-related": the first half of the word names a cause, not an object
    ("Ginger helps with stress-fuelled headaches.", "object_words", "cause_suffixes", "fuelled",
     [("ginger", "TREATS", "headache", "affirmed"), ("ginger", "TREATS", "stress", "affirmed")],
     [("ginger", "TREATS", "headache", "affirmed")]),
])
def test_a_rule_file_edit_of_a_word_list_changes_the_claims(nlp, text, group, name, add, before, after):
    doc = nlp(text)
    packaged = _keys(extract_claims(doc, ClaimRules.default()))
    if before is not None:
        assert packaged == before
    rules = _edited(lambda d: d[group][name].append(add))
    assert add in getattr(rules.words, name)
    assert _keys(extract_claims(nlp(text), rules)) == after
    assert packaged != after
