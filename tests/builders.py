"""Small input tables for the corpus-level stages' tests (test_dedup, test_flags)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pyarrow as pa

from claimex import schema

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"
SEED = {p.name[:3]: p.read_text(encoding="utf-8") for p in sorted(RAW.glob("*.txt"))}


def documents_table(texts: dict[str, str] | None = None) -> pa.Table:
    """A ``documents`` table with one row per ``{doc_id: text}`` (default: the five seeds)."""
    texts = SEED if texts is None else texts
    return pa.Table.from_pylist([{
        "doc_id": doc_id, "source": f"data/raw/{doc_id}.txt", "sources": [f"data/raw/{doc_id}.txt"],
        "format": "txt", "title": None, "url": None, "n_chars": len(text),
        "n_words": len(text.split()), "n_sentences": 1,
        "content_sha256": hashlib.sha256(text.encode()).hexdigest(), "text": text,
    } for doc_id, text in texts.items()], schema=schema.DOCUMENTS)


def sentences_table(rows: list[tuple[str, str, str]]) -> pa.Table:
    """A ``sentences`` table from ``(doc_id, sent_id, text)`` triples."""
    return pa.Table.from_pylist([{
        "doc_id": d, "sent_id": s, "sent_index": k, "start_char": 0, "end_char": len(t), "text": t,
        "section": None, "section_kind": "body", "paragraph": 0, "hedged": False, "hedge_cues": [],
        "negated": False, "negation_cues": [],
    } for k, (d, s, t) in enumerate(rows)], schema=schema.SENTENCES)
