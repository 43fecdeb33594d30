"""Tests for the claimex_cues component (claimex.nlp.components.cue_detector)."""

from __future__ import annotations

import json

import pytest
import spacy
from spacy.tokens import DocBin

import claimex.nlp.components.cue_detector  # noqa: F401  (registers the factory)
from claimex.nlp.components.cue_detector import CueDetector
from claimex.nlp.cues import CueLexicon
from claimex.errors import ClaimexError
from claimex.settings import resolve_model

NOT_CAUSE = [{"start": 12, "end": 15, "kind": "negation", "cue": "not", "certainty": None,
              "scope_start": 16, "scope_end": 31}]


@pytest.fixture(scope="module")
def base():
    return spacy.load(resolve_model(), exclude=["ner"])


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.load(resolve_model(), exclude=["ner"])
    nlp.add_pipe("claimex_cues")
    return nlp


def test_added_last_and_sets_plain_dicts(nlp):
    assert nlp.pipe_names[-1] == "claimex_cues"
    doc = nlp("Kratom does not cause addiction.")
    assert doc._.claimex_cues == NOT_CAUSE


def test_sorted_cues_with_certainty(nlp):
    doc = nlp("It may offer relief without the addictive risks of prescription opioids.")
    cues = doc._.claimex_cues
    assert [(c["kind"], c["cue"], c["certainty"]) for c in cues] == [
        ("hedge", "may", "possible"), ("negation", "without", None)]
    assert [c["start"] for c in cues] == sorted(c["start"] for c in cues)
    neg = cues[1]
    assert doc.text[neg["scope_start"]:neg["scope_end"]] == "the addictive risks of prescription opioids"
    assert set(cues[0]) == {"start", "end", "kind", "cue", "certainty", "scope_start", "scope_end"}


def test_unprocessed_doc_has_none(nlp):
    assert nlp.make_doc("Kratom.")._.claimex_cues is None
    assert nlp("")._.claimex_cues == []


def test_pipe_matches_call(nlp):
    texts = ["Kratom does not cause addiction.", "Kratom might help.", "Kratom is a plant."]
    assert [d._.claimex_cues for d in nlp.pipe(texts, batch_size=2)] == [nlp(t)._.claimex_cues for t in texts]


def test_weak_hedges_setting():
    nlp = spacy.load(resolve_model(), exclude=["ner"])
    nlp.add_pipe("claimex_cues", config={"weak_hedges": False})
    assert nlp.get_pipe("claimex_cues").weak_hedges is False
    assert [c["cue"] for c in nlp("Kratom can improve sleep and may reduce pain.")._.claimex_cues] == ["may"]
    nlp.replace_pipe("claimex_cues", "claimex_cues", config={"weak_hedges": True})
    assert [c["cue"] for c in nlp("Kratom can improve sleep and may reduce pain.")._.claimex_cues] == ["can", "may"]


def test_can_is_no_hedge_by_default():
    nlp = spacy.load(resolve_model(), exclude=["ner"])
    nlp.add_pipe("claimex_cues")
    assert nlp.get_pipe("claimex_cues").weak_hedges is False
    cues = nlp("The tea can interact with blood thinners, and it may also ease cramps.")._.claimex_cues
    assert [(c["kind"], c["cue"]) for c in cues] == [("hedge", "may")]


def test_lazy_default_lexicon(base):
    detector = CueDetector(base, "claimex_cues")
    assert detector.hedge_lexicon is None
    doc = detector(base("Kratom does not cause addiction."))
    assert doc._.claimex_cues == NOT_CAUSE
    assert detector.hedge_lexicon == CueLexicon.default("hedge")
    assert detector.negation_lexicon == CueLexicon.default("negation")


def test_initialize_with_custom_lexicons(base, tmp_path):
    path = tmp_path / "neg.jsonl"
    path.write_text('{"cue": "never", "kind": "negation"}\n', encoding="utf-8")
    detector = CueDetector(base, "claimex_cues")
    detector.initialize(hedge_cues=[{"cue": "perhaps", "kind": "hedge", "certainty": "possible"}],
                        negation_cues=str(path))
    doc = detector(base("Perhaps kratom never helps, and it may not work."))
    assert [(c["kind"], c["cue"]) for c in doc._.claimex_cues] == [("hedge", "perhaps"), ("negation", "never")]


