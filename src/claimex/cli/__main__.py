"""``python -m claimex.cli``: the same command line as the ``claimex`` script."""

from . import main

if __name__ == "__main__":
    main()
