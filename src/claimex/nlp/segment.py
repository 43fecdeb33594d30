"""Article segmentation: recover the block structure of a web article.

Web health articles are not papers.  The seed corpus shows two shapes:

* the *template article*: a lead summary paragraph, an intro paragraph, a
  bulleted table of contents (``- Heading text`` lines), then sections (a
  heading line without final punctuation followed by body paragraphs), then a
  closing paragraph -- one paragraph per line, no blank lines;
* the *plain article*: a title line, a blank line, then paragraphs separated
  by blank lines, without headings.

:func:`segment_text` turns a text into :class:`Block` rows: one per
paragraph, heading, list item or title, each with character offsets into the
text (``text[start:end]`` is the block without surrounding whitespace), a
``kind`` from :data:`BLOCK_KINDS`, the ``section`` (heading text) it sits
under and a running ``paragraph`` index.  Everything here is plain Python
(no spaCy), deterministic, and linear in the length of the text.

The rules, in order:

1. **Lines.**  The text is split on ``\\n``, ``\\r\\n`` and ``\\r``.  A line is
   *blank* (whitespace only), a *markdown heading* (``#`` to ``######`` then a
   space), a *list item* (``-``, ``*``, ``+``, an en dash, a bullet ``•``
   ``‣`` ``◦`` ``▪``, or ``1.``/``1)`` then a space) or *plain*.

2. **Blocks.**  Blank lines always end a block; markdown headings and list
   items are always one block each (an *indented* plain line right after a
   list item continues that item).  Plain lines depend on the document:

   * *one paragraph per line* (the default; the seeds): every plain line is
     a block;
   * *hard-wrapped* -- chosen when no plain line is longer than
     ``max_wrap_width`` characters and at least one plain line that is
     followed by another plain line breaks off a sentence (it does not end
     with sentence punctuation and is neither Title Case nor shorter than 60%
     of the longest line): consecutive plain lines are joined into
     one block, except that a line starts a new block when the previous line
     ends a sentence and either is short (under 60% of the longest line: the
     last line of a paragraph) or the new line is heading-like and Title Case
     or short (a heading), and a heading line is always a block of its own.

3. **Heading-like.**  One line, at most ``max_heading_words`` words and
   ``max_heading_chars`` characters, with a letter, whose first letter is not
   lower case, and that does not end with ``. ! : ; ,`` or a dash (closing
   quotes and brackets are ignored); a final ``?`` is allowed in Title Case
   ("Is Kratom Safe?").

4. **Table of contents** (``toc``).  A run of consecutive list items is a
   TOC when at least half of its items have the same words as a later
   heading-like line, or when the run comes before the first heading, every
   item is heading-like and the document has headings.  A heading-like line
   such as "Table of Contents" or "In this article" right before a TOC run is
   ``toc`` too.  TOC blocks have ``section`` None.

5. **Headings** (``heading``).  Markdown headings; heading-like plain blocks
   whose words match a TOC item; and heading-like plain blocks followed by a
   paragraph or list item (possibly through a chain of further heading-like
   lines).  A heading-like last line is therefore not a heading.  A heading
   block's ``section`` is its own text (without ``#`` marks).

6. **Title** (``title``).  The first block, when it is heading-like (or a
   markdown heading), some other block follows, and one of: it matches the
   ``title`` argument (same words); the document has no other heading; it is
   a markdown heading of a higher level than every other markdown heading; or
   it is a plain line followed by a blank line while no other heading is.

7. **Front matter.**  In a document with headings, the first paragraph
   before the first heading (after the title) is the ``summary`` and the
   remaining blocks before the first heading (other than the TOC) are
   ``intro``.  In a document without headings but with a title, the first
   paragraph is the ``summary`` and the rest ``body``.  A document with
   neither title nor headings is all ``body``.

8. **Body.**  Blocks after a heading are ``body`` with ``section`` set to
   that heading's text.

9. **Conclusion** (``conclusion``), only ever replacing ``body``:

   * every block under a heading such as "Conclusion", "Final Thoughts",
     "Summary", "The Bottom Line" or "Key Takeaways" (``section`` kept);
   * the last block of the document when it is a body paragraph that opens
     with "In conclusion", "To conclude", "In summary", "To sum up", "To
     summarize", "In closing", "All in all", "In sum," or "Overall,";
   * in a template article (one with a TOC matching its headings), the last
     block of the document when it is a body paragraph of the last section
     and that section has at least one other body paragraph: the template
     closes every article with an unmarked wrap-up paragraph (seed 001).

   A closing paragraph found by the last two rules is not part of the last
   section: its ``section`` is None.

10. **Boilerplate** (``boilerplate``), replacing any kind but ``title``: a one-line
    block of navigation residue that survives HTML extraction -- skip links ("Skip to
    content"), share and follow buttons ("Share on Pinterest", "Share this article"),
    cookie and newsletter notices ("We use cookies", "Subscribe to our newsletter"),
    "Advertisement", "Print", "Back to top" -- when it is short (at most 12 words, or 40
    for a cookie notice); and a list marker alone on its line with no item after it.
    ``section`` is kept.

11. **Questions** (``question``), replacing ``summary``, ``intro``, ``body`` or
    ``conclusion``: a one-line block that is one question (it ends with ``?`` and has
    no other ``. ! ?`` before that), at most ``2 * max_heading_words`` words -- an FAQ
    line or a question heading in sentence case ("Is kratom safe for arthritis?").
    It asserts nothing; ``section`` is kept.  A Title Case question followed by
    content is a ``heading`` (rule 5).

12. **Tables** (``table_header``, ``table_row``).  A pipe table -- a line holding a "|" followed by
    a ``|---|---|`` row and the lines after it that hold a "|", or two or more lines that start with
    "|" -- gives one ``table_header`` block (its first row, with the ``|---|`` row) and one
    ``table_row`` block per row; each is one sentence, never joined to a neighbour.
    :func:`table_row_reading` reads a row with its header ("Form: Extract; Dose: 300 mg").
    ``section`` is kept.

13. **Key-value lines** (``key_value``).  A plain line "Key: value" -- a key of at most four
    words starting with a capital letter, a value of at most one sentence and 40 words, no
    question -- whose value is not Title Case ("Dose: 2–4 g", "Side effects: headache"), or that
    stands in a run of such lines of which one is; a single one followed by a line that goes on
    in lower case is a wrapped sentence.  Each is a block and one sentence.

14. **Unpunctuated runs** (``run_on``), replacing ``summary``, ``intro``, ``body`` or
    ``conclusion``: a block holding a stretch of more than :data:`RUN_ON_WORDS` (150) words
    without a sentence-final mark -- a pasted keyword list, a page stripped of its punctuation.
    It is no prose that claims can be read from (real sentences of the dev corpus have at most 80
    words); the segmenter still caps its sentences at ``max_sentence_tokens``.

A plain line that leaves a "[" open ("... drugs [" / "2," / "5]. Historically") is continued by
the next plain line: a citation broken over lines does not make blocks of its own.
"""

