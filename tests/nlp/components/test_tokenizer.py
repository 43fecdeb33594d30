"""claimex.citation_tokenizer.v1: citation markers glued to words are split off."""

import pytest
import spacy

from claimex.nlp.components.tokenizer import create_citation_tokenizer


@pytest.fixture(scope="module")
def tokenizer():
    nlp = spacy.blank("en")
    return create_citation_tokenizer()(nlp)


@pytest.mark.parametrize("text, tokens", [
    ("Ginger eased the nausea.3 Later", ["Ginger", "eased", "the", "nausea", ".", "3", "Later"]),
    ("and joint pain.2,5 ok", ["and", "joint", "pain", ".", "2,5", "ok"]),
    ("fewer cramps.4–6 here", ["fewer", "cramps", ".", "4–6", "here"]),
    ("can be fatal.[2][9] Next", ["can", "be", "fatal", ".", "[", "2", "]", "[", "9", "]", "Next"]),
    ("less worry(3-4) and", ["less", "worry", "(", "3", "-", "4", ")", "and"]),
])
def test_markers_are_split_from_the_word(tokenizer, text, tokens):
    assert [t.text for t in tokenizer(text)] == tokens


@pytest.mark.parametrize("text, tokens", [
    ("Take 0.5 g daily", ["Take", "0.5", "g", "daily"]),
    ("version 3.11 works", ["version", "3.11", "works"]),
    ("as in e.g. this", ["as", "in", "e.g.", "this"]),
])
def test_decimals_and_abbreviations_are_untouched(tokenizer, text, tokens):
    assert [t.text for t in tokenizer(text)] == tokens


def test_the_claimex_pipeline_uses_it_and_tags_the_word(nlp):
    doc = nlp("Magnesium may ease cramps.4 Users agree.")
    assert "cramps" in [t.text for t in doc]
    assert ("cramps", "CONDITION") in [(doc.text[e["start"]:e["end"]], e["label"]) for e in doc._.claimex_ents]
