"""Scoring predictions against gold documents: the numbers behind ``claimex evaluate``.

:func:`score` reads a processed folder and calls :func:`score_predictions`,
which turns gold and predictions into rows, maps canonical names through
:func:`lexicon_names` when asked, matches them (:mod:`.match`) and returns a
plain, JSON-ready dict.

Matching rules (documented in ``docs/gold-format.md``, relied on by the tests):

* **Entities, exact**: same document, ``start``, ``end``, ``label`` and
  ``canonical``.  **Entities, lenient**: same document and label, and the
  spans overlap (canonical ignored); one-to-one.  The headline figures leave
  out the labels in :data:`UNSCORED_LABELS` (scored in their own rows).
* **Claims**: same document, same ``subject``, ``predicate`` and ``object``,
  and the predicted claim's sentence span overlaps the gold one; one-to-one.
  Polarity, hedging and certainty are scored separately, over the matched
  pairs (confusion tables), and ``micro_with_polarity`` also requires the
  polarity to agree.
* **Flags**: same document, flag kind, claim ``subject``/``predicate``/
  ``object``, and overlapping claim sentences; one-to-one.  Beside the
  headline figures, :mod:`.flag_measures`: per corpus folder, on the matched
  claims only, the share of claims flagged per kind, and how many claims with
  evidence of their own are flagged ``unsupported``.
* Only the documents named in the gold file are scored; other documents in the
  processed folder are ignored.  A gold document that is missing from the
  folder counts as predicted empty (everything in it is missed).  A layer a
  gold record leaves out (``layers``) is not scored for that document.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..errors import ClaimexError, Errors
from ..schema import CERTAINTY, ENTITY_LABELS, FLAG_KINDS, POLARITIES, PREDICATES
from .flag_measures import (cited_unsupported, flag_shares, flags_by_folder, flags_on_matched_claims, folder_of,
                            gold_evidence_measures)
from .gold import GoldDoc, check_spans
from .match import confusion, match, prf, table
from .predictions import Predictions, load_predictions

__all__ = ["HEDGED_KEYS", "UNSCORED_LABELS", "lexicon_names", "score", "score_predictions"]

HEDGED_KEYS = ("true", "false")
# Labels left out of the headline entity figures (scored in their own row).
UNSCORED_LABELS = ("GENERIC",)


def _gold_rows(gold_docs: list[GoldDoc], texts: dict[str, str] | None = None):
    ents, claims, flags = [], [], []
    texts = texts or {}
    for d in gold_docs:
        for e in d.entities:
            text = e.text if e.text is not None else texts.get(d.doc_id, "")[e.start:e.end]
            ents.append({"doc_id": d.doc_id, "start": e.start, "end": e.end, "text": text,
                         "label": e.label, "canonical": e.canonical})
        for c in d.claims:
            claims.append({"doc_id": d.doc_id, "start": c.sentence_start, "end": c.sentence_end,
                           "subject": c.subject, "predicate": c.predicate, "object": c.object,
                           "polarity": c.polarity, "hedged": c.hedged, "certainty": c.certainty})
        for f in d.flags:
            flags.append({"doc_id": d.doc_id, "start": f.sentence_start, "end": f.sentence_end,
                          "subject": f.subject, "predicate": f.predicate, "object": f.object, "flag": f.flag})
    return ents, claims, flags


def _pred_flag_rows(preds: Predictions) -> list[dict[str, Any]]:
    """Predicted flags joined to their claims; a flag whose claim is unknown keeps empty fields."""
    claims = {c["claim_id"]: c for c in preds.claims}
    rows = []
    for f in preds.flags:
        c = claims.get(f["claim_id"])
        rows.append({"doc_id": f["doc_id"], "claim_id": f["claim_id"], "flag": f["flag"],
                     "start": c["start"] if c else 0, "end": c["end"] if c else 0,
                     "subject": c["subject"] if c else "", "predicate": c["predicate"] if c else "",
                     "object": c["object"] if c else ""})
    return rows


def _sorted_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows in document order (then by all their fields, for a total order)."""
    return sorted(rows, key=lambda r: (r.get("doc_id") or "", r.get("start") or 0, r.get("end") or 0,
                                       json.dumps(r, sort_keys=True, ensure_ascii=False)))


def lexicon_names() -> Callable[[str], str]:
    """Map a canonical name to the packaged lexicon's name for the same concept.

    Gold written by other annotators names concepts its own way ("psychoactive"
    for the lexicon's "psychoactive effects", "high blood pressure" for
    "hypertension"); both sides are mapped through the lexicon before they are
    compared, so a match means "the same concept", not "the same spelling".
    Names the lexicon does not know are compared lower-cased.
    """
    from ..nlp.lexicon import load_default_lexicon

    lexicon = load_default_lexicon()

    @functools.lru_cache(maxsize=None)
    def name(value: str) -> str:
        entry = lexicon.lookup(value)
        return entry.canonical.lower() if entry is not None else " ".join(value.lower().split())

    return name


