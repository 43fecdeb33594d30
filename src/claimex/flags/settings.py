"""The settings of the flags stage: one frozen dataclass, validated, saved as a plain dict.

Every rule module reads what it needs from a :class:`FlagSettings`; the
defaults are the documented behaviour (``docs/flags.md``).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from ..errors import ClaimexError, Errors

__all__ = ["FlagSettings"]


@dataclass(frozen=True)
class FlagSettings:
    """Settings of :func:`flag_claims` (all keyword, all with documented defaults)."""

    #: Jaccard similarity of word shingles at which two documents are near-duplicates.
    minhash_threshold: float = 0.8
    #: MinHash permutations.
    num_perm: int = 128
    #: Words per shingle.
    shingle_size: int = 5
    #: MinHash seed (fixed, so clusters are the same on every run).
    minhash_seed: int = 1
    #: Shortest sentence (in words) whose verbatim repetition counts as copying.
    min_shared_sentence_words: int = 6
    #: The pages of one site (URL's registrable domain, else the source name) count as one source.
    same_site_one_source: bool = True
    #: Cap of related_claim_ids / related_doc_ids of every flag (the reason gives the full count).
    max_related: int = 20
    #: Independent unhedged sources that make an uncited claim key "supported".
    min_independent_sources: int = 2
    #: Longest quotation of a claim's text in a reason (centred on the object mention).
    quote_chars: int = 120
    #: Longest quotation of the weaker claim in an ``overstated`` reason (cut at the end, not centred).
    overstated_quote_chars: int = 100
    #: Words before the object mention searched for a relative cue ("milder", "same level of").
    relative_window_words: int = 5
    #: Object-group lexicon; ``None`` is the packaged ``claim_groups.jsonl``.
    lexicon_path: str | None = None

    def validate(self) -> None:
        checks = [
            ("minhash_threshold", 0.0 < self.minhash_threshold <= 1.0, "a number in (0, 1]"),
            ("num_perm", self.num_perm >= 16, "an integer >= 16"),
            ("shingle_size", self.shingle_size >= 1, "an integer >= 1"),
            ("min_shared_sentence_words", self.min_shared_sentence_words >= 1, "an integer >= 1"),
            ("max_related", self.max_related >= 1, "an integer >= 1"),
            ("min_independent_sources", self.min_independent_sources >= 1, "an integer >= 1"),
            ("quote_chars", self.quote_chars >= 10, "an integer >= 10"),
            ("overstated_quote_chars", self.overstated_quote_chars >= 10, "an integer >= 10"),
            ("relative_window_words", self.relative_window_words >= 1, "an integer >= 1"),
            ("same_site_one_source", isinstance(self.same_site_one_source, bool), "true or false"),
        ]
        for name, ok, expected in checks:
            if not ok:
                raise ClaimexError(Errors.E064.format(name=name, value=getattr(self, name),
                                                      expected=expected))

    def to_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FlagSettings:
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ClaimexError(Errors.E064.format(name=unknown[0], value=data[unknown[0]],
                                                  expected=f"one of the settings {sorted(known)}"))
        return cls(**data)
