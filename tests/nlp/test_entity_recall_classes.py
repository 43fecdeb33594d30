"""Issue 16, kratom recall: span conventions, word forms and phrase classes that real pages use
(the classes of the dev-gold misses; every sentence here is written for the test)."""

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


def ents(nlp, text: str) -> list[tuple[str, str, str]]:
    doc = nlp(text)
    return [(doc.text[e["start"]:e["end"]], e["label"], e["canonical"]) for e in doc._.claimex_ents]


@pytest.mark.parametrize("text, expected", [
    # degree words are no part of the span
    ("The tea eased her mild pain within an hour.", ("pain", "CONDITION", "pain")),
    ("He woke up in excruciating pain.", ("pain", "CONDITION", "pain")),
    # the noun "taper" is the therapy
    ("She wrote a slow kratom taper schedule on the fridge.", ("taper", "THERAPY", "tapering")),
    ("The powder gives an opioid-like high.", ("opioid-like high", "EFFECT", "opioid-like effects")),
    ("Strong extracts hit like grain alcohol.", ("grain alcohol", "SUBSTANCE", "alcohol")),
    # a modifier mention counts: "kratom" in "kratom alkaloids", "overdose" in "overdose deaths"
    ("Urine tests look for kratom alkaloids.", ("kratom", "SUBSTANCE", "kratom")),
    ("Urine tests look for kratom alkaloids.", ("alkaloids", "GENERIC", "alkaloids")),
    ("Overdose deaths rose again last year.", ("Overdose", "SIDE_EFFECT", "overdose")),
    ("Overdose deaths rose again last year.", ("deaths", "SIDE_EFFECT", "death")),
    # "withdrawal symptoms" is one span, with a kind modifier too
    ("Psychological withdrawal symptoms can last for months.",
     ("Psychological withdrawal symptoms", "SIDE_EFFECT", "psychological withdrawal")),
    ("Post-acute withdrawal symptoms often follow the first week.",
     ("Post-acute withdrawal symptoms", "SIDE_EFFECT", "post-acute withdrawal syndrome")),
    ("Users tried to stave off the withdrawal side effects.",
     ("withdrawal side effects", "SIDE_EFFECT", "withdrawal")),
    ("Mixing it with sleeping pills risks respiratory suppression.",
     ("respiratory suppression", "SIDE_EFFECT", "respiratory depression")),
    ("The first sign was an increase in heart rate.", ("increase in heart rate", "SIDE_EFFECT", "tachycardia")),
    ("The biopsy confirmed acute liver injury.", ("acute liver injury", "SIDE_EFFECT", "liver damage")),
    ("Farmers chewed the leaves for coughs and intestinal infections.",
     ("intestinal infections", "CONDITION", "intestinal infection")),
    ("The trial measured a reduction in disability after twelve weeks.", ("disability", "CONDITION", "disability")),
    ("Older users face a higher risk of falls.", ("risk of falls", "SIDE_EFFECT", "falls")),
    # word forms: verbs and adjectives of a harm, a disturbed function
    ("Teenagers were abusing the pills at parties.", ("abusing", "SIDE_EFFECT", "abuse")),
    ("He said he was hooked within a month.", ("hooked", "SIDE_EFFECT", "addiction")),
    ("Patients with fibromyalgia often have disturbed sleep.", ("disturbed sleep", "CONDITION", "sleep disturbances")),
    ("Little is known about its cardiotoxic effects.", ("cardiotoxic effects", "SIDE_EFFECT", "heart problems")),
])
def test_terms_and_spans(nlp, text, expected):
    assert expected in ents(nlp, text)


