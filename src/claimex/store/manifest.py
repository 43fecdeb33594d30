"""``manifest.json``: what a run was made from, and the tables it wrote.

The manifest records the claimex version, the base model, the pipeline's
config hash and the piece size, every input (``doc_id``, sources, content
SHA-256), the input errors, and each table's row count and file SHA-256.  It
is written last, so it describes tables that are all in place; the next run
reads it to decide whether the stored rows can be reused
(:func:`same_setup`, :func:`describes_tables`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterable, Sequence

# pyarrow.parquet and the tables module are imported where used: importing the
# runner stays as light as it was (the benchmarks start their clocks after it).

from .. import __version__
from ..schema import SCHEMA_VERSION, TABLES
from .atomic import file_sha256, write_json_atomic

MANIFEST_NAME = "manifest.json"


def manifest_path(out_dir: Path | str) -> Path:
    return Path(out_dir) / MANIFEST_NAME


def build_manifest(out_dir: Path | str, raw_docs: Sequence, info, errors: Iterable, *,
                   piece_chars: int) -> dict[str, Any]:
    """The manifest of the tables now in ``out_dir``, made from ``raw_docs`` with the
    pipeline ``info`` describes (:func:`claimex.nlp.pipeline.pipeline_info`)."""
    import pyarrow.parquet as pq

    from .tables import error_row, table_path

    rows = {}
    digests = {}
    for name in TABLES:
        path = table_path(out_dir, name)
        if path.exists():
            rows[name] = pq.ParquetFile(path).metadata.num_rows
            digests[name] = file_sha256(path)
    return {
        "claimex_version": __version__,
        "schema_version": SCHEMA_VERSION,
        "model": {"name": info.model, "version": info.model_version},
        "spacy_version": info.spacy_version,
        "config_hash": info.config_hash,
        "inputs": [
            {"doc_id": d.doc_id, "sources": list(d.sources), "sha256": d.content_sha256}
            for d in raw_docs
        ],
        "errors": [error_row(e) for e in errors],
        "row_counts": rows,
        "table_sha256": digests,
        "piece_chars": piece_chars,
    }


def write_manifest(out_dir: Path | str, raw_docs: Sequence, info, errors: Iterable, *,
                   piece_chars: int) -> Path:
    """Write :func:`build_manifest` to ``<out>/manifest.json`` atomically; return its path."""
    return write_json_atomic(manifest_path(out_dir),
                             build_manifest(out_dir, raw_docs, info, errors, piece_chars=piece_chars))


def read_manifest(out_dir: Path | str) -> dict[str, Any] | None:
    """The manifest of an earlier run, or ``None`` when there is none or it is not a JSON object."""
    try:
        m = json.loads(manifest_path(out_dir).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return m if isinstance(m, dict) else None


def same_setup(manifest: dict[str, Any], info, *, piece_chars: int) -> bool:
    """Whether the run behind ``manifest`` had this claimex version, base model,
    config hash and piece size (and so would make the same rows)."""
    return (manifest.get("claimex_version") == __version__
            and manifest.get("config_hash") == info.config_hash
            and manifest.get("model") == {"name": info.model, "version": info.model_version}
            and manifest.get("piece_chars") == piece_chars)


def describes_tables(manifest: dict[str, Any], out_dir: Path | str, names: Iterable[str]) -> bool:
    """Whether the tables ``names`` in ``out_dir`` are the very files ``manifest``
    describes (same SHA-256).  A run killed after replacing some tables but before
    writing its manifest leaves tables that do not match."""
    from .tables import table_path

    digests = manifest.get("table_sha256")
    if not isinstance(digests, dict):
        return False
    for name in names:
        path = table_path(out_dir, name)
        try:
            if digests.get(name) != file_sha256(path):
                return False
        except OSError:  # missing or unreadable
            return False
    return True
