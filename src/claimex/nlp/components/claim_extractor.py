"""The ``claimex_claims`` component: a thin wrapper around :mod:`claimex.nlp.claims`.

It reads the entities and cues left on the Doc by ``claimex_entities`` and
``claimex_cues`` and stores plain claim dicts in ``doc._.claimex_claims``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Iterable

import srsly
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import ensure_path

if not Doc.has_extension("claimex_claims"):
    Doc.set_extension("claimex_claims", default=None)


@Language.factory("claimex_claims", default_config={"max_hops": 8})
def make_claim_extractor(nlp: Language, name: str, *, max_hops: int) -> "ClaimExtractor":
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
        from ..claims import ClaimRules
        from ..strength import StrengthLexicon

        self.rules = ClaimRules.from_dict(rules) if rules else ClaimRules.default()
        self.strength_lexicon = StrengthLexicon.default()

    def __call__(self, doc: Doc) -> Doc:
        from ..claims import extract_claims
        from ..strength import claim_strength

        if self.rules is None:
            self.initialize()
        claims = extract_claims(doc, self.rules, max_hops=self.max_hops)
        for claim in claims:
            claim["strength"] = claim_strength(doc, claim, self.strength_lexicon)
        doc._.claimex_claims = claims
        return doc

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        path = ensure_path(path)
        path.mkdir(parents=True, exist_ok=True)
        if self.rules is None:
            self.initialize()
        srsly.write_json(path / "cfg.json", {"max_hops": self.max_hops})
        srsly.write_json(path / "rules.json", self.rules.to_dict())
        self.strength_lexicon.to_jsonl(path / "strength_cues.jsonl")

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> "ClaimExtractor":
        from ..claims import ClaimRules

        path = ensure_path(path)
        cfg = srsly.read_json(path / "cfg.json")
        self.max_hops = cfg.get("max_hops", self.max_hops)
        from ..strength import StrengthLexicon

        self.rules = ClaimRules.from_dict(srsly.read_json(path / "rules.json"))
        self.strength_lexicon = StrengthLexicon.from_jsonl(path / "strength_cues.jsonl")
        return self
