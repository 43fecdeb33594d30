"""Hedge and negation cues, with their scope decided on the dependency parse.

The algorithms live here as plain functions; :mod:`claimex.nlp.components.cue_detector`
is a thin spaCy component around them.

Cue lexicons
============

Cues are data: ``pipelines/lexicons/hedge_cues.jsonl`` and
``pipelines/lexicons/negation_cues.jsonl`` (installed as
``claimex.pipelines``), one JSON object per line, ``#`` lines and blank lines
ignored.  Fields:

``cue`` (str, required)
    The canonical, lower-cased cue.  This is the string reported in
    ``doc._.claimex_cues`` and in ``hedge_cues`` / ``negation_cues`` columns.
    Without ``pattern`` it is also what is matched: it is tokenized with the
    English tokenizer and matched token by token on the lower-cased form (so
    ``"cannot"`` matches both *cannot* and *can not*).
``kind`` (str, required)
    ``hedge``, ``negation`` or ``pseudo``.  A ``pseudo`` entry is a phrase
    that contains a cue word but is not a cue (``not only``, ``no doubt``,
    ``not without``): it takes part in the longest-match selection, so that it
    wins over the cue words inside it, and is then dropped.
``certainty`` (str)
    Required for hedges, absent (or null) otherwise: ``probable`` (*likely,
    suggests, indicates, believed to*), ``possible`` (*may, might, could,
    potentially, potential*) or ``speculative`` (*claim, touted, allegedly,
    anecdotal, reportedly, unclear, further research is needed*).  A sentence
    or claim without hedges is ``asserted``; with several hedges it takes the
    weakest grade (asserted > probable > possible > speculative).
``pos`` (list of str, optional)
    Universal POS tags the cue's first word must have (``may`` must be
    ``AUX``/``VERB`` so that the month *May* is not a cue).
``deps`` (list of str, optional)
    Dependency labels the cue's first word must have.
``lemma`` (bool, default false)
    Match the words of ``cue`` on the lemma instead of the lower-cased form
    (write ``cue`` in base form: ``"suggest"`` matches *suggests, suggested,
    suggesting*).  Needs a lemmatizer in the pipeline.
``multiword`` (bool, optional)
    Whether ``cue`` has more than one word (informational; checked when given).
``weak`` (bool, default false)
    A weak hedge, reported only when ``weak_hedges`` is on (the component's
    default).  Only ``can`` is weak: it mostly states an ability (*kratom can
    interact with other medications*) but in a health claim it says that an
    effect is possible, not that it happens (*kratom can improve sleep*), so
    claimex counts it as a ``possible`` hedge by default.  *cannot* / *can't*
    are negation cues, never this hedge.
``pattern`` (list of dicts, optional)
    An explicit spaCy ``Matcher`` token pattern used instead of the one built
    from ``cue`` (for inflection, optional words or alternatives).
``scope`` (str, default ``"auto"``)
    ``auto``: decided on the parse (below).  ``word``: the scope is the word
    the cue is attached to without a space (the prefix ``non-``).
    ``pronoun``: a negative pronoun (*none, nothing, nobody*): the scope is its
    partitive *of* phrase, plus the predicate when the pronoun is the subject
    (*none of the patients had fever*); nothing else (so *Complications: None*
    negates nothing that follows it).
``note`` (str, optional)
    Why the cue is there and why it has its grade.

When matches overlap, the longest wins (then the earliest, then the first in
the lexicon), whatever its kind: *cannot* beats *can*, *not clear* (hedge)
beats *not*, *not only* (pseudo) beats *not*.

Scope
=====

Scopes are character offsets ``[scope_start, scope_end)`` into ``doc.text``
and are decided on the dependency parse, never on a token window.  Let
*anchor* be the syntactic head of the cue's tokens.

* **Complement cues** - the anchor governs words to the right of the cue
  (*without*, *lack of*, *fails to*, *denies*, *believed to*, *suggest that*,
  *touted as*, noun *potential for*): the scope is the anchor's subtree to
  the right of the cue.  *It may offer relief ... without the addictive risks
  of prescription opioids*: the scope of *without* is exactly *the addictive
  risks of prescription opioids*; *relief* is outside it.
* **Modifier cues** - the anchor governs nothing to its right (*not*, *no*,
  *never*, *may*, *potentially*, adjective *potential*, *unclear*): the
  scope is built from the subtree of the anchor's head.  For a *negation*
  it is the part of that subtree to the right of the cue, without the
  subject (*Kratom does not cause addiction*: *cause addiction*; *Kratom* is
  not negated).  For a *hedge* it is the whole subtree, subject included,
  because a hedge qualifies the whole proposition (*may* -> its clause;
  *potentially* -> the phrase it modifies; adjective *potential* -> its noun
  phrase).
* Negation only:

  - the subject is covered too when the clause is passive (*Pneumothorax was
    not seen*) or when the cue is itself the predicate (*pulses are absent*,
    *pneumonia was ruled out*, *the test was negative*); the cue then lies
    inside the scope;
  - a coordinating cue (*nor*) scopes over the conjuncts that follow it;
  - *no* in an existential clause scopes over the rest of the clause (*there
    is no free fluid in the pelvis*);
  - a negator parsed as a subject scopes over what its head governs after it;
  - negative pronouns: see ``scope: "pronoun"`` above.
* In every case the scope stops at coordinated clauses that are independent
  of the cue (a verb conjunct that is finite or has its own subject,
  auxiliary or negation - *does not cause addiction and improves mood*,
  *is not addictive and is safe* - but not *does not cause or worsen pain*; any conjunct after *but/yet/whereas* - but not the *but
  also* of *not only ... but also*), at conjuncts of a complement cue's
  anchor (*lack of data and the potential for dependency* negates *data*
  only), at contrastive subordinate clauses (*although, whereas, while,
  though*), at parataxis, at ``;`` and ``:``; it never has punctuation at its
  edges, and it is contiguous (the run of kept tokens around the first kept
  token after the cue for a negation, around the cue for a hedge).
* When the parse leaves a cue nothing to scope over, the scope is the empty
  range at the cue's end, which contains no target.

Queries
=======

:func:`is_negated` (a target inside a negation scope), :func:`hedges_for`
(hedges whose scope contains / overlaps a target, or whose cue lies in it),
:func:`certainty_for` and :func:`sentence_certainty` (the weakest grade),
:func:`cues_in`.  They take :class:`Cue` objects or the plain dicts stored in
``doc._.claimex_cues``.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from spacy.matcher import Matcher
from spacy.tokens import Doc, Span, Token

from ..rulebase import iter_jsonl, read_data_file, record_checker
from ..errors import ClaimexError, Errors

CUE_KINDS = ("hedge", "negation", "pseudo")
# Ordered from strongest to weakest; equal to claimex.schema.CERTAINTY.
CERTAINTY = ("asserted", "probable", "possible", "speculative")
HEDGE_CERTAINTIES = CERTAINTY[1:]
SCOPE_MODES = ("auto", "word", "pronoun")
DEFAULT_HEDGE_FILE = "hedge_cues.jsonl"
DEFAULT_NEGATION_FILE = "negation_cues.jsonl"

_FIELDS = {"cue", "kind", "certainty", "pos", "deps", "lemma", "multiword", "weak",
           "pattern", "scope", "note"}
_SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj", "csubjpass", "expl"}
_PASSIVE_DEPS = {"nsubjpass", "csubjpass", "auxpass"}
_PREDICATE_DEPS = {"ROOT", "acomp", "attr", "oprd", "xcomp", "ccomp", "conj", "advcl", "relcl"}
_CONTRAST = {"but", "yet", "whereas", "although", "though", "while", "however", "except",
             "unlike", "nevertheless", "nonetheless"}
_FINITE_TAGS = {"VBZ", "VBD", "VBP", "MD"}
_STOP_PUNCT = {";", ":"}

Target = Span | Token | tuple | list


# --------------------------------------------------------------------------- lexicon


@dataclass(frozen=True)
class CueEntry:
    """One line of a cue lexicon (see the module docstring for the fields)."""

    cue: str
    kind: str
    certainty: str | None = None
    pos: tuple[str, ...] = ()
    deps: tuple[str, ...] = ()
    lemma: bool = False
    weak: bool = False
    pattern: tuple[dict, ...] | None = None
    scope: str = "auto"
    note: str = ""

    @classmethod
    def from_dict(cls, data: Any, *, path: str = "<dict>", line: int = 0) -> CueEntry:
        bad = record_checker(data, _FIELDS, path=path, line=line)
        cue = data.get("cue")
        if not isinstance(cue, str) or not cue.strip():
            raise bad("'cue' must be a non-empty string")
        if cue != cue.lower() or cue != cue.strip():
            raise bad(f"'cue' must be lower-case without outer spaces, got {cue!r}")
        kind = data.get("kind")
        if kind not in CUE_KINDS:
            raise ClaimexError(Errors.E051.format(path=path, line=line, kind=kind, kinds=", ".join(CUE_KINDS)))
        certainty = data.get("certainty")
        if kind == "hedge":
            if certainty not in HEDGE_CERTAINTIES:
                raise ClaimexError(Errors.E052.format(path=path, line=line, cue=cue, certainty=certainty,
                                                      allowed=", ".join(HEDGE_CERTAINTIES)))
        elif certainty is not None:
            raise bad(f"only hedge cues have a certainty; '{cue}' is a {kind} cue")
        pos = _str_list(data.get("pos", []), "pos", bad)
        deps = _str_list(data.get("deps", []), "deps", bad)
        for name in ("lemma", "weak", "multiword"):
            if name in data and not isinstance(data[name], bool):
                raise bad(f"'{name}' must be true or false")
        if "multiword" in data and data["multiword"] != (" " in cue):
            raise bad(f"'multiword' is {str(data['multiword']).lower()} but '{cue}' has "
                      f"{'several words' if ' ' in cue else 'one word'}")
        if data.get("weak") and kind != "hedge":
            raise bad("only hedge cues can be weak")
        pattern = data.get("pattern")
        if pattern is not None:
            if (not isinstance(pattern, list) or not pattern
                    or not all(isinstance(p, dict) and p for p in pattern)):
                raise bad("'pattern' must be a non-empty list of non-empty token objects")
            pattern = tuple(pattern)
        scope = data.get("scope", "auto")
        if scope not in SCOPE_MODES:
            raise bad(f"'scope' must be one of {', '.join(SCOPE_MODES)}, got {scope!r}")
        note = data.get("note", "")
        if not isinstance(note, str):
            raise bad("'note' must be a string")
        return cls(cue=cue, kind=kind, certainty=certainty, pos=pos, deps=deps,
                   lemma=bool(data.get("lemma", False)), weak=bool(data.get("weak", False)),
                   pattern=pattern, scope=scope, note=note)

    def to_dict(self) -> dict:
        out: dict[str, Any] = {"cue": self.cue, "kind": self.kind}
        if self.certainty is not None:
            out["certainty"] = self.certainty
        if self.pos:
            out["pos"] = list(self.pos)
        if self.deps:
            out["deps"] = list(self.deps)
        if self.lemma:
            out["lemma"] = True
        out["multiword"] = " " in self.cue
        if self.weak:
            out["weak"] = True
        if self.pattern is not None:
            out["pattern"] = [dict(p) for p in self.pattern]
        if self.scope != "auto":
            out["scope"] = self.scope
        if self.note:
            out["note"] = self.note
        return out

    def token_pattern(self) -> list[dict]:
        """The spaCy ``Matcher`` pattern for this entry (whitespace tokens allowed between words)."""
        if self.pattern is not None:
            pattern = [dict(p) for p in self.pattern]
        else:
            attr = "LEMMA" if self.lemma else "LOWER"
            pattern = [{attr: w} for w in _tokenize(self.cue)]
            if self.pos:
                pattern[0]["POS"] = {"IN": list(self.pos)}
            if self.deps:
                pattern[0]["DEP"] = {"IN": list(self.deps)}
        out = [pattern[0]]
        for token in pattern[1:]:
            out.append({"IS_SPACE": True, "OP": "*"})
            out.append(token)
        return out


def _str_list(value: Any, name: str, bad) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise bad(f"'{name}' must be a list of strings")
    return tuple(value)


@functools.lru_cache(maxsize=1)
def _tokenizer():
    from spacy.lang.en import English

    return English().tokenizer


def _tokenize(text: str) -> list[str]:
    return [t.lower_ for t in _tokenizer()(text)]


class CueLexicon:
    """An ordered list of :class:`CueEntry` with the ``Matcher`` built from it."""

    def __init__(self, entries: Iterable[CueEntry] = ()):
        self.entries: tuple[CueEntry, ...] = tuple(entries)
        self._matcher: tuple[Any, Matcher] | None = None
        self._required: tuple[str, ...] | None = None

    def __len__(self) -> int:
        return len(self.entries)

    def __add__(self, other: CueLexicon) -> CueLexicon:
        return CueLexicon(self.entries + other.entries)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CueLexicon) and self.entries == other.entries

    @classmethod
    def from_dicts(cls, rows: Iterable[Any], *, path: str = "<dicts>") -> CueLexicon:
        return cls(CueEntry.from_dict(row, path=path, line=i) for i, row in enumerate(rows, 1))

    @classmethod
    def from_jsonl(cls, path: str | Path) -> CueLexicon:
        text = read_data_file(
            path, lambda line, reason: ClaimexError(Errors.E054.format(path=path, line=line, reason=reason)),
            missing=lambda: ClaimexError(Errors.E053.format(path=path)))
        return cls.from_jsonl_text(text, path=str(path))

    @classmethod
    def from_jsonl_text(cls, text: str, *, path: str = "<text>") -> CueLexicon:
        def error(line: int, reason: str) -> ClaimexError:
            return ClaimexError(Errors.E054.format(path=path, line=line, reason=reason))

        entries = [CueEntry.from_dict(row, path=path, line=i)
                   for i, row in iter_jsonl(text, error, comments=True)]
        return cls(entries)

    @classmethod
    def default(cls, which: str = "all") -> CueLexicon:
        """The packaged lexicon: ``"hedge"``, ``"negation"`` or ``"all"`` (both)."""
        names = {"hedge": [DEFAULT_HEDGE_FILE], "negation": [DEFAULT_NEGATION_FILE],
                 "all": [DEFAULT_HEDGE_FILE, DEFAULT_NEGATION_FILE]}[which]
        lex = cls()
        for name in names:
            res = resources.files("claimex.pipelines") / "lexicons" / name
            lex = lex + cls.from_jsonl_text(res.read_text(encoding="utf-8"), path=str(res))
        return lex

    def to_dicts(self) -> list[dict]:
        return [e.to_dict() for e in self.entries]

    def to_jsonl_text(self) -> str:
        return "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in self.to_dicts())

    def to_jsonl(self, path: str | Path) -> None:
        Path(path).write_text(self.to_jsonl_text(), encoding="utf-8")

    def __getstate__(self) -> dict:
        return {"entries": self.entries}

    def __setstate__(self, state: dict) -> None:
        self.entries = state["entries"]
        self._matcher = None
        self._required = None

    def required_annotations(self) -> tuple[str, ...]:
        """Doc annotations the patterns read, besides the parse (always needed for scopes)."""
        if self._required is None:
            text = json.dumps([e.token_pattern() for e in self.entries])
            self._required = ("DEP",) + tuple(a for a in ("TAG", "POS", "LEMMA") if f'"{a}"' in text)
        return self._required

    def matcher(self, vocab) -> Matcher:
        """The ``Matcher`` for ``vocab`` (built once and cached); match ids are entry indices."""
        if self._matcher is not None and self._matcher[0] is vocab:
            return self._matcher[1]
        matcher = Matcher(vocab)
        for i, entry in enumerate(self.entries):
            try:
                matcher.add(str(i), [entry.token_pattern()])
            except ValueError as err:  # spaCy's MatchPatternError is a ValueError
                raise ClaimexError(Errors.E056.format(cue=entry.cue, reason=str(err).splitlines()[0])) from None
        self._matcher = (vocab, matcher)
        return matcher


# --------------------------------------------------------------------------- cues


@dataclass(frozen=True, order=True)
class Cue:
    """A cue found in a Doc; offsets are character offsets into ``doc.text``."""

    start: int
    end: int
    kind: str
    cue: str
    certainty: str | None = None
    scope_start: int = 0
    scope_end: int = 0
    weak: bool = field(default=False, compare=False)

    def to_dict(self) -> dict:
        return {"start": self.start, "end": self.end, "kind": self.kind, "cue": self.cue,
                "certainty": self.certainty, "scope_start": self.scope_start,
                "scope_end": self.scope_end}

    @classmethod
    def from_dict(cls, data: dict) -> Cue:
        return cls(start=data["start"], end=data["end"], kind=data["kind"], cue=data["cue"],
                   certainty=data.get("certainty"), scope_start=data["scope_start"],
                   scope_end=data["scope_end"])


def check_doc(doc: Doc, lexicon: CueLexicon | None = None) -> None:
    """Raise E055 when ``doc`` lacks the annotation that cue detection needs."""
    if len(doc) == 0:
        return
    needed = lexicon.required_annotations() if lexicon is not None else _ANNOTATIONS
    for attr in needed:
        if not doc.has_annotation(attr):
            raise ClaimexError(Errors.E055.format(attr=attr, component=_ANNOTATIONS[attr]))


_ANNOTATIONS = {"DEP": "parser", "TAG": "tagger", "POS": "tagger + attribute_ruler", "LEMMA": "lemmatizer"}


def match_cues(doc: Doc, lexicon: CueLexicon, *, weak_hedges: bool = True) -> list[tuple[Span, CueEntry]]:
    """Lexicon matches after longest-match selection, pseudo-cues removed, in text order."""
    matcher = lexicon.matcher(doc.vocab)
    candidates = []
    for match_id, start, end in matcher(doc):
        index = int(doc.vocab.strings[match_id])
        entry = lexicon.entries[index]
        if entry.weak and not weak_hedges:
            continue
        candidates.append((start, end, index))
    # longest first, then earliest, then lexicon order: deterministic
    candidates.sort(key=lambda c: (-(c[1] - c[0]), c[0], c[2]))
    taken = [False] * len(doc)
    chosen = []
    for start, end, index in candidates:
        if any(taken[start:end]):
            continue
        for i in range(start, end):
            taken[i] = True
        chosen.append((start, end, index))
    chosen.sort()
    out = []
    for start, end, index in chosen:
        entry = lexicon.entries[index]
        if entry.kind != "pseudo":
            out.append((doc[start:end], entry))
    return out


def find_cues(doc: Doc, lexicon: CueLexicon | None = None, *, weak_hedges: bool = True) -> list[Cue]:
    """All hedge and negation cues in ``doc`` with their scopes, sorted by position.

    ``lexicon`` defaults to the packaged hedge + negation lexicon.  The Doc must
    be parsed, tagged and lemmatized (E055 otherwise).
    """
    if lexicon is None:
        lexicon = default_lexicon()
    if len(doc) == 0:
        return []
    check_doc(doc, lexicon)
    cues = []
    for span, entry in match_cues(doc, lexicon, weak_hedges=weak_hedges):
        if entry.scope == "word":
            scope = _word_scope(span)
        else:
            scope = cue_scope(span, entry.kind, pronoun=entry.scope == "pronoun")
        cues.append(Cue(start=span.start_char, end=span.end_char, kind=entry.kind, cue=entry.cue,
                        certainty=entry.certainty, scope_start=scope[0], scope_end=scope[1],
                        weak=entry.weak))
    return sorted(cues)


@functools.lru_cache(maxsize=1)
def default_lexicon() -> CueLexicon:
    return CueLexicon.default("all")


# --------------------------------------------------------------------------- scope


def negation_scope(cue: Token | Span, lexicon: CueLexicon | None = None) -> tuple[int, int]:
    """Character range ``[start, end)`` negated by the cue word(s) ``cue``.

    The scope mode (``auto``, ``word``, ``pronoun``) is taken from the negation
    entry of ``lexicon`` (default: the packaged one) whose ``cue`` is the
    lower-cased text of ``cue``; ``auto`` when there is none.
    """
    span = _as_span(cue)
    mode = _scope_mode(span, "negation", lexicon)
    if mode == "word":
        return _word_scope(span)
    return cue_scope(span, "negation", pronoun=mode == "pronoun")


def hedge_scope(cue: Token | Span) -> tuple[int, int]:
    """Character range ``[start, end)`` qualified by the hedge cue word(s) ``cue``."""
    return cue_scope(_as_span(cue), "hedge")


def _scope_mode(span: Span, kind: str, lexicon: CueLexicon | None) -> str:
    text = span.text.lower()
    for entry in (lexicon or default_lexicon()).entries:
        if entry.kind == kind and entry.cue == text:
            return entry.scope
    return "auto"


def _as_span(cue: Token | Span) -> Span:
    if isinstance(cue, Token):
        return cue.doc[cue.i:cue.i + 1]
    return cue


def _content(tokens: Iterable[Token]) -> list[Token]:
    return [t for t in tokens if not t.is_punct and not t.is_space]


def _word_scope(cue: Span) -> tuple[int, int]:
    """The word glued to the end of a prefix cue (``non-addictive`` -> ``addictive``)."""
    doc = cue.doc
    i = cue.end
    end = cue.end_char
    start = end
    while i < len(doc) and not doc[i - 1].whitespace_ and not doc[i].is_space:
        if doc[i].is_punct and doc[i].text != "-":
            break
        end = doc[i].idx + len(doc[i])
        i += 1
    return (start, end) if end > start else (cue.end_char, cue.end_char)


def _is_passive(head: Token) -> bool:
    return any(c.dep_ in _PASSIVE_DEPS for c in head.children)


def _is_contrast(token: Token) -> bool:
    """A contrastive conjunction / marker ('but', 'although' ...), but not the 'but' of
    'not only X but also Y'."""
    if token.lower_ not in _CONTRAST:
        return False
    doc = token.doc
    return not (token.lower_ == "but" and token.i + 1 < len(doc) and doc[token.i + 1].lower_ == "also")


def _excluded(domain: Token, complement: bool) -> set[int]:
    """Indices of tokens in ``domain``'s subtree that are outside any cue scope rooted there."""
    out: set[int] = set()
    children = list(domain.children)
    verbal = domain.pos_ in ("VERB", "AUX")
    contrast_cc = any(c.dep_ == "cc" and _is_contrast(c) for c in children)
    for child in children:
        drop = False
        if child.dep_ == "conj":
            if complement:
                drop = True  # a sibling of the cue's anchor, not governed by the cue
            elif contrast_cc or any(c.dep_ == "cc" and _is_contrast(c) for c in child.children):
                drop = True
            elif verbal and (child.tag_ in _FINITE_TAGS
                             or any(c.dep_ in _SUBJECT_DEPS or c.dep_ in ("aux", "auxpass", "neg")
                                    for c in child.children)):
                drop = True  # an independent predicate: finite, or with its own subject/aux
        elif child.dep_ == "parataxis":
            drop = True
        elif child.dep_ == "advcl":
            drop = any(c.dep_ == "mark" and _is_contrast(c) for c in child.children)
        elif child.dep_ in ("cc", "preconj"):
            drop = _is_contrast(child)
        if drop:
            out.update(t.i for t in child.subtree)
    # a cc / punct left dangling before a dropped conjunct
    for child in children:
        if child.dep_ in ("cc", "punct") and child.i + 1 in out:
            out.add(child.i)
    return out


