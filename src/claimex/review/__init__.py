"""The reviewer's loop: verdicts on flags, from report.html back into the pipeline.

A reviewer judges each flag in ``report.html`` (accept / reject / unsure and a
note, saved in the browser) and exports the verdicts as JSON or CSV.
``claimex review import DIR FILE`` checks them against the folder's flags and
merges them into ``DIR/verdicts.parquet`` (:mod:`.files`, :mod:`.table`); a
rerun lines them up with its flags by ``flag_id`` (:mod:`.state`: kept, new
since the last review, vanished), the report and ``claimex show`` show them,
and ``claimex review stats DIR`` reports the flags' observed precision per kind
(:mod:`.stats`).  See docs/review.md.
"""

from __future__ import annotations

from ..schema import REVIEW_CHOICES
from .files import EXPORT_FORMAT, FIELDS, Verdict, format_time, parse_time, read_verdict_file
from .state import ReviewState, match, review_state
from .stats import review_stats, stats_lines
from .table import ImportResult, Verdicts, import_verdicts, read_verdicts, run_id, verdicts_path, write_verdicts

__all__ = [
    "EXPORT_FORMAT", "FIELDS", "REVIEW_CHOICES", "Verdict", "format_time", "parse_time", "read_verdict_file",
    "ReviewState", "match", "review_state", "review_stats", "stats_lines",
    "ImportResult", "Verdicts", "import_verdicts", "read_verdicts", "run_id", "verdicts_path", "write_verdicts",
]
