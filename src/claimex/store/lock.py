"""Claiming an output folder: check or create it, and lock it against a second run.

Two runs writing the same tables at once would interleave their files, so a
run holds :func:`output_lock` on ``<out>/.claimex.lock`` from before it
removes a killed run's temporary files until its last output is in place.
The lock file holds the pid of the run that owns it, which the refusal
message names.

Readers of an output folder (``claimex show``, ``export``, ``review stats``)
take :func:`read_lock`, a shared ``flock`` on the same file: they do not read
while a run holds the folder, and a run does not start under a reader.
Readers (and ``claimex report``) wait up to :data:`LOCK_WAIT_S` for a run
before ``E031``; :func:`checked_set` adds the check of the tables against the
manifest's digests (``E037``).
"""

from __future__ import annotations

import errno
import os
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator

from ..errors import ClaimexError, Errors

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX
    fcntl = None  # type: ignore[assignment]

LOCK_NAME = ".claimex.lock"
LOCK_MODE = 0o644
LOCK_WAIT_S = 10.0   # how long a reader (or ``claimex report``) waits for a run holding the folder
_POLL_S = 0.05

# Descriptors of the locks this process holds.  A forked child (the local
# engine's workers) inherits them, close-on-exec or not, and an inherited
# descriptor keeps the ``flock`` for as long as the child lives: so every
# forked child closes them first thing (closing, never unlocking, which would
# release the parent's lock too).
_HELD: set[int] = set()


def close_in_child() -> None:
    """Close the inherited lock descriptors (run in every forked child)."""
    for fd in list(_HELD):
        try:
            os.close(fd)
        except OSError:
            pass
    _HELD.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=close_in_child)


def prepare_output(out_dir: Path | str) -> Path:
    """``out_dir`` as a writable folder (created with its parents); ``E030`` says why not."""
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ClaimexError(Errors.E030.format(path=out_dir, reason=exc.strerror or exc)) from None
    if not out_dir.is_dir():
        raise ClaimexError(Errors.E030.format(path=out_dir, reason="not a folder"))
    if not os.access(out_dir, os.W_OK | os.X_OK):
        raise ClaimexError(Errors.E030.format(path=out_dir, reason=os.strerror(errno.EACCES)))
    return out_dir


def check_output_folder(out_dir: Path | str, *, force_out: bool = False) -> None:
    """Refuse (``E035``) to write into a folder that is neither empty nor a claimex output.

    A claimex output has a claimex ``manifest.json``; a folder holding only a
    lock file and a staging folder is one whose first run was interrupted.
    ``force_out`` writes anyway (claimex then replaces only the files it writes
    and never deletes others)."""
    from .manifest import STAGING_NAME, read_manifest

    out = Path(out_dir)
    if force_out or not out.is_dir():
        return
    manifest = read_manifest(out)
    if manifest is not None and "claimex_version" in manifest:
        return
    found = sorted(p.name for p in out.iterdir() if p.name not in (LOCK_NAME, STAGING_NAME))
    if found:
        shown = ", ".join(found[:5]) + (f" and {len(found) - 5} more" if len(found) > 5 else "")
        raise ClaimexError(Errors.E035.format(path=out, found=shown))


@contextmanager
def output_lock(out_dir: Path, *, wait: float = 0.0, readers_wait: float | None = None) -> Iterator[None]:
    """Refuse a second concurrent run on the same output folder (``E031``).

    The lock is an advisory ``flock`` on ``<out>/.claimex.lock`` (which holds
    the pid of the run, for the message): the kernel releases it when the run
    ends in any way, SIGKILL included, so a lock left by a killed run never
    blocks the next one.  Without ``fcntl`` (Windows) the file is created
    exclusively, and a lock whose pid is gone is taken over.  ``wait``: seconds to
    wait for the holder (a run, or readers) before ``E031``; a folder held only by
    readers (``claimex show``, ``export``: they write no pid) is waited for up to
    ``readers_wait`` seconds (default :data:`LOCK_WAIT_S`) in any case, since a reader
    is done in moments while a run holding the folder is refused at once.
    """
    if fcntl is None:  # pragma: no cover - not POSIX
        with _exclusive_file_lock(out_dir):
            yield
        return
    lock = Path(out_dir) / LOCK_NAME
    fd = _waiting(lambda: _flock(lock, out_dir), wait,
                  readers_wait=LOCK_WAIT_S if readers_wait is None else readers_wait)
    _HELD.add(fd)
    try:
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode("ascii"))
        yield
    finally:
        try:
            lock.unlink(missing_ok=True)  # while still holding the lock
        finally:
            _HELD.discard(fd)
            os.close(fd)


