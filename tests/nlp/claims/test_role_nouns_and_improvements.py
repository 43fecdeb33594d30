"""Claim frames of issue 17 (the texts are written for these tests).

- a relief stated through the remedy's role: "X is an effective pain reliever", "X acts as a
  natural painkiller" (the tagged drug class names what the remedy relieves), with the
  conditions the predicate adds ("especially in cases of back pain") but not those a participle
  attaches ("joint pain associated with arthritis"); a question or a drug class with a kind
  ("prescription painkillers") is none;
- a change noun names its object through "in": "an improvement in nausea", "a decrease in
  nausea" are reliefs (no harm the remedy causes);
- the remedy of a usage gerund in the clause ("from using cannabis", "after using cannabis") is
  the subject of a relief with no subject of its own, even when the parser hangs the gerund on
  the last member of a list;
- a condition and a relief gerund written before the remedy without a hyphen ("this stress
  reducing herb", "a pain relieving kava tea"), which the parser reads as a clause;
- a symptom a relief adjective is "for" is treated, however the parser hangs the "for" ("as
  effective as ibuprofen for nausea" is no claim that ginger causes nausea);
- the condition of the people a relief is given to, stated in a relative clause ("used to treat
  people who have symptoms of anxiety", "helps people who suffer from anxiety");
- the remedies a relief noun lists after a colon inside its sentence ("options for anxiety:
  kava, valerian and lavender") are each its subject;
- "few side effects" beside a comparator ("Unlike ibuprofen, ginger causes few side effects") is
  SAFER_THAN it; without one it stays the harm the remedy causes (as the dev gold reads it);
- an efficacy comparison names what the remedy treats through "for" ("non-inferior to ibuprofen
  for knee pain", "superior to placebo for nausea"), affirmed for "non-inferior"/"not inferior";
  "inferior" alone, or a subject that is no remedy ("the results"), is no claim;
- a harm that only came next ("two days of heavy drinking followed by nausea") is no claim object;
- the constituent an effect is said to come from ("its calming benefits come from withanolides",
  "its sedating effects are due to mitragynine") has the effect too;
- a research-gap statement asserts nothing about its topic ("little to no research on its effect
  on mood" is no negated effect), while research that found something still does;
- more verbs change another drug ("speed up the breakdown of warfarin", "counteract the effects of
  blood thinners", "prolong the effects of sedatives"): INTERACTS_WITH when the main substance does it.
"""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("text, expected", [
    ("Willow bark is a herb. Research has shown willow bark to be an effective pain reliever, "
     "especially in cases of back pain.",
     [("white willow bark", "TREATS", "pain", "affirmed"), ("white willow bark", "TREATS", "back pain", "affirmed")]),
    ("Ginger is a root. Ginger acts as a natural pain reliever for people with arthritis.",
     [("ginger", "TREATS", "pain", "affirmed"), ("ginger", "TREATS", "arthritis", "affirmed")]),
    ("Willow bark is a herb. Willow bark is a natural painkiller.",
     [("white willow bark", "TREATS", "pain", "affirmed")]),
    ("Willow bark is a herb. Willow bark is not a painkiller.",
     [("white willow bark", "TREATS", "pain", "negated")]),
    ("Kratom is a plant. Willow bark may be an effective pain reliever for joint pain associated with arthritis.",
     [("white willow bark", "TREATS", "pain", "affirmed"), ("white willow bark", "TREATS", "joint pain", "affirmed")]),
])
def test_a_relief_role_noun_is_a_treats_claim(claims_of, text, expected):
    assert claims_of(text) == expected


@pytest.mark.parametrize("text", [
    "Willow bark is a herb. Is willow bark a good pain reliever?",
    "Kratom is a plant. Kratom is sometimes used as a substitute for prescription painkillers.",
])
def test_no_role_claim_without_a_predicate(claims_of, text):
    assert claims_of(text) == []


