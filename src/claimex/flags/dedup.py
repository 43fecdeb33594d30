"""Near-duplicate documents and verbatim-shared sentences: which claims are independent.

Web health articles are often spun copies of one another, or paste the same
sentence into several pages.  A claim repeated by copies is one source, not
several.  This module decides, for every claim, the *source unit* it counts
for; :mod:`claimex.flags` counts distinct units as "independent sources".

Rules
-----
1. **Near-duplicate documents.**  Each document text is lower-cased and split
   into word tokens (``\\w+``); its shingles are the distinct word
   *n*-grams (``shingle_size``, default 5; a text shorter than that is one
   shingle).  A MinHash signature (datasketch, ``num_perm`` = 128, fixed
   ``seed`` = 1, so results are identical from run to run) estimates the
   Jaccard similarity of the shingle sets.  Candidate pairs come from a
   ``MinHashLSH`` index at ``threshold`` (default 0.8) and are kept only when
   the MinHash estimate of their Jaccard similarity is ``>= threshold``
   (the index's bands are computed on one array of signatures rather than
   held as its dicts, see :func:`near_duplicate_clusters`).
   Documents with the same ``content_sha256`` are always duplicates;
   documents without any word are never duplicates of anything.  Kept pairs
   are merged with union-find; the cluster id is the smallest ``doc_id`` in
   the cluster.  Comparison is through the LSH index, never all pairs.
2. **Verbatim-shared sentences.**  A sentence text normalised by
   :func:`normalise_sentence` (case-folded, typographic quotes and dashes
   unified, whitespace collapsed, surrounding punctuation stripped) that
   occurs in documents of two or more clusters, and has at least
   ``min_shared_words`` words (default 6, so that headings like
   "Understanding Chronic Pain" are not evidence of copying), is a copied
   sentence.
3. **Source unit of a claim.**  A claim from a copied sentence counts for the
   smallest cluster id among the documents holding that sentence text; any
   other claim counts for the cluster of its document.  So two near-identical
   articles count once, and a sentence pasted into three articles counts once,
   while a document that also states the claim in its own words is a source
   of its own.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from inspect import signature

import pyarrow as pa

from ..errors import ClaimexError, Errors

__all__ = [
    "DEFAULT_THRESHOLD",
    "DEFAULT_NUM_PERM",
    "DEFAULT_SHINGLE_SIZE",
    "DEFAULT_SEED",
    "DEFAULT_MIN_SHARED_WORDS",
    "shingles",
    "normalise_sentence",
    "near_duplicate_clusters",
    "shared_sentence_units",
    "independent_sources",
]

DEFAULT_THRESHOLD = 0.8
DEFAULT_NUM_PERM = 128
DEFAULT_SHINGLE_SIZE = 5
DEFAULT_SEED = 1
DEFAULT_MIN_SHARED_WORDS = 6

_WORD = re.compile(r"\w+")
_TRANSLATE = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"',
    "\u2013": "-", "\u2014": "-", "\u2212": "-", "\u00a0": " ",
})
_SPACE = re.compile(r"\s+")
_EDGE_PUNCT = " \t\n\"'.,;:!?()[]{}-*\u2022"


def shingles(text: str, size: int = DEFAULT_SHINGLE_SIZE) -> list[str]:
    """Distinct word ``size``-grams of ``text`` (lower-cased), sorted.

    A text with fewer than ``size`` words is a single shingle; a text without
    any word has none.
    """
    words = _WORD.findall(text.casefold())
    if not words:
        return []
    if len(words) < size:
        return [" ".join(words)]
    return sorted({" ".join(words[i:i + size]) for i in range(len(words) - size + 1)})


def normalise_sentence(text: str) -> str:
    """The key under which two sentence texts count as the same verbatim text."""
    text = unicodedata.normalize("NFKC", text).translate(_TRANSLATE).casefold()
    return _SPACE.sub(" ", text).strip(_EDGE_PUNCT)


class _UnionFind:
    """Union-find whose representative is always the smallest id."""

    def __init__(self, ids: Iterable[str]):
        self.parent = {i: i for i in ids}

    def find(self, x: str) -> str:
        parent = self.parent
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            if rb < ra:
                ra, rb = rb, ra
            self.parent[rb] = ra


def _check_columns(table: pa.Table, name: str, columns: Iterable[str]) -> None:
    missing = [c for c in columns if c not in table.column_names]
    if missing:
        raise ClaimexError(Errors.E060.format(table=name, missing=", ".join(missing)))


def _check_settings(threshold: float, num_perm: int, shingle_size: int) -> None:
    if not 0.0 < threshold <= 1.0:
        raise ClaimexError(Errors.E064.format(name="minhash_threshold", value=threshold,
                                              expected="a number in (0, 1]"))
    if num_perm < 16:
        raise ClaimexError(Errors.E064.format(name="num_perm", value=num_perm,
                                              expected="an integer >= 16"))
    if shingle_size < 1:
        raise ClaimexError(Errors.E064.format(name="shingle_size", value=shingle_size,
                                              expected="an integer >= 1"))


class _MinHasher:
    """MinHash signatures sharing one set of permutations (generated once, from ``seed``)."""

    def __init__(self, num_perm: int, seed: int):
        from datasketch import MinHash

        self._cls = MinHash
        self._kwargs: dict = {"num_perm": num_perm, "seed": seed}
        if "scheme" in signature(MinHash.__init__).parameters:
            self._kwargs["scheme"] = "affine32"  # pin the hashing scheme across datasketch 2.x
        self._kwargs["permutations"] = MinHash(**self._kwargs).permutations

    def __call__(self, tokens: list[str]):
        m = self._cls(**self._kwargs)
        m.update_batch([t.encode("utf-8") for t in tokens])
        return m


def near_duplicate_clusters(
    documents: pa.Table,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    num_perm: int = DEFAULT_NUM_PERM,
    shingle_size: int = DEFAULT_SHINGLE_SIZE,
    seed: int = DEFAULT_SEED,
) -> dict[str, str]:
    """Map every ``doc_id`` of ``documents`` to its near-duplicate cluster id.

    The cluster id is the smallest ``doc_id`` of the cluster; a document that
    duplicates nothing is its own cluster.

    The candidates are those of datasketch's ``MinHashLSH`` at ``threshold``
    (its bands: two documents are candidates when the hash values of one band
    are all equal), found without the index itself: the signatures are the
    rows of one array and each band's buckets come from sorting it
    (:func:`_band_buckets`).  The index held two dicts of byte strings per
    band and a MinHash object per document, about 6 KB a document (180 MB
    more peak memory for 30,000 short documents); the array holds the hash
    values (32-bit ones as such: 0.5 KB with 128 permutations) and two integers a band.  Same candidates, same
    Jaccard estimates, so the same clusters.
    """
    import numpy as np
    from datasketch import MinHashLSH

    from ..store.tables import LazyStrings, column_values

    _check_columns(documents, "documents", ("doc_id", "text"))
    _check_settings(threshold, num_perm, shingle_size)
    doc_ids = column_values(documents.column("doc_id"))
    texts = LazyStrings(documents.column("text"))  # read one at a time: no list of every text
    shas = (column_values(documents.column("content_sha256"))
            if "content_sha256" in documents.column_names else [None] * len(doc_ids))
    uf = _UnionFind(doc_ids)

    by_sha: dict[str, str] = {}
    for doc_id, sha in zip(doc_ids, shas):
        if sha:
            first = by_sha.setdefault(sha, doc_id)
            if first != doc_id:
                uf.union(first, doc_id)
    del by_sha, shas

    bands = MinHashLSH(threshold=threshold, num_perm=num_perm).hashranges  # the index's bands, not the index
    minhash = _MinHasher(num_perm, seed)
    keys: list[str] = []  # the documents with a signature, in doc_id order (row k of ``signatures``)
    signatures = None
    seen: set[str] = set()
    for i in sorted(range(len(doc_ids)), key=doc_ids.__getitem__):  # stable: the first of a doc_id twice
        doc_id = doc_ids[i]
        if doc_id in seen:
            continue  # the same doc_id twice: one document (the first with a word)
        tokens = shingles(texts[i] or "", shingle_size)
        if not tokens:
            continue
        seen.add(doc_id)
        values = minhash(tokens).hashvalues
        if signatures is None:
            # the affine32 scheme's values are 32-bit (held as uint64): half the memory
            signatures = np.empty((len(doc_ids), len(values)), dtype=np.uint32)
        if signatures.dtype != values.dtype and values.max(initial=0) > np.iinfo(signatures.dtype).max:
            signatures = signatures.astype(values.dtype)  # values wider than 32 bits: kept whole
        signatures[len(keys)] = values
        keys.append(doc_id)
    del seen, texts
    if signatures is None:
        return {doc_id: uf.find(doc_id) for doc_id in doc_ids}
    signatures = signatures[:len(keys)]
    buckets = [b for b in (_band_buckets(signatures, start, end) for start, end in bands) if b is not None]
    shared = np.zeros(len(keys), dtype=bool)  # in a bucket of two or more documents in some band
    for bucket_of, _members, _bounds, multi in buckets:
        shared |= multi
    for k in np.flatnonzero(shared).tolist():
        found = [members[bounds[bucket_of[k]]:bounds[bucket_of[k] + 1]]
                 for bucket_of, members, bounds, multi in buckets if multi[k]]
        candidates = np.unique(np.concatenate(found))
        candidates = candidates[candidates > k]  # doc_id order: each pair once
        if not len(candidates):
            continue
        # MinHash.jaccard: float(count of equal hash values) / float(num_perm)
        equal = np.count_nonzero(signatures[candidates] == signatures[k], axis=1)
        similar = equal.astype(np.float64) / np.float64(signatures.shape[1]) >= threshold
        for other in candidates[similar].tolist():
            uf.union(keys[k], keys[other])
    return {doc_id: uf.find(doc_id) for doc_id in doc_ids}


def _band_buckets(signatures, start: int, end: int):
    """The buckets of one LSH band (hash values ``start:end`` of every signature row):
    ``(bucket_of, members, bounds, multi)``: row ``k`` is in bucket ``bucket_of[k]``, whose
    rows are ``members[bounds[b]:bounds[b + 1]]``; ``multi[k]``: that bucket holds another
    row.  ``None`` when every bucket holds one row (the band finds no candidate)."""
    import numpy as np

    band = np.ascontiguousarray(signatures[:, start:end])
    band = band.view(np.dtype((np.void, band.itemsize * band.shape[1]))).ravel()  # one value a row
    _, bucket_of, counts = np.unique(band, return_inverse=True, return_counts=True)
    bucket_of = bucket_of.reshape(-1)
    multi = counts[bucket_of] > 1
    if not multi.any():
        return None
    index = np.int32 if len(band) < 2**31 else np.int64
    members = np.argsort(bucket_of, kind="stable").astype(index)
    bounds = np.concatenate(([0], np.cumsum(counts))).astype(index)
    return bucket_of.astype(index), members, bounds, multi


# Sentences normalised per batch by :func:`shared_sentence_units` (their keys are Arrow arrays).
SENTENCE_BATCH_ROWS = 8192


def shared_sentence_units(
    sentences: pa.Table,
    clusters: Mapping[str, str],
    *,
    min_words: int = DEFAULT_MIN_SHARED_WORDS,
) -> dict[tuple[str, str], str]:
    """Map ``(doc_id, sent_id)`` of every verbatim-shared sentence to its source unit.

    Only sentences whose normalised text occurs in two or more near-duplicate
    clusters (and has at least ``min_words`` words) are returned; the unit is
    the smallest cluster id holding that text.

    The texts are normalised :data:`SENTENCE_BATCH_ROWS` at a time into an Arrow column of
    keys, and the clusters holding each key are counted over integer codes
    (:func:`claimex.flags.columns.distinct_counts`): no Python string per sentence is kept but
    those of the copied sentences.
    """
    import numpy as np
    import pyarrow.compute as pc

    from ..store.tables import column_values, decoded
    from .columns import distinct_counts

    _check_columns(sentences, "sentences", ("doc_id", "sent_id", "text"))
    keys: list[pa.Array] = []
    units: list[pa.Array] = []
    for batch in sentences.select(["doc_id", "text"]).to_batches(max_chunksize=SENTENCE_BATCH_ROWS):
        texts = decoded(batch.column(1)).to_pylist()
        keys.append(pa.array([normalise_sentence(text or "") for text in texts], pa.string()))
        units.append(pa.array([clusters.get(d, d) for d in column_values(batch.column(0))], pa.string()))
    if not keys:
        return {}
    key = pc.dictionary_encode(pa.concat_arrays(keys))
    unit = pc.dictionary_encode(pa.concat_arrays(units))
    del keys, units
    key_of, unit_of = key.indices.to_numpy(), unit.indices.to_numpy()
    n_keys, n_units = len(key.dictionary), len(unit.dictionary)
    # the smallest cluster holding each text: units ranked in id order
    by_id = pc.sort_indices(unit.dictionary).to_numpy()
    rank = np.empty(n_units, dtype=np.int64)
    rank[by_id] = np.arange(n_units, dtype=np.int64)
    smallest = np.full(n_keys, n_units, dtype=np.int64)
    np.minimum.at(smallest, key_of, rank[unit_of])
    held = np.flatnonzero(distinct_counts(key_of, unit_of, n_keys) >= 2)
    # only texts held by two or more clusters, and long enough, are copies
    texts = key.dictionary.take(pa.array(held)).to_pylist()
    names = unit.dictionary.take(pa.array(by_id[smallest[held]])).to_pylist()
    copied_unit: dict[int, str] = {int(k): name for k, text, name in zip(held, texts, names)
                                   if len(_WORD.findall(text)) >= min_words}
    if not copied_unit:
        return {}
    is_copied = np.zeros(n_keys, dtype=bool)
    is_copied[list(copied_unit)] = True
    rows = is_copied[key_of]
    kept = sentences.select(["doc_id", "sent_id"]).filter(pa.array(rows))
    return {(doc_id, sent_id): copied_unit[k] for doc_id, sent_id, k in
            zip(column_values(kept.column("doc_id")), decoded(kept.column("sent_id")).to_pylist(),
                key_of[rows].tolist())}


def independent_sources(
    documents: pa.Table,
    sentences: pa.Table | None,
    claims: pa.Table,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    num_perm: int = DEFAULT_NUM_PERM,
    shingle_size: int = DEFAULT_SHINGLE_SIZE,
    seed: int = DEFAULT_SEED,
    min_shared_words: int = DEFAULT_MIN_SHARED_WORDS,
    clusters: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """Map every ``claim_id`` to the source unit it counts for (see the module rules).

    ``clusters`` (from :func:`near_duplicate_clusters`) may be passed to avoid
    computing them twice.  Without ``sentences`` only rule 1 applies.  A claim
    whose document is not in ``documents`` is its own document's unit.
    """
    _check_columns(claims, "claims", ("claim_id", "doc_id", "sent_id"))
    if clusters is None:
        clusters = near_duplicate_clusters(documents, threshold=threshold, num_perm=num_perm,
                                           shingle_size=shingle_size, seed=seed)
    shared = (shared_sentence_units(sentences, clusters, min_words=min_shared_words)
              if sentences is not None else {})
    out: dict[str, str] = {}
    for claim_id, doc_id, sent_id in zip(claims.column("claim_id").to_pylist(),
                                         claims.column("doc_id").to_pylist(),
                                         claims.column("sent_id").to_pylist()):
        unit = shared.get((doc_id, sent_id)) if shared else None
        out[claim_id] = unit if unit is not None else clusters.get(doc_id, doc_id)
    return out
