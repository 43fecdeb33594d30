"""Amounts that are not doses: lab values, body weights, seized quantities (claimex.nlp.dose.is_not_a_dose).

Checked on the bare functions and through the full pipeline's entity tagging.
The sentences are written for these tests.
"""

from __future__ import annotations

import pytest

from claimex.nlp.dose import Dose, find_doses, is_not_a_dose


def amounts(text: str):
    """(surface, canonical, not-a-dose) of each amount the dose patterns find."""
    return [(text[d.start:d.end], d.canonical, is_not_a_dose(text, d)) for d in find_doses(text)]


def dose_ents(nlp, text: str):
    doc = nlp(text)
    return [(doc.text[e["start"]:e["end"]], e["canonical"], e["dose_min"], e["dose_max"], e["dose_unit"],
             e["dose_period"]) for e in doc._.claimex_ents if e["label"] == "DOSE"]


@pytest.mark.parametrize("text, expected", [
    # a concentration: "/dL" after the amount
    ("Her total bilirubin was 9.5 mg/dL at admission.", [("9.5 mg", "9.5 mg", True)]),
    # a lab word before the amount
    ("Her serum creatinine was 1.8 mg.", [("1.8 mg", "1.8 mg", True)]),
    # a body weight unit
    ("She gained 2 kilograms in a month.", [("2 kilograms", "2 kg", True)]),
    ("He weighed 70 kg.", [("70 kg", "70 kg", True)]),
    # a seized quantity
    ("Police seized 6 kg of kratom from the warehouse.", [("6 kg", "6 kg", True)]),
    ("Officers seized 300 grams of kratom powder.", [("300 grams", "300 g", True)]),
    # amounts taken
    ("Take 2 to 4 grams per day.", [("2 to 4 grams per day", "2–4 g/day", False)]),
    ("Users take 5 grams of kratom.", [("5 grams", "5 g", False)]),
    ("Give 2 mg/kg of the drug.", [("2 mg/kg", "2 mg/kg", False)]),
    # the lab word is in an earlier sentence
    ("Lab results were normal. Take 3 grams of kratom.", [("3 grams", "3 g", False)]),
    # a body weight and a dose in one sentence
    ("A 70 kg adult took 8 grams.", [("70 kg", "70 kg", True), ("8 grams", "8 g", False)]),
])
def test_is_not_a_dose(text, expected):
    assert amounts(text) == expected


def test_is_not_a_dose_on_a_hand_made_dose():
    text = "total bilirubin 9.5 mg/dL"
    start = text.index("9.5")
    dose = Dose(start, start + len("9.5 mg"), 9.5, 9.5, "mg")
    assert is_not_a_dose(text, dose) is True
    text2 = "take 9.5 mg daily"
    dose2 = Dose(5, 11, 9.5, 9.5, "mg")
    assert is_not_a_dose(text2, dose2) is False


@pytest.mark.parametrize("text", [
    "Her total bilirubin 9.5 mg/dL was high after kratom use.",
    "She gained 2 kilograms while taking kratom.",
    "Police seized 6 kg of kratom from the warehouse.",
])
def test_pipeline_tags_no_dose(nlp, text):
    doc = nlp(text)
    assert dose_ents(nlp, text) == []
    assert [c for c in doc._.claimex_claims if c["predicate"] == "DOSAGE"] == []
    # the substance is still tagged
    assert [(doc.text[e["start"]:e["end"]], e["label"]) for e in doc._.claimex_ents] == [("kratom", "SUBSTANCE")]


def test_pipeline_tags_a_daily_range_as_a_dose(nlp):
    text = "Take 2 to 4 grams per day of kratom."
    assert dose_ents(nlp, text) == [("2 to 4 grams per day", "2–4 g/day", 2.0, 4.0, "g", "day")]
    claims = [(c["subject"], c["predicate"], c["object"], c["dose_min"], c["dose_max"], c["dose_unit"],
               c["dose_period"]) for c in nlp(text)._.claimex_claims]
    assert claims == [("kratom", "DOSAGE", "2–4 g/day", 2.0, 4.0, "g", "day")]


def test_a_weight_before_a_dose_does_not_hide_the_dose():
    text = "She weighed 60 kg and took 3 g a day."
    doses = [d for d in find_doses(text) if not is_not_a_dose(text, d)]
    assert [d.canonical for d in doses] == ["3 g/day"]


@pytest.mark.parametrize("text", [
    "The daily use fell by -0.64 mg of oral morphine, CI -1.1 to -0.2.",
    "The change was 0.18 mg of morphine (95% CI -0.02 to 0.39) in controls.",
])
def test_statistics_are_not_doses(text):
    assert [d.canonical for d in find_doses(text) if not is_not_a_dose(text, d)] == []


def test_a_range_written_with_a_hyphen_is_still_a_dose():
    text = "Most guides suggest 2-4 g per day."
    assert [d.canonical for d in find_doses(text) if not is_not_a_dose(text, d)] == ["2–4 g/day"]


@pytest.mark.parametrize("text, expected", [
    # issue 22 (Low): the tokenizer's "g." token gave the entity "2 — 4 g." with the full stop
    ("The usual kratom dose is 2 \u2014 4 g.", [("2 \u2014 4 g", "2–4 g", 2.0, 4.0, "g", None)]),
    ("Some users take 4 g. of kratom.", [("4 g", "4 g", 4.0, 4.0, "g", None)]),
    # full-width digits and unit: the stored text keeps them, the dose is read
    ("Some take \uff15\uff47 of kratom daily.", [("\uff15\uff47", "5 g", 5.0, 5.0, "g", None)]),
    # the Unicode minus is a range dash, not a negative first number
    ("Take 1\u22123 grams of kratom.", [("1\u22123 grams", "1–3 g", 1.0, 3.0, "g", None)]),
])
def test_pipeline_dose_spans_keep_punctuation_out_and_read_unicode_forms(nlp, text, expected):
    assert dose_ents(nlp, text) == expected
