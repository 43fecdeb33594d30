"""docs/schema.md documents every column of every table, and the schemas are what they claim."""

import re
from pathlib import Path

import pyarrow as pa

from claimex import schema as S

DOC = Path(__file__).resolve().parents[1] / "docs" / "schema.md"


def documented_columns() -> dict[str, list[str]]:
    tables: dict[str, list[str]] = {}
    current = None
    for line in DOC.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^## (\w+)\s*$", line)
        if m:
            current = m.group(1)
            continue
        m = re.match(r"^\| `(\w+)` \|", line)
        if m and current:
            tables.setdefault(current, []).append(m.group(1))
    return tables


ALL_TABLES = {**S.TABLES, **S.REVIEW_TABLES}  # a run's tables and the reviewer's verdicts


def test_every_column_is_documented_in_order():
    docs = documented_columns()
    for name, sch in ALL_TABLES.items():
        assert docs.get(name) == sch.names, f"docs/schema.md section '{name}' is out of date"


def test_no_documented_table_is_missing_from_the_schemas():
    assert set(documented_columns()) == set(ALL_TABLES)


def test_schema_metadata_carries_version_and_name():
    for name, sch in S.TABLES.items():
        assert sch.metadata[b"claimex.schema_version"] == b"1.1"
        assert sch.metadata[b"claimex.table"] == name.encode()


def test_categorical_columns_are_dictionary_encoded_and_lists_are_lists():
    assert pa.types.is_dictionary(S.CLAIMS.field("predicate").type)
    assert pa.types.is_dictionary(S.ENTITIES.field("label").type)
    assert pa.types.is_dictionary(S.FLAGS.field("flag").type)
    assert pa.types.is_list(S.CLAIMS.field("hedge_cues").type)
    assert S.CLAIMS.field("qualifiers").type == pa.list_(S.QUALIFIER)


def test_vocabularies_are_documented():
    text = DOC.read_text(encoding="utf-8")
    for vocab in (S.PREDICATES, S.CERTAINTY, S.ATTRIBUTIONS, S.EVIDENCE, S.SECTION_KINDS, S.ENTITY_LABELS):
        for value in vocab:
            assert f"`{value}`" in text, value
