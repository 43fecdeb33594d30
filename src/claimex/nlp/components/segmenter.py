"""``claimex_segmenter``: article blocks and preset sentence starts.

A thin spaCy component around :func:`claimex.nlp.segment.segment_text`.  It runs
*before* the parser and

* stores the blocks as ``doc._.claimex_blocks`` --
  ``[[start_char, end_char, kind, section, paragraph], ...]`` (plain lists);
* sets ``token.is_sent_start = True`` on the first token of every block, so
  that no sentence crosses a block boundary (a heading is never glued to the
  paragraph after it);
* caps sentences at ``max_sentence_tokens`` tokens: a run of more tokens without a
  full stop, question or exclamation mark (an unpunctuated line, a pasted word list) gets a
  sentence start after the last comma, semicolon or dash of its final quarter (else at the
  cap), so that no later stage works on a sentence of thousands of tokens (real sentences
  of the dev corpus have at most 80 words);
* sets ``is_sent_start = False`` on whitespace tokens (newlines) and on every
  other token of a ``title``, ``heading`` or ``toc`` block, so that a heading
  is exactly one sentence; inside paragraphs the parser decides.

If ``doc._.claimex_title`` holds the document title (from metadata), a first
line with the same words is labelled ``title``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable

import spacy.util
import srsly
from spacy.language import Language
from spacy.tokens import Doc

from ..segment import block_index_at, item_text_start, segment_text

if not Doc.has_extension("claimex_blocks"):
    Doc.set_extension("claimex_blocks", default=None)
if not Doc.has_extension("claimex_title"):
    Doc.set_extension("claimex_title", default=None)

_ONE_SENTENCE_KINDS = frozenset({"title", "heading", "toc", "boilerplate", "question"})


@Language.factory(
    "claimex_segmenter",
    default_config={"max_heading_words": 20, "max_heading_chars": 200, "max_wrap_width": 100,
                    "max_sentence_tokens": 150},
    assigns=["token.is_sent_start", "doc._.claimex_blocks"],
)
def make_segmenter(nlp: Language, name: str, *, max_heading_words: int, max_heading_chars: int,
                   max_wrap_width: int, max_sentence_tokens: int) -> "ArticleSegmenter":
    return ArticleSegmenter(nlp, name, max_heading_words=max_heading_words,
                            max_heading_chars=max_heading_chars, max_wrap_width=max_wrap_width,
                            max_sentence_tokens=max_sentence_tokens)


class ArticleSegmenter:
    """Split a Doc into article blocks and preset sentence starts at block starts."""

    def __init__(self, nlp: Language | None = None, name: str = "claimex_segmenter", *,
                 max_heading_words: int = 20, max_heading_chars: int = 200,
                 max_wrap_width: int = 100, max_sentence_tokens: int = 150) -> None:
        self.name = name
        self.max_heading_words = max_heading_words
        self.max_heading_chars = max_heading_chars
        self.max_wrap_width = max_wrap_width
        self.max_sentence_tokens = max_sentence_tokens

    @property
    def cfg(self) -> dict[str, int]:
        return {"max_heading_words": self.max_heading_words,
                "max_heading_chars": self.max_heading_chars,
                "max_wrap_width": self.max_wrap_width,
                "max_sentence_tokens": self.max_sentence_tokens}

    def __call__(self, doc: Doc) -> Doc:
        cfg = self.cfg
        max_tokens = cfg.pop("max_sentence_tokens")
        blocks = segment_text(doc.text, doc._.claimex_title, **cfg)
        set_block_sent_starts(doc, blocks, max_tokens)
        doc._.claimex_blocks = [list(b) for b in blocks]
        return doc

    def pipe(self, stream: Iterable[Doc], batch_size: int = 128) -> Iterable[Doc]:
        for doc in stream:
            yield self(doc)

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        spacy.util.to_disk(path, {"cfg": lambda p: srsly.write_json(p, self.cfg)}, exclude)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> "ArticleSegmenter":
        def read_cfg(p: Path) -> None:
            if p.exists():
                for key, value in srsly.read_json(p).items():
                    if key in self.cfg:
                        setattr(self, key, int(value))

        spacy.util.from_disk(path, {"cfg": read_cfg}, exclude)
        return self


_NEVER_OPENS = frozenset({",", ";", ":", ")", "]", "}", "%", "…", "—", "–"})


_SENTENCE_END = frozenset({".", "!", "?", "…"})
_BREAK_AFTER = frozenset({",", ";", ":", "—", "–", "-"})


def cap_sentence_length(doc: Doc, max_tokens: int) -> int:
    """Preset a sentence start in every run of more than ``max_tokens`` tokens that has no
    sentence-final mark (``. ! ? …``) and no preset start: after the last ``, ; : —`` of the
    run's final quarter, else at the cap.  Returns the number of starts set."""
    if max_tokens <= 0 or len(doc) <= max_tokens:
        return 0
    n_set = 0
    # only stretches of at least max_tokens characters without a final mark can hold such a run
    # (a full stop inside a number or an abbreviation, "0.5", "e.g", does not end one)
    for m in re.finditer(r"(?:[^.!?\u2026]|\.(?=\S)){%d,}" % max_tokens, doc.text):
        span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
        if span is not None and len(span) > max_tokens:
            n_set += _cap_run(doc, span.start, span.end, max_tokens)
    return n_set


