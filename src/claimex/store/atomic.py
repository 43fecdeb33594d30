"""Atomic files: every output is written beside its final name and moved into place.

A temporary file in the destination's folder (``.<name>.<random>.tmp``) is
written, flushed to disk and given the outputs' mode, then ``os.replace``-d
over the final name, which is atomic on POSIX: a reader sees the old file or
the new one, never half of one.  A failure removes the temporary file.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, Iterator

# mkstemp creates files readable by their owner only; outputs are meant to be shared.
FILE_MODE = 0o644
TMP_SUFFIX = ".tmp"


def fsync_path(path: Path) -> None:
    """Flush ``path`` (a file, or a folder's entries) to disk; a no-op where the OS cannot."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return  # e.g. a folder on a system that cannot open one
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def temp_path(path: Path, suffix: str = TMP_SUFFIX) -> Path:
    """A new, empty temporary file beside ``path`` (``.<name>.<random><suffix>``)."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=suffix, dir=path.parent)
    os.close(fd)
    return Path(tmp)


def commit(tmp: Path, path: Path) -> None:
    """Flush ``tmp``, give it the outputs' mode and move it over ``path``."""
    fsync_path(tmp)
    os.chmod(tmp, FILE_MODE)
    os.replace(tmp, path)


@contextmanager
def atomic_text(path: Path | str) -> Iterator[IO[str]]:
    """Open a UTF-8 text file (``\\n`` line ends) that replaces ``path`` when the block ends
    without an exception; on an exception the old file is left as it was."""
    path = Path(path)
    tmp = temp_path(path)
    try:
        with open(tmp, "w", encoding="utf-8", errors="replace", newline="\n") as fh:
            yield fh
        commit(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_text_atomic(path: Path | str, text: str) -> Path:
    """Replace ``path`` by ``text`` atomically; return ``path``."""
    with atomic_text(path) as fh:
        fh.write(text)
    return Path(path)


def write_json_atomic(path: Path | str, data: Any) -> Path:
    """Replace ``path`` by ``data`` as indented JSON with sorted keys (one trailing newline)."""
    with atomic_text(path) as fh:
        json.dump(data, fh, indent=2, sort_keys=True, ensure_ascii=False)
        fh.write("\n")
    return Path(path)


def file_sha256(path: Path | str) -> str:
    """The SHA-256 hex digest of a file's bytes."""
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()
