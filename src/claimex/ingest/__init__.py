"""The ingest layer: input files and folders -> :class:`RawDocument` rows.

No spaCy here.  :func:`read_corpus` walks the inputs, reads, decodes
(:func:`claimex.ingest.textio.decode_bytes`), parses and normalises
(:func:`claimex.ingest.textio.normalise_text`) every file, and returns the documents
together with one :class:`InputError` per problem.  A bad file never stops the
run; only a missing input path does (``ClaimexError`` ``E010``).

Formats (chosen by suffix, case-insensitive): ``.txt`` and ``.md`` (kept as
text), ``.html``/``.htm`` (main text via trafilatura), ``.jsonl`` (one article
per line) and ``.csv`` (one article per row, ``text`` column required).

Names.  A document's ``source`` is the path of its file relative to the input
root (the folder given, or for a file given directly its file name), POSIX
style; a JSONL line or CSV row uses its own ``source`` field when present and
``relpath:line`` otherwise.  Sorting of sources, documents and errors uses
:func:`source_sort_key` (plain string order, except that the line numbers of
``relpath:line`` names compare as numbers).

Identity.  ``doc_id`` is the first 16 hex digits of the SHA-256 of the
normalised text, so the same article found under several names (copies,
symlinks, the same row in two files) becomes one document whose ``sources``
lists every name.  Fields of merged documents come from the name that sorts
first; a missing ``title``/``url`` is filled from the next names in order.
The same physical file reached under several names is read once, and a
problem with it is reported once, under the name that sorts first.

The modules, in the order a file meets them: :mod:`.walk` (which files the
paths stand for: folders, dot-files, symbolic links), :mod:`.textio` (bytes ->
text, normalisation), :mod:`.formats` (one file -> entries: text, JSONL, CSV)
and :mod:`.html` (main text of a page); :mod:`.documents` holds the records and
naming rules they share.  This module reads each file and merges copies.

Error stages: ``read`` (missing permission, broken link, loop, unsupported
suffix, empty or whitespace-only file), ``decode`` (binary, undecodable),
``parse`` (malformed JSONL line or CSV, missing text, HTML without main text).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from ..errors import Errors
from .documents import (
    SUFFIX_FORMATS,
    Entry,
    InputError,
    ParseError,
    RawDocument,
    format_of,
    os_reason,
    source_sort_key,
    text_digest,
)
from .formats import parse_entries
from .html import declared_charset
from .textio import DecodeError, decode_bytes, normalise_text
from .walk import iter_input_files

__all__ = [
    "SUFFIX_FORMATS",
    "InputError",
    "RawDocument",
    "iter_input_files",
    "read_corpus",
    "source_sort_key",
    "text_digest",
]


def read_corpus(paths: Sequence[str | os.PathLike]) -> tuple[list[RawDocument], list[InputError]]:
    """Read every input file and return ``(documents, errors)``.

    Documents are sorted by ``source`` (see :func:`source_sort_key`), errors
    by ``source`` then ``stage``.  The result depends only on the content of
    the inputs and their names, not on the order of ``paths``.
    Raises ``ClaimexError`` (``E010``) when an input path does not exist.
    """
    errors: list[InputError] = []
    groups: dict[tuple[str, str], dict[str, Path]] = {}
    for path, source in iter_input_files(paths, errors):
        fmt = format_of(source)
        assert fmt is not None
        groups.setdefault((os.path.realpath(path), fmt), {}).setdefault(source, path)
    entries: list[Entry] = []
    for (_real, fmt), names in sorted(groups.items()):
        ordered = sorted(names, key=source_sort_key)
        _read_file(names[ordered[0]], tuple(ordered), fmt, entries, errors)
    documents = _merge(entries)
    errors.sort(key=lambda e: (source_sort_key(e.source), e.stage, e.error))
    return documents, errors


def _read_bytes(path: Path) -> bytes:
    with open(path, "rb") as fh:
        return fh.read()


def _read_file(path: Path, names: tuple[str, ...], fmt: str,
               entries: list[Entry], errors: list[InputError]) -> None:
    primary = names[0]
    try:
        data = _read_bytes(path)
    except OSError as exc:
        errors.append(InputError(primary, "read", Errors.E019.format(path=primary, reason=os_reason(exc))))
        return
    if not data:
        errors.append(InputError(primary, "read", Errors.E013.format(path=primary)))
        return
    try:
        raw = decode_bytes(data, primary, declared=declared_charset(data) if fmt == "html" else None)
    except DecodeError as exc:
        errors.append(InputError(primary, "decode", str(exc)))
        return
    text = normalise_text(raw)
    if not text:
        errors.append(InputError(primary, "read", Errors.E013.format(path=primary)))
        return
    try:
        parse_entries(raw, text, names, fmt, entries, errors)
    except ParseError as exc:
        errors.append(InputError(primary, "parse", str(exc)))


def _merge(entries: list[Entry]) -> list[RawDocument]:
    by_digest: dict[str, list[Entry]] = {}
    for entry in entries:
        by_digest.setdefault(text_digest(entry.text)[1], []).append(entry)
    documents = []
    for digest, group in by_digest.items():
        group.sort(key=lambda e: (min(map(source_sort_key, e.sources)), e.format,
                                  e.title or "", e.url or "", sorted(e.meta.items())))
        sources = tuple(sorted({s for e in group for s in e.sources}, key=source_sort_key))
        meta: dict[str, str] = {}
        for entry in group:
            for key, value in entry.meta.items():
                meta.setdefault(key, value)
        first = group[0]
        documents.append(RawDocument(
            doc_id=digest[:16],
            text=first.text,
            source=sources[0],
            sources=sources,
            format=first.format,
            title=next((e.title for e in group if e.title), None),
            url=next((e.url for e in group if e.url), None),
            content_sha256=digest,
            meta=dict(sorted(meta.items())),
        ))
    documents.sort(key=lambda d: (source_sort_key(d.source), d.doc_id))
    return documents
