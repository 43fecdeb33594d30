"""The contradicted flag between doses (claimex.flags.doses)."""

from __future__ import annotations

from flagkit import LIMIT_002, MODERATE_003, START_002, by_flag, claim, run


def test_moderate_dose_reaching_an_upper_limit():
    flags, _ = run([MODERATE_003, LIMIT_002, START_002])
    got = {cid: (r["reason"], r["severity"], r["related_claim_ids"], r["related_doc_ids"])
           for cid, r in by_flag(flags, "contradicted").items()}
    assert got == {
        "c8": ('Says "a moderate dose of kratom, ranging between 5 to 15 grams" (5\u201315 g); 002 '
               '(002.txt) gives an upper limit of 12\u201315 g within a 24-hour period.',
               "high", ["c9"], ["002"]),
        "c9": ('Gives an upper limit of 12\u201315 g within a 24-hour period; 003 (003.txt) says "a '
               'moderate dose of kratom, ranging between 5 to 15 grams" (5\u201315 g), which reaches it.',
               "high", ["c8"], ["003"]),
    }


def test_starting_dose_above_a_maximum_with_unit_conversion():
    flags, _ = run([
        claim("c1", "000", "dose", predicate="DOSAGE", text="no more than 15 grams a day",
              dose=(15.0, 15.0, "g", "a day")),
        claim("c2", "001", "dose", predicate="DOSAGE", text="a starting dose of 20000 mg",
              dose=(20000.0, None, "mg", None)),
        claim("c3", "003", "dose", predicate="DOSAGE", text="start with 500 mg", dose=(500.0, None, "mg", None)),
        claim("c4", "004", "dose", predicate="DOSAGE", text="high doses of 25 g cause sedation",
              dose=(25.0, None, "g", None)),
        claim("c5", "002", "dose", predicate="DOSAGE", text="take 20 g", dose=(20.0, None, "g", "per week")),
        claim("c6", "002", "dose", predicate="DOSAGE", text="take 4 capsules", dose=(4.0, None, "capsules", None)),
    ])
    got = {cid: r["reason"] for cid, r in by_flag(flags, "contradicted").items()}
    assert got == {
        "c1": 'Gives an upper limit of 15 g a day; 001 (001.txt) says "a starting dose of 20000 mg" '
              '(20000 mg), which reaches it.',
        "c2": 'Says "a starting dose of 20000 mg" (20000 mg); 000 (000.txt) gives an upper limit of 15 g a day.',
    }


def test_dose_conflict_inside_one_document_is_low_and_merges_with_polarity_conflicts():
    flags, _ = run([
        claim("c1", "002", "dose", predicate="DOSAGE", text="the maximum is 10 g", dose=(10.0, None, "g", None)),
        claim("c2", "002", "dose", predicate="DOSAGE", text="take 12 g", dose=(12.0, None, "g", None),
              hedged=True, hedge_cues=("may",), certainty="possible"),
        claim("c3", "003", "dose", predicate="DOSAGE", polarity="negated", text="there is no safe dose"),
    ])
    got = by_flag(flags, "contradicted")
    assert (got["c2"]["reason"], got["c2"]["severity"], got["c2"]["score"], got["c2"]["related_claim_ids"],
            got["c2"]["related_doc_ids"]) == (
        'Asserts that kratom DOSAGE dose; 003 (003.txt) denies that kratom DOSAGE dose: "there is no safe '
        'dose". Says "take 12 g" (12 g); the same document gives an upper limit of 10 g.',
        "medium", 0.6, ["c1", "c3"], ["002", "003"])
    assert got["c1"]["reason"].endswith(
        'Gives an upper limit of 10 g; the same document says "take 12 g" (12 g), which reaches it.')
