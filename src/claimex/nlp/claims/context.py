"""What the claim rules know about the sentence they read: its entities, cues, rules and neighbours."""

from __future__ import annotations

from typing import Iterable

from ..claim_rules import ClaimRules
from ..cues import Cue, cues_for, is_negated
from .mentions import Mention, Subject

Evidence = tuple[str, tuple[int, int]]  # (kind, (start, end)) of sentence_evidence()


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
                 own_evidence: Evidence | None = None, paragraph_evidence: Evidence | None = None):
        self.doc = doc
        self.sent = sent
        self.text = sent.text  # Span.text is rebuilt from the tokens on every access
        self.ents = ents
        self.cues = cues
        self.rules = rules
        self.main = main
        self.prev_alkaloids = prev_alkaloids
        self.max_hops = max_hops
        self.own_evidence = own_evidence
        self.paragraph_evidence = paragraph_evidence
        self.tok2ent: dict[int, Mention] = {}
        for e in ents:
            for i in range(*e.tokens):
                self.tok2ent[i] = e

    def main_subject(self, tok=None) -> Subject | None:
        """The document's main substance, written as ``tok`` ("it", "this herb") when given."""
        if not self.main:
            return None
        return Subject(self.main, tok.text if tok is not None else self.main, None)

    # -- cues: the queries of claimex.nlp.cues at the object and the trigger
    def negated(self, ent: Mention, trigger) -> bool:
        """The object, or the trigger ("does not cause addiction"), lies in a negation scope.

        Pseudo-negations ("not without its drawbacks") have no scope.
        """
        return is_negated(ent.start, self.cues) or (trigger is not None and is_negated(trigger.idx, self.cues))

    def hedges(self, ent: Mention, trigger) -> list[Cue]:
        """The hedge cues whose scope covers the object or the trigger, in text order."""
        found = set(cues_for(ent.start, self.cues, "hedge"))
        if trigger is not None:
            found.update(cues_for(trigger.idx, self.cues, "hedge"))
        return sorted(found)

    def qualifiers(self, kinds: Iterable[str]) -> list[dict[str, str]]:
        """The qualifier phrases of ``kinds`` in the sentence ("long-term use", "higher doses")."""
        out = []
        text = self.text
        for kind in kinds:
            pat = self.rules.qualifier_res.get(kind)
            if pat is None:
                continue
            for m in pat.finditer(text):
                q = {"kind": kind, "text": m.group(0).lower()}
                if q not in out:
                    out.append(q)
        return out
