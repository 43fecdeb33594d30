"""Assertion extraction: subject – predicate – object claims from a parsed Doc.

The algorithm is plain functions (the ``claimex_claims`` component,
:mod:`claimex.nlp.components.claim_extractor`, is a thin wrapper around
:func:`extract_claims`); the words it reads are data
(:class:`~claimex.nlp.claim_rules.ClaimRules`, ``claim_rules.json``).

1. Every tagged entity that can be the *object* of a claim is a candidate
   (:mod:`.sentence`).  Its predicate comes from its label and from a
   *trigger* up the dependency tree (:mod:`.triggers`).
2. The *subject* is found on the parse, not by proximity; pronouns and
   anaphors resolve to the document's main substance or to the alkaloids
   they stand for; comparators are never the subject (:mod:`.subjects`).
3. Polarity and hedging come from the cue scopes of ``claimex_cues``
   through the queries of :mod:`claimex.nlp.cues`; ``certainty`` is the
   weakest grade among the hedges (:mod:`.context`, :mod:`.rows`).
4. Attribution and evidence are read from the sentence and its paragraph
   (:mod:`.evidence`).
5. Beside the entity claims: REGULATED claims (:mod:`.regulatory`) and the
   items of a list under a lead-in (:mod:`.lists`); :mod:`.document` walks
   the sentences and carries what passes from one to the next.

Everything returned is plain data (msgpack-serialisable).
"""

from ..claim_rules import ClaimRules
from .document import NON_CLAIM_KINDS, extract_claims
from .evidence import EVIDENCE_KINDS_CHECKABLE, sentence_evidence
from .mentions import main_substance
from .regulatory import regulatory_claims

__all__ = [
    "EVIDENCE_KINDS_CHECKABLE", "NON_CLAIM_KINDS", "ClaimRules", "extract_claims", "main_substance",
    "regulatory_claims", "sentence_evidence",
]
