"""Reading a processed folder for the report: its tables (as plain dicts) and manifest.

The report reads its own set of columns (:data:`REPORT_COLUMNS`), not the
flags stage's: the text and offsets it shows, the claim fields it describes.
A missing table, an unreadable file or a missing column is a ClaimexError
(E070-E074) that names the file.  The reviewer's ``verdicts.parquet``, when
there is one, is lined up with the flags (:func:`claimex.review.match`), and
the run gets its id (:func:`claimex.review.run_id`), under which the page
keeps the verdicts made in the browser.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ClaimexError, Errors
from ..review.state import ReviewState

#: table -> (columns the report needs, columns it shows when present)
REPORT_COLUMNS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "documents": (("doc_id", "source", "text"),
                  ("sources", "format", "title", "url", "n_words")),
    "sentences": (("doc_id", "sent_id", "sent_index", "start_char", "end_char", "text"), ()),
    "entities": (("doc_id", "start_char", "end_char", "label", "canonical"), ()),
    "claims": (("claim_id", "doc_id", "sent_id", "subject", "predicate", "object", "polarity",
                "hedged", "claim_key"),
               ("start_char", "end_char", "hedge_cues", "certainty", "attribution", "evidence",
                "evidence_text", "qualifiers", "dose_min", "dose_max", "dose_unit", "dose_period")),
    "flags": (("flag_id", "claim_id", "doc_id", "claim_key", "flag", "reason", "severity", "score"),
              ("sent_id", "related_claim_ids", "related_doc_ids")),
    "claim_groups": (("claim_key", "group_key", "subject", "predicate", "object", "verdict"), ()),
    "errors": (("source", "stage", "error"), ()),
}
OPTIONAL_TABLES = ("errors",)


@dataclass
class Processed:
    """The rows of a processed folder, as plain dicts."""

    path: Path
    documents: list[dict[str, Any]]
    sentences: list[dict[str, Any]]
    entities: list[dict[str, Any]]
    claims: list[dict[str, Any]]
    flags: list[dict[str, Any]]
    claim_groups: list[dict[str, Any]]
    errors: list[dict[str, Any]] | None = None
    manifest: dict[str, Any] | None = None
    run_id: str = ""                  # claimex.review.run_id: the key of the browser's saved verdicts
    review: ReviewState = field(default_factory=ReviewState)  # earlier verdicts against these flags


def _read_rows(path: Path, name: str) -> list[dict[str, Any]]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    required, optional = REPORT_COLUMNS[name]
    try:
        names = pq.read_schema(path).names
    except FileNotFoundError:
        raise ClaimexError(Errors.E071.format(path=path)) from None
    except (pa.ArrowException, OSError) as exc:
        raise ClaimexError(Errors.E072.format(path=path, reason=str(exc).strip() or type(exc).__name__)) from None
    missing = [c for c in required if c not in names]
    if missing:
        raise ClaimexError(Errors.E073.format(path=path, missing=", ".join(missing),
                                              found=", ".join(names) or "none"))
    columns = list(required) + [c for c in optional if c in names]
    try:
        rows = pq.read_table(path, columns=columns).to_pylist()
    except (pa.ArrowException, OSError) as exc:
        raise ClaimexError(Errors.E072.format(path=path, reason=str(exc).strip() or type(exc).__name__)) from None
    absent = [c for c in optional if c not in names]
    if absent:
        for row in rows:
            for c in absent:
                row[c] = None
    return rows


def load_processed(processed_dir: Path) -> Processed:
    """Read the tables and manifest of a processed folder (raises ClaimexError)."""
    folder = Path(processed_dir)
    if not folder.is_dir():
        raise ClaimexError(Errors.E070.format(path=folder))
    tables: dict[str, Any] = {}
    for name in REPORT_COLUMNS:
        path = folder / f"{name}.parquet"
        if name in OPTIONAL_TABLES and not path.exists():
            tables[name] = None
            continue
        tables[name] = _read_rows(path, name)
    manifest = None
    mpath = folder / "manifest.json"
    if mpath.exists():
        try:
            manifest = json.loads(mpath.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise ClaimexError(Errors.E074.format(path=mpath, reason=exc)) from None
        if not isinstance(manifest, dict):
            raise ClaimexError(Errors.E074.format(path=mpath, reason="top level is not a JSON object"))
    from ..review import match, read_verdicts, run_id

    review = match([str(f["flag_id"]) for f in tables["flags"]], read_verdicts(folder))
    return Processed(path=folder, manifest=manifest, run_id=run_id(folder), review=review, **tables)