def _renamed(rows: list[dict[str, Any]], name: Callable[[str], str], fields: tuple[str, ...]) -> list[dict[str, Any]]:
    return [dict(r, **{f: name(r[f]) for f in fields if r.get(f)}) for r in rows]


def score_predictions(gold_docs: list[GoldDoc], preds: Predictions, *, details: bool = False,
                      names: Callable[[str], str] | None = None,
                      evidence: dict[tuple[str, int], str] | None = None) -> dict[str, Any]:
    """Compare gold documents with predictions already in memory (see :func:`score`).

    ``names`` maps canonical names before they are compared (see
    :func:`lexicon_names`); None compares them as written.  ``evidence``: hand-marked
    evidence sentences (:func:`claimex.evaluate.flag_measures.load_evidence_gold`),
    scored as ``flags.gold_evidence`` when given.
    """
    gold_ids = [d.doc_id for d in gold_docs]
    keep = set(gold_ids)
    for d in gold_docs:
        if d.doc_id in preds.texts:
            check_spans(d, preds.texts[d.doc_id])
    g_ents, g_claims, g_flags = _gold_rows(gold_docs, preds.texts)
    # a layer a record leaves out is not scored there: its predictions are ignored too
    ent_docs = {d.doc_id for d in gold_docs if "entities" in d.layers}
    p_ents = [e for e in preds.entities if e["doc_id"] in ent_docs]
    claim_docs = {d.doc_id for d in gold_docs if "claims" in d.layers}
    flag_docs = {d.doc_id for d in gold_docs if "flags" in d.layers}
    p_claims = [c for c in preds.claims if c["doc_id"] in claim_docs]
    p_flags = [f for f in _pred_flag_rows(preds) if f["doc_id"] in flag_docs]
    if names is not None:
        g_ents, p_ents = _renamed(g_ents, names, ("canonical",)), _renamed(p_ents, names, ("canonical",))
        g_claims, p_claims = (_renamed(g_claims, names, ("subject", "object")),
                              _renamed(p_claims, names, ("subject", "object")))
        g_flags, p_flags = (_renamed(g_flags, names, ("subject", "object")),
                            _renamed(p_flags, names, ("subject", "object")))

    # entities: the headline figures leave out the generic words (their own
    # rows in the per-label tables), which gold on real text marks apart
    exact_key = lambda e: (e["doc_id"], e["start"], e["end"], e["label"], e["canonical"])
    label = lambda e: e["label"]
    headline = [n for n in ENTITY_LABELS if n not in UNSCORED_LABELS]
    ex_rows, le_rows = {}, {}
    g_all, p_all = g_ents, p_ents
    for part in (headline, list(UNSCORED_LABELS)):
        g_part = [e for e in g_all if e["label"] in part]
        p_part = [e for e in p_all if e["label"] in part]
        ex_part, ex_m = table(g_part, p_part, match(g_part, p_part, exact_key), part, label)
        le_part, le_m = table(g_part, p_part, match(g_part, p_part, lambda e: (e["doc_id"], e["label"])),
                              part, label)
        ex_rows.update(ex_part)
        le_rows.update(le_part)
        if part is headline:
            g_ents, p_ents, ex_micro, le_micro = g_part, p_part, ex_m, le_m
    exact_pairs = match(g_ents, p_ents, exact_key)

    # claims
    claim_key = lambda c: (c["doc_id"], c["subject"], c["predicate"], c["object"])
    claim_pairs = match(g_claims, p_claims, claim_key, polarity=True)
    pred_rows, claims_micro = table(g_claims, p_claims, claim_pairs, PREDICATES, lambda c: c["predicate"])
    strict_tp = sum(1 for i, j in claim_pairs if g_claims[i]["polarity"] == p_claims[j]["polarity"])
    hedge_value = lambda c: "true" if c["hedged"] else "false"

    # flags
    flag_key = lambda f: (f["doc_id"], f["flag"], f["subject"], f["predicate"], f["object"])
    flag_pairs = match(g_flags, p_flags, flag_key)
    flag_rows, flags_micro = table(g_flags, p_flags, flag_pairs, FLAG_KINDS, lambda f: f["flag"])
    folder = {d.doc_id: folder_of(d.source) for d in gold_docs}
    g_flag_claims = [c for c in g_claims if c["doc_id"] in flag_docs]
    p_flag_claims = [c for c in p_claims if c["doc_id"] in flag_docs]
    flag_claim_pairs = match(g_flag_claims, p_flag_claims, claim_key, polarity=True)
    all_claims = [c for c in preds.claims if c["doc_id"] in keep]
    all_flags = [f for f in preds.flags if f["doc_id"] in keep]

    found = [i for i in gold_ids if i in preds.doc_ids]
    if evidence is not None:
        gold_evidence = gold_evidence_measures(evidence, g_flag_claims, p_flag_claims, flag_claim_pairs,
                                               all_flags)
    result: dict[str, Any] = {
        "documents": {"gold": len(gold_ids), "found": len(found),
                      "missing": sorted(i for i in gold_ids if i not in preds.doc_ids)},
        "entities": {
            "exact": {"labels": ex_rows, "micro": ex_micro},
            "lenient": {"labels": le_rows, "micro": le_micro},
        },
        "claims": {
            "predicates": pred_rows,
            "micro": claims_micro,
            "micro_with_polarity": prf(strict_tp, len(g_claims), len(p_claims)),
            "polarity": confusion(claim_pairs, g_claims, p_claims, POLARITIES, lambda c: c["polarity"]),
            "hedged": confusion(claim_pairs, g_claims, p_claims, HEDGED_KEYS, hedge_value),
            "certainty": confusion(claim_pairs, g_claims, p_claims, CERTAINTY, lambda c: c["certainty"]),
        },
        "flags": {"kinds": flag_rows, "micro": flags_micro,
                  "folders": flags_by_folder(g_flags, p_flags, folder),
                  "on_matched_claims": flags_on_matched_claims(
                      g_flag_claims, p_flag_claims, flag_claim_pairs,
                      g_flags, [f for f in all_flags if f["doc_id"] in flag_docs]),
                  "shares": flag_shares(all_claims, all_flags, folder),
                  "cited_unsupported": cited_unsupported(all_claims, all_flags)},
        "micro": {
            "entities": ex_micro,
            "entities_lenient": le_micro,
            "claims": claims_micro,
            "flags": flags_micro,
        },
    }
    if evidence is not None:
        result["flags"]["gold_evidence"] = gold_evidence
    if details:
        result["details"] = {
            "entities": _misses(g_ents, p_ents, exact_pairs, ("doc_id", "start", "end", "text", "label", "canonical"),
                                preds.texts),
            "claims": _misses(g_claims, p_claims, claim_pairs,
                              ("doc_id", "start", "end", "text", "subject", "predicate", "object", "polarity"),
                              preds.texts),
            "flags": _misses(g_flags, p_flags, flag_pairs,
                             ("doc_id", "start", "end", "text", "subject", "predicate", "object", "flag"),
                             preds.texts),
        }
    return result


