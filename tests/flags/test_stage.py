"""The flags stage as a whole (claimex.flags.stage): schemas, row order, determinism, the sink, errors,
the overstated rows in the table and the settings that reach them."""

from __future__ import annotations

import random

import pyarrow as pa
import pytest
from builders import documents_table
from flagkit import ADDICTION_000, DEPENDENCE_002, claim, corpus_rows, run

from claimex import schema
from claimex.errors import ClaimexError
from claimex.flags import FlagSettings, flag_claims


def test_output_schemas_and_row_order():
    flags, groups = run(corpus_rows())
    assert flags.schema.equals(schema.FLAGS, check_metadata=True)
    assert groups.schema.equals(schema.CLAIM_GROUPS, check_metadata=True)
    keys = [(r["doc_id"], r["sent_id"], r["claim_id"], r["flag"]) for r in flags.to_pylist()]
    assert keys == sorted(keys)
    # 11 since issue 18: c6 (nausea) is no longer contradicted by c5's blanket denial of side effects
    assert len(set(flags.column("flag_id").to_pylist())) == flags.num_rows == 11
    assert groups.column("claim_key").to_pylist() == sorted(set(r["claim_key"] for r in corpus_rows()))


def test_shuffled_input_gives_identical_tables():
    rows = corpus_rows()
    claims = pa.Table.from_pylist(rows, schema=schema.CLAIMS)
    order = list(range(len(rows)))
    random.Random(7).shuffle(order)
    first = flag_claims(claims, documents_table())
    second = flag_claims(claims.take(order), documents_table().take([4, 2, 0, 3, 1]))
    assert order != sorted(order)
    assert first[0].equals(second[0]) and first[1].equals(second[1])


def test_flags_sink_gets_the_table_in_batches(monkeypatch):
    """With a sink the rows arrive in record batches of FLAG_BATCH_ROWS, in table order."""
    from claimex.flags import stage

    claims = pa.Table.from_pylist(corpus_rows(), schema=schema.CLAIMS)
    whole, groups = flag_claims(claims, documents_table())
    monkeypatch.setattr(stage, "FLAG_BATCH_ROWS", 5)
    batches = []
    streamed, streamed_groups = flag_claims(claims, documents_table(), flags_sink=batches.append)
    assert streamed is None
    assert [b.num_rows for b in batches] == [5, 5, 1]  # 11 flags (see test_output_schemas_and_row_order)
    assert pa.Table.from_batches(batches, schema=schema.FLAGS).equals(whole)
    assert streamed_groups.equals(groups)
    # and without a sink, small batches give the same table as one batch
    assert flag_claims(claims, documents_table())[0].equals(whole)


def test_empty_claims_with_a_sink_call_it_never():
    batches = []
    flags, groups = run([], flags_sink=batches.append)
    assert flags is None and batches == [] and groups.num_rows == 0


def test_string_columns_share_equal_values():
    from claimex.store.tables import column_values as _pylist

    column = pa.chunked_array([["kratom", "pain", None], ["kratom", "pain"]])
    values = _pylist(column)
    assert values == ["kratom", "pain", None, "kratom", "pain"]
    assert values[0] is values[3] and values[1] is values[4]
    coded = pa.array(["b", "a", "b"]).dictionary_encode()
    assert _pylist(coded) == ["b", "a", "b"]
    assert _pylist(pa.array([1, None, 3])) == [1, None, 3]


def test_empty_claims_give_empty_tables():
    flags, groups = run([])
    assert flags.num_rows == groups.num_rows == 0
    assert flags.schema.equals(schema.FLAGS, check_metadata=True)
    assert groups.schema.equals(schema.CLAIM_GROUPS, check_metadata=True)


