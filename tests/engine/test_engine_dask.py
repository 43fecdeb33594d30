"""The Dask engine writes exactly what the local engine writes (claimex.engine.distributed)."""

from __future__ import annotations

import functools
from pathlib import Path

import pyarrow.parquet as pq
import pytest

pytest.importorskip("dask.distributed")

ROOT = Path(__file__).resolve().parents[2]
RAW = ROOT / "data" / "raw"
from claimex.schema import TABLES as SCHEMA_TABLES

TABLES = sorted(SCHEMA_TABLES)


@pytest.fixture(scope="module")
def dask_run(tmp_path_factory):
    """`run_corpus(data/raw, engine="dask")` on a two-worker LocalCluster, in partitions of 2 documents."""
    import dask.distributed

    from claimex.engine import distributed as engine_dask
    from claimex.runner import run_corpus

    seen: dict = {"clusters": [], "partition_sizes": []}
    mp = pytest.MonkeyPatch()
    real_cluster = dask.distributed.LocalCluster
    real_process = engine_dask.process_documents_dask

    def recording_cluster(*args, **kwargs):
        cluster = real_cluster(*args, **kwargs)
        seen["clusters"].append((kwargs, len(cluster.workers)))
        return cluster

    @functools.wraps(real_process)
    def small_partitions(raw_docs, out_dir, **kwargs):
        # 5 seeds in partitions of 2 -> 3 partitions over 2 workers, so the
        # driver must put parts computed out of order back in input order
        raw_docs = list(raw_docs)
        seen["partition_sizes"] = [len(raw_docs[i:i + 2]) for i in range(0, len(raw_docs), 2)]
        seen["piece_chars"] = kwargs.get("piece_chars")
        return real_process(raw_docs, out_dir, partition_size=2, **kwargs)

    mp.setattr(dask.distributed, "LocalCluster", recording_cluster)
    mp.setattr(engine_dask, "process_documents_dask", small_partitions)
    try:
        out = tmp_path_factory.mktemp("dask_out")
        result = run_corpus([RAW], out, engine="dask", report=False)
    finally:
        mp.undo()
    return out, result, seen


def test_dask_run_uses_two_workers_and_three_partitions(dask_run):
    out, result, seen = dask_run
    assert [(kw["n_workers"], kw["threads_per_worker"], n) for kw, n in seen["clusters"]] == [(2, 1, 2)]
    assert seen["partition_sizes"] == [2, 2, 1]
    assert seen["piece_chars"] == 100_000  # the driver's setting travels with the tasks
    assert result.n_documents == 5
    assert result.n_reused == 0
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".")) == []  # parts and lock removed


def test_a_worker_cuts_pieces_at_the_size_the_driver_sends(tmp_path):
    from claimex.engine import distributed as engine_dask
    from claimex.ingest import RawDocument, text_digest

    text = "Kratom may relieve chronic pain in some users.\n" * 60  # 2,820 characters
    doc_id, sha = text_digest(text)
    raw = RawDocument(doc_id, text, "long.txt", ("long.txt",), "txt", None, None, sha)
    with pytest.warns(Warning, match=r"\[W001\] long.txt: 2,820 characters long; processing it in 3 pieces"):
        (summary,) = engine_dask.process_partition([raw], str(tmp_path), 0, None, 16, 1000)
    assert summary["counts"] == {"sentences": 60, "entities": 120, "claims": 60}
    assert pq.read_table(tmp_path / "sentences-000000.parquet").num_rows == 60


def test_dask_counts_equal_local_counts(dask_run, seeds_out):
    import json

    _, result, _ = dask_run
    manifest = json.loads((seeds_out / "manifest.json").read_text(encoding="utf-8"))
    counts = manifest["row_counts"]
    assert result.n_sentences == counts["sentences"]
    assert result.n_claims == counts["claims"]
    assert sum(result.entities_by_label.values()) == counts["entities"]
    assert sum(result.flags_by_kind.values()) == counts["flags"]
    assert result.n_documents == counts["documents"] == 5


@pytest.mark.parametrize("name", TABLES)
def test_dask_table_equals_local_table_row_for_row_and_byte_for_byte(dask_run, seeds_out, name):
    out, _, _ = dask_run
    local = pq.read_table(seeds_out / f"{name}.parquet")
    dask = pq.read_table(out / f"{name}.parquet")
    assert dask.schema == local.schema
    assert dask.to_pylist() == local.to_pylist()
    assert (out / f"{name}.parquet").read_bytes() == (seeds_out / f"{name}.parquet").read_bytes()


def test_dask_manifest_equals_local_manifest(dask_run, seeds_out):
    """The same manifest but for the report's digests (the Dask run writes no report)."""
    import json

    out, _, _ = dask_run
    local = json.loads((seeds_out / "manifest.json").read_text(encoding="utf-8"))
    for name in ("report.html", "report.md"):
        del local["outputs"][name]
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8")) == local
    assert sorted(p.name for p in out.glob("*.parquet")) == [f"{t}.parquet" for t in TABLES]
