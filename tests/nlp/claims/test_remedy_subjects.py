"""Who a claim on a real article is about, when the remedies name a kind or a copula names them.

- "X and Y supplements", "X and Y teas": each remedy that names the kind is a subject, not the
  kind ("supplements") and not only the first one;
- "One herb that may help with anxiety is kava", "Kava is one herb that ...", "Turmeric is a
  powerful anti-inflammatory that relieves joint pain": the remedy the copula names for the kind
  or effect noun is the subject of what that noun's relative clause says, and so are the remedies
  another naming verb names ("Supplements that can ease joint pain include A and B");
The texts are written for these tests.
"""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("text, expected", [
    ("Fish oil and turmeric supplements may ease joint pain.",
     [("fish oil", "TREATS", "joint pain", "affirmed"), ("turmeric", "TREATS", "joint pain", "affirmed")]),
    ("Ginger and peppermint supplements can reduce nausea.",
     [("ginger", "TREATS", "nausea", "affirmed"), ("peppermint oil", "TREATS", "nausea", "affirmed")]),
    ("Both ashwagandha and rhodiola extracts help with stress.",
     [("ashwagandha", "TREATS", "stress", "affirmed"), ("rhodiola", "TREATS", "stress", "affirmed")]),
])
def test_each_remedy_naming_the_kind_is_a_subject(claims_of, text, expected):
    assert sorted(claims_of(text)) == expected


def test_each_remedy_naming_a_coordinated_kind_is_a_subject(claims_of):
    found = claims_of("Kava and chamomile teas may calm anxiety.")
    assert {c for c in found if c[1] == "TREATS"} == {("kava", "TREATS", "anxiety", "affirmed"),
                                                       ("chamomile", "TREATS", "anxiety", "affirmed")}


@pytest.mark.parametrize("text, expected", [
    ("One herb that may help with anxiety is kava.", [("kava", "TREATS", "anxiety", "affirmed")]),
    ("Kava is one herb that may help with anxiety.", [("kava", "TREATS", "anxiety", "affirmed")]),
    ("A popular supplement that eases joint pain is glucosamine.",
     [("glucosamine", "TREATS", "joint pain", "affirmed")]),
    ("The supplement that helped my joint pain the most was turmeric.",
     [("turmeric", "TREATS", "joint pain", "affirmed")]),
    ("Turmeric is a spice. Turmeric is a powerful anti-inflammatory that relieves joint pain.",
     [("turmeric", "HAS_EFFECT", "anti-inflammatory", "affirmed"), ("turmeric", "TREATS", "joint pain", "affirmed")]),
])
def test_the_remedy_a_copula_names_for_a_kind_is_the_subject(claims_of, text, expected):
    assert claims_of(text) == expected


def test_a_kind_the_copula_names_no_remedy_for_stays_no_subject(claims_of):
    assert claims_of("One herb that may help with anxiety is worth a try.") == []


def test_shortening_a_condition_treats_it(claims_of):
    assert claims_of("Echinacea is a plant. Echinacea may shorten the duration of the common cold.") == [
        ("echinacea", "TREATS", "common cold", "affirmed")]


def test_the_remedies_a_kind_with_a_relative_clause_includes_are_the_subjects(claims_of):
    assert claims_of("Supplements that can ease joint pain include glucosamine and chondroitin.") == [
        ("glucosamine", "TREATS", "joint pain", "affirmed"), ("chondroitin", "TREATS", "joint pain", "affirmed")]


def test_these_substances_are_the_constituents_just_named(claims_of):
    found = claims_of("Kratom is a tree. Kratom contains mitragynine and 7-hydroxymitragynine. "
                      "These substances bind to opioid receptors.")
    assert [c for c in found if c[1] == "ACTS_ON"] == [
        ("mitragynine", "ACTS_ON", "opioid receptors", "affirmed"),
        ("7-hydroxymitragynine", "ACTS_ON", "opioid receptors", "affirmed")]


def test_another_harms_word_is_no_trigger(claims_of):
    found = claims_of("Kava is a root. The most commonly reported effects of kava are an increase in heart rate "
                      "and elevated blood pressure.")
    assert found == [("kava", "CAUSES", "tachycardia", "affirmed"), ("kava", "CAUSES", "hypertension", "affirmed")]


def test_it_after_a_sentence_about_a_condition_is_no_remedy(claims_of):
    assert claims_of("Turmeric is a spice. Osteoarthritis is a joint disease. It destroys cartilage and "
                     "causes stiffness.") == []
    assert claims_of("Turmeric is a spice. Turmeric eases pain. It also reduces inflammation.") == [
        ("turmeric", "TREATS", "pain", "affirmed"), ("turmeric", "TREATS", "inflammation", "affirmed")]
