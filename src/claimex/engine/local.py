"""Engines turn documents into rows.  The local engine is spaCy's ``nlp.pipe``.

Both engines (local here, Dask in :mod:`claimex.engine.distributed`) go through
:func:`process_documents`, so their rows are identical by construction.

With ``n_process > 1`` the local engine forks that many worker processes
from the process that loaded the pipeline (so no worker loads it again);
each runs ``nlp.pipe`` and the extractors over tasks of a few documents and
sends back their rows (:class:`DocRows`, plain Python data).  ``Doc`` objects
never cross a process boundary: with ``nlp.pipe(n_process=N)`` every Doc is
serialised in a worker and rebuilt in the main process only to be turned into
rows there, which cost a 2-process run 1.6 s of its 13.9 s on 200 articles
(``benchmarks/bench_pipeline.py``).  Where ``fork`` is not available, spaCy's
``nlp.pipe(n_process=N)`` is used.
"""

from __future__ import annotations

import gc
import itertools
import multiprocessing
import os
import re
import warnings
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator

from ..errors import ClaimexError, ClaimexWarning, Errors, Warnings
from ..nlp.extract import DocAccumulator

# spaCy's default max_length is 1,000,000 characters; pieces stay well below it
# so that very long articles are parsed in bounded memory.
PIECE_CHARS = 100_000
# The piece size can be lowered (tests, small machines) with this variable.
PIECE_CHARS_ENV = "CLAIMEX_PIECE_CHARS"
PIECE_CHARS_RANGE = (1_000, 900_000)
# No sentence the pipeline sees is longer than this: a run of text without
# sentence-final punctuation or a line break (a keyword dump, a table flattened
# to one line) is cut into pieces of at most this many characters, because the
# cue and claim components take time quadratic in the length of a sentence.
MAX_RUN_CHARS = 5_000
# An nlp.pipe batch holds at most ``batch_size`` pieces and, unless a single
# piece is longer, at most this many characters: tok2vec's and the parser's
# working memory grows with the tokens of a batch (a 2.9 MB article in 100,000-
# character pieces peaked at 4.1 GB with 16 pieces per batch, 0.9 GB with 2).
BATCH_CHARS = 200_000
# A task sent to a worker process holds at most ``batch_size`` documents and
# at most this many characters (one longer document is a task of its own), so
# that the work is spread evenly and the last tasks are short.
TASK_CHARS = 20_000
_SENTENCE_END = re.compile(r"[.!?\n\u2026\u3002\uff01\uff1f]")
ERROR_KEY = "claimex_error"


@dataclass
class DocRows:
    """Everything the NLP stage produces for one document (picklable).

    The row lists are Python dicts as the extractors make them; an
    incremental run's reused documents carry Arrow tables of their stored
    rows instead (:class:`claimex.runner.incremental.StoredRows`)."""

    doc_id: str
    n_words: int = 0
    blocks: list = field(default_factory=list)
    sentences: list[dict[str, Any]] | Any = field(default_factory=list)
    entities: list[dict[str, Any]] | Any = field(default_factory=list)
    claims: list[dict[str, Any]] | Any = field(default_factory=list)
    error: str | None = None
    title: str | None = None  # a title line found by the segmenter
    error_stage: str = "nlp"  # "nlp" (a pipeline component) or "extract" (the extractors)


def piece_chars_setting() -> int:
    """The piece size: ``CLAIMEX_PIECE_CHARS`` when set, else :data:`PIECE_CHARS`."""
    value = os.environ.get(PIECE_CHARS_ENV, "").strip()
    if not value:
        return PIECE_CHARS
    low, high = PIECE_CHARS_RANGE
    try:
        number = int(value.replace("_", ""))
    except ValueError:
        number = 0
    if not low <= number <= high:
        raise ClaimexError(Errors.E091.format(name=PIECE_CHARS_ENV, value=value, low=low, high=high))
    return number


