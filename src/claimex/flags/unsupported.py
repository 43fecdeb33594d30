"""The ``unsupported`` flag: nothing checkable backs the claim, and no independent source does.

``evidence`` is ``none``, ``anecdote`` or ``vague-appeal``: nothing checkable
(link, reference, DOI, PMID, named study) backs the claim, and no other
independent source that states it with the same polarity cites checkable
evidence (citation, study-reference, authority).  The reason says why and how
many other claims with the same key and polarity repeat it, from how many
*other independent sources* (copies count once: near-duplicate documents are
one source and a verbatim-shared sentence counts for one source only); those
claims are ``related_claim_ids``.  Score: none 0.8, anecdote 0.7, vague-appeal
0.6, minus 0.2 for each other independent source (at most 2 counted), plus
0.1 for an unhedged, affirmed claim of benefit or safety (``TREATS``,
``SAFER_THAN``, ``HAS_EFFECT``).  Severity: low with ≥ 2 other independent
sources; high for such a claim of benefit with nothing or only anecdote and
no other source; medium for a claim of benefit, with 1 other source or for a
vague appeal; else low.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left
from typing import TYPE_CHECKING

from ..markdown import plural

if TYPE_CHECKING:
    from .grouping import ClaimColumns

__all__ = ["ANECDOTE_SOURCE", "APPEAL_TARGET", "BENEFIT_PREDICATES", "CHECKABLE_EVIDENCE",
           "UNSUPPORTED_EVIDENCE", "UNSUPPORTED_SCORE", "corroboration", "is_unsupported",
           "unsupported_flag", "unsupported_reason"]

CHECKABLE_EVIDENCE = frozenset({"citation", "study-reference", "authority"})
# Predicates whose unhedged, uncited claims a reviewer should read first.
BENEFIT_PREDICATES = frozenset({"TREATS", "SAFER_THAN", "HAS_EFFECT"})
UNSUPPORTED_EVIDENCE = ("none", "anecdote", "vague-appeal")
UNSUPPORTED_SCORE = {"none": 0.8, "anecdote": 0.7, "vague-appeal": 0.6}

# How a claim's attribution reads in an "unsupported" reason.
ANECDOTE_SOURCE = {
    "users": "users report", "anecdote": "anecdotal evidence", "proponents": "proponents claim",
    "author": "the author's own account", "research": "unnamed research",
    "experts": "unnamed experts", "regulators": "unnamed regulators",
}
APPEAL_TARGET = {
    "research": "research", "experts": "experts", "regulators": "regulators",
    "users": "users", "proponents": "proponents", "author": "unnamed evidence",
    "anecdote": "unnamed evidence",
}


def corroboration(c: ClaimColumns) -> tuple[list[int], list[tuple]]:
    """Per (claim_key, polarity) group: size, first ids, doc counts, first docs, units."""
    code: dict[tuple[str, bool], int] = {}
    group_of = [0] * c.n
    members: list[list[int]] = []
    for i, key in enumerate(zip(c.claim_key, c.negated)):
        g = code.get(key)
        if g is None:
            g = code[key] = len(members)
            members.append([])
        members[g].append(i)
        group_of[i] = g
    cap1 = c.cap + 1
    doc_idx, unit = c.doc_idx, c.unit
    info = []
    for idxs in members:  # indices ascending = claim ids ascending
        doc_counts: dict[int, int] = {}
        for i in idxs:
            d = doc_idx[i]
            doc_counts[d] = doc_counts.get(d, 0) + 1
        n_units = len({unit[i] for i in idxs}) if len(idxs) > 1 else 1
        cited_units = frozenset(unit[i] for i in idxs if c.evidence[i] in CHECKABLE_EVIDENCE)
        info.append((len(idxs), idxs[:cap1], doc_counts, heapq.nsmallest(cap1, doc_counts), n_units,
                     cited_units))
    return group_of, info


def unsupported_reason(evidence: str, attribution: str, others: int,
                       other_sources: int, strong: bool = False) -> tuple[str, float, str]:
    """(severity, score, reason) of an ``unsupported`` flag; ``others``: the other claims of its
    (claim_key, polarity) group, ``other_sources``: their other independent sources."""
    if evidence == "anecdote":
        why = (f"Rests on anecdote ({ANECDOTE_SOURCE.get(attribution, attribution)}): "
               f"no link, reference, DOI, PMID or named study.")
    elif evidence == "vague-appeal":
        why = (f"Appeals to {APPEAL_TARGET.get(attribution, attribution)} without naming a "
               f"study: no link, reference, DOI or PMID.")
    else:
        why = "Cites nothing: no link, reference, DOI, PMID or named study."
    if others == 0:
        more = " No other claim states it."
    elif other_sources == 0:
        more = (f" Repeated by {plural(others, 'other claim')}, but by no other independent "
                f"source (repeats within a document and copies count once).")
    else:
        more = (f" Also stated by {plural(others, 'other claim')} from "
                f"{plural(other_sources, 'other independent source')}.")
    # what a reviewer should read first: an unhedged claim of benefit or safety with
    # nothing or only anecdote behind it; a hedged claim, or one that other
    # independent sources repeat, comes later
    if other_sources >= 2:
        severity = "low"
    elif strong and evidence != "vague-appeal" and other_sources == 0:
        severity = "high"
    elif strong or other_sources == 1 or evidence == "vague-appeal":
        severity = "medium"
    else:
        severity = "low"
    score = round(UNSUPPORTED_SCORE[evidence] - 0.2 * min(other_sources, 2) + (0.1 if strong else 0.0), 3)
    return severity, score, why + more


def unsupported_flag(c: ClaimColumns, i: int, info: tuple, memo: dict) -> tuple[str, float, str, list, list]:
    """(severity, score, reason, related claim indices, related doc indices) of claim ``i``;
    ``info``: its group's entry of :func:`corroboration`; ``memo``: reasons by their inputs."""
    n_group, ids, doc_counts, docs, n_units, _cited = info
    strong = c.predicate[i] in BENEFIT_PREDICATES and not c.hedged_eff[i] and not c.negated[i]
    key = (c.evidence[i], c.attribution[i], n_group - 1, n_units - 1, strong)
    found = memo.get(key)
    if found is None:
        found = memo[key] = unsupported_reason(*key)
    cap = c.cap
    if i <= ids[-1]:  # i is among the first ids of its group: leave it out
        k = bisect_left(ids, i)
        related = (ids[:k] + ids[k + 1:])[:cap]
    else:
        related = ids[:cap]
    own = c.doc_idx[i]
    if doc_counts[own] == 1 and own <= docs[-1]:
        k = bisect_left(docs, own)
        related_docs = (docs[:k] + docs[k + 1:])[:cap]
    else:
        related_docs = docs[:cap]
    return (*found, related, related_docs)



def is_unsupported(c: ClaimColumns, i: int, info: tuple) -> bool:
    """No evidence of its own, and no independent source that gives evidence states it."""
    return c.evidence[i] in UNSUPPORTED_EVIDENCE and not (info[5] - {c.unit[i]})