def test_input_errors():
    claims = pa.Table.from_pylist([DEPENDENCE_002], schema=schema.CLAIMS)
    with pytest.raises(ClaimexError, match=r"^\[E060\] claims table is missing columns: polarity "):
        flag_claims(claims.drop_columns(["polarity"]), documents_table())
    bad = dict(DEPENDENCE_002, polarity="uncertain")
    with pytest.raises(ClaimexError, match=r"^\[E061\] claims table: column 'polarity' has value "
                                           r"'uncertain' \(row 1\); expected one of affirmed, negated\.$"):
        run([ADDICTION_000, bad])
    with pytest.raises(ClaimexError, match=r"^\[E063\] claims table: claim_id 'c2' occurs 2 times"):
        run([DEPENDENCE_002, DEPENDENCE_002])
    with pytest.raises(ClaimexError, match=r"^\[E064\] Flag setting max_related=0 is invalid"):
        run([DEPENDENCE_002], settings=FlagSettings(max_related=0))


def test_overstated_flags_join_the_flags_table_in_order():
    flags, groups = run([
        claim("c1", "001", "fibromyalgia", predicate="TREATS", evidence="none"),
        claim("c2", "003", "fibromyalgia", predicate="TREATS", evidence="citation", hedged=True,
              hedge_cues=("may",), certainty="possible"),
    ])
    rows = flags.to_pylist()
    # c1 is backed by c2's cited source, so it is not unsupported; it states more than that source
    assert [(r["claim_id"], r["flag"]) for r in rows] == [("c1", "overstated"), ("c2", "hedged")]
    over = rows[0]
    assert (over["related_claim_ids"], over["related_doc_ids"]) == (["c2"], ["003"])
    assert "1 other independent source that give evidence states it more weakly" in over["reason"]
    assert groups.to_pylist()[0]["flags"] == ["hedged", "overstated"]


def test_overstated_only_against_a_source_that_gives_evidence():
    """Another page merely hedging the claim does not make a claim overstated."""
    flags, _ = run([
        claim("c1", "001", "fibromyalgia", predicate="TREATS", evidence="none"),
        claim("c2", "003", "fibromyalgia", predicate="TREATS", evidence="vague-appeal", hedged=True,
              hedge_cues=("may",), certainty="possible"),
    ])
    assert [(r["claim_id"], r["flag"]) for r in flags.to_pylist()] == [
        ("c1", "unsupported"), ("c2", "hedged"), ("c2", "unsupported")]


WEAK = "Kratom may possibly help some people who live with fibromyalgia pain every day."


def test_flag_settings_reach_the_overstated_flag():
    """max_related caps the overstated flag's related ids and overstated_quote_chars cuts its quotation,
    as for the other flags; the reason still gives the full counts."""
    rows = [claim("c1", "001", "fibromyalgia", predicate="TREATS", evidence="none")] + [
        claim(f"c{k}", doc, "fibromyalgia", predicate="TREATS", evidence="study-reference", hedged=True,
              hedge_cues=("may",), certainty="possible", text=WEAK) for k, doc in ((2, "002"), (3, "003"), (4, "004"))]
    lead = ('States that kratom TREATS fibromyalgia as asserted, but 3 claims from 3 other independent sources '
            'that give evidence state it more weakly; the weakest, 002 (data/raw/002.txt), as possible with "may": ')

    def overstated(settings):
        flags, _ = run(rows, settings=settings)
        (row,) = [r for r in flags.to_pylist() if r["flag"] == "overstated"]
        return row["reason"], row["related_claim_ids"], row["related_doc_ids"], row["severity"], row["score"]

    assert overstated(None) == (f'{lead}"{WEAK}"', ["c2", "c3", "c4"], ["002", "003", "004"], "medium", 0.6)
    assert overstated(FlagSettings(max_related=2, overstated_quote_chars=30)) == (
        f'{lead}"Kratom may possibly help some\u2026"', ["c2", "c3"], ["002", "003"], "medium", 0.6)
    # quote_chars is the centred quotation of the other flags' reasons, not this one
    assert overstated(FlagSettings(quote_chars=30))[0] == f'{lead}"{WEAK}"'
    with pytest.raises(ClaimexError, match=r"^\[E064\] Flag setting overstated_quote_chars=5 is invalid"):
        run(rows, settings=FlagSettings(overstated_quote_chars=5))
