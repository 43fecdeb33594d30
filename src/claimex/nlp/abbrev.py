"""Abbreviation definitions in running text (Schwartz & Hearst 2003, over characters).

Two patterns are recognised, both with the parenthesis on the same line and in
the same clause as its partner:

* ``long form (SF)``  — "7-hydroxymitragynine (7-HMG)", "opioid use disorder (OUD)"
* ``SF (long form)``  — "OUD (opioid use disorder)"

The short form has 2–10 characters, at most two words, starts with a letter or
digit and has an upper-case letter after its first character, or a capital and a
digit (so "(pain-relieving)", "(mg)" or "(Kratom)" are not short forms).  The long form is found with the Schwartz–Hearst backward
character match: every letter/digit of the short form must occur, in order, in
the long form, and the first one must start a word ("7-HMG" <- "*7*-*h*ydroxy*m*itra*g*ynine").
Unlike token-based detectors this works on characters, so a short form that the
tokenizer splits ("7", "-", "HMG") is still found.

:func:`find_abbreviations` returns the definitions; :func:`short_form_occurrences`
returns every whole-word occurrence of a short form (the component maps each of
them to the long form's canonical entity).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_SHORT_LEN = 10
MIN_SHORT_LEN = 2
_PAREN = re.compile(r"\(([^()\n]{1,120})\)")
# A clause boundary before the long form: sentence end, semicolon/colon, a bracket or a line break.
_BOUNDARY = re.compile(r"(?:[.!?;:](?=\s)|[()\[\]\n])")


@dataclass(frozen=True)
class Abbreviation:
    short_start: int
    short_end: int
    long_start: int
    long_end: int
    short: str
    long: str

    def to_list(self) -> list[int]:
        """``[short_start, short_end, long_start, long_end]`` as stored in ``doc._.claimex_abbrevs``."""
        return [self.short_start, self.short_end, self.long_start, self.long_end]


def is_short_form(text: str) -> bool:
    """Whether ``text`` may be an abbreviation (see module docstring)."""
    if not MIN_SHORT_LEN <= len(text) <= MAX_SHORT_LEN:
        return False
    if len(text.split()) > 2:
        return False
    if not text[0].isalnum():
        return False
    if not any(ch.isalpha() for ch in text):
        return False
    # an upper-case letter after the first character ("OUD", "7-HMG", "PsA"), or a capital
    # plus a digit ("T4"): a capitalised ordinary word ("Kratom") is not an abbreviation
    return any(ch.isupper() for ch in text[1:]) or (text[0].isupper() and any(ch.isdigit() for ch in text))


def best_long_form(short: str, candidate: str) -> int | None:
    """Start offset in ``candidate`` of the long form for ``short``, or None (Schwartz–Hearst)."""
    s = len(short) - 1
    pos = len(candidate) - 1
    while s >= 0:
        ch = short[s].lower()
        if not ch.isalnum():
            s -= 1
            continue
        while pos >= 0 and (candidate[pos].lower() != ch
                            or (s == 0 and pos > 0 and candidate[pos - 1].isalnum())):
            pos -= 1
        if pos < 0:
            return None
        pos -= 1
        s -= 1
    return candidate.rfind(" ", 0, pos + 1) + 1


def _max_words(short: str) -> int:
    n = len(short)
    return min(n + 5, 2 * n)


def _long_form_before(text: str, paren_start: int, short: str) -> tuple[int, int] | None:
    """(start, end) of the long form that precedes ``(short)`` at ``paren_start``."""
    end = paren_start
    while end > 0 and text[end - 1].isspace():
        end -= 1
    window_start = 0
    for m in _BOUNDARY.finditer(text, 0, end):
        window_start = m.end()
    window = text[window_start:end]
    # keep the last N words only
    words = list(re.finditer(r"\S+", window))
    if not words:
        return None
    words = words[-_max_words(short):]
    offset = window_start + words[0].start()
    candidate = text[offset:end]
    idx = best_long_form(short, candidate)
    if idx is None:
        return None
    start = offset + idx
    return _check_pair(text, short, start, end)


def _check_pair(text: str, short: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and not text[start].isalnum():
        start += 1
    long = text[start:end]
    if len(long) <= len(short) or not long:
        return None
    if len(long.split()) > _max_words(short):
        return None
    if short.lower() in long.lower().split():
        return None
    return start, end


def find_abbreviations(text: str) -> list[Abbreviation]:
    """Abbreviation definitions in ``text``, sorted by the short form's offset."""
    found: list[Abbreviation] = []
    for m in _PAREN.finditer(text):
        inner_start, inner_end = m.start(1), m.end(1)
        # "(7-HMG; ref 3)" / "(OUD, see below)": only the part before ';' or ','
        cut = re.search(r"[;,]\s", text[inner_start:inner_end])
        if cut:
            inner_end = inner_start + cut.start()
        while inner_start < inner_end and text[inner_start].isspace():
            inner_start += 1
        while inner_end > inner_start and text[inner_end - 1].isspace():
            inner_end -= 1
        inner = text[inner_start:inner_end]
        if not inner:
            continue
        if is_short_form(inner):
            span = _long_form_before(text, m.start(), inner)
            if span:
                found.append(Abbreviation(inner_start, inner_end, span[0], span[1], inner, text[span[0]:span[1]]))
            continue
        # "SF (long form)": the word right before the parenthesis is the short form
        before = text[:m.start()].rstrip()
        word = re.search(r"[^\s()]+$", before)
        if not word:
            continue
        s_start, s_end = word.start(), word.end()
        while s_end > s_start and not text[s_end - 1].isalnum():
            s_end -= 1
        short = text[s_start:s_end]
        if not short or not is_short_form(short):
            continue
        if len(inner.split()) > _max_words(short):
            continue
        idx = best_long_form(short, inner)
        if idx is None:
            continue
        span = _check_pair(text, short, inner_start + idx, inner_end)
        if span:
            found.append(Abbreviation(s_start, s_end, span[0], span[1], short, text[span[0]:span[1]]))
    found.sort(key=lambda a: (a.short_start, a.long_start))
    return found


def short_form_occurrences(text: str, short: str) -> list[tuple[int, int]]:
    """Every case-sensitive, whole-word occurrence of ``short`` in ``text`` as (start, end)."""
    pattern = re.compile(r"(?<![^\W_])" + re.escape(short) + r"(?![^\W_])")
    return [(m.start(), m.end()) for m in pattern.finditer(text)]
