"""Walking the inputs: which files a list of paths stands for, and under which names.

:func:`iter_input_files` turns the paths given on the command line into
:class:`InputFile` records ``(absolute path, source name, format)``, sorted,
and collects the problems met on the way as :class:`~claimex.ingest.InputError`.

Names.  With one input root a file is named by its path relative to the root
(a file given directly by its file name).  With several roots every name
starts with the root's *label*: its last path component, or as many trailing
components as it takes to tell two roots apart (``a/data``, ``b/data``), so
two roots holding the same relative name stay distinguishable.  Names are
POSIX style and always valid UTF-8: a file whose name is not valid UTF-8
(``caf\\xe9.txt``) is one ``E029`` error under its name with ``\\xNN``
escapes, and is not read.

Rules: entries are visited in sorted order.

* Files and folders whose name starts with ``.`` are skipped.
* Outputs of claimex are never inputs: in the run's own output folder
  (``out_dir``) and in any folder holding a claimex ``manifest.json``, the
  files claimex writes there (``manifest.json``, ``report.html``,
  ``report.md``, and ``<table>.parquet/.csv/.jsonl`` for every table of
  :data:`claimex.schema.TABLES`) are skipped, logged at INFO; other files in
  such a folder (articles next to an ``--out`` pointed at the input folder)
  are read as usual.
* ``exclude`` globs skip files and folders; ``include`` globs (when given)
  select the files to read, and an included file whose suffix claimex does not
  know is read as plain text.  A glob without ``/`` is matched against the
  entry's name, one with ``/`` against its path relative to the root.
* A file with an unsupported suffix is one ``E022`` error (stage ``read``)
  and is not read; ``--exclude`` silences it.
* FIFOs, sockets and devices (also behind a link) are one ``E111`` error and
  are never opened, so a FIFO cannot hang the run.
* Symbolic links are read when they stay inside the input root; a link that
  leaves it is one ``E110`` error unless ``follow_links``.  A link to a folder
  is walked once, after the real folders under the root: a link whose target
  was already walked (or contains a walked folder, i.e. a loop) is reported
  once (``E020``) and skipped.  A root given explicitly is always read, link
  or not.
* A missing input path stops everything (``ClaimexError`` ``E010``).
"""

from __future__ import annotations

import errno
import fnmatch
import json
import logging
import os
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from ..errors import ClaimexError, Errors
from .documents import InputError, format_of, os_reason, safe_name, source_sort_key

__all__ = ["IngestOptions", "InputFile", "claimex_output_names", "is_claimex_output", "iter_input_files"]

log = logging.getLogger("claimex.ingest")

MANIFEST_NAME = "manifest.json"


@dataclass(frozen=True)
class IngestOptions:
    """Which files of the input folders are read (``claimex run --include/--exclude/--follow-links``)
    and which text repairs are made."""

    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    follow_links: bool = False
    #: the text repairs to make (:data:`claimex.ingest.repair.REPAIRS`); None: all of them
    repairs: tuple[str, ...] | None = None

    def to_dict(self) -> dict:
        return {"include": list(self.include), "exclude": list(self.exclude),
                "follow_links": self.follow_links,
                "repairs": None if self.repairs is None else list(self.repairs)}


class InputFile(NamedTuple):
    path: Path
    source: str
    format: str


def is_claimex_output(folder: str | os.PathLike) -> bool:
    """True when ``folder`` holds a ``manifest.json`` written by claimex."""
    path = os.path.join(os.fspath(folder), MANIFEST_NAME)
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return False
        with open(path, "rb") as fh:
            head = fh.read(4096)
    except OSError:
        return False
    # The manifest starts with these keys (claimex.store.manifest); no full parse needed.
    return b'"claimex_version"' in head and b'"schema_version"' in head


def claimex_output_names() -> frozenset[str]:
    """The names of the files claimex writes into an output folder."""
    from ..schema import TABLES

    names = {MANIFEST_NAME, "report.html", "report.md"}
    names.update(f"{table}.{ext}" for table in TABLES for ext in ("parquet", "csv", "jsonl"))
    return frozenset(names)


