"""Row texts of the tables end at their last non-space character (issue 20: "claims.start_char/
end_char/text exclude trailing whitespace"; 60 of 130 claim rows of one corpus carried the "\\n\\n"
that ends a paragraph).  Paragraphs without a full stop, list items and tab- or space-padded line
ends are the cases where a span ran on into the break.  The sentences are written for this test."""

from __future__ import annotations

import pyarrow.parquet as pq

from claimex.runner import run_corpus

TEXT = ("Kratom Effects\n\n"
        "Kratom may cause nausea in some adults  \n\n"
        "It can cause constipation and dizziness\n\n"
        "- Kava may reduce anxiety\n"
        "- Turmeric may reduce inflammation\t\n\n\n"
        "Ginger relieves nausea\n\n")


def test_sentence_entity_and_claim_rows_exclude_trailing_whitespace(tmp_path):
    corpus = tmp_path / "in"
    corpus.mkdir()
    (corpus / "a.txt").write_text(TEXT, encoding="utf-8")
    run_corpus([corpus], tmp_path / "out", report=False)
    (doc,) = pq.read_table(tmp_path / "out" / "documents.parquet", columns=["text"]).to_pylist()
    text = doc["text"]
    for name in ("sentences", "entities", "claims"):
        rows = pq.read_table(tmp_path / "out" / f"{name}.parquet",
                             columns=["start_char", "end_char", "text"]).to_pylist()
        assert rows, name
        for row in rows:
            assert text[row["start_char"]:row["end_char"]] == row["text"], (name, row)
            assert row["text"] == row["text"].strip() and row["text"], (name, row)
    claims = pq.read_table(tmp_path / "out" / "claims.parquet", columns=["text"]).column("text").to_pylist()
    # the paragraph claims end where their words end, not at the blank line after them
    assert "Ginger relieves nausea" in claims and "Kava may reduce anxiety" in claims
    assert "Turmeric may reduce inflammation" in claims
