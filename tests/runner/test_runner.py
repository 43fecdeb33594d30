"""run_corpus as a library call (claimex.runner): what it does to the caller's process."""

import pyarrow as pa
import pytest

from claimex.nlp import pipeline
from claimex.runner import run_corpus, tuning


@pytest.fixture
def tiny(tmp_path, nlp, monkeypatch):
    """A two-article corpus and the session's pipeline (not loaded again)."""
    monkeypatch.setattr(pipeline, "load_pipeline", lambda model=None, **kw: (nlp, None))
    monkeypatch.delenv("ARROW_DEFAULT_MEMORY_POOL", raising=False)
    corpus = tmp_path / "in"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Kratom may relieve pain.", encoding="utf-8")
    (corpus / "b.txt").write_text("Kratom causes nausea.", encoding="utf-8")
    before = pa.default_memory_pool()
    pa.set_memory_pool(pa.mimalloc_memory_pool())
    yield corpus
    pa.set_memory_pool(before)


def _pools_seen(monkeypatch) -> list[str]:
    """The Arrow pool in use each time the run releases memory between stages."""
    seen: list[str] = []
    monkeypatch.setattr(tuning, "release_memory", lambda: seen.append(pa.default_memory_pool().backend_name))
    return seen


@pytest.mark.parametrize("tune", [False, True])
def test_a_library_run_restores_the_callers_arrow_pool(tiny, tmp_path, monkeypatch, tune):
    seen = _pools_seen(monkeypatch)
    result = run_corpus([tiny], tmp_path / "out", report=False, tune_process=tune)
    assert result.n_documents == 2
    assert pa.default_memory_pool().backend_name == "mimalloc"
    if tune:  # lean pool while it runs; memory handed back after the NLP and the flags stage
        assert len(seen) == 2 and set(seen) <= {"jemalloc", "system"}
    else:
        assert seen == []


def test_tuned_and_untuned_runs_write_the_same_bytes(tiny, tmp_path):
    outs = [tmp_path / "untuned", tmp_path / "tuned"]
    for out, tune in zip(outs, (False, True)):
        run_corpus([tiny], out, report=False, tune_process=tune)
    names = sorted(p.name for p in outs[0].iterdir())
    assert "manifest.json" in names and names == sorted(p.name for p in outs[1].iterdir())
    assert all((outs[0] / n).read_bytes() == (outs[1] / n).read_bytes() for n in names)


def test_manifest_inputs_give_back_what_was_appended(monkeypatch):
    # kept as Arrow batches (two rows a batch here), read back in order as ManifestInput tuples
    from claimex.runner import ManifestInput, ManifestInputs

    monkeypatch.setattr(ManifestInputs, "BATCH_ROWS", 2)
    inputs = ManifestInputs()
    given = [ManifestInput("d1", ("a.txt",), "1" * 64), ManifestInput("d2", ("b.txt", "copy/b.txt"), "2" * 64),
             ManifestInput("d3", (), "3" * 64)]
    for doc in given:
        inputs.append(doc)
    assert len(inputs) == 3 and len(inputs._batches) == 1
    assert list(inputs) == given
    assert list(inputs) == given  # read as often as asked
    assert list(ManifestInputs()) == []


def test_a_run_lets_go_of_the_documents_and_records_them_all(tiny, tmp_path, monkeypatch):
    import json

    from claimex import runner

    seen = []
    real = runner._nlp_stage

    def spy(model, info, raw_docs, *args, **kwargs):
        names = [d.source for d in raw_docs]
        inputs = real(model, info, raw_docs, *args, **kwargs)
        seen.append((names, list(raw_docs), [d.sources for d in inputs]))
        return inputs

    monkeypatch.setattr(runner, "_nlp_stage", spy)
    run_corpus([tiny], tmp_path / "out", report=False)
    names, left, recorded = seen[0]
    assert names == ["a.txt", "b.txt"] and left == [None, None] and recorded == [("a.txt",), ("b.txt",)]
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert [d["sources"] for d in manifest["inputs"]] == [["a.txt"], ["b.txt"]]
