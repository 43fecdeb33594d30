"""The claim extractor's rules (``pipelines/lexicons/claim_rules.json``): trigger lemmas,
anaphors, attribution lexicon, qualifier and evidence patterns, regulatory cues."""

from __future__ import annotations

import importlib.resources
import json
import re
from dataclasses import dataclass, field
from typing import Any

@dataclass
class ClaimRules:
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

    FIELDS = ("triggers", "pronouns", "anaphors", "plural_anaphors", "usage_nouns", "report_verbs",
              "attribution", "passive_proponent_verbs", "non_assertive_verbs", "strong_causal_verbs",
              "qualifier_patterns", "evidence_patterns")
    OPTIONAL = ("regulatory",)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "ClaimRules":
        missing = [f for f in cls.FIELDS if f not in data]
        if missing:
            raise ValueError(f"claim rules are missing {', '.join(missing)}")
        return cls(**{f: data[f] for f in cls.FIELDS + cls.OPTIONAL if f in data})

    @classmethod
    def from_json(cls, path) -> "ClaimRules":
        with open(path, encoding="utf-8") as fh:
            return cls.from_dict(json.load(fh))

    @classmethod
    def default(cls) -> "ClaimRules":
        res = importlib.resources.files("claimex.pipelines") / "lexicons" / "claim_rules.json"
        return cls.from_dict(json.loads(res.read_text(encoding="utf-8")))

    def to_dict(self) -> dict[str, Any]:
        out = {f: getattr(self, f) for f in self.FIELDS}
        if self.regulatory:
            out["regulatory"] = self.regulatory
        return out

    # -- compiled views ---------------------------------------------------
    def _get(self, key: str, build):
        if key not in self._compiled:
            self._compiled[key] = build()
        return self._compiled[key]

    @property
    def trigger_sets(self) -> dict[str, frozenset[str]]:
        return self._get("triggers", lambda: {k: frozenset(v) for k, v in self.triggers.items()})

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
    def qualifier_res(self) -> dict[str, re.Pattern]:
        return self._get("qual", lambda: {k: re.compile(v, re.I) for k, v in self.qualifier_patterns.items()})

    @property
    def evidence_res(self) -> dict[str, re.Pattern]:
        flags = {"citation": 0, "study-reference": 0, "authority": 0}
        return self._get("evid", lambda: {k: re.compile(v, flags.get(k, re.I))
                                          for k, v in self.evidence_patterns.items() if not k.startswith("_")})


# ---------------------------------------------------------------------------
# helpers over the parse
