"""A remedy blended with a drink, a food or other herbs to be taken or sold is no interaction.

"mixed with green tea", "in combination with other herbs" (``blending_words``, ``blend_partners``
in claim_rules.json): no INTERACTS_WITH; mixing with a drug still is one. The texts are written
for these tests.
"""

from __future__ import annotations


def test_a_drink_the_remedy_is_mixed_with_is_no_interaction(claims_of):
    assert claims_of("Kratom powder is often mixed with orange juice or green tea to hide the bitter taste.") == []


def test_herbs_a_remedy_is_sold_in_combination_with_are_no_interaction(claims_of):
    assert claims_of("You can buy turmeric at most grocery stores, often in combination with other "
                     "warming herbs.") == []


def test_mixing_with_a_drug_is_still_an_interaction(claims_of):
    assert claims_of("Mixing kratom with alcohol is dangerous.") == [
        ("kratom", "INTERACTS_WITH", "alcohol", "affirmed")]
    assert ("kratom", "INTERACTS_WITH", "benzodiazepines", "affirmed") in claims_of(
        "Kratom should never be combined with benzodiazepines.")
