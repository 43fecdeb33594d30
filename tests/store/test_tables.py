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
    assert str(t.schema.field("stage").type) == "dictionary<values=string, indices=int32, ordered=1>"
    assert t.column("stage").chunk(0).dictionary.to_pylist() == ["read", "decode", "parse", "extract", "nlp"]
    assert t.schema.metadata[b"claimex.table"] == b"errors"


FLAG = {"flag_id": "f1", "claim_id": "c1", "doc_id": "d1", "sent_id": "d1-s0000", "claim_key": "k",
        "flag": "overstated", "reason": "r", "related_claim_ids": [], "related_doc_ids": [], "severity": "high",
        "score": 1.0}


def test_every_categorical_dictionary_is_its_whole_vocabulary_in_schema_order(tmp_path):
    """However the rows arrive (dicts, an Arrow table with a dictionary of its own), the file's
    dictionary is the schema vocabulary, ordered: files of different runs share it."""
    import pyarrow as pa
    from claimex import schema as S

    rows = [dict(FLAG, flag_id=f"f{i}", flag=flag, severity=sev)
            for i, (flag, sev) in enumerate([("hedged", "medium"), ("overstated", "low")])]
    own = pa.Table.from_pylist(rows[::-1], schema=pa.schema(
        [f.with_type(pa.dictionary(pa.int8(), pa.string())) if pa.types.is_dictionary(f.type) else f
         for f in S.FLAGS]))
    writer = tables.TableWriter(tmp_path, "flags", batch_rows=3)
    writer.write(rows)
    writer.write_table(own)
    writer.commit()
    t = pq.read_table(tmp_path / "flags.parquet")
    assert t.num_rows == 4 and t.schema.equals(S.FLAGS)
    for column, vocabulary in S.CATEGORIES["flags"].items():
        for chunk in t.column(column).chunks:  # one per row group: 3 rows, then 1
            assert chunk.type.ordered and chunk.dictionary.to_pylist() == list(vocabulary)
    assert t.column("severity").to_pylist() == ["medium", "low", "low", "medium"]
    # a run with one severity only gives the same dictionary
    other = tmp_path / "other"
    other.mkdir()
    tables.write_table(other, "flags", [FLAG])
    assert pq.read_table(other / "flags.parquet").column("severity").chunk(0).dictionary.equals(
        t.column("severity").chunk(0).dictionary)


def test_a_value_outside_the_vocabulary_is_e061(tmp_path):
    with pytest.raises(ClaimexError) as info:
        tables.write_table(tmp_path, "flags", [FLAG, dict(FLAG, flag_id="f2", severity="extreme")])
    assert str(info.value) == ("[E061] flags table: column 'severity' has value 'extreme' (row 1); "
                               "expected one of low, medium, high.")
    assert list(tmp_path.iterdir()) == []


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


def test_table_writer_writes_beside_and_commits_with_the_shared_mode(tmp_path):
    import stat

    from claimex.store.atomic import FILE_MODE

    w = tables.TableWriter(tmp_path, "errors")
    assert w.tmp.parent == tmp_path and w.tmp.name.startswith(".errors.") and w.tmp.name.endswith(".parquet.tmp")
    w.write([ERR])
    assert w.commit() == tmp_path / "errors.parquet"
    assert os.listdir(tmp_path) == ["errors.parquet"]
    assert stat.S_IMODE((tmp_path / "errors.parquet").stat().st_mode) == FILE_MODE


def test_an_aborted_table_leaves_the_old_file(tmp_path):
    tables.write_table(tmp_path, "errors", [ERR])
    old = (tmp_path / "errors.parquet").read_bytes()
    w = tables.TableWriter(tmp_path, "errors")
    w.write([dict(ERR, source="new.txt")])
    w.abort()
    assert os.listdir(tmp_path) == ["errors.parquet"] and (tmp_path / "errors.parquet").read_bytes() == old


def test_error_row_of_an_input_error():
    from claimex.ingest import InputError

    assert tables.error_row(InputError("a.txt", "read", "[E013] x")) == {
        "source": "a.txt", "stage": "read", "error": "[E013] x"}
