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

Walking folders: entries are visited in sorted order; files and folders whose
name starts with ``.`` are skipped, and so are files with an unsupported
suffix (a file *named explicitly* with one is an error, ``E022``).  Symbolic
links to files are read; a symbolic link to a folder is followed once, after
the real folders under the root: a link whose target was already walked (or
contains a walked folder, i.e. a loop) is reported once (``E020``) and skipped.

Error stages: ``read`` (missing permission, broken link, loop, unsupported
suffix, empty or whitespace-only file), ``decode`` (binary, undecodable),
``parse`` (malformed JSONL line or CSV, missing text, HTML without main text).
"""

from __future__ import annotations

import csv
import errno
import hashlib
import io
import json
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from ..errors import ClaimexError, Errors
from .textio import DecodeError, decode_bytes, normalise_text

__all__ = [
    "SUFFIX_FORMATS",
    "InputError",
    "RawDocument",
    "iter_input_files",
    "read_corpus",
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

_RECORD_FIELDS = ("text", "id", "title", "url", "source")


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


class _ParseError(Exception):
    """A whole file could not be parsed; the message is a numbered error."""


@dataclass
class _Entry:
    """One document as read from one place, before merging duplicates."""

    sources: tuple[str, ...]
    text: str
    format: str
    title: str | None = None
    url: str | None = None
    meta: dict[str, str] = field(default_factory=dict)


# --------------------------------------------------------------------------
# helpers


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


def _format_of(name: str) -> str | None:
    return SUFFIX_FORMATS.get(os.path.splitext(name)[1].lower())


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "permission denied"
    if exc.strerror:
        return exc.strerror[0].lower() + exc.strerror[1:]
    return type(exc).__name__


def _read_bytes(path: Path) -> bytes:
    with open(path, "rb") as fh:
        return fh.read()


def _one_line(value: str | None) -> str | None:
    if not value:
        return None
    value = normalise_text(" ".join(value.split()))
    return value or None


def _meta_value(value: object) -> str | None:
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return json.dumps(value)
    return None


# --------------------------------------------------------------------------
# walking the inputs


def iter_input_files(
    paths: Sequence[str | os.PathLike],
    errors: list[InputError] | None = None,
) -> Iterator[tuple[Path, str]]:
    """Yield ``(absolute path, source name)`` for every input file to read.

    Folders are walked recursively (see the module docstring for the rules);
    the result is sorted by source name, root by root in sorted order, and
    does not depend on the order of ``paths`` or on directory listing order.
    Problems met while walking (unreadable folder, symlink loop, explicit
    file with an unsupported suffix) are appended to ``errors`` when given.

    Raises ``ClaimexError`` (``E010``) at once when an input path does not
    exist.
    """
    roots = _roots(paths)
    found: list[tuple[Path, str]] = []
    problems: dict[str, InputError] = {}
    for root in roots:
        walked = _walk_root(root)
        found.extend(walked[0])
        for ident, problem in walked[1]:
            # The same bad entry reached from two roots is reported once.
            known = problems.get(ident)
            if known is None or source_sort_key(problem.source) < source_sort_key(known.source):
                problems[ident] = problem
    if errors is not None:
        errors.extend(problems[ident] for ident in sorted(problems))
    return iter(found)


_Problems = list[tuple[str, InputError]]


def _roots(paths: Sequence[str | os.PathLike]) -> list[Path]:
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    missing: list[str] = []
    roots: set[str] = set()
    for raw in paths:
        path = os.fspath(raw)
        if not os.path.exists(path):
            missing.append(str(path))
        else:
            roots.add(os.path.abspath(path))
    if missing:
        raise ClaimexError(Errors.E010.format(path=", ".join(sorted(missing))))
    return [Path(root) for root in sorted(roots)]


def _entry_id(path: Path | str) -> str:
    """Identity of a folder entry: real parent folder + own name (links unresolved)."""
    path = os.fspath(path)
    return os.path.join(os.path.realpath(os.path.dirname(path)), os.path.basename(path))


def _walk_root(root: Path) -> tuple[list[tuple[Path, str]], _Problems]:
    """Files under one root, sorted by source name, and the problems met."""
    if root.is_dir():
        found, errors = _walk_folder(root)
        found.sort(key=lambda item: (source_sort_key(item[1]), str(item[0])))
        return found, errors
    name = root.name
    if not root.is_file():
        return [], [(_entry_id(root), InputError(name, "read", Errors.E026.format(path=name)))]
    if _format_of(name) is None:
        suffix = root.suffix or "(no suffix)"
        problem = InputError(name, "read", Errors.E022.format(path=name, suffix=suffix))
        return [], [(_entry_id(root), problem)]
    return [(root, name)], []


def _walk_folder(root: Path) -> tuple[list[tuple[Path, str]], _Problems]:
    found: list[tuple[Path, str]] = []
    errors: _Problems = []
    visited: set[str] = set()
    links: list[tuple[str, Path]] = []

    def walk_tree(top: Path, top_rel: str) -> None:
        stack = [(top, top_rel)]
        while stack:
            folder, rel = stack.pop()
            real = os.path.realpath(folder)
            if real in visited:
                continue
            visited.add(real)
            try:
                with os.scandir(folder) as it:
                    entries = sorted(it, key=lambda e: e.name)
            except OSError as exc:
                name = rel or root.name
                problem = InputError(name, "read", Errors.E027.format(path=name, reason=_os_reason(exc)))
                errors.append((real, problem))
                continue
            subfolders: list[tuple[Path, str]] = []
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                name = f"{rel}/{entry.name}" if rel else entry.name
                try:
                    if entry.is_dir():
                        if entry.is_symlink():
                            links.append((name, Path(entry.path)))
                        else:
                            subfolders.append((Path(entry.path), name))
                    elif entry.is_file():
                        if _format_of(entry.name) is not None:
                            found.append((Path(entry.path), name))
                    elif entry.is_symlink() and _format_of(entry.name) is not None:
                        os.stat(entry.path)  # raises: broken link or loop
                except OSError as exc:
                    if exc.errno == errno.ELOOP:
                        message = Errors.E020.format(path=name)
                    elif isinstance(exc, FileNotFoundError):
                        message = Errors.E019.format(path=name, reason="broken symbolic link")
                    else:
                        message = Errors.E019.format(path=name, reason=_os_reason(exc))
                    errors.append((os.path.join(real, entry.name), InputError(name, "read", message)))
            stack.extend(reversed(subfolders))

    walk_tree(root, "")
    while links:
        links.sort(key=lambda item: source_sort_key(item[0]))
        name, link = links.pop(0)
        target = os.path.realpath(link)
        prefix = target if target.endswith(os.sep) else target + os.sep
        if target in visited or any(v.startswith(prefix) for v in visited):
            errors.append((_entry_id(link), InputError(name, "read", Errors.E020.format(path=name))))
            continue
        walk_tree(link, name)
    return found, errors


# --------------------------------------------------------------------------
# reading one file


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
        fmt = _format_of(source)
        assert fmt is not None
        groups.setdefault((os.path.realpath(path), fmt), {}).setdefault(source, path)
    entries: list[_Entry] = []
    for (_real, fmt), names in sorted(groups.items()):
        ordered = sorted(names, key=source_sort_key)
        _read_file(names[ordered[0]], tuple(ordered), fmt, entries, errors)
    documents = _merge(entries)
    errors.sort(key=lambda e: (source_sort_key(e.source), e.stage, e.error))
    return documents, errors


def _read_file(path: Path, names: tuple[str, ...], fmt: str,
               entries: list[_Entry], errors: list[InputError]) -> None:
    primary = names[0]
    try:
        data = _read_bytes(path)
    except OSError as exc:
        errors.append(InputError(primary, "read", Errors.E019.format(path=primary, reason=_os_reason(exc))))
        return
    if not data:
        errors.append(InputError(primary, "read", Errors.E013.format(path=primary)))
        return
    try:
        raw = decode_bytes(data, primary, declared=_declared_charset(data) if fmt == "html" else None)
    except DecodeError as exc:
        errors.append(InputError(primary, "decode", str(exc)))
        return
    text = normalise_text(raw)
    if not text:
        errors.append(InputError(primary, "read", Errors.E013.format(path=primary)))
        return
    try:
        if fmt in ("txt", "md"):
            entries.append(_Entry(names, text, fmt))
        elif fmt == "html":
            entries.append(_parse_html(raw, names))
        elif fmt == "jsonl":
            _parse_jsonl(raw, names, entries, errors)
        else:
            _parse_csv(raw, names, entries, errors)
    except _ParseError as exc:
        errors.append(InputError(primary, "parse", str(exc)))


def _merge(entries: list[_Entry]) -> list[RawDocument]:
    by_digest: dict[str, list[_Entry]] = {}
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


# --------------------------------------------------------------------------
# JSONL and CSV


def _json_type(value: object) -> str:
    names = {list: "an array", str: "a string", bool: "a boolean", int: "a number",
             float: "a number", type(None): "null"}
    return names.get(type(value), type(value).__name__)


def _record_entries(record: dict[str, object], names: tuple[str, ...], line: int,
                    fmt: str, text: str) -> _Entry:
    own = record.get("source")
    if isinstance(own, str) and own.strip():
        sources: tuple[str, ...] = (own.strip(),)
    else:
        sources = tuple(f"{name}:{line}" for name in names)
    title = record.get("title")
    url = record.get("url")
    meta: dict[str, str] = {}
    rid = record.get("id")
    if isinstance(rid, (str, int)) and not isinstance(rid, bool) and str(rid).strip():
        meta["id"] = str(rid).strip()
    for key, value in record.items():
        if key in _RECORD_FIELDS or not key:
            continue
        converted = _meta_value(value)
        if converted is not None:
            meta.setdefault(key, converted)
    return _Entry(
        sources=sources,
        text=text,
        format=fmt,
        title=_one_line(title) if isinstance(title, str) else None,
        url=(url.strip() or None) if isinstance(url, str) else None,
        meta=meta,
    )


def _parse_jsonl(raw: str, names: tuple[str, ...], entries: list[_Entry],
                 errors: list[InputError]) -> None:
    primary = names[0]
    for number, line in enumerate(raw.split("\n"), start=1):
        line = line.rstrip("\r")
        if not line.strip():
            continue
        where = f"{primary}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            reason = f"{exc.msg} at column {exc.colno}"
            errors.append(InputError(where, "parse", Errors.E016.format(path=primary, line=number, reason=reason)))
            continue
        if not isinstance(record, dict):
            reason = f"expected a JSON object, got {_json_type(record)}"
            errors.append(InputError(where, "parse", Errors.E016.format(path=primary, line=number, reason=reason)))
            continue
        value = record.get("text")
        text = normalise_text(value) if isinstance(value, str) else ""
        if not text:
            errors.append(InputError(where, "parse", Errors.E021.format(path=primary, line=number)))
            continue
        entries.append(_record_entries(record, names, number, "jsonl", text))


_CSV_FIELD_LIMIT = 2**31 - 1


def _parse_csv(raw: str, names: tuple[str, ...], entries: list[_Entry],
               errors: list[InputError]) -> None:
    primary = names[0]
    old_limit = csv.field_size_limit()
    csv.field_size_limit(max(old_limit, _CSV_FIELD_LIMIT))
    try:
        reader = csv.reader(io.StringIO(raw, newline=""))
        header: list[str] | None = None
        n_rows = 0
        while True:
            start = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                errors.append(InputError(f"{primary}:{start}", "parse",
                                         Errors.E024.format(path=primary, line=start, reason=exc)))
                return
            if not any(cell.strip() for cell in row):
                continue
            if header is None:
                header = [cell.strip() for cell in row]
                lowered = [cell.lower() for cell in header]
                if "text" not in lowered:
                    columns = ", ".join(repr(cell) for cell in header)
                    raise _ParseError(Errors.E017.format(path=primary, columns=columns))
                continue
            n_rows += 1
            record: dict[str, object] = {}
            for key, value in zip(header, row):
                known = key.lower()
                key = known if known in _RECORD_FIELDS else key
                record.setdefault(key, value)
            value = record.get("text")
            text = normalise_text(value) if isinstance(value, str) else ""
            if not text:
                errors.append(InputError(f"{primary}:{start}", "parse",
                                         Errors.E023.format(path=primary, line=start)))
                continue
            entries.append(_record_entries(record, names, start, "csv", text))
        if header is not None and n_rows == 0:
            raise _ParseError(Errors.E025.format(path=primary))
    finally:
        csv.field_size_limit(old_limit)


# --------------------------------------------------------------------------
# HTML

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_NOT_XML_CHARS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\ufffe\uffff]")
_SURROGATE_CHARS = re.compile(r"[\ud800-\udfff]")
_BOILERPLATE_ATTR = re.compile(r"cookie|consent|gdpr|onetrust|cookiebot|cc-banner|cc-window", re.IGNORECASE)
_COOKIE_WORD = re.compile(r"\bcookies?\b", re.IGNORECASE)
_CONSENT_WORD = re.compile(r"\b(accept|agree|consent|continu|privacy|policy|settings|preferences|opt)", re.IGNORECASE)
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")
_PREFORMATTED = frozenset({"pre", "textarea"})
_NEVER_DROP = frozenset({"html", "body", "main", "article"})
_BANNER_TAGS = frozenset({"div", "section", "aside", "p", "footer", "header", "dialog", "form", "span"})
_MAX_BANNER_CHARS = 2000
_MAX_COOKIE_TEXT_CHARS = 600


def _declared_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii") if match else None


def _http_url(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    value = value.strip()
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    return value if parts.scheme in ("http", "https") and parts.netloc else None


def _prepare_tree(root) -> None:
    """Collapse source whitespace, remove banners, ``<noscript>``, ``<template>``.

    Runs of whitespace in text nodes (outside ``<pre>``/``<textarea>``) become
    one space, as a browser renders them, so that the only line breaks left in
    the extracted text are the ones trafilatura puts between blocks.

    trafilatura removes navigation, scripts and styles itself but keeps
    cookie banners as text.  A banner is an element whose id, class or
    aria-label names cookies/consent (and that holds at most 2000 characters),
    or a short block (at most 600 characters, outside ``<article>``/``<main>``)
    whose text speaks of cookies and of accepting/consent/privacy/settings.
    """
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if element.text and element.tag.lower() not in _PREFORMATTED:
            element.text = _HTML_SPACE.sub(" ", element.text)
        if element.tail:
            parent = element.getparent()
            if parent is None or not isinstance(parent.tag, str) or parent.tag.lower() not in _PREFORMATTED:
                element.tail = _HTML_SPACE.sub(" ", element.tail)
    for element in list(root.iter()):
        if not isinstance(element.tag, str):
            continue
        tag = element.tag.lower()
        if tag in ("noscript", "template"):
            element.drop_tree()
            continue
        if tag in _NEVER_DROP:
            continue
        attrs = " ".join(element.get(a, "") for a in ("id", "class", "aria-label"))
        if _BOILERPLATE_ATTR.search(attrs):
            if len(element.text_content()) <= _MAX_BANNER_CHARS:
                element.drop_tree()
            continue
        if tag in _BANNER_TAGS:
            content = element.text_content()
            if (len(content) <= _MAX_COOKIE_TEXT_CHARS and _COOKIE_WORD.search(content)
                    and _CONSENT_WORD.search(content)
                    and not any(a.tag in ("article", "main") for a in element.iterancestors()
                                if isinstance(a.tag, str))):
                element.drop_tree()


def _parse_html(raw: str, names: tuple[str, ...]) -> _Entry:
    """Main text of an HTML page, with title and URL (see module docstring).

    The title is trafilatura's (which drops a `` | Site name`` suffix), else
    ``<title>``; the URL is the canonical link, else ``og:url``, else
    trafilatura's, and only an absolute http(s) URL is kept.  ``meta`` holds
    ``sitename``, ``author`` and ``description`` when the page has them.
    Extraction favours precision: a page whose only text is navigation,
    scripts or banners raises ``E018``; a page lxml or trafilatura cannot
    handle at all raises ``E028``.  Control characters are dropped before
    parsing (lxml refuses them); ``normalise_text`` drops them anyway.
    """
    import lxml.etree
    import lxml.html

    primary = names[0]
    raw = _XML_DECLARATION.sub("", raw, count=1)
    # lxml refuses text that XML cannot hold: drop it before parsing.
    raw = _NOT_XML_CHARS.sub("", raw.replace("\x0b", " ").replace("\x0c", " "))
    raw = _SURROGATE_CHARS.sub("\ufffd", raw)
    parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, huge_tree=True)
    try:
        root = lxml.html.document_fromstring(raw, parser=parser)
    except lxml.etree.ParserError:  # "Document is empty"
        raise _ParseError(Errors.E018.format(path=primary)) from None
    except (ValueError, lxml.etree.LxmlError) as exc:
        raise _ParseError(Errors.E028.format(path=primary, reason=exc)) from None
    try:
        return _extract_html(root, names)
    except (ValueError, TypeError, lxml.etree.LxmlError) as exc:  # trafilatura/lxml on odd trees
        raise _ParseError(Errors.E028.format(path=primary, reason=exc)) from None


def _extract_html(root, names: tuple[str, ...]) -> _Entry:
    import trafilatura

    primary = names[0]
    page_title = root.findtext(".//title")
    canonical = og_url = None
    for link in root.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split():
            canonical = canonical or _http_url(link.get("href"))
    for meta in root.iter("meta"):
        if (meta.get("property") or meta.get("name") or "").strip().lower() == "og:url":
            og_url = og_url or _http_url(meta.get("content"))
    _prepare_tree(root)
    result = trafilatura.bare_extraction(
        root, with_metadata=True, include_comments=False, include_tables=True, favor_precision=True)
    text = normalise_text(result.text) if result is not None and result.text else ""
    if not text:
        raise _ParseError(Errors.E018.format(path=primary))
    meta = {}
    for key in ("sitename", "author", "description"):
        value = _one_line(getattr(result, key, None))
        if value:
            meta[key] = value
    return _Entry(
        sources=names,
        text=text,
        format="html",
        title=_one_line(result.title) or _one_line(page_title),
        url=canonical or og_url or _http_url(result.url),
        meta=meta,
    )
