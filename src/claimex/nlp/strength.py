"""Claim strength on the ordinal scale of Yu et al. (2019, 2020) and Sumner et al. (2014).

====  ==================  =================================================
grade name                example
====  ==================  =================================================
0     no relationship     no relation stated ("Further studies are needed"),
                          or (``negation="zero"``) a negated relation
1     correlational       "X is associated with / linked to / predicts Y",
                          "X had higher Y than Z"
2     conditional causal  a causal statement under a hedge: "X may reduce Y"
3     direct causal       "X reduces / causes / improves / prevents Y"
====  ==================  =================================================

The rules (plain functions; :func:`sentence_strength` is the entry point)
=======================================================================

Relation, hedge and non-claim cues are data: ``pipelines/lexicons/strength_cues.jsonl``
(one JSON object per line, ``#`` lines ignored; fields ``cue``, ``kind``,
``pos``, ``lemma``, ``pattern``, ``note`` with the meaning they have in the
hedge/negation lexicons of :mod:`claimex.nlp.cues`; ``weak``: a conditional cue
used only with ``weak_hedges=True``; ``comparison``: a correlational cue that
compares rather than associates).  ``kind`` is one of

``correlational``  associated with, correlated, linked to, related to, predicts,
                   risk factor; and, marked ``"comparison": true``, more likely,
                   comparatives ("higher"), participles describing a noun
                   ("increased risk"), nouns of change ("an increase in")
``causal``         causal verbs (cause, lead to, increase, reduce, improve,
                   prevent, …), "due to", "effect of", "effective", "role in"
``conditional``    may, might, could, would, possibly, potentially, perhaps,
                   probably, likely, potential, possible, appear/seem to
``nonclaim``       should, must, need(ed), recommend, aims and methods
                   (investigate, examine, evaluate, "to determine"), whether,
                   "future/further studies"
``pseudo``         a phrase that wins the longest match and is then dropped

Matches are selected longest first (then earliest, then first in the file),
whatever their kind.  Each *relation cue* (correlational or causal) is then
read on the dependency parse; its *anchor* is the syntactic head of its tokens:

1. **Structure.**  A causal verb that modifies a noun (``amod``) or is passive
   without an agent ("mortality was reduced in …") states a difference, so it
   counts as correlational; "was reduced by X" stays causal.
2. **Blocked.**  The cue asserts nothing when a non-claim cue is the anchor or
   one of its heads, or an ``aux``/``mark``/``advmod`` dependent of them
   ("should be used to improve", "studies are needed to determine whether X
   reduces Y"), or when the anchor is an infinitive attached to a noun or a
   purpose clause ("strategies to reduce", "in order to improve").
3. **Hedged.**  A conditional cue whose scope (:func:`claimex.nlp.cues.hedge_scope`,
   decided on the parse) contains the anchor.
4. **Negated.**  The anchor lies in the scope of a claimex negation cue
   (``doc._.claimex_cues`` when the ``claimex_cues`` component has run, else
   :func:`claimex.nlp.cues.find_cues`), or has a ``neg`` dependent or a ``no``
   determiner ("no association").
5. **Grade of a cue.**  correlational → 1 (hedged or not: Yu et al. code
   "may be associated with" as correlational); causal → 3, or 2 when hedged.
   A negated cue is graded 0 with ``negation="zero"`` (the InSciOut reading:
   "statement of no relationship", and claimex's) and keeps its grade with
   ``negation="keep"`` (the coding of the Yu et al. PubMed/EurekAlert data,
   where "X was not associated with Y" is labelled correlational).
6. **Sentence grade.**  ``combine="main"`` (default): the unblocked relation cue
   nearest the root of its sentence (fewest dependency hops; ties: the higher
   grade, then the earlier cue), comparison cues only when there is no other
   ("Higher doses lead to sedation" is causal); ``combine="max"``: the highest
   grade.  No unblocked relation cue → 0.

Learned component
=================

:class:`StrengthModel` is a multinomial logistic regression over binary
features (the rule analysis - rule grade, relation cues with their
hedged/negated/blocked state - plus lower-cased word uni- and bigrams, each row
L2-normalised).  It is trained with scikit-learn
(``python -m claimex.nlp.strength train --data FILE.csv --out MODEL.json``) and
stored as plain JSON (vocabulary, weights, intercepts and the provenance of
the training data), so prediction needs neither scikit-learn nor pickle and
costs one dictionary lookup per feature.

Claims
======

:func:`claim_strength` grades one claim of ``doc._.claimex_claims`` from its
sentence: 0 when the claim is negated; otherwise the relation cue nearest the
claim's object on the parse (comparison cues left out: "pain reduction" is
no correlation) gives correlational (1) or causal, and a causal
claim is 3 when its claimex ``certainty`` is ``asserted`` and 2 otherwise.  A
claim without a relation cue is causal when its predicate is (``TREATS``,
``CAUSES``, ``ACTS_ON``, ``INTERACTS_WITH``); ``CONTAINS``, ``DOSAGE`` and
``SAFER_THAN`` are not causal statements and get ``None``.
"""

