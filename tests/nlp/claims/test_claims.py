"""Claim extraction: each example of the claims issue with its exact expected row."""

from __future__ import annotations

import pytest

from claimex.errors import ClaimexError
from claimex.nlp.claim_rules import ClaimRules
from claimex.nlp.claims import main_substance

PRELUDE = "Kratom is a herbal supplement from Mitragyna speciosa. "


def claims_of(nlp, sentence: str, prelude: str = PRELUDE):
    doc = nlp(prelude + sentence)
    start = len(prelude)
    return [c for c in doc._.claimex_claims if c["start"] >= start]


def triples(claims):
    return sorted((c["subject"], c["predicate"], c["object"], c["polarity"]) for c in claims)


def one(claims, predicate, obj):
    found = [c for c in claims if c["predicate"] == predicate and c["object"] == obj]
    assert len(found) == 1, (predicate, obj, triples(claims))
    return found[0]


def test_hedged_treatment(nlp):
    cs = claims_of(nlp, "Kratom may offer relief for fibromyalgia through its analgesic properties.")
    c = one(cs, "TREATS", "fibromyalgia")
    assert (c["subject"], c["subject_text"], c["polarity"]) == ("kratom", "Kratom", "affirmed")
    assert c["hedged"] is True and c["hedge_cues"] == ["may"]
    assert c["certainty"] == "possible"
    assert c["attribution"] == "author" and c["evidence"] == "none"


def test_negated_side_effect_with_comparator_not_subject(nlp):
    cs = claims_of(nlp, "It may offer relief through its analgesic properties by interacting with opioid "
                        "receptors, potentially improving pain, fatigue, sleep quality, and mood without "
                        "the addictive risks of prescription opioids.")
    c = one(cs, "CAUSES", "addiction")
    assert (c["subject"], c["subject_text"], c["polarity"], c["object_text"]) == ("kratom", "It", "negated", "addictive")
    assert {"kind": "comparator", "text": "prescription opioids"} in c["qualifiers"]
    assert all(c["subject"] != "prescription opioids" for c in cs)
    assert one(cs, "TREATS", "pain")["polarity"] == "affirmed"
    assert one(cs, "TREATS", "fatigue")["hedge_cues"] == ["may", "potentially"]
    assert one(cs, "ACTS_ON", "opioid receptors")["subject_text"] == "It"


def test_passive_link_gives_two_claims_with_duration(nlp):
    cs = claims_of(nlp, "Long-term use has been linked to more serious issues such as liver damage and addiction.")
    assert triples(cs) == [("kratom", "CAUSES", "addiction", "affirmed"),
                           ("kratom", "CAUSES", "liver damage", "affirmed")]
    for c in cs:
        assert c["qualifiers"] == [{"kind": "duration", "text": "long-term use"}]
        assert c["hedged"] is False and c["certainty"] == "asserted"


def test_each_alkaloid_acts_on_receptors_hedged(nlp):
    cs = claims_of(nlp, "Alkaloids present in kratom, such as 7-hydroxymitragynine and mitraphylline, are "
                        "believed to interact with opioid receptors.")
    acts = [c for c in cs if c["predicate"] == "ACTS_ON"]
    assert sorted((c["subject"], c["object"]) for c in acts) == [
        ("7-hydroxymitragynine", "opioid receptors"), ("mitraphylline", "opioid receptors")]
    for c in acts:
        assert c["hedge_cues"] == ["believed to"] and c["certainty"] == "probable"
    assert ("kratom", "CONTAINS", "mitraphylline", "affirmed") in triples(cs)


def test_starting_dose(nlp):
    cs = claims_of(nlp, "The standard recommended starting dose is around 1 to 5 grams of kratom leaf powder.")
    c = one(cs, "DOSAGE", "1–5 g")
    assert (c["dose_min"], c["dose_max"], c["dose_unit"], c["dose_period"]) == (1.0, 5.0, "g", None)
    assert {"kind": "dose", "text": "starting"} in c["qualifiers"]
    assert c["polarity"] == "affirmed"


def test_upper_limit_dose_is_not_negated(nlp):
    cs = claims_of(nlp, "Users should be cautious not to exceed the upper limit of 12 to 15 grams within a "
                        "24-hour period.")
    c = one(cs, "DOSAGE", "12–15 g/24 h")
    assert (c["dose_min"], c["dose_max"], c["dose_unit"], c["dose_period"]) == (12.0, 15.0, "g", "24 h")
    assert c["polarity"] == "affirmed"
    assert {"kind": "dose", "text": "upper limit"} in c["qualifiers"]


def test_users_report_is_attributed_and_anecdotal(nlp):
    cs = claims_of(nlp, "Many users report that kratom helps ease symptoms.")
    c = one(cs, "TREATS", "symptoms")
    assert (c["attribution"], c["evidence"], c["subject_text"]) == ("users", "anecdote", "kratom")


