"""Finding cues in a Doc (claimex.nlp.cues.detect): longest match, pseudo-cues, POS and dependency
constraints, weak hedges, and the annotation a Doc must have."""

from __future__ import annotations

import pytest

from claimex.errors import ClaimexError
from claimex.nlp.cues import CueEntry, CueLexicon, find_cues, sentence_certainty


@pytest.mark.parametrize("text, expected", [
    # pseudo-negations
    ("Users report that kratom not only diminishes pain but also promotes a sense of calm.",
     [("hedge", "users report")]),
    ("While it may be safer than traditional opioids, kratom is not without its drawbacks.",
     [("hedge", "may")]),
    ("No, kratom is not an opioid.", [("negation", "not")]),
    ("Consult a doctor whether or not you use kratom.", [("hedge", "whether")]),
    # longest match across kinds: 'cannot' beats the weak hedge 'can'
    ("Kratom can improve sleep, but it cannot cure fibromyalgia.", [("hedge", "can"), ("negation", "cannot")]),
    # double negation / evidence status are hedges, not negations
    ("A role of kratom cannot be excluded.", [("hedge", "cannot be excluded")]),
    ("Its safety has not been established.", [("hedge", "not proven")]),
    ("The mechanisms are not fully understood.", [("hedge", "not fully understood")]),
    ("We do not know the exact cause of her pain.", [("hedge", "do not know")]),
    # the month is not a modal
    ("In May, kratom was banned.", []),
    # 'rule out' as a test to do is not a negation; 'ruled out' is
    ("Clinical history: rule out pneumonia.", []),
    ("Pneumonia was ruled out.", [("negation", "ruled out")]),
    # attributive 'negative' is not a negation; predicate 'negative' is
    ("Kratom has negative side effects.", []),
    ("The test was negative.", [("negation", "negative")]),
    ("Further research is needed to understand its long-term safety.",
     [("hedge", "further research is needed")]),
    ("Some anecdotal evidence suggests that Kratom can improve sleep quality.",
     [("hedge", "anecdotal"), ("hedge", "suggest"), ("hedge", "can")]),
    ("Kratom for fibromyalgia support is being explored by many people.", [("hedge", "being explored")]),
])
def test_cue_matching(nlp, text, expected):
    assert [(c.kind, c.cue) for c in find_cues(nlp(text))] == expected


def test_weak_hedges_off_drops_can(nlp):
    doc = nlp("Kratom can improve sleep and may reduce pain.")
    assert [c.cue for c in find_cues(doc)] == ["can", "may"]
    assert [c.cue for c in find_cues(doc, weak_hedges=False)] == ["may"]
    assert sentence_certainty(find_cues(doc, weak_hedges=False)) == "possible"


def test_invalid_matcher_pattern(nlp):
    lexicon = CueLexicon([CueEntry(cue="x", kind="negation", pattern=({"NOT_AN_ATTR": "x"},))])
    with pytest.raises(ClaimexError, match=r"\[E056\] Cue 'x' has an invalid spaCy Matcher pattern"):
        find_cues(nlp("x"), lexicon)


def test_unparsed_doc_is_refused(nlp):
    with pytest.raises(ClaimexError, match=r"\[E055\] claimex_cues needs DEP annotation .* 'parser'"):
        find_cues(nlp.make_doc("Kratom does not cause addiction."))
    assert find_cues(nlp.make_doc("")) == []
