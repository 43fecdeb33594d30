"""``claimex show`` and ``claimex export``: the processed tables for people who do not use Parquet.

Plain functions over the tables; the CLI prints what they return.
"""

from __future__ import annotations

import csv
import difflib
import json
from pathlib import Path
from typing import Any

from . import tables
from .atomic import atomic_text
from ..errors import ClaimexError, Errors
from ..schema import TABLES, VERDICT_RANK, VERDICTS


#: the tables ``claimex show`` reads (checked against the manifest first)
SHOW_TABLES = ("documents", "claim_groups", "flags", "claims")


def _rows(out: Path, name: str) -> list[dict[str, Any]]:
    try:
        return tables.read_table(out, name).to_pylist()
    except ClaimexError:
        raise
    except Exception as exc:  # a truncated or foreign Parquet file: name it, no traceback
        raise ClaimexError(Errors.E072.format(path=tables.table_path(out, name),
                                              reason=f"{type(exc).__name__}: {exc}")) from exc


def _sources(out: Path) -> dict[str, str]:
    """doc_id -> source name."""
    return {d["doc_id"]: d["source"] for d in _rows(out, "documents")}


def digest(out: Path, *, top: int = 15) -> dict[str, Any]:
    """The data behind ``claimex show DIR``: top claim groups with their sources, flags by kind and by source.

    Groups are ordered by verdict (contradicted first), then by independent sources and mentions.
    ``flags_by_source`` has every document (by source name), with a count for every flag kind present.
    """
    docs = _sources(out)
    groups = _rows(out, "claim_groups")
    flags = _rows(out, "flags")
    groups.sort(key=lambda g: (VERDICT_RANK.get(g["verdict"], len(VERDICTS)), -g["n_independent_sources"],
                               -g["n_claims"], g["claim_key"]))
    by_kind: dict[str, int] = {}
    for f in flags:
        by_kind[f["flag"]] = by_kind.get(f["flag"], 0) + 1
    by_source = {src: dict.fromkeys(sorted(by_kind), 0) for src in docs.values()}
    for f in flags:
        src = docs.get(f["doc_id"], f["doc_id"])
        by_source.setdefault(src, dict.fromkeys(sorted(by_kind), 0))[f["flag"]] += 1
    return {
        "n_documents": len(docs),
        "groups": [dict(g, sources=sorted(docs.get(d, d) for d in g["doc_ids"])) for g in groups[:top]],
        "n_groups": len(groups),
        "flags_by_kind": dict(sorted(by_kind.items())),
        "flags_by_source": dict(sorted(by_source.items())),
        "review": review_digest(out, flags),
    }


def review_digest(out: Path, flags: list[dict[str, Any]]) -> dict[str, Any]:
    """The reviewer's verdicts against the folder's flags (``verdicts.parquet``, see docs/review.md):
    whether there was a review, per flag kind the verdicts kept, the flags new since the review and
    the verdicts whose flag is gone."""
    from ..review import match, read_verdicts
    from ..schema import REVIEW_CHOICES

    state = match([f["flag_id"] for f in flags], read_verdicts(out))
    by_kind: dict[str, dict[str, int]] = {}
    for f in flags:
        v = state.kept.get(f["flag_id"])
        if v is not None:
            by_kind.setdefault(f["flag"], dict.fromkeys(REVIEW_CHOICES, 0))[v["verdict"]] += 1
    return {"reviewed": state.reviewed, "kept": len(state.kept), "by_kind": dict(sorted(by_kind.items())),
            "new": len(state.new), "vanished": state.vanished, "summary": state.summary()}


def close_keys(key: str, known: list[str], n: int = 5) -> list[str]:
    """Claim keys that look like ``key``: containing it, or similar spelling (case-insensitive)."""
    low = key.lower()
    containing = [k for k in known if low in k.lower()]
    by_lower = {k.lower(): k for k in known}
    similar = [by_lower[k] for k in difflib.get_close_matches(low, sorted(by_lower), n=n, cutoff=0.6)]
    return list(dict.fromkeys(similar + containing))[:n]


