"""Incremental runs (claimex.runner.run_corpus): reuse stored rows of unchanged articles.

Scenario: a first run over four seed articles (000-003); then 004 is added
and 001 is changed (a one-sentence paragraph appended).  The rerun must send only those two
through the NLP engine, reuse the stored rows of 000, 002 and 003, recompute
the flags over all five, and write the very same bytes as a ``force`` run.
"""

from __future__ import annotations

import functools
import json
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from claimex.engine import local as engine

from claimex.nlp import pipeline
from claimex.ingest import read_corpus
from claimex.runner import run_corpus

ROOT = Path(__file__).resolve().parents[2]
RAW = ROOT / "data" / "raw"
TABLES = ["claim_groups", "claims", "documents", "entities", "errors", "flags", "sentences"]
# doc_id = first 16 hex digits of the SHA-256 of the text (see claimex.ingest)
ID_000, ID_001, ID_002, ID_003, ID_004 = ("bd6dc54bef8ad296", "0741bd6af4856b66", "f5647b61a140f240",
                                          "75bfb1f9e1ba027d", "70abac32b42f0628")
ADDED_SENTENCE = "Kratom may cause nausea in some users."
REAL_LOAD_PIPELINE = pipeline.load_pipeline


@pytest.fixture(scope="module")
def loaded():
    return pipeline.load_pipeline()


@pytest.fixture(scope="module")
def processed(loaded):
    """Record the doc_ids each run hands to the NLP engine; reuse one loaded pipeline."""
    calls: list[list[str]] = []
    real = engine.process_documents

    @functools.wraps(real)
    def recording(nlp, raw_docs, **kwargs):
        raw_docs = list(raw_docs)
        calls.append([d.doc_id for d in raw_docs])
        return real(nlp, raw_docs, **kwargs)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(engine, "process_documents", recording)
        mp.setattr(pipeline, "load_pipeline", lambda model=None, **kw: loaded)
        yield calls


