"""A run's outputs as one set: written into a staging folder, then swapped in.

A run writes every table, the manifest and the report into
``<out>/.claimex-staging/`` (:func:`staging`).  Only when all of them are
complete does it swap them in (:func:`publish`): it writes a mark file into
the staging folder, moves each output the new manifest names over the old
one, removes the old outputs the new set no longer has, and moves the
manifest last.  So

* a run that fails or is killed before the mark (a full disk, a bad input,
  SIGKILL) leaves the previous outputs exactly as they were; the next run
  removes its staging folder;
* a run killed during the swap (which moves files within one file system:
  no space is needed) leaves a marked staging folder, and the next run, or
  :func:`recover`, finishes the swap first.  In between, the old manifest's
  digests do not match the new tables, which
  :func:`claimex.store.manifest.verify_outputs` reports (``E037``).

Nothing outside the staging folder is deleted unless the manifest of the
previous run names it as one of its outputs: files of the user's in the
output folder are left alone.  Call everything here while holding
:func:`claimex.store.lock.output_lock`.
"""

from __future__ import annotations

import errno
import os
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from ..errors import ClaimexError, Errors
from .atomic import fsync_path
from .lock import LOCK_NAME
from .manifest import MANIFEST_NAME, MARK_NAME, STAGING_NAME, output_names, read_manifest
# Errors of a full disk or an exhausted quota: a run stops with E036, nothing swapped in.
DISK_FULL = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)


def staging_path(out_dir: Path | str) -> Path:
    return Path(out_dir) / STAGING_NAME


def is_disk_full(exc: BaseException) -> bool:
    """Whether ``exc`` says the disk (or the quota, or the file size limit) is exhausted.

    Arrow's ``OSError`` often carries no ``errno``, only the message."""
    if not isinstance(exc, OSError):
        return False
    if exc.errno in DISK_FULL:
        return True
    text = str(exc)
    return any(os.strerror(code) in text for code in DISK_FULL)


@contextmanager
def staging(out_dir: Path | str) -> Iterator[Path]:
    """A new, empty staging folder in ``out_dir``; removed when the block raises before
    :func:`publish` marked it complete (after that, the swap is finished, now or by
    :func:`recover`).

    A full disk (:func:`is_disk_full`) becomes ``E036``: one line, the old
    outputs untouched."""
    out = Path(out_dir)
    stage = staging_path(out)
    _remove(stage)
    try:
        stage.mkdir()
        yield stage
    except BaseException as exc:
        if (stage / MARK_NAME).is_file():  # interrupted during the swap: finish it, or leave it to recover()
            try:
                _finish(out, stage)
            except BaseException:  # noqa: BLE001 - the marked folder stays for the next run
                pass
            raise
        _remove(stage)
        full = _disk_full_cause(exc)
        if full is not None:
            reason = os.strerror(full.errno) if full.errno in DISK_FULL else str(full)
            raise ClaimexError(Errors.E036.format(path=out, reason=reason)) from None
        raise


def _disk_full_cause(exc: BaseException) -> OSError | None:
    """``exc`` or the error it was raised from (a writer's numbered error wrapping the
    ``OSError``, e.g. the report's E075) when that says the disk is full."""
    seen = 0
    while exc is not None and seen < 4:
        if is_disk_full(exc):
            return exc  # type: ignore[return-value]
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return None


def publish(out_dir: Path | str, stage: Path) -> list[Path]:
    """Swap the complete set in ``stage`` into ``out_dir``; return the outputs' paths
    (manifest last).  ``stage`` must hold the new manifest.

    An output name that is a folder in ``out_dir`` (a ``claims.parquet/`` of the user's)
    is ``E036`` before anything is swapped: the old set stays whole."""
    out = Path(out_dir)
    new = read_manifest(stage)
    for name in [*(output_names(new) if new is not None else []), MANIFEST_NAME]:
        target = out / name
        if target.is_dir() and not target.is_symlink():  # os.replace cannot put a file there
            raise ClaimexError(Errors.E036.format(path=out, reason=(
                f"{name} there is a folder, where claimex writes a file; move or remove it")))
    for path in stage.rglob("*"):
        if path.is_file():
            fsync_path(path)
    mark = stage / MARK_NAME
    mark.write_bytes(b"")
    fsync_path(mark)
    fsync_path(stage)
    return _finish(out, stage)


def recover(out_dir: Path | str) -> str | None:
    """Deal with the staging folder an interrupted run left: finish its swap when it
    was marked complete (``"finished"``), else remove it (``"removed"``); ``None``
    when there is none."""
    out = Path(out_dir)
    stage = staging_path(out)
    if not stage.is_dir() or stage.is_symlink():
        return None
    if (stage / MARK_NAME).exists() and (stage / MARK_NAME).is_file():
        _finish(out, stage)
        return "finished"
    _remove(stage)
    return "removed"


def swap_pending(out_dir: Path | str) -> bool:
    """Whether an interrupted swap waits in ``out_dir`` (see :func:`recover`)."""
    return (staging_path(out_dir) / MARK_NAME).is_file()


def _finish(out: Path, stage: Path) -> list[Path]:
    """Move the staged outputs into place (idempotent: a second call after a crash
    moves what is left), remove stale old outputs, then the manifest and the folder."""
    new = read_manifest(stage)
    if new is None:  # pragma: no cover - publish() is only called with a manifest
        raise ClaimexError(Errors.E036.format(path=out, reason="the staged run has no manifest"))
    new_names = output_names(new)
    old = read_manifest(out)
    old_names = output_names(old) if old is not None else []
    moved = []
    for name in new_names:
        src = stage / name
        if src.exists():
            os.replace(src, out / name)
        moved.append(out / name)
    for name in sorted(set(old_names) - set(new_names) - {MANIFEST_NAME, LOCK_NAME, STAGING_NAME}):
        stale = out / name
        if stale.is_file() or stale.is_symlink():
            stale.unlink(missing_ok=True)
    if (stage / MANIFEST_NAME).exists():
        os.replace(stage / MANIFEST_NAME, out / MANIFEST_NAME)
    fsync_path(out)
    _remove(stage)
    return moved + [out / MANIFEST_NAME]


def _remove(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink(missing_ok=True)
    elif path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
