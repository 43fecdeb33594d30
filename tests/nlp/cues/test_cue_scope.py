"""Cue scopes on the parse (claimex.nlp.cues.scope): the sentences of the cues issue, the scope rules,
the scope functions on tokens, and the grades of the hedges found."""

from __future__ import annotations

import pytest

from claimex.nlp.cues import (
    Cue,
    certainty_for,
    find_cues,
    hedge_scope,
    hedges_for,
    is_negated,
    negation_scope,
    sentence_certainty,
    weakest_certainty,
)

SEED = ("It may offer relief through its analgesic properties by interacting with opioid receptors, "
        "potentially improving pain, fatigue, sleep quality, and mood without the addictive risks of "
        "prescription opioids.")


def span_of(doc, phrase: str) -> tuple[int, int]:
    start = doc.text.index(phrase)
    return start, start + len(phrase)


def scope_text(doc, cue: Cue) -> str:
    return doc.text[cue.scope_start:cue.scope_end]


def by_kind(cues, kind):
    return [c for c in cues if c.kind == kind]


# --------------------------------------------------------------------------- issue sentences


def test_seed_sentence_without_and_hedges(nlp):
    doc = nlp(SEED)
    cues = find_cues(doc)
    assert [c.cue for c in by_kind(cues, "hedge")] == ["may", "potentially"]
    assert [c.certainty for c in by_kind(cues, "hedge")] == ["possible", "possible"]
    (neg,) = by_kind(cues, "negation")
    assert neg.cue == "without"
    assert doc.text[neg.start:neg.end] == "without"
    assert scope_text(doc, neg) == "the addictive risks of prescription opioids"
    may, potentially = by_kind(cues, "hedge")
    assert scope_text(doc, may) == SEED[:-1]
    assert scope_text(doc, potentially) == (
        "potentially improving pain, fatigue, sleep quality, and mood without the addictive risks "
        "of prescription opioids")
    assert is_negated(span_of(doc, "addictive risks"), cues) is True
    assert is_negated(span_of(doc, "relief"), cues) is False
    assert is_negated(span_of(doc, "pain"), cues) is False
    assert hedges_for(span_of(doc, "improving pain"), cues) == ["may", "potentially"]
    assert hedges_for(span_of(doc, "offer relief"), cues) == ["may"]
    assert sentence_certainty(cues) == "possible"


def test_relief_without_sedating_effects(nlp):
    doc = nlp("Kratom provides relief without the sedating effects of opioids.")
    cues = find_cues(doc)
    assert [(c.kind, c.cue, scope_text(doc, c)) for c in cues] == [
        ("negation", "without", "the sedating effects of opioids")]
    assert is_negated(span_of(doc, "sedating effects"), cues) is True
    assert is_negated(span_of(doc, "relief"), cues) is False
    assert is_negated(span_of(doc, "Kratom"), cues) is False
    assert sentence_certainty(cues) == "asserted"


def test_believed_to_scopes_over_the_to_clause(nlp):
    doc = nlp("Alkaloids present in kratom, such as 7-hydroxymitragynine and mitraphylline, are "
              "believed to interact with opioid receptors in the brain.")
    cues = find_cues(doc)
    assert [(c.kind, c.cue, c.certainty) for c in cues] == [("hedge", "believed to", "probable")]
    assert doc.text[cues[0].start:cues[0].end] == "believed to"
    assert scope_text(doc, cues[0]) == "interact with opioid receptors in the brain"
    assert sentence_certainty(cues) == "probable"


def test_often_touted_as_is_speculative(nlp):
    doc = nlp("This mechanism of action is similar to that of opioid drugs, but kratom is often touted as "
              "a safer alternative due to its milder side effects and lower risk of respiratory depression.")
    cues = find_cues(doc)
    assert [(c.kind, c.cue, c.certainty) for c in cues] == [("hedge", "touted", "speculative")]
    assert scope_text(doc, cues[0]) == (
        "as a safer alternative due to its milder side effects and lower risk of respiratory depression")
    assert hedges_for(span_of(doc, "a safer alternative"), cues) == ["touted"]
    assert certainty_for(span_of(doc, "a safer alternative"), cues) == "speculative"
    assert certainty_for(span_of(doc, "opioid drugs"), cues) == "asserted"