def test_proponents_claim(nlp):
    cs = claims_of(nlp, "Proponents of kratom usage claim that it can alleviate persistent pain.")
    c = one(cs, "TREATS", "pain")
    assert c["object_text"] == "pain"
    assert c["attribution"] == "proponents"
    assert c["subject_text"] == "it"
    assert "claim" in c["hedge_cues"]
    assert c["certainty"] == "speculative"


def test_coordination_gives_one_claim_per_side_effect(nlp):
    cs = claims_of(nlp, "Commonly reported adverse effects include nausea, dizziness, constipation, and "
                        "psychological dependence.")
    assert triples(cs) == [
        ("kratom", "CAUSES", "adverse effects", "affirmed"),
        ("kratom", "CAUSES", "constipation", "affirmed"),
        ("kratom", "CAUSES", "dizziness", "affirmed"),
        ("kratom", "CAUSES", "nausea", "affirmed"),
        ("kratom", "CAUSES", "psychological dependence", "affirmed"),
    ]


def test_implicit_subject_its_leaves(nlp):
    cs = claims_of(nlp, "Its leaves contain alkaloids such as mitragynine.")
    assert triples(cs) == [("kratom", "CONTAINS", "alkaloids", "affirmed"),
                           ("kratom", "CONTAINS", "mitragynine", "affirmed")]
    assert {c["subject_text"] for c in cs} == {"Its"}


def test_pronoun_it_interacts(nlp):
    cs = claims_of(nlp, "It interacts with opioid receptors to potentially alleviate chronic pain.")
    assert triples(cs) == [("kratom", "ACTS_ON", "opioid receptors", "affirmed"),
                           ("kratom", "TREATS", "chronic pain", "affirmed")]
    assert one(cs, "TREATS", "chronic pain")["hedge_cues"] == ["potentially"]
    assert one(cs, "ACTS_ON", "opioid receptors")["hedged"] is False


def test_negation_scope_covers_only_the_without_phrase(nlp):
    cs = claims_of(nlp, "Kratom provides pain relief without the sedating effects of opioids.")
    assert triples(cs) == [("kratom", "CAUSES", "sedation", "negated"),
                           ("kratom", "TREATS", "pain", "affirmed")]
    assert {"kind": "comparator", "text": "opioids"} in one(cs, "CAUSES", "sedation")["qualifiers"]


def test_plain_negation(nlp):
    cs = claims_of(nlp, "Kratom does not cause addiction.")
    assert triples(cs) == [("kratom", "CAUSES", "addiction", "negated")]


def test_side_effect_of_another_substance_is_no_claim(nlp):
    # docs/gold-format.md: properties of comparators ("potentially addictive pharmaceuticals") are
    # not claims about those substances, nor about kratom
    cs = claims_of(nlp, "Kratom may help reduce reliance on potentially addictive pharmaceuticals.")
    assert [c for c in cs if c["object"] == "addiction"] == []


def test_symptoms_that_characterize_a_harm_are_not_claims(nlp):
    cs = claims_of(nlp, "High doses can lead to serotonin syndrome, a condition characterized by agitation and fever.")
    assert [(c["predicate"], c["object"]) for c in cs if c["predicate"] == "CAUSES"] == [
        ("CAUSES", "serotonin syndrome")]


def test_the_use_that_causes_a_harm_is_not_its_object(nlp):
    cs = claims_of(nlp, "Regular abuse of kratom can lead to addiction.")
    assert triples(cs) == [("kratom", "CAUSES", "addiction", "affirmed")]


def test_topics_and_headings_assert_nothing(nlp):
    doc = nlp("Kratom for Fibromyalgia Relief\n\nKratom for fibromyalgia support has been an area of interest. "
              "Regular monitoring of regulations will help chronic pain sufferers navigate the landscape.")
    assert doc._.claimex_claims == []


def test_causal_clause_under_advice_still_asserts(nlp):
    cs = claims_of(nlp, "It is important to approach dosage with caution as higher amounts can lead to sedation.")
    c = one(cs, "CAUSES", "sedation")
    assert c["qualifiers"] == [{"kind": "amount", "text": "higher amounts"}]
    assert (c["hedge_cues"], c["certainty"]) == ([], "asserted")  # 'can' states ability: no hedge by default


def test_rules_round_trip_and_main_substance():
    rules = ClaimRules.default()
    assert ClaimRules.from_dict(rules.to_dict()) == rules
    with pytest.raises(ClaimexError, match=r"\] <dict>: .*missing triggers"):
        ClaimRules.from_dict({k: v for k, v in rules.to_dict().items() if k != "triggers"})
    assert main_substance([]) is None


def test_the_cause_in_an_induced_compound_is_not_caused_by_the_substance(nlp):
    cs = claims_of(nlp, "Kratom can relax muscles and ease stress-induced tension.")
    assert [c for c in cs if c["predicate"] == "CAUSES"] == []


def test_mood_regulation_is_no_regulatory_claim(nlp):
    cs = claims_of(nlp, "Kratom acts on serotonin receptors, which play a part in mood regulation.")
    assert [c for c in cs if c["predicate"] == "REGULATED"] == []


