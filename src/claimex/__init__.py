"""claimex: claim extraction and cross-source flagging for corpora of health articles.

Importing this package is cheap: spaCy and pyarrow are only imported by the
modules that need them, so ``claimex --help`` stays fast.
"""

__version__ = "0.2.0"
