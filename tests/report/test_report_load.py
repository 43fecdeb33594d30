"""claimex.report.load: reading a processed folder, and the errors E070-E074 naming the file."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from reportkit import write_kratom_fixture

from claimex.errors import ClaimexError
from claimex.report import build_report


def test_missing_folder_is_e070(tmp_path):
    with pytest.raises(ClaimexError, match=r"^\[E070\] Cannot build the report: .*nope is not a folder"):
        build_report(tmp_path / "nope")


def test_missing_table_is_e071(tmp_path):
    folder = write_kratom_fixture(tmp_path / "p")
    (folder / "claims.parquet").unlink()
    with pytest.raises(ClaimexError, match=r"^\[E071\] .*claims\.parquet: table is missing"):
        build_report(folder)


def test_corrupt_table_is_e072(tmp_path):
    folder = write_kratom_fixture(tmp_path / "p")
    (folder / "flags.parquet").write_bytes(b"not a parquet file")
    with pytest.raises(ClaimexError, match=r"^\[E072\] .*flags\.parquet: cannot read the Parquet table"):
        build_report(folder)


def test_missing_column_is_e073(tmp_path):
    folder = write_kratom_fixture(tmp_path / "p")
    pq.write_table(pa.table({"doc_id": ["x"], "source": ["y"]}), folder / "documents.parquet")
    with pytest.raises(ClaimexError, match=r"^\[E073\] .*documents\.parquet: table lacks the column\(s\) text "):
        build_report(folder)


def test_bad_manifest_is_e074(tmp_path):
    folder = write_kratom_fixture(tmp_path / "p")
    (folder / "manifest.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ClaimexError, match=r"^\[E074\] .*manifest\.json: manifest is not valid"):
        build_report(folder)


def test_manifest_that_is_a_folder_is_e074(tmp_path):
    # issue 22 (Low): "manifest.json ... being a directory gives an IsADirectoryError traceback"
    folder = write_kratom_fixture(tmp_path / "p")
    (folder / "manifest.json").unlink(missing_ok=True)
    (folder / "manifest.json").mkdir()
    with pytest.raises(ClaimexError) as info:
        build_report(folder)
    assert str(info.value) == (f"[E074] {folder / 'manifest.json'}: manifest is not valid "
                               f"([Errno 21] Is a directory: '{folder / 'manifest.json'}').")