def _long_run(text: str, start: int, end: int, max_run: int) -> tuple[int, int] | None:
    """The first run of more than ``max_run`` characters in ``text[start:end]``
    without sentence-final punctuation or a line break, as ``(run_start, run_end)``."""
    last = start
    for match in _SENTENCE_END.finditer(text, start, end):
        if match.start() - last > max_run:
            return last, match.start()
        last = match.end()
    if end - last > max_run:
        return last, end
    return None


def split_pieces(text: str, limit: int = PIECE_CHARS, *,
                 max_run: int = MAX_RUN_CHARS) -> list[tuple[int, str]]:
    """Split ``text`` into ``(offset, piece)`` pairs of at most ``limit`` characters.

    Cuts fall on a line break when there is one in the second half of the
    window, else on a space, else anywhere; the pieces concatenate back to
    ``text`` exactly, so offsets stay right.  A run of more than ``max_run``
    characters without sentence-final punctuation or a line break starts a
    piece of its own and is cut (on a space in the second half of the window,
    else anywhere) into pieces of at most ``max_run`` characters.
    """
    n = len(text)
    if n <= limit and _long_run(text, 0, n, max_run) is None:
        return [(0, text)]
    pieces: list[tuple[int, str]] = []
    start = 0
    while start < n:
        end = min(start + limit, n)
        run = _long_run(text, start, end, max_run)
        if run is not None and run[0] > start:
            end = run[0]  # the text before the run is a piece of its own
        elif run is not None:
            end = _cut(text, start, start + max_run) if start + max_run < n else n
        elif end < n:
            end = _cut(text, start, end, newline=True)
        pieces.append((start, text[start:end]))
        start = end
    return pieces


def _cut(text: str, start: int, end: int, *, newline: bool = False) -> int:
    """Where to end a piece that may not reach past ``end``."""
    half = start + (end - start) // 2
    cut = text.rfind("\n", half, end) if newline else -1
    if cut == -1:
        cut = text.rfind(" ", half, end)
    return cut + 1 if cut != -1 else end


def _record_error(proc_name, proc, docs, exc) -> None:
    """spaCy error handler: keep going, remember which doc failed in which component."""
    for doc in docs:
        doc.user_data.setdefault(ERROR_KEY, f"{proc_name}: {type(exc).__name__}: {exc}")


def _install_error_handler(nlp) -> None:
    # Language.set_error_handler() fails on the Cython parser in spaCy 3.8, so
    # set it component by component where the component supports it, and as
    # the default for the claimex (plain Python) components.
    nlp.default_error_handler = _record_error
    for _, proc in nlp.pipeline:
        try:
            proc.set_error_handler(_record_error)
        except AttributeError:
            pass


