"""Reading the verdict files a reviewer exports from ``report.html``.

The report's *Export* buttons write either JSON::

    {"format": "claimex-verdicts", "version": 1, "run_id": "…", "exported_at": "…",
     "verdicts": [
      {"flag_id": "…", "claim_id": "…", "verdict": "accept", "note": "", "reviewer": "", "decided_at": "…Z"},
      …]}

(a bare JSON list of the same records is read too) or CSV with the header
``flag_id,claim_id,verdict,note,reviewer,decided_at``.  :func:`read_verdict_file`
turns either into :class:`Verdict` records, each with the line it starts on, and
stops at the first problem with a numbered error naming the file and the line
(``[E104] v.csv: line 7: verdict is 'maybe', expected one of accept, reject, unsure.``).
Nothing here knows about a processed folder; :mod:`claimex.review.table` checks
the records against one.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ..errors import ClaimexError, Errors
from ..schema import REVIEW_CHOICES

#: the columns of an export, in order (CSV header, JSON record keys)
FIELDS = ("flag_id", "claim_id", "verdict", "note", "reviewer", "decided_at")
EXPORT_FORMAT = "claimex-verdicts"


@dataclass(frozen=True)
class Verdict:
    """One reviewer decision on one flag, as read from a file (``line`` is where its record starts)."""

    flag_id: str
    claim_id: str | None
    verdict: str
    note: str | None
    reviewer: str | None
    decided_at: datetime
    line: int = 0

    def as_row(self) -> dict[str, Any]:
        return {"flag_id": self.flag_id, "claim_id": self.claim_id, "verdict": self.verdict,
                "note": self.note, "reviewer": self.reviewer, "decided_at": self.decided_at}


def parse_time(value: str) -> datetime | None:
    """An ISO-8601 time with an explicit offset (``Z`` or ``+hh:mm``) as UTC; None if it is not one."""
    text = value.strip()
    if not text or ("T" not in text and " " not in text):
        return None
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        return None
    if when.tzinfo is None:  # a time without an offset could be any zone's
        return None
    return when.astimezone(timezone.utc)


def format_time(when: datetime) -> str:
    """``2026-12-04T01:30:00.123Z``: what the report writes (milliseconds, UTC)."""
    when = when.astimezone(timezone.utc)
    return when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z"


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (dict, list, bool)):
        raise TypeError(type(value).__name__)
    return str(value).strip()


def verdict_from_record(record: dict[str, Any], path: Path, line: int) -> Verdict:
    """Check one record (a JSON object or a CSV row) and make it a :class:`Verdict`."""
    values: dict[str, str] = {}
    for name in FIELDS:
        try:
            values[name] = _text(record.get(name))
        except TypeError as exc:
            raise ClaimexError(Errors.E102.format(path=path, reason=f"line {line}: {name} is a JSON {exc}, "
                                                                    "not a string")) from None
    for name in ("flag_id", "verdict", "decided_at"):
        if not values[name]:
            raise ClaimexError(Errors.E103.format(path=path, line=line, field=name))
    choice = values["verdict"].lower()
    if choice not in REVIEW_CHOICES:
        raise ClaimexError(Errors.E104.format(path=path, line=line, value=values["verdict"],
                                              allowed=", ".join(REVIEW_CHOICES)))
    when = parse_time(values["decided_at"])
    if when is None:
        raise ClaimexError(Errors.E105.format(path=path, line=line, value=values["decided_at"]))
    return Verdict(flag_id=values["flag_id"], claim_id=values["claim_id"] or None, verdict=choice,
                   note=values["note"] or None, reviewer=values["reviewer"] or None,
                   decided_at=when, line=line)


# --------------------------------------------------------------------------- JSON

def _skip_ws(text: str, i: int) -> int:
    while i < len(text) and text[i] in " \t\r\n":
        i += 1
    return i


def _line_of(text: str, i: int) -> int:
    return text.count("\n", 0, i) + 1


def _list_items(text: str, start: int) -> list[tuple[int, Any]]:
    """The items of the JSON list that starts at ``text[start]``, each with its line."""
    decoder = json.JSONDecoder()
    out = []
    i = _skip_ws(text, start + 1)
    while text[i] != "]":
        value, end = decoder.raw_decode(text, i)
        out.append((_line_of(text, i), value))
        i = _skip_ws(text, end)
        if text[i] == ",":
            i = _skip_ws(text, i + 1)
    return out


def _verdicts_list_start(text: str, start: int) -> int | None:
    """Where the value of the top-level object's (last) ``"verdicts"`` key starts, if it is a list."""
    decoder = json.JSONDecoder()
    found = None
    i = _skip_ws(text, start + 1)
    while text[i] != "}":
        key, i = decoder.raw_decode(text, i)
        i = _skip_ws(text, _skip_ws(text, i) + 1)  # past the colon
        value_start = i
        value, i = decoder.raw_decode(text, i)
        if key == "verdicts":
            found = value_start if isinstance(value, list) else None
        i = _skip_ws(text, i)
        if text[i] == ",":
            i = _skip_ws(text, i + 1)
    return found


