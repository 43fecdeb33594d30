"""A constituent noun said to be named alkaloids stands for them.

"The main psychoactive compounds in kratom are mitragynine and 7-hydroxymitragynine": the
psychoactive effect is the alkaloids', not the generic "compounds"'; kratom contains both.
The texts are written for these tests.
"""

from __future__ import annotations


def test_the_effect_of_the_compounds_goes_to_the_named_alkaloids(claims_of):
    claims = claims_of("The main psychoactive compounds in kratom are mitragynine and 7-hydroxymitragynine.")
    assert ("mitragynine", "HAS_EFFECT", "psychoactive", "affirmed") in claims
    assert ("7-hydroxymitragynine", "HAS_EFFECT", "psychoactive", "affirmed") in claims
    assert ("kratom", "CONTAINS", "mitragynine", "affirmed") in claims
    assert not any(c[0] == "compounds" for c in claims)
