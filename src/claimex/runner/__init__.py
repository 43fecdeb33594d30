"""``claimex run`` as a plain function: ingest, NLP, tables, flags, manifest, report.

The CLI only validates arguments and hands off to :func:`run_corpus`.
"""

from __future__ import annotations

import errno
import os
from collections import Counter
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator, Mapping, Sequence

from .. import __version__, schema
from ..errors import ClaimexError, Errors

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX
    fcntl = None  # type: ignore[assignment]

LOCK_NAME = ".claimex.lock"

ProgressFn = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass
class RunResult:
    out_dir: Path
    n_documents: int = 0
    n_sentences: int = 0
    n_words: int = 0
    n_claims: int = 0
    entities_by_label: dict[str, int] = field(default_factory=dict)
    flags_by_kind: dict[str, int] = field(default_factory=dict)
    errors: list = field(default_factory=list)
    outputs: list[Path] = field(default_factory=list)
    n_reused: int = 0


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _lock_holder(fd: int) -> str:
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        pid = int(os.read(fd, 32).decode("ascii", "replace").strip() or "0")
    except (OSError, ValueError):
        pid = 0
    return str(pid) if pid else "unknown"


@contextmanager
def output_lock(out_dir: Path) -> Iterator[None]:
    """Refuse a second concurrent run on the same output folder.

    The lock is an advisory ``flock`` on ``<out>/.claimex.lock`` (which holds
    the pid of the run, for the message): the kernel releases it when the run
    ends in any way, SIGKILL included, so a lock left by a killed run never
    blocks the next one.  Without ``fcntl`` (Windows) the file is created
    exclusively, and a lock whose pid is gone is taken over.
    """
    if fcntl is None:  # pragma: no cover - not POSIX
        with _exclusive_file_lock(out_dir):
            yield
        return
    lock = out_dir / LOCK_NAME
    while True:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = _lock_holder(fd)
            os.close(fd)
            raise ClaimexError(Errors.E031.format(path=out_dir, pid=holder, lock=lock)) from None
        try:
            current = os.stat(lock)
        except FileNotFoundError:
            current = None
        if current is not None and os.path.samestat(os.fstat(fd), current):
            break
        os.close(fd)  # the file was removed by the run that just ended: lock the new one
    try:
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode("ascii"))
        yield
    finally:
        try:
            lock.unlink(missing_ok=True)  # while still holding the lock
        finally:
            os.close(fd)


@contextmanager
def _exclusive_file_lock(out_dir: Path) -> Iterator[None]:  # pragma: no cover - not POSIX
    lock = out_dir / LOCK_NAME
    for _ in range(2):
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
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


# Temporary files of an interrupted run (tables.TableWriter, write_json_atomic,
# report.write_text_atomic, the Dask engine's parts): removed by the next run.
_LEFTOVER_PATTERNS = (".manifest.json.*.tmp", ".report.html.*.tmp", ".report.md.*.tmp", ".parts-*")


def remove_leftovers(out_dir: Path) -> list[Path]:
    """Delete the temporary files a killed run left in ``out_dir``; return them sorted.

    Only names that claimex itself gives to temporary files are touched.  Call
    it while holding :func:`output_lock`.
    """
    import shutil

    from ..schema import TABLES

    patterns = [f".{name}.*.parquet.tmp" for name in TABLES] + list(_LEFTOVER_PATTERNS)
    found = sorted({p for pattern in patterns for p in Path(out_dir).glob(pattern)})
    for path in found:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
    return found


def prepare_output(out_dir: Path) -> Path:
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


def _document_row(raw, rows) -> dict:
    title = raw.title if raw.title is not None else rows.title
    return {
        "doc_id": raw.doc_id,
        "source": raw.source,
        "sources": list(raw.sources),
        "format": raw.format,
        "title": title,
        "url": raw.url,
        "n_chars": len(raw.text),
        "n_words": rows.n_words,
        "n_sentences": len(rows.sentences),
        "content_sha256": raw.content_sha256,
        "text": raw.text,
    }


