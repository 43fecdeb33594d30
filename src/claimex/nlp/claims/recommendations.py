"""Remedies a recommendation names for a condition, beyond the parse's single object.

* "when treating neck pain, doctors should choose non-drug treatments (exercise, massage, yoga)":
  every remedy the choosing verb (``choosing_verbs``) takes as object TREATS the condition of its
  "when treating ..." clause;
* "recommend acupuncture as a first-line treatment for neck pain (along with massage and yoga)":
  the remedies named "along with" (``companion_preps``) a treatment for a condition treat it too.
"""

from __future__ import annotations

from typing import Any, Iterator

from .context import SentenceContext
from .evidence import attribution
from .mentions import SUBJECT_LABELS, Mention, Subject
from .rows import claim_row, label_by_role
from .tree import lemma_of
from .triggers import non_assertive

QUALS = ("duration", "amount", "population", "degree")


def recommendation_claims(ctx: SentenceContext) -> Iterator[dict[str, Any]]:
    words = ctx.rules.words
    treats = ctx.rules.trigger_sets.get("TREATS", ())
    for tok in ctx.tokens:
        if tok.pos_ == "VERB" and lemma_of(tok) in words.choosing_verbs:
            for clause in tok.children:
                if (clause.dep_ == "advcl" and lemma_of(clause) in treats
                        and any(c.lower_ in ("when", "while") for c in clause.children)):
                    conditions = _in_objects(ctx, clause, ("CONDITION",))
                    remedies = _in_objects(ctx, tok, SUBJECT_LABELS)
                    yield from _rows(ctx, remedies, conditions, tok)
        second = words.companion_preps.get(tok.lower_)
        if second is not None and tok.dep_ == "prep":
            prep = next((c for c in tok.children if c.lower_ == second), None)
            head = tok.head
            if prep is None or lemma_of(head) not in words.treatment_nouns:
                continue
            conditions = [e for c in head.children if c.dep_ == "prep" and c.lower_ == "for"
                          for o in c.children if o.dep_ == "pobj"
                          for t in (o, *o.conjuncts) if (e := _ent(ctx, t, ("CONDITION",))) is not None]
            remedies = [e for o in prep.children if o.dep_ == "pobj"
                        for t in (o, *o.conjuncts) if (e := _ent(ctx, t, SUBJECT_LABELS)) is not None]
            yield from _rows(ctx, remedies, conditions, tok)


def _ent(ctx: SentenceContext, tok, labels) -> Mention | None:
    e = ctx.tok2ent.get(tok.i)
    return e if e is not None and e.label in labels and not e.generic else None


def _in_objects(ctx: SentenceContext, verb, labels) -> list[Mention]:
    """The entities of ``labels`` in the direct objects of ``verb`` (their subtrees)."""
    out: list[Mention] = []
    for obj in verb.children:
        if obj.dep_ not in ("dobj", "obj"):
            continue
        for t in obj.subtree:
            e = _ent(ctx, t, labels)
            if e is not None and all(o is not e for o in out):
                out.append(e)
    return out


def _rows(ctx: SentenceContext, remedies: list[Mention], conditions: list[Mention], anchor):
    if not remedies or not conditions or non_assertive(ctx, anchor):
        return
    who = attribution(ctx, anchor, anchor)
    for cond in conditions:
        negated = ctx.negated(cond, anchor)
        label_by_role(cond, "TREATS")
        for rem in remedies:
            if rem.canonical != cond.canonical:
                yield claim_row(ctx, Subject.of(rem), "TREATS", cond, negated, ctx.hedges(cond, anchor), who,
                                ctx.qualifiers(QUALS))
