"""A harm whose cause a phrase names as a substance's use: "a case of liver injury due to kratom use".

``cause_phrases`` ("due to", "owing to", "secondary to", ...) with the use, intake or abuse of a
substance as object: the substance CAUSES the harm before the phrase. A harm that is the reason of
an action ("stopped kratom due to nausea"), or a condition's cause that is no substance, gives no
such claim. The texts are written for these tests.
"""

from __future__ import annotations


def test_a_case_of_a_harm_due_to_a_substance_use(claims_of):
    assert claims_of("Kratom is a plant. In this report, we describe a case of liver injury due to "
                     "chronic kratom use.") == [("kratom", "CAUSES", "liver damage", "affirmed")]


def test_a_harm_owing_to_its_ingestion(claims_of):
    assert ("kratom", "CAUSES", "seizures", "affirmed") in claims_of(
        "Kratom is a plant. The patient had seizures owing to kratom ingestion.")


def test_no_cause_claim_without_a_substance_as_cause(claims_of):
    assert claims_of("Kratom is a plant. She stopped kratom due to nausea.") == []
    assert claims_of("Kratom is a plant. Pain due to arthritis is common.") == []
