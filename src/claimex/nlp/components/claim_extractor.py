"""The ``claimex_claims`` component: a thin wrapper around :mod:`claimex.nlp.claims`.

It reads the entities and cues left on the Doc by ``claimex_entities`` and
``claimex_cues`` (and the blocks of ``claimex_segmenter`` when there are
any), stores plain claim dicts in ``doc._.claimex_claims``, each with its
strength (:func:`claimex.nlp.strength.claim_strength`), and relabels a
symptom in ``doc._.claimex_ents`` by its role in a claim.  The rules
(``claim_rules.json``) and the strength lexicon are loaded in
:meth:`ClaimExtractor.initialize`, or lazily on first use, and saved with the
pipeline (``cfg.json``, ``rules.json``, ``strength_cues.jsonl``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Iterable

import srsly
from spacy import util
from spacy.language import Language
from spacy.tokens import Doc

EXTENSION = "claimex_claims"
CFG_FILE = "cfg.json"
RULES_FILE = "rules.json"
STRENGTH_FILE = "strength_cues.jsonl"

if not Doc.has_extension(EXTENSION):
    Doc.set_extension(EXTENSION, default=None)


@Language.factory(
    "claimex_claims",
    default_config={"max_hops": 8},
    requires=["token.dep", "token.pos", "token.lemma", "doc._.claimex_ents", "doc._.claimex_cues"],
    assigns=[f"doc._.{EXTENSION}", "doc._.claimex_ents"],
)
def make_claim_extractor(nlp: Language, name: str, *, max_hops: int) -> ClaimExtractor:
    return ClaimExtractor(nlp, name, max_hops=max_hops)


class ClaimExtractor:
    """Extract subject–predicate–object assertions from each sentence."""

    def __init__(self, nlp: Language, name: str = "claimex_claims", *, max_hops: int = 8) -> None:
        self.name = name
        self.max_hops = max_hops
        self.rules: Any = None
        self.strength_lexicon: Any = None

    def initialize(self, get_examples: Callable[[], Iterable] | None = None, *,
                   nlp: Language | None = None, rules: dict | None = None) -> None:
        """Load the claim rules (a dict in the format of ``claim_rules.json``, or None for the
        packaged file) and the packaged strength lexicon."""
        from ..claim_rules import ClaimRules
        from ..strength_cues import StrengthLexicon

        self.rules = ClaimRules.from_dict(rules) if rules else ClaimRules.default()
        self.strength_lexicon = StrengthLexicon.default()

    def __call__(self, doc: Doc) -> Doc:
        from ..claims import extract_claims
        from ..strength import claim_strength

        if self.rules is None:
            self.initialize()
        claims = extract_claims(doc, self.rules, max_hops=self.max_hops)
        analyses: dict = {}  # one strength analysis per sentence
        for claim in claims:
            claim["strength"] = claim_strength(doc, claim, self.strength_lexicon, analyses=analyses)
        doc._.set(EXTENSION, claims)
        return doc

    # ------------------------------------------------------------------ serialization
    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        if self.rules is None:
            self.initialize()
        util.to_disk(path, {
            CFG_FILE: lambda p: srsly.write_json(p, {"max_hops": self.max_hops}),
            RULES_FILE: lambda p: self.rules.to_file(p),
            STRENGTH_FILE: lambda p: self.strength_lexicon.to_file(p),
        }, exclude)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> ClaimExtractor:
        from ..claim_rules import ClaimRules
        from ..strength_cues import StrengthLexicon

        def read_cfg(p: Path) -> None:
            self.max_hops = srsly.read_json(p).get("max_hops", self.max_hops)

        def read_rules(p: Path) -> None:
            self.rules = ClaimRules.from_file(p)

        def read_strength(p: Path) -> None:
            self.strength_lexicon = StrengthLexicon.from_file(p)

        util.from_disk(path, {CFG_FILE: read_cfg, RULES_FILE: read_rules, STRENGTH_FILE: read_strength}, exclude)
        return self
