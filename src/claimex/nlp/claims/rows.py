"""The record one claim becomes (a plain, msgpack-safe dict) and the label its object takes by role."""

from __future__ import annotations

from typing import Any

from ..cues import Cue, cue_strings, weakest_certainty
from .context import SentenceContext
from .evidence import claim_evidence
from .mentions import Mention, Subject


def claim_row(ctx: SentenceContext, subj: Subject, predicate: str, ent: Mention, negated: bool,
              hedge_cues: list[Cue], who: str, quals: list[dict[str, str]], *,
              dose: dict[str, Any] | None = None) -> dict[str, Any]:
    """The claim dict (the ``claims`` table columns except ids, see ``docs/schema.md``).

    ``certainty`` is the weakest grade among ``hedge_cues``; the evidence is
    read from the sentence (:func:`.evidence.claim_evidence`).
    """
    cue_list = cue_strings(hedge_cues)
    evidence = claim_evidence(ctx, who, predicate)
    return {
        "start": ctx.sent.start_char,
        "end": ctx.sent.end_char,
        "subject": subj.canonical,
        "predicate": predicate,
        "object": ent.canonical,
        "subject_text": subj.text,
        "object_text": ent.text,
        "subject_span": list(subj.span) if subj.span else None,
        "object_span": [ent.start, ent.end],
        "polarity": "negated" if negated else "affirmed",
        "hedged": bool(cue_list),
        "hedge_cues": cue_list,
        "certainty": weakest_certainty(c.certainty for c in hedge_cues),
        "attribution": who,
        "evidence": evidence[0],
        "evidence_span": list(evidence[1]) if evidence[1] else None,
        "qualifiers": _unique(quals),
        "dose_min": (dose or {}).get("dose_min"),
        "dose_max": (dose or {}).get("dose_max"),
        "dose_unit": (dose or {}).get("dose_unit"),
        "dose_period": (dose or {}).get("dose_period"),
    }


def _unique(items: list[dict[str, str]]) -> list[dict[str, str]]:
    out = []
    for q in items:
        if q not in out:
            out.append(q)
    return out


def label_by_role(ent: Mention, predicate: str) -> None:
    """A symptom is labelled by its role in the claim: treated, it is a CONDITION
    ("ginger eases nausea"); caused, a SIDE_EFFECT ("kratom can cause nausea").

    Changes the entity record in ``doc._.claimex_ents`` (the entities table is
    written from it after the claims); generic words keep their label.
    """
    label = ent.data.get("label")
    if predicate == "TREATS" and label == "SIDE_EFFECT":
        ent.data["label"] = "CONDITION"
    elif predicate == "CAUSES" and label == "CONDITION":
        ent.data["label"] = "SIDE_EFFECT"