def test_not_scopes_over_the_predicate_not_the_subject(nlp):
    doc = nlp("Kratom does not cause addiction.")
    cues = find_cues(doc)
    assert [(c.kind, c.cue, c.start, c.end, c.scope_start, c.scope_end) for c in cues] == [
        ("negation", "not", 12, 15, 16, 31)]
    assert scope_text(doc, cues[0]) == "cause addiction"
    assert is_negated(span_of(doc, "addiction"), cues) is True
    assert is_negated(span_of(doc, "Kratom"), cues) is False
    assert negation_scope(doc[2]) == (16, 31)


def test_plain_asserted_sentence_has_no_cues(nlp):
    doc = nlp("Kratom contains alkaloids such as mitragynine and 7-hydroxymitragynine.")
    cues = find_cues(doc)
    assert cues == []
    assert sentence_certainty(cues) == "asserted"
    assert is_negated((0, 6), cues) is False
    assert hedges_for((0, 6), cues) == []


# --------------------------------------------------------------------------- more scope rules


@pytest.mark.parametrize("text, expected", [
    # conjunct with its own subject after 'but' is outside; the hedge gets its own clause
    ("Kratom does not cause addiction, but it may cause dependence.",
     [("negation", "not", "cause addiction"), ("hedge", "may", "it may cause dependence")]),
    # a finite verb conjunct is an independent predicate
    ("Kratom does not cause addiction and improves mood.", [("negation", "not", "cause addiction")]),
    ("Kratom is not addictive and is safe.", [("negation", "not", "addictive")]),
    # a shared non-finite conjunct stays in scope
    ("Kratom does not cause or worsen pain.", [("negation", "not", "cause or worsen pain")]),
    # passive: the surface subject is negated too
    ("Pneumothorax was not seen.", [("negation", "not", "Pneumothorax was not seen")]),
    # predicate cue
    ("Pulses are absent.", [("negation", "absent", "Pulses are absent")]),
    # conjunct of the anchor of a complement cue is outside ('potential' is its own hedge)
    (("However, due to the lack of long-term safety data and the potential for dependency, it is crucial "
      "for patients to consult with medical experts."),
     [("negation", "lack of", "long-term safety data"), ("hedge", "potential", "for dependency")]),
    # prefix negation
    ("Kratom is a non-addictive alternative.", [("negation", "non-", "addictive")]),
    # existential 'there is no'
    ("There is no free  fluid in the pelvis.", [("negation", "no", "free  fluid in the pelvis")]),
    # 'nor' scopes over the following conjunct
    ("She was not tachycardic, nor was she in atrial fibrillation.",
     [("negation", "not", "tachycardic"), ("negation", "nor", "was she in atrial fibrillation")]),
    # negative pronoun as subject; and as a section filler it negates nothing
    ("None of the patients had fever.", [("negation", "none", "of the patients had fever")]),
    ("COMPLICATIONS:  None    POSTOPERATIVE DIAGNOSIS:  colitis in the sigmoid colon",
     [("negation", "none", "")]),
    # contrastive subordinate clause limits a hedge
    ("While its exact cause remains unclear, current research suggests it involves abnormal pain processing.",
     [("hedge", "unclear", "its exact cause remains unclear"),
      ("hedge", "suggest", "it involves abnormal pain processing")]),
])
def test_scopes(nlp, text, expected):
    doc = nlp(text)
    assert [(c.kind, c.cue, scope_text(doc, c)) for c in find_cues(doc)] == expected


def test_grades_and_weakest_certainty(nlp):
    doc = nlp("Studies suggest that kratom may relieve pain, but vendors claim it cures everything.")
    cues = find_cues(doc)
    assert [(c.cue, c.certainty) for c in by_kind(cues, "hedge")] == [
        ("suggest", "probable"), ("may", "possible"), ("claim", "speculative")]
    assert sentence_certainty(cues) == "speculative"
    first_clause = span_of(doc, "Studies suggest that kratom may relieve pain")
    assert sentence_certainty(cues, first_clause) == "possible"
    assert weakest_certainty([]) == "asserted"
    assert weakest_certainty(["probable", None, "possible"]) == "possible"


def test_scope_functions_on_tokens(nlp):
    doc = nlp("Kratom may relieve pain without sedation.")
    assert doc[1].text == "may"
    assert doc.text[slice(*hedge_scope(doc[1]))] == "Kratom may relieve pain without sedation"
    assert doc.text[slice(*negation_scope(doc[4]))] == "sedation"
    doc = nlp("Complications: none.")
    assert negation_scope(doc[2]) == (19, 19)  # pronoun: nothing to negate
