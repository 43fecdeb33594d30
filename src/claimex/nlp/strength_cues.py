"""The strength lexicon: relation, hedge and non-claim cues of ``pipelines/lexicons/strength_cues.jsonl``.

One JSON object per line (``#`` lines ignored); the fields are described in
:mod:`claimex.nlp.strength`, which reads sentences with these cues.  The file
is read through :class:`claimex.rulebase.PatternLexicon`, the base it shares
with the hedge and negation lexicons (longest match wins, pseudo entries are
dropped, weak entries only on request).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from ..rulebase import PatternLexicon, cue_words, record_checker

__all__ = ["DEFAULT_FILE", "KINDS", "StrengthCue", "StrengthLexicon", "default_lexicon"]

KINDS = ("correlational", "causal", "conditional", "nonclaim", "pseudo")
DEFAULT_FILE = "strength_cues.jsonl"

_FIELDS = {"cue", "kind", "pos", "lemma", "weak", "comparison", "pattern", "note"}


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
        for name in ("lemma", "weak", "comparison"):
            if getattr(self, name):
                out[name] = True
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
        pattern: list[dict] = [{attr: w} for w in cue_words(self.cue)]
        if self.pos:
            pattern[0]["POS"] = {"IN": list(self.pos)}
        return pattern


class StrengthLexicon(PatternLexicon):
    """An ordered list of :class:`StrengthCue` with the ``Matcher`` built from it
    (:meth:`match`: longest, then earliest, then first entry; see :class:`claimex.rulebase.PatternLexicon`)."""

    ENTRY = StrengthCue
    DEFAULT_FILE = ("lexicons", DEFAULT_FILE)
    EMPTY_ERROR = "E058"


@functools.lru_cache(maxsize=1)
def default_lexicon() -> StrengthLexicon:
    """The packaged strength lexicon (read once)."""
    return StrengthLexicon.default()