def _existential(anchor: Token) -> bool:
    """``anchor`` is the determiner of the noun of a 'there is/are' clause."""
    noun = anchor.head
    verb = noun.head
    return (anchor.dep_ == "det" and noun.i != anchor.i and noun.dep_ in ("attr", "nsubj", "dobj")
            and verb.i != noun.i and any(c.dep_ == "expl" for c in verb.children))


def cue_scope(cue: Span, kind: str, *, pronoun: bool = False) -> tuple[int, int]:
    """Scope of the cue tokens ``cue`` (a Span) as ``(start_char, end_char)``.

    ``kind`` is ``"negation"`` or ``"hedge"``; ``pronoun`` is true for a negative
    pronoun (lexicon ``scope: "pronoun"``); the rules are in the module docstring.
    An empty range at the cue's end means the parse gives the cue nothing to scope over.
    """
    doc = cue.doc
    anchor = cue.root
    cue_idx = set(range(cue.start, cue.end))
    right = [t for t in anchor.subtree if t.i >= cue.end]
    negation = kind == "negation"
    drop_subject = negation
    if negation and anchor.dep_ == "cc":
        # 'nor' (and a coordinating 'not'): the conjuncts that follow the cue
        domain = anchor.head
        kept = {t.i for c in domain.children if c.dep_ == "conj" and c.i >= cue.end
                for t in c.subtree}
        include_subject = drop_subject = False
    elif negation and pronoun:
        # a negative pronoun ('none', 'nothing'): its partitive 'of' phrase, and the
        # predicate when it is the subject ('none of the patients had fever')
        domain = anchor.head if anchor.dep_ in ("nsubj", "nsubjpass") and anchor.head.i != anchor.i else anchor
        kept = {t.i for c in anchor.children if c.dep_ == "prep" and c.lower_ == "of" and c.i >= cue.end
                for t in c.subtree}
        if domain is not anchor:
            kept |= {t.i for t in domain.subtree if t.i >= cue.end} - _excluded(domain, complement=False)
        include_subject = drop_subject = False
    elif negation and _existential(anchor):
        # 'there is no free fluid in the pelvis': the rest of the existential clause
        domain = anchor.head.head
        kept = {t.i for t in domain.subtree if t.i >= cue.end} - _excluded(domain, complement=False)
        include_subject = drop_subject = False
    elif negation and anchor.dep_ in ("nsubj", "nsubjpass") and anchor.head.i != anchor.i:
        # a negator parsed as the subject ('No wheezes, rales or rhonchi' with 'No'
        # as nsubj of 'wheezes'): everything its head governs after the cue
        domain = anchor.head
        kept = {t.i for t in domain.subtree if t.i >= cue.end} - _excluded(domain, complement=False)
        include_subject = drop_subject = False
    elif _content(right):
        # complement cue: the scope is what the anchor governs to its right
        domain = anchor
        kept = {t.i for t in right} - _excluded(domain, complement=True)
        include_subject = negation and anchor.pos_ in ("VERB", "AUX") and _is_passive(anchor)
    else:
        # modifier cue: the scope is built from the subtree of the anchor's head
        domain = anchor if anchor.head.i == anchor.i else anchor.head
        excluded = _excluded(domain, complement=False)
        if negation:
            kept = {t.i for t in domain.subtree if t.i >= cue.end} - excluded
            predicate = domain is anchor or anchor.dep_ in ("acomp", "attr", "oprd")
            include_subject = predicate or _is_passive(domain)
        else:
            kept = {t.i for t in domain.subtree} - excluded
            include_subject = False
    if drop_subject:
        kept -= {t.i for c in domain.children if c.dep_ in _SUBJECT_DEPS for t in c.subtree}
    if negation:
        kept -= cue_idx
    lo, hi = _run(doc, kept, cue, negation)
    if lo is None:
        start = end = cue.end_char
    else:
        start, end = doc[lo].idx, doc[hi].idx + len(doc[hi])
    if include_subject:
        subject = sorted(t.i for c in domain.children if c.dep_ in _SUBJECT_DEPS and c.i < cue.start
                         for t in c.subtree)
        subject = [i for i in subject if not (doc[i].is_punct or doc[i].is_space)]
        if subject:
            if lo is None:
                end = cue.end_char
            start = min(start, doc[subject[0]].idx)
    return start, end


