"""Process-wide memory tuning of a run (claimex.runner.tuning): opt-in, and undone."""

import pyarrow as pa

from claimex.runner import tuning


def test_lean_memory_pool(monkeypatch):
    before = pa.default_memory_pool()
    try:
        monkeypatch.delenv("ARROW_DEFAULT_MEMORY_POOL", raising=False)
        name = tuning.use_lean_memory_pool()
        assert name in ("jemalloc", "system")
        assert pa.default_memory_pool().backend_name == name
        monkeypatch.setenv("ARROW_DEFAULT_MEMORY_POOL", "mimalloc")
        pa.set_memory_pool(pa.mimalloc_memory_pool())
        assert tuning.use_lean_memory_pool() == "mimalloc"  # an explicit choice is kept
    finally:
        pa.set_memory_pool(before)


def test_tuning_restores_the_callers_pool(monkeypatch):
    monkeypatch.delenv("ARROW_DEFAULT_MEMORY_POOL", raising=False)
    before = pa.default_memory_pool()
    try:
        pa.set_memory_pool(pa.mimalloc_memory_pool())
        with tuning.process_tuning(True) as release:
            assert release is tuning.release_memory
            assert pa.default_memory_pool().backend_name in ("jemalloc", "system")
        assert pa.default_memory_pool().backend_name == "mimalloc"
    finally:
        pa.set_memory_pool(before)


def test_untuned_run_leaves_the_process_alone(monkeypatch):
    monkeypatch.delenv("ARROW_DEFAULT_MEMORY_POOL", raising=False)
    before = pa.default_memory_pool()
    called = []
    monkeypatch.setattr(tuning, "release_memory", lambda: called.append(1))
    monkeypatch.setattr(tuning, "use_lean_memory_pool", lambda: called.append(2))
    try:
        pa.set_memory_pool(pa.mimalloc_memory_pool())
        with tuning.process_tuning(False) as release:
            release()
            assert pa.default_memory_pool().backend_name == "mimalloc"
        assert called == []
    finally:
        pa.set_memory_pool(before)
