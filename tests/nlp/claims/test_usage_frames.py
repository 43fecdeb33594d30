"""Claims whose remedy is the object of a usage verb, therapies as subjects, and the main substance.

- "people use kratom for pain" / "are using it to curb withdrawal": the remedy used is the
  subject (the people using it are not), and the "for" of the usage frame is the trigger;
- a therapy is a subject ("acupuncture relieved her back pain");
- an effect in a clause about people ("many patients have trouble with sleep") is
  no effect of the article's remedy;
- a lead-in's generic object ("used for the following conditions:") is no claim of its own;
- the main substance: a title mention weighs more, a comparator ("stronger than morphine")
  does not count.
The texts are written for these tests.
"""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("text, expected", [
    ("Kratom is a herbal remedy. Many people use kratom for chronic pain.",
     [("kratom", "TREATS", "chronic pain", "affirmed")]),
    ("Kratom is a herbal remedy. People are using it to curb their anxiety.",
     [("kratom", "TREATS", "anxiety", "affirmed")]),
    ("Turmeric is a spice. Doctors recommend turmeric for arthritis.",
     [("turmeric", "TREATS", "arthritis", "affirmed")]),
    ("Kratom is a plant. Some users take kratom for back pain.",
     [("kratom", "TREATS", "back pain", "affirmed")]),
])
def test_the_remedy_used_is_the_subject(claims_of, text, expected):
    assert claims_of(text) == expected


def test_a_therapy_is_a_subject(claims_of):
    assert claims_of("Acupuncture relieved her back pain.") == [("acupuncture", "TREATS", "back pain", "affirmed")]


def test_an_effect_in_a_clause_about_people_is_no_claim(claims_of):
    assert claims_of("Kratom is a plant. Many patients have trouble with sleep.") == []


def test_an_effect_without_subject_is_the_main_substances(claims_of):
    assert claims_of("Kratom is a plant. At low doses it acts as a stimulant.") == [
        ("kratom", "HAS_EFFECT", "stimulant", "affirmed")]


def test_a_lead_ins_generic_object_is_no_claim(claims_of):
    assert claims_of("Ginger is used for the following conditions:\n1. nausea\n2. arthritis") == [
        ("ginger", "TREATS", "nausea", "affirmed"), ("ginger", "TREATS", "arthritis", "affirmed")]


def test_a_comparator_is_not_the_main_substance(nlp):
    from claimex.nlp.claims.mentions import doc_mentions, main_substance

    doc = nlp("Kratom Extracts Explained\n\nThe extract is stronger than morphine. "
              "Compared with morphine, kratom is mild. Unlike morphine it is sold in shops.")
    mentions = doc_mentions(doc)
    assert main_substance(mentions) == "morphine"  # by counts alone
    assert main_substance(mentions, doc) == "kratom"


@pytest.mark.parametrize("text, expected", [
    ("Natural remedies for anxiety include kava, valerian and lemon balm.",
     [("kava", "TREATS", "anxiety", "affirmed"), ("valerian", "TREATS", "anxiety", "affirmed"),
      ("lemon balm", "TREATS", "anxiety", "affirmed")]),
    ("A common treatment for nausea is ginger.", [("ginger", "TREATS", "nausea", "affirmed")]),
    ("Kratom for chronic pain has been studied by several groups.", []),
])
def test_a_naming_verb_names_the_remedies_of_its_subject_phrase(claims_of, text, expected):
    assert claims_of(text) == expected


def test_an_apposition_names_the_subject(claims_of):
    assert claims_of("Ginger is a root. Epidiolex is an oral solution given to children to treat seizures.") == [
        ("epidiolex", "TREATS", "seizures", "affirmed")]


@pytest.mark.parametrize("text, expected", [
    ("Ginger offers relief from nausea.", [("ginger", "TREATS", "nausea", "affirmed")]),
    ("Ginger is a root. Ginger aids in the reduction of nausea.", [("ginger", "TREATS", "nausea", "affirmed")]),
    ("Kratom offers a high risk of nausea.", [("kratom", "CAUSES", "nausea", "affirmed")]),
])
def test_a_side_effect_a_treatment_noun_acts_on_is_treated(claims_of, text, expected):
    assert claims_of(text) == expected


