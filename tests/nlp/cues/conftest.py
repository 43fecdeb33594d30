"""The cue tests run on the base model alone (no claimex components): the functions under test
find the cues themselves."""

from __future__ import annotations

import pytest
import spacy

from claimex.settings import resolve_model


@pytest.fixture(scope="session")
def nlp():
    return spacy.load(resolve_model(), exclude=["ner"])
