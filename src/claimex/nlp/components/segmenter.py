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

import numpy
import spacy.util
import srsly
from spacy.attrs import DEP, HEAD, IDX, IS_SPACE, ORTH, SENT_START, SPACY
from spacy.errors import Errors
from spacy.strings import hash_string
from spacy.language import Language
from spacy.tokens import Doc

from ..segment import block_index_at, item_text_start, segment_text
from ..doctext import keep_text

if not Doc.has_extension("claimex_blocks"):
    Doc.set_extension("claimex_blocks", default=None)
if not Doc.has_extension("claimex_title"):
    Doc.set_extension("claimex_title", default=None)

_ONE_SENTENCE_KINDS = frozenset({"title", "heading", "toc", "boilerplate", "question", "table_header", "table_row",
                                 "key_value"})


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
        if len(doc) == 0:
            doc._.claimex_blocks = []
            return doc
        toks = _Tokens(doc)
        text = keep_text(doc, toks.text())
        blocks = segment_text(text, doc._.claimex_title, **cfg)
        _set_block_sent_starts(doc, toks, blocks, max_tokens, text)
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
# the same sets as ORTH hashes: the segmenter reads the tokens through Doc.to_array, without
# making a Token object per token (a Token per token cost most of its time)
_NEVER_OPENS_H = frozenset(hash_string(s) for s in _NEVER_OPENS)
_SENTENCE_END_H = frozenset(hash_string(s) for s in _SENTENCE_END)
_BREAK_AFTER_H = frozenset(hash_string(s) for s in _BREAK_AFTER)
# quotes that close when glued to the word before; openers after which no sentence starts; a
# comma after which none starts; a paragraph's opening quote or ellipsis; citation brackets
_QUOTES_H = frozenset(hash_string(s) for s in ('"', "'", "\u201d", "\u2019", "\u00bb"))
_OPENERS_H = frozenset(hash_string(s) for s in ("\u201c", "\u2018", "\u00ab", "(", "[", "{"))
_COMMA_H = frozenset({hash_string(",")})
_LEADING_H = frozenset(hash_string(s) for s in ('"', "'", "...", "\u2026", "\u2014", "\u2013"))
_BRACKETS_H = frozenset(hash_string(s) for s in ("[", "("))
_MARKED_H = _NEVER_OPENS_H | _QUOTES_H | _BRACKETS_H  # a token that may be kept from opening
_AFTER_H = _OPENERS_H | _COMMA_H | _LEADING_H        # a token after which the next may be kept


def _digit_follows(text: str, toks: "_Tokens", i: int, last: int) -> bool:
    """Whether the first token after ``i`` that is not whitespace starts with a digit."""
    for k in range(i + 1, last):
        if not toks.space[k]:
            return text[toks.idx[k]].isdigit()
    return False


# "Key: " at the start of a block or list item (a key of at most four words, checked by the caller)
_KEY_PREFIX = re.compile(r"([^\W\d_][^:\n.!?;]{0,39}?):[ \t]+(?=\S)")
# a sentence-final mark: ! ? … or a full stop that no letter or digit follows at once
_FINAL_MARK = re.compile(r"[!?\u2026]|\.(?!\S)")


class _Tokens:
    """The columns of a Doc that the segmenter reads and writes, as Python lists.

    ``start`` holds ``Token.is_sent_start`` as spaCy stores it (1 True, -1 False, 0 unknown);
    :meth:`write` puts it back into the Doc in one ``Doc.from_array`` call."""

    __slots__ = ("doc", "start", "space", "orth", "idx", "ws")

    def __init__(self, doc: Doc):
        if doc.has_annotation("DEP"):
            raise ValueError(Errors.E043)  # as Token.is_sent_start's setter: a parsed Doc is final
        self.doc = doc
        cols = doc.to_array([SENT_START, IS_SPACE, ORTH, IDX, SPACY])
        self.start = cols[:, 0].view(numpy.int64).tolist()
        self.space = cols[:, 1].tolist()
        self.orth = cols[:, 2].tolist()
        self.idx = cols[:, 3].tolist()
        self.ws = cols[:, 4].tolist()

    def text(self) -> str:
        """``doc.text``, from the columns (``Doc.text`` makes a Token object per token)."""
        strings = self.doc.vocab.strings
        return "".join([strings[o] + " " if w else strings[o] for o, w in zip(self.orth, self.ws)])

    def write(self) -> None:
        values = numpy.asarray(self.start, dtype=numpy.int64).view(numpy.uint64).reshape(-1, 1)
        self.doc.from_array([SENT_START], values)