def claim_detail(out: Path, key: str) -> dict[str, Any]:
    """One claim group with every sentence behind it (``claimex show DIR --claim KEY``).

    ``key`` is matched exactly, else case-insensitively; an unknown key raises a ClaimexError that
    names the table and the closest claim keys.  Each mention lists its flags and, when contradicted,
    the sources holding the opposing claims (``contradicted_by``, the mention's own source excluded),
    and the reviewer's verdicts on its flags (``verdicts``, from ``verdicts.parquet``).
    """
    all_groups = _rows(out, "claim_groups")
    groups = [g for g in all_groups if g["claim_key"] == key]
    if not groups:
        groups = [g for g in all_groups if g["claim_key"].lower() == key.lower()]
    if len(groups) != 1:
        close = close_keys(key, sorted(g["claim_key"] for g in all_groups))
        hint = f" Closest claim keys: {', '.join(close)}." if close else " Run `claimex show` to list the claim groups."
        raise ClaimexError(f"{tables.table_path(out, 'claim_groups')}: no claim group '{key}'.{hint}")
    group = groups[0]
    key = group["claim_key"]
    docs = _sources(out)
    claims = [c for c in _rows(out, "claims") if c["claim_key"] == key]
    flags: dict[str, list[str]] = {}
    opposed: dict[str, set[str]] = {}
    all_flags = _rows(out, "flags")
    from ..review import match, read_verdicts

    kept = match([f["flag_id"] for f in all_flags], read_verdicts(out)).kept
    verdicts: dict[str, list[dict[str, Any]]] = {}
    for f in all_flags:
        if f["claim_key"] != key:
            continue
        flags.setdefault(f["claim_id"], []).append(f["flag"])
        if f["flag_id"] in kept:
            v = kept[f["flag_id"]]
            verdicts.setdefault(f["claim_id"], []).append(
                {"flag": f["flag"], "verdict": v["verdict"], "reviewer": v["reviewer"], "note": v["note"],
                 "decided_at": v["decided_at"]})
        if f["flag"] == "contradicted":
            opposed.setdefault(f["claim_id"], set()).update(d for d in f["related_doc_ids"] if d != f["doc_id"])
    mentions = [{
        "claim_id": c["claim_id"], "source": docs.get(c["doc_id"], c["doc_id"]),
        "polarity": c["polarity"], "certainty": c["certainty"], "attribution": c["attribution"],
        "evidence": c["evidence"], "text": c["text"], "flags": sorted(flags.get(c["claim_id"], [])),
        "contradicted_by": sorted(docs.get(d, d) for d in opposed.get(c["claim_id"], ())),
        "verdicts": sorted(verdicts.get(c["claim_id"], []), key=lambda v: v["flag"]),
    } for c in claims]
    return {"group": dict(group, sources=sorted(docs.get(d, d) for d in group["doc_ids"])), "mentions": mentions}


# A cell a spreadsheet would run as a formula starts with one of these (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """One CSV cell: lists and structs as JSON; text that a spreadsheet would read as a formula
    ("=HYPERLINK(...)", "+1", "@SUM") gets a leading apostrophe, so it stays text."""
    if isinstance(value, (list, dict)):
        value = json.dumps(value, ensure_ascii=False)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


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
        with atomic_text(path) as fh:  # the csv module writes its own \r\n line ends
            if fmt == "jsonl":
                for r in rows:
                    fh.write(json.dumps(r, ensure_ascii=False, sort_keys=False) + "\n")
            else:
                writer = csv.DictWriter(fh, fieldnames=TABLES[name].names)
                writer.writeheader()
                for r in rows:
                    writer.writerow({k: csv_cell(v) for k, v in r.items()})
        written.append(path)
    if not written:
        raise ClaimexError(Errors.E032.format(path=out, missing="documents.parquet"))
    return written