def test_questions_assert_nothing(nlp):
    assert claims_of(nlp, "Does kratom relieve arthritis pain?") == []
    assert claims_of(nlp, "Can turmeric cause nausea?\u201d") == []
    # the statement after the question still counts
    cs = claims_of(nlp, "Is it safe? Kratom can cause constipation.")
    assert triples(cs) == [("kratom", "CAUSES", "constipation", "affirmed")]


def test_each_coordinated_subject_gets_its_claim(nlp):
    cs = claims_of(nlp, "Chamomile and valerian may ease anxiety before sleep.", prelude="")
    assert sorted(c["subject"] for c in cs if c["object"] == "anxiety") == ["chamomile", "valerian"]


def test_generic_compounds_after_named_alkaloids_stand_for_them(nlp):
    cs = claims_of(nlp, "The compounds in the leaves are mitragynine and 7-hydroxymitragynine. "
                        "The compounds bind to opioid receptors.")
    assert sorted(c["subject"] for c in cs if c["predicate"] == "ACTS_ON") == ["7-hydroxymitragynine", "mitragynine"]


def test_a_relief_modifier_on_the_condition_is_a_treatment(nlp):
    cs = claims_of(nlp, "Patients taking ginger had less pain after four weeks.", prelude="")
    assert one(cs, "TREATS", "pain")["subject"] == "ginger"
    cs = claims_of(nlp, "Users describe euphoria and reduced anxiety after a small dose of kratom.", prelude="")
    assert one(cs, "TREATS", "anxiety")["subject"] == "kratom"


def test_a_relative_clause_on_a_plain_noun_has_no_remedy_subject(nlp):
    cs = claims_of(nlp, "It binds to the same brain receptors that cause addiction.")
    assert [c for c in cs if c["predicate"] == "CAUSES"] == []


def test_a_relative_clause_on_a_remedy_phrase_keeps_its_subject(nlp):
    cs = claims_of(nlp, "Kratom's benefit comes from its impact on the nervous system, which can reduce spasticity.")
    assert one(cs, "TREATS", "spasticity")["subject"] == "kratom"


def test_a_condition_named_as_the_setting_of_another_relief_is_no_object(nlp):
    cs = claims_of(nlp, "Ginger may reduce pain and improve mobility in osteoarthritis.", prelude="")
    assert [c["object"] for c in cs if c["predicate"] == "TREATS"] == ["pain"]


def test_effect_words_listed_as_problems_are_no_effects(nlp):
    cs = claims_of(nlp, "They also frequently have sleep, mood, and memory issues.")
    assert [c for c in cs if c["predicate"] == "HAS_EFFECT"] == []


def test_the_dose_of_a_comparator_is_no_dosage_claim(nlp):
    cs = claims_of(nlp, "A strong extract can feel like taking 30 mg of morphine.")
    assert [c for c in cs if c["predicate"] == "DOSAGE"] == []


def test_this_herb_stands_for_the_main_substance(nlp):
    cs = claims_of(nlp, "Boswellia is a tree resin used in Ayurveda. The herb may help relieve pain and stiffness.",
                   prelude="")
    assert sorted((c["subject"], c["object"]) for c in cs if c["predicate"] == "TREATS") == [
        ("boswellia", "pain"), ("boswellia", "stiffness")]


def test_contains_this_alkaloid_names_the_alkaloid_before(nlp):
    cs = claims_of(nlp, "The strongest alkaloid is 7-hydroxymitragynine. Raw kratom leaf contains under 2% of this alkaloid.",
                   prelude="")
    assert [(c["subject"], c["object"]) for c in cs if c["predicate"] == "CONTAINS"] == [
        ("kratom", "7-hydroxymitragynine")]


def test_a_dose_in_a_therapy_section_is_the_main_substance_dose(nlp):
    doc = nlp("Kratom withdrawal can be hard. Many kratom users taper slowly.\n\nTapering\n\nWeek 1: Reduce to 9g/day\n")
    assert [(c["subject"], c["object"]) for c in doc._.claimex_claims if c["predicate"] == "DOSAGE"] == [
        ("kratom", "9 g/day")]


def test_treatment_with_drugs_treats_the_population_condition(nlp):
    cs = claims_of(nlp, "While some patients with fibromyalgia respond to treatment with pregabalin or duloxetine, others do not.",
                   prelude="")
    assert sorted((c["subject"], c["object"]) for c in cs if c["predicate"] == "TREATS") == [
        ("duloxetine", "fibromyalgia"), ("pregabalin", "fibromyalgia")]


def test_a_dose_written_with_a_comparator_is_no_dosage_claim(nlp):
    cs = claims_of(nlp, "If someone took what they thought was equivalent to a 5mg morphine dose, it could be dangerous.")
    assert [c for c in cs if c["predicate"] == "DOSAGE"] == []
    cs = claims_of(nlp, "A typical 3 g kratom dose lasts for hours.")
    assert [(c["subject"], c["object"]) for c in cs if c["predicate"] == "DOSAGE"] == [("kratom", "3 g")]
