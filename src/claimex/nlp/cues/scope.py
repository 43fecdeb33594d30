"""Cue scopes: the part of a sentence a hedge or negation cue applies to, decided on the parse.

Scopes are character offsets ``[scope_start, scope_end)`` into ``doc.text``
and are decided on the dependency parse, never on a token window.  Let
*anchor* be the syntactic head of the cue's tokens.

* **Complement cues** - the anchor governs words to the right of the cue
  (*without*, *lack of*, *fails to*, *denies*, *believed to*, *suggest that*,
  *touted as*, noun *potential for*): the scope is the anchor's subtree to
  the right of the cue.  *It may offer relief ... without the addictive risks
  of prescription opioids*: the scope of *without* is exactly *the addictive
  risks of prescription opioids*; *relief* is outside it.
* **Modifier cues** - the anchor governs nothing to its right (*not*, *no*,
  *never*, *may*, *potentially*, adjective *potential*, *unclear*): the
  scope is built from the subtree of the anchor's head.  For a *negation*
  it is the part of that subtree to the right of the cue, without the
  subject (*Kratom does not cause addiction*: *cause addiction*; *Kratom* is
  not negated).  For a *hedge* it is the whole subtree, subject included,
  because a hedge qualifies the whole proposition (*may* -> its clause;
  *potentially* -> the phrase it modifies; adjective *potential* -> its noun
  phrase).
* Negation only:

  - the subject is covered too when the clause is passive (*Pneumothorax was
    not seen*) or when the cue is itself the predicate (*pulses are absent*,
    *pneumonia was ruled out*, *the test was negative*); the cue then lies
    inside the scope;
  - a coordinating cue (*nor*) scopes over the conjuncts that follow it;
  - *no* in an existential clause scopes over the rest of the clause (*there
    is no free fluid in the pelvis*);
  - a negator parsed as a subject scopes over what its head governs after it;
  - negative pronouns: see the lexicon field ``scope: "pronoun"``
    (:mod:`claimex.nlp.cues.lexicon`).
* In every case the scope stops at coordinated clauses that are independent
  of the cue (a verb conjunct that is finite or has its own subject,
  auxiliary or negation - *does not cause addiction and improves mood*,
  *is not addictive and is safe* - but not *does not cause or worsen pain*;
  any conjunct after *but/yet/whereas* - but not the *but also* of *not
  only ... but also*), at conjuncts of a complement cue's
  anchor (*lack of data and the potential for dependency* negates *data*
  only), at contrastive subordinate clauses (*although, whereas, while,
  though*), at parataxis, at ``;`` and ``:``; it never has punctuation at its
  edges, and it is contiguous (the run of kept tokens around the first kept
  token after the cue for a negation, around the cue for a hedge).
* When the parse leaves a cue nothing to scope over, the scope is the empty
  range at the cue's end, which contains no target.
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Doc, Span, Token

from .lexicon import CueLexicon, default_lexicon

_SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj", "csubjpass", "expl"}
_PASSIVE_DEPS = {"nsubjpass", "csubjpass", "auxpass"}
_CONTRAST = {"but", "yet", "whereas", "although", "though", "while", "however", "except",
             "unlike", "nevertheless", "nonetheless"}
_FINITE_TAGS = {"VBZ", "VBD", "VBP", "MD"}
_STOP_PUNCT = {";", ":"}


def negation_scope(cue: Token | Span, lexicon: CueLexicon | None = None) -> tuple[int, int]:
    """Character range ``[start, end)`` negated by the cue word(s) ``cue``.

    The scope mode (``auto``, ``word``, ``pronoun``) is taken from the negation
    entry of ``lexicon`` (default: the packaged one) whose ``cue`` is the
    lower-cased text of ``cue``; ``auto`` when there is none.
    """
    span = _as_span(cue)
    mode = _scope_mode(span, "negation", lexicon)
    if mode == "word":
        return word_scope(span)
    return cue_scope(span, "negation", pronoun=mode == "pronoun")


def hedge_scope(cue: Token | Span) -> tuple[int, int]:
    """Character range ``[start, end)`` qualified by the hedge cue word(s) ``cue``."""
    return cue_scope(_as_span(cue), "hedge")


def _scope_mode(span: Span, kind: str, lexicon: CueLexicon | None) -> str:
    text = span.text.lower()
    for entry in (lexicon or default_lexicon()).entries:
        if entry.kind == kind and entry.cue == text:
            return entry.scope
    return "auto"


def _as_span(cue: Token | Span) -> Span:
    if isinstance(cue, Token):
        return cue.doc[cue.i:cue.i + 1]
    return cue


def _content(tokens: Iterable[Token]) -> list[Token]:
    return [t for t in tokens if not t.is_punct and not t.is_space]


def word_scope(cue: Span) -> tuple[int, int]:
    """The word glued to the end of a prefix cue (``non-addictive`` -> ``addictive``)."""
    doc = cue.doc
    i = cue.end
    end = cue.end_char
    start = end
    while i < len(doc) and not doc[i - 1].whitespace_ and not doc[i].is_space:
        if doc[i].is_punct and doc[i].text != "-":
            break
        end = doc[i].idx + len(doc[i])
        i += 1
    return (start, end) if end > start else (cue.end_char, cue.end_char)


def _is_passive(head: Token) -> bool:
    return any(c.dep_ in _PASSIVE_DEPS for c in head.children)


def _is_contrast(token: Token) -> bool:
    """A contrastive conjunction / marker ('but', 'although' ...), but not the 'but' of
    'not only X but also Y'."""
    if token.lower_ not in _CONTRAST:
        return False
    doc = token.doc
    return not (token.lower_ == "but" and token.i + 1 < len(doc) and doc[token.i + 1].lower_ == "also")


def _excluded(domain: Token, complement: bool) -> set[int]:
    """Indices of tokens in ``domain``'s subtree that are outside any cue scope rooted there."""
    out: set[int] = set()
    children = list(domain.children)
    verbal = domain.pos_ in ("VERB", "AUX")
    contrast_cc = any(c.dep_ == "cc" and _is_contrast(c) for c in children)
    for child in children:
        drop = False
        if child.dep_ == "conj":
            if complement:
                drop = True  # a sibling of the cue's anchor, not governed by the cue
            elif contrast_cc or any(c.dep_ == "cc" and _is_contrast(c) for c in child.children):
                drop = True
            elif verbal and (child.tag_ in _FINITE_TAGS
                             or any(c.dep_ in _SUBJECT_DEPS or c.dep_ in ("aux", "auxpass", "neg")
                                    for c in child.children)):
                drop = True  # an independent predicate: finite, or with its own subject/aux
        elif child.dep_ == "parataxis":
            drop = True
        elif child.dep_ == "advcl":
            drop = any(c.dep_ == "mark" and _is_contrast(c) for c in child.children)
        elif child.dep_ in ("cc", "preconj"):
            drop = _is_contrast(child)
        if drop:
            out.update(t.i for t in child.subtree)
    # a cc / punct left dangling before a dropped conjunct
    for child in children:
        if child.dep_ in ("cc", "punct") and child.i + 1 in out:
            out.add(child.i)
    return out


