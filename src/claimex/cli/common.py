"""What every ``claimex`` command and sub-app shares: the app settings and the error exits.

:func:`new_app` makes a typer app with claimex's settings (help when called
without arguments, no shell-completion options, plain tracebacks off);
:func:`fail` prints one ``claimex: error: ...`` line on stderr and exits;
:func:`user_errors` does that for a :class:`~claimex.errors.ClaimexError`
raised inside its block (after one :func:`print_skipped` line per failed input); :func:`require_processed` checks that a folder was
written by ``claimex run``.  Only typer and claimex.errors are imported.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn

import typer

from ..errors import ClaimexError, Errors

__all__ = ["fail", "new_app", "print_skipped", "require_processed", "user_errors"]


def new_app(name: str, help: str) -> typer.Typer:
    """A typer app (or sub-app) with the settings every claimex command line uses."""
    return typer.Typer(name=name, help=help, no_args_is_help=True, add_completion=False,
                       pretty_exceptions_enable=False)


def fail(message: str, code: int = 1) -> NoReturn:
    """Print ``claimex: error: <message>`` on stderr and exit with ``code``."""
    typer.echo(f"claimex: error: {message}", err=True)
    raise typer.Exit(code)


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn a ClaimexError into one ``claimex: error:`` line (after naming every failed input)."""
    try:
        yield
    except ClaimexError as exc:
        for e in getattr(exc, "errors", None) or []:  # E090: every input failed; say why for each
            print_skipped(e)
        fail(str(exc))


def print_skipped(error) -> None:
    """One ``claimex: skipped ...`` line on stderr for an input that was not processed."""
    typer.echo(f"claimex: skipped {error.source} ({error.stage}): {error.error}", err=True)


def require_processed(processed: Path, table: str = "documents.parquet") -> None:
    """Exit with ``E010`` unless ``processed`` is a folder, with ``E032`` unless it holds ``table``."""
    if not processed.is_dir():
        fail(Errors.E010.format(path=processed))
    if not (processed / table).exists():
        fail(Errors.E032.format(path=processed, missing=table))