def cap_sentence_length(doc: Doc, max_tokens: int, *, text: str | None = None) -> int:
    """Preset a sentence start in every run of more than ``max_tokens`` tokens that has no
    sentence-final mark (``. ! ? …``) and no preset start: after the last ``, ; : —`` of the
    run's final quarter, else at the cap.  Returns the number of starts set."""
    if max_tokens <= 0 or len(doc) <= max_tokens:
        return 0
    toks = _Tokens(doc)
    n_set = _cap_sentence_length(doc, toks, max_tokens, toks.text() if text is None else text)
    if n_set:
        toks.write()
    return n_set


def _cap_sentence_length(doc: Doc, toks: _Tokens, max_tokens: int, text: str) -> int:
    if max_tokens <= 0 or len(doc) <= max_tokens:
        return 0
    n_set = 0
    # only stretches of at least max_tokens characters between two final marks can hold such a
    # run (a full stop inside a number or an abbreviation, "0.5", "e.g", does not end one)
    last = 0
    for end, after in [m.span() for m in _FINAL_MARK.finditer(text)] + [(len(text), len(text))]:
        if end - last >= max_tokens:
            span = doc.char_span(last, end, alignment_mode="expand")
            if span is not None and len(span) > max_tokens:
                n_set += _cap_run(toks, span.start, span.end, max_tokens)
        last = after
    return n_set


