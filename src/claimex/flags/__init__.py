"""Corpus-level flags: hedged, contradicted and unsupported claims, and one verdict per claim key.

:func:`flag_claims` reads the ``claims``, ``documents`` (and, if given,
``sentences`` and ``entities``) tables and returns the ``flags`` and
``claim_groups`` tables of :mod:`claimex.schema`.  It never compares every
claim with every other: claims are bucketed by key, opposing buckets are
summarised once per (bucket, scope) and every claim reads its summary, so the
work grows linearly with the number of claims (dose claims are sorted once
per subject).  Output is deterministic: the same rows in any order give equal
tables.

Object groups (``pipelines/lexicons/claim_groups.jsonl``)
--------------------------------------------------------
Records of ``"type": "group"`` list near-synonymous canonical objects
(addiction / dependence / dependency / abuse potential → ``dependence``;
sedation / sedating effects / drowsiness → ``sedation``; side effects /
adverse effects / adverse reactions → ``side effects``).  The *group key* of
a claim is ``subject|PREDICATE|group``; an object in no group is its own
group.  Groups with ``"side_effect": true`` are side effects; the one group
with ``"generic": true`` (``side effects``) stands for all of them.  When the
optional ``entities`` table is given, an object whose ``object_ent_id`` has
the label ``SIDE_EFFECT`` is a side effect too.  The same file holds the
qualifier levels, the relative-comparison cues, the dose roles, dose units
and dose periods used below (see its ``note`` fields).

Flags
-----
``hedged``
    ``hedged`` is true or ``certainty`` is not ``asserted``.  The reason names
    the cues (``Hedged with "may", "potentially": the source does not assert
    that kratom TREATS fibromyalgia.``), or the certainty when there is none.
    Score and severity from the certainty: probable 0.3 / low, possible
    0.5 / medium, speculative 0.7 / high (hedged but ``asserted``: 0.3 / low).

``contradicted`` (polarity)
    Another claim with the same subject, predicate and object group has the
    opposite polarity — in another document or in the same one.  Besides
    that, for predicate ``CAUSES``, a *negated* claim about the generic group
    (``without intense side effects``) opposes every *affirmed* claim about
    any side effect of the same subject, and vice versa; a negated claim
    about one side effect does not oppose an affirmed claim about side
    effects in general.

    *Scope.*  Qualifiers of kinds ``amount``/``dose`` and
    ``duration``/``frequency`` are read as levels (low / moderate / high;
    short / long) through the ``level`` records.  Two claims conflict only if,
    in each dimension, their levels are equal or at least one of them has no
    recognised level: "low doses act as a stimulant" and "high doses are
    sedating" do not conflict, while "without the sedating effects" (no
    amount) and "higher amounts can lead to sedation" do.  Qualifier text
    without a recognised level does not scope a claim.

    *Relative claims.*  A claim whose object mention is graded by a
    ``relative`` cue among the 5 words before it ("without the *same level
    of* addiction risk" as opioids, "*milder* side effects", "*lower risk of*
    respiratory depression") compares instead of asserting or denying.  Such
    a claim is flagged ``contradicted`` with severity low and score 0.2 when
    the opposite polarity is claimed, but it is never counted as opposition:
    it flags no other claim.  The cue must sit right before the object,
    because ``degree`` and ``comparator`` qualifiers are attached to every
    claim of a sentence.  A denial with a comparator but no relative cue
    ("without the addictive risks of prescription opioids") is an ordinary
    denial.

    *Severity.*  Sources are near-duplicate clusters (:mod:`claimex.flags.dedup`).
    high (0.9): an opposing claim comes from another source, and both that
    claim and this one are asserted (not hedged); medium (0.6): opposition
    from another source, but one side is hedged; low (0.3): opposition only
    from the same source.

    The reason quotes one opposing claim (an asserted one from another source
    when there is one, else the smallest claim id) and gives the total count;
    ``related_claim_ids`` / ``related_doc_ids`` are the opposing claims and
    their documents, sorted and capped at ``max_related``.

``contradicted`` (doses)
    Affirmed ``DOSAGE`` claims with a dose are compared per subject, unit
    (mg, mcg and kg converted to g; other units only with themselves) and
    period (``day``; a dose without period counts as one day's amount).  The
    ``dose_role`` records give each claim a role from its qualifiers and
    text: ``limit`` (upper limit, maximum, …), ``warning`` (high doses, …:
    not a recommendation, never compared), ``starting``, or, with no cue,
    ``recommended``.  A starting or recommended dose whose upper value
    reaches (``>=``) the lower value of a limit stated by another claim
    conflicts with it: a moderate 5–15 g against an upper limit of 12–15 g
    (15 ≥ 12); a starting dose of 20 g against a maximum of 15 g.  Both
    claims are flagged, severity as above.  Per group the limits are sorted
    by their lower value and the recommendations by their upper value, so the
    conflicting claims of any claim are a prefix found by bisection.  A claim
    with both a polarity and a dose conflict gets one ``contradicted`` flag
    with both reasons.

``unsupported``
    ``evidence`` is ``none``, ``anecdote`` or ``vague-appeal``: nothing
    checkable (link, reference, DOI, PMID, named study) backs the claim.  The
    reason says why and how many other claims with the same key and polarity
    repeat it, from how many *other independent sources* (copies count once:
    near-duplicate documents are one source and a verbatim-shared sentence
    counts for one source only); those claims are ``related_claim_ids``.
    Score: none 0.8, anecdote 0.7, vague-appeal 0.6, minus 0.2 for each other
    independent source (at most 2 counted).  Severity: low with ≥ 2 other
    independent sources, medium with 1 (or for a vague appeal), else high.

``flag_id`` is the first 16 hex digits of ``sha256(f"{claim_id}|{flag}")``.
Flags are sorted by (doc_id, sent_id, claim_id, flag).

Claim groups (one row per ``claim_key``, sorted by it)
------------------------------------------------------
``n_sources``: distinct documents; ``n_independent_sources``: distinct source
units (:func:`claimex.flags.dedup.independent_sources`); ``n_affirming`` /
``n_negating`` / ``n_hedging``: distinct *documents* (not mentions) with an
affirmed / negated / hedged claim of the key.  ``flags``: sorted distinct flag
kinds of its claims.  ``verdict``, the first that applies:

1. ``contradicted``: a claim of the key has a ``contradicted`` flag;
2. ``unsupported``: no claim of the key cites checkable evidence (citation or
   study-reference) and fewer than ``min_independent_sources`` (2)
   independent sources state it unhedged with the same polarity;
3. ``hedged``: no unhedged claim cites checkable evidence, and fewer than 2
   independent sources state it unhedged (only hedged claims carry the
   evidence);
4. ``supported``: an unhedged claim cites checkable evidence, or at least 2
   independent sources state it unhedged with the same polarity, and nothing
   contradicts it.
"""

from __future__ import annotations

import gc
import hashlib
import heapq
import json
import re
import zlib
from bisect import bisect_left, bisect_right, insort
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, fields
from importlib import resources
from itertools import chain
from pathlib import Path, PurePosixPath
from typing import Any, Callable, NamedTuple

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .. import schema
from ..rulebase import iter_jsonl, read_data_file
from .dedup import near_duplicate_clusters, shared_sentence_units
from ..errors import ClaimexError, Errors
from .overstate import overstated_flags
from ..store.tables import LazyStrings, column_values, decoded

__all__ = ["FlagSettings", "ClaimGroupLexicon", "ClaimFlagger", "flag_claims", "flag_id"]

