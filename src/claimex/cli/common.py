"""What every ``claimex`` command and sub-app shares: app settings, exit codes, error exits,
terminal-safe text, logging and signals.

:func:`new_app` makes a typer app with claimex's settings (help when called
without arguments, no shell-completion options, plain tracebacks off);
:func:`fail` prints one ``claimex: error: ...`` line on stderr and exits;
:func:`user_errors` does that for a :class:`~claimex.errors.ClaimexError`
raised inside its block (after one :func:`print_skipped` line per failed
input); :func:`require_processed` checks that a folder was written by
``claimex run``.  :func:`terminal_safe` makes text from the data (file names,
record names, claim text) safe to print: no escape sequence from an input
reaches the terminal.  :func:`setup_logging` sends claimex's ``logging``
records to stderr; :func:`install_signal_handlers` turns SIGINT/SIGTERM into
:class:`~claimex.errors.Interrupted`.  Only typer, the standard library and
claimex.errors are imported.

Exit codes (documented in the README): :data:`EXIT_OK` 0, :data:`EXIT_ERROR`
1 (nothing was done: a numbered error), :data:`EXIT_USAGE` 2 (bad options,
from click), :data:`EXIT_PARTIAL` 3 (the run finished, but some inputs are in
``errors.parquet``), 130 (SIGINT) and 143 (SIGTERM): 128 + the signal number.
"""

from __future__ import annotations

import logging
import os
import re
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn

import typer

from ..errors import ClaimexError, Errors, Interrupted

__all__ = ["EXIT_ERROR", "EXIT_OK", "EXIT_PARTIAL", "EXIT_USAGE", "fail", "install_signal_handlers",
           "new_app", "print_skipped", "require_processed", "setup_logging", "terminal_safe",
           "user_errors"]

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_PARTIAL = 3


def new_app(name: str, help: str) -> typer.Typer:
    """A typer app (or sub-app) with the settings every claimex command line uses."""
    # rich_markup_mode=None: plain click help; rendering help with rich imports rich.markdown
    # and markdown-it (~0.2 s), which would put `claimex --help` over its 0.5 s budget.
    return typer.Typer(name=name, help=help, no_args_is_help=True, add_completion=False,
                       pretty_exceptions_enable=False, rich_markup_mode=None)


# C0 and C1 controls (ESC, BEL, NUL, CSI ...), DEL, bidi embeddings/overrides/isolates and
# marks, lone surrogates: never written to a terminal as they are.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_UNSAFE_KEEP_LINES = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal_safe(value: object, *, keep_lines: bool = False, limit: int | None = None) -> str:
    """``value`` as text that cannot drive the terminal: controls and bidi characters as ``\\xNN``
    / ``\\uNNNN`` escapes (newlines and tabs kept with ``keep_lines``), cut to ``limit`` characters."""
    text = str(value)
    text = (_UNSAFE_KEEP_LINES if keep_lines else _UNSAFE).sub(_escape, text)
    if limit is not None and len(text) > limit:
        text = text[:limit - 1] + "…"
    return text


def fail(message: str, code: int = EXIT_ERROR) -> NoReturn:
    """Print ``claimex: error: <message>`` on stderr and exit with ``code``."""
    typer.echo(f"claimex: error: {terminal_safe(message)}", err=True)
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
    typer.echo(f"claimex: skipped {terminal_safe(error.source, limit=300)} ({error.stage}): "
               f"{terminal_safe(error.error)}", err=True)


def require_processed(processed: Path, table: str = "documents.parquet") -> None:
    """Exit with ``E010`` unless ``processed`` is a folder, with ``E032`` unless it holds ``table``
    (as a file: a folder of that name is ``E008``)."""
    if not processed.is_dir():
        fail(Errors.E010.format(path=processed))
    path = processed / table
    if path.is_dir():
        fail(Errors.E008.format(path=path, what=f"the {table} table of a claimex output"))
    if not path.exists():
        fail(Errors.E032.format(path=processed, missing=table))


class _StderrHandler(logging.StreamHandler):
    """A handler writing to whatever ``sys.stderr`` is at the time of the record, so a live
    progress bar that redirects stderr prints log lines above itself instead of through itself."""

    def __init__(self) -> None:
        super().__init__()

    @property  # type: ignore[override]
    def stream(self):
        import sys

        return sys.stderr

    @stream.setter
    def stream(self, value) -> None:  # logging.StreamHandler.__init__ assigns it
        pass


class _TerminalSafeFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return terminal_safe(super().format(record), keep_lines=True)


def setup_logging(verbosity: int) -> None:
    """claimex's log records on stderr: warnings and errors (``verbosity`` < 1: ``--quiet`` keeps only
    errors), INFO with ``--verbose`` (1), DEBUG with ``-vv`` (2)."""
    level = {-1: logging.ERROR, 0: logging.WARNING, 1: logging.INFO}.get(verbosity, logging.DEBUG)
    logger = logging.getLogger("claimex")
    for handler in list(logger.handlers):
        if getattr(handler, "_claimex_cli", False):
            logger.removeHandler(handler)
    handler = _StderrHandler()
    handler._claimex_cli = True  # type: ignore[attr-defined]
    handler.setFormatter(_TerminalSafeFormatter("claimex: %(levelname)s: %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(level)
    logger.propagate = False


def install_signal_handlers() -> None:
    """SIGINT and SIGTERM raise :class:`~claimex.errors.Interrupted` in this (main) process.

    The exception unwinds the run, so its clean-up (staging folder, lock, part
    files) runs; a second signal during that clean-up is ignored.  A process
    forked from this one (a worker) that receives the signal dies of it as if
    no handler was installed.
    """
    main_pid = os.getpid()

    def handler(signum, frame):  # pragma: no cover - exercised in a subprocess test
        if os.getpid() != main_pid:
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        for other in (signal.SIGINT, signal.SIGTERM):
            signal.signal(other, signal.SIG_IGN)
        raise Interrupted(signum)

    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, handler)
