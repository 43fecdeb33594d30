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

The table is aggregated over integer codes with numpy (:mod:`claimex.flags.columns`), with no
per-claim Python.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .. import schema
from .columns import distinct_counts, distinct_pairs, first_rows, list_array, vocab_array
from .grouping import ClaimColumns
from .unsupported import CHECKABLE_EVIDENCE

__all__ = ["GROUP_FLAGS", "groups_table"]

GROUP_FLAGS = tuple(sorted(schema.FLAG_KINDS))  # the order of a group's ``flags`` list


def groups_table(c: ClaimColumns, contradicted: np.ndarray, overstated: np.ndarray,
                 unsupported: np.ndarray) -> pa.Table:
    """One row per claim_key, aggregated over integer codes with numpy (no per-claim Python)."""
    hedged = np.array(c.hedged_eff, dtype=bool)
    negated = np.array(c.negated, dtype=bool)
    cited = np.array([e in CHECKABLE_EVIDENCE for e in c.evidence], dtype=bool)
    # group number of each claim: the rank of its claim_key (rows are sorted by claim_key)
    keys = pc.dictionary_encode(c.claims.column("claim_key").combine_chunks().cast(pa.string()))
    order = pc.sort_indices(keys.dictionary).to_numpy()
    n_groups = len(order)
    rank = np.empty(n_groups, dtype=np.int64)
    rank[order] = np.arange(n_groups, dtype=np.int64)
    group = rank[keys.indices.to_numpy()]
    # documents and units are counted as numbers (document numbers are in doc_id order)
    doc = np.asarray(c.doc_idx, dtype=np.int64)
    unit = pc.dictionary_encode(pa.array(c.unit, pa.string())).indices.to_numpy()

    def distinct(values: np.ndarray, mask: np.ndarray | None = None) -> np.ndarray:
        if mask is None:
            return distinct_counts(group, values, n_groups)
        return distinct_counts(group[mask], values[mask], n_groups)

    def any_of(mask: np.ndarray) -> np.ndarray:
        return np.bincount(group[mask], minlength=n_groups) > 0

    counts = {
        "idx_count": np.bincount(group, minlength=n_groups),
        "doc_count_distinct": distinct(doc), "unit_count_distinct": distinct(unit),
        "aff_doc_count_distinct": distinct(doc, ~negated), "neg_doc_count_distinct": distinct(doc, negated),
        "hedge_doc_count_distinct": distinct(doc, hedged),
        "aff_unit_count_distinct": distinct(unit, ~negated & ~hedged),
        "neg_unit_count_distinct": distinct(unit, negated & ~hedged),
        "aff_any_unit_count_distinct": distinct(unit, ~negated), "neg_any_unit_count_distinct": distinct(unit, negated),
        "contradicted_any": any_of(contradicted), "hedged_any": any_of(hedged), "overstated_any": any_of(overstated),
        "unsupported_any": any_of(unsupported), "cited_any": any_of(cited), "cited_unhedged_any": any_of(cited & ~hedged),
    }
    get = counts.__getitem__

    # sorted distinct doc ids per key
    pair_group, pair_doc = distinct_pairs(group, doc)
    starts = np.zeros(n_groups + 1, dtype=np.int32)
    np.cumsum(np.bincount(pair_group, minlength=n_groups), out=starts[1:])
    doc_ids = pa.ListArray.from_arrays(pa.array(starts), pa.array(c.doc_ids, pa.string()).take(pa.array(pair_doc)))

    first = first_rows(group, n_groups).tolist()
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
        "claim_key": keys.dictionary.take(pa.array(order)),
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