def _stops(token: Token) -> bool:
    return token.text in _STOP_PUNCT or (token.dep_ in ("cc", "mark", "advmod", "prep")
                                         and _is_contrast(token))


def _run(doc: Doc, kept: set[int], cue: Span, negation: bool) -> tuple[int | None, int | None]:
    """The contiguous run of ``kept`` token indices that the scope is made of."""
    if negation:
        after = [i for i in kept if i >= cue.end]
        if not after:
            return None, None
        seed = min(after)
    else:
        if not kept:
            return None, None
        seed = cue.start if cue.start in kept else min(kept, key=lambda i: (abs(i - cue.start), i))
    lo = hi = seed
    while lo - 1 in kept and not _stops(doc[lo - 1]):
        lo -= 1
    while hi + 1 in kept and not _stops(doc[hi + 1]):
        hi += 1
    while lo <= hi and (doc[lo].is_punct or doc[lo].is_space):
        lo += 1
    while hi >= lo and (doc[hi].is_punct or doc[hi].is_space):
        hi -= 1
    if hi < lo:
        return None, None
    return lo, hi


# --------------------------------------------------------------------------- queries


def _range(target: Target) -> tuple[int, int]:
    if isinstance(target, Span):
        return target.start_char, target.end_char
    if isinstance(target, Token):
        return target.idx, target.idx + len(target)
    start, end = target
    return int(start), int(end)