from __future__ import annotations

import re
from typing import NamedTuple

BLOCK_KINDS: tuple[str, ...] = ("title", "summary", "intro", "toc", "heading", "body", "conclusion",
                                "boilerplate", "question", "table_header", "table_row", "key_value", "run_on")


class Block(NamedTuple):
    """One paragraph, heading, list item or title of a document."""

    start: int
    end: int
    kind: str
    section: str | None
    paragraph: int


# -- line classification ------------------------------------------------------

_NEWLINE = re.compile(r"\r\n|\r|\n")
_MD_HEADING = re.compile(r"[ \t]{0,3}(#{1,6})[ \t]+(?=\S)")
_MARKER = r"(?:[-*+\u2022\u2023\u25e6\u25aa\u2013\u25cf\u25a0\u2043\u2219]|\d{1,3}[.)]|\(?[a-h]\))"
_LIST_ITEM = re.compile(r"[ \t]*" + _MARKER + r"[ \t]+(?=\S)")
# the marker at the start of a list item, with the spaces after it (public: the
# segmenter keeps an item and its marker in one sentence, sentence rows start after it)
LIST_MARKER = re.compile(r"[ \t]*" + _MARKER + r"[ \t\n]+(?=\S)")


def item_text_start(text: str, start: int = 0, end: int | None = None) -> int | None:
    """Where a list item's text begins after its marker ("• Tiredness" -> at "T"), or None
    when ``text[start:end]`` does not start with a list marker followed by text."""
    m = LIST_MARKER.match(text, start, len(text) if end is None else end)
    return m.end() if m else None


