"""Incremental runs: the stored rows of documents an earlier run already processed.

A document is known by its content (``doc_id``).  When the earlier run over
the same output folder had the same claimex version, base model, config hash
and piece size, and its tables are still the files its manifest describes,
the rows of every document it processed are taken from its tables instead of
running the pipeline again.

This sits in the runner, not in :mod:`claimex.store`, because it joins the
two sides: it reads the store's tables and manifest and hands out the
engine's :class:`~claimex.engine.local.DocRows`; the store itself knows
nothing of engines or pipelines.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator, Mapping

REUSED_TABLES = ("documents", "sentences", "entities", "claims")
ROW_TABLES = ("sentences", "entities", "claims")


def previous_rows(out: Path, info, wanted: set[str], *, piece_chars: int | None = None) -> Mapping:
    """Stored rows of documents an earlier run over ``out`` already processed,
    as a mapping ``doc_id -> DocRows`` (see :class:`StoredRows`); empty when
    nothing may be reused.

    Used only when that run had the same claimex version, base model, config
    hash and piece size (read from its manifest) and its tables are the very
    files the manifest describes (same SHA-256): a run killed after replacing
    some tables but before writing its manifest leaves tables that do not
    match, and then nothing is reused.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    from ..engine.local import piece_chars_setting
    from ..store import manifest as manifests
    from ..store import tables

    m = manifests.read_manifest(out)
    if m is None:
        return {}
    if piece_chars is None:
        piece_chars = piece_chars_setting()
    if not manifests.same_setup(m, info, piece_chars=piece_chars):
        return {}
    if not manifests.describes_tables(m, out, REUSED_TABLES):
        return {}
    value_set = pa.array(sorted(wanted), type=pa.string())
    try:
        loaded = {}
        for name in REUSED_TABLES:
            columns = ("doc_id", "n_words", "title") if name == "documents" else None
            t = tables.read_table(out, name, columns)
            loaded[name] = t.filter(pc.is_in(t.column("doc_id"), value_set=value_set))
    except Exception:  # an unreadable previous output is simply not reused
        return {}
    return StoredRows(loaded)


class StoredRows(Mapping):
    """``doc_id -> DocRows`` over the tables of an earlier run.

    The tables stay Arrow data (a few bytes a row), and so do the rows handed
    out: a document's ``sentences``, ``entities`` and ``claims`` are slices of
    them (zero-copy when the document's rows are stored together), which the
    table writers take as they are.  So an incremental run over a large
    corpus needs no more memory than a fresh one, and no time to turn rows
    into Python objects and back.
    """

    def __init__(self, loaded: dict) -> None:
        from ..store.tables import column_values

        docs = loaded["documents"]
        self._docs = {d: (n, t) for d, n, t in zip(column_values(docs.column("doc_id")),
                                                    docs.column("n_words").to_pylist(),
                                                    column_values(docs.column("title")))}
        self._tables = {name: loaded[name].combine_chunks() for name in ROW_TABLES}
        self._rows_of: dict[str, dict[str, list[int]]] = {}
        for name, table in self._tables.items():
            index: dict[str, list[int]] = {}
            for i, doc_id in enumerate(column_values(table.column("doc_id"))):
                index.setdefault(doc_id, []).append(i)
            self._rows_of[name] = index

    def __getitem__(self, doc_id: str):
        import pyarrow as pa

        from ..engine.local import DocRows

        n_words, title = self._docs[doc_id]
        rows = DocRows(doc_id, n_words=n_words, title=title)
        for name, table in self._tables.items():
            idx = self._rows_of[name].get(doc_id, [])
            if not idx or idx[-1] - idx[0] + 1 == len(idx):  # a document's rows are stored together
                setattr(rows, name, table.slice(idx[0] if idx else 0, len(idx)))
            else:
                setattr(rows, name, table.take(pa.array(idx, pa.int64())))
        return rows

    def __contains__(self, doc_id: object) -> bool:  # Mapping's would build the rows
        return doc_id in self._docs

    def __iter__(self) -> Iterator[str]:
        return iter(self._docs)

    def __len__(self) -> int:
        return len(self._docs)
