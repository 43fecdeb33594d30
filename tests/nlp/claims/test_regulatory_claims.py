"""REGULATED claims (claimex.nlp.claims.regulatory_claims) through the full pipeline.

The status a sentence gives a substance ("approved", "banned", "legal", ...)
is the claim's object; "has not approved" and "illegal" state the status
negated.  The sentences are written for these tests.
"""

from __future__ import annotations

import pytest


def regulated(nlp, text: str, start: int = 0):
    """(subject, subject_text, object, object_text, polarity) of each REGULATED claim from ``start`` on."""
    doc = nlp(text)
    return [(c["subject"], c["subject_text"], c["object"], c["object_text"], c["polarity"])
            for c in doc._.claimex_claims if c["predicate"] == "REGULATED" and c["start"] >= start]


def test_has_not_approved_is_approved_negated(nlp):
    assert regulated(nlp, "The FDA has not approved kratom for any medical use.") == [
        ("kratom", "kratom", "approved", "approved", "negated")]


def test_banned_is_affirmed(nlp):
    assert regulated(nlp, "Several states have banned kratom.") == [
        ("kratom", "kratom", "banned", "banned", "affirmed")]


def test_illegal_is_legal_negated(nlp):
    assert regulated(nlp, "Kratom is illegal in Alabama.") == [
        ("kratom", "Kratom", "legal", "illegal", "negated")]


def test_legal_to_buy_after_a_sentence_about_kratom(nlp):
    first = "Kratom is a herbal supplement. "
    claims = regulated(nlp, first + "It is legal to buy kratom in most states.", start=len(first))
    assert [(s, o, p) for s, _, o, _, p in claims] == [("kratom", "legal", "affirmed")]


def test_not_a_controlled_substance_is_negated(nlp):
    assert regulated(nlp, "Kratom is not a controlled substance under federal law.") == [
        ("kratom", "Kratom", "controlled substance", "controlled", "negated")]


def test_pronoun_subject_is_the_main_substance(nlp):
    first = "Kratom comes from Southeast Asia. "
    # the subject is the article's substance by name ("It" has no entity span)
    assert regulated(nlp, first + "It is banned in Indiana.", start=len(first)) == [
        ("kratom", "kratom", "banned", "banned", "affirmed")]


@pytest.mark.parametrize("text", [
    "Kratom is a herbal supplement. Follow a dosing schedule of 2 grams of kratom.",
    "Doctors recommend a gradual tapering schedule for kratom users.",
])
def test_a_schedule_noun_is_no_regulation(nlp, text):
    # "scheduled" is a regulatory cue only as a verb
    assert regulated(nlp, text) == []


def test_dosing_schedule_sentence_keeps_its_dosage_claim(nlp):
    doc = nlp("Kratom is a herbal supplement. Follow a dosing schedule of 2 grams of kratom.")
    assert sorted((c["subject"], c["predicate"], c["object"]) for c in doc._.claimex_claims) == [
        ("kratom", "DOSAGE", "2 g")]


def test_recall_is_affirmed(nlp):
    assert regulated(nlp, "In 2024 the company announced a recall of its kratom capsules.") == [
        ("kratom", "kratom", "recall", "recall", "affirmed")]


def test_regulated_claim_row_spans_the_whole_sentence(nlp):
    text = "The FDA has not approved kratom for any medical use."
    (claim,) = [c for c in nlp(text)._.claimex_claims if c["predicate"] == "REGULATED"]
    assert (claim["start"], claim["end"]) == (0, len(text))
    assert claim["hedged"] is False and claim["certainty"] == "asserted"