def read_json(text: str, path: Path) -> list[tuple[int, Any]]:
    """The verdict records of a JSON export, each with the line it starts on."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ClaimexError(Errors.E101.format(path=path, line=exc.lineno, kind="JSON",
                                              reason=f"{exc.msg}, column {exc.colno}")) from None
    start = _skip_ws(text, 0)
    if isinstance(data, list):
        return _list_items(text, start)
    if not isinstance(data, dict):
        raise ClaimexError(Errors.E102.format(path=path, reason=f"the JSON is a {type(data).__name__}"))
    fmt = data.get("format", EXPORT_FORMAT)
    if fmt != EXPORT_FORMAT:
        raise ClaimexError(Errors.E102.format(path=path, reason=f"its format is '{fmt}'"))
    begin = _verdicts_list_start(text, start)
    if begin is None:
        raise ClaimexError(Errors.E102.format(path=path, reason="the JSON object has no 'verdicts' list"))
    return _list_items(text, begin)


# --------------------------------------------------------------------------- CSV

def read_csv(text: str, path: Path) -> list[tuple[int, Any]]:
    """The rows of a CSV export as dicts, each with the line its record starts on."""
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count) if first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[tuple[int, Any]] = []
    try:
        header = next(reader, None)
        if header is None:
            raise ClaimexError(Errors.E109.format(path=path))
        names = [h.strip().lower() for h in header]
        for need in ("flag_id", "verdict"):
            if need not in names:
                raise ClaimexError(Errors.E102.format(path=path,
                                                      reason=f"no {need} column (columns: {', '.join(header)})"))
        while True:
            line = reader.line_num + 1
            row = next(reader, None)
            if row is None:
                break
            if not any(cell.strip() for cell in row):
                continue
            if len(row) > len(names):
                raise ClaimexError(Errors.E102.format(path=path, reason=f"line {line} has {len(row)} fields, "
                                                                        f"the header {len(names)}"))
            rows.append((line, dict(zip(names, row))))
    except csv.Error as exc:
        raise ClaimexError(Errors.E101.format(path=path, line=reader.line_num, kind="CSV", reason=str(exc))) from None
    return rows


# --------------------------------------------------------------------------- either

def read_verdict_file(path: Path | str) -> list[Verdict]:
    """The verdicts of a JSON or CSV export (by suffix, else by its first character), in file order.

    Raises a :class:`ClaimexError` naming the file and the line of the first bad record, and
    when a flag is judged twice in one file.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise ClaimexError(Errors.E100.format(path=path, reason=reason)) from None
    suffix = path.suffix.lower()
    is_json = suffix == ".json" or (suffix != ".csv" and text.lstrip()[:1] in ("{", "["))
    records = read_json(text, path) if is_json else read_csv(text, path)
    out: list[Verdict] = []
    first_line: dict[str, int] = {}
    for line, record in records:
        if not isinstance(record, dict):
            kind = type(record).__name__
            reason = f"line {line}: a verdict is a {kind}, not an object"
            raise ClaimexError(Errors.E102.format(path=path, reason=reason))
        v = verdict_from_record(record, path, line)
        if v.flag_id in first_line:
            raise ClaimexError(Errors.E106.format(path=path, line=line, flag_id=v.flag_id,
                                                  first=first_line[v.flag_id]))
        first_line[v.flag_id] = line
        out.append(v)
    if not out:
        raise ClaimexError(Errors.E109.format(path=path))
    return out
