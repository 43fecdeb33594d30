"""Tests for claimex.nlp.dose: numeric doses in running text."""

from __future__ import annotations

import json

import pytest

from claimex.nlp.dose import (
    Dose,
    DosePatterns,
    find_doses,
    format_dose,
    is_not_a_dose,
    load_default_dose_patterns,
    parse_number,
)
from claimex.errors import ClaimexError


def one(text: str) -> tuple:
    doses = find_doses(text)
    assert len(doses) == 1, doses
    d = doses[0]
    return text[d.start:d.end], d.dose_min, d.dose_max, d.unit, d.period


@pytest.mark.parametrize("text, expected", [
    ("1 to 5 grams", ("1 to 5 grams", 1.0, 5.0, "g", None)),
    ("12 to 15 grams within a 24-hour period", ("12 to 15 grams within a 24-hour period", 12.0, 15.0, "g", "24 h")),
    ("5–15 g", ("5–15 g", 5.0, 15.0, "g", None)),
    ("2-4g", ("2-4g", 2.0, 4.0, "g", None)),
    ("a 3 gram dose", ("3 gram", 3.0, 3.0, "g", None)),
    ("between 5 to 15 grams", ("between 5 to 15 grams", 5.0, 15.0, "g", None)),
    ("between 5 and 15 grams", ("between 5 and 15 grams", 5.0, 15.0, "g", None)),
    ("up to 10 g per day", ("up to 10 g per day", None, 10.0, "g", "day")),
    ("500 mg twice daily", ("500 mg twice daily", 500.0, 500.0, "mg", "2x/day")),
    ("1.5 g", ("1.5 g", 1.5, 1.5, "g", None)),
    ("2 to 4 capsules", ("2 to 4 capsules", 2.0, 4.0, "capsule", None)),
    ("0.5 mg/kg", ("0.5 mg/kg", 0.5, 0.5, "mg/kg", None)),
    ("100 mcg", ("100 mcg", 100.0, 100.0, "µg", None)),
    ("50 µg", ("50 µg", 50.0, 50.0, "µg", None)),
    ("50 μg", ("50 μg", 50.0, 50.0, "µg", None)),  # Greek mu
    ("5 ml", ("5 ml", 5.0, 5.0, "ml", None)),
    ("10 milliliters", ("10 milliliters", 10.0, 10.0, "ml", None)),
    ("2 kilograms", ("2 kilograms", 2.0, 2.0, "kg", None)),
    ("250 milligrams", ("250 milligrams", 250.0, 250.0, "mg", None)),
    ("1 teaspoon", ("1 teaspoon", 1.0, 1.0, "tsp", None)),
    ("1-2 tsp", ("1-2 tsp", 1.0, 2.0, "tsp", None)),
    ("3 gms", ("3 gms", 3.0, 3.0, "g", None)),
    ("500 mg once daily", ("500 mg once daily", 500.0, 500.0, "mg", "day")),
    ("10 mg three times a day", ("10 mg three times a day", 10.0, 10.0, "mg", "3x/day")),
    ("2 g two times per week", ("2 g two times per week", 2.0, 2.0, "g", "2x/week")),
    ("4 g daily", ("4 g daily", 4.0, 4.0, "g", "day")),
    ("4 g a day", ("4 g a day", 4.0, 4.0, "g", "day")),
    ("4 g/day", ("4 g/day", 4.0, 4.0, "g", "day")),
    ("8 grams weekly", ("8 grams weekly", 8.0, 8.0, "g", "week")),
    ("5 g per 24 hours", ("5 g per 24 hours", 5.0, 5.0, "g", "24 h")),
    ("5 mg every 4-6 hours", ("5 mg every 4-6 hours", 5.0, 5.0, "mg", "4–6 h")),
    ("20 mg/kg/day", ("20 mg/kg/day", 20.0, 20.0, "mg/kg", "day")),
    ("at least 5 g", ("at least 5 g", 5.0, None, "g", None)),
    ("no more than 8 grams per day", ("no more than 8 grams per day", None, 8.0, "g", "day")),
    ("less than 2 g", ("less than 2 g", None, 2.0, "g", None)),
    ("two to three grams a day", ("two to three grams a day", 2.0, 3.0, "g", "day")),
    ("1,000 mg", ("1,000 mg", 1000.0, 1000.0, "mg", None)),
    ("1/2 teaspoon", ("1/2 teaspoon", 0.5, 0.5, "tsp", None)),
    ("½ tsp", ("½ tsp", 0.5, 0.5, "tsp", None)),
    ("500 mg to 1 g", ("500 mg to 1 g", 0.5, 1.0, "g", None)),
    ("1 g to 5 g", ("1 g to 5 g", 1.0, 5.0, "g", None)),
    ("2 or 3 cups of tea", ("2 or 3 cups", 2.0, 3.0, "cup", None)),
])
def test_dose_examples(text, expected):
    assert one(text) == expected


