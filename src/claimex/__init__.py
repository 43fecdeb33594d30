"""claimex: claim extraction and cross-source flagging for corpora of health articles.

Importing this package is cheap: spaCy and pyarrow are only imported by the
modules that need them, so ``claimex --help`` stays fast.
"""

__version__ = "0.2.0"

# The Python API, imported on first use (``claimex.run_corpus(...)``) so that importing the
# package, and ``claimex --help``, load neither spaCy nor pyarrow.
_API = {"run_corpus": "claimex.runner", "read_corpus": "claimex.ingest", "load_settings": "claimex.settings",
        "build_report": "claimex.report", "load_pipeline": "claimex.nlp.pipeline"}
__all__ = ["__version__", *_API]


def __getattr__(name: str):
    module = _API.get(name)
    if module is None:
        raise AttributeError(f"module 'claimex' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