from __future__ import annotations

import argparse
import csv
import functools
import hashlib
import json
import math
import re
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from ..rulebase import iter_jsonl, read_data_file, record_checker
from ..errors import ClaimexError, Errors

__all__ = [
    "CAUSAL_PREDICATES",
    "CODINGS",
    "STRENGTH_LABELS",
    "STRENGTH_TO_CERTAINTY",
    "RelationCue",
    "StrengthAnalysis",
    "StrengthCue",
    "StrengthLexicon",
    "StrengthModel",
    "analyse_strength",
    "claim_strength",
    "default_lexicon",
    "load_labelled_csv",
    "sentence_strength",
    "strength_features",
    "strength_from_certainty",
    "train_model",
]

STRENGTH_LABELS = {0: "no relationship", 1: "correlational", 2: "conditional causal", 3: "direct causal"}
KINDS = ("correlational", "causal", "conditional", "nonclaim", "pseudo")
RELATION_KINDS = ("correlational", "causal")
NEGATION_MODES = ("zero", "keep")
COMBINE_MODES = ("main", "max")
DEFAULT_FILE = "strength_cues.jsonl"
MODEL_FORMAT = "claimex-strength-logreg"
MODEL_VERSION = 1

#: Predicates whose claims are causal statements (graded 0-3); the others get ``None``.
CAUSAL_PREDICATES = ("TREATS", "CAUSES", "ACTS_ON", "INTERACTS_WITH")
#: claimex certainty of a claim graded ``strength`` (grades 0 and 1 carry no certainty of their own).
STRENGTH_TO_CERTAINTY = {3: "asserted", 2: "possible"}

#: Label codings of the training files: ``ordinal`` (Yu et al. 2020 ``annotated_*.csv``,
#: InSciOut) is the scale above; ``yu2019`` (``pubmed_causal_language_use.csv``)
#: codes 0 none, 1 direct causal, 2 conditional causal, 3 correlational.
CODINGS: dict[str, dict[int, int]] = {
    "ordinal": {0: 0, 1: 1, 2: 2, 3: 3},
    "yu2019": {0: 0, 1: 3, 2: 2, 3: 1},
}

_FIELDS = {"cue", "kind", "pos", "lemma", "weak", "comparison", "pattern", "note"}
_BLOCK_DEPS = ("aux", "auxpass", "mark", "advmod", "neg")
_PURPOSE_DEPS = ("acl", "advcl")
_DIGITS = re.compile(r"\d")
#: Verbs of change: without an object they state a trend ("rates increased"), not a cause.
CHANGE_VERBS = frozenset({"increase", "decrease", "decline", "rise", "drop", "fall", "grow", "improve",
                          "worsen", "change", "double", "triple", "escalate", "reduce", "lower"})
_OBJECT_DEPS = ("dobj", "obj", "ccomp", "xcomp", "agent", "attr", "oprd", "dative")
#: Nouns that state a relation only with a complement or a modifier ("the effect of X on Y").
RELATIONAL_NOUNS = frozenset({"effect", "impact", "influence", "benefit", "consequence", "role", "driver",
                              "determinant", "cause"})


# --------------------------------------------------------------------------- lexicon


