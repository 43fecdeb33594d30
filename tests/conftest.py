"""Shared fixtures: the seeds processed once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"


@pytest.fixture(scope="session")
def seeds_out(tmp_path_factory) -> Path:
    """`claimex run data/raw` into a temporary folder (report included), shared by the e2e tests."""
    from claimex.runner import run_corpus

    out = tmp_path_factory.mktemp("seeds_out")
    run_corpus([RAW], out)
    return out


@pytest.fixture(scope="session")
def nlp():
    """The full claimex pipeline, loaded once."""
    from claimex.nlp.pipeline import load_pipeline

    return load_pipeline()[0]
