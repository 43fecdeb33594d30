"""Atomic files (claimex.store.atomic): replace-or-nothing writes, digests."""

import hashlib
import os
import stat

import pytest

from claimex.store import atomic


def test_json_atomic(tmp_path):
    path = atomic.write_json_atomic(tmp_path / "m.json", {"b": 1, "a": [1, 2], "é": "ü"})
    assert path == tmp_path / "m.json"
    assert path.read_text(encoding="utf-8") == '{\n  "a": [\n    1,\n    2\n  ],\n  "b": 1,\n  "é": "ü"\n}\n'
    assert os.listdir(tmp_path) == ["m.json"]


def test_text_atomic_writes_utf8_with_newline_line_ends_and_shared_mode(tmp_path):
    path = atomic.write_text_atomic(tmp_path / "r.md", "a\nb — c\n")
    assert path.read_bytes() == "a\nb — c\n".encode("utf-8")
    assert stat.S_IMODE(path.stat().st_mode) == atomic.FILE_MODE


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path):
    path = tmp_path / "report.md"
    path.write_text("old")
    with pytest.raises(RuntimeError):
        with atomic.atomic_text(path) as fh:
            fh.write("half")
            raise RuntimeError("killed")
    assert path.read_text() == "old"
    assert os.listdir(tmp_path) == ["report.md"]


def test_temp_path_is_hidden_beside_its_file(tmp_path):
    tmp = atomic.temp_path(tmp_path / "claims", suffix=".parquet.tmp")
    assert tmp.parent == tmp_path and tmp.exists() and tmp.stat().st_size == 0
    assert tmp.name.startswith(".claims.") and tmp.name.endswith(".parquet.tmp")


def test_file_sha256(tmp_path):
    data = bytes(range(256)) * 5000
    (tmp_path / "f").write_bytes(data)
    assert atomic.file_sha256(tmp_path / "f") == hashlib.sha256(data).hexdigest()
    with pytest.raises(OSError):
        atomic.file_sha256(tmp_path / "missing")