def iter_input_files(
    paths: Sequence[str | os.PathLike],
    errors: list[InputError] | None = None,
    options: IngestOptions | None = None,
    *,
    out_dir: str | os.PathLike | None = None,
) -> Iterator[InputFile]:
    """Yield an :class:`InputFile` for every input file to read.

    Folders are walked recursively (see the module docstring for the rules);
    the result is sorted by source name, root by root in sorted order, and
    does not depend on the order of ``paths`` or on directory listing order.
    Problems met while walking are appended to ``errors`` when given.
    ``out_dir`` (the run's output folder) is never walked.

    Raises ``ClaimexError`` (``E010``) at once when an input path does not
    exist.
    """
    options = options or IngestOptions()
    roots = _roots(paths)
    labels = _root_labels(roots)
    skip = {os.path.realpath(out_dir)} if out_dir is not None else set()
    found: list[InputFile] = []
    problems: dict[str, InputError] = {}
    for root in roots:
        walker = _Walker(root, labels[root] if len(roots) > 1 else "", options, skip)
        walked, root_problems = walker.run()
        found.extend(walked)
        for ident, problem in root_problems:
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
        if not os.path.lexists(path):
            missing.append(safe_name(str(path)))
        else:
            roots.add(os.path.abspath(path))
    if missing:
        raise ClaimexError(Errors.E010.format(path=", ".join(sorted(missing))))
    return [Path(root) for root in sorted(roots)]


def _root_labels(roots: list[Path]) -> dict[Path, str]:
    """The shortest trailing path of every root that tells it apart from the others."""
    parts = {root: [safe_name(p) for p in root.parts[1:]] or ["root"] for root in roots}
    labels: dict[Path, str] = {}
    for root in roots:
        mine = parts[root]
        for k in range(1, len(mine) + 1):
            label = "/".join(mine[-k:])
            if not any(other != root and "/".join(parts[other][-k:]) == label for other in roots):
                break
        labels[root] = label
    return labels


def _entry_id(path: Path | str) -> str:
    """Identity of a folder entry: real parent folder + own name (links unresolved)."""
    path = os.fspath(path)
    return os.path.join(os.path.realpath(os.path.dirname(path)), os.path.basename(path))


def _special_kind(mode: int) -> str | None:
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    return None


def _matches(patterns: tuple[str, ...], rel: str) -> bool:
    name = rel.rsplit("/", 1)[-1]
    return any(fnmatch.fnmatchcase(rel if "/" in pattern else name, pattern.strip("/"))
               for pattern in patterns)


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


