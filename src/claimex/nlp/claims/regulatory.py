"""REGULATED claims: "the FDA has not approved kratom", "banned in six states", "is legal to sell"."""

from __future__ import annotations

import re
from typing import Any, Iterator

from .context import SentenceContext
from .evidence import attribution
from .mentions import Mention, Subject
from .rows import claim_row
from .tree import ancestors, lemma_of
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
    if not reg or not ctx.regulatory_words_here:
        return
    found = _regulatory_cues(ctx, reg)
    if not found:
        return
    subj = _regulated_subject(ctx, {tok.i for tok, _, _ in found})
    if subj is None:
        return
    if ctx.text.rstrip().endswith(":") and subj.span is not None and _is_generic_at(ctx, subj):
        return  # "Products affected by the recall include:": the items below are the claims
    attempts = frozenset(reg.get("attempt_verbs", ()))
    seen: set[tuple[str, bool]] = set()
    for tok, status, denied in found:
        obj = Mention(tok.idx, tok.idx + len(tok.text), "REGULATION", status, tok.text, (tok.i, tok.i + 1), {})
        negated = denied != _regulatory_negated(ctx, obj, tok)
        if (status, negated) in seen:
            continue
        seen.add((status, negated))
        if (non_assertive(ctx, tok) and not _in_apposition(tok)) or any(lemma_of(a) in attempts for a in ancestors(tok, ctx.max_hops)[1:]):
            continue  # "attempted to classify kratom as a controlled substance": not given
        owner = _apposition_owner(ctx, tok)  # "kava, a legal herb,": the substance the apposition is about
        yield claim_row(ctx, owner or subj, "REGULATED", obj, negated, ctx.hedges(obj, tok), attribution(ctx, tok, tok),
                        ctx.qualifiers(("population",)))


def _in_apposition(tok) -> bool:
    """``tok`` modifies an apposition before any verb ("Whether kava, a legal herb, should be ...": the
    apposition is stated whatever the clause around it asks)."""
    for anc in ancestors(tok, 4)[1:]:
        if anc.pos_ in ("VERB", "AUX"):
            return False
        if anc.dep_ == "appos":
            return True
    return tok.dep_ == "appos"


def _apposition_owner(ctx: SentenceContext, tok) -> Subject | None:
    """The named substance whose apposition ``tok`` modifies, or None."""
    for anc in ancestors(tok, 4):
        if anc.pos_ in ("VERB", "AUX"):
            return None
        if anc.dep_ == "appos":
            e = ctx.tok2ent.get(anc.head.i)
            return Subject.of(e) if e is not None and e.label == "SUBSTANCE" and not e.generic else None
    return None


def _regulatory_cues(ctx: SentenceContext, reg: dict[str, Any]) -> list[tuple[Any, str, bool]]:
    """``(token, status, denied)`` for every regulatory cue of the sentence, in text order."""
    cues, negative = reg.get("cues", {}), reg.get("negative", {})
    verb_only = set(reg.get("verb_only", ()))
    institutions = frozenset(reg.get("institution_nouns", ()))
    use_nouns = frozenset(reg.get("use_nouns", ()))
    restriction = _restriction_re(reg)
    toks = ctx.tokens
    lowers, _ = ctx.rules.regulatory_words
    found: list[tuple[Any, str, bool]] = []
    skip_to = -1
    for k, tok in enumerate(toks):
        if k < skip_to:
            continue  # inside a phrase already read
        low = tok.lower_
        status, denied, phrase_end = None, False, k + 1
        if low in lowers:
            # a phrase of two or three tokens, read on the text ("controlled substance", "off-label")
            for n in (3, 2):
                if k + n <= len(toks):
                    phrase = "".join(t.text_with_ws for t in toks[k:k + n]).strip().lower()
                    if phrase in cues or phrase in negative:
                        status, denied = (cues[phrase], False) if phrase in cues else (negative[phrase], True)
                        phrase_end = k + n
                        break
        head_tok = toks[phrase_end - 1] if phrase_end > k + 1 else tok
        if status is None and low in negative:
            if tok.pos_ == "ADV":
                continue  # "grown illegally", "illegally contaminated": how something was done
            status, denied = negative[low], True
        elif status is None:
            key = low if low in cues else lemma_of(tok)
            if key in cues and tok.pos_ in CUE_POS:
                if key in verb_only and tok.pos_ != "VERB":
                    continue  # "a dosing schedule" is no scheduling
                if key == "regulate" and not _regulates_a_remedy(ctx, tok, reg):
                    continue  # "magnesium regulates blood pressure": biology, not regulation
                status = cues[key]
                if key == "regulate" and tok.pos_ == "VERB" and _for_a_use(tok, reg):
                    status = "approved"  # "regulated by the FDA for the treatment of nausea": a permitted use
        if status is None:
            continue
        if _describes_other(ctx, head_tok, use_nouns):
            continue  # "illegal drugs", "the legal landscape": about something else
        if _names_institution(head_tok, institutions) or _in_proper_name(head_tok):
            continue  # "the narcotics law", "Ban Na San district"
        if denied and restriction is not None and restriction.search(ctx.text, tok.idx - ctx.sent.start_char):
            status, denied = "restricted", False  # "illegal to sell to anyone under the age of 18"
        skip_to = phrase_end
        found.append((tok, status, denied))
    return found