@pytest.mark.parametrize("text, expected", [
    ("The leaf has opioid and stimulant properties.", ("opioid", "EFFECT", "opioid-like effects")),
    ("The herb is an opiate and stimulant like plant.", ("opiate", "EFFECT", "opioid-like effects")),
    ("Fans praise its anti-anxiety and antidepressant effects.", ("antidepressant", "EFFECT", "antidepressants")),
    ("Sellers market it as an anti-anxiety and antidepressant.", ("antidepressant", "EFFECT", "antidepressants")),
])
def test_a_drug_class_beside_an_effect_names_an_effect(nlp, text, expected):
    assert expected in ents(nlp, text)


@pytest.mark.parametrize("text, expected", [
    ("Never mix it with an opioid or alcohol.", ("opioid", "SUBSTANCE", "opioids")),
    ("She takes an antidepressant and a stimulant.", ("antidepressant", "SUBSTANCE", "antidepressants")),
    ("Opioid and benzodiazepine users were excluded.", ("Opioid", "SUBSTANCE", "opioids")),
])
def test_a_drug_class_stays_a_substance_elsewhere(nlp, text, expected):
    assert expected in ents(nlp, text)


@pytest.mark.parametrize("text, expected", [
    ("Some people chew the leaves just to get high.", ("high", "EFFECT", "high")),
    ("It gives users that \u201chigh\u201d feeling.", ("high", "EFFECT", "high")),
    ("Workers say the tea helps them focus on long shifts.", ("focus", "EFFECT", "focus")),
    ("The leaves keep you focused during the night shift.", ("focused", "EFFECT", "focus")),
])
def test_an_effect_word_as_a_verb_complement(nlp, text, expected):
    assert expected in ents(nlp, text)


@pytest.mark.parametrize("text, word", [
    ("Kratom is sometimes taken at high doses.", "high"),
    ("In this review we focus on liver safety.", "focus"),
    ("It is wise to taper off slowly over weeks.", "taper"),
    ("The plant falls into the adaptogen group.", "falls"),
    ("Possession can bring the death penalty there.", "death"),
    ("Cortisol, the stress hormone, rose in both groups.", "stress"),
    ("The effect is dose dependent and varies.", "dependent"),
    ("Samples were analysed by GC\u2013MS in two labs.", "MS"),
])
def test_not_a_mention(nlp, text, word):
    assert word not in {w for w, _, _ in ents(nlp, text)}


def test_a_cased_acronym_alone_is_still_matched(nlp):
    assert ("MS", "CONDITION", "multiple sclerosis") in ents(nlp, "She was diagnosed with MS in 2019.")


@pytest.mark.parametrize("text, span", [
    ("It may interact with drugs for cardiovascular conditions.", "cardiovascular conditions"),
    ("Traditional uses include digestive ailments and fever.", "digestive ailments"),
    ("Users self-medicating psychiatric symptoms need supervision.", "psychiatric symptoms"),
    ("Many patients also have memory issues.", "memory issues"),
    ("The cream is sold for skin conditions.", "skin conditions"),
])
def test_a_body_system_condition_phrase_is_a_condition(nlp, text, span):
    assert (span, "CONDITION", span) in ents(nlp, text)


@pytest.mark.parametrize("text, expected", [
    ("People with health problems should ask a doctor.", ("health problems", "GENERIC", "conditions")),
    ("Physical symptoms include sweating.", ("symptoms", "GENERIC", "symptoms")),
])
def test_a_generic_modifier_leaves_a_generic_word(nlp, text, expected):
    assert expected in ents(nlp, text)


@pytest.mark.parametrize("text, word, label", [
    ("The leaf is used for opioid addiction and withdrawal.", "withdrawal", "CONDITION"),
    ("Kratom addiction and withdrawal are real risks.", "withdrawal", "SIDE_EFFECT"),
    ("It is sold as a treatment for pain, anxiety and drug dependence.", "drug dependence", "CONDITION"),
    ("It is taken for its sedative effects.", "sedative", "SIDE_EFFECT"),
])
def test_role_of_coordinated_and_treated_harms(nlp, text, word, label):
    found = {w: lab for w, lab, _ in ents(nlp, text)}
    assert found[word] == label
