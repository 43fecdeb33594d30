"""A status adjective on the kind noun a substance is said to be: the substance's status.

"X is not an illegal substance" -> X REGULATED legal (affirmed); "X, a legal herb," -> legal.
The texts are written for these tests.
"""

from __future__ import annotations


def test_not_an_illegal_substance_is_legal(claims_of):
    assert claims_of("Kratom is not currently an illegal substance in the United States.") == [
        ("kratom", "REGULATED", "legal", "affirmed")]


def test_a_legal_herb_in_apposition(claims_of):
    assert claims_of("Kava, a legal herb, is sold in shops.") == [("kava", "REGULATED", "legal", "affirmed")]
