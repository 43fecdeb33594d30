"""GENERIC words, labels by claim role, EFFECT/HAS_EFFECT, organisation names and the `group` column.

Through the full pipeline and the rows of the entities and claims tables.
The sentences are written for these tests.
"""

from __future__ import annotations

import pytest

from claimex.nlp.extract import DocAccumulator


def tables(nlp, text: str) -> DocAccumulator:
    acc = DocAccumulator("d")
    acc.add_piece(nlp(text))
    return acc


def ents(acc):
    return [(e["text"], e["label"], e["canonical"]) for e in acc.entities]


def triples(acc):
    return [(c["subject"], c["predicate"], c["object"], c["polarity"]) for c in acc.claims]


# -- GENERIC --------------------------------------------------------------------------

def test_side_effects_is_generic_but_still_caused(nlp):
    acc = tables(nlp, "Kratom can cause side effects.")
    assert ents(acc) == [("Kratom", "SUBSTANCE", "kratom"), ("side effects", "GENERIC", "side effects")]
    assert triples(acc) == [("kratom", "CAUSES", "side effects", "affirmed")]
    # the object keeps GENERIC in the entities table (no SIDE_EFFECT relabelling)
    assert acc.claims[0]["object_ent_id"] == acc.entities[1]["ent_id"]


def test_generic_next_to_a_named_side_effect(nlp):
    acc = tables(nlp, "Kratom can cause adverse effects such as nausea.")
    assert ents(acc) == [("Kratom", "SUBSTANCE", "kratom"), ("adverse effects", "GENERIC", "adverse effects"),
                         ("nausea", "SIDE_EFFECT", "nausea")]
    assert triples(acc) == [("kratom", "CAUSES", "adverse effects", "affirmed"),
                            ("kratom", "CAUSES", "nausea", "affirmed")]


def test_drug_as_a_modifier_is_not_generic(nlp):
    acc = tables(nlp, "Kratom may lead to drug interactions with other medicines.")
    assert [e for e in acc.entities if e["label"] == "GENERIC" and e["canonical"] == "drugs"] == []
    assert ents(acc) == [("Kratom", "SUBSTANCE", "kratom")]


def test_alkaloid_as_a_modifier_is_not_generic(nlp):
    acc = tables(nlp, "The alkaloid content varies between batches.")
    assert ents(acc) == []


def test_generic_nouns_are_tagged(nlp):
    acc = tables(nlp, "Patients take drugs and herbs for pain.")
    assert ents(acc) == [("drugs", "GENERIC", "drugs"), ("herbs", "GENERIC", "herbs"),
                         ("pain", "CONDITION", "pain")]


# -- a symptom is labelled by its role --------------------------------------------------

def test_treated_symptom_is_a_condition(nlp):
    acc = tables(nlp, "Ginger eases nausea.")
    assert ents(acc) == [("Ginger", "SUBSTANCE", "ginger"), ("nausea", "CONDITION", "nausea")]
    assert triples(acc) == [("ginger", "TREATS", "nausea", "affirmed")]


def test_caused_symptom_is_a_side_effect(nlp):
    acc = tables(nlp, "Kratom can cause nausea.")
    assert ents(acc) == [("Kratom", "SUBSTANCE", "kratom"), ("nausea", "SIDE_EFFECT", "nausea")]
    assert triples(acc) == [("kratom", "CAUSES", "nausea", "affirmed")]


# -- organisation names -----------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "The American Ginger Association met in Ohio.",
    "Members of the Ginger Growers Association met.",
])
def test_substance_inside_an_organisation_name_is_not_tagged(nlp, text):
    assert ents(tables(nlp, text)) == []


@pytest.mark.parametrize("text", [
    "The American Kratom Association supports regulation.",
    "Leaders of the American Kratom Association met in Washington.",
    "The Kratom Consumer Protection Act passed in Utah.",
])
def test_kratom_inside_an_organisation_name_is_not_tagged(nlp, text):
    acc = tables(nlp, text)
    assert [e for e in acc.entities if e["label"] == "SUBSTANCE"] == []
    assert acc.claims == []


def test_kratom_inside_a_shop_name_is_not_tagged_but_the_tea_is(nlp):
    acc = tables(nlp, "The Kratom Cafe in Denver sells kratom tea.")
    # the product word is not part of the span: "kratom tea" tags kratom (docs/gold-web-dev.md)
    assert ents(acc) == [("kratom", "SUBSTANCE", "kratom")]


