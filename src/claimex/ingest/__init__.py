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
style, prefixed with the root's label when there are several roots
(:mod:`.walk`); a JSONL line or CSV row is ``relpath:line``, always (its own
``source`` field goes to ``site``).  ``input_path``/``input_line`` give the
file and line separately.  Sorting of sources, documents and errors uses
:func:`source_sort_key` (plain string order, except that the line numbers of
``relpath:line`` names compare as numbers).

Repairs.  Every text goes through :func:`claimex.ingest.repair.repair_text`
(mojibake, zero-width and bidi characters, homoglyphs) and then
:func:`normalise_text`; what was repaired is in ``RawDocument.repairs`` (with
``bogus_bom``/``bomless_utf16`` from decoding), and a file with repairs gets
one warning (``W010``-``W013``, :class:`~claimex.errors.ClaimexWarning`).

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
suffix, file name not UTF-8, link out of the root, FIFO or device, empty or
whitespace-only file), ``decode`` (binary, undecodable),
``parse`` (malformed JSONL line or CSV, missing text, HTML without main text).
"""

from __future__ import annotations

import logging
import os
import stat
import warnings
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from ..errors import ClaimexWarning, Errors, Warnings
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
from .repair import fix_homoglyphs, repair_text
from .textio import DecodeError, decode_bytes, normalise_text
from .walk import IngestOptions, InputFile, is_claimex_output, iter_input_files

log = logging.getLogger("claimex.ingest")

__all__ = [
    "SUFFIX_FORMATS",
    "IngestOptions",
    "InputError",
    "InputFile",
    "RawDocument",
    "is_claimex_output",
    "iter_input_files",
    "read_corpus",
    "source_sort_key",
    "text_digest",
]


def read_corpus(
    paths: Sequence[str | os.PathLike],
    options: IngestOptions | None = None,
    *,
    out_dir: str | os.PathLike | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> tuple[list[RawDocument], list[InputError]]:
    """Read every input file and return ``(documents, errors)``.

    ``options`` chooses the files (:class:`IngestOptions`: include/exclude
    globs, following links out of the root); ``out_dir``, the run's output
    folder, is never read (nor any claimex output, :mod:`.walk`);
    ``progress(stage, done, total)`` is called with stage ``"read"``.
    Documents are sorted by ``source`` (see :func:`source_sort_key`), errors
    by ``source`` then ``stage``.  The result depends only on the content of
    the inputs and their names, not on the order of ``paths``.
    Raises ``ClaimexError`` (``E010``) when an input path does not exist.
    """
    errors: list[InputError] = []
    groups: dict[tuple[str, str], dict[str, Path]] = {}
    for found in iter_input_files(paths, errors, options, out_dir=out_dir):
        groups.setdefault((os.path.realpath(found.path), found.format), {}).setdefault(found.source, found.path)
    entries: list[Entry] = []
    repairs = options.repairs if options is not None else None
    total = len(groups)
    if progress is not None:
        progress("read", 0, total)
    for done, ((_real, fmt), names) in enumerate(sorted(groups.items()), start=1):
        ordered = sorted(names, key=source_sort_key)
        _read_file(names[ordered[0]], tuple(ordered), fmt, entries, errors, repairs)
        if progress is not None and (done == total or done % 256 == 0):
            progress("read", done, total)
    documents = _merge(entries)
    errors.sort(key=lambda e: (source_sort_key(e.source), e.stage, e.error))
    log.info("read %d file(s): %d document(s), %d input error(s)", total, len(documents), len(errors))
    return documents, errors


def _read_bytes(path: Path) -> bytes:
    """The bytes of a regular file; a FIFO or device (swapped in after the walk) is refused, not opened
    for reading (``O_NONBLOCK``: opening a FIFO without a writer would wait forever)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(0, "not a regular file")
        with os.fdopen(fd, "rb", closefd=False) as fh:
            return fh.read()
    finally:
        os.close(fd)


