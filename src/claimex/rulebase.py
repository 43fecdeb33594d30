"""The one base of every loader of an editable data file (``pipelines/``: lexicons, patterns, rules).

A loader is a class that mixes in :class:`RuleFile`, names its packaged file
and its error codes, and writes one hook that builds the object from the
parsed records; it gets, the same way as every other loader:

``default()``
    The packaged file (:func:`packaged`: ``claimex.pipelines`` through
    ``importlib.resources``).
``from_file(path)``, ``from_text(text, source=...)``, ``from_records(records, source=...)``
    Read a path, a string, or records already in memory.
``to_text()``, ``to_file(path)``
    Write it back (atomically), in the format it is read in.

Errors are numbered and name the file and, where there is one, the line:
``LINE_ERROR`` (a malformed line, a bad record), ``READ_ERROR`` (the file
cannot be read), ``MISSING_ERROR`` (the file does not exist; default:
``READ_ERROR``), ``EMPTY_ERROR`` (a file without records, when that is an
error).  The templates are formatted with ``path``, ``line`` and ``reason``
(each uses what it needs).

:class:`PatternLexicon` is the base of the two token-pattern lexicons (hedge
and negation cues, strength cues): an ordered tuple of entries, the spaCy
``Matcher`` built from them, and the longest-match selection they share.
"""

from __future__ import annotations

import functools
import json
import os
import re
from collections.abc import Iterable, Iterator
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, Callable, ClassVar

from .errors import ClaimexError, Errors

LineError = Callable[[int, str], ClaimexError]  # (line, reason) -> error naming the file
Source = str | os.PathLike | Traversable

#: The package that holds the data files (``pipelines/`` in the source tree).
DATA_PACKAGE = "claimex.pipelines"


# --------------------------------------------------------------------------- functions


def data_root() -> Traversable:
    """The installed data folder (``claimex.pipelines``)."""
    return resources.files(DATA_PACKAGE)


def packaged(*parts: str) -> Traversable:
    """The packaged data file ``claimex.pipelines/<parts>``, e.g. ``packaged("lexicons", "entities.jsonl")``."""
    return data_root().joinpath(*parts)


def rule_error(code: str, path: Any, line: int = 0, reason: Any = "") -> ClaimexError:
    """The numbered error ``code`` (an ``Errors`` name) for ``path``, ``line`` and ``reason``.

    A template without ``{line}`` gets the line (when there is one) at the head of the reason."""
    template = getattr(Errors, code)
    if line and "{line}" not in template:
        reason = f"line {line}: {reason}"
    return ClaimexError(template.format(path=path, line=line, reason=reason))


def read_data_file(path: Source, error: LineError, missing: Callable[[], ClaimexError] | None = None) -> str:
    """The UTF-8 text of ``path`` (a path or a packaged resource); an unreadable file raises
    ``error(0, reason)`` (or ``missing()`` for a file that does not exist, when given)."""
    try:
        if isinstance(path, (str, os.PathLike)):
            return Path(path).read_text(encoding="utf-8")
        return path.read_text(encoding="utf-8")
    except FileNotFoundError as err:
        raise (missing() if missing else error(0, err.strerror or str(err))) from None
    except (OSError, UnicodeDecodeError) as err:
        raise error(0, getattr(err, "strerror", None) or str(err)) from None


def iter_jsonl(text: str, error: LineError, *, comments: bool = False) -> Iterator[tuple[int, Any]]:
    """``(line number, value)`` for every non-blank line of JSONL ``text``.

    Blank lines are skipped, and lines starting with ``#`` too when
    ``comments``; malformed JSON raises ``error(line, "malformed JSON: …")``.
    """
    for line_no, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if not stripped or (comments and stripped.startswith("#")):
            continue
        try:
            yield line_no, json.loads(stripped)
        except json.JSONDecodeError as err:
            raise error(line_no, f"malformed JSON: {err.msg}") from None


