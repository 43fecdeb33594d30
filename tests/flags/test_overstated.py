"""Tests for claimex.flags.overstated: the overstated flag on small hand-made claims tables."""

from __future__ import annotations

import hashlib
import time

import pyarrow as pa
import pytest

from claimex.errors import ClaimexError
from claimex.flags import flag_id
from claimex.flags.overstated import compare_levels, overstated_flags

KEY = "kratom|CAUSES|addiction"


def claim(doc: str, n: int = 0, *, strength=3, certainty="asserted", polarity="affirmed", key=KEY,
          cues=(), text=None) -> dict:
    return {"claim_id": f"{doc}-c{n:04d}", "doc_id": doc, "sent_id": f"{doc}-s{n:04d}", "claim_key": key,
            "subject": key.split("|")[0], "predicate": key.split("|")[1], "object": key.split("|")[2],
            "polarity": polarity, "certainty": certainty, "strength": strength, "hedge_cues": list(cues),
            "text": text}


CAUSES = claim("aaaa", strength=3, text="Kratom causes addiction.")
MAY_LINK = claim("bbbb", strength=1, certainty="possible", cues=["may"],
                 text="Kratom may be associated with addiction.")
MAY_CAUSE = claim("cccc", strength=2, certainty="possible", cues=["may"], text="Kratom may cause addiction.")


def test_stronger_claims_are_flagged_relative_to_the_weakest_other_source():
    flags = overstated_flags([MAY_CAUSE, CAUSES, MAY_LINK], documents={"bbbb": "b.txt"})
    assert flags == [
        {
            "flag_id": hashlib.sha256(b"aaaa-c0000|overstated").hexdigest()[:16],
            "claim_id": "aaaa-c0000",
            "doc_id": "aaaa",
            "sent_id": "aaaa-s0000",
            "claim_key": KEY,
            "flag": "overstated",
            "reason": ('States that kratom CAUSES addiction as direct causal (strength 3), but 2 claims from 2 '
                       'other independent sources state it more weakly; the weakest, bbbb (b.txt), as '
                       'correlational (strength 1), possible with "may": "Kratom may be associated with '
                       'addiction."'),
            "related_claim_ids": ["bbbb-c0000", "cccc-c0000"],
            "related_doc_ids": ["bbbb", "cccc"],
            "severity": "medium",
            "score": 0.6,
        },
        {
            "flag_id": flag_id("cccc-c0000", "overstated"),
            "claim_id": "cccc-c0000",
            "doc_id": "cccc",
            "sent_id": "cccc-s0000",
            "claim_key": KEY,
            "flag": "overstated",
            "reason": ('States that kratom CAUSES addiction as conditional causal (strength 2), possible with '
                       '"may", but 1 claim from 1 other independent source states it more weakly; the weakest, '
                       'bbbb (b.txt), as correlational (strength 1), possible with "may": "Kratom may be '
                       'associated with addiction."'),
            "related_claim_ids": ["bbbb-c0000"],
            "related_doc_ids": ["bbbb"],
            "severity": "low",
            "score": 0.4,
        },
    ]
    assert flag_id("cccc-c0000", "overstated") == hashlib.sha256(b"cccc-c0000|overstated").hexdigest()[:16]


def test_order_of_rows_does_not_matter():
    a = overstated_flags([CAUSES, MAY_LINK, MAY_CAUSE])
    b = overstated_flags([MAY_LINK, MAY_CAUSE, CAUSES])
    assert a == b
    assert [f["claim_id"] for f in a] == ["aaaa-c0000", "cccc-c0000"]


def test_same_document_never_overstates_itself():
    rows = [claim("aaaa", 0, strength=3), claim("aaaa", 1, strength=1, certainty="possible")]
    assert overstated_flags(rows) == []


def test_source_units_merge_copies():
    rows = [claim("aaaa", strength=3), claim("bbbb", strength=1)]
    assert [f["claim_id"] for f in overstated_flags(rows)] == ["aaaa-c0000"]
    units = {"aaaa-c0000": "aaaa", "bbbb-c0000": "aaaa"}  # near-duplicates: one source
    assert overstated_flags(rows, source_units=units) == []


