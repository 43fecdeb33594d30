"""Remedies a recommendation names for a condition.

- "when treating Y, doctors should choose (A, B or C)": every remedy of the choosing verb's
  object TREATS the condition of the "when treating" clause (``choosing_verbs``);
- "recommend X as a first-line treatment for Y (along with A and B)": A and B treat Y too
  (``companion_preps``).
The texts are written for these tests.
"""

from __future__ import annotations


def test_remedies_chosen_when_treating_a_condition(claims_of):
    claims = claims_of("The guidance says that when treating neck pain, doctors should first choose non-drug "
                       "treatments (exercise, massage, yoga, acupuncture or tai chi) before prescribing drugs.")
    for remedy in ("exercise", "massage", "yoga", "acupuncture", "tai chi"):
        assert (remedy, "TREATS", "neck pain", "affirmed") in claims


def test_remedies_along_with_a_recommended_treatment(claims_of):
    claims = claims_of("The guidelines also recommend acupuncture as a first-line treatment for acute neck pain "
                       "(along with massage and yoga).")
    assert sorted(claims) == [("acupuncture", "TREATS", "neck pain", "affirmed"),
                              ("massage", "TREATS", "neck pain", "affirmed"),
                              ("yoga", "TREATS", "neck pain", "affirmed")]


def test_no_claim_when_the_clause_treats_nothing(claims_of):
    assert claims_of("When shopping for groceries, many people choose turmeric.") == []