# a marker alone on its line: the item's text is on the next line
_BARE_MARKER = re.compile(r"[ \t]*" + _MARKER + r"[ \t]*")
_BARE = -1  # _Line.level of a bare marker line
_MD_CLOSING = re.compile(r"[ \t]+#+$")
_CLOSERS = ")]}\"'\u201d\u2019\u00bb*_"
_NO_HEADING_END = set(".!:;,-\u2013\u2014\u2026")
_TERMINAL = set(".!?:;\u2026")
_WORD = re.compile(r"[^\W\d_][\w'\u2019-]*")
_SMALL_WORDS = frozenset(
    "a an and as at but by de for from in into its nor of on or per than the their to up via vs with".split())
_TOC_LABEL = re.compile(r"(?:table of contents|contents|in this article|on this page|jump to|"
                        r"what you will learn|what you'll learn|article contents)$")
_CONCLUSION_HEADING = re.compile(
    r"(?:in )?conclusions?\b|final (?:thoughts|words|verdict)\b|(?:in )?summary\b|(?:the )?bottom line\b|"
    r"(?:key )?takeaways\b|wrapping up\b|closing thoughts\b|concluding (?:thoughts|remarks)\b")
_CONCLUSION_OPENER = re.compile(
    r"(?:in conclusion|to conclude|in summary|to sum up|to summari[sz]e|in closing|all in all)\b|"
    r"(?:in sum|overall)\s*,", re.IGNORECASE)

_BOILERPLATE = re.compile(
    r"(?:skip\s+to\b|jump\s+to\s+(?:main\s+)?content|share\s+(?:on|this|via|to)\b|share\s*$|tweet\b|"
    r"pin\s+it\b|follow\s+us\b|print(?:\s+this)?(?:\s+(?:page|article))?\s*$|e-?mail\s*$|"
    r"advertisement\s*$|sponsored\s*$|back\s+to\s+top\b|subscribe\b|sign\s+up\s+for\b|"
    r"(?:click|tap)\s+here\b|read\s+more\s*$|related\s+(?:articles?|posts?|stories)\s*:?\s*$|"
    r"(?:we|this\s+(?:site|website))\s+uses?\s+cookies|accept\s+(?:all\s+)?cookies|cookie\s+(?:policy|settings))",
    re.IGNORECASE)
_COOKIE = re.compile(r"cookie", re.IGNORECASE)


def is_boilerplate(line: str) -> bool:
    """Whether one line is navigation residue (rule 10 of the module doc)."""
    s = line.strip()
    if not s or not _BOILERPLATE.match(s):
        return False
    return len(s.split()) <= (40 if _COOKIE.search(s) else 12)


_INNER_END = re.compile(r"[.!?](?=\s)")


def is_question_line(line: str, max_words: int = 40) -> bool:
    """Whether one line is a single question (rule 11 of the module doc)."""
    s = _strip_closers(line.strip())
    if not s.endswith("?") or len(s.split()) > max_words:
        return False
    return not _INNER_END.search(s[:-1])


_BLANK, _MD, _LIST, _PLAIN, _TABLE, _KV = "blank", "md", "list", "plain", "table", "kv"
_HEADER, _DELIMITER = 1, 2  # _Line.level of a table's header row and of its "|---|---|" row

# -- tables and key-value lines (rules 12 and 13) ---------------------------------
_DELIMITER_ROW = re.compile(r"\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?")
_KEY_VALUE = re.compile(r"([^\W\d_][^:\n.!?;]{0,39}?):[ \t]+(\S.*)")


def _is_delimiter_row(s: str) -> bool:
    return "|" in s and "-" in s and _DELIMITER_ROW.fullmatch(s) is not None


def _is_pipe_row(s: str) -> bool:
    return s.startswith("|") and s.count("|") >= 2


