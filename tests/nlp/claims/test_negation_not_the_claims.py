"""Negations that do not deny the claim in their sentence.

- a factive word negated ("many people don't realize kratom can cause addiction", "users are not
  aware that it is addictive": ``factive_words``): the clause is affirmed; "don't think" is not
  factive and still denies;
- a negated negative ("it is not uncommon for X to cause Y": ``negated_negatives``);
- an advice against combining ("should not be combined with", "never mix ... with":
  ``prohibitive_modals``, imperatives): the interaction is asserted;
- a denied status ("not approved by the FDA to treat pain") denies the approval (REGULATED), never
  the relief: no TREATS claim; an approval that is granted still reads the relief.
The texts are written for these tests.
"""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("text, expected", [
    ("Kratom is a tree. Many people don't realize kratom can cause addiction.",
     [("kratom", "CAUSES", "addiction", "affirmed")]),
    ("Kratom is a tree. Many users are not aware that kratom is addictive.",
     [("kratom", "CAUSES", "addiction", "affirmed")]),
    ("Kratom is a tree. It is not uncommon for kratom to cause constipation.",
     [("kratom", "CAUSES", "constipation", "affirmed")]),
    ("Kratom is a tree. I don't think kratom helps with pain.", [("kratom", "TREATS", "pain", "negated")]),
    ("Kratom is a tree. Kratom does not cause addiction.", [("kratom", "CAUSES", "addiction", "negated")]),
])
def test_a_negation_counts_only_where_it_denies_the_claim(claims_of, text, expected):
    assert claims_of(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Kratom is a tree. Kratom should not be combined with benzodiazepines.",
     [("kratom", "INTERACTS_WITH", "benzodiazepines", "affirmed")]),
    ("Kava is a root. Never combine kava with alcohol.", [("kava", "INTERACTS_WITH", "alcohol", "affirmed")]),
    ("Ginger is a root. Ginger does not interact with most medications.",
     [("ginger", "INTERACTS_WITH", "medications", "negated")]),
])
def test_an_advice_against_combining_asserts_the_interaction(claims_of, text, expected):
    assert claims_of(text) == expected


def test_a_denied_approval_is_no_denied_relief(claims_of):
    assert claims_of("Kratom is a tree. Kratom is not approved by the FDA to treat pain.") == [
        ("kratom", "REGULATED", "approved", "negated")]
    assert ("epidiolex", "TREATS", "seizures", "affirmed") in claims_of(
        "Epidiolex is a drug. Epidiolex is approved by the FDA to treat seizures.")


def test_a_denied_status_leaves_a_coordinated_clause_alone(claims_of):
    found = claims_of("Kava is a root. Kava is not approved as a medicine and has been linked to liver damage "
                      "in some users.")
    assert ("kava", "CAUSES", "liver damage", "affirmed") in found


@pytest.mark.parametrize("text, expected", [
    ("Kratom is a tree. No wonder people turn to kratom for pain.", [("kratom", "TREATS", "pain", "affirmed")]),
    ("Ginger is a root. There is no doubt that ginger eases nausea.", [("ginger", "TREATS", "nausea", "affirmed")]),
    ("Ginger is a root. There is no evidence that ginger cures cancer.", [("ginger", "TREATS", "cancer", "negated")]),
])
def test_a_negation_idiom_denies_nothing(claims_of, text, expected):
    assert claims_of(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Kratom is a tree. Opioids cause respiratory depression, but kratom does not.",
     [("opioids", "CAUSES", "respiratory depression", "affirmed"),
      ("kratom", "CAUSES", "respiratory depression", "negated")]),
    ("Gabapentin is a drug. Ibuprofen does not help nerve pain, but gabapentin does.",
     [("ibuprofen", "TREATS", "neuropathic pain", "negated"), ("gabapentin", "TREATS", "neuropathic pain", "affirmed")]),
    ("Kratom is a tree. Kratom does the job for my back pain.", []),
])
def test_a_bare_do_repeats_the_claim_for_its_subject(claims_of, text, expected):
    assert claims_of(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("CBD is a compound. THC is psychoactive, while CBD is not.",
     [("THC", "HAS_EFFECT", "psychoactive", "affirmed"), ("CBD", "HAS_EFFECT", "psychoactive", "negated")]),
    ("CBD is a compound. Although CBD does not cause euphoria, THC does.",
     [("CBD", "HAS_EFFECT", "euphoria", "negated"), ("THC", "HAS_EFFECT", "euphoria", "affirmed")]),
    ("Kratom is a tree. Opioids are highly addictive, but kratom is less so.", [("opioids", "CAUSES", "addiction", "affirmed")]),
])
def test_a_bare_be_or_do_after_a_contrast_repeats_the_claim(claims_of, text, expected):
    assert claims_of(text) == expected


def test_a_hypothetical_asserts_nothing_but_a_conditional_does(claims_of):
    found = claims_of("Kratom is a tree. If someone took 20 grams at once, it would be like taking a dose that could "
                      "cause respiratory depression.")
    assert not [c for c in found if c[1] == "CAUSES"]
    assert claims_of("Kratom is a tree. If you take too much kratom, it can cause nausea.") == [
        ("kratom", "CAUSES", "nausea", "affirmed")]
