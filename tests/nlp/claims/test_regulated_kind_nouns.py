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


def test_a_status_in_apposition_is_stated_inside_a_whether_clause(claims_of):
    assert claims_of("Whether kava, a legal and widely available herbal supplement, should be classified "
                     "as a drug is debated.") == [("kava", "REGULATED", "legal", "affirmed")]
    assert claims_of("Whether kava is legal in Texas is unclear.") == []


def test_the_status_in_apposition_is_its_owners(claims_of):
    assert claims_of("Opioids are drugs. Whether kava, a legal and widely available herbal supplement, should "
                     "be classified as an opioid is debated.") == [("kava", "REGULATED", "legal", "affirmed")]
