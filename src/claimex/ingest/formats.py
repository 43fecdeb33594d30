"""Reading one decoded input file into :class:`~claimex.ingest.documents.Entry` records.

:func:`parse_entries` dispatches on the format: ``.txt`` and ``.md`` are kept
as text, ``.html``/``.htm`` go through :mod:`claimex.ingest.html`, ``.jsonl``
holds one article per line and ``.csv`` one article per row (``text`` column
required).

A JSONL line or CSV row is a *record*: its ``text`` is the article, ``title``
and ``url`` fill those fields, ``id`` and every other scalar field go to
``meta``.  A record is always named by its place, ``relpath:line`` (the line
it starts on), so no record can take another document's name; its own
``source`` field (a site or outlet name) goes to ``site``, sanitised
(:func:`~claimex.ingest.documents.clean_identifier`).  A bad line or row is
one ``parse`` error and the others are still read; a file that cannot be
parsed at all raises :class:`ParseError`.

A CSV quoted field that is never closed would swallow every later row into
one cell: the row it opens on is one ``E024`` error naming that line, and
reading resumes on the next line.  The same holds when the field is closed
by the opening quote of a later row (``"Broken row,B`` then
``"Next row.",C``: the closing quote is followed by more text, which a
well-formed CSV never has); a one-line row with text after a closing quote
(``"text" ,B``) is read as Python's lenient reader reads it.
"""

from __future__ import annotations

import csv
import io
import json

from ..errors import Errors
from .documents import Entry, InputError, ParseError, clean_identifier, one_line
from .html import parse_html
from .textio import normalise_text

__all__ = ["RECORD_FIELDS", "parse_csv", "parse_entries", "parse_jsonl"]

RECORD_FIELDS = ("text", "id", "title", "url", "source")


def parse_entries(raw: str, text: str, names: tuple[str, ...], fmt: str,
                  entries: list[Entry], errors: list[InputError]) -> None:
    """Append the entries of one file (decoded ``raw``, normalised ``text``) to ``entries``.

    Raises :class:`ParseError` when the whole file cannot be used.
    """
    if fmt in ("txt", "md"):
        entries.append(Entry(names, text, fmt))
    elif fmt == "html":
        entries.append(parse_html(raw, names))
    elif fmt == "jsonl":
        parse_jsonl(raw, names, entries, errors)
    else:
        parse_csv(raw, names, entries, errors)


def _meta_value(value: object) -> str | None:
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return json.dumps(value)
    return None


def _json_type(value: object) -> str:
    names = {list: "an array", str: "a string", bool: "a boolean", int: "a number",
             float: "a number", type(None): "null"}
    return names.get(type(value), type(value).__name__)


def _record_entries(record: dict[str, object], names: tuple[str, ...], line: int,
                    fmt: str, text: str) -> Entry:
    own = record.get("source")
    sources = tuple(f"{name}:{line}" for name in names)
    title = record.get("title")
    url = record.get("url")
    meta: dict[str, str] = {}
    rid = record.get("id")
    if isinstance(rid, (str, int)) and not isinstance(rid, bool) and str(rid).strip():
        meta["id"] = str(rid).strip()
    for key, value in record.items():
        if key in RECORD_FIELDS or not key:
            continue
        converted = _meta_value(value)
        if converted is not None:
            meta.setdefault(key, converted)
    return Entry(
        sources=sources,
        text=text,
        format=fmt,
        title=one_line(title) if isinstance(title, str) else None,
        url=clean_identifier(url) if isinstance(url, str) else None,
        meta=meta,
        line=line,
        site=clean_identifier(str(own)) if isinstance(own, (str, int)) and not isinstance(own, bool) else None,
    )