LEXICON_FILE = "claim_groups.jsonl"

CHECKABLE_EVIDENCE = frozenset({"citation", "study-reference", "authority"})
# Predicates whose unhedged, uncited claims a reviewer should read first.
BENEFIT_PREDICATES = frozenset({"TREATS", "SAFER_THAN", "HAS_EFFECT"})
UNSUPPORTED_EVIDENCE = ("none", "anecdote", "vague-appeal")

HEDGE_SCORE = {"asserted": 0.3, "probable": 0.3, "possible": 0.5, "speculative": 0.7}
HEDGE_SEVERITY = {"asserted": "low", "probable": "low", "possible": "medium", "speculative": "high"}
CONTRADICTION_SCORE = {"high": 0.9, "medium": 0.6, "low": 0.3}
RELATIVE_SCORE = 0.2
UNSUPPORTED_SCORE = {"none": 0.8, "anecdote": 0.7, "vague-appeal": 0.6}
_SEVERITY_RANK = {"low": 0, "medium": 1, "high": 2}

# How a claim's attribution reads in an "unsupported" reason.
ANECDOTE_SOURCE = {
    "users": "users report", "anecdote": "anecdotal evidence", "proponents": "proponents claim",
    "author": "the author's own account", "research": "unnamed research",
    "experts": "unnamed experts", "regulators": "unnamed regulators",
}
APPEAL_TARGET = {
    "research": "research", "experts": "experts", "regulators": "regulators",
    "users": "users", "proponents": "proponents", "author": "unnamed evidence",
    "anecdote": "unnamed evidence",
}

_CLAIM_COLUMNS = ("claim_id", "doc_id", "sent_id", "text", "subject", "predicate", "object",
                  "polarity", "hedged", "hedge_cues", "certainty", "attribution", "evidence",
                  "qualifiers", "dose_min", "dose_max", "dose_unit", "dose_period", "claim_key")


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
    #: Cap of related_claim_ids / related_doc_ids (the reason gives the full count).
    max_related: int = 20
    #: Independent unhedged sources that make an uncited claim key "supported".
    min_independent_sources: int = 2
    #: Longest quotation of a claim's text in a reason (centred on the object mention).
    quote_chars: int = 120
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
            ("relative_window_words", self.relative_window_words >= 1, "an integer >= 1"),
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


# --------------------------------------------------------------------------- lexicon

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
class ClaimGroupLexicon:
    """The data of ``claim_groups.jsonl``: object groups, scope levels, dose roles, units."""

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
        return ClaimexError(Errors.E062.format(path=self.source, line=line, reason=reason))

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

    @classmethod
    def from_records(cls, records: list[dict[str, Any]], source: str = "<records>") -> ClaimGroupLexicon:
        return cls(records=list(records), source=source)

    @classmethod
    def from_jsonl(cls, path: str | Path) -> ClaimGroupLexicon:
        source = str(path)
        text = read_data_file(path, lambda line, reason: ClaimexError(Errors.E019.format(path=source, reason=reason)))
        return cls._from_text(text, source)

    @classmethod
    def _from_text(cls, text: str, source: str) -> ClaimGroupLexicon:
        def error(line: int, reason: str) -> ClaimexError:
            return ClaimexError(Errors.E062.format(path=source, line=line, reason=reason))

        rows = list(iter_jsonl(text, error))
        return cls(records=[r for _, r in rows], source=source, line_numbers=[n for n, _ in rows])

    @classmethod
    def default(cls) -> ClaimGroupLexicon:
        ref = resources.files("claimex.pipelines") / "lexicons" / LEXICON_FILE
        return cls._from_text(ref.read_text(encoding="utf-8"), str(ref))

    @classmethod
    def load(cls, path: str | Path | None = None) -> ClaimGroupLexicon:
        return cls.default() if path is None else cls.from_jsonl(path)

    def to_records(self) -> list[dict[str, Any]]:
        return [dict(r) for r in self.records]

    def to_jsonl(self, path: str | Path) -> None:
        Path(path).write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in self.records),
                              encoding="utf-8")

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


# --------------------------------------------------------------------------- helpers

def flag_id(claim_id: str, flag: str) -> str:
    return hashlib.sha256(f"{claim_id}|{flag}".encode()).hexdigest()[:16]


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


class _Summary(NamedTuple):
    """What a claim needs to know about the claims opposing it.

    Claims are numbered in ``claim_id`` order and documents in ``doc_id``
    order, so sorted indices are sorted ids.
    """

    n: int                      # opposing claims
    n_docs: int                 # their distinct documents
    ids: tuple[int, ...]        # smallest claim indices (capped)
    docs: tuple[int, ...]       # smallest document indices (capped)
    clusters: tuple[str, ...]   # up to 2 distinct source clusters among them
    asserted: tuple[str, ...]   # up to 2 distinct clusters among the asserted ones
    rep1: int                   # representative claim
    rep2: int                   # best claim from another cluster than rep1 (-1: none)


def _empty_tables() -> tuple[pa.Table, pa.Table]:
    return schema.FLAGS.empty_table(), schema.CLAIM_GROUPS.empty_table()


def _vocab_array(codes, vocab: tuple[str, ...], type_: pa.DataType) -> pa.Array:
    """A dictionary array over a closed vocabulary (the dictionary is the whole vocabulary)."""
    return pa.DictionaryArray.from_arrays(pa.array(codes, pa.int32()),
                                          pa.array(vocab, pa.string())).cast(type_)


