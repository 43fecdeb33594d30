"""The base model's attribute rules and lemmatizer as claimex runs them (by lookup) give spaCy's results."""

from __future__ import annotations

import numpy as np
import pytest
import spacy
from spacy.attrs import DEP, LEMMA, MORPH, POS, TAG
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc

from claimex.errors import ClaimexError
from claimex.nlp.attribute_rules import compile_rules, rule_targets
from claimex.nlp.components.attribute_lookup import AttributeLookup, make_attribute_lookup, model_patterns_path
from claimex.settings import resolve_model

TEXTS = [
    "Kratom is gonna be banned, y'all, and I ain't ready. Let's see what it does to you.",
    "Side effects include:\n\n- nausea\n- constipation\n\nThere are reports of seizures. It was given to them.",
    "C'mon, nothin' works! I did my best; do you have it? We had gotta go.",
    "That which was tested: 2 g of leaf, three times a day. Those who used it said it helped.",
]


@pytest.fixture(scope="module")
def base():
    return spacy.load(resolve_model(), exclude=["ner", "lemmatizer"])


def _both(nlp, text: str) -> tuple[Doc, Doc]:
    doc = nlp(text, disable=["attribute_ruler"]) if "attribute_ruler" in nlp.pipe_names else nlp(text)
    return Doc(nlp.vocab).from_bytes(doc.to_bytes()), Doc(nlp.vocab).from_bytes(doc.to_bytes())


@pytest.mark.parametrize("text", TEXTS)
def test_same_result_as_spacy_ruler_with_the_models_rules(base, text):
    spacy_ruler = base.get_pipe("attribute_ruler")
    lookup = make_attribute_lookup(base, "attribute_ruler", patterns_from=resolve_model(), validate=False)
    assert len(lookup.patterns) == len(spacy_ruler.patterns) > 100
    a, b = _both(base, text)
    spacy_ruler(a)
    lookup(b)
    for attr in (POS, TAG, MORPH, LEMMA, DEP):
        assert np.array_equal(a.to_array([attr]), b.to_array([attr])), (attr, [t.text for t in a])
    assert [t.pos_ for t in b][:3] == [t.pos_ for t in a][:3]


RULES = [
    {"patterns": [[{"TAG": "NN"}]], "attrs": {"POS": "NOUN", "MORPH": "Number=Sing"}},
    {"patterns": [[{"LOWER": "pain", "TAG": "NN"}]], "attrs": {"POS": "PROPN"}},           # overrides rule 0's POS
    {"patterns": [[{"LOWER": "gon"}, {"LOWER": "na"}]], "attrs": {"LEMMA": "to"}, "index": -1},
    {"patterns": [[{"LOWER": {"REGEX": "^rel"}}]], "attrs": {"LEMMA": "relief"}},
    {"patterns": [[{"TAG": {"IN": ["VBZ", "VBD"]}, "LOWER": {"NOT_IN": ["is"]}}]], "attrs": {"POS": "VERB"}},
]


def _tagged(nlp, words, tags):
    doc = Doc(nlp.vocab, words=words)
    for token, tag in zip(doc, tags):
        token.tag_ = tag
    return doc


def test_synthetic_rules_apply_in_order_with_later_values_winning():
    nlp = spacy.blank("en")
    lookup, ruler = AttributeLookup(nlp.vocab), AttributeRuler(nlp.vocab)
    lookup.add_patterns(RULES)
    ruler.add_patterns(RULES)
    words = ["gon", "na", "relieve", "pain", "is", "eased", "relief"]
    tags = ["VBG", "TO", "VB", "NN", "VBZ", "VBD", "NN"]
    a, b = _tagged(nlp, words, tags), _tagged(nlp, words, tags)
    ruler(a)
    lookup(b)
    assert [t.pos_ for t in b] == [t.pos_ for t in a] == ["", "", "", "PROPN", "", "VERB", "NOUN"]
    assert [t.lemma_ for t in b] == [t.lemma_ for t in a] == ["", "to", "relief", "", "", "", "relief"]
    assert str(b[6].morph) == str(a[6].morph) == "Number=Sing"


def test_rule_targets_are_sorted_by_rule_then_token():
    nlp = spacy.blank("en")
    compiled = compile_rules(nlp.vocab, [(r["patterns"], r.get("index", 0)) for r in RULES])
    doc = _tagged(nlp, ["pain", "gon", "na", "pain"], ["NN", "VBG", "TO", "NN"])
    assert rule_targets(doc, compiled) == [(0, 0), (0, 3), (1, 0), (1, 3), (2, 2)]
    assert compiled.matched == [] and [r[0] for r in compiled.scanned] == [3]


def test_a_model_without_attribute_rules_fails_with_E120(tmp_path):
    with pytest.raises(ClaimexError, match=r"\[E120\].*lacks .*attribute_ruler/patterns"):
        model_patterns_path(str(tmp_path))
    with pytest.raises(ClaimexError, match=r"\[E120\]"):
        model_patterns_path("no_such_model_package_xyz")


@pytest.mark.parametrize("text", TEXTS)
def test_lemma_lookup_gives_spacys_lemmas(text):
    from spacy.attrs import LEMMA as LEMMA_ID

    from claimex.nlp.components.lemma_lookup import make_lemma_lookup

    nlp = spacy.load(resolve_model(), exclude=["ner"])
    fast = make_lemma_lookup(nlp, "lemmatizer", lookups_from=resolve_model(), overwrite=False)
    doc = nlp(text, disable=["lemmatizer"])
    a, b = Doc(nlp.vocab).from_bytes(doc.to_bytes()), Doc(nlp.vocab).from_bytes(doc.to_bytes())
    nlp.get_pipe("lemmatizer")(a)
    fast(b)
    assert np.array_equal(a.to_array([LEMMA_ID]), b.to_array([LEMMA_ID]))
    assert [t.lemma_ for t in b if t.lower_ in ("was", "said", "effects")] == \
        [t.lemma_ for t in a if t.lower_ in ("was", "said", "effects")]


def test_lemma_lookup_keeps_lemmas_set_before_it():
    from claimex.nlp.components.lemma_lookup import make_lemma_lookup

    nlp = spacy.load(resolve_model(), exclude=["ner"])
    fast = make_lemma_lookup(nlp, "lemmatizer", lookups_from=resolve_model(), overwrite=False)
    doc = nlp("We were gonna test it.", disable=["lemmatizer"])
    assert doc[2].lemma_ == "go"  # the attribute ruler's exception for "gon"
    fast(doc)
    assert [t.lemma_ for t in doc] == ["we", "be", "go", "to", "test", "it", "."]


def test_a_saved_claimex_pipeline_reloads_with_spacy_load(tmp_path):
    from claimex.nlp.pipeline import load_pipeline

    nlp, _ = load_pipeline()
    text = "Kratom may ease chronic pain, but it isn't approved. Users were gonna quit."
    before = nlp(text)
    nlp.to_disk(tmp_path / "saved")
    loaded = spacy.load(tmp_path / "saved")
    assert type(loaded.get_pipe("attribute_ruler")).__name__ == "AttributeLookup"
    assert type(loaded.get_pipe("lemmatizer")).__name__ == "LemmaLookup"
    assert len(loaded.get_pipe("attribute_ruler").patterns) == len(nlp.get_pipe("attribute_ruler").patterns)
    after = loaded(text)
    assert [(t.pos_, t.lemma_, str(t.morph)) for t in after] == [(t.pos_, t.lemma_, str(t.morph)) for t in before]
    assert [t.lemma_ for t in after][:4] == ["Kratom", "may", "ease", "chronic"]  # a PROPN keeps its case
