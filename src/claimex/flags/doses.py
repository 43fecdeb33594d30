"""The ``contradicted`` flag between doses: a recommended or starting dose that reaches a stated limit.

Affirmed ``DOSAGE`` claims with a dose are compared per subject, unit (mg,
mcg and kg converted to g; other units only with themselves) and period
(``day``; a dose without period counts as one day's amount).  The
``dose_role`` records of the claim-group lexicon give each claim a role from
its qualifiers and text: ``limit`` (upper limit, maximum, …), ``warning``
(high doses, …: not a recommendation, never compared), ``starting``, or, with
no cue, ``recommended``.  A starting or recommended dose whose upper value
reaches (``>=``) the lower value of a limit stated by another claim conflicts
with it: a moderate 5–15 g against an upper limit of 12–15 g (15 ≥ 12); a
starting dose of 20 g against a maximum of 15 g.  Both claims are flagged,
severity as for polarity conflicts (:mod:`claimex.flags.contradicted`).  Per
group the limits are sorted by their lower value and the recommendations by
their upper value, so the conflicting claims of any claim are a prefix found
by bisection.  A claim with both a polarity and a dose conflict gets one
``contradicted`` flag with both reasons
(:func:`claimex.flags.contradicted.merge_conflicts`).
"""

from __future__ import annotations

from bisect import bisect_right, insort

from ..markdown import plural
from .contradicted import CONTRADICTION_SCORE, Summary, representative, severity
from .grouping import ClaimColumns

__all__ = ["dose_conflicts", "fmt_dose", "fmt_period"]


def fmt_dose(c: ClaimColumns, i: int) -> str:
    """``5–15 g``, ``15 g``: the claim's dose as its reason writes it."""
    lo, hi, unit = c.dose_min[i], c.dose_max[i], c.dose_unit[i] or ""
    if lo is not None and hi is not None and lo != hi:
        return f"{lo:g}\u2013{hi:g} {unit}".rstrip()
    return f"{(lo if lo is not None else hi):g} {unit}".rstrip()


def fmt_period(c: ClaimColumns, i: int) -> str:
    """`` per day``, `` within 24 hours`` (or ``""``): the claim's dose period as a reason writes it."""
    period = (c.dose_period[i] or "").strip()
    if not period:
        return ""
    first = period.split()[0].casefold()
    if first in ("per", "within", "a", "an", "each", "every", "in", "over", "daily", "for"):
        return f" {period}"
    return f" per {period}"


def dose_conflicts(c: ClaimColumns) -> dict[int, tuple]:
    """``{claim index: (severity, score, reason, claim indices, doc indices)}`` of the dose
    claims that reach a limit stated by another claim, and of those limits."""
    conflicts: dict[int, tuple] = {}
    lex = c.lex
    limits: dict[tuple, list[tuple[float, int]]] = {}
    recs: dict[tuple, list[tuple[float, int]]] = {}
    for i in range(c.n):
        if c.predicate[i] != "DOSAGE" or c.negated[i]:
            continue
        lo, hi = c.dose_min[i], c.dose_max[i]
        if lo is None and hi is None:
            continue
        unit = lex.unit(c.dose_unit[i])
        if unit is None:
            continue
        base, factor = unit
        role = lex.dose_role(f"{c.qual_text[i]} {c.text[i]}")
        key = (c.subject[i], base, lex.period(c.dose_period[i]))
        if role == "limit":
            limits.setdefault(key, []).append(((lo if lo is not None else hi) * factor, i))
        elif role in ("starting", "recommended"):
            # negated upper value: sorting ascending puts the largest dose first
            recs.setdefault(key, []).append((-(hi if hi is not None else lo) * factor, i))
    for key, lims in limits.items():
        rs = recs.get(key)
        if not rs:
            continue
        lims.sort()
        rs.sort()
        lim_values = [v for v, _ in lims]
        rec_values = [v for v, _ in rs]
        lim_prefix = _prefixes(c, [i for _, i in lims])
        rec_prefix = _prefixes(c, [i for _, i in rs])
        for neg_hi, i in rs:
            k = bisect_right(lim_values, -neg_hi)  # limits whose lower value <= my upper value
            if k:
                conflicts[i] = _dose_conflict(c, i, lim_prefix[k - 1], limit_side=False)
        for lo, i in lims:
            k = bisect_right(rec_values, -lo)  # doses whose upper value >= my lower value
            if k:
                conflicts[i] = _dose_conflict(c, i, rec_prefix[k - 1], limit_side=True)
    return conflicts


def _prefixes(c: ClaimColumns, order: list[int]) -> list[Summary]:
    """The :class:`Summary` of every prefix of ``order``, in one pass."""
    cap, out = c.cap, []
    ids: list[int] = []
    docs: list[int] = []
    docset: set[int] = set()
    clusters: list[str] = []
    asserted: list[str] = []
    rep1, rep2 = order[0], -1
    for pos, i in enumerate(order):
        if len(ids) < cap or i < ids[-1]:
            insort(ids, i)
            del ids[cap:]
        d = c.doc_idx[i]
        if d not in docset:
            docset.add(d)
            if len(docs) < cap or d < docs[-1]:
                insort(docs, d)
                del docs[cap:]
        k = c.cluster[i]
        if len(clusters) < 2 and k not in clusters:
            clusters.append(k)
        if not c.hedged_eff[i] and len(asserted) < 2 and k not in asserted:
            asserted.append(k)
        if rep2 < 0 and k != c.cluster[rep1]:
            rep2 = i
        out.append(Summary(pos + 1, len(docset), tuple(ids), tuple(docs), tuple(clusters),
                           tuple(asserted), rep1, rep2))
    return out


def _dose_conflict(c: ClaimColumns, i: int, summ: Summary, *, limit_side: bool) -> tuple:
    rep = representative(c, i, summ)
    where = c.where(rep, i)
    if limit_side:
        reason = (f"Gives an upper limit of {fmt_dose(c, i)}{fmt_period(c, i)}; "
                  f'{where} says "{c.quote(rep)}" ({fmt_dose(c, rep)}), which reaches it.')
        what = "conflicting dose"
    else:
        reason = (f'Says "{c.quote(i)}" ({fmt_dose(c, i)}); {where} gives an upper limit '
                  f"of {fmt_dose(c, rep)}{fmt_period(c, rep)}.")
        what = "conflicting upper limit"
    if summ.n > 1:
        reason += f" {plural(summ.n, what)} in {plural(summ.n_docs, 'document')}."
    sev = severity(c, i, summ)
    return sev, CONTRADICTION_SCORE[sev], reason, summ.ids, summ.docs
