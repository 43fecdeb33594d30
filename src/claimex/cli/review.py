"""``claimex review``: bring a reviewer's verdicts from report.html back into a processed folder.

``claimex review import DIR FILE`` merges a JSON or CSV export of the report
into ``DIR/verdicts.parquet``; ``claimex review stats DIR`` prints how many
flags of each kind were reviewed and the share accepted.  Only typer is
imported here; pyarrow and claimex.review load inside the commands, so
``claimex --help`` stays fast and never imports spaCy.
"""

from __future__ import annotations

from pathlib import Path

import typer

from .common import new_app, require_processed, user_errors

app = new_app("review", "Verdicts on flags: import a report's export, print the flags' observed precision.")


@app.command("import")
def import_(
    processed: Path = typer.Argument(..., help="Processed folder (output of `claimex run`)."),
    verdicts: Path = typer.Argument(..., help="Verdicts exported from report.html (.json or .csv)."),
) -> None:
    """Merge exported verdicts into DIR/verdicts.parquet (per flag, the latest decision wins)."""
    import warnings

    from ..errors import ClaimexWarning

    require_processed(processed, "flags.parquet")
    from ..review import import_verdicts
    from ..store.lock import checked_set

    with user_errors(), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ClaimexWarning)
        with checked_set(processed, ("flags",), write=True):  # not while a run writes the folder
            result = import_verdicts(processed, verdicts)
    for w in caught:
        if issubclass(w.category, ClaimexWarning):
            typer.echo(f"claimex: warning: {w.message}", err=True)
    choices = ", ".join(f"{n} {c}" for c, n in result.by_choice.items())
    typer.echo(f"{verdicts}: {result.read} verdicts read: {result.added} new, {result.changed} changed, "
               f"{result.unchanged} unchanged" + (f", {result.unknown} for flags not in {processed}"
                                                    if result.unknown else "") + ".")
    typer.echo(f"{result.path}: {result.total} verdicts ({choices}).")


@app.command()
def stats(
    processed: Path = typer.Argument(..., help="Processed folder with verdicts.parquet."),
    top: int = typer.Option(10, "--top", min=1, help="Sources listed under 'most often rejected'."),
) -> None:
    """Per flag kind: flags reviewed and the share accepted; the sources whose flags were most often rejected."""
    require_processed(processed, "flags.parquet")
    from ..review import review_stats, stats_lines
    from ..store.lock import checked_set

    with user_errors():
        with checked_set(processed, ("flags", "documents")):
            lines = stats_lines(review_stats(processed, top=top))
    typer.echo("\n".join(lines))
