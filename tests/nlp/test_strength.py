"""Tests for claimex.nlp.strength and claimex.nlp.strength_cues: rule grades on hand-made sentences,
the lexicon and claim strength."""

from __future__ import annotations

import re

import pytest

from claimex.errors import ClaimexError
from claimex.nlp.strength import (
    STRENGTH_TO_CERTAINTY,
    StrengthCue,
    StrengthLexicon,
    analyse_strength,
    claim_strength,
    default_lexicon,
    sentence_strength,
    strength_from_certainty,
)

# sentence, grade with negation="zero" (default), grade with negation="keep"
GRADES = [
    ("Kratom causes addiction.", 3, 3),
    ("Kratom may cause addiction.", 2, 2),
    ("Kratom is associated with liver damage.", 1, 1),
    ("Kratom may be associated with liver damage.", 1, 1),
    ("Kratom does not cause addiction.", 0, 3),
    ("Kratom was not associated with liver damage.", 0, 1),
    ("There was no association between kratom use and liver damage.", 0, 1),
    ("Further studies are needed to determine whether kratom reduces pain.", 0, 0),
    ("Kratom use is common among adults with chronic pain.", 0, 0),
    ("We examined the association between kratom use and depression.", 0, 0),
    ("Strategies to reduce kratom use should be developed.", 0, 0),
    ("Exercise improved sleep quality in older adults.", 3, 3),
    ("Pain scores were reduced in the kratom group.", 1, 1),
    ("Pain was reduced by kratom.", 3, 3),
    ("Kratom users had higher rates of constipation than non-users.", 1, 1),
    ("Kratom is a risk factor for seizures.", 1, 1),
    ("Kratom potentially improves mood.", 2, 2),
    ("Kratom appears to reduce pain.", 2, 2),
    ("Kratom might play a role in reducing opioid withdrawal.", 2, 2),
    ("Kratom is effective for chronic pain.", 3, 3),
    ("Kratom is more effective than placebo.", 3, 3),
    ("Kratom use increased in the United States.", 1, 1),
    ("Kratom can relieve pain.", 3, 3),
]


@pytest.fixture(scope="module")
def docs(nlp):
    return {d.text: d for d in nlp.pipe([s for s, _, _ in GRADES])}


@pytest.mark.parametrize("text,zero,keep", GRADES)
def test_rule_grades(docs, text, zero, keep):
    doc = docs[text]
    assert sentence_strength(doc) == zero
    assert sentence_strength(doc, negation="keep") == keep


def test_weak_hedge_can_is_conditional_only_when_asked(docs):
    doc = docs["Kratom can relieve pain."]
    assert sentence_strength(doc, weak_hedges=True) == 2
    assert analyse_strength(doc, weak_hedges=True).hedges == ("can",)
    assert analyse_strength(doc).hedges == ()


def test_relation_cue_reading(docs):
    a = analyse_strength(docs["Kratom may cause addiction."])
    assert a.to_dict() == {
        "grade": 2, "label": "conditional causal", "main": 0, "hedges": ["may"], "nonclaims": [],
        "negation": "zero",
        "relations": [{"start": 11, "end": 16, "cue": "causal verb", "text": "cause", "kind": "causal",
                       "relation": "causal", "hedges": ["may"], "negated": False, "blocked_by": None,
                       "depth": 0, "comparison": False}],
    }
    blocked = analyse_strength(docs["Further studies are needed to determine whether kratom reduces pain."])
    assert [(r.text, r.blocked_by) for r in blocked.relations] == [("reduces", "whether")]
    assert blocked.main is None
    passive = analyse_strength(docs["Pain scores were reduced in the kratom group."])
    assert [(r.text, r.kind, r.relation) for r in passive.relations] == [("reduced", "causal", "correlational")]


def test_main_clause_and_max(nlp):
    doc = nlp("Kratom use is linked to dependence, and it may worsen anxiety.")
    a = analyse_strength(doc)
    assert [(r.text, r.relation, r.hedges, r.depth) for r in a.relations] == [
        ("linked to", "correlational", (), 0), ("worsen", "causal", ("may",), 1)]
    assert (a.grade, a.main) == (1, 0)
    assert sentence_strength(doc, combine="max") == 2


def test_comparison_cue_gives_way_to_a_relation(nlp):
    doc = nlp("Kratom users had higher rates of constipation than non-users, which caused concern.")
    a = analyse_strength(doc)
    assert [(r.text, r.comparison) for r in a.relations] == [("higher", True), ("caused", False)]
    assert a.relations[a.main].text == "caused"


def test_spans_are_graded_on_their_own(nlp):
    doc = nlp("Kratom causes addiction. It may be associated with liver damage.")
    assert [sentence_strength(s) for s in doc.sents] == [3, 1]
    assert sentence_strength(doc) == 3  # two roots at depth 0: the higher grade


def test_cues_found_without_the_cue_component(nlp):
    import spacy

    from claimex.settings import resolve_model

    plain = spacy.load(resolve_model(), exclude=["ner"])
    doc = plain("Kratom does not cause addiction.")
    assert sentence_strength(doc) == 0
    assert sentence_strength(doc, negation="keep") == 3