def parse_json(text: str, error: LineError) -> Any:
    """The value of a whole-file JSON ``text``; malformed JSON raises
    ``error(line, "malformed JSON: … (column …)")``."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise error(err.lineno, f"malformed JSON: {err.msg} (column {err.colno})") from None


_JSON_KEY = re.compile(r'^(\s*)"((?:[^"\\]|\\.)*)"\s*:')


def json_key_lines(text: str) -> dict[str, int]:
    """The line of each top-level key of a pretty-printed JSON object (the keys written with the
    indentation of the first one; the first occurrence counts)."""
    lines: dict[str, int] = {}
    indent = None
    for line_no, raw in enumerate(text.splitlines(), start=1):
        match = _JSON_KEY.match(raw)
        if match is None:
            continue
        if indent is None:
            indent = match.group(1)
        if match.group(1) == indent:
            lines.setdefault(match.group(2), line_no)
    return lines


def record_checker(data: Any, fields: set[str], *, path: str, line: int,
                   code: str = "E050") -> Callable[[str], ClaimexError]:
    """Check that a data-file record is an object with only the ``fields`` allowed;
    return the function that makes a ``code`` error (file, line, reason) for the
    record's own checks."""
    def bad(reason: str) -> ClaimexError:
        return rule_error(code, path, line, reason)

    if not isinstance(data, dict):
        raise bad(f"expected a JSON object, got {type(data).__name__}")
    unknown = sorted(set(data) - fields)
    if unknown:
        raise bad(f"unknown field(s) {', '.join(unknown)}; allowed: {', '.join(sorted(fields))}")
    return bad


def jsonl_text(records: Iterable[Any]) -> str:
    """``records`` as JSONL text (one compact JSON value a line, non-ASCII kept)."""
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


# --------------------------------------------------------------------------- the base class


class RuleFile:
    """Mixin of a data-file loader (see the module docstring).

    A ``"jsonl"`` loader implements :meth:`from_lines` (and :meth:`to_records`
    to be written back); a ``"json"`` loader implements :meth:`from_data`
    (and :meth:`to_data`).
    """

    #: Path of the packaged file under ``claimex.pipelines``.
    DEFAULT_FILE: ClassVar[tuple[str, ...]] = ()
    FORMAT: ClassVar[str] = "jsonl"
    #: Skip lines starting with ``#`` (JSONL only).
    COMMENTS: ClassVar[bool] = False
    LINE_ERROR: ClassVar[str] = "E044"
    READ_ERROR: ClassVar[str] = "E044"
    MISSING_ERROR: ClassVar[str | None] = None
    EMPTY_ERROR: ClassVar[str | None] = None

    # -- hooks

    @classmethod
    def from_lines(cls, rows: list[tuple[int, Any]], *, source: str):
        """Build from ``(line number, record)`` pairs (JSONL loaders)."""
        raise NotImplementedError(f"{cls.__name__} reads {cls.FORMAT}, not JSONL")

    @classmethod
    def from_data(cls, data: Any, *, source: str, lines: dict[str, int] | None = None):
        """Build from the JSON value of a whole file (JSON loaders); ``lines``: the line of each
        top-level key, for errors (:func:`json_key_lines`)."""
        raise NotImplementedError(f"{cls.__name__} reads {cls.FORMAT}, not JSON")

    def to_records(self) -> list[Any]:
        raise NotImplementedError

    def to_data(self) -> Any:
        raise NotImplementedError

    # -- errors

    @classmethod
    def line_error(cls, source: Any) -> LineError:
        """``(line, reason) -> LINE_ERROR`` for ``source``."""
        return lambda line, reason: rule_error(cls.LINE_ERROR, source, line, reason)

    @classmethod
    def check_not_empty(cls, rows: list, source: Any) -> None:
        """Raise ``EMPTY_ERROR`` (when the loader has one) if ``rows`` is empty."""
        if cls.EMPTY_ERROR and not rows:
            raise rule_error(cls.EMPTY_ERROR, source)

    # -- reading

    @classmethod
    def from_records(cls, records: Iterable[Any], *, source: str = "<records>"):
        """Build from records in memory; errors name ``source`` and the record's 1-based position."""
        return cls.from_lines(list(enumerate(records, start=1)), source=source)

    @classmethod
    def from_text(cls, text: str, *, source: str = "<text>"):
        """Parse the text of a data file; errors name ``source`` and the line."""
        error = cls.line_error(source)
        if cls.FORMAT == "json":
            return cls.from_data(parse_json(text, error), source=source, lines=json_key_lines(text))
        rows = list(iter_jsonl(text, error, comments=cls.COMMENTS))
        cls.check_not_empty(rows, source)
        return cls.from_lines(rows, source=source)

    @classmethod
    def from_file(cls, path: Source):
        """Read the data file at ``path`` (a path or a packaged resource)."""
        source = str(path)
        missing = (lambda: rule_error(cls.MISSING_ERROR, source)) if cls.MISSING_ERROR else None
        text = read_data_file(path, lambda line, reason: rule_error(cls.READ_ERROR, source, line, reason), missing)
        return cls.from_text(text, source=source)

    @classmethod
    def default(cls):
        """The packaged file (``DEFAULT_FILE`` under ``claimex.pipelines``)."""
        return cls.from_file(packaged(*cls.DEFAULT_FILE))

    # -- writing

    def to_text(self) -> str:
        if self.FORMAT == "json":
            return json.dumps(self.to_data(), ensure_ascii=False, indent=2) + "\n"
        return jsonl_text(self.to_records())

    def to_file(self, path: str | os.PathLike) -> None:
        """Write :meth:`to_text` to ``path`` atomically."""
        from .store.atomic import write_text_atomic

        write_text_atomic(path, self.to_text())


