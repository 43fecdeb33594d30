"""What ingest produces and the small naming rules every ingest module shares.

:class:`RawDocument` (one article, after merging copies) and :class:`InputError`
(one problem with one input) are the two records ingest hands to the runner.
:class:`Entry` is one article as read from one place, before copies are
merged.  The naming rules: a file's format comes from its suffix
(:data:`SUFFIX_FORMATS`), sources sort by :func:`source_sort_key`, and a
document's identity is :func:`text_digest` of its normalised text.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field

from .textio import normalise_text

__all__ = [
    "SUFFIX_FORMATS",
    "Entry",
    "InputError",
    "ParseError",
    "RawDocument",
    "format_of",
    "clean_identifier",
    "one_line",
    "os_reason",
    "safe_name",
    "source_sort_key",
    "text_digest",
]

SUFFIX_FORMATS: dict[str, str] = {
    ".txt": "txt",
    ".md": "md",
    ".html": "html",
    ".htm": "html",
    ".jsonl": "jsonl",
    ".csv": "csv",
}


@dataclass(frozen=True)
class RawDocument:
    """One article after merging copies; ``source`` is its first name (a location, never a site).

    ``input_path`` is the file ``source`` points into (``source`` without a
    record's ``:line``) and ``input_line`` the line of a JSONL/CSV record
    (``None`` for a whole file); ``site`` is a record's own ``source`` field,
    sanitised (:func:`clean_identifier`); ``repairs`` names what ingest
    repaired in the text (:data:`claimex.schema.TEXT_REPAIRS`).
    """

    doc_id: str
    text: str
    source: str
    sources: tuple[str, ...]
    format: str
    title: str | None
    url: str | None
    content_sha256: str
    meta: dict[str, str] = field(default_factory=dict)
    input_path: str = ""
    input_line: int | None = None
    site: str | None = None
    repairs: tuple[str, ...] = ()

    def provenance(self) -> dict:
        """The ``documents`` columns ingest owns beyond the basic ones (see docs/schema.md)."""
        return {"input_path": self.input_path or self.source, "input_line": self.input_line,
                "site": self.site, "text_repairs": list(self.repairs)}


@dataclass(frozen=True)
class InputError:
    source: str
    stage: str
    error: str


class ParseError(Exception):
    """A whole file could not be parsed; the message is a numbered error."""


@dataclass
class Entry:
    """One document as read from one place, before merging duplicates."""

    sources: tuple[str, ...]
    text: str
    format: str
    title: str | None = None
    url: str | None = None
    meta: dict[str, str] = field(default_factory=dict)
    line: int | None = None
    site: str | None = None
    repairs: tuple[str, ...] = ()


_LINE_SUFFIX = re.compile(r"(.*):(\d+)")


def source_sort_key(source: str) -> tuple[str, int, str]:
    """Sort key for source names: ``a.jsonl:2`` sorts before ``a.jsonl:10``."""
    match = _LINE_SUFFIX.fullmatch(source)
    if match:
        return match.group(1), int(match.group(2)), source
    return source, -1, source


def text_digest(text: str) -> tuple[str, str]:
    """Return ``(doc_id, content_sha256)`` of an already normalised text."""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return digest[:16], digest


def format_of(name: str) -> str | None:
    """The input format of a file name (by suffix, case-insensitive), or None."""
    return SUFFIX_FORMATS.get(os.path.splitext(name)[1].lower())


def os_reason(exc: OSError) -> str:
    """The reason of an OS error as it reads inside a message ("permission denied")."""
    if isinstance(exc, PermissionError):
        return "permission denied"
    if exc.strerror:
        return exc.strerror[0].lower() + exc.strerror[1:]
    return type(exc).__name__


_UNSAFE_NAME_CHARS = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _escape_char(match: re.Match) -> str:
    ch = match.group()
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (os.fsdecode's surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def safe_name(name: str) -> str:
    """A file name as valid, printable UTF-8: undecodable bytes, control and bidi characters as escapes.

    ``safe_name(os.fsdecode(b"caf\\xe9.txt")) == "caf\\\\xe9.txt"``; a name that needs no escape
    is returned unchanged (so ``safe_name(n) != n`` tells that a name had to be escaped).
    """
    return _UNSAFE_NAME_CHARS.sub(_escape_char, name)


IDENTIFIER_MAX_CHARS = 200
_IDENTIFIER_DROP = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff\ud800-\udfff]")


def clean_identifier(value: str | None) -> str | None:
    """A name taken from the data (a record's ``source`` field) made safe to store and show.

    Control, zero-width and bidi characters are removed, whitespace runs
    (newlines included) become one space, and the result is cut to
    :data:`IDENTIFIER_MAX_CHARS` characters (ending in ``…``); ``None`` when nothing is left.
    """
    if not value:
        return None
    return cut(" ".join(_IDENTIFIER_DROP.sub("", value).split()), IDENTIFIER_MAX_CHARS) or None


def cut(value: str, limit: int) -> str:
    """``value`` at most ``limit`` characters: a longer one is cut and ends in ``…``."""
    return value if len(value) <= limit else value[:limit - 1].rstrip() + "…"


#: Longest title or metadata value kept (a longer one is cut, ending in ``…``): a 100 KB "title"
#: of a record would otherwise be repeated in every table row and report card that names it.
ONE_LINE_MAX_CHARS = 1000


def one_line(value: str | None) -> str | None:
    """A title or metadata value on one normalised line, at most :data:`ONE_LINE_MAX_CHARS`
    characters; None when empty."""
    if not value:
        return None
    return cut(normalise_text(" ".join(value.split())), ONE_LINE_MAX_CHARS) or None
