"""The claims' shortcuts give the same claims as reading every sentence, and an unparsed sentence makes none."""

from __future__ import annotations

import numpy
from spacy.tokens import Doc

from claimex.nlp.claims import extract_claims
from claimex.nlp.claims.document import _ParagraphEvidence, _token_masks

TEXT = ("Kratom is a herbal supplement from Mitragyna speciosa. The weather was pleasant that week. "
        "Kratom may ease chronic pain. It was banned in two states last year.")


def _keys(claims):
    return sorted((c["subject"], c["predicate"], c["object"], c["polarity"], c["start"]) for c in claims)


def _unparse(doc, *sent_indices: int) -> Doc:
    """A copy of ``doc`` whose sentences ``sent_indices`` have no POS, dependency label or head.

    With some sentences parsed, spaCy derives the sentences from the heads: an unparsed
    sentence joins the one before it.  With none parsed, the sentence starts are kept.
    """
    sents = list(doc.sents)
    attrs = ["LEMMA", "POS", "TAG", "DEP", "HEAD"] if len(sent_indices) < len(sents) else ["LEMMA", "SENT_START"]
    arr = doc.to_array(attrs).copy()
    for k in sent_indices:
        for name in ("POS", "TAG", "DEP", "HEAD"):
            if name in attrs:
                arr[sents[k].start:sents[k].end, attrs.index(name)] = 0
    out = Doc(doc.vocab, words=[t.text for t in doc], spaces=[bool(t.whitespace_) for t in doc])
    out.from_array(attrs, arr)
    for key in ("claimex_ents", "claimex_cues", "claimex_blocks"):
        out._.set(key, doc._.get(key))
    return out


def test_an_unparsed_sentence_makes_no_claim_and_the_others_keep_theirs(nlp):
    doc = nlp(TEXT)
    rules = nlp.get_pipe("claimex_claims").rules
    full = _keys(extract_claims(doc, rules))
    assert full == [("kratom", "REGULATED", "banned", "affirmed", 121),
                    ("kratom", "TREATS", "chronic pain", "affirmed", 91)]
    # the third sentence ("Kratom may ease chronic pain.") without its parse: no claim from it
    unparsed = _unparse(doc, 2)
    third = unparsed.char_span(91, 120, alignment_mode="expand")
    assert third.text == "Kratom may ease chronic pain." and all(t.dep_ == "" and t.pos_ == "" for t in third)
    assert _keys(extract_claims(unparsed, rules)) == [("kratom", "REGULATED", "banned", "affirmed", 121)]


def test_a_doc_with_no_parse_at_all_gives_no_claims(nlp):
    doc = nlp(TEXT)
    rules = nlp.get_pipe("claimex_claims").rules
    bare = _unparse(doc, *range(len(list(doc.sents))))
    assert len(list(bare.sents)) == 4 and not bare.has_annotation("DEP")
    assert extract_claims(bare, rules) == []


def test_token_masks_mark_parsed_tokens_and_regulatory_words(nlp):
    doc = nlp("Kratom was banned. The sky is blue.")
    rules = nlp.get_pipe("claimex_claims").rules
    parsed, cue = _token_masks(doc, rules)
    assert parsed.tolist() == [True] * len(doc)
    assert [t.text for t, c in zip(doc, cue) if c] == ["banned"]  # the lemma "ban" is a cue


def test_paragraph_evidence_is_the_last_evidence_before_the_sentence(nlp):
    rules = nlp.get_pipe("claimex_claims").rules
    para = _ParagraphEvidence(rules)
    k0 = para.add("A 2019 randomized trial of 120 patients tested it.", 0, "")
    k1 = para.add("Pain fell.", 52, "")
    k2 = para.add("The researchers saw less pain.", 63, "")
    assert para.own(k1) is None
    assert para.earlier(k2) == para.own(k0) is not None
    assert para.earlier(k0) is None
    para.reset()
    assert para.earlier(para.add("Pain fell.", 100, "")) is None