def _cap_run(doc: Doc, first: int, last: int, max_tokens: int) -> int:
    n_set = 0
    run_start = first
    for i in range(first, last):
        token = doc[i]
        if i > run_start and token.is_sent_start:
            run_start = i
        elif i - run_start >= max_tokens:
            cut = i
            for j in range(i - 1, i - max_tokens // 4, -1):
                if doc[j].text in _BREAK_AFTER and not doc[j + 1].is_space:
                    cut = j + 1
                    break
            while cut < last - 1 and (doc[cut].is_space or doc[cut].text in _NEVER_OPENS):
                cut += 1
            doc[cut].is_sent_start = True
            n_set += 1
            run_start = cut
        if token.text in _SENTENCE_END:
            run_start = i + 1
    return n_set


def set_block_sent_starts(doc: Doc, blocks, max_sentence_tokens: int = 0) -> None:
    """Preset sentence starts on ``doc`` from ``blocks`` (must run before the parser); with
    ``max_sentence_tokens`` > 0 also cap the length of unpunctuated runs (:func:`cap_sentence_length`)."""
    for token in doc:
        if token.is_space and token.i > 0:
            token.is_sent_start = False
    text = doc.text  # Doc.text is rebuilt from the tokens on every access
    for block in blocks:
        span = doc.char_span(block[0], block[1], alignment_mode="expand")
        if span is None or len(span) == 0:
            continue
        span[0].is_sent_start = True
        item = item_text_start(text, block[0], block[1])
        if item is not None:
            # "• Tiredness", "2. Joint pain": the item and its marker are one sentence
            for token in span[1:]:
                if token.idx >= item:
                    break
                token.is_sent_start = False
            after = doc.char_span(item, block[1], alignment_mode="expand")
            if after is not None and len(after) and after[0].i > span[0].i:
                after[0].is_sent_start = False
        if block[2] in _ONE_SENTENCE_KINDS:
            # a title, heading or TOC line is exactly one sentence
            for token in span[1:]:
                token.is_sent_start = False
        else:
            # inside a paragraph, closing punctuation never opens a sentence
            # (the parser would otherwise split "Kratom, derived from …")
            for token in span[1:]:
                if token.text in _NEVER_OPENS:
                    token.is_sent_start = False
    cap_sentence_length(doc, max_sentence_tokens)


def sentence_blocks(doc: Doc) -> list[int]:
    """For each sentence of ``doc`` (in order), the index of its block in ``doc._.claimex_blocks``.

    The block is the one holding the sentence's first non-whitespace
    character; -1 for a whitespace-only sentence or a Doc without blocks.
    """
    blocks = doc._.claimex_blocks or []
    out = []
    for sent in doc.sents:
        text = sent.text
        lead = len(text) - len(text.lstrip())
        if lead == len(text):
            out.append(-1)
            continue
        out.append(block_index_at(blocks, sent.start_char + lead))
    return out
