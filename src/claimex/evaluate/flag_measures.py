"""Flag measures beside the headline flag P/R: per folder, on matched claims, shares, cited claims.

The headline flag figures of :mod:`.score` count a flag as found only when its
claim is found too, so they mix the claims' recall into the flags'.  These
measures separate the two and say where the flags fall:

* :func:`flags_by_folder`: flag P/R/F1 per kind and per corpus folder (the
  first component of a gold document's ``source``: ``kratom/d001-….txt`` →
  ``kratom``), matched as in :mod:`.score`;
* :func:`flags_on_matched_claims`: per kind, over the claim pairs that matched
  (same document, subject, predicate, object, overlapping sentence), whether
  the gold claim and the predicted claim carry the flag: P/R of the flag as a
  decision about claims the pipeline did find;
* :func:`flag_shares`: per folder and kind, the share of predicted claims that
  carry at least one flag of that kind (over every document of the folder in
  the processed folder, annotated for flags or not);
* :func:`cited_unsupported`: of the predicted claims whose own sentence
  carries checkable evidence (``evidence`` a citation, study reference or
  authority, with its span inside the claim's sentence), the share flagged
  ``unsupported`` — issue 18 asks for at most 10 %; the same share for claims
  whose evidence comes from their paragraph.

All functions take the plain row dicts of :mod:`.score` and return JSON-ready
dicts in a fixed order.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from ..schema import FLAG_KINDS
from .match import match, prf, table

__all__ = ["CHECKABLE", "cited_unsupported", "flag_shares", "flags_by_folder", "flags_on_matched_claims",
           "gold_evidence_measures", "load_evidence_gold",
           "folder_of"]

CHECKABLE = ("citation", "study-reference", "authority")


def folder_of(source: str | None) -> str:
    """The corpus folder of a document's source path: its first component, ``""`` for a bare name."""
    parts = str(source or "").replace("\\", "/").strip("/").split("/")
    return parts[0] if len(parts) > 1 else ""


def _flag_key(f: dict[str, Any]) -> tuple:
    return (f["doc_id"], f["flag"], f["subject"], f["predicate"], f["object"])


def flags_by_folder(g_flags: list[dict[str, Any]], p_flags: list[dict[str, Any]],
                    folder: dict[str, str]) -> dict[str, dict[str, Any]]:
    """``{folder: {"kinds": {kind: prf}, "micro": prf}}``; ``folder`` maps doc_id to folder."""
    out: dict[str, dict[str, Any]] = {}
    for name in sorted(set(folder.values())):
        g = [f for f in g_flags if folder.get(f["doc_id"]) == name]
        p = [f for f in p_flags if folder.get(f["doc_id"]) == name]
        kinds, micro = table(g, p, match(g, p, _flag_key), FLAG_KINDS, lambda f: f["flag"])
        out[name] = {"kinds": kinds, "micro": micro}
    return out


def flags_on_matched_claims(g_claims: list[dict[str, Any]], p_claims: list[dict[str, Any]],
                            pairs: Iterable[tuple[int, int]], g_flags: list[dict[str, Any]],
                            p_flags: list[dict[str, Any]]) -> dict[str, Any]:
    """Per flag kind, P/R/F1 of the flag over the matched claim pairs, and the number of pairs.

    A gold flag names its claim by (doc, subject, predicate, object, sentence
    start); a predicted flag by ``claim_id``.
    """
    pairs = list(pairs)
    g_index = {(c["doc_id"], c["subject"], c["predicate"], c["object"], c["start"]): i
               for i, c in enumerate(g_claims)}
    g_has: set[tuple[int, str]] = set()
    for f in g_flags:
        i = g_index.get((f["doc_id"], f["subject"], f["predicate"], f["object"], f["start"]))
        if i is not None:
            g_has.add((i, f["flag"]))
    p_index = {c["claim_id"]: j for j, c in enumerate(p_claims)}
    p_has = {(p_index[f["claim_id"]], f["flag"]) for f in p_flags if f["claim_id"] in p_index}
    kinds = {}
    for kind in FLAG_KINDS:
        n_gold = sum(1 for i, _ in pairs if (i, kind) in g_has)
        n_pred = sum(1 for _, j in pairs if (j, kind) in p_has)
        tp = sum(1 for i, j in pairs if (i, kind) in g_has and (j, kind) in p_has)
        kinds[kind] = prf(tp, n_gold, n_pred)
    return {"pairs": len(pairs), "kinds": kinds}