@dataclass(frozen=True)
class StrengthCue:
    """One line of the strength lexicon."""

    cue: str
    kind: str
    pos: tuple[str, ...] = ()
    lemma: bool = False
    weak: bool = False
    comparison: bool = False
    pattern: tuple[dict, ...] | None = None
    note: str = ""

    @classmethod
    def from_dict(cls, data: Any, *, path: str = "<dict>", line: int = 0) -> StrengthCue:
        bad = record_checker(data, _FIELDS, path=path, line=line)
        cue = data.get("cue")
        if not isinstance(cue, str) or not cue.strip() or cue != cue.strip().lower():
            raise bad(f"'cue' must be a non-empty lower-case string without outer spaces, got {cue!r}")
        kind = data.get("kind")
        if kind not in KINDS:
            raise bad(f"'kind' must be one of {', '.join(KINDS)}, got {kind!r}")
        pos = data.get("pos", [])
        if not isinstance(pos, list) or not all(isinstance(p, str) and p for p in pos):
            raise bad("'pos' must be a list of strings")
        for name in ("lemma", "weak", "comparison"):
            if name in data and not isinstance(data[name], bool):
                raise bad(f"'{name}' must be true or false")
        if data.get("weak") and kind != "conditional":
            raise bad("only conditional cues can be weak")
        if data.get("comparison") and kind != "correlational":
            raise bad("only correlational cues can be comparisons")
        pattern = data.get("pattern")
        if pattern is not None:
            if not isinstance(pattern, list) or not pattern or not all(isinstance(p, dict) for p in pattern):
                raise bad("'pattern' must be a non-empty list of token objects")
            pattern = tuple(pattern)
        note = data.get("note", "")
        if not isinstance(note, str):
            raise bad("'note' must be a string")
        return cls(cue=cue, kind=kind, pos=tuple(pos), lemma=bool(data.get("lemma", False)),
                   weak=bool(data.get("weak", False)), comparison=bool(data.get("comparison", False)),
                   pattern=pattern, note=note)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"cue": self.cue, "kind": self.kind}
        if self.pos:
            out["pos"] = list(self.pos)
        if self.lemma:
            out["lemma"] = True
        if self.weak:
            out["weak"] = True
        if self.comparison:
            out["comparison"] = True
        if self.pattern is not None:
            out["pattern"] = [dict(p) for p in self.pattern]
        if self.note:
            out["note"] = self.note
        return out

    def token_pattern(self) -> list[dict]:
        """The spaCy ``Matcher`` pattern of this entry."""
        if self.pattern is not None:
            return [dict(p) for p in self.pattern]
        attr = "LEMMA" if self.lemma else "LOWER"
        pattern: list[dict] = [{attr: w} for w in _tokenize(self.cue)]
        if self.pos:
            pattern[0]["POS"] = {"IN": list(self.pos)}
        return pattern


@functools.lru_cache(maxsize=1)
def _tokenizer():
    from spacy.lang.en import English

    return English().tokenizer


def _tokenize(text: str) -> list[str]:
    return [t.lower_ for t in _tokenizer()(text)]


class StrengthLexicon:
    """An ordered list of :class:`StrengthCue` with the ``Matcher`` built from it."""

    def __init__(self, entries: Iterable[StrengthCue] = (), *, source: str = "<entries>"):
        self.entries: tuple[StrengthCue, ...] = tuple(entries)
        self.source = source
        self._matchers: dict[int, Any] = {}

    def __len__(self) -> int:
        return len(self.entries)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, StrengthLexicon) and self.entries == other.entries

    @classmethod
    def from_dicts(cls, rows: Iterable[Any], *, path: str = "<dicts>") -> StrengthLexicon:
        return cls([StrengthCue.from_dict(r, path=path, line=i) for i, r in enumerate(rows, 1)], source=path)

    @classmethod
    def from_jsonl_text(cls, text: str, *, path: str = "<text>") -> StrengthLexicon:
        def error(line: int, reason: str) -> ClaimexError:
            return ClaimexError(Errors.E054.format(path=path, line=line, reason=reason))

        entries = [StrengthCue.from_dict(row, path=path, line=i)
                   for i, row in iter_jsonl(text, error, comments=True)]
        if not entries:
            raise ClaimexError(Errors.E058.format(path=path))
        return cls(entries, source=path)

    @classmethod
    def from_jsonl(cls, path: str | Path) -> StrengthLexicon:
        text = read_data_file(
            path, lambda line, reason: ClaimexError(Errors.E054.format(path=path, line=line, reason=reason)),
            missing=lambda: ClaimexError(Errors.E053.format(path=path)))
        return cls.from_jsonl_text(text, path=str(path))

    @classmethod
    def default(cls) -> StrengthLexicon:
        res = resources.files("claimex.pipelines") / "lexicons" / DEFAULT_FILE
        return cls.from_jsonl_text(res.read_text(encoding="utf-8"), path=str(res))

    def to_dicts(self) -> list[dict[str, Any]]:
        return [e.to_dict() for e in self.entries]

    def to_jsonl(self, path: str | Path) -> None:
        Path(path).write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in self.to_dicts()),
                              encoding="utf-8")

    def matcher(self, vocab):
        key = id(vocab)
        if key not in self._matchers:
            from spacy.matcher import Matcher

            m = Matcher(vocab)
            for i, entry in enumerate(self.entries):
                try:
                    m.add(str(i), [entry.token_pattern()])
                except Exception as err:  # noqa: BLE001 - spaCy raises several types
                    raise ClaimexError(Errors.E056.format(cue=entry.cue, reason=err)) from None
            self._matchers[key] = (vocab, m)
        return self._matchers[key][1]

    def match(self, target, *, weak_hedges: bool = False) -> list[tuple[Any, StrengthCue]]:
        """Non-overlapping matches in ``target`` (a Doc or Span): longest, then earliest, then first entry.

        Weak entries take part only with ``weak_hedges``."""
        doc = target.doc if hasattr(target, "doc") and not _is_doc(target) else target
        # match inside the span only (span-relative offsets): matching the whole
        # Doc for every sentence made the cost quadratic in the document length
        offset = 0 if _is_doc(target) else target.start
        found = []
        for match_id, start, end in self.matcher(doc.vocab)(target):
            idx = int(doc.vocab.strings[match_id])
            if weak_hedges or not self.entries[idx].weak:
                found.append((start + offset, end + offset, idx))
        found.sort(key=lambda m: (-(m[1] - m[0]), m[0], m[2]))
        taken: set[int] = set()
        out = []
        for start, end, idx in found:
            if any(i in taken for i in range(start, end)):
                continue
            taken.update(range(start, end))
            entry = self.entries[idx]
            if entry.kind != "pseudo":
                out.append((doc[start:end], entry))
        out.sort(key=lambda m: m[0].start)
        return out


