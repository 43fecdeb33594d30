"""What the command line prints: digests, one claim group, the run summary, progress.

Results go to stdout (:func:`print_digest`, :func:`print_claim`,
:func:`print_summary`, :func:`summary_dict` for ``--json``), progress and
warnings to stderr (:class:`Progress`, :func:`warnings_as_lines`,
:func:`print_skipped`).  Text from the data is printed through
:func:`~claimex.cli.common.terminal_safe` (no escape sequence of an input
reaches the terminal).  rich is imported inside the functions, so importing
this module costs nothing for ``claimex --help``.
"""

from __future__ import annotations

from contextlib import contextmanager

from .common import print_skipped, terminal_safe

__all__ = [
    "Progress",
    "print_claim",
    "print_digest",
    "print_skipped",
    "print_summary",
    "summary_dict",
    "warn_stale_report",
    "warnings_as_lines",
]


def warn_stale_report(processed) -> None:
    """``claimex: warning:`` on stderr when the folder's report.html / report.md do not belong to
    its tables (:func:`claimex.store.manifest.stale_report`)."""
    import typer

    from ..store.manifest import stale_report

    problems = stale_report(processed)
    if problems:
        typer.echo(f"claimex: warning: the report in {_safe(processed)} is stale: {'; '.join(problems)}. "
                   f"`claimex report {_safe(processed)}` rebuilds it.", err=True)


def _plain(*values):
    """Cells as rich Text, so article text is never read as console markup nor as escapes."""
    from rich.text import Text

    return [Text(terminal_safe(v, keep_lines=True)) for v in values]


def _safe(value, limit: int | None = None) -> str:
    return terminal_safe(value, limit=limit)


def print_digest(d: dict) -> None:
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
        claim = Text(_safe(g["claim_key"]), style="bold")
        claim.append("\n" + ", ".join(_safe(s, 300) for s in g["sources"]), style="dim")
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
    r = d.get("review") or {}
    if r.get("reviewed"):
        v = Table(title="Verdicts (verdicts.parquet)")
        for col in ("flag", "accepted", "rejected", "unsure"):
            v.add_column(col, justify="left" if col == "flag" else "right")
        for kind, n in r["by_kind"].items():
            v.add_row(*_plain(kind, n["accept"], n["reject"], n["unsure"]))
        console.print(v)
        console.print(*_plain(r["summary"] + "; `claimex review stats DIR` gives the precision per kind"))


def print_claim(d: dict) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    g = d["group"]
    console = Console()
    console.print(Text.assemble((_safe(g["claim_key"]), "bold"), f"  verdict: {g['verdict']}"))
    console.print(*_plain(f"{g['n_claims']} mentions in {g['n_sources']} sources "
                          f"({g['n_independent_sources']} independent): {g['n_affirming']} affirming, "
                          f"{g['n_negating']} negating, {g['n_hedging']} hedging"))
    console.print(*_plain("stated in: " + ", ".join(g["sources"])))
    t = Table(show_lines=True)
    t.add_column("mention", overflow="fold", ratio=2)
    t.add_column("sentence", overflow="fold", ratio=3)
    for m in d["mentions"]:
        lines = [_safe(m["source"], 300), f"{m['polarity']}, {m['certainty']}",
                 f"by {m['attribution']}, evidence: {m['evidence']}",
                 "flags: " + (", ".join(m["flags"]) or "none")]
        if m["contradicted_by"]:
            lines.append("contradicted by: " + ", ".join(m["contradicted_by"]))
        for v in m.get("verdicts") or []:
            lines.append(f"{v['flag']}: {v['verdict']}" + (f" by {_safe(v['reviewer'], 80)}" if v.get("reviewer") else "")
                         + (f" ({_safe(v['note'], 200)})" if v.get("note") else ""))
        t.add_row(*_plain("\n".join(lines), " ".join(m["text"].split())))
    console.print(t)


@contextmanager
def warnings_as_lines(prog: "Progress"):
    """Show claimex's warnings (``W0xx``) as one ``claimex: warning: ...`` line on
    stderr, above the progress bars; other warnings as Python shows them."""
    import warnings

    from ..errors import ClaimexWarning

    with warnings.catch_warnings():
        warnings.simplefilter("always", ClaimexWarning)
        shown = warnings.showwarning

        def show(message, category, filename, lineno, file=None, line=None):
            if issubclass(category, ClaimexWarning):
                prog.line(f"claimex: warning: {terminal_safe(message)}")
            else:
                shown(message, category, filename, lineno, file, line)

        warnings.showwarning = show
        yield


