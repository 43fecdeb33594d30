"""``claimex run`` as a plain function: ingest, NLP, tables, flags, manifest, report.

:func:`run_corpus` claims the output folder (:mod:`claimex.store.lock`),
removes a killed run's temporary files, reuses the stored rows of unchanged
documents (:mod:`.incremental`), runs the engine over the rest and streams
every document's rows into the tables, runs the corpus-level flags stage
(:func:`run_flags`), writes the manifest (:mod:`claimex.store.manifest`) and
builds the report.  Everything is written into a staging folder and swapped
in as one set at the end (:mod:`claimex.store.staging`): a run that fails
leaves the previous outputs as they were.  The reviewer's ``verdicts.parquet``
is no run output: the run lines it up with its new flags (``RunResult.review``:
kept, new since the last review, vanished) and the report shows it, but
never rewrites it.  The CLI only validates arguments and hands off to it.
"""

from __future__ import annotations

import inspect
import os
from collections import Counter
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, NamedTuple, Sequence

from .. import schema
from ..errors import ClaimexError, Errors
from ..store.lock import LOCK_NAME, check_output_folder, output_lock, prepare_output
from ..store.manifest import record_outputs, write_manifest
from ..store.staging import publish, recover, staging
from .incremental import StoredRows, previous_rows
from .tuning import process_tuning, release_memory, use_lean_memory_pool

__all__ = ["LOCK_NAME", "ManifestInput", "ManifestInputs", "ProgressFn", "RunResult", "StoredRows",
           "check_output_folder", "output_lock", "prepare_output", "previous_rows", "release_memory", "run_corpus",
           "run_flags", "use_lean_memory_pool", "write_manifest"]

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
    outputs: list[Path] = field(default_factory=list)  # every output, manifest.json last
    n_reused: int = 0
    n_merged: int = 0  # input names merged into another document of the same text
    elapsed_s: float = 0.0
    review: Any = None  # claimex.review.ReviewState: the earlier verdicts against this run's flags


class ManifestInput(NamedTuple):
    """What the manifest records of an input document (:func:`claimex.store.manifest.build_manifest`)."""

    doc_id: str
    sources: tuple[str, ...]
    content_sha256: str


class ManifestInputs:
    """The :class:`ManifestInput` of every input document, in input order, kept as Arrow
    record batches instead of a tuple and three strings per document (about 0.35 KB a short
    document, and those strings, made by ingest between the texts, kept the memory the texts
    had taken from going back).  Iterating gives the :class:`ManifestInput` s again."""

    BATCH_ROWS = 8192

    def __init__(self) -> None:
        self._batches: list = []  # pyarrow.RecordBatch (pyarrow is imported where used)
        self._pending: list[tuple] = []

    def append(self, doc) -> None:
        """Record ``doc`` (a :class:`ManifestInput` or a :class:`claimex.ingest.RawDocument`)."""
        self._pending.append((doc.doc_id, list(doc.sources), doc.content_sha256))
        if len(self._pending) >= self.BATCH_ROWS:
            self._flush()

    def _flush(self) -> None:
        import pyarrow as pa

        if self._pending:
            ids, sources, digests = zip(*self._pending)
            self._batches.append(pa.record_batch(
                [pa.array(ids, pa.string()), pa.array(sources, pa.list_(pa.string())), pa.array(digests, pa.string())],
                names=list(ManifestInput._fields)))
            self._pending = []

    def __len__(self) -> int:
        return sum(b.num_rows for b in self._batches) + len(self._pending)

    def __iter__(self):
        for batch in self._batches:
            for doc_id, sources, digest in zip(*(column.to_pylist() for column in batch.columns)):
                yield ManifestInput(doc_id, tuple(sources), digest)
        for doc_id, sources, digest in self._pending:
            yield ManifestInput(doc_id, tuple(sources), digest)