def _list_array(lists: list, values: pa.Array) -> pa.Array:
    """list<string> array whose row k holds ``values[j] for j in lists[k]``."""
    lengths = np.fromiter((len(x) for x in lists), dtype=np.int64, count=len(lists))
    offsets = np.zeros(len(lists) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    flat = np.fromiter(chain.from_iterable(lists), dtype=np.int64, count=int(offsets[-1]))
    return pa.ListArray.from_arrays(pa.array(offsets.astype(np.int32)), values.take(pa.array(flat)))


# --------------------------------------------------------------------------- the stage

def _settings_and_lexicon(claims: pa.Table, settings: FlagSettings | None,
                          lexicon: ClaimGroupLexicon | None) -> tuple[FlagSettings, ClaimGroupLexicon]:
    """Validated settings, the lexicon to use, and ``E060`` if ``claims`` lacks a column."""
    settings = settings or FlagSettings()
    settings.validate()
    lex = lexicon or ClaimGroupLexicon.load(settings.lexicon_path)
    missing = [c for c in _CLAIM_COLUMNS if c not in claims.column_names]
    if missing:
        raise ClaimexError(Errors.E060.format(table="claims", missing=", ".join(missing)))
    return settings, lex


def flag_claims(
    claims: pa.Table,
    documents: pa.Table,
    sentences: pa.Table | None = None,
    *,
    entities: pa.Table | None = None,
    settings: FlagSettings | None = None,
    lexicon: ClaimGroupLexicon | None = None,
    flags_sink: Callable[[pa.RecordBatch], None] | None = None,
    sources: SourceUnits | None = None,
) -> tuple[pa.Table | None, pa.Table]:
    """Return the ``(flags, claim_groups)`` tables for a corpus (rules: module docstring).

    With ``flags_sink``, the flag rows are handed to it in record batches, in
    table order, as they are made (so that the flags table of a large corpus
    never sits in memory whole), and ``None`` is returned in place of the
    flags table.

    ``sources``: the corpus's source units computed beforehand (see
    :func:`source_units`); then ``documents`` needs only ``doc_id`` (and
    ``source``) and ``sentences`` is not read.
    """
    settings, lex = _settings_and_lexicon(claims, settings, lexicon)
    for name, columns in (("documents", ("doc_id",) if sources else ("doc_id", "text")),):
        missing = [c for c in columns if c not in documents.column_names]
        if missing:
            raise ClaimexError(Errors.E060.format(table=name, missing=", ".join(missing)))
    if claims.num_rows == 0:
        flags, groups = _empty_tables()
        return (None if flags_sink else flags), groups
    # The stage allocates millions of small tuples and lists without reference
    # cycles; the cyclic garbage collector would rescan them again and again
    # (quadratic in effect), so it is paused while the stage runs.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        flagger = _Flagger(claims, documents, sentences, entities, settings, lex, sources=sources)
        # overstated: the same claim stated more strongly than another
        # independent source states it (claimex.flags.overstate, same source units)
        overstated = overstated_flags(claims, documents=documents,
                                      source_units=dict(zip(flagger.claim_id, flagger.unit)))
        return flagger.run(overstated, sink=flags_sink)
    finally:
        if was_enabled:
            gc.enable()


class SourceUnits(NamedTuple):
    """Who counts as one source: near-duplicate documents are one source, and so is
    every copy of a verbatim-shared sentence (:mod:`claimex.flags.dedup`)."""

    clusters: dict[str, str]              # doc_id -> near-duplicate cluster id
    shared: dict[tuple[str, str], str]    # (doc_id, sent_id) -> shared-sentence unit


def source_units(documents: pa.Table, sentences: pa.Table | None = None, *,
                 settings: FlagSettings | None = None) -> SourceUnits:
    """The corpus-wide source units the flags stage counts sources by."""
    s = settings or FlagSettings()
    clusters = near_duplicate_clusters(documents, threshold=s.minhash_threshold, num_perm=s.num_perm,
                                       shingle_size=s.shingle_size, seed=s.minhash_seed)
    shared = (shared_sentence_units(sentences, clusters, min_words=s.min_shared_sentence_words)
              if sentences is not None else {})
    return SourceUnits(clusters, shared)


def flag_claims_by_subject(
    claims: pa.Table,
    documents: pa.Table,
    sentences: pa.Table | None = None,
    *,
    entities: pa.Table | None = None,
    settings: FlagSettings | None = None,
    lexicon: ClaimGroupLexicon | None = None,
    n_partitions: int = 16,
    map_partitions: Callable[[Callable, list], Iterable] | None = None,
) -> tuple[pa.Table, pa.Table]:
    """:func:`flag_claims` as a group-by: the same two tables, computed part by part.

    Every rule compares only claims about the same subject (contradictions
    within subject-predicate-object groups and per subject for doses,
    corroboration and ``overstated`` per ``claim_key``), so the claims are
    split by a hash of their subject into ``n_partitions`` parts, which
    ``map_partitions(fn, parts)`` flags independently (default: one after
    the other here; the Dask engine passes its cluster's ``map``).  Source
    units are computed once for the whole corpus first.  The parts' tables
    are concatenated and put in table order.
    """
    settings, lex = _settings_and_lexicon(claims, settings, lexicon)
    if not isinstance(n_partitions, int) or isinstance(n_partitions, bool) or n_partitions < 1:
        raise ClaimexError(Errors.E065.format(value=n_partitions))
    missing = [c for c in ("ent_id", "label") if entities is not None and c not in entities.column_names]
    if missing:
        raise ClaimexError(Errors.E060.format(table="entities", missing=", ".join(missing)))
    if claims.num_rows == 0:
        return flag_claims(claims, documents, sentences, entities=entities, settings=settings, lexicon=lex)
    _validate_claims(claims)
    _check_unique(sorted(column_values(claims.column("claim_id"))))
    units = source_units(documents, sentences, settings=settings)
    names = documents.select([c for c in ("doc_id", "source") if c in documents.column_names])
    if entities is not None and "object_ent_id" in claims.column_names:
        entities = entities.select(["ent_id", "label"]).filter(
            pc.equal(decoded(entities.column("label")), "SIDE_EFFECT"))
    subjects = column_values(claims.column("subject"))
    part_of = {s: zlib.crc32((s or "").encode("utf-8")) % n_partitions for s in set(subjects)}
    members: list[list[int]] = [[] for _ in range(n_partitions)]
    for i, subject in enumerate(subjects):
        members[part_of[subject]].append(i)
    parts = [_part(claims.take(pa.array(idx, pa.int64())), names, entities, units, settings, lex)
             for idx in members if idx]
    results = list((map_partitions or map)(_flag_partition, parts))
    flags = pa.concat_tables([f for f, _ in results])
    groups = pa.concat_tables([g for _, g in results])
    order = pc.sort_indices(pa.table({
        "doc_id": flags.column("doc_id"), "sent_id": flags.column("sent_id"),
        "claim_id": flags.column("claim_id"), "flag": flags.column("flag").cast(pa.string())}),
        sort_keys=[("doc_id", "ascending"), ("sent_id", "ascending"), ("claim_id", "ascending"),
                   ("flag", "ascending")])
    return flags.take(order), groups.sort_by("claim_key")


def _part(claims: pa.Table, names: pa.Table, entities: pa.Table | None, units: SourceUnits,
          settings: FlagSettings, lex: ClaimGroupLexicon) -> tuple:
    """One part's task: its claims with just the documents, source units and
    side-effect entities they refer to (every rule looks only at those), so that
    a task carries a share of the corpus, not all of it."""
    doc_ids = column_values(claims.column("doc_id"))
    docs = set(doc_ids)
    names = names.filter(pc.is_in(names.column("doc_id"), pa.array(sorted(docs), pa.string())))
    clusters = {d: units.clusters[d] for d in sorted(docs) if d in units.clusters}
    keys = sorted(set(zip(doc_ids, column_values(claims.column("sent_id")))))
    shared = {k: units.shared[k] for k in keys if k in units.shared}
    if entities is not None and "object_ent_id" in claims.column_names:
        wanted = pa.array(sorted({e for e in column_values(claims.column("object_ent_id")) if e}), pa.string())
        entities = entities.filter(pc.is_in(decoded(entities.column("ent_id")), wanted))
    return claims, names, entities, SourceUnits(clusters, shared), settings, lex


def _flag_partition(part: tuple) -> tuple[pa.Table, pa.Table]:
    claims, documents, entities, units, settings, lex = part
    return flag_claims(claims, documents, entities=entities, settings=settings, lexicon=lex, sources=units)


class ClaimFlagger:
    """A thin, spaCy-like wrapper around :func:`flag_claims`.

    Settings are keyword-only; the lexicon is loaded in :meth:`initialize`
    (the packaged one by default) and saved with the settings by
    :meth:`to_disk`, so a saved flagger runs the same way anywhere.
    """

    name = "claimex_flags"
    SETTINGS_FILE = "settings.json"

    def __init__(self, *, settings: FlagSettings | None = None):
        self.settings = settings or FlagSettings()
        self.settings.validate()
        self.lexicon: ClaimGroupLexicon | None = None

    def initialize(self, lexicon: ClaimGroupLexicon | None = None) -> ClaimFlagger:
        self.lexicon = lexicon or ClaimGroupLexicon.load(self.settings.lexicon_path)
        return self

    def __call__(self, claims: pa.Table, documents: pa.Table, sentences: pa.Table | None = None, *,
                 entities: pa.Table | None = None) -> tuple[pa.Table, pa.Table]:
        if self.lexicon is None:
            raise ClaimexError(Errors.E040.format(name=self.name))
        return flag_claims(claims, documents, sentences, entities=entities, settings=self.settings,
                           lexicon=self.lexicon)

    def to_disk(self, path: str | Path) -> None:
        if self.lexicon is None:
            raise ClaimexError(Errors.E040.format(name=self.name))
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        settings = dict(self.settings.to_dict(), lexicon_path=None)
        (path / self.SETTINGS_FILE).write_text(json.dumps(settings, indent=2, sort_keys=True) + "\n",
                                               encoding="utf-8")
        self.lexicon.to_jsonl(path / LEXICON_FILE)

    def from_disk(self, path: str | Path) -> ClaimFlagger:
        path = Path(path)
        try:
            data = json.loads((path / self.SETTINGS_FILE).read_text(encoding="utf-8"))
        except OSError as err:
            raise ClaimexError(Errors.E019.format(path=path / self.SETTINGS_FILE,
                                                  reason=err.strerror or err)) from None
        self.settings = FlagSettings.from_dict(data)
        self.settings.validate()
        self.lexicon = ClaimGroupLexicon.from_jsonl(path / LEXICON_FILE)
        return self


_MISSING = object()
_GROUP_FLAGS = ("contradicted", "hedged", "overstated", "unsupported")  # sorted
FLAG_BATCH_ROWS = 8192  # flag rows per Arrow record batch while the flags table is built


class _Flagger:
    """One run of the stage.  Claims are numbered in ``claim_id`` order."""

    def __init__(self, claims: pa.Table, documents: pa.Table, sentences: pa.Table | None,
                 entities: pa.Table | None, settings: FlagSettings, lex: ClaimGroupLexicon, *,
                 sources: SourceUnits | None = None):
        self.s = settings
        self.lex = lex
        self.cap = settings.max_related
        _validate_claims(claims)
        claims = claims.take(pc.sort_indices(claims, sort_keys=[("claim_id", "ascending")]))
        self.claims = claims
        self.n = claims.num_rows
        col = lambda name: column_values(claims.column(name))  # noqa: E731
        self.claim_id = col("claim_id")
        _check_unique(self.claim_id)
        self.doc = col("doc_id")
        self.sent = col("sent_id")
        self.text = LazyStrings(claims.column("text"))
        self.subject = col("subject")
        self.predicate = col("predicate")
        self.object = col("object")
        self.object_text = col("object_text") if "object_text" in claims.column_names else self.object
        self.negated = [p == "negated" for p in col("polarity")]
        self.hedge_cues = col("hedge_cues")
        self.certainty = col("certainty")
        self.attribution = col("attribution")
        self.evidence = col("evidence")
        self.claim_key = col("claim_key")
        self.dose_min = col("dose_min")
        self.dose_max = col("dose_max")
        self.dose_unit = col("dose_unit")
        self.dose_period = col("dose_period")
        self.hedged_eff = [bool(h) or c != "asserted" for h, c in zip(col("hedged"), self.certainty)]

        # documents are numbered in doc_id order too
        self.doc_ids = sorted(set(self.doc))
        rank = {d: k for k, d in enumerate(self.doc_ids)}
        self.doc_idx = [rank[d] for d in self.doc]

        # sources
        clusters, shared = sources or source_units(documents, sentences, settings=settings)
        self.cluster = [clusters.get(d, d) for d in self.doc]
        self.unit = ([shared.get((d, s), c) for d, s, c in zip(self.doc, self.sent, self.cluster)]
                     if shared else self.cluster)
        names = {}
        doc_sources = (column_values(documents.column("source")) if "source" in documents.column_names
                       else [None] * documents.num_rows)
        for doc_id, source in zip(column_values(documents.column("doc_id")), doc_sources):
            name = PurePosixPath(str(source).replace("\\", "/").rstrip("/")).name if source else ""
            names[doc_id] = f"{doc_id} ({name})" if name and name != doc_id else doc_id
        self.doc_name = names

        self.group = [lex.group_of(o) for o in self.object]
        self._qualifiers(claims)
        se_labels = self._side_effect_objects(claims, entities)
        generic = lex.generic_group
        se_groups = lex.side_effect_groups
        self.is_se = [p == "CAUSES" and (g in se_groups or lab)
                      for p, g, lab in zip(self.predicate, self.group, se_labels)]
        self.is_generic = [p == "CAUSES" and generic is not None and g == generic
                           for p, g in zip(self.predicate, self.group)]
        # contradictions: claim index -> (severity, score, reason, claim indices, doc indices)
        self.polarity_conflict: dict[int, tuple] = {}
        self.dose_conflict: dict[int, tuple] = {}

    # -- input

    def _qualifiers(self, claims: pa.Table) -> None:
        n = self.n
        self.amount: list[str | None] = [None] * n
        self.duration: list[str | None] = [None] * n
        self.comparator: list[str | None] = [None] * n
        self.qual_text: list[str] = [""] * n
        q = claims.column("qualifiers").combine_chunks()
        flat = pc.list_flatten(q)
        if len(flat) == 0:
            return
        parents = pc.list_parent_indices(q).to_pylist()
        kinds = pc.struct_field(flat, "kind").to_pylist()
        texts = pc.struct_field(flat, "text").to_pylist()
        level = self.lex.level
        amount, duration, comparator, qual_text = self.amount, self.duration, self.comparator, self.qual_text
        for i, kind, text in zip(parents, kinds, texts):
            if not kind or not text:
                continue
            qual_text[i] += " " + text
            if kind == "comparator":
                if comparator[i] is None:
                    comparator[i] = text
                continue
            scoped = level(kind, text)
            if scoped is not None:
                dim, lev = scoped
                if dim == "amount":
                    if amount[i] is None:
                        amount[i] = lev
                elif duration[i] is None:
                    duration[i] = lev

    def _side_effect_objects(self, claims: pa.Table, entities: pa.Table | None) -> list[bool]:
        if entities is None or "object_ent_id" not in claims.column_names:
            return [False] * self.n
        missing = [c for c in ("ent_id", "label") if c not in entities.column_names]
        if missing:
            raise ClaimexError(Errors.E060.format(table="entities", missing=", ".join(missing)))
        labels = decoded(entities.column("label"))
        se_ids = pc.filter(decoded(entities.column("ent_id")), pc.equal(labels, "SIDE_EFFECT"))
        objects = decoded(claims.column("object_ent_id"))
        return pc.is_in(objects, value_set=se_ids.combine_chunks().cast(objects.type)).to_pylist()

    # -- text helpers

    def mentions(self, i: int, text: str) -> Iterator[re.Match[str]]:
        """Where the claim's object is mentioned in ``text`` (case-insensitive)."""
        obj = (self.object_text[i] or self.object[i] or "").strip()
        return re.finditer(re.escape(obj), text, re.IGNORECASE) if obj else iter(())

    def quote(self, i: int) -> str:
        """The claim's text, cut to ``quote_chars`` around the first mention of its object."""
        text = _SPACES.sub(" ", self.text[i] or "").strip()
        limit = self.s.quote_chars
        if len(text) <= limit:
            return text
        m = next(self.mentions(i, text), None)
        start = max(0, min((m.start() if m else 0) - limit // 3, len(text) - limit))
        end = start + limit
        snippet = text[start:end]
        if start > 0:
            if text[start - 1] != " " and " " in snippet:  # drop the partial first word
                snippet = snippet.split(" ", 1)[1]
            snippet = "\u2026" + snippet.lstrip(" ,;:")
        if end < len(text):
            if text[end] != " " and " " in snippet:  # drop the partial last word
                snippet = snippet.rsplit(" ", 1)[0]
            snippet = snippet.rstrip(" ,;:") + "\u2026"
        return snippet

    def stmt(self, i: int) -> str:
        return f"{self.subject[i]} {self.predicate[i]} {self.object[i]}"

    def where(self, rep: int, i: int) -> str:
        if self.doc[rep] == self.doc[i]:
            return "the same document"
        return self.doc_name.get(self.doc[rep], self.doc[rep])

    def relative_phrase(self, i: int, has_cue: dict[str, bool]) -> str | None:
        """The relative phrase grading the claim's object ("same level of addiction"), if any.

        A relative cue must occur among the ``relative_window_words`` words right
        before a mention of the object; the phrase runs from the cue to the end
        of the mention.  ``has_cue`` memoises the quick whole-text check.
        """
        text = self.text[i] or ""
        found = has_cue.get(text)
        if found is None:
            found = has_cue[text] = self.lex.is_relative(text)
        if not found:
            return None
        window = self.s.relative_window_words
        for m in self.mentions(i, text):
            words = text[:m.start()].split()[-window:]
            for j in range(len(words) - 1, -1, -1):
                if self.lex.is_relative(" ".join(words[j:])):
                    return " ".join([*words[j:], m.group(0)]).strip(" ,;:.()\"'")
        return None

    # -- summaries of opposing claims

    def summarise(self, idxs: list[int]) -> _Summary:
        cap, doc_idx, cluster, hedged = self.cap, self.doc_idx, self.cluster, self.hedged_eff
        ids = tuple(heapq.nsmallest(cap, idxs))
        docset = {doc_idx[i] for i in idxs}
        docs = tuple(heapq.nsmallest(cap, docset))
        clusters: list[str] = []
        asserted: list[str] = []
        for i in idxs:
            c = cluster[i]
            if len(clusters) < 2 and c not in clusters:
                clusters.append(c)
            if not hedged[i] and len(asserted) < 2 and c not in asserted:
                asserted.append(c)
            if len(clusters) == 2 and len(asserted) == 2:
                break
        # representative: asserted first, then smallest claim id (= smallest index)
        rep1 = min(idxs, key=lambda i: (hedged[i], i))
        c1 = cluster[rep1]
        rep2 = min((i for i in idxs if cluster[i] != c1), key=lambda i: (hedged[i], i), default=-1)
        return _Summary(len(idxs), len(docset), ids, docs, tuple(clusters), tuple(asserted), rep1, rep2)

    def severity(self, i: int, summ: _Summary) -> str:
        mine = self.cluster[i]
        if not self.hedged_eff[i] and any(c != mine for c in summ.asserted):
            return "high"
        if any(c != mine for c in summ.clusters):
            return "medium"
        return "low"

    def representative(self, i: int, summ: _Summary) -> int:
        if summ.rep2 < 0 or self.cluster[summ.rep1] != self.cluster[i]:
            return summ.rep1
        return summ.rep2

    # -- contradictions by polarity

    def polarity_conflicts(self) -> None:
        n, subject, negated = self.n, self.subject, self.negated
        is_se, is_generic = self.is_se, self.is_generic
        has_cue: dict[str, bool] = {}
        relative = [self.relative_phrase(i, has_cue) for i in range(n)]
        sig = list(zip(self.amount, self.duration))
        gcode: dict[tuple, int] = {}
        gid = [0] * n
        for i, key in enumerate(zip(subject, self.predicate, self.group)):
            code = gcode.get(key)
            if code is None:
                code = gcode[key] = len(gcode)
            gid[i] = code
        # buckets of opposition: (object group, negated) and ("SE", subject) for affirmed side effects
        buckets: dict[tuple, dict[tuple, list[int]]] = {}
        # A regulatory status differs by place and date ("legal in California",
        # "banned in Alabama"): REGULATED claims never contradict each other.
        regulatory = [p == "REGULATED" for p in self.predicate]
        for i in range(n):
            if relative[i] is not None or regulatory[i]:
                continue  # a comparison is not opposition
            for key in (((gid[i], negated[i]), ("SE", subject[i])) if is_se[i] and not negated[i]
                        else ((gid[i], negated[i]),)):
                by_sig = buckets.get(key)
                if by_sig is None:
                    by_sig = buckets[key] = {}
                members = by_sig.get(sig[i])
                if members is None:
                    members = by_sig[sig[i]] = []
                members.append(i)
        memo: dict[tuple, Any] = {}
        texts: dict[tuple, str] = {}
        side_docs: dict[tuple, int] = {}
        for i in range(n):
            if regulatory[i]:
                continue
            if negated[i]:
                keys: tuple = (("SE", subject[i]),) if is_generic[i] else ((gid[i], False),)
            else:
                # An affirmed side effect is opposed by denials of its own group only: a
                # blanket denial ("without the side effects") is flagged once, on the
                # denial, with the side effects it opposes as its related claims, instead
                # of putting a flag on every side effect named anywhere in the corpus.
                keys = ((gid[i], True),)
            mkey = (keys, sig[i])
            entry = memo.get(mkey, _MISSING)
            if entry is _MISSING:
                entry = memo[mkey] = self._opposing(keys, sig[i], buckets)
            if entry is not None and self._outnumbered_opposition(i, entry[0], buckets, gid, side_docs):
                continue
            if entry is not None:
                self._add_polarity_conflict(i, entry, relative[i], texts)

    #: A claim stated by at least this many documents is not flagged when a single
    #: document opposes it: the lone opposing claim is (the flag goes on it).
    MAJORITY_DOCS = 3

    def _outnumbered_opposition(self, i: int, opposing: _Summary, buckets: dict, gid: list[int],
                                side_docs: dict[tuple, int]) -> bool:
        """True when claim ``i``'s side is stated by >= MAJORITY_DOCS documents and the
        opposing side by one document only: contradictions in proportion (one misread
        negation must not flag every source that states the opposite)."""
        if opposing.n_docs != 1:
            return False
        key = (gid[i], self.negated[i])
        opp_sigs = tuple(sorted({(self.amount[k], self.duration[k]) for k in opposing.ids}, key=repr))
        n_docs = side_docs.get((key, opp_sigs))
        if n_docs is None:
            # the claims on i's side that the opposing claims oppose: levels compatible with theirs
            def opposed(a2, d2) -> bool:
                return any((a is None or a2 is None or a == a2) and (d is None or d2 is None or d == d2)
                           for a, d in opp_sigs)
            members = [j for (a2, d2), group in buckets.get(key, {}).items() if opposed(a2, d2) for j in group]
            n_docs = side_docs[(key, opp_sigs)] = len({self.doc[j] for j in members})
        return n_docs >= self.MAJORITY_DOCS

    def _opposing(self, keys: tuple, sig: tuple, buckets: dict) -> tuple[_Summary, str] | None:
        idxs: list[int] = []
        a, d = sig
        for key in keys:
            for (a2, d2), members in buckets.get(key, {}).items():
                if (a is None or a2 is None or a == a2) and (d is None or d2 is None or d == d2):
                    idxs.extend(members)
        if not idxs:
            return None
        summ = self.summarise(idxs)
        count = (f" {_plural(summ.n, 'opposing claim')} in {_plural(summ.n_docs, 'document')}."
                 if summ.n > 1 else "")
        return summ, count

    def _add_polarity_conflict(self, i: int, entry: tuple[_Summary, str], relative: str | None,
                               texts: dict[tuple, str]) -> None:
        summ, count = entry
        rep = self.representative(i, summ)
        same_doc = self.doc[rep] == self.doc[i]
        text_key = (rep, same_doc, self.object[i], self.is_generic[i])
        opposing = texts.get(text_key)
        if opposing is None:
            if self.object[rep] == self.object[i]:
                note = ""
            elif self.is_generic[i] != self.is_generic[rep]:
                note = f' ("{self.lex.generic_group}" covers every side effect)'
            else:
                note = f' (same group "{self.group[i]}")'
            verb = "denies" if self.negated[rep] else "asserts"
            opposing = texts[text_key] = (f'{self.where(rep, i)} {verb} that {self.stmt(rep)}{note}: '
                                          f'"{self.quote(rep)}".')
        lead = "Denies" if self.negated[i] else "Asserts"
        if relative is not None:
            compared = f", compared with {self.comparator[i]}" if self.comparator[i] else ""
            reason = (f'{lead} that {self.stmt(i)} only relatively ("{relative}"{compared}); '
                      f"{opposing}{count} A comparison is a weak contradiction.")
            severity, score = "low", RELATIVE_SCORE
        else:
            reason = f"{lead} that {self.stmt(i)}; {opposing}{count}"
            severity = self.severity(i, summ)
            score = CONTRADICTION_SCORE[severity]
        self.polarity_conflict[i] = (severity, score, reason, summ.ids, summ.docs)

    # -- contradictions between doses

    def _fmt_dose(self, i: int) -> str:
        lo, hi, unit = self.dose_min[i], self.dose_max[i], self.dose_unit[i] or ""
        if lo is not None and hi is not None and lo != hi:
            return f"{lo:g}\u2013{hi:g} {unit}".rstrip()
        return f"{(lo if lo is not None else hi):g} {unit}".rstrip()

    def _fmt_period(self, i: int) -> str:
        period = (self.dose_period[i] or "").strip()
        if not period:
            return ""
        first = period.split()[0].casefold()
        if first in ("per", "within", "a", "an", "each", "every", "in", "over", "daily", "for"):
            return f" {period}"
        return f" per {period}"

    def dose_conflicts(self) -> None:
        lex = self.lex
        limits: dict[tuple, list[tuple[float, int]]] = {}
        recs: dict[tuple, list[tuple[float, int]]] = {}
        for i in range(self.n):
            if self.predicate[i] != "DOSAGE" or self.negated[i]:
                continue
            lo, hi = self.dose_min[i], self.dose_max[i]
            if lo is None and hi is None:
                continue
            unit = lex.unit(self.dose_unit[i])
            if unit is None:
                continue
            base, factor = unit
            role = lex.dose_role(f"{self.qual_text[i]} {self.text[i]}")
            key = (self.subject[i], base, lex.period(self.dose_period[i]))
            if role == "limit":
                limits.setdefault(key, []).append(((lo if lo is not None else hi) * factor, i))
            elif role in ("starting", "recommended"):
                # negated upper value: sorting ascending puts the largest dose first
                recs.setdefault(key, []).append((-(hi if hi is not None else lo) * factor, i))
        for key, lims in limits.items():
            rs = recs.get(key)
            if not rs:
                continue
            lims.sort()
            rs.sort()
            lim_values = [v for v, _ in lims]
            rec_values = [v for v, _ in rs]
            lim_prefix = self._prefixes([i for _, i in lims])
            rec_prefix = self._prefixes([i for _, i in rs])
            for neg_hi, i in rs:
                k = bisect_right(lim_values, -neg_hi)  # limits whose lower value <= my upper value
                if k:
                    self._add_dose_conflict(i, lim_prefix[k - 1], limit_side=False)
            for lo, i in lims:
                k = bisect_right(rec_values, -lo)  # doses whose upper value >= my lower value
                if k:
                    self._add_dose_conflict(i, rec_prefix[k - 1], limit_side=True)

    def _prefixes(self, order: list[int]) -> list[_Summary]:
        cap, out = self.cap, []
        ids: list[int] = []
        docs: list[int] = []
        docset: set[int] = set()
        clusters: list[str] = []
        asserted: list[str] = []
        rep1, rep2 = order[0], -1
        for pos, i in enumerate(order):
            if len(ids) < cap or i < ids[-1]:
                insort(ids, i)
                del ids[cap:]
            d = self.doc_idx[i]
            if d not in docset:
                docset.add(d)
                if len(docs) < cap or d < docs[-1]:
                    insort(docs, d)
                    del docs[cap:]
            c = self.cluster[i]
            if len(clusters) < 2 and c not in clusters:
                clusters.append(c)
            if not self.hedged_eff[i] and len(asserted) < 2 and c not in asserted:
                asserted.append(c)
            if rep2 < 0 and c != self.cluster[rep1]:
                rep2 = i
            out.append(_Summary(pos + 1, len(docset), tuple(ids), tuple(docs), tuple(clusters),
                                tuple(asserted), rep1, rep2))
        return out

    def _add_dose_conflict(self, i: int, summ: _Summary, *, limit_side: bool) -> None:
        rep = self.representative(i, summ)
        where = self.where(rep, i)
        if limit_side:
            reason = (f"Gives an upper limit of {self._fmt_dose(i)}{self._fmt_period(i)}; "
                      f'{where} says "{self.quote(rep)}" ({self._fmt_dose(rep)}), which reaches it.')
            what = "conflicting dose"
        else:
            reason = (f'Says "{self.quote(i)}" ({self._fmt_dose(i)}); {where} gives an upper limit '
                      f"of {self._fmt_dose(rep)}{self._fmt_period(rep)}.")
            what = "conflicting upper limit"
        if summ.n > 1:
            reason += f" {_plural(summ.n, what)} in {_plural(summ.n_docs, 'document')}."
        severity = self.severity(i, summ)
        self.dose_conflict[i] = (severity, CONTRADICTION_SCORE[severity], reason, summ.ids, summ.docs)

    # -- hedged / unsupported

    def hedged_flag(self, i: int) -> tuple[str, float, str]:
        certainty = self.certainty[i]
        if self.negated[i]:
            tail = f"the source does not firmly deny that {self.stmt(i)}."
        else:
            tail = f"the source does not assert that {self.stmt(i)}."
        cues = list(dict.fromkeys(self.hedge_cues[i] or ()))
        if cues:
            reason = "Hedged with " + ", ".join(f'"{c}"' for c in cues) + ": " + tail
        else:
            reason = f"Stated as {certainty}: {tail}"
        return HEDGE_SEVERITY[certainty], HEDGE_SCORE[certainty], reason

    def corroboration(self) -> tuple[list[int], list[tuple]]:
        """Per (claim_key, polarity) group: size, first ids, doc counts, first docs, units."""
        code: dict[tuple[str, bool], int] = {}
        group_of = [0] * self.n
        members: list[list[int]] = []
        for i, key in enumerate(zip(self.claim_key, self.negated)):
            g = code.get(key)
            if g is None:
                g = code[key] = len(members)
                members.append([])
            members[g].append(i)
            group_of[i] = g
        cap1 = self.cap + 1
        doc_idx, unit = self.doc_idx, self.unit
        info = []
        for idxs in members:  # indices ascending = claim ids ascending
            doc_counts: dict[int, int] = {}
            for i in idxs:
                d = doc_idx[i]
                doc_counts[d] = doc_counts.get(d, 0) + 1
            n_units = len({unit[i] for i in idxs}) if len(idxs) > 1 else 1
            cited_units = frozenset(unit[i] for i in idxs if self.evidence[i] in CHECKABLE_EVIDENCE)
            info.append((len(idxs), idxs[:cap1], doc_counts, heapq.nsmallest(cap1, doc_counts), n_units,
                         cited_units))
        return group_of, info

    @staticmethod
    def unsupported_reason(evidence: str, attribution: str, others: int,
                           other_sources: int, strong: bool = False) -> tuple[str, float, str]:
        if evidence == "anecdote":
            why = (f"Rests on anecdote ({ANECDOTE_SOURCE.get(attribution, attribution)}): "
                   f"no link, reference, DOI, PMID or named study.")
        elif evidence == "vague-appeal":
            why = (f"Appeals to {APPEAL_TARGET.get(attribution, attribution)} without naming a "
                   f"study: no link, reference, DOI or PMID.")
        else:
            why = "Cites nothing: no link, reference, DOI, PMID or named study."
        if others == 0:
            more = " No other claim states it."
        elif other_sources == 0:
            more = (f" Repeated by {_plural(others, 'other claim')}, but by no other independent "
                    f"source (repeats within a document and copies count once).")
        else:
            more = (f" Also stated by {_plural(others, 'other claim')} from "
                    f"{_plural(other_sources, 'other independent source')}.")
        # what a reviewer should read first: an unhedged claim of benefit or safety with
        # nothing or only anecdote behind it; a hedged claim, or one that other
        # independent sources repeat, comes later
        if other_sources >= 2:
            severity = "low"
        elif strong and evidence != "vague-appeal" and other_sources == 0:
            severity = "high"
        elif strong or other_sources == 1 or evidence == "vague-appeal":
            severity = "medium"
        else:
            severity = "low"
        score = round(UNSUPPORTED_SCORE[evidence] - 0.2 * min(other_sources, 2) + (0.1 if strong else 0.0), 3)
        return severity, score, why + more

    def unsupported_flag(self, i: int, info: tuple, memo: dict) -> tuple[str, float, str, list, list]:
        n_group, ids, doc_counts, docs, n_units, _cited = info
        strong = self.predicate[i] in BENEFIT_PREDICATES and not self.hedged_eff[i] and not self.negated[i]
        key = (self.evidence[i], self.attribution[i], n_group - 1, n_units - 1, strong)
        found = memo.get(key)
        if found is None:
            found = memo[key] = self.unsupported_reason(*key)
        cap = self.cap
        if i <= ids[-1]:  # i is among the first ids of its group: leave it out
            k = bisect_left(ids, i)
            related = (ids[:k] + ids[k + 1:])[:cap]
        else:
            related = ids[:cap]
        own = self.doc_idx[i]
        if doc_counts[own] == 1 and own <= docs[-1]:
            k = bisect_left(docs, own)
            related_docs = (docs[:k] + docs[k + 1:])[:cap]
        else:
            related_docs = docs[:cap]
        return (*found, related, related_docs)

    # -- output

    def run(self, overstated: list[dict[str, Any]] = (),
            sink: Callable[[pa.RecordBatch], None] | None = None) -> tuple[pa.Table | None, pa.Table]:
        """Both tables (``None`` for flags when ``sink`` takes its batches, see :func:`flag_claims`);
        ``overstated``: the rows of :func:`claimex.flags.overstate.overstated_flags`."""
        self.polarity_conflicts()
        self.dose_conflicts()
        group_of, info = self.corroboration()
        n, cap = self.n, self.cap
        flag_code = {k: c for c, k in enumerate(schema.FLAG_KINDS)}
        sev_code = {k: c for c, k in enumerate(schema.SEVERITIES)}
        contradicted = np.zeros(n, dtype=bool)
        unsupported = np.zeros(n, dtype=bool)
        over = np.zeros(n, dtype=bool)
        reason_memo: dict = {}
        claim_index = {c: k for k, c in enumerate(self.claim_id)} if overstated else {}
        doc_index = {d: k for k, d in enumerate(self.doc_ids)}
        over_by_claim = {}
        for row in overstated:
            k = claim_index[row["claim_id"]]
            over_by_claim[k] = (row["severity"], row["score"], row["reason"],
                                [claim_index[c] for c in row["related_claim_ids"]],
                                [doc_index[d] for d in row["related_doc_ids"]])
        del claim_index

        # Rows are gathered in Python lists and turned into an Arrow record
        # batch every FLAG_BATCH_ROWS rows, so that the Python objects of at
        # most one batch exist at a time, however many flags the corpus has.
        cols: dict[str, list] = {}
        batches: list[pa.RecordBatch] = []
        put = sink or batches.append
        claim_ids = pa.array(self.claim_id, pa.string())
        doc_id_values = pa.array(self.doc_ids, pa.string())

        def flush() -> None:
            if cols.get("rows"):
                put(self._flag_batch(cols, claim_ids, doc_id_values))
            for name in ("rows", "fids", "flags", "severities", "scores", "reasons", "related", "related_docs"):
                cols[name] = []

        flush()

        def emit(i, flag, severity, score, reason, ids, docs):
            cols["rows"].append(i)
            cols["fids"].append(flag_id(self.claim_id[i], flag))
            cols["flags"].append(flag_code[flag])
            cols["severities"].append(sev_code[severity])
            cols["scores"].append(score)
            cols["reasons"].append(reason)
            cols["related"].append(ids)
            cols["related_docs"].append(docs)
            if len(cols["rows"]) >= FLAG_BATCH_ROWS:
                flush()

        order = pc.sort_indices(self.claims, sort_keys=[("doc_id", "ascending"), ("sent_id", "ascending"),
                                                        ("claim_id", "ascending")]).to_pylist()
        for i in order:
            # flags of one claim in alphabetical order: contradicted, hedged, overstated, unsupported
            pol, dose = self.polarity_conflict.get(i), self.dose_conflict.get(i)
            if pol is not None or dose is not None:
                if pol is None or dose is None:
                    severity, score, reason, ids, docs = pol or dose
                else:
                    severity = max(pol[0], dose[0], key=_SEVERITY_RANK.__getitem__)
                    score = max(pol[1], dose[1])
                    reason = f"{pol[2]} {dose[2]}"
                    ids = sorted(set(pol[3]) | set(dose[3]))[:cap]
                    docs = sorted(set(pol[4]) | set(dose[4]))[:cap]
                emit(i, "contradicted", severity, score, reason, ids, docs)
                contradicted[i] = True
            if self.hedged_eff[i]:
                severity, score, reason = self.hedged_flag(i)
                emit(i, "hedged", severity, score, reason, (), ())
            if i in over_by_claim:
                emit(i, "overstated", *over_by_claim.pop(i))
                over[i] = True
            if self.evidence[i] in UNSUPPORTED_EVIDENCE and not (info[group_of[i]][5] - {self.unit[i]}):
                # no evidence of its own, and no independent source that gives evidence states it
                emit(i, "unsupported", *self.unsupported_flag(i, info[group_of[i]], reason_memo))
                unsupported[i] = True
        flush()
        del over_by_claim, reason_memo
        flags_table = None if sink else pa.Table.from_batches(batches, schema=schema.FLAGS)
        return flags_table, self._groups_table(contradicted, over, unsupported)

    def _flag_batch(self, cols: dict[str, list], claim_ids: pa.Array, doc_ids: pa.Array) -> pa.RecordBatch:
        take = pa.array(cols["rows"], pa.int64())
        column = lambda name: self.claims.column(name).take(take).combine_chunks().cast(pa.string())  # noqa: E731
        arrays = {
            "flag_id": pa.array(cols["fids"], pa.string()),
            "claim_id": column("claim_id"),
            "doc_id": column("doc_id"),
            "sent_id": column("sent_id"),
            "claim_key": column("claim_key"),
            "flag": _vocab_array(cols["flags"], schema.FLAG_KINDS, schema.FLAGS.field("flag").type),
            "reason": pa.array(cols["reasons"], pa.string()),
            "related_claim_ids": _list_array(cols["related"], claim_ids),
            "related_doc_ids": _list_array(cols["related_docs"], doc_ids),
            "severity": _vocab_array(cols["severities"], schema.SEVERITIES, schema.FLAGS.field("severity").type),
            "score": pa.array(cols["scores"], pa.float64()),
        }
        return pa.RecordBatch.from_arrays([arrays[f.name] for f in schema.FLAGS], schema=schema.FLAGS)

    def _groups_table(self, contradicted: np.ndarray, overstated: np.ndarray,
                      unsupported: np.ndarray) -> pa.Table:
        """One row per claim_key, aggregated with Arrow group-bys (no per-claim Python)."""
        hedged = np.array(self.hedged_eff, dtype=bool)
        negated = np.array(self.negated, dtype=bool)
        cited = np.array([e in CHECKABLE_EVIDENCE for e in self.evidence], dtype=bool)
        key = self.claims.column("claim_key").combine_chunks().cast(pa.string())
        doc = self.claims.column("doc_id").combine_chunks().cast(pa.string())
        unit = pa.array(self.unit, pa.string())
        null = pa.scalar(None, pa.string())

        def where(mask: np.ndarray, values: pa.Array) -> pa.Array:
            return pc.if_else(pa.array(mask), values, null)

        t = pa.table({
            "key": key, "idx": pa.array(np.arange(self.n, dtype=np.int64)), "doc": doc, "unit": unit,
            "aff_doc": where(~negated, doc), "neg_doc": where(negated, doc), "hedge_doc": where(hedged, doc),
            "aff_unit": where(~negated & ~hedged, unit), "neg_unit": where(negated & ~hedged, unit),
            "contradicted": pa.array(contradicted), "hedged": pa.array(hedged),
            "overstated": pa.array(overstated), "unsupported": pa.array(unsupported), "cited": pa.array(cited),
            "cited_unhedged": pa.array(cited & ~hedged),
        })
        agg = t.group_by("key", use_threads=False).aggregate([
            ("idx", "min"), ("idx", "count"), ("doc", "count_distinct"), ("unit", "count_distinct"),
            ("aff_doc", "count_distinct"), ("neg_doc", "count_distinct"), ("hedge_doc", "count_distinct"),
            ("aff_unit", "count_distinct"), ("neg_unit", "count_distinct"),
            ("contradicted", "any"), ("hedged", "any"), ("overstated", "any"), ("unsupported", "any"),
            ("cited", "any"),
            ("cited_unhedged", "any"),
        ]).sort_by("key")
        get = lambda name: agg.column(name).to_numpy()  # noqa: E731

        # sorted distinct doc ids per key
        pairs = (pa.table({"key": key, "doc": doc}).group_by(["key", "doc"], use_threads=False)
                 .aggregate([]).sort_by([("key", "ascending"), ("doc", "ascending")]))
        pair_keys = pairs.column("key").combine_chunks()
        change = pc.not_equal(pair_keys.slice(1), pair_keys.slice(0, len(pair_keys) - 1))
        starts = np.concatenate([[0], np.flatnonzero(change.to_numpy(zero_copy_only=False)) + 1,
                                 [len(pair_keys)]]).astype(np.int32)
        doc_ids = pa.ListArray.from_arrays(pa.array(starts), pairs.column("doc").combine_chunks())

        first = get("idx_min").tolist()
        c_flag, h_flag, u_flag = get("contradicted_any"), get("hedged_any"), get("unsupported_any")
        o_flag = get("overstated_any")
        flag_lists = [[k for k, on in enumerate(bits) if on] for bits in zip(c_flag, h_flag, o_flag, u_flag)]
        agreeing = np.maximum(get("aff_unit_count_distinct"), get("neg_unit_count_distinct"))
        weak = agreeing < self.s.min_independent_sources
        any_cited, cited_unhedged = get("cited_any"), get("cited_unhedged_any")
        verdict = np.where(c_flag, 0, np.where(~any_cited & weak, 1,
                                               np.where(~cited_unhedged & weak, 2, 3)))
        pred_code = {p: c for c, p in enumerate(schema.PREDICATES)}
        int32 = lambda name: pa.array(get(name).astype(np.int32))  # noqa: E731
        arrays = {
            "claim_key": agg.column("key").combine_chunks(),
            "group_key": pa.array([f"{self.subject[i]}|{self.predicate[i]}|{self.group[i]}" for i in first],
                                  pa.string()),
            "subject": pa.array([self.subject[i] for i in first], pa.string()),
            "predicate": _vocab_array([pred_code[self.predicate[i]] for i in first], schema.PREDICATES,
                                      schema.CLAIM_GROUPS.field("predicate").type),
            "object": pa.array([self.object[i] for i in first], pa.string()),
            "n_claims": int32("idx_count"),
            "n_sources": int32("doc_count_distinct"),
            "n_independent_sources": int32("unit_count_distinct"),
            "n_affirming": int32("aff_doc_count_distinct"),
            "n_negating": int32("neg_doc_count_distinct"),
            "n_hedging": int32("hedge_doc_count_distinct"),
            "doc_ids": doc_ids,
            "flags": _list_array(flag_lists, pa.array(_GROUP_FLAGS, pa.string())),
            "verdict": _vocab_array(verdict, schema.VERDICTS, schema.CLAIM_GROUPS.field("verdict").type),
        }
        return pa.Table.from_arrays([arrays[f.name] for f in schema.CLAIM_GROUPS], schema=schema.CLAIM_GROUPS)


def _validate_claims(claims: pa.Table) -> None:
    for column, allowed in (("predicate", schema.PREDICATES), ("polarity", schema.POLARITIES),
                            ("certainty", schema.CERTAINTY), ("evidence", schema.EVIDENCE)):
        values = claims.column(column)
        if pa.types.is_dictionary(values.type):
            values = values.cast(values.type.value_type)
        bad = [v for v in pc.unique(values).to_pylist() if v not in allowed]
        if bad:
            value = sorted(bad, key=lambda v: (v is None, str(v)))[0]
            mask = pc.is_null(values) if value is None else pc.equal(values, value)
            row = pc.index(mask, True).as_py()
            raise ClaimexError(Errors.E061.format(table="claims", column=column, value=value, row=row,
                                                  allowed=", ".join(allowed)))


def _check_unique(sorted_ids: list[str]) -> None:
    for a, b in zip(sorted_ids, sorted_ids[1:]):
        if a == b:
            lo, hi = bisect_left(sorted_ids, a), bisect_right(sorted_ids, a)
            raise ClaimexError(Errors.E063.format(claim_id=a, n=hi - lo))
