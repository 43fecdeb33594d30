"""Engines turn documents into rows.  The local engine is spaCy's ``nlp.pipe``.

Both engines (local here, Dask in :mod:`claimex.engine_dask`) go through
:func:`process_documents`, so their rows are identical by construction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator

from .extract import DocAccumulator

# spaCy's default max_length is 1,000,000 characters; pieces stay well below it
# so that very long articles are parsed in bounded memory.
PIECE_CHARS = 100_000
ERROR_KEY = "claimex_error"


@dataclass
class DocRows:
    """Everything the NLP stage produces for one document (picklable)."""

    doc_id: str
    n_words: int = 0
    blocks: list = field(default_factory=list)
    sentences: list[dict[str, Any]] = field(default_factory=list)
    entities: list[dict[str, Any]] = field(default_factory=list)
    claims: list[dict[str, Any]] = field(default_factory=list)
    error: str | None = None
    title: str | None = None  # a title line found by the segmenter


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


def process_documents(nlp, raw_docs: Iterable, *, n_process: int = 1, batch_size: int = 16,
                      piece_chars: int = PIECE_CHARS) -> Iterator[DocRows]:
    """Yield one :class:`DocRows` per document, in input order."""
    from .segment import segment_text

    raw_docs = list(raw_docs)
    accs: list[DocAccumulator | None] = []
    errors: list[str | None] = []
    pieces: list[tuple[str, tuple[int, int, int]]] = []
    for i, raw in enumerate(raw_docs):
        split = split_pieces(raw.text, piece_chars)
        blocks = [list(b) for b in segment_text(raw.text)] if len(split) > 1 else None
        accs.append(DocAccumulator(raw.doc_id, blocks=blocks))
        errors.append(None)
        for j, (offset, piece) in enumerate(split):
            pieces.append((piece, (i, offset, len(split) - 1 - j)))
    _install_error_handler(nlp)
    for doc, (i, offset, remaining) in nlp.pipe(pieces, as_tuples=True, n_process=n_process,
                                                 batch_size=batch_size):
        acc = accs[i]
        assert acc is not None
        err = doc.user_data.get(ERROR_KEY)
        if err:
            errors[i] = errors[i] or err
        else:
            acc.add_piece(doc, offset)
            if acc.blocks is None:
                acc.blocks = [list(b) for b in (doc._.claimex_blocks or [])]
        if remaining:
            continue
        accs[i] = None
        if errors[i]:
            yield DocRows(raw_docs[i].doc_id, error=errors[i])
        else:
            yield DocRows(acc.doc_id, n_words=acc.n_words, blocks=acc.blocks or [],
                          sentences=acc.sentences, entities=acc.entities, claims=acc.claims,
                          title=_title(raw_docs[i].text, acc.blocks or []))


def _title(text: str, blocks) -> str | None:
    from .segment import block_text

    for block in blocks:
        if block[2] == "title":
            return block_text(text, block)
    return None