def test_source_units_by_row_and_cues_read_from_the_table():
    # the units may be given row by row (in the table's order) instead of by claim id, and a
    # table's text and hedge cues are read only for the claims a reason describes: the same rows
    rows = [MAY_CAUSE, CAUSES, MAY_LINK, claim("dddd", strength=1, cues=["reportedly"], text="Kratom is tied.")]
    by_id = {"aaaa-c0000": "aaaa", "bbbb-c0000": "bbbb", "cccc-c0000": "cccc", "dddd-c0000": "bbbb"}
    expected = overstated_flags(rows, source_units=by_id, documents={"bbbb": "b.txt"})
    assert [f["claim_id"] for f in expected] == ["aaaa-c0000", "cccc-c0000"]
    assert 'the weakest, bbbb (b.txt), as correlational (strength 1), possible with "may"' in expected[0]["reason"]
    table = pa.Table.from_pylist(rows)
    documents = pa.table({"doc_id": ["bbbb", "cccc"], "source": ["b.txt", None]})
    units = ["cccc", "aaaa", "bbbb", "bbbb"]
    assert overstated_flags(table, source_units=units, documents=documents) == expected
    assert overstated_flags(rows, source_units=units, documents={"bbbb": "b.txt"}) == expected


def test_negated_claims_are_not_compared():
    rows = [claim("aaaa", strength=3), claim("bbbb", strength=0, polarity="negated")]
    assert overstated_flags(rows) == []


def test_different_keys_are_not_compared():
    rows = [claim("aaaa", strength=3), claim("bbbb", strength=1, key="kratom|CAUSES|nausea")]
    assert overstated_flags(rows) == []
    # a group key column lines them up
    rows[0]["group_key"] = rows[1]["group_key"] = "kratom|CAUSES|side effects"
    flags = overstated_flags(rows, key="group_key")
    assert [(f["claim_id"], f["claim_key"], f["severity"]) for f in flags] == [
        ("aaaa-c0000", KEY, "medium")]


def test_certainty_scale_without_strength():
    rows = [claim("aaaa", strength=None, certainty="asserted"),
            claim("bbbb", strength=None, certainty="speculative", cues=["claim"], text="Some claim it."),
            claim("cccc", strength=None, certainty="probable", cues=["likely"])]
    flags = overstated_flags(rows)
    assert [(f["claim_id"], f["severity"], f["score"], f["related_claim_ids"]) for f in flags] == [
        ("aaaa-c0000", "high", 0.8, ["bbbb-c0000", "cccc-c0000"]),
        ("cccc-c0000", "medium", 0.6, ["bbbb-c0000"]),
    ]
    assert flags[0]["reason"] == (
        'States that kratom CAUSES addiction as asserted, but 2 claims from 2 other independent sources state '
        'it more weakly; the weakest, bbbb, as speculative with "claim": "Some claim it."')


def test_auto_uses_certainty_when_a_strength_is_missing():
    # strengths would say 3 vs 3 (same); certainties say asserted vs possible
    rows = [claim("aaaa", strength=3, certainty="asserted"), claim("bbbb", strength=None, certainty="possible"),
            claim("cccc", strength=3, certainty="asserted")]
    assert [f["claim_id"] for f in overstated_flags(rows)] == ["aaaa-c0000", "cccc-c0000"]
    assert overstated_flags(rows, level="strength") == []  # null strengths are left out


def test_min_gap():
    rows = [CAUSES, MAY_LINK, MAY_CAUSE]
    assert [f["claim_id"] for f in overstated_flags(rows, min_gap=2)] == ["aaaa-c0000"]
    assert overstated_flags(rows, min_gap=3) == []


def test_related_claims_are_capped_but_counted():
    rows = [claim("zzzz", strength=3)] + [claim(f"d{k:03d}", strength=2 if k % 2 else 1) for k in range(5)]
    flags = overstated_flags(rows, max_related=2)
    assert [f["claim_id"] for f in flags] == ["d001-c0000", "d003-c0000", "zzzz-c0000"]
    flag = flags[2]
    assert flag["related_claim_ids"] == ["d000-c0000", "d002-c0000"]  # weakest (1) first, then by id
    assert flag["related_doc_ids"] == ["d000", "d002"]
    assert "but 5 claims from 5 other independent sources state it more weakly; the weakest, d000," \
        in flag["reason"]


