"""REGULATED claims (claimex.nlp.claims.regulatory_claims) through the full pipeline.

The status a sentence gives a substance ("approved", "banned", "legal", ...)
is the claim's object; "has not approved" and "illegal" state the status
negated.  The sentences are written for these tests.
"""

from __future__ import annotations

import pytest


def regulated(nlp, text: str, start: int = 0):
    """(subject, subject_text, object, object_text, polarity) of each REGULATED claim from ``start`` on."""
    doc = nlp(text)
    return [(c["subject"], c["subject_text"], c["object"], c["object_text"], c["polarity"])
            for c in doc._.claimex_claims if c["predicate"] == "REGULATED" and c["start"] >= start]


def test_has_not_approved_is_approved_negated(nlp):
    assert regulated(nlp, "The FDA has not approved kratom for any medical use.") == [
        ("kratom", "kratom", "approved", "approved", "negated")]


def test_banned_is_affirmed(nlp):
    assert regulated(nlp, "Several states have banned kratom.") == [
        ("kratom", "kratom", "banned", "banned", "affirmed")]


def test_illegal_is_legal_negated(nlp):
    assert regulated(nlp, "Kratom is illegal in Alabama.") == [
        ("kratom", "Kratom", "legal", "illegal", "negated")]


def test_legal_to_buy_after_a_sentence_about_kratom(nlp):
    first = "Kratom is a herbal supplement. "
    claims = regulated(nlp, first + "It is legal to buy kratom in most states.", start=len(first))
    assert [(s, o, p) for s, _, o, _, p in claims] == [("kratom", "legal", "affirmed")]


def test_not_a_controlled_substance_is_negated(nlp):
    assert regulated(nlp, "Kratom is not a controlled substance under federal law.") == [
        ("kratom", "Kratom", "controlled substance", "controlled", "negated")]


def test_pronoun_subject_is_the_main_substance(nlp):
    first = "Kratom comes from Southeast Asia. "
    # the subject is the article's substance by name ("It" has no entity span)
    assert regulated(nlp, first + "It is banned in Indiana.", start=len(first)) == [
        ("kratom", "kratom", "banned", "banned", "affirmed")]


@pytest.mark.parametrize("text", [
    "Kratom is a herbal supplement. Follow a dosing schedule of 2 grams of kratom.",
    "Doctors recommend a gradual tapering schedule for kratom users.",
])
def test_a_schedule_noun_is_no_regulation(nlp, text):
    # "scheduled" is a regulatory cue only as a verb
    assert regulated(nlp, text) == []


def test_dosing_schedule_sentence_keeps_its_dosage_claim(nlp):
    doc = nlp("Kratom is a herbal supplement. Follow a dosing schedule of 2 grams of kratom.")
    assert sorted((c["subject"], c["predicate"], c["object"]) for c in doc._.claimex_claims) == [
        ("kratom", "DOSAGE", "2 g")]


def test_recall_is_affirmed(nlp):
    assert regulated(nlp, "In 2024 the company announced a recall of its kratom capsules.") == [
        ("kratom", "kratom", "recall", "recall", "affirmed")]


def test_regulated_claim_row_spans_the_whole_sentence(nlp):
    text = "The FDA has not approved kratom for any medical use."
    (claim,) = [c for c in nlp(text)._.claimex_claims if c["predicate"] == "REGULATED"]
    assert (claim["start"], claim["end"]) == (0, len(text))
    assert claim["hedged"] is False and claim["certainty"] == "asserted"


def _reg(nlp, text, prelude="Kratom is a tropical plant. "):
    return sorted((s, o, p) for s, _, o, _, p in regulated(nlp, prelude + text, start=len(prelude)))


def test_illegal_with_an_age_limit_is_a_restriction(nlp):
    assert _reg(nlp, "In Ohio it is illegal to sell kratom to anyone under the age of 21.") == [
        ("kratom", "restricted", "affirmed")]