def test_initialize_through_nlp_config():
    nlp = spacy.load(resolve_model(), exclude=["ner"])
    nlp.add_pipe("claimex_cues")
    nlp.get_pipe("claimex_cues").initialize(
        negation_cues=[{"cue": "without", "kind": "negation"}],
        hedge_cues=CueLexicon.from_records([{"cue": "may", "kind": "hedge", "certainty": "possible"}]))
    doc = nlp("It may not work without food.")
    assert [c["cue"] for c in doc._.claimex_cues] == ["may", "without"]


def test_bad_lexicon_arguments(base):
    detector = CueDetector(base, "claimex_cues")
    with pytest.raises(ClaimexError, match=r"\[E057\] Cannot use 'int' as the hedge lexicon"):
        detector.initialize(hedge_cues=3)
    with pytest.raises(ClaimexError, match=r"\[E058\] <negation cues>: the cue lexicon has no entries"):
        detector.initialize(negation_cues=[])


def test_to_disk_from_disk(nlp, tmp_path):
    detector = nlp.get_pipe("claimex_cues")
    detector.to_disk(tmp_path / "cues")
    assert sorted(p.name for p in (tmp_path / "cues").iterdir()) == [
        "cfg.json", "hedge_cues.jsonl", "negation_cues.jsonl"]
    assert json.loads((tmp_path / "cues" / "cfg.json").read_text()) == {"weak_hedges": False}
    other = CueDetector(nlp, "claimex_cues", weak_hedges=False)
    (tmp_path / "cues" / "cfg.json").write_text('{"weak_hedges": true}\n')
    other.from_disk(tmp_path / "cues")
    assert other.weak_hedges is True
    assert other.hedge_lexicon == detector.hedge_lexicon
    assert other.negation_lexicon == detector.negation_lexicon


def test_whole_pipeline_round_trip(tmp_path):
    nlp = spacy.load(resolve_model(), exclude=["ner"])
    nlp.add_pipe("claimex_cues", config={"weak_hedges": False})
    nlp.get_pipe("claimex_cues").initialize(negation_cues=[{"cue": "without", "kind": "negation"}])
    nlp.to_disk(tmp_path / "pipeline")
    loaded = spacy.load(tmp_path / "pipeline")
    detector = loaded.get_pipe("claimex_cues")
    assert detector.weak_hedges is False
    assert [e.cue for e in detector.negation_lexicon.entries] == ["without"]
    doc = loaded("Kratom can not work without food.")
    assert [c["cue"] for c in doc._.claimex_cues] == ["without"]


def test_bytes_round_trip(nlp, base):
    detector = nlp.get_pipe("claimex_cues")
    detector.weak_hedges = True  # a setting other than the default travels with the bytes
    try:
        data = detector.to_bytes()
    finally:
        detector.weak_hedges = False
    other = CueDetector(base, "claimex_cues").from_bytes(data)
    assert other.weak_hedges is True
    assert other.lexicon == nlp.get_pipe("claimex_cues").lexicon


def test_docbin_round_trip(nlp):
    doc = nlp("Kratom does not cause addiction.")
    docbin = DocBin(store_user_data=True, docs=[doc])
    (restored,) = DocBin().from_bytes(docbin.to_bytes()).get_docs(nlp.vocab)
    assert list(restored._.claimex_cues) == NOT_CAUSE


def test_needs_a_parser():
    nlp = spacy.blank("en")
    nlp.add_pipe("claimex_cues")
    with pytest.raises(ClaimexError, match=r"\[E055\] claimex_cues needs DEP annotation"):
        nlp("Kratom does not cause addiction.")


def test_disk_and_bytes_exclude_keep_the_lexicon_in_use(nlp, base, tmp_path):
    detector = nlp.get_pipe("claimex_cues")
    detector.to_disk(tmp_path / "cues", exclude=["negation_cues"])
    assert sorted(p.name for p in (tmp_path / "cues").iterdir()) == ["cfg.json", "hedge_cues.jsonl"]
    other = CueDetector(base, "claimex_cues")
    other.initialize(negation_cues=[{"cue": "without", "kind": "negation"}])
    other.from_disk(tmp_path / "cues", exclude=["negation_cues"])
    assert other.hedge_lexicon == detector.hedge_lexicon
    assert [e.cue for e in other.negation_lexicon.entries] == ["without"]
    assert [e.cue for e in other.lexicon.entries][-1] == "without"
    again = CueDetector(base, "claimex_cues").from_bytes(other.to_bytes(), exclude=["hedge"])
    assert again.hedge_lexicon is None  # left out: the packaged one on first use
    assert again.lexicon == CueLexicon.default("hedge") + other.negation_lexicon
    assert again.hedge_lexicon == CueLexicon.default("hedge")