@functools.lru_cache(maxsize=1)
def default_lexicon() -> StrengthLexicon:
    return StrengthLexicon.default()


def _is_doc(obj) -> bool:
    from spacy.tokens import Doc

    return isinstance(obj, Doc)


# --------------------------------------------------------------------------- analysis


@dataclass(frozen=True)
class RelationCue:
    """A relation cue of a sentence, as read on the parse."""

    start: int             # character offsets of the cue words
    end: int
    cue: str               # canonical cue (lexicon entry)
    text: str              # as written
    kind: str              # lexicon kind: correlational or causal
    relation: str          # after the structural rule: correlational or causal
    hedges: tuple[str, ...]
    negated: bool
    blocked_by: str | None  # the non-claim cue that blocks it
    depth: int             # dependency hops from the anchor to its sentence root
    comparison: bool = False  # a comparison cue ("higher", "an increase in"), not a stated association

    @property
    def hedged(self) -> bool:
        return bool(self.hedges)

    def grade(self, negation: str = "zero") -> int:
        if self.negated and negation == "zero":
            return 0
        if self.relation == "correlational":
            return 1
        return 2 if self.hedged else 3

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "cue": self.cue, "text": self.text, "kind": self.kind,
                "relation": self.relation, "hedges": list(self.hedges), "negated": self.negated,
                "blocked_by": self.blocked_by, "depth": self.depth, "comparison": self.comparison}


@dataclass(frozen=True)
class StrengthAnalysis:
    """The rule reading of a sentence: its grade and every relation cue found."""

    grade: int
    relations: tuple[RelationCue, ...]
    main: int | None            # index in ``relations`` of the cue that gave the grade
    hedges: tuple[str, ...]     # conditional cues found in the target
    nonclaims: tuple[str, ...]  # non-claim cues found in the target
    negation: str = "zero"

    @property
    def label(self) -> str:
        return STRENGTH_LABELS[self.grade]

    def to_dict(self) -> dict[str, Any]:
        return {"grade": self.grade, "label": self.label, "main": self.main,
                "relations": [r.to_dict() for r in self.relations], "hedges": list(self.hedges),
                "nonclaims": list(self.nonclaims), "negation": self.negation}


def _check_parsed(doc) -> None:
    if len(doc) and not (doc.has_annotation("DEP") and doc.has_annotation("LEMMA") and doc.has_annotation("POS")):
        missing = "DEP" if not doc.has_annotation("DEP") else ("POS" if not doc.has_annotation("POS") else "LEMMA")
        component = {"DEP": "parser", "POS": "tagger", "LEMMA": "lemmatizer"}[missing]
        raise ClaimexError(Errors.E055.format(attr=missing, component=component).replace(
            "claimex_cues", "claimex.nlp.strength"))


def _doc_cues(doc, cues) -> list[dict[str, Any]]:
    """Hedge/negation cues of ``doc`` as dicts: given, stored by claimex_cues, or found now."""
    if cues is not None:
        return [c if isinstance(c, dict) else c.to_dict() for c in cues]
    if doc.has_extension("claimex_cues") and doc._.claimex_cues is not None:
        return list(doc._.claimex_cues)
    from .cues import find_cues

    return [c.to_dict() for c in find_cues(doc)]


def _depth(tok) -> int:
    d = 0
    while tok.head.i != tok.i and d < 200:
        tok = tok.head
        d += 1
    return d


def _chain(tok) -> list:
    out = [tok]
    while tok.head.i != tok.i and len(out) < 200:
        tok = tok.head
        out.append(tok)
    return out


def _is_passive(tok) -> bool:
    return any(c.dep_ in ("auxpass", "nsubjpass", "csubjpass") for c in tok.children)


def _has_agent(tok) -> bool:
    return any(c.dep_ == "agent" for c in tok.children)


def _infinitive(tok) -> bool:
    return any(c.dep_ == "aux" and c.tag_ == "TO" for c in tok.children)


