import os

import pyarrow.parquet as pq
import pytest

from claimex.store import tables
from claimex.errors import ClaimexError

ERR = {"source": "a.txt", "stage": "read", "error": "[E013] a.txt: file is empty or contains only whitespace."}


def test_write_table_is_atomic_and_typed(tmp_path):
    path = tables.write_table(tmp_path, "errors", [ERR])
    assert path == tmp_path / "errors.parquet"
    assert [p.name for p in tmp_path.iterdir()] == ["errors.parquet"]  # no temp file left
    t = pq.read_table(path)
    assert t.to_pylist() == [ERR]
    assert str(t.schema.field("stage").type) == "dictionary<values=string, indices=int32, ordered=0>"
    assert t.schema.metadata[b"claimex.table"] == b"errors"


def test_aborted_writer_leaves_previous_file(tmp_path):
    tables.write_table(tmp_path, "errors", [ERR])
    before = (tmp_path / "errors.parquet").read_bytes()
    writer = tables.TableWriter(tmp_path, "errors")
    writer.write([dict(ERR, source="b.txt")])
    writer.abort()
    assert (tmp_path / "errors.parquet").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["errors.parquet"]


def test_bad_row_does_not_replace_the_file(tmp_path):
    tables.write_table(tmp_path, "errors", [ERR])
    with pytest.raises(Exception):
        tables.write_table(tmp_path, "errors", [{"source": None, "stage": "read", "error": "x"}])
    assert pq.read_table(tmp_path / "errors.parquet").num_rows == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["errors.parquet"]


def test_same_rows_give_byte_identical_files(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir(); b.mkdir()
    tables.write_table(a, "errors", [ERR, dict(ERR, source="z")])
    tables.write_table(b, "errors", [ERR, dict(ERR, source="z")])
    assert (a / "errors.parquet").read_bytes() == (b / "errors.parquet").read_bytes()


def test_read_table_names_the_missing_file(tmp_path):
    with pytest.raises(ClaimexError, match=r"\[E032\] .* claims.parquet is missing"):
        tables.read_table(tmp_path, "claims")


def test_json_atomic(tmp_path):
    tables.write_json_atomic(tmp_path / "m.json", {"b": 1, "a": [1, 2]})
    assert (tmp_path / "m.json").read_text() == '{\n  "a": [\n    1,\n    2\n  ],\n  "b": 1\n}\n'
    assert os.listdir(tmp_path) == ["m.json"]


def test_row_groups_do_not_depend_on_write_sizes(tmp_path):
    rows = [dict(ERR, source=f"f{i}.txt") for i in range(25)]
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir(); b.mkdir()
    w = tables.TableWriter(a, "errors", batch_rows=10)
    w.write(rows)
    w.commit()
    w = tables.TableWriter(b, "errors", batch_rows=10)
    for r in rows:
        w.write([r])
    w.commit()
    assert pq.ParquetFile(a / "errors.parquet").metadata.num_row_groups == 3
    assert (a / "errors.parquet").read_bytes() == (b / "errors.parquet").read_bytes()


def test_writing_a_table_equals_writing_its_rows(tmp_path):
    """write_table(Table) converts it slice by slice; the file is the one its rows give."""
    import pyarrow as pa

    from claimex import schema

    rows = [dict(ERR, source=f"f{i}.txt") for i in range(23)]
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir(); b.mkdir()
    w = tables.TableWriter(a, "errors", batch_rows=10)
    w.write(rows[:3])
    w.write_table(pa.Table.from_pylist(rows[3:], schema=schema.ERRORS))
    w.commit()
    w = tables.TableWriter(b, "errors", batch_rows=10)
    w.write(rows)
    w.commit()
    assert pq.ParquetFile(a / "errors.parquet").metadata.num_row_groups == 3
    assert (a / "errors.parquet").read_bytes() == (b / "errors.parquet").read_bytes()


def test_arrow_writes_equal_row_writes_whatever_the_dictionaries(tmp_path):
    """Tables whose dictionaries hold unused values in another order, in uneven
    slices, interleaved with row writes: the same bytes as the rows alone."""
    import random

    import pyarrow as pa

    from claimex import schema

    rng = random.Random(7)
    kinds, severities = ["unsupported", "hedged", "contradicted", "overstated"], ["low", "medium", "high"]
    rows = [{"flag_id": f"f{i:05d}", "claim_id": f"c{i // 2:05d}", "doc_id": f"d{i // 40:03d}",
             "sent_id": f"s{i % 40}", "claim_key": f"kratom|TREATS|{rng.choice(['pain', 'anxiety'])}",
             "flag": rng.choice(kinds[1:]) if i < 120 else rng.choice(kinds), "reason": f"reason {i}",
             "related_claim_ids": [f"c{j:05d}" for j in range(i % 3)], "related_doc_ids": [],
             "severity": rng.choice(severities), "score": i / 7} for i in range(260)]

    def as_table(part):
        # dictionaries with every value, in reverse order, as a flagger may build them
        cols = {name: [r[name] for r in part] for name in schema.FLAGS.names}
        for name, values in (("flag", kinds[::-1]), ("severity", severities[::-1])):
            cols[name] = pa.DictionaryArray.from_arrays(
                pa.array([values.index(v) for v in cols[name]], pa.int32()), pa.array(values))
        return pa.table(cols, schema=schema.FLAGS)

    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir(); b.mkdir()
    w = tables.TableWriter(a, "flags", batch_rows=50)
    w.write_table(as_table(rows[:7]))
    w.write(rows[7:30])
    w.write_table(as_table(rows[30:161]))
    w.write_table(as_table(rows[161:161]))
    w.write(rows[161:170])
    w.write_table(as_table(rows[170:]))
    w.commit()
    w = tables.TableWriter(b, "flags", batch_rows=50)
    w.write(rows)
    w.commit()
    assert pq.ParquetFile(a / "flags.parquet").metadata.num_row_groups == 6
    assert pq.read_table(a / "flags.parquet").to_pylist() == rows
    assert (a / "flags.parquet").read_bytes() == (b / "flags.parquet").read_bytes()


def test_read_table_reads_only_the_columns_asked(tmp_path):
    tables.write_table(tmp_path, "errors", [ERR])
    t = tables.read_table(tmp_path, "errors", ["stage", "source"])
    assert t.column_names == ["stage", "source"]
    assert t.to_pylist() == [{"stage": "read", "source": "a.txt"}]


def test_lean_memory_pool(monkeypatch):
    import pyarrow as pa

    before = pa.default_memory_pool()
    try:
        monkeypatch.delenv("ARROW_DEFAULT_MEMORY_POOL", raising=False)
        name = tables.use_lean_memory_pool()
        assert name in ("jemalloc", "system")
        assert pa.default_memory_pool().backend_name == name
        monkeypatch.setenv("ARROW_DEFAULT_MEMORY_POOL", "mimalloc")
        pa.set_memory_pool(pa.mimalloc_memory_pool())
        assert tables.use_lean_memory_pool() == "mimalloc"  # an explicit choice is kept
    finally:
        pa.set_memory_pool(before)
