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
    "one_line",
    "os_reason",
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
    doc_id: str
    text: str
    source: str
    sources: tuple[str, ...]
    format: str
    title: str | None
    url: str | None
    content_sha256: str
    meta: dict[str, str] = field(default_factory=dict)


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


def one_line(value: str | None) -> str | None:
    """A title or metadata value on one normalised line; None when empty."""
    if not value:
        return None
    value = normalise_text(" ".join(value.split()))
    return value or None
