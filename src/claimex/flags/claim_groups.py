"""The ``claim_groups`` table: one row per ``claim_key`` with its counts, flags and verdict.

Rows are sorted by ``claim_key``.  ``n_sources``: distinct documents;
``n_independent_sources``: distinct source units
(:func:`claimex.flags.dedup.independent_sources`); ``n_affirming`` /
``n_negating`` / ``n_hedging``: distinct *documents* (not mentions) with an
affirmed / negated / hedged claim of the key; ``n_independent_affirming`` /
``n_independent_negating``: distinct source units with an affirmed / negated
claim, hedged or not.  ``flags``: sorted distinct
flag kinds of its claims.  ``verdict``, the first that applies:

1. ``contradicted``: a claim of the key has a ``contradicted`` flag;
2. ``unsupported``: no claim of the key cites checkable evidence (citation,
   study-reference or authority) and fewer than ``min_independent_sources``
   (2) independent sources state it unhedged with the same polarity;
3. ``hedged``: no unhedged claim cites checkable evidence, and fewer than 2
   independent sources state it unhedged (only hedged claims carry the
   evidence);
4. ``supported``: an unhedged claim cites checkable evidence, or at least 2
   independent sources state it unhedged with the same polarity, and nothing
   contradicts it.

The table is aggregated with Arrow group-bys, with no per-claim Python.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .. import schema
from .columns import list_array, vocab_array
from .grouping import ClaimColumns
from .unsupported import CHECKABLE_EVIDENCE

__all__ = ["GROUP_FLAGS", "groups_table"]

GROUP_FLAGS = tuple(sorted(schema.FLAG_KINDS))  # the order of a group's ``flags`` list


def groups_table(c: ClaimColumns, contradicted: np.ndarray, overstated: np.ndarray,
                 unsupported: np.ndarray) -> pa.Table:
    """One row per claim_key, aggregated with Arrow group-bys (no per-claim Python)."""
    hedged = np.array(c.hedged_eff, dtype=bool)
    negated = np.array(c.negated, dtype=bool)
    cited = np.array([e in CHECKABLE_EVIDENCE for e in c.evidence], dtype=bool)
    key = c.claims.column("claim_key").combine_chunks().cast(pa.string())
    # documents and units are counted as numbers, not strings: the distinct counts are the same,
    # and the seven columns below hold 4 bytes a claim instead of a string each
    doc = pa.array(np.asarray(c.doc_idx, dtype=np.int32))
    unit = pc.dictionary_encode(pa.array(c.unit, pa.string())).indices
    null = pa.scalar(None, pa.int32())

    def where(mask: np.ndarray, values: pa.Array) -> pa.Array:
        return pc.if_else(pa.array(mask), values, null)

    t = pa.table({
        "key": key, "idx": pa.array(np.arange(c.n, dtype=np.int64)), "doc": doc, "unit": unit,
        "aff_doc": where(~negated, doc), "neg_doc": where(negated, doc), "hedge_doc": where(hedged, doc),
        "aff_unit": where(~negated & ~hedged, unit), "neg_unit": where(negated & ~hedged, unit),
        "aff_any_unit": where(~negated, unit), "neg_any_unit": where(negated, unit),
        "contradicted": pa.array(contradicted), "hedged": pa.array(hedged),
        "overstated": pa.array(overstated), "unsupported": pa.array(unsupported), "cited": pa.array(cited),
        "cited_unhedged": pa.array(cited & ~hedged),
    })
    agg = t.group_by("key", use_threads=False).aggregate([
        ("idx", "min"), ("idx", "count"), ("doc", "count_distinct"), ("unit", "count_distinct"),
        ("aff_doc", "count_distinct"), ("neg_doc", "count_distinct"), ("hedge_doc", "count_distinct"),
        ("aff_unit", "count_distinct"), ("neg_unit", "count_distinct"),
        ("aff_any_unit", "count_distinct"), ("neg_any_unit", "count_distinct"),
        ("contradicted", "any"), ("hedged", "any"), ("overstated", "any"), ("unsupported", "any"),
        ("cited", "any"),
        ("cited_unhedged", "any"),
    ]).sort_by("key")
    get = lambda name: agg.column(name).to_numpy()  # noqa: E731

    # sorted distinct doc ids per key (document numbers are in doc_id order)
    pairs = (pa.table({"key": key, "doc": doc}).group_by(["key", "doc"], use_threads=False)
             .aggregate([]).sort_by([("key", "ascending"), ("doc", "ascending")]))
    pair_keys = pairs.column("key").combine_chunks()
    change = pc.not_equal(pair_keys.slice(1), pair_keys.slice(0, len(pair_keys) - 1))
    starts = np.concatenate([[0], np.flatnonzero(change.to_numpy(zero_copy_only=False)) + 1,
                             [len(pair_keys)]]).astype(np.int32)
    doc_ids = pa.ListArray.from_arrays(pa.array(starts), pa.array(c.doc_ids, pa.string()).take(
        pairs.column("doc").combine_chunks()))

    first = get("idx_min").tolist()
    c_flag, h_flag, u_flag = get("contradicted_any"), get("hedged_any"), get("unsupported_any")
    o_flag = get("overstated_any")
    flag_lists = [[k for k, on in enumerate(bits) if on] for bits in zip(c_flag, h_flag, o_flag, u_flag)]
    agreeing = np.maximum(get("aff_unit_count_distinct"), get("neg_unit_count_distinct"))
    weak = agreeing < c.s.min_independent_sources
    any_cited, cited_unhedged = get("cited_any"), get("cited_unhedged_any")
    verdict = np.where(c_flag, 0, np.where(~any_cited & weak, 1,
                                           np.where(~cited_unhedged & weak, 2, 3)))
    pred_code = {p: c for c, p in enumerate(schema.PREDICATES)}
    int32 = lambda name: pa.array(get(name).astype(np.int32))  # noqa: E731
    arrays = {
        "claim_key": agg.column("key").combine_chunks(),
        "group_key": pa.array([f"{c.subject[i]}|{c.predicate[i]}|{c.group[i]}" for i in first],
                              pa.string()),
        "subject": pa.array([c.subject[i] for i in first], pa.string()),
        "predicate": vocab_array([pred_code[c.predicate[i]] for i in first], schema.PREDICATES,
                                  schema.CLAIM_GROUPS.field("predicate").type),
        "object": pa.array([c.object[i] for i in first], pa.string()),
        "n_claims": int32("idx_count"),
        "n_sources": int32("doc_count_distinct"),
        "n_independent_sources": int32("unit_count_distinct"),
        "n_affirming": int32("aff_doc_count_distinct"),
        "n_negating": int32("neg_doc_count_distinct"),
        "n_hedging": int32("hedge_doc_count_distinct"),
        "n_independent_affirming": int32("aff_any_unit_count_distinct"),
        "n_independent_negating": int32("neg_any_unit_count_distinct"),
        "doc_ids": doc_ids,
        "flags": list_array(flag_lists, pa.array(GROUP_FLAGS, pa.string())),
        "verdict": vocab_array(verdict, schema.VERDICTS, schema.CLAIM_GROUPS.field("verdict").type),
    }
    return pa.Table.from_arrays([arrays[f.name] for f in schema.CLAIM_GROUPS], schema=schema.CLAIM_GROUPS)
