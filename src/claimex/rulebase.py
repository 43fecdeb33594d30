"""Reading the editable data files (JSONL lexicons and rules) with errors that name file and line.

Every loader of a ``pipelines/`` data file goes through these two functions,
so a bad file is always reported the same way: the file, the line, the problem.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable, Iterator

from .errors import ClaimexError, Errors

LineError = Callable[[int, str], ClaimexError]  # (line, reason) -> error naming the file


def read_data_file(path: str | Path, error: LineError,
                   missing: Callable[[], ClaimexError] | None = None) -> str:
    """The UTF-8 text of ``path``; an unreadable file raises ``error(0, reason)``
    (or ``missing()`` for a file that does not exist, when given)."""
    try:
        return Path(path).read_text(encoding="utf-8")
    except FileNotFoundError as err:
        raise (missing() if missing else error(0, err.strerror or str(err))) from None
    except (OSError, UnicodeDecodeError) as err:
        raise error(0, getattr(err, "strerror", None) or str(err)) from None


def iter_jsonl(text: str, error: LineError, *, comments: bool = False) -> Iterator[tuple[int, Any]]:
    """``(line number, value)`` for every non-blank line of JSONL ``text``.

    Blank lines are skipped, and lines starting with ``#`` too when
    ``comments``; malformed JSON raises ``error(line, "malformed JSON: …")``.
    """
    for line_no, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if not stripped or (comments and stripped.startswith("#")):
            continue
        try:
            yield line_no, json.loads(stripped)
        except json.JSONDecodeError as err:
            raise error(line_no, f"malformed JSON: {err.msg}") from None


def record_checker(data: Any, fields: set[str], *, path: str, line: int) -> Callable[[str], ClaimexError]:
    """Check that a data-file record is an object with only the ``fields`` allowed;
    return the function that makes an ``E050`` error (file, line, reason) for the
    record's own checks."""
    def bad(reason: str) -> ClaimexError:
        return ClaimexError(Errors.E050.format(path=path, line=line, reason=reason))

    if not isinstance(data, dict):
        raise bad(f"expected a JSON object, got {type(data).__name__}")
    unknown = sorted(set(data) - fields)
    if unknown:
        raise bad(f"unknown field(s) {', '.join(unknown)}; allowed: {', '.join(sorted(fields))}")
    return bad
