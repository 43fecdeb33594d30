"""The hedged flag (claimex.flags.hedged)."""

from __future__ import annotations

from flagkit import by_flag, claim, fid, run


def test_hedged_flag_names_the_cues():
    flags, _ = run([claim("c1", "000", "fibromyalgia", predicate="TREATS", hedged=True,
                          hedge_cues=("may", "potentially", "may"), certainty="possible")])
    assert flags.to_pylist() == [{
        "flag_id": fid("c1", "hedged"), "claim_id": "c1", "doc_id": "000", "sent_id": "000:c1",
        "claim_key": "kratom|TREATS|fibromyalgia", "flag": "hedged",
        "reason": 'Hedged with "may", "potentially": the source does not assert that kratom '
                  'TREATS fibromyalgia.',
        "related_claim_ids": [], "related_doc_ids": [], "severity": "medium", "score": 0.5,
    }]


def test_hedged_by_certainty_alone_and_negated_hedges():
    flags, _ = run([
        claim("c1", "000", "arthritis", predicate="TREATS", certainty="speculative"),
        claim("c2", "000", "anxiety", predicate="TREATS", certainty="probable"),
        claim("c3", "001", "nausea", polarity="negated", hedged=True, hedge_cues=("might",),
              certainty="possible"),
        claim("c4", "001", "pain", predicate="TREATS", hedged=True),  # hedged, certainty asserted
        claim("c5", "002", "pain", predicate="TREATS"),                # not hedged: no flag
    ])
    got = {cid: (r["reason"], r["severity"], r["score"]) for cid, r in by_flag(flags, "hedged").items()}
    assert got == {
        "c1": ("Stated as speculative: the source does not assert that kratom TREATS arthritis.",
               "high", 0.7),
        "c2": ("Stated as probable: the source does not assert that kratom TREATS anxiety.", "low", 0.3),
        "c3": ('Hedged with "might": the source does not firmly deny that kratom CAUSES nausea.',
               "medium", 0.5),
        "c4": ("Stated as asserted: the source does not assert that kratom TREATS pain.", "low", 0.3),
    }
