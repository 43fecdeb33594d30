"""Lists after a lead-in: "Side effects of kratom include:" gives its subject and predicate to the items.

A sentence ending in ":" that names a predicate (a side effect or a causal
trigger: CAUSES; a treatment trigger, "use", "benefit", "for": TREATS; an
effect: HAS_EFFECT) is a lead-in; every condition, side effect or effect
named in the list items below it is a claim of the lead-in's subject.  A
lead-in that names no remedy but the conditions or effects a relief is for
("The best herbs for anxiety include:", "These herbs may help you sleep:")
lists remedies: the remedy each item names treats them (or has the effect).
The first line that is not a list item ends the list.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator

from ..cues import Cue
from .context import SentenceContext
from .evidence import attribution
from .mentions import SUBJECT_LABELS, Mention, Subject
from .rows import claim_row, label_by_role

ITEM_LABELS = ("CONDITION", "SIDE_EFFECT", "EFFECT")


@dataclass
class LeadIn:
    """A sentence ending in ":" that governs the list after it ("Side effects of kratom include:")."""

    subject: Subject
    predicate: str
    hedge_cues: list[Cue]
    who: str
    status: Mention | None = None  # REGULATED: the status the lead-in names ("affected by the recall")
    negated: bool = False
    # a list of remedies: what the lead-in says they treat or do ("The best herbs for anxiety include:")
    objects: tuple[Mention, ...] = ()


def lead_in(ctx: SentenceContext) -> LeadIn | None:
    """The subject and predicate that a lead-in passes to its list items, or None."""
    words = ctx.rules.words
    sets = ctx.rules.trigger_sets
    lemmas = ctx.lemma_set
    regulated = _regulatory_lead(ctx)
    if regulated is not None:
        return regulated
    causes = sets.get("CAUSES", frozenset())
    treats = sets.get("TREATS", frozenset()) | {"use", "benefit", "help", "treat", "for"}
    if any(e.label == "SIDE_EFFECT" for e in ctx.ents) or lemmas & (causes - words.weak_causal_lemmas) or (
            lemmas & causes and not lemmas & treats):
        # "include", "have", "report" name a cause only when nothing names a relief
        # ("The benefits of ginger include:" lists what it treats)
        predicate = "CAUSES"
        from .sentence import _entity_subject
        from .subjects import grammatical_subject

        causal = [t for t, lemma in zip(ctx.tokens, ctx.lemmas) if lemma in causes]
        remedies = [e for e in ctx.ents if e.label in SUBJECT_LABELS and not e.generic]
        if causal and not remedies and _entity_subject(ctx, causal[-1], None):
            return None  # "salmonellosis, an illness that causes symptoms such as:": not the remedy's
        lead_subject = grammatical_subject(ctx, causal[-1]) if causal else None
        if lead_subject is not None and not remedies and _symptoms_of_condition(ctx, lead_subject):
            return None  # "Common fibromyalgia symptoms include:": the illness's, not the remedy's
        if lead_subject is not None and (lead_subject.lemma_ or "").lower() in words.sign_nouns:
            return None  # "The signs of being addicted to kratom include:": behaviours, not harms
    elif lemmas & treats:
        predicate = "TREATS"
    elif any(e.label == "EFFECT" for e in ctx.ents):
        predicate = "HAS_EFFECT"
    else:
        return None
    named = [e for e in ctx.ents if e.label in SUBJECT_LABELS and not e.generic]
    relieved = tuple(e for e in ctx.ents if e.label in ("CONDITION", "EFFECT") and not e.generic)
    remedies_listed = predicate != "CAUSES" and not named and relieved and not any(
        e.label == "SIDE_EFFECT" for e in ctx.ents)
    if named:
        subject = Subject.of(named[0])
    elif ctx.main or remedies_listed:
        subject = Subject(ctx.main or "", ctx.main or "", None)
    else:
        return None
    hedge_cues = [c for c in ctx.cues if c.kind == "hedge"]
    return LeadIn(subject, predicate, hedge_cues, attribution(ctx, None, ctx.sent.root),
                  objects=relieved if remedies_listed else ())


def _symptoms_of_condition(ctx: SentenceContext, subj) -> bool:
    """``subj`` is a symptom noun of a condition: "fibromyalgia symptoms", "signs of arthritis"."""
    if subj is None or (subj.lemma_ or subj.text).lower() not in ctx.rules.words.symptom_nouns:
        return False
    for tok in subj.subtree:
        e = ctx.tok2ent.get(tok.i)
        if e is not None and e.label == "CONDITION" and not e.generic:
            return True
    return False


def _regulatory_lead(ctx: SentenceContext) -> LeadIn | None:
    """A lead-in that names a regulatory status and no side effect ("Products affected by the
    recall include:", "States that have banned kratom:"): its items are REGULATED claims."""
    from .regulatory import _regulatory_cues, _regulatory_negated

    reg = ctx.rules.regulatory
    if not reg or not ctx.regulatory_words_here or any(e.label == "SIDE_EFFECT" for e in ctx.ents):
        return None
    found = _regulatory_cues(ctx, reg)
    if not found:
        return None
    tok, status, denied = found[0]
    obj = Mention(tok.idx, tok.idx + len(tok.text), "REGULATION", status, tok.text, (tok.i, tok.i + 1), {})
    named = [e for e in ctx.ents if e.label in SUBJECT_LABELS and not e.generic]
    if named:
        subject = Subject.of(named[0])
    elif ctx.main:
        subject = Subject(ctx.main, ctx.main, None)
    else:
        return None
    negated = denied != _regulatory_negated(ctx, obj, tok)
    hedge_cues = [c for c in ctx.cues if c.kind == "hedge"]
    return LeadIn(subject, "REGULATED", hedge_cues, attribution(ctx, tok, tok), obj, negated)


def list_item_claims(ctx: SentenceContext, lead: LeadIn, taken: set[int]) -> Iterator[dict[str, Any]]:
    """Claims of one list item under a lead-in: every condition, side effect or effect it names
    whose start is not in ``taken`` (the objects of the item's own claims); under a regulatory
    lead-in, the item's status (of the substance the item names, else of the lead-in's subject)."""
    if lead.predicate == "REGULATED":
        if lead.status is not None:
            named = [e for e in ctx.ents if e.label == "SUBSTANCE" and not e.generic]
            subject = Subject.of(named[0]) if named else lead.subject
            yield claim_row(ctx, subject, "REGULATED", lead.status, lead.negated, lead.hedge_cues, lead.who, [])
        return
    if lead.objects:
        yield from _listed_remedy_claims(ctx, lead)
        if not lead.subject.canonical:
            return
    for ent in ctx.ents:
        if ent.start in taken or ent.label not in ITEM_LABELS:
            continue
        if ent.label == "EFFECT":
            predicate = "HAS_EFFECT"
        elif lead.predicate == "HAS_EFFECT":
            predicate = "TREATS" if ent.label == "CONDITION" else "CAUSES"
        else:
            predicate = lead.predicate
        if ent.canonical == lead.subject.canonical:
            continue
        label_by_role(ent, predicate)
        negated = ctx.negated(ent, None)
        yield claim_row(ctx, lead.subject, predicate, ent, negated, lead.hedge_cues, lead.who, [])


def _listed_remedy_claims(ctx: SentenceContext, lead: LeadIn) -> Iterator[dict[str, Any]]:
    """The claims of an item under a lead-in that lists remedies: the item's first remedy (with
    those coordinated with it: "Kava and chamomile") treats the lead-in's conditions and has its
    effects."""
    remedies = [e for e in ctx.ents if e.label in SUBJECT_LABELS and not e.generic]
    if not remedies:
        return
    first = remedies[0]
    root = ctx.doc[first.root_i]
    conj = {t.i for t in root.conjuncts}
    chosen = [first] + [e for e in remedies[1:] if e.root_i in conj and e.canonical != first.canonical]
    for remedy in chosen:
        for obj in lead.objects:
            if obj.canonical == remedy.canonical:
                continue
            predicate = "HAS_EFFECT" if obj.label == "EFFECT" else "TREATS"
            yield claim_row(ctx, Subject.of(remedy), predicate, obj, lead.negated, lead.hedge_cues, lead.who, [])
