"""List items after a lead-in ending in ":" and bullet-only lines (segmentation + claims).

A lead-in ("... report the following problems:") gives its subject and
predicate to the list items below it; the first line that is not a list item
ends it.  A bullet alone on its line joins the next line as one item, and the
sentence and claim rows start after the bullet.  The texts are written for
these tests.
"""

from __future__ import annotations

import pytest

from claimex.nlp.extract import DocAccumulator

CAUSES_LIST = ("Kratom is a herbal supplement from Southeast Asia. "
               "Regular users of kratom often report the following problems:\n"
               "- nausea\n"
               "- constipation\n"
               "The leaves are usually dried and ground.\n"
               "- dizziness")
TREATS_LIST = ("Ginger is used for the following conditions:\n"
               "1. nausea\n"
               "2. arthritis\n"
               "Ginger tea is popular in winter.\n"
               "3. headaches")
OWN_CLAIM_AFTER_LIST = ("Kratom can cause the following:\n"
                        "- nausea\n"
                        "- constipation\n"
                        "Kratom may also cause insomnia.")
BARE_BULLETS = "Kratom can cause several problems:\n•\nnausea\n•\nconstipation"
BARE_BULLETS_NO_LEAD_IN = "Kratom has several effects on users.\n•\nnausea after large doses\n•\nconstipation with daily use"


@pytest.fixture(scope="module")
def rows(nlp):
    """Sentence, entity and claim rows of each text, computed once."""
    out = {}
    for name, text in [("causes", CAUSES_LIST), ("treats", TREATS_LIST), ("own", OWN_CLAIM_AFTER_LIST),
                       ("bare", BARE_BULLETS), ("bare_no_lead", BARE_BULLETS_NO_LEAD_IN)]:
        acc = DocAccumulator("d")
        acc.add_piece(nlp(text))
        out[name] = (text, acc)
    return out


def claim_table(acc):
    """(sentence text, subject, predicate, object, polarity) of each claim row."""
    sents = {s["sent_id"]: s["text"] for s in acc.sentences}
    return [(sents[c["sent_id"]], c["subject"], c["predicate"], c["object"], c["polarity"]) for c in acc.claims]


def test_causes_lead_in_gives_its_claim_to_each_item(rows):
    _, acc = rows["causes"]
    assert claim_table(acc) == [
        ("nausea", "kratom", "CAUSES", "nausea", "affirmed"),
        ("constipation", "kratom", "CAUSES", "constipation", "affirmed"),
    ]


def test_list_items_are_their_own_sentences_without_the_marker(rows):
    text, acc = rows["causes"]
    assert [s["text"] for s in acc.sentences] == [
        "Kratom is a herbal supplement from Southeast Asia.",
        "Regular users of kratom often report the following problems:",
        "nausea",
        "constipation",
        "The leaves are usually dried and ground.",
        "dizziness",
    ]
    for s in acc.sentences:
        assert text[s["start_char"]:s["end_char"]] == s["text"]
    assert acc.sentences[2]["start_char"] == text.index("- nausea") + 2


def test_item_claim_rows_cover_the_item_text_only(rows):
    text, acc = rows["causes"]
    nausea, constipation = acc.claims
    assert (nausea["start_char"], nausea["end_char"], nausea["text"]) == (
        text.index("nausea"), text.index("nausea") + len("nausea"), "nausea")
    assert constipation["text"] == "constipation"
    assert [c["sent_id"] for c in acc.claims] == ["d-s0002", "d-s0003"]


def test_list_objects_are_side_effects_in_the_entities_table(rows):
    _, acc = rows["causes"]
    assert [(e["text"], e["label"]) for e in acc.entities if e["sent_id"] in ("d-s0002", "d-s0003")] == [
        ("nausea", "SIDE_EFFECT"), ("constipation", "SIDE_EFFECT")]


def test_a_non_list_line_ends_the_lead_in(rows):
    _, acc = rows["causes"]
    # "- dizziness" comes after "The leaves are ..." and has no claim of its own
    assert not [c for c in acc.claims if c["object"] == "dizziness"]
    assert not [c for c in acc.claims if c["sent_id"] == "d-s0004"]


def test_treats_lead_in_with_numbered_items(rows):
    _, acc = rows["treats"]
    assert claim_table(acc) == [
        ("nausea", "ginger", "TREATS", "nausea", "affirmed"),
        ("arthritis", "ginger", "TREATS", "arthritis", "affirmed"),
    ]
    # treated, the list's symptoms are conditions
    assert [(e["text"], e["label"]) for e in acc.entities if e["sent_id"] in ("d-s0001", "d-s0002")] == [
        ("nausea", "CONDITION"), ("arthritis", "CONDITION")]


def test_numbered_items_after_the_list_are_not_treated(rows):
    text, acc = rows["treats"]
    assert [s["text"] for s in acc.sentences] == [
        "Ginger is used for the following conditions:", "nausea", "arthritis",
        "Ginger tea is popular in winter.", "headaches"]
    assert acc.sentences[1]["start_char"] == text.index("1. nausea") + 3
    assert not [c for c in acc.claims if c["object"] == "headache"]


