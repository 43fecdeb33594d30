"""Claim frames of issue 17 found on real articles (the texts are written for these tests).

- a harm and the substance it is owned by or attributed to ("addiction to X", "deaths from X
  products", "attributed to X use", "an association of X use and Y"): the substance is the
  subject, not a comparator; "of" stays a comparator's for another substance;
- the members of a long list after a trigger all take it, however long the list;
- relief frames: a copula whose complement is the relief ("the use of X in Y may be a viable
  option"), a relief modifying the remedy noun ("this stress-reducing herb"), "a huge effect on
  arthritis", "helps with withdrawal", "prevent", "slow the progression", and the relief people
  are said to feel ("you can expect reduced anxiety");
- lead-ins: "The benefits of X include:" lists reliefs, "Common <illness> symptoms include:"
  lists the illness's symptoms, not the remedy's harms;
- frames that are no cause: "comes amid", "brings up the topic of";
- constituents: "A is a compound from B", "A, the main alkaloid of B", "the main polyphenol in B";
  a containing verb whose subject is something else ("plants that contain alkaloids") is none;
- interactions: "may increase the concentration of certain medications", "taken alongside X";
- effects described on something else ("anti-inflammatory eating patterns") or on a therapy
  ("an anti-inflammatory Mediterranean diet");
- non-assertions: the possibility of an effect, a conditional clause, a Title Case line without
  a sentence end ("Magnesium for Sleep"), a generic drug word as the subject;
- a negation on a good outcome does not carry over to a harm coordinated with it.
"""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("text, expected", [
    ("Kratom is a plant. Liver injury was attributed to kratom use in two patients.",
     [("kratom", "CAUSES", "liver damage", "affirmed")]),
    ("Turmeric is a spice. The case showed an association of kratom use and liver damage.",
     [("kratom", "CAUSES", "liver damage", "affirmed")]),
    ("Kratom is a plant. A psychological addiction to kratom can be just as damaging.",
     [("kratom", "CAUSES", "psychological addiction", "affirmed")]),
    ("Kratom is a plant. The FDA has linked dozens of deaths from kratom products.",
     [("kratom", "CAUSES", "death", "affirmed")]),
    ("Kratom is a plant. The most common effects of kratom are nausea, a fast heart rate and high blood pressure.",
     [("kratom", "CAUSES", "nausea", "affirmed"), ("kratom", "CAUSES", "hypertension", "affirmed")]),
])
def test_a_harm_names_the_substance_it_comes_from(claims_of, text, expected):
    assert claims_of(text) == expected


def test_every_member_of_a_long_list_takes_the_trigger(claims_of):
    got = claims_of("Kratom is a plant. Kratom goes by many names and is used to treat conditions such as "
                    "pain, fatigue, insomnia, diarrhea, high blood pressure, anxiety and PTSD.")
    assert [c[2] for c in got] == ["conditions", "pain", "fatigue", "insomnia", "diarrhea", "hypertension",
                                   "anxiety", "PTSD"]
    assert {c[:2] for c in got} == {("kratom", "TREATS")}


@pytest.mark.parametrize("text, expected", [
    ("Naltrexone is a drug. The use of naltrexone in fibromyalgia may be a viable option.",
     [("naltrexone", "TREATS", "fibromyalgia", "affirmed")]),
    ("Kava is a root from the Pacific. This stress-reducing herb should only be used by healthy adults.",
     [("kava", "TREATS", "stress", "affirmed")]),
    ("Turmeric is a spice. Regular exercise is known to have a huge effect on arthritis.",
     [("exercise", "TREATS", "arthritis", "affirmed")]),
    ("Kratom is a plant. Kratom helps with opioid withdrawal.",
     [("kratom", "TREATS", "opioid withdrawal", "affirmed")]),
    ("Feverfew is a herb. Feverfew has been used to prevent migraines.",
     [("feverfew", "TREATS", "migraine", "affirmed")]),
    ("Glucosamine is a supplement. Glucosamine may slow the progression of osteoarthritis.",
     [("glucosamine", "TREATS", "osteoarthritis", "affirmed")]),
    ("Kratom is a plant. You can expect euphoria, reduced anxiety and more energy.",
     [("kratom", "HAS_EFFECT", "euphoria", "affirmed"), ("kratom", "TREATS", "anxiety", "affirmed"),
      ("kratom", "HAS_EFFECT", "energy", "affirmed")]),
])
def test_relief_frames(claims_of, text, expected):
    assert claims_of(text) == expected