# --------------------------------------------------------------------------- token-pattern lexicons


def _pos_id(name: str) -> int:
    from spacy.parts_of_speech import IDS

    return IDS.get(name, -1)


@functools.lru_cache(maxsize=1)
def _tokenizer():
    from spacy.lang.en import English

    return English().tokenizer


def cue_words(text: str) -> list[str]:
    """The lower-cased words of ``text`` as spaCy's English tokenizer splits them
    (``"cannot"`` -> ``["can", "not"]``): what an entry without a pattern matches."""
    return [t.lower_ for t in _tokenizer()(text)]


class PatternLexicon(RuleFile):
    """An ordered tuple of entries, each one line of a JSONL file, with the ``Matcher`` built from them.

    ``ENTRY`` is the entry class: ``ENTRY.from_dict(record, path=, line=)``,
    ``entry.to_dict()``, ``entry.token_pattern()`` and the attributes ``cue``,
    ``kind`` (``"pseudo"``: matched, then dropped) and ``weak``.
    """

    ENTRY: ClassVar[Any]
    # False: every match through the whole Matcher, as before the windowed search (the
    # reference that benchmarks/bench_equality.py compares the fast path with)
    windowed: ClassVar[bool] = True
    COMMENTS = True
    LINE_ERROR = "E054"
    READ_ERROR = "E054"
    MISSING_ERROR = "E053"

    def __init__(self, entries: Iterable[Any] = (), *, source: str = "<entries>"):
        self.entries: tuple[Any, ...] = tuple(entries)
        self.source = source
        self._matchers: dict[int, tuple[Any, Any]] = {}
        self._plans: dict[int, tuple[Any, Any]] = {}
        self._groups: dict[tuple[int, frozenset[int]], tuple[Any, Any]] = {}

    def __len__(self) -> int:
        return len(self.entries)

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and self.entries == other.entries  # type: ignore[attr-defined]

    def __add__(self, other: PatternLexicon) -> PatternLexicon:
        return type(self)(self.entries + other.entries, source=f"{self.source} + {other.source}")

    def __getstate__(self) -> dict:
        return {"entries": self.entries, "source": self.source}

    def __setstate__(self, state: dict) -> None:
        self.__init__(state["entries"], source=state.get("source", "<entries>"))

    @classmethod
    def from_lines(cls, rows: list[tuple[int, Any]], *, source: str):
        return cls([cls.ENTRY.from_dict(row, path=source, line=line) for line, row in rows], source=source)

    def to_records(self) -> list[dict]:
        return [e.to_dict() for e in self.entries]

    def matcher(self, vocab):
        """The ``Matcher`` for ``vocab`` (built once per vocab); match ids are entry indices."""
        cached = self._matchers.get(id(vocab))
        if cached is not None and cached[0] is vocab:
            return cached[1]
        from spacy.matcher import Matcher

        matcher = Matcher(vocab)
        for i, entry in enumerate(self.entries):
            try:
                matcher.add(str(i), [entry.token_pattern()])
            except Exception as err:  # noqa: BLE001 - spaCy raises MatchPatternError (a ValueError) and others
                reason = (str(err).splitlines() or [type(err).__name__])[0]
                raise ClaimexError(Errors.E056.format(cue=entry.cue, reason=reason)) from None
        self._matchers[id(vocab)] = (vocab, matcher)
        return matcher

    def _plan(self, vocab) -> tuple[Any, dict[int, dict[int, frozenset[int]]], int, frozenset[int]]:
        """How :meth:`_raw_matches` finds the matches (built once per vocab): a ``Matcher`` of
        the entries that are not *anchored* (or None), the anchors (attribute id -> hash a
        first token may have -> the anchored entries that start so), the most words an anchored match spans and the
        parts of speech a window passes over for free (runs of adverbs the patterns allow).

        An entry is anchored when its first token is required (no ``OP``) and tests
        ``LOWER``, ``LEMMA`` or ``ORTH`` for a word or a list of words, and its other tokens
        are words, optional whitespace or runs of a part of speech between them: each of its
        matches starts at a token with an anchor value and ends within that many words.
        """
        cached = self._plans.get(id(vocab))
        if cached is not None and cached[0] is vocab:
            return cached[1]
        from spacy.attrs import LEMMA, LOWER, ORTH
        from spacy.matcher import Matcher

        self.matcher(vocab)  # every pattern valid, or E056 naming the cue
        attr_ids = {"LOWER": LOWER, "LEMMA": LEMMA, "ORTH": ORTH}
        other = Matcher(vocab)
        anchors: dict[int, dict[int, set[int]]] = {}
        max_words = 1
        n_other = 0
        free_pos: set[int] = set()
        for i, entry in enumerate(self.entries):
            pattern = entry.token_pattern()
            first = pattern[0] if pattern else {}
            keys = [k for k in attr_ids if isinstance(first.get(k), str)
                    or (isinstance(first.get(k), dict) and list(first[k]) == ["IN"])]
            words = [t for t in pattern if t != {"IS_SPACE": True, "OP": "*"}]
            # a run of adverbs ({"POS": "ADV", "OP": "*"}) is free: the window passes over it
            stars = [t for t in words if t.get("OP") == "*" and set(t) == {"POS", "OP"}]
            words = [t for t in words if t not in stars]
            bounded = all(t.get("OP") in (None, "?") for t in words)
            if "OP" in first or not keys or not bounded:
                other.add(str(i), [pattern])
                n_other += 1
                continue
            key = keys[0]
            value = first[key]
            table = anchors.setdefault(attr_ids[key], {})
            for v in ([value] if isinstance(value, str) else value["IN"]):
                table.setdefault(vocab.strings.add(v), set()).add(i)
            max_words = max(max_words, len(words))
            for star in stars:
                pos = star["POS"]
                free_pos.update(_pos_id(p) for p in ([pos] if isinstance(pos, str) else pos.get("IN", [])))
        plan = (other if n_other else None, {a: {h: frozenset(e) for h, e in t.items()} for a, t in anchors.items()},
                max_words, frozenset(free_pos))
        self._plans[id(vocab)] = (vocab, plan)
        return plan

    def _raw_matches(self, target) -> list[tuple[int, int, int]]:
        """Every match of every entry in ``target`` as ``(start, end, entry index)`` in Doc
        token offsets: the same matches as the whole ``Matcher`` over ``target``.  At each
        token with an anchor value only the entries anchored on that value are tried, by a
        small ``Matcher`` of just those entries, over a window of at most ``max_words`` words."""
        from spacy.tokens import Doc

        doc = target if isinstance(target, Doc) else target.doc
        first = 0 if target is doc else target.start
        last = len(doc) if target is doc else target.end
        strings = doc.vocab.strings
        other, anchors, max_words, free_pos = self._plan(doc.vocab)
        out: set[tuple[int, int, int]] = set()
        if other is not None:
            out.update((start + first, end + first, int(strings[m])) for m, start, end in other(target))
        if not anchors or last <= first:
            return sorted(out)
        from spacy.attrs import IS_SPACE, POS

        columns = list(anchors)
        # the target's own columns (a sentence's; slicing the whole Doc's cost tokens x sentences)
        array = target.to_array(columns + [IS_SPACE, POS]).T.tolist()
        free = [sp or pos in free_pos for sp, pos in zip(array[-2], array[-1])]
        tables = [anchors[a] for a in columns]
        n = last - first
        for i in range(n):
            entries = None
            for c, table in enumerate(tables):
                hit = table.get(array[c][i])
                if hit:
                    entries = hit if entries is None else entries | hit
            if not entries:
                continue
            end, words = i, 0
            while end < n and words < max_words:
                words += not free[end]
                end += 1
            span = doc[first + i:first + end]
            for m, start, stop in self._group_matcher(doc.vocab, entries)(span):
                if start == 0:
                    out.add((first + i, first + i + stop, int(strings[m])))
        return sorted(out)

    def _group_matcher(self, vocab, entries: frozenset[int]):
        """A ``Matcher`` of just ``entries`` (cached per vocab and set of entries)."""
        key = (id(vocab), entries)
        cached = self._groups.get(key)
        if cached is not None and cached[0] is vocab:
            return cached[1]
        from spacy.matcher import Matcher

        matcher = Matcher(vocab)
        for i in sorted(entries):
            matcher.add(str(i), [self.entries[i].token_pattern()])
        self._groups[key] = (vocab, matcher)
        return matcher

    def match(self, target, *, weak_hedges: bool = False) -> list[tuple[Any, Any]]:
        """``(span, entry)`` for the non-overlapping matches in ``target`` (a Doc or a Span), in text order.

        Overlaps go to the longest match, then the earliest, then the first
        entry, whatever the kinds; pseudo entries are then dropped; weak
        entries take part only with ``weak_hedges``.
        """
        from spacy.tokens import Doc

        doc = target if isinstance(target, Doc) else target.doc
        offset = 0 if target is doc else target.start  # Matcher offsets are relative to a Span
        if self.windowed:
            found = [(start - offset, end - offset, index) for start, end, index in self._raw_matches(target)]
        else:  # the reference: the whole Matcher over the target (benchmarks/bench_equality.py)
            found = [(start, end, int(doc.vocab.strings[match_id]))
                     for match_id, start, end in self.matcher(doc.vocab)(target)]
        found = [m for m in found if weak_hedges or not self.entries[m[2]].weak]
        found.sort(key=lambda m: (-(m[1] - m[0]), m[0], m[2]))
        taken = bytearray(len(target))
        chosen = []
        for start, end, index in found:
            if any(taken[start:end]):
                continue
            taken[start:end] = b"\x01" * (end - start)
            chosen.append((start, end, index))
        chosen.sort()
        return [(doc[start + offset:end + offset], self.entries[index]) for start, end, index in chosen
                if self.entries[index].kind != "pseudo"]
