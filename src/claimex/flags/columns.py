"""The columns of the output tables: flag ids, closed-vocabulary dictionary arrays, list columns."""

from __future__ import annotations

import hashlib
from itertools import chain

import numpy as np
import pyarrow as pa

__all__ = ["flag_id", "list_array", "vocab_array"]


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
