"""Shared fixtures of the claims tests."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def claims_of(nlp):
    """``claims_of(text)``: the (subject, predicate, object, polarity) of every claim the pipeline finds."""
    def run(text: str) -> list[tuple[str, str, str, str]]:
        return [(c["subject"], c["predicate"], c["object"], c["polarity"]) for c in nlp(text)._.claimex_claims]
    return run