def test_a_line_without_verb_or_trigger_asserts_nothing(claims_of):
    assert claims_of("Kratom is a plant.\n\nDizziness and extreme fatigue\n\nKratom can cause dizziness.") == [
        ("kratom", "CAUSES", "dizziness", "affirmed")]


def test_an_example_after_including_inherits_the_predicate(claims_of):
    assert claims_of("Naltrexone is given for several disorders, including fibromyalgia.") == [
        ("naltrexone", "TREATS", "fibromyalgia", "affirmed")]


@pytest.mark.parametrize("text, expected", [
    ("Turmeric is a spice. In one trial turmeric 1,500 mg/day was as good as ibuprofen 1,200 mg/day for knee pain.",
     [("turmeric", "DOSAGE", "1500 mg/day"), ("ibuprofen", "DOSAGE", "1200 mg/day")]),
    ("Kratom is a plant. Users take 2 g of kratom per day.", [("kratom", "DOSAGE", "2 g")]),
    ("Kratom is a plant. A typical dose is 3 grams.", [("kratom", "DOSAGE", "3 g")]),
])
def test_a_dose_belongs_to_the_substance_written_with_it(claims_of, text, expected):
    assert [c[:3] for c in claims_of(text) if c[1] == "DOSAGE"] == expected


@pytest.mark.parametrize("text, expected", [
    ("Kratom is a plant. The most common effects of kratom are nausea and constipation.",
     [("kratom", "CAUSES", "nausea", "affirmed"), ("kratom", "CAUSES", "constipation", "affirmed")]),
    ("Kratom is a plant. The biggest risk is addiction.", [("kratom", "CAUSES", "addiction", "affirmed")]),
    ("Kratom is a plant. The problem is that pain is common.", []),
])
def test_a_copulas_subject_phrase_carries_the_trigger(claims_of, text, expected):
    assert claims_of(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Kratom is a plant. Antidepressants are a class of drugs that may interact with kratom.",
     [("kratom", "INTERACTS_WITH", "antidepressants", "affirmed")]),
    ("Kratom is a plant. Alcohol does not interact with kratom.",
     [("kratom", "INTERACTS_WITH", "alcohol", "negated")]),
])
def test_a_drug_that_interacts_with_the_main_substance(claims_of, text, expected):
    assert claims_of(text) == expected


def test_it_stands_for_the_remedy_its_heading_names(claims_of):
    text = ("Herbs for Arthritis\n\nMany herbs are sold for arthritis. Kratom is one of them.\n\n"
            "Turmeric\n\nIt may ease joint pain.\n\nGinger\n\nIt can reduce nausea.\n\n"
            "Other tips\n\nIt helps with sleep.")
    assert [c[:3] for c in claims_of(text)] == [
        ("turmeric", "TREATS", "joint pain"), ("ginger", "TREATS", "nausea"), ("kratom", "HAS_EFFECT", "sleep")]


@pytest.mark.parametrize("text, expected", [
    ("Kratom is a plant. Patients reported few side effects from using cannabis.",
     [("cannabis", "CAUSES", "side effects")]),
    ("Kratom is a plant. Epidiolex is used to treat two rare forms of seizure.",
     [("epidiolex", "TREATS", "seizures")]),
    ("Kratom is a plant. Fibromyalgia often causes fatigue.", []),
    ("Kratom is a plant. Users often report nausea.", [("kratom", "CAUSES", "nausea")]),
])
def test_who_stands_behind_a_side_effect(claims_of, text, expected):
    assert [c[:3] for c in claims_of(text)] == expected


