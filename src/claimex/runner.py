"""``claimex run`` as a plain function: ingest, NLP, tables, flags, manifest, report.

The CLI only validates arguments and hands off to :func:`run_corpus`.
"""

from __future__ import annotations

import errno
import os
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator, Sequence

from . import __version__
from .errors import ClaimexError, Errors

# spaCy's default max_length is 1,000,000 characters; pieces stay well below it
# so that very long articles are parsed in bounded memory.
PIECE_CHARS = 100_000
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


def split_pieces(text: str, limit: int = PIECE_CHARS) -> list[tuple[int, str]]:
    """Split ``text`` into ``(offset, piece)`` pairs of at most ``limit`` characters.

    Cuts fall on a line break when there is one in the second half of the
    window, else on a space, else anywhere; the pieces concatenate back to
    ``text`` exactly, so offsets stay right.
    """
    if len(text) <= limit:
        return [(0, text)]
    pieces: list[tuple[int, str]] = []
    start = 0
    n = len(text)
    while start < n:
        end = min(start + limit, n)
        if end < n:
            half = start + limit // 2
            cut = text.rfind("\n", half, end)
            if cut == -1:
                cut = text.rfind(" ", half, end)
            if cut != -1:
                end = cut + 1
        pieces.append((start, text[start:end]))
        start = end
    return pieces


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextmanager
def output_lock(out_dir: Path) -> Iterator[None]:
    """Refuse a second concurrent run on the same output folder."""
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


def _document_row(raw, acc) -> dict:
    title = raw.title
    if title is None:
        for block in acc.blocks or []:
            if block[2] == "title":
                title = raw.text[block[0]:block[1]]
                break
    return {
        "doc_id": raw.doc_id,
        "source": raw.source,
        "sources": list(raw.sources),
        "format": raw.format,
        "title": title,
        "url": raw.url,
        "n_chars": len(raw.text),
        "n_words": acc.n_words,
        "n_sentences": len(acc.sentences),
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
) -> RunResult:
    from .ingest import read_corpus

    out = prepare_output(Path(out_dir))
    progress = progress or (lambda stage, done, total: None)
    raw_docs, input_errors = read_corpus(paths)
    if not raw_docs:
        if input_errors:
            raise ClaimexError(Errors.E012.format(n=len(input_errors)))
        raise ClaimexError(Errors.E011.format(paths=", ".join(str(p) for p in paths)))
    with output_lock(out):
        return _run_locked(raw_docs, input_errors, out, model=model, n_process=n_process,
                           batch_size=batch_size, progress=progress, report=report)


def _run_locked(raw_docs, input_errors, out: Path, *, model, n_process, batch_size, progress,
                report) -> RunResult:
    from . import tables
    from .extract import DocAccumulator
    from .pipeline import load_pipeline
    from .segment import segment_text

    nlp, info = load_pipeline(model)
    result = RunResult(out_dir=out, errors=list(input_errors))
    writers = {name: tables.TableWriter(out, name)
               for name in ("documents", "sentences", "entities", "claims", "errors")}
    try:
        pieces: list[tuple[str, tuple[int, int, int]]] = []
        accs: list[DocAccumulator] = []
        for i, raw in enumerate(raw_docs):
            split = split_pieces(raw.text)
            blocks = None
            if len(split) > 1:
                blocks = [list(b) for b in segment_text(raw.text)]
            accs.append(DocAccumulator(raw.doc_id, blocks=blocks))
            for j, (offset, piece) in enumerate(split):
                pieces.append((piece, (i, offset, len(split) - 1 - j)))
        label_counts: Counter[str] = Counter()
        progress("nlp", 0, len(raw_docs))
        done = 0
        for doc, (i, offset, remaining) in nlp.pipe(pieces, as_tuples=True, n_process=n_process,
                                                     batch_size=batch_size):
            acc = accs[i]
            acc.add_piece(doc, offset)
            if remaining:
                continue
            raw = raw_docs[i]
            if acc.blocks is None:
                acc.blocks = [list(b) for b in (doc._.claimex_blocks or [])]
            writers["documents"].write([_document_row(raw, acc)])
            writers["sentences"].write(acc.sentences)
            writers["entities"].write(acc.entities)
            writers["claims"].write(acc.claims)
            label_counts.update(e["label"] for e in acc.entities)
            result.n_documents += 1
            result.n_sentences += len(acc.sentences)
            result.n_words += acc.n_words
            result.n_claims += len(acc.claims)
            accs[i] = None  # type: ignore[call-overload]  # free the rows
            done += 1
            progress("nlp", done, len(raw_docs))
        writers["errors"].write([{"source": e.source, "stage": e.stage, "error": e.error}
                                 for e in input_errors])
        for writer in writers.values():
            result.outputs.append(writer.commit())
    except BaseException:
        for writer in writers.values():
            writer.abort()
        raise
    result.entities_by_label = dict(sorted(label_counts.items()))

    progress("flags", 0, 1)
    flags_by_kind = run_flags(out)
    result.flags_by_kind = flags_by_kind
    progress("flags", 1, 1)

    write_manifest(out, raw_docs, info, result)
    if report:
        progress("report", 0, 1)
        from .report import build_report

        result.outputs.extend(build_report(out))
        progress("report", 1, 1)
    return result


def run_flags(out: Path) -> dict[str, int]:
    """Corpus-level stage: read claims back and write flags + claim_groups."""
    from . import tables
    from .flags import flag_claims

    claims = tables.read_table(out, "claims")
    documents = tables.read_table(out, "documents")
    sentences = tables.read_table(out, "sentences")
    entities = tables.read_table(out, "entities")
    flags, groups = flag_claims(claims, documents, sentences, entities=entities)
    tables.write_table(out, "flags", flags)
    tables.write_table(out, "claim_groups", groups)
    counts = Counter(str(f) for f in flags.column("flag").to_pylist())
    return dict(sorted(counts.items()))


def write_manifest(out: Path, raw_docs, info, result: RunResult) -> Path:
    import pyarrow.parquet as pq

    from . import tables
    from .schema import SCHEMA_VERSION, TABLES

    rows = {}
    for name in TABLES:
        path = tables.table_path(out, name)
        if path.exists():
            rows[name] = pq.ParquetFile(path).metadata.num_rows
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
    }
    path = out / "manifest.json"
    tables.write_json_atomic(path, manifest)
    return path
