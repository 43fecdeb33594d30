"""Walking the inputs: which files a list of paths stands for, and under which names.

:func:`iter_input_files` turns the paths given on the command line into
``(absolute path, source name)`` pairs, sorted, and collects the problems met
on the way (unreadable folder, broken link, symlink loop, a file named
explicitly with an unsupported suffix) as :class:`~claimex.ingest.InputError`.

Rules: entries are visited in sorted order; files and folders whose name starts
with ``.`` are skipped, and so are files with an unsupported suffix (a file
*named explicitly* with one is an error, ``E022``).  Symbolic links to files are
read; a symbolic link to a folder is followed once, after the real folders
under the root: a link whose target was already walked (or contains a walked
folder, i.e. a loop) is reported once (``E020``) and skipped.  A missing input
path stops everything (``ClaimexError`` ``E010``).
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator, Sequence
from pathlib import Path

from ..errors import ClaimexError, Errors
from .documents import InputError, format_of, os_reason, source_sort_key

__all__ = ["iter_input_files"]


def iter_input_files(
    paths: Sequence[str | os.PathLike],
    errors: list[InputError] | None = None,
) -> Iterator[tuple[Path, str]]:
    """Yield ``(absolute path, source name)`` for every input file to read.

    Folders are walked recursively (see the module docstring for the rules);
    the result is sorted by source name, root by root in sorted order, and
    does not depend on the order of ``paths`` or on directory listing order.
    Problems met while walking (unreadable folder, symlink loop, explicit
    file with an unsupported suffix) are appended to ``errors`` when given.

    Raises ``ClaimexError`` (``E010``) at once when an input path does not
    exist.
    """
    roots = _roots(paths)
    found: list[tuple[Path, str]] = []
    problems: dict[str, InputError] = {}
    for root in roots:
        walked = _walk_root(root)
        found.extend(walked[0])
        for ident, problem in walked[1]:
            # The same bad entry reached from two roots is reported once.
            known = problems.get(ident)
            if known is None or source_sort_key(problem.source) < source_sort_key(known.source):
                problems[ident] = problem
    if errors is not None:
        errors.extend(problems[ident] for ident in sorted(problems))
    return iter(found)


_Problems = list[tuple[str, InputError]]


def _roots(paths: Sequence[str | os.PathLike]) -> list[Path]:
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    missing: list[str] = []
    roots: set[str] = set()
    for raw in paths:
        path = os.fspath(raw)
        if not os.path.exists(path):
            missing.append(str(path))
        else:
            roots.add(os.path.abspath(path))
    if missing:
        raise ClaimexError(Errors.E010.format(path=", ".join(sorted(missing))))
    return [Path(root) for root in sorted(roots)]


def _entry_id(path: Path | str) -> str:
    """Identity of a folder entry: real parent folder + own name (links unresolved)."""
    path = os.fspath(path)
    return os.path.join(os.path.realpath(os.path.dirname(path)), os.path.basename(path))


def _walk_root(root: Path) -> tuple[list[tuple[Path, str]], _Problems]:
    """Files under one root, sorted by source name, and the problems met."""
    if root.is_dir():
        found, errors = _walk_folder(root)
        found.sort(key=lambda item: (source_sort_key(item[1]), str(item[0])))
        return found, errors
    name = root.name
    if not root.is_file():
        return [], [(_entry_id(root), InputError(name, "read", Errors.E026.format(path=name)))]
    if format_of(name) is None:
        suffix = root.suffix or "(no suffix)"
        problem = InputError(name, "read", Errors.E022.format(path=name, suffix=suffix))
        return [], [(_entry_id(root), problem)]
    return [(root, name)], []


def _walk_folder(root: Path) -> tuple[list[tuple[Path, str]], _Problems]:
    found: list[tuple[Path, str]] = []
    errors: _Problems = []
    visited: set[str] = set()
    links: list[tuple[str, Path]] = []

    def walk_tree(top: Path, top_rel: str) -> None:
        stack = [(top, top_rel)]
        while stack:
            folder, rel = stack.pop()
            real = os.path.realpath(folder)
            if real in visited:
                continue
            visited.add(real)
            try:
                with os.scandir(folder) as it:
                    entries = sorted(it, key=lambda e: e.name)
            except OSError as exc:
                name = rel or root.name
                problem = InputError(name, "read", Errors.E027.format(path=name, reason=os_reason(exc)))
                errors.append((real, problem))
                continue
            subfolders: list[tuple[Path, str]] = []
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                name = f"{rel}/{entry.name}" if rel else entry.name
                try:
                    if entry.is_dir():
                        if entry.is_symlink():
                            links.append((name, Path(entry.path)))
                        else:
                            subfolders.append((Path(entry.path), name))
                    elif entry.is_file():
                        if format_of(entry.name) is not None:
                            found.append((Path(entry.path), name))
                    elif entry.is_symlink() and format_of(entry.name) is not None:
                        os.stat(entry.path)  # raises: broken link or loop
                except OSError as exc:
                    if exc.errno == errno.ELOOP:
                        message = Errors.E020.format(path=name)
                    elif isinstance(exc, FileNotFoundError):
                        message = Errors.E019.format(path=name, reason="broken symbolic link")
                    else:
                        message = Errors.E019.format(path=name, reason=os_reason(exc))
                    errors.append((os.path.join(real, entry.name), InputError(name, "read", message)))
            stack.extend(reversed(subfolders))

    walk_tree(root, "")
    while links:
        links.sort(key=lambda item: source_sort_key(item[0]))
        name, link = links.pop(0)
        target = os.path.realpath(link)
        prefix = target if target.endswith(os.sep) else target + os.sep
        if target in visited or any(v.startswith(prefix) for v in visited):
            errors.append((_entry_id(link), InputError(name, "read", Errors.E020.format(path=name))))
            continue
        walk_tree(link, name)
    return found, errors
