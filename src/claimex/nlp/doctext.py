"""The text of a Doc, built once per Doc.

``Doc.text`` is not stored: spaCy joins every token's text and trailing
whitespace anew on each access (a Token object per token).  The components and
extractors of claimex each need the whole text of the Doc (entity offsets,
sentence rows, claim evidence), so reading ``doc.text`` in each of them rebuilt
it five or six times per document: 0.8 s of a 10 s run over the web-dev corpus.

:func:`doc_text` builds it on the first call and keeps it in ``doc.user_data``.
A Doc's text never changes after tokenisation (the retokenizer merges and
splits tokens but keeps the characters), so the kept string stays right; it is
still checked against the Doc's length in characters (last token's offset plus
its text and whitespace), an O(1) test that catches a Doc built from another's
``user_data`` (``Doc.from_docs`` copies it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # no spaCy import at run time: the extractors import this module
    from spacy.tokens import Doc

__all__ = ["doc_text", "keep_text"]

_KEY = ("claimex", "doc_text")


def _char_length(doc: Doc) -> int:
    if not len(doc):
        return 0
    last = doc[-1]
    return last.idx + len(last.text_with_ws)


def doc_text(doc: Doc) -> str:
    """``doc.text``, built once and kept in ``doc.user_data``."""
    text = doc.user_data.get(_KEY)
    if text is None or len(text) != _char_length(doc):
        text = doc.text
        doc.user_data[_KEY] = text
    return text


def keep_text(doc: Doc, text: str) -> str:
    """Keep ``text``, already built by the caller from ``doc``'s columns, as ``doc``'s text."""
    doc.user_data[_KEY] = text
    return text
