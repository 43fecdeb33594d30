"""The base model's attribute rules, applied by table lookup.

``en_core_web_sm``'s ``attribute_ruler`` maps fine-grained tags to POS and
morphology and fixes a few words ("i", "gonna").  spaCy runs its 179 rules
through a ``Matcher``, makes a ``Span`` per match and sets the attributes match
by match: about one match per token, so it cost as much CPU as the parser.

Here every pattern gets an *anchor*: one of its tokens and one attribute with an
exact value or an ``IN`` list (``{"TAG": "NN"}``; ``{"LOWER": "gon"}`` of
"gon na").  The token attributes are read once as arrays of hashes
(``Doc.to_array``); a token whose anchor attribute has an anchor value starts a
candidate, and only candidates are checked against the whole pattern.  Rules
apply in the order they were added and a later rule's value wins, as in spaCy's
ruler, and the attributes are written back in one ``Doc.from_array``.  Patterns
this module cannot read (operators, other keys) go to a ``Matcher`` as before.
``tests/nlp/test_base_model_parts.py`` checks that the result is spaCy's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, MORPH, ORTH, POS, TAG

# the token attributes a pattern may test (columns of Doc.to_array, in this order)
COLUMNS = ("ORTH", "LOWER", "TAG", "DEP", "POS", "IS_SPACE")
_COLUMN_IDS = (ORTH, LOWER, TAG, DEP, POS, IS_SPACE)
_STRING_COLUMNS = frozenset({"ORTH", "LOWER", "TAG", "DEP"})
# the attributes written back with Doc.from_array (DEP needs HEAD there: set one by one)
WRITTEN = (POS, TAG, MORPH, LEMMA)
_PREFERRED_ANCHOR = {"ORTH": 0, "LOWER": 1, "TAG": 2, "DEP": 3, "POS": 4, "IS_SPACE": 5}


@dataclass(frozen=True)
class TokenTest:
    """One token of a pattern: per column, ``("==", value)``, ``("in", set)``,
    ``("not in", set)`` or ``("regex", compiled)``; values are hashes / ids."""

    tests: tuple[tuple[int, str, Any], ...]
    _regex_memo: dict = field(default_factory=dict, compare=False, hash=False, repr=False)

    def accepts(self, row: Sequence[int], strings) -> bool:
        for column, op, value in self.tests:
            v = row[column]
            if op == "==":
                if v != value:
                    return False
            elif op == "in":
                if v not in value:
                    return False
            elif op == "not in":
                if v in value:
                    return False
            else:
                found = self._regex_memo.get(v)
                if found is None:
                    found = self._regex_memo[v] = value.search(strings[v] if v else "") is not None
                if not found:
                    return False
        return True


@dataclass
class CompiledRules:
    """``exact[columns][values]`` lists the rule ids of the one-token patterns that test
    those columns for exactly those values (most rules: ``{"TAG": "NN"}``); ``anchors[column][value]`` lists ``(rule_id, offset, tokens, index)`` of the patterns
    whose token ``offset`` has that value in that column; ``matched`` keeps ``(rule_id,
    pattern, index)`` of the patterns left for a ``Matcher``; ``scanned`` holds ``(rule_id,
    tokens, index)`` of the readable patterns without an anchor (a ``REGEX`` only), tried at
    every position (a regex is run once per distinct value)."""

    exact: dict[tuple[int, ...], dict[tuple[int, ...], list[int]]] = field(default_factory=dict)
    anchors: dict[int, dict[int, list[tuple[int, int, tuple[TokenTest, ...], int]]]] = field(default_factory=dict)
    scanned: list[tuple[int, tuple[TokenTest, ...], int]] = field(default_factory=list)
    # the anchored patterns of several tokens (also in ``anchors``), and the one-token
    # rules found for each distinct row of token values seen so far
    multi_anchors: dict[int, dict[int, list[tuple[int, int, tuple[TokenTest, ...], int]]]] = field(default_factory=dict)
    memo: dict[tuple[int, ...], tuple[int, ...]] = field(default_factory=dict, repr=False)
    matched: list[tuple[int, list[dict[str, Any]], int]] = field(default_factory=list)


def _value_id(strings, column: str, value: Any) -> int:
    if column == "IS_SPACE":
        return int(bool(value))
    if column == "POS":
        from spacy.parts_of_speech import IDS

        return IDS.get(str(value), -1)
    return strings.add(str(value)) if value != "" else 0


def _token_test(strings, token: dict[str, Any]) -> tuple[TokenTest, tuple[int, str, Any]] | None:
    """The tests of one pattern token and its best anchor ``(column, kind, values)``, or
    None when the token uses something this module does not read."""
    tests = []
    anchor = None
    for key, value in token.items():
        if key not in _PREFERRED_ANCHOR:
            return None
        column = COLUMNS.index(key)
        if isinstance(value, (str, bool)):
            test = (column, "==", _value_id(strings, key, value))
        elif isinstance(value, dict) and len(value) == 1:
            op, arg = next(iter(value.items()))
            if op in ("IN", "NOT_IN") and isinstance(arg, list):
                ids = frozenset(_value_id(strings, key, v) for v in arg)
                test = (column, "in" if op == "IN" else "not in", ids)
            elif op == "REGEX" and isinstance(arg, str) and key in _STRING_COLUMNS:
                test = (column, "regex", re.compile(arg))
            else:
                return None
        else:
            return None
        tests.append(test)
        if test[1] in ("==", "in"):
            rank = (0 if test[1] == "==" else 1, _PREFERRED_ANCHOR[key])
            if anchor is None or rank < anchor[0]:
                anchor = (rank, test)
    return TokenTest(tuple(tests)), (anchor[1] if anchor else None)


def compile_rules(vocab, rules: Sequence[tuple[Iterable[list[dict[str, Any]]], int]]) -> CompiledRules:
    """Anchor every pattern of ``rules`` (``(patterns, index)`` in the ruler's order; the
    position is the rule id), or leave it for a matcher."""
    compiled = CompiledRules()
    for rule_id, (patterns, index) in enumerate(rules):
        for pattern in patterns:
            parsed = [_token_test(vocab.strings, token) if token else None for token in pattern]
            anchored = [(offset, p[1]) for offset, p in enumerate(parsed) if p is not None and p[1] is not None]
            if not pattern or any(p is None for p in parsed):
                compiled.matched.append((rule_id, pattern, index))
                continue
            if len(parsed) == 1 and all(t[1] == "==" for t in parsed[0][0].tests):  # type: ignore[index]
                tests = sorted(parsed[0][0].tests)  # type: ignore[index]
                columns = tuple(t[0] for t in tests)
                ids = compiled.exact.setdefault(columns, {}).setdefault(tuple(t[2] for t in tests), [])
                if rule_id not in ids:
                    ids.append(rule_id)
                continue
            if not anchored:
                compiled.scanned.append((rule_id, tuple(p[0] for p in parsed), index))  # type: ignore[index]
                continue
            offset, (column, kind, value) = min(anchored, key=lambda a: (a[1][1] != "==", a[0]))
            tokens = tuple(p[0] for p in parsed)  # type: ignore[index]
            tables = [compiled.anchors.setdefault(column, {})]
            if len(tokens) > 1:
                tables.append(compiled.multi_anchors.setdefault(column, {}))
            for table in tables:
                for v in ([value] if kind == "==" else sorted(value)):
                    table.setdefault(v, []).append((rule_id, offset, tokens, index))
    return compiled


def build_matcher(vocab, compiled: CompiledRules):
    """A ``Matcher`` for the patterns without an anchor (None when there are none)."""
    if not compiled.matched:
        return None
    from spacy.matcher import Matcher

    matcher = Matcher(vocab)
    for rule_id, pattern, _index in compiled.matched:
        matcher.add(str(rule_id), [pattern])
    return matcher


def _target(rule_id: int, start: int, end: int, index: int) -> int:
    target = start + index if index >= 0 else end + index
    if not start <= target < end:
        raise IndexError(f"attribute rule {rule_id}: token index {index} is outside its match")
    return target


def _one_token_rules(row: Sequence[int], compiled: CompiledRules, strings) -> tuple[int, ...]:
    """The rule ids of the one-token patterns that accept a token with these column values."""
    ids: set[int] = set()
    for columns, values in compiled.exact.items():
        hit = values.get(tuple(row[c] for c in columns))
        if hit:
            ids.update(hit)
    for rule_id, tokens, _index in compiled.scanned:
        if len(tokens) == 1 and tokens[0].accepts(row, strings):
            ids.add(rule_id)
    for column, table in compiled.anchors.items():
        for rule_id, offset, tokens, _index in table.get(row[column], ()):
            if len(tokens) == 1 and tokens[0].accepts(row, strings):
                ids.add(rule_id)
    return tuple(sorted(ids))


def rule_targets(doc, compiled: CompiledRules, matcher=None) -> list[tuple[int, int]]:
    """``(rule_id, token index)`` of every rule that applies to a token of ``doc``, sorted as
    spaCy's ruler applies them (by rule, then by position).

    A one-token pattern's verdict depends on the token's own column values only, so the
    rules of each distinct row of values are worked out once (``compiled.memo``); the
    patterns of several tokens are tried at their anchors."""
    pairs: set[tuple[int, int]] = set()
    n = len(doc)
    if (compiled.exact or compiled.anchors or compiled.scanned) and n:
        array = doc.to_array(list(_COLUMN_IDS))
        rows = array.tolist()
        strings = doc.vocab.strings
        memo = compiled.memo
        for i, row in enumerate(rows):
            key = tuple(row)
            ids = memo.get(key)
            if ids is None:
                ids = memo[key] = _one_token_rules(row, compiled, strings)
            for rule_id in ids:
                pairs.add((rule_id, i))
        for rule_id, tokens, index in compiled.scanned:
            if len(tokens) == 1:
                continue
            for start in range(n - len(tokens) + 1):
                if all(test.accepts(rows[start + k], strings) for k, test in enumerate(tokens)):
                    pairs.add((rule_id, _target(rule_id, start, start + len(tokens), index)))
        if compiled.multi_anchors:
            cols = array.T.tolist()
            for column, table in compiled.multi_anchors.items():
                for i, value in enumerate(cols[column]):
                    hits = table.get(value)
                    if not hits:
                        continue
                    for rule_id, offset, tokens, index in hits:
                        start = i - offset
                        end = start + len(tokens)
                        if start < 0 or end > n:
                            continue
                        if all(test.accepts(rows[start + k], strings) for k, test in enumerate(tokens)):
                            pairs.add((rule_id, _target(rule_id, start, end, index)))
    if matcher is not None:
        strings = doc.vocab.strings
        index_of = {rule_id: index for rule_id, _pattern, index in compiled.matched}
        for match_id, start, end in matcher(doc, allow_missing=True, as_spans=False):
            rule_id = int(strings[match_id])
            pairs.add((rule_id, _target(rule_id, start, end, index_of[rule_id])))
    return sorted(pairs)


def apply_rules(doc, pairs: Iterable[tuple[int, int]], attrs: Sequence[dict],
                cache: dict[tuple[int, ...], tuple[tuple[tuple[int, int], ...], dict]] | None = None) -> None:
    """Set on each token of ``doc`` the attributes its rules give, a later rule's value over an
    earlier one's (``pairs`` from :func:`rule_targets`; ``attrs[rule_id]`` are the ruler's
    normalised attributes).  POS, TAG, MORPH and LEMMA are written as one array; any other
    attribute (the DEP of a space) token by token with spaCy's ``set_token_attrs``.
    ``cache`` keeps the merged result of each combination of rules between calls."""
    rules_of: dict[int, list[int]] = {}
    for rule_id, i in pairs:
        rules_of.setdefault(i, []).append(rule_id)
    if not rules_of:
        return
    if cache is None:
        cache = {}
    import numpy

    array = doc.to_array(list(WRITTEN))
    where: list[list[int]] = [[] for _ in WRITTEN]
    what: list[list[int]] = [[] for _ in WRITTEN]
    rest: dict[int, dict] = {}
    for i, ids in rules_of.items():
        key = tuple(ids)
        merged = cache.get(key)
        if merged is None:
            values: dict = {}
            for rule_id in key:
                values.update(attrs[rule_id])
            writes = tuple((WRITTEN.index(a), v) for a, v in values.items() if a in WRITTEN)
            merged = cache[key] = (writes, {a: v for a, v in values.items() if a not in WRITTEN})
        for column, value in merged[0]:
            where[column].append(i)
            what[column].append(value)
        if merged[1]:
            rest[i] = merged[1]
    for column in range(len(WRITTEN)):
        if where[column]:
            array[where[column], column] = numpy.array(what[column], dtype=array.dtype)
    doc.from_array(list(WRITTEN), array)
    if rest:
        from spacy.tokens._retokenize import set_token_attrs

        for i, values in rest.items():
            set_token_attrs(doc[i], values)
