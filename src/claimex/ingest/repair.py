"""Repairs of decoded text that change what a reader would see as the same word (no spaCy, no I/O).

:func:`repair_text` runs on every document text (and title) before
:func:`claimex.ingest.textio.normalise_text`, so every offset downstream refers
to the repaired, stored text.  It returns the text and the names of the
repairs it made (:data:`claimex.schema.TEXT_REPAIRS`), which go to
``documents.text_repairs``.  Each repair only runs where it is safe:

* ``mojibake``: text that was decoded with the wrong encoding ("Kratomâ€™s"
  for "Kratom’s") is fixed with ftfy's ``fix_encoding``, only when a UTF-8
  lead byte read as Latin-1 (``Â``-``ô``) stands before a continuation byte
  and ftfy's own detector (``ftfy.badness.is_bad``) finds the tell-tale
  sequences.
* ``bidi_controls``: embedding, override and isolate controls (U+202A-U+202E,
  U+2066-U+2069) and the LRM/RLM/ALM marks are removed, unless the text holds
  right-to-left letters (Hebrew, Arabic, ...), where they may be meaningful.
* ``zero_width``: ZERO WIDTH SPACE, WORD JOINER, SOFT HYPHEN and MONGOLIAN
  VOWEL SEPARATOR are removed everywhere (invisible, and they split words:
  ``Kra\\u200btom``); ZERO WIDTH (NON-)JOINER only between two Latin letters
  (elsewhere they shape Indic, Arabic or emoji text).
* ``homoglyphs``: in a word that mixes Latin letters with Cyrillic or Greek
  ones, and only when every one of those has a Latin look-alike
  (:data:`LOOKALIKES`: Cyrillic ``а`` -> ``a``), the look-alikes become Latin
  letters; a Cyrillic or Greek word, or a word with a letter that has no
  look-alike (``μg``), is left alone.

Pure ASCII text needs none of this and is returned at once.  Which repairs
run is a setting (``IngestOptions.repairs``, ``[input] repairs`` in
``claimex.toml``; default: all).
"""

from __future__ import annotations

import re

__all__ = ["LOOKALIKES", "REPAIRS", "fix_homoglyphs", "repair_text"]

#: Cyrillic and Greek letters that look like a Latin letter, and that letter.
LOOKALIKES: dict[str, str] = {
    # Cyrillic lower case
    "а": "a", "в": "b", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "i",
    "ј": "j", "ѕ": "s", "ԁ": "d", "ԛ": "q", "ԝ": "w", "һ": "h", "ӏ": "l", "ё": "ë", "ї": "ï",
    # Cyrillic upper case
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C",
    "Т": "T", "Х": "X", "І": "I", "Ј": "J", "Ѕ": "S", "У": "Y", "Ԁ": "D", "Ԛ": "Q", "Ԝ": "W",
    # Greek
    "ο": "o", "ν": "v", "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K",
    "Μ": "M", "Ν": "N", "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
}
_LOOKALIKE_TABLE = str.maketrans(LOOKALIKES)

_ALWAYS_INVISIBLE = re.compile("[\u200b\u2060\u00ad\u180e]")
_JOINER_IN_LATIN = re.compile("(?<=[A-Za-z\u00c0-\u024f])[\u200c\u200d]+(?=[A-Za-z\u00c0-\u024f])")
_ZERO_WIDTH_ANY = re.compile("[\u200b-\u200d\u2060\u00ad\u180e]")
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
_RTL_LETTERS = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
_CYRILLIC_GREEK = re.compile("[\u0370-\u03ff\u0400-\u052f]")
_WORD = re.compile(r"\w+")
_LATIN_LETTER = re.compile("[A-Za-z\u00c0-\u024f]")


#: The repairs :func:`repair_text` can make, in the order it makes them.
REPAIRS = ("mojibake", "bidi_controls", "zero_width", "homoglyphs")


def repair_text(text: str, enabled: frozenset[str] | tuple[str, ...] | None = None
                ) -> tuple[str, tuple[str, ...]]:
    """Return ``(repaired text, repairs made)``; see the module docstring for the rules.

    ``enabled`` limits the repairs to those named (default: all of :data:`REPAIRS`).
    One repair can uncover work for another (a soft hyphen hiding mojibake, a
    look-alike letter next to a joiner), so the passes repeat until nothing
    changes (at most three times): repairing a repaired text changes nothing.
    """
    made: list[str] = []
    for _ in range(3):
        text, repairs = _repair_once(text, enabled)
        made.extend(r for r in repairs if r not in made)
        if not repairs:
            break
    return text, tuple(r for r in REPAIRS if r in made)


def _repair_once(text: str, enabled) -> tuple[str, tuple[str, ...]]:
    if text.isascii():
        return text, ()
    on = REPAIRS if enabled is None else enabled
    repairs: list[str] = []
    if "mojibake" in on:
        fixed = _fix_mojibake(text)
        if fixed != text:
            repairs.append("mojibake")
            text = fixed
    if "bidi_controls" in on and _BIDI.search(text) and not _RTL_LETTERS.search(text):
        repairs.append("bidi_controls")
        text = _BIDI.sub("", text)
    if "zero_width" in on and _ZERO_WIDTH_ANY.search(text):
        fixed = _JOINER_IN_LATIN.sub("", _ALWAYS_INVISIBLE.sub("", text))
        if fixed != text:
            repairs.append("zero_width")
            text = fixed
    if "homoglyphs" in on:
        fixed, _ = fix_homoglyphs(text)
        if fixed != text:
            repairs.append("homoglyphs")
            text = fixed

    return text, tuple(repairs)


def fix_homoglyphs(text: str) -> tuple[str, list[str]]:
    """Latin look-alikes in mixed-script words made Latin; returns the text and the words changed."""
    if not _CYRILLIC_GREEK.search(text):
        return text, []
    changed: list[str] = []

    def fix(match: re.Match) -> str:
        word = match.group()
        if not _LATIN_LETTER.search(word) or not _CYRILLIC_GREEK.search(word):
            return word
        foreign = _CYRILLIC_GREEK.findall(word)
        if not all(ch in LOOKALIKES for ch in foreign):
            return word
        changed.append(word)
        return word.translate(_LOOKALIKE_TABLE)

    return _WORD.sub(fix, text), changed


# UTF-8 read as Latin-1/Windows-1252 always shows a UTF-8 lead byte (Â-ô) before a
# continuation byte (U+0080-U+00BF, or its Windows-1252 character): a cheap test before ftfy's.
_MOJIBAKE_HINT = re.compile("[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d"
                            "\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022"
                            "\u2026\u2030\u2039\u203a\u20ac\u2122]")


def _fix_mojibake(text: str) -> str:
    if not _MOJIBAKE_HINT.search(text):
        return text
    import ftfy
    from ftfy.badness import is_bad

    if not is_bad(text):
        return text
    # ftfy's decision can depend on the spaces that end a line ('â€™а  ' stays as it is,
    # 'â€™а' is fixed), and normalise_text removes those afterwards: each line is decided
    # without them, so that repairing a repaired text changes nothing.
    lines = text.split("\n")
    for i, line in enumerate(lines):
        core = line.rstrip()
        if core and _MOJIBAKE_HINT.search(core):
            lines[i] = ftfy.fix_encoding(core) + line[len(core):]
    return "\n".join(lines)
