"""Writing and reading the output tables.

Every table is written under a temporary name in its folder (a run's staging
folder, :mod:`claimex.store.staging`) and moved into place only when complete
(:mod:`claimex.store.atomic`), so a run killed at any moment leaves either the
previous complete file or none.  Tables are
written in row groups as rows arrive, so memory does not grow with the
corpus.
"""

from __future__ import annotations

from bisect import bisect_right
from pathlib import Path
from typing import Any, Iterable

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from .. import schema as S
from ..errors import ClaimexError, Errors
from . import atomic

PARQUET_OPTIONS = dict(compression="zstd", use_dictionary=True, write_statistics=True)


def table_path(out_dir: Path, name: str) -> Path:
    return Path(out_dir) / f"{name}.parquet"


def to_table(name: str, rows: list[dict[str, Any]]) -> pa.Table:
    return fixed_categories(pa.Table.from_pylist(rows, schema=S.TABLES[name]), name)


def _vocabulary_array(values: tuple[str, ...]) -> pa.Array:
    return pa.array(values, type=pa.string())


def fixed_categories(table: pa.Table, name: str) -> pa.Table:
    """``table`` (of table ``name``) with every column of :data:`claimex.schema.CATEGORIES`
    encoded against its whole vocabulary, in the vocabulary's order (an ordered dictionary
    that is the same in every file).  A value outside the vocabulary is ``E061``."""
    categories = S.CATEGORIES.get(name, {})
    if not categories:
        return table
    for column, vocabulary in categories.items():
        i = table.schema.get_field_index(column)
        if i < 0:
            continue
        field = table.schema.field(i)
        values = decoded(table.column(i)).combine_chunks()
        dictionary = _vocabulary_array(vocabulary)
        indices = pc.index_in(values, value_set=dictionary)
        unknown = pc.and_(pc.is_null(indices), pc.is_valid(values))
        if pc.any(unknown).as_py():
            row = pc.index(unknown, True).as_py()
            raise ClaimexError(Errors.E061.format(table=name, column=column, value=values[row].as_py(),
                                                  row=row, allowed=", ".join(vocabulary)))
        encoded = pa.DictionaryArray.from_arrays(indices.cast(pa.int32()), dictionary, ordered=True)
        table = table.set_column(i, field.with_type(encoded.type), encoded)
    return table


class TableWriter:
    """Stream rows of one table into ``<out>/<name>.parquet`` atomically.

    Rows arrive as dicts or as Arrow tables (:meth:`write` takes either;
    tables are converted without going through Python objects);
    either way the file holds row groups of exactly ``batch_rows`` rows (the
    last one may be shorter) encoded the same way, so the same rows give the
    same bytes however they arrived.
    """

    def __init__(self, out_dir: Path, name: str, *, batch_rows: int = 5000) -> None:
        self.name = name
        self.schema = S.TABLES[name]
        self.final = table_path(out_dir, name)
        # .<name>.<random>.parquet.tmp, in the run's staging folder (claimex.store.staging)
        self.tmp = atomic.temp_path(Path(out_dir) / name, suffix=".parquet.tmp")
        try:
            self._writer = pq.ParquetWriter(self.tmp, self.schema, **PARQUET_OPTIONS)
        except BaseException:
            self.tmp.unlink(missing_ok=True)
            raise
        self._pending: list[list[dict[str, Any]] | pa.Table] = []  # in arrival order
        self._n_pending = 0
        self.batch_rows = batch_rows
        self.n_rows = 0

    def write(self, rows: Iterable[dict[str, Any]] | pa.Table) -> None:
        if isinstance(rows, pa.Table):
            self.write_table(rows)
            return
        rows = list(rows)
        if not rows:
            return
        if self._pending and isinstance(self._pending[-1], list):
            self._pending[-1].extend(rows)
        else:
            self._pending.append(rows)
        self._n_pending += len(rows)
        self._flush()

    def write_table(self, table: pa.Table) -> None:
        if table.num_rows:
            self._pending.append(table.cast(self.schema))
            self._n_pending += table.num_rows
            self._flush()

    def _take(self, n: int) -> pa.Table:
        """The next ``n`` pending rows as one table, encoded as :func:`to_table` encodes rows."""
        parts: list[list[dict[str, Any]] | pa.Table] = []
        while n:
            head = self._pending[0]
            size = len(head) if isinstance(head, list) else head.num_rows
            if size <= n:
                parts.append(self._pending.pop(0))
            else:
                if isinstance(head, list):
                    parts.append(head[:n])
                    self._pending[0] = head[n:]
                else:
                    parts.append(head.slice(0, n))
                    self._pending[0] = head.slice(n)
                size = n
            n -= size
        if all(isinstance(p, list) for p in parts):
            return to_table(self.name, [r for p in parts for r in p])
        table = pa.concat_tables([to_table(self.name, p) if isinstance(p, list) else p for p in parts])
        return fixed_categories(_like_from_rows(table, self.schema), self.name)

    def _flush(self, final: bool = False) -> None:
        while self._n_pending >= self.batch_rows or (final and self._n_pending):
            n = min(self.batch_rows, self._n_pending)
            chunk = self._take(n)
            self._n_pending -= n
            self._writer.write_table(chunk, row_group_size=self.batch_rows)
            self.n_rows += n

    def commit(self) -> Path:
        self._flush(final=True)
        self._writer.close()
        atomic.commit(self.tmp, self.final)
        return self.final

    def abort(self) -> None:
        try:
            self._writer.close()
        finally:
            self.tmp.unlink(missing_ok=True)