def run_corpus(
    paths: Sequence[str | os.PathLike],
    out_dir: str | os.PathLike,
    *,
    model: str | None = None,
    n_process: int = 1,
    batch_size: int = 16,
    progress: ProgressFn | None = None,
    report: bool = True,
    engine: str = "local",
    scheduler: str | None = None,
    force: bool = False,
    piece_chars: int | None = None,
) -> RunResult:
    """Run the whole pipeline over ``paths`` into ``out_dir``.

    Incremental: unless ``force``, documents whose content (``doc_id``) was
    already processed by the same claimex version, base model, config hash
    and piece size reuse their stored rows; the cross-source flags are always
    recomputed over everything.  ``piece_chars`` (default:
    :func:`claimex.engine.local.piece_chars_setting`) is the size of the pieces long
    documents are processed in.

    Every output is replaced atomically; temporary files left by a killed
    earlier run are removed first.  Raises ``ClaimexError`` ``E090`` (with
    ``.errors``, the input errors) when no document could be processed.
    """
    from ..engine.local import piece_chars_setting
    from ..ingest import read_corpus
    from ..store.tables import use_lean_memory_pool

    use_lean_memory_pool()
    out = prepare_output(Path(out_dir))
    progress = progress or (lambda stage, done, total: None)
    if piece_chars is None:
        piece_chars = piece_chars_setting()
    raw_docs, input_errors = read_corpus(paths)
    if not raw_docs:
        if input_errors:
            raise _nothing_processed(input_errors)
        raise ClaimexError(Errors.E011.format(paths=", ".join(str(p) for p in paths)))
    with output_lock(out):
        remove_leftovers(out)
        return _run_locked(raw_docs, input_errors, out, model=model, n_process=n_process,
                           batch_size=batch_size, progress=progress, report=report,
                           engine=engine, scheduler=scheduler, force=force,
                           piece_chars=piece_chars)


def _nothing_processed(errors) -> ClaimexError:
    """``E090`` naming every input that failed (at most 20, then a count)."""
    names: dict[str, str] = {}
    for e in errors:
        names.setdefault(e.source, e.stage)
    shown = [f"{source} ({stage})" for source, stage in names.items()]
    if len(shown) > 20:
        shown = shown[:20] + [f"and {len(shown) - 20} more"]
    exc = ClaimexError(Errors.E090.format(n=len(names), failures=", ".join(shown)))
    exc.errors = list(errors)  # type: ignore[attr-defined]
    return exc


def _run_locked(raw_docs, input_errors, out: Path, *, model, n_process, batch_size, progress,
                report, engine, scheduler, force, piece_chars) -> RunResult:
    from ..nlp.pipeline import pipeline_info

    if engine not in ("local", "dask"):
        raise ClaimexError(Errors.E034.format(engine=engine))
    info = pipeline_info(model)
    result = RunResult(out_dir=out, errors=list(input_errors))
    with ExitStack() as stack:
        client = None
        if engine == "dask":
            from ..engine.distributed import dask_client

            client = stack.enter_context(dask_client(scheduler, n_workers=max(2, n_process)))
        _nlp_stage(model, info, raw_docs, result, out, n_process=n_process, batch_size=batch_size,
                   progress=progress, client=client, force=force, piece_chars=piece_chars)
        # The corpus-level stages below need neither the pipeline nor the rows:
        # hand their memory back before reading the tables (the peak of a large
        # corpus is set here, not by the NLP stage).
        release_memory()

        progress("flags", 0, 1)
        if client is not None:
            from ..engine.distributed import map_on

            result.flags_by_kind = run_flags(out, map_partitions=map_on(client))
        else:
            result.flags_by_kind = run_flags(out)
        progress("flags", 1, 1)
    release_memory()

    write_manifest(out, raw_docs, info, result, piece_chars=piece_chars)
    if report:
        progress("report", 0, 1)
        from ..report import build_report

        result.outputs.extend(build_report(out))
        progress("report", 1, 1)
    return result


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