def _purpose(anchor) -> bool:
    """An infinitive attached to a noun or a purpose clause ("strategies to reduce", "in order to")."""
    if anchor.dep_ not in _PURPOSE_DEPS or not _infinitive(anchor):
        return False
    if anchor.dep_ == "acl":
        return True
    return any(c.dep_ == "mark" and c.lower_ == "in" for c in anchor.children) or \
        any(c.lower_ == "order" for c in anchor.children)


def analyse_strength(target, lexicon: StrengthLexicon | None = None, *, negation: str = "zero",
                     combine: str = "main", weak_hedges: bool = False,
                     cues: Sequence[Any] | None = None) -> StrengthAnalysis:
    """Read the strength of ``target`` (a parsed Doc or Span) with the rules of the module docstring.

    ``weak_hedges`` turns on the weak conditional cue *can* ("X can reduce Y"
    is conditional causal in the InSciOut coding, direct causal in Yu et al.'s).

    ``cues`` are the claimex hedge/negation cues of the Doc (dicts or
    :class:`claimex.nlp.cues.Cue`); by default ``doc._.claimex_cues`` or
    :func:`claimex.nlp.cues.find_cues`.
    """
    if negation not in NEGATION_MODES:
        raise ValueError(f"negation must be one of {NEGATION_MODES}, not {negation!r}")
    if combine not in COMBINE_MODES:
        raise ValueError(f"combine must be one of {COMBINE_MODES}, not {combine!r}")
    from .cues import hedge_scope

    lexicon = lexicon or default_lexicon()
    doc = target if _is_doc(target) else target.doc
    if len(target) == 0:
        return StrengthAnalysis(0, (), None, (), (), negation)
    _check_parsed(doc)
    matches = lexicon.match(target, weak_hedges=weak_hedges)
    hedges, nonclaim_tokens, nonclaims, relations_raw = [], {}, [], []
    for span, entry in matches:
        if entry.kind == "conditional":
            s, e = hedge_scope(span)
            hedges.append((entry.cue, s, e))
        elif entry.kind == "nonclaim":
            nonclaims.append(entry.cue)
            for tok in span:
                nonclaim_tokens[tok.i] = entry.cue
        else:
            relations_raw.append((span, entry))
    neg_scopes = [(c["scope_start"], c["scope_end"]) for c in _doc_cues(doc, cues)
                  if c["kind"] == "negation" and c["scope_end"] > c["scope_start"]]
    relations = []
    for span, entry in relations_raw:
        anchor = span.root
        relation = entry.kind
        if relation == "causal" and anchor.pos_ in ("VERB", "AUX"):
            if anchor.dep_ in ("amod", "compound") or (_is_passive(anchor) and not _has_agent(anchor)):
                relation = "correlational"
            elif anchor.lemma_.lower() in CHANGE_VERBS and not any(c.dep_ in _OBJECT_DEPS for c in anchor.children):
                relation = "correlational"  # a trend ("rates increased"), not a cause
        elif relation == "causal" and anchor.pos_ == "NOUN" and anchor.lemma_.lower() in RELATIONAL_NOUNS:
            if not any(c.dep_ in ("prep", "amod", "poss") for c in anchor.children) or \
                    any(c.dep_ == "compound" and c.lower_ == "side" for c in anchor.children):
                continue
        elif relation == "causal" and anchor.pos_ == "ADJ" and anchor.dep_ in ("amod", "compound") \
                and anchor.head.dep_ not in ("attr", "ROOT", "acomp", "conj", "oprd"):
            continue
        blocked = None
        if _purpose(anchor):
            blocked = "to (purpose)"
        for tok in _chain(anchor):
            if blocked:
                break
            if tok.i in nonclaim_tokens and not (span.start <= tok.i < span.end):
                blocked = nonclaim_tokens[tok.i]
                break
            for c in tok.children:
                if c.dep_ in _BLOCK_DEPS and c.i in nonclaim_tokens:
                    blocked = nonclaim_tokens[c.i]
                    break
        pos = anchor.idx
        hedged = tuple(dict.fromkeys(h for h, s, e in hedges if s <= pos < e))
        negated = any(s <= pos < e for s, e in neg_scopes) or any(
            c.dep_ == "neg" or (c.dep_ == "det" and c.lower_ == "no") for c in anchor.children)
        relations.append(RelationCue(span.start_char, span.end_char, entry.cue, span.text, entry.kind, relation,
                                     hedged, negated, blocked, _depth(anchor), entry.comparison))
    live = [i for i, r in enumerate(relations) if r.blocked_by is None]
    main = None
    if live:
        if combine == "main":
            main = min(live, key=lambda i: (relations[i].comparison, relations[i].depth,
                                            -relations[i].grade(negation), relations[i].start))
        else:
            main = min(live, key=lambda i: (-relations[i].grade(negation), relations[i].depth, relations[i].start))
    grade = relations[main].grade(negation) if main is not None else 0
    return StrengthAnalysis(grade, tuple(relations), main, tuple(dict.fromkeys(h for h, _, _ in hedges)),
                            tuple(dict.fromkeys(nonclaims)), negation)


