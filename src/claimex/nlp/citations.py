"""Numeric citation and footnote markers in web text, with their character offsets.

Web articles mark references with numbers glued to the words they support: ``relief.2``,
``nausea.3–5``, ``pain.2,3``, ``death.[4][7]``, ``anxiety(2-3)``, ``effects [4, 5]`` or
superscripts ``pain¹²``.  The tokenizer (``claimex.citation_tokenizer.v1``) splits them off
the word so that the word is tagged; :func:`find_citation_markers` finds them in the text so
that the sentence rows can record them (``sentences.citations``, docs/schema.md) and the
flags stage can use them as evidence.  Plain Python, linear in the text.

A marker is one of

* digits glued after a word of at least two letters and a full stop or comma, up to a space or
  the end of the text: ``relief.2``, ``nausea.3–5``, ``pain.2,3`` (the marker is the digits);
* a bracketed number, list or range: ``[4]``, ``[4, 5]``, ``[4–7]`` (each bracket of
  ``[4][7]`` is a marker of its own);
* a parenthesised number, list or range glued to a word or to a full stop: ``anxiety(2-3)``,
  ``death.(4)``;
* a run of superscript digits (with superscript or plain range marks) glued to a word or a
  full stop: ``pain¹²``, ``relief.³⁻⁵``.

Not markers: decimals (``0.5``), a year or dose in parentheses after a space (``(2019)``,
``(2 g)``), a number glued to a word without a full stop (``COVID19``), three-digit-plus
lists after a semicolon (``Aug;56``: a journal volume).
"""

from __future__ import annotations

import re
from typing import NamedTuple

_NUMS = r"\d{1,3}(?:\s*[,\u2013\u2014-]\s*\d{1,3})*"
_SUP = "\u00b9\u00b2\u00b3\u2070\u2074\u2075\u2076\u2077\u2078\u2079"
MARKER = re.compile(
    rf"(?<=[^\W\d_]{{2}}[.,])(?P<glued>\d{{1,3}}(?:[,\u2013-]\d{{1,3}})*)(?![\w.,]*\d)(?=[.,;:]?(?:[\s)\]]|$))"
    rf"|(?P<bracket>\[\s*{_NUMS}\s*\])"
    rf"|(?<=[^\W\d_.][.]|[^\W\d_]{{2}})(?P<paren>\({_NUMS}\))"
    rf"|(?<=[^\W\d_.][.]|[^\W\d_]{{2}})(?P<sup>[{_SUP}]+(?:[\u207b,\u2013-][{_SUP}]+)*)"
)


class Marker(NamedTuple):
    start: int
    end: int
    text: str


# every match of MARKER starts with one of these characters: a digit (glued), "[" (bracket),
# "(" (paren) or a superscript digit (sup)
_MARKER_START = re.compile(rf"[\d\[({_SUP}]")


def find_citation_markers(text: str) -> list[Marker]:
    """Every citation marker of ``text`` (see the module docstring), in text order.

    The same matches as ``MARKER.finditer(text)``: MARKER is tried only where a match can
    start (:data:`_MARKER_START`), left to right, resuming after each match, instead of at
    every character (its lookbehinds made the scan of every position the cost)."""
    out = []
    resume = 0
    for start in _MARKER_START.finditer(text):
        pos = start.start()
        if pos < resume:
            continue
        m = MARKER.match(text, pos)
        if m is not None:
            out.append(Marker(m.start(), m.end(), m.group(0)))
            resume = m.end()
    return out


def markers_by_sentence(markers: list[Marker], spans: list[tuple[int, int]], text: str) -> list[list[Marker]]:
    """For each sentence span ``(start, end)`` (sorted, not overlapping), its markers.

    A marker belongs to the sentence that holds its start; a marker that opens a sentence
    (only spaces and punctuation before it in that sentence: "... in 2018" | "[1]. Next")
    belongs to the sentence before, when there is one.  Markers between sentences go to the
    sentence before them.
    """
    out: list[list[Marker]] = [[] for _ in spans]
    if not spans:
        return out
    j = 0
    for marker in markers:
        while j + 1 < len(spans) and spans[j + 1][0] <= marker.start:
            j += 1
        start, _end = spans[j]
        if marker.start < start:
            continue  # before the first sentence
        k = j
        if k > 0 and not any(c.isalnum() for c in text[start:marker.start]):
            k -= 1
        out[k].append(marker)
    return out
