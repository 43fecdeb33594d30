"""Participles that describe a listed object ("nerve pain caused by diabetes").

- the agent of such a participle causes the object it describes, it is no object of the
  clause's claim ("reduce the pain caused by osteoarthritis": no remedy causes osteoarthritis);
- a list item the parser hung in the participle's phrase (an apposition of its object: "relieves
  bruises, nerve pain caused by diabetes, back pain associated with arthritis, and muscle
  strains") is still an item of the list: treated, not caused.
The texts are written for these tests.
"""

from __future__ import annotations


def test_the_agent_of_a_causing_participle_is_no_object(claims_of):
    assert claims_of("Glucosamine is a supplement. Many people take glucosamine to reduce the pain caused by "
                     "osteoarthritis.") == [("glucosamine", "TREATS", "pain", "affirmed")]


def test_items_hung_in_a_participle_phrase_stay_list_items(claims_of):
    found = claims_of("Capsaicin is a compound. Capsaicin cream relieves bruises, nerve pain caused by diabetes, "
                      "back pain associated with arthritis, and muscle strains.")
    assert found == [("capsaicin", "TREATS", "bruise", "affirmed"), ("capsaicin", "TREATS", "neuropathic pain", "affirmed"),
                     ("capsaicin", "TREATS", "back pain", "affirmed"), ("capsaicin", "TREATS", "muscle strain", "affirmed")]
