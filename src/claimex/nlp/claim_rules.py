"""The claim extractor's rules (``pipelines/lexicons/claim_rules.json``): trigger lemmas,
anaphors, attribution lexicon, qualifier and evidence patterns, regulatory cues, and the word
lists the claim rules read the parse with (:data:`WORD_GROUPS`).

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

__all__ = ["WORD_GROUPS", "ClaimRules", "WordLists"]

# field -> the JSON type it must have: "words" a list of strings, "groups" an object of lists of strings,
# "patterns" an object of regular expressions (``_`` keys are comments), "object" any object
_SHAPES = {"triggers": "groups", "pronouns": "words", "anaphors": "words", "plural_anaphors": "words",
           "usage_nouns": "words", "report_verbs": "words", "attribution": "groups",
           "passive_proponent_verbs": "words", "non_assertive_verbs": "words", "strong_causal_verbs": "words",
           "qualifier_patterns": "patterns", "evidence_patterns": "patterns", "regulatory": "object",
           "usage_verbs": "words"}

# The word lists of the claim rules, by group (a field of the file each): list name -> its shape,
# "words" (a list of strings), "map" (an object of strings: a word -> the word it goes with) or
# "word_map" (an object of lists of strings).  Every list is required; ``_`` keys are comments.
# A list's name is unique across the groups: the rules read it as ``rules.words.<name>``.
WORD_GROUPS: dict[str, dict[str, str]] = {
    "subject_words": {
        "person_nouns": "words", "person_pronouns": "words", "population_nouns": "words",
        "population_verbs": "words", "experience_verbs": "words", "remedy_nouns": "words",
        "constituent_nouns": "words", "part_anaphors": "words", "naming_verbs": "words",
    },
    "object_words": {
        "effect_heads": "words", "effect_carriers": "words", "cause_suffixes": "words", "problem_nouns": "words",
        "measure_nouns": "words", "process_nouns": "words", "topic_nouns": "words", "kind_nouns": "words",
        "risk_nouns": "words",
        "owner_preps": "words",
    },
    "predicate_words": {
        "copulas": "words", "light_verb_objects": "words", "relief_modifiers": "words",
        "measure_relief_modifiers": "words", "relief_intransitives": "words", "relief_particle_verbs": "word_map",
        "describing_participles": "words", "relief_roles": "map", "role_words": "words", "role_verbs": "words",
        "treatment_nouns": "words", "listing_verbs": "words", "good_outcome_verbs": "words",
        "impact_nouns": "words", "harmful_words": "words", "harm_nouns": "words", "change_nouns": "words",
        "source_verbs": "map", "frame_preps": "word_map", "frame_excluded_particles": "word_map",
        "drug_aspects": "words", "change_verbs": "words", "together_preps": "words",
        "blending_words": "words", "blend_partners": "words",
        "cause_phrases": "map", "intake_nouns": "words",
        "choosing_verbs": "words", "companion_preps": "map",
        "containing_verbs": "words", "quantity_nouns": "words", "containing_frames": "map",
    },
    "comparison_words": {
        "less_words": "words", "comparator_words": "words", "before_comparator": "words",
        "compared_to": "words", "comparing_to": "words", "efficacy_comparisons": "words",
        "safety_comparatives": "words", "harm_adjectives": "words", "tolerance_words": "words",
    },
    "assertion_words": {
        "asserting_marks": "words", "open_marks": "words", "open_question_nouns": "words",
        "research_nouns": "words", "gap_words": "words", "topic_preps": "words", "factive_words": "words",
        "negated_negatives": "words", "prohibitive_modals": "words", "attempts_of_a_use": "words",
        "negation_idioms": "words", "counterfactual_modals": "words",
    },
    "lead_in_words": {
        "weak_causal_lemmas": "words", "sign_nouns": "words", "symptom_nouns": "words",
    },
    "evidence_words": {
        "method_labels": "words",
    },
}


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


def _group_problem(name: str, value: Any) -> str | None:
    """Why ``value`` cannot be the word group ``name`` (:data:`WORD_GROUPS`), or None."""
    if not isinstance(value, dict):
        return "must be an object"
    shapes = WORD_GROUPS[name]
    unknown = sorted(k for k in value if not k.startswith("_") and k not in shapes)
    if unknown:
        return f"has no list {', '.join(repr(k) for k in unknown)} (its lists: {', '.join(shapes)})"
    missing = [k for k in shapes if k not in value]
    if missing:
        return f"misses {', '.join(repr(k) for k in missing)}"
    for key, shape in shapes.items():
        item = value[key]
        if shape == "words" and not _words(item):
            return f"'{key}' must be a list of strings"
        if shape == "map" and not (isinstance(item, dict) and all(isinstance(v, str) for v in item.values())):
            return f"'{key}' must map words to words"
        if shape == "word_map" and not (isinstance(item, dict) and all(_words(v) for v in item.values())):
            return f"'{key}' must map words to lists of strings"
    return None


class WordLists:
    """The word lists of :data:`WORD_GROUPS` by name: a "words" list as a frozenset, a "map" as a
    dict, a "word_map" as a dict of frozensets (built from the rule file; edit the file, not them)."""

    def __init__(self, groups: dict[str, dict[str, Any]]):
        for group, shapes in WORD_GROUPS.items():
            for name, shape in shapes.items():
                value = groups[group][name]
                if shape == "words":
                    value = frozenset(value)
                elif shape == "word_map":
                    value = {k: frozenset(v) for k, v in value.items()}
                else:
                    value = dict(value)
                setattr(self, name, value)


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
    # the word lists (WORD_GROUPS), one field a group
    subject_words: dict[str, Any]
    object_words: dict[str, Any]
    predicate_words: dict[str, Any]
    comparison_words: dict[str, Any]
    assertion_words: dict[str, Any]
    lead_in_words: dict[str, Any]
    evidence_words: dict[str, Any]
    _compiled: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    regulatory: dict[str, Any] = field(default_factory=dict)
    # verbs whose object is the remedy a claim is about ("people use kratom to curb withdrawal")
    usage_verbs: list[str] = field(default_factory=list)
    #: the word lists by name (``rules.words.copulas``), built from the word groups
    words: WordLists = field(init=False, repr=False, compare=False)

    FIELDS = ("triggers", "pronouns", "anaphors", "plural_anaphors", "usage_nouns", "report_verbs",
              "attribution", "passive_proponent_verbs", "non_assertive_verbs", "strong_causal_verbs",
              "qualifier_patterns", "evidence_patterns", *WORD_GROUPS)
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
            if name not in data:
                problem = None
            elif name in WORD_GROUPS:
                problem = _group_problem(name, data[name])
            else:
                problem = _shape_problem(name, data[name])
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

    def __post_init__(self) -> None:
        self.words = WordLists({g: getattr(self, g) for g in WORD_GROUPS})

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
