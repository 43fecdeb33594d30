"""The flags stage: every rule over one corpus, the rows put in table order, the two tables built.

:func:`flag_claims` reads the ``claims``, ``documents`` (and, if given,
``sentences`` and ``entities``) tables and returns the ``flags`` and
``claim_groups`` tables of :mod:`claimex.schema`.  The rules live in their
own modules (:mod:`~claimex.flags.hedged`, :mod:`~claimex.flags.contradicted`,
:mod:`~claimex.flags.doses`, :mod:`~claimex.flags.unsupported`,
:mod:`~claimex.flags.overstated`); the group rows in
:mod:`~claimex.flags.claim_groups`.  No rule compares every claim with every
other, so the work grows linearly with the number of claims.  Output is
deterministic: the same rows in any order give equal tables.

``flag_id`` is :func:`claimex.flags.columns.flag_id`.  Flags are sorted by
(doc_id, sent_id, claim_id, flag): the flags of one claim in alphabetical
order (contradicted, hedged, overstated, unsupported).
"""

from __future__ import annotations

import gc
from typing import Any, Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .. import schema
from ..errors import ClaimexError, Errors
from ..store.tables import column_values, decoded
from .claim_groups import groups_table
from .columns import flag_id, list_array, vocab_array
from .contradicted import merge_conflicts, polarity_conflicts
from .doses import dose_conflicts
from .grouping import ClaimColumns, SourceUnits, check_claim_columns, check_claims, claim_units, source_units
from .hedged import hedged_flag
from .lexicon import ClaimGroupLexicon
from .overstated import overstated_flags
from .settings import FlagSettings
from .unsupported import CHECKABLE_EVIDENCE, corroboration, is_unsupported, unsupported_flag

__all__ = ["FLAG_BATCH_ROWS", "empty_tables", "flag_claims", "settings_and_lexicon"]

FLAG_BATCH_ROWS = 8192  # flag rows per Arrow record batch while the flags table is built


def empty_tables() -> tuple[pa.Table, pa.Table]:
    return schema.FLAGS.empty_table(), schema.CLAIM_GROUPS.empty_table()


def settings_and_lexicon(claims: pa.Table, settings: FlagSettings | None,
                         lexicon: ClaimGroupLexicon | None) -> tuple[FlagSettings, ClaimGroupLexicon]:
    """Validated settings, the lexicon to use, and ``E060`` if ``claims`` lacks a column."""
    settings = settings or FlagSettings()
    settings.validate()
    lex = lexicon or ClaimGroupLexicon.load(settings.lexicon_path)
    check_claim_columns(claims)
    return settings, lex


def flag_claims(
    claims: pa.Table,
    documents: pa.Table,
    sentences: pa.Table | None = None,
    *,
    entities: pa.Table | None = None,
    settings: FlagSettings | None = None,
    lexicon: ClaimGroupLexicon | None = None,
    flags_sink: Callable[[pa.RecordBatch], None] | None = None,
    sources: SourceUnits | None = None,
) -> tuple[pa.Table | None, pa.Table]:
    """Return the ``(flags, claim_groups)`` tables for a corpus (rules: the rule modules).

    With ``flags_sink``, the flag rows are handed to it in record batches, in
    table order, as they are made (so that the flags table of a large corpus
    never sits in memory whole), and ``None`` is returned in place of the
    flags table.

    ``sources``: the corpus's source units computed beforehand (see
    :func:`claimex.flags.grouping.source_units`); then ``documents`` needs
    only ``doc_id`` (and ``source``) and ``sentences`` is not read.
    """
    settings, lex = settings_and_lexicon(claims, settings, lexicon)
    for name, columns in (("documents", ("doc_id",) if sources else ("doc_id", "text")),):
        missing = [c for c in columns if c not in documents.column_names]
        if missing:
            raise ClaimexError(Errors.E060.format(table=name, missing=", ".join(missing)))
    if claims.num_rows == 0:
        flags, groups = empty_tables()
        return (None if flags_sink else flags), groups
    # The stage allocates millions of small tuples and lists without reference
    # cycles; the cyclic garbage collector would rescan them again and again
    # (quadratic in effect), so it is paused while the stage runs.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        check_claims(claims)
        units = sources or source_units(documents, sentences, settings=settings)
        # What the columns are made from is let go as soon as it is read (the sentences now,
        # the source units, entities and claims table once ClaimColumns has them), and the
        # overstated rule runs first, on its own: its rows and ClaimColumns' lists (each a few
        # hundred bytes a claim) are never held at once.
        sources = sentences = None
        overstated = _overstated(claims, documents, units, settings)
        c = ClaimColumns(claims, documents, None, entities, settings, lex, sources=units)
        claims = documents = entities = units = None
        return _tables(c, overstated, sink=flags_sink)
    finally:
        if was_enabled:
            gc.enable()


def _overstated(claims: pa.Table, documents: pa.Table, units: SourceUnits,
                settings: FlagSettings) -> list[dict[str, Any]]:
    """overstated: the same claim stated more strongly than another independent source that
    gives checkable evidence states it (the same source units as the other rules)."""
    _, unit = claim_units(column_values(claims.column("doc_id")), column_values(claims.column("sent_id")), units)
    evidence = decoded(claims.column("evidence"))
    cited = set(decoded(claims.column("claim_id")).filter(
        pc.is_in(evidence, value_set=pa.array(sorted(CHECKABLE_EVIDENCE), evidence.type))).to_pylist())
    return overstated_flags(claims, documents=documents, source_units=unit, max_related=settings.max_related,
                            quote_chars=settings.overstated_quote_chars, reference=cited)