def _corpus(folder: Path, names: list[str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copyfile(RAW / name, folder / name)
    return folder


def _seed(prefix: str) -> str:
    return next(p.name for p in RAW.glob(f"{prefix}_*.txt"))


@pytest.fixture(scope="module")
def rerun(tmp_path_factory, processed):
    """First run over 000-003, then 004 added and 001 changed, then the rerun.

    Tests that run again work on a copy of ``out`` (see :func:`copy_of`).
    """
    tmp = tmp_path_factory.mktemp("incremental")
    corpus = _corpus(tmp / "corpus", [_seed(p) for p in ("000", "001", "002", "003")])
    out = tmp / "out"
    first = run_corpus([corpus], out, report=False)
    first_calls = list(processed)
    shutil.copyfile(RAW / _seed("004"), corpus / _seed("004"))
    changed = corpus / _seed("001")
    changed.write_text(changed.read_text(encoding="utf-8").rstrip("\n") + "\n" + ADDED_SENTENCE + "\n",
                       encoding="utf-8")
    new_001 = next(d.doc_id for d in read_corpus([changed])[0])
    second = run_corpus([corpus], out, report=False)
    second_calls = processed[len(first_calls):]
    return {"corpus": corpus, "out": out, "first": first, "second": second, "new_001": new_001,
            "first_calls": first_calls, "second_calls": second_calls}


def copy_of(out: Path, dest: Path) -> Path:
    shutil.copytree(out, dest)
    return dest


def _run(processed, *args, **kwargs):
    """run_corpus, and the doc_ids this call handed to the NLP engine (None: engine not called)."""
    n = len(processed)
    result = run_corpus(*args, report=False, **kwargs)
    calls = processed[n:]
    assert len(calls) <= 1
    return result, (calls[0] if calls else None)


def _table(out: Path, name: str) -> list[dict]:
    return pq.read_table(out / f"{name}.parquet").to_pylist()


def test_first_run_processes_the_four_articles(rerun):
    assert rerun["first_calls"] == [[ID_000, ID_001, ID_002, ID_003]]
    assert (rerun["first"].n_documents, rerun["first"].n_reused) == (4, 0)


def test_rerun_processes_only_the_added_and_the_changed_article(rerun):
    out, second, new_001 = rerun["out"], rerun["second"], rerun["new_001"]
    assert new_001 not in (ID_001, ID_000, ID_002, ID_003, ID_004)
    assert rerun["second_calls"] == [[new_001, ID_004]]
    assert (second.n_documents, second.n_reused) == (5, 3)
    docs = _table(out, "documents")
    assert [d["doc_id"] for d in docs] == [ID_000, new_001, ID_002, ID_003, ID_004]
    assert docs[1]["text"].rstrip("\n").endswith("management.\n" + ADDED_SENTENCE)
    # no row of the old version of 001 is left in any table
    for name in ("sentences", "entities", "claims", "flags"):
        assert ID_001 not in {r["doc_id"] for r in _table(out, name)}
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert [i["doc_id"] for i in manifest["inputs"]] == [ID_000, new_001, ID_002, ID_003, ID_004]


def test_rerun_recomputes_flags_over_reused_and_new_articles(rerun):
    out, new_001 = rerun["out"], rerun["new_001"]
    groups = {g["claim_key"]: g for g in _table(out, "claim_groups")}
    # 002 (reused) and 004 (added) both claim kratom treats arthritis
    assert groups["kratom|TREATS|arthritis"]["doc_ids"] == [ID_004, ID_002]
    assert groups["kratom|TREATS|arthritis"]["n_sources"] == 2
    # 001 (changed), 003 (reused) and 004 (added) claim 7-hydroxymitragynine treats pain; in 003 the bare
    # "alkaloids that can ... [provide] pain-relieving effects" stands for the alkaloids the article named before
    assert sorted(groups["7-hydroxymitragynine|TREATS|pain"]["doc_ids"]) == sorted([new_001, ID_003, ID_004])
    flagged_docs = {f["doc_id"] for f in _table(out, "flags")}
    assert flagged_docs == {ID_000, new_001, ID_002, ID_003, ID_004}


def test_rerun_writes_the_same_bytes_as_a_force_run(rerun, processed, tmp_path):
    corpus, out, second, new_001 = rerun["corpus"], rerun["out"], rerun["second"], rerun["new_001"]
    forced, ids = _run(processed, [corpus], tmp_path / "forced", force=True)
    assert ids == [ID_000, new_001, ID_002, ID_003, ID_004]
    assert (forced.n_reused, forced.n_claims, forced.n_sentences) == (0, second.n_claims, second.n_sentences)
    assert forced.flags_by_kind == second.flags_by_kind
    for name in TABLES:
        assert (tmp_path / "forced" / f"{name}.parquet").read_bytes() == (out / f"{name}.parquet").read_bytes(), name
    assert (tmp_path / "forced" / "manifest.json").read_bytes() == (out / "manifest.json").read_bytes()


def test_unchanged_rerun_reuses_everything_and_force_reprocesses_everything(rerun, processed, tmp_path):
    corpus, new_001 = rerun["corpus"], rerun["new_001"]
    out = copy_of(rerun["out"], tmp_path / "out")
    before = {name: (out / f"{name}.parquet").read_bytes() for name in TABLES}

    def must_not_load(model=None, **kwargs):
        raise AssertionError("the pipeline was loaded although every document is reused")

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(pipeline, "load_pipeline", must_not_load)
        third, ids = _run(processed, [corpus], out)
    assert ids == []
    assert third.n_reused == 5
    fourth, ids = _run(processed, [corpus], out, force=True)
    assert ids == [ID_000, new_001, ID_002, ID_003, ID_004]
    assert fourth.n_reused == 0
    assert {name: (out / f"{name}.parquet").read_bytes() for name in TABLES} == before


def test_a_changed_config_hash_reprocesses_everything(rerun, processed, loaded, monkeypatch, tmp_path):
    corpus, new_001 = rerun["corpus"], rerun["new_001"]
    out = copy_of(rerun["out"], tmp_path / "out")
    monkeypatch.setattr(pipeline, "config_hash", lambda config_text=None: "0" * 64)
    # the real load_pipeline, so that the patched config_hash reaches the manifest check
    monkeypatch.setattr(pipeline, "load_pipeline", REAL_LOAD_PIPELINE)
    third, ids = _run(processed, [corpus], out)
    assert ids == [ID_000, new_001, ID_002, ID_003, ID_004]
    assert third.n_reused == 0
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["config_hash"] == "0" * 64 != loaded[1].config_hash


def test_stored_rows_are_slices_of_the_stored_tables(monkeypatch):
    """An incremental run's reused rows stay Arrow data: slices of the stored tables."""
    import pyarrow as pa

    from claimex.runner.incremental import StoredRows

    stored = StoredRows({
        "documents": pa.table({"doc_id": ["a", "b", "c"], "n_words": [3, 4, 5], "title": [None, "T", None]}),
        "sentences": pa.table({"doc_id": ["a", "b", "b", "b", "a"], "sent_id": ["a1", "b1", "b2", "b3", "a2"]}),
        "entities": pa.table({"doc_id": ["b"], "ent_id": ["e1"]}),
        "claims": pa.table({"doc_id": pa.array([], pa.string())}),
    })
    built = []
    real = StoredRows.__getitem__
    monkeypatch.setattr(StoredRows, "__getitem__", lambda self, k: built.append(k) or real(self, k))
    assert "a" in stored and "z" not in stored and len(stored) == 3 and list(stored) == ["a", "b", "c"]
    assert built == []  # membership builds nothing
    b = stored["b"]
    assert (b.doc_id, b.n_words, b.title) == ("b", 4, "T")
    assert isinstance(b.sentences, pa.Table) and b.sentences.column("sent_id").to_pylist() == ["b1", "b2", "b3"]
    assert b.entities.to_pylist() == [{"doc_id": "b", "ent_id": "e1"}] and b.claims.num_rows == 0
    a = stored["a"]  # rows 0 and 4: not stored together
    assert a.sentences.column("sent_id").to_pylist() == ["a1", "a2"] and a.entities.num_rows == 0
    assert stored["c"].sentences.num_rows == 0 and stored["c"].n_words == 5
