"""claimex.nlp.doctext: a Doc's text built once and kept."""

import spacy
from spacy.tokens import Doc

from claimex.nlp.doctext import doc_text, keep_text


def _blank():
    return spacy.blank("en")


def test_doc_text_equals_doc_text_attribute_and_is_kept():
    doc = _blank()("Ginger eased the nausea.  Twice a day.")
    text = doc_text(doc)
    assert text == "Ginger eased the nausea.  Twice a day."
    assert doc_text(doc) is text  # the same string object: built once


def test_doc_text_of_an_empty_doc():
    assert doc_text(_blank()("")) == ""


def test_keep_text_is_what_later_calls_return():
    doc = _blank()("Turmeric tea")
    built = "".join(t.text_with_ws for t in doc)
    assert keep_text(doc, built) is built
    assert doc_text(doc) is built


def test_a_kept_text_of_another_length_is_rebuilt():
    # Doc.from_docs copies the first Doc's user_data: the kept text no longer fits
    nlp = _blank()
    first, second = nlp("Willow bark helps."), nlp("Arnica gel too.")
    doc_text(first)
    joined = Doc.from_docs([first, second])
    assert doc_text(joined) == "Willow bark helps. Arnica gel too."


def test_count_words_leaves_out_spaces_and_punctuation():
    from claimex.nlp.extract import count_words

    doc = _blank()("Kava, taken twice daily,\n\nrelaxed 12 people!  ")
    assert count_words(doc) == sum(1 for t in doc if not (t.is_space or t.is_punct)) == 7
    assert count_words(_blank()("")) == 0