@pytest.mark.parametrize("text", [
    "3-6 months",
    "lasting longer than 3 to 6 months",
    "for 2 to 4 weeks",
    "a 24-hour period",
    "7-hydroxymitragynine (7-HMG)",
    "5-HT2A receptors",
    "3 to 5 times a day",
    "a 5G network",
    "in 2019, 20% of users",
])
def test_not_doses(text):
    assert find_doses(text) == []


def test_two_amounts_with_their_own_units_are_two_doses():
    text = "after 10 g and 4 g of carbamazepine"
    doses = find_doses(text)
    assert [(text[d.start:d.end], d.dose_min, d.unit) for d in doses] == [("10 g", 10.0, "g"), ("4 g", 4.0, "g")]


def test_alternatives_are_two_doses_sharing_the_unit():
    # issue 16: "450 and 900 mg" / "250 or 600 mg" are alternatives, not a range
    text = "1 and 5 grams"
    assert [(d.start, d.end, d.dose_min, d.dose_max, d.unit) for d in find_doses(text)] == [
        (0, 1, 1.0, 1.0, "g"), (6, 13, 5.0, 5.0, "g")]
    text = "Trials compared 450 and 900 mg daily; capsules hold 250 or 600 mg."
    assert [(text[d.start:d.end], d.canonical) for d in find_doses(text)] == [
        ("450", "450 mg/day"), ("900 mg daily", "900 mg/day"), ("250", "250 mg"), ("600 mg", "600 mg")]
    text = "between 1 and 5 grams, or from 2 to 4 g"
    assert [d.canonical for d in find_doses(text)] == ["1–5 g", "2–4 g"]


@pytest.mark.parametrize("text, frequency, period", [
    ("Take 2 g three times a day.", 3.0, "3x/day"),
    ("500 mg twice daily", 2.0, "2x/day"),
    ("5 mg once daily", 1.0, "day"),
    ("4 g 2 times per week", 2.0, "2x/week"),
    ("3 g per day", None, "day"),
    ("10 mg every 6 hours", None, "6 h"),
])
def test_frequency(text, frequency, period):
    (dose,) = find_doses(text)
    assert (dose.frequency, dose.period) == (frequency, period)


@pytest.mark.parametrize("text, role, bounds", [
    ("Never take more than 10 g at once.", "limit", (None, 10.0)),
    ("Users should not use more than 8 grams a day.", "limit", (None, 8.0)),
    ("Do not exceed 4 g per day.", "limit", (None, 4.0)),
    ("Take no more than 3 capsules.", "limit", (None, 3.0)),
    ("a maximum of 15 g", "limit", (None, 15.0)),
    ("Doses of up to 5 g were reported.", None, (None, 5.0)),
    ("Some take more than 10 g.", None, (10.0, None)),
    ("Most take 2 g.", None, (2.0, 2.0)),
])
def test_limit_role(text, role, bounds):
    (dose,) = find_doses(text)
    assert (dose.role, (dose.dose_min, dose.dose_max)) == (role, bounds)


def test_seed_sentence_offsets_sorted_and_non_overlapping():
    text = ("The standard recommended starting dose is around 1 to 5 grams of kratom leaf powder or its "
            "equivalent in capsule form. Users should be cautious not to exceed the upper limit of 12 to 15 "
            "grams within a 24-hour period, as higher doses can intensify side effects.")
    doses = find_doses(text)
    assert doses == [
        Dose(49, 61, 1.0, 5.0, "g", None),
        Dose(177, 215, 12.0, 15.0, "g", "24 h"),
    ]
    assert [d.canonical for d in doses] == ["1–5 g", "12–15 g/24 h"]


@pytest.mark.parametrize("args, expected", [
    ((1.0, 5.0, "g", None), "1–5 g"),
    ((12.0, 15.0, "g", "24 h"), "12–15 g/24 h"),
    ((3.0, 3.0, "g", None), "3 g"),
    ((None, 10.0, "g", "day"), "≤10 g/day"),
    ((5.0, None, "g", None), "≥5 g"),
    ((500.0, 500.0, "mg", "2x/day"), "500 mg 2x/day"),
    ((0.5, 0.5, "mg/kg", None), "0.5 mg/kg"),
    ((1.5, 1.5, "g", None), "1.5 g"),
])
def test_format_dose(args, expected):
    assert format_dose(*args) == expected


@pytest.mark.parametrize("text, value", [
    ("1,000", 1000.0), ("1.5", 1.5), (".5", 0.5), ("½", 0.5), ("1½", 1.5), ("1/2", 0.5), ("five", 5.0),
])
def test_parse_number(text, value):
    assert parse_number(text) == value


def test_packaged_patterns_units_and_periods():
    patterns = load_default_dose_patterns()
    assert patterns.units["grams"] == "g"
    assert patterns.units["gm"] == "g"
    assert patterns.units["mcg"] == "µg"
    assert patterns.units["capsules"] == "capsule"
    assert patterns.per_weight["/kg"] == "/kg"
    assert patterns.periods["daily"] == "day"
    assert patterns.periods["weekly"] == "week"
    # time words are never dose units
    assert not {"hour", "hours", "day", "days", "week", "weeks", "month", "months"} & set(patterns.units)


