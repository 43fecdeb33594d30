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
