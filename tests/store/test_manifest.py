"""manifest.json (claimex.store.manifest): what it records and when it describes the tables."""

import json
from types import SimpleNamespace

from claimex import __version__
from claimex.ingest import InputError
from claimex.schema import SCHEMA_VERSION
from claimex.store import manifest, tables

INFO = SimpleNamespace(model="en_core_web_sm", model_version="3.8.0", spacy_version="3.8.7",
                       config_hash="abc123")
DOC = SimpleNamespace(doc_id="d1", sources=("a.txt", "b.txt"), content_sha256="ff" * 32)
ERR = {"source": "bad.txt", "stage": "read", "error": "[E013] nope"}


def _write(out, piece_chars=100_000):
    tables.write_table(out, "errors", [ERR])
    return manifest.write_manifest(out, [DOC], INFO, [InputError(**ERR)], piece_chars=piece_chars)


def test_manifest_records_setup_inputs_errors_and_tables(tmp_path):
    path = _write(tmp_path)
    assert path == tmp_path / "manifest.json"
    m = json.loads(path.read_text(encoding="utf-8"))
    assert m == {
        "claimex_version": __version__, "schema_version": SCHEMA_VERSION,
        "model": {"name": "en_core_web_sm", "version": "3.8.0"}, "spacy_version": "3.8.7",
        "config_hash": "abc123",
        "inputs": [{"doc_id": "d1", "sources": ["a.txt", "b.txt"], "sha256": "ff" * 32}],
        "errors": [ERR], "row_counts": {"errors": 1},
        "table_sha256": {"errors": manifest.file_sha256(tmp_path / "errors.parquet")},
        "outputs": {"errors.parquet": manifest.file_sha256(tmp_path / "errors.parquet")},
        "piece_chars": 100_000,
    }
    assert path.read_text(encoding="utf-8").endswith("}\n")


def test_same_setup_needs_version_model_config_and_piece_size(tmp_path):
    m = json.loads(_write(tmp_path).read_text())
    assert manifest.same_setup(m, INFO, piece_chars=100_000)
    assert not manifest.same_setup(m, INFO, piece_chars=8_000)
    assert not manifest.same_setup(m, SimpleNamespace(**dict(vars(INFO), config_hash="x")), piece_chars=100_000)
    assert not manifest.same_setup(m, SimpleNamespace(**dict(vars(INFO), model_version="3.7.1")),
                                   piece_chars=100_000)
    assert not manifest.same_setup(dict(m, claimex_version="0.0.0"), INFO, piece_chars=100_000)


def test_describes_tables_only_the_very_files(tmp_path):
    m = json.loads(_write(tmp_path).read_text())
    assert manifest.describes_tables(m, tmp_path, ["errors"])
    assert not manifest.describes_tables(m, tmp_path, ["errors", "claims"])  # not written
    tables.write_table(tmp_path, "errors", [ERR, dict(ERR, source="other.txt")])  # replaced after the manifest
    assert not manifest.describes_tables(m, tmp_path, ["errors"])
    assert not manifest.describes_tables({"table_sha256": None}, tmp_path, ["errors"])


def test_read_manifest_of_no_or_a_broken_manifest_is_none(tmp_path):
    assert manifest.read_manifest(tmp_path) is None
    (tmp_path / "manifest.json").write_text("{half")
    assert manifest.read_manifest(tmp_path) is None
    (tmp_path / "manifest.json").write_text("[1, 2]")
    assert manifest.read_manifest(tmp_path) is None
    (tmp_path / "manifest.json").write_text('{"piece_chars": 5}')
    assert manifest.read_manifest(tmp_path) == {"piece_chars": 5}
