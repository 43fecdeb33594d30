"""The local engine lets go of a document once its rows are yielded (issue 20: 100,000 short
rows must not keep 100,000 texts to the end of the NLP stage)."""

from __future__ import annotations

import gc
import hashlib
import weakref

from claimex.engine.local import process_documents
from claimex.ingest import RawDocument


def test_a_document_is_let_go_once_its_rows_are_yielded(nlp):
    refs: list[weakref.ref] = []

    def documents():
        for i in range(4):
            text = f"Kratom may cause nausea in user {i}."
            doc = RawDocument(f"d{i}", text, f"rows.jsonl:{i + 1}", (f"rows.jsonl:{i + 1}",), "jsonl", None, None,
                              hashlib.sha256(text.encode()).hexdigest())
            refs.append(weakref.ref(doc))
            yield doc

    rows = process_documents(nlp, documents(), batch_size=1)
    try:
        first = [next(rows) for _ in range(3)]
        gc.collect()
        assert [r.doc_id for r in first] == ["d0", "d1", "d2"]
        assert [len(r.claims) for r in first] == [1, 1, 1]
        assert [ref() is None for ref in refs] == [True, True, True, False]  # d3: not done yet
        assert next(rows).doc_id == "d3"
    finally:
        rows.close()