DETAIL_TEXT_CHARS = 160  # a claim's sentence is quoted up to this many characters in the details


def _quote(row: dict[str, Any], texts: dict[str, str]) -> str | None:
    """The stored text of ``row``'s span (gold rows carry offsets only), cut to :data:`DETAIL_TEXT_CHARS`."""
    text = row.get("text")
    if text is None:
        doc, start, end = texts.get(row.get("doc_id") or ""), row.get("start"), row.get("end")
        if doc is None or not isinstance(start, int) or not isinstance(end, int) or not 0 <= start <= end <= len(doc):
            return None
        text = doc[start:end]
    text = " ".join(text.split())
    return text if len(text) <= DETAIL_TEXT_CHARS else text[:DETAIL_TEXT_CHARS - 1] + "…"


def _misses(gold, pred, pairs, fields: tuple[str, ...],
            texts: dict[str, str] | None = None) -> dict[str, list[dict[str, Any]]]:
    gi = {i for i, _ in pairs}
    pj = {j for _, j in pairs}
    texts = texts or {}
    pick = lambda r: {f: (_quote(r, texts) if f == "text" else r.get(f)) for f in fields}
    return {
        "missed": _sorted_rows([pick(g) for i, g in enumerate(gold) if i not in gi]),
        "spurious": _sorted_rows([pick(p) for j, p in enumerate(pred) if j not in pj]),
    }


def score(gold_docs: list[GoldDoc], pred_dir: str | Path, *, details: bool = False,
          names: Callable[[str], str] | None = None,
          evidence: dict[tuple[str, int], str] | None = None) -> dict[str, Any]:
    """Score the processed folder ``pred_dir`` (Parquet tables) against ``gold_docs``.

    Raises ``E032`` when a table is missing, ``E088`` when a table lacks a
    needed column, ``E089`` when none of the gold documents is in the folder
    and ``E087`` when a gold span does not match the stored text.
    """
    preds = load_predictions(pred_dir, [d.doc_id for d in gold_docs])
    if not preds.doc_ids:
        raise ClaimexError(Errors.E089.format(path=pred_dir, n=len(gold_docs),
                                              sources=", ".join(d.source for d in gold_docs[:3])))
    return score_predictions(gold_docs, preds, details=details, names=names, evidence=evidence)