def _cap_run(toks: _Tokens, first: int, last: int, max_tokens: int) -> int:
    start, space, orth = toks.start, toks.space, toks.orth
    n_set = 0
    run_start = first
    for i in range(first, last):
        if i > run_start and start[i] > 0:
            run_start = i
        elif i - run_start >= max_tokens:
            cut = i
            for j in range(i - 1, i - max_tokens // 4, -1):
                if orth[j] in _BREAK_AFTER_H and not space[j + 1]:
                    cut = j + 1
                    break
            while cut < last - 1 and (space[cut] or orth[cut] in _NEVER_OPENS_H):
                cut += 1
            start[cut] = 1
            n_set += 1
            run_start = cut
        if orth[i] in _SENTENCE_END_H:
            run_start = i + 1
    return n_set


def set_block_sent_starts(doc: Doc, blocks, max_sentence_tokens: int = 0, *, text: str | None = None) -> None:
    """Preset sentence starts on ``doc`` from ``blocks`` (must run before the parser); with
    ``max_sentence_tokens`` > 0 also cap the length of unpunctuated runs (:func:`cap_sentence_length`).
    ``text`` is ``doc.text`` when the caller has it (Doc.text is rebuilt from the tokens on every access)."""
    if len(doc) == 0:
        return
    toks = _Tokens(doc)
    _set_block_sent_starts(doc, toks, blocks, max_sentence_tokens, toks.text() if text is None else text)


def _set_block_sent_starts(doc: Doc, toks: _Tokens, blocks, max_sentence_tokens: int, text: str, *,
                           write: bool = True) -> None:
    if len(doc) == 0:
        return
    start, space, orth, idx = toks.start, toks.space, toks.orth, toks.idx
    for i in range(1, len(start)):
        if space[i]:
            start[i] = -1
    for block in blocks:
        span = doc.char_span(block[0], block[1], alignment_mode="expand")
        if span is None or len(span) == 0:
            continue
        first, last = span.start, span.end
        start[first] = 1
        item = item_text_start(text, block[0], block[1])
        if item is not None:
            # "• Tiredness", "2. Joint pain": the item and its marker are one sentence
            for i in range(first + 1, last):
                if idx[i] >= item:
                    break
                start[i] = -1
            after = doc.char_span(item, block[1], alignment_mode="expand")
            if after is not None and len(after) and after.start > first:
                start[after.start] = -1
        key = _KEY_PREFIX.match(text, block[0] if item is None else item, block[1])
        if key is not None and len(key.group(1).split()) <= 4:
            # "• Week 1: Reduce to 9 g", "Note: The FDA …": the key and its value are one sentence
            for i in range(first + 1, last):
                if idx[i] >= key.end():
                    start[i] = -1
                    break
        if block[2] in _ONE_SENTENCE_KINDS:
            # a title, heading or TOC line is exactly one sentence
            for i in range(first + 1, last):
                start[i] = -1
        else:
            # inside a paragraph, closing punctuation never opens a sentence
            # (the parser would otherwise split "Kratom, derived from …")
            ws = toks.ws
            prev = first  # the last token before i that is not whitespace
            for i in range(first + 1, last):
                if space[i]:
                    continue
                o = orth[i]
                p = orth[prev]
                if o in _MARKED_H or p in _AFTER_H:  # most tokens are neither: one pass, two lookups
                    if o in _NEVER_OPENS_H or (o in _QUOTES_H and not ws[i - 1] and not space[i - 1]):
                        start[i] = -1  # "," or a closing quote glued to the word before: 'themselves."'
                    elif p in _OPENERS_H or p in _COMMA_H or (prev == first and p in _LEADING_H):
                        start[i] = -1  # '“Studies', '(2, 5', '...the': the opener starts the sentence
                    elif o in _BRACKETS_H and _digit_follows(text, toks, i, last):
                        start[i] = -1  # "[4, 5]": a citation, not a new sentence
                prev = i
    _cap_sentence_length(doc, toks, max_sentence_tokens, text)
    if write:
        toks.write()


# -- after the parser ------------------------------------------------------------

@Language.factory("claimex_sentence_repair", assigns=["token.is_sent_start", "token.head", "token.dep"],
                  requires=["doc._.claimex_blocks", "token.dep"])
def make_sentence_repair(nlp: Language, name: str) -> "SentenceRepair":
    return SentenceRepair(nlp, name)


class SentenceRepair:
    """Keep the segmenter's "not a sentence start" after the parser.

    The parser reads the starts that ``claimex_segmenter`` presets, but a preset *False* is
    only a hint to it: it still ends a parse tree before "Migraine" in "1. Migraine
    Prevention", before the closing quote of ``themselves."`` or inside a heading, and the
    sentences are the trees.  This component (right after the parser) finds every sentence
    that opens on a token the segmenter marked as no start (recomputed from
    ``doc._.claimex_blocks``, so nothing is stored on the Doc) and attaches the roots of
    that sentence to the root of the sentence before (label ``dep``): the two become one
    sentence, every other arc is kept.  A Doc without a parse is left as it is."""

    def __init__(self, nlp: Language | None = None, name: str = "claimex_sentence_repair") -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        repair_sentences(doc, doc._.claimex_blocks or [])
        return doc

    def pipe(self, stream: Iterable[Doc], batch_size: int = 128) -> Iterable[Doc]:
        for doc in stream:
            yield self(doc)


def repair_sentences(doc: Doc, blocks) -> int:
    """Merge every sentence of the parsed ``doc`` that opens on a token that ``blocks`` say is no
    sentence start into the sentence before it (see :class:`SentenceRepair`).  Returns the
    number of sentences merged."""
    n = len(doc)
    if n < 2 or not blocks or not doc.has_annotation("DEP"):
        return 0
    cols = doc.to_array([SENT_START, HEAD, DEP, IS_SPACE, ORTH, IDX, SPACY])
    parsed = cols[:, 0].view(numpy.int64).tolist()
    # what the segmenter preset, recomputed on a blank copy of the start column
    toks = _Tokens.__new__(_Tokens)
    toks.doc = doc
    toks.start = [0] * n
    toks.space, toks.orth, toks.idx, toks.ws = (cols[:, k].tolist() for k in (3, 4, 5, 6))
    _set_block_sent_starts(doc, toks, blocks, 0, toks.text(), write=False)  # the cap sets starts only
    preset = toks.start
    bad = [i for i in range(1, n) if parsed[i] > 0 and preset[i] < 0]
    if not bad:
        return 0
    head = (cols[:, 1].view(numpy.int64) + numpy.arange(n)).tolist()
    dep = cols[:, 2].view(numpy.int64).tolist()
    label = doc.vocab.strings.add("dep")
    starts = [i for i in range(n) if i == 0 or parsed[i] > 0] + [n]
    next_start = {a: b for a, b in zip(starts, starts[1:])}

    def root(i: int) -> int:
        seen = 0
        while head[i] != i and seen <= n:
            i = head[i]
            seen += 1
        return i

    for f in bad:
        target = root(f - 1)
        for i in range(f, next_start[f]):
            if head[i] == i:
                head[i] = target
                dep[i] = label
    rel = numpy.asarray(head, dtype=numpy.int64) - numpy.arange(n)
    out = numpy.stack([rel, numpy.asarray(dep, dtype=numpy.int64)], axis=1).view(numpy.uint64)
    doc.from_array([HEAD, DEP], out)
    return len(bad)


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
