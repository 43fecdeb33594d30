"""Builders shared by the flags tests: claims rows with defaults, a runner, lookups, a small corpus."""

from __future__ import annotations

import hashlib

import pyarrow as pa
from builders import documents_table

from claimex import schema
from claimex.flags import flag_claims

NO_CITE = "Cites nothing: no link, reference, DOI, PMID or named study."


# --------------------------------------------------------------------------- builders

def claim(claim_id: str, doc_id: str, obj: str, *, polarity: str = "affirmed",
          predicate: str = "CAUSES", subject: str = "kratom", text: str | None = None,
          qualifiers: tuple[tuple[str, str], ...] = (), hedged: bool = False,
          hedge_cues: tuple[str, ...] = (), certainty: str = "asserted",
          attribution: str = "author", evidence: str = "citation",
          dose: tuple | None = None, sent_id: str | None = None,
          object_ent_id: str | None = None) -> dict:
    """A claims row with defaults for every column (asserted, cited, unqualified)."""
    dmin, dmax, unit, period = dose or (None, None, None, None)
    text = text or f"{subject} {predicate.lower()} {obj}"
    return {
        "claim_id": claim_id, "doc_id": doc_id, "sent_id": sent_id or f"{doc_id}:{claim_id}",
        "start_char": 0, "end_char": len(text), "text": text,
        "subject": subject, "predicate": predicate, "object": obj,
        "subject_text": subject, "object_text": obj, "subject_ent_id": None,
        "object_ent_id": object_ent_id, "polarity": polarity, "hedged": hedged,
        "hedge_cues": list(hedge_cues), "certainty": certainty, "attribution": attribution,
        "evidence": evidence, "qualifiers": [{"kind": k, "text": t} for k, t in qualifiers],
        "dose_min": dmin, "dose_max": dmax, "dose_unit": unit, "dose_period": period,
        "claim_key": f"{subject}|{predicate}|{obj}",
    }


def run(rows: list[dict], docs: pa.Table | None = None, sentences: pa.Table | None = None, **kw):
    claims = pa.Table.from_pylist(rows, schema=schema.CLAIMS)
    return flag_claims(claims, documents_table() if docs is None else docs, sentences, **kw)


def by_flag(flags: pa.Table, kind: str) -> dict[str, dict]:
    return {r["claim_id"]: r for r in flags.to_pylist() if r["flag"] == kind}


def groups_by_key(groups: pa.Table) -> dict[str, dict]:
    return {r["claim_key"]: r for r in groups.to_pylist()}


def fid(claim_id: str, flag: str) -> str:
    return hashlib.sha256(f"{claim_id}|{flag}".encode()).hexdigest()[:16]


def copy_of(text: str) -> str:
    old = "The standard recommended starting dose is around 1 to 5 grams"
    assert old in text
    return text.replace(old, "Most guides suggest starting with about 1 to 5 grams")


ADDICTION_000 = claim(
    "c1", "000", "addiction", polarity="negated",
    text="without the addictive risks of prescription opioids",
    qualifiers=(("comparator", "prescription opioids"),), hedged=True,
    hedge_cues=("may", "potentially"), certainty="possible")
DEPENDENCE_002 = claim("c2", "002", "dependence", text="the potential for dependence and withdrawal")

MODERATE_003 = claim("c8", "003", "dose", predicate="DOSAGE",
                     text="a moderate dose of kratom, ranging between 5 to 15 grams",
                     qualifiers=(("amount", "moderate dose"),), dose=(5.0, 15.0, "g", None))
LIMIT_002 = claim("c9", "002", "dose", predicate="DOSAGE",
                  text="not to exceed the upper limit of 12 to 15 grams within a 24-hour period",
                  dose=(12.0, 15.0, "g", "within a 24-hour period"))
START_002 = claim("c10", "002", "dose", predicate="DOSAGE",
                  text="The standard recommended starting dose is around 1 to 5 grams",
                  dose=(1.0, 5.0, "g", None))


def corpus_rows() -> list[dict]:
    return [ADDICTION_000, DEPENDENCE_002, MODERATE_003, LIMIT_002, START_002,
            claim("c5", "001", "side effects", polarity="negated", evidence="anecdote", attribution="users"),
            claim("c6", "002", "nausea", evidence="none", hedged=True, certainty="probable"),
            claim("c11", "001", "chronic pain", predicate="TREATS", evidence="vague-appeal",
                  attribution="research"),
            claim("c12", "003", "chronic pain", predicate="TREATS", evidence="none"),
            claim("c13", "004", "sedation", polarity="negated", qualifiers=(("amount", "low doses"),))]