@pytest.mark.parametrize("text, expected", [
    ("Turmeric is a spice. Studies of ginger report improvements in nausea.",
     [("ginger", "TREATS", "nausea", "affirmed")]),
    ("Turmeric is a spice. Ginger led to an improvement in nausea.",
     [("ginger", "TREATS", "nausea", "affirmed")]),
    ("Turmeric is a spice. A decrease in nausea was seen after taking ginger.",
     [("ginger", "TREATS", "nausea", "affirmed")]),
])
def test_a_change_in_a_symptom_is_a_relief(claims_of, text, expected):
    assert claims_of(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Turmeric is a spice. Survey answers indicated improvements in pain reduction, quality of life "
     "and concentration, and few side effects from using cannabis.",
     ("cannabis", "TREATS", "pain", "affirmed")),
    ("Turmeric is a spice. The survey found improvements in anxiety after using cannabis.",
     ("cannabis", "TREATS", "anxiety", "affirmed")),
])
def test_the_remedy_used_in_the_clause_is_the_subject(claims_of, text, expected):
    got = claims_of(text)
    assert expected in got
    assert all(c[0] != "turmeric" for c in got)


@pytest.mark.parametrize("text, expected", [
    ("Kava is a root. This stress reducing herb should only be used by healthy adults.",
     [("kava", "TREATS", "stress", "affirmed")]),
    ("Kava is a root. This anxiety relieving herb is popular.",
     [("kava", "TREATS", "anxiety", "affirmed")]),
    ("Kava is a root. A pain relieving kava tea is easy to make.",
     [("kava", "TREATS", "pain", "affirmed")]),
    ("Kava is a root. Many pain relieving herbs exist.", []),
    ("Kava is a root. The pain relieving effect lasts hours.", []),
])
def test_an_unhyphenated_relief_before_the_remedy(claims_of, text, expected):
    assert claims_of(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Ginger is a root. Ginger was as effective as metoclopramide for nausea.",
     [("ginger", "TREATS", "nausea", "affirmed")]),
    ("Ginger is a root. Ginger is not effective for nausea.",
     [("ginger", "TREATS", "nausea", "negated")]),
    ("Kratom is a plant. Kratom is an effective remedy for withdrawal.",
     [("kratom", "TREATS", "withdrawal", "affirmed")]),
])
def test_a_symptom_a_relief_is_for_is_treated(claims_of, text, expected):
    assert claims_of(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Kava is a root. Kava is used to treat people who have symptoms of anxiety and insomnia.",
     [("kava", "TREATS", "anxiety", "affirmed"), ("kava", "TREATS", "insomnia", "affirmed")]),
    ("Kava is a root. Kava can help people who suffer from anxiety.",
     [("kava", "TREATS", "anxiety", "affirmed")]),
    ("Kava is a root. Kava can help people who have never tried it.", []),
])
def test_the_condition_of_the_people_a_relief_is_given_to(claims_of, text, expected):
    assert claims_of(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Kava is a root. There are several natural options for anxiety: kava, valerian and lavender.",
     [("kava", "TREATS", "anxiety", "affirmed"), ("valerian", "TREATS", "anxiety", "affirmed"),
      ("lavender", "TREATS", "anxiety", "affirmed")]),
    ("Kava is a root. Good remedies for insomnia: valerian and lavender.",
     [("valerian", "TREATS", "insomnia", "affirmed"), ("lavender", "TREATS", "insomnia", "affirmed")]),
    ("Kava is a root. Kava helps with anxiety: studies show it works.",
     [("kava", "TREATS", "anxiety", "affirmed")]),
])
def test_remedies_listed_after_a_colon(claims_of, text, expected):
    assert claims_of(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Ginger is a root. Unlike ibuprofen, ginger causes few side effects.",
     [("ginger", "SAFER_THAN", "ibuprofen", "affirmed")]),
    ("Ginger is a root. Unlike prescription painkillers, ginger has very few side effects.",
     [("ginger", "SAFER_THAN", "painkillers", "affirmed")]),
    ("Ginger is a root. Ginger has few side effects.",
     [("ginger", "CAUSES", "side effects", "affirmed")]),
])
def test_few_harms_beside_a_comparator(claims_of, text, expected):
    assert claims_of(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Ginger is a root. Ginger was non-inferior to ibuprofen for pain.",
     [("ginger", "TREATS", "pain", "affirmed")]),
    ("Ginger is a root. Ginger was not inferior to ibuprofen for pain.",
     [("ginger", "TREATS", "pain", "affirmed")]),
    ("Ginger is a root. Ginger extract was superior to placebo for nausea.",
     [("ginger", "TREATS", "nausea", "affirmed")]),
    ("Ginger is a root. Ginger was not superior to placebo for nausea.",
     [("ginger", "TREATS", "nausea", "negated")]),
    ("Ginger is a root. Ginger was inferior to ibuprofen for pain.", []),
    ("Ginger is a root. The results were comparable to placebo for headache.", []),
])
def test_an_efficacy_comparison_names_what_is_treated(claims_of, text, expected):
    assert claims_of(text) == expected