def sentence_strength(target, lexicon: StrengthLexicon | None = None, *, negation: str = "zero",
                      combine: str = "main", weak_hedges: bool = False, model: StrengthModel | None = None) -> int:
    """Strength grade 0-3 of ``target`` (a parsed Doc or Span: a sentence or a clause).

    Rules only, unless ``model`` (a trained :class:`StrengthModel`) is given;
    the keyword settings are those of :func:`analyse_strength`.
    """
    analysis = analyse_strength(target, lexicon, negation=negation, combine=combine, weak_hedges=weak_hedges)
    if model is None:
        return analysis.grade
    return model.predict_features(strength_features(target, analysis))


def strength_from_certainty(relation: str, certainty: str, polarity: str = "affirmed") -> int:
    """Grade of a claim from its relation (``correlational``/``causal``), claimex certainty and polarity."""
    if polarity == "negated":
        return 0
    if relation == "correlational":
        return 1
    if relation != "causal":
        raise ValueError(f"relation must be 'correlational' or 'causal', not {relation!r}")
    return 3 if certainty == "asserted" else 2


def claim_strength(doc, claim: dict[str, Any], lexicon: StrengthLexicon | None = None) -> int | None:
    """Strength grade of one claim dict of ``doc._.claimex_claims`` (see the module docstring)."""
    if claim.get("predicate") not in CAUSAL_PREDICATES:
        return None
    if claim.get("polarity") == "negated":
        return 0
    sent = doc.char_span(claim["start"], claim["end"], alignment_mode="expand")
    relation = "causal"
    if sent is not None and len(sent):
        analysis = analyse_strength(sent, lexicon, negation="keep")
        obj = claim.get("object_span")
        target = None
        if obj:
            span = doc.char_span(obj[0], obj[1], alignment_mode="expand")
            target = span.root if span is not None and len(span) else None
        cands = [r for r in analysis.relations if not r.comparison]
        cands = [r for r in cands if r.blocked_by is None] or cands
        if cands:
            if target is not None:
                up = {t.i: k for k, t in enumerate(_chain(target))}

                def distance(r: RelationCue) -> tuple[int, int]:
                    anchor = doc.char_span(r.start, r.end, alignment_mode="expand").root
                    for k, t in enumerate(_chain(anchor)):
                        if t.i in up:
                            return (k + up[t.i], r.start)
                    return (10_000, r.start)

                best = min(cands, key=distance)
            else:
                best = min(cands, key=lambda r: (r.depth, r.start))
            relation = best.relation
    return strength_from_certainty(relation, claim.get("certainty", "asserted"))


# --------------------------------------------------------------------------- features and model


def _word(text: str) -> str:
    return _DIGITS.sub("0", text.lower())


def strength_features(target, analysis: StrengthAnalysis | None = None) -> list[str]:
    """Binary features of ``target``: the rule reading and word uni-/bigrams (sorted, unique)."""
    if analysis is None:
        analysis = analyse_strength(target)
    feats = {f"rule={analysis.grade}"}
    for k, r in enumerate(analysis.relations):
        state = "blocked" if r.blocked_by else ("neg" if r.negated else ("hedged" if r.hedged else "plain"))
        feats.add(f"rel={r.relation}|{state}")
        feats.add(f"cue={r.cue}|{state}")
        if k == analysis.main:
            feats.add(f"main={r.relation}|{state}")
            feats.add(f"maincue={r.cue}")
    if analysis.main is None:
        feats.add("main=none")
    for h in analysis.hedges:
        feats.add(f"hedge={h}")
    for n in analysis.nonclaims:
        feats.add(f"nonclaim={n}")
    words = [_word(t.text) for t in target if not t.is_space]
    for i, w in enumerate(words):
        feats.add(f"w={w}")
        if i + 1 < len(words):
            feats.add(f"b={w} {words[i + 1]}")
    return sorted(feats)


