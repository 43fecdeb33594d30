"""CONDITION vs SIDE_EFFECT by the sentence's role, and the issue-16 lexicon additions."""

from __future__ import annotations

import pytest
import spacy

import claimex.nlp.components.entity_tagger  # noqa: F401  (registers the factory)
from claimex.settings import resolve_model


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.load(resolve_model(), exclude=["ner"])
    nlp.add_pipe("claimex_entities")
    return nlp


def labels(nlp, text: str) -> list[tuple[str, str, str]]:
    doc = nlp(text)
    return [(doc.text[e["start"]:e["end"]], e["label"], e["canonical"]) for e in doc._.claimex_ents]


@pytest.mark.parametrize("text, word, label", [
    ("Large amounts of kava can cause nausea in some drinkers.", "nausea", "SIDE_EFFECT"),
    ("Ginger tea is an old remedy that relieves nausea after meals.", "nausea", "CONDITION"),
    ("My old knee injury causes pain every winter.", "pain", "CONDITION"),  # not a substance's harm
    ("Doctors warned that the pills may trigger anxiety.", "anxiety", "CONDITION"),  # pills: no entity
    ("Users who treat kratom addiction need support.", "addiction", "SIDE_EFFECT"),  # the remedy's own harm
    ("The balm is sold to ease diarrhea on long trips.", "diarrhea", "CONDITION"),
    ("Reported side effects of the tincture were headache and insomnia.", "insomnia", "SIDE_EFFECT"),
])
def test_role_follows_the_sentence(nlp, text, word, label):
    found = {w: lab for w, lab, _ in labels(nlp, text)}
    assert found[word] == label


def test_a_stop_word_ends_the_role_search(nlp):
    found = {w: lab for w, lab, _ in labels(nlp, "It eased the cramps without sedation.")}
    assert found["sedation"] == "SIDE_EFFECT"


@pytest.mark.parametrize("text, span, canonical", [
    ("In Thailand it is also called ketom or ithang.", "ketom", "kratom"),
    ("Kratom (Mitragyna speciosa Korthals) grows there.", "Mitragyna speciosa Korthals", "kratom"),
    ("It has opioid-like effects at high doses.", "opioid-like effects", "opioid-like effects"),
    ("Frankincense resin is burned in temples.", "Frankincense", "boswellia"),
    ("Some take anti-depressants as well.", "anti-depressants", "antidepressants"),
    ("The kava root is ground to a powder.", "kava", "kava"),
    ("An outbreak of salmonella infections was reported.", "salmonella", "salmonella"),
])
def test_issue_16_terms(nlp, text, span, canonical):
    assert (span, canonical) in {(w, c) for w, _, c in labels(nlp, text)}


@pytest.mark.parametrize("text, absent", [
    ("The tree belongs to the coffee family, Rubiaceae.", "coffee"),
    ("It is a member of the Mitragyna genus.", "Mitragyna"),
    ("It was banned under the narcotics law in 1979.", "narcotics"),
    ("The National Institute on Drug Abuse funds such studies.", "Drug Abuse"),
    ("See J Pain Res 2020;13:1-9 for the trial.", "Pain"),
    ("The Office of the Narcotics Control Board approved it.", "Narcotics"),
])
def test_names_of_families_laws_and_organisations_are_no_mentions(nlp, text, absent):
    assert absent not in {w for w, _, _ in labels(nlp, text)}


def test_non_prefix_keeps_the_substance(nlp):
    assert ("kratom", "SUBSTANCE", "kratom") in labels(nlp, "We compared users with non-kratom-using controls.")


def test_an_unknown_definition_that_spells_the_lexicon_term_keeps_it(nlp):
    text = "Many describe PAWS (Post Acute Withdrawal Symptoms). PAWS can last for months."
    found = [(w, c) for w, _, c in labels(nlp, text)]
    assert found.count(("PAWS", "post-acute withdrawal syndrome")) == 2
    text = "Samples were read by MS (mass spectrometry). MS confirmed the alkaloid."
    assert "multiple sclerosis" not in {c for _, _, c in labels(nlp, text)}


def test_cold_turkey_is_its_own_therapy(nlp):
    assert ("cold turkey", "THERAPY", "cold turkey") in labels(nlp, "Some users quit cold turkey.")


def test_a_lead_in_gives_its_list_the_role(nlp):
    text = "Kratom withdrawal symptoms\n• Common symptoms: anxiety, insomnia, muscle aches\n"
    found = {w: lab for w, lab, _ in labels(nlp, text)}
    assert (found["anxiety"], found["insomnia"]) == ("SIDE_EFFECT", "SIDE_EFFECT")
    text = "Fibromyalgia symptoms include: 1. Exhaustion and nausea"
    found = {w: lab for w, lab, _ in labels(nlp, text)}
    assert found["nausea"] == "CONDITION"


def test_a_line_of_prose_takes_no_lead_in_from_the_line_before(nlp):
    text = "Possible side effects\nIf you have ever had anxiety, you know it."
    assert {w: lab for w, lab, _ in labels(nlp, text)}["anxiety"] == "CONDITION"
