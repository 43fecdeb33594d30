"""A coordinated subject the parser left without a conj link is still a subject.

"Mitragynine and 7-hydroxy mitragynine interact with opioid receptors" is parsed with the second
name hanging on "interact" read as a noun: the entity right after the first subject's "and" with
the same label is a subject too. The texts are written for these tests.
"""

from __future__ import annotations


def test_the_second_of_two_alkaloids_is_a_subject(claims_of):
    claims = claims_of("Kratom is a plant. Mitragynine and 7-hydroxy mitragynine interact with opioid "
                       "receptors somewhat differently than morphine.")
    assert ("mitragynine", "ACTS_ON", "opioid receptors", "affirmed") in claims
    assert ("7-hydroxymitragynine", "ACTS_ON", "opioid receptors", "affirmed") in claims


def test_a_parsed_coordination_is_unchanged(claims_of):
    assert claims_of("Kava and valerian may ease anxiety.") == [
        ("kava", "TREATS", "anxiety", "affirmed"), ("valerian", "TREATS", "anxiety", "affirmed")]
