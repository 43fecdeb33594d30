"""Reading one decoded input file into :class:`~claimex.ingest.documents.Entry` records.

:func:`parse_entries` dispatches on the format: ``.txt`` and ``.md`` are kept
as text, ``.html``/``.htm`` go through :mod:`claimex.ingest.html`, ``.jsonl``
holds one article per line and ``.csv`` one article per row (``text`` column
required).

A JSONL line or CSV row is a *record*: its ``text`` is the article, ``title``,
``url`` and ``source`` fill those fields (a record without its own ``source``
is named ``relpath:line``), ``id`` and every other scalar field go to
``meta``.  A bad line or row is one ``parse`` error and the others are still
read; a file that cannot be parsed at all raises :class:`ParseError`.
"""

from __future__ import annotations

import csv
import io
import json

from ..errors import Errors
from .documents import Entry, InputError, ParseError, one_line
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
        url=(url.strip() or None) if isinstance(url, str) else None,
        meta=meta,
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
                    raise ParseError(Errors.E017.format(path=primary, columns=columns))
                continue
            n_rows += 1
            record: dict[str, object] = {}
            for key, value in zip(header, row):
                known = key.lower()
                key = known if known in RECORD_FIELDS else key
                record.setdefault(key, value)
            value = record.get("text")
            text = normalise_text(value) if isinstance(value, str) else ""
            if not text:
                errors.append(InputError(f"{primary}:{start}", "parse",
                                         Errors.E023.format(path=primary, line=start)))
                continue
            entries.append(_record_entries(record, names, start, "csv", text))
        if header is not None and n_rows == 0:
            raise ParseError(Errors.E025.format(path=primary))
    finally:
        csv.field_size_limit(old_limit)