def test_the_benefits_lead_in_lists_reliefs(claims_of):
    assert claims_of("Ginger is a root. The benefits of ginger include:\n- less nausea\n- relief from arthritis") == [
        ("ginger", "TREATS", "nausea", "affirmed"), ("ginger", "TREATS", "arthritis", "affirmed")]


def test_the_symptoms_of_an_illness_are_not_the_remedys_harms(claims_of):
    assert claims_of("Kratom is a plant. Common fibromyalgia symptoms include:\n"
                     "- exhaustion\n- brain fog\n- insomnia") == []


@pytest.mark.parametrize("text", [
    "Kratom is a plant. The shortage comes amid an outbreak of salmonella infections.",
    "Kratom is a plant. When someone brings up the topic of addiction, we think of alcohol.",
])
def test_frames_that_are_no_cause(claims_of, text):
    assert [c for c in claims_of(text) if c[1] == "CAUSES"] == []


@pytest.mark.parametrize("text, expected", [
    ("Cannabis is a plant. CBD is a non-intoxicating compound from the cannabis plant.",
     [("cannabis", "CONTAINS", "CBD", "affirmed")]),
    ("Turmeric is a spice. Curcumin is the main polyphenol in turmeric.",
     [("turmeric", "CONTAINS", "curcumin", "affirmed")]),
    ("Kratom is a plant. Mitragynine, the main alkaloid of kratom, binds to opioid receptors.",
     [("kratom", "CONTAINS", "mitragynine", "affirmed"), ("mitragynine", "ACTS_ON", "opioid receptors", "affirmed")]),
    ("Kratom is a plant. With its leaves that contain alkaloids, kratom is popular.",
     [("kratom", "CONTAINS", "alkaloids", "affirmed")]),
])
def test_constituents(claims_of, text, expected):
    assert claims_of(text) == expected


def test_what_other_plants_contain_is_no_claim(claims_of):
    got = claims_of("Ashwagandha is a root. Its benefits come from withanolides, found in nightshades, "
                    "a family of plants that contain alkaloids.")
    assert ("ashwagandha", "CONTAINS", "alkaloids", "affirmed") not in got


@pytest.mark.parametrize("text, expected", [
    ("Kratom is a plant. Kratom may increase the concentration of certain medications in the blood.",
     [("kratom", "INTERACTS_WITH", "medications", "affirmed")]),
    ("Kratom is a plant. When kratom is taken alongside antidepressants, it can be dangerous.",
     [("kratom", "INTERACTS_WITH", "antidepressants", "affirmed")]),
])
def test_interaction_frames(claims_of, text, expected):
    assert claims_of(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Omega-3 is a fat. Studies looked at combining omega-3 supplements with anti-inflammatory eating patterns.", []),
    ("Diet matters. Doctors recommend an anti-inflammatory Mediterranean diet for arthritis.",
     [("mediterranean diet", "HAS_EFFECT", "anti-inflammatory", "affirmed"),
      ("mediterranean diet", "TREATS", "arthritis", "affirmed")]),
    ("Kratom is a plant. Kratom has both opioid and stimulant-like effects.",
     [("kratom", "HAS_EFFECT", "opioid-like effects", "affirmed"), ("kratom", "HAS_EFFECT", "stimulant", "affirmed")]),
])
def test_an_effect_word_describes_what_it_modifies(claims_of, text, expected):
    assert claims_of(text) == expected


@pytest.mark.parametrize("text", [
    "Magnesium is a mineral. We will look at what science says about the possibility of magnesium "
    "being able to help with sleep and cramps.",
    "Kratom is a plant. If kratom causes nausea, stop taking it.",
    "Magnesium is a mineral.\n\nMain sections:\n\n• Magnesium for Sleep\n• Magnesium for Cramps",
])
def test_non_assertions(claims_of, text):
    assert claims_of(text) == []


@pytest.mark.parametrize("text, expected", [
    ("Fibromyalgia is common. In recent years, natural supplements like kratom have emerged as potential "
     "support options for managing fibromyalgia symptoms.", [("kratom", "TREATS", "fibromyalgia", "affirmed")]),
    ("Anxiety is common. Herbs such as kava and valerian may ease anxiety.",
     [("kava", "TREATS", "anxiety", "affirmed"), ("valerian", "TREATS", "anxiety", "affirmed")]),
    ("Arthritis is common. Some medications may slow the progression of arthritis.", []),
])
def test_a_generic_drug_word_is_no_subject_but_its_examples_are(claims_of, text, expected):
    assert claims_of(text) == expected