def parse_jsonl(raw: str, names: tuple[str, ...], entries: list[Entry],
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


def parse_csv(raw: str, names: tuple[str, ...], entries: list[Entry],
              errors: list[InputError]) -> None:
    primary = names[0]
    old_limit = csv.field_size_limit()
    csv.field_size_limit(max(old_limit, _CSV_FIELD_LIMIT))
    try:
        state = _CsvState()
        state.n_lines = raw.count("\n") + (0 if raw.endswith("\n") else 1)
        stream = io.StringIO(raw, newline="")
        base, pos = 0, 0  # lines before the part of the file being read, and where it starts
        while pos < len(raw):
            resume = _read_csv_part(raw, stream, pos, base, names, state, entries, errors)
            if resume is None:
                break
            base, pos = resume
        if state.header is not None and state.n_rows == 0:
            raise ParseError(Errors.E025.format(path=primary))
    finally:
        csv.field_size_limit(old_limit)


class _CsvState:
    def __init__(self) -> None:
        self.header: list[str] | None = None
        self.n_rows = 0
        self.n_lines = 0


def _read_csv_part(raw: str, stream: io.StringIO, pos: int, base: int, names: tuple[str, ...],
                   state: _CsvState, entries: list[Entry],
                   errors: list[InputError]) -> tuple[int, int] | None:
    """Read rows of ``raw`` from character ``pos`` (the start of line ``base + 1``) on.

    Returns ``(lines before the rest, where the rest starts)`` when a row is
    skipped as malformed (the rest after the line its broken quoted field opens
    on is still to be read), else None.  ``stream`` is ``raw`` as a text stream
    (made once per file: a restart costs no copy of the rest).
    """
    primary = names[0]
    stream.seek(pos)
    reader = csv.reader(stream, strict=True)
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return None
        except csv.Error:
            at_end = base + reader.line_num >= state.n_lines
            opened = _unclosed_quote(raw, pos, start) if at_end else None
            if opened is not None:  # a quoted field runs to the end of the file
                reason = ("a quoted field opened on this line is never closed; "
                          "the row is skipped and reading resumes on the next line")
            elif reader.line_num > start:  # closed lines later, by the opening quote of another row
                opened = start
                reason = (f"a quoted field opened on this line is closed on line {base + reader.line_num} "
                          "by a quote followed by more text; the row is skipped and reading resumes "
                          "on the next line")
            else:  # on one line: read as the lenient reader reads it
                try:
                    row = next(csv.reader([_line(raw, pos, start)]), [])
                except csv.Error as lenient_exc:
                    line = base + start
                    errors.append(InputError(f"{primary}:{line}", "parse", Errors.E024.format(
                        path=primary, line=line, reason=lenient_exc)))
                    continue
                opened = None
            if opened is not None:
                line = base + opened
                errors.append(InputError(f"{primary}:{line}", "parse",
                                         Errors.E024.format(path=primary, line=line, reason=reason)))
                return base + opened, _line_start(raw, pos, opened + 1)
        if not any(cell.strip() for cell in row):
            continue
        if state.header is None:
            state.header = [cell.strip() for cell in row]
            lowered = [cell.lower() for cell in state.header]
            if "text" not in lowered:
                columns = ", ".join(repr(cell) for cell in state.header)
                raise ParseError(Errors.E017.format(path=primary, columns=columns))
            continue
        state.n_rows += 1
        line = base + start
        record: dict[str, object] = {}
        for key, value in zip(state.header, row):
            known = key.lower()
            key = known if known in RECORD_FIELDS else key
            record.setdefault(key, value)
        value = record.get("text")
        text = normalise_text(value) if isinstance(value, str) else ""
        if not text:
            errors.append(InputError(f"{primary}:{line}", "parse",
                                     Errors.E023.format(path=primary, line=line)))
            continue
        entries.append(_record_entries(record, names, line, "csv", text))


def _line_start(raw: str, pos: int, number: int) -> int:
    """Where line ``number`` (1-based, counted from character ``pos``) starts; ``len(raw)``
    when there is no such line."""
    i = pos
    for _ in range(number - 1):
        i = raw.find("\n", i)
        if i < 0:
            return len(raw)
        i += 1
    return i


def _line(raw: str, pos: int, number: int) -> str:
    """Line ``number`` (1-based, counted from character ``pos``) of ``raw``, without its line end."""
    i = _line_start(raw, pos, number)
    end = raw.find("\n", i)
    return raw[i:] if end < 0 else raw[i:end]


def _unclosed_quote(raw: str, pos: int, start: int) -> int | None:
    """The line (1-based, counted from character ``pos``) of a quote that opens a field in the
    row starting on line ``start`` (the last row of ``raw``) and is still open at the end; None
    if none is."""
    i = _line_start(raw, pos, start)
    n = len(raw)
    field_start = True
    opened_at = -1
    while i < n:
        ch = raw[i]
        if opened_at >= 0:  # inside a quoted field: "" is a quote, " closes it
            if ch == '"':
                if i + 1 < n and raw[i + 1] == '"':
                    i += 2
                    continue
                opened_at = -1
            i += 1
            continue
        if ch == '"' and field_start:
            opened_at = i
        field_start = ch in ",\n\r"
        i += 1
    if opened_at < 0:
        return None
    return raw.count("\n", pos, opened_at) + 1
