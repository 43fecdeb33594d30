"""Worker processes that die with the run that started them.

The local engine forks its workers (:mod:`claimex.engine.local`).  A forked
child inherits every descriptor of its parent, close-on-exec or not, and
outlives it: a SIGKILL-ed or SIGTERM-ed run used to leave its workers alive,
holding the output folder's ``.claimex.lock`` (so every later run failed with
``E031``) and the caller's stdout/stderr pipes (so a caller waiting for them
hung).  So every worker, as the first thing it does:

* asks Linux to kill it when its parent dies (``prctl(PR_SET_PDEATHSIG,
  SIGKILL)``, through ``ctypes``), and then checks the parent is still the one
  that forked it (it may have died in between);
* elsewhere (no ``prctl``), runs a daemon thread that exits the worker as soon
  as its parent process is gone;
* closes the output lock's descriptor (:func:`claimex.store.lock.close_in_child`
  does this at every fork, so it holds for any forked child).
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
PARENT_POLL_SECONDS = 0.5


def _set_parent_death_signal(sig: int = signal.SIGKILL) -> bool:
    """``prctl(PR_SET_PDEATHSIG, sig)`` for this process; whether it took effect."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, int(sig), 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _watch_parent(parent_pid: int, interval: float = PARENT_POLL_SECONDS) -> threading.Thread:
    """A daemon thread that ends this process (``os._exit``) once ``parent_pid`` is no
    longer its parent (the parent died and the process was reparented)."""
    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(interval)
        os._exit(1)

    thread = threading.Thread(target=watch, name="claimex-parent-watch", daemon=True)
    thread.start()
    return thread


def worker_init(parent_pid: int) -> None:
    """Initializer of every worker process: die with ``parent_pid``; SIGINT and SIGTERM
    back to their defaults (the CLI's handlers, inherited through fork, are for the
    main process: it stops the run and the workers die with it)."""
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            signal.signal(sig, signal.SIG_DFL)
        except (OSError, ValueError):  # pragma: no cover - not the main thread
            pass
    if _set_parent_death_signal():
        if os.getppid() != parent_pid:  # the parent died before prctl took effect
            os._exit(1)
    else:
        _watch_parent(parent_pid)


def worker_pool(workers: int, mp_context) -> ProcessPoolExecutor:
    """A pool of ``workers`` processes (started from ``mp_context``) that die with this process."""
    return ProcessPoolExecutor(workers, mp_context=mp_context, initializer=worker_init,
                               initargs=(os.getpid(),))


def stop_workers(pool: ProcessPoolExecutor) -> None:
    """Kill the pool's worker processes now (the run is being interrupted: their rows
    would not be used), so that shutting the pool down does not wait for their tasks."""
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        try:
            process.kill()
        except (OSError, AttributeError):
            pass