def _existential(anchor: Token) -> bool:
    """``anchor`` is the determiner of the noun of a 'there is/are' clause."""
    noun = anchor.head
    verb = noun.head
    return (anchor.dep_ == "det" and noun.i != anchor.i and noun.dep_ in ("attr", "nsubj", "dobj")
            and verb.i != noun.i and any(c.dep_ == "expl" for c in verb.children))


def cue_scope(cue: Span, kind: str, *, pronoun: bool = False) -> tuple[int, int]:
    """Scope of the cue tokens ``cue`` (a Span) as ``(start_char, end_char)``.

    ``kind`` is ``"negation"`` or ``"hedge"``; ``pronoun`` is true for a negative
    pronoun (lexicon ``scope: "pronoun"``); the rules are in the module docstring.
    An empty range at the cue's end means the parse gives the cue nothing to scope over.
    """
    doc = cue.doc
    anchor = cue.root
    cue_idx = set(range(cue.start, cue.end))
    right = [t for t in anchor.subtree if t.i >= cue.end]
    negation = kind == "negation"
    drop_subject = negation
    if negation and anchor.dep_ == "cc":
        # 'nor' (and a coordinating 'not'): the conjuncts that follow the cue
        domain = anchor.head
        kept = {t.i for c in domain.children if c.dep_ == "conj" and c.i >= cue.end
                for t in c.subtree}
        include_subject = drop_subject = False
    elif negation and pronoun:
        # a negative pronoun ('none', 'nothing'): its partitive 'of' phrase, and the
        # predicate when it is the subject ('none of the patients had fever')
        domain = anchor.head if anchor.dep_ in ("nsubj", "nsubjpass") and anchor.head.i != anchor.i else anchor
        kept = {t.i for c in anchor.children if c.dep_ == "prep" and c.lower_ == "of" and c.i >= cue.end
                for t in c.subtree}
        if domain is not anchor:
            kept |= {t.i for t in domain.subtree if t.i >= cue.end} - _excluded(domain, complement=False)
        include_subject = drop_subject = False
    elif negation and _existential(anchor):
        # 'there is no free fluid in the pelvis': the rest of the existential clause
        domain = anchor.head.head
        kept = {t.i for t in domain.subtree if t.i >= cue.end} - _excluded(domain, complement=False)
        include_subject = drop_subject = False
    elif negation and anchor.dep_ in ("nsubj", "nsubjpass") and anchor.head.i != anchor.i:
        # a negator parsed as the subject ('No wheezes, rales or rhonchi' with 'No'
        # as nsubj of 'wheezes'): everything its head governs after the cue
        domain = anchor.head
        kept = {t.i for t in domain.subtree if t.i >= cue.end} - _excluded(domain, complement=False)
        include_subject = drop_subject = False
    elif _content(right):
        # complement cue: the scope is what the anchor governs to its right
        domain = anchor
        kept = {t.i for t in right} - _excluded(domain, complement=True)
        include_subject = negation and anchor.pos_ in ("VERB", "AUX") and _is_passive(anchor)
    else:
        # modifier cue: the scope is built from the subtree of the anchor's head
        domain = anchor if anchor.head.i == anchor.i else anchor.head
        excluded = _excluded(domain, complement=False)
        if negation:
            kept = {t.i for t in domain.subtree if t.i >= cue.end} - excluded
            predicate = domain is anchor or anchor.dep_ in ("acomp", "attr", "oprd")
            include_subject = predicate or _is_passive(domain)
        else:
            kept = {t.i for t in domain.subtree} - excluded
            include_subject = False
    if drop_subject:
        kept -= {t.i for c in domain.children if c.dep_ in _SUBJECT_DEPS for t in c.subtree}
    if negation:
        kept -= cue_idx
    lo, hi = _run(doc, kept, cue, negation)
    if lo is None:
        start = end = cue.end_char
    else:
        start, end = doc[lo].idx, doc[hi].idx + len(doc[hi])
    if include_subject:
        subject = sorted(t.i for c in domain.children if c.dep_ in _SUBJECT_DEPS and c.i < cue.start
                         for t in c.subtree)
        subject = [i for i in subject if not (doc[i].is_punct or doc[i].is_space)]
        if subject:
            if lo is None:
                end = cue.end_char
            start = min(start, doc[subject[0]].idx)
    return start, end


def _stops(token: Token) -> bool:
    return token.text in _STOP_PUNCT or (token.dep_ in ("cc", "mark", "advmod", "prep")
                                         and _is_contrast(token))


def _run(doc: Doc, kept: set[int], cue: Span, negation: bool) -> tuple[int | None, int | None]:
    """The contiguous run of ``kept`` token indices that the scope is made of."""
    if negation:
        after = [i for i in kept if i >= cue.end]
        if not after:
            return None, None
        seed = min(after)
    else:
        if not kept:
            return None, None
        seed = cue.start if cue.start in kept else min(kept, key=lambda i: (abs(i - cue.start), i))
    lo = hi = seed
    while lo - 1 in kept and not _stops(doc[lo - 1]):
        lo -= 1
    while hi + 1 in kept and not _stops(doc[hi + 1]):
        hi += 1
    while lo <= hi and (doc[lo].is_punct or doc[lo].is_space):
        lo += 1
    while hi >= lo and (doc[hi].is_punct or doc[hi].is_space):
        hi -= 1
    if hi < lo:
        return None, None
    return lo, hi
