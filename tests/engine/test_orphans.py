"""A killed run leaves no worker behind: workers die with their parent and never hold the lock.

Real subprocesses: a small script that takes the output lock and starts the
engine's worker pool (no spaCy, fast), and a real ``claimex run --n-process 2``
(slow).  Both are killed with SIGKILL or SIGTERM; the workers must be gone
within seconds, the output lock must be free and the caller's pipes closed.
"""

from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import psutil
import pytest

from claimex.store.lock import LOCK_NAME

ROOT = Path(__file__).resolve().parents[2]
RAW = ROOT / "data" / "raw"

POOL_SCRIPT = textwrap.dedent("""
    import multiprocessing, sys, time
    from pathlib import Path
    from claimex.store.lock import output_lock
    from claimex.engine.workers import worker_pool

    with output_lock(Path(sys.argv[1])):
        pool = worker_pool(2, multiprocessing.get_context("fork"))
        futures = [pool.submit(time.sleep, 3600) for _ in range(4)]
        print("ready", flush=True)
        time.sleep(3600)
""")


def _children(pid: int, n: int, timeout: float = 120) -> list[psutil.Process]:
    """The child processes of ``pid`` once there are at least ``n`` of them."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        kids = psutil.Process(pid).children()
        if len(kids) >= n:
            return kids
        time.sleep(0.1)
    raise AssertionError(f"no {n} worker processes appeared")


def _lock_is_free(out: Path) -> bool:
    lock = out / LOCK_NAME
    if not lock.exists():
        return True
    fd = os.open(lock, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError:
        return False
    finally:
        os.close(fd)


def _kill_and_check(proc: subprocess.Popen, workers: list[psutil.Process], out: Path, sig: int) -> None:
    proc.send_signal(sig)
    proc.wait(timeout=30)
    gone, alive = psutil.wait_procs(workers, timeout=15)
    try:
        assert alive == [], f"workers outlived their parent: {[p.pid for p in alive]}"
        assert _lock_is_free(out)
        # nobody holds the caller's pipes any more: reading them ends at once
        proc.stdout.read()
        proc.stderr.read()
    finally:
        for p in alive:
            p.kill()


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_pool_workers_die_with_their_parent_and_do_not_hold_the_lock(tmp_path, sig):
    script = tmp_path / "pool.py"
    script.write_text(POOL_SCRIPT, encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    proc = subprocess.Popen([sys.executable, str(script), str(out)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    assert proc.stdout.readline() == b"ready\n"
    workers = _children(proc.pid, 2)
    assert len(workers) == 2
    assert not _lock_is_free(out)  # the parent holds it while alive
    _kill_and_check(proc, workers, out, sig)


def test_a_worker_closes_the_inherited_lock_descriptor(tmp_path):
    """In the worker, no descriptor refers to the lock file (so the flock dies with the parent)."""
    script = tmp_path / "fds.py"
    script.write_text(textwrap.dedent("""
        import multiprocessing, os, sys
        from pathlib import Path
        from claimex.store.lock import output_lock
        from claimex.engine.workers import worker_pool

        def open_files():
            return sorted(os.readlink(f"/proc/self/fd/{fd}") for fd in os.listdir("/proc/self/fd")
                          if os.path.exists(f"/proc/self/fd/{fd}"))

        with output_lock(Path(sys.argv[1])):
            with worker_pool(1, multiprocessing.get_context("fork")) as pool:
                print("\\n".join(pool.submit(open_files).result()))
    """), encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    proc = subprocess.run([sys.executable, str(script), str(out)], capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert str(out / LOCK_NAME) not in proc.stdout.splitlines()


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_killed_two_process_run_leaves_no_worker_and_a_free_lock(tmp_path, sig):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for k in range(3):  # enough tasks for both workers to be busy
        for path in sorted(RAW.glob("*.txt")):
            (corpus / f"{k}-{path.name}").write_text(f"Copy {k}.\n" + path.read_text(encoding="utf-8"),
                                                    encoding="utf-8")
    out = tmp_path / "out"
    exe = Path(sys.executable).with_name("claimex")
    proc = subprocess.Popen([str(exe), "run", str(corpus), "--out", str(out), "--n-process", "2",
                             "--no-report"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    workers = _children(proc.pid, 2, timeout=300)
    _kill_and_check(proc, workers, out, sig)
