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
(read by :mod:`claimex.nlp.strength_cues`)
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

The learned strength model (a logistic regression over the rule analysis and
word n-grams), its training data readers and its ``claimex strength
train/predict`` commands live in :mod:`claimex.evaluate.strength_model`;
:func:`sentence_strength` takes a trained model as ``model``.

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

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import ClaimexError, Errors
from ..schema import STRENGTH_LABELS
from .strength_cues import StrengthCue, StrengthLexicon, default_lexicon

__all__ = [
    "CAUSAL_PREDICATES",
    "STRENGTH_LABELS",
    "STRENGTH_TO_CERTAINTY",
    "RelationCue",
    "StrengthAnalysis",
    "StrengthCue",
    "StrengthLexicon",
    "analyse_strength",
    "claim_strength",
    "default_lexicon",
    "sentence_strength",
    "strength_from_certainty",
]

NEGATION_MODES = ("zero", "keep")
COMBINE_MODES = ("main", "max")

#: Predicates whose claims are causal statements (graded 0-3); the others get ``None``.
CAUSAL_PREDICATES = ("TREATS", "CAUSES", "ACTS_ON", "INTERACTS_WITH")
#: claimex certainty of a claim graded ``strength`` (grades 0 and 1 carry no certainty of their own).
STRENGTH_TO_CERTAINTY = {3: "asserted", 2: "possible"}

_BLOCK_DEPS = ("aux", "auxpass", "mark", "advmod", "neg")
_PURPOSE_DEPS = ("acl", "advcl")
#: Verbs of change: without an object they state a trend ("rates increased"), not a cause.
CHANGE_VERBS = frozenset({"increase", "decrease", "decline", "rise", "drop", "fall", "grow", "improve",
                          "worsen", "change", "double", "triple", "escalate", "reduce", "lower"})
_OBJECT_DEPS = ("dobj", "obj", "ccomp", "xcomp", "agent", "attr", "oprd", "dative")
#: Nouns that state a relation only with a complement or a modifier ("the effect of X on Y").
RELATIONAL_NOUNS = frozenset({"effect", "impact", "influence", "benefit", "consequence", "role", "driver",
                              "determinant", "cause"})


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
                      combine: str = "main", weak_hedges: bool = False, model: Any = None) -> int:
    """Strength grade 0-3 of ``target`` (a parsed Doc or Span: a sentence or a clause).

    Rules only, unless ``model`` (a trained
    :class:`claimex.evaluate.strength_model.StrengthModel`) is given; the
    keyword settings are those of :func:`analyse_strength`.
    """
    analysis = analyse_strength(target, lexicon, negation=negation, combine=combine, weak_hedges=weak_hedges)
    if model is None:
        return analysis.grade
    return model.predict_analysis(target, analysis)


def strength_from_certainty(relation: str, certainty: str, polarity: str = "affirmed") -> int:
    """Grade of a claim from its relation (``correlational``/``causal``), claimex certainty and polarity."""
    if polarity == "negated":
        return 0
    if relation == "correlational":
        return 1
    if relation != "causal":
        raise ValueError(f"relation must be 'correlational' or 'causal', not {relation!r}")
    return 3 if certainty == "asserted" else 2


def claim_strength(doc, claim: dict[str, Any], lexicon: StrengthLexicon | None = None, *,
                   analyses: dict[tuple[int, int], StrengthAnalysis] | None = None) -> int | None:
    """Strength grade of one claim dict of ``doc._.claimex_claims`` (see the module docstring).

    ``analyses``: a cache of the sentence analyses, for the claims of one Doc (the claims of
    a sentence share its analysis)."""
    if claim.get("predicate") not in CAUSAL_PREDICATES:
        return None
    if claim.get("polarity") == "negated":
        return 0
    sent = doc.char_span(claim["start"], claim["end"], alignment_mode="expand")
    relation = "causal"
    if sent is not None and len(sent):
        key = (sent.start, sent.end)
        analysis = analyses.get(key) if analyses is not None else None
        if analysis is None:
            analysis = analyse_strength(sent, lexicon, negation="keep")
            if analyses is not None:
                analyses[key] = analysis
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
