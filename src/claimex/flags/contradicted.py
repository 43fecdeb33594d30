"""The ``contradicted`` flag by polarity: another claim of the same group states the opposite.

Another claim with the same subject, predicate and object group has the
opposite polarity — in another document or in the same one.  Besides that,
for predicate ``CAUSES``, a *negated* claim about the generic group
(``without intense side effects``) opposes every *affirmed* claim about any
side effect of the same subject, and vice versa; a negated claim about one
side effect does not oppose an affirmed claim about side effects in general.
``REGULATED`` claims never contradict each other (a regulatory status differs
by place and date), and neither do comparisons (``SAFER_THAN``) or denials
read from advice: in a sentence that advises or warns the reader ("should
not be combined with", "the CDC recommends that people not consume", "avoid
taking", "talk to your doctor"; :data:`ADVICE`) the negation is the
advice's, not the claim's, so a negated claim there takes no part (an
affirmed claim there, "…, as higher doses can intensify side effects", is
still asserted and does).

*Scope.*  Qualifiers of kinds ``amount``/``dose`` and ``duration``/``frequency``
are read as levels (low / moderate / high; short / long) through the
``level`` records.  Two claims conflict only if, in each dimension, their
levels are equal or at least one of them has no recognised level: "low doses
act as a stimulant" and "high doses are sedating" do not conflict, while
"without the sedating effects" (no amount) and "higher amounts can lead to
sedation" do.  Qualifier text without a recognised level does not scope a
claim.

*Relative claims.*  A claim whose object mention is graded by a ``relative``
cue among the 5 words before it ("without the *same level of* addiction
risk" as opioids, "*milder* side effects", "*lower risk of* respiratory
depression") compares instead of asserting or denying.  Such a claim is
flagged ``contradicted`` with severity low and score 0.2 when the opposite
polarity is claimed, but it is never counted as opposition: it flags no other
claim.  The cue must sit right before the object, because ``degree`` and
``comparator`` qualifiers are attached to every claim of a sentence.  A
denial with a comparator but no relative cue ("without the addictive risks of
prescription opioids") is an ordinary denial.

*Proportion.*  A claim stated by at least ``MAJORITY_DOCS`` (3) documents and
by at least ``MAJORITY_RATIO`` (3) times as many documents as oppose it is not
flagged by that opposition; the outnumbered opposing claims are (one or two
misread negations must not flag every source that states the opposite).

*Severity.*  Sources are near-duplicate clusters (:mod:`claimex.flags.dedup`).
high (0.9): an opposing claim comes from another source, and both that claim
and this one are asserted (not hedged); medium (0.6): opposition from another
source, but one side is hedged; low (0.3): opposition only from the same
source.

The reason quotes one opposing claim (an asserted one from another source
when there is one, else the smallest claim id) and gives the total count;
``related_claim_ids`` / ``related_doc_ids`` are the opposing claims and their
documents, sorted and capped at ``max_related``.

Opposing claims are bucketed by (group, polarity) and summarised once per
(bucket, scope) as a :class:`Summary` that every claim of the other side
reads, so the work grows linearly with the number of claims.  The dose rule
(:mod:`claimex.flags.doses`) reuses the summaries, severities and reasons'
representative claim.
"""

from __future__ import annotations

import heapq
import re
from typing import Any, NamedTuple

from ..markdown import plural
from .grouping import ClaimColumns

__all__ = ["ADVICE", "CONTRADICTION_SCORE", "MAJORITY_DOCS", "MAJORITY_RATIO", "NO_CONTRADICTION_PREDICATES", "RELATIVE_SCORE", "SEVERITY_RANK", "Summary",
           "merge_conflicts", "polarity_conflicts", "relative_phrase", "representative", "severity",
           "summarise"]