def _document_row(raw, rows) -> dict:
    title = raw.title if raw.title is not None else rows.title
    row = {
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
    row.update(raw.provenance())  # input_path, input_line, site, text_repairs (claimex.ingest)
    return row


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
    tune_process: bool = False,
    force_out: bool = False,
    ingest=None,
    settings=None,
) -> RunResult:
    """Run the whole pipeline over ``paths`` into ``out_dir``.

    Incremental: unless ``force``, documents whose content (``doc_id``) was
    already processed by the same claimex version, base model, config hash
    and piece size reuse their stored rows; the cross-source flags are always
    recomputed over everything.  ``piece_chars`` (default:
    :func:`claimex.engine.local.piece_chars_setting`) is the size of the pieces long
    documents are processed in.

    ``tune_process`` (off by default, on in ``claimex run``) lets the run tune
    this process's memory for a large corpus (:mod:`claimex.runner.tuning`:
    Arrow's lean pool while it runs, garbage collection and heap trimming
    between stages); the outputs are the same either way.

    The outputs are replaced as one set (:mod:`claimex.store.staging`): a
    run that fails, runs out of disk space (``E036``) or is killed leaves the
    previous set untouched; the staging folder of a killed run is removed (or
    its swap finished) by the next run.  Only files the previous run's
    manifest names are replaced or deleted.  A non-empty ``out_dir`` that is
    not a claimex output is refused (``E035``) unless ``force_out``.

    ``ingest`` (:class:`claimex.ingest.IngestOptions`) chooses the input files;
    the output folder is never read as input.  ``settings``
    (:class:`claimex.settings.Settings`) are recorded in the manifest and give
    the flags stage its settings.  Raises
    ``ClaimexError`` ``E090`` (with ``.errors``, the input errors) when no
    document could be processed.
    """
    import time

    from ..engine.local import piece_chars_setting
    from ..ingest import read_corpus

    started = time.perf_counter()
    with process_tuning(tune_process) as release:
        check_output_folder(Path(out_dir), force_out=force_out)
        out = prepare_output(Path(out_dir))
        progress = progress or (lambda stage, done, total: None)
        if piece_chars is None:
            piece_chars = piece_chars_setting()
        raw_docs, input_errors = read_corpus(paths, ingest, out_dir=out, progress=progress)
        if not raw_docs:
            if input_errors:
                raise _nothing_processed(input_errors)
            raise ClaimexError(Errors.E011.format(paths=", ".join(str(p) for p in paths)))
        with output_lock(out):
            recover(out)
            with staging(out) as stage:
                result = _run_locked(raw_docs, input_errors, out, stage, model=model,
                                     n_process=n_process, batch_size=batch_size, progress=progress,
                                     report=report, engine=engine, scheduler=scheduler, force=force,
                                     piece_chars=piece_chars, release=release, settings=settings)
                result.outputs = publish(out, stage)
            result.elapsed_s = time.perf_counter() - started
            return result


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


def _run_locked(raw_docs, input_errors, out: Path, stage: Path, *, model, n_process, batch_size,
                progress, report, engine, scheduler, force, piece_chars, release, settings=None) -> RunResult:
    """The run, holding the output lock: earlier rows are read from ``out``, every output
    is written into ``stage``; ``release`` hands memory back between stages."""
    from ..nlp.pipeline import pipeline_info

    if engine not in ("local", "dask"):
        raise ClaimexError(Errors.E034.format(engine=engine))
    lexicon_dir = getattr(settings, "lexicon_dir", None)
    if lexicon_dir is not None and engine == "dask":
        raise ClaimexError(Errors.E113.format(path=lexicon_dir))
    info = pipeline_info(model, lexicon_dir=lexicon_dir)
    result = RunResult(out_dir=out, errors=list(input_errors),
                       n_merged=sum(len(d.sources) - 1 for d in raw_docs))
    flag_options = {}
    if settings is not None and "settings" in inspect.signature(run_flags).parameters:
        flag_options["settings"] = settings.flag_settings()
    with ExitStack() as stack:
        client = None
        if engine == "dask":
            from ..engine.distributed import dask_client

            client = stack.enter_context(dask_client(scheduler, n_workers=max(2, n_process)))
        # The documents' texts and metadata go into the tables; the manifest needs only
        # their ids, names and digests (``inputs``).  The list is the caller's (run_corpus
        # holds it): the NLP stage lets go of each document once its rows are written, so
        # that the texts (about 1 KB a short document) are not kept to the corpus-level stage.
        inputs = _nlp_stage(model, info, raw_docs, result, out, stage, n_process=n_process,
                            batch_size=batch_size, progress=progress, client=client, force=force,
                            piece_chars=piece_chars, lexicon_dir=lexicon_dir)
        raw_docs.clear()
        # The corpus-level stages below need neither the pipeline nor the rows:
        # hand their memory back before reading the tables (the peak of a large
        # corpus is set here, not by the NLP stage).
        release()

        progress("flags", 0, 1)
        if client is not None:
            from ..engine.distributed import map_on

            result.flags_by_kind = run_flags(stage, map_partitions=map_on(client), **flag_options)
        else:
            result.flags_by_kind = run_flags(stage, **flag_options)
        progress("flags", 1, 1)
    release()

    result.review = _review(out, stage)
    write_manifest(stage, inputs, info, result.errors, piece_chars=piece_chars, settings=settings)
    if report:
        progress("report", 0, 1)
        from ..report import build_report

        _link_review_tables(out, stage)  # the report shows the reviewer's verdicts
        record_outputs(stage, build_report(stage))
        progress("report", 1, 1)
    return result


def _review(out: Path, stage: Path):
    """The reviewer's verdicts of ``out`` against the new flags in ``stage``: kept (same flag id),
    flags new since the last review, verdicts whose flag is gone (:mod:`claimex.review`)."""
    from ..review import match, read_verdicts
    from ..store import tables

    stored = read_verdicts(out)
    if stored is None:
        return match([], None)
    return match(tables.read_table(stage, "flags", ["flag_id"]).column("flag_id").to_pylist(), stored)


