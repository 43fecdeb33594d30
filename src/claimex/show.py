"""``claimex show`` and ``claimex export``: the processed tables for people who do not use Parquet.

Plain functions over the tables; the CLI prints what they return.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from . import tables
from .errors import ClaimexError, Errors
from .schema import TABLES

VERDICT_ORDER = {"contradicted": 0, "unsupported": 1, "hedged": 2, "supported": 3}


def _rows(out: Path, name: str) -> list[dict[str, Any]]:
    return tables.read_table(out, name).to_pylist()


def digest(out: Path, *, top: int = 15) -> dict[str, Any]:
    """The data behind ``claimex show DIR``: top claim groups, flags by kind and by source."""
    docs = {d["doc_id"]: d["source"] for d in _rows(out, "documents")}
    groups = _rows(out, "claim_groups")
    flags = _rows(out, "flags")
    groups.sort(key=lambda g: (VERDICT_ORDER.get(g["verdict"], 9), -g["n_independent_sources"],
                               -g["n_claims"], g["claim_key"]))
    by_kind: dict[str, int] = {}
    by_source: dict[str, dict[str, int]] = {}
    for f in flags:
        by_kind[f["flag"]] = by_kind.get(f["flag"], 0) + 1
        src = docs.get(f["doc_id"], f["doc_id"])
        by_source.setdefault(src, {}).setdefault(f["flag"], 0)
        by_source[src][f["flag"]] += 1
    return {
        "n_documents": len(docs),
        "groups": [dict(g, sources=[docs.get(d, d) for d in g["doc_ids"]]) for g in groups[:top]],
        "n_groups": len(groups),
        "flags_by_kind": dict(sorted(by_kind.items())),
        "flags_by_source": {k: dict(sorted(v.items())) for k, v in sorted(by_source.items())},
    }


def claim_detail(out: Path, key: str) -> dict[str, Any]:
    """One claim group with every sentence behind it (``claimex show DIR --claim KEY``)."""
    groups = [g for g in _rows(out, "claim_groups") if g["claim_key"] == key]
    if not groups:
        known = sorted(g["claim_key"] for g in _rows(out, "claim_groups"))
        close = [k for k in known if key.lower() in k.lower()][:5]
        hint = f" Did you mean: {', '.join(close)}?" if close else ""
        raise ClaimexError(f"No claim group '{key}' in {out}.{hint}")
    docs = {d["doc_id"]: d["source"] for d in _rows(out, "documents")}
    claims = [c for c in _rows(out, "claims") if c["claim_key"] == key]
    flags: dict[str, list[str]] = {}
    for f in _rows(out, "flags"):
        if f["claim_key"] == key:
            flags.setdefault(f["claim_id"], []).append(f["flag"])
    mentions = [{
        "claim_id": c["claim_id"], "source": docs.get(c["doc_id"], c["doc_id"]),
        "polarity": c["polarity"], "certainty": c["certainty"], "attribution": c["attribution"],
        "evidence": c["evidence"], "text": c["text"], "flags": sorted(flags.get(c["claim_id"], [])),
    } for c in claims]
    return {"group": groups[0], "mentions": mentions}


def export(out: Path, fmt: str, dest: Path | None = None) -> list[Path]:
    """Write every table as CSV or JSONL next to the Parquet files (or into ``dest``)."""
    if fmt not in ("csv", "jsonl"):
        raise ClaimexError(f"Unknown export format '{fmt}': use csv or jsonl.")
    dest = Path(dest or out)
    dest.mkdir(parents=True, exist_ok=True)
    written = []
    for name in TABLES:
        if not tables.table_path(out, name).exists():
            continue
        rows = _rows(out, name)
        path = dest / f"{name}.{fmt}"
        tmp = path.with_name(f".{path.name}.tmp")
        with open(tmp, "w", encoding="utf-8", newline="") as fh:
            if fmt == "jsonl":
                for r in rows:
                    fh.write(json.dumps(r, ensure_ascii=False, sort_keys=False) + "\n")
            else:
                writer = csv.DictWriter(fh, fieldnames=TABLES[name].names)
                writer.writeheader()
                for r in rows:
                    writer.writerow({k: (json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v)
                                     for k, v in r.items()})
        tmp.replace(path)
        written.append(path)
    if not written:
        raise ClaimexError(Errors.E032.format(path=out, missing="documents.parquet"))
    return written