def test_kratom_after_an_organisation_name_is_tagged(nlp):
    acc = tables(nlp, "The Food and Drug Administration warns about kratom.")
    assert ents(acc) == [("kratom", "SUBSTANCE", "kratom")]
    assert triples(acc) == [("kratom", "REGULATED", "warning", "affirmed")]


# -- EFFECT and HAS_EFFECT --------------------------------------------------------------

def test_acts_as_a_stimulant(nlp):
    acc = tables(nlp, "Kratom acts as a stimulant at low doses.")
    assert ents(acc) == [("Kratom", "SUBSTANCE", "kratom"), ("stimulant", "EFFECT", "stimulant")]
    assert triples(acc) == [("kratom", "HAS_EFFECT", "stimulant", "affirmed")]


def test_does_not_act_as_a_stimulant_is_negated(nlp):
    acc = tables(nlp, "Kratom does not act as a stimulant.")
    assert triples(acc) == [("kratom", "HAS_EFFECT", "stimulant", "negated")]


def test_effect_object_falls_back_to_the_main_substance(nlp):
    acc = tables(nlp, "Kratom is a plant from Thailand. Many people say it boosts energy.")
    assert triples(acc) == [("kratom", "HAS_EFFECT", "energy", "affirmed")]
    assert acc.claims[0]["sent_id"] == "d-s0001"


def test_focus_as_a_verb_is_no_effect(nlp):
    acc = tables(nlp, "In this article we focus on kratom.")
    assert ents(acc) == [("kratom", "SUBSTANCE", "kratom")]
    assert acc.claims == []


def test_focus_as_a_noun_is_an_effect(nlp):
    acc = tables(nlp, "Kratom improves focus.")
    assert ents(acc) == [("Kratom", "SUBSTANCE", "kratom"), ("focus", "EFFECT", "focus")]
    assert triples(acc) == [("kratom", "HAS_EFFECT", "focus", "affirmed")]


def test_verb_and_noun_focus_in_one_text(nlp):
    acc = tables(nlp, "We need to focus on safety. Kratom may improve focus and mood.")
    assert [(e["sent_id"], e["text"], e["label"]) for e in acc.entities] == [
        ("d-s0001", "Kratom", "SUBSTANCE"), ("d-s0001", "focus", "EFFECT"), ("d-s0001", "mood", "EFFECT")]
    assert triples(acc) == [("kratom", "HAS_EFFECT", "focus", "affirmed"),
                            ("kratom", "HAS_EFFECT", "mood", "affirmed")]


# -- the entities table's group column ----------------------------------------------------

def test_group_column(nlp):
    acc = tables(nlp, "Some people take narcotics for pain. Take 2 grams of kratom with ginger tea.")
    groups = [(e["text"], e["label"], e["canonical"], e["group"]) for e in acc.entities]
    assert ("narcotics", "SUBSTANCE", "narcotics", "opioids") in groups  # kept apart from opioids, grouped with them
    assert ("pain", "CONDITION", "pain", "pain") in groups  # no group: the canonical name
    assert ("2 grams", "DOSE", "2 g", None) in groups  # null for doses


def test_group_column_for_a_generic_word(nlp):
    acc = tables(nlp, "Kratom can cause adverse effects.")
    assert [(e["text"], e["group"]) for e in acc.entities] == [("Kratom", "kratom"),
                                                               ("adverse effects", "side effects")]


def test_oxycodone_is_grouped_with_opioids(nlp):
    acc = tables(nlp, "Kratom is sometimes mixed with oxycodone.")
    assert [(e["text"], e["canonical"], e["group"]) for e in acc.entities] == [
        ("Kratom", "kratom", "kratom"), ("oxycodone", "oxycodone", "opioids")]


def test_an_adjective_after_a_hyphen_is_not_tagged(nlp):
    # "dose-dependent" is no dependence, and the adjective "non-opioid" no mention of opioids;
    # a noun after a hyphen still counts ("lower-back pain"); "social withdrawal" is its own concept
    assert ents(tables(nlp, "Its effect is dose-dependent.")) == []
    assert ents(tables(nlp, "Try a non-opioid option.")) == []
    assert ("back pain", "CONDITION", "back pain") in ents(tables(nlp, "It eased her lower-back pain."))
    assert ("social withdrawal", "SIDE_EFFECT", "social withdrawal") in ents(
        tables(nlp, "Heavy kratom use can bring social withdrawal."))
