"""SAFER_THAN without "than", and harms said to be fewer that compare with nothing.

- "relieves pain as well as ibuprofen, with fewer side effects", "comparable to diclofenac, with
  fewer stomach side effects": SAFER_THAN the substance compared (never the comparator as the
  subject), not TREATS side effects;
- "a gentler alternative to opioids", "less harmful than alcohol" (``safety_comparatives``,
  ``harm_adjectives``);
- "eases insomnia with minimal side effects" names no comparator: the harm is the remedy's, as in
  "has few side effects" (CAUSES, with its degree), never a relief of the side effects.
The texts are written for these tests.
"""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("text, expected", [
    ("Turmeric is a golden spice. Turmeric relieves pain as well as ibuprofen, with fewer side effects.",
     [("turmeric", "TREATS", "pain", "affirmed"), ("turmeric", "SAFER_THAN", "ibuprofen", "affirmed")]),
    ("Kava is a plant. Kava is less harmful than alcohol.", [("kava", "SAFER_THAN", "alcohol", "affirmed")]),
    ("CBD is a compound. CBD is considered a gentler alternative to opioids.",
     [("CBD", "SAFER_THAN", "opioids", "affirmed")]),
    ("Kratom is a tree. Compared with opioids, kratom causes less respiratory depression.",
     [("kratom", "SAFER_THAN", "opioids", "affirmed")]),
])
def test_a_harm_said_to_be_less_than_a_compared_substances_is_safer_than(claims_of, text, expected):
    assert claims_of(text) == expected


def test_the_comparator_of_fewer_side_effects_is_never_the_subject(claims_of):
    found = claims_of("Turmeric is a spice. Turmeric is sold as capsules. Trials of turmeric reported pain relief "
                      "comparable to ibuprofen and naproxen, with fewer digestive side effects.")
    assert {c for c in found if c[1] == "SAFER_THAN"} == {("turmeric", "SAFER_THAN", "ibuprofen", "affirmed"),
                                                         ("turmeric", "SAFER_THAN", "naproxen", "affirmed")}


@pytest.mark.parametrize("text", [
    "Turmeric is a spice. Turmeric is a natural remedy with fewer side effects.",
    "Valerian is an herb. Valerian can ease mild insomnia with minimal side effects.",
])
def test_fewer_side_effects_compared_with_nothing_are_no_relief(claims_of, text):
    assert [c[1] for c in claims_of(text) if c[2] == "side effects"] == ["CAUSES"]


def test_a_milder_effect_is_no_safety_comparison(claims_of):
    found = claims_of("Kratom is a tree. Kratom has a milder stimulating effect than coffee.")
    assert not [c for c in found if c[1] == "SAFER_THAN"]


def test_better_tolerated_than_is_safer_than(claims_of):
    assert claims_of("Willow bark is a remedy. Willow bark is better tolerated than aspirin.") == [
        ("white willow bark", "SAFER_THAN", "aspirin", "affirmed")]


def test_creating_a_harm_causes_it(claims_of):
    assert claims_of("Capsaicin is a compound. Capsaicin cream creates a burning sensation on the skin.") == [
        ("capsaicin", "CAUSES", "burning sensation", "affirmed")]
