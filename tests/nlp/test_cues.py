"""Tests for claimex.nlp.cues: lexicons, cue matching, parse-based scopes, queries,
and the scoring helpers of benchmarks/bench_cues.py."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest
import spacy

from claimex import schema
from claimex.nlp.cues import (
    Cue,
    CueEntry,
    CueLexicon,
    certainty_for,
    cue_strings,
    cues_for,
    cues_in,
    find_cues,
    hedge_scope,
    hedges_for,
    is_negated,
    negation_scope,
    negations_for,
    sentence_certainty,
    weakest_certainty,
)
from claimex.errors import ClaimexError
from claimex.settings import resolve_model

REPO = Path(__file__).resolve().parents[2]

SEED = ("It may offer relief through its analgesic properties by interacting with opioid receptors, "
        "potentially improving pain, fatigue, sleep quality, and mood without the addictive risks of "
        "prescription opioids.")


@pytest.fixture(scope="module")
def nlp():
    return spacy.load(resolve_model(), exclude=["ner"])


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


@pytest.mark.parametrize("text, expected", [
    # pseudo-negations
    ("Users report that kratom not only diminishes pain but also promotes a sense of calm.",
     [("hedge", "users report")]),
    ("While it may be safer than traditional opioids, kratom is not without its drawbacks.",
     [("hedge", "may")]),
    ("No, kratom is not an opioid.", [("negation", "not")]),
    ("Consult a doctor whether or not you use kratom.", [("hedge", "whether")]),
    # longest match across kinds: 'cannot' beats the weak hedge 'can'
    ("Kratom can improve sleep, but it cannot cure fibromyalgia.", [("hedge", "can"), ("negation", "cannot")]),
    # double negation / evidence status are hedges, not negations
    ("A role of kratom cannot be excluded.", [("hedge", "cannot be excluded")]),
    ("Its safety has not been established.", [("hedge", "not proven")]),
    ("The mechanisms are not fully understood.", [("hedge", "not fully understood")]),
    ("We do not know the exact cause of her pain.", [("hedge", "do not know")]),
    # the month is not a modal
    ("In May, kratom was banned.", []),
    # 'rule out' as a test to do is not a negation; 'ruled out' is
    ("Clinical history: rule out pneumonia.", []),
    ("Pneumonia was ruled out.", [("negation", "ruled out")]),
    # attributive 'negative' is not a negation; predicate 'negative' is
    ("Kratom has negative side effects.", []),
    ("The test was negative.", [("negation", "negative")]),
    ("Further research is needed to understand its long-term safety.",
     [("hedge", "further research is needed")]),
    ("Some anecdotal evidence suggests that Kratom can improve sleep quality.",
     [("hedge", "anecdotal"), ("hedge", "suggest"), ("hedge", "can")]),
    ("Kratom for fibromyalgia support is being explored by many people.", [("hedge", "being explored")]),
])
def test_cue_matching(nlp, text, expected):
    assert [(c.kind, c.cue) for c in find_cues(nlp(text))] == expected


def test_weak_hedges_off_drops_can(nlp):
    doc = nlp("Kratom can improve sleep and may reduce pain.")
    assert [c.cue for c in find_cues(doc)] == ["can", "may"]
    assert [c.cue for c in find_cues(doc, weak_hedges=False)] == ["may"]
    assert sentence_certainty(find_cues(doc, weak_hedges=False)) == "possible"


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


# --------------------------------------------------------------------------- queries on plain dicts


CUES = [
    {"start": 7, "end": 10, "kind": "hedge", "cue": "may", "certainty": "possible",
     "scope_start": 0, "scope_end": 40},
    {"start": 25, "end": 32, "kind": "negation", "cue": "without", "certainty": None,
     "scope_start": 33, "scope_end": 40},
    {"start": 45, "end": 52, "kind": "hedge", "cue": "suggest", "certainty": "probable",
     "scope_start": 53, "scope_end": 70},
]


def test_queries_on_plain_dicts():
    assert is_negated((33, 40), CUES) is True
    assert is_negated((30, 40), CUES) is False  # starts before the scope
    assert is_negated((25, 32), CUES) is False  # the cue itself
    assert negations_for((35, 38), CUES) == ["without"]
    assert hedges_for((33, 40), CUES) == ["may"]
    assert hedges_for((35, 60), CUES) == []
    assert hedges_for((35, 60), CUES, how="overlap") == ["may", "suggest"]
    assert hedges_for((0, 50), CUES, how="cue") == ["may"]
    assert certainty_for((35, 60), CUES, how="overlap") == "possible"
    assert certainty_for((55, 60), CUES) == "probable"
    assert sentence_certainty(CUES, (41, 80)) == "probable"
    assert [c.cue for c in cues_in(CUES, (0, 41))] == ["may", "without"]
    assert [c.cue for c in cues_in(CUES, (0, 80), kind="hedge")] == ["may", "suggest"]
    with pytest.raises(ValueError, match="how must be"):
        hedges_for((0, 1), CUES, how="near")


def test_queries_at_one_character_offset():
    # an int target is the character at that offset: inside a scope up to its last character
    assert is_negated(33, CUES) is True and is_negated(39, CUES) is True
    assert is_negated(40, CUES) is False  # the scope ends before offset 40
    assert is_negated(26, CUES) is False  # a character of the cue itself
    assert hedges_for(39, CUES) == ["may"] and hedges_for(40, CUES) == []
    assert [c.cue for c in cues_for(60, CUES, "hedge")] == ["suggest"]
    assert certainty_for(60, CUES) == "probable" and certainty_for(75, CUES) == "asserted"
    assert cue_strings([CUES[2], CUES[0], CUES[2]]) == ["may", "suggest"]


def test_cue_dict_round_trip():
    cue = Cue.from_dict(CUES[0])
    assert cue.to_dict() == CUES[0]


def test_certainty_grades_follow_the_schema_order():
    assert [weakest_certainty([grade]) for grade in schema.CERTAINTY] == list(schema.CERTAINTY)
    assert weakest_certainty(reversed(schema.CERTAINTY)) == schema.CERTAINTY[-1] == "speculative"


# --------------------------------------------------------------------------- lexicons


def test_packaged_lexicons():
    hedge = CueLexicon.default("hedge")
    negation = CueLexicon.default("negation")
    assert {e.kind for e in hedge.entries} == {"hedge"}
    assert {e.kind for e in negation.entries} == {"negation", "pseudo"}
    assert all(e.certainty in ("probable", "possible", "speculative") for e in hedge.entries)
    grades = {e.cue: e.certainty for e in hedge.entries}
    assert (grades["likely"], grades["may"], grades["allegedly"]) == ("probable", "possible", "speculative")
    assert [e.cue for e in hedge.entries if e.weak] == ["can"]
    negation_cues = {e.cue for e in negation.entries if e.kind == "negation"}
    assert {"not", "n't", "no", "without", "never", "neither", "nor", "lack of", "absence of",
            "free of", "fails to", "cannot", "denies", "ruled out", "none"} <= negation_cues
    assert len(CueLexicon.default()) == len(hedge) + len(negation)
    # cue strings are unique within a file
    assert len({e.cue for e in hedge.entries}) == len(hedge)
    assert len({e.cue for e in negation.entries}) == len(negation)


def test_lexicon_files_have_the_documented_fields():
    path = REPO / "pipelines" / "lexicons" / "hedge_cues.jsonl"
    first = json.loads(path.read_text(encoding="utf-8").splitlines()[0])
    assert first == {"cue": "may", "kind": "hedge", "certainty": "possible", "pos": ["AUX", "VERB"],
                     "multiword": False, "note": first["note"]}


def test_lexicon_jsonl_round_trip(tmp_path):
    lexicon = CueLexicon.default()
    path = tmp_path / "cues.jsonl"
    lexicon.to_file(path)
    assert CueLexicon.from_file(path) == lexicon


def test_multiword_cue_tolerates_extra_spaces(nlp):
    lexicon = CueLexicon.from_records([{"cue": "lack of", "kind": "negation"}])
    doc = nlp("There is a lack   of data.")
    assert [(c.cue, doc.text[c.start:c.end]) for c in find_cues(doc, lexicon)] == [("lack of", "lack   of")]


@pytest.mark.parametrize("row, message", [
    ({"cue": "may", "kind": "hedge", "certainty": "possible", "colour": "red"}, "[E050]"),
    ({"cue": "May", "kind": "hedge", "certainty": "possible"}, "must be lower-case"),
    ({"cue": "may", "kind": "booster"}, "[E051]"),
    ({"cue": "may", "kind": "hedge", "certainty": "certain"}, "[E052]"),
    ({"cue": "may", "kind": "hedge"}, "[E052]"),
    ({"cue": "not", "kind": "negation", "certainty": "possible"}, "only hedge cues have a certainty"),
    ({"cue": "lack of", "kind": "negation", "multiword": False}, "'multiword' is false"),
    ({"cue": "not", "kind": "negation", "weak": True}, "only hedge cues can be weak"),
    ({"cue": "not", "kind": "negation", "pos": "ADV"}, "'pos' must be a list"),
    ({"cue": "not", "kind": "negation", "pattern": []}, "'pattern' must be a non-empty list"),
    ({"cue": "not", "kind": "negation", "scope": "window"}, "'scope' must be one of"),
])
def test_invalid_entries(row, message):
    with pytest.raises(ClaimexError) as err:
        CueLexicon.from_records([row], source="cues.jsonl")
    assert message in str(err.value)
    assert "cues.jsonl: line 1" in str(err.value)


def test_jsonl_errors(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('# comment\n{"cue": "not", "kind": "negation"}\n{"cue": \n', encoding="utf-8")
    with pytest.raises(ClaimexError, match=r"\[E054\] .*bad.jsonl: line 3: cannot read the cue lexicon"):
        CueLexicon.from_file(path)
    with pytest.raises(ClaimexError, match=r"\[E053\] Cue lexicon file not found: .*missing.jsonl"):
        CueLexicon.from_file(tmp_path / "missing.jsonl")


def test_invalid_matcher_pattern(nlp):
    lexicon = CueLexicon([CueEntry(cue="x", kind="negation", pattern=({"NOT_AN_ATTR": "x"},))])
    with pytest.raises(ClaimexError, match=r"\[E056\] Cue 'x' has an invalid spaCy Matcher pattern"):
        find_cues(nlp("x"), lexicon)


def test_unparsed_doc_is_refused(nlp):
    with pytest.raises(ClaimexError, match=r"\[E055\] claimex_cues needs DEP annotation .* 'parser'"):
        find_cues(nlp.make_doc("Kratom does not cause addiction."))
    assert find_cues(nlp.make_doc("")) == []


# --------------------------------------------------------------------------- benchmark helpers


def _load_bench(name: str):
    path = REPO / "benchmarks" / f"{name}.py"
    sys.path.insert(0, str(path.parent))
    try:
        spec = importlib.util.spec_from_file_location(f"_bench_{name}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(path.parent))
    return module


def test_binary_scores():
    scoring = _load_bench("cue_scoring")
    s = scoring.binary_scores([True, True, False, False, True], [True, False, True, False, True])
    assert (s["tp"], s["fp"], s["fn"], s["tn"]) == (2, 1, 1, 1)
    assert s["precision"] == pytest.approx(2 / 3)
    assert s["recall"] == pytest.approx(2 / 3)
    assert s["f1"] == pytest.approx(2 / 3)
    assert s["accuracy"] == pytest.approx(0.6)
    empty = scoring.binary_scores([False], [False])
    assert (empty["precision"], empty["recall"], empty["f1"], empty["accuracy"]) == (0.0, 0.0, 0.0, 1.0)
    with pytest.raises(ValueError):
        scoring.binary_scores([True], [])


def test_overlap_scores():
    scoring = _load_bench("cue_scoring")
    gold = [[frozenset({0, 1})], [frozenset({3})], []]
    pred = [[frozenset({1}), frozenset({5})], [], [frozenset({2})]]
    s = scoring.overlap_scores(gold, pred)
    assert (s["n_gold"], s["n_pred"], s["pred_matched"], s["gold_matched"]) == (2, 3, 1, 1)
    assert s["precision"] == pytest.approx(1 / 3)
    assert s["recall"] == pytest.approx(1 / 2)
    assert s["f1"] == pytest.approx(0.4)


def test_markdown_table():
    scoring = _load_bench("cue_scoring")
    table = scoring.markdown_table([{"task": "t", "system": "s", "n": 3, "precision": 0.5, "recall": None,
                                     "f1": 2 / 3, "accuracy": 1.0, "note": "x"}])
    assert table.splitlines() == ["| task | system | n | P | R | F1 | acc | note |",
                                  "|---|---|---|---|---|---|---|---|",
                                  "| t | s | 3 | 0.500 | n/a | 0.667 | 1.000 | x |"]


def test_bench_loaders(tmp_path):
    bench = _load_bench("bench_cues")
    assert bench.find_phrase("free  fluid", "There is no FREE FLUID here.") == (12, 22)
    assert bench.find_phrase("liver", "no kidney") is None
    assert bench.sample(list(range(10)), 3) == [0, 3, 6]
    assert bench.sample([1, 2], None) == [1, 2]
    negex = tmp_path / "negex.tsv"
    negex.write_text("line\tCondition\tsentence\tnegation_status\n"
                     "1\tedema\tExtremities reveal no cyanosis or EDEMA.\tNegated\n"
                     "2\tedema\tNO EDEMA.\tAffirmed\n"
                     "3\tfever\tHe is well.\tAffirmed\n", encoding="utf-8")
    rows = bench.load_negex(negex)
    assert rows == [
        {"text": "Extremities reveal no cyanosis or edema.", "span": (34, 39), "negated": True},
        {"text": "NO EDEMA.", "span": (3, 8), "negated": False},
        {"text": "He is well.", "span": None, "negated": False},
    ]
    assert bench.load_negex(negex, keep_case=True)[0]["text"] == "Extremities reveal no cyanosis or EDEMA."
    xml = tmp_path / "bio.xml"
    xml.write_text('<Annotation><DocumentSet><Document><DocumentPart>'
                   '<sentence id="S1">These <xcope id="X1"><cue type="speculation" ref="X1">suggest</cue> '
                   'that it is <xcope id="X2"><cue type="negation" ref="X2">not</cue> needed</xcope></xcope>.'
                   '</sentence><sentence id="S2">Plain.</sentence></DocumentPart></Document></DocumentSet>'
                   '</Annotation>', encoding="utf-8")
    assert bench.load_bioscope([xml]) == [
        {"text": "These suggest that it is not needed.", "spec": [(6, 13)], "neg": [(25, 28)]},
        {"text": "Plain.", "spec": [], "neg": []},
    ]
