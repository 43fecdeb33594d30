"""``verdicts.parquet``: the reviewer's decisions kept beside a run's tables.

:func:`import_verdicts` checks the records of an export (:mod:`.files`) against
the folder's ``flags.parquet`` and merges them into ``verdicts.parquet``: per
flag the latest decision wins (a re-import of the same file changes nothing).
Verdicts for flags the folder does not have are kept (a rerun may bring the
flag back) and counted in a W003 warning, unless none of the file's verdicts
fits, which means the wrong folder (E108).

The table's schema metadata also records ``claimex.reviewed_flags``: the flag
ids the folder had when the last import was made, so a later run can tell the
flags that are new since that review (:mod:`.state`).  The file is written
atomically through :mod:`claimex.store.atomic`; a run never writes it.
"""

from __future__ import annotations

import hashlib
import json
import warnings
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from ..errors import ClaimexError, ClaimexWarning, Errors, Warnings
from ..schema import REVIEW_CHOICES, VERDICTS_TABLE
from ..store import atomic, tables
from .files import Verdict, read_verdict_file

SCHEMA = VERDICTS_TABLE
NAME = "verdicts"
REVIEWED_KEY = b"claimex.reviewed_flags"


def stored_time(when: datetime) -> datetime:
    """``when`` cut to the precision ``decided_at`` is stored with (so a re-import compares equal)."""
    unit = SCHEMA.field("decided_at").type.unit
    keep = {"s": 1_000_000, "ms": 1000, "us": 1, "ns": 1}[unit]
    return when.replace(microsecond=when.microsecond // keep * keep)


def verdicts_path(out_dir: Path) -> Path:
    return Path(out_dir) / f"{NAME}.parquet"


@dataclass
class Verdicts:
    """The rows of ``verdicts.parquet`` (dicts in its column order) and the flag ids last reviewed."""

    rows: list[dict[str, Any]]
    reviewed_flags: frozenset[str] | None

    @property
    def by_flag(self) -> dict[str, dict[str, Any]]:
        return {r["flag_id"]: r for r in self.rows}


def read_verdicts(out_dir: Path) -> Verdicts | None:
    """The folder's verdicts, or None when nobody imported any."""
    path = verdicts_path(out_dir)
    if not path.exists():
        return None
    try:
        table = pq.read_table(path)
        table = table.cast(pa.schema(SCHEMA, metadata=table.schema.metadata))
    except Exception as exc:  # a truncated or foreign file: name it, no traceback
        raise ClaimexError(Errors.E072.format(path=path, reason=f"{type(exc).__name__}: {exc}")) from exc
    meta = table.schema.metadata or {}
    reviewed = frozenset(json.loads(meta[REVIEWED_KEY])) if REVIEWED_KEY in meta else None
    return Verdicts(rows=table.to_pylist(), reviewed_flags=reviewed)


def write_verdicts(out_dir: Path, rows: list[dict[str, Any]], reviewed_flags: set[str] | frozenset[str]) -> Path:
    """Replace ``verdicts.parquet`` by ``rows`` (ordered by decision time, then flag id)."""
    rows = sorted(rows, key=lambda r: (r["decided_at"], r["flag_id"]))
    meta = dict(SCHEMA.metadata or {})
    meta[REVIEWED_KEY] = json.dumps(sorted(reviewed_flags), separators=(",", ":")).encode()
    schema = SCHEMA.with_metadata(meta)
    table = pa.Table.from_pylist([{name: r.get(name) for name in schema.names} for r in rows], schema=schema)
    path = verdicts_path(out_dir)
    tmp = atomic.temp_path(path, suffix=".parquet.tmp")
    try:
        pq.write_table(table, tmp, **tables.PARQUET_OPTIONS)
        atomic.commit(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def run_id(out_dir: Path) -> str:
    """A short id of a run's outputs: the same tables give the same id (from manifest.json's
    digests, else from flags.parquet's bytes)."""
    out_dir = Path(out_dir)
    try:
        digests = json.loads((out_dir / "manifest.json").read_text(encoding="utf-8"))["table_sha256"]
        basis = json.dumps({k: v for k, v in digests.items() if k != NAME}, sort_keys=True)
    except (OSError, ValueError, KeyError, TypeError):
        flags = tables.table_path(out_dir, "flags")
        basis = atomic.file_sha256(flags) if flags.exists() else str(out_dir.resolve())
    return hashlib.sha256(basis.encode()).hexdigest()[:16]


@dataclass
class ImportResult:
    path: Path
    read: int       # verdicts in the file
    added: int      # flags judged for the first time
    changed: int    # flags whose stored verdict the file replaced
    unchanged: int  # the same or an older decision than the stored one
    unknown: int    # verdicts for flags the folder does not have
    total: int      # rows in verdicts.parquet afterwards
    by_choice: dict[str, int]


def _flag_claims(out_dir: Path) -> dict[str, str]:
    flags = tables.read_table(out_dir, "flags", ["flag_id", "claim_id"])
    return dict(zip(flags.column("flag_id").to_pylist(), flags.column("claim_id").to_pylist()))


def _checked(found: list[Verdict], claims: dict[str, str], source: Path, out_dir: Path) -> list[dict[str, Any]]:
    rows, unknown = [], []
    for v in found:
        expected = claims.get(v.flag_id)
        if expected is None:
            unknown.append(v)
            if v.claim_id is None:
                raise ClaimexError(Errors.E103.format(path=source, line=v.line, field="claim_id"))
        elif v.claim_id is not None and v.claim_id != expected:
            raise ClaimexError(Errors.E107.format(path=source, line=v.line, flag_id=v.flag_id, expected=expected,
                                       dir=out_dir, claim_id=v.claim_id))
        rows.append(dict(v.as_row(), claim_id=v.claim_id or expected, decided_at=stored_time(v.decided_at)))
    if unknown and len(unknown) == len(found):
        raise ClaimexError(Errors.E108.format(path=source, n=len(found), dir=out_dir, line=unknown[0].line,
                                   flag_id=unknown[0].flag_id))
    if unknown:
        warnings.warn(Warnings.W003.format(path=source, n=len(unknown), dir=out_dir, line=unknown[0].line,
                              flag_id=unknown[0].flag_id), ClaimexWarning, stacklevel=3)
    return rows


def import_verdicts(out_dir: Path, source: Path) -> ImportResult:
    """Merge the verdicts of the export ``source`` into ``out_dir/verdicts.parquet``."""
    out_dir, source = Path(out_dir), Path(source)
    claims = _flag_claims(out_dir)
    found = read_verdict_file(source)
    incoming = _checked(found, claims, source, out_dir)
    stored = read_verdicts(out_dir)
    merged = dict(stored.by_flag) if stored else {}
    added = changed = unchanged = 0
    for row in incoming:
        old = merged.get(row["flag_id"])
        if old is None:
            added += 1
        elif old["decided_at"] > row["decided_at"] or _same(old, row):
            unchanged += 1
            continue
        else:
            changed += 1
        merged[row["flag_id"]] = row
    path = write_verdicts(out_dir, list(merged.values()), set(claims))
    by_choice = {c: 0 for c in REVIEW_CHOICES}
    for r in merged.values():
        by_choice[r["verdict"]] = by_choice.get(r["verdict"], 0) + 1
    return ImportResult(path=path, read=len(found), added=added, changed=changed, unchanged=unchanged,
                        unknown=sum(1 for v in found if v.flag_id not in claims), total=len(merged),
                        by_choice=by_choice)


def _same(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return all(a.get(k) == b.get(k) for k in ("verdict", "note", "reviewer", "decided_at"))