@dataclass
class StrengthModel:
    """Multinomial logistic regression over :func:`strength_features` (plain-data weights)."""

    classes: list[int]
    weights: dict[str, list[float]]
    intercept: list[float]
    negation: str = "keep"
    meta: dict[str, Any] = field(default_factory=dict)

    def proba_features(self, feats: Iterable[str]) -> list[float]:
        known = [self.weights[f] for f in set(feats) if f in self.weights]
        norm = 1.0 / math.sqrt(len(known)) if known else 0.0
        scores = list(self.intercept)
        for w in known:
            for k, v in enumerate(w):
                scores[k] += v * norm
        top = max(scores)
        exp = [math.exp(s - top) for s in scores]
        total = sum(exp)
        return [e / total for e in exp]

    def predict_features(self, feats: Iterable[str]) -> int:
        p = self.proba_features(feats)
        return self.classes[max(range(len(p)), key=lambda k: (p[k], -k))]

    def predict_proba(self, target, lexicon: StrengthLexicon | None = None) -> list[float]:
        return self.proba_features(strength_features(target, analyse_strength(target, lexicon,
                                                                               negation=self.negation)))

    def predict(self, target, lexicon: StrengthLexicon | None = None) -> int:
        return self.predict_features(strength_features(target, analyse_strength(target, lexicon,
                                                                                 negation=self.negation)))

    def to_dict(self) -> dict[str, Any]:
        return {"format": MODEL_FORMAT, "version": MODEL_VERSION, "classes": list(self.classes),
                "negation": self.negation, "intercept": [round(x, 6) for x in self.intercept],
                "weights": {f: [round(x, 6) for x in self.weights[f]] for f in sorted(self.weights)},
                "meta": self.meta}

    @classmethod
    def from_dict(cls, data: Any, *, path: str = "<dict>") -> StrengthModel:
        def bad(reason: str) -> ClaimexError:
            return ClaimexError(Errors.E044.format(path=path, reason=f"not a claimex strength model: {reason}"))

        if not isinstance(data, dict) or data.get("format") != MODEL_FORMAT:
            raise bad(f"'format' is not {MODEL_FORMAT!r}")
        if data.get("version") != MODEL_VERSION:
            raise bad(f"version {data.get('version')!r}, expected {MODEL_VERSION}")
        classes, intercept, weights = data.get("classes"), data.get("intercept"), data.get("weights")
        if not isinstance(classes, list) or not classes or not isinstance(intercept, list) \
                or len(intercept) != len(classes) or not isinstance(weights, dict):
            raise bad("'classes', 'intercept' and 'weights' are missing or do not agree")
        for f, w in weights.items():
            if not isinstance(w, list) or len(w) != len(classes):
                raise bad(f"feature {f!r} has {len(w) if isinstance(w, list) else 'no'} weights, "
                          f"expected {len(classes)}")
        negation = data.get("negation", "keep")
        if negation not in NEGATION_MODES:
            raise bad(f"'negation' is {negation!r}")
        return cls([int(c) for c in classes], {f: [float(x) for x in w] for f, w in weights.items()},
                    [float(x) for x in intercept], negation, dict(data.get("meta") or {}))

    def to_disk(self, path: str | Path) -> None:
        path = Path(path)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps(self.to_dict(), sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
        tmp.replace(path)

    @classmethod
    def from_disk(cls, path: str | Path) -> StrengthModel:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
            raise ClaimexError(Errors.E044.format(path=path, reason=err)) from None
        return cls.from_dict(data, path=str(path))


def train_model(features: Sequence[Sequence[str]], labels: Sequence[int], *, C: float = 4.0,
                class_weight: str | None = None, min_count: int = 2, negation: str = "keep",
                meta: dict[str, Any] | None = None) -> StrengthModel:
    """Fit a :class:`StrengthModel` on feature lists and integer labels (needs scikit-learn).

    Features seen in fewer than ``min_count`` training rows are dropped.  The
    fit is deterministic (lbfgs, no shuffling).
    """
    import numpy as np
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    if len(features) != len(labels):
        raise ValueError(f"{len(features)} feature rows but {len(labels)} labels")
    counts = Counter(f for row in features for f in set(row))
    vocab = sorted(f for f, n in counts.items() if n >= min_count)
    index = {f: i for i, f in enumerate(vocab)}
    rows, cols, vals = [], [], []
    for r, row in enumerate(features):
        idx = sorted({index[f] for f in row if f in index})
        for c in idx:
            rows.append(r)
            cols.append(c)
            vals.append(1.0 / math.sqrt(len(idx)))
    X = csr_matrix((vals, (rows, cols)), shape=(len(features), len(vocab)))
    y = np.asarray(labels)
    clf = LogisticRegression(C=C, class_weight=class_weight, max_iter=3000, solver="lbfgs")
    clf.fit(X, y)
    classes = [int(c) for c in clf.classes_]
    coef = clf.coef_
    if len(classes) == 2:  # binary: sklearn keeps one row; expand to two (scores -z/2, z/2)
        coef = np.vstack([-coef[0] / 2, coef[0] / 2])
        intercept = [-float(clf.intercept_[0]) / 2, float(clf.intercept_[0]) / 2]
    else:
        intercept = [float(x) for x in clf.intercept_]
    weights = {f: [float(coef[k][i]) for k in range(len(classes))] for f, i in index.items()}
    info = {"C": C, "class_weight": class_weight, "min_count": min_count, "n_rows": len(labels),
            "n_features": len(vocab), "label_counts": {str(k): v for k, v in sorted(Counter(labels).items())}}
    info.update(meta or {})
    return StrengthModel(classes, weights, intercept, negation, info)


# --------------------------------------------------------------------------- data and command line


def load_labelled_csv(path: str | Path, coding: str = "ordinal") -> list[tuple[str, int]]:
    """``(sentence, grade)`` rows of a CSV with ``sentence`` and ``label`` columns, recoded to the
    ordinal scale (``coding``: see :data:`CODINGS`)."""
    if coding not in CODINGS:
        raise ValueError(f"coding must be one of {sorted(CODINGS)}, not {coding!r}")
    path = Path(path)
    try:
        with open(path, encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            if not reader.fieldnames or "sentence" not in reader.fieldnames or "label" not in reader.fieldnames:
                raise ClaimexError(Errors.E044.format(
                    path=path, reason=f"expected columns 'sentence' and 'label', found {reader.fieldnames}"))
            out = []
            for line, row in enumerate(reader, start=2):
                try:
                    label = int(row["label"])
                except (TypeError, ValueError):
                    raise ClaimexError(Errors.E044.format(
                        path=path, reason=f"line {line}: label {row['label']!r} is not an integer")) from None
                if label not in CODINGS[coding]:
                    raise ClaimexError(Errors.E044.format(
                        path=path, reason=f"line {line}: label {label} is not one of 0, 1, 2, 3"))
                out.append((row["sentence"], CODINGS[coding][label]))
    except (OSError, UnicodeDecodeError) as err:
        raise ClaimexError(Errors.E044.format(path=path, reason=err)) from None
    return out


def strength_nlp(model: str | None = None):
    """The claimex pipeline without the components strength does not need (entities, claims)."""
    from .pipeline import load_pipeline

    nlp, _ = load_pipeline(model)
    for name in ("claimex_claims", "claimex_entities"):
        if name in nlp.pipe_names:
            nlp.disable_pipe(name)
    return nlp


def file_sha256(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _train_command(args) -> int:
    rows = load_labelled_csv(args.data, args.coding)
    nlp = strength_nlp(args.model)
    feats = [strength_features(doc, analyse_strength(doc, negation=args.negation))
             for doc in nlp.pipe((s for s, _ in rows), batch_size=64)]
    from .. import __version__

    meta = {"data": Path(args.data).name, "data_sha256": file_sha256(args.data), "coding": args.coding,
            "provenance": args.provenance, "claimex_version": __version__}
    model = train_model(feats, [g for _, g in rows], C=args.C, class_weight=args.class_weight,
                        negation=args.negation, meta=meta)
    model.to_disk(args.out)
    print(f"trained on {len(rows)} sentences ({model.meta['n_features']} features) -> {args.out}")
    return 0


def _predict_command(args) -> int:
    nlp = strength_nlp(args.model)
    model = StrengthModel.from_disk(args.strength_model) if args.strength_model else None
    for doc in nlp.pipe(args.text):
        rule = analyse_strength(doc)
        learned = model.predict(doc) if model else None
        print(json.dumps({"text": doc.text, "rules": rule.grade, "model": learned,
                          "relations": [r.to_dict() for r in rule.relations]}, ensure_ascii=False))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m claimex.nlp.strength",
                                     description="Claim strength (0-3): train the learned model, or grade sentences.")
    sub = parser.add_subparsers(dest="command", required=True)
    t = sub.add_parser("train", help="train the logistic-regression strength model on a labelled CSV")
    t.add_argument("--data", required=True, help="CSV with columns sentence,label")
    t.add_argument("--coding", choices=sorted(CODINGS), default="ordinal",
                   help="label coding of the file: 'ordinal' (annotated_pubmed.csv) or 'yu2019' "
                        "(pubmed_causal_language_use.csv, labels 1 and 3 swapped)")
    t.add_argument("--out", required=True, help="where to write the model (JSON)")
    t.add_argument("--C", type=float, default=4.0, help="inverse L2 regularisation strength")
    t.add_argument("--class-weight", choices=["balanced"], default=None)
    t.add_argument("--negation", choices=NEGATION_MODES, default="keep",
                   help="how the rule features grade negated relations (the Yu data: keep)")
    t.add_argument("--provenance", default="", help="where the data comes from and its license (stored in the model)")
    t.add_argument("--model", default=None, help="spaCy base model (default: claimex.settings)")
    p = sub.add_parser("predict", help="grade sentences with the rules (and a model)")
    p.add_argument("text", nargs="+")
    p.add_argument("--strength-model", default=None, help="a model written by 'train'")
    p.add_argument("--model", default=None, help="spaCy base model (default: claimex.settings)")
    args = parser.parse_args(argv)
    try:
        return _train_command(args) if args.command == "train" else _predict_command(args)
    except ClaimexError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