@pytest.mark.parametrize("text, expected", [
    ("Kratom is a plant. Kratom has fewer side effects than opioids.",
     [("kratom", "SAFER_THAN", "opioids", "affirmed", ["degree", "comparator", "harm"])]),
    ("Kratom is a plant. Kratom carries a lower risk of addiction than morphine.",
     [("kratom", "SAFER_THAN", "morphine", "affirmed", ["degree", "comparator", "harm"])]),
    ("Kratom is a plant. Kratom has less potential for dependence.",
     [("kratom", "CAUSES", "dependence", "affirmed", ["degree"])]),
    ("Kratom is a plant. Kratom causes more nausea than opioids.",
     [("kratom", "CAUSES", "nausea", "affirmed", ["comparator"])]),
])
def test_a_comparison_in_the_subjects_favour_is_safer_than(nlp, text, expected):
    got = [(c["subject"], c["predicate"], c["object"], c["polarity"], [q["kind"] for q in c["qualifiers"]])
           for c in nlp(text)._.claimex_claims]
    assert got == expected


@pytest.mark.parametrize("text, expected", [
    ("Kratom is a plant. Kratom is addictive.", [("kratom", "CAUSES", "addiction", "affirmed")]),
    ("Kratom is a plant. Kratom is not addictive.", [("kratom", "CAUSES", "addiction", "negated")]),
    ("Kratom is a plant. Kratom can be highly addictive and sedating.",
     [("kratom", "CAUSES", "addiction", "affirmed"), ("kratom", "CAUSES", "sedation", "affirmed")]),
])
def test_a_harm_said_of_the_subject_by_a_copula(claims_of, text, expected):
    assert claims_of(text) == expected


def test_receptors_are_bound_by_the_named_constituents(claims_of):
    text = ("Kratom is a tree. The primary alkaloids in Kratom, mitragynine and 7-hydroxymitragynine, exert "
            "their effects by interacting with several receptor systems, including opioid receptors.")
    assert [c[:3] for c in claims_of(text) if c[1] == "ACTS_ON"] == [
        ("mitragynine", "ACTS_ON", "opioid receptors"), ("7-hydroxymitragynine", "ACTS_ON", "opioid receptors")]


@pytest.mark.parametrize("text, expected", [
    ("Kratom is a tree. Some vendors have illegally sold kratom to children.", []),
    ("Kratom is a tree. Unlike prescription antidepressants, kratom is not approved by the FDA.",
     [("kratom", "REGULATED", "approved", "negated")]),
    ("Kratom is a tree. Kratom is illegal in six states.", [("kratom", "REGULATED", "legal", "negated")]),
])
def test_regulatory_status_is_said_of_the_substance(claims_of, text, expected):
    assert [c for c in claims_of(text) if c[1] == "REGULATED"] == expected


@pytest.mark.parametrize("text, expected", [
    ("Boswellia is a resin. Researchers have confirmed its benefits as an anti-inflammatory compound.",
     [("boswellia", "HAS_EFFECT", "anti-inflammatory")]),
    ("Kratom is a tree. Its leaves are rich in alkaloids.", [("kratom", "CONTAINS", "alkaloids")]),
])
def test_a_constituents_own_word_is_no_contains_trigger(claims_of, text, expected):
    assert [c[:3] for c in claims_of(text)] == expected


@pytest.mark.parametrize("text, expected", [
    ("Kratom is a tree. Proponents of kratom say that it is not possible to get addicted to it.",
     [("kratom", "CAUSES", "addiction", "negated")]),
    ("Kratom is a tree. You can get addicted to kratom.", [("kratom", "CAUSES", "addiction", "affirmed")]),
    ("Kratom is a tree. Opioids are a class of drugs. People get addicted to opioids quickly.",
     [("opioids", "CAUSES", "addiction", "affirmed")]),
])
def test_the_remedy_a_harm_adjective_points_to(claims_of, text, expected):
    assert claims_of(text) == expected


def test_claim_rows_exclude_trailing_whitespace(nlp):
    from claimex.nlp.extract import DocAccumulator

    text = "Kratom is a tree.\n\nKratom can cause nausea.\n\n\nKratom is sold online."
    acc = DocAccumulator("d")
    acc.add_piece(nlp(text))
    [row] = acc.claims
    assert row["text"] == "Kratom can cause nausea."
    assert text[row["start_char"]:row["end_char"]] == "Kratom can cause nausea."


# -- people with a condition who use a remedy (written for these tests)