def _nlp_stage(model, info, raw_docs, result: RunResult, out: Path, *, n_process, batch_size, progress,
               client, force, piece_chars) -> None:
    """Process the documents (or reuse their stored rows) and write the five per-document tables.

    The pipeline is loaded here, and only when some document needs it on this
    machine (not when every document is reused, nor for the Dask engine,
    whose workers load their own)."""
    from ..store import tables
    from ..engine.local import process_documents
    from ..nlp.pipeline import load_pipeline

    reused = {} if force else previous_rows(out, info, {d.doc_id for d in raw_docs},
                                            piece_chars=piece_chars)
    todo = [d for d in raw_docs if d.doc_id not in reused]
    if client is not None:  # the Dask engine
        from ..engine.distributed import process_documents_dask

        fresh = process_documents_dask(todo, out, client=client, model=info.model, batch_size=batch_size,
                                       piece_chars=piece_chars)
    else:
        nlp = load_pipeline(model)[0] if todo else None
        fresh = process_documents(nlp, todo, n_process=n_process, batch_size=batch_size,
                                  piece_chars=piece_chars)
        del nlp  # the generator holds it for as long as it runs
    result.n_reused = len(raw_docs) - len(todo)
    rows_iter = (reused[d.doc_id] if d.doc_id in reused else next(fresh) for d in raw_docs)
    from ..ingest import InputError

    writers = {name: tables.TableWriter(out, name)
               for name in ("documents", "sentences", "entities", "claims", "errors")}
    error_rows = [{"source": e.source, "stage": e.stage, "error": e.error} for e in result.errors]
    try:
        label_counts: Counter[str] = Counter()
        progress("nlp", 0, len(raw_docs))
        for done, (raw, rows) in enumerate(zip(raw_docs, rows_iter), start=1):
            if rows.error:
                stage = getattr(rows, "error_stage", "nlp")
                template = Errors.E092 if stage == "extract" else Errors.E033
                err = InputError(raw.source, stage, template.format(path=raw.source, reason=rows.error))
                result.errors.append(err)
                error_rows.append({"source": err.source, "stage": err.stage, "error": err.error})
                progress("nlp", done, len(raw_docs))
                continue
            writers["documents"].write([_document_row(raw, rows)])
            for name in ("sentences", "entities", "claims"):
                writers[name].write(getattr(rows, name))  # dicts, or an Arrow table of stored rows
            ents = rows.entities
            label_counts.update([e["label"] for e in ents] if isinstance(ents, list)
                                else tables.decoded(ents.column("label")).to_pylist())
            result.n_documents += 1
            result.n_sentences += len(rows.sentences)
            result.n_words += rows.n_words
            result.n_claims += len(rows.claims)
            progress("nlp", done, len(raw_docs))
        if not result.n_documents:
            raise _nothing_processed(result.errors)
        writers["errors"].write(error_rows)
        for writer in writers.values():
            result.outputs.append(writer.commit())
    except BaseException:
        for writer in writers.values():
            writer.abort()
        raise
    finally:
        fresh.close()  # stops worker processes / Dask futures and removes part files at once on error
    result.entities_by_label = dict(sorted(label_counts.items()))


def previous_rows(out: Path, info, wanted: set[str], *, piece_chars: int | None = None) -> Mapping:
    """Stored rows of documents an earlier run over ``out`` already processed,
    as a mapping ``doc_id -> DocRows`` (see :class:`StoredRows`).

    Used only when that run had the same claimex version, base model, config
    hash and piece size (read from its manifest) and its tables are the very
    files the manifest describes (same SHA-256): a run killed after replacing
    some tables but before writing its manifest leaves tables that do not
    match, and then nothing is reused.
    """
    import json

    import pyarrow.compute as pc

    from ..store import tables

    manifest = out / "manifest.json"
    try:
        m = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    from ..engine.local import piece_chars_setting

    if piece_chars is None:
        piece_chars = piece_chars_setting()
    if not isinstance(m, dict):
        return {}
    same = (m.get("claimex_version") == __version__ and m.get("config_hash") == info.config_hash
            and m.get("model") == {"name": info.model, "version": info.model_version}
            and m.get("piece_chars") == piece_chars)
    names = ("documents", "sentences", "entities", "claims")
    if not same or not all(tables.table_path(out, n).exists() for n in names):
        return {}
    digests = m.get("table_sha256")
    if not isinstance(digests, dict) or any(
            digests.get(n) != _file_sha256(tables.table_path(out, n)) for n in names):
        return {}
    try:
        loaded = {}
        for name in names:
            columns = ("doc_id", "n_words", "title") if name == "documents" else None
            t = tables.read_table(out, name, columns)
            loaded[name] = t.filter(pc.is_in(t.column("doc_id"), value_set=_str_array(sorted(wanted))))
    except Exception:  # an unreadable previous output is simply not reused
        return {}
    return StoredRows(loaded)


