"""The columns of the output tables: flag ids, closed-vocabulary dictionary arrays, list columns,
and the counts per group they are aggregated with (numpy, not Arrow's group-by: its hash tables
come from Arrow's process-wide default pool, mimalloc, whatever pool the run set, and mimalloc
keeps what they took)."""

from __future__ import annotations

import hashlib
from itertools import chain

import numpy as np
import pyarrow as pa

__all__ = ["distinct_counts", "distinct_pairs", "first_rows", "flag_id", "list_array", "vocab_array"]


def flag_id(claim_id: str, flag: str) -> str:
    """The first 16 hex digits of ``sha256(f"{claim_id}|{flag}")`` (every flag kind)."""
    return hashlib.sha256(f"{claim_id}|{flag}".encode()).hexdigest()[:16]


def vocab_array(codes, vocab: tuple[str, ...], type_: pa.DataType) -> pa.Array:
    """A dictionary array over a closed vocabulary (the dictionary is the whole vocabulary)."""
    return pa.DictionaryArray.from_arrays(pa.array(codes, pa.int32()),
                                          pa.array(vocab, pa.string())).cast(type_)


def list_array(lists: list, values: pa.Array) -> pa.Array:
    """list<string> array whose row k holds ``values[j] for j in lists[k]``."""
    lengths = np.fromiter((len(x) for x in lists), dtype=np.int64, count=len(lists))
    offsets = np.zeros(len(lists) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    flat = np.fromiter(chain.from_iterable(lists), dtype=np.int64, count=int(offsets[-1]))
    return pa.ListArray.from_arrays(pa.array(offsets.astype(np.int32)), values.take(pa.array(flat)))


def distinct_counts(groups: np.ndarray, values: np.ndarray, n_groups: int) -> np.ndarray:
    """How many distinct ``values`` (integers >= 0) each of ``n_groups`` groups holds; row k is
    in group ``groups[k]``.  (``count_distinct`` of a group-by over non-null values.)"""
    pairs = distinct_pairs(groups, values)
    return np.bincount(pairs[0], minlength=n_groups)


def distinct_pairs(groups: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct ``(groups[k], values[k])`` pairs (integers >= 0) as two arrays, sorted by
    group, then value."""
    groups = np.asarray(groups, dtype=np.int64)
    values = np.asarray(values, dtype=np.int64)
    if not len(groups):
        return groups, values
    width = int(values.max()) + 1
    pairs = np.unique(groups * width + values)
    return pairs // width, pairs % width


def first_rows(groups: np.ndarray, n_groups: int) -> np.ndarray:
    """The first row of each of ``n_groups`` groups (``len(groups)`` for an empty group)."""
    first = np.full(n_groups, len(groups), dtype=np.int64)
    np.minimum.at(first, np.asarray(groups, dtype=np.int64), np.arange(len(groups), dtype=np.int64))
    return first
