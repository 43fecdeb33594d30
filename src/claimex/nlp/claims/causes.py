"""Causal attribution in a noun phrase: "a case of liver injury due to chronic kratom use".

A harm (SIDE_EFFECT or CONDITION) followed by a cause phrase (``cause_phrases`` in
``claim_rules.json``: "due to", "owing to", "secondary to", ...) whose object is the use of a
substance ("kratom use", "maternal kratom ingestion") or the substance itself: the substance
CAUSES the harm.  The parser often hangs "due to" on the clause's verb; the harm is then the
nearest one before the phrase, with no verb between them.
"""

from __future__ import annotations

from typing import Any, Iterator

from .context import SentenceContext
from .evidence import attribution
from .mentions import Subject, span_root
from .rows import claim_row, label_by_role
from .tree import lemma_of, phrase_tokens


def attributed_cause_claims(ctx: SentenceContext) -> Iterator[dict[str, Any]]:
    words = ctx.rules.words
    doc = ctx.doc
    for tok in ctx.tokens:
        second = words.cause_phrases.get(tok.lower_)
        if second is None or tok.i + 1 >= ctx.sent.end or doc[tok.i + 1].lower_ != second:
            continue
        prep = doc[tok.i + 1]
        objs = [c for t in (tok, prep) for c in t.children if c.dep_ == "pobj"]
        if not objs:
            continue
        obj = objs[0]
        inside = phrase_tokens(obj)
        causes = [e for e in ctx.ents if e.label == "SUBSTANCE" and not e.generic and e.root_i in inside]
        if not causes or not (lemma_of(obj) in ctx.rules.usage_nouns or lemma_of(obj) in words.intake_nouns
                              or ctx.tok2ent.get(obj.i) in causes):
            continue
        harm = _harm_before(ctx, tok)
        if harm is None:
            continue
        negated = ctx.negated(harm, tok)
        hedges = ctx.hedges(harm, tok)
        who = attribution(ctx, tok, span_root(doc, harm))
        label_by_role(harm, "CAUSES")
        for sub in causes:
            yield claim_row(ctx, Subject.of(sub), "CAUSES", harm, negated, hedges, who,
                            ctx.qualifiers(("duration", "amount", "population", "degree")))


def _harm_before(ctx: SentenceContext, cue):
    """The harm right before the cause phrase: the nearest SIDE_EFFECT or CONDITION that ends before
    ``cue`` with no verb, clause mark or other substance between them."""
    doc = ctx.doc
    before = [e for e in ctx.ents if e.label in ("SIDE_EFFECT", "CONDITION") and not e.generic
              and e.tokens[1] <= cue.i]
    if not before:
        return None
    harm = max(before, key=lambda e: e.tokens[1])
    for i in range(harm.tokens[1], cue.i):
        t = doc[i]
        if t.pos_ in ("VERB", "AUX") or t.lower_ in (";", ":") or t.dep_ == "mark":
            return None
        e = ctx.tok2ent.get(i)
        if e is not None and e.label == "SUBSTANCE":
            return None
    return harm
