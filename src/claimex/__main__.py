"""``python -m claimex``: the same command line as the ``claimex`` script."""

from .cli import main

if __name__ == "__main__":
    main()