def _read_file(path: Path, names: tuple[str, ...], fmt: str,
               entries: list[Entry], errors: list[InputError], repairs: tuple[str, ...] | None = None) -> None:
    primary = names[0]
    try:
        data = _read_bytes(path)
    except OSError as exc:
        errors.append(InputError(primary, "read", Errors.E019.format(path=primary, reason=os_reason(exc))))
        return
    if not data:
        errors.append(InputError(primary, "read", Errors.E013.format(path=primary)))
        return
    notes: list[str] = []
    try:
        raw = decode_bytes(data, primary, declared=declared_charset(data) if fmt == "html" else None,
                           notes=notes)
    except DecodeError as exc:
        errors.append(InputError(primary, "decode", str(exc)))
        return
    text = normalise_text(raw)
    if not text:
        errors.append(InputError(primary, "read", Errors.E013.format(path=primary)))
        return
    first = len(entries)
    try:
        parse_entries(raw, text, names, fmt, entries, errors)
    except ParseError as exc:
        errors.append(InputError(primary, "parse", str(exc)))
    _repair_entries(entries, first, primary, tuple(notes), repairs)


def _repair_entries(entries: list[Entry], first: int, path: str, notes: tuple[str, ...],
                    enabled: tuple[str, ...] | None) -> None:
    """Repair the texts and titles of ``entries[first:]`` (one file's), record and warn once per file."""
    if "bogus_bom" in notes:
        warnings.warn(Warnings.W010.format(path=path, encoding="UTF-8"), ClaimexWarning, stacklevel=2)
    if "bomless_utf16" in notes:
        warnings.warn(Warnings.W011.format(path=path, encoding="UTF-16"), ClaimexWarning, stacklevel=2)
    n_mojibake = 0
    mixed: list[str] = []
    for i in range(first, len(entries)):
        entry = entries[i]
        text, repairs = repair_text(entry.text, enabled)
        title = entry.title
        if title is not None and not title.isascii():
            title = normalise_text(repair_text(title, enabled)[0]) or None
        if "homoglyphs" in repairs:
            mixed.extend(fix_homoglyphs(entry.text)[1])
        n_mojibake += "mojibake" in repairs
        if repairs:
            text = normalise_text(text)
        if repairs or notes or title != entry.title:
            entries[i] = replace(entry, text=text, title=title, repairs=notes + repairs)
    if n_mojibake:
        warnings.warn(Warnings.W012.format(path=path, n=n_mojibake), ClaimexWarning, stacklevel=2)
    if mixed:
        warnings.warn(Warnings.W013.format(path=path, n=len(mixed), word=mixed[0]), ClaimexWarning,
                      stacklevel=2)


def _merge(entries: list[Entry]) -> list[RawDocument]:
    by_digest: dict[str, list[Entry]] = {}
    for entry in entries:
        by_digest.setdefault(text_digest(entry.text)[1], []).append(entry)
    documents = []
    for digest, group in by_digest.items():
        if len(group) == 1 and len(group[0].sources) == 1:  # the common case: no copies
            sources = group[0].sources
            meta = group[0].meta
        else:
            group.sort(key=lambda e: (min(map(source_sort_key, e.sources)), e.format,
                                      e.title or "", e.url or "", sorted(e.meta.items())))
            sources = tuple(sorted({s for e in group for s in e.sources}, key=source_sort_key))
            meta = {}
            for entry in group:
                for key, value in entry.meta.items():
                    meta.setdefault(key, value)
        first = group[0]
        source = sources[0]
        line = first.line if source in first.sources else None
        documents.append(RawDocument(
            doc_id=digest[:16],
            text=first.text,
            source=source,
            sources=sources,
            format=first.format,
            title=next((e.title for e in group if e.title), None),
            url=next((e.url for e in group if e.url), None),
            content_sha256=digest,
            meta=dict(sorted(meta.items())),
            input_path=source[:-len(f":{line}")] if line is not None else source,
            input_line=line,
            site=next((e.site for e in group if e.site), None),
            repairs=tuple(sorted({r for e in group for r in e.repairs})),
        ))
    documents.sort(key=lambda d: (source_sort_key(d.source), d.doc_id))
    return documents
