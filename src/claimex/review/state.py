"""A run's flags beside the verdicts of earlier reviews.

:func:`review_state` lines ``verdicts.parquet`` up with the folder's current
``flags.parquet`` by ``flag_id`` (stable across reruns while the claim and its
document do not change, see docs/review.md):

* **kept**: verdicts whose flag still exists; the report and ``claimex show``
  show them on their flags;
* **new**: flags that did not exist when the last review was imported (the
  flag ids recorded in ``verdicts.parquet``);
* **vanished**: verdicts whose flag this run no longer has.  They stay in
  ``verdicts.parquet`` (if the flag comes back, so does its verdict) and are
  listed, so nobody wonders where a decision went.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from ..markdown import plural
from .table import Verdicts, read_verdicts


@dataclass
class ReviewState:
    """Verdicts matched to one run's flags (empty when nobody reviewed this folder)."""

    kept: dict[str, dict[str, Any]] = field(default_factory=dict)   # flag_id -> verdict row
    new: list[str] = field(default_factory=list)                     # flag ids, in the flags' order
    vanished: list[dict[str, Any]] = field(default_factory=list)     # verdict rows
    reviewed: bool = False                                           # verdicts.parquet exists

    def summary(self) -> str:
        """One line for a run's console output, e.g. ``verdicts: 37 kept, 5 flags new since the last
        review, 2 verdicts whose flag is gone``; empty when there was no review."""
        if not self.reviewed:
            return ""
        parts = [f"{len(self.kept)} kept", plural(len(self.new), "flag") + " new since the last review"]
        if self.vanished:
            parts.append(plural(len(self.vanished), "verdict") + " whose flag is gone")
        return "verdicts: " + ", ".join(parts)


def match(flag_ids: Iterable[str], stored: Verdicts | None) -> ReviewState:
    """:class:`ReviewState` of the flags ``flag_ids`` (in their table order) against ``stored``."""
    if stored is None:
        return ReviewState()
    ids = list(flag_ids)
    present = set(ids)
    by_flag = stored.by_flag
    seen = stored.reviewed_flags if stored.reviewed_flags is not None else frozenset(by_flag)
    return ReviewState(
        kept={f: by_flag[f] for f in ids if f in by_flag},
        new=[f for f in ids if f not in seen and f not in by_flag],
        vanished=[r for r in stored.rows if r["flag_id"] not in present],
        reviewed=True,
    )


def review_state(out_dir: Path) -> ReviewState:
    """:func:`match` for the processed folder ``out_dir`` (reads flags.parquet and verdicts.parquet)."""
    stored = read_verdicts(out_dir)
    if stored is None:
        return ReviewState()
    from ..store import tables

    flags = tables.read_table(Path(out_dir), "flags", ["flag_id"])
    return match(flags.column("flag_id").to_pylist(), stored)