def test_what_followed_is_no_cause(claims_of):
    assert claims_of("Kratom is a plant. She reported two days of heavy alcohol consumption "
                     "followed by nausea and vomiting.") == []
    assert ("kratom", "CAUSES", "nausea", "affirmed") in claims_of(
        "Kratom is a plant. Kratom can cause nausea followed by vomiting.")


@pytest.mark.parametrize("text, expected", [
    ("Ashwagandha is a herb. Many of its calming benefits come from withanolides, compounds found in the root.",
     [("ashwagandha", "HAS_EFFECT", "calm", "affirmed"), ("withanolides", "HAS_EFFECT", "calm", "affirmed"),
      ("ashwagandha", "CONTAINS", "withanolides", "affirmed")]),
    ("Kratom is a plant. Its pain-relieving effects come from mitragynine.",
     [("kratom", "TREATS", "pain", "affirmed"), ("mitragynine", "TREATS", "pain", "affirmed")]),
    ("Kratom is a plant. Its sedating effects are due to mitragynine.",
     [("kratom", "CAUSES", "sedation", "affirmed"), ("mitragynine", "CAUSES", "sedation", "affirmed")]),
])
def test_the_constituent_an_effect_comes_from(claims_of, text, expected):
    assert claims_of(text) == expected


def test_people_who_come_from_somewhere_are_no_source(claims_of):
    assert claims_of("Kratom is a plant. Kratom relieves pain in people who come from Thailand.") == [
        ("kratom", "TREATS", "pain", "affirmed")]


@pytest.mark.parametrize("text, expected", [
    ("Kratom is a plant. There is little to no research on its effect on mood.", []),
    ("Kratom is a plant. There is limited research on kratom for anxiety.", []),
    ("Kratom is a plant. Recent research on kratom found it relieves pain.", [("kratom", "TREATS", "pain", "affirmed")]),
])
def test_a_research_gap_asserts_nothing(claims_of, text, expected):
    assert claims_of(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Ginger is a root. Ginger may speed up the breakdown of warfarin.", [("ginger", "INTERACTS_WITH", "warfarin", "affirmed")]),
    ("Ginger is a root. Ginger can counteract the effects of blood thinners.",
     [("ginger", "INTERACTS_WITH", "anticoagulants", "affirmed")]),
    ("Ginger is a root. Ginger may prolong the effects of sedatives.", [("ginger", "INTERACTS_WITH", "sedatives", "affirmed")]),
    ("Ginger is a root. Exercise can speed up the breakdown of warfarin.", []),
])
def test_more_verbs_that_change_another_drug(claims_of, text, expected):
    assert claims_of(text) == expected


# -- a side effect that a relief word takes, however the parser hangs it (written for these tests)

@pytest.mark.parametrize("text, expected", [
    ("Ginger is a root. Ginger is effective against nausea.", [("ginger", "TREATS", "nausea", "affirmed")]),
    ("Arnica is a plant. Applying arnica gel to the skin may reduce bruising after surgery.",
     [("arnica", "TREATS", "bleeding", "affirmed")]),
    ("Kratom is a tree. Kratom may cause vomiting.", [("kratom", "CAUSES", "vomiting", "affirmed")]),
])
def test_a_side_effect_a_relief_word_takes_is_treated(claims_of, text, expected):
    assert claims_of(text) == expected


def test_acting_as_a_sedative_causes_sedation(claims_of):
    found = claims_of("Kratom is a tree. Kratom acts as a stimulant at low doses and as a sedative at high doses.")
    assert [c[1:3] for c in found] == [("HAS_EFFECT", "stimulant"), ("CAUSES", "sedation")]
