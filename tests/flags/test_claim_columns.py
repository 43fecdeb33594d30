"""ClaimColumns (claimex.flags.grouping): the columns the rules read, on a small hand-made table.

Some columns are read from Arrow when a rule asks (issue 20: no Python object per claim for a
column the rules read for a few claims): their values must be those of the table.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest
from flagkit import claim

from claimex import schema
from claimex.errors import ClaimexError
from claimex.flags import ClaimGroupLexicon, FlagSettings, SourceUnits
from claimex.flags.claim_groups import groups_table
from claimex.flags.grouping import ClaimColumns, check_unique, claim_units


def _docs(rows: list[tuple[str, str | None]]) -> pa.Table:
    return pa.table({"doc_id": pa.array([d for d, _ in rows], pa.string()),
                     "source": pa.array([s for _, s in rows], pa.string())})


def _columns(rows: list[dict], docs: pa.Table, units: SourceUnits | None = None) -> ClaimColumns:
    claims = pa.Table.from_pylist(rows, schema=schema.CLAIMS)
    units = units or SourceUnits({d: d for d in docs.column("doc_id").to_pylist()}, {})
    return ClaimColumns(claims, docs, None, None, FlagSettings(), ClaimGroupLexicon.load(), sources=units)


ROWS = [
    claim("c3", "d2", "pain", hedged=True, hedge_cues=("may", "may", "help")),
    claim("c1", "d1", "pain"),
    claim("c2", "d1", "nausea", polarity="negated", hedge_cues=("reportedly",)),
    claim("c4", "d3", "pain"),
]


def test_columns_in_claim_id_order_with_hedge_cues_read_from_the_table():
    c = _columns(ROWS, _docs([("d1", "data/a.txt"), ("d2", "b/d2"), ("d3", None)]))
    assert list(c.claim_id) == ["c1", "c2", "c3", "c4"] and c.claim_id[3] == "c4"
    assert [c.hedge_cues[i] for i in range(c.n)] == [[], ["reportedly"], ["may", "may", "help"], []]
    assert c.doc_ids == ["d1", "d2", "d3"] and list(c.doc_idx) == [0, 0, 1, 2]
    assert c.negated == [False, True, False, False]


def test_documents_are_named_by_their_source_file_name():
    # d1 twice: its last row names it (as the dict of names did); d2's file name is its id;
    # d3 has no source; d4 is not in the documents table
    docs = _docs([("d1", "old/x.txt"), ("d2", "in/d2"), ("d1", "data\\a.txt"), ("d3", None)])
    rows = ROWS + [claim("c5", "d4", "pain")]
    c = _columns(rows, docs)
    assert [c.doc_name(k) for k in range(len(c.doc_ids))] == ["d1 (a.txt)", "d2", "d3", "d4"]
    assert c.where(0, 1) == "the same document"
    assert c.where(0, 2) == "d1 (a.txt)"
    assert c.where(4, 0) == "d4"
    assert _columns(rows, pa.table({"doc_id": ["d1"]})).doc_name(0) == "d1"


def test_groups_count_documents_and_units_by_number():
    # d1 and d3 are one source unit: 'pain' has 3 documents, 2 independent sources
    docs = _docs([("d1", "a.txt"), ("d2", "b.txt"), ("d3", "c.txt")])
    c = _columns(ROWS, docs, SourceUnits({"d1": "d1", "d2": "d2", "d3": "d1"}, {}))
    no = np.zeros(c.n, dtype=bool)
    rows = {r["claim_key"]: r for r in groups_table(c, no, no, no).to_pylist()}
    pain = rows["kratom|CAUSES|pain"]
    assert (pain["n_claims"], pain["n_sources"], pain["n_independent_sources"]) == (3, 3, 2)
    assert (pain["n_affirming"], pain["n_hedging"], pain["n_independent_affirming"]) == (3, 1, 2)
    assert pain["doc_ids"] == ["d1", "d2", "d3"]
    nausea = rows["kratom|CAUSES|nausea"]
    assert (nausea["n_negating"], nausea["n_independent_negating"], nausea["doc_ids"]) == (1, 1, ["d1"])


def test_claim_units_count_a_shared_sentence_for_its_unit():
    units = SourceUnits({"d1": "d1", "d2": "d1"}, {("d2", "s9"): "d0"})
    assert claim_units(["d1", "d2", "d2", "d3"], ["s1", "s1", "s9", "s1"], units) == (
        ["d1", "d1", "d1", "d3"], ["d1", "d1", "d0", "d3"])
    assert claim_units(["d2", "d3"], ["s9", "s1"], SourceUnits({"d2": "d1"}, {})) == (["d1", "d3"], ["d1", "d3"])


def test_check_unique_names_the_smallest_repeated_claim_id():
    check_unique(pa.chunked_array([["c2", "c1"], ["c3"]]))
    with pytest.raises(ClaimexError, match=r"^\[E063\] claims table: claim_id 'c2' occurs 3 times"):
        check_unique(pa.chunked_array([["c5", "c2", "c5"], ["c2", "c1", "c2"]]))
    with pytest.raises(ClaimexError, match=r"claim_id 'b' occurs 2 times"):  # dictionary-encoded
        check_unique(pa.array(["b", "c", "b", "c"]).dictionary_encode())


def test_counts_per_group_over_integer_codes():
    from claimex.flags.columns import distinct_counts, distinct_pairs, first_rows

    groups = np.array([2, 0, 2, 2, 0, 3])
    values = np.array([5, 1, 5, 0, 1, 7])
    assert distinct_counts(groups, values, 4).tolist() == [1, 0, 2, 1]
    pair_groups, pair_values = distinct_pairs(groups, values)
    assert (pair_groups.tolist(), pair_values.tolist()) == ([0, 2, 2, 3], [1, 0, 5, 7])
    assert first_rows(groups, 4).tolist() == [1, 6, 0, 5]  # group 1 is empty: len(groups)
    assert distinct_counts(np.array([], dtype=np.int64), np.array([], dtype=np.int64), 2).tolist() == [0, 0]


def test_texts_can_be_let_go_once_quoted():
    c = _columns(ROWS, _docs([("d1", "a.txt"), ("d2", "b.txt"), ("d3", "c.txt")]))
    assert c.quote(0) == "kratom causes pain"
    c.release_texts()
    assert c.text is None
    assert list(c.claim_id) == ["c1", "c2", "c3", "c4"]  # the other columns stay