CONTRADICTION_SCORE = {"high": 0.9, "medium": 0.6, "low": 0.3}
RELATIVE_SCORE = 0.2
SEVERITY_RANK = {"low": 0, "medium": 1, "high": 2}
#: A claim stated by at least this many documents is not flagged when a single
#: document opposes it: the lone opposing claim is (the flag goes on it).
MAJORITY_DOCS = 3
#: ... and by at least this many times as many documents as the opposing side.
MAJORITY_RATIO = 3
#: A sentence that advises or warns the reader: its negated claims take no part in contradictions.
ADVICE = re.compile(
    r"\b(?:should(?:n['’]t| not)?|must not|(?:recommend|recommends|recommended|urge|urges|urged|advise|advises"
    r"|advised) (?:that )?(?:people|users|consumers|patients|you|the public|anyone)|advis(?:e|es|ed) against"
    r"|(?:do not|don['’]t|never|avoid) (?:take|taking|use|using|consume|consuming|combine|combining|mix|mixing"
    r"|exceed|exceeding|drive|driving|buy|buying)|(?:talk|speak|consult|check) (?:to |with )?(?:your|a) "
    r"(?:doctor|physician|healthcare provider|health care provider|pharmacist))\b", re.IGNORECASE)
#: Predicates whose claims never contradict: a status differs by place and date, a comparison compares.
NO_CONTRADICTION_PREDICATES = frozenset({"REGULATED", "SAFER_THAN"})

_MISSING = object()


class Summary(NamedTuple):
    """What a claim needs to know about the claims opposing it.

    Claims are numbered in ``claim_id`` order and documents in ``doc_id``
    order, so sorted indices are sorted ids.
    """

    n: int                      # opposing claims
    n_docs: int                 # their distinct documents
    ids: tuple[int, ...]        # smallest claim indices (capped)
    docs: tuple[int, ...]       # smallest document indices (capped)
    clusters: tuple[str, ...]   # up to 2 distinct source clusters among them
    asserted: tuple[str, ...]   # up to 2 distinct clusters among the asserted ones
    rep1: int                   # representative claim
    rep2: int                   # best claim from another cluster than rep1 (-1: none)


def summarise(c: ClaimColumns, idxs: list[int]) -> Summary:
    """The :class:`Summary` of the opposing claims ``idxs``."""
    cap, doc_idx, cluster, hedged = c.cap, c.doc_idx, c.cluster, c.hedged_eff
    ids = tuple(heapq.nsmallest(cap, idxs))
    docset = {doc_idx[i] for i in idxs}
    docs = tuple(heapq.nsmallest(cap, docset))
    clusters: list[str] = []
    asserted: list[str] = []
    for i in idxs:
        k = cluster[i]
        if len(clusters) < 2 and k not in clusters:
            clusters.append(k)
        if not hedged[i] and len(asserted) < 2 and k not in asserted:
            asserted.append(k)
        if len(clusters) == 2 and len(asserted) == 2:
            break
    # representative: asserted first, then smallest claim id (= smallest index)
    rep1 = min(idxs, key=lambda i: (hedged[i], i))
    c1 = cluster[rep1]
    rep2 = min((i for i in idxs if cluster[i] != c1), key=lambda i: (hedged[i], i), default=-1)
    return Summary(len(idxs), len(docset), ids, docs, tuple(clusters), tuple(asserted), rep1, rep2)


def severity(c: ClaimColumns, i: int, summ: Summary) -> str:
    """high: asserted on both sides across sources; medium: across sources; low: within one."""
    mine = c.cluster[i]
    if not c.hedged_eff[i] and any(k != mine for k in summ.asserted):
        return "high"
    if any(k != mine for k in summ.clusters):
        return "medium"
    return "low"


def representative(c: ClaimColumns, i: int, summ: Summary) -> int:
    """The opposing claim a reason quotes: from another source than ``i`` when there is one."""
    if summ.rep2 < 0 or c.cluster[summ.rep1] != c.cluster[i]:
        return summ.rep1
    return summ.rep2


