"""Tests of claimex.flags.dedup: near-duplicate documents, verbatim-shared sentences, source units."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest
from builders import SEED, documents_table, sentences_table

from claimex.flags.dedup import (
    independent_sources,
    near_duplicate_clusters,
    normalise_sentence,
    shared_sentence_units,
    shingles,
)
from claimex.errors import ClaimexError

SHARED = "Kratom can lead to dependence in regular users over time."


def claims_table(rows: list[tuple[str, str, str]]) -> pa.Table:
    return pa.table({"claim_id": [r[0] for r in rows], "doc_id": [r[1] for r in rows],
                     "sent_id": [r[2] for r in rows]})


def copy_of(text: str) -> str:
    """The same article with one sentence reworded (a spun copy)."""
    old = "Users report that kratom helps manage symptoms like pain and fatigue"
    assert old in text
    return text.replace(old, "Many readers say that kratom helps them manage pain and tiredness")


def test_shingles_are_distinct_sorted_word_ngrams():
    assert shingles("Kratom may cause mild nausea in some users", 5) == [
        "cause mild nausea in some",
        "kratom may cause mild nausea",
        "may cause mild nausea in",
        "mild nausea in some users",
    ]
    assert shingles("Kratom helps. Kratom helps.", 2) == ["helps kratom", "kratom helps"]
    assert shingles("Kratom helps!", 5) == ["kratom helps"]
    assert shingles("  --- ", 5) == []


def test_normalise_sentence():
    assert normalise_sentence("  \u201cKratom\u201d \u2014 helps   PAIN.  ") == 'kratom" - helps pain'
    assert normalise_sentence(SHARED) == normalise_sentence("KRATOM can lead to dependence in regular  users over time")


def test_near_duplicate_article_joins_the_cluster_of_the_smallest_id():
    docs = documents_table({"000": SEED["000"], "001": SEED["001"], "005": copy_of(SEED["000"]),
                            "002": SEED["002"]})
    assert near_duplicate_clusters(docs) == {"000": "000", "001": "001", "005": "000", "002": "002"}


def test_hash_values_wider_than_32_bits_are_kept_whole(monkeypatch):
    # the signatures are held as uint32 (datasketch's affine32 values); wider values (another
    # scheme) widen the array instead of being cut: the same clusters either way
    from claimex.flags import dedup

    docs = documents_table({"000": SEED["000"], "005": SEED["000"] + " One more line.", "001": SEED["001"]})
    expected = near_duplicate_clusters(docs)
    assert expected == {"000": "000", "005": "000", "001": "001"}
    real = dedup._MinHasher.__call__

    class Wide:
        def __init__(self, m):
            self.hashvalues = m.hashvalues + np.uint64(1 << 40)

    monkeypatch.setattr(dedup._MinHasher, "__call__", lambda self, tokens: Wide(real(self, tokens)))
    assert near_duplicate_clusters(docs) == expected


def test_identical_content_is_one_cluster_and_wordless_texts_stay_apart():
    docs = documents_table({"b": "Kratom eases pain.", "a": "Kratom eases pain.", "x": "!!!", "y": "???"})
    assert near_duplicate_clusters(docs) == {"b": "a", "a": "a", "x": "x", "y": "y"}


def test_half_shared_documents_are_not_near_duplicates():
    words = [f"w{i}" for i in range(400)]
    first = " ".join(words[:200])
    second = " ".join(words[:100] + words[200:300])
    docs = documents_table({"p": first, "q": second})
    assert near_duplicate_clusters(docs) == {"p": "p", "q": "q"}
    # at a low enough threshold the same pair is merged
    assert near_duplicate_clusters(docs, threshold=0.2) == {"p": "p", "q": "p"}


def test_shared_sentence_units():
    clusters = {"000": "000", "005": "000", "001": "001", "002": "002"}
    sentences = sentences_table([
        ("000", "000:1", SHARED),
        ("005", "005:1", SHARED),
        ("001", "001:7", "kratom can lead to dependence in regular users over time"),
        ("001", "001:8", "Kratom helps."),
        ("002", "002:3", "Kratom helps."),  # too short to count as copying
        ("002", "002:2", "Kratom can lead to tolerance in regular users over time."),
    ])
    assert shared_sentence_units(sentences, clusters) == {
        ("000", "000:1"): "000", ("005", "005:1"): "000", ("001", "001:7"): "000",
    }
    assert shared_sentence_units(sentences, clusters, min_words=2) == {
        ("000", "000:1"): "000", ("005", "005:1"): "000", ("001", "001:7"): "000",
        ("001", "001:8"): "001", ("002", "002:3"): "001",
    }


def test_shared_sentence_units_across_batches(monkeypatch):
    # the keys are made a batch at a time: a copy whose sentences fall in different batches is
    # found the same, its unit is the smallest cluster (a document missing from the clusters is
    # its own), and the rows keep the table's order
    from claimex.flags import dedup

    monkeypatch.setattr(dedup, "SENTENCE_BATCH_ROWS", 2)
    sentences = sentences_table([
        ("009", "009:1", "Kratom can lead to dependence in regular users."),
        ("003", "003:4", "nothing else is said twice in these short notes"),
        ("004", "004:2", "KRATOM can lead to  dependence in regular users"),
        ("001", "001:1", "Kratom can lead to dependence in regular users!"),
        ("005", "005:1", "Kratom can lead to dependence in regular users."),
    ])
    clusters = {"009": "009", "003": "003", "004": "004", "005": "001"}
    found = shared_sentence_units(sentences, clusters)
    assert list(found.items()) == [(("009", "009:1"), "001"), (("004", "004:2"), "001"),
                                   (("001", "001:1"), "001"), (("005", "005:1"), "001")]
    assert shared_sentence_units(sentences.slice(0, 0), clusters) == {}


def test_sentence_shared_only_inside_one_cluster_is_not_a_copy():
    clusters = {"000": "000", "005": "000"}
    sentences = sentences_table([("000", "000:1", SHARED), ("005", "005:1", SHARED)])
    assert shared_sentence_units(sentences, clusters) == {}


def test_independent_sources():
    docs = documents_table({"000": SEED["000"], "005": copy_of(SEED["000"]), "001": SEED["001"],
                            "002": SEED["002"]})
    sentences = sentences_table([
        ("000", "000:1", SHARED), ("001", "001:4", SHARED), ("001", "001:9", "Kratom helps with pain."),
        ("002", "002:2", "Kratom may cause nausea and constipation in some users."),
    ])
    claims = claims_table([("c1", "000", "000:1"), ("c2", "001", "001:4"), ("c3", "001", "001:9"),
                           ("c4", "005", "005:5"), ("c5", "002", "002:2"), ("c6", "009", "009:1")])
    assert independent_sources(docs, sentences, claims) == {
        "c1": "000", "c2": "000", "c3": "001", "c4": "000", "c5": "002", "c6": "009",
    }
    assert independent_sources(docs, None, claims) == {
        "c1": "000", "c2": "001", "c3": "001", "c4": "000", "c5": "002", "c6": "009",
    }


def test_errors_name_the_table_and_the_setting():
    with pytest.raises(ClaimexError, match=r"^\[E060\] documents table is missing columns: text "):
        near_duplicate_clusters(pa.table({"doc_id": ["a"]}))
    docs = documents_table({"a": "Kratom eases pain."})
    with pytest.raises(ClaimexError, match=r"^\[E064\] Flag setting minhash_threshold=1.5 is invalid"):
        near_duplicate_clusters(docs, threshold=1.5)
    with pytest.raises(ClaimexError, match=r"^\[E064\] Flag setting num_perm=8 is invalid"):
        near_duplicate_clusters(docs, num_perm=8)