def _reason(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


def _retry(nlp, text: str):
    """Run one piece on its own, after ``nlp.pipe`` dropped it; return the Doc or the error.

    Under an error handler ``nlp.pipe`` does not yield a Doc whose component
    failed, and a failing batched component (tagger, parser) drops its whole
    batch.  So a dropped piece is processed again alone, component by
    component (as ``nlp(text)`` does): either it now succeeds (it was dropped
    with a failing neighbour), or the first component that fails is named.
    """
    name = "tokenizer"
    try:
        doc = nlp.make_doc(text)
        for name, proc in nlp.pipeline:
            result = proc(doc)
            if doc.user_data.get(ERROR_KEY):  # recorded by _record_error
                return doc.user_data[ERROR_KEY]
            if result is None:
                return f"{name}: returned no Doc"
            doc = result
    except Exception as exc:  # noqa: BLE001 - a failing document must not stop the run
        return f"{name}: {_reason(exc)}"
    return doc


def process_documents(nlp, raw_docs: Iterable, *, n_process: int = 1, batch_size: int = 16,
                      piece_chars: int | None = None) -> Iterator[DocRows]:
    """Yield one :class:`DocRows` per document, in input order.

    ``piece_chars`` defaults to :func:`piece_chars_setting`.  A document whose
    processing fails (a component or the extractors raise) yields a
    :class:`DocRows` with ``error`` set; the other documents are not affected.
    """
    from ..nlp.segment import segment_text

    if piece_chars is None:
        piece_chars = piece_chars_setting()
    if n_process > 1 and "fork" in multiprocessing.get_all_start_methods():
        yield from _process_in_workers(nlp, raw_docs, n_process=n_process, batch_size=batch_size,
                                       piece_chars=piece_chars)
        return
    raw_docs = list(raw_docs)
    # a document's accumulator is made when its first piece comes back (None until then, and
    # once its rows are yielded): 100,000 short documents do not hold 100,000 at once; a
    # document and its pieces are let go here once done with (the caller may let go of its own)
    accs: list[DocAccumulator | None] = []
    errors: list[tuple[str, str] | None] = []  # (stage, reason)
    left: list[int] = []  # pieces not yet handled, per document
    pieces: list[tuple[str, tuple[int, int, int]]] = []
    for i, raw in enumerate(raw_docs):
        split = split_pieces(raw.text, piece_chars)
        blocks = None
        errors.append(None)
        if len(split) > 1:
            warnings.warn(Warnings.W001.format(source=raw.source, n=len(raw.text), k=len(split)),
                          ClaimexWarning, stacklevel=2)
            try:
                blocks = [list(b) for b in segment_text(raw.text)]
            except Exception as exc:  # noqa: BLE001 - costs this document only
                errors[i] = ("extract", f"segment_text: {_reason(exc)}")
                split = []
        accs.append(None if blocks is None else DocAccumulator(raw.doc_id, blocks=blocks))
        left.append(len(split))
        for j, (offset, piece) in enumerate(split):
            pieces.append((piece, (i, offset, j)))
    if pieces:
        _install_error_handler(nlp)
    next_doc = 0

    def finished() -> Iterator[DocRows]:
        nonlocal next_doc
        while next_doc < len(raw_docs) and left[next_doc] == 0:
            i = next_doc
            next_doc += 1
            raw, raw_docs[i] = raw_docs[i], None
            acc = accs[i] or DocAccumulator(raw.doc_id)
            accs[i] = None  # free the rows once yielded
            if errors[i]:
                stage, reason = errors[i]
                rows = DocRows(raw.doc_id, error=reason, error_stage=stage)
            else:
                rows = DocRows(acc.doc_id, n_words=acc.n_words, blocks=acc.blocks or [],
                               sentences=acc.sentences, entities=acc.entities, claims=acc.claims,
                               title=_title(raw.text, acc.blocks or []))
            raw = acc = None
            yield rows

    def handle(k: int, doc) -> None:
        text, (i, offset, _j) = pieces[k]
        pieces[k] = None  # its text is let go with the Doc
        left[i] -= 1
        if errors[i]:
            return
        if doc is None:
            doc = _retry(nlp, text)
        if isinstance(doc, str):
            errors[i] = ("nlp", doc)
            return
        err = doc.user_data.get(ERROR_KEY)
        if err:
            errors[i] = ("nlp", err)
            return
        acc = accs[i]
        if acc is None:
            acc = accs[i] = DocAccumulator(raw_docs[i].doc_id)
        try:
            acc.add_piece(doc, offset)
            if acc.blocks is None:
                acc.blocks = [list(b) for b in (doc._.claimex_blocks or [])]
        except Exception as exc:  # noqa: BLE001 - costs this document only
            errors[i] = ("extract", _reason(exc))

    yield from finished()  # documents that failed before the NLP stage
    k = 0
    if n_process > 1:  # spaCy's own multi-process pipe (no fork here): one batch size for all
        longest = max((len(text) for text, _ in pieces), default=1)
        stream = nlp.pipe(pieces, as_tuples=True, n_process=n_process,
                          batch_size=max(1, min(batch_size, BATCH_CHARS // max(longest, 1))))
    else:  # batches of at most batch_size pieces and BATCH_CHARS characters, each cut as it comes
        stream = (out for batch in groups(pieces, max_items=batch_size, max_chars=BATCH_CHARS,
                                          size=lambda piece: len(piece[0]))
                  for out in nlp.pipe(batch, as_tuples=True, batch_size=len(batch)))
    for doc, context in stream:
        # nlp.pipe keeps the order but drops the Docs whose processing failed
        while pieces[k][1] != context:
            handle(k, None)
            k += 1
        handle(k, doc)
        k += 1
        yield from finished()
    while k < len(pieces):
        handle(k, None)
        k += 1
    yield from finished()


def groups(items: Iterable, *, max_items: int, max_chars: int, size: Callable[[Any], int]) -> Iterator[list]:
    """Consecutive ``items`` in groups of at most ``max_items`` items and ``max_chars``
    characters (``size(item)`` each; a longer item is a group of its own)."""
    group: list = []
    total = 0
    for item in items:
        n = size(item)
        if group and (len(group) >= max_items or total + n > max_chars):
            yield group
            group, total = [], 0
        group.append(item)
        total += n
    if group:
        yield group


def tasks(raw_docs: Iterable, *, batch_size: int, task_chars: int | None = None) -> Iterator[list]:
    """Consecutive documents grouped into tasks of at most ``batch_size`` documents and
    ``task_chars`` characters (default :data:`TASK_CHARS`; a longer document is a
    task of its own)."""
    return groups(raw_docs, max_items=batch_size, max_chars=TASK_CHARS if task_chars is None else task_chars,
                  size=lambda raw: len(raw.text))


# The pipeline of a forked worker process: set in the parent just before the
# workers are forked, so that each inherits it instead of loading it again.
_WORKER_NLP: Any = None


def _run_task(task: list, batch_size: int, piece_chars: int) -> list[DocRows]:
    return list(process_documents(_WORKER_NLP, task, n_process=1, batch_size=batch_size,
                                  piece_chars=piece_chars))


WORKER_DIED = "its worker process stopped: killed, or out of memory"
# Tasks submitted and not yet yielded, per worker process (see _pooled).
IN_FLIGHT_PER_PROCESS = 4


def _process_in_workers(nlp, raw_docs: Iterable, *, n_process: int, batch_size: int,
                        piece_chars: int) -> Iterator[DocRows]:
    """:func:`process_documents` over ``n_process`` forked worker processes, rows in input order.

    At most :data:`IN_FLIGHT_PER_PROCESS` ``* n_process`` tasks are in
    flight, so rows waiting to be written stay bounded, and no more workers
    are started than there are tasks (a single task runs here).  The pipeline
    is warmed up (:func:`warm_up`) before the workers are forked.  If a worker process dies (killed, out
    of memory), the documents of the tasks it may have been working on are
    retried one by one, each in a fresh process of its own (warning
    ``W002``): a document that kills its worker again gets an error row and
    costs nothing else, and the main process, which holds the output, never
    runs it.  The other tasks go on in a fresh pool.
    """
    global _WORKER_NLP
    todo = tasks(raw_docs, batch_size=batch_size)
    first = list(itertools.islice(todo, 2 * n_process))
    if len(first) <= 1:
        for task in first:
            yield from process_documents(nlp, task, n_process=1, batch_size=batch_size, piece_chars=piece_chars)
        return
    todo = itertools.chain(first, todo)
    fork = multiprocessing.get_context("fork")
    warm_up(nlp)
    _WORKER_NLP = nlp
    gc.freeze()  # the pipeline's objects: the workers' collections leave their pages shared
    try:
        while True:
            suspects = yield from _pooled(todo, fork, n_process=n_process, workers=min(n_process, len(first)),
                                          batch_size=batch_size, piece_chars=piece_chars)
            if not suspects:
                return
            warnings.warn(Warnings.W002.format(n=sum(map(len, suspects))), ClaimexWarning, stacklevel=2)
            for raw in (raw for task in suspects for raw in task):
                yield from _alone(raw, fork, batch_size=batch_size, piece_chars=piece_chars)
    finally:
        _WORKER_NLP = None
        gc.unfreeze()


# Processed once before the workers are forked: the components that build their
# matchers and indexes on their first document (the entity tagger's lexicon:
# about 2.2 s of CPU) do it once, in the parent, instead of once per worker.
WARM_UP_TEXT = "Warm-up note.  This short text is processed once before the worker processes start."


def warm_up(nlp) -> bool:
    """Run ``nlp`` over :data:`WARM_UP_TEXT` (its rows are not used); whether it went through.

    A pipeline that fails on it is left as it was: the workers then set their
    components up themselves, and any error shows on the documents."""
    try:
        nlp(WARM_UP_TEXT)
    except Exception:  # noqa: BLE001 - a warm-up only
        return False
    return True


def _pooled(todo: Iterator[list], fork, *, n_process: int, workers: int, batch_size: int, piece_chars: int):
    """Run ``todo``'s tasks in a pool of ``workers`` processes, yielding rows in order;
    return the tasks that were in flight when a worker died (``[]`` when all went well).

    Tasks are handed out as soon as a worker is free, not only when the oldest
    task is done: a long task at the head of the line does not leave the other
    workers idle.  The tasks submitted but not yet yielded are at most
    :data:`IN_FLIGHT_PER_PROCESS` per process (their rows wait here)."""
    from concurrent.futures import FIRST_COMPLETED, wait
    from concurrent.futures.process import BrokenProcessPool

    from .workers import worker_pool

    pool = worker_pool(workers, fork)
    window = IN_FLIGHT_PER_PROCESS * n_process
    try:
        in_flight: deque = deque()
        exhausted = False

        def top_up() -> None:
            # keep every worker busy and one task queued for each, within the window
            nonlocal exhausted
            while not exhausted and len(in_flight) < window and \
                    sum(1 for _, f in in_flight if f is not None and not f.done()) < 2 * workers:
                task = next(todo, None)
                if task is None:
                    exhausted = True
                    return
                try:
                    future = pool.submit(_run_task, task, batch_size, piece_chars)
                except BrokenProcessPool:  # a worker died since the last result
                    future = None
                in_flight.append((task, future))

        top_up()
        while in_flight:
            task, future = in_flight[0]
            if future is not None and not future.done():
                wait([f for _, f in in_flight if f is not None and not f.done()], return_when=FIRST_COMPLETED)
                top_up()
                continue
            in_flight.popleft()
            try:
                rows = future.result() if future is not None else None
            except BrokenProcessPool:
                rows = None
            if rows is None:
                return [task] + [t for t, _ in in_flight]
            top_up()
            yield from rows
        return []
    except BaseException:  # interrupted (a signal, an error while writing): do not wait for the workers
        from .workers import stop_workers

        stop_workers(pool)
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)  # also when the caller stops early


def _alone(raw, fork, *, batch_size: int, piece_chars: int) -> list[DocRows]:
    """One document in a fresh one-worker pool; an error row if that worker dies too."""
    from concurrent.futures.process import BrokenProcessPool

    from .workers import worker_pool

    with worker_pool(1, fork) as solo:
        try:
            return solo.submit(_run_task, [raw], batch_size, piece_chars).result()
        except BrokenProcessPool:
            return [DocRows(raw.doc_id, error=WORKER_DIED, error_stage="nlp")]


def _title(text: str, blocks) -> str | None:
    from ..nlp.segment import block_text

    for block in blocks:
        if block[2] == "title":
            return block_text(text, block)
    return None
