"""The rows of a processed folder that the scorer needs, read with pyarrow only.

:func:`load_predictions` reads the ``documents``, ``entities``, ``claims`` and
``flags`` tables (only the columns in :data:`PRED_COLUMNS`, only the gold
documents when asked) into a :class:`Predictions` of plain dicts.  A missing
table is ``E032``, an unreadable one or one without a needed column ``E088``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from ..errors import ClaimexError, Errors

__all__ = ["OPTIONAL_COLUMNS", "PRED_COLUMNS", "Predictions", "load_predictions"]

# Columns read from each table of the processed folder.
PRED_COLUMNS: dict[str, tuple[str, ...]] = {
    "documents": ("doc_id", "text"),
    "entities": ("doc_id", "start_char", "end_char", "text", "label", "canonical"),
    "claims": ("claim_id", "doc_id", "start_char", "end_char", "subject", "predicate", "object",
               "polarity", "hedged", "certainty"),
    "flags": ("claim_id", "doc_id", "flag"),
}
# Columns read when the table has them (folders written before they existed lack them).
OPTIONAL_COLUMNS: dict[str, tuple[str, ...]] = {"claims": ("evidence", "evidence_start", "evidence_end")}


@dataclass
class Predictions:
    """The rows of a processed folder that the scorer needs, as plain dicts.

    ``entities`` rows have ``doc_id, start, end, text, label, canonical``;
    ``claims`` rows ``claim_id, doc_id, start, end, subject, predicate, object,
    polarity, hedged, certainty, evidence, evidence_start`` (the last two None
    when the table has no such column); ``flags`` rows ``claim_id, doc_id, flag``.
    ``texts`` maps each document id to its stored text (may be empty).
    """

    doc_ids: set[str]
    entities: list[dict[str, Any]] = field(default_factory=list)
    claims: list[dict[str, Any]] = field(default_factory=list)
    flags: list[dict[str, Any]] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)


def _read(pred_dir: Path, name: str, keep: set[str] | None) -> list[dict[str, Any]]:
    path = pred_dir / f"{name}.parquet"
    if not path.exists():
        raise ClaimexError(Errors.E032.format(path=pred_dir, missing=path.name))
    columns = PRED_COLUMNS[name]
    try:
        have = set(pq.read_schema(path).names)
    except Exception as exc:  # noqa: BLE001 - pyarrow raises several types for bad files
        raise ClaimexError(Errors.E088.format(path=path, reason=str(exc).splitlines()[0])) from None
    missing = [c for c in columns if c not in have]
    if missing:
        raise ClaimexError(Errors.E088.format(path=path, reason=f"no column(s) {', '.join(missing)}"))
    columns = list(columns) + [c for c in OPTIONAL_COLUMNS.get(name, ()) if c in have]
    rows = pq.read_table(path, columns=columns).to_pylist()
    if keep is not None:
        rows = [r for r in rows if r["doc_id"] in keep]
    return rows


def load_predictions(pred_dir: str | Path, doc_ids: Iterable[str] | None = None) -> Predictions:
    """Read the four tables of a processed folder, keeping only ``doc_ids`` when given."""
    pred_dir = Path(pred_dir)
    keep = set(doc_ids) if doc_ids is not None else None
    docs = _read(pred_dir, "documents", keep)
    ents = _read(pred_dir, "entities", keep)
    claims = _read(pred_dir, "claims", keep)
    flags = _read(pred_dir, "flags", keep)
    return Predictions(
        doc_ids={d["doc_id"] for d in docs},
        texts={d["doc_id"]: d["text"] for d in docs},
        entities=[{"doc_id": r["doc_id"], "start": r["start_char"], "end": r["end_char"], "text": r["text"],
                   "label": r["label"], "canonical": r["canonical"]} for r in ents],
        claims=[{"claim_id": r["claim_id"], "doc_id": r["doc_id"], "start": r["start_char"], "end": r["end_char"],
                 "subject": r["subject"], "predicate": r["predicate"], "object": r["object"],
                 "polarity": r["polarity"], "hedged": bool(r["hedged"]), "certainty": r["certainty"],
                 "evidence": r.get("evidence"), "evidence_start": r.get("evidence_start")}
                for r in claims],
        flags=[{"claim_id": r["claim_id"], "doc_id": r["doc_id"], "flag": r["flag"]} for r in flags],
    )