def polarity_conflicts(c: ClaimColumns) -> dict[int, tuple]:
    """``{claim index: (severity, score, reason, claim indices, doc indices)}`` of the claims
    opposed by another claim of the opposite polarity (rules: module docstring)."""
    conflicts: dict[int, tuple] = {}
    n, subject, negated = c.n, c.subject, c.negated
    is_se, is_generic = c.is_se, c.is_generic
    has_cue: dict[str, bool] = {}
    relative = [relative_phrase(c, i, has_cue) for i in range(n)]
    sig = list(zip(c.amount, c.duration))
    gcode: dict[tuple, int] = {}
    gid = [0] * n
    for i, key in enumerate(zip(subject, c.predicate, c.group)):
        code = gcode.get(key)
        if code is None:
            code = gcode[key] = len(gcode)
        gid[i] = code
    # buckets of opposition: (object group, negated) and ("SE", subject) for affirmed side effects
    buckets: dict[tuple, dict[tuple, list[int]]] = {}
    # A regulatory status differs by place and date ("legal in California",
    # "banned in Alabama"), a comparison compares, advice advises: none of
    # them contradicts or is contradicted.
    advice_memo: dict[str, bool] = {}

    def is_advice(text: str) -> bool:
        found = advice_memo.get(text)
        if found is None:
            found = advice_memo[text] = ADVICE.search(text) is not None
        return found

    regulatory = [p in NO_CONTRADICTION_PREDICATES or (negated[k] and is_advice(c.text[k] or ""))
                  for k, p in enumerate(c.predicate)]
    for i in range(n):
        if relative[i] is not None or regulatory[i]:
            continue  # a comparison is not opposition
        for key in (((gid[i], negated[i]), ("SE", subject[i])) if is_se[i] and not negated[i]
                    else ((gid[i], negated[i]),)):
            by_sig = buckets.get(key)
            if by_sig is None:
                by_sig = buckets[key] = {}
            members = by_sig.get(sig[i])
            if members is None:
                members = by_sig[sig[i]] = []
            members.append(i)
    memo: dict[tuple, Any] = {}
    texts: dict[tuple, str] = {}
    side_docs: dict[tuple, int] = {}
    for i in range(n):
        if regulatory[i]:
            continue
        if negated[i]:
            keys: tuple = (("SE", subject[i]),) if is_generic[i] else ((gid[i], False),)
        else:
            # An affirmed side effect is opposed by denials of its own group only: a
            # blanket denial ("without the side effects") is flagged once, on the
            # denial, with the side effects it opposes as its related claims, instead
            # of putting a flag on every side effect named anywhere in the corpus.
            keys = ((gid[i], True),)
        mkey = (keys, sig[i])
        entry = memo.get(mkey, _MISSING)
        if entry is _MISSING:
            entry = memo[mkey] = _opposing(c, keys, sig[i], buckets)
        if entry is not None and _outnumbered_opposition(c, i, entry[0], buckets, gid, side_docs):
            continue
        if entry is not None:
            conflicts[i] = _polarity_conflict(c, i, entry, relative[i], texts)
    return conflicts


def _outnumbered_opposition(c: ClaimColumns, i: int, opposing: Summary, buckets: dict, gid: list[int],
                            side_docs: dict[tuple, int]) -> bool:
    """True when claim ``i``'s side is stated by >= MAJORITY_DOCS documents and by
    >= MAJORITY_RATIO times as many documents as the opposing side: contradictions in
    proportion (a misread negation must not flag every source that states the opposite)."""
    if opposing.n_docs * MAJORITY_RATIO > len(c.doc_ids):
        return False
    key = (gid[i], c.negated[i])
    opp_sigs = tuple(sorted({(c.amount[k], c.duration[k]) for k in opposing.ids}, key=repr))
    n_docs = side_docs.get((key, opp_sigs))
    if n_docs is None:
        # the claims on i's side that the opposing claims oppose: levels compatible with theirs
        def opposed(a2, d2) -> bool:
            return any((a is None or a2 is None or a == a2) and (d is None or d2 is None or d == d2)
                       for a, d in opp_sigs)
        members = [j for (a2, d2), group in buckets.get(key, {}).items() if opposed(a2, d2) for j in group]
        n_docs = side_docs[(key, opp_sigs)] = len({c.doc_idx[j] for j in members})
    return n_docs >= MAJORITY_DOCS and n_docs >= MAJORITY_RATIO * opposing.n_docs