@pytest.mark.parametrize("text, expected", [
    ("Turmeric is a spice. People with arthritis often take turmeric.", [("turmeric", "TREATS", "arthritis", "affirmed")]),
    ("Turmeric is a spice. Arthritis patients commonly use turmeric.", [("turmeric", "TREATS", "arthritis", "affirmed")]),
    ("Gabapentin is a drug. Many patients who suffer from neuropathy take gabapentin every day.",
     [("gabapentin", "TREATS", "neuropathy", "affirmed")]),
    ("Kratom is a tree. People with anxiety should not use kratom.", []),
])
def test_the_condition_of_the_people_who_use_a_remedy(claims_of, text, expected):
    assert claims_of(text) == expected


def test_a_use_to_try_to_ease_a_condition_is_a_use_for_it(claims_of):
    assert claims_of("Kratom is a tree. Some people use kratom to try to ease their anxiety.") == [
        ("kratom", "TREATS", "anxiety", "affirmed")]
    assert claims_of("Kratom is a tree. Many users tried to quit kratom to avoid withdrawal.") == []



@pytest.mark.parametrize("text, expected", [
    ("Kava is a root. Kava is popular. Participants who took ashwagandha reported lower stress levels.",
     [("ashwagandha", "TREATS", "stress", "affirmed")]),
    ("Kava is a root. Kava is popular. Patients taking fish oil reported fewer migraines.",
     [("fish oil", "TREATS", "migraine", "affirmed")]),
    ("Kratom is a tree. Kratom users often have lower back pain.", []),
])
def test_the_remedy_the_clauses_people_take(claims_of, text, expected):
    assert claims_of(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Kratom is a tree. Kratom may reduce the risk of relapse.", [("kratom", "TREATS", "relapse", "affirmed")]),
    ("Omega-3 is a fat. Omega-3s may lower the risk of heart disease.",
     [("omega-3 fatty acids", "TREATS", "heart disease", "affirmed")]),
    ("Kratom is a tree. Kratom may increase the risk of seizures.", [("kratom", "CAUSES", "seizures", "affirmed")]),
])
def test_reducing_the_risk_of_a_harm_prevents_it(claims_of, text, expected):
    assert claims_of(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Kava is a root. Kava is popular. My nausea disappeared after I took ginger.",
     [("ginger", "TREATS", "nausea", "affirmed")]),
    ("Kratom is a tree. My back pain went away after I started taking kratom.",
     [("kratom", "TREATS", "back pain", "affirmed")]),
    ("Kratom is a tree. Within days of using kratom, my anxiety subsided.", [("kratom", "TREATS", "anxiety", "affirmed")]),
    ("Kratom is a tree. The withdrawal symptoms usually subside within a week.", []),
])
def test_a_condition_said_to_go_after_a_remedy_is_treated_by_it(claims_of, text, expected):
    assert claims_of(text) == expected


def test_a_drug_the_main_substance_is_taken_with_in_a_clause_of_time(claims_of):
    found = claims_of("Ginkgo is a tree. Ginkgo may increase the risk of bleeding when taken with blood thinners.")
    assert ("ginkgo", "INTERACTS_WITH", "anticoagulants", "affirmed") in found


@pytest.mark.parametrize("text, expected", [
    ("Kratom is a tree. Many people take kratom to self-treat pain, anxiety, and opioid withdrawal.",
     [("kratom", "TREATS", "pain", "affirmed"), ("kratom", "TREATS", "anxiety", "affirmed"),
      ("kratom", "TREATS", "opioid withdrawal", "affirmed")]),
    ("Kava is a root. Some people use kava to self-treat insomnia.", [("kava", "TREATS", "insomnia", "affirmed")]),
])
def test_self_treating_a_condition_with_a_remedy(claims_of, text, expected):
    assert claims_of(text) == expected


def test_the_substance_naming_a_kind_of_condition_treats_nothing(claims_of):
    found = claims_of("Kratom is a tree. Kratom is often used to relieve opioid dependence.")
    assert ("kratom", "TREATS", "dependence", "affirmed") in found or ("kratom", "TREATS", "opioid dependence", "affirmed") in found
    assert not [c for c in found if c[0] == "opioids" and c[1] == "TREATS"]
