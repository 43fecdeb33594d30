"""The Dask engine: the same pipeline on a Dask cluster (``claimex run --engine dask``).

Documents are cut into partitions in input order.  Each worker loads the
claimex pipeline once (cached in the worker process; ``nlp`` and ``Doc``
objects never travel through the task graph), runs the very same
:func:`claimex.engine.local.process_documents` over its partition, and writes its
rows as Parquet parts under ``<out>/.parts-<run>/``.  The driver then reads the
parts back in partition order and streams them through the same table
writers as the local engine, so the output is identical row for row (and
byte for byte).

The flags stage then runs on the same cluster as a group-by: the claims are
split by subject (:func:`claimex.flags.flag_claims_by_subject`), each part is
flagged by a task, and the driver puts the parts' rows back in table order.

With no scheduler address a ``LocalCluster`` is started (one thread per
worker process).  To use an existing cluster, pass ``--scheduler
tcp://host:8786``; the workers need claimex installed and the output folder on
a filesystem they share with the driver.
"""

from __future__ import annotations

import shutil
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Sequence

from .local import DocRows

PART_TABLES = ("sentences", "entities", "claims")
_WORKER_PIPELINES: dict[str, Any] = {}


def _worker_pipeline(model: str | None):
    key = model or ""
    if key not in _WORKER_PIPELINES:
        from ..nlp.pipeline import load_pipeline

        _WORKER_PIPELINES[key] = load_pipeline(model)[0]
    return _WORKER_PIPELINES[key]


def process_partition(docs: Sequence, part_dir: str, index: int, model: str | None,
                      batch_size: int, piece_chars: int | None = None) -> list[dict[str, Any]]:
    """Run on a worker: process one partition, write its parts, return per-document summaries."""
    import pyarrow.parquet as pq

    from ..store import tables
    from .local import process_documents

    nlp = _worker_pipeline(model)
    rows = list(process_documents(nlp, docs, n_process=1, batch_size=batch_size, piece_chars=piece_chars))
    out = Path(part_dir)
    for name in PART_TABLES:
        table = tables.to_table(name, [r for d in rows for r in getattr(d, name)])
        pq.write_table(table, out / f"{name}-{index:06d}.parquet")
    return [{"doc_id": d.doc_id, "n_words": d.n_words, "blocks": d.blocks, "error": d.error,
             "error_stage": d.error_stage,
             "title": d.title,
             "counts": {name: len(getattr(d, name)) for name in PART_TABLES}} for d in rows]


@contextmanager
def dask_client(scheduler: str | None = None, *, n_workers: int = 2):
    """A client of the cluster at ``scheduler``, or of a new ``LocalCluster`` of
    ``n_workers`` single-threaded worker processes (closed on exit)."""
    from dask.distributed import Client, LocalCluster

    cluster = None
    try:
        if scheduler:
            client = Client(scheduler)
        else:
            cluster = LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True,
                                   dashboard_address=None)
            client = Client(cluster)
        try:
            yield client
        finally:
            client.close()
    finally:
        if cluster is not None:
            cluster.close()


def map_on(client) -> Callable[[Callable, list], Iterable]:
    """``map(fn, items)`` as tasks on ``client``'s cluster, results in order."""
    def mapper(fn: Callable, items: list) -> list:
        return client.gather(client.map(fn, items, pure=False))

    return mapper


def process_documents_dask(raw_docs: Sequence, out_dir: Path, *, client, model: str | None = None,
                           partition_size: int = 8, batch_size: int = 16,
                           piece_chars: int | None = None) -> Iterator[DocRows]:
    """Yield one :class:`DocRows` per document, in input order, computed on ``client``'s cluster.

    ``piece_chars`` is sent to the workers (default: the driver's
    :func:`claimex.engine.local.piece_chars_setting`), so that a worker's own
    environment cannot change the rows."""
    from .local import piece_chars_setting

    import pyarrow.parquet as pq

    if piece_chars is None:
        piece_chars = piece_chars_setting()
    raw_docs = list(raw_docs)
    part_dir = Path(out_dir) / f".parts-{uuid.uuid4().hex[:12]}"
    part_dir.mkdir(parents=True)
    try:
        parts = [raw_docs[i:i + partition_size] for i in range(0, len(raw_docs), partition_size)]
        futures = [client.submit(process_partition, part, str(part_dir), k, model, batch_size, piece_chars,
                                 pure=False, key=f"claimex-part-{part_dir.name}-{k}")
                   for k, part in enumerate(parts)]
        for k, fut in enumerate(futures):
            summaries = fut.result()
            loaded = {name: pq.read_table(part_dir / f"{name}-{k:06d}.parquet").to_pylist()
                      for name in PART_TABLES}
            pos = {name: 0 for name in PART_TABLES}
            for s in summaries:
                d = DocRows(s["doc_id"], n_words=s["n_words"], blocks=s["blocks"], error=s["error"],
                            error_stage=s["error_stage"], title=s["title"])
                for name in PART_TABLES:
                    n = s["counts"][name]
                    setattr(d, name, loaded[name][pos[name]:pos[name] + n])
                    pos[name] += n
                yield d
    finally:
        shutil.rmtree(part_dir, ignore_errors=True)
