"""`claimex evaluate` compares canonical names through the lexicon (claimex.evaluate.lexicon_names)."""

from __future__ import annotations

import pytest

from claimex.evaluate import Predictions, lexicon_names, parse_gold_record, score_predictions
from claimex.ingest import text_digest

TEXT = "Kratom is psychoactive. Some sellers say kratom lowers high blood pressure."
DOC_ID = text_digest(TEXT)[0]
S0 = (0, TEXT.index(" Some"))
S1 = (TEXT.index("Some"), len(TEXT))


@pytest.fixture(scope="module")
def names():
    return lexicon_names()


@pytest.mark.parametrize("a, b, name", [
    ("high blood pressure", "hypertension", "hypertension"),
    ("Cannabidiol", "CBD", "cbd"),
    ("energizing", "energy", "energy"),
    ("Mitragyna speciosa", "Kratom", "kratom"),
])
def test_same_concept_same_name(names, a, b, name):
    assert names(a) == names(b) == name


@pytest.mark.parametrize("value, name", [
    ("Zorblax Root", "zorblax root"),
    ("Some  Unknown   Thing", "some unknown thing"),  # spaces collapsed too
])
def test_unknown_name_is_lower_cased(names, value, name):
    assert names(value) == name


def gold_claim(sent, subject, predicate, obj, polarity="affirmed"):
    return {"sentence_start": sent[0], "sentence_end": sent[1], "subject": subject, "predicate": predicate,
            "object": obj, "polarity": polarity, "hedged": False, "certainty": "asserted"}


def pred_claim(cid, sent, subject, predicate, obj, polarity="affirmed"):
    return {"claim_id": f"{DOC_ID}-c{cid:04d}", "doc_id": DOC_ID, "start": sent[0], "end": sent[1],
            "subject": subject, "predicate": predicate, "object": obj, "polarity": polarity,
            "hedged": False, "certainty": "asserted"}


def case(gold_objects, pred_objects):
    gold = [parse_gold_record({
        "doc_id": DOC_ID, "source": "names.txt", "entities": [], "flags": [], "layers": ["claims"],
        "claims": [gold_claim(S0, "kratom", "HAS_EFFECT", gold_objects[0]),
                   gold_claim(S1, "kratom", "TREATS", gold_objects[1])]})]
    preds = Predictions(doc_ids={DOC_ID}, texts={DOC_ID: TEXT}, claims=[
        pred_claim(0, S0, "kratom", "HAS_EFFECT", pred_objects[0]),
        pred_claim(1, S1, "kratom", "TREATS", pred_objects[1])])
    return gold, preds


def claim_counts(scores, predicate):
    row = scores["claims"]["predicates"][predicate]
    return row["gold"], row["predicted"], row["tp"]


def test_names_match_the_same_concept(names):
    gold, preds = case(("psychoactive", "high blood pressure"), ("psychoactive", "hypertension"))
    scores = score_predictions(gold, preds, names=names)
    assert claim_counts(scores, "HAS_EFFECT") == (1, 1, 1)
    assert claim_counts(scores, "TREATS") == (1, 1, 1)
    assert scores["claims"]["micro"]["tp"] == 2 and scores["claims"]["micro"]["f1"] == 1.0


def test_as_written_does_not_match_a_synonym():
    gold, preds = case(("psychoactive", "high blood pressure"), ("psychoactive", "hypertension"))
    scores = score_predictions(gold, preds, names=None)
    assert claim_counts(scores, "HAS_EFFECT") == (1, 1, 1)
    assert claim_counts(scores, "TREATS") == (1, 1, 0)
    assert scores["claims"]["micro"]["tp"] == 1


def test_names_match_a_gold_name_the_lexicon_spells_otherwise(names):
    gold, preds = case(("energizing", "hypertension"), ("energy", "hypertension"))
    assert claim_counts(score_predictions(gold, preds, names=names), "HAS_EFFECT") == (1, 1, 1)
    assert claim_counts(score_predictions(gold, preds, names=None), "HAS_EFFECT") == (1, 1, 0)


def test_details_report_the_mapped_names(names):
    gold, preds = case(("psychoactive", "high blood pressure"), ("psychoactive", "hypotension"))
    det = score_predictions(gold, preds, names=names, details=True)["details"]["claims"]
    assert [(c["predicate"], c["object"]) for c in det["missed"]] == [("TREATS", "hypertension")]
    assert [(c["predicate"], c["object"]) for c in det["spurious"]] == [("TREATS", "hypotension")]


def test_evaluate_compares_through_the_lexicon_by_default():
    import inspect

    from claimex.evaluate import evaluate

    assert inspect.signature(evaluate).parameters["same_concept"].default is True
