"""The claim extractor's rules (``pipelines/lexicons/claim_rules.json``): trigger lemmas,
anaphors, attribution lexicon, qualifier and evidence patterns, regulatory cues.

One JSON object; keys starting with ``_`` are comments.  It is read through
:class:`claimex.rulebase.RuleFile`, so a malformed file, a missing or mistyped
field and a pattern that is no regular expression are numbered errors that
name the file and the line of the field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..rulebase import RuleFile

__all__ = ["ClaimRules"]

# field -> the JSON type it must have: "words" a list of strings, "groups" an object of lists of strings,
# "patterns" an object of regular expressions (``_`` keys are comments), "object" any object
_SHAPES = {"triggers": "groups", "pronouns": "words", "anaphors": "words", "plural_anaphors": "words",
           "usage_nouns": "words", "report_verbs": "words", "attribution": "groups",
           "passive_proponent_verbs": "words", "non_assertive_verbs": "words", "strong_causal_verbs": "words",
           "qualifier_patterns": "patterns", "evidence_patterns": "patterns", "regulatory": "object",
           "usage_verbs": "words"}


def _words(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _shape_problem(name: str, value: Any) -> str | None:
    """Why ``value`` cannot be the field ``name``, or None."""
    shape = _SHAPES[name]
    if shape == "words":
        return None if _words(value) else "must be a list of strings"
    if not isinstance(value, dict):
        return "must be an object"
    if shape == "groups" and not all(_words(v) for v in value.values()):
        return "must map names to lists of strings"
    if shape == "patterns":
        for key, pattern in value.items():
            if key.startswith("_"):
                continue
            if not isinstance(pattern, str):
                return f"'{key}' must be a regular expression (a string)"
            try:
                re.compile(pattern)
            except re.error as err:
                return f"'{key}' is not a regular expression ({err})"
    return None


@dataclass
class ClaimRules(RuleFile):
    """Trigger lemmas, anaphors, attribution lexicon and qualifier patterns (data)."""

    triggers: dict[str, list[str]]
    pronouns: list[str]
    anaphors: list[str]
    plural_anaphors: list[str]
    usage_nouns: list[str]
    report_verbs: list[str]
    attribution: dict[str, list[str]]
    passive_proponent_verbs: list[str]
    non_assertive_verbs: list[str]
    strong_causal_verbs: list[str]
    qualifier_patterns: dict[str, str]
    evidence_patterns: dict[str, str]
    _compiled: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    regulatory: dict[str, Any] = field(default_factory=dict)
    # verbs whose object is the remedy a claim is about ("people use kratom to curb withdrawal")
    usage_verbs: list[str] = field(default_factory=list)

    FIELDS = ("triggers", "pronouns", "anaphors", "plural_anaphors", "usage_nouns", "report_verbs",
              "attribution", "passive_proponent_verbs", "non_assertive_verbs", "strong_causal_verbs",
              "qualifier_patterns", "evidence_patterns")
    OPTIONAL = ("regulatory", "usage_verbs")
    DEFAULT_FILE = ("lexicons", "claim_rules.json")
    FORMAT = "json"
    LINE_ERROR = "E048"

    @classmethod
    def from_data(cls, data: Any, *, source: str, lines: dict[str, int] | None = None) -> ClaimRules:
        lines = lines or {}
        error = cls.line_error(source)
        if not isinstance(data, dict):
            raise error(1, f"expected a JSON object, not {type(data).__name__}")
        missing = [f for f in cls.FIELDS if f not in data]
        if missing:
            raise error(1 if lines else 0, f"missing {', '.join(missing)}")
        for name in cls.FIELDS + cls.OPTIONAL:
            problem = _shape_problem(name, data[name]) if name in data else None
            if problem:
                raise error(lines.get(name, 0), f"'{name}' {problem}")
        return cls(**{f: data[f] for f in cls.FIELDS + cls.OPTIONAL if f in data})

    @classmethod
    def from_dict(cls, data: dict[str, Any], source: str = "<dict>") -> ClaimRules:
        """From the dict :meth:`to_dict` returns (the component's ``rules`` setting, its saved copy)."""
        return cls.from_data(data, source=source)

    def to_data(self) -> dict[str, Any]:
        out = {f: getattr(self, f) for f in self.FIELDS}
        if self.regulatory:
            out["regulatory"] = self.regulatory
        if self.usage_verbs:
            out["usage_verbs"] = self.usage_verbs
        return out

    to_dict = to_data

    # -- compiled views ---------------------------------------------------
    def _get(self, key: str, build):
        if key not in self._compiled:
            self._compiled[key] = build()
        return self._compiled[key]

    @property
    def trigger_sets(self) -> dict[str, frozenset[str]]:
        return self._get("triggers", lambda: {k: frozenset(v) for k, v in self.triggers.items()})

    @property
    def usage_verb_set(self) -> frozenset[str]:
        return self._get("usage", lambda: frozenset(self.usage_verbs))

    @property
    def non_assertive(self) -> frozenset[str]:
        return self._get("nonassert", lambda: frozenset(self.non_assertive_verbs))

    @property
    def attribution_by_lemma(self) -> dict[str, str]:
        def build():
            out = {}
            for who in sorted(self.attribution):
                for lemma in self.attribution[who]:
                    out.setdefault(lemma, who)
            return out
        return self._get("attr", build)

    @property
    def regulatory_words(self) -> tuple[frozenset[str], frozenset[str]]:
        """``(lower-case words, lemmas)`` one of which a sentence must have for a regulatory cue to be
        found in it (:func:`claimex.nlp.claims.regulatory.regulatory_claims`): a cheap filter."""
        def build():
            reg = self.regulatory or {}
            cues = set(reg.get("cues", {}))
            phrases = cues | set(reg.get("negative", {}))
            # a phrase's first token: "controlled substance" -> "controlled", "off-label" -> "off"
            firsts = {re.split(r"[\s\-]+", c)[0] for c in phrases if c}
            return frozenset(phrases | firsts), frozenset(cues)
        return self._get("regwords", build)

    @property
    def qualifier_res(self) -> dict[str, re.Pattern]:
        return self._get("qual", lambda: {k: re.compile(v, re.I) for k, v in self.qualifier_patterns.items()})

    @property
    def evidence_res(self) -> dict[str, re.Pattern]:
        flags = {"citation": 0, "study-reference": 0, "authority": 0}
        return self._get("evid", lambda: {k: re.compile(v, flags.get(k, re.I))
                                          for k, v in self.evidence_patterns.items() if not k.startswith("_")})