def test_unparsed_and_empty_docs(nlp):
    with pytest.raises(ClaimexError, match=r"\[E055\] claimex.nlp.strength needs DEP annotation"):
        sentence_strength(nlp.make_doc("Kratom causes addiction."))
    assert sentence_strength(nlp.make_doc("")) == 0
    with pytest.raises(ValueError, match="negation must be one of"):
        analyse_strength(nlp("Kratom causes addiction."), negation="drop")


# --------------------------------------------------------------------------- lexicon


def test_default_lexicon_round_trips():
    lex = default_lexicon()
    assert StrengthLexicon.from_records(lex.to_records()) == lex
    kinds = sorted({e.kind for e in lex.entries})
    assert kinds == ["causal", "conditional", "correlational", "nonclaim", "pseudo"]
    assert [e.cue for e in lex.entries if e.weak] == ["can"]


def test_custom_lexicon_changes_the_reading(nlp):
    doc = nlp("Kratom is associated with liver damage.")
    only_causal = StrengthLexicon.from_records([{"cue": "cause", "kind": "causal", "lemma": True}])
    assert sentence_strength(doc, only_causal) == 0
    assoc = StrengthLexicon.from_records([{"cue": "associated", "kind": "causal"}])
    assert sentence_strength(doc, assoc) == 1  # passive without agent: a difference, not a cause


@pytest.mark.parametrize("row,message", [
    ({"cue": "x", "kind": "causal", "colour": "red"}, "unknown field(s) colour"),
    ({"cue": "X", "kind": "causal"}, "'cue' must be a non-empty lower-case string"),
    ({"cue": "x", "kind": "strong"}, "'kind' must be one of correlational, causal, conditional, nonclaim, pseudo"),
    ({"cue": "x", "kind": "causal", "weak": True}, "only conditional cues can be weak"),
    ({"cue": "x", "kind": "causal", "comparison": True}, "only correlational cues can be comparisons"),
    ({"cue": "x", "kind": "causal", "pattern": []}, "'pattern' must be a non-empty list"),
])
def test_lexicon_entry_errors(row, message):
    with pytest.raises(ClaimexError, match=r"\[E050\] lex.jsonl: line 3: cue entry is invalid \(" + re.escape(message)):
        StrengthCue.from_dict(row, path="lex.jsonl", line=3)


def test_lexicon_file_errors(tmp_path):
    with pytest.raises(ClaimexError, match=r"\[E053\] Cue lexicon file not found: .*nope.jsonl"):
        StrengthLexicon.from_file(tmp_path / "nope.jsonl")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('# comment\n{"cue": "x", "kind": "causal"}\n{oops\n', encoding="utf-8")
    with pytest.raises(ClaimexError, match=r"\[E054\] .*bad.jsonl: line 3: cannot read the cue lexicon"):
        StrengthLexicon.from_file(bad)
    empty = tmp_path / "empty.jsonl"
    empty.write_text("# nothing\n\n", encoding="utf-8")
    with pytest.raises(ClaimexError, match=r"\[E058\] .*empty.jsonl: the cue lexicon has no entries"):
        StrengthLexicon.from_file(empty)
    good = tmp_path / "good.jsonl"
    StrengthLexicon.from_records([{"cue": "linked to", "kind": "correlational"}]).to_file(good)
    assert good.read_text(encoding="utf-8") == '{"cue": "linked to", "kind": "correlational"}\n'
    assert StrengthLexicon.from_file(good).entries == (StrengthCue("linked to", "correlational"),)


# --------------------------------------------------------------------------- claims


def test_claim_strength(nlp):
    doc = nlp("Kratom is linked to liver damage. Kratom may relieve pain. Kratom does not cause addiction. "
              "Kratom relieves anxiety. Kratom contains mitragynine.")
    got = [(c["subject"], c["predicate"], c["object"], claim_strength(doc, c)) for c in doc._.claimex_claims]
    assert got == [
        ("kratom", "CAUSES", "liver damage", 1),
        ("kratom", "TREATS", "pain", 2),
        ("kratom", "CAUSES", "addiction", 0),
        ("kratom", "TREATS", "anxiety", 3),
        ("kratom", "CONTAINS", "mitragynine", None),
    ]


def test_claim_strength_ignores_comparisons(nlp):
    doc = nlp("Users often report pain reduction with kratom.")
    (c,) = [c for c in doc._.claimex_claims if c["object"] == "pain"]
    assert c["certainty"] == "speculative"
    assert claim_strength(doc, c) == 2  # "reduction" compares; the claim is causal and hedged


def test_strength_and_certainty():
    assert [strength_from_certainty("causal", "asserted"), strength_from_certainty("causal", "probable"),
            strength_from_certainty("causal", "speculative"), strength_from_certainty("correlational", "asserted"),
            strength_from_certainty("causal", "asserted", "negated")] == [3, 2, 2, 1, 0]
    assert STRENGTH_TO_CERTAINTY == {3: "asserted", 2: "possible"}
    with pytest.raises(ValueError, match="relation must be"):
        strength_from_certainty("temporal", "asserted")
