"""The numbered messages of the reviewer's commands (E100-E109, W003).

They belong in :mod:`claimex.errors`; until they are there (requested of its
owner), :func:`message` formats the same texts from :data:`PENDING`, so a
message reads the same before and after they move.
"""

from __future__ import annotations

from ..errors import Errors, Warnings

PENDING = {
    "E100": "{path}: cannot read the verdict file ({reason}).",
    "E101": "{path}: line {line}: malformed {kind} ({reason}).",
    "E102": ("{path}: not a verdict export ({reason}): expected a JSON object with a 'verdicts' list, "
             "a JSON list, or a CSV with the columns flag_id, claim_id, verdict, note, reviewer, decided_at."),
    "E103": "{path}: line {line}: {field} is missing or empty.",
    "E104": "{path}: line {line}: verdict is '{value}', expected one of {allowed}.",
    "E105": ("{path}: line {line}: decided_at is '{value}', expected an ISO-8601 UTC time "
             "such as 2026-12-04T01:30:00Z."),
    "E106": "{path}: line {line}: flag_id '{flag_id}' is judged twice (first on line {first}).",
    "E107": ("{path}: line {line}: flag_id '{flag_id}' belongs to claim '{expected}' in {dir}, "
             "not to '{claim_id}': was this file exported from another run's report?"),
    "E108": ("{path}: none of its {n} verdicts names a flag of {dir} (first: line {line}, flag_id "
             "'{flag_id}'): is this the processed folder the report was built from?"),
    "E109": "{path}: the verdict file has no verdicts.",
    "W003": ("{path}: {n} verdict(s) name flags that {dir} does not have (first: line {line}, flag_id "
             "'{flag_id}'); they are kept in verdicts.parquet and apply again if the flag comes back."),
}


def message(code: str, **fields) -> str:
    """``[CODE] text`` with ``fields`` filled in, from claimex.errors when it has the code."""
    holder = Warnings if code.startswith("W") else Errors
    try:
        template = getattr(holder, code)
    except AttributeError:
        template = f"[{code}] {PENDING[code]}"
    return template.format(**fields)
