"""The unsupported flag and corroboration by independent sources (claimex.flags.unsupported, grouping)."""

from __future__ import annotations

from builders import SEED, documents_table, sentences_table
from flagkit import NO_CITE, by_flag, claim, copy_of, groups_by_key, run


def test_unsupported_reasons_by_evidence():
    flags, _ = run([
        claim("c1", "000", "pain", predicate="TREATS", evidence="anecdote", attribution="users"),
        claim("c2", "001", "arthritis", predicate="TREATS", evidence="vague-appeal", attribution="research"),
        claim("c3", "002", "anxiety", predicate="TREATS", evidence="none"),
        claim("c4", "003", "mood", predicate="TREATS", evidence="citation"),
        claim("c5", "004", "sleep", predicate="TREATS", evidence="study-reference"),
    ])
    got = {cid: (r["reason"], r["severity"], r["score"], r["related_claim_ids"])
           for cid, r in by_flag(flags, "unsupported").items()}
    # unhedged TREATS claims are claims of benefit: +0.1 (issue 18); high with nothing or anecdote
    # behind them, medium for a vague appeal
    assert got == {
        "c1": ("Rests on anecdote (users report): no link, reference, DOI, PMID or named study. "
               "No other claim states it.", "high", 0.8, []),
        "c2": ("Appeals to research without naming a study: no link, reference, DOI or PMID. "
               "No other claim states it.", "medium", 0.7, []),
        "c3": (f"{NO_CITE} No other claim states it.", "high", 0.9, []),
    }


def test_copies_do_not_corroborate_but_independent_sources_do():
    docs = documents_table({"002": SEED["002"], "005": copy_of(SEED["002"]), "003": SEED["003"]})
    rows = [claim("c1", "002", "nausea", evidence="none"), claim("c2", "005", "nausea", evidence="none")]
    flags, groups = run(rows, docs=docs)
    got = by_flag(flags, "unsupported")
    assert (got["c1"]["reason"], got["c1"]["severity"], got["c1"]["score"], got["c1"]["related_claim_ids"],
            got["c1"]["related_doc_ids"]) == (
        f"{NO_CITE} Repeated by 1 other claim, but by no other independent source (repeats within a "
        f"document and copies count once).", "low", 0.8, ["c2"], ["005"])  # a harm (CAUSES): low since issue 18
    row = groups_by_key(groups)["kratom|CAUSES|nausea"]
    assert (row["n_sources"], row["n_independent_sources"], row["verdict"]) == (2, 1, "unsupported")

    flags, groups = run(rows + [claim("c3", "003", "nausea", evidence="none")], docs=docs)
    got = by_flag(flags, "unsupported")
    assert (got["c3"]["reason"], got["c3"]["severity"], got["c3"]["score"]) == (
        f"{NO_CITE} Also stated by 2 other claims from 1 other independent source.", "medium", 0.6)  # one other source
    row = groups_by_key(groups)["kratom|CAUSES|nausea"]
    assert (row["n_sources"], row["n_independent_sources"], row["verdict"]) == (3, 2, "supported")


def test_near_duplicate_documents_conflict_at_low_severity():
    docs = documents_table({"002": SEED["002"], "005": copy_of(SEED["002"])})
    flags, _ = run([claim("c1", "002", "nausea"), claim("c2", "005", "nausea", polarity="negated")], docs=docs)
    assert {cid: r["severity"] for cid, r in by_flag(flags, "contradicted").items()} == {"c1": "low", "c2": "low"}


def test_verbatim_shared_sentence_counts_once():
    shared = "Kratom can lead to dependence in regular users over time."
    sentences = sentences_table([("000", "000:1", shared), ("001", "001:4", shared),
                                 ("003", "003:2", "Long-term use can lead to dependence.")])
    rows = [claim("c1", "000", "dependence", sent_id="000:1", evidence="none"),
            claim("c2", "001", "dependence", sent_id="001:4", evidence="none")]
    _, groups = run(rows, sentences=sentences)
    row = groups_by_key(groups)["kratom|CAUSES|dependence"]
    assert (row["n_sources"], row["n_independent_sources"], row["verdict"]) == (2, 1, "unsupported")
    _, groups = run(rows)  # without the sentences table the copy is not seen
    row = groups_by_key(groups)["kratom|CAUSES|dependence"]
    assert (row["n_sources"], row["n_independent_sources"], row["verdict"]) == (2, 2, "supported")
    _, groups = run(rows + [claim("c3", "003", "dependence", sent_id="003:2", evidence="none")],
                    sentences=sentences)
    row = groups_by_key(groups)["kratom|CAUSES|dependence"]
    assert (row["n_sources"], row["n_independent_sources"], row["verdict"]) == (3, 2, "supported")