def _tables(c: ClaimColumns, overstated: list[dict[str, Any]],
            sink: Callable[[pa.RecordBatch], None] | None) -> tuple[pa.Table | None, pa.Table]:
    """Both tables (``None`` for flags when ``sink`` takes its batches, see :func:`flag_claims`);
    ``overstated``: the rows of :func:`claimex.flags.overstated.overstated_flags`."""
    polarity = polarity_conflicts(c)
    doses = dose_conflicts(c)
    c.release_texts()  # the reasons that quote a claim are written: the flag rows and groups read no text
    group_of, info = corroboration(c)
    n, cap = c.n, c.cap
    flag_code = {k: code for code, k in enumerate(schema.FLAG_KINDS)}
    sev_code = {k: code for code, k in enumerate(schema.SEVERITIES)}
    contradicted = np.zeros(n, dtype=bool)
    unsupported = np.zeros(n, dtype=bool)
    over = np.zeros(n, dtype=bool)
    reason_memo: dict = {}
    claim_ids = c.claims.column("claim_id").combine_chunks().cast(pa.string())
    doc_id_values = pa.array(c.doc_ids, pa.string())
    # the claim and document numbers of the ids the overstated rows name (not a dict of every id)
    claim_index = _numbers([cid for row in overstated for cid in (row["claim_id"], *row["related_claim_ids"])],
                           claim_ids)
    doc_index = _numbers([d for row in overstated for d in row["related_doc_ids"]], doc_id_values)
    over_by_claim = {}
    for row in overstated:
        k = claim_index[row["claim_id"]]
        over_by_claim[k] = (row["severity"], row["score"], row["reason"],
                            [claim_index[cid] for cid in row["related_claim_ids"]],
                            [doc_index[d] for d in row["related_doc_ids"]])
    del claim_index, doc_index

    # Rows are gathered in Python lists and turned into an Arrow record
    # batch every FLAG_BATCH_ROWS rows, so that the Python objects of at
    # most one batch exist at a time, however many flags the corpus has.
    cols: dict[str, list] = {}
    batches: list[pa.RecordBatch] = []
    put = sink or batches.append

    def flush() -> None:
        if cols.get("rows"):
            put(_flag_batch(c, cols, claim_ids, doc_id_values))
        for name in ("rows", "fids", "flags", "severities", "scores", "reasons", "related", "related_docs"):
            cols[name] = []

    flush()

    def emit(i, flag, severity, score, reason, ids, docs):
        cols["rows"].append(i)
        cols["fids"].append(flag_id(c.claim_id[i], flag))
        cols["flags"].append(flag_code[flag])
        cols["severities"].append(sev_code[severity])
        cols["scores"].append(score)
        cols["reasons"].append(reason)
        cols["related"].append(ids)
        cols["related_docs"].append(docs)
        if len(cols["rows"]) >= FLAG_BATCH_ROWS:
            flush()

    order = pc.sort_indices(c.claims, sort_keys=[("doc_id", "ascending"), ("sent_id", "ascending"),
                                                 ("claim_id", "ascending")]).to_pylist()
    for i in order:
        # flags of one claim in alphabetical order: contradicted, hedged, overstated, unsupported
        conflict = merge_conflicts(polarity.get(i), doses.get(i), cap)
        if conflict is not None:
            emit(i, "contradicted", *conflict)
            contradicted[i] = True
        if c.hedged_eff[i]:
            emit(i, "hedged", *hedged_flag(c, i), (), ())
        if i in over_by_claim:
            emit(i, "overstated", *over_by_claim.pop(i))
            over[i] = True
        if is_unsupported(c, i, info[group_of[i]]):
            emit(i, "unsupported", *unsupported_flag(c, i, info[group_of[i]], reason_memo))
            unsupported[i] = True
    flush()
    del over_by_claim, reason_memo
    flags_table = None if sink else pa.Table.from_batches(batches, schema=schema.FLAGS)
    return flags_table, groups_table(c, contradicted, over, unsupported)


def _numbers(ids: list[str], values: pa.Array) -> dict[str, int]:
    """``{id: its position in values}`` for the distinct ``ids``."""
    ids = list(dict.fromkeys(ids))
    return dict(zip(ids, pc.index_in(pa.array(ids, pa.string()), value_set=values).to_pylist()))


def _flag_batch(c: ClaimColumns, cols: dict[str, list], claim_ids: pa.Array, doc_ids: pa.Array) -> pa.RecordBatch:
    take = pa.array(cols["rows"], pa.int64())
    column = lambda name: c.claims.column(name).take(take).combine_chunks().cast(pa.string())  # noqa: E731
    arrays = {
        "flag_id": pa.array(cols["fids"], pa.string()),
        "claim_id": column("claim_id"),
        "doc_id": column("doc_id"),
        "sent_id": column("sent_id"),
        "claim_key": column("claim_key"),
        "flag": vocab_array(cols["flags"], schema.FLAG_KINDS, schema.FLAGS.field("flag").type),
        "reason": pa.array(cols["reasons"], pa.string()),
        "related_claim_ids": list_array(cols["related"], claim_ids),
        "related_doc_ids": list_array(cols["related_docs"], doc_ids),
        "severity": vocab_array(cols["severities"], schema.SEVERITIES, schema.FLAGS.field("severity").type),
        "score": pa.array(cols["scores"], pa.float64()),
    }
    return pa.RecordBatch.from_arrays([arrays[f.name] for f in schema.FLAGS], schema=schema.FLAGS)