def _as_cue(c: Cue | dict) -> Cue:
    return c if isinstance(c, Cue) else Cue.from_dict(c)


def is_negated(target: Target, cues: Sequence[Cue | dict]) -> bool:
    """True iff ``target`` (a Span, Token or ``(start_char, end_char)``) lies inside the
    scope of a negation cue (and is not that cue itself)."""
    start, end = _range(target)
    for c in map(_as_cue, cues):
        if c.kind != "negation" or c.scope_end <= c.scope_start:
            continue
        if c.scope_start <= start and end <= c.scope_end and not (c.start <= start and end <= c.end):
            return True
    return False


def negations_for(target: Target, cues: Sequence[Cue | dict]) -> list[str]:
    """Canonical negation cues whose scope contains ``target``, in text order, without repeats."""
    start, end = _range(target)
    found = [c.cue for c in sorted(map(_as_cue, cues)) if c.kind == "negation"
             and c.scope_end > c.scope_start and c.scope_start <= start and end <= c.scope_end
             and not (c.start <= start and end <= c.end)]
    return list(dict.fromkeys(found))


def hedges_for(target: Target, cues: Sequence[Cue | dict], *, how: str = "inside") -> list[str]:
    """Canonical hedge cues that apply to ``target``, in text order, without repeats.

    ``how="inside"``: the target lies inside the hedge's scope (a claim about
    *improving pain* is hedged by *potentially*).  ``how="overlap"``: the
    target and the scope share at least one character.  ``how="cue"``: the
    cue word lies inside the target.
    """
    if how not in ("inside", "overlap", "cue"):
        raise ValueError(f"how must be 'inside', 'overlap' or 'cue', not {how!r}")
    start, end = _range(target)
    found = [c.cue for c in sorted(map(_as_cue, cues)) if c.kind == "hedge" and _applies(c, start, end, how)]
    return list(dict.fromkeys(found))