def _flock(lock: Path, out_dir: Path) -> int:
    """An open descriptor of ``lock`` that holds its exclusive ``flock``.

    A run that ends removes its lock file while holding it; a run that was
    waiting on the old file then retries on the new one, so two runs never
    hold locks on two different files of the same name."""
    while True:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, LOCK_MODE)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = _lock_holder(fd)
            os.close(fd)
            error = ClaimexError(Errors.E031.format(path=out_dir, pid=holder, lock=lock))
            error.held_by_readers = holder == "unknown"  # type: ignore[attr-defined]
            raise error from None
        try:
            current = os.stat(lock)
        except FileNotFoundError:
            current = None
        if current is not None and os.path.samestat(os.fstat(fd), current):
            return fd
        os.close(fd)  # the file was removed by the run that just ended: lock the new one


def _waiting(take, wait: float, *, readers_wait: float = 0.0):
    """``take()``, retried while it raises E031, for up to ``wait`` seconds (``readers_wait``
    seconds while the E031 says only readers hold the lock)."""
    started = time.monotonic()
    while True:
        try:
            return take()
        except ClaimexError as error:
            limit = max(wait, readers_wait) if getattr(error, "held_by_readers", False) else wait
            if time.monotonic() - started >= limit:
                raise
            time.sleep(_POLL_S)


def _shared(lock: Path, out_dir: Path) -> int | None:
    """An open descriptor holding a shared ``flock`` of ``lock`` (None: the folder cannot hold a
    lock file, e.g. it is read-only; no run can write there either)."""
    try:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, LOCK_MODE)
    except OSError:
        try:
            fd = os.open(lock, os.O_RDONLY)
        except OSError:
            return None
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except OSError:
        holder = _lock_holder(fd)
        os.close(fd)
        raise ClaimexError(Errors.E031.format(path=out_dir, pid=holder, lock=lock)) from None
    return fd


@contextmanager
def read_lock(out_dir: Path | str, *, wait: float | None = None) -> Iterator[None]:
    """Read ``out_dir`` while no run writes it: a shared ``flock`` on its lock file, waited for up
    to ``wait`` seconds (default :data:`LOCK_WAIT_S`) before ``E031`` naming the run's pid.
    The reader never removes the lock file (a run may be waiting on it)."""
    out = Path(out_dir)
    if fcntl is None or not out.is_dir():  # pragma: no cover - not POSIX / nothing to lock
        yield
        return
    fd = _waiting(lambda: _shared(out / LOCK_NAME, out), LOCK_WAIT_S if wait is None else wait)
    if fd is None:
        yield
        return
    _HELD.add(fd)
    try:
        yield
    finally:
        _HELD.discard(fd)
        os.close(fd)


@contextmanager
def checked_set(out_dir: Path | str, tables: Iterable[str], *, write: bool = False,
                wait: float | None = None) -> Iterator[dict | None]:
    """Hold ``out_dir`` for a reader (``write=False``: :func:`read_lock`) or for a writer that adds
    to the set (``claimex report``, ``claimex review import``: :func:`output_lock`), and check that
    ``tables`` are the files its manifest describes (:func:`claimex.store.manifest.verify_readable`,
    ``E037`` naming each table that does not match).  Yields the manifest (None without one)."""
    from .manifest import verify_readable

    out = Path(out_dir)
    wait = LOCK_WAIT_S if wait is None else wait
    ctx = output_lock(out, wait=wait) if write else read_lock(out, wait=wait)
    with ctx:
        yield verify_readable(out, tables)


def _lock_holder(fd: int) -> str:
    """The pid written in an open lock file, or ``"unknown"``."""
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        pid = int(os.read(fd, 32).decode("ascii", "replace").strip() or "0")
    except (OSError, ValueError):
        pid = 0
    return str(pid) if pid else "unknown"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextmanager
def _exclusive_file_lock(out_dir: Path) -> Iterator[None]:  # pragma: no cover - not POSIX
    lock = Path(out_dir) / LOCK_NAME
    for _ in range(2):
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, LOCK_MODE)
        except FileExistsError:
            try:
                pid = int(lock.read_text().strip() or "0")
            except (OSError, ValueError):
                pid = 0
            if pid and _pid_alive(pid):
                raise ClaimexError(Errors.E031.format(path=out_dir, pid=pid, lock=lock)) from None
            lock.unlink(missing_ok=True)  # stale lock from a killed run
            continue
        with os.fdopen(fd, "w") as fh:
            fh.write(str(os.getpid()))
        break
    try:
        yield
    finally:
        lock.unlink(missing_ok=True)
