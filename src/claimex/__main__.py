"""``python -m claimex``: the same command line as the ``claimex`` script."""

import sys

import typer

from .cli import app


def main() -> None:
    # click would call the program "python -m claimex"; name it like the script
    # so that usage lines and messages read the same either way.
    try:
        app(prog_name="claimex")
    except KeyboardInterrupt:  # pragma: no cover - interactive
        typer.echo("claimex: interrupted", err=True)
        sys.exit(130)


if __name__ == "__main__":
    main()
