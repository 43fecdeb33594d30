"""Cue lexicons: the hedge and negation cue files and the ``Matcher`` built from them.

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
    ``auto``: decided on the parse (:mod:`claimex.nlp.cues.scope`).
    ``word``: the scope is the word the cue is attached to without a space
    (the prefix ``non-``).
    ``pronoun``: a negative pronoun (*none, nothing, nobody*): the scope is its
    partitive *of* phrase, plus the predicate when the pronoun is the subject
    (*none of the patients had fever*); nothing else (so *Complications: None*
    negates nothing that follows it).
``note`` (str, optional)
    Why the cue is there and why it has its grade.

When matches overlap, the longest wins (then the earliest, then the first in
the lexicon), whatever its kind: *cannot* beats *can*, *not clear* (hedge)
beats *not*, *not only* (pseudo) beats *not*.
"""

from __future__ import annotations

import functools
import json
import operator
from dataclasses import dataclass
from typing import Any

from ...errors import ClaimexError, Errors
from ...rulebase import PatternLexicon, cue_words, packaged, record_checker
from ...schema import CERTAINTY

CUE_KINDS = ("hedge", "negation", "pseudo")
HEDGE_CERTAINTIES = CERTAINTY[1:]  # a hedge is never "asserted"
SCOPE_MODES = ("auto", "word", "pronoun")
DEFAULT_HEDGE_FILE = "hedge_cues.jsonl"
DEFAULT_NEGATION_FILE = "negation_cues.jsonl"

_FIELDS = {"cue", "kind", "certainty", "pos", "deps", "lemma", "multiword", "weak",
           "pattern", "scope", "note"}


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
            pattern = [{attr: w} for w in cue_words(self.cue)]
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


class CueLexicon(PatternLexicon):
    """An ordered tuple of :class:`CueEntry` with the ``Matcher`` built from it.

    Reading, writing, the ``Matcher`` and the longest-match selection come
    from :class:`claimex.rulebase.PatternLexicon` (errors: E054 for a bad
    line or an unreadable file, E053 for a missing one, E056 for a bad
    pattern); :meth:`default` reads both packaged files.
    """

    ENTRY = CueEntry
    FILES = {"hedge": (DEFAULT_HEDGE_FILE,), "negation": (DEFAULT_NEGATION_FILE,),
             "all": (DEFAULT_HEDGE_FILE, DEFAULT_NEGATION_FILE)}

    @classmethod
    def default(cls, which: str = "all") -> CueLexicon:
        """The packaged lexicon: ``"hedge"``, ``"negation"`` or ``"all"`` (both)."""
        parts = [cls.from_file(packaged("lexicons", name)) for name in cls.FILES[which]]
        return functools.reduce(operator.add, parts)

    def required_annotations(self) -> tuple[str, ...]:
        """Doc annotations the patterns read, besides the parse (always needed for scopes)."""
        required = self.__dict__.get("_required")  # not pickled: PatternLexicon keeps the entries only
        if required is None:
            text = json.dumps([e.token_pattern() for e in self.entries])
            required = self._required = ("DEP",) + tuple(a for a in ("TAG", "POS", "LEMMA") if f'"{a}"' in text)
        return required


@functools.lru_cache(maxsize=1)
def default_lexicon() -> CueLexicon:
    """The packaged hedge + negation lexicon (loaded once)."""
    return CueLexicon.default("all")
