"""Process-wide memory tuning for a large run, opt-in and undone afterwards.

Two things keep a long ``claimex run`` small, and both touch the whole
process, so :func:`run_corpus <claimex.runner.run_corpus>` does them only when
asked (``tune_process=True``, as the CLI and the benchmarks do):

* Arrow allocates from jemalloc (else the C library's malloc) instead of
  mimalloc, which keeps what it once allocated (:func:`use_lean_memory_pool`);
  the previous pool is restored when the run ends.
* Between stages, garbage is collected and freed heap pages go back to the
  operating system (:func:`release_memory`).

A library caller that does not ask keeps its allocator and its heap as they were.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from typing import Callable, Iterator


def use_lean_memory_pool() -> str:
    """Make Arrow allocate from jemalloc (else the C library's malloc); return the pool's name.

    pyarrow's default pool on Linux, mimalloc, keeps what it once allocated:
    reading the claims table of a 2,000-article corpus (27 MB of Arrow data)
    grew the process by 111 MB under mimalloc and by 38 MB under jemalloc.
    An explicit ``ARROW_DEFAULT_MEMORY_POOL`` is left alone.  The pool set here
    is the one pyarrow's calls use; Arrow's own default (what Acero's group-bys
    allocate from) is fixed when pyarrow loads, so the flags stage counts its
    groups with numpy (:mod:`claimex.flags.columns`).
    """
    import pyarrow as pa

    if os.environ.get("ARROW_DEFAULT_MEMORY_POOL"):
        return pa.default_memory_pool().backend_name
    for make in (pa.jemalloc_memory_pool, pa.system_memory_pool):
        try:
            pool = make()
        except NotImplementedError:  # pyarrow built without jemalloc
            continue
        pa.set_memory_pool(pool)
        return pool.backend_name
    return pa.default_memory_pool().backend_name


def release_memory() -> None:
    """Collect garbage and return freed heap pages to the operating system.

    CPython and glibc keep freed memory for reuse; after the NLP stage that is
    hundreds of megabytes the flags stage would otherwise add to.  ``malloc_trim``
    is glibc's; elsewhere only the collection and Arrow's pool release run.
    """
    import gc

    gc.collect()
    try:
        import pyarrow as pa

        pa.default_memory_pool().release_unused()
    except Exception:  # noqa: BLE001 - best effort
        pass
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc
        pass


def _nothing() -> None:
    pass


@contextmanager
def process_tuning(enabled: bool) -> Iterator[Callable[[], None]]:
    """While the block runs, Arrow uses the lean pool (when ``enabled``); yields the
    function to call between stages (:func:`release_memory`, or a no-op when not
    ``enabled``).  The previous Arrow pool is restored on exit."""
    if not enabled:
        yield _nothing
        return
    import pyarrow as pa

    before = pa.default_memory_pool()
    use_lean_memory_pool()
    try:
        yield release_memory
    finally:
        pa.set_memory_pool(before)
