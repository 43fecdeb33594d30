"""``manifest.json``: what a run was made from, and the tables it wrote.

The manifest records the claimex version, the base model, the pipeline's
config hash and the piece size, every input (``doc_id``, sources, content
SHA-256), the input errors, and each table's row count and file SHA-256.  It
is written last, so it describes tables that are all in place; the next run
reads it to decide whether the stored rows can be reused
(:func:`same_setup`, :func:`describes_tables`).

``outputs`` maps every file of the run's output set (tables and report) to its
SHA-256: it is the list of what a later run may replace or delete
(:mod:`claimex.store.staging`), and readers check it with
:func:`verify_outputs` (``E037`` when the folder does not match).

The readers of the command line (``claimex report``, ``show``, ``export``,
``review``) call :func:`verify_readable` through
:func:`claimex.store.lock.checked_set`: the tables they read must be the ones
the manifest describes.  ``claimex report`` records the report it writes
(:func:`record_report`: its files' digests in ``outputs`` and the id of the
tables it was built from under ``report``), so a report left beside other
tables (a run or a report interrupted, a report copied in) is found stale by
:func:`stale_report`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterable, Sequence

# pyarrow.parquet and the tables module are imported where used: importing the
# runner stays as light as it was (the benchmarks start their clocks after it).

from .. import __version__
from ..errors import ClaimexError, Errors
from ..schema import SCHEMA_VERSION, TABLES
from .atomic import file_sha256, write_json_atomic

MANIFEST_NAME = "manifest.json"
# A run's staging folder in the output folder, and the mark of a complete staged set
# (:mod:`claimex.store.staging`).
STAGING_NAME = ".claimex-staging"
MARK_NAME = ".complete"
# The files of a run besides its tables (a manifest older than ``outputs`` names them implicitly).
REPORT_FILES = ("report.html", "report.md")


def manifest_path(out_dir: Path | str) -> Path:
    return Path(out_dir) / MANIFEST_NAME


def build_manifest(out_dir: Path | str, raw_docs: Sequence, info, errors: Iterable, *,
                   piece_chars: int, settings=None) -> dict[str, Any]:
    """The manifest of the tables now in ``out_dir``, made from ``raw_docs`` with the
    pipeline ``info`` describes (:func:`claimex.nlp.pipeline.pipeline_info`); with
    ``settings`` (:class:`claimex.settings.Settings`), those and their SHA-256."""
    import pyarrow.parquet as pq

    from .tables import error_row, table_path

    rows = {}
    digests = {}
    for name in TABLES:
        path = table_path(out_dir, name)
        if path.exists():
            rows[name] = pq.ParquetFile(path).metadata.num_rows
            digests[name] = file_sha256(path)
    extra = {} if settings is None else {"settings": settings.to_dict(), "settings_sha256": settings.digest()}
    return {
        **extra,
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
        "outputs": {f"{name}.parquet": digest for name, digest in sorted(digests.items())},
        "piece_chars": piece_chars,
    }


def write_manifest(out_dir: Path | str, raw_docs: Sequence, info, errors: Iterable, *,
                   piece_chars: int, settings=None) -> Path:
    """Write :func:`build_manifest` to ``<out>/manifest.json`` atomically; return its path."""
    return write_json_atomic(manifest_path(out_dir),
                             build_manifest(out_dir, raw_docs, info, errors, piece_chars=piece_chars,
                                            settings=settings))


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


def _plain_name(name: object) -> bool:
    """A file name in the output folder itself (no folder part, nothing hidden)."""
    return (isinstance(name, str) and bool(name) and not name.startswith(".")
            and "/" not in name and "\\" not in name and "\0" not in name)


def output_names(manifest: dict[str, Any]) -> list[str]:
    """The files of the output set ``manifest`` describes, sorted (the manifest itself
    excluded).  Only plain names count: a manifest cannot point outside its folder."""
    outputs = manifest.get("outputs")
    if isinstance(outputs, dict):
        names = set(outputs)
    else:  # written before ``outputs`` existed: its tables and the report
        digests = manifest.get("table_sha256")
        names = {f"{n}.parquet" for n in digests} if isinstance(digests, dict) else set()
        names.update(REPORT_FILES)
    return sorted(n for n in names if _plain_name(n) and n != MANIFEST_NAME)


def record_outputs(out_dir: Path | str, paths: Iterable[Path | str]) -> dict[str, Any]:
    """Add (or update) the SHA-256 of the files ``paths`` (in ``out_dir``) in the manifest's
    ``outputs``; rewrite the manifest atomically and return it.  For writers that add to a
    run's set (the report); hold :func:`claimex.store.lock.output_lock` while calling it."""
    manifest = read_manifest(out_dir)
    if manifest is None:
        raise ClaimexError(Errors.E032.format(path=out_dir, missing=MANIFEST_NAME))
    outputs = _outputs(manifest)
    for path in paths:
        path = Path(path)
        outputs[path.name] = file_sha256(Path(out_dir) / path.name)
    manifest["outputs"] = dict(sorted(outputs.items()))
    write_json_atomic(manifest_path(out_dir), manifest)
    return manifest


