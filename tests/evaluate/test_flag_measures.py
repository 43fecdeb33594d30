"""The flag measures beside the headline flag figures (claimex.evaluate.flag_measures)."""

import json

import pytest

from claimex.evaluate.flag_measures import (
    cited_unsupported,
    flag_shares,
    flags_by_folder,
    flags_on_matched_claims,
    folder_of,
    gold_evidence_measures,
    load_evidence_gold,
)
from claimex.evaluate.gold import GoldError


def _claim(cid, doc, start, end, obj="pain", evidence="none", ev_start=None):
    return {"claim_id": cid, "doc_id": doc, "start": start, "end": end, "subject": "kratom",
            "predicate": "TREATS", "object": obj, "evidence": evidence, "evidence_start": ev_start}


def test_folder_of():
    assert folder_of("kratom/d001-site.txt") == "kratom"
    assert folder_of("d001-site.txt") == ""
    assert folder_of(None) == ""


def test_flags_by_folder_counts_each_folder_apart():
    gold = [{"doc_id": "a", "flag": "hedged", "subject": "kratom", "predicate": "TREATS", "object": "pain",
             "start": 0, "end": 10}]
    pred = [dict(gold[0]), dict(gold[0], doc_id="b", flag="unsupported")]
    out = flags_by_folder(gold, pred, {"a": "kratom", "b": "general"})
    assert out["kratom"]["kinds"]["hedged"]["tp"] == 1
    assert out["kratom"]["kinds"]["hedged"]["precision"] == 1.0
    assert out["general"]["kinds"]["unsupported"]["predicted"] == 1
    assert out["general"]["kinds"]["unsupported"]["tp"] == 0


def test_flags_on_matched_claims_scores_only_found_claims():
    g = [_claim(None, "a", 0, 10), _claim(None, "a", 20, 30, obj="anxiety")]
    p = [_claim("c1", "a", 0, 10)]
    g_flags = [{"doc_id": "a", "flag": "unsupported", "subject": "kratom", "predicate": "TREATS",
                "object": "pain", "start": 0, "end": 10},
               {"doc_id": "a", "flag": "unsupported", "subject": "kratom", "predicate": "TREATS",
                "object": "anxiety", "start": 20, "end": 30}]
    p_flags = [{"claim_id": "c1", "doc_id": "a", "flag": "unsupported"},
               {"claim_id": "c1", "doc_id": "a", "flag": "hedged"}]
    out = flags_on_matched_claims(g, p, [(0, 0)], g_flags, p_flags)
    assert out["pairs"] == 1
    assert out["kinds"]["unsupported"]["gold"] == 1  # the unmatched claim's flag is left out
    assert out["kinds"]["unsupported"]["tp"] == 1
    assert out["kinds"]["hedged"]["predicted"] == 1
    assert out["kinds"]["hedged"]["precision"] == 0.0


def test_flag_shares_per_folder_and_all():
    claims = [_claim("c1", "a", 0, 5), _claim("c2", "a", 6, 9), _claim("c3", "b", 0, 5)]
    flags = [{"claim_id": "c1", "doc_id": "a", "flag": "unsupported"},
             {"claim_id": "c3", "doc_id": "b", "flag": "unsupported"},
             {"claim_id": "c3", "doc_id": "b", "flag": "hedged"}]
    out = flag_shares(claims, flags, {"a": "kratom", "b": "general"})
    assert out["kratom"]["claims"] == 2
    assert out["kratom"]["kinds"]["unsupported"]["share"] == 0.5
    assert out["general"]["kinds"]["hedged"]["flagged"] == 1
    assert out["all"]["kinds"]["unsupported"]["flagged"] == 2
    assert out["all"]["kinds"]["unsupported"]["share"] == pytest.approx(2 / 3)


def test_cited_unsupported_splits_own_sentence_and_paragraph():
    claims = [_claim("c1", "a", 10, 50, evidence="citation", ev_start=40),
              _claim("c2", "a", 60, 90, evidence="study-reference", ev_start=12),
              _claim("c3", "a", 100, 120, evidence="vague-appeal")]
    flags = [{"claim_id": "c1", "doc_id": "a", "flag": "unsupported"},
             {"claim_id": "c3", "doc_id": "a", "flag": "unsupported"}]
    out = cited_unsupported(claims, flags)
    assert out["sentence"] == {"claims": 1, "unsupported": 1, "share": 1.0}
    assert out["paragraph"] == {"claims": 1, "unsupported": 0, "share": 0.0}


def test_gold_evidence_measures(tmp_path):
    path = tmp_path / "ev.jsonl"
    path.write_text(json.dumps({"doc_id": "a", "source": "kratom/x.txt",
                                "evidence": [{"sentence_start": 0, "kind": "citation"},
                                             {"sentence_start": 20, "kind": "authority"}]}) + "\n")
    evidence = load_evidence_gold(path)
    assert evidence == {("a", 0): "citation", ("a", 20): "authority"}
    g = [_claim(None, "a", 0, 10), _claim(None, "a", 20, 30, obj="anxiety")]
    p = [_claim("c1", "a", 0, 10, evidence="citation", ev_start=5),
         _claim("c2", "a", 20, 30, obj="anxiety")]
    p_flags = [{"claim_id": "c2", "doc_id": "a", "flag": "unsupported"}]
    out = gold_evidence_measures(evidence, g, p, [(0, 0), (1, 1)], p_flags)
    assert out["sentences"] == {"gold": 2, "found": 1, "same_kind": 1}
    assert out["claims"] == {"gold": 2, "matched": 2, "unsupported": 1, "share": 0.5}


def test_bad_evidence_gold_names_file_and_line(tmp_path):
    path = tmp_path / "ev.jsonl"
    path.write_text('{"doc_id": "a", "evidence": [{"sentence_start": 0, "kind": "rumour"}]}\n')
    with pytest.raises(GoldError, match=r"ev\.jsonl: line 1: invalid gold record: not an evidence record"):
        load_evidence_gold(path)