def test_legal_but_illegal_without_a_license_is_legal_and_restricted(nlp):
    assert _reg(nlp, "Kratom is legal in Texas, but it is illegal to sell it without a license.") == [
        ("kratom", "legal", "affirmed"), ("kratom", "restricted", "affirmed")]


def test_off_label_is_approved_negated(nlp):
    assert _reg(nlp, "Doctors prescribe naltrexone as an off-label treatment for chronic pain.", prelude="") == [
        ("naltrexone", "approved", "negated")]


def test_a_law_named_after_a_status_is_no_status_and_no_subject(nlp):
    assert _reg(nlp, "The herb was declared illegal under the narcotics act.") == [("kratom", "legal", "negated")]


def test_no_longer_illegal_is_legal(nlp):
    assert _reg(nlp, "From June the leaves will no longer be illegal.") == [("kratom", "legal", "affirmed")]


def test_legalization_noun_is_legal(nlp):
    assert _reg(nlp, "After the legalization of kratom, many shops opened.") == [("kratom", "legal", "affirmed")]


def test_the_recall_stands_for_the_article_substance(nlp):
    assert _reg(nlp, "The recall was announced on Friday by the agency.") == [("kratom", "recall", "affirmed")]


@pytest.mark.parametrize("text", [
    "Experts at the meeting discussed the legal landscape for several hours.",
    "Magnesium helps the body regulate blood pressure and nerve signals.",
    "In 2019 the agency attempted to classify kratom as a controlled substance.",
    "Visitors to Ban Khao village can walk through the gardens.",
])
def test_statements_that_give_no_status(nlp, text):
    assert _reg(nlp, text) == []


def test_items_under_a_recall_lead_in_are_recall_claims(nlp):
    text = ("Kratom is sold online. Products affected by the recall include:\n"
            "  • Green Maeng Da Kratom powder\n  • Red Bali capsules\nKratom is popular.")
    doc = nlp(text)
    got = [(c["subject"], c["object"], doc.text[c["start"]:c["end"]].strip()) for c in doc._.claimex_claims
           if c["predicate"] == "REGULATED"]
    assert got == [("kratom", "recall", "• Green Maeng Da Kratom powder"), ("kratom", "recall", "• Red Bali capsules")]


def test_a_capitalised_cue_inside_a_place_name_is_no_status(nlp):
    assert _reg(nlp, "Farmers in the Ban Khao district grow kratom trees.") == []


@pytest.mark.parametrize("text, status", [
    ("Nabilone was regulated by the FDA for the treatment of nausea.", "approved"),
    ("The agency regulates nabilone for the relief of nausea in cancer patients.", "approved"),
    ("Some states regulate the sale of kratom.", "restricted"),
    ("Some states restrict kratom for use by minors.", "restricted"),
])
def test_regulate_naming_a_permitted_use_is_approval(nlp, text, status):
    assert [o for _, _, o, _, _ in regulated(nlp, text)] == [status]


@pytest.mark.parametrize("text, expected", [
    # a kind described by a status is another substance, unless it is the remedy spoken of (written for the test)
    ("Kratom is a tree. Adverse reactions of the approved drugs include nausea and dizziness.", []),
    ("Kratom is a tree. Parents should know more about this cheap legal product.",
     [("kratom", "REGULATED", "legal", "affirmed")]),
    ("Kratom is a tree. Banned kratom products were seized.", [("kratom", "REGULATED", "banned", "affirmed")]),
])
def test_a_status_describing_a_kind(claims_of, text, expected):
    assert claims_of(text) == expected


@pytest.mark.parametrize("text, expected", [
    # a status only planned or intended is not given (written for the test)
    ("Kratom is a tree. The DEA announced its intent to schedule kratom in 2016.", []),
    ("Kratom is a tree. Several states plan to ban kratom.", []),
    ("Kratom is a tree. Kratom is banned in six states.", [("kratom", "REGULATED", "banned", "affirmed")]),
])
def test_a_planned_status_is_not_given(claims_of, text, expected):
    assert claims_of(text) == expected