class _Walker:
    """The files under one root and the problems met (see the module rules)."""

    def __init__(self, root: Path, label: str, options: IngestOptions, skip: set[str]) -> None:
        self.root = root
        self.label = label
        self.options = options
        self.skip = skip
        self.real_root = os.path.realpath(root)
        self.found: list[InputFile] = []
        self.errors: _Problems = []
        self.visited: set[str] = set()
        self.links: list[tuple[str, str, Path]] = []

    def name(self, rel: str) -> str:
        """The source name of an entry at ``rel`` under the root."""
        if not self.label:
            return rel
        return f"{self.label}/{rel}" if rel else self.label

    def problem(self, ident: str, rel: str, message: str) -> None:
        self.errors.append((ident, InputError(self.name(rel), "read", message)))

    def run(self) -> tuple[list[InputFile], _Problems]:
        root = self.root
        if root.is_dir():
            self._walk_tree(root, "")
            self._walk_links()
            self.found.sort(key=lambda item: (source_sort_key(item.source), str(item.path)))
            return self.found, self.errors
        name = self.label or safe_name(root.name)
        if safe_name(root.name) != root.name:
            return [], [(_entry_id(root), InputError(name, "read", Errors.E029.format(path=name)))]
        if root.name in self._output_names(os.path.realpath(root.parent)):
            log.info("skipped %s: an output of claimex", name)
            return [], []
        try:
            mode = os.stat(root).st_mode
        except OSError as exc:
            return [], [(_entry_id(root), InputError(name, "read",
                                                     Errors.E019.format(path=name, reason=os_reason(exc))))]
        kind = _special_kind(mode)
        if kind is not None or not stat.S_ISREG(mode):
            message = Errors.E111.format(path=name, kind=kind) if kind else Errors.E026.format(path=name)
            return [], [(_entry_id(root), InputError(name, "read", message))]
        fmt = format_of(root.name)
        if fmt is None and self.options.include and _matches(self.options.include, root.name):
            fmt = "txt"
        if fmt is None:
            suffix = safe_name(root.suffix) or "(no suffix)"
            problem = InputError(name, "read", Errors.E022.format(path=name, suffix=suffix))
            return [], [(_entry_id(root), problem)]
        return [InputFile(root, name, fmt)], []

    def _output_names(self, real: str) -> frozenset[str]:
        """The files of folder ``real`` that are claimex's outputs (none unless it is an output folder)."""
        if real in self.skip or is_claimex_output(real):
            return claimex_output_names()
        return frozenset()

    def _walk_tree(self, top: Path, top_rel: str) -> None:
        stack = [(top, top_rel)]
        while stack:
            folder, rel = stack.pop()
            real = os.path.realpath(folder)
            if real in self.visited:
                continue
            self.visited.add(real)
            try:
                with os.scandir(folder) as it:
                    entries = sorted(it, key=lambda e: e.name)
            except OSError as exc:
                shown = self.name(rel) or safe_name(self.root.name)
                problem = InputError(shown, "read", Errors.E027.format(path=shown, reason=os_reason(exc)))
                self.errors.append((real, problem))
                continue
            outputs = self._output_names(real)
            subfolders: list[tuple[Path, str]] = []
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                if entry.name in outputs:
                    log.info("skipped %s: an output of claimex", self.name(f"{rel}/{entry.name}" if rel else entry.name))
                    continue
                sub = self._entry(entry, real, rel)
                if sub is not None:
                    subfolders.append(sub)
            stack.extend(reversed(subfolders))

    def _entry(self, entry: os.DirEntry, real_parent: str, rel: str) -> tuple[Path, str] | None:
        """Handle one folder entry; return ``(path, rel)`` of a real subfolder to walk."""
        shown_name = safe_name(entry.name)
        child = f"{rel}/{shown_name}" if rel else shown_name
        ident = os.path.join(real_parent, entry.name)
        if self.options.exclude and _matches(self.options.exclude, child):
            return None
        if shown_name != entry.name:
            self.problem(ident, child, Errors.E029.format(path=self.name(child)))
            return None
        try:
            is_link = entry.is_symlink()
            if is_link:
                target = os.path.realpath(entry.path)
                mode = os.stat(entry.path).st_mode  # raises: broken link or loop
                if (not self.options.follow_links and not _inside(target, self.real_root)
                        and _special_kind(mode) is None):
                    if stat.S_ISDIR(mode) or self._wanted(entry.name, child) is not None:
                        self.problem(ident, child, Errors.E110.format(path=self.name(child)))
                    return None
            else:
                mode = entry.stat(follow_symlinks=False).st_mode
        except OSError as exc:
            if self._wanted(entry.name, child) is None and not entry.is_dir(follow_symlinks=False):
                return None
            if exc.errno == errno.ELOOP:
                message = Errors.E020.format(path=self.name(child))
            elif isinstance(exc, FileNotFoundError):
                message = Errors.E019.format(path=self.name(child), reason="broken symbolic link")
            else:
                message = Errors.E019.format(path=self.name(child), reason=os_reason(exc))
            self.problem(ident, child, message)
            return None
        if stat.S_ISDIR(mode):
            if is_link:
                self.links.append((child, ident, Path(entry.path)))
                return None
            return Path(entry.path), child
        if self.options.include and not _matches(self.options.include, child):
            return None
        kind = _special_kind(mode)
        if kind is not None:
            self.problem(ident, child, Errors.E111.format(path=self.name(child), kind=kind))
            return None
        if not stat.S_ISREG(mode):
            self.problem(ident, child, Errors.E026.format(path=self.name(child)))
            return None
        fmt = self._wanted(entry.name, child)
        if fmt is None:
            suffix = safe_name(os.path.splitext(entry.name)[1]) or "(no suffix)"
            self.problem(ident, child, Errors.E022.format(path=self.name(child), suffix=suffix))
            return None
        self.found.append(InputFile(Path(entry.path), self.name(child), fmt))
        return None

    def _wanted(self, file_name: str, rel: str) -> str | None:
        """The format a file is read in, or None (unsupported suffix, not included)."""
        fmt = format_of(file_name)
        if self.options.include:
            if not _matches(self.options.include, rel):
                return None
            return fmt or "txt"
        return fmt

    def _walk_links(self) -> None:
        links = self.links
        while links:
            links.sort(key=lambda item: source_sort_key(item[0]))
            rel, ident, link = links.pop(0)
            target = os.path.realpath(link)
            prefix = target if target.endswith(os.sep) else target + os.sep
            if target in self.visited or any(v.startswith(prefix) for v in self.visited):
                self.problem(_entry_id(link), rel, Errors.E020.format(path=self.name(rel)))
                continue
            self._walk_tree(link, rel)
