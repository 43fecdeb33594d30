"""CONTAINS claims in the phrasing of health web articles.

- a substance held in another: "X contains A and B", "compounds such as A", "rich in A",
  "laced with A", "small amounts of A" (``containing_verbs``, ``containing_frames``,
  ``quantity_nouns`` in claim_rules.json); a holder named in another modifier of the subject
  ("a plan high in A, rich in B") holds nothing;
- a constituent noun that names its part: "the main active ingredient in X is A".
The texts are written for these tests.
"""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("text, expected", [
    ("Cannabis contains many cannabinoids, such as CBD and THC.",
     {("cannabis", "CONTAINS", "CBD", "affirmed"), ("cannabis", "CONTAINS", "THC", "affirmed")}),
    ("Some kratom products are laced with fentanyl.", {("kratom", "CONTAINS", "fentanyl", "affirmed")}),
    ("Hemp seeds are rich in omega-3 fatty acids.", {("cannabis", "CONTAINS", "omega-3 fatty acids", "affirmed")}),
    ("Most CBD oils contain small amounts of THC.", {("CBD", "CONTAINS", "THC", "affirmed")}),
    ("Kratom does not contain morphine.", {("kratom", "CONTAINS", "morphine", "negated")}),
    ("The main active ingredient in cannabis is THC.", {("cannabis", "CONTAINS", "THC", "affirmed")}),
])
def test_a_substance_held_in_another_is_contained(claims_of, text, expected):
    assert expected <= set(claims_of(text))


def test_a_holder_in_another_modifier_of_the_subject_holds_nothing(claims_of):
    found = claims_of("Turmeric is a spice. An eating plan low in sugar, high in saturated fats and rich in "
                      "olive oil may worsen joint pain.")
    assert not [c for c in found if c[1] == "CONTAINS"]
