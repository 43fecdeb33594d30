"""Finding the cues of a Doc: lexicon matches, longest match first, each with its scope.

:func:`find_cues` is what the ``claimex_cues`` component runs; a found cue is
a :class:`Cue` (stored on the Doc as its plain dict, :meth:`Cue.to_dict`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc

from ...errors import ClaimexError, Errors
from .lexicon import CueLexicon, default_lexicon
from .scope import cue_scope, word_scope


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
    # longest match first (then earliest, then lexicon order), pseudo-cues dropped
    for span, entry in lexicon.match(doc, weak_hedges=weak_hedges):
        if entry.scope == "word":
            scope = word_scope(span)
        else:
            scope = cue_scope(span, entry.kind, pronoun=entry.scope == "pronoun")
        cues.append(Cue(start=span.start_char, end=span.end_char, kind=entry.kind, cue=entry.cue,
                        certainty=entry.certainty, scope_start=scope[0], scope_end=scope[1],
                        weak=entry.weak))
    return sorted(cues)