def _outputs(manifest: dict[str, Any]) -> dict[str, str]:
    """``outputs`` of a manifest; for one written before it existed, its tables' digests."""
    outputs = manifest.get("outputs")
    if isinstance(outputs, dict):
        return dict(outputs)
    digests = manifest.get("table_sha256")
    return {f"{n}.parquet": d for n, d in digests.items()} if isinstance(digests, dict) else {}


def tables_id(manifest: dict[str, Any]) -> str:
    """A short id of the tables a manifest describes (their names and digests; the report's files
    and the reviewer's tables left out): the same tables, the same id."""
    import hashlib

    tables = {n: d for n, d in sorted(_outputs(manifest).items()) if n.endswith(".parquet")}
    return hashlib.sha256(json.dumps(tables, sort_keys=True).encode("utf-8")).hexdigest()[:16]


def verify_readable(out_dir: Path | str, tables: Iterable[str]) -> dict[str, Any] | None:
    """The readers' check: the tables ``tables`` (names like ``"claims"``) that a reader will read
    must be the very files the manifest describes; returns the manifest.

    ``E037`` names each table that has changed, is missing while the manifest lists it, or is
    present while the manifest (which lists tables) does not (a set mixed from two runs, e.g.
    after a full disk), and an interrupted swap.  A folder without a manifest, or whose manifest
    records no table digests (written by hand or by a claimex older than the digests), is not
    checked (``None`` / the manifest)."""
    out = Path(out_dir)
    manifest = read_manifest(out)
    if manifest is None:
        if (out / STAGING_NAME / MARK_NAME).is_file():
            raise ClaimexError(Errors.E037.format(path=out, problems="an interrupted run's outputs are only "
                                                  "partly in place"))
        return None
    outputs = _outputs(manifest)
    if not any(n.endswith(".parquet") for n in outputs):
        return manifest
    names = [n if "." in n else f"{n}.parquet" for n in tables]
    wanted = [n for n in names if n in outputs or (out / n).exists()]
    verify_outputs(out, wanted)
    return manifest


def record_report(out_dir: Path | str, paths: Iterable[Path | str]) -> dict[str, Any]:
    """After ``claimex report``: the report's files in ``outputs`` (:func:`record_outputs`) and, under
    ``report``, the id of the tables it was built from (:func:`tables_id`).  Hold the output lock."""
    paths = list(paths)
    manifest = record_outputs(out_dir, paths)
    manifest["report"] = {"tables_id": tables_id(manifest), "files": sorted(Path(p).name for p in paths)}
    write_json_atomic(manifest_path(out_dir), manifest)
    return manifest


def stale_report(out_dir: Path | str) -> list[str]:
    """Why the report files in ``out_dir`` do not belong to its tables (empty: they do, or there is
    no report or no manifest to judge by): a report file the manifest does not list, one that
    changed since it was recorded, or a report recorded for other tables."""
    out = Path(out_dir)
    manifest = read_manifest(out)
    if manifest is None:
        return []
    outputs = _outputs(manifest)
    if not any(n.endswith(".parquet") for n in outputs):
        return []
    problems = []
    for name in REPORT_FILES:
        path = out / name
        if not path.is_file():
            continue
        expected = outputs.get(name)
        if expected is None:
            problems.append(f"{name} is not part of this output set (it was left by an earlier run or "
                            "an interrupted report)")
        elif file_sha256(path) != expected:
            problems.append(f"{name} is not the report recorded for these tables (it was changed or "
                            "overwritten by an interrupted report)")
    recorded = manifest.get("report")
    if isinstance(recorded, dict) and recorded.get("tables_id") not in (None, tables_id(manifest)):
        problems.append("the report was built from other tables")
    return problems


def verify_outputs(out_dir: Path | str, names: Iterable[str] | None = None) -> dict[str, Any]:
    """Check that the output files match the manifest's digests; return the manifest.

    ``names`` are file names (``"claims.parquet"``, ``"report.html"``) or table
    names (``"claims"``); by default every table the manifest lists.  Raises
    ``E032`` without a manifest and ``E037`` naming each file that is missing or
    changed (also when an interrupted run's swap is pending)."""
    out = Path(out_dir)
    manifest = read_manifest(out)
    if manifest is None:
        raise ClaimexError(Errors.E032.format(path=out, missing=MANIFEST_NAME))
    outputs = _outputs(manifest)
    if names is None:
        wanted = sorted(n for n in outputs if n.endswith(".parquet"))
    else:
        wanted = [n if "." in n else f"{n}.parquet" for n in names]
    problems = []
    if (out / STAGING_NAME / MARK_NAME).is_file():
        problems.append("an interrupted run's outputs are only partly in place")
    for name in wanted:
        expected = outputs.get(name)
        path = out / name
        if expected is None:
            problems.append(f"{name} is not in the manifest")
        elif not path.is_file():
            problems.append(f"{name} is missing")
        elif file_sha256(path) != expected:
            problems.append(f"{name} has changed")
    if problems:
        raise ClaimexError(Errors.E037.format(path=out, problems="; ".join(problems)))
    return manifest