def flag_shares(claims: list[dict[str, Any]], flags: list[dict[str, Any]],
                folder: dict[str, str]) -> dict[str, dict[str, Any]]:
    """``{folder: {"claims": n, "kinds": {kind: {"flagged": k, "share": k / n}}}}`` (``"all"`` too)."""
    kinds_of: dict[str, set[str]] = {}
    for f in flags:
        kinds_of.setdefault(f["claim_id"], set()).add(f["flag"])
    out: dict[str, dict[str, Any]] = {}
    names = sorted({folder.get(c["doc_id"], "") for c in claims}) + ["all"]
    for name in names:
        rows = [c for c in claims if name == "all" or folder.get(c["doc_id"], "") == name]
        count = Counter(k for c in rows for k in kinds_of.get(c["claim_id"], ()))
        n = len(rows)
        out[name] = {"claims": n, "kinds": {k: {"flagged": count[k], "share": count[k] / n if n else None}
                                            for k in FLAG_KINDS}}
    return out


def cited_unsupported(claims: list[dict[str, Any]], flags: list[dict[str, Any]]) -> dict[str, Any]:
    """Claims with checkable evidence in their own sentence (and from their paragraph) flagged unsupported.

    ``claims`` rows need ``evidence`` and ``evidence_start`` (rows without them count as no evidence).
    """
    unsupported = {f["claim_id"] for f in flags if f["flag"] == "unsupported"}
    out = {}
    for where in ("sentence", "paragraph"):
        rows = [c for c in claims if c.get("evidence") in CHECKABLE and c.get("evidence_start") is not None
                and (c["evidence_start"] >= c["start"]) == (where == "sentence")]
        k = sum(1 for c in rows if c["claim_id"] in unsupported)
        out[where] = {"claims": len(rows), "unsupported": k, "share": k / len(rows) if rows else None}
    return out


def load_evidence_gold(path) -> dict[tuple[str, int], str]:
    """An evidence gold file: one JSON object per line, ``{"doc_id", "source", "evidence":
    [{"sentence_start", "kind"}, ...]}``; returns ``{(doc_id, sentence_start): kind}``.

    ``E082`` (a gold file's bad line: file, line, reason) for a line that is not such an object.
    """
    import json
    from pathlib import Path

    from .gold import _fail

    out: dict[tuple[str, int], str] = {}
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
            for e in rec["evidence"]:
                if e["kind"] not in CHECKABLE or not isinstance(e["sentence_start"], int):
                    raise ValueError(f"evidence kind must be one of {', '.join(CHECKABLE)} and "
                                     f"sentence_start an integer: {e}")
                out[(str(rec["doc_id"]), e["sentence_start"])] = e["kind"]
        except (ValueError, KeyError, TypeError) as exc:
            raise _fail(str(path), n, f"not an evidence record ({exc})") from None
    return out


def gold_evidence_measures(evidence: dict[tuple[str, int], str], g_claims: list[dict[str, Any]],
                           p_claims: list[dict[str, Any]], pairs: Iterable[tuple[int, int]],
                           p_flags: list[dict[str, Any]]) -> dict[str, Any]:
    """Against hand-marked evidence sentences (:func:`load_evidence_gold`).

    ``sentences``: evidence sentences, how many hold a predicted claim with checkable evidence
    (``found``) and of the same kind (``same_kind``); ``claims``: the gold claims in evidence
    sentences, how many were matched and how many of those are flagged ``unsupported``.
    """
    unsupported = {f["claim_id"] for f in p_flags if f["flag"] == "unsupported"}
    found = same = 0
    for (doc, start), kind in evidence.items():
        kinds = {c.get("evidence") for c in p_claims
                 if c["doc_id"] == doc and c["start"] <= start < c["end"] and c.get("evidence") in CHECKABLE}
        found += bool(kinds)
        same += kind in kinds
    cited = [i for i, c in enumerate(g_claims) if (c["doc_id"], c["start"]) in evidence]
    pair_of = dict(pairs)
    matched = [i for i in cited if i in pair_of]
    flagged = sum(1 for i in matched if p_claims[pair_of[i]]["claim_id"] in unsupported)
    return {"sentences": {"gold": len(evidence), "found": found, "same_kind": same},
            "claims": {"gold": len(cited), "matched": len(matched), "unsupported": flagged,
                       "share": flagged / len(matched) if matched else None}}
