"""The cue lexicons (claimex.nlp.cues.lexicon): the packaged files, their fields, reading and
writing them, and the errors a bad entry or file gives."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from claimex.errors import ClaimexError
from claimex.nlp.cues import CueLexicon, find_cues

REPO = Path(__file__).resolve().parents[3]


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
