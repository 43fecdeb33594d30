"""The flags stage as a group-by on subject: the same tables, computed part by part (Dask engine).

Every rule compares only claims about the same subject, so the claims can be
split by a hash of their subject and each part flagged on its own, given the
corpus-wide source units computed once beforehand.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable
from typing import Callable

import pyarrow as pa
import pyarrow.compute as pc

from ..errors import ClaimexError, Errors
from ..store.tables import column_values, decoded
from .grouping import SourceUnits, check_claims, source_units
from .lexicon import ClaimGroupLexicon
from .settings import FlagSettings
from .stage import flag_claims, settings_and_lexicon

__all__ = ["flag_claims_by_subject"]


def flag_claims_by_subject(
    claims: pa.Table,
    documents: pa.Table,
    sentences: pa.Table | None = None,
    *,
    entities: pa.Table | None = None,
    settings: FlagSettings | None = None,
    lexicon: ClaimGroupLexicon | None = None,
    n_partitions: int = 16,
    map_partitions: Callable[[Callable, list], Iterable] | None = None,
    sources: SourceUnits | None = None,
) -> tuple[pa.Table, pa.Table]:
    """:func:`flag_claims` as a group-by: the same two tables, computed part by part.

    Every rule compares only claims about the same subject (contradictions
    within subject-predicate-object groups and per subject for doses,
    corroboration and ``overstated`` per ``claim_key``), so the claims are
    split by a hash of their subject into ``n_partitions`` parts, which
    ``map_partitions(fn, parts)`` flags independently (default: one after
    the other here; the Dask engine passes its cluster's ``map``).  Source
    units are computed once for the whole corpus first.  The parts' tables
    are concatenated and put in table order.  ``sources``: the source units
    computed beforehand (:func:`~claimex.flags.grouping.source_units`).
    """
    settings, lex = settings_and_lexicon(claims, settings, lexicon)
    if not isinstance(n_partitions, int) or isinstance(n_partitions, bool) or n_partitions < 1:
        raise ClaimexError(Errors.E065.format(value=n_partitions))
    missing = [c for c in ("ent_id", "label") if entities is not None and c not in entities.column_names]
    if missing:
        raise ClaimexError(Errors.E060.format(table="entities", missing=", ".join(missing)))
    if claims.num_rows == 0:
        return flag_claims(claims, documents, sentences, entities=entities, settings=settings, lexicon=lex,
                           sources=sources)
    check_claims(claims)
    units = sources or source_units(documents, sentences, settings=settings)
    names = documents.select([c for c in ("doc_id", "source") if c in documents.column_names])
    if entities is not None and "object_ent_id" in claims.column_names:
        entities = entities.select(["ent_id", "label"]).filter(
            pc.equal(decoded(entities.column("label")), "SIDE_EFFECT"))
    subjects = column_values(claims.column("subject"))
    part_of = {s: zlib.crc32((s or "").encode("utf-8")) % n_partitions for s in set(subjects)}
    members: list[list[int]] = [[] for _ in range(n_partitions)]
    for i, subject in enumerate(subjects):
        members[part_of[subject]].append(i)
    parts = [_part(claims.take(pa.array(idx, pa.int64())), names, entities, units, settings, lex)
             for idx in members if idx]
    results = list((map_partitions or map)(_flag_partition, parts))
    flags = pa.concat_tables([f for f, _ in results])
    groups = pa.concat_tables([g for _, g in results])
    order = pc.sort_indices(pa.table({
        "doc_id": flags.column("doc_id"), "sent_id": flags.column("sent_id"),
        "claim_id": flags.column("claim_id"), "flag": flags.column("flag").cast(pa.string())}),
        sort_keys=[("doc_id", "ascending"), ("sent_id", "ascending"), ("claim_id", "ascending"),
                   ("flag", "ascending")])
    return flags.take(order), groups.sort_by("claim_key")


def _part(claims: pa.Table, names: pa.Table, entities: pa.Table | None, units: SourceUnits,
          settings: FlagSettings, lex: ClaimGroupLexicon) -> tuple:
    """One part's task: its claims with just the documents, source units and
    side-effect entities they refer to (every rule looks only at those), so that
    a task carries a share of the corpus, not all of it."""
    doc_ids = column_values(claims.column("doc_id"))
    docs = set(doc_ids)
    names = names.filter(pc.is_in(names.column("doc_id"), pa.array(sorted(docs), pa.string())))
    clusters = {d: units.clusters[d] for d in sorted(docs) if d in units.clusters}
    keys = sorted(set(zip(doc_ids, column_values(claims.column("sent_id")))))
    shared = {k: units.shared[k] for k in keys if k in units.shared}
    if entities is not None and "object_ent_id" in claims.column_names:
        wanted = pa.array(sorted({e for e in column_values(claims.column("object_ent_id")) if e}), pa.string())
        entities = entities.filter(pc.is_in(decoded(entities.column("ent_id")), wanted))
    return claims, names, entities, SourceUnits(clusters, shared), settings, lex


def _flag_partition(part: tuple) -> tuple[pa.Table, pa.Table]:
    claims, documents, entities, units, settings, lex = part
    return flag_claims(claims, documents, entities=entities, settings=settings, lexicon=lex, sources=units)