def test_a_negated_good_outcome_leaves_the_harm_beside_it_affirmed(claims_of):
    got = claims_of("Duloxetine is a drug. Many patients do not benefit from duloxetine or suffer side effects.")
    assert ("duloxetine", "CAUSES", "side effects", "affirmed") in got
    assert claims_of("Kratom is a plant. Kratom does not cure arthritis or reduce inflammation.") == [
        ("kratom", "TREATS", "arthritis", "negated"), ("kratom", "TREATS", "inflammation", "negated")]


@pytest.mark.parametrize("text, expected", [
    ("Ashwagandha is a root. Some studies suggest that it can lower cortisol levels in people with chronic stress.",
     [("ashwagandha", "TREATS", "stress", "affirmed")]),
    ("Ginger is a root. Ginger may reduce pain in patients with arthritis.",
     [("ginger", "TREATS", "pain", "affirmed")]),
])
def test_a_measured_level_leaves_the_population_condition_the_object(claims_of, text, expected):
    assert claims_of(text) == expected


def test_fewer_side_effects_beside_a_comparison_is_safer_than(claims_of):
    assert claims_of("Ginger is a root. Ginger extracts gave pain improvements comparable to ibuprofen, "
                     "with fewer stomach side effects.") == [
        ("ginger", "TREATS", "pain", "affirmed"), ("ginger", "SAFER_THAN", "ibuprofen", "affirmed")]


@pytest.mark.parametrize("text, expected", [
    ("Kratom is a plant. Kratom withdrawal occurs when one gets dependent on the substance and stops using it.",
     [("kratom", "CAUSES", "withdrawal", "affirmed"), ("kratom", "CAUSES", "dependence", "affirmed")]),
    ("Kratom is a plant. The leaves contain two main alkaloids. These compounds are mitragynine and "
     "7-hydroxymitragynine.",
     [("kratom", "CONTAINS", "alkaloids", "affirmed"), ("kratom", "CONTAINS", "mitragynine", "affirmed"),
      ("kratom", "CONTAINS", "7-hydroxymitragynine", "affirmed")]),
    ("Kratom is a plant. The signs of being addicted to kratom include:\n- social withdrawal\n- cravings",
     [("kratom", "CAUSES", "addiction", "affirmed")]),
    ("Kratom is a plant. Below is a guide on kratom withdrawal and how to deal with it.", []),
])
def test_compound_owners_anaphoric_constituents_signs_and_topics(claims_of, text, expected):
    assert claims_of(text) == expected


def test_a_relief_passed_on_through_a_sentential_which(claims_of):
    assert claims_of("Fish oil is an oil. Fish oil has been shown to lower inflammation in the body, which, "
                     "in turn, may help control symptoms of arthritis.") == [
        ("fish oil", "TREATS", "inflammation", "affirmed"), ("fish oil", "TREATS", "arthritis", "affirmed")]


@pytest.mark.parametrize("text, expected", [
    ("Turmeric is a spice. If you have arthritis, turmeric may help relieve it.",
     [("turmeric", "TREATS", "arthritis", "affirmed")]),
    ("Turmeric is a spice. Arthritis is painful, and nothing seems to relieve it.", []),
])
def test_a_pronoun_object_stands_for_the_condition_before_it(claims_of, text, expected):
    assert claims_of(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Magnesium is a mineral. Magnesium is also required for energy production.", []),
    ("Magnesium is a mineral. It plays a role in nerve function and blood pressure regulation.", []),
    ("Kratom is a plant. Kratom boosts energy levels.", [("kratom", "HAS_EFFECT", "energy", "affirmed")]),
])
def test_a_body_process_is_no_object(claims_of, text, expected):
    assert claims_of(text) == expected


def test_the_kind_a_naming_verb_lists_is_not_contained(claims_of):
    got = claims_of("Kava is a root. Other herbs and nutrients used for relaxation include passionflower, "
                    "valerian and kava.")
    assert [c for c in got if c[1] == "CONTAINS"] == []
    assert ("valerian", "HAS_EFFECT", "relaxation", "affirmed") in got


@pytest.mark.parametrize("text, expected", [
    ("Kratom is a plant. Start with a low dose to prevent side effects.", []),
    ("Kratom is a plant. Side effects of opioids include constipation and nausea.", []),
    ("Kratom is a plant. Kratom may protect against liver damage.", [("kratom", "TREATS", "liver damage", "affirmed")]),
])
def test_advice_and_a_comparators_harms_are_no_claims_of_the_remedy(claims_of, text, expected):
    assert claims_of(text) == expected
