"""The local engine's cutting of long texts into pieces (claimex.engine.local.split_pieces)."""

from claimex.engine.local import split_pieces


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