def _mark_tables(text: str, lines: list[_Line]) -> None:
    """Give the lines of every pipe table form _TABLE (in place): a header row followed by a
    ``|---|---|`` row and the rows after it that hold a "|", or two or more lines that start
    with "|" (the first is the header)."""
    n = len(lines)
    i = 0
    while i < n:
        ln = lines[i]
        s = text[ln.start:ln.end]
        if ln.form not in (_PLAIN, _LIST) or "|" not in s or _is_delimiter_row(s):
            i += 1
            continue
        nxt = text[lines[i + 1].start:lines[i + 1].end] if i + 1 < n and lines[i + 1].form != _BLANK else ""
        if _is_delimiter_row(nxt):
            j, row = i + 2, (lambda t: "|" in t)
        elif _is_pipe_row(s) and _is_pipe_row(nxt):
            j, row = i + 1, _is_pipe_row
        else:
            i += 1
            continue
        lines[i] = ln._replace(form=_TABLE, content=ln.start, level=_HEADER)
        if j == i + 2:
            lines[i + 1] = lines[i + 1]._replace(form=_TABLE, content=lines[i + 1].start, level=_DELIMITER)
        while j < n and lines[j].form != _BLANK and row(text[lines[j].start:lines[j].end]):
            lines[j] = lines[j]._replace(form=_TABLE, content=lines[j].start, level=0)
            j += 1
        i = j


def _key_value(text: str, ln: _Line) -> tuple[str, str] | None:
    """``(key, value)`` of a "Dose: 2–4 g" line: a key of at most four words that starts with a
    capital letter, then a colon and a value that is at most one sentence (no question)."""
    m = _KEY_VALUE.fullmatch(text, ln.start, ln.end)
    if m is None:
        return None
    key, value = m.group(1).strip(), m.group(2).strip()
    if not key or not key[0].isupper() or len(key.split()) > 4:
        return None
    core = _strip_closers(value)
    if not core or core.endswith("?") or len(value.split()) > 40 or _INNER_END.search(core[:-1]):
        return None
    return key, value


def _mark_key_values(text: str, lines: list[_Line]) -> None:
    """Give form _KV to key-value lines (in place): a line of :func:`_key_value` shape is one when
    its value is not Title Case ("Dose: 2–4 g", not "Melatonin: Effectiveness as a Sleep Aid"),
    or when it stands in a run of such lines of which one is; a single line whose next line goes
    on in lower case is a wrapped sentence, not a key-value line."""
    n = len(lines)
    shaped = [ln.form == _PLAIN and _key_value(text, ln) is not None for ln in lines]
    i = 0
    while i < n:
        if not shaped[i]:
            i += 1
            continue
        j = i
        while j + 1 < n and shaped[j + 1]:
            j += 1
        plain_values = [not is_title_case(_key_value(text, lines[k])[1]) for k in range(i, j + 1)]
        if i == j:
            nxt = lines[i + 1] if i + 1 < n else None
            goes_on = nxt is not None and nxt.form == _PLAIN and text[nxt.start].islower()
            ok = plain_values[0] and not goes_on
        else:
            ok = any(plain_values)
        if ok:
            for k in range(i, j + 1):
                lines[k] = lines[k]._replace(form=_KV)
        i = j + 1


