"""The claim-group lexicon (``pipelines/lexicons/claim_groups.jsonl``): object groups, scope levels, doses.

Records of ``"type": "group"`` list near-synonymous canonical objects
(addiction / dependence / dependency / abuse potential → ``dependence``;
sedation / sedating effects / drowsiness → ``sedation``; side effects /
adverse effects / adverse reactions → ``side effects``).  The *group key* of
a claim is ``subject|PREDICATE|group``; an object in no group is its own
group.  Groups with ``"side_effect": true`` are side effects; the one group
with ``"generic": true`` (``side effects``) stands for all of them.  The same
file holds the qualifier levels (``dimension`` / ``level``), the
relative-comparison cues (``relative``), the dose roles (``dose_role``), dose
units (``unit``) and dose periods (``period``) the contradiction rules read
(see its ``note`` fields).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ClaimexError
from ..rulebase import RuleFile, rule_error

__all__ = ["ClaimGroupLexicon", "LEXICON_FILE"]

LEXICON_FILE = "claim_groups.jsonl"

_DASHES = re.compile(r"[\-\u2010-\u2015\u2212_/]+")
_SPACES = re.compile(r"\s+")


def _norm(text: str) -> str:
    """Case-fold, read hyphens and dashes as spaces, collapse whitespace."""
    return _SPACES.sub(" ", _DASHES.sub(" ", text.casefold())).strip()


def _cue_regex(cues: Iterable[str]) -> re.Pattern[str] | None:
    normed = sorted({_norm(c) for c in cues if _norm(c)}, key=lambda c: (-len(c), c))
    if not normed:
        return None
    return re.compile(r"(?<!\w)(" + "|".join(re.escape(c) for c in normed) + r")(?!\w)")


_PERIOD_FILLER = re.compile(r"\b(?:per|a|an|each|every|within|in|over|for|the|period)\b")


@dataclass
class ClaimGroupLexicon(RuleFile):
    """The data of ``claim_groups.jsonl``: object groups, scope levels, dose roles, units."""

    # RuleFile settings (plain class attributes, not dataclass fields)
    DEFAULT_FILE = ("lexicons", LEXICON_FILE)
    LINE_ERROR = "E062"   # a bad line or record: file, line, reason
    READ_ERROR = "E019"   # an unreadable or missing file

    records: list[dict[str, Any]] = field(default_factory=list)
    source: str = "<records>"
    #: File line of each record (for error messages); ``None``: 1, 2, 3, ...
    line_numbers: list[int] | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.groups: dict[str, str] = {}
        self.side_effect_groups: set[str] = set()
        self.generic_group: str | None = None
        self.dimensions: dict[str, str] = {}
        level_cues: dict[str, dict[str, str]] = {}
        relative: list[str] = []
        self.dose_roles: list[tuple[str, re.Pattern[str]]] = []
        self.units: dict[str, tuple[str, float]] = {}
        self.periods: dict[str, str] = {}
        numbers = self.line_numbers or range(1, len(self.records) + 1)
        for line, rec in zip(numbers, self.records):
            self._add(line, rec, level_cues, relative)
        self._level_rx = {dim: (_cue_regex(cues), cues) for dim, cues in level_cues.items()}
        self._relative_rx = _cue_regex(relative)
        self._group_memo: dict[str, str] = {}
        self._level_memo: dict[tuple[str, str], str | None] = {}

    # -- loading

    def _bad(self, line: int, reason: str) -> ClaimexError:
        return rule_error(self.LINE_ERROR, self.source, line, reason)

    @staticmethod
    def _strings(rec: dict, key: str) -> list[str] | None:
        value = rec.get(key)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return None
        return value

    def _add(self, line: int, rec: Any, level_cues: dict, relative: list) -> None:
        if not isinstance(rec, dict):
            raise self._bad(line, "expected a JSON object")
        kind = rec.get("type")
        if kind == "group":
            group, members = rec.get("group"), self._strings(rec, "members")
            if not isinstance(group, str) or not group.strip() or not members:
                raise self._bad(line, "a group needs a non-empty 'group' and a list of 'members'")
            for member in [group, *members]:
                key = _norm(member)
                if self.groups.get(key, group) != group:
                    raise self._bad(line, f"'{member}' is already in group '{self.groups[key]}'")
                self.groups[key] = group
            if rec.get("side_effect"):
                self.side_effect_groups.add(group)
            if rec.get("generic"):
                if self.generic_group not in (None, group):
                    raise self._bad(line, f"only one generic group is allowed; "
                                          f"'{self.generic_group}' is one already")
                self.generic_group = group
                self.side_effect_groups.add(group)
        elif kind == "dimension":
            dim, kinds = rec.get("dimension"), self._strings(rec, "kinds")
            if not isinstance(dim, str) or not kinds:
                raise self._bad(line, "a dimension needs 'dimension' and a list of qualifier 'kinds'")
            for k in kinds:
                self.dimensions[k] = dim
        elif kind == "level":
            dim, level, cues = rec.get("dimension"), rec.get("level"), self._strings(rec, "cues")
            if not isinstance(dim, str) or not isinstance(level, str) or not cues:
                raise self._bad(line, "a level needs 'dimension', 'level' and a list of 'cues'")
            target = level_cues.setdefault(dim, {})
            for cue in cues:
                target.setdefault(_norm(cue), level)
        elif kind == "relative":
            cues = self._strings(rec, "cues")
            if not cues:
                raise self._bad(line, "a relative record needs a list of 'cues'")
            relative.extend(cues)
        elif kind == "dose_role":
            role, cues = rec.get("role"), self._strings(rec, "cues")
            if role not in ("limit", "warning", "starting") or not cues:
                raise self._bad(line, "a dose_role needs 'role' (limit, warning or starting) "
                                      "and a list of 'cues'")
            self.dose_roles.append((role, _cue_regex(cues)))
        elif kind == "unit":
            unit, aliases, factor = rec.get("unit"), self._strings(rec, "aliases"), rec.get("factor")
            if (not isinstance(unit, str) or not aliases or isinstance(factor, bool)
                    or not isinstance(factor, (int, float)) or factor <= 0):
                raise self._bad(line, "a unit needs 'unit', a list of 'aliases' and a positive 'factor'")
            for alias in aliases:
                self.units[alias.casefold().strip()] = (unit, float(factor))
        elif kind == "period":
            period, aliases = rec.get("period"), self._strings(rec, "aliases")
            if not isinstance(period, str) or aliases is None:
                raise self._bad(line, "a period needs 'period' and a list of 'aliases'")
            for alias in aliases:
                self.periods[self._period_key(alias)] = period
        else:
            raise self._bad(line, f"unknown type {kind!r}; expected group, dimension, level, "
                                  f"relative, dose_role, unit or period")

    # -- the data file (claimex.rulebase.RuleFile gives default, from_file, from_text,
    #    from_records, to_text and to_file)

    @classmethod
    def from_lines(cls, rows: list[tuple[int, Any]], *, source: str) -> ClaimGroupLexicon:
        return cls(records=[r for _, r in rows], source=source, line_numbers=[n for n, _ in rows])

    @classmethod
    def load(cls, path: str | Path | None = None) -> ClaimGroupLexicon:
        """The file at ``path``, or the packaged one for ``None``."""
        return cls.default() if path is None else cls.from_file(path)

    def to_records(self) -> list[dict[str, Any]]:
        return [dict(r) for r in self.records]

    # -- lookups

    def group_of(self, obj: str) -> str:
        group = self._group_memo.get(obj)
        if group is None:
            group = self._group_memo[obj] = self.groups.get(_norm(obj), obj)
        return group

    def level(self, kind: str, text: str) -> tuple[str, str] | None:
        """(dimension, level) of a qualifier, or None when it scopes nothing."""
        dim = self.dimensions.get(kind)
        if dim is None:
            return None
        key = (dim, text)
        if key not in self._level_memo:
            rx, cues = self._level_rx.get(dim, (None, {}))
            m = rx.search(_norm(text)) if rx is not None else None
            self._level_memo[key] = cues[m.group(1)] if m else None
        level = self._level_memo[key]
        return (dim, level) if level is not None else None

    def is_relative(self, text: str) -> bool:
        """Whether ``text`` holds a relative cue ("same level", "milder", "fewer", ...)."""
        return self._relative_rx is not None and self._relative_rx.search(_norm(text)) is not None

    def dose_role(self, text: str) -> str:
        normed = _norm(text)
        for role, rx in self.dose_roles:
            if rx is not None and rx.search(normed):
                return role
        return "recommended"

    def unit(self, unit: str | None) -> tuple[str, float] | None:
        if not unit:
            return None
        return self.units.get(unit.casefold().strip(), (unit.casefold().strip(), 1.0))

    @staticmethod
    def _period_key(period: str) -> str:
        text = _norm(period).replace("hours", "h").replace("hour", "h")
        return _SPACES.sub(" ", _PERIOD_FILLER.sub(" ", text)).strip()

    def period(self, period: str | None) -> str:
        key = self._period_key(period or "")
        return self.periods.get(key, key)