def _restriction_re(reg: dict[str, Any]):
    pat = reg.get("restriction")
    if not pat:
        return None
    cache = _RESTRICTION_RES.get(pat)
    if cache is None:
        cache = _RESTRICTION_RES[pat] = re.compile(pat, re.I)
    return cache


_RESTRICTION_RES: dict[str, Any] = {}


def _describes_other(ctx: SentenceContext, tok, use_nouns: frozenset[str]) -> bool:
    """An adjective cue modifying a noun that is no substance ("illegal drugs", "legal challenges"),
    unless the noun is a use of one ("an off-label use", "off-label therapy"); a kind ("the
    approved drugs") is another substance unless a remedy names it ("banned kratom products") or
    it is what the subject is ("kratom is a legal substance")."""
    if tok.dep_ != "amod" or tok.pos_ not in ("ADJ", "VERB", "NOUN", "PROPN") or tok.head.pos_ not in ("NOUN", "PROPN"):
        return False
    head = tok.head
    if lemma_of(head) in use_nouns:
        return False
    e = ctx.tok2ent.get(head.i)
    if e is not None and e.generic and head.dep_ not in ("attr", "appos", "oprd") \
            and not (head.dep_ == "pobj" and head.head.lower_ == "as"):  # "regard kratom as a narcotic drug"
        if any(c.dep_ in ("det", "poss") and c.lower_ in ("this", "that", "these", "those", "its", "their")
               for c in head.children):
            return False  # "this dangerous legal product": the remedy spoken of
        return not any(c.dep_ in ("compound", "nmod", "amod", "poss") and (m := ctx.tok2ent.get(c.i)) is not None
                       and m.label == "SUBSTANCE" and not m.generic for c in head.children)
    if e is None and _what_the_subject_is(ctx, head):
        return False  # "kratom is not an illegal substance", "kava, a legal herb,": the subject's status
    return e is None or not (e.label == "SUBSTANCE" or e.generic)


def _what_the_subject_is(ctx: SentenceContext, noun) -> bool:
    """``noun`` is an anaphor kind noun ("substance", "drug", "herb") that names a substance of the
    sentence: the complement of a copula whose subject it is, or in apposition to it."""
    if lemma_of(noun) not in ctx.rules.anaphors:
        return False
    if noun.dep_ == "appos":
        named = [noun.head]
    elif noun.dep_ == "attr" and lemma_of(noun.head) == "be":
        named = [c for c in noun.head.children if c.dep_ in ("nsubj", "nsubjpass")]
    else:
        return False
    for t in named:
        e = ctx.tok2ent.get(t.i)
        if (e is not None and e.label == "SUBSTANCE" and not e.generic) or lemma_of(t) in ctx.rules.pronouns:
            return True
    return False


