"""The reviewer flag report: ``report.html`` (one self-contained page) and its
Markdown twin ``report.md``.

The report answers one question per flagged claim: *is the flag right?*  For
each flag it shows the claim (``subject PREDICATE object``), the sentence it
came from with the entities highlighted, the reason, severity and score, and
for a contradiction the opposing sentences from the other sources side by side,
each linked to its place in the full text of its document further down the
page.  Above the flags: summary counts, an inline-SVG chart of flags per
source, and the claim matrix (one row per claim group, one column per source
document, each cell affirmed / negated / hedged / mixed / silent).

The stage in four steps, one module each:

- :mod:`.load` reads the tables of a processed folder (:func:`load_processed`);
- :mod:`.data` turns them into the view model (:func:`prepare`);
- :mod:`.html` renders the page through the Jinja2 templates in ``templates/``
  with the CSS and script in ``assets/`` (:func:`render_html`), packing the
  bulk of a large report into one compressed block;
- :mod:`.markdown` writes the Markdown twin (:func:`render_markdown`).

:mod:`.escape` holds the only ways untrusted text reaches either file.
:func:`build_report` glues the steps together and writes both files atomically;
benchmarks/bench_report.py measures the page for thousands of documents.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import ClaimexError, Errors
from ..store.atomic import write_text_atomic
from .data import (CELL_LEGEND, CELL_STATES, KIND_ORDER, MAX_MATRIX_COLS, DocView, FlagView, GroupRow, Report,
                   Statement, prepare)
from .escape import css_class, esc, escape_md, json_for_script, make_anchors, safe_href
from .html import highlight_html, is_large, pack_store, render_html, unpack_store
from .load import REPORT_COLUMNS, Processed, load_processed
from .markdown import render_markdown

__all__ = [
    "CELL_LEGEND", "CELL_STATES", "KIND_ORDER", "REPORT_COLUMNS", "DocView", "FlagView", "GroupRow", "Processed",
    "Report", "Statement", "build_report", "css_class", "esc", "escape_md", "highlight_html", "is_large",
    "json_for_script", "load_processed", "make_anchors", "pack_store", "prepare", "render_html",
    "render_markdown", "safe_href", "unpack_store", "write_report_file",
]


def write_report_file(path: Path, text: str) -> Path:
    """Write one report file atomically (creating its folder); E075 names the file on failure."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        return write_text_atomic(path, text)
    except OSError as exc:
        raise ClaimexError(Errors.E075.format(path=path, reason=exc.strerror or exc)) from None


def build_report(processed_dir: Path, *, out_html: Path | None = None, out_md: Path | None = None,
                 max_matrix_rows: int = 100, max_matrix_cols: int = MAX_MATRIX_COLS,
                 lazy: bool | None = None) -> tuple[Path, Path]:
    """Write ``report.html`` and ``report.md`` for a processed folder.

    Defaults: ``processed_dir/report.html`` and ``processed_dir/report.md``.
    ``lazy`` forces the light page layout on or off (default: on for large
    corpora, see :func:`is_large`).
    Both are written atomically.  Raises :class:`ClaimexError` (E070–E075)
    naming the file and the problem.
    """
    processed_dir = Path(processed_dir)
    report = prepare(load_processed(processed_dir), max_matrix_rows=max_matrix_rows,
                     max_matrix_cols=max_matrix_cols)
    html_path = write_report_file(Path(out_html) if out_html else processed_dir / "report.html",
                                  render_html(report, lazy=lazy))
    md_path = write_report_file(Path(out_md) if out_md else processed_dir / "report.md", render_markdown(report))
    return html_path, md_path
