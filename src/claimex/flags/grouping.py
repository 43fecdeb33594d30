"""What the rules share: the claims as numbered columns, and who counts as one source.

:class:`ClaimColumns` turns the ``claims`` table into Python columns in
``claim_id`` order once per run, with the object group (``claim_groups.jsonl``
via :class:`~claimex.flags.lexicon.ClaimGroupLexicon`), the qualifier levels
and the source unit of every claim.  The *group key* of a claim is
``subject|PREDICATE|group``.  Source units (:func:`source_units`): the pages of
one site (:mod:`claimex.flags.sites`) and near-duplicate documents
(:mod:`claimex.flags.dedup`) are one source, and every copy of a
verbatim-shared sentence counts for one source only.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import NamedTuple

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .. import schema
from ..errors import ClaimexError, Errors
from ..store.tables import LazyStrings, column_values, decoded
from .dedup import near_duplicate_clusters, shared_sentence_units
from .hedged import is_hedged
from .lexicon import ClaimGroupLexicon
from .settings import FlagSettings
from .sites import document_sites

__all__ = ["ClaimColumns", "SourceUnits", "check_claim_columns", "check_claims", "check_unique", "claim_units",
           "merge_units", "source_units", "validate_claims"]

_SPACES = re.compile(r"\s+")


class SourceUnits(NamedTuple):
    """Who counts as one source: the pages of one site and near-duplicate documents are
    one source (``clusters``), and so is every copy of a verbatim-shared sentence
    (:mod:`claimex.flags.dedup`).  ``sites`` and ``near_duplicates`` say why (the
    ``sources`` table, :func:`claimex.flags.sources.sources_table`)."""

    clusters: dict[str, str]              # doc_id -> source unit (smallest doc_id of the unit)
    shared: dict[tuple[str, str], str]    # (doc_id, sent_id) -> shared-sentence unit
    sites: dict[str, str] = {}            # doc_id -> site (claimex.flags.sites)
    near_duplicates: dict[str, str] = {}  # doc_id -> near-duplicate cluster (MinHash)


def source_units(documents: pa.Table, sentences: pa.Table | None = None, *,
                 settings: FlagSettings | None = None) -> SourceUnits:
    """The corpus-wide source units the flags stage counts sources by.

    A source unit joins the documents of one site (:func:`claimex.flags.sites.site_of`)
    and near-duplicate documents (MinHash), transitively; its id is its smallest
    ``doc_id``.
    """
    s = settings or FlagSettings()
    near = near_duplicate_clusters(documents, threshold=s.minhash_threshold, num_perm=s.num_perm,
                                   shingle_size=s.shingle_size, seed=s.minhash_seed)
    sites = document_sites(documents) if s.same_site_one_source else {}
    clusters = merge_units(near, sites)
    shared = (shared_sentence_units(sentences, clusters, min_words=s.min_shared_sentence_words)
              if sentences is not None else {})
    return SourceUnits(clusters, shared, sites, near)


def merge_units(near: dict[str, str], sites: dict[str, str]) -> dict[str, str]:
    """``doc_id`` → source unit: documents of one near-duplicate cluster or of one site, joined
    transitively; the unit id is the smallest ``doc_id`` in it."""
    parent = {d: d for d in near}

    def find(d: str) -> str:
        while parent[d] != d:
            parent[d] = parent[parent[d]]
            d = parent[d]
        return d

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    for d, c in near.items():
        if c in parent:
            union(d, c)
    first: dict[str, str] = {}
    for d in sorted(sites):
        if d in parent:
            union(d, first.setdefault(sites[d], d))
    return {d: find(d) for d in near}


def claim_units(doc: list[str], sent: list[str], units: SourceUnits) -> tuple[list[str], list[str]]:
    """The source cluster and the source unit of each claim, given its ``doc_id`` and ``sent_id``:
    a claim of a verbatim-shared sentence counts for that sentence's unit, any other for the
    cluster of its document (a document missing from ``units`` is its own)."""
    clusters, shared = units.clusters, units.shared
    cluster = [clusters.get(d, d) for d in doc]
    unit = [shared.get((d, s), c) for d, s, c in zip(doc, sent, cluster)] if shared else cluster
    return cluster, unit


# The columns of ``ClaimColumns.claims`` (the sorted claims): the flag rows' and claim_groups' own.
TABLE_COLUMNS = ("claim_id", "doc_id", "sent_id", "claim_key")


class ClaimColumns:
    """The claims of one run as Python columns, numbered in ``claim_id`` order.

    Besides the input columns it holds what every rule reads: the effective
    hedging (``hedged`` or not ``asserted``), the document numbers (``doc_id``
    order), the source cluster and unit of each claim, its object group, its
    qualifier levels and whether its object is a side effect.  Sorted claim
    indices are sorted claim ids, sorted document indices sorted doc ids.
    """

    def __init__(self, claims: pa.Table, documents: pa.Table, sentences: pa.Table | None,
                 entities: pa.Table | None, settings: FlagSettings, lex: ClaimGroupLexicon, *,
                 sources: SourceUnits | None = None):
        """``claims``: checked by :func:`check_claims` beforehand."""
        self.s = settings
        self.lex = lex
        self.cap = settings.max_related
        # Sorted without the long unique ``text`` column: the rules read a few texts, from the
        # caller's table (:class:`~claimex.store.tables.LazyStrings` in sorted order), instead of a
        # sorted copy of all of them.
        order = pc.sort_indices(claims, sort_keys=[("claim_id", "ascending")])
        self.text = LazyStrings(claims.column("text"), order)
        claims = claims.drop_columns(["text"]).take(order)
        del order
        self.n = claims.num_rows
        col = lambda name: column_values(claims.column(name))  # noqa: E731
        # the ids are read from Arrow when a flag row is made (a unique string per claim otherwise);
        # a claim's document is its number (doc_idx), its sentence only counts for its unit
        self.claim_id = LazyStrings(claims.column("claim_id"))
        doc, sent = col("doc_id"), col("sent_id")
        self.subject = col("subject")
        self.predicate = col("predicate")
        self.object = col("object")
        self.object_text = col("object_text") if "object_text" in claims.column_names else self.object
        self.negated = [p == "negated" for p in col("polarity")]
        # read by the hedged rule only, for the hedged claims: a list object per claim costs 56 bytes
        self.hedge_cues = LazyStrings(claims.column("hedge_cues"))
        self.certainty = col("certainty")
        self.attribution = col("attribution")
        self.evidence = col("evidence")
        self.claim_key = col("claim_key")
        self.dose_min = col("dose_min")
        self.dose_max = col("dose_max")
        self.dose_unit = col("dose_unit")
        self.dose_period = col("dose_period")
        self.hedged_eff = [is_hedged(h, c) for h, c in zip(col("hedged"), self.certainty)]

        # documents are numbered in doc_id order too
        self.doc_ids = sorted(set(doc))
        rank = {d: k for k, d in enumerate(self.doc_ids)}
        self.doc_idx = array("i", [rank[d] for d in doc])  # 4 bytes a claim, not an int object
        del rank

        # sources
        self.cluster, self.unit = claim_units(doc, sent, sources or source_units(
            documents, sentences, settings=settings))
        del doc, sent
        self._doc_sources = _doc_sources(documents, self.doc_ids)

        self.group = [lex.group_of(o) for o in self.object]
        self._qualifiers(claims)
        se_labels = self._side_effect_objects(claims, entities)
        generic = lex.generic_group
        se_groups = lex.side_effect_groups
        self.is_se = [p == "CAUSES" and (g in se_groups or lab)
                      for p, g, lab in zip(self.predicate, self.group, se_labels)]
        self.is_generic = [p == "CAUSES" and generic is not None and g == generic
                           for p, g in zip(self.predicate, self.group)]
        # what the rules and the output tables read as Arrow columns afterwards (the rest is in lists)
        self.claims = claims.select([name for name in TABLE_COLUMNS if name in claims.column_names])

    # -- input

    def _qualifiers(self, claims: pa.Table) -> None:
        n = self.n
        self.amount: list[str | None] = [None] * n
        self.duration: list[str | None] = [None] * n
        self.comparator: list[str | None] = [None] * n
        self.qual_text: list[str] = [""] * n
        q = claims.column("qualifiers").combine_chunks()
        flat = pc.list_flatten(q)
        if len(flat) == 0:
            return
        parents = pc.list_parent_indices(q).to_pylist()
        kinds = pc.struct_field(flat, "kind").to_pylist()
        texts = pc.struct_field(flat, "text").to_pylist()
        level = self.lex.level
        amount, duration, comparator, qual_text = self.amount, self.duration, self.comparator, self.qual_text
        for i, kind, text in zip(parents, kinds, texts):
            if not kind or not text:
                continue
            qual_text[i] += " " + text
            if kind == "comparator":
                if comparator[i] is None:
                    comparator[i] = text
                continue
            scoped = level(kind, text)
            if scoped is not None:
                dim, lev = scoped
                if dim == "amount":
                    if amount[i] is None:
                        amount[i] = lev
                elif duration[i] is None:
                    duration[i] = lev

    def _side_effect_objects(self, claims: pa.Table, entities: pa.Table | None) -> list[bool]:
        if entities is None or "object_ent_id" not in claims.column_names:
            return [False] * self.n
        missing = [c for c in ("ent_id", "label") if c not in entities.column_names]
        if missing:
            raise ClaimexError(Errors.E060.format(table="entities", missing=", ".join(missing)))
        labels = decoded(entities.column("label"))
        se_ids = pc.filter(decoded(entities.column("ent_id")), pc.equal(labels, "SIDE_EFFECT"))
        objects = decoded(claims.column("object_ent_id"))
        return pc.is_in(objects, value_set=se_ids.combine_chunks().cast(objects.type)).to_pylist()

    def release_texts(self) -> None:
        """Let go of the claims' texts (the claims table's ``text`` column, the largest thing the
        stage holds) once the rules that quote or search them are done; :meth:`quote` and the
        ``text`` column cannot be read afterwards."""
        self.text = None

    # -- text helpers

    def mentions(self, i: int, text: str) -> Iterator[re.Match[str]]:
        """Where the claim's object is mentioned in ``text`` (case-insensitive)."""
        obj = (self.object_text[i] or self.object[i] or "").strip()
        return re.finditer(re.escape(obj), text, re.IGNORECASE) if obj else iter(())

    def quote(self, i: int) -> str:
        """The claim's text, cut to ``quote_chars`` around the first mention of its object."""
        text = _SPACES.sub(" ", self.text[i] or "").strip()
        limit = self.s.quote_chars
        if len(text) <= limit:
            return text
        m = next(self.mentions(i, text), None)
        start = max(0, min((m.start() if m else 0) - limit // 3, len(text) - limit))
        end = start + limit
        snippet = text[start:end]
        if start > 0:
            if text[start - 1] != " " and " " in snippet:  # drop the partial first word
                snippet = snippet.split(" ", 1)[1]
            snippet = "\u2026" + snippet.lstrip(" ,;:")
        if end < len(text):
            if text[end] != " " and " " in snippet:  # drop the partial last word
                snippet = snippet.rsplit(" ", 1)[0]
            snippet = snippet.rstrip(" ,;:") + "\u2026"
        return snippet

    def stmt(self, i: int) -> str:
        return f"{self.subject[i]} {self.predicate[i]} {self.object[i]}"

    def doc_name(self, k: int) -> str:
        """How a reason names document number ``k`` (of :attr:`doc_ids`): its id and the file name
        of its source (``d1 (a.txt)``), or its id alone (no source, or the name is the id)."""
        doc_id = self.doc_ids[k]
        source = self._doc_sources[k].as_py()
        name = PurePosixPath(str(source).replace("\\", "/").rstrip("/")).name if source else ""
        return f"{doc_id} ({name})" if name and name != doc_id else doc_id

    def where(self, rep: int, i: int) -> str:
        if self.doc_idx[rep] == self.doc_idx[i]:
            return "the same document"
        return self.doc_name(self.doc_idx[rep])


def _doc_sources(documents: pa.Table, doc_ids: list[str]) -> pa.Array:
    """The ``source`` of each of ``doc_ids`` in ``documents`` (its last row of that id; null when
    it has none or is not there), read as an Arrow array instead of a name per document."""
    if "source" not in documents.column_names or not doc_ids:
        return pa.nulls(len(doc_ids), pa.string())
    n = documents.num_rows
    backwards = pa.array(np.arange(n - 1, -1, -1, dtype=np.int64))  # index_in finds the first: the last row
    ids = decoded(documents.column("doc_id")).combine_chunks().cast(pa.string()).take(backwards)
    rows = pc.subtract(n - 1, pc.index_in(pa.array(doc_ids, pa.string()), value_set=ids).cast(pa.int64()))
    return decoded(documents.column("source")).combine_chunks().cast(pa.string()).take(rows)


def check_claim_columns(claims: pa.Table) -> None:
    """``E060`` if ``claims`` lacks a column the stage needs (:data:`claimex.schema.FLAG_REQUIRED`)."""
    missing = [c for c in schema.FLAG_REQUIRED if c not in claims.column_names]
    if missing:
        raise ClaimexError(Errors.E060.format(table="claims", missing=", ".join(missing)))


def validate_claims(claims: pa.Table) -> None:
    for column, allowed in (("predicate", schema.PREDICATES), ("polarity", schema.POLARITIES),
                            ("certainty", schema.CERTAINTY), ("evidence", schema.EVIDENCE)):
        values = claims.column(column)
        if pa.types.is_dictionary(values.type):
            values = values.cast(values.type.value_type)
        bad = [v for v in pc.unique(values).to_pylist() if v not in allowed]
        if bad:
            value = sorted(bad, key=lambda v: (v is None, str(v)))[0]
            mask = pc.is_null(values) if value is None else pc.equal(values, value)
            row = pc.index(mask, True).as_py()
            raise ClaimexError(Errors.E061.format(table="claims", column=column, value=value, row=row,
                                                  allowed=", ".join(allowed)))


def check_unique(claim_ids: pa.ChunkedArray | pa.Array) -> None:
    """``E063`` naming the smallest ``claim_id`` that occurs more than once, and how often."""
    counts = pc.value_counts(decoded(claim_ids))
    twice = counts.filter(pc.greater(counts.field("counts"), 1))
    if len(twice):
        first = pc.sort_indices(twice.field("values"))[0].as_py()
        raise ClaimexError(Errors.E063.format(claim_id=twice.field("values")[first].as_py(),
                                              n=twice.field("counts")[first].as_py()))


def check_claims(claims: pa.Table) -> None:
    """The values the rules rely on: closed vocabularies (``E061``, :func:`validate_claims`) and
    unique claim ids (``E063``, :func:`check_unique`)."""
    validate_claims(claims)
    check_unique(claims.column("claim_id"))