class Progress:
    """Progress on stderr, one task per stage, with rate and time left; off when ``enabled`` is
    False (``--quiet``, or stderr is not a terminal and ``--json`` was asked)."""

    LABELS = {"read": "Reading inputs", "model": "Loading the model", "nlp": "Processing documents",
              "flags": "Flagging claims", "report": "Writing report"}
    UNITS = {"read": "files", "nlp": "docs"}

    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled

    def __enter__(self):
        if not self.enabled:
            return self
        from rich.console import Console
        from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn,
                                   TimeRemainingColumn)

        self._progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                  TextColumn("{task.fields[rate]}"), TimeElapsedColumn(),
                                  TextColumn("ETA"), TimeRemainingColumn(),
                                  console=Console(stderr=True), transient=False)
        self._tasks: dict[str, int] = {}
        self._progress.__enter__()
        return self

    def line(self, text: str) -> None:
        if not self.enabled:
            import typer

            typer.echo(text, err=True)
            return
        from rich.text import Text

        self._progress.console.print(Text(text), soft_wrap=True)

    def update(self, stage: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        if stage not in self._tasks:
            if not total:
                return  # nothing to show (no inputs found: the error says so)
            self._tasks[stage] = self._progress.add_task(self.LABELS.get(stage, stage), total=total, rate="")
        task_id = self._tasks[stage]
        task = self._progress.tasks[task_id] if task_id < len(self._progress.tasks) else None
        rate = ""
        unit = self.UNITS.get(stage)
        if unit and task is not None and task.elapsed and done:
            rate = f"{done / task.elapsed:,.1f} {unit}/s"
        self._progress.update(task_id, completed=done, total=total, rate=rate)

    def __exit__(self, *exc):
        if not self.enabled:
            return False
        return self._progress.__exit__(*exc)


def _report_path(result):
    for path in getattr(result, "outputs", []) or []:
        if str(path).endswith("report.html"):
            return path
    return None


def summary_dict(result, *, elapsed_s: float, exit_code: int) -> dict:
    """The run summary as plain data (``claimex run --json`` prints it on stdout)."""
    return {
        "status": "partial" if result.errors else "ok",
        "exit_code": exit_code,
        "out_dir": str(result.out_dir),
        "documents": result.n_documents,
        "reused": result.n_reused,
        "duplicates_merged": getattr(result, "n_merged", None),
        "sentences": result.n_sentences,
        "words": result.n_words,
        "claims": result.n_claims,
        "entities_by_label": dict(result.entities_by_label),
        "flags_by_kind": dict(result.flags_by_kind),
        "input_errors": [{"source": e.source, "stage": e.stage, "error": e.error} for e in result.errors],
        "outputs": [str(p) for p in getattr(result, "outputs", []) or []],
        "report": str(_report_path(result)) if _report_path(result) else None,
        "elapsed_s": round(elapsed_s, 3),
    }


def print_summary(result, *, elapsed_s: float | None = None) -> None:
    """Every failed input (one line each, stderr) first, then the summary table (stdout)."""
    from rich.console import Console
    from rich.table import Table

    for e in result.errors:
        print_skipped(e)
    table = Table(title=f"claimex run → {_safe(result.out_dir)}", show_header=True)
    table.add_column("what")
    table.add_column("count", justify="right")
    table.add_row("documents", str(result.n_documents))
    if result.n_reused:
        table.add_row("  reused from the previous run", str(result.n_reused))
    merged = getattr(result, "n_merged", None)
    if merged:
        table.add_row("  duplicate copies merged", str(merged))
    table.add_row("sentences", str(result.n_sentences))
    table.add_row("words", str(result.n_words))
    for label, n in result.entities_by_label.items():
        table.add_row(f"entities: {label}", str(n))
    table.add_row("claims", str(result.n_claims))
    for kind, n in result.flags_by_kind.items():
        table.add_row(f"flags: {kind}", str(n))
    table.add_row("input errors", str(len(result.errors)))
    review = getattr(result, "review", None)
    if review is not None and review.reviewed:
        table.add_row("verdicts kept (earlier review)", str(len(review.kept)))
        table.add_row("  flags new since the last review", str(len(review.new)))
        if review.vanished:
            table.add_row("  verdicts whose flag is gone", str(len(review.vanished)))
    if elapsed_s is not None:
        table.add_row("time", f"{elapsed_s:,.1f} s")
    console = Console()
    console.print(table)
    report = _report_path(result)
    if report is not None:
        console.print(f"report: {_safe(report)}", soft_wrap=True, highlight=False, markup=False)
    if result.errors:
        console.print(f"{len(result.errors)} input(s) could not be read; see the lines above and "
                      f"{_safe(result.out_dir)}/errors.parquet (exit code 3).", soft_wrap=True,
                      highlight=False, markup=False)