def _names_institution(tok, institutions: frozenset[str]) -> bool:
    """The cue is a modifier in the name of a law or an institution ("narcotics law")."""
    return tok.dep_ in ("compound", "nmod", "amod") and tok.head.i != tok.i and (
        lemma_of(tok.head) in institutions
        or (tok.head.dep_ == "compound" and lemma_of(tok.head.head) in institutions))


def _in_proper_name(tok) -> bool:
    """A capitalised cue inside a multi-word proper name ("Ban Na San district")."""
    if tok.pos_ != "PROPN" or not tok.text[:1].isupper() or tok.is_sent_start:
        return False
    return tok.dep_ == "compound" or any(c.dep_ == "compound" and c.pos_ == "PROPN" for c in tok.children)


def _regulates_a_remedy(ctx: SentenceContext, tok, reg: dict[str, Any]) -> bool:
    """"regulate" with a substance (or its sale, use ...) as object, or with none ("regulate or ban kratom")."""
    objects = set(reg.get("regulate_objects", ()))
    for c in tok.children:
        if c.dep_ in ("dobj", "obj"):
            e = ctx.tok2ent.get(c.i)
            return (e is not None and e.label == "SUBSTANCE") or lemma_of(c) in objects \
                or lemma_of(c) in ctx.rules.pronouns or lemma_of(c) in ctx.rules.anaphors
    return True


def _for_a_use(tok, reg: dict[str, Any]) -> bool:
    """The verb names the use it permits: "for the treatment of X", "for the relief of Y" (``use_purposes``)."""
    purposes = frozenset(reg.get("use_purposes", ()))
    return any(c.dep_ == "prep" and c.lower_ == "for" and any(
        o.dep_ == "pobj" and lemma_of(o) in purposes for o in c.children) for c in tok.children)


def _regulatory_negated(ctx: SentenceContext, obj: Mention, tok) -> bool:
    """The cue is negated: in a negation scope (as any claim), or by a ``neg`` child of it or its
    head ("is not legal"), "never"/"no", or "no longer" before it."""
    if ctx.negated(obj, tok):
        return True
    for t in (tok, tok.head):
        if any(c.dep_ == "neg" or c.lower_ in ("never", "no") for c in t.children):
            return True
    prev = " ".join(t.lower_ for t in tok.doc[max(tok.i - 3, ctx.sent.start):tok.i])
    return "no longer" in prev  # "no longer (be) illegal"


def _compared(ctx: SentenceContext, e: Mention) -> bool:
    """The mention is what the sentence compares with ("Unlike antidepressants, it ...")."""
    before = ctx.doc[max(e.tokens[0] - 3, ctx.sent.start):e.tokens[0]]
    words = ctx.rules.words.comparator_words
    return any(t.lower_ in words or t.lower_ == "unlike" for t in before)


def _is_generic_at(ctx: SentenceContext, subj: Subject) -> bool:
    return any(e.generic and (e.start, e.end) == tuple(subj.span) for e in ctx.ents)


def _regulated_subject(ctx: SentenceContext, cue_tokens: set[int]) -> Subject | None:
    """The substance a regulatory statement is about (see :func:`regulatory_claims`).

    A substance that names a law or an institution ("the narcotics law") is none; a cue noun
    with a definite determiner or a possessor ("The recall comes amid ...", "Tuesday's recall")
    stands for the article's substance when the sentence names none.
    """
    institutions = frozenset((ctx.rules.regulatory or {}).get("institution_nouns", ()))
    subs = [e for e in ctx.ents if e.label == "SUBSTANCE" and not (set(range(*e.tokens)) & cue_tokens)
            and not _compared(ctx, e) and not _names_institution(ctx.doc[e.root_i], institutions)]
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
    if ctx.main and not subs and any(_definite_noun(ctx.doc[i]) for i in cue_tokens):
        return Subject(ctx.main, ctx.main, None)
    if subs:
        return Subject.of(subs[0])
    return None


def _definite_noun(tok) -> bool:
    """A noun with "the"/"this"/"that" or a possessor: "the recall", "Tuesday's recall"."""
    return tok.pos_ == "NOUN" and any((c.dep_ == "det" and c.lower_ in ("the", "this", "that")) or c.dep_ == "poss"
                                      for c in tok.children)