def _link_review_tables(out: Path, stage: Path) -> None:
    """Make the reviewer's tables of ``out`` (not run outputs: never swapped) visible in ``stage``."""
    import shutil

    for name in schema.REVIEW_TABLES:
        src = out / f"{name}.parquet"
        if src.is_file():
            try:
                os.link(src, stage / src.name)
            except OSError:
                shutil.copy2(src, stage / src.name)


def _nlp_stage(model, info, raw_docs, result: RunResult, out: Path, stage: Path, *, n_process,
               batch_size, progress, client, force, piece_chars, lexicon_dir=None) -> ManifestInputs:
    """Process the documents (or reuse their stored rows of ``out``) and write the five
    per-document tables into ``stage``; return what the manifest records of them.

    A document is let go (its entry of ``raw_docs`` set to ``None``) once its rows
    are written.

    The pipeline is loaded here, and only when some document needs it on this
    machine (not when every document is reused, nor for the Dask engine,
    whose workers load their own)."""
    from ..engine.local import process_documents
    from ..ingest import InputError
    from ..nlp.pipeline import load_pipeline
    from ..store import tables

    reused = {} if force else previous_rows(out, info, {d.doc_id for d in raw_docs},
                                            piece_chars=piece_chars)
    todo = [d for d in raw_docs if d.doc_id not in reused]
    if client is not None:  # the Dask engine
        from ..engine.distributed import process_documents_dask

        fresh = process_documents_dask(todo, stage, client=client, model=info.model, batch_size=batch_size,
                                       piece_chars=piece_chars)
    else:
        nlp = None
        if todo:
            progress("model", 0, 1)
            nlp = load_pipeline(model, lexicon_dir=lexicon_dir)[0]
            progress("model", 1, 1)
        fresh = process_documents(nlp, todo, n_process=n_process, batch_size=batch_size,
                                  piece_chars=piece_chars)
        del nlp  # the generator holds it for as long as it runs
    result.n_reused = len(raw_docs) - len(todo)
    rows_iter = (reused[d.doc_id] if d.doc_id in reused else next(fresh) for d in raw_docs)
    writers = {name: tables.TableWriter(stage, name)
               for name in ("documents", "sentences", "entities", "claims", "errors")}
    error_rows = [tables.error_row(e) for e in result.errors]
    inputs = ManifestInputs()
    n_fresh = 0  # documents of ``todo`` done
    try:
        label_counts: Counter[str] = Counter()
        progress("nlp", 0, len(raw_docs))
        for done, (raw, rows) in enumerate(zip(raw_docs, rows_iter), start=1):
            # the engine has taken the document (it lets go of its own copy once done): so do
            # these lists, now that the document is read for the last time
            inputs.append(raw)
            raw_docs[done - 1] = None
            if raw.doc_id not in reused:
                todo[n_fresh] = None
                n_fresh += 1
            if rows.error:
                stage = getattr(rows, "error_stage", "nlp")
                template = Errors.E092 if stage == "extract" else Errors.E033
                err = InputError(raw.source, stage, template.format(path=raw.source, reason=rows.error))
                result.errors.append(err)
                error_rows.append(tables.error_row(err))
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
            writer.commit()
    except BaseException:
        for writer in writers.values():
            writer.abort()
        raise
    finally:
        fresh.close()  # stops worker processes / Dask futures and removes part files at once on error
    result.entities_by_label = dict(sorted(label_counts.items()))
    return inputs


def run_flags(out: Path, *, map_partitions=None) -> dict[str, int]:
    """Corpus-level stage: read claims back and write flags + claim_groups (and the sources table).

    Locally the flag rows stream into their table as they are made; with
    ``map_partitions`` (the Dask engine's, :func:`claimex.engine.distributed.map_on`)
    the stage runs as a group-by by subject on the cluster
    (:func:`claimex.flags.flag_claims_by_subject`).  Either way the tables are
    the same.
    """
    import pyarrow as pa

    from ..flags import flag_claims, flag_claims_by_subject, source_units, sources_table
    from ..store import tables

    def read(name: str):
        return tables.read_table(out, name, schema.FLAG_INPUTS[name])

    # who counts as one source (pages of one site, near-duplicates): computed once, written out
    documents = read("documents")
    units = source_units(documents, read("sentences"))
    # the texts (and sites, URLs, digests) were for the source units: the rest of the stage
    # reads a document's id and name only
    documents = documents.select(["doc_id", "source"])
    tables.write_table(out, "sources", sources_table(documents, units))

    def inputs() -> dict:  # with the source units given, the rules read no sentences
        # the flags stage holds the only reference to the tables and the source units, and
        # lets them go as soon as it has read them (claimex.flags.stage.flag_claims)
        nonlocal documents, units
        given = {"claims": read("claims"), "documents": documents, "sentences": None,
                 "entities": read("entities"), "sources": units}
        documents = units = None
        return given

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
