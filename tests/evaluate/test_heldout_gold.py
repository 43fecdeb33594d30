"""The held-out claims gold (tests/gold/web-dev-heldout/, issue 17): what it holds and that it stays apart from
the dev gold the claim rules were tuned on."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from claimex.evaluate import load_gold
from claimex.ingest.documents import text_digest
from claimex.ingest.textio import decode_bytes, normalise_text

REPO = Path(__file__).resolve().parents[2]
HELDOUT = REPO / "tests" / "gold" / "web-dev-heldout"
DEV = REPO / "tests" / "gold" / "web-dev"
CORPUS = REPO.parent / "shared" / "corpora" / "web-dev"


@pytest.fixture(scope="module")
def heldout():
    return load_gold(HELDOUT)


@pytest.fixture(scope="module")
def dev():
    return {d.doc_id: d for d in load_gold(DEV)}


def test_ten_documents_five_per_folder_from_ten_sites(heldout):
    assert len(heldout) == 10
    folders = Counter(d.source.split("/")[0] for d in heldout)
    assert folders == {"kratom": 5, "general": 5}
    sites = {d.source.split("/")[1].split("-", 1)[1] for d in heldout}
    assert len(sites) == 10
    assert [d.source for d in heldout][:2] == ["general/d072-slumpedover.txt", "general/d080-spine-health.txt"]


def test_claims_only_records(heldout):
    for d in heldout:
        assert d.layers == ("claims",)
        assert d.entities == () and d.flags == ()
        assert d.claims


def test_none_has_claims_in_the_dev_gold(heldout, dev):
    for d in heldout:
        twin = dev[d.doc_id]  # every held-out document is a dev record (for its entities) ...
        assert twin.source == d.source
        assert "claims" not in twin.layers and twin.claims == ()  # ... whose claims were never annotated


def test_counts(heldout):
    claims = [(d.source.split("/")[0], c) for d in heldout for c in d.claims]
    assert len(claims) == 188
    assert Counter(f for f, _ in claims) == {"kratom": 94, "general": 94}
    assert Counter(c.predicate for _, c in claims) == {
        "TREATS": 77, "HAS_EFFECT": 53, "CAUSES": 30, "CONTAINS": 13, "ACTS_ON": 5,
        "INTERACTS_WITH": 4, "SAFER_THAN": 3, "REGULATED": 3}
    assert Counter(c.predicate for _, c in claims if c.polarity == "negated") == {
        "CAUSES": 3, "TREATS": 2, "REGULATED": 2, "HAS_EFFECT": 1}
    assert Counter(c.certainty for _, c in claims) == {
        "asserted": 151, "probable": 15, "possible": 13, "speculative": 9}
    assert len({(d.doc_id, c.sentence_start) for d in heldout for c in d.claims}) == 86


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the web-dev corpus is not next to the repository")
def test_ids_and_sentence_spans_fit_the_stored_texts(heldout):
    for d in heldout:
        path = CORPUS / d.source
        text = normalise_text(decode_bytes(path.read_bytes(), d.source))
        assert text_digest(text)[0] == d.doc_id
        for c in d.claims:
            assert c.sentence_end <= len(text)
            span = text[c.sentence_start:c.sentence_end]
            assert span == span.strip() and "\n" not in span  # one sentence or list line, no padding