def table_cells(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The cells of one pipe-table row ``text[start:end]`` (its first line), as ``(start, end)``
    offsets without the spaces around them; the outer pipes open and close no cell."""
    line_end = text.find("\n", start, end)
    end = end if line_end == -1 else line_end
    bounds = [start - 1] + [k for k in range(start, end) if text[k] == "|" and (k == start or text[k - 1] != "\\")] + [end]
    cells = []
    for a, b in zip(bounds, bounds[1:]):
        a += 1
        while a < b and text[a] in " \t":
            a += 1
        while b > a and text[b - 1] in " \t\r":
            b -= 1
        cells.append((a, b))
    if text[start] == "|" and cells and cells[0][0] == cells[0][1]:
        cells = cells[1:]
    if cells and text[end - 1:end].strip() == "|" and cells[-1][0] == cells[-1][1]:
        cells = cells[:-1]
    return cells


def table_row_reading(text: str, blocks: list, index: int) -> str | None:
    """A ``table_row`` block read with its header: "Form: Dried root; Dose: 2–3 g" (cells with an
    empty header or without a header row are read as they are); None for another kind of block."""
    if blocks[index][2] != "table_row":
        return None
    header: list[str] = []
    k = index - 1
    while k >= 0 and blocks[k][2] == "table_row":
        k -= 1
    if k >= 0 and blocks[k][2] == "table_header":
        header = [text[a:b] for a, b in table_cells(text, blocks[k][0], blocks[k][1])]
    cells = [text[a:b] for a, b in table_cells(text, blocks[index][0], blocks[index][1])]
    parts = []
    for j, cell in enumerate(cells):
        if not cell:
            continue
        name = header[j] if j < len(header) else ""
        parts.append(f"{name}: {cell}" if name else cell)
    return "; ".join(parts)


class _Line(NamedTuple):
    form: str          # blank, md, list, plain
    start: int         # first non-whitespace character
    end: int           # after the last non-whitespace character
    content: int       # start of the text after a markdown/list marker
    level: int         # markdown heading level, 0 otherwise
    indented: bool


class _Raw:
    """A block before its kind is known."""

    __slots__ = ("form", "start", "end", "content", "level", "lines", "blank_before", "blank_after",
                 "heading_like", "kind", "section")

    def __init__(self, line: _Line, blank_before: bool):
        self.form = line.form
        self.start, self.end, self.content, self.level = line.start, line.end, line.content, line.level
        self.lines = 1
        self.blank_before = blank_before
        self.blank_after = False
        self.heading_like = False
        self.kind: str | None = None
        self.section: str | None = None


def _split_lines(text: str) -> list[_Line]:
    lines = []
    pos = 0
    bounds = [(m.start(), m.end()) for m in _NEWLINE.finditer(text)] + [(len(text), len(text))]
    for line_end, next_pos in bounds:
        raw = text[pos:line_end]
        stripped = raw.strip()
        if not stripped:
            lines.append(_Line(_BLANK, pos, pos, pos, 0, False))
        else:
            start = pos + (len(raw) - len(raw.lstrip()))
            end = pos + len(raw.rstrip())
            indented = start > pos
            md = _MD_HEADING.match(raw)
            item = None if md else _LIST_ITEM.match(raw)
            if not md and _BARE_MARKER.fullmatch(raw):
                lines.append(_Line(_LIST, start, end, end, _BARE, indented))
            elif md:
                lines.append(_Line(_MD, start, end, pos + md.end(), len(md.group(1)), indented))
            elif item:
                lines.append(_Line(_LIST, start, end, pos + item.end(), 0, indented))
            else:
                lines.append(_Line(_PLAIN, start, end, start, 0, indented))
        pos = next_pos
    _mark_tables(text, lines)
    _mark_key_values(text, lines)
    return lines


# -- small text predicates -----------------------------------------------------

def _strip_closers(s: str) -> str:
    return s.rstrip(_CLOSERS + " \t")


def _ends_sentence(s: str) -> bool:
    s = _strip_closers(s)
    return bool(s) and s[-1] in _TERMINAL


def is_title_case(s: str) -> bool:
    """Whether most content words of ``s`` start with a capital letter."""
    words = [w for w in _WORD.findall(s) if w.lower() not in _SMALL_WORDS]
    if not words:
        return False
    upper = sum(1 for w in words if w[0].isupper())
    return upper * 4 >= len(words) * 3


def is_heading_like(s: str, *, max_heading_words: int = 20, max_heading_chars: int = 200) -> bool:
    """Whether one line of text could be a heading (see rule 3 of the module doc)."""
    s = s.strip()
    if not s or len(s) > max_heading_chars or len(s.split()) > max_heading_words:
        return False
    first_letter = next((c for c in s if c.isalpha()), None)
    if first_letter is None or first_letter.islower():
        return False
    core = _strip_closers(s)
    if not core:
        return False
    if core[-1] == "?":
        return is_title_case(s)
    return core[-1] not in _NO_HEADING_END


def normalize_heading(s: str) -> str:
    """The words of a heading, case-folded, for matching TOC items to headings."""
    s = s.replace("\u2019", "'").replace("\u2018", "'").casefold()
    return " ".join(re.findall(r"[^\W_]+(?:'[^\W_]+)*", s))


# -- the segmenter -------------------------------------------------------------

def _build_blocks(text: str, lines: list[_Line], max_wrap_width: int,
                  max_heading_words: int, max_heading_chars: int) -> list[_Raw]:
    plain_widths = [ln.end - ln.start for ln in lines if ln.form == _PLAIN]
    width = max(plain_widths, default=0)

    def heading_like(ln: _Line) -> bool:
        return is_heading_like(text[ln.start:ln.end], max_heading_words=max_heading_words,
                               max_heading_chars=max_heading_chars)

    def head_shaped(ln: _Line) -> bool:
        # in a hard-wrapped text a heading is Title Case or clearly shorter than the wrap width
        return heading_like(ln) and (is_title_case(text[ln.start:ln.end])
                                     or (ln.end - ln.start) * 10 < width * 6)

    # hard-wrapped: short lines, and at least one line break inside a sentence
    wrapped = 0 < width <= max_wrap_width and any(
        a.form == _PLAIN and b.form == _PLAIN and not _ends_sentence(text[a.start:a.end]) and not head_shaped(a)
        for a, b in zip(lines, lines[1:]))

    blocks: list[_Raw] = []
    current: _Raw | None = None     # the block that the next line may continue
    current_is_heading = False
    prev: _Line | None = None       # last line of the current block
    blank_before = True
    open_brackets = 0               # "[" of the current block not closed yet
    for ln in lines:
        if ln.form == _BLANK:
            if blocks:
                blocks[-1].blank_after = True
            current, prev, blank_before = None, None, True
            open_brackets = 0
            continue
        join = False
        if ln.form == _PLAIN and current is not None and current.form in (_PLAIN, _LIST) and open_brackets > 0:
            # "... drugs [" then "2," then "5]. Historically": a citation broken over lines
            open_brackets = max(0, open_brackets + text.count("[", ln.start, ln.end) - text.count("]", ln.start, ln.end))
            current.end = ln.end
            current.lines += 1
            prev = ln
            continue
        open_brackets = 0
        if ln.form == _TABLE and ln.level == _DELIMITER and current is not None and current.form == _TABLE \
                and current.level == _HEADER and current.lines == 1:
            current.end = ln.end  # the "|---|---|" row belongs to its header
            current.lines += 1
            prev = ln
            continue
        if (ln.form == _PLAIN and current is not None and current.form == _LIST and current.level == _BARE):
            # "•" on one line, the item on the next: one list item
            current.end, current.content, current.level = ln.end, ln.start, 0
            current.lines += 1
            prev = ln
            continue
        if ln.form == _PLAIN and current is not None and prev is not None:
            if current.form == _LIST:
                join = ln.indented
            elif current.form == _PLAIN and wrapped and not current_is_heading:
                if not _ends_sentence(text[prev.start:prev.end]):
                    join = True     # the sentence goes on
                else:
                    short_prev = (prev.end - prev.start) * 10 < width * 6
                    join = not (short_prev or head_shaped(ln))
        if join and current is not None:
            current.end = ln.end
            current.lines += 1
            prev = ln
            open_brackets = _open_brackets(text, current)
            continue
        current = _Raw(ln, blank_before)
        open_brackets = _open_brackets(text, current)
        blocks.append(current)
        blank_before = False
        prev = ln
        current_is_heading = ln.form == _PLAIN and wrapped and head_shaped(ln)
    for block in blocks:
        if block.form == _MD:
            block.heading_like = True
        elif block.lines == 1 and block.form in (_PLAIN, _LIST):
            block.heading_like = is_heading_like(text[block.content:block.end],
                                                 max_heading_words=max_heading_words,
                                                 max_heading_chars=max_heading_chars)
    return blocks


def _open_brackets(text: str, block: _Raw) -> int:
    """How many "[" of the block are not closed (0 for a block that does not end inside brackets)."""
    if "[" not in text[block.start:block.end]:
        return 0
    depth = 0
    for c in text[block.start:block.end]:
        if c == "[":
            depth += 1
        elif c == "]" and depth:
            depth -= 1
    return depth


def _heading_text(text: str, block: _Raw) -> str:
    s = text[block.content:block.end]
    if block.form == _MD:
        s = _MD_CLOSING.sub("", s).strip() or s
    return s


def segment_text(text: str, title: str | None = None, *, max_heading_words: int = 20,
                 max_heading_chars: int = 200, max_wrap_width: int = 100) -> list[Block]:
    """Split ``text`` into blocks and label each (see the module docstring for the rules).

    ``title`` is the document title when known (from metadata): a first line
    with the same words is the ``title`` block.  Returns ``[]`` for a text
    without any non-whitespace character.
    """
    lines = _split_lines(text)
    raws = _build_blocks(text, lines, max_wrap_width, max_heading_words, max_heading_chars)
    n = len(raws)
    if n == 0:
        return []
    norm = [normalize_heading(_heading_text(text, b)) if b.heading_like else "" for b in raws]

    # -- table of contents (list runs) -----------------------------------------
    last_heading_at: dict[str, int] = {}   # words of a heading-like line -> its last position
    for k, b in enumerate(raws):
        if b.form in (_PLAIN, _MD) and norm[k]:
            last_heading_at[norm[k]] = k
    runs: list[tuple[int, int]] = []
    i = 0
    while i < n:
        if raws[i].form == _LIST:
            j = i
            while j + 1 < n and raws[j + 1].form == _LIST and not raws[j + 1].blank_before:
                j += 1
            runs.append((i, j))
            i = j + 1
        else:
            i += 1
    toc_matched: set[str] = set()
    for a, b in runs:
        items = range(a, b + 1)
        matched = [k for k in items if norm[k] and last_heading_at.get(norm[k], -1) > b]
        if matched and len(matched) * 2 >= len(items):
            for k in items:
                raws[k].kind = "toc"
            toc_matched.update(norm[k] for k in matched)

    # -- headings --------------------------------------------------------------
    def is_heading_candidate(k: int) -> bool:
        return raws[k].form == _MD or (raws[k].form == _PLAIN and raws[k].heading_like)

    heading = [False] * n
    # walking backwards: a heading-like line is a heading when what follows it
    # (through further headings) is a paragraph or a list item
    next_is_content = False
    for k in range(n - 1, -1, -1):
        if raws[k].kind == "toc":
            next_is_content = True
        elif raws[k].form == _MD:
            heading[k] = True           # a chain of headings passes on what follows it
        elif is_heading_candidate(k):
            heading[k] = next_is_content or norm[k] in toc_matched
            if not heading[k]:
                next_is_content = True  # a heading-like line that is not a heading is content
        else:
            next_is_content = True

    # -- title -----------------------------------------------------------------
    first = raws[0]
    title_index = -1
    if n > 1 and is_heading_candidate(0):
        others = [k for k in range(1, n) if heading[k]]
        md_levels = [raws[k].level for k in range(1, n) if raws[k].form == _MD]
        if title is not None and norm[0] and norm[0] == normalize_heading(title):
            title_index = 0
        elif not others:
            title_index = 0
        elif first.form == _MD and all(first.level < lv for lv in md_levels):
            title_index = 0
        elif first.form == _PLAIN and first.blank_after and not any(raws[k].blank_after for k in others):
            title_index = 0
    if title_index == 0:
        first.kind = "title"
        heading[0] = False

    # -- list runs before the first heading that look like a TOC ---------------
    heading_indices = [k for k in range(n) if heading[k]]
    first_heading = heading_indices[0] if heading_indices else n
    if heading_indices:
        for a, b in runs:
            if b < first_heading and raws[a].kind is None and all(raws[k].heading_like for k in range(a, b + 1)):
                for k in range(a, b + 1):
                    raws[k].kind = "toc"
    # a "Table of Contents" label right before a TOC run
    for a, _b in runs:
        if raws[a].kind == "toc" and a > 0 and raws[a - 1].form in (_PLAIN, _MD) \
                and raws[a - 1].heading_like and _TOC_LABEL.match(norm[a - 1]):
            raws[a - 1].kind = "toc"
            heading[a - 1] = False
    heading_indices = [k for k in range(n) if heading[k] and raws[k].kind is None]
    first_heading = heading_indices[0] if heading_indices else n

    # -- kinds and sections ----------------------------------------------------
    section: str | None = None
    conclusion_section = False
    seen_summary = False
    has_title = title_index == 0
    for k, blk in enumerate(raws):
        if blk.kind in ("title", "toc"):
            blk.section = None
            continue
        if blk.form in (_TABLE, _KV):
            blk.kind = "key_value" if blk.form == _KV else ("table_header" if blk.level else "table_row")
            blk.section = section if k >= first_heading else None
            continue
        if heading[k]:
            blk.kind = "heading"
            section = _heading_text(text, blk)
            blk.section = section
            conclusion_section = bool(_CONCLUSION_HEADING.match(normalize_heading(section)))
            continue
        if k < first_heading:
            blk.section = None
            if heading_indices or has_title:
                if not seen_summary and blk.form == _PLAIN:
                    blk.kind = "summary"
                    seen_summary = True
                else:
                    blk.kind = "intro" if heading_indices else "body"
            else:
                blk.kind = "body"
            continue
        blk.section = section
        blk.kind = "conclusion" if conclusion_section else "body"

    # -- closing paragraph -----------------------------------------------------
    last = raws[-1]
    n_paragraphs = sum(1 for b in raws if b.kind in ("summary", "intro", "body", "conclusion"))
    if last.kind == "body" and last.form == _PLAIN and n_paragraphs > 1:
        closing = bool(_CONCLUSION_OPENER.match(text[last.start:last.end]))
        if not closing and toc_matched and heading_indices and n - 1 > heading_indices[-1]:
            section_body = [b for b in raws[heading_indices[-1] + 1:] if b.kind == "body" and b.form == _PLAIN]
            closing = len(section_body) >= 2
        if closing:
            last.kind = "conclusion"
            last.section = None

    # -- boilerplate and questions ----------------------------------------------
    for blk in raws:
        if blk.lines != 1 or blk.kind in ("title", "table_header", "table_row", "key_value"):
            continue
        line = text[blk.content:blk.end]
        if blk.form == _LIST and blk.level == _BARE:
            blk.kind = "boilerplate"  # a marker with no item after it: nothing to read
        elif is_boilerplate(line):
            blk.kind = "boilerplate"
        elif blk.kind in (None, "summary", "intro", "body", "conclusion") and \
                is_question_line(line, 2 * max_heading_words):
            blk.kind = "question"

    # -- unpunctuated runs --------------------------------------------------------
    for blk in raws:
        if blk.kind in (None, "summary", "intro", "body", "conclusion") and blk.end - blk.start > 2 * RUN_ON_WORDS \
                and is_run_on(text, blk.start, blk.end):
            blk.kind = "run_on"

    return [Block(b.start, b.end, b.kind or "body", b.section, i) for i, b in enumerate(raws)]


# rule 14: a stretch of this many words without a sentence-final mark is no prose
RUN_ON_WORDS = 150
_FINAL = re.compile(r"[!?\u2026]|\.(?!\S)")


def is_run_on(text: str, start: int = 0, end: int | None = None) -> bool:
    """Whether ``text[start:end]`` holds a stretch of more than :data:`RUN_ON_WORDS` words without
    a sentence-final mark (``! ? …`` or a full stop before a space or the end; rule 14)."""
    end = len(text) if end is None else end
    if end - start < 2 * RUN_ON_WORDS:
        return False  # more than 150 words take at least 301 characters
    last = start
    for stop in [m.start() for m in _FINAL.finditer(text, start, end)] + [end]:
        if stop - last > 2 * RUN_ON_WORDS and len(text[last:stop].split()) > RUN_ON_WORDS:
            return True
        last = stop + 1
    return False


def block_text(text: str, block: Block | list) -> str:
    """The text of a block without its markdown ``#`` marks or list marker.

    For a ``title``, ``heading`` or ``toc`` block this is the clean heading
    text (a heading block's ``section``); for other blocks the list marker of
    a list item is removed.
    """
    start, end = block[0], block[1]
    raw = text[start:end]
    md = _MD_HEADING.match(raw)
    if md:
        return _MD_CLOSING.sub("", raw[md.end():]).strip() or raw[md.end():]
    item = _LIST_ITEM.match(raw)
    if item:
        return raw[item.end():]
    return raw


def block_index_at(blocks: list[Block] | list[list], pos: int) -> int:
    """Index of the block containing character ``pos`` (``start <= pos < end``), or -1."""
    lo, hi = 0, len(blocks)
    while lo < hi:
        mid = (lo + hi) // 2
        if blocks[mid][0] <= pos:
            lo = mid + 1
        else:
            hi = mid
    i = lo - 1
    if i >= 0 and pos < blocks[i][1]:
        return i
    return -1