def _opposing(c: ClaimColumns, keys: tuple, sig: tuple, buckets: dict) -> tuple[Summary, str] | None:
    idxs: list[int] = []
    a, d = sig
    for key in keys:
        for (a2, d2), members in buckets.get(key, {}).items():
            if (a is None or a2 is None or a == a2) and (d is None or d2 is None or d == d2):
                idxs.extend(members)
    if not idxs:
        return None
    summ = summarise(c, idxs)
    count = (f" {plural(summ.n, 'opposing claim')} in {plural(summ.n_docs, 'document')}."
             if summ.n > 1 else "")
    return summ, count


def _polarity_conflict(c: ClaimColumns, i: int, entry: tuple[Summary, str], relative: str | None,
                       texts: dict[tuple, str]) -> tuple:
    summ, count = entry
    rep = representative(c, i, summ)
    same_doc = c.doc_idx[rep] == c.doc_idx[i]
    text_key = (rep, same_doc, c.object[i], c.is_generic[i])
    opposing = texts.get(text_key)
    if opposing is None:
        if c.object[rep] == c.object[i]:
            note = ""
        elif c.is_generic[i] != c.is_generic[rep]:
            note = f' ("{c.lex.generic_group}" covers every side effect)'
        else:
            note = f' (same group "{c.group[i]}")'
        verb = "denies" if c.negated[rep] else "asserts"
        opposing = texts[text_key] = (f'{c.where(rep, i)} {verb} that {c.stmt(rep)}{note}: '
                                      f'"{c.quote(rep)}".')
    lead = "Denies" if c.negated[i] else "Asserts"
    if relative is not None:
        compared = f", compared with {c.comparator[i]}" if c.comparator[i] else ""
        reason = (f'{lead} that {c.stmt(i)} only relatively ("{relative}"{compared}); '
                  f"{opposing}{count} A comparison is a weak contradiction.")
        sev, score = "low", RELATIVE_SCORE
    else:
        reason = f"{lead} that {c.stmt(i)}; {opposing}{count}"
        sev = severity(c, i, summ)
        score = CONTRADICTION_SCORE[sev]
    return sev, score, reason, summ.ids, summ.docs


def relative_phrase(c: ClaimColumns, i: int, has_cue: dict[str, bool]) -> str | None:
    """The relative phrase grading the claim's object ("same level of addiction"), if any.

    A relative cue must occur among the ``relative_window_words`` words right
    before a mention of the object; the phrase runs from the cue to the end
    of the mention.  ``has_cue`` memoises the quick whole-text check.
    """
    text = c.text[i] or ""
    found = has_cue.get(text)
    if found is None:
        found = has_cue[text] = c.lex.is_relative(text)
    if not found:
        return None
    window = c.s.relative_window_words
    for m in c.mentions(i, text):
        words = text[:m.start()].split()[-window:]
        for j in range(len(words) - 1, -1, -1):
            if c.lex.is_relative(" ".join(words[j:])):
                return " ".join([*words[j:], m.group(0)]).strip(" ,;:.()\"'")
    return None


def merge_conflicts(pol: tuple | None, dose: tuple | None, cap: int) -> tuple:
    """One ``contradicted`` flag for a claim with a polarity and/or a dose conflict:
    the higher severity and score, both reasons, the union of the related ids."""
    if pol is None or dose is None:
        return pol or dose
    severity_ = max(pol[0], dose[0], key=SEVERITY_RANK.__getitem__)
    return (severity_, max(pol[1], dose[1]), f"{pol[2]} {dose[2]}",
            sorted(set(pol[3]) | set(dose[3]))[:cap], sorted(set(pol[4]) | set(dose[4]))[:cap])