def test_related_claims_skip_the_claims_own_source():
    rows = [claim("aaaa", 0, strength=3), claim("aaaa", 1, strength=1), claim("aaaa", 2, strength=1),
            claim("bbbb", 0, strength=2)]
    flags = {f["claim_id"]: f for f in overstated_flags(rows, max_related=1)}
    assert sorted(flags) == ["aaaa-c0000", "bbbb-c0000"]
    assert flags["aaaa-c0000"]["related_claim_ids"] == ["bbbb-c0000"]
    assert flags["aaaa-c0000"]["severity"] == "low"  # 3 vs 2: its own weaker mentions do not count
    assert flags["bbbb-c0000"]["related_claim_ids"] == ["aaaa-c0001"]
    assert "but 2 claims from 1 other independent source state it more weakly" in flags["bbbb-c0000"]["reason"]


def test_arrow_table_with_dictionary_columns():
    rows = [CAUSES, MAY_LINK]
    table = pa.table({
        "claim_id": [r["claim_id"] for r in rows],
        "doc_id": [r["doc_id"] for r in rows],
        "sent_id": [r["sent_id"] for r in rows],
        "claim_key": [r["claim_key"] for r in rows],
        "polarity": pa.array([r["polarity"] for r in rows]).dictionary_encode(),
        "certainty": pa.array([r["certainty"] for r in rows]).dictionary_encode(),
        "strength": pa.array([r["strength"] for r in rows], pa.int8()),
    })
    documents = pa.table({"doc_id": ["bbbb"], "source": ["b.txt"]})
    (flag,) = overstated_flags(table, documents=documents)
    assert flag["claim_id"] == "aaaa-c0000"
    assert flag["reason"] == ("States that kratom CAUSES addiction as direct causal (strength 3), but 1 claim "
                              "from 1 other independent source states it more weakly; the weakest, bbbb (b.txt), "
                              "as correlational (strength 1), possible.")


def test_empty_and_single_claim():
    assert overstated_flags([]) == []
    assert overstated_flags([CAUSES]) == []


def test_errors_name_the_problem():
    with pytest.raises(ClaimexError, match=r"\[E060\] claims table is missing columns: certainty"):
        overstated_flags([{k: v for k, v in CAUSES.items() if k != "certainty"}])
    with pytest.raises(ClaimexError, match=r"\[E061\] claims table: column 'certainty' has value 'sure' \(row 1\)"):
        overstated_flags([CAUSES, {**MAY_LINK, "certainty": "sure"}])
    with pytest.raises(ClaimexError, match=r"\[E061\] claims table: column 'strength' has value '5' \(row 0\)"):
        overstated_flags([{**CAUSES, "strength": 5}])
    with pytest.raises(ClaimexError, match=r"\[E064\] Flag setting level='loud' is invalid"):
        overstated_flags([CAUSES], level="loud")
    with pytest.raises(ClaimexError, match=r"\[E064\] Flag setting min_gap=0 is invalid"):
        overstated_flags([CAUSES], min_gap=0)
    with pytest.raises(ClaimexError, match=r"\[E060\] claims table is missing columns: strength"):
        overstated_flags([{k: v for k, v in CAUSES.items() if k != "strength"}], level="strength")


def test_compare_levels():
    assert [compare_levels(3, 1), compare_levels(1, 3), compare_levels(2, 2), compare_levels(3, 2, min_gap=2)] == [
        "exaggerates", "downplays", "same", "same"]


def test_linear_in_the_number_of_claims():
    n = 20_000
    rows = [claim(f"d{k:05d}", strength=3 if k % 2 else 1) for k in range(n)]
    t = time.perf_counter()
    flags = overstated_flags(rows)
    elapsed = time.perf_counter() - t
    assert len(flags) == n // 2
    assert {len(f["related_claim_ids"]) for f in flags} == {20}
    assert flags[0]["related_claim_ids"][:2] == ["d00000-c0000", "d00002-c0000"]
    assert elapsed < 10.0  # one pass: pairwise comparison would be 10^8 pairs