def test_a_line_after_the_list_keeps_its_own_claim(rows):
    _, acc = rows["own"]
    assert claim_table(acc) == [
        ("nausea", "kratom", "CAUSES", "nausea", "affirmed"),
        ("constipation", "kratom", "CAUSES", "constipation", "affirmed"),
        ("Kratom may also cause insomnia.", "kratom", "CAUSES", "insomnia", "affirmed"),
    ]
    assert acc.claims[2]["hedged"] is True


@pytest.mark.parametrize("name", ["bare", "bare_no_lead"])
def test_bare_bullet_joins_the_next_line(rows, name):
    text, acc = rows[name]
    items = acc.sentences[1:]
    assert len(acc.sentences) == 3
    for s in acc.sentences:
        assert s["text"].strip() not in ("•", "")
        assert text[s["start_char"]:s["end_char"]] == s["text"]
    first_line = text.split("\n")[2]  # the line after the first "•"
    assert items[0]["text"] == first_line
    assert items[0]["start_char"] == text.index("•\n") + 2


def test_bare_bullet_sentences_exactly(rows):
    _, acc = rows["bare_no_lead"]
    assert [(s["start_char"], s["end_char"], s["text"]) for s in acc.sentences] == [
        (0, 36, "Kratom has several effects on users."),
        (39, 63, "nausea after large doses"),
        (66, 93, "constipation with daily use"),
    ]
    # no lead-in ending in ":" here, so the items have no claims
    assert acc.claims == []


def test_bare_bullet_items_take_the_lead_in(rows):
    text, acc = rows["bare"]
    assert claim_table(acc) == [
        ("nausea", "kratom", "CAUSES", "nausea", "affirmed"),
        ("constipation", "kratom", "CAUSES", "constipation", "affirmed"),
    ]
    assert [(c["start_char"], c["end_char"]) for c in acc.claims] == [(37, 43), (46, 58)]
    assert text[37:43] == "nausea" and text[46:58] == "constipation"


def test_doc_sentence_holds_the_bullet_and_its_item(nlp):
    # in the Doc the marker and the item are one sentence; only the rows drop the marker
    doc = nlp(BARE_BULLETS)
    assert [s.text for s in doc.sents] == [
        "Kratom can cause several problems:\n", "•\nnausea\n", "•\nconstipation"]


def _claims(nlp, text):
    doc = nlp(text)
    return [(c["subject"], c["predicate"], c["object"], doc.text[c["start"]:c["end"]].strip())
            for c in doc._.claimex_claims]


def test_title_case_items_under_a_lead_in_are_its_list(nlp):
    # title-case lines may look like a table of contents; under a lead-in they are its items
    text = ("Kratom is sold in many shops. The agency listed the products affected by the recall:\n\n"
            "  • Golden Leaf Kratom Green Powder\n  • Golden Leaf Kratom Red Capsules\n\n"
            "Shops removed them within a week.")
    got = [c for c in _claims(nlp, text) if c[1] == "REGULATED" and c[3].startswith("•")]
    assert got == [("kratom", "REGULATED", "recall", "• Golden Leaf Kratom Green Powder"),
                   ("kratom", "REGULATED", "recall", "• Golden Leaf Kratom Red Capsules")]


def test_a_lead_in_whose_cause_is_an_illness_gives_no_claims(nlp):
    text = ("Kratom is sold in many shops. Tainted food can lead to listeriosis, an illness that causes symptoms such as:\n"
            "- fever\n- chills\n")
    assert [c for c in _claims(nlp, text) if c[2] in ("fever", "chills")] == []


# -- a lead-in that lists remedies (written for these tests)

def test_a_lead_in_naming_what_a_relief_is_for_lists_remedies(claims_of):
    text = ("Sleep tips\n\nThese herbs may help you sleep:\n\n- Valerian root\n- Chamomile\n- Lavender\n\n"
            "The best herbs for anxiety include:\n\n- Kava\n- Chamomile tea\n- Passionflower\n")
    found = set(claims_of(text))
    assert {("valerian", "HAS_EFFECT", "sleep", "affirmed"), ("lavender", "HAS_EFFECT", "sleep", "affirmed"),
            ("kava", "TREATS", "anxiety", "affirmed"), ("passionflower", "TREATS", "anxiety", "affirmed"),
            ("chamomile", "TREATS", "anxiety", "affirmed")} <= found


def test_a_lead_in_naming_its_remedy_still_lists_what_it_treats(claims_of):
    text = "Kratom Guide\n\nKratom is a tree. Kratom may help with:\n\n- Pain\n- Anxiety\n"
    assert claims_of(text) == [("kratom", "TREATS", "pain", "affirmed"), ("kratom", "TREATS", "anxiety", "affirmed")]