def test_patterns_round_trip_through_jsonl_text():
    patterns = load_default_dose_patterns()
    again = DosePatterns.from_text(patterns.to_text())
    assert again.units == patterns.units and again.periods == patterns.periods
    assert again.per_weight == patterns.per_weight


def test_custom_patterns():
    patterns = DosePatterns.from_records([
        {"kind": "unit", "canonical": "scoop", "terms": ["scoop", "scoops"]},
        {"kind": "period", "canonical": "day", "terms": ["a day"]},
    ])
    text = "2 scoops a day, not 5 g"
    doses = find_doses(text, patterns=patterns)
    assert [(text[d.start:d.end], d.unit, d.period) for d in doses] == [("2 scoops a day", "scoop", "day")]


def test_invalid_pattern_file_names_file_and_line(tmp_path):
    path = tmp_path / "dose.jsonl"
    path.write_text(json.dumps({"kind": "unit", "canonical": "g", "terms": ["g"]}) + "\n"
                    + json.dumps({"kind": "speed", "canonical": "x", "terms": ["x"]}) + "\n", encoding="utf-8")
    with pytest.raises(ClaimexError) as err:
        DosePatterns.from_file(path)
    assert str(err.value) == (f"[E045] {path}: line 2: dose pattern entry is invalid "
                              "('kind' must be one of unit, per_weight, period).")


def test_malformed_json_and_missing_file(tmp_path):
    path = tmp_path / "dose.jsonl"
    path.write_text('{"kind": "unit", "canonical": "g", "terms": ["g"]}\n{oops\n', encoding="utf-8")
    with pytest.raises(ClaimexError, match=r"^\[E045\] .*dose.jsonl: line 2: dose pattern entry is invalid "
                                           r"\(malformed JSON"):
        DosePatterns.from_file(path)
    with pytest.raises(ClaimexError, match=r"^\[E044\] .*missing.jsonl: cannot read the file"):
        DosePatterns.from_file(tmp_path / "missing.jsonl")


# -- amounts that are not doses (lab values, body weights, seized quantities) ----------------------
@pytest.mark.parametrize("text, expected", [
    ("Her bilirubin was 9.5 mg/dL on admission.", [("9.5 mg", True)]),
    ("The extract contained 12 mg/mL of mitragynine.", [("12 mg", True)]),
    ("He lost 4 kg in a month.", [("4 kg", True)]),
    ("Police seized 200 kg of kratom powder.", [("200 kg", True)]),
    ("Take 2 grams in the morning.", [("2 g", False)]),
])
def test_is_not_a_dose(text, expected):
    assert [(d.canonical, is_not_a_dose(text, d)) for d in find_doses(text)] == expected


# -- issue 16: limits, Unicode dashes, topical percentages, counts that are not doses --------------

@pytest.mark.parametrize("text, expected", [
    ("never take more than 10 g of it", [("more than 10 g", None, 10.0, "≤10 g")]),
    ("you should not use more than 4 grams", [("more than 4 grams", None, 4.0, "≤4 g")]),
    ("do not exceed 8 grams per day", [("exceed 8 grams per day", None, 8.0, "≤8 g/day")]),
    ("most take more than 2 g", [("more than 2 g", 2.0, None, "≥2 g")]),
    ("take 2 \u2212 4 g at once", [("2 \u2212 4 g", 2.0, 4.0, "2–4 g")]),
    ("take \uff12 g daily", [("\uff12 g daily", 2.0, 2.0, "2 g/day")]),
    # issue 22 (Low): full-width digits and unit ("５ｇ" was missed), offsets into the text as it is
    ("take \uff15\uff47 daily", [("\uff15\uff47 daily", 5.0, 5.0, "5 g/day")]),
    ("take \uff11\uff10\uff4d\uff47 twice daily", [("\uff11\uff10\uff4d\uff47 twice daily", 10.0, 10.0, "10 mg 2x/day")]),
    ("a 5\uff27 network", []),
    ("a .025 percent cream", [(".025 percent", 0.025, 0.025, "0.025 %")]),
    ("a 0.075% capsaicin cream", [("0.075%", 0.075, 0.075, "0.075 %")]),
    ("80% reported relief", []),
    ("even one pill of the drug", []),
    ("take 2 pills daily", [("2 pills daily", 2.0, 2.0, "2 pill/day")]),
])
def test_issue16_doses(text, expected):
    got = [(text[d.start:d.end], d.dose_min, d.dose_max, d.canonical) for d in find_doses(text)]
    assert got == expected


def test_a_double_dash_before_an_amount_is_no_minus_sign():
    from claimex.nlp.dose import is_not_a_dose
    text = "I now take Percoset --2-3 tablets daily"
    (dose,) = find_doses(text)
    assert text[dose.start:dose.end] == "2-3 tablets daily" and not is_not_a_dose(text, dose)
    text = "a change of -0.6 mg"
    (dose,) = find_doses(text)
    assert is_not_a_dose(text, dose)
