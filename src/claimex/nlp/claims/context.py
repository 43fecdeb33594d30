"""What the claim rules know about the sentence they read: its entities, cues, rules and neighbours."""

from __future__ import annotations

from typing import Callable, Iterable

from ..claim_rules import ClaimRules
from ..cues import Cue, cues_for
from ..doctext import doc_text
from .mentions import Mention, Subject

Evidence = tuple[str, tuple[int, int]]  # (kind, (start, end)) of sentence_evidence()
_UNREAD = object()


class SentenceContext:
    """One sentence of a parsed Doc, with what the claim rules read beside the parse.

    ``ents`` and ``cues`` are the sentence's entity mentions and cues;
    ``main`` is the document's main substance; ``prev_alkaloids`` the
    alkaloids the last sentence that named any named; ``own_evidence`` the
    checkable evidence of this sentence and ``paragraph_evidence`` the last
    one earlier in its paragraph (see :func:`.evidence.sentence_evidence`).
    """

    def __init__(self, doc, sent, ents: list[Mention], cues: list[Cue], rules: ClaimRules,
                 main: str | None, prev_alkaloids: list[Mention], max_hops: int, *,
                 own_evidence: Evidence | None = None, paragraph_evidence: Evidence | None = None,
                 text: str | None = None, main_is_constituent: bool = False,
                 dose_main: str | None = None, regulatory_words_here: bool = True,
                 evidence: tuple[Callable[[], Evidence | None], Callable[[], Evidence | None]] | None = None):
        self.doc = doc
        self.sent = sent
        # Span.text is rebuilt from the tokens on every access: the caller may pass the slice of Doc.text
        self.text = sent.text if text is None else text
        self.main_is_constituent = main_is_constituent  # the main substance is an alkaloid (curcumin, 7-OH)
        # who a dose without a named substance is for: the main one, unless that is a therapy
        # (a "Tapering" section's "Week 1: 9 g/day" is kratom's dose)
        self.dose_main = main if dose_main is None else dose_main
        # False when no token of the sentence can be part of a regulatory cue (a cheap filter)
        self.regulatory_words_here = regulatory_words_here
        self._tokens: list | None = None
        self._lemmas: list[str] | None = None
        self._lemma_set: frozenset[str] | None = None
        self._has_verb: bool | None = None
        self._lower_set: frozenset[str] | None = None
        self._qualifiers: dict[tuple[str, ...], list[dict[str, str]]] = {}
        self.pattern_hits: dict[str, bool] = {}  # evidence patterns searched in the sentence (see .evidence)
        self.ents = ents
        self.cues = cues
        self.rules = rules
        self.main = main
        self.prev_alkaloids = prev_alkaloids
        # the label of the entity the sentence before is about: "it" stands for no remedy after a
        # sentence about a condition ("Osteoarthritis is a joint disease. It destroys cartilage.")
        self.prev_topic: str | None = None
        self.max_hops = max_hops
        # ``evidence``: two callables giving the own and the paragraph evidence, read on first use
        self._evidence = evidence
        self._own_evidence = own_evidence if evidence is None else _UNREAD
        self._paragraph_evidence = paragraph_evidence if evidence is None else _UNREAD
        self.tok2ent: dict[int, Mention] = {}
        for e in ents:
            for i in range(*e.tokens):
                self.tok2ent[i] = e

    # -- evidence, read lazily: most sentences make no claim that needs it
    @property
    def own_evidence(self) -> Evidence | None:
        if self._evidence is not None and self._own_evidence is _UNREAD:
            self._own_evidence = self._evidence[0]()
        return self._own_evidence

    @property
    def paragraph_evidence(self) -> Evidence | None:
        if self._evidence is not None and self._paragraph_evidence is _UNREAD:
            self._paragraph_evidence = self._evidence[1]()
        return self._paragraph_evidence

    @property
    def doc_text(self) -> str:
        """``doc.text``, built once per Doc (:func:`claimex.nlp.doctext.doc_text`)."""
        return doc_text(self.doc)

    # -- the sentence's tokens, built once (iterating a Span makes new Token objects)
    @property
    def tokens(self) -> list:
        if self._tokens is None:
            self._tokens = list(self.sent)
        return self._tokens

    @property
    def lemmas(self) -> list[str]:
        """:func:`.tree.lemma_of` of every token of the sentence."""
        if self._lemmas is None:
            self._lemmas = [(t.lemma_ or t.text).lower() for t in self.tokens]
        return self._lemmas

    @property
    def lemma_set(self) -> frozenset[str]:
        if self._lemma_set is None:
            self._lemma_set = frozenset(self.lemmas)
        return self._lemma_set

    @property
    def lower_set(self) -> frozenset[str]:
        """The lower-case forms of the sentence's tokens."""
        if self._lower_set is None:
            self._lower_set = frozenset(t.lower_ for t in self.tokens)
        return self._lower_set

    @property
    def has_verb(self) -> bool:
        """The sentence has a token tagged VERB or AUX."""
        if self._has_verb is None:
            self._has_verb = any(t.pos_ in ("VERB", "AUX") for t in self.tokens)
        return self._has_verb

    def main_subject(self, tok=None) -> Subject | None:
        """The document's main substance, written as ``tok`` ("it", "this herb") when given."""
        if not self.main:
            return None
        return Subject(self.main, tok.text if tok is not None else self.main, None)

    # -- cues: the queries of claimex.nlp.cues at the object and the trigger
    def negated(self, ent: Mention, trigger) -> bool:
        """The object, or the trigger ("does not cause addiction"), lies in a negation scope.

        Pseudo-negations ("not without its drawbacks") have no scope; a negation that does not
        deny the claim (:meth:`idle_negation`: "don't realize kratom can cause addiction", "not
        uncommon") does not count.
        """
        found = cues_for(ent.start, self.cues, "negation")
        if trigger is not None:
            found += cues_for(trigger.idx, self.cues, "negation")
        if not found:
            return False
        anchors = [self.doc[ent.tokens[1] - 1]] + ([trigger] if trigger is not None else [])
        return any(not self.idle_negation(c, anchors) for c in found)

    def idle_negation(self, cue: Cue, anchors: list) -> bool:
        """The negation ``cue`` leaves the claim at ``anchors`` (tokens) affirmed: it negates a
        factive word whose clause holds the claim ("many people don't realize kratom can cause
        addiction", "users are not aware that it is addictive": ``factive_words``), a word that
        is a negation itself ("it is not uncommon for kratom to cause constipation":
        ``negated_negatives``), or it is an idiom ("no wonder people turn to kratom for pain",
        "there is no doubt that ...": ``negation_idioms``)."""
        tok = next((t for t in self.tokens if t.idx <= cue.start < t.idx + len(t.text)), None)
        if tok is None:
            return False
        words = self.rules.words
        if tok.dep_ == "det" and tok.lower_ == "no" and tok.head.lower_ in words.negation_idioms:
            return True
        if tok.dep_ != "neg":
            return False
        head = tok.head
        heads = [head] + [c for c in head.children if c.dep_ == "acomp"]  # "are not aware", "is not uncommon"
        if any(h.lower_ in words.negated_negatives for h in heads):
            return True
        for h in heads:
            if (h.lemma_ or h.text).lower() not in words.factive_words:
                continue
            clauses = [c for c in h.children if c.dep_ == "ccomp" or (c.dep_ == "prep" and c.lower_ == "of")]
            if any(c.is_ancestor(a) or c.i == a.i for c in clauses for a in anchors):
                return True
        return False

    def hedges(self, ent: Mention, trigger) -> list[Cue]:
        """The hedge cues whose scope covers the object or the trigger, in text order."""
        found = set(cues_for(ent.start, self.cues, "hedge"))
        if trigger is not None:
            found.update(cues_for(trigger.idx, self.cues, "hedge"))
        return sorted(found)

    def qualifiers(self, kinds: Iterable[str]) -> list[dict[str, str]]:
        """The qualifier phrases of ``kinds`` in the sentence ("long-term use", "higher doses")."""
        key = tuple(kinds)
        cached = self._qualifiers.get(key)
        if cached is not None:
            return [dict(q) for q in cached]
        out = []
        text = self.text
        for kind in key:
            pat = self.rules.qualifier_res.get(kind)
            if pat is None:
                continue
            for m in pat.finditer(text):
                q = {"kind": kind, "text": m.group(0).lower()}
                if q not in out:
                    out.append(q)
        self._qualifiers[key] = out
        return [dict(q) for q in out]
