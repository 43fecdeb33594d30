"""The ``sources`` table: who counts as one source, and why (one row per document).

A source unit joins the pages of one site and near-duplicate documents
(:func:`claimex.flags.grouping.source_units`).  Each row gives a document's
``site``, its ``source_unit`` (the smallest ``doc_id`` of the unit), the unit's
documents, ``why`` the document shares its unit (``same site``,
``near-duplicate``, both, or ``alone``) and ``shared_sentences``: how many of
its sentences are verbatim copies of a sentence of another unit and so count
for one source only.  Columns: ``claimex.schema.SOURCES``, ``docs/schema.md``.
"""

from __future__ import annotations

from collections import Counter

import pyarrow as pa

from .. import schema
from ..store.tables import column_values
from .grouping import SourceUnits

__all__ = ["sources_rows", "sources_table"]


def sources_rows(documents: pa.Table, units: SourceUnits) -> list[dict]:
    """The rows of the ``sources`` table, in ``doc_id`` order."""
    doc_ids = sorted(column_values(documents.column("doc_id")))
    sources = dict(zip(column_values(documents.column("doc_id")),
                       column_values(documents.column("source")) if "source" in documents.column_names
                       else [None] * documents.num_rows))
    unit_of = {d: units.clusters.get(d, d) for d in doc_ids}
    members: dict[str, list[str]] = {}
    for d in doc_ids:
        members.setdefault(unit_of[d], []).append(d)
    shared = Counter(d for d, _s in units.shared)
    rows = []
    for d in doc_ids:
        site = units.sites.get(d, "")
        near = units.near_duplicates.get(d, d)
        others = [o for o in members[unit_of[d]] if o != d]
        why = []
        if any(site and units.sites.get(o) == site for o in others):
            why.append("same site")
        if any(units.near_duplicates.get(o, o) == near for o in others):
            why.append("near-duplicate")
        rows.append({"doc_id": d, "source": sources.get(d) or "", "site": site, "source_unit": unit_of[d],
                     "unit_doc_ids": members[unit_of[d]], "why": ", ".join(why) or ("joined" if others else "alone"),
                     "shared_sentences": shared.get(d, 0)})
    return rows


def sources_table(documents: pa.Table, units: SourceUnits) -> pa.Table:
    """The ``sources`` table (:data:`claimex.schema.SOURCES`)."""
    return pa.Table.from_pylist(sources_rows(documents, units), schema=schema.SOURCES)