def weakest_certainty(certainties: Iterable[str | None]) -> str:
    """The weakest grade among ``certainties`` (``asserted`` when there is none)."""
    rank = {c: i for i, c in enumerate(CERTAINTY)}
    worst = 0
    for c in certainties:
        if c is not None:
            worst = max(worst, rank[c])
    return CERTAINTY[worst]


def sentence_certainty(cues: Sequence[Cue | dict], target: Target | None = None) -> str:
    """Certainty of a sentence: the weakest grade of the hedge cues whose cue words lie in
    ``target`` (the sentence Span or ``(start_char, end_char)``; all cues when None);
    ``asserted`` when there is no hedge cue."""
    if target is None:
        start, end = -1, float("inf")
    else:
        start, end = _range(target)
    return weakest_certainty(c.certainty for c in map(_as_cue, cues)
                             if c.kind == "hedge" and start <= c.start and c.end <= end)


def certainty_for(target: Target, cues: Sequence[Cue | dict], *, how: str = "inside") -> str:
    """Certainty of a claim spanning ``target``: the weakest grade of the hedges that apply
    to it in the sense of :func:`hedges_for`."""
    if how not in ("inside", "overlap", "cue"):
        raise ValueError(f"how must be 'inside', 'overlap' or 'cue', not {how!r}")
    start, end = _range(target)
    return weakest_certainty(c.certainty for c in map(_as_cue, cues)
                             if c.kind == "hedge" and _applies(c, start, end, how))


def _applies(c: Cue, start: int, end: int, how: str) -> bool:
    if how == "inside":
        return c.scope_end > c.scope_start and c.scope_start <= start and end <= c.scope_end
    if how == "overlap":
        return c.scope_start < end and start < c.scope_end
    return start <= c.start and c.end <= end


def cues_in(cues: Sequence[Cue | dict], target: Target, kind: str | None = None) -> list[Cue]:
    """The cues whose cue words lie inside ``target``, optionally of one ``kind``."""
    start, end = _range(target)
    return [c for c in sorted(map(_as_cue, cues))
            if start <= c.start and c.end <= end and (kind is None or c.kind == kind)]


__all__ = [
    "CERTAINTY", "CUE_KINDS", "Cue", "CueEntry", "CueLexicon", "certainty_for", "check_doc",
    "cue_scope", "cues_in", "default_lexicon", "find_cues", "hedge_scope",
    "hedges_for", "is_negated", "match_cues", "negation_scope", "negations_for",
    "sentence_certainty", "weakest_certainty",
]
