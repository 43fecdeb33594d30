"""REGULATED claims: "the FDA has not approved kratom", "banned in six states", "is legal to sell"."""

from __future__ import annotations

from typing import Any, Iterator

from .context import SentenceContext
from .evidence import attribution
from .mentions import COMPARATOR_WORDS, Mention, Subject
from .rows import claim_row
from .tree import lemma_of
from .triggers import non_assertive

CUE_POS = ("VERB", "NOUN", "ADJ", "ADV", "PROPN")


def regulatory_claims(ctx: SentenceContext) -> Iterator[dict[str, Any]]:
    """The REGULATED claims of ``ctx``'s sentence.

    The cue words are data (``claim_rules.json``, ``regulatory``); the status
    is the claim's object (``approved``, ``banned``, ``legal``, ...).  A cue in
    a negation scope, or with a ``neg`` child on itself or its head, negates
    it; a negative cue ("illegal", "unapproved") states its status negated.
    The subject is the main substance when the sentence names it, else the
    first substance named, else the main substance when the sentence refers
    to it by a pronoun ("it is banned").
    """
    reg = ctx.rules.regulatory
    if not reg:
        return
    found = _regulatory_cues(ctx, reg)
    if not found:
        return
    subj = _regulated_subject(ctx, {tok.i for tok, _, _ in found})
    if subj is None:
        return
    seen: set[tuple[str, bool]] = set()
    for tok, status, denied in found:
        obj = Mention(tok.idx, tok.idx + len(tok.text), "REGULATION", status, tok.text, (tok.i, tok.i + 1), {})
        negated = denied != _regulatory_negated(ctx, obj, tok)
        if (status, negated) in seen:
            continue
        seen.add((status, negated))
        if non_assertive(ctx, tok):
            continue
        yield claim_row(ctx, subj, "REGULATED", obj, negated, ctx.hedges(obj, tok), attribution(ctx, tok, tok),
                        ctx.qualifiers(("population",)))


def _regulatory_cues(ctx: SentenceContext, reg: dict[str, Any]) -> list[tuple[Any, str, bool]]:
    """``(token, status, denied)`` for every regulatory cue of the sentence, in text order."""
    cues, negative = reg.get("cues", {}), reg.get("negative", {})
    verb_only = set(reg.get("verb_only", ()))
    toks = ctx.tokens
    lowers, _ = ctx.rules.regulatory_words
    found: list[tuple[Any, str, bool]] = []
    for k, tok in enumerate(toks):
        low = tok.lower_
        # a two-word cue starts with one of the words of regulatory_words
        phrase2 = low + " " + toks[k + 1].lower_ if k + 1 < len(toks) and low in lowers else ""
        status, denied = None, False
        if phrase2 in cues:
            status = cues[phrase2]
        elif low in negative:
            if tok.pos_ == "ADV":
                continue  # "grown illegally", "illegally contaminated": how something was done
            if tok.dep_ == "amod" and not any(e.tokens[0] <= tok.head.i < e.tokens[1] and e.label == "SUBSTANCE"
                                              for e in ctx.ents):
                continue  # "illegal drugs", "illegal marketing": about something else
            status, denied = negative[low], True
        else:
            key = low if low in cues else lemma_of(tok)
            if key in cues and tok.pos_ in CUE_POS:
                if key in verb_only and tok.pos_ != "VERB":
                    continue  # "a dosing schedule" is no scheduling
                status = cues[key]
        if status is None:
            continue
        found.append((tok, status, denied))
    return found


def _regulatory_negated(ctx: SentenceContext, obj: Mention, tok) -> bool:
    """The cue is negated: in a negation scope (as any claim), or by a ``neg`` child of it or its
    head ("is not legal"), "never"/"no", or "no longer" before it."""
    if ctx.negated(obj, tok):
        return True
    for t in (tok, tok.head):
        if any(c.dep_ == "neg" or c.lower_ in ("never", "no") for c in t.children):
            return True
    prev = tok.doc[tok.i - 2:tok.i]
    return " ".join(t.lower_ for t in prev) == "no longer"


def _compared(ctx: SentenceContext, e: Mention) -> bool:
    """The mention is what the sentence compares with ("Unlike antidepressants, it ...")."""
    before = ctx.doc[max(e.tokens[0] - 3, ctx.sent.start):e.tokens[0]]
    return any(t.lower_ in COMPARATOR_WORDS or t.lower_ == "unlike" for t in before)


def _regulated_subject(ctx: SentenceContext, cue_tokens: set[int]) -> Subject | None:
    """The substance a regulatory statement is about (see :func:`regulatory_claims`)."""
    subs = [e for e in ctx.ents if e.label == "SUBSTANCE" and not (set(range(*e.tokens)) & cue_tokens)
            and not _compared(ctx, e)]
    named = [e for e in subs if not e.generic]
    for e in named:
        if e.canonical == ctx.main:
            return Subject.of(e)
    if named:
        return Subject.of(named[0])
    words = ctx.lower_set
    # "it is banned", "the plant was classified as illegal": the article's substance
    refers = bool(words & set(ctx.rules.pronouns)) or any(
        lemma in ctx.rules.anaphors and any(c.lower_ in ("the", "this") for c in t.children)
        for t, lemma in zip(ctx.tokens, ctx.lemmas))
    if ctx.main and (refers or words & {"it", "its"}):
        return Subject(ctx.main, ctx.main, None)
    if subs:
        return Subject.of(subs[0])
    return None