def _like_from_rows(table: pa.Table, schema: pa.Schema) -> pa.Table:
    """``table`` as ``pa.Table.from_pylist(table.to_pylist(), schema)`` would build it:
    one contiguous array per column, dictionaries holding just the values used,
    in order of first appearance (so that Parquet writes the same bytes); the
    columns of a fixed vocabulary are then re-encoded by :func:`fixed_categories`."""
    columns = []
    for field, column in zip(schema, table.columns):
        if pa.types.is_dictionary(field.type):
            values = column.cast(field.type.value_type).combine_chunks()
            columns.append(pc.dictionary_encode(values).cast(field.type))
        else:
            columns.append(column.combine_chunks())
    return pa.Table.from_arrays(columns, schema=schema)


def write_table(out_dir: Path, name: str, table_or_rows: pa.Table | list[dict[str, Any]]) -> Path:
    writer = TableWriter(out_dir, name)
    try:
        if isinstance(table_or_rows, pa.Table):
            writer.write_table(table_or_rows)
        else:
            writer.write(table_or_rows)
        return writer.commit()
    except BaseException:
        writer.abort()
        raise


def error_row(err) -> dict[str, str]:
    """The ``errors`` table's row of an input error (:class:`claimex.ingest.InputError`)."""
    return {"source": err.source, "stage": err.stage, "error": err.error}


def read_table(out_dir: Path, name: str, columns: Iterable[str] | None = None) -> pa.Table:
    """One output table, with its declared schema; only ``columns`` when given."""
    path = table_path(out_dir, name)
    if not path.exists():
        raise ClaimexError(Errors.E032.format(path=out_dir, missing=path.name))
    schema = S.TABLES[name]
    if columns is not None:
        schema = pa.schema([schema.field(c) for c in columns], metadata=schema.metadata)
    return pq.read_table(path, schema=schema, columns=list(schema.names))


def decoded(column: pa.ChunkedArray | pa.Array) -> pa.ChunkedArray | pa.Array:
    """A dictionary-encoded column as plain values (other columns unchanged)."""
    return column.cast(column.type.value_type) if pa.types.is_dictionary(column.type) else column


def column_values(column: pa.ChunkedArray | pa.Array) -> list:
    """Column values as a Python list; equal strings are one shared ``str`` object.

    A corpus repeats its subjects, objects, keys and labels thousands of
    times: sharing them keeps the stage's memory near the number of distinct
    values rather than the number of claims.
    """
    column = decoded(column)
    if not (pa.types.is_string(column.type) or pa.types.is_large_string(column.type)):
        return column.to_pylist()
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    encoded = pc.dictionary_encode(column)
    values = encoded.dictionary.to_pylist()
    return [None if k is None else values[k] for k in encoded.indices.to_pylist()]


class LazyStrings:
    """A column read value by value (for columns of unique long strings, or lists, read rarely).

    The chunks are read where they are (no combined copy of the column); with ``order``
    (row numbers, e.g. ``pc.sort_indices``), item ``k`` is row ``order[k]`` of the column."""

    def __init__(self, column: pa.ChunkedArray | pa.Array, order: pa.Array | None = None):
        column = decoded(column)
        self._chunks = list(column.chunks) if isinstance(column, pa.ChunkedArray) else [column]
        self._starts: list[int] = []
        start = 0
        for chunk in self._chunks:
            self._starts.append(start)
            start += len(chunk)
        self._n = start
        self._order = None if order is None else order.to_numpy(zero_copy_only=False)

    def __len__(self) -> int:
        return self._n if self._order is None else len(self._order)

    def __getitem__(self, i: int) -> str | None:
        row = i if self._order is None else int(self._order[i])
        if row < 0:
            row += self._n
        if not 0 <= row < self._n:
            raise IndexError(i)
        c = bisect_right(self._starts, row) - 1  # the last chunk starting at or before the row holds it
        return self._chunks[c][row - self._starts[c]].as_py()
