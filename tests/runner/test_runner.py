import os

import pytest

from claimex.errors import ClaimexError
from claimex.engine.local import split_pieces
from claimex.runner import LOCK_NAME, output_lock


def test_short_text_is_one_piece():
    assert split_pieces("abc", limit=10) == [(0, "abc")]


def test_pieces_cut_at_line_breaks_and_keep_offsets():
    text = "aaaa\nbbbb\ncccc\ndddd"
    pieces = split_pieces(text, limit=8)
    assert pieces == [(0, "aaaa\n"), (5, "bbbb\n"), (10, "cccc\n"), (15, "dddd")]
    assert "".join(p for _, p in pieces) == text
    assert all(text[o:o + len(p)] == p for o, p in pieces)


def test_a_line_without_breaks_is_cut_at_spaces_then_anywhere():
    text = "word " * 10
    pieces = split_pieces(text, limit=12)
    assert [p for _, p in pieces] == ["word word ", "word word ", "word word ", "word word ", "word word "]
    assert split_pieces("x" * 25, limit=10) == [(0, "x" * 10), (10, "x" * 10), (20, "x" * 5)]


def test_lock_refuses_a_second_run(tmp_path):
    with output_lock(tmp_path):
        assert (tmp_path / LOCK_NAME).read_text() == str(os.getpid())
        with pytest.raises(ClaimexError, match=r"\[E031\] .* is locked by another claimex run"):
            with output_lock(tmp_path):
                pass
    assert not (tmp_path / LOCK_NAME).exists()


def test_stale_lock_of_a_dead_process_is_taken_over(tmp_path):
    (tmp_path / LOCK_NAME).write_text("999999999")
    with output_lock(tmp_path):
        assert (tmp_path / LOCK_NAME).read_text() == str(os.getpid())


def test_stored_rows_are_slices_of_the_stored_tables(monkeypatch):
    """An incremental run's reused rows stay Arrow data: slices of the stored tables."""
    import pyarrow as pa

    from claimex.runner import StoredRows

    stored = StoredRows({
        "documents": pa.table({"doc_id": ["a", "b", "c"], "n_words": [3, 4, 5], "title": [None, "T", None]}),
        "sentences": pa.table({"doc_id": ["a", "b", "b", "b", "a"], "sent_id": ["a1", "b1", "b2", "b3", "a2"]}),
        "entities": pa.table({"doc_id": ["b"], "ent_id": ["e1"]}),
        "claims": pa.table({"doc_id": pa.array([], pa.string())}),
    })
    built = []
    real = StoredRows.__getitem__
    monkeypatch.setattr(StoredRows, "__getitem__", lambda self, k: built.append(k) or real(self, k))
    assert "a" in stored and "z" not in stored and len(stored) == 3 and list(stored) == ["a", "b", "c"]
    assert built == []  # membership builds nothing
    b = stored["b"]
    assert (b.doc_id, b.n_words, b.title) == ("b", 4, "T")
    assert isinstance(b.sentences, pa.Table) and b.sentences.column("sent_id").to_pylist() == ["b1", "b2", "b3"]
    assert b.entities.to_pylist() == [{"doc_id": "b", "ent_id": "e1"}] and b.claims.num_rows == 0
    a = stored["a"]  # rows 0 and 4: not stored together
    assert a.sentences.column("sent_id").to_pylist() == ["a1", "a2"] and a.entities.num_rows == 0
    assert stored["c"].sentences.num_rows == 0 and stored["c"].n_words == 5