class StoredRows(Mapping):
    """``doc_id -> DocRows`` over the tables of an earlier run.

    The tables stay Arrow data (a few bytes a row), and so do the rows handed
    out: a document's ``sentences``, ``entities`` and ``claims`` are slices of
    them (zero-copy when the document's rows are stored together), which the
    table writers take as they are.  So an incremental run over a large
    corpus needs no more memory than a fresh one, and no time to turn rows
    into Python objects and back.
    """

    def __init__(self, loaded: dict) -> None:
        from ..store.tables import column_values

        docs = loaded["documents"]
        self._docs = {d: (n, t) for d, n, t in zip(column_values(docs.column("doc_id")),
                                                    docs.column("n_words").to_pylist(),
                                                    column_values(docs.column("title")))}
        self._tables = {name: loaded[name].combine_chunks() for name in ("sentences", "entities", "claims")}
        self._rows_of: dict[str, dict[str, list[int]]] = {}
        for name, table in self._tables.items():
            index: dict[str, list[int]] = {}
            for i, doc_id in enumerate(column_values(table.column("doc_id"))):
                index.setdefault(doc_id, []).append(i)
            self._rows_of[name] = index

    def __getitem__(self, doc_id: str):
        import pyarrow as pa

        from ..engine.local import DocRows

        n_words, title = self._docs[doc_id]
        rows = DocRows(doc_id, n_words=n_words, title=title)
        for name, table in self._tables.items():
            idx = self._rows_of[name].get(doc_id, [])
            if not idx or idx[-1] - idx[0] + 1 == len(idx):  # a document's rows are stored together
                setattr(rows, name, table.slice(idx[0] if idx else 0, len(idx)))
            else:
                setattr(rows, name, table.take(pa.array(idx, pa.int64())))
        return rows

    def __contains__(self, doc_id: object) -> bool:  # Mapping's would build the rows
        return doc_id in self._docs

    def __iter__(self) -> Iterator[str]:
        return iter(self._docs)

    def __len__(self) -> int:
        return len(self._docs)


def _str_array(values):
    import pyarrow as pa

    return pa.array(values, type=pa.string())


def run_flags(out: Path, *, map_partitions=None) -> dict[str, int]:
    """Corpus-level stage: read claims back and write flags + claim_groups.

    Locally the flag rows stream into their table as they are made; with
    ``map_partitions`` (the Dask engine's, :func:`claimex.engine.distributed.map_on`)
    the stage runs as a group-by by subject on the cluster
    (:func:`claimex.flags.flag_claims_by_subject`).  Either way the tables are
    the same.
    """
    import pyarrow as pa

    from ..store import tables
    from ..flags import flag_claims, flag_claims_by_subject

    def inputs() -> dict:
        return {name: tables.read_table(out, name, schema.FLAG_INPUTS[name])
                for name in ("claims", "documents", "sentences", "entities")}

    counts: Counter[str] = Counter()
    if map_partitions is not None:
        flags, groups = flag_claims_by_subject(**inputs(), map_partitions=map_partitions)
        counts.update(str(f) for f in flags.column("flag").to_pylist())
        tables.write_table(out, "flags", flags)
        tables.write_table(out, "claim_groups", groups)
        return dict(sorted(counts.items()))

    writer = tables.TableWriter(out, "flags")

    def sink(batch) -> None:
        counts.update(str(f) for f in batch.column("flag").to_pylist())
        writer.write_table(pa.Table.from_batches([batch]))

    try:
        _, groups = flag_claims(**inputs(), flags_sink=sink)
        writer.commit()
    except BaseException:
        writer.abort()
        raise
    tables.write_table(out, "claim_groups", groups)
    return dict(sorted(counts.items()))


def _file_sha256(path: Path) -> str | None:
    import hashlib

    h = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
    except OSError:
        return None
    return h.hexdigest()


def write_manifest(out: Path, raw_docs, info, result: RunResult, *,
                   piece_chars: int | None = None) -> Path:
    import pyarrow.parquet as pq

    from ..store import tables
    from ..engine.local import piece_chars_setting
    from ..schema import SCHEMA_VERSION, TABLES

    rows = {}
    digests = {}
    for name in TABLES:
        path = tables.table_path(out, name)
        if path.exists():
            rows[name] = pq.ParquetFile(path).metadata.num_rows
            digests[name] = _file_sha256(path)
    manifest = {
        "claimex_version": __version__,
        "schema_version": SCHEMA_VERSION,
        "model": {"name": info.model, "version": info.model_version},
        "spacy_version": info.spacy_version,
        "config_hash": info.config_hash,
        "inputs": [
            {"doc_id": d.doc_id, "sources": list(d.sources), "sha256": d.content_sha256}
            for d in raw_docs
        ],
        "errors": [{"source": e.source, "stage": e.stage, "error": e.error} for e in result.errors],
        "row_counts": rows,
        "table_sha256": digests,
        "piece_chars": piece_chars if piece_chars is not None else piece_chars_setting(),
    }
    path = out / "manifest.json"
    tables.write_json_atomic(path, manifest)
    return path
