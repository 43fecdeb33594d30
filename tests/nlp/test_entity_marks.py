"""Lexicon words behind accents and other combining marks (issue 22, Low: "Entities silently missed
behind ... combining accents"): matched as the word without the marks, offsets into the text as it
is.  Zero-width characters, bidi controls and homoglyphs are repaired at ingest
(tests/ingest/test_hostile.py).  The sentences are written for this test."""

from __future__ import annotations

import pytest


def ents(nlp, text):
    doc = nlp(text)
    return [(doc.text[e["start"]:e["end"]], e["label"], e["canonical"], e["match"]) for e in doc._.claimex_ents]


@pytest.mark.parametrize("text, expected", [
    # a precomposed accented letter, a combining acute after the last letter, one inside the word
    ("Krat\u00f3m may relieve pain.", [("Krat\u00f3m", "SUBSTANCE", "kratom", "fuzzy"),
                                       ("pain", "CONDITION", "pain", "lexicon")]),
    ("Kratom\u0301 may relieve pain.", [("Kratom\u0301", "SUBSTANCE", "kratom", "fuzzy"),
                                        ("pain", "CONDITION", "pain", "lexicon")]),
    ("Turmer\u00edc may reduce inflammati\u00f3n.", [("Turmer\u00edc", "SUBSTANCE", "turmeric", "fuzzy"),
                                                    ("inflammati\u00f3n", "CONDITION", "inflammation", "fuzzy")]),
    # accented words that are no lexicon term stay unmatched
    ("The caf\u00e9 sells kratom.", [("kratom", "SUBSTANCE", "kratom", "lexicon")]),
])
def test_a_lexicon_word_behind_combining_marks_is_found(nlp, text, expected):
    assert ents(nlp, text) == expected


def test_the_claim_behind_the_marked_word_is_found(nlp):
    doc = nlp("Kratom\u0301 may relieve chronic pain.")
    assert [(c["subject"], c["predicate"], c["object"]) for c in doc._.claimex_claims] == [
        ("kratom", "TREATS", "chronic pain")]
