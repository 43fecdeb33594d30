"""Questions asked of the cues of a Doc: is this negated, which hedges apply, how certain.

The claim extractor and the sentence rows ask them through these functions
only.  Every function takes :class:`~claimex.nlp.cues.detect.Cue` objects or
the plain dicts stored in ``doc._.claimex_cues``, and a *target*: a Span, a
Token, a ``(start_char, end_char)`` pair, or one character offset (an ``int``:
the character at that offset).

* :func:`cues_for` - the cues of one kind that apply to a target: its
  scope contains the target (``how="inside"``), shares a character with it
  (``"overlap"``), or the cue words lie in it (``"cue"``).  A negation cue
  never applies to its own words (*absent* in *pulses are absent*).
* :func:`is_negated`, :func:`negations_for`, :func:`hedges_for`,
  :func:`certainty_for` - the same question answered as a flag, the cue
  strings (text order, no repeats: :func:`cue_strings`) or the weakest grade.
* :func:`weakest_certainty`, :func:`sentence_certainty`, :func:`cues_in`.

Grades follow :data:`claimex.schema.CERTAINTY`, strongest first; a claim or
sentence without a hedge is ``asserted``, with several the weakest wins.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from spacy.tokens import Span, Token

from ...schema import CERTAINTY, CERTAINTY_RANK
from .detect import Cue

Target = Span | Token | int | tuple | list
HOW = ("inside", "overlap", "cue")


def _range(target: Target) -> tuple[int, int]:
    if isinstance(target, Span):
        return target.start_char, target.end_char
    if isinstance(target, Token):
        return target.idx, target.idx + len(target)
    if isinstance(target, int):
        return target, target + 1  # the character at that offset
    start, end = target
    return int(start), int(end)


def _as_cue(c: Cue | dict) -> Cue:
    return c if isinstance(c, Cue) else Cue.from_dict(c)


def _applies(c: Cue, start: int, end: int, how: str) -> bool:
    if how == "inside":
        return c.scope_end > c.scope_start and c.scope_start <= start and end <= c.scope_end
    if how == "overlap":
        return c.scope_start < end and start < c.scope_end
    return start <= c.start and c.end <= end


def cues_for(target: Target, cues: Sequence[Cue | dict], kind: str, *, how: str = "inside") -> list[Cue]:
    """The cues of ``kind`` that apply to ``target`` in the sense of ``how``, sorted by position."""
    if how not in HOW:
        raise ValueError(f"how must be 'inside', 'overlap' or 'cue', not {how!r}")
    start, end = _range(target)
    return [c for c in sorted(map(_as_cue, cues)) if c.kind == kind and _applies(c, start, end, how)
            and not (kind == "negation" and c.start <= start and end <= c.end)]


def cue_strings(cues: Iterable[Cue | dict]) -> list[str]:
    """The canonical cue strings of ``cues`` in text order, without repeats."""
    return list(dict.fromkeys(c.cue for c in sorted(map(_as_cue, cues))))


def is_negated(target: Target, cues: Sequence[Cue | dict]) -> bool:
    """True iff ``target`` lies inside the scope of a negation cue (and is not that cue itself)."""
    return bool(cues_for(target, cues, "negation"))


def negations_for(target: Target, cues: Sequence[Cue | dict]) -> list[str]:
    """Canonical negation cues whose scope contains ``target``, in text order, without repeats."""
    return cue_strings(cues_for(target, cues, "negation"))


def hedges_for(target: Target, cues: Sequence[Cue | dict], *, how: str = "inside") -> list[str]:
    """Canonical hedge cues that apply to ``target``, in text order, without repeats.

    ``how="inside"``: the target lies inside the hedge's scope (a claim about
    *improving pain* is hedged by *potentially*).  ``how="overlap"``: the
    target and the scope share at least one character.  ``how="cue"``: the
    cue word lies inside the target.
    """
    return cue_strings(cues_for(target, cues, "hedge", how=how))


def weakest_certainty(certainties: Iterable[str | None]) -> str:
    """The weakest grade among ``certainties`` (``asserted`` when there is none)."""
    worst = 0
    for c in certainties:
        if c is not None:
            worst = max(worst, CERTAINTY_RANK[c])
    return CERTAINTY[worst]


def certainty_for(target: Target, cues: Sequence[Cue | dict], *, how: str = "inside") -> str:
    """Certainty of a claim spanning ``target``: the weakest grade of the hedges that apply
    to it in the sense of :func:`hedges_for`."""
    return weakest_certainty(c.certainty for c in cues_for(target, cues, "hedge", how=how))


def sentence_certainty(cues: Sequence[Cue | dict], target: Target | None = None) -> str:
    """Certainty of a sentence: the weakest grade of the hedge cues whose cue words lie in
    ``target`` (the sentence Span or ``(start_char, end_char)``; all cues when None);
    ``asserted`` when there is no hedge cue."""
    if target is None:
        return weakest_certainty(c.certainty for c in map(_as_cue, cues) if c.kind == "hedge")
    return weakest_certainty(c.certainty for c in cues_for(target, cues, "hedge", how="cue"))


def cues_in(cues: Sequence[Cue | dict], target: Target, kind: str | None = None) -> list[Cue]:
    """The cues whose cue words lie inside ``target``, optionally of one ``kind``."""
    start, end = _range(target)
    return [c for c in sorted(map(_as_cue, cues))
            if start <= c.start and c.end <= end and (kind is None or c.kind == kind)]
